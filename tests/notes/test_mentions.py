"""Known-answer tests for finding notes' titles and aliases in other notes' text."""

import pytest

from notelink.notes.mentions import Phrases, count_mentions, recount_mentions, title_phrases
from notelink.notes.records import NoteRecord, file_names
from notelink.notes.tokenizer import tokenize


def _phrases(names: list[list[str]]) -> Phrases:
    return title_phrases([[tokenize(n) for n in note_names] for note_names in names])


def test_phrases_are_found_on_token_sequences() -> None:
    names = [["Sourdough starter", "Levain"], ["Bread"], ["Notes on bread"]]
    phrases = _phrases(names)
    docs = [["bread", "bread"], ["feed", "sourdough", "starter", "levain", "daily"], ["sourdough", "bread"]]
    src, dst, count = count_mentions(docs, phrases)
    found = {(int(a), int(b)): float(c) for a, b, c in zip(src, dst, count, strict=True)}
    # note 0 mentions note 1 ("bread") twice; its own title is not counted; "notes on bread" -> notes, bread
    assert found == {(0, 1): 2.0, (1, 0): 2.0, (2, 1): 1.0}


def test_nested_and_overlapping_names_each_count_once_per_occurrence() -> None:
    names = [["graph view"], ["graph view settings", "view settings"], ["graph"], ["other"]]
    docs = [[], [], [], ["graph", "view", "settings", "x", "graph", "view"]]  # ends on a shorter name
    src, dst, count = count_mentions(docs, _phrases(names))
    found = {(int(a), int(b)): float(c) for a, b, c in zip(src, dst, count, strict=True)}
    # "graph view" twice, "graph view settings" and "view settings" (both note 1) once each, "graph" twice
    assert found == {(3, 0): 2.0, (3, 1): 2.0, (3, 2): 2.0}


def test_no_mentions() -> None:
    src, dst, count = count_mentions([["a"]], _phrases([["Zebra"]]))
    assert src.size == dst.size == count.size == 0


def test_recounting_changed_notes_equals_counting_all() -> None:
    phrases = _phrases([["Bread"], ["Oven"], ["Flour"]])
    before = [["bread", "oven"], ["flour", "flour"], ["oven"]]
    after = [["bread", "oven"], ["bread"], ["oven", "bread", "flour"]]
    recounted = recount_mentions(count_mentions(before, phrases), after, phrases, [1, 2])
    for got, want in zip(recounted, count_mentions(after, phrases), strict=True):
        assert got.tolist() == want.tolist()


def test_recounting_changed_and_renamed_notes_equals_counting_all() -> None:
    """A note renamed (new title or alias; one of them now shared with another note) is found again in
    every note, and so is the note that now shares its name (its share changed: update.mentions_reuse
    passes such notes as renamed); changed notes are recounted; the rest is kept; the sum is the full
    count."""
    import random

    rng = random.Random(4)
    words = ["bread", "oven", "flour", "salt", "proof", "crust", "rye", "starter"]
    before_names = [["Bread"], ["Oven"], ["Flour"], ["Rye starter"], ["Salt"], ["Crust"]]
    after_names = [["Bread"], ["Oven", "Proof"], ["Flour"], ["Rye"], ["Salt"], ["Bread"]]  # 1, 3, 5 renamed
    before = [[rng.choice(words) for _ in range(30)] for _ in before_names]
    after = [list(d) for d in before]
    after[2] = [rng.choice(words) for _ in range(25)]  # changed text
    after[3] = [rng.choice(words) for _ in range(25)]  # changed text and renamed
    old = count_mentions(before, _phrases(before_names))
    phrases = _phrases(after_names)
    renamed = [0, 1, 3, 5]  # 0 shares "Bread" with 5
    only_renamed = _phrases([n if i in renamed else [] for i, n in enumerate(after_names)])
    recounted = recount_mentions(old, after, phrases, [2, 3], renamed, only_renamed)
    want = count_mentions(after, phrases)
    assert want[0].size > 10
    for got, expected in zip(recounted, want, strict=True):
        assert got.tolist() == expected.tolist()


def test_recounting_renamed_notes_without_their_own_phrases_uses_all_phrases() -> None:
    """`renamed_phrases` is an optimisation: left out, the mentions of renamed notes are still found (with
    every phrase, kept for the renamed notes only), not silently dropped."""
    before_names, after_names = [["Bread"], ["Oven"], ["Flour"]], [["Bread"], ["Crust"], ["Flour"]]
    docs = [["crust", "oven", "flour"], ["bread", "flour"], ["crust", "bread", "oven"]]
    old = count_mentions(docs, _phrases(before_names))
    phrases = _phrases(after_names)
    recounted = recount_mentions(old, docs, phrases, [], [1])
    for got, want in zip(recounted, count_mentions(docs, phrases), strict=True):
        assert got.tolist() == want.tolist()


def test_a_shared_name_means_the_note_in_the_mentioning_notes_language() -> None:
    names = [["Canvas"], ["Canvas"], ["Leinwand"], ["Toile"]]  # notes 0 (en) and 1 (de) share a title
    langs = ["en", "de", "de", "fr"]
    docs = [["canvas"], ["canvas"], ["see", "canvas"], ["voir", "canvas"]]
    src, dst, _ = count_mentions(docs, _phrases(names), langs=langs)
    pairs = set(zip(src.tolist(), dst.tolist(), strict=True))
    # the Canvas notes name themselves; German note 2 means the German Canvas; French note 3 has no
    # French one, so it names both
    assert pairs == {(2, 1), (3, 0), (3, 1)}
    src, dst, _ = count_mentions(docs, _phrases(names))  # without languages: every note of that name
    assert (2, 0) in set(zip(src.tolist(), dst.tolist(), strict=True))


def test_a_name_several_notes_bear_is_shared_out_among_them() -> None:
    """Three empty pages titled "Runereda" and one "Levain": a mention of "runereda" is a third of a
    mention of each, so no page takes the full weight of every occurrence of the word."""
    names = [["Runereda"], ["Runereda"], ["Runereda"], ["Levain"], []]
    docs = [[], [], [], [], ["runereda", "levain", "runereda"]]
    src, dst, count = count_mentions(docs, _phrases(names))
    found = {(int(a), int(b)): float(c) for a, b, c in zip(src, dst, count, strict=True)}
    assert found == pytest.approx({(4, 0): 2 / 3, (4, 1): 2 / 3, (4, 2): 2 / 3, (4, 3): 1.0})
    src, dst, count = count_mentions([["runereda"], [], [], [], []], _phrases(names))  # by one of them
    assert dict(zip(dst.tolist(), count.tolist(), strict=True)) == pytest.approx({1: 1 / 3, 2: 1 / 3})


def _record(path: str, title: str, aliases: tuple[str, ...] = ()) -> NoteRecord:
    return NoteRecord(path=path, title=title, sha256="", size=0, mtime=0.0, aliases=list(aliases),
                      headings=[], tags=[], links=[], paragraphs=[], lang="en")


def test_file_names_split_at_dots_dashes_underscores_with_a_hierarchical_names_last_part() -> None:
    assert file_names("notes/My_file-name.md") == ["My file name"]
    assert file_names("dendron.topic.note-refs.md") == ["dendron topic note refs", "note refs"]


def test_a_notes_names_are_its_title_aliases_and_file_name_once_each() -> None:
    assert _record("dendron.topic.links.md", "Links").names() == [["links"], ["dendron", "topic", "links"]]
    assert _record("a/Bread.md", "Bread", ("Loaf",)).names() == [["bread"], ["loaf"]]


def test_a_file_name_unlike_the_title_is_mentioned_by_it() -> None:
    """Dendron's `[[dendron.topic.links]]` read as text names the note titled "Links" by its file name."""
    records = [_record("dendron.topic.links.md", "Links"), _record("intro.md", "Getting started")]
    docs = [[], ["see", "dendron", "topic", "links", "page"]]
    src, dst, count = count_mentions(docs, title_phrases([r.names() for r in records]))
    assert (src.tolist(), dst.tolist(), count.tolist()) == ([1], [0], [2.0])  # the file name and "links"


def test_a_file_name_that_is_one_word_once_its_numbers_are_dropped_is_not_a_mention() -> None:
    """`reading.2022.05.31` would be the bare word `reading`, found in every note that reads; the whole
    file name, numbers and all, is a reference instead (notelink/index/references.py). A title is kept."""
    record = _record("reading.2022.05.31.md", "Reading: bread science")
    assert record.names() == [["reading", "bread", "science"]]
    assert _record("202301011200 Some idea.md", "Chapter 3").names() == [["chapter"]]
    assert _record("Top 10 tips.md", "Top 10 tips").names() == [["top", "tips"]]


def test_with_longest_a_name_inside_a_longer_one_found_there_does_not_count() -> None:
    names = [["reading 2022 05 31"], ["2022 05 31"], ["2022"], ["graph view"], ["graph"]]
    phrases = title_phrases([[tokenize(n, numbers=True) for n in note] for note in names])
    doc = ["see", "reading", "2022", "05", "31", "and", "2022", "graph", "view", "graph"]
    docs = [[], [], [], [], [], doc]
    _, dst, count = count_mentions(docs, phrases, longest=True)
    assert dict(zip(dst.tolist(), count.tolist(), strict=True)) == {0: 1.0, 2: 1.0, 3: 1.0, 4: 1.0}
    _, dst, count = count_mentions(docs, phrases)  # every occurrence, nested ones too
    assert dict(zip(dst.tolist(), count.tolist(), strict=True)) == {0: 1.0, 1: 1.0, 2: 2.0, 3: 1.0, 4: 2.0}

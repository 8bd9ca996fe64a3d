"""Known-answer tests for finding notes' titles and aliases in other notes' text."""

import numpy as np
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


@pytest.mark.parametrize(("seed", "longest"), [(4, False), (5, False), (6, True), (7, True)])
def test_recounting_the_notes_that_hold_a_renamed_name_equals_counting_all(seed: int, longest: bool) -> None:
    """Notes renamed (one of them to a name another note has), added and gone: counting again the notes
    whose text changed and those whose text has every word of a name that came or went (its bearers
    changed: update.mentions_reuse), the previous mentions of the rest renumbered, is the full count, in
    several languages and with the longest-name rule too."""
    import random

    rng = random.Random(seed)
    words = ["bread", "oven", "flour", "salt", "proof", "crust", "rye", "starter"]
    before_names = [["Bread"], ["Oven"], ["Flour"], ["Rye starter"], ["Salt"], ["Crust"], ["Oven proof"]]
    after_names = [["Bread"], ["Oven", "Proof"], ["Flour"], ["Rye"], ["Salt"], ["Bread"], ["Starter"]]
    langs = [rng.choice(["en", "de"]) for _ in after_names]  # (a shared name means the notes in one's own)
    plain = ["flour", "wheat", "water", "yeast"]  # no renamed name: note 0 is not counted again
    before = [[rng.choice(plain if i == 0 else words) for _ in range(30)] for i in range(len(before_names))]
    after = [list(d) for d in before]
    after[2] = [rng.choice(words) for _ in range(25)]  # changed text
    after[3] = [rng.choice(words) for _ in range(25)]  # changed text and renamed
    gone, added = 4, 6  # note 4 deleted (the ids after it shift down); note 6 replaced by a new one
    old = count_mentions(before, _phrases(before_names), langs=langs, longest=longest)
    kept = [i for i in range(len(before)) if i != gone]  # old ids of the notes still there, in order
    new_id = {o: n for n, o in enumerate(kept)}
    after, after_names, after_langs = ([x[i] for i in kept] for x in (after, after_names, langs))
    src, dst = (np.array([new_id.get(int(i), -1) for i in ids], dtype=np.int64) for ids in old[:2])
    ok = (src >= 0) & (dst >= 0)
    renamed_names = [before_names[i] + after_names[new_id[i]] for i in (1, 3, 5)] + [before_names[gone]]
    renamed_names += [before_names[added], after_names[new_id[added]]]
    names = {tuple(t.lower() for t in n.split()) for group in renamed_names for n in group}
    holding = {i for i, d in enumerate(after) for n in names if set(n) <= set(d)}
    changed = sorted(holding | {new_id[2], new_id[3], new_id[added]})
    phrases = _phrases(after_names)
    previous = (src[ok], dst[ok], old[2][ok])
    recounted = recount_mentions(previous, after, phrases, changed, after_langs, longest)
    want = count_mentions(after, phrases, langs=after_langs, longest=longest)
    assert want[0].size > 10 and 0 not in changed
    for got, expected in zip(recounted, want, strict=True):
        assert got.tolist() == expected.tolist()


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


def test_a_file_name_with_a_number_is_no_mention_name_without_it() -> None:
    """Dendron's `community.events.reading-series.2021.10`, titled "10", had the name "community events
    reading series" once its numbers were dropped: every link to the series (read as text) mentioned it,
    sharing its parent's name; `related` listed such a note "because mentions: 10"."""
    records = [_record("community.events.reading-series.2021.10.md", "10"),
               _record("community.events.reading-series.md", "Reading Series"),
               _record("mdn.md", "MDN converted to Markdown")]
    assert records[0].names() == []
    docs = [[], [], ["see", "community", "events", "reading", "series"]]
    src, dst, count = count_mentions(docs, title_phrases([r.names() for r in records]))
    found = (src.tolist(), dst.tolist(), count.tolist())
    assert found == ([2], [1], [2.0])  # its file name and "reading series", the parent's only


def test_with_longest_a_name_inside_a_longer_one_found_there_does_not_count() -> None:
    names = [["reading 2022 05 31"], ["2022 05 31"], ["2022"], ["graph view"], ["graph"]]
    phrases = title_phrases([[tokenize(n, numbers=True) for n in note] for note in names])
    doc = ["see", "reading", "2022", "05", "31", "and", "2022", "graph", "view", "graph"]
    docs = [[], [], [], [], [], doc]
    _, dst, count = count_mentions(docs, phrases, longest=True)
    assert dict(zip(dst.tolist(), count.tolist(), strict=True)) == {0: 1.0, 2: 1.0, 3: 1.0, 4: 1.0}
    _, dst, count = count_mentions(docs, phrases)  # every occurrence, nested ones too
    assert dict(zip(dst.tolist(), count.tolist(), strict=True)) == {0: 1.0, 1: 1.0, 2: 2.0, 3: 1.0, 4: 2.0}


def test_a_name_inside_a_longer_links_words_does_not_count() -> None:
    names = [["Home"], ["Home recording"], ["Guitar"]]
    doc = ["setup", "home", "recording", "home", "guitar", "home", "recording"]  # the link written twice
    docs = [[], [], [], doc]
    links = [[], [], [], [("home", "recording")]]
    _, dst, count = count_mentions(docs, _phrases(names), links=links)
    # `home` only where it stands alone; `home recording` is the link's target, counted each time
    assert dict(zip(dst.tolist(), count.tolist(), strict=True)) == {0: 1.0, 1: 2.0, 2: 1.0}
    _, dst, count = count_mentions(docs, _phrases(names))  # without the links: every `home`
    assert dict(zip(dst.tolist(), count.tolist(), strict=True)) == {0: 3.0, 1: 2.0, 2: 1.0}
    recounted = recount_mentions(count_mentions(docs, _phrases(names)), docs, _phrases(names), [3],
                                 links=links)
    assert recounted[1].tolist() == [0, 1, 2] and recounted[2].tolist() == [1.0, 2.0, 1.0]

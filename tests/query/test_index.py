"""Queries on a built index: related notes with reasons, concepts, boilerplate, small vaults."""

import dataclasses
import unicodedata
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from notelink.config import RelatedConfig
from notelink.errors import NotFound
from notelink.index.build import build_index
from notelink.index.notevectors import Layout
from notelink.query import index as index_module
from notelink.query.answers import NoteInfo
from notelink.query.index import Index

from ..conftest import FAST, SAMPLE

TEMPLATE = ("## Tasks\n\n- [ ] review inbox\n\n## Footer\n\nCreated from my daily template. "
            "Remember water plants, call mum, weekly review meeting agenda.\n")
TOPICS = {
    "bread": "sourdough starter levain flour hydration dough crumb crust oven proof knead",
    "stars": "telescope eyepiece nebula galaxy orbit planet moon eclipse comet aperture",
    "garden": "compost mulch soil worms seedlings tomato pruning roots harvest watering",
    "music": "guitar chord scale rhythm metronome fingerpicking melody strings tempo practice",
}


@pytest.fixture(scope="module")
def daily(tmp_path_factory: pytest.TempPathFactory) -> Index:
    """Daily notes about different topics sharing a long template, plus topic notes without it."""
    root = tmp_path_factory.mktemp("daily")
    for t, words in TOPICS.items():
        w = words.split()
        for i in range(3):
            body = " ".join(w[(i + k) % len(w)] for k in range(25))
            (root / f"2024-01-0{i + 1} {t}.md").write_text(f"# Day {i} {t}\n\n{body}\n\n{TEMPLATE}")
            (root / f"{t} topic {i}.md").write_text(f"# {t.title()} topic {i}\n\n{body} {body}\n")
    build_index(root, root.parent / "ix", FAST)
    return Index.open(root.parent / "ix")


def test_boilerplate_does_not_make_notes_related(daily: Index) -> None:
    for topic in TOPICS:
        note = daily.find_note(f"2024-01-01 {topic}")
        top = daily.related(note, 3)
        assert all(topic in r.path for r in top), (topic, top)


def test_concepts_are_topic_words_not_stopwords_or_boilerplate(daily: Index) -> None:
    concepts = [c.word for c in daily.concepts(daily.find_note("2024-01-01 bread"), 8)]
    assert len(concepts) == 8
    assert not {"template", "review", "footer", "tasks", "the", "my"} & set(concepts)
    assert len(set(concepts) & set(TOPICS["bread"].split())) >= 6
    scores = [c.score for c in daily.concepts(daily.find_note("bread topic 0"), 5)]
    assert scores == sorted(scores, reverse=True) and 0 < scores[0] <= 1


def test_because_names_shared_concepts_and_mentions(daily: Index) -> None:
    note = daily.find_note("bread topic 0")
    best = daily.related(note, 1)[0]
    assert best.because and set(best.because) <= set(TOPICS["bread"].split()) | {"bread", "topic"}


def test_because_says_each_title_once_and_leaves_out_noise() -> None:
    # columns: words "bread", "oven", "salt"; titles of notes 0-3 (notes 2 and 3 share the title "Dough");
    # dense part (1 column); language (1 column)
    index = Index.__new__(Index)
    index.words, index.layout = ["bread", "oven", "salt"], Layout(3, 4, 1, 1)
    index.notes = [NoteInfo(i, f"{t}{i}.md", t, [], []) for i, t in enumerate(["A", "B", "Dough", "Dough"])]
    a = np.array([0.5, 0.3, 0.01, 0, 0, 0.4, 0.4, 0.9, 0.9], dtype=np.float32)  # shared with b below
    index.note_vecs = sp.csr_matrix(np.vstack([a, a]))
    index.references = None  # (an index without file-name references)
    index.same_text = lambda i, j: False  # type: ignore[method-assign]  # (no database here)
    assert index.because(0, 1) == ["bread", "mentions: Dough", "oven"]  # "salt": 0.0001 against 0.25


def test_related_and_concepts_read_only_the_words_they_name(daily: Index, tmp_path: Path) -> None:
    """Opening an index read its whole vocabulary (137k words at 10k notes, 0.17 s of a query's start);
    `related` and `concepts` name a few words, read by id: the same words as the vocabulary's."""
    index = Index.open(daily.gen.parent)
    note = index.find_note("bread topic 0")
    hits, concepts = index.related(note, 5), index.concepts(note, 5)
    assert "words" not in index.__dict__ and "note_vecs" in index.__dict__
    assert len(daily.words) > 5  # (read whole: its answers name words from the vocabulary)
    assert [h.because for h in hits] == [h.because for h in daily.related(note, 5)]
    assert concepts == daily.concepts(note, 5)
    assert index.words_of([3, 1, 3]) == {1: daily.words[1], 3: daily.words[3]}


def test_many_notes_concepts_read_the_vocabulary_once(daily: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    """An export names every note's concepts: looked up word by word, that was twice the time of reading the
    vocabulary once; past `WHOLE_VOCABULARY` words looked up, it is read whole, with the same answers."""
    monkeypatch.setattr(index_module, "WHOLE_VOCABULARY", 30)
    index = Index.open(daily.gen.parent)
    answers = [index.concepts(note, 5) for note in index.notes]
    assert "words" in index.__dict__
    assert answers == [daily.concepts(note, 5) for note in daily.notes]


def test_related_notes_below_the_cut_are_weak_and_still_listed(daily: Index,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    note = daily.find_note("2024-01-01 bread")
    hits = daily.related(note, len(daily.notes))
    assert [h.weak for h in hits] == [h.score < RelatedConfig().weak_below for h in hits]
    assert {h.weak for h in hits} == {False, True}  # (its own topic's notes, and the rest: long shots)
    monkeypatch.setattr(Index, "reading", RelatedConfig(weak_below=hits[0].score + 0.01))
    assert [h.weak for h in daily.related(note, len(daily.notes))] == [True] * len(hits)


def test_notes_for_word(daily: Index) -> None:
    hits = daily.notes_for_word("telescope", 3)
    assert len(hits) == 3 and all("stars" in h.path for h in hits)
    with pytest.raises(NotFound):
        daily.notes_for_word("unheardof")


def test_mentions_show_as_reasons(tmp_path: Path) -> None:
    root = tmp_path / "v"
    root.mkdir()
    (root / "Canvas.md").write_text("# Canvas\n\nan infinite board for cards, arrows and groups\n")
    (root / "Boards.md").write_text("# Boards\n\nI sketch ideas on a Canvas with cards and arrows\n")
    (root / "Cooking.md").write_text("# Cooking\n\nsoup with lentils and cumin\n")
    build_index(root, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    best = index.related(index.find_note("Boards"), 1)[0]
    assert best.path == "Canvas.md" and "mentions: Canvas" in best.because


def test_sample_vault_related_are_visibly_right(tmp_path: Path) -> None:
    """Two of a note's top 3 are from its folder, or one is and the rest are root notes or long shots
    (`weak`): Chicken stock has two strong relations (Knife skills, Home), and its third place is a coin toss
    among weak scores 0.001 apart that any change to the training words (another note's "versus") flips."""
    build_index(SAMPLE, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    for note in index.notes:
        folder = note.path.rsplit("/", 1)[0] if "/" in note.path else None
        if folder is None:
            continue
        top = index.related(note, 3)
        mine = sum(r.path.startswith(folder + "/") for r in top)
        rest_weak_or_root = all(r.weak or "/" not in r.path or r.path.startswith(folder + "/") for r in top)
        assert mine >= 2 or (mine == 1 and rest_weak_or_root), (note.path, top)


def test_a_vault_in_two_languages_keeps_each_ones_stop_words_out(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    root.mkdir()
    en = ["The oven is hot and the bread is in it", "The dough of the bread is wet and it needs more flour",
          "The starter is fed and the crumb of the bread is open"]
    de = ["Der Ofen ist heiß und das Brot ist darin",
          "Der Teig für das Brot ist nass und er braucht mehr Mehl",
          "Der Sauerteig ist gefüttert und die Krume vom Brot ist offen"]  # the notes share "Brot" as a
    # word: it is no title mention of "Brot 0".."Brot 2" (one word once the number is dropped)
    for i, (e, d) in enumerate(zip(en, de, strict=True)):
        (root / f"bread {i}.md").write_text(f"# Bread {i}\n\n{e}. {e}.\n")
        (root / f"brot {i}.md").write_text(f"# Brot {i}\n\n{d}. {d}.\n")
    build_index(root, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    assert index.layout.languages == 2  # half the notes in each language: the vector holds it
    german = {"der", "die", "das", "ist", "und", "er"}
    for i in range(3):
        note = index.find_note(f"brot {i}")
        assert not german & {c.word for c in index.concepts(note, 10)}
        top = index.related(note, 2)
        assert all(r.path.startswith("brot") for r in top)  # the other German notes first
        assert not german & {w for r in top for w in r.because}
    index.close()


def test_a_path_given_exactly_wins_over_one_differing_only_by_case_or_normalisation(tmp_path: Path) -> None:
    import unicodedata

    nfc, nfd = (unicodedata.normalize(form, "a/Café.md") for form in ("NFC", "NFD"))
    root = tmp_path / "v"
    for i, path in enumerate(["Plan.md", "plan.md", nfc, nfd, "a/other.md"]):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(f"# Note {i}\n\nsoil water seeds compost {i}\n")
    build_index(root, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    for path in ("Plan.md", "plan.md", nfc, nfd):
        note = index.find_note(path)
        assert note.path == path and index.also_named(path, note) == []
        assert index.find_note("./" + path) == note == index.find_note(path.removesuffix(".md"))
    assert index.twins(index.by_path["plan.md"]) == ["Plan.md"] and index.twins(index.by_path[nfd]) == [nfc]
    chosen = index.find_note("a/CAFÉ.md")  # the same for both: either could be meant
    assert index.also_named("a/CAFÉ.md", chosen) == [({nfc, nfd} - {chosen.path}).pop()]
    assert index.also_named("a/other.md", index.find_note("a/Other.md")) == []
    index.close()


def test_a_stop_word_of_the_vaults_main_language_is_one_where_other_notes_keep_it(tmp_path: Path) -> None:
    english = "the garden is where the soil and the compost meet the seeds of the spring".split()
    danish = "vi har en have med æbler og der er også the i koppen og is i fryseren hver dag".split()

    def note(words: list[str], i: int) -> str:  # (no paragraph repeated across notes: no boilerplate)
        return " ".join([*words[3 * i:], f"word{i}", *words[: 3 * i]])
    for name, notes in (("mixed", {**{f"en{i}": note(english, i) for i in range(4)},
                                   **{f"da{i}": note(danish, i) for i in range(2)}}),
                        ("danish", {f"da{i}": note(danish, i) for i in range(4)})):
        root = tmp_path / name
        root.mkdir()
        for stem, text in notes.items():
            (root / f"{stem}.md").write_text(f"# {stem}\n\n{text}. {text}.\n")
        build_index(root, tmp_path / f"{name}-ix", FAST)
        index = Index.open(tmp_path / f"{name}-ix")
        if name == "mixed":  # English notes drop "the"; the Danish ones keep it: still a stop word here
            assert "the" in index.word_index and index.languages() == {"en": 4, "da": 2}
            with pytest.raises(NotFound, match="'the' is a stop word \\(en"):
                index.similar_words("the")
        else:  # a Danish vault: English stop words are its words ("is": ice)
            assert index.similar_words("is").word == "is"
        with pytest.raises(NotFound, match="'og' is a stop word"):
            index.similar_words("og")
        index.close()


def test_a_note_new_since_the_index_is_said_to_be_new(make_vault, tmp_path: Path) -> None:
    """`related VAULT new.md` for a note written after the build said 'no note named', with unrelated
    suggestions; the file is there, and `notelink index` adds it."""
    vault = make_vault({"a.md": "# A\n\nriver stone cloud\n", "b.md": "# B\n\nriver stone water\n"})
    build_index(vault, tmp_path / "ix", FAST)
    (vault / "sub").mkdir()
    (vault / "sub" / "new.md").write_text("# New\n\nriver\n", encoding="utf-8")
    index = Index.open(tmp_path / "ix")
    for typed in ("sub/new.md", "sub/new"):
        with pytest.raises(NotFound, match=r"sub/new\.md is in the vault but new since the index was built"):
            index.find_note(typed)
    with pytest.raises(NotFound) as raised:
        index.find_note("../a.md")
    assert "in the vault" not in str(raised.value)


def test_similar_takes_a_word_typed_without_its_accents(make_vault, tmp_path: Path) -> None:
    words = "café espresso milk foam roast grind brew beans " * 6
    vault = make_vault({"Café.md": f"# Café\n\n{words}\n", "Tea.md": f"# Tea\n\n{words} tea leaves\n",
                        "Both.md": f"# Both\n\nresume résumé {words}\n" * 2})
    build_index(vault, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    assert index.similar_words("cafe").word == "café"  # as search finds it
    assert index.similar_words("cafe").warning == "'cafe' read as 'café': the vault's one word that it is " \
                                                  "with accents aside"
    assert index.similar_words("CAFE", 3).similar == index.similar_words("café", 3).similar
    assert index.similar_words("resume").word == "resume"  # the exact word first when both exist
    assert index.similar_words("résumé").word == "résumé"
    index.close()


def test_similar_takes_a_word_pasted_with_its_punctuation(make_vault, tmp_path: Path) -> None:
    """`similar V 'bread,'` said the word was unknown: the one word the tokenizer reads in it is meant."""
    words = "bread flour water salt yeast dough oven crust " * 6
    vault = make_vault({"Bread.md": f"# Bread\n\n{words}\n", "Pizza.md": f"# Pizza\n\n{words} cheese\n"})
    build_index(vault, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    for typed in ("bread,", '"bread"', "(Bread)."):
        said = index.similar_words(typed)
        assert said.word == "bread" and said.warning == ""
        assert said.similar == index.similar_words("bread").similar
    for typed in ("bread flour", "x-bread"):  # (two words are no word; `x-bread` reads as `bread`: not it)
        with pytest.raises(NotFound):
            index.similar_words(typed)
    index.close()


def test_a_note_or_word_typed_without_its_accents_is_the_one_it_is_with_them(make_vault,
                                                                              tmp_path: Path) -> None:
    """`related "Nuit a Valensole"` said "no note named", `similar etoiles` suggested unrelated words: the
    one note or word that the name is with accents aside is used and said so; of several, they are listed."""
    words = "espresso milk foam roast grind brew beans " * 6
    vault = make_vault({"Nuit à Valensole.md": f"# Nuit à Valensole\n\nles étoiles {words}\n",
                        "Café.md": f"# Café\n\n{'café ' * 3}{words}\n",
                        "Cafè.md": f"# Cafè\n\n{'cafè ' * 3}{words}\n",
                        "Tea.md": f"# Tea\n\n{words} tea\n"})
    build_index(vault, tmp_path / "ix", dataclasses.replace(FAST, min_count=2))
    index = Index.open(tmp_path / "ix")
    for typed in ("Nuit a Valensole", "nuit a valensole", "Nuit a Valensole.md"):
        note = index.find_note(typed)
        assert note.path == "Nuit à Valensole.md"
        assert index.note_read_as(typed, note) == (f"{typed!r} read as Nuit à Valensole "
                                                   "(Nuit à Valensole.md): the one note named so with "
                                                   "accents aside")
    assert index.note_read_as("Nuit à Valensole", index.find_note("Nuit à Valensole")) == ""
    with pytest.raises(NotFound, match=r"'cafe' names, with accents aside, 2 notes: Cafè\.md, Café\.md; give"
                       ) as several:
        index.find_note("cafe")
    assert several.value.suggestions == ["Cafè.md", "Café.md"]
    with pytest.raises(NotFound, match="'etoiles' read as 'étoiles': the vault's one word that it is with "
                                       "accents aside; 'étoiles' has no word vector"):
        index.similar_words("etoiles")
    assert index.similar_words("espresso").warning == ""
    assert index.similar_words(unicodedata.normalize("NFD", "Café")).warning == ""  # (the word, decomposed)
    with pytest.raises(NotFound, match="'cafe' is, with accents aside, 2 words of the vault: cafè, café"
                       ) as words_:
        index.similar_words("cafe")
    assert words_.value.suggestions == ["cafè", "café"]
    index.close()


def test_a_note_named_by_the_start_of_its_title_is_suggested(tmp_path: Path) -> None:
    """`notelink related VAULT Bread` (a new user's first try on sample_notes) said "no note named 'Bread'"
    with no suggestion: difflib's ratio of "Bread" to "Bread baking basics" is under its cutoff."""
    build_index(SAMPLE, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    with pytest.raises(NotFound) as caught:
        index.find_note("bread")
    assert caught.value.suggestions[0] == "Bread baking basics"
    assert "did you mean: Bread baking basics" in str(caught.value)
    with pytest.raises(NotFound) as caught:
        index.find_note("basics")  # a word of the title
    assert "Bread baking basics" in caught.value.suggestions
    with pytest.raises(NotFound) as caught:
        index.find_note("Sourdough startr")  # a typo: as before
    assert caught.value.suggestions[0] == "Sourdough starter"
    assert len(caught.value.suggestions) <= 5

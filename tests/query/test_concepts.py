"""A note's concepts: its subjects before its filler, by burstiness (notelink/query/concepts.py)."""

import numpy as np
import pytest

from notelink.config import ConceptsConfig
from notelink.index.build import build_index
from notelink.query import concepts as concepts_module
from notelink.query import index as index_module
from notelink.query.index import Index

from ..conftest import FAST

SUBJECTS = {"bread": "dough flour crust oven", "guitar": "chords strings tempo melody",
            "compost": "soil worms mulch leaves"}
FILLER = ("written", "best")
DAYS = ("monday", "tuesday", "friday", "sunday", "holiday")


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Index:
    """A hub note listing three topics, its subjects twice each (link and text), its filler three times.
    Each subject is in 5 topic notes, used 9 times in each; each filler word once in 5 diary notes: the
    same number of notes hold either (same idf), so by TF-IDF alone the hub's filler outweighs its subjects.
    (Each note's text differs: a paragraph repeated verbatim is boilerplate, left out of the words.)"""
    root = tmp_path_factory.mktemp("hub")
    for subject, words in SUBJECTS.items():
        w = words.split()
        for i in range(5):
            body = " ".join(f"{subject} {w[(i + k) % len(w)]}" for k in range(8))
            (root / f"{subject.title()} {i}.md").write_text(f"# {subject} notes {i}\n\n{body}, {subject}.\n")
    for i, day in enumerate(DAYS):
        text = f"# Diary {i}\n\nOn {day} I have written a page; the best walk.\n"
        (root / f"Diary {i}.md").write_text(text)
    links = "\n".join(f"- [[{s.title()} 0]]: {s}" for s in SUBJECTS)
    (root / "Home.md").write_text(f"# Home\n\n{links}\n\nWritten best, written best, written best.\n")
    ix = tmp_path_factory.mktemp("hub-ix")
    build_index(root, ix, FAST)
    return Index.open(ix)


def test_a_hubs_subjects_come_before_its_filler(hub: Index) -> None:
    words = [c.word for c in hub.concepts(hub.find_note("Home"), 5)]
    assert set(SUBJECTS) <= set(words[:3]), words
    assert not set(FILLER) & set(words[:3])


def test_by_weight_alone_the_hubs_filler_came_first(hub: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    """burstiness 0: the ranking before (what the default fixes)."""
    monkeypatch.setattr(hub, "concepts_config", ConceptsConfig(burstiness=0))
    words = [c.word for c in hub.concepts(hub.find_note("Home"), 5)]
    assert set(FILLER) <= set(words[:2]), words


def test_scores_fall_and_stay_within_0_and_1(hub: Index) -> None:
    for note in hub.notes:
        scores = [c.score for c in hub.concepts(note, 10)]
        assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)


def test_a_top_past_the_candidates_extends_the_list_and_keeps_its_order(
        hub: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    """`concepts --top 80` reordered the 60 of `--top 60` (all 80 heaviest words were ranked together, and
    the scores scaled by their norm): past `candidates`, the next heaviest words follow, ranked among
    themselves, and the first ones keep their order and scores."""
    monkeypatch.setattr(hub, "concepts_config", ConceptsConfig(candidates=4))
    for note in hub.notes:
        longer = hub.concepts(note, 12)
        assert longer[:4] == hub.concepts(note, 4)
        tail = [c.score for c in longer[4:]]
        assert tail == sorted(tail, reverse=True)
    assert len(hub.concepts(hub.find_note("Home"), 12)) > 4


def test_burstiness_is_occurrences_over_notes_holding_the_word(hub: Index) -> None:
    notes = [set(tokens.split()) for (tokens,) in hub.db.execute("SELECT tokens FROM notes")]
    ids = np.array([hub.word_index[w] for w in ("bread", "written")])
    holding = [sum(hub.words[i] in t for t in notes) for i in ids]
    assert holding == [6, 6]
    assert list(hub.burstiness(ids)) == pytest.approx([hub.word_counts[i] / 6 for i in ids])
    assert hub.burstiness(ids)[0] > 5 and hub.burstiness(ids)[1] < 2


def test_without_search_postings_concepts_rank_by_weight(hub: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    """An index without search data cannot count the notes holding a word: concepts as by weight alone."""
    index = Index.open(hub.gen.parent)
    monkeypatch.setattr(concepts_module, "load_array", lambda gen, name: (_ for _ in ()).throw(OSError(name)))
    assert np.all(index.burstiness(np.arange(3)) == 1)
    home = index.find_note("Home")
    got = index.concepts(home, 5)
    monkeypatch.setattr(index, "concepts_config", ConceptsConfig(burstiness=0))
    assert got == index.concepts(home, 5)


def test_an_export_reads_the_word_counts_once(hub: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every note's concepts ask their words' counts: past `WHOLE_VOCABULARY` words they are read whole."""
    monkeypatch.setattr(index_module, "WHOLE_VOCABULARY", 30)
    index = Index.open(hub.gen.parent)
    answers = [index.concepts(note, 5) for note in index.notes]
    assert "word_counts" in index.__dict__
    assert answers == [hub.concepts(note, 5) for note in hub.notes]


@pytest.mark.parametrize("field, value", [("burstiness", -0.5), ("burstiness", float("nan")),
                                          ("candidates", 0), ("rare_below", -1)])
def test_concepts_config_refuses_what_cannot_rank(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=field):
        ConceptsConfig(**{field: value})



def test_a_concept_seen_once_or_twice_is_marked_rare(hub: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    """A word seen once or twice (`selvitelle`, `thx`) topped 4% of dendron-site's notes' concepts, and was
    filler 10 times in 16 judged: it is marked rare, in every answer (`Concept.rare`), not moved."""
    concepts = [c for note in hub.notes for c in hub.concepts(note, 10)]
    counts = hub.counts_of([hub.word_index[c.word] for c in concepts])
    assert {c.rare for c in concepts} == {False, True}
    assert all(c.rare == (counts[hub.word_index[c.word]] < 3) for c in concepts)
    monkeypatch.setattr(hub, "concepts_config", ConceptsConfig(rare_below=0))
    assert not any(c.rare for note in hub.notes for c in hub.concepts(note, 10))

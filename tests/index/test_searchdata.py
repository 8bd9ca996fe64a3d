"""What a build stores for search: postings over every word, anchor text around mentions, titles."""

import random
from pathlib import Path

import numpy as np
import pytest

from notelink.index.arrays import load_array
from notelink.index.build import build_index
from notelink.index.searchdata import (
    ANCHOR_EVIDENCE,
    _long_mentions,
    _resolve,
    anchor_rows,
    find_mentions,
    search_data,
    search_ids,
    title_rows,
)
from notelink.index.store import current_generation
from notelink.model.vocab import Vocab

from ..conftest import FAST


def test_words_left_out_of_the_vocabulary_get_search_ids() -> None:
    vocab = Vocab.build([["a1", "b2", "a1"], ["a1", "zed"]], min_count=2)
    docs, extra = search_ids([["a1", "b2", "a1"], ["zed", "a1", "b2"]], vocab)
    assert vocab.words == ["a1"] and extra == ["b2", "zed"]
    assert [d.tolist() for d in docs] == [[0, 1, 0], [2, 0, 1]]


def test_mentions_one_word_and_longer_names_never_the_note_itself() -> None:
    # notes: 0 named (7,), 1 named (8, 9); corpus: note 0 = [8 9 7 5], note 1 = [7 8 9], note 2 = [5 8 9 7]
    corpus = np.array([8, 9, 7, 5, 7, 8, 9, 5, 8, 9, 7])
    owner = np.array([0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2])
    pos, length, mentioned = find_mentions(corpus, owner, [[[7]], [[8, 9]], []], ["en"] * 3)
    assert list(zip(pos.tolist(), length.tolist(), mentioned.tolist(), strict=True)) == [
        (0, 2, 1), (4, 1, 0), (8, 2, 1), (10, 1, 0)]


Names = dict[tuple[int, ...], list[int]]


def _long_mentions_one_by_one(corpus: np.ndarray, owner: np.ndarray, by_name: Names,
                              langs: list[str]) -> list[tuple[int, int, int]]:
    """The earlier scan, a Python step per position: (position, length, note) in its order."""
    longer: dict[tuple[int, int], list[tuple[int, ...]]] = {}
    for name in by_name:
        if len(name) > 1:
            longer.setdefault((name[0], name[1]), []).append(name)
    out = []
    for p in range(corpus.size - 1):
        names = longer.get((int(corpus[p]), int(corpus[p + 1])), [])
        for name in names:  # in their order within the prefix
            end = p + len(name)
            if end <= corpus.size and owner[end - 1] == owner[p] and tuple(corpus[p:end].tolist()) == name:
                out += [(p, len(name), b) for b in _resolve(by_name[name], int(owner[p]), langs)]
    return out


@pytest.mark.parametrize("seed", range(6))
def test_longer_names_are_found_as_a_scan_position_by_position_finds_them(seed: int) -> None:
    """Names sharing their first words, of several lengths, overlapping, shared by notes of two languages,
    and running past a note's end."""
    rng = random.Random(seed)
    corpus = np.array([rng.randrange(6) for _ in range(3000)], dtype=np.int32)
    owner = np.sort(np.array([rng.randrange(40) for _ in range(corpus.size)], dtype=np.int32))
    langs = [rng.choice(["en", "de"]) for _ in range(40)]
    by_name: Names = {}
    for note in range(40):
        for _ in range(rng.randrange(3)):
            name = tuple(rng.randrange(6) for _ in range(rng.randint(2, 5)))
            by_name.setdefault(name, []).append(note)
    pos, length, mentioned = _long_mentions(corpus, owner, by_name, langs)
    expected = _long_mentions_one_by_one(corpus, owner, by_name, langs)
    assert len(expected) > 100
    assert list(zip(pos.tolist(), length.tolist(), mentioned.tolist(), strict=True)) == expected


def test_a_shared_name_means_the_note_in_the_mentioning_notes_language() -> None:
    corpus, owner = np.array([3, 3, 3, 3]), np.array([0, 1, 2, 3])
    _, _, mentioned = find_mentions(corpus, owner, [[[3]], [[3]], [], []], ["en", "de", "de", "fr"])
    # notes 0 and 1 mean themselves (as in mentions.count_mentions); 2 (de) names 1; 3 (fr) both
    assert mentioned.tolist() == [1, 0, 1]


def test_anchor_rows_hold_the_words_around_mentions_in_other_notes() -> None:
    docs = [np.array([0, 1, 9, 2, 4, 3]), np.array([3, 5, 6, 7])]  # note 0 is named (3,), note 1 (9,)
    idf = np.ones(10, dtype=np.float32)
    A = anchor_rows(docs, [[[3]], [[9]]], ["en", "en"], idf, window=2).toarray()
    assert np.flatnonzero(A[1]).tolist() == [0, 1, 2, 4]  # two words each side of note 0's "9"
    assert np.flatnonzero(A[0]).tolist() == [5, 6]  # note 1's "3": its start ends the window on the left,
    # (and note 0's own "3" is no anchor); rows of fewer than ANCHOR_EVIDENCE words are shorter, in step
    assert np.allclose(np.linalg.norm(A, axis=1), [2 / ANCHOR_EVIDENCE, 4 / ANCHOR_EVIDENCE])


def test_a_thin_anchor_row_counts_less_than_a_full_one() -> None:
    """A note named once with few words around it: its anchor row is scaled by words / ANCHOR_EVIDENCE, so
    those few words do not outweigh a note that has the searched word itself."""
    W = ANCHOR_EVIDENCE
    around = np.arange(2, 2 + 2 * W)
    docs = [np.concatenate([around[:W], [1], around[W:]]), np.array([0])]  # note 1 ("1") amid 2W words
    idf = np.ones(2 + 2 * W, dtype=np.float32)
    A = anchor_rows(docs, [[[0]], [[1]]], ["en", "en"], idf, window=W).toarray()
    assert np.isclose(np.linalg.norm(A[1]), 1.0)  # 2W distinct words: counts in full
    docs = [np.array([2, 3, 1, 4, 5]), np.array([0])]
    A = anchor_rows(docs, [[[0]], [[1]]], ["en", "en"], idf[:6], window=2).toarray()
    assert np.isclose(np.linalg.norm(A[1]), 4 / W)  # 4 words around its one mention


def test_words_after_a_mention_stop_at_its_paragraph_when_it_has_its_own() -> None:
    """`... see [[Knife skills]].` then a paragraph with a rare word: the word was Knife skills' anchor text,
    and the note only named there ranked above the note with the word. A heading or a list item that is
    only the name is about what follows it: its words after it go on into the next paragraph."""
    idf = np.ones(20, dtype=np.float32)
    prose = [np.array([2, 3, 4, 5, 6, 1, 9, 10]), np.array([0])]  # note 1 ("1") ends a 6-word paragraph
    A = anchor_rows(prose, [[[0]], [[1]]], ["en", "en"], idf, window=3, paragraphs=[[6, 2], [1]]).toarray()
    assert np.flatnonzero(A[1]).tolist() == [4, 5, 6]  # before it only: 9 and 10 are the next paragraph's
    heading = [np.array([1, 9, 10, 11]), np.array([0])]  # "1" alone on its line, then its section
    A = anchor_rows(heading, [[[0]], [[1]]], ["en", "en"], idf, window=3, paragraphs=[[1, 3], [1]]).toarray()
    assert np.flatnonzero(A[1]).tolist() == [9, 10, 11]
    A = anchor_rows(prose, [[[0]], [[1]]], ["en", "en"], idf, window=3).toarray()  # one paragraph a note
    assert np.flatnonzero(A[1]).tolist() == [4, 5, 6, 9, 10]


def test_title_rows_are_distinct_words_at_one_over_length() -> None:
    T = title_rows([[2, 1, 2], []], 4).toarray()
    assert T.tolist() == [[0, 0.5, 0.5, 0], [0, 0, 0, 0]]


def test_search_data_from_tokens() -> None:
    tokens = [["canvas", "boards", "cards", "canvas"], ["draw", "on", "canvas", "boards"], ["rare"]]
    names = [[["canvas"]], [["drawing"]], [["rare", "thing"]]]
    vocab = Vocab.build(tokens, min_count=2)
    data = search_data(*search_ids(tokens, vocab), vocab, names, ["en"] * 3)
    assert set(data.extra) == {"cards", "draw", "on", "rare"}
    assert data.terms.shape == (3, 6) and np.allclose(np.linalg.norm(data.terms.toarray(), axis=1), 1)
    words = ["canvas", "boards", *data.extra]
    assert {words[i] for i in data.anchors[0].indices} == {"draw", "on", "boards"}  # around note 1's "canvas"
    assert data.titles[0].indices.tolist() == [0] and data.titles[1].nnz == 0  # "drawing": never used


@pytest.mark.parametrize("min_count", [1, 2])
def test_a_build_writes_the_search_arrays(tmp_path: Path, min_count: int) -> None:
    from dataclasses import replace
    vault = tmp_path / "v"
    vault.mkdir()
    (vault / "a.md").write_text("# Alpha\n\nalpha beta gamma beta unique\n")
    (vault / "b.md").write_text("# Beta\n\nwe met alpha and beta today\n")
    build_index(vault, tmp_path / "ix", replace(FAST, min_count=min_count))
    gen = current_generation(tmp_path / "ix")
    assert gen is not None
    for name in ("search_words", "search_idf", "search_dense", "search_terms_indptr", "search_anchors_data",
                 "search_names_indices", "search_titles_indptr"):
        assert (gen / f"{name}.npy").exists(), name
    extra = bytes(load_array(gen, "search_words")).decode()
    assert ("unique" in extra.split("\n")) == (min_count == 2)

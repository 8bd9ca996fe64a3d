"""The one-pass encoding gives exactly what the three passes it replaces gave: `Vocab.build` over the
tokens without boilerplate, `Vocab.encode` of them, and `search_ids` over every token."""

from __future__ import annotations

import random

import numpy as np
import pytest

from notelink.index.lexicon import encode_notes
from notelink.index.searchdata import search_ids
from notelink.model.vocab import Vocab
from notelink.notes.boilerplate import find_boilerplate, without_boilerplate
from notelink.notes.records import NoteRecord


def _record(i: int, paragraphs: list[list[str]]) -> NoteRecord:
    return NoteRecord(f"n{i}.md", f"n{i}", f"{i:064x}", 0, 0.0, [], [], [], [], paragraphs)


def _vault(seed: int, notes: int = 60) -> list[NoteRecord]:
    """Notes of Zipf-ish words, some sharing a template paragraph, some empty or with empty paragraphs."""
    rng = random.Random(seed)
    words = [f"w{k}" for k in range(300)]
    template = ["meeting", "agenda", "actions"]
    out = []
    for i in range(notes):
        paragraphs = [[rng.choice(words[: rng.randint(1, 300)]) for _ in range(rng.randint(0, 12))]
                      for _ in range(rng.randint(0, 5))]
        if i % 3 == 0:
            paragraphs.insert(rng.randint(0, len(paragraphs)), list(template))
        out.append(_record(i, paragraphs))
    return out


def _three_passes(records: list[NoteRecord], share: float, min_count: int
                  ) -> tuple[Vocab, list[np.ndarray], list[np.ndarray], list[str]]:
    boiler = find_boilerplate([r.paragraphs for r in records], share)
    clean = [without_boilerplate(r.paragraphs, boiler) for r in records]
    vocab = Vocab.build(clean, min_count)
    search, extra = search_ids([r.tokens for r in records], vocab)
    return vocab, [vocab.encode(t) for t in clean], search, extra


@pytest.mark.parametrize(("seed", "share", "min_count"),
                         [(1, 0.1, 1), (2, 0.1, 3), (3, 1.0, 2), (4, 0.05, 5)])
def test_one_pass_equals_the_three_it_replaces(seed: int, share: float, min_count: int) -> None:
    records = _vault(seed)
    vocab, docs, search, extra = _three_passes(records, share, min_count)
    got = encode_notes(records, find_boilerplate([r.paragraphs for r in records], share), min_count)
    assert got.vocab.words == vocab.words and got.vocab.counts.tolist() == vocab.counts.tolist()
    assert got.vocab.counts.dtype == np.int64 and got.extra == extra
    assert [d.tolist() for d in got.docs] == [d.tolist() for d in docs]
    assert all(d.dtype == np.int32 for d in got.docs + got.search)
    assert [d.tolist() for d in got.search] == [d.tolist() for d in search]
    assert got.ids.tolist() == [t for d in docs for t in d.tolist()]
    assert got.owner.tolist() == [i for i, d in enumerate(docs) for _ in range(d.size)]


def test_words_only_in_boilerplate_are_search_words_not_vocabulary() -> None:
    template = ["weekly", "sync"]
    records = [_record(i, [list(template), ["bread", "oven"]]) for i in range(4)]
    got = encode_notes(records, {tuple(template)}, 1)
    assert got.vocab.words == ["bread", "oven"] and got.extra == ["weekly", "sync"]
    assert got.search[0].tolist() == [2, 3, 0, 1] and got.docs[0].tolist() == [0, 1]


def test_no_notes_or_no_tokens() -> None:
    assert encode_notes([], set(), 1).docs == []
    got = encode_notes([_record(0, []), _record(1, [[]])], set(), 1)
    assert len(got.vocab) == 0 and [d.size for d in got.docs + got.search] == [0, 0, 0, 0]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_notes_with_every_word_of_a_name_are_found_as_a_scan_finds_them(seed: int) -> None:
    """Boilerplate, empty notes and words in no note included; `more` runs are looked in too."""
    records = _vault(seed)
    got = encode_notes(records, find_boilerplate([r.paragraphs for r in records], 0.1), 1)
    rng = random.Random(seed)
    names = [[f"w{rng.randint(0, 40)}" for _ in range(rng.randint(1, 3))] for _ in range(4)]
    names += [["meeting", "actions"], ["nowhere"], [], ["w1", "nowhere"]]
    more = [[["nowhere", "else"]] if i == 7 else [] for i in range(len(records))]
    expected = {i for i, r in enumerate(records) for n in names
                if n and set(n) <= set(r.tokens) | {t for run in more[i] for t in run}}
    assert got.notes_with(names, more) == expected and 7 in expected
    assert got.notes_with([]) == set() and encode_notes([], set(), 1).notes_with([["w1"]]) == set()

"""Training holds on bursty text (issue 17): long notes in which a line repeats one phrase 190 times.

A batch step sums the updates of a row from the same stale vectors; summed over a burst they overshoot
unless scaled (`rowscale.RowScale`). On this corpus (145k words) the trainer before that
scale grew the burst words' input rows to 15 and an output row to 49 (seed 1, one thread), where gensim's
sequential SGD keeps every input row under 9.3 and every output row under 3.3.
"""

import numpy as np
import pytest

from notelink.config import IncrementalConfig, TrainConfig
from notelink.index import update
from notelink.index.notevectors import unit_rows
from notelink.index.previous import Previous
from notelink.model import cbow
from notelink.model.vocab import Vocab

GROUPS = [["apple", "pear", "plum", "cherry", "peach"], ["lion", "tiger", "wolf", "bear", "fox"],
          ["red", "green", "blue", "yellow", "purple"]]
BURST = ["style", "background", "lightblue"]
CFG = TrainConfig(dim=32, epochs=5, window=5, negative=5, min_count=1, sample=1e-3, seed=1, threads=1,
                  device="cpu")
MAX_INPUT_NORM = 12.0  # gensim: 9.3 (the burst words), the trainer without the scale: 15.3
MAX_OUTPUT_NORM = 15.0  # gensim: 3.3, the trainer without the scale: 48.9


def _notes(n: int, seed: int, burst_every: int = 150) -> list[list[str]]:
    """n notes of 40 lines of 12 words: half from one planted group (words of a group share contexts),
    half from 5,000 filler words; line 5 of every `burst_every`-th note is the burst phrase x 190."""
    rng = np.random.default_rng(seed)
    notes = []
    for i in range(n):
        note: list[str] = []
        for line in range(40):
            if i % burst_every == 0 and line == 5:
                note += BURST * 190
                continue
            group = GROUPS[rng.integers(0, 3)]
            note += [group[rng.integers(0, 5)] if rng.random() < 0.5 else f"f{rng.integers(0, 5000)}"
                     for _ in range(12)]
        notes.append(note)
    return notes


def _encode(notes: list[list[str]], vocab: Vocab) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    docs = [vocab.encode(n) for n in notes]
    return docs, np.concatenate(docs), np.repeat(np.arange(len(docs)), [d.size for d in docs])


def _assert_healthy(wv: cbow.WordVectors, vocab: Vocab) -> None:
    """Bounded norms, and every planted word's nearest neighbour in its own group."""
    assert np.linalg.norm(wv.syn0, axis=1).max() < MAX_INPUT_NORM
    assert np.linalg.norm(wv.syn1neg, axis=1).max() < MAX_OUTPUT_NORM
    m = unit_rows(wv.syn0)
    for group in GROUPS:
        for word in group:
            sims = m @ m[vocab.index[word]]
            sims[vocab.index[word]] = -1
            assert vocab.words[int(np.argmax(sims))] in group, word


@pytest.mark.parametrize("device", ["cpu", "cuda"])
def test_training_on_bursty_notes_keeps_norms_bounded_and_learns(device: str) -> None:
    torch = pytest.importorskip("torch")
    if device == "cuda" and not torch.cuda.is_available():
        pytest.skip("needs a CUDA GPU")
    notes = _notes(300, seed=0)
    vocab = Vocab.build(notes, 1)
    _, ids, owner = _encode(notes, vocab)
    _assert_healthy(cbow.train(ids, owner, vocab, TrainConfig(**{**CFG.to_dict(), "device": device})), vocab)


@pytest.mark.parametrize("device", ["cpu", "cuda"])
def test_an_incremental_update_with_bursty_notes_stays_healthy(device: str) -> None:
    """The watcher's path: vectors trained on a vault without bursts, then an update on new notes with
    them (`update.train_update`: the changed notes plus a replay of unchanged ones)."""
    torch = pytest.importorskip("torch")
    if device == "cuda" and not torch.cuda.is_available():
        pytest.skip("needs a CUDA GPU")
    cfg = TrainConfig(**{**CFG.to_dict(), "device": device})
    before = _notes(240, seed=0, burst_every=10**9)
    old_vocab = Vocab.build(before, 1)
    _, ids, owner = _encode(before, old_vocab)
    first = cbow.train(ids, owner, old_vocab, cfg)
    notes = before + _notes(6, seed=1, burst_every=2)  # three new notes with a burst
    vocab = Vocab.build(notes, 1)
    docs, _, _ = _encode(notes, vocab)
    rows = update.old_rows(old_vocab.words, vocab)
    syn0, syn1neg, new = update.carry_over(first.syn0, first.syn1neg, rows, seed=2)
    previous = Previous(meta={"generation": 1, "device": device})
    plan = update.UpdatePlan(previous, list(range(240, 246)), (syn0, syn1neg), new, 1, rows,
                             update.SinceFull(int(ids.size), {}, {}))
    _assert_healthy(update.train_update(plan, docs, vocab, cfg, IncrementalConfig()), vocab)


@pytest.mark.parametrize("device", ["cpu", "cuda"])
def test_a_note_of_one_two_word_line_repeated_trains_finite_vectors(device: str) -> None:
    """A note of `bread compost` x 20,000 beside ordinary notes (a new user's test vault): every score of
    the two words saturates, where sigmoid' is ~0; damped by it, their summed updates were not, and every
    vector went to NaN within an epoch. Damped by the logistic loss's bound curvature, they stay bounded."""
    torch = pytest.importorskip("torch")
    if device == "cuda" and not torch.cuda.is_available():
        pytest.skip("needs a CUDA GPU")
    notes = [*_notes(10, seed=0, burst_every=10**9), ["bread", "compost"] * 20_000]
    vocab = Vocab.build(notes, 1)
    _, ids, owner = _encode(notes, vocab)
    cfg = TrainConfig(**{**CFG.to_dict(), "sample": 0.0, "epochs": 2, "device": device})
    wv = cbow.train(ids, owner, vocab, cfg)
    assert np.isfinite(wv.syn0).all() and np.isfinite(wv.syn1neg).all()
    assert np.linalg.norm(wv.syn0, axis=1).max() < 2 * MAX_INPUT_NORM
    assert np.linalg.norm(wv.syn1neg, axis=1).max() < 2 * MAX_OUTPUT_NORM

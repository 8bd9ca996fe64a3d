"""An incremental update of the word vectors: continue from the live generation instead of starting over.

Known words keep their rows of syn0 and syn1neg, new words start as in a fresh model (syn0 small uniform,
syn1neg zero), words no longer in the vocabulary are dropped; then a few epochs over the notes whose
training text changed, plus a random replay of unchanged notes, absorb the change (as gensim's
`build_vocab(update=True)` followed by `train` on the new sentences). When much of the vault changed,
`plan_update` says so and the caller retrains from scratch.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from notelink import cbow
from notelink.config import IncrementalConfig, NoteVectorConfig, TrainConfig
from notelink.generation import Mentions, Patch
from notelink.notevectors import unit_rows, word_graph
from notelink.store import IndexFormatError, load_array, open_generation
from notelink.vocab import Vocab

if TYPE_CHECKING:
    from notelink.records import NoteRecord


@dataclass
class UpdatePlan:
    """What an incremental update trains on and where it starts from."""

    changed: list[int]  # indices of the notes whose training text is not in the previous generation
    init: tuple[np.ndarray, np.ndarray]  # previous (syn0, syn1neg) [V, D], rows aligned to the new vocab
    new_words: int  # words of the new vocabulary that had no row before
    chain: int  # updates since the last full retrain, this one included
    base_generation: int
    device: str  # where the previous vectors were trained (reported when nothing needs training)
    old_rows: np.ndarray  # [V] each word's row in the previous generation, -1 for a new word


def changed_notes(records: Sequence[NoteRecord], previous: Mapping[str, NoteRecord]) -> list[int]:
    """Indices of records whose content and training text the previous generation did not have.

    Matching is by content hash or text, not path: a moved or renamed note is unchanged even when its
    title, taken from the file name, is not."""
    hashes = {r.sha256 for r in previous.values()}
    now = {r.sha256 for r in records}
    before = Counter(" ".join(r.tokens) for r in previous.values() if r.sha256 not in now)  # edited or gone
    changed = []
    for i, r in enumerate(records):
        if r.sha256 in hashes:
            continue
        key = " ".join(r.tokens)
        if before[key] > 0:  # new bytes, same training text (a whitespace edit, a renamed title)
            before[key] -= 1
        else:
            changed.append(i)
    return changed


def old_rows(old_words: Sequence[str], vocab: Vocab) -> np.ndarray:
    """[V] each word's row in `old_words`, or -1."""
    old = {w: i for i, w in enumerate(old_words)}
    return np.fromiter((old.get(w, -1) for w in vocab.words), dtype=np.int64, count=len(vocab))


def carry_over(old_words: Sequence[str], syn0: np.ndarray, syn1neg: np.ndarray, vocab: Vocab,
               seed: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Previous vectors re-aligned to `vocab`: (syn0 [V, D], syn1neg [V, D], number of new words)."""
    V, D = len(vocab), syn0.shape[1]
    src = old_rows(old_words, vocab)  # [V] old row or -1
    known = src >= 0
    rng = np.random.default_rng(seed)
    new0 = np.empty((V, D), dtype=np.float32)  # [V, D]
    new0[known] = syn0[src[known]]
    new0[~known] = (rng.random((int((~known).sum()), D), dtype=np.float32) - 0.5) / D  # as word2vec does
    new1 = np.zeros((V, D), dtype=np.float32)  # [V, D] output vectors start at zero
    new1[known] = syn1neg[src[known]]
    return new0, new1, int((~known).sum())


def _previous_vectors(gen: Path) -> tuple[list[str], np.ndarray, np.ndarray] | None:
    """The live generation's vocabulary and matrices, or None when they cannot be read."""
    try:
        db, _ = open_generation(gen)
        try:
            words = [w for (w,) in db.execute("SELECT word FROM vocab ORDER BY id")]
        finally:
            db.close()
        return words, np.asarray(load_array(gen, "syn0")), np.asarray(load_array(gen, "syn1neg"))
    except (OSError, ValueError, IndexFormatError):
        return None


def plan_update(gen: Path, records: Sequence[NoteRecord], previous: Mapping[str, NoteRecord],
                prev_meta: Mapping[str, Any], vocab: Vocab, train_cfg: TrainConfig,
                cfg: IncrementalConfig) -> UpdatePlan | None:
    """The update to run, or None when a full retrain is due: much of the text or vocabulary is new, the
    chain of updates is long, or the previous vectors cannot be used."""
    chain = int(prev_meta.get("update", {}).get("chain", 0)) + 1
    changed = changed_notes(records, previous)
    total = sum(r.n_tokens for r in records)
    if chain > cfg.max_chain or sum(records[i].n_tokens for i in changed) > cfg.full_fraction * total:
        return None
    prev = _previous_vectors(gen)
    if prev is None or prev[1].shape != (len(prev[0]), train_cfg.dim) or prev[2].shape != prev[1].shape:
        return None
    syn0, syn1neg, new = carry_over(*prev, vocab, train_cfg.seed + chain)
    if new > cfg.full_fraction * max(len(vocab), 1):
        return None
    return UpdatePlan(changed, (syn0, syn1neg), new, chain, int(prev_meta.get("generation", 0)),
                      str(prev_meta.get("device", "cpu")), old_rows(prev[0], vocab))


def previous_graph(gen: Path, plan: UpdatePlan) -> sp.csr_matrix | None:
    """The live generation's word neighbour graph K with ids of the new vocabulary (words no longer in it
    dropped), or None when that generation has none."""
    try:
        indptr, indices, data = (np.asarray(load_array(gen, f"graph_{part}"))
                                 for part in ("indptr", "indices", "data"))
    except (OSError, ValueError):
        return None
    V = plan.old_rows.size
    known = plan.old_rows >= 0
    new_id = np.full(indptr.size - 1, -1, dtype=np.int64)  # [V_old] row in the new vocabulary or -1
    new_id[plan.old_rows[known]] = np.flatnonzero(known)
    rows, cols = new_id[np.repeat(np.arange(indptr.size - 1), np.diff(indptr))], new_id[indices]
    gone = np.unique(rows[cols < 0])  # rows that lost a neighbour are searched again (left empty)
    ok = (rows >= 0) & (cols >= 0) & ~np.isin(rows, gone)
    return sp.csr_matrix((data[ok], (rows[ok], cols[ok])), shape=(V, V))


def _replay(docs: Sequence[np.ndarray], changed: set[int], budget: int, seed: int) -> list[int]:
    """Unchanged notes in random order until `budget` words are picked."""
    order = [i for i in range(len(docs)) if i not in changed]
    random.Random(seed).shuffle(order)
    picked, words = [], 0
    for i in order:
        if words >= budget:
            break
        picked.append(i)
        words += int(docs[i].size)
    return picked


def train_update(plan: UpdatePlan, docs: Sequence[np.ndarray], vocab: Vocab, train_cfg: TrainConfig,
                 cfg: IncrementalConfig, progress: Callable[[cbow.TrainProgress], None] | None = None,
                 should_stop: Callable[[], bool] | None = None) -> cbow.WordVectors:
    """Continues training from `plan.init` on the changed notes plus a replay sample.

    When no changed note has a word in the vocabulary (moves, deletions, emptied notes), the carried
    vectors are returned as they are: nothing is retrained."""
    if sum(int(docs[i].size) for i in plan.changed) < 2:
        return cbow.WordVectors(plan.init[0], plan.init[1], plan.device, 0, 0, 0.0)
    picked = plan.changed + _replay(docs, set(plan.changed), cfg.replay_tokens, train_cfg.seed + plan.chain)
    ids = np.concatenate([docs[i] for i in picked])  # [n] token ids
    owner = np.repeat(np.arange(len(picked), dtype=np.int64), [docs[i].size for i in picked])  # [n]
    step_cfg = replace(train_cfg, epochs=cfg.epochs, lr=cfg.lr, seed=train_cfg.seed + plan.chain)
    return cbow.train(ids, owner, vocab, step_cfg, progress, should_stop, init=plan.init)


def previous_mentions(gen: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The live generation's mentions (src, dst, count), or None when it has none."""
    try:
        return tuple(np.asarray(load_array(gen, f"mentions_{part}"))  # type: ignore[return-value]
                     for part in ("src", "dst", "count"))
    except (OSError, ValueError):
        return None


def same_paths(records: Sequence[NoteRecord], previous: Mapping[str, NoteRecord]) -> bool:
    """The same notes in the same order: note ids carry over from the previous generation."""
    return list(previous) == [r.path for r in records]


def renamed_notes(records: Sequence[NoteRecord], previous: Mapping[str, NoteRecord]) -> list[int]:
    """Ids of the notes with a new title, new aliases or a new language (links to and mentions of them may
    change: names are tokenized, and shared names resolved, in their note's language)."""
    return [i for i, r in enumerate(records) if (previous[r.path].title, previous[r.path].aliases,
                                                 previous[r.path].lang) != (r.title, r.aliases, r.lang)]


def patch_for(gen: Path | None, records: Sequence[NoteRecord], previous: Mapping[str, NoteRecord]
              ) -> Patch | None:
    """The previous generation to copy, the notes whose rows to write again and whether any was renamed
    (new title or aliases: links are resolved again), when the notes are the same; else None (everything
    is written)."""
    if gen is None or not same_paths(records, previous):
        return None
    changed = [i for i, r in enumerate(records) if previous[r.path] is not r]
    return gen, changed, bool(renamed_notes(records, previous))


def mentions_reuse(gen: Path | None, records: Sequence[NoteRecord], previous: Mapping[str, NoteRecord],
                   same_boilerplate: bool) -> tuple[Mentions, list[int], list[int]] | None:
    """The live generation's mentions, the notes whose text changed and the notes whose mentions by others
    are counted again, when the notes and the boilerplate are the same; else None (count everything again).

    The latter are the renamed notes (new title, aliases or language) and every note that shares a name,
    old or new, with one of them: a shared name's mentions are shared out among the notes it means, and
    which notes those are depends on all of their languages (`count_mentions`)."""
    if gen is None or not same_boilerplate or not same_paths(records, previous):
        return None
    old = previous_mentions(gen)
    if old is None:
        return None
    changed = [i for i, r in enumerate(records) if previous[r.path].sha256 != r.sha256]
    renamed = renamed_notes(records, previous)
    if renamed:
        renamed = sorted(set(renamed) | _sharing_a_name(records, previous, renamed))
    return old, changed, renamed


def _sharing_a_name(records: Sequence[NoteRecord], previous: Mapping[str, NoteRecord],
                    renamed: Sequence[int]) -> set[int]:
    """The other notes that have a renamed note's old or new title or alias (as tokens) as a name."""
    def names(r: NoteRecord) -> set[tuple[str, ...]]:  # as `title_phrases` has them (empty ones never match)
        return {phrase for n in r.names() if (phrase := tuple(n))}

    theirs = set().union(*(names(records[i]) | names(previous[records[i].path]) for i in renamed))
    return {i for i in set(range(len(records))) - set(renamed) if names(records[i]) & theirs}


def graph_for(syn1neg: np.ndarray, cfg: NoteVectorConfig, gen: Path | None, plan: UpdatePlan | None,
              moved_cosine: float) -> sp.csr_matrix:
    """The word neighbour graph K: after an update, the previous one with only moved words searched again."""
    u = unit_rows(syn1neg)  # [V, D]
    previous = previous_graph(gen, plan) if plan is not None and gen is not None else None
    if plan is None or previous is None:
        return word_graph(u, cfg)
    cos = np.einsum("ij,ij->i", u, unit_rows(plan.init[1]))  # [V] to the vector before the update
    return word_graph(u, cfg, previous, cos < moved_cosine)

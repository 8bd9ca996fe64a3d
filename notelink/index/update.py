"""An incremental update: continue from the previous generation instead of starting over.

Known words keep their rows of syn0 and syn1neg, new words start as in a fresh model (syn0 small uniform,
syn1neg zero), words no longer in the vocabulary are dropped; then a few epochs over the notes whose
training text changed, plus a random replay of unchanged notes, absorb the change (as gensim's
`build_vocab(update=True)` followed by `train` on the new sentences). When much of the vault changed,
`plan_update` says so and the build retrains from scratch.

The plan is what each later stage of the build receives as "the previous generation": training starts from
`plan.init`, the neighbour graph keeps the rows of words that did not move (`graph_for`), mentions are
recounted for edited notes only (`mentions_reuse`) and the writer patches a copy of the database
(`patch_for`).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp

from notelink.config import IncrementalConfig, NoteVectorConfig, TrainConfig
from notelink.index.generation import Mentions, Patch
from notelink.index.notevectors import word_graph, word_space
from notelink.index.previous import Previous
from notelink.model import cbow
from notelink.model.vocab import Vocab
from notelink.notes.records import NoteRecord


@dataclass
class UpdatePlan:
    """What an incremental update trains on, where it starts from, and the generation it builds on."""

    previous: Previous
    changed: list[int]  # indices of the notes whose training text is not in the previous generation
    init: tuple[np.ndarray, np.ndarray]  # previous (syn0, syn1neg) [V, D], rows aligned to the new vocab
    new_words: int  # words of the new vocabulary that had no row before
    chain: int  # updates since the last full retrain, this one included
    old_rows: np.ndarray  # [V] each word's row in the previous generation, -1 for a new word

    @property
    def base_generation(self) -> int:
        return int(self.previous.meta.get("generation", 0))

    @property
    def device(self) -> str:
        """Where the previous vectors were trained (reported when nothing needs training)."""
        return str(self.previous.meta.get("device", "cpu"))


def old_rows(old_words: Sequence[str], vocab: Vocab) -> np.ndarray:
    """[V] each word's row in `old_words`, or -1."""
    old = {w: i for i, w in enumerate(old_words)}
    return np.fromiter((old.get(w, -1) for w in vocab.words), dtype=np.int64, count=len(vocab))


def carry_over(syn0: np.ndarray, syn1neg: np.ndarray, src: np.ndarray,
               seed: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Previous vectors re-aligned to the new vocabulary: (syn0 [V, D], syn1neg [V, D], number of new
    words). `src`: [V] each new word's previous row, -1 for a new word (`old_rows`, which the plan keeps)."""
    V, D = len(src), syn0.shape[1]
    known = src >= 0
    rng = np.random.default_rng(seed)
    new0 = np.empty((V, D), dtype=np.float32)  # [V, D]
    new0[known] = syn0[src[known]]
    new0[~known] = (rng.random((int((~known).sum()), D), dtype=np.float32) * 2 - 1) / D  # as cbow.train
    new1 = np.zeros((V, D), dtype=np.float32)  # [V, D] output vectors start at zero
    new1[known] = syn1neg[src[known]]
    return new0, new1, int((~known).sum())


def plan_update(previous: Previous, records: Sequence[NoteRecord], vocab: Vocab, train_cfg: TrainConfig,
                cfg: IncrementalConfig) -> UpdatePlan | None:
    """The update to run, or None when a full retrain is due: no previous generation, much of the text or
    vocabulary is new, the chain of updates is long, or the previous vectors cannot be used."""
    if previous.gen is None:
        return None
    chain = int(previous.meta.get("update", {}).get("chain", 0)) + 1
    changed = previous.retrained(records)
    total = sum(r.n_tokens for r in records)
    if chain > cfg.max_chain or sum(records[i].n_tokens for i in changed) > cfg.full_fraction * total:
        return None
    prev = previous.vectors()
    if prev is None or prev[1].shape != (len(prev[0]), train_cfg.dim) or prev[2].shape != prev[1].shape:
        return None
    if not (np.isfinite(prev[1]).all() and np.isfinite(prev[2]).all()):  # (a training that diverged)
        return None
    rows = old_rows(prev[0], vocab)
    syn0, syn1neg, new = carry_over(prev[1], prev[2], rows, train_cfg.seed + chain)
    if new > cfg.full_fraction * max(len(vocab), 1):
        return None
    return UpdatePlan(previous, changed, (syn0, syn1neg), new, chain, rows)


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


def previous_graph(plan: UpdatePlan) -> sp.csr_matrix | None:
    """The previous word neighbour graph K with ids of the new vocabulary (words no longer in it dropped),
    or None when that generation has none."""
    old = plan.previous.graph()
    if old is None:
        return None
    V = plan.old_rows.size
    known = plan.old_rows >= 0
    new_id = np.full(old.shape[0], -1, dtype=np.int64)  # [V_old] row in the new vocabulary or -1
    new_id[plan.old_rows[known]] = np.flatnonzero(known)
    rows, cols = new_id[np.repeat(np.arange(old.shape[0]), np.diff(old.indptr))], new_id[old.indices]
    gone = np.unique(rows[cols < 0])  # rows that lost a neighbour are searched again (left empty)
    ok = (rows >= 0) & (cols >= 0) & ~np.isin(rows, gone)
    return sp.csr_matrix((old.data[ok], (rows[ok], cols[ok])), shape=(V, V))


def graph_for(syn0: np.ndarray, cfg: NoteVectorConfig, plan: UpdatePlan | None,
              moved_cosine: float) -> sp.csr_matrix:
    """The word neighbour graph K: after an update, the previous one with only moved words searched again."""
    u = word_space(syn0)  # [V, D]
    previous = previous_graph(plan) if plan is not None else None
    if plan is None or previous is None:
        return word_graph(u, cfg)
    cos = np.einsum("ij,ij->i", u, word_space(plan.init[0]))  # [V] to the vector before the update
    return word_graph(u, cfg, previous, cos < moved_cosine)


def patch_for(plan: UpdatePlan | None, records: Sequence[NoteRecord]) -> Patch | None:
    """The previous generation to copy, the notes whose rows to write again and whether any was renamed
    (new title or aliases: links are resolved again), when the notes are the same; else None (everything
    is written)."""
    if plan is None or plan.previous.gen is None or not plan.previous.same_paths(records):
        return None
    old = plan.previous.records
    changed = [i for i, r in enumerate(records) if old[r.path] is not r]
    return plan.previous.gen, changed, bool(plan.previous.renamed(records))


def mentions_reuse(plan: UpdatePlan | None, records: Sequence[NoteRecord], same_boilerplate: bool,
                   which: str = "mentions") -> tuple[Mentions, list[int], list[int]] | None:
    """The previous mentions (`which`: "mentions" of names, or "named": of whole file names), the notes
    whose text changed and the notes whose mentions by others are counted again, when the notes and the
    boilerplate are the same; else None (count everything again).

    The latter are the renamed notes (new title, aliases or language) and every note that shares a name,
    old or new, with one of them: a shared name's mentions are shared out among the notes it means, and
    which notes those are depends on all of their languages (`count_mentions`)."""
    if plan is None or not same_boilerplate or not plan.previous.same_paths(records):
        return None
    old = plan.previous.mentions(which)
    if old is None:
        return None
    renamed = plan.previous.renamed(records)
    before = plan.previous.records
    if renamed:
        renamed = sorted(set(renamed) | _sharing_a_name(records, before, renamed))
    return old, plan.previous.edited(records), renamed


def _sharing_a_name(records: Sequence[NoteRecord], before: dict[str, NoteRecord],
                    renamed: Sequence[int]) -> set[int]:
    """The other notes that have a renamed note's old or new title or alias (as tokens) as a name."""
    def names(r: NoteRecord) -> set[tuple[str, ...]]:  # as `title_phrases` has them (empty ones never match)
        return {phrase for n in r.names() if (phrase := tuple(n))}

    theirs = set().union(*(names(records[i]) | names(before[records[i].path]) for i in renamed))
    return {i for i in set(range(len(records))) - set(renamed) if names(records[i]) & theirs}

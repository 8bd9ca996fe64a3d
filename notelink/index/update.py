"""An incremental update: continue from the previous generation instead of starting over.

Known words keep their rows of syn0 and syn1neg, new words start as in a fresh model (syn0 small uniform,
syn1neg zero), words no longer in the vocabulary are dropped; then a few epochs over the notes whose
training text changed, plus a random replay of unchanged notes, absorb the change (as gensim's
`build_vocab(update=True)` followed by `train` on the new sentences). When much of the vault changed, in
one update or in all of them since the last full retrain, `plan_update` says so and the build retrains
from scratch.

The plan is what each later stage of the build receives as "the previous generation": training starts from
`plan.init`, the neighbour graph keeps the rows of words that did not move (`graph_for`), mentions are
recounted only in the notes where they may have changed (`mentions_reuse`) and the writer patches a copy
of the database (`patch_for`); both follow the notes by path, so that adding, deleting or moving a note
costs about what an edit does.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from notelink.config import IncrementalConfig, NoteVectorConfig, TrainConfig
from notelink.index.generation import Mentions, Patch
from notelink.index.notevectors import Share, word_graph, word_space
from notelink.index.previous import Changes, Previous
from notelink.index.store import LAZY_META
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
    since_full: SinceFull  # totals since the last full retrain, this update's included

    @property
    def base_generation(self) -> int:
        return int(self.previous.meta.get("generation", 0))

    @property
    def device(self) -> str:
        """Where the previous vectors were trained (reported when nothing needs training)."""
        return str(self.previous.meta.get("device", "cpu"))


@dataclass(frozen=True)
class SinceFull:
    """Running totals since the last full retrain, kept in each update's meta (`update.since_full`): the
    training words of that retrain (`words`); the notes updates have retrained since, each with the words
    of its text as last retrained (`changed`), and the notes whose text that retrain trained on is gone,
    deleted or edited away, with its words (`removed`), both by path and the latest update included. So
    changes spread over several updates add up to a full retrain as one big change does (a user who
    deletes or rewrites a tenth of the vault in each of five saves otherwise never got one, while the
    vectors drifted from what a fresh training gives), and a note saved again and again counts once: 40
    updates of one note drifted nothing (related top-10 overlap with a fresh index 0.981, two fresh seeds
    0.979; RESULTS-watch.md, session 29)."""

    words: int
    changed: dict[str, int]
    removed: dict[str, int]

    @property
    def retrained(self) -> int:
        """Words of the notes retrained since the full retrain, each note's latest text once."""
        return sum(self.changed.values())

    @property
    def gone(self) -> int:
        """Words of the full retrain's texts gone since."""
        return sum(self.removed.values())

    @classmethod
    def of(cls, meta: dict[str, Any], trained: int) -> SinceFull:
        """The previous generation's totals; an index without them (a full retrain's, or older) counts from
        nothing, and from its own `trained` words."""
        kept = meta.get("update", {}).get("since_full") or {}
        paths = (meta.get(LAZY_META) or {}) if kept else {}  # (the notes only with the totals they add up to)
        words = int(kept.get("words", trained))
        return cls(words, _paths(paths.get("changed")), _paths(paths.get("removed")))

    def adding(self, previous: Previous, records: Sequence[NoteRecord], changes: Changes) -> SinceFull:
        """With an update of `previous`'s notes to `records`: the notes it retrains (a note retrained since
        and moved keeps its entry at its new path), and of the texts it takes away those the full retrain
        had (a note not retrained since; the later texts were the updates' own)."""
        removed = dict(self.removed)
        for r in changes.gone:
            if r.path not in self.changed:
                removed.setdefault(r.path, r.n_tokens)
        changed = _moved(self.changed, previous, records) if self.changed else {}
        changed.update((records[i].path, records[i].n_tokens) for i in changes.retrained)
        return replace(self, changed=changed, removed=removed)

    def too_much(self, total: int, chain: int, limit: float) -> str:
        """Why a full retrain is due, "" when not: more than `limit` of the vault's words (`total` now, or
        the full retrain's, the more) in notes retrained, or of the full retrain's gone, over `chain`
        updates."""
        of = max(total, self.words, 1)
        if self.retrained > limit * of:
            return f"{_SINCE}: {_share(self.retrained / of, limit, _CHANGED, chain)}"
        if self.gone > limit * max(self.words, 1):
            return f"{_SINCE}: {_share(self.gone / max(self.words, 1), limit, _GONE, chain)}"
        return ""

    def to_dict(self) -> dict[str, int]:
        """The totals, as the update's meta keeps them (`update.since_full`)."""
        return {"words": self.words, "retrained": self.retrained, "gone": self.gone}

    def paths(self) -> dict[str, dict[str, int]]:
        """The notes behind the totals, as the meta keeps them apart (`store.LAZY_META`: read by builds only,
        as many as the vault has at worst)."""
        return {"changed": self.changed, "removed": self.removed}


def _moved(changed: dict[str, int], previous: Previous, records: Sequence[NoteRecord]) -> dict[str, int]:
    """`changed`'s entries at the paths of `records`: a note no longer at its path, and at another with the
    same bytes, moved there (else it was deleted, or edited away: its entry goes)."""
    now = {r.path: r.sha256 for r in records}
    kept = {p: n for p, n in changed.items() if p in now}
    old = previous.records
    lost = {old[p].sha256: n for p, n in changed.items() if p not in now and p in old}
    if lost:
        kept |= {p: lost[sha] for p, sha in now.items() if sha in lost and p not in old}
    return kept


def _paths(kept: object) -> dict[str, int]:
    """A saved path -> words table; an index without one has none."""
    return {str(p): int(n) for p, n in kept.items()} if isinstance(kept, dict) else {}


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
                cfg: IncrementalConfig) -> UpdatePlan | str:
    """The update to run, or why a full retrain is due instead, in a few words ("" when there is no
    previous generation): it cannot be built on, much of the text or vocabulary is new (in this update, or
    in all of them since the last full retrain: `SinceFull`), the chain of updates is long, or the previous
    vectors cannot be used."""
    if previous.gen is None or previous.unusable:
        return previous.unusable
    chain = int(previous.meta.get("update", {}).get("chain", 0)) + 1
    if chain > cfg.max_chain:
        return f"{_updates(chain - 1)} in a row since the last full retrain (the most is {cfg.max_chain:,})"
    changes = previous.changes(records)
    since = _changed(previous, records, changes, chain, cfg)
    if isinstance(since, str):
        return since
    prev = previous.vectors()
    if (why := _unusable(prev, train_cfg.dim)) or prev is None:
        return why
    rows = old_rows(prev[0], vocab)
    syn0, syn1neg, new = carry_over(prev[1], prev[2], rows, train_cfg.seed + chain)
    if new > cfg.full_fraction * max(len(vocab), 1):
        return f"many new words: {_share(new / len(vocab), cfg.full_fraction, 'of the vocabulary')}"
    return UpdatePlan(previous, changes.retrained, (syn0, syn1neg), new, chain, rows, since)


def _changed(previous: Previous, records: Sequence[NoteRecord], changes: Changes, chain: int,
             cfg: IncrementalConfig) -> SinceFull | str:
    """The totals since the last full retrain with this update, or why a full retrain is due for the change
    (this update's alone, or all since)."""
    total = sum(r.n_tokens for r in records)
    trained = sum(r.n_tokens for r in previous.records.values())
    if (words := sum(records[i].n_tokens for i in changes.retrained)) > cfg.full_fraction * total:
        return f"much of the vault changed: {_share(words / total, cfg.full_fraction, 'of its words')}"
    if (gone := changes.removed) > cfg.full_fraction * trained:  # (a big note deleted)
        return f"much of the vault changed: {_share(gone / trained, cfg.full_fraction, _GONE)}"
    since = SinceFull.of(previous.meta, trained).adding(previous, records, changes)
    return since.too_much(total, chain, cfg.full_fraction) or since


def _unusable(prev: tuple[list[str], np.ndarray, np.ndarray] | None, dim: int) -> str:
    """Why the live word vectors cannot be updated (unreadable, damaged, diverged); "" when they can."""
    if prev is None:
        return "the live word vectors could not be read"
    if prev[1].shape != (len(prev[0]), dim) or prev[2].shape != prev[1].shape:
        return "the live word vectors are damaged (their shapes do not match the index)"
    if not (np.isfinite(prev[1]).all() and np.isfinite(prev[2]).all()):  # (a training that diverged)
        return "the live word vectors are not finite numbers (an earlier training diverged)"
    return ""


_GONE = "of the words it was trained on gone"
_SINCE = "much of the vault changed since the last full retrain"
_CHANGED = "of its words in notes new or changed"
FORCED = "asked for (--force)"
DIVERGED = "the update from the live word vectors diverged"


def why_full(previous: Previous, config: dict[str, Any], incremental: IncrementalConfig | None, force: bool,
             planned: UpdatePlan | str) -> str:
    """Why a build retrained from scratch, in a few words: a setting changed (`Previous.settings_changed`);
    an update was asked for (`incremental`) and given up: `--force`, `plan_update`'s reason, or its training
    diverged (`planned` a plan). "" for a first build, and when a build without `incremental` (`notelink
    index`, which always retrains) had no setting changed."""
    settings = previous.settings_changed(config)
    if settings or incremental is None:
        return settings
    if force:
        return FORCED
    return DIVERGED if isinstance(planned, UpdatePlan) else planned or previous.unusable


def _updates(n: int) -> str:
    return f"{n:,} update{'' if n == 1 else 's'}"


def _share(part: float, limit: float, of: str, updates: int = 1) -> str:
    """`part` as a percentage `of` something, beside the most an update takes ("40% of its words (an update
    takes up to 25%)"), or the `updates` since a full retrain ("30% of its words in notes new or changed
    over 3 updates (they take up to 25% between full retrains)"), to a tenth where whole percents would not
    tell them apart."""
    shown = f"{part:.0%}" if round(part * 100) > round(limit * 100) else f"{part:.1%}"
    if updates == 1:
        return f"{shown} {of} (an update takes up to {limit:.0%})"
    return f"{shown} {of} over {updates:,} updates (they take up to {limit:.0%} between full retrains)"


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
              moved_cosine: float, share: Share | None = None) -> sp.csr_matrix:
    """The word neighbour graph K: after an update, the previous one with only moved words searched again;
    `share`: progress."""
    u = word_space(syn0)  # [V, D]
    previous = previous_graph(plan) if plan is not None else None
    if plan is None or previous is None:
        return word_graph(u, cfg, share=share)
    cos = np.einsum("ij,ij->i", u, word_space(plan.init[0]))  # [V] to the vector before the update
    return word_graph(u, cfg, previous, cos < moved_cosine, share)


RENAMED_LOOKUP = 0.05
"""Above this share of the notes (and 100) added, gone or renamed (counted before and after), an update
counts every note's mentions again instead of looking up the notes that hold their names."""


def patch_for(plan: UpdatePlan | None, records: Sequence[NoteRecord]) -> Patch | None:
    """What to change in a copy of the previous generation's database (`Patch`): the rows of the notes
    gone or changed deleted, the others' ids renumbered by path (an added or deleted note shifts the ids
    after it), the changed and new notes' rows written, and every link resolved again when a note was
    added, gone or renamed (new title or aliases: a link may now reach another note). None without a
    previous generation to build on (everything is written)."""
    if plan is None or plan.previous.gen is None or not plan.previous.records:
        return None
    to_new = plan.previous.new_ids(records).tolist()
    before = plan.previous.records.values()
    kept = [(old, new) for old, (new, r) in enumerate(zip(to_new, before, strict=True))
            if new >= 0 and records[new] is r]  # rows that stay as they are, but for their id
    kept_old, kept_new = {old for old, _ in kept}, {new for _, new in kept}
    paths_changed = -1 in to_new or len(to_new) != len(records)
    return Patch(plan.previous.gen, [i for i in range(len(records)) if i not in kept_new],
                 [old for old in range(len(to_new)) if old not in kept_old],
                 [(old, new) for old, new in kept if old != new],
                 paths_changed or bool(plan.previous.renamed(records)))


def mentions_reuse(plan: UpdatePlan | None, records: Sequence[NoteRecord], same_boilerplate: bool,
                   lookup: Callable[[set[tuple[str, ...]]], set[int]], which: str = "mentions"
                   ) -> tuple[Mentions, list[int]] | None:
    """The previous mentions (`which`: "mentions" of names, or "named": of whole file names) with the
    ids of `records` (those of notes gone dropped), and the notes whose mentions are counted again; None
    (count everything again) without previous mentions or when the boilerplate changed (every note's
    text may have).

    Counted again: the notes whose bytes changed or that are new (added or moved), and those whose text
    may hold a name whose bearers changed: a name that an added, gone or renamed note (new title, aliases
    or language) has or had. `lookup(names)` finds them (`Encoded.notes_with`), not a count over every
    note. No other mention differs: a mention counts a name's occurrences in the unchanged text, shared
    among the name's bearers (in the mentioning note's language), and those are the same; with `longest`
    (file names) a longer name found at the same place is one of the names looked up too."""
    if plan is None or not same_boilerplate or not plan.previous.records:
        return None
    old = plan.previous.mentions(which)
    to_new = plan.previous.new_ids(records)
    if old is None or (old[0].size and int(max(old[0].max(), old[1].max())) >= to_new.size):
        return None
    src, dst = to_new[old[0]], to_new[old[1]]
    keep = (src >= 0) & (dst >= 0)
    renamed = _renamed(plan.previous, records)
    if len(renamed) > 100 + RENAMED_LOOKUP * len(records):  # (a folder of many notes moved: most notes
        # hold one of their names, and looking them up costs more than counting)
        return None
    names = {tuple(n) for r in renamed for n in _names(r, which)}
    found = lookup(names) if names else set()
    return (src[keep], dst[keep], old[2][keep]), sorted(found.union(plan.previous.edited(records)))


def _renamed(previous: Previous, records: Sequence[NoteRecord]) -> list[NoteRecord]:
    """The records whose names came or went: notes added, gone, and renamed ones (before and after)."""
    before = previous.records
    renamed = previous.renamed(records)
    return ([records[i] for i in renamed] + [before[records[i].path] for i in renamed]
            + [r for r in records if r.path not in before] + previous.gone(records))


def _names(r: NoteRecord, which: str) -> list[list[str]]:
    """A note's names as `which` mentions look for them: its names, or its whole file name."""
    return r.names() if which == "mentions" else [r.file_name()]

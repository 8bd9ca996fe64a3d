"""CBOW word2vec with negative sampling (Mikolov et al. 2013), closed-form updates in PyTorch.

This is the only module that imports torch, and only inside functions, so queries and the TUI start fast.

For each centre word w_t with context C_t (a window of width b ~ U{1..W} on each side, after subsampling,
never crossing a note boundary):
    h      = mean_{c in C_t} v_c                          (v: input vectors, syn0)
    f_k    = u_k . h        for k in {w_t} + K negatives  (u: output vectors, syn1neg)
    g_k    = lr * (label_k - sigmoid(f_k))                (label 1 for w_t, 0 for negatives)
    u_k   += g_k * h
    v_c   += sum_k g_k * u_k      for every c in C_t     (as word2vec.c and gensim's cbow_mean=1)

How it is made fast (see benchmarks/RESULTS-speed.md for the measurements):
- The corpus is cut into chunks at note boundaries. For a chunk, everything random (subsampling, window
  widths, negatives) and every index (flat context lists, batch-local offsets) is computed in bulk, so a
  batch step is a dozen torch ops on slices: no per-batch random numbers, no host syncs.
- h is an `embedding_bag(mode="mean")` over the flat context list, so the [B, 2W, D] gather never exists.
- G consecutive centre words (`neg_share`) share one draw of K negatives, so the output layer is a batch
  of small matrix products [G, D] x [D, K] and only B/G * K negative rows are gathered and updated
  (as in Ji et al. 2016, "Parallelizing Word2Vec in Shared and Distributed Memory"). G = 1 is word2vec.c.
- A batch of B centre words is updated at once, Hogwild-style: overlapping rows accumulate (index_add_).
  Summed updates of one word computed from the same stale vectors diverge when a word repeats often in a
  batch, so each row's update is scaled by min(1, cap / n_w), n_w the word's expected count in the batch.
- With `threads` > 1, that many workers train disjoint chunks and share the matrices (Hogwild, as
  word2vec.c and gensim); torch ops release the GIL, each worker runs single-threaded torch ops.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from notelink.config import TrainConfig
from notelink.vocab import Vocab

if TYPE_CHECKING:
    import torch


class Cancelled(Exception):
    """Training was asked to stop before it finished."""


class DeviceError(Exception):
    """The requested training device is not available."""


@dataclass(frozen=True)
class TrainProgress:
    epoch: int
    epochs: int
    words_done: int
    words_total: int
    words_per_second: float
    lr: float


@dataclass
class WordVectors:
    """Trained matrices: `syn0` [V, D] input (word) vectors, `syn1neg` [V, D] output vectors."""

    syn0: np.ndarray
    syn1neg: np.ndarray
    device: str
    epochs: int
    tokens: int
    seconds: float


def resolve_device(requested: str) -> str:
    """`auto` picks CUDA when torch sees a GPU, else the CPU; asking for CUDA without one is an error."""
    import torch

    if requested == "cuda" and not torch.cuda.is_available():
        raise DeviceError("--device cuda was asked for, but torch sees no CUDA GPU; use --device cpu")
    if requested == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return requested


@dataclass
class _Chunk:
    """One chunk of the corpus, subsampled, with every index and random number its batches need.

    n kept centre words, M = total context slots of the chunk."""

    n: int
    words: int  # raw (pre-subsampling) words the chunk stands for, for lr and progress
    ctx: torch.Tensor  # [M] context word ids, grouped by centre
    ctx_w: torch.Tensor  # [M] duplicate-update scale of each context word
    owner: torch.Tensor  # [M] batch-local index of each context slot's centre
    offsets: torch.Tensor  # [n] batch-local start of each centre's context in `ctx`
    bounds: list[int]  # [n_batches + 1] slot index where each batch starts in `ctx`
    centre: torch.Tensor  # [n] centre word ids
    centre_w: torch.Tensor  # [n] duplicate-update scale of each centre's output row
    neg: torch.Tensor  # [n_groups, K] negatives shared by each group of G consecutive centres
    neg_w: torch.Tensor  # [n_groups * G, K] minus the scale: 0 for a negative equal to the centre


class _Trainer:
    """Holds the matrices, the per-word tables and the seed of one training run."""

    def __init__(self, ids: np.ndarray, docs: np.ndarray, vocab: Vocab, cfg: TrainConfig,
                 device: str, init: tuple[np.ndarray, np.ndarray] | None = None, workers: int = 1) -> None:
        import torch

        self.torch, self.cfg, self.device = torch, cfg, torch.device(device)
        self.ids, self.docs = ids, docs  # [N] token ids and note index, kept on the host
        V, D = len(vocab), cfg.dim
        self.group = max(1, cfg.neg_share)
        self.batch = max(self.group, cfg.batch_for(V, self.device.type) // self.group * self.group)
        keep = vocab.keep_probs(cfg.sample)  # [V]
        noise = vocab.noise()  # [V]
        self.keep = torch.from_numpy(keep).to(self.device)
        self.noise_cdf = torch.from_numpy(np.cumsum(noise)).to(self.device)  # [V] float64
        scale_ctx, scale_out = self._dup_scales(vocab.counts, keep, noise, self.batch * workers)
        self.scale_ctx = torch.from_numpy(scale_ctx).to(self.device)  # [V]
        self.scale_out = torch.from_numpy(scale_out).to(self.device)  # [V]
        if init is None:
            cpu_gen = torch.Generator().manual_seed(cfg.seed)
            self.syn0 = ((torch.rand(V, D, generator=cpu_gen) - 0.5) / D).to(self.device)  # [V, D]
            self.syn1neg = torch.zeros(V, D, device=self.device)  # [V, D]
        else:  # continue from earlier vectors (incremental retraining), rows aligned with `vocab`
            self.syn0 = torch.tensor(init[0], dtype=torch.float32, device=self.device)  # [V, D]
            self.syn1neg = torch.tensor(init[1], dtype=torch.float32, device=self.device)  # [V, D]

    def _dup_scales(self, counts: np.ndarray, keep: np.ndarray, noise: np.ndarray,
                    batch: int) -> tuple[np.ndarray, np.ndarray]:
        """Per-word update scales min(1, cap / n_w): n_w the expected times word w is a context word,
        or an output row (centre or negative), in the `batch` centres updated concurrently (all
        workers' batches). 1 for all but the most frequent words."""
        cfg = self.cfg
        kept = counts * keep
        p = kept / max(kept.sum(), 1.0)  # [V] frequency after subsampling
        n_ctx = batch * p * (cfg.window + 1)  # mean context width is (W+1)/2 per side
        n_out = batch * (p + cfg.negative * noise)  # a shared negative also repeats G times
        cap = float(cfg.dup_cap)
        return ((np.minimum(1.0, cap / np.maximum(n_ctx, 1e-9))).astype(np.float32),
                (np.minimum(1.0, cap / np.maximum(n_out, 1e-9))).astype(np.float32))

    def chunk_ranges(self) -> list[tuple[int, int]]:
        """[start, end) token ranges of about `cfg.chunk` words, cut at a note boundary when the range
        holds one (looked up per chunk, so no corpus-sized temporaries)."""
        N, size, docs = int(self.ids.shape[0]), max(self.cfg.chunk_for(self.device.type), 1), self.docs
        out, a = [], 0
        while a < N:
            b = min(N, a + size)
            if b < N:
                new_note = np.flatnonzero(docs[a + 1:b + 1] != docs[a:b])  # a note starts at a + 1 + j
                b = a + 1 + int(new_note[-1]) if new_note.size else b
            out.append((a, b))
            a = b
        return out

    def make_chunk(self, a: int, b: int, seed: int) -> _Chunk:
        """Subsamples tokens a..b and lays out their windows, negatives and update scales in bulk."""
        torch, dev = self.torch, self.device
        gen = torch.Generator(device=dev).manual_seed(seed)
        ids = torch.from_numpy(np.ascontiguousarray(self.ids[a:b], dtype=np.int64)).to(dev)  # [m]
        docs = torch.from_numpy(np.ascontiguousarray(self.docs[a:b], dtype=np.int64)).to(dev)  # [m]
        kept = torch.rand(ids.shape[0], generator=gen, device=dev) < self.keep.index_select(0, ids)
        ids, docs = ids[kept], docs[kept]  # [n]
        n, B = int(ids.shape[0]), self.batch
        lo, hi = self._windows(docs, gen)  # [n], [n]
        count = hi - lo  # [n] context words of each centre (the centre itself excluded)
        ends = torch.cumsum(count, 0)  # [n]
        starts = ends - count  # [n] first slot of each centre's context
        M = int(ends[-1]) if n else 0
        t = torch.arange(n, device=dev)  # [n]
        # per slot: its window start relative to the slot number, the slot holding the centre, its owner
        per_slot = torch.stack([lo - starts, starts + t - lo, t % B], 1)  # [n, 3]
        per_slot = torch.repeat_interleave(per_slot, count, 0, output_size=M)  # [M, 3]
        slot = torch.arange(M, device=dev)  # [M]
        pos = slot + per_slot[:, 0] + (slot >= per_slot[:, 1])  # [M] chunk position, centre stepped over
        ctx = ids.index_select(0, pos)  # [M]
        batch_start = starts[::B]  # [n_batches] first slot of each batch
        bounds = [*batch_start.tolist(), M]
        offsets = starts - batch_start.repeat_interleave(B)[:n]  # [n] batch-local
        neg, neg_w = self._negatives(ids, gen)
        i32 = torch.int32
        return _Chunk(n, b - a, ctx.to(i32), self.scale_ctx.index_select(0, ctx), per_slot[:, 2].to(i32),
                      offsets.to(i32), bounds, ids.to(i32), self.scale_out.index_select(0, ids),
                      neg.to(i32), neg_w)

    def _windows(self, docs: torch.Tensor, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """Context bounds lo..hi (inclusive) per centre: width b ~ U{1..W}, clipped to the centre's note."""
        torch, dev, n = self.torch, self.device, docs.shape[0]
        note = torch.zeros(n, dtype=torch.int64, device=dev)  # [n] run number of each token's note
        note[1:] = torch.cumsum(docs[1:] != docs[:-1], 0)
        first = torch.searchsorted(note, note, right=False)  # [n] first position of the note
        last = torch.searchsorted(note, note, right=True) - 1  # [n] last position of the note
        b = torch.randint(1, self.cfg.window + 1, (n,), generator=gen, device=dev)  # [n]
        t = torch.arange(n, device=dev)
        return torch.maximum(t - b, first), torch.minimum(t + b, last)

    def _negatives(self, ids: torch.Tensor, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """K negatives from unigram^0.75 per group of G centres [n_groups, K], and their update scales
        [n_groups * G, K] (0 where a negative equals its centre, which is skipped as in word2vec.c)."""
        torch, dev, K, G = self.torch, self.device, self.cfg.negative, self.group
        n_groups = -(-ids.shape[0] // G)
        u = torch.rand(n_groups, K, generator=gen, device=dev, dtype=torch.float64)  # [n_groups, K]
        neg = torch.searchsorted(self.noise_cdf, u).clamp_(max=self.noise_cdf.shape[0] - 1)
        centre = torch.full((n_groups * G,), -1, dtype=ids.dtype, device=dev)
        centre[: ids.shape[0]] = ids  # [n_groups * G], padded with -1
        mine = neg.repeat_interleave(G, 0)  # [n_groups * G, K] each centre's negatives
        return neg, self.scale_out[mine].neg_().mul_(mine != centre[:, None])  # label 0 - sigmoid: -w

    def step(self, c: _Chunk, i: int, lr: float) -> None:
        """One closed-form CBOW update for batch i of chunk c; groups of G centres share negatives."""
        torch, D, G, K = self.torch, self.cfg.dim, self.group, self.cfg.negative
        s, e = i * self.batch, min((i + 1) * self.batch, c.n)
        a, b = c.bounds[i], c.bounds[i + 1]
        ctx = c.ctx[a:b]  # [M_b]
        h = torch.nn.functional.embedding_bag(ctx, self.syn0, c.offsets[s:e], mode="mean")  # [B, D]
        centre = c.centre[s:e]  # [B]
        u_c = self.syn1neg.index_select(0, centre)  # [B, D]
        g_c = torch.sigmoid((u_c * h).sum(1).neg_()).mul_(c.centre_w[s:e])  # [B] (1 - sigmoid(f_c)) * w
        s_g, e_g = s // G, -(-e // G)
        neg = c.neg[s_g:e_g].reshape(-1)  # [B/G * K]
        if e - s < (e_g - s_g) * G:  # a last, partial group: pad with zero contexts (no update)
            h = torch.cat([h, h.new_zeros((e_g - s_g) * G - (e - s), D)])
        H = h.view(-1, G, D)  # [B/G, G, D]
        U = self.syn1neg.index_select(0, neg).view(-1, K, D)  # [B/G, K, D]
        g_n = torch.sigmoid(torch.bmm(H, U.transpose(1, 2)))  # [B/G, G, K] sigmoid(f_k)
        g_n.mul_(c.neg_w[s_g * G:e_g * G].view(-1, G, K))  # (0 - sigmoid(f_k)) * w
        neu1e = torch.bmm(g_n, U).view(-1, D)[: e - s].addcmul_(g_c[:, None], u_c)  # [B, D] (/ lr)
        # the learning rate enters as index_add_'s alpha: g above is (label - sigmoid(f)) * w
        self.syn1neg.index_add_(0, centre, h[: e - s] * g_c[:, None], alpha=lr)
        self.syn1neg.index_add_(0, neg, torch.bmm(g_n.transpose(1, 2), H).view(-1, D), alpha=lr)
        self.syn0.index_add_(0, ctx, neu1e.index_select(0, c.owner[a:b]).mul_(c.ctx_w[a:b, None]), alpha=lr)

    def batches(self, c: _Chunk) -> int:
        return len(c.bounds) - 1


class _Schedule:
    """Words done so far (shared by the workers), the linear lr decay, progress and cancellation."""

    def __init__(self, cfg: TrainConfig, total: int, epochs: int,
                 progress: Callable[[TrainProgress], None] | None,
                 should_stop: Callable[[], bool] | None) -> None:
        self.cfg, self.total, self.epochs = cfg, total, epochs
        self.progress, self.should_stop = progress, should_stop
        self.done, self.epoch, self.t0, self.last = 0, 1, time.perf_counter(), 0.0
        self.stopped = False

    def lr(self) -> float:
        cfg = self.cfg
        return max(cfg.min_lr, cfg.lr - (cfg.lr - cfg.min_lr) * self.done / self.total)

    def advance(self, words: int) -> None:
        self.done = min(self.total, self.done + words)

    def poll(self, final: bool = False) -> None:
        """Called from the calling thread only: asks should_stop, reports progress at most 5x/s."""
        if self.should_stop is not None and self.should_stop():
            self.stopped = True
        now = time.perf_counter()
        if self.progress is not None and (final or now - self.last > 0.2):
            self.last = now
            wps = self.done / max(now - self.t0, 1e-9)
            self.progress(TrainProgress(self.epoch, self.epochs, self.done, self.total, wps, self.lr()))


def _work(tr: _Trainer, sched: _Schedule, jobs: list[tuple[int, int, int]], main: bool) -> None:
    """Trains the given (epoch, start, end) chunks in order; the calling thread also polls."""
    for epoch, a, b in jobs:
        if sched.stopped:
            return
        c = tr.make_chunk(a, b, seed=tr.cfg.seed * 1_000_003 + epoch * 7919 + a)
        per_word = c.words / max(c.n, 1)  # raw words one kept centre stands for
        for i in range(tr.batches(c)):
            if main:
                sched.epoch = epoch + 1
                sched.poll()
            if sched.stopped:
                return
            tr.step(c, i, sched.lr())
            n_b = min(tr.batch, c.n - i * tr.batch)
            sched.advance(math.ceil(n_b * per_word))
        if c.n == 0:
            sched.advance(c.words)


def train(ids: np.ndarray, docs: np.ndarray, vocab: Vocab, cfg: TrainConfig,
          progress: Callable[[TrainProgress], None] | None = None,
          should_stop: Callable[[], bool] | None = None,
          init: tuple[np.ndarray, np.ndarray] | None = None) -> WordVectors:
    """Trains CBOW on token `ids` [N] whose note index is `docs` [N]; returns the trained matrices.

    `init` = (syn0, syn1neg), each [V, dim] aligned with `vocab`, continues from earlier vectors instead of
    the standard initialisation (small uniform input vectors, zero output vectors)."""
    import torch

    device = resolve_device(cfg.device)
    epochs = cfg.epochs_for(int(ids.shape[0]))
    t0 = time.perf_counter()
    if len(vocab) == 0 or ids.shape[0] < 2:
        empty = np.zeros((len(vocab), cfg.dim), dtype=np.float32)
        return WordVectors(empty, empty.copy(), device, epochs, int(ids.shape[0]), 0.0)
    workers = max(1, cfg.threads or os.cpu_count() or 1) if device == "cpu" else 1
    torch.set_num_threads(1 if workers > 1 else max(1, cfg.threads or os.cpu_count() or 1))
    tr = _Trainer(ids, docs, vocab, cfg, device, init, workers)
    sched = _Schedule(cfg, epochs * int(ids.shape[0]), epochs, progress, should_stop)
    jobs = [(e, a, b) for e in range(epochs) for a, b in tr.chunk_ranges()]
    _run_workers(tr, sched, [jobs[w::workers] for w in range(workers)])
    if sched.stopped:
        raise Cancelled()
    if tr.device.type == "cuda":
        torch.cuda.synchronize()
    sched.done = sched.total
    sched.poll(final=True)
    seconds = time.perf_counter() - t0
    return WordVectors(tr.syn0.cpu().numpy(), tr.syn1neg.cpu().numpy(), device, epochs,
                       int(ids.shape[0]), seconds)


def _run_workers(tr: _Trainer, sched: _Schedule, shares: list[list[tuple[int, int, int]]]) -> None:
    """Worker 0 runs in the calling thread (it polls progress and cancellation); the rest in threads.
    An error in any worker stops the others and is raised here."""
    errors: list[BaseException] = []

    def guarded(share: list[tuple[int, int, int]]) -> None:
        try:
            _work(tr, sched, share, False)
        except BaseException as exc:
            errors.append(exc)
            sched.stopped = True

    threads = [threading.Thread(target=guarded, args=(share,), daemon=True) for share in shares[1:]]
    for t in threads:
        t.start()
    try:
        _work(tr, sched, shares[0], True)
        while any(t.is_alive() for t in threads):
            sched.poll()
            for t in threads:
                t.join(timeout=0.05)
    except BaseException:
        sched.stopped = True
        raise
    finally:
        for t in threads:
            t.join()
    if errors:
        raise errors[0]

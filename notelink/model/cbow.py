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
  widths, negatives from a word2vec.c unigram table) and every window bound is computed in bulk, so a
  batch step is a few dozen torch ops on slices: no per-batch random numbers, no host syncs.
- Window means as a weighted bag: h of a centre is the sum of the input vectors of its 2W + 1 nearest
  positions weighted 1 / context size inside its window (0 outside and at the centre), one bag per batch
  over the batch's rows gathered once in position order (read 2W + 1 times there, in cache); a weight row
  depends only on the centre's two clipped widths (a table).
- Input-vector updates by word, as a weighted bag too: the B centres of a batch are consecutive
  positions, so a position is in the windows of at most the 2W + 1 centres around it (which ones:
  `windows.position_windows`, a strided view of the centres' rows of a 0/1 table), and a word's gradient
  is the sum of neu1e over the (position of the word, centre whose window holds it) pairs: one bag per
  word, its positions found by one sort of the batch's words (`bags.by_value`: on the CPU numpy's radix
  sort and grouping, fewer calls than torch's; on a GPU with shapes fixed by the batch, not its words: no
  host sync), and each row written once (block products and scatters measured slower: RESULTS-speed.md).
  The indices and offsets of the neu1e, output-row and row-sum bags are 32-bit integers
  (`bags.Bags.centres` and `outputs`, `by_value` on the CPU): half the bytes to read.
- G centre words (`neg_share`) share one draw of K negatives, so the output layer is a batch of small
  matrix products [K, D] x [D, G] (each group's negatives against its h, 8% cheaper than [G, D] x [D, K];
  a centre's own word is a dot product, not a masked [G, G] block: ~5% of a step) and only B/G * (K + G)
  output rows are gathered (a bag of one row each: fbgemm's kernel prefetches the rows, where
  `index_select` waits for each) and updated (as in Ji et al. 2016, "Parallelizing Word2Vec in Shared and
  Distributed Memory"); neu1e = sum_k g_k u_k is a weighted bag of a centre's K + 1 gathered rows, in
  centre order for the words' bags, and an output row's update sum_i g_i h_i a bag of its group's h
  (`bags.Bags`), summed by row as the input rows are. The G centres of a group are B/G positions apart
  (`_grouped`): consecutive centres share context words, and sharing negatives too made each context word
  see G times the same negatives (noisier vectors: neighbour overlap between seeds on obsidian-help 0.16
  instead of 0.23-0.24).
- A batch of B centre words is updated at once from the same vectors: a row used n times in a batch sums
  n updates (`_apply`), where word2vec.c applies them one after another. Text is bursty (a line may
  repeat one phrase 190 times), and summed updates that agree overshoot: an input row blown up this way
  makes every h it is in large, then the output rows of common words (everyone's negatives) jump, and
  every vector follows. So each row's summed update is scaled to what sequential steps would add up to,
  from its number of aligned uses in the batch (`rowscale.RowScale`). (Caps sized from each word's average
  frequency missed the bursts: 4 of 18 runs with 2 workers, 14 of 18 with one collapsed on bench-dev
  grouped into notes.) Output rows are scaled the same way, a group's summed update of a row being one
  use: a common word is among a batch's negatives dozens of times, always pushed away from the batch's h,
  which share a direction. Unscaled, that overshoot made the vectors noisier (overlap@10 of nearest
  neighbours between seeds on obsidian-help 0.27 instead of 0.30; gensim 0.33-0.34).
- Input vectors start uniform in [-1/D, 1/D), as gensim 4 (word2vec.c: [-0.5/D, 0.5/D)); output vectors
  at 0, so the first updates of u (lr g h) are proportional to that scale: a larger start leaves the flat
  start sooner, which counts in the 5 epochs of a large vault (overlap@10 on obsidian-help 0.24 -> 0.27).
- With `threads` > 1, that many workers train disjoint chunks and share the matrices (Hogwild, as gensim),
  each with single-threaded torch ops: forked processes on Linux for large runs, else threads (`hogwild`).
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from notelink.config import TrainConfig
from notelink.errors import Cancelled, DeviceError, TrainingDiverged
from notelink.model import heap, hogwild, windows
from notelink.model.bags import Bags, bag_sum, by_value
from notelink.model.device import resolve_device, shared_memory, torch_loaded, warm_up
from notelink.model.hogwild import TrainProgress, WorkerError
from notelink.model.rowscale import RowScale, bound_curvature
from notelink.model.vocab import Vocab

if TYPE_CHECKING:
    import torch

__all__ = ["Cancelled", "DeviceError", "TrainProgress", "TrainingDiverged", "WordVectors", "WorkerError",
           "resolve_device", "torch_loaded", "train", "warm_up"]

_SKETCH = 16  # r: coordinates of neu1e that measure how aligned a row's summed updates are
_BLOCK = 16  # a batch's centres, and a chunk's padding, come in whole blocks of this many


@dataclass
class WordVectors:
    """Trained matrices: `syn0` [V, D] input (word) vectors, `syn1neg` [V, D] output vectors."""

    syn0: np.ndarray
    syn1neg: np.ndarray
    device: str
    epochs: int
    tokens: int
    seconds: float


@dataclass
class _Chunk:
    """One chunk of the corpus, subsampled, with every index and random number its batches need.

    n kept words; each is a centre word once, and a context word of its neighbours. Batch i holds the
    centres i*B .. (i+1)*B - 1 in blocks of k; block b's windows reach positions k*b - W .. k*b + k + W - 1,
    which are rows k*b .. k*b + k + 2W - 1 of the padded array `ctx` (W rows before position 0, padding
    after the last block; no window reaches the padding)."""

    n: int
    words: int  # raw (pre-subsampling) words the chunk stands for, for lr and progress
    centre: torch.Tensor  # [n] int64 word ids in corpus order (the centres)
    widths: torch.Tensor  # [2W + n_k + tail] int64 a*(W+1) + c of each centre's left and right widths,
    # after 2W zeros (no window) and before zeros: its row of `window_mean` and `window_in`
    ctx: torch.Tensor  # [n_k + tail] int64 word at each padded position (0 in the padding)
    out: torch.Tensor  # [n_groups, K + G] int64 output rows of each group of G centres: the K negatives
    # they share, then the G centres (word 0 for the padding centres of a last, partial batch)
    neg_w: torch.Tensor  # [n_groups, K + 1, G] 1 where centre j of a group uses its group's negative k,
    # 0 where the negative is its own word (skipped as in word2vec.c); row K (its own row) 1


class _Trainer:
    """Holds the matrices, the per-word tables and the seed of one training run."""

    def __init__(self, ids: np.ndarray, docs: np.ndarray, vocab: Vocab, cfg: TrainConfig,
                 device: str, init: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        import torch

        self.torch, self.cfg, self.device = torch, cfg, torch.device(device)
        self.ids, self.docs = ids, docs  # [N] token ids and note index, kept on the host
        V, D = len(vocab), cfg.dim
        self.group = max(1, cfg.neg_share)
        step = math.lcm(self.group, _BLOCK)  # a batch is whole groups and whole blocks
        self.batch = max(step, cfg.batch_for(V, self.device.type) // step * step)
        self.keep = torch.from_numpy(vocab.keep_probs(cfg.sample)).to(self.device)  # [V]
        self.window_mean = windows.window_table(torch, cfg.window).to(self.device)  # [(W+1)^2, 2W + 1]
        self.window_in = windows.inside_table(torch, cfg.window).to(self.device)  # [(W+1)^2, 2W + 1] 0/1
        self.tail = -(-2 * cfg.window // _BLOCK) * _BLOCK  # 2W positions after the blocks, whole blocks
        self.label = torch.cat([torch.zeros(cfg.negative), torch.ones(1)]).to(self.device)[:, None]  # [K+1,1]
        self.bags = Bags(torch, self.device)  # the index layouts of a step's weighted bags, by shape
        self.noise_table = torch.from_numpy(vocab.noise_table()).to(self.device)  # [T] int32 word ids
        self.r = min(_SKETCH, D)  # coordinates of the sketch (`rowscale`)
        self.rowscale = RowScale(torch, self.r, self.device)
        self.spread = torch.arange(2 * cfg.window + 1, dtype=torch.int32, device=self.device)  # [2W + 1]
        # a position's centres, 32-bit as `by_value`'s order on the CPU (int64 with its int64 order off it)
        self.span = torch.tensor(2 * cfg.window + 1, dtype=torch.int32, device=self.device)  # 2W + 1
        self.half, self.near = (torch.tensor(x, device=self.device) for x in (0.5, 1e-3))  # (0-dim: a number
        # in an op is made a tensor each call, ~2.5 us) `bound_curvature`'s constants
        if init is None:
            cpu_gen = torch.Generator().manual_seed(cfg.seed)
            self.syn0 = ((torch.rand(V, D, generator=cpu_gen) * 2 - 1) / D).to(self.device)  # [V, D]
            self.syn1neg = torch.zeros(V, D, device=self.device)  # [V, D]
        else:  # continue from earlier vectors (incremental retraining), rows aligned with `vocab`
            self.syn0 = torch.tensor(init[0], dtype=torch.float32, device=self.device)  # [V, D]
            self.syn1neg = torch.tensor(init[1], dtype=torch.float32, device=self.device)  # [V, D]

    def chunk_ranges(self, parts: int = 1) -> list[tuple[int, int]]:
        """[start, end) token ranges of about `cfg.chunk` / `parts` words, cut at a note boundary when the
        range holds one (looked up per chunk, so no corpus-sized temporaries)."""
        N, docs = int(self.ids.shape[0]), self.docs
        size = max(self.cfg.chunk_for(self.device.type) // parts, 1)
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
        """Subsamples tokens a..b and lays out their windows and negatives in bulk (in inference mode,
        as `step`: the chunk's tensors are then sliced without autograd's view tracking)."""
        with self.torch.inference_mode():
            return self._make_chunk(a, b, seed)

    def _make_chunk(self, a: int, b: int, seed: int) -> _Chunk:
        torch, dev = self.torch, self.device
        gen = torch.Generator(device=dev).manual_seed(seed)
        ids = torch.from_numpy(np.ascontiguousarray(self.ids[a:b], dtype=np.int64)).to(dev)  # [m]
        docs = torch.from_numpy(np.ascontiguousarray(self.docs[a:b], dtype=np.int64)).to(dev)  # [m]
        kept = torch.rand(ids.shape[0], generator=gen, device=dev) < self.keep.index_select(0, ids)
        kept = kept.nonzero().squeeze(1)  # [n] positions kept
        ids, docs = ids.index_select(0, kept), docs.index_select(0, kept)  # subsampled before windowing
        n, W, k = int(ids.shape[0]), self.cfg.window, _BLOCK
        widths = self._widths(docs, gen)  # [n] a*(W+1) + c
        pad = -(-n // k) * k - n  # padding centres of the last block
        ctx = torch.cat([ids.new_zeros(W), ids, ids.new_zeros(pad + self.tail - W)])  # [n_k + tail]
        widths = torch.cat([ids.new_zeros(2 * W), widths, ids.new_zeros(pad + self.tail)])
        return _Chunk(n, b - a, ids, widths, ctx, *self._output_rows(ids, gen))

    def _widths(self, docs: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
        """Each centre's left and right context widths a and c, as a*(W+1) + c [n]: width b ~ U{1..W} on
        either side, clipped to the centre's note (the tokens of its note before and after it)."""
        torch, dev, n, W = self.torch, self.device, docs.shape[0], self.cfg.window
        note = torch.zeros(n, dtype=torch.int64, device=dev)  # [n] run number of each token's note
        note[1:] = torch.cumsum(docs[1:] != docs[:-1], 0)
        length = torch.bincount(note)  # [n_notes] kept tokens of each note in the chunk
        start = torch.cumsum(length, 0).sub_(length)  # [n_notes] first position of each note
        before = torch.arange(n, device=dev).sub_(start.index_select(0, note))  # [n]
        after = length.index_select(0, note).sub_(1).sub_(before)  # [n]
        b = torch.randint(1, W + 1, (n,), generator=gen, device=dev)  # [n]
        return torch.minimum(b, before).mul_(W + 1).add_(torch.minimum(b, after))

    def _output_rows(self, ids: torch.Tensor, gen: torch.Generator) -> tuple[torch.Tensor, ...]:
        """The centres of a batch in groups of G that share K negatives from unigram^0.75 (random slots of
        the noise table): group q of a batch of b centres holds its centres q, q + b/G, q + 2b/G, ... (far
        apart, so that the centres sharing negatives do not share context words too). Returns each group's
        output rows, the K negatives then the G centres [n_groups, K + G] (word 0 for a last, partial
        batch's padding centres: their h is 0), and which negatives each centre uses, then its own row
        [n_groups, K + 1, G] (not a negative equal to it, as in word2vec.c)."""
        torch, dev, K, G = self.torch, self.device, self.cfg.negative, self.group
        n, B = ids.shape[0], self.batch
        n_groups = n // B * B // G + -(-(n % B) // G)
        out = ids.new_zeros(n_groups, K + G)
        slot = torch.randint(self.noise_table.shape[0], (n_groups * K,), generator=gen, device=dev)
        out[:, :K] = self.noise_table.index_select(0, slot).view(n_groups, K)  # the negatives
        self._grouped(ids, out[:, K:])  # the centres
        use = torch.ones(n_groups, K + 1, G, device=dev)
        torch.ne(out[:, :K, None], out[:, None, K:], out=use[:, :K])  # (into floats: 1.4x faster than bools)
        return out, use

    def _grouped(self, x: torch.Tensor, out: torch.Tensor) -> None:
        """Writes per-centre values `x` [n] laid out by group into `out` [n_groups, G] (0 past the end):
        batch by batch, group q of a batch of b centres holds its centres q + j * ceil(b / G), j = 0..G-1."""
        B, G, n = self.batch, self.group, x.shape[0]
        full = n // B * B
        out[: full // G].view(n // B, B // G, G).copy_(x[:full].view(n // B, G, B // G).transpose(1, 2))
        if n > full:  # a last, partial batch
            bq = -(-(n - full) // G)
            last = x.new_zeros(G * bq)
            last[: n - full] = x[full:]
            out[full // G:] = last.view(G, bq).t()

    def step(self, c: _Chunk, i: int, lr: float) -> None:
        """`_step` in torch's inference mode: the ~60 small ops of a step skip autograd's bookkeeping
        (version counters, view tracking), 8-10% of a step's CPU time (benchmarks/step_cost.py)."""
        with self.torch.inference_mode():
            self._step(c, i, lr)

    def _step(self, c: _Chunk, i: int, lr: float) -> None:
        """One closed-form CBOW update for batch i of chunk c: the window means are a weighted bag of the
        input vectors around each centre (`window_mean`); the input-vector update of a word sums the neu1e
        of the centres whose windows hold one of its positions, and an output row's the updates of its uses
        (`_apply`: one bag per row, so each row is written once, scaled as `rowscale` says). A [B, D]
        temporary is freed once used and an update applied as soon as it is made, so the next one reuses a
        block still in cache (~3% of a step; the same vectors: neither update reads the other's matrix)."""
        torch, W, k, V = self.torch, self.cfg.window, _BLOCK, self.syn0.shape[0]
        s, e = i * self.batch, min((i + 1) * self.batch, c.n)
        nb = -(-(e - s) // k)  # blocks in the batch
        ctx = c.ctx[s:s + nb * k + 2 * W]  # [P = nb * k + 2W] words at the padded positions
        mean = self.window_mean.index_select(0, c.widths[s + 2 * W:s + 2 * W + nb * k])  # [nb * k, 2W + 1]
        X = bag_sum(torch, ctx, self.syn0, self.bags.singles(ctx.shape[0]))  # [P, D] their rows (a gather)
        near, starts = self.bags.local_windows(nb * k, 2 * W + 1)  # centre t's window: rows t..t + 2W of X
        h = bag_sum(torch, near, X, starts, mean.view(-1))  # [nb * k, D] context means
        del X, mean
        neu1e, curv, out, g, curv_u, h = self._output_layer(c, s, e, h)  # [2W + n_x, D], [2W + n_x]
        P = nb * k + self.tail  # positions in whole blocks: the nb * k + 2W of the batch, then 0 updates
        M = windows.position_windows(self.window_in, c.widths[s:s + P + 2 * W], W)  # [P, 2W + 1]
        order, words, first = by_value(torch, c.ctx[s:s + P], V)  # the padded positions by word
        pairs = order[:, None] + self.spread  # [P, 2W + 1] rows of neu1e: the centres around each position
        inside = M.index_select(0, order).view(-1)  # [P * (2W + 1)] 1 where centre t's window holds q
        self._apply(self.syn0, words, pairs.view(-1), first.mul_(self.span), inside, neu1e, curv,
                    lr)  # a word's: sum over its positions q and the centres t holding q of neu1e_t
        del neu1e, pairs, inside, M
        du = self._output_updates(g, h)  # [B/G * (K + G), D] as `out`
        del h
        order, words, first = by_value(torch, out, V)
        self._apply(self.syn1neg, words, order, first, None, du, curv_u, lr)  # a row's: sum of its groups' du

    def _apply(self, target: torch.Tensor, words: torch.Tensor, index: torch.Tensor, first: torch.Tensor,
               weight: torch.Tensor | None, x: torch.Tensor, curv: torch.Tensor, lr: float) -> None:
        """target[words[u]] += lr scale_u sum of the uses of row u, for the distinct rows `words` [U] of
        `target` that the batch uses: a bag of the rows of `x` [R, D] (updates / lr of the uses, of
        curvatures `curv` [R]) per row, `index` from `first` [U] on, weighted by `weight` (0/1, or None);
        scale_u from the same bag of each use's |s|^2 and |s|^2 c (`rowscale.RowScale`). One bag and one
        index_add_ of distinct rows: no scatter of repeated rows, which sorts and sums them again."""
        update = bag_sum(self.torch, index, x, first, weight)  # [U, D] sum of a row's uses
        use = self.rowscale.use(x, curv)  # [R, 2] |s|^2, |s|^2 c
        summed = bag_sum(self.torch, index, use, first, weight)  # [U, 2]
        target.index_add_(0, words, update.mul_(self.rowscale.scale(summed, update, lr)[:, None]))

    def _output_layer(self, c: _Chunk, s: int, e: int, h: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """The output layer of centres s..e (mean contexts `h` [n_k, D], n_k >= e - s: whole blocks): per
        group, one [K, D] x [D, G] product scores its negatives against its centres, and each centre's own
        row is a dot product (row K); a negative equal to a centre's word gets 0 (`_Chunk.neg_w`). Returns,
        per centre in order after 2W zero rows (zeros past e - s, as `_step`'s pairs read them) [2W + n_x,
        ...]: neu1e / lr, the gradient of h (a weighted bag of its output rows), and c = sum_k lambda(f_k)
        (|u_k|^2 + |h|^2) its curvature (the update moves h and the u_k); and the output rows `out`
        [B/G * (K + G)] (`_Chunk.out`, group by group), g and h from which `_output_updates` makes their
        updates / lr (sum_i g_i h_i over a group's centres i), and the curvature of each, which `rowscale`
        needs: a group's update of a row is one use, of curvature sum_i lambda(f_i) |h_i|^2. lambda(f) =
        tanh(f/2) / (2f) (1/4 at f = 0) is the curvature of the tightest quadratic bound of the logistic loss
        that touches it at f (Jaakkola and Jordan 2000): sigmoid'(f) near 0, but falling as 1 / (2|f|) where
        sigmoid'(f) falls as e^-|f|. With sigmoid'(f), a burst of uses whose scores had saturated on the wrong
        side looked flat and was not damped (a note of one 2-word line repeated 20,000 times diverged to NaN).
        Scores and gradients are laid out [B/G, K + 1, G] (group, output row, centre): the product's layout,
        and `_output_updates`' weights as they are."""
        torch, D, G, K = self.torch, self.cfg.dim, self.group, self.cfg.negative
        bq, n_k, s_g = -(-(e - s) // G), h.shape[0], s // G  # groups, centres in its blocks, first group
        if n_k < bq * G:  # a last group's padding past the last block
            h = torch.cat([h, h.new_zeros(bq * G - n_k, D)])
        h = h[: bq * G]  # [G * B/G, D] in centre order
        H = h.view(G, bq, D).transpose(0, 1)  # [B/G, G, D] group q: centres q, q + B/G, ...
        out = c.out[s_g:s_g + bq].view(-1)  # [B/G * (K + G)] group by group: its negatives, then its centres
        U = bag_sum(torch, out, self.syn1neg, self.bags.singles(out.shape[0])).view(bq, K + G, D)  # a gather
        hh = torch.linalg.vector_norm(h, dim=1).square_().view(G, bq).t()[:, None]  # [B/G, 1, G] |h|^2
        uu = torch.linalg.vector_norm(U, dim=2).square_()  # [B/G, K + G] |u|^2
        f_o = torch.linalg.vecdot(H, U[:, K:])[:, None]  # [B/G, 1, G] own rows
        score = torch.cat([torch.bmm(U[:, :K], H.mT), f_o], 1)  # [B/G, K + 1, G] f
        use = c.neg_w[s_g:s_g + bq]  # [B/G, K + 1, G] 0 where a centre skips a negative: g = d = 0 there
        f = score.sigmoid()  # sigmoid(f), and lambda(f) (`rowscale.bound_curvature`)
        d = bound_curvature(score, f, self.half, self.near).mul_(use)
        g = torch.addcmul(self.label, f, use, value=-1)  # label - sigmoid(f), where used
        dh = d * hh  # [B/G, K + 1, G] lambda |h|^2: the curvature of each output row's use by a centre
        curv = torch.baddbmm(dh.sum(1, keepdim=True), uu[:, None, :K], d[:, :K]).addcmul_(
            d[:, K:], uu[:, None, K:])  # [B/G, 1, G] c of each centre: sum_k lambda_k (|h|^2 + |u_k|^2)
        curv_u = torch.cat([dh[:, :K].sum(2), dh[:, K]], 1).view(-1)  # [B/G * (K + G)] as `out`
        bag, offsets, weight, c_rows = self._centre_rows(bq, n_k, g, curv)
        neu1e = bag_sum(torch, bag, U.view(-1, D), offsets, weight)
        return neu1e, c_rows, out, g, curv_u, h

    def _output_updates(self, g: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        """The updates / lr of a batch's output rows as `_Chunk.out` lays them out [B/G * (K + G), D], from
        `g` [B/G, K + 1, G] and `h` [G * B/G, D] in centre order: a negative's, sum_i g_i h_i over its
        group's G centres, a centre's own row's, g h: one weighted bag of the rows of h (bags of G, then G
        bags of 1 per group; the same index for every whole batch) whose weights are g as it is laid out,
        cheaper than a [K, G] x [G, D] product per group."""
        bq, K1, G = g.shape
        bags = self.bags.outputs(bq, G, K1 - 1)
        return bag_sum(self.torch, bags[0], h, bags[1], g.view(-1))

    def _centre_rows(self, bq: int, n_k: int, g: torch.Tensor,
                     curv: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """A batch's centres in order after 2W empty rows, and empty rows past them (`_step`'s pairs read
        n_k + tail): per row the bag of the rows of U its neu1e sums, its group's K negatives then its own
        row [rows * (K + 1)] and their offsets [rows], their weights g (0 in the empty rows) and its
        curvature [rows], from `g` [B/G, K + 1, G] and `curv` [B/G, 1, G] by group."""
        G, K, W = self.group, self.cfg.negative, self.cfg.window
        rows = 2 * W + max(n_k + self.tail, bq * G)
        bag = self.bags.centres(bq, G, K, W, rows)
        weight, c_rows = g.new_zeros(rows, K + 1), g.new_zeros(rows)
        weight[2 * W:2 * W + bq * G].view(G, bq, K + 1).copy_(g.permute(2, 0, 1))
        c_rows[2 * W:2 * W + bq * G].view(G, bq).copy_(curv[:, 0].t())
        return *bag, weight.view(-1), c_rows

    def batches(self, c: _Chunk) -> int:
        return -(-c.n // self.batch)


def train(ids: np.ndarray, docs: np.ndarray, vocab: Vocab, cfg: TrainConfig,
          progress: Callable[[TrainProgress], None] | None = None,
          should_stop: Callable[[], bool] | None = None,
          init: tuple[np.ndarray, np.ndarray] | None = None, epoch_words: int | None = None) -> WordVectors:
    """Trains CBOW on token `ids` [N] whose note index is `docs` [N]; returns the trained matrices.

    `init` = (syn0, syn1neg), each [V, dim] aligned with `vocab`, continues from earlier vectors instead of
    the standard initialisation (input vectors uniform in [-1/D, 1/D), output vectors zero). `epoch_words`:
    the corpus size automatic epochs are chosen for (`TrainConfig.epochs_for`; default N). Raises
    `Cancelled` when `should_stop` returned True, `WorkerError` when a worker process failed."""
    import torch

    device = resolve_device(cfg.device)
    epochs = cfg.epochs_for(int(ids.shape[0]) if epoch_words is None else epoch_words)
    t0 = time.perf_counter()
    if len(vocab) == 0 or ids.shape[0] < 2:
        empty = np.zeros((len(vocab), cfg.dim), dtype=np.float32)
        return WordVectors(empty, empty.copy(), device, epochs, int(ids.shape[0]), 0.0)
    workers = max(1, cfg.threads or os.cpu_count() or 1) if device == "cpu" else 1
    torch.set_num_threads(1 if workers > 1 else max(1, cfg.threads or os.cpu_count() or 1))
    with heap.kept_freed():  # a chunk's freed tensors reused, not faulted in again; trimmed once done
        syn0, syn1neg = _run(_Trainer(ids, docs, vocab, cfg, device, init), epochs, workers, progress,
                             should_stop)
    if not (np.isfinite(syn0).all() and np.isfinite(syn1neg).all()):
        raise TrainingDiverged(f"training diverged: the word vectors are not finite numbers, so the index "
                               f"was left as it was; try a lower learning rate (--lr, now {cfg.lr}), and "
                               "please report it with a description of the notes")
    return WordVectors(syn0, syn1neg, device, epochs, int(ids.shape[0]), time.perf_counter() - t0)


def _run(tr: _Trainer, epochs: int, workers: int, progress: Callable[[TrainProgress], None] | None,
         should_stop: Callable[[], bool] | None) -> tuple[np.ndarray, np.ndarray]:
    """`epochs` run by `workers` Hogwild workers: (syn0, syn1neg) as numpy arrays. The last epoch in quarter
    chunks when workers share the jobs (at the end, a worker then waits at most a quarter chunk)."""
    total = epochs * int(tr.ids.shape[0])
    whole, last = tr.chunk_ranges(), tr.chunk_ranges(4 if workers > 1 else 1)
    jobs = [(e, a, b) for e in range(epochs) for a, b in (last if e == epochs - 1 else whole)]
    sched = hogwild.Schedule(tr.cfg, total, epochs, jobs, workers, progress, should_stop)
    processes = hogwild.use_processes(workers, total)
    if processes:  # forked workers update these same pages
        tr.syn0, tr.syn1neg = shared_memory(tr.syn0), shared_memory(tr.syn1neg)
    hogwild.run(tr, sched, workers, processes)
    if sched.stopped:
        raise Cancelled()
    if tr.device.type == "cuda":
        tr.torch.cuda.synchronize()
    sched.finish()
    sched.poll(final=True)
    return tr.syn0.cpu().numpy(), tr.syn1neg.cpu().numpy()

"""CBOW word2vec with negative sampling (Mikolov et al. 2013), closed-form updates in PyTorch.

This is the only module that imports torch, and only inside functions, so queries and the TUI start fast.

For each centre word w_t with context C_t (a window of width b ~ U{1..W} on each side, after subsampling):
    h      = mean_{c in C_t} v_c                          (v: input vectors, syn0)
    f_k    = u_k . h        for k in {w_t} + K negatives  (u: output vectors, syn1neg)
    g_k    = lr * (label_k - sigmoid(f_k))                (label 1 for w_t, 0 for negatives)
    u_k   += g_k * h
    v_c   += sum_k g_k * u_k      for every c in C_t     (as word2vec.c and gensim's cbow_mean=1)
A batch of centre words is updated at once; overlapping rows accumulate (index_add_), Hogwild-style.
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


class _Trainer:
    """Holds the matrices and the random state of one training run."""

    def __init__(self, ids: np.ndarray, docs: np.ndarray, vocab: Vocab, cfg: TrainConfig,
                 device: str, init: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        import torch

        self.torch = torch
        self.cfg, self.device = cfg, torch.device(device)
        self.gen = torch.Generator(device=self.device).manual_seed(cfg.seed)
        self.ids = torch.from_numpy(ids).to(self.device)  # [N] token ids
        self.docs = torch.from_numpy(docs).to(self.device)  # [N] note index of each token
        self.keep = torch.from_numpy(vocab.keep_probs(cfg.sample)).to(self.device)  # [V]
        self.noise_cdf = torch.from_numpy(np.cumsum(vocab.noise())).to(self.device)  # [V] float64
        V, D = len(vocab), cfg.dim
        cpu_gen = torch.Generator().manual_seed(cfg.seed)
        if init is None:
            self.syn0 = ((torch.rand(V, D, generator=cpu_gen) - 0.5) / D).to(self.device)  # [V, D]
            self.syn1neg = torch.zeros(V, D, device=self.device)  # [V, D]
        else:  # continue from earlier vectors (incremental retraining), rows aligned with `vocab`
            self.syn0 = torch.tensor(init[0], dtype=torch.float32, device=self.device)  # [V, D]
            self.syn1neg = torch.tensor(init[1], dtype=torch.float32, device=self.device)  # [V, D]
        W = cfg.window
        self.offsets = torch.tensor([o for o in range(-W, W + 1) if o != 0], device=self.device)  # [2W]

    def subsample(self) -> tuple[torch.Tensor, torch.Tensor]:
        """Drops frequent words with prob 1 - keep(w): (ids [n], docs [n])."""
        r = self.torch.rand(self.ids.shape[0], generator=self.gen, device=self.device)
        kept = r < self.keep[self.ids]
        return self.ids[kept], self.docs[kept]

    def negatives(self, n: int) -> torch.Tensor:
        """[n] word ids drawn from unigram^0.75."""
        u = self.torch.rand(n, generator=self.gen, device=self.device, dtype=self.torch.float64)
        return self.torch.searchsorted(self.noise_cdf, u).clamp_(max=self.noise_cdf.shape[0] - 1)

    def step(self, ids: torch.Tensor, docs: torch.Tensor, start: int, end: int, lr: float) -> None:
        """One closed-form CBOW update for centre positions start..end of the subsampled epoch."""
        torch, cfg = self.torch, self.cfg
        n, B, K = ids.shape[0], end - start, cfg.negative
        pos = torch.arange(start, end, device=self.device)  # [B]
        b = torch.randint(1, cfg.window + 1, (B,), generator=self.gen, device=self.device)  # [B]
        ctx_pos = pos[:, None] + self.offsets[None, :]  # [B, 2W]
        valid = (self.offsets.abs()[None, :] <= b[:, None]) & (ctx_pos >= 0) & (ctx_pos < n)
        ctx_pos = ctx_pos.clamp_(0, n - 1)
        valid &= docs[ctx_pos] == docs[pos][:, None]  # windows stay inside one note
        count = valid.sum(1)  # [B]
        ctx = ids[ctx_pos]  # [B, 2W]
        h = (self.syn0[ctx] * valid[..., None]).sum(1) / count.clamp(min=1)[:, None]  # [B, D]
        centre = ids[pos]  # [B]
        targets = torch.cat([centre[:, None], self.negatives(B * K).view(B, K)], 1)  # [B, 1+K]
        label = torch.zeros(B, 1 + K, device=self.device)
        label[:, 0] = 1.0
        u = self.syn1neg[targets]  # [B, 1+K, D]
        f = torch.bmm(u, h[:, :, None]).squeeze(2)  # [B, 1+K]
        g = (label - torch.sigmoid(f)) * lr  # [B, 1+K]
        g[:, 1:] *= targets[:, 1:] != centre[:, None]  # a negative equal to the centre is skipped
        g *= (count > 0)[:, None]  # no context, no update
        neu1e = torch.bmm(g[:, None, :], u).squeeze(1)  # [B, D]
        self.syn1neg.index_add_(0, targets.reshape(-1), (g[:, :, None] * h[:, None, :]).reshape(-1, cfg.dim))
        self.syn0.index_add_(0, ctx[valid], neu1e[:, None, :].expand(-1, ctx.shape[1], -1)[valid])


def train(ids: np.ndarray, docs: np.ndarray, vocab: Vocab, cfg: TrainConfig,
          progress: Callable[[TrainProgress], None] | None = None,
          should_stop: Callable[[], bool] | None = None,
          init: tuple[np.ndarray, np.ndarray] | None = None) -> WordVectors:
    """Trains CBOW on token `ids` [N] whose note index is `docs` [N]; returns the trained matrices.

    `init` = (syn0, syn1neg), each [V, dim] aligned with `vocab`, continues from earlier vectors instead of
    the standard initialisation (small uniform input vectors, zero output vectors)."""
    import torch

    device = resolve_device(cfg.device)
    torch.set_num_threads(cfg.threads or os.cpu_count() or 1)
    epochs = cfg.epochs_for(int(ids.shape[0]))
    t0 = time.perf_counter()
    if len(vocab) == 0 or ids.shape[0] < 2:
        empty = np.zeros((len(vocab), cfg.dim), dtype=np.float32)
        return WordVectors(empty, empty.copy(), device, epochs, int(ids.shape[0]), 0.0)
    tr = _Trainer(ids, docs, vocab, cfg, device, init)
    total = epochs * int(ids.shape[0])
    done, last_report = 0, 0.0
    batch = cfg.batch_for(len(vocab))
    for epoch in range(epochs):
        e_ids, e_docs = tr.subsample()
        n = int(e_ids.shape[0])
        scale = ids.shape[0] / max(n, 1)  # raw words represented by one kept word, for lr and progress
        for start in range(0, n, batch):
            if should_stop is not None and should_stop():
                raise Cancelled()
            end = min(start + batch, n)
            lr = max(cfg.min_lr, cfg.lr - (cfg.lr - cfg.min_lr) * done / total)
            tr.step(e_ids, e_docs, start, end, lr)
            done = min(total, done + math.ceil((end - start) * scale))
            now = time.perf_counter()
            if progress is not None and (now - last_report > 0.2 or done >= total):
                last_report = now
                progress(TrainProgress(epoch + 1, epochs, done, total, done / max(now - t0, 1e-9), lr))
    if tr.device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - t0
    return WordVectors(tr.syn0.cpu().numpy(), tr.syn1neg.cpu().numpy(), device, epochs,
                       int(ids.shape[0]), seconds)

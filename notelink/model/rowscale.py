"""How much of a row's summed update a batch step applies: the sum of n stale updates, scaled to what n
sequential SGD steps would add up to (`RowScale.scale`, used by `cbow._Trainer.step`).

A batch of B centre words is updated at once from the same vectors, so a row used n times in a batch sums
n updates where word2vec.c applies them one after another, each seeing the row already moved. When the n
updates are unrelated, the sum is what sequential steps do; when they agree (text is bursty: a line may
repeat one phrase 190 times), it overshoots. n sequential steps along one direction, each of relative size
a (lr x the curvature of one use), add up to (1 - (1 - a)^n) / a single steps: n while a ~ 0, at most
1 / a, a Newton step. The summed update is n steps however large a is. Scaling it by

    1 / (1 + (kappa - 1) a)

keeps both ends: exact for a single use (kappa = 1), and kappa / (1 + (kappa - 1) a) -> 1 / a for many
(for small a it damps twice as fast). kappa = |sum_t s_t|^2 / sum_t |s_t|^2 is the number of *aligned*
uses: n when the row's n updates agree (a burst), ~1 when they are unrelated, so frequent words are not
slowed down as a count-based cap would. s_t are the first r coordinates of use t's update, a sketch of it
(coordinates are exchangeable: random initialisation, symmetric updates; the D / r factor cancels in the
ratio); a = lr x the row's mean curvature of a use, weighted by |s_t|^2 (the uses that move the row most).

This module does not import torch: the trainer (`cbow`) does, lazily, and passes it in.
"""

from __future__ import annotations

import threading
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch


class RowScale:
    """Per-row scales of a batch's summed updates, for a matrix pair of `rows` rows each (input rows are
    words 0..V-1, output rows V..2V-1 of one scratch, so both are scaled in one call); `r` coordinates
    of each update are its sketch. Shared by worker threads: each has its own scratch. `torch` is the
    module, passed in by the trainer that imported it."""

    def __init__(self, torch: ModuleType, rows: int, r: int) -> None:
        self.torch, self.rows, self.r = torch, rows, r
        self._sums = threading.local()  # each worker thread's [rows, r + 2] scratch (`row_sums`)

    def use(self, x: torch.Tensor, curv: torch.Tensor, out: torch.Tensor | None = None) -> torch.Tensor:
        """What `scale` needs of each use of a row, update `x` [R, D] (/ lr) of curvature `curv` [R]:
        |s|^2, |s|^2 c and the sketch s (first r coordinates) [R, r + 2], written into `out` if given
        (rows of the buffer `scale` reads, so the step needs no concatenation)."""
        torch, sk = self.torch, x[:, : self.r]  # [R, r]
        out = x.new_empty(x.shape[0], self.r + 2) if out is None else out
        out[:, 2:] = sk  # then |s|^2 of the copy (over the strided rows of x: 2-3x the time in a step)
        torch.linalg.vector_norm(out[:, 2:], dim=1, keepdim=True, out=out[:, :1]).square_()  # |s|^2
        torch.mul(out[:, :1], curv[:, None], out=out[:, 1:2])  # |s|^2 c
        return out

    def scale(self, words: torch.Tensor, use: torch.Tensor, lr: float) -> torch.Tensor:
        """lr x the scale of each word's summed row update [R], for the words `words` [R] of a batch's
        rows; `use` [R, r + 2] holds, summed over the uses of each row (as a context word of centre t,
        or as an output row of group t): |s_t|^2, |s_t|^2 c_t and s_t, the sketch of its update (neu1e_t,
        or sum_i g_i h_i), c_t its curvature."""
        tot = self.row_sums(words, use)  # [R, r + 2] per word
        e2, e2c = tot[:, 0], tot[:, 1]  # [R] sum |s|^2, sum |s|^2 c
        excess = self.torch.linalg.vector_norm(tot[:, 2:], dim=1).square_().sub_(e2).clamp_(min=0.0)
        lam = excess.mul_(e2c).div_(e2.square().add_(1e-30))  # [R] (kappa - 1) x mean curvature
        return lam.add_(1.0 / lr).reciprocal_()  # lr / (1 + lr lam)

    def row_sums(self, index: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        """For each entry j of `index` [L], the sum of the rows of `x` [L, C] with the same index [L, C],
        through a [rows, C] scratch of this thread, left zeroed again."""
        scratch = getattr(self._sums, "rows", None)
        if scratch is None or scratch.shape[1] != x.shape[1]:
            scratch = self._sums.rows = x.new_zeros(self.rows, x.shape[1])
        out = scratch.index_add_(0, index, x).index_select(0, index)
        scratch.index_fill_(0, index, 0.0)
        return out

    def scratch_is_clear(self) -> bool:
        """Whether this thread's scratch is all zeros (or not made yet), as `row_sums` leaves it."""
        scratch = getattr(self._sums, "rows", None)
        return scratch is None or not bool(scratch.any())

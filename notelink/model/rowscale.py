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
The trainer sums a row's uses itself (a bag per row, `bags.by_value`), along with its update: sum_t s_t is
the first r coordinates of the summed update, so only |s_t|^2 and |s_t|^2 c_t are summed apart.

This module does not import torch: the trainer (`cbow`) does, lazily, and passes it in.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch


class RowScale:
    """Per-row scales of a batch's summed updates; `r` coordinates of each update are its sketch. `torch`
    is the module, passed in by the trainer that imported it. Holds no state: shared by worker threads."""

    def __init__(self, torch: ModuleType, r: int, device: torch.device) -> None:
        self.torch, self.r = torch, r
        self.ones = torch.ones(r, device=device)  # [r] sums a row's r squares (`squares`)
        self.tiny = torch.tensor(1e-30, device=device)  # keeps 0 / 0 at 0 (`scale`)
        self.one = torch.tensor(1.0, device=device)  # adds 1 / lr as a tensor: a number would be made one

    def use(self, x: torch.Tensor, curv: torch.Tensor) -> torch.Tensor:
        """What `scale` needs summed over each row's uses besides the update itself, for the uses `x`
        [R, D] (updates / lr) of curvatures `curv` [R]: |s|^2 and |s|^2 c of the sketch s (first r
        coordinates) [R, 2]."""
        e2 = self.squares(x)  # [R] |s|^2
        return self.torch.stack((e2, e2 * curv), 1)  # (fewer calls than writing two columns)

    def squares(self, x: torch.Tensor) -> torch.Tensor:
        """|s|^2 of the sketch s of each row of `x` [R, D] [R]: a matrix-vector product of the squares
        (a norm or a sum over 16 of every 100 columns costs ~1.5x as much)."""
        sketch = x[:, : self.r]
        return self.torch.mv(sketch * sketch, self.ones)

    def scale(self, summed: torch.Tensor, update: torch.Tensor, lr: float) -> torch.Tensor:
        """lr x the scale of each row's summed update [U], from `summed` [U, 2], the sums over each row's
        uses t (as a context word of centre t, or as an output row of group t) of `use`: |s_t|^2 and
        |s_t|^2 c_t, c_t its curvature; and the summed update itself [U, D] (/ lr), whose first r
        coordinates are sum_t s_t."""
        e2, e2c = summed.unbind(1)  # [U] sum |s|^2, sum |s|^2 c
        sketch = update[:, : self.r]
        excess = self.torch.addmv(e2, sketch * sketch, self.ones, beta=-1).clamp_(min=0.0)
        # |sum_t s_t|^2 - sum_t |s_t|^2, then (kappa - 1) x mean curvature [U]:
        lam = excess.mul_(e2c).div_(self.torch.addcmul(self.tiny, e2, e2))
        return lam.add_(self.one, alpha=1.0 / lr).reciprocal_()  # lr / (1 + lr lam)


def bound_curvature(f: torch.Tensor, sig: torch.Tensor, half: torch.Tensor | float = 0.5,
                    near: torch.Tensor | float = 1e-3) -> torch.Tensor:
    """lambda(f) = tanh(f/2) / (2f), the curvature of a use's loss (`cbow._Trainer._output_layer`), from
    sig = sigmoid(f), as (sig - 1/2) / f, and 1/4 (its limit; off by f^2 / 48) where |f| < 1e-3: there
    float32 cancels the difference (0 or 0.6 at |f| ~ 1e-7, the first steps' scores). 3x faster than
    torch's tanh on a step's [B/G, K + 1, G]. `half` and `near` are 1/2 and 1e-3, as 0-dim tensors in a
    step (no tensor made of a number per call)."""
    return (sig - half).div_(f).masked_fill_(f.abs() < near, 0.25)

"""The trainer's two window tables (`cbow._Trainer`): each centre's context mean as weights of its 2W + 1
nearest positions, and a block's windows as its positions see them. Both depend only on the window W (and
the block size k), so they are made once per run.

This module does not import torch: the trainer does, lazily, and passes it in.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch


def window_table(torch: ModuleType, W: int) -> torch.Tensor:
    """The weights of a centre's 2W + 1 nearest positions in its context mean, for every left and right
    width (a, c), at row a*(W+1) + c: 1 / (a + c) (the context size) at offsets -a..c from the centre but
    0 (column W), else 0 (a row of 0 without context) [(W+1)^2, 2W + 1]."""
    a, c = torch.meshgrid(torch.arange(W + 1), torch.arange(W + 1), indexing="ij")
    a, c = a.reshape(-1, 1), c.reshape(-1, 1)  # [(W+1)^2, 1]
    delta = torch.arange(2 * W + 1)[None, :] - W  # [1, 2W + 1] column's offset from the centre
    inside = ((delta >= -a) & (delta <= c) & (delta != 0)).float()
    return inside / (a + c).clamp(min=1)


def position_table(torch: ModuleType, W: int, k: int) -> torch.Tensor:
    """The windows of a block's k + 2W centres as seen by its k positions [(k + 2W) * (W+1)^2, k]: row
    j*(W+1)^2 + a*(W+1) + c is, for the centre in column j of a block (the centre at position j - W of the
    block) with widths (a, c), 1 at the block's positions i in its window (offset i - j + W from the centre
    in -a..c, not 0), else 0."""
    j, a, c = torch.meshgrid(torch.arange(k + 2 * W), torch.arange(W + 1), torch.arange(W + 1), indexing="ij")
    j, a, c = j.reshape(-1, 1), a.reshape(-1, 1), c.reshape(-1, 1)  # [(k + 2W) * (W+1)^2, 1]
    delta = torch.arange(k)[None, :] - j + W  # [rows, k] position's offset from the centre
    return ((delta >= -a) & (delta <= c) & (delta != 0)).float()

"""The trainer's two window tables (`cbow._Trainer`): each centre's context mean as weights of its 2W + 1
nearest positions, and which of them its window holds (a position's view of the centres around it is a
strided view of the centres' rows of it). Both depend only on the window W, so they are made once per run.

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
    inside = inside_table(torch, W)
    return inside / inside.sum(1, keepdim=True).clamp(min=1)


def inside_table(torch: ModuleType, W: int) -> torch.Tensor:
    """Which of a centre's 2W + 1 nearest positions are in its window, for every left and right width
    (a, c), at row a*(W+1) + c: 1 at offsets -a..c from the centre but 0 (column W), else 0
    [(W+1)^2, 2W + 1]."""
    a, c = torch.meshgrid(torch.arange(W + 1), torch.arange(W + 1), indexing="ij")
    a, c = a.reshape(-1, 1), c.reshape(-1, 1)  # [(W+1)^2, 1]
    delta = torch.arange(2 * W + 1)[None, :] - W  # [1, 2W + 1] column's offset from the centre
    return ((delta >= -a) & (delta <= c) & (delta != 0)).float()


def position_windows(inside: torch.Tensor, widths: torch.Tensor, W: int) -> torch.Tensor:
    """Which of the 2W + 1 centres around each of a batch's P padded positions hold it in their window
    [P, 2W + 1], from the widths of the P + 2W centres around them (`cbow._Chunk.widths`, from the batch's
    first position's) and the table `inside` (`inside_table`): column j of position q is the centre at
    row q + j of the neu1e rows `cbow._Trainer._step` pairs with it, whose window holds the position at
    offset W - j from it; a strided view of the centres' rows of `inside` (row q + j, column 2W - j:
    strides (2W + 1, 2W)), made contiguous."""
    rows = inside.index_select(0, widths)  # [P + 2W, 2W + 1] by centre
    P = rows.shape[0] - 2 * W
    return rows.as_strided((P, 2 * W + 1), (2 * W + 1, 2 * W), 2 * W).contiguous()

"""`RowScale`: a row's summed update in a batch step, scaled to what sequential steps would add up to."""

from __future__ import annotations

import pytest
import torch

from notelink.model.rowscale import RowScale


def test_aligned_uses_of_a_row_are_damped_and_unrelated_ones_are_not() -> None:
    """A row whose n uses push the same way (kappa = n) takes lr / (1 + (n - 1) a), a = lr x their
    curvature, about the Newton step lr / (n a) of n sequential steps once n a >> 1; a row whose uses are
    unrelated (orthogonal: kappa = 1) keeps the plain lr, whatever n and the curvature."""
    rs = RowScale(torch, rows=8, r=16)
    s = torch.zeros(10, 16)
    s[:6, 0] = 1.0  # word 3: six uses along one direction
    s[6:, :4] = torch.eye(4)  # word 5: four orthogonal uses
    use = rs.use(s, torch.full((10,), 2.0))  # [10, r + 2] as `step` lays it out, curvature 2
    assert use[:, 2:].equal(s) and use[:, 0].equal(s.square().sum(1)) and use[:, 1].equal(2 * use[:, 0])
    words = torch.tensor([3] * 6 + [5] * 4)
    scale = rs.scale(words, use, lr=0.05)
    assert scale[:6].tolist() == pytest.approx([0.05 / (1 + 5 * 0.05 * 2.0)] * 6)
    assert scale[6:].tolist() == pytest.approx([0.05] * 4)


def test_row_sums_add_the_rows_of_each_index_and_leave_the_scratch_zeroed() -> None:
    rs = RowScale(torch, rows=8, r=2)
    x = torch.arange(12.0).view(4, 3)
    sums = rs.row_sums(torch.tensor([2, 7, 2, 0]), x)
    assert sums.tolist() == [[6.0, 8.0, 10.0], [3.0, 4.0, 5.0], [6.0, 8.0, 10.0], [9.0, 10.0, 11.0]]
    assert rs.scratch_is_clear()

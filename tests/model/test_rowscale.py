"""`RowScale`: a row's summed update in a batch step, scaled to what sequential steps would add up to."""

from __future__ import annotations

import pytest
import torch

from notelink.model.bags import by_value
from notelink.model.rowscale import RowScale


def test_aligned_uses_of_a_row_are_damped_and_unrelated_ones_are_not() -> None:
    """A row whose n uses push the same way (kappa = n) takes lr / (1 + (n - 1) a), a = lr x their
    curvature, about the Newton step lr / (n a) of n sequential steps once n a >> 1; a row whose uses are
    unrelated (orthogonal: kappa = 1) keeps the plain lr, whatever n and the curvature."""
    rs = RowScale(torch, r=16)
    s = torch.zeros(10, 20)
    s[:6, 0] = 1.0  # word 3: six uses along one direction
    s[6:, :4] = torch.eye(4)  # word 5: four orthogonal uses
    s[:, 16:] = 7.0  # past the sketch's 16 coordinates: not counted
    use = rs.use(s, torch.full((10,), 2.0))  # [10, 2], curvature 2
    assert use[:, 0].equal(s[:, :16].square().sum(1)) and use[:, 1].equal(2 * use[:, 0])
    summed, update = torch.stack([use[:6].sum(0), use[6:].sum(0)]), torch.stack([s[:6].sum(0), s[6:].sum(0)])
    scale = rs.scale(summed, update, lr=0.05)
    assert scale.tolist() == pytest.approx([0.05 / (1 + 5 * 0.05 * 2.0), 0.05])


def test_by_value_groups_the_entries_of_each_value() -> None:
    """Entries in order of value, the distinct values, and where each value's entries start: a bag per
    value sums its entries."""
    index = torch.tensor([7, 2, 9, 2, 7, 7, 0])
    order, distinct, first = by_value(torch, index)
    assert distinct.tolist() == [0, 2, 7, 9] and first.tolist() == [0, 1, 3, 6]
    assert index[order].tolist() == [0, 2, 2, 7, 7, 7, 9]
    x = torch.arange(14.0).view(7, 2)
    sums = torch.nn.functional.embedding_bag(order, x, first, mode="sum")
    assert sums.tolist() == [[12.0, 13.0], [8.0, 10.0], [18.0, 21.0], [4.0, 5.0]]

"""`RowScale`: a row's summed update in a batch step, scaled to what sequential steps would add up to."""

from __future__ import annotations

import pytest
import torch

from notelink.model.rowscale import RowScale


def test_aligned_uses_of_a_row_are_damped_and_unrelated_ones_are_not() -> None:
    """A row whose n uses push the same way (kappa = n) takes lr / (1 + (n - 1) a), a = lr x their
    curvature, about the Newton step lr / (n a) of n sequential steps once n a >> 1; a row whose uses are
    unrelated (orthogonal: kappa = 1) keeps the plain lr, whatever n and the curvature."""
    rs = RowScale(torch, r=16, device=torch.device("cpu"))
    s = torch.zeros(10, 20)
    s[:6, 0] = 1.0  # word 3: six uses along one direction
    s[6:, :4] = torch.eye(4)  # word 5: four orthogonal uses
    s[:, 16:] = 7.0  # past the sketch's 16 coordinates: not counted
    use = rs.use(s, torch.full((10,), 2.0))  # [10, 2], curvature 2
    assert use[:, 0].equal(s[:, :16].square().sum(1)) and use[:, 1].equal(2 * use[:, 0])
    summed, update = torch.stack([use[:6].sum(0), use[6:].sum(0)]), torch.stack([s[:6].sum(0), s[6:].sum(0)])
    scale = rs.scale(summed, update, lr=0.05)
    assert scale.tolist() == pytest.approx([0.05 / (1 + 5 * 0.05 * 2.0), 0.05])


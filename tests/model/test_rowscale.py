"""`RowScale`: a row's summed update in a batch step, scaled to what sequential steps would add up to."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from notelink.model.rowscale import RowScale, bound_curvature


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


def test_the_bound_curvature_is_exact_in_float32_for_scores_near_zero() -> None:
    """lambda(f) = tanh(f/2) / (2f): 1/4 at and near 0 (the first steps' scores are ~1e-7: (sigmoid(f) -
    1/2) / f gave 0 or 0.6 there), sigmoid'(f) near 0, 1 / (2|f|) in saturation."""
    f = np.array([0.0, 1e-8, -1e-7, 1e-6, 1e-3, 0.5, -2.0, 30.0, -80.0])
    t = torch.tensor(f, dtype=torch.float32)
    got = bound_curvature(t, t.sigmoid()).numpy()
    want = np.where(f == 0, 0.25, np.tanh(f / 2) / (2 * np.where(f == 0, 1, f)))
    assert np.allclose(got, want, rtol=1e-4, atol=0)  # (float32 at the 1e-3 switch: 7e-5)
    assert np.isclose(got[-2], 1 / 60, rtol=1e-5) and got[5] >= 1 / (1 + np.exp(-0.5)) / (1 + np.exp(0.5))

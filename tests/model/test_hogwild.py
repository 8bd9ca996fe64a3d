"""The workers' shared schedule: the learning rate's linear decay."""

from __future__ import annotations

import itertools

import pytest

from notelink.config import TrainConfig
from notelink.model.hogwild import Schedule


@pytest.mark.parametrize(("lr", "floor"), [(0.05, 1e-4), (5e-5, 5e-5)])
def test_the_rate_decays_linearly_from_lr_to_its_floor_never_above_lr(lr: float, floor: float) -> None:
    sched = Schedule(TrainConfig(lr=lr), total=1000, epochs=1, jobs=[], workers=1)
    rates = []
    for _ in range(5):
        rates.append(sched.lr())
        sched.advance(0, 250)
    assert rates[0] == pytest.approx(lr) and sched.lr() == pytest.approx(floor)
    assert all(a >= b for a, b in itertools.pairwise(rates)) and max(rates) <= lr

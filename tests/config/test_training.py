"""TrainConfig's checks: settings training cannot use are refused with the rule, before anything starts."""

from __future__ import annotations

import pytest

from notelink.config import SettingsError, TrainConfig
from notelink.config.training import MAX_BATCH, MAX_WINDOW


def test_a_batch_beyond_the_steps_32_bit_layouts_is_refused() -> None:
    """A step's bags index batch x (2 window + 1) entries in 32 bits: a batch of 2^25 at window 50 would
    wrap them around. Refused with the rule, as every other setting."""
    assert (MAX_BATCH * (2 * MAX_WINDOW + 1)) < 2**31
    TrainConfig(batch=MAX_BATCH, cuda_batch=MAX_BATCH, window=MAX_WINDOW)
    with pytest.raises(SettingsError, match=r"--batch must be between 1 and 1,048,576, not 33554432"):
        TrainConfig(batch=1 << 25)
    with pytest.raises(SettingsError, match=r"--cuda-batch must be between 1 and 1,048,576, not 0"):
        TrainConfig(cuda_batch=0)

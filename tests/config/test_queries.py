"""config.queries: how a related note's score is read."""

import pytest

from notelink.config import RelatedConfig


def test_a_related_note_is_weak_below_the_cut_as_its_score_is_shown() -> None:
    reading = RelatedConfig()
    assert reading.weak_below == 0.05  # (measured: RESULTS.md, session 21)
    assert reading.is_weak(0.0499) and reading.is_weak(0.0) and reading.is_weak(-0.2)
    assert not reading.is_weak(0.05) and not reading.is_weak(0.04996)  # (shown as 0.0500: not weak)
    assert RelatedConfig(weak_below=0.2).is_weak(0.1)
    for bad in (1.0, -0.1, float("nan")):  # (the config file's [query] weak_below is checked as this is)
        with pytest.raises(ValueError, match="weak_below must be at least 0 and below 1"):
            RelatedConfig(weak_below=bad)

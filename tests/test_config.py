"""config: where an index lives by default."""

import os
import sys
from pathlib import Path

import pytest

from notelink.config import RelatedConfig
from notelink.locations import default_index_dir


def test_default_index_dir_is_outside_the_vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTELINK_INDEX_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    vault = tmp_path / "My Vault"
    vault.mkdir()
    d = default_index_dir(vault)
    if os.name == "posix" and sys.platform.startswith("linux"):
        assert d.parent == tmp_path / "data" / "notelink" / "vaults"
    assert vault not in d.parents
    monkeypatch.setenv("NOTELINK_INDEX_DIR", str(tmp_path / "x"))
    assert default_index_dir(vault) == tmp_path / "x"


def test_a_related_note_is_weak_below_the_cut_as_its_score_is_shown() -> None:
    reading = RelatedConfig()
    assert reading.weak_below == 0.05  # (measured: RESULTS.md, session 21)
    assert reading.is_weak(0.0499) and reading.is_weak(0.0) and reading.is_weak(-0.2)
    assert not reading.is_weak(0.05) and not reading.is_weak(0.04996)  # (shown as 0.0500: not weak)
    assert RelatedConfig(weak_below=0.2).is_weak(0.1)
    for bad in (1.0, -0.1, float("nan")):  # (the config file's [query] weak_below is checked as this is)
        with pytest.raises(ValueError, match="weak_below must be at least 0 and below 1"):
            RelatedConfig(weak_below=bad)

"""locations: where an index lives by default."""

import os
import sys
from pathlib import Path

import pytest

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

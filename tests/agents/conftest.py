"""The agents' tests: a fresh copy of sample_notes and its index for each test (the server's tests change
the vault or its index under a running server)."""

import shutil
from pathlib import Path

import pytest

from notelink.index.build import build_index
from tests.conftest import FAST, SAMPLE


@pytest.fixture
def indexed(tmp_path: Path) -> tuple[Path, Path]:
    vault, ix = tmp_path / "vault", tmp_path / "ix"
    shutil.copytree(SAMPLE, vault)
    build_index(vault, ix, FAST)
    return vault, ix

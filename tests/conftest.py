"""Shared fixtures: small vaults on disk and a fast training config."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from notelink.config import TrainConfig

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_notes"
SHARED = ROOT.parent / "shared"

FAST = TrainConfig(dim=32, epochs=10, min_count=1, seed=7, threads=1, device="cpu")


def snapshot(root: Path) -> dict[str, str]:
    """Every file under root with its content hash: to prove a vault was not written to."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(autouse=True)
def no_user_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read the config file of whoever runs them (one may set it: `NOTELINK_CONFIG`)."""
    monkeypatch.setenv("NOTELINK_CONFIG", str(tmp_path_factory.getbasetemp() / "no-config.toml"))


@pytest.fixture
def make_vault(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    def make(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "vault"
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        root.mkdir(exist_ok=True)
        return root
    return make

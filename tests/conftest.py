"""Shared fixtures: small vaults on disk and a fast training config."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from notelink.config import TrainConfig

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_notes"
SHARED = ROOT.parent / "shared"

FAST = TrainConfig(dim=32, epochs=10, min_count=1, seed=7, threads=1, device="cpu")

T = TypeVar("T")


def without_waiting(call: Callable[[], T]) -> T:
    """`call`'s result; fails (instead of hanging the suite) when it waits on a named pipe for a writer."""
    result: list[T] = []
    worker = threading.Thread(target=lambda: result.append(call()), daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert result, "it opened the named pipe and waits for a writer"
    return result[0]


def snapshot(root: Path) -> dict[str, str]:
    """Every file under root with its content hash: to prove a vault was not written to."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of sample_notes and its index, built once per test module that asks: (vault, index folder)."""
    from notelink.index.build import build_index

    root = tmp_path_factory.mktemp("indexed")
    vault, ix = root / "vault", root / "ix"
    shutil.copytree(SAMPLE, vault)
    build_index(vault, ix, FAST)
    return vault, ix


@pytest.fixture(autouse=True)
def no_user_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read the config file of whoever runs them (one may set it: `NOTELINK_CONFIG`): they read
    an empty one (a file $NOTELINK_CONFIG names must exist)."""
    empty = tmp_path_factory.getbasetemp() / "no-config.toml"
    empty.touch()
    monkeypatch.setenv("NOTELINK_CONFIG", str(empty))


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


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[..., Path]]:
    """`make(size, read_only=False)`: a real file system of `size` bytes (a tmpfs mounted under tmp_path),
    to fill up or to find read-only; skips the test where mounting is not allowed (not root)."""
    mounts: list[Path] = []

    def make(size: int, read_only: bool = False) -> Path:
        where = tmp_path / f"disk{len(mounts)}"
        where.mkdir()
        opts = f"size={size}" + (",ro" if read_only else "")
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(where)], capture_output=True,
                              text=True) if shutil.which("mount") and os.geteuid() == 0 else None
        if done is None or done.returncode:
            why = done.stderr.strip() if done else "not root"
            pytest.skip(f"cannot mount a small file system here ({why})")
        mounts.append(where)
        return where

    yield make
    for where in mounts:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def fill(folder: Path) -> Path:
    """Fills the file system holding `folder` to the last byte; returns the filler (delete it to free)."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        for chunk in (1 << 20, 1 << 12, 1):
            try:
                while True:
                    os.write(fd, b"\0" * chunk)
            except OSError:
                pass
    finally:
        os.close(fd)
    return filler

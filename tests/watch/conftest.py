"""The watcher's fixtures: a started watcher on a temporary vault, its first index built (`helpers.watch`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from .helpers import CFG, Watching, watch


@pytest.fixture
def watching(make_vault, tmp_path: Path) -> Iterator[Watching]:
    """A watcher building in child processes (the default)."""
    yield from watch(make_vault, tmp_path, CFG)


@pytest.fixture
def watching_here(make_vault, tmp_path: Path) -> Iterator[Watching]:
    """A watcher building in its own process (monkeypatches reach the build)."""
    yield from watch(make_vault, tmp_path, replace(CFG, isolate=False))


@pytest.fixture
def watching_events_only(make_vault, tmp_path: Path) -> Iterator[Watching]:
    """A watcher whose fallback rescans are too rare to matter: what it sees, it sees by OS events."""
    yield from watch(make_vault, tmp_path, replace(CFG, rescan_s=3600))

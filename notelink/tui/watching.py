"""The app's view of the vault watcher: a small protocol, and a factory that finds the real one.

The watcher (`notelink.watch.watcher.VaultWatcher`) calls `on_event` from its own thread with `WatchEvent`s
(kind: changed | indexing | progress | indexed | error | stopped). The app only needs `start` and
`stop`, so tests pass a fake that emits events; without the watcher module the app runs unwatched.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from notelink.config import IndexConfig, TrainConfig


class Watcher(Protocol):
    def start(self) -> None: ...
    def stop(self, timeout: float = 10.0) -> None: ...


OnEvent = Callable[[Any], None]
WatcherFactory = Callable[[Path, Path, OnEvent], Watcher]
"""(vault, index_dir, on_event) -> a watcher not yet started."""


class WatcherUnavailable(RuntimeError):
    """The watcher cannot run here; the message says why (shown to the user)."""


def default_watcher_factory(vault: Path, index_dir: Path, on_event: OnEvent, train: TrainConfig | None = None,
                            index: IndexConfig | None = None) -> Watcher:
    """The real VaultWatcher, imported only when watching starts; it builds with `train` and `index` (the
    app's settings: its exclude patterns, dialect, training)."""
    try:
        from notelink.watch.watcher import VaultWatcher  # type: ignore[import-not-found,unused-ignore]
    except ImportError as exc:
        raise WatcherUnavailable(f"live refresh is off: the watcher is not available ({exc})") from exc
    watcher: Watcher = VaultWatcher(vault, index_dir, train, index, on_event=on_event)
    return watcher

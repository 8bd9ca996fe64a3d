"""What a watcher tells `notelink status`: a small JSON file in the index folder, replaced atomically.

    INDEX_DIR/watcher.json   {"pid", "mode", "state", "last_event", "last_generation_at", "generation",
                              "pending": [paths], "stage", "errors": {path: reason}, "message"}
`running` is not stored: it comes from the lock (`notelink.index.lock`), so a killed watcher reads as stopped.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from notelink.index.lock import lock_info

STATUS_FILE = "watcher.json"


def now_iso(t: float | None = None) -> str:
    """Local time with its UTC offset, to the second."""
    return time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(t))


@dataclass
class WatcherState:
    """The watcher's own account of itself, written on every state change."""

    pid: int = field(default_factory=os.getpid)
    mode: str = "events"  # events (OS notifications) | rescan (periodic stat rescans)
    state: str = "starting"  # starting | idle | indexing | stopped
    last_event: str | None = None
    last_generation_at: str | None = None
    generation: int = 0
    pending: list[str] = field(default_factory=list)
    stage: str = ""  # while indexing: the build's stage (`report.STAGES`: check, parse, words, ...)
    errors: dict[str, str] = field(default_factory=dict)  # path -> reason, for files that failed
    message: str = ""

    def save(self, index_dir: Path) -> None:
        """Replaces the status file atomically (a reader sees the old or the new one)."""
        path = index_dir / STATUS_FILE
        tmp = path.with_name(f"{STATUS_FILE}.tmp-{os.getpid()}")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)


def read_state(index_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((index_dir / STATUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def watcher_status(index_dir: Path) -> dict[str, Any]:
    """The `watcher` block of `notelink status --json`."""
    state, lock = read_state(index_dir), lock_info(index_dir)
    return {"running": lock.running, "pid": lock.pid if lock.running else None,
            "last_event": state.get("last_event"), "last_generation_at": state.get("last_generation_at"),
            "mode": state.get("mode") if lock.running else None,
            "state": state.get("state") if lock.running else "stopped",
            "pending": state.get("pending", []) if lock.running else [],
            "stage": state.get("stage", "") if lock.running and state.get("state") == "indexing" else ""}


def waiting_for(index_dir: Path) -> str | None:
    """What a running watcher is waiting for instead of building: its last word when it is idle with one
    (no notes yet, or a failed build it will retry); None while it starts or builds, or when none runs."""
    state = read_state(index_dir)
    if state.get("state") != "idle" or not state.get("message") or not lock_info(index_dir).running:
        return None
    return str(state["message"])


def file_states(index_rows: list[tuple[str, str, str]], index_dir: Path,
                since: dict[str, tuple[str, str]] | None = None) -> list[dict[str, str]]:
    """Per-file state: the live generation's `files` rows, overlaid with `since` (path -> (state, reason):
    the notes changed, new or gone since the index was built, `query.freshness`), then with what a running
    watcher has seen change but not indexed yet (`pending`) and files it failed on (`error`)."""
    files = {p: {"path": p, "status": s, "reason": r} for p, s, r in index_rows}
    for path, (state, reason) in (since or {}).items():
        files[path] = {"path": path, "status": state, "reason": reason}
    live = watcher_status(index_dir)
    errors = read_state(index_dir).get("errors", {}) if live["running"] else {}
    for path in live["pending"]:
        if not path.endswith("/"):
            files[path] = {"path": path, "status": "pending", "reason": "changed; not indexed yet"}
    for path, reason in errors.items():
        files[path] = {"path": path, "status": "error", "reason": reason}
    return [files[p] for p in sorted(files)]

"""The undo journal of `notelink link`: before a note is written, its bytes are saved in the index folder,
so that `notelink link --undo` can put every byte back, and only over a note nobody changed since.

    INDEX_DIR/journal/000007.json   {"version": 1, "written_at", "command",
                                     "notes": [{"path", "before" (base64), "after_sha256"}]}

One file per `--write`, made durable (fsync, atomic rename) before the first note is touched: a crash
between the two leaves an entry whose note still holds its `before` bytes, which an undo passes over.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

VERSION = 1
_ENTRY = re.compile(r"^(\d{6})\.json$")


@dataclass(frozen=True)
class Saved:
    """One note as it was before a write, and the hash of what was written."""

    path: str
    before: bytes
    after_sha256: str


@dataclass(frozen=True)
class Entry:
    """One `--write`: its number, its file, what wrote it and the notes it saved."""

    number: int
    file: Path
    command: str
    notes: list[Saved]
    written_at: str = ""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _folder(index_dir: Path) -> Path:
    return index_dir / "journal"


def record(index_dir: Path, command: str, notes: list[Saved]) -> Entry:
    """Saves the notes' bytes as the newest entry, durably, before they are written."""
    folder = _folder(index_dir)
    folder.mkdir(parents=True, exist_ok=True)
    number = max((e.number for e in entries(index_dir)), default=0) + 1
    data = {"version": VERSION, "written_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "command": command,
            "notes": [{"path": s.path, "before": base64.b64encode(s.before).decode("ascii"),
                       "after_sha256": s.after_sha256} for s in notes]}
    file = folder / f"{number:06d}.json"
    tmp = folder / f".{number:06d}.json.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, file)
    _fsync_dir(folder)
    return Entry(number, file, command, notes, str(data["written_at"]))


def entries(index_dir: Path) -> list[Entry]:
    """Every entry, oldest first (an unreadable one is skipped: it cannot be undone)."""
    folder = _folder(index_dir)
    if not folder.is_dir():
        return []
    out = []
    for f in sorted(folder.iterdir()):
        m = _ENTRY.match(f.name)
        if m is None:
            continue
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
            notes = [Saved(n["path"], base64.b64decode(n["before"]), n["after_sha256"])
                     for n in data["notes"]]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        out.append(Entry(int(m.group(1)), f, str(data.get("command", "")), notes,
                         str(data.get("written_at", ""))))
    return out


def forget(entry: Entry) -> None:
    """Drops an entry once it has been undone, or when the user gives it up (`link --undo --forget`)."""
    entry.file.unlink(missing_ok=True)
    _fsync_dir(entry.file.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

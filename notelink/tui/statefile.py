"""What the app remembers between sessions: the theme, and the last note shown in each vault.

Kept in the user's state folder (XDG: `$XDG_STATE_HOME/notelink/tui.json`, by default
`~/.local/state/notelink/tui.json`), never in the vault. A missing, unreadable or foreign file means starting
fresh; the file is replaced whole (temp + rename), so a crash never leaves half of it.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VERSION = 1
MOST_VAULTS = 100
"""Vaults remembered; the ones opened longest ago are forgotten first."""


def state_dir() -> Path:
    """$XDG_STATE_HOME/notelink, else ~/.local/state/notelink (the XDG default)."""
    base = os.environ.get("XDG_STATE_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".local" / "state"  # (relative: unset)
    return root / "notelink"


@dataclass
class SavedState:
    """The app's state file: the theme, and per vault (by absolute path) the last note and when."""

    theme: str = ""
    vaults: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: Path = field(default_factory=lambda: state_dir() / "tui.json")

    @classmethod
    def load(cls, path: Path | None = None) -> SavedState:
        state = cls() if path is None else cls(path=path)
        try:
            data = json.loads(state.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return state
        if isinstance(data, dict) and data.get("version") == VERSION:
            state.theme = str(data.get("theme") or "")
            vaults = data.get("vaults")
            state.vaults = {str(k): v for k, v in vaults.items() if isinstance(v, dict)} if isinstance(
                vaults, dict) else {}
        return state

    def last_note(self, vault: Path) -> str | None:
        note = self.vaults.get(str(vault), {}).get("last")
        return note if isinstance(note, str) else None

    def remember(self, vault: Path, note: str | None) -> None:
        if note is not None:
            self.vaults[str(vault)] = {"last": note, "at": time.time()}

    def save(self) -> bool:
        """Writes the file (whole or not at all); False when it cannot be written (a read-only home)."""
        recent = sorted(self.vaults.items(), key=lambda kv: -float(kv[1].get("at", 0)))[:MOST_VAULTS]
        data = {"version": VERSION, "theme": self.theme, "vaults": dict(recent)}
        tmp = ""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tui-", suffix=".json", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, indent=1)
            os.replace(tmp, self.path)
        except OSError:
            if tmp:
                Path(tmp).unlink(missing_ok=True)
            return False
        return True

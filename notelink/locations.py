"""Where notelink keeps its files: each vault's index, outside the vault, in the user's data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def default_index_dir(vault: Path, root: Path | None = None) -> Path:
    """Where a vault's index lives: $NOTELINK_INDEX_DIR, else one folder per vault under `root` (the config
    file's `[index] index_root`), else under the user data dir."""
    import hashlib
    import re  # (here: `notelink --help` imports neither)

    env = os.environ.get("NOTELINK_INDEX_DIR")
    if env:
        return Path(env).expanduser()
    base = root.expanduser() if root is not None else indexes_home()
    resolved = str(vault.resolve())
    slug = re.sub(r"[^\w.-]+", "-", vault.resolve().name or "vault")[:40]
    digest = hashlib.sha256(resolved.encode()).hexdigest()[:12]
    return base / f"{slug}-{digest}"


def indexes_home() -> Path:
    """The folder of the vaults' indexes in the user data folder ($XDG_DATA_HOME/notelink/vaults on Linux)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "notelink" / "vaults"
"""Largest `--window`: the trainer's band tables grow as window^3 (40 MB at 50; word2vec uses 5-10)."""

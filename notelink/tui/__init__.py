"""The terminal app (Textual). The only package that imports textual; the command line imports it lazily."""

from __future__ import annotations

from pathlib import Path


def run(vault: Path, index_dir: Path | None = None, watch: bool = True) -> int:
    """Opens the app on a vault and returns the exit status when the user quits."""
    from notelink.tui.app import NotelinkApp, TuiConfig

    NotelinkApp(TuiConfig(vault=vault, index_dir=index_dir, watch=watch)).run()
    return 0

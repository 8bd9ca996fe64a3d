"""Text snapshots of the app's screens at a fixed size, compared with files in tests/tui/snapshots/.

Digits are masked (scores depend on floating point), and the vault lives at a fixed path so that no
machine-specific path appears on screen. Regenerate with NOTELINK_UPDATE_SNAPSHOTS=1 after a deliberate
change, and review the diff."""

from __future__ import annotations

import asyncio
import fcntl
import io
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from notelink.config import NoteVectorConfig
from notelink.index.build import build_index
from notelink.tui.app import NotelinkApp, TuiConfig
from notelink.tui.noteview import NoteView
from tests.conftest import FAST

from .helpers import settle, wait_for

LEXICAL = NoteVectorConfig(expand_beta=0.0, w_cbow=0.0)

SNAPSHOTS = Path(__file__).parent / "snapshots"
FIXED = Path("/tmp/notelink-snapshots")
LOCK = Path("/tmp/notelink-snapshots.lock")
SIZE = (100, 30)
NOTES = {
    "Wheat.md": "# Wheat\n\nWheat flour makes bread dough rise with yeast. See [[Rye]].\n",
    "Rye.md": "---\ntags: [grain]\n---\n# Rye\n\nRye flour makes dense bread dough; rye and wheat share "
              "a field.\n",
    "Ярмарка.md": "# Ярмарка\n\nХлеб и пшеница на ярмарке. Bread and wheat at the fair.\n",
}


def screen_text(app: NotelinkApp) -> str:
    """The screen as plain text, digits masked."""
    console = Console(width=SIZE[0], height=SIZE[1], file=io.StringIO(), record=True, force_terminal=True,
                      color_system=None, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True))
    text = re.sub(r"\d", "#", console.export_text())
    return re.sub(r"[█▉▊▋▌▍▎▏ ]{4}(?=[█▉▊▋▌▍▎▏ ]{0,2} -?#\.## )", "~~~~", text)  # score bars


def check(name: str, text: str) -> None:
    path = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("NOTELINK_UPDATE_SNAPSHOTS") or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"screen differs from {path}"


@pytest.fixture
def vault() -> Any:
    """The fixed folder, held under an exclusive lock: two test runs on one machine (two checkouts, or CI
    beside a developer) would otherwise build into each other's index there."""
    with open(LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if FIXED.exists():
            shutil.rmtree(FIXED)
        root = FIXED / "vault"
        root.mkdir(parents=True)
        try:
            yield root
        finally:
            shutil.rmtree(FIXED, ignore_errors=True)


def shot(root: Path, name: str, keys: tuple[str, ...] = (), index: bool = True) -> None:
    async def run() -> None:
        if index:
            # lexical parts only: the panels then do not depend on the torch build's floating point
            build_index(root, FIXED / "index", FAST, vector_cfg=LEXICAL)
        app = NotelinkApp(TuiConfig(vault=root, index_dir=FIXED / "index", train=FAST, watch=False))
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: app.query_one(NoteView).border_title not in ("notelink", ""))
            await settle(pilot, app)
            await pilot.press(*keys)
            await settle(pilot, app)
            check(name, screen_text(app))

    asyncio.run(run())


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).write_text(text, encoding="utf-8")


def test_main_screen_with_non_latin_title(vault: Path) -> None:
    _write(vault, NOTES)
    shot(vault, "main")


def test_help_screen(vault: Path) -> None:
    _write(vault, NOTES)
    shot(vault, "help", ("question_mark",))


def test_one_note_has_no_related_notes(vault: Path) -> None:
    _write(vault, {"Only.md": "# Only\n\nA lonely note about bread.\n"})
    shot(vault, "one_note")


def test_empty_vault(vault: Path) -> None:
    shot(vault, "empty", index=False)


def test_no_index_offers_to_build(vault: Path) -> None:
    _write(vault, NOTES)
    shot(vault, "no_index", index=False)

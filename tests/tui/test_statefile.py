"""What the app remembers between sessions (`statefile`), kept in the XDG state folder, and where it opens."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from notelink.index.build import build_index
from notelink.tui.statefile import MOST_VAULTS, SavedState, state_dir
from tests.conftest import FAST, SAMPLE

from .helpers import running, settle, sync, wait_for
from .test_app import indexed, make_app

__all__ = ["indexed"]  # the fixture, shared with test_app


def test_the_state_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert state_dir() == tmp_path / "notelink"
    for unset in ("", "relative/path"):  # the spec: empty or relative means the default
        monkeypatch.setenv("XDG_STATE_HOME", unset)
        assert state_dir() == Path.home() / ".local" / "state" / "notelink"


def test_saved_state_round_trips_and_a_bad_file_means_a_fresh_start(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "tui.json"
    state = SavedState.load(path)
    assert (state.theme, state.vaults) == ("", {})
    state.theme = "textual-light"
    for k in range(MOST_VAULTS + 5):
        state.remember(Path(f"/v{k}"), f"n{k}.md")
    assert state.save()
    again = SavedState.load(path)
    last = MOST_VAULTS + 4
    assert again.theme == "textual-light" and again.last_note(Path(f"/v{last}")) == f"n{last}.md"
    assert len(again.vaults) == MOST_VAULTS and again.last_note(Path("/v0")) is None  # the oldest forgotten
    for bad in ("{not json", json.dumps({"version": 99, "theme": "x"}), json.dumps([1, 2])):
        path.write_text(bad, encoding="utf-8")
        assert SavedState.load(path).theme == ""
    assert [p.name for p in path.parent.iterdir()] == ["tui.json"]  # no temporary file left


@sync
async def test_theme_and_last_note_are_remembered_in_the_state_folder(indexed: tuple[Path, Path],
                                                                      state_home: Path) -> None:
    app = make_app(*indexed)
    async with running(app, (120, 35)) as pilot:
        app.show_note("music/Guitar practice routine.md")
        await pilot.press("t")
        assert app.theme == "textual-light"
    saved = json.loads((state_home / "notelink" / "tui.json").read_text(encoding="utf-8"))
    assert saved["theme"] == "textual-light"
    assert saved["vaults"][str(indexed[0].resolve())]["last"] == "music/Guitar practice routine.md"
    again = make_app(*indexed)
    async with again.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, lambda: again.current is not None)
        assert again.current == "music/Guitar practice routine.md" and again.theme == "textual-light"


@sync
async def test_the_config_files_theme_comes_before_the_one_remembered(indexed: tuple[Path, Path]) -> None:
    state = SavedState.load()
    state.theme = "textual-light"
    state.save()
    remembered = make_app(*indexed)  # no theme in the config file: the last one shown
    async with remembered.run_test(size=(120, 35)) as pilot:
        await settle(pilot, remembered)
        assert remembered.theme == "textual-light"
    dark = make_app(*indexed, theme="dark")  # [tui] theme = "dark" in the config file
    async with dark.run_test(size=(120, 35)) as pilot:
        await settle(pilot, dark)
        assert dark.theme == "textual-dark"
    unknown = make_app(*indexed, theme="no-such-theme")
    async with unknown.run_test(size=(120, 35)) as pilot:
        await settle(pilot, unknown)
        assert unknown.theme == "textual-dark"  # the last one shown, and the app says why
        shown = [str(n.message) for n in unknown._notifications]  # (plain text: toasts are no markup)
        assert any("The config file's [tui] theme 'no-such-theme' is no theme" in m for m in shown), shown


@sync
async def test_a_first_visit_opens_the_home_note_not_the_first_stub(tmp_path: Path) -> None:
    vault, index_dir = tmp_path / "vault", tmp_path / "index"
    shutil.copytree(SAMPLE / "cooking", vault)
    (vault / "0.md").write_text("", encoding="utf-8")  # sorts first, as Dendron's empty stub `0` does
    (vault / "root.md").write_text("---\ntitle: Root\n---\n\nWhere to start: [[Kimchi]].\n", encoding="utf-8")
    build_index(vault, index_dir, FAST)
    app = make_app(vault, index_dir)
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, lambda: app.current is not None)
        assert app.current == "root.md"

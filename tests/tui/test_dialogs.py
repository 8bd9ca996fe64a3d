"""Pilot tests for the app's dialogs: the palette's path prompts, switching vault, the help."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding
from textual.widgets import Input

from notelink.tui.noteslist import NotesPane
from notelink.tui.noteview import NoteView
from notelink.tui.screens import PathPrompt
from tests.conftest import SAMPLE

from .helpers import running, settle, sync, wait_for
from .test_app import FakeEvent, FakeWatcher, indexed, make_app

__all__ = ["indexed"]  # the fixture, shared with test_app


async def _palette(pilot: Any, command: str) -> None:
    """Runs a command from the Ctrl+P palette by typing its name, once the palette lists it first."""
    from textual.command import CommandPalette

    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
    await pilot.press(*command)
    await wait_for(pilot, lambda: _first_command(app).lower().startswith(command.lower()), what=command)
    await pilot.press("enter")
    await wait_for(pilot, lambda: not isinstance(app.screen, CommandPalette))


def _first_command(app: Any) -> str:
    """The title of the palette's first (highlighted) hit, "" until there is one."""
    from textual.command import CommandList

    hits = app.screen.query(CommandList)
    if not hits or not hits.first().option_count:
        return ""
    prompt = hits.first().get_option_at_index(0).prompt
    return str(getattr(prompt, "plain", prompt)).removeprefix("Notes › ").split("\n")[0]


@sync
async def test_palette_export_prompt_has_focus_and_enter_accepts(indexed: tuple[Path, Path]) -> None:
    vault, _ = indexed
    app = make_app(*indexed)
    async with running(app, (120, 35)) as pilot:
        await _palette(pilot, "Export related notes: JSON")
        assert isinstance(app.screen, PathPrompt)
        field = app.screen.query_one("#path", Input)
        assert app.focused is field
        assert field.value == str(vault.parent / f"{vault.name}-related.json")
        await pilot.press("ctrl+u", *str(vault.parent / "out.json"), "enter")
        await settle(pilot, app)
        assert (vault.parent / "out.json").is_file()
    (vault.parent / "out.json").unlink()


@sync
async def test_palette_switch_vault_prompt_has_focus(indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, (120, 35)) as pilot:
        await _palette(pilot, "Switch vault")
        assert isinstance(app.screen, PathPrompt)
        assert app.focused is app.screen.query_one("#path", Input)
        await pilot.press("escape")
        assert not isinstance(app.screen, PathPrompt)


@sync
async def test_switch_vault_keeps_watching_and_clears_the_filter(indexed: tuple[Path, Path],
                                                                 tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(SAMPLE / "music", other)
    watchers: list[FakeWatcher] = []
    app = make_app(*indexed, watchers)
    async with running(app, (120, 35)) as pilot:
        await pilot.press("slash", *"kimchi", "enter")
        await _palette(pilot, "Switch vault")
        await pilot.press("ctrl+u", *str(other), "enter")
        await wait_for(pilot, lambda: len(watchers) == 2)
        first, second = watchers
        first.on_event(FakeEvent("stopped"))  # the old watcher's last word arrives after the switch
        await settle(pilot, app)
        assert first.stopped and second.started and second.vault == other.resolve()
        assert app.sub_title == str(other.resolve())  # not "· not watching"
        assert app.query_one("#filter", Input).value == "" and app.filter_query == ""
        assert app.query_one(NoteView).border_title == "Building the index"  # no index yet: the watcher's
        assert app.query_one(NotesPane).border_title == "Notes 8"  # listed from the folder meanwhile
        second.on_event(FakeEvent("stopped"))  # the current watcher stopping is still reported
        await wait_for(pilot, lambda: app.sub_title.endswith("· not watching"))


@sync
async def test_switch_vault_clears_the_old_vaults_related_notes_and_concepts(indexed: tuple[Path, Path],
                                                                            tmp_path: Path) -> None:
    """The old vault's related notes and concepts stayed on screen beside the new vault while it was built."""
    from textual.widgets import OptionList

    other = tmp_path / "other"
    shutil.copytree(SAMPLE / "music", other)
    app = make_app(*indexed, [])
    async with running(app, (120, 35)) as pilot:
        def rows(panel: str) -> list[tuple[str | None, str]]:
            return [(o.id, str(o.prompt)) for o in app.query_one(panel, OptionList).options]
        assert all(i for i, _ in rows("#related") + rows("#concepts"))  # the old vault's
        await _palette(pilot, "Switch vault")
        await pilot.press("ctrl+u", *str(other), "enter")
        await wait_for(pilot, lambda: app.vault == other.resolve())
        assert not any(i for i, _ in rows("#related") + rows("#concepts")), rows("#related")  # (loading)
        await settle(pilot, app)
        assert rows("#related") == [(None, "no index yet: it is being built")]  # (the watcher builds it)
        assert rows("#concepts") == [(None, "no index yet")]


@sync
async def test_switch_vault_finds_the_index_under_the_config_files_index_root(
        indexed: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from notelink.configfile import UserConfig

    other, config = tmp_path / "other", tmp_path / "config.toml"
    shutil.copytree(SAMPLE / "music", other)
    config.write_text(f"[index]\nindex_root = '{tmp_path / 'indexes'}'\n")
    monkeypatch.setenv("NOTELINK_CONFIG", str(config))
    app = make_app(*indexed, [])
    async with running(app, (120, 35)) as pilot:
        await _palette(pilot, "Switch vault")
        await pilot.press("ctrl+u", *str(other), "enter")
        await wait_for(pilot, lambda: app.vault == other.resolve())
        assert app.index_dir == UserConfig.load().index_dir(other.resolve())
        assert app.index_dir.parent == tmp_path / "indexes"  # (was the user data folder's)


@sync
async def test_switch_vault_to_a_folder_inside_an_indexed_vault_says_so(
        indexed: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Switching to a folder of an indexed vault opened the folder alone, and the watcher built a second index
    of its notes; it says which vault holds it, as `notelink tui` does, and stays on the vault shown."""
    from notelink.configfile import UserConfig
    from notelink.index.build import build_index
    from tests.conftest import FAST

    other, config = tmp_path / "other", tmp_path / "config.toml"
    shutil.copytree(SAMPLE, other)
    config.write_text(f"[index]\nindex_root = '{tmp_path / 'indexes'}'\n")
    monkeypatch.setenv("NOTELINK_CONFIG", str(config))
    build_index(other, UserConfig.load().index_dir(other.resolve()), FAST)
    watchers: list[FakeWatcher] = []
    app = make_app(*indexed, watchers)
    async with running(app, (120, 35)) as pilot:
        await _palette(pilot, "Switch vault")
        await pilot.press("ctrl+u", *str(other / "music"), "enter")
        said = f"{other / 'music'} is inside the indexed vault {other}"
        await wait_for(pilot, lambda: any(str(n.message).startswith(said) for n in app._notifications))
        assert app.vault == indexed[0].resolve() and len(watchers) == 1 and not watchers[0].stopped


@sync
async def test_the_palette_does_not_open_over_a_dialog(indexed: tuple[Path, Path]) -> None:
    from textual.command import CommandPalette

    app = make_app(*indexed)
    async with running(app, (120, 35)) as pilot:
        await _palette(pilot, "Export related notes: JSON")
        prompt = app.screen
        assert isinstance(prompt, PathPrompt)
        await pilot.press("ctrl+p")
        await settle(pilot, app)
        assert app.screen is prompt and not any(isinstance(s, CommandPalette) for s in app.screen_stack)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, PathPrompt))
        await pilot.press("ctrl+p")  # and over the notes, as before
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))


def test_the_help_says_what_l_lists() -> None:
    from notelink.tui.screens import HELP_KEYS

    assert "#headings" not in dict(HELP_KEYS)["l"]  # the list has the note's links only, not its headings


def test_the_help_lists_the_keys_that_scroll_a_wide_table_sideways() -> None:
    """A table too wide for the note view scrolls sideways (← →, Ctrl+PgUp/PgDn: the note view's bindings),
    but the help did not say so."""
    from notelink.tui.screens import HELP_KEYS

    bindings = [b for cls in NoteView.__mro__ for b in cls.__dict__.get("BINDINGS", [])
                if isinstance(b, Binding)]
    sideways = {b.key for b in bindings
                if b.action in ("scroll_left", "scroll_right", "page_left", "page_right")}
    assert sideways == {"left", "right", "ctrl+pageup", "ctrl+pagedown"}
    (row,) = [f"{key} {what}" for key, what in HELP_KEYS if "sideways" in what]
    assert all(shown in row for shown in ("←", "→", "Ctrl+PgUp", "PgDn")), row


@sync
async def test_a_dialogs_title_wraps_in_the_dialog_not_cut(indexed: tuple[Path, Path]) -> None:
    """The sweep of dendron-site: `m` on "10 - The values of Emacs, the Neovim revolution, and the VSCode
    gorilla" showed its title cut at "…revolution, and" (a Label is as wide as its text, past the dialog)."""
    from notelink.api import Mentions
    from notelink.tui.mentions import MentionsScreen
    from notelink.tui.screens import LinksScreen

    title = "10 - The values of Emacs, the Neovim revolution, and the VSCode gorilla"
    app = make_app(*indexed)
    async with running(app, (120, 32)) as pilot:
        for screen, label in ((MentionsScreen(title, Mentions("a.md"), str), "#mentions-title"),
                              (LinksScreen(title, []), "#links-title")):
            app.push_screen(screen)
            await wait_for(pilot, lambda s=screen, t=label: app.screen is s and bool(s.query(t)))
            shown, dialog = screen.query_one(label), screen.query_one("#dialog")
            await wait_for(pilot, lambda s=shown: s.size.height == 2, what=lambda s=shown: s.size)
            assert shown.region.right <= dialog.content_region.right
            app.pop_screen()

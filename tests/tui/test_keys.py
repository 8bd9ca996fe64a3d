"""Pilot tests for keys (issue 20): none is replayed against another note than the one it was typed at, keys
read with `/` go to the filter, and moving between the filter, the list and the panels works from the keys."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.widgets import Input, OptionList

from notelink.tui import actions
from notelink.tui.app import NotelinkApp
from notelink.tui.noteview import NoteView

from .helpers import open_note, running, settle, sync, wait_for
from .test_app import indexed, make_app
from .test_builds import record_notes

__all__ = ["indexed"]  # the fixture, shared with test_app


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$EDITOR is a script that records each note it is started on (one line each) and changes nothing."""
    log = tmp_path / "edited.txt"
    script = tmp_path / "fake-editor"
    script.write_text(f"#!/bin/sh\necho \"$1\" >> '{log}'\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", str(script))
    monkeypatch.delenv("VISUAL", raising=False)
    return log


def typed(app: NotelinkApp, *keys: str) -> None:
    """Posts keys as one read from the terminal brings them: all at once, none handled in between."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


@sync
async def test_keys_typed_while_a_note_opens_are_dropped_not_replayed(
        indexed: tuple[Path, Path], editor: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(*indexed)
    real = actions.render_note

    def render_with_keys_arriving(app: Any, path: str, **kw: Any) -> None:
        real(app, path, **kw)
        if path == "cooking/Kimchi.md":
            typed(app, "e", "r", "q")  # read from the terminal while the note was being put on screen

    monkeypatch.setattr(actions, "render_note", render_with_keys_arriving)
    async with running(app, (120, 35)) as pilot:
        shown = record_notes(app)
        app.show_note("cooking/Kimchi.md")
        await wait_for(pilot, lambda: any(m.startswith("Ignored 3 key(s)") for m, _ in shown), what=shown)
        await settle(pilot, app)
        assert not editor.exists() and not app.builds.running  # neither `e` nor `r` was replayed...
        assert app.is_running and app.current == "cooking/Kimchi.md"  # ...nor `q`
        await pilot.press("e")  # a key typed once the note is there does its job
        await wait_for(pilot, lambda: editor.exists())
        assert editor.read_text().splitlines() == [str(indexed[0] / "cooking/Kimchi.md")]


@sync
async def test_keys_read_with_slash_go_to_the_filter(indexed: tuple[Path, Path], editor: Path) -> None:
    app = make_app(*indexed)
    async with running(app, (120, 35)) as pilot:
        app.query_one("#notes", OptionList).focus()
        current = app.current
        typed(app, "slash", "k", "e", "q")  # "/keq" pasted, or over ssh: one read
        await wait_for(pilot, lambda: app.filter_query == "keq", what=lambda: app.filter_query)
        await settle(pilot, app)
        assert app.is_running and not editor.exists() and app.current == current
        assert app.focused is app.query_one("#filter", Input)


@sync
async def test_keys_read_after_enter_in_the_filter_are_not_typed_into_it(indexed: tuple[Path, Path],
                                                                        editor: Path) -> None:
    app = make_app(*indexed)
    async with running(app, (120, 35)) as pilot:
        shown = record_notes(app)
        typed(app, "slash", *"kimchi", "enter", "e", "r")  # "/kimchi⏎er" in one read
        await wait_for(pilot, lambda: app.current == "cooking/Kimchi.md")
        await wait_for(pilot, lambda: any(m.startswith("Ignored 2 key(s)") for m, _ in shown), what=shown)
        await settle(pilot, app)
        assert app.query_one("#filter", Input).value == "kimchi" and app.filter_query == "kimchi"
        assert app.focused is app.query_one("#notes") and not editor.exists() and not app.builds.running
        typed(app, "slash", *"fermentation", "down", "down")  # ↓ leaves the box; the next ↓ moves the list
        listing = app.query_one("#notes", OptionList)
        await wait_for(pilot, lambda: app.focused is listing and app.current != "cooking/Kimchi.md")
        assert app.query_one("#filter", Input).value == "fermentation"


@sync
async def test_down_in_the_filter_moves_into_the_results(indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, (120, 35)) as pilot:
        await pilot.press("slash", *"kimchi", "down")
        listing = app.query_one("#notes", OptionList)
        await wait_for(pilot, lambda: app.focused is listing)
        assert listing.highlighted_option is not None and listing.highlighted_option.id == "cooking/Kimchi.md"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.current == "cooking/Kimchi.md")


@sync
async def test_tabbing_into_a_panel_highlights_its_first_row(indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, (120, 35)) as pilot:
        app.show_note("cooking/Kimchi.md")
        app.query_one("#notes", OptionList).focus()
        related = app.query_one("#related", OptionList)
        for _ in range(6):
            if app.focused is related:
                break
            await pilot.press("tab")
        assert app.focused is related and related.highlighted == 0
        first = related.get_option_at_index(0).id
        reason = str(app.query_one("#because").render())  # the index's reasons, read as words
        assert reason.startswith("because: ") and not any(c in reason for c in "[]'"), reason
        assert "mentions:" not in reason
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.current == first)
        concepts = app.query_one("#concepts", OptionList)
        await pilot.press("tab")
        await wait_for(pilot, lambda: app.focused is concepts and concepts.highlighted == 0)


@sync
async def test_the_ends_of_history_say_so(indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, (120, 35)) as pilot:
        shown = record_notes(app)
        first = app.current
        await pilot.press("left_square_bracket")
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: len(shown) == 2)
        assert [m for m, _ in shown] == ["This is the first note you opened (`]` goes forward)",
                                         "This is the last note you opened (`[` goes back)"]
        app.show_note("cooking/Kimchi.md")
        await pilot.press("left_square_bracket")
        assert app.current == first and len(shown) == 2


@sync
async def test_back_and_forward_return_where_each_note_was_read(indexed: tuple[Path, Path]) -> None:
    """Reading down a long note, following a link and pressing `[` came back to the note's top: the place
    was lost. Back and forward return to where each note was left."""
    app = make_app(*indexed)
    async with running(app, (120, 24)) as pilot:
        await open_note(pilot, app, "Home.md")
        view = app.query_one(NoteView)
        view.focus()
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: view.scroll_y > 5)
        read_at = round(view.scroll_y)
        app.follow_link("Kimchi")
        await wait_for(pilot, lambda: app.current == "cooking/Kimchi.md" and view.scroll_y == 0)
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: view.scroll_y > 0)
        kimchi_at = round(view.scroll_y)
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: app.current == "Home.md")
        assert round(view.scroll_y) == read_at
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: app.current == "cooking/Kimchi.md")
        assert round(view.scroll_y) == kimchi_at


@sync
async def test_editing_keys_read_with_characters_apply_in_order(indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, (120, 35)) as pilot:
        typed(app, "slash", *"abc", "backspace", "d", "left", "x")  # one read: Backspace and ← where typed
        await wait_for(pilot, lambda: app.filter_query == "abxd", what=lambda: app.filter_query)


def footer_keys(app: NotelinkApp) -> list[str] | None:
    """The keys the main screen's footer names, None while it is hidden."""
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    footer = app.screen_stack[0].query_one(Footer)
    return [k.key for k in footer.query(FooterKey)] if footer.display else None


@sync
async def test_the_footer_names_only_keys_that_work(indexed: tuple[Path, Path]) -> None:
    from textual.widgets import Footer

    from notelink.tui.screens import ConceptScreen

    app = make_app(*indexed)
    async with running(app, (140, 40)) as pilot:
        await wait_for(pilot, lambda: "q" in (footer_keys(app) or []), what=lambda: footer_keys(app))
        app.query_one("#concepts", OptionList).focus()
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConceptScreen))
        await wait_for(pilot, lambda: footer_keys(app) is None, what="the footer hidden under a dialog")
        await pilot.press("escape")
        await wait_for(pilot, lambda: "q" in (footer_keys(app) or []), what=lambda: footer_keys(app))
        assert app.screen_stack[0].query_one(Footer).display
        shown = record_notes(app)
        await pilot.press("s", "ctrl+c")  # search mode: the box types q, and took Ctrl+C silently
        await wait_for(pilot, lambda: bool(shown), what="a word on how to quit")
        assert shown == [("Press Ctrl+Q to quit", "information")], shown
        await wait_for(pilot, lambda: "q" not in (footer_keys(app) or ["q"]), what=lambda: footer_keys(app))
        await pilot.press("q")
        assert app.is_running and app.query_one("#search-box", Input).value == "q"

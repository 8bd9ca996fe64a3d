"""Back and forward as a reader expects, like a browser's: a jump to a heading or to a search hit's passage in
the shown note is a place of its own, so `[` after it returns to where the reader was (it went to the note
opened before, the place lost)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from notelink.tui.app import NotelinkApp
from notelink.tui.history import History
from notelink.tui.noteview import NoteView

from .helpers import open_note, running, sample_index, sync, wait_for
from .test_app import make_app
from .test_search import LONG, LONG_TEXT, search

SIZE = (120, 24)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """sample_notes and a long note whose last heading is far below its first screen."""
    return sample_index(tmp_path_factory.mktemp("history"), {LONG: LONG_TEXT})


def test_a_jump_in_a_note_is_an_entry_of_its_own() -> None:
    h = History()
    h.visit("a")
    h.leave((1, 0.5))
    h.jump()  # to a heading of "a"
    h.leave((6, 0.25))
    assert h.current == "a" and h.back() == "a" and h.place == (1, 0.5)
    assert h.forward() == "a" and h.place == (6, 0.25)
    h.visit("b")
    h.retain({"a", "b"})  # the current entry stays current, not the first entry of its path
    assert h.current == "b" and h.back() == "a" and h.place == (6, 0.25)


async def read_down(pilot: Any, app: NotelinkApp) -> int:
    """The long note shown and read a page down; the line at the top of the note view."""
    await open_note(pilot, app, LONG)
    view = app.query_one(NoteView)
    view.focus()
    await pilot.press("pagedown")
    await wait_for(pilot, lambda: view.scroll_y > 5)
    return round(view.scroll_y)


async def back_and_forth(pilot: Any, app: NotelinkApp, read_at: int, jumped_to: int) -> None:
    """`[` returns to the long note where it was read; `]` to where the jump went."""
    view = app.query_one(NoteView)
    await pilot.press("left_square_bracket")
    await wait_for(pilot, lambda: app.current == LONG and round(view.scroll_y) == read_at,
                   what=lambda: (app.current, view.scroll_y, read_at))
    await pilot.press("right_square_bracket")
    await wait_for(pilot, lambda: app.current == LONG and round(view.scroll_y) == jumped_to,
                   what=lambda: (app.current, view.scroll_y, jumped_to))


@sync
@pytest.mark.parametrize("target", ["#The last flight", "Zeppelin log#The last flight"])
async def test_back_after_a_heading_jump_returns_where_the_reader_was(indexed: tuple[Path, Path],
                                                                      target: str) -> None:
    """`[[#heading]]` (the links picker's headings too) and `[[This note#heading]]`."""
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        read_at = await read_down(pilot, app)
        view = app.query_one(NoteView)
        app.follow_link(target)
        heading = view.heading_line("The last flight")
        assert heading is not None and heading > read_at
        await wait_for(pilot, lambda: round(view.scroll_y) > read_at)
        await back_and_forth(pilot, app, read_at, round(view.scroll_y))


@sync
async def test_back_after_another_notes_heading_returns_where_the_reader_was(
        indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        read_at = await read_down(pilot, app)
        view = app.query_one(NoteView)
        app.follow_link("Growing tomatoes#Feeding")
        await wait_for(pilot, lambda: app.current == "gardening/Growing tomatoes.md" and view.scroll_y > 0)
        at_heading = round(view.scroll_y)
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: app.current == LONG and round(view.scroll_y) == read_at)
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: app.current == "gardening/Growing tomatoes.md"
                       and round(view.scroll_y) == at_heading)


@sync
async def test_back_after_a_search_hit_in_the_shown_note_returns_where_the_reader_was(
        indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, (120, 35)) as pilot:
        read_at = await read_down(pilot, app)
        view = app.query_one(NoteView)
        await search(pilot, app, "hangar friedrichshafen")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.current == LONG and round(view.scroll_y) > read_at + 10,
                       what=lambda: view.scroll_y)
        await back_and_forth(pilot, app, read_at, round(view.scroll_y))


@sync
async def test_back_after_a_resize_returns_to_the_same_text(indexed: tuple[Path, Path]) -> None:
    """The history kept a note's top line, which is another part of the note at another width: back after
    the terminal was resized (or after a search, the note view hidden while it was resized) showed
    paragraphs away from where the reader left. It keeps the place in the text."""
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        await open_note(pilot, app, LONG)
        view = app.query_one(NoteView)
        read_at = view.heading_line("Flight 20")
        assert read_at is not None
        view.scroll_to(y=read_at, animate=False, immediate=True)
        await open_note(pilot, app, "cooking/Kimchi.md")
        await pilot.resize_terminal(200, 24)  # each flight's paragraph on one line now, not two
        await wait_for(pilot, lambda: view.scrollable_content_region.width > 62)
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: app.current == LONG)
        at = view.heading_line("Flight 20")
        assert at is not None and at != read_at and abs(round(view.scroll_y) - at) <= 2, (view.scroll_y, at)

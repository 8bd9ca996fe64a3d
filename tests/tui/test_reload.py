"""Pilot tests for a new index of the vault while a note is read (an edit anywhere in the vault, an outside
edit to the shown note, the return from `e`): the note stays where it was read, its related note
highlighted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from notelink.tui.app import NotelinkApp
from notelink.tui.noteview import NoteView
from notelink.tui.passage import Passage

from .helpers import open_note, running, sample_index, settle, sync, wait_for
from .test_app import FakeEvent, FakeWatcher, make_app

NOTE = "programming/Databases and SQL.md"  # sample_notes' longest: it scrolls in a short window
LONG = "Long.md"
LAST = "The last paragraph names the zeppelin hangar by the river."
SIZE = (120, 24)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    paragraphs = "".join(f"Paragraph {i} about bread and flour.\n\n" for i in range(3000))
    return sample_index(tmp_path_factory.mktemp("reload"), {LONG: f"# Long\n\n{paragraphs}{LAST}\n"})


async def new_index(pilot: object, app: NotelinkApp, watcher: FakeWatcher, changed: str) -> None:
    """The watcher's word that a new index is live after `changed` changed; waits until it is shown."""
    before = app.index
    watcher.on_event(FakeEvent("indexed", (changed,)))
    await wait_for(pilot, lambda: app.index is not before, what="the new index loaded")
    await settle(pilot, app)


def highlighted(app: NotelinkApp) -> str | None:
    listing = app.query_one("#related", OptionList)
    at = listing.highlighted
    return None if at is None else listing.get_option_at_index(at).id


@sync
async def test_a_new_index_keeps_the_scroll_position_and_the_highlighted_related_note(
        indexed: tuple[Path, Path]) -> None:
    watchers: list[FakeWatcher] = []
    app = make_app(*indexed, watchers)
    async with running(app, SIZE) as pilot:
        await open_note(pilot, app, NOTE)
        view = app.query_one(NoteView)
        assert view.max_scroll_y > 6
        view.scroll_to(y=6, animate=False, immediate=True)
        listing = app.query_one("#related", OptionList)
        listing.focus()
        listing.highlighted = 1
        chosen = highlighted(app)
        because = app.query_one("#because", Static)
        await wait_for(pilot, lambda: bool(str(because.render())), what="why it is related")
        await new_index(pilot, app, watchers[0], "music/Chords.md")  # another note changed
        assert round(view.scroll_y) == 6, view.scroll_y  # (was 0: back at the top)
        assert highlighted(app) == chosen and app.focused is listing  # (was none)
        await wait_for(pilot, lambda: bool(str(because.render())), what="why it is related, again")
        await pilot.press("down")
        assert listing.highlighted == 2  # on from there


@sync
async def test_a_new_index_keeps_a_search_hits_passage_not_reached_yet(indexed: tuple[Path, Path]) -> None:
    """A hit's passage near the end of a long note, still being laid out when the new index comes: the
    note is shown at the passage all the same (it was dropped, or the note put back at its top)."""
    watchers: list[FakeWatcher] = []
    app = make_app(*indexed, watchers)
    async with running(app, SIZE) as pilot:
        app.show_note(LONG)
        view = app.query_one(NoteView)
        assert view.rendering
        view.scroll_to_passage(Passage.of(LAST, [(LAST.index("zeppelin"), LAST.index(" hangar"))]))
        await new_index(pilot, app, watchers[0], "music/Chords.md")
        line = next(y for y, c in enumerate(view.lines) if "zeppelin" in c.plain)
        top, height = round(view.scroll_y), view.scrollable_content_region.height
        assert app.current == LONG and top > 0 and top <= line < top + height, (top, line, height)


@sync
async def test_a_new_index_follows_the_shown_note_renamed_on_disk(tmp_path: Path) -> None:
    """The app jumped to the first note when the note it showed was renamed (a new user's sweep): it follows
    it, by the watcher's rename (edited too), or by its content at a new path (no rename said)."""
    from notelink.index.build import build_index

    from ..conftest import FAST

    vault, index_dir = sample_index(tmp_path)
    watchers: list[FakeWatcher] = []
    app = make_app(vault, index_dir, watchers)
    async with running(app, SIZE) as pilot:
        await open_note(pilot, app, NOTE)
        (vault / "programming/Databases.md").write_bytes((vault / NOTE).read_bytes())
        (vault / NOTE).unlink()
        build_index(vault, index_dir, FAST)
        await new_index(pilot, app, watchers[0], NOTE)  # another process's watcher: no rename said
        assert app.current == "programming/Databases.md"
        (vault / "archive").mkdir()
        os.rename(vault / "programming", vault / "archive/programming")
        (vault / "archive/programming/Databases.md").write_text("# Databases\n\nNow about indexes.\n")
        build_index(vault, index_dir, FAST)
        moved = FakeEvent("changed", ("programming/", "archive/programming/"),
                          message="moved programming/ → archive/programming/",
                          moves=(("programming/", "archive/programming/"),))
        watchers[0].on_event(moved)
        toast = "Moved programming/ → archive/programming/; updating related notes…"  # (the watcher's words)
        await wait_for(pilot, lambda: any(str(n.message) == toast for n in app._notifications))
        await new_index(pilot, app, watchers[0], "archive/programming/")
        assert app.current == "archive/programming/Databases.md"


@sync
async def test_the_shown_note_deleted_on_disk_goes_back_to_the_note_before_it(tmp_path: Path) -> None:
    """The shown note deleted by another program: the app jumped to the vault's home note, away from the
    history (`[` then went to a note before the one the reader came from). It goes back, as `[` does: to
    the note read before, where it was read."""
    from notelink.index.build import build_index

    from ..conftest import FAST

    vault, index_dir = sample_index(tmp_path)
    watchers: list[FakeWatcher] = []
    app = make_app(vault, index_dir, watchers)
    async with running(app, SIZE) as pilot:
        await open_note(pilot, app, NOTE)
        view = app.query_one(NoteView)
        view.scroll_to(y=6, animate=False, immediate=True)
        await open_note(pilot, app, "cooking/Kimchi.md")
        (vault / "cooking/Kimchi.md").unlink()
        build_index(vault, index_dir, FAST)
        await new_index(pilot, app, watchers[0], "cooking/Kimchi.md")
        assert app.current == NOTE and round(view.scroll_y) == 6, (app.current, view.scroll_y)
        await pilot.press("right_square_bracket")  # nothing after it now
        assert app.current == NOTE


@sync
async def test_back_reaches_a_note_renamed_since_it_was_read(tmp_path: Path) -> None:
    """A note read earlier, renamed since (the watcher said 'moved'), was dropped from back/forward: `[`
    skipped it, to the note before it. It is followed to its new path as the shown note is (by the
    watcher's rename, else by its content); and after the shown note is renamed, `[` goes to the note read
    before it, not one further back."""
    from notelink.index.build import build_index

    from ..conftest import FAST

    vault, index_dir = sample_index(tmp_path)
    watchers: list[FakeWatcher] = []
    app = make_app(vault, index_dir, watchers)
    async with running(app, SIZE) as pilot:
        for path in ("cooking/Kimchi.md", "cooking/Fermentation.md", "gardening/Mulch.md"):
            await open_note(pilot, app, path)
        for old, new in (("cooking/Fermentation.md", "cooking/Ferments.md"),
                         ("gardening/Mulch.md", "gardening/Mulching.md")):
            os.rename(vault / old, vault / new)
            watchers[0].on_event(FakeEvent("changed", (old, new), message=f"moved {old} → {new}",
                                           moves=((old, new),)))
        os.rename(vault / "cooking/Kimchi.md", vault / "cooking/Napa kimchi.md")  # (no rename said)
        build_index(vault, index_dir, FAST)
        await new_index(pilot, app, watchers[0], "gardening/Mulching.md")
        assert app.current == "gardening/Mulching.md"
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: app.current == "cooking/Ferments.md", what=lambda: app.current)
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: app.current == "cooking/Napa kimchi.md", what=lambda: app.current)

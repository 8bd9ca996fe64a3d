"""Pilot tests for showing notes of any size (issue 20): a 363 KB list of links is on screen with its
panels as soon as it is chosen, the rest is laid out between key presses, and the view follows the width."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from textual import events

from notelink.config import IndexConfig, TuiConfig
from notelink.tui.app import NotelinkApp
from notelink.tui.noteview import NoteView
from tests.conftest import FAST

from .helpers import open_note, running, sample_index, settle, sync, wait_for
from .test_app import make_app, option_ids
from .test_render import WIDE_TABLE

BIG = "Links.md"
TABLE = "Garden table.md"


def link_list(kb: int, seed: int = 1) -> str:
    """One long bullet list of web links, like a bookmarks note (~120 bytes an item)."""
    rng = random.Random(seed)
    words = "terminal editor notes vault python search index graph links sync theme plugin".split()
    items = [f"- [{' '.join(rng.choices(words, k=4)).title()}](https://example.org/{rng.randrange(10**6)}) - "
             f"{' '.join(rng.choices(words, k=8))}\n" for _ in range(kb * 1000 // 110)]
    return "# Links\n\nBookmarks collected over the years.\n\n" + "".join(items)


@pytest.fixture(scope="module")
def big_vault(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return sample_index(tmp_path_factory.mktemp("big"), {
        BIG: link_list(363), TABLE: "# Garden table\n\nWhat the beds need.\n\n" + WIDE_TABLE})


@sync
async def test_a_huge_note_is_on_screen_with_its_panels_as_soon_as_it_is_chosen(
        big_vault: tuple[Path, Path]) -> None:
    assert (big_vault[0] / BIG).stat().st_size > 360_000
    app = make_app(*big_vault)
    async with running(app, (120, 40)) as pilot:
        app.show_note("cooking/Kimchi.md")
        await settle(pilot, app)
        view = app.query_one(NoteView)
        app.show_note(BIG)  # nothing awaited: what is on screen at the next frame is what is there now
        assert view.border_title == "Links" and view.lines[0].plain.strip() == "Links"
        assert view.line_count >= view.scrollable_content_region.height  # the first screenful...
        assert view.rendering and view.line_count < 1000  # ...not the whole note
        assert app.cache is not None
        hits = [h.path for h in app.cache.details(BIG).related]
        assert option_ids(app, "#related") == hits  # the panels are the same note's
        await wait_for(pilot, lambda: not view.rendering, 600)
        assert view.line_count > 3000 and "Links" in view.source
        assert view.lines[-1].plain.startswith("  ") or view.lines[-1].plain.startswith("•")


@sync
async def test_keys_are_handled_while_the_rest_of_a_huge_note_is_laid_out(
        big_vault: tuple[Path, Path]) -> None:
    app = make_app(*big_vault)
    async with running(app, (120, 40)) as pilot:
        view = app.query_one(NoteView)
        app.show_note(BIG)
        view.focus()
        app.post_message(events.Key("end", None))  # a key arriving while the rest is laid out
        await wait_for(pilot, lambda: view.scroll_y > 0)
        assert view.rendering, "the key waited for the whole note"
        await wait_for(pilot, lambda: not view.rendering, 600)


@sync
async def test_another_note_chosen_meanwhile_stops_the_rest(big_vault: tuple[Path, Path]) -> None:
    app = make_app(*big_vault)
    async with running(app, (120, 40)) as pilot:
        view = app.query_one(NoteView)
        app.show_note(BIG)
        app.show_note("cooking/Kimchi.md")
        assert not view.rendering and view.border_title == "Kimchi"
        await settle(pilot, app)
        assert view.border_title == "Kimchi" and "Kimchi" in view.source and "Bookmarks" not in view.source


@sync
async def test_a_narrower_terminal_lays_the_note_out_again_where_it_was(big_vault: tuple[Path, Path]) -> None:
    app = make_app(*big_vault)
    async with running(app, (160, 40)) as pilot:
        app.show_note(BIG)
        view = app.query_one(NoteView)
        await wait_for(pilot, lambda: not view.rendering, 600)
        wide = view.line_count
        view.scroll_to(y=wide // 2, animate=False, immediate=True)
        top = view.lines[round(view.scroll_y)].plain.strip()
        await pilot.resize_terminal(100, 40)
        await wait_for(pilot, lambda: view.line_count > wide and not view.rendering, 600)
        assert max(len(line.plain.rstrip()) for line in view.lines) <= view.scrollable_content_region.width
        y = round(view.scroll_y)
        near = [line.plain.strip() for line in view.lines[y - 40 : y + 40]]
        assert any(top[:30] in line for line in near)  # the same part of the note is still on screen


@sync
async def test_a_wide_table_wraps_its_cells_and_scrolls_sideways_when_even_its_words_do_not_fit(
        big_vault: tuple[Path, Path]) -> None:
    """A 7-column table showed `to… │ so… │ mu…` at 120 columns and `tomato… │ soil │ mulch …` at 200: every
    cell cut to a few characters, the last column cut off without an ellipsis, nowhere to read it whole."""
    for size, sideways in (((200, 50), False), ((120, 32), True)):
        app = make_app(*big_vault)
        async with running(app, size) as pilot:
            app.show_note(TABLE)
            await settle(pilot, app)
            view = app.query_one(NoteView)
            shown = " ".join(line.plain for line in view.lines)
            assert "…" not in shown, (size, shown)
            assert set(WIDE_TABLE.replace("|", " ").replace("-", " ").split()) <= set(
                shown.replace("│", " ").split()), (size, shown)
            assert (view.max_scroll_x > 0) is sideways, (size, view.virtual_size, view.region)
            if sideways:
                await _to_the_right(pilot, view)
                assert any("final" in view.render_line(y).text for y in range(view.size.height))


async def _to_the_right(pilot: Any, view: NoteView) -> None:
    """Ctrl+PageDown in the note view: a page to the right, here the table's end."""
    view.focus()
    await pilot.press("ctrl+pagedown")
    await wait_for(pilot, lambda: view.scroll_x == view.max_scroll_x)


LONG = "Long.md"
LAST = "The very last line of the long note."


def long_note(sections: int, seed: int = 2) -> str:
    """Sections of prose under `## Section k` headings (~2.4 KB each), then one last line."""
    rng = random.Random(seed)
    words = "soil compost seed water root leaf mulch sprout harvest bed worm tomato prune".split()
    body = [f"\n## Section {k}\n\n" + "\n\n".join(" ".join(rng.choices(words, k=70)) + "." for _ in range(5))
            for k in range(sections)]
    return "# Long\n" + "\n".join(body) + f"\n\n{LAST}\n"


@pytest.fixture(scope="module")
def long_vault(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return sample_index(tmp_path_factory.mktemp("long"), {LONG: long_note(390)})


def shown(view: NoteView) -> str:
    """The text of the view's rows on screen."""
    return "\n".join(view.render_line(y).text for y in range(view.scrollable_content_region.height))


@sync
async def test_end_shows_a_long_notes_end_before_the_rest_is_laid_out(long_vault: tuple[Path, Path]) -> None:
    """End in an 800 KB note shows its last line at once, and it stays on screen while the lines before
    it are laid out (End went to the end of what was laid out so far: for 3.6 MB, over 47 s)."""
    assert (long_vault[0] / LONG).stat().st_size > 800_000
    app = make_app(*long_vault)
    async with running(app, (120, 40)) as pilot:
        view = app.query_one(NoteView)
        app.show_note(LONG)
        view.focus()
        app.post_message(events.Key("end", None))
        await wait_for(pilot, lambda: LAST in shown(view), 60, what=lambda: shown(view))
        assert view.rendering, "End waited for the whole note"
        await wait_for(pilot, lambda: not view.rendering, 600)
        await pilot.pause()
        assert LAST in shown(view) and view.scroll_y == view.max_scroll_y
        assert view.lines[-1].plain == LAST and view.heading_line("Section 389") is not None


@sync
async def test_pagedown_past_what_is_laid_out_shows_the_next_page_and_end_the_end(
        long_vault: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """PageDown in a long note whose rest is not laid out yet (no steps: a machine too busy for them) shows
    the next page of the note each time, the lines the whole note has there; End then shows its end."""
    app = make_app(*long_vault)
    async with running(app, (120, 40)) as pilot:
        view = app.query_one(NoteView)
        monkeypatch.setattr(NoteView, "_continue", lambda self, serial: None)
        app.show_note(LONG)
        view.focus()
        page = view.scrollable_content_region.height
        seen: list[tuple[int, str]] = []
        for _ in range(30):
            top = round(view.scroll_y)
            await pilot.press("pagedown")
            await wait_for(pilot, lambda t=top: view.scroll_y == view.scroll_target_y != t,  # (settled)
                           what=lambda t=top: (t, view.scroll_y, view.max_scroll_y, view.line_count))
            seen.append((round(view.scroll_y), shown(view)))
        assert [top for top, _ in seen] == [page * k for k in range(1, 31)]
        assert view.rendering and view.line_count < 31 * page + 500  # laid out by PageDown alone, as it went
        await pilot.press("end")
        await wait_for(pilot, lambda: LAST in shown(view), what=lambda: shown(view))
        monkeypatch.undo()  # the steps lay out the rest now
        view.call_after_refresh(view._continue, view.serial)
        await wait_for(pilot, lambda: not view.rendering, 600)
        await pilot.pause()
        assert LAST in shown(view) and view.scroll_y == view.max_scroll_y and view.lines[-1].plain == LAST
        whole = [line.plain.rstrip() for line in view.lines]
        for top, text in seen:  # what each press showed is the whole note's lines there
            assert [row.rstrip() for row in text.split("\n")] == whole[top:top + page], top


@sync
async def test_a_note_the_index_holds_is_shown_whatever_size_cap_the_app_was_given(tmp_path: Path) -> None:
    """`notelink index --max-file-mb 10` indexed a 7.8 MB note; the app, given no such flag (it has none),
    said 'Cannot show this note: too large: 7.8 MB is over the 5.0 MB cap (raise it with --max-file-mb)'
    for a note it listed, ranked and searched. A note the index holds is read with the index's cap."""
    vault, index_dir = sample_index(tmp_path)  # (built with the default cap, 5 MB)
    cfg = TuiConfig(vault=vault, index_dir=index_dir, train=FAST, watch=False,
                    index=IndexConfig(max_file_bytes=1_000))  # (smaller than Kimchi.md, as 5 MB was)
    app = NotelinkApp(cfg)
    async with running(app, (120, 40)) as pilot:
        await open_note(pilot, app, "cooking/Kimchi.md")
        source = app.query_one(NoteView).source
        assert "Cannot show" not in source and "napa cabbage" in source

"""Pilot tests for following links: headings in the note, notes at a heading, attachments, missing notes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Markdown, OptionList

from notelink.index.build import build_index
from notelink.tui.screens import LinksScreen
from notelink.tui.widgets import NoteView
from tests.conftest import FAST, SAMPLE

from .test_app import make_app, settle, sync
from .test_builds import record_notes

GUIDE = ("# Guide\n\nJump to [[#Section 30]], [[#Guide#Section 35]], see "
         "[[Kimchi#Fermenting|kimchi's fermenting]], [[Missing note]] and ![[diagram.png]].\n\n"
         + "".join(f"## Section {i}\n\n" + "Some words about fermenting.\n\n" * 3 for i in range(40)))


@pytest.fixture(scope="module")
def guide_vault(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("links")
    vault, index_dir = root / "vault", root / "index"
    shutil.copytree(SAMPLE, vault)
    (vault / "Guide.md").write_text(GUIDE, encoding="utf-8")
    build_index(vault, index_dir, FAST)
    return vault, index_dir


def heading_top(app: object, view: NoteView, text: str) -> int:
    """Where a heading is on screen relative to the note view's top (0: at the top)."""
    for md in view.query(Markdown):
        for _level, title, block_id in md.table_of_contents:
            if title == text and block_id:
                return md.query_one(f"#{block_id}").region.y - view.content_region.y
    raise AssertionError(f"no heading {text!r}")


@sync
async def test_links_picker_follows_a_heading_in_the_note(guide_vault: tuple[Path, Path]) -> None:
    app = make_app(*guide_vault)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, app)
        app.show_note("Guide.md")
        await pilot.pause(0.5)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LinksScreen)
        prompts = [str(o.prompt) for o in app.screen.query_one("#links", OptionList).options]
        assert prompts == ["Section 30  → heading in this note", "Guide#Section 35  → heading in this note",
                           "kimchi's fermenting  → Kimchi#Fermenting",
                           "Missing note"]  # the image embed is not offered as a note
        shown = record_notes(app)
        await pilot.press("enter")
        await pilot.pause(0.3)
        view = app.query_one(NoteView)
        assert app.current == "Guide.md" and view.scroll_y > 0, shown
        assert 0 <= heading_top(app, view, "Section 30") <= 2  # at the top (below its margin)
        assert not [m for m, severity in shown if severity != "information"]
        app.follow_link("#Guide#Section 35")  # a nested heading: the last one counts
        await pilot.pause(0.2)
        assert 0 <= heading_top(app, view, "Section 35") <= 2


@sync
async def test_links_to_a_heading_elsewhere_missing_notes_and_attachments(guide_vault: tuple[Path, Path]
                                                                          ) -> None:
    app = make_app(*guide_vault)
    async with app.run_test(size=(120, 20)) as pilot:
        await settle(pilot, app)
        app.show_note("Guide.md")
        await pilot.pause(0.3)
        shown = record_notes(app)
        app.follow_link("Missing note")
        app.follow_link("diagram.png")
        assert [m for m, _ in shown] == [
            "Cannot follow [[Missing note]]: no note named 'Missing note' in the index",
            "diagram.png is an attachment, not a note"]
        md = app.query_one("#markdown", Markdown)
        md.post_message(Markdown.LinkClicked(md, "notelink:Kimchi%23Fermenting"))
        await pilot.pause(0.5)
        view = app.query_one(NoteView)
        assert app.current == "cooking/Kimchi.md"
        assert view.scroll_y > 0 and 0 <= heading_top(app, view, "Fermenting") <= 2
        app.follow_link("Guide#Section 38")  # in the part of a long note rendered second
        await pilot.pause(1.0)
        assert app.current == "Guide.md" and 0 <= heading_top(app, view, "Section 38") <= 2
        app.follow_link("Kimchi#No such heading")
        await pilot.pause(0.5)
        assert app.current == "cooking/Kimchi.md" and view.scroll_y == 0
        assert shown[-1] == ("No heading 'No such heading' in Kimchi", "warning")

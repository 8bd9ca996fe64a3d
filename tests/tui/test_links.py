"""Pilot tests for following links: headings in the note, notes at a heading, attachments, missing notes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import OptionList

from notelink.index.build import build_index
from notelink.tui.app import NotelinkApp
from notelink.tui.noteview import NoteView
from notelink.tui.screens import LinksScreen
from notelink.tui.text import FOOTNOTE, note_href
from tests.conftest import FAST, SAMPLE

from .helpers import running, settle, sync, wait_for
from .test_app import make_app
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


def heading_top(view: NoteView, text: str) -> int | None:
    """Where a heading is on screen relative to the note view's top (0: at the top), None if not laid out."""
    y = view.heading_line(text)
    return None if y is None else y - round(view.scroll_y)


def at_top(view: NoteView, text: str) -> bool:
    """True when the view is scrolled to the heading: at the top, or as far as the note scrolls."""
    y = view.heading_line(text)
    return y is not None and round(view.scroll_y) == min(y, view.max_scroll_y) > 0


@sync
async def test_links_picker_follows_a_heading_in_the_note(guide_vault: tuple[Path, Path]) -> None:
    app = make_app(*guide_vault)
    async with running(app, (120, 35)) as pilot:
        app.show_note("Guide.md")
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LinksScreen))
        assert isinstance(app.screen, LinksScreen)
        prompts = [str(o.prompt) for o in app.screen.query_one("#links", OptionList).options]
        assert prompts == ["Section 30  → heading in this note", "Guide#Section 35  → heading in this note",
                           "kimchi's fermenting  → Kimchi#Fermenting",
                           "Missing note  → no such note"]  # the image embed is not offered as a note
        shown = record_notes(app)
        await pilot.press("enter")
        view = app.query_one(NoteView)
        await wait_for(pilot, lambda: heading_top(view, "Section 30") == 0, what="Section 30 at the top")
        assert app.current == "Guide.md" and view.scroll_y > 0, shown
        assert not [m for m, severity in shown if severity != "information"]
        app.follow_link("#Guide#Section 35")  # a nested heading: the last one counts
        await wait_for(pilot, lambda: heading_top(view, "Section 35") == 0, what="Section 35 at the top")


@sync
async def test_links_to_a_heading_elsewhere_missing_notes_and_attachments(guide_vault: tuple[Path, Path]
                                                                          ) -> None:
    app = make_app(*guide_vault)
    async with running(app, (120, 20)) as pilot:
        app.show_note("Guide.md")
        shown = record_notes(app)
        app.follow_link("Missing note")
        app.follow_link("diagram.png")
        assert [m for m, _ in shown] == [
            "Cannot follow [[Missing note]]: no note named 'Missing note' in the index",
            "diagram.png is an attachment, not a note"]
        view = app.query_one(NoteView)
        view.post_message(NoteView.LinkClicked("notelink:Kimchi%23Fermenting"))
        await wait_for(pilot, lambda: app.current == "cooking/Kimchi.md" and at_top(view, "Fermenting"))
        assert view.scroll_y > 0
        app.follow_link("Guide#Section 38")  # near the end of a long note: laid out after its first screen
        await wait_for(pilot, lambda: app.current == "Guide.md" and at_top(view, "Section 38"))
        app.follow_link("Kimchi#No such heading")
        await wait_for(pilot, lambda: shown[-1] == ("No heading 'No such heading' in Kimchi", "warning"))
        assert app.current == "cooking/Kimchi.md" and view.scroll_y == 0


def _app_of(vault: Path, tmp_path: Path) -> NotelinkApp:
    """The app on `vault` (made by `make_vault`), indexed beside it."""
    build_index(vault, tmp_path / "index", FAST)
    return make_app(vault, tmp_path / "index")


DENDRON = {  # a Dendron vault: `[[alias|note.name]]`, the alias first; "Intro" is another note's title too
    "dendron.yml": "version: 5\n",
    "root.md": "# Root\n\nStart with [[Intro|docs.intro]], then [[the guide|dendron://vault/docs.guide]].\n\n"
               "The root note of the docs about writing notes.\n",
    "docs.md": "# Docs\n\nThe docs: [[docs.guide]] and [[docs.intro]].\n",
    "docs.intro.md": "# Getting started\n\nHow to write notes and link notes in a vault of notes.\n",
    "docs.guide.md": "# The guide\n\nA longer guide to notes, links and the vault.\n",
    "intro.md": "# Intro\n\nA note whose title is the alias above, to catch links read backwards.\n",
    "docs.config.md": "---\ntitle: Config\ndesc: 'Set the *vault* up'\n---\n\n## Description\n{{fm.desc}} "
                      "{{! a comment }}\n\n`{{fm.desc}}` in code\n",
}


@sync
async def test_links_in_a_dendron_vault_go_where_dendron_says(make_vault, tmp_path: Path) -> None:
    app = _app_of(make_vault(DENDRON), tmp_path)
    async with running(app, (120, 30)) as pilot:
        app.show_note("root.md")
        await settle(pilot, app)
        view = app.query_one(NoteView)
        assert view.links == [("Intro", "docs.intro"), ("the guide", "dendron://vault/docs.guide")]
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LinksScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.current == "docs.intro.md", what=lambda: app.current)
        app.show_note("root.md")
        await settle(pilot, app)
        view.post_message(NoteView.LinkClicked(note_href(view.links[1][1])))  # a click on it
        await wait_for(pilot, lambda: app.current == "docs.guide.md", what=lambda: app.current)
        app.show_note("docs.md")  # links without a label: their notes' titles, as Dendron shows them
        await settle(pilot, app)
        assert "The docs: The guide and Getting started." in " ".join(line.plain for line in view.lines)
        assert view.links == [("The guide", "docs.guide"), ("Getting started", "docs.intro")]
        app.show_note("docs.config.md")  # `{{fm.desc}}` as Dendron's preview shows it (it was shown raw)
        await settle(pilot, app)
        assert [line.plain.strip() for line in view.lines] == [
            "Description", "", "Set the vault up", "", "{{fm.desc}} in code"]


SHORT_THEN_LONGER = {  # a note that fits the screen links to a heading of one a few screens long
    "Home.md": "# Home\n\nSee [[Long note#Setting up]] about compost heaps and gardens.\n",
    "Long note.md": "# Long note\n\n" + "".join(f"## Part {i}\n\nCompost heaps and gardens.\n\n"
                                                 for i in range(30)) + "## Setting up\n\nThe end.\n",
}


@sync
async def test_a_link_from_a_short_note_reaches_the_heading_of_a_longer_one(make_vault,
                                                                            tmp_path: Path) -> None:
    """The longer note is laid out at once and has no scrollbar yet when the heading is sought: it was shown
    at its top (Textual scrolls no view without a scrollbar unless forced)."""
    app = _app_of(make_vault(SHORT_THEN_LONGER), tmp_path)
    async with running(app, (120, 30)) as pilot:
        app.show_note("Home.md")
        await settle(pilot, app)
        view = app.query_one(NoteView)
        app.follow_link("Long note#Setting up")
        await wait_for(pilot, lambda: app.current == "Long note.md" and at_top(view, "Setting up"),
                       what=lambda: (app.current, view.scroll_y, view.heading_line("Setting up")))


MARKDOWN_VAULT = {  # a Foam / VS Code vault: Markdown links, relative to the linking note
    ".foam/.keep": "",
    "Home.md": "# Home\n\nStart at [the guide](docs/Guide%20one.md#setting-up) or [tips](<docs/tips.md>).\n\n"
               "A home note for the notes about gardens and compost heaps.\n",
    "docs/Guide one.md": "# Guide one\n\nBack [home](../Home.md), on to [tips](tips.md), a [gone](gone.md) "
                         "note.\n\n" + "".join(f"## Part {i}\n\nCompost heaps and gardens.\n\n"
                                                for i in range(30)) + "## Setting up\n\nThe end.\n",
    "docs/tips.md": "# Tips\n\nTips on gardens and compost, [up](../Home.md).\n",
    "tips.md": "# Other tips\n\nA note named like docs/tips.md, at the top: a link there is not to it.\n",
}


@sync
async def test_markdown_links_are_followed_relative_to_the_note(make_vault, tmp_path: Path) -> None:
    """In a vault that links with `[text](path)`, `l` lists those links and Enter or a click follows them
    from the shown note's folder (at the heading an anchor names); one to no note says so."""
    app = _app_of(make_vault(MARKDOWN_VAULT), tmp_path)
    async with running(app, (120, 30)) as pilot:
        app.show_note("docs/Guide one.md")
        await settle(pilot, app)
        shown = record_notes(app)
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LinksScreen))
        assert isinstance(app.screen, LinksScreen)
        prompts = [str(o.prompt) for o in app.screen.query_one("#links", OptionList).options]
        assert prompts == ["home", "tips", "gone  → gone.md: no such note"]
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: app.current == "docs/tips.md", what=lambda: app.current)
        view = app.query_one(NoteView)
        view.post_message(NoteView.LinkClicked("../Home.md"))  # a click on [up](../Home.md)
        await wait_for(pilot, lambda: app.current == "Home.md", what=lambda: app.current)
        view.post_message(NoteView.LinkClicked("docs/Guide%20one.md#setting-up"))
        await wait_for(pilot, lambda: app.current == "docs/Guide one.md" and at_top(view, "Setting up"),
                       what=lambda: (app.current, view.scroll_y, shown))
        view.post_message(NoteView.LinkClicked("gone.md"))
        await wait_for(pilot, lambda: bool(shown) and "gone.md" in shown[-1][0], what=lambda: shown)
        assert shown[-1] == ("Cannot follow the link to gone.md: no note there in the index", "warning")
        assert app.current == "docs/Guide one.md"


SAME_NAMES = {  # two notes named Topic: a link reaches the one in its own folder, as Obsidian resolves it
    "a/Topic.md": "# Topic\n\nThe topic of another folder, about gardens.\n",
    "garden/Topic.md": "# Garden topic\n\nThe garden's own topic note, about compost heaps.\n",
    "garden/Guide.md": "# Guide\n\nSee [[Topic]] about compost heaps and gardens.\n",
}


@sync
async def test_a_wikilink_opens_the_note_the_index_links_it_to(make_vault, tmp_path: Path) -> None:
    """Of two notes one name could mean, the app opened the first in order (as for a name typed), while
    status, related and health count the link to the one in the linking note's folder."""
    app = _app_of(make_vault(SAME_NAMES), tmp_path)
    async with running(app, (120, 30)) as pilot:
        app.show_note("garden/Guide.md")
        await settle(pilot, app)
        assert app.index is not None and app.index.links_from(app.notes_by_path["garden/Guide.md"].id) == {
            app.notes_by_path["garden/Topic.md"].id}
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LinksScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.current != "garden/Guide.md", what=lambda: app.current)
        assert app.current == "garden/Topic.md"


def test_a_markdown_link_in_the_picker_goes_to_its_notes_name() -> None:
    """An id-named note's Markdown link read `Spaced repetition  → d4e5f6` (found by the Markdown-link
    vault sweep); the picker names the note as the app does, with the heading an anchor names."""
    from notelink.tui.screens import _link_label
    from notelink.tui.text import MARKDOWN_LINK

    assert _link_label("see this", MARKDOWN_LINK + "d4e5f6", "Spaced repetition") == (
        "see this  → Spaced repetition")
    assert _link_label("Spaced repetition", MARKDOWN_LINK + "../d4e5f6.md", "Spaced repetition") == (
        "Spaced repetition")
    assert _link_label("the guide", MARKDOWN_LINK + "docs/Guide one.md#setting-up", "Guide one") == (
        "the guide  → Guide one › setting-up")
    assert _link_label("x", "Guide one", "Guide one") == "x  → Guide one"  # a wikilink: as written
    assert _link_label("pod", "dendron://dendron.site/dendron.topic.pod", "Pods") == (
        "pod  → dendron.topic.pod")  # (the sweep: `pod  → dendron://dendron.dendron-site/dendron.topic.pod`)


FOOTNOTED = {  # a note a few screens long, its footnotes at its end
    "Essay.md": "# Essay\n\nCompost needs air.[^air] Gardens and compost heaps, [[Other]].\n\n"
                + "".join(f"## Part {i}\n\nCompost heaps and gardens.\n\n" for i in range(30))
                + "[^air]: Howard, The Soil and Health.\n",
    "Other.md": "# Other\n\nAbout gardens and compost.\n",
}


def on_screen(view: NoteView, y: int) -> bool:
    """True when line `y` is on screen in a view scrolled down from the top."""
    return 0 < view.scroll_y <= y < view.scroll_y + view.scrollable_content_region.height


@sync
async def test_a_footnote_mark_goes_to_its_definition_and_back_returns(make_vault, tmp_path: Path) -> None:
    """A click on `[air]` scrolls to the definition under the note's Footnotes rule; `[` comes back; the
    links picker (`l`) lists the mark and goes there too."""
    app = _app_of(make_vault(FOOTNOTED), tmp_path)
    async with running(app, (100, 30)) as pilot:
        app.show_note("Essay.md")
        await settle(pilot, app)
        view = app.query_one(NoteView)
        assert "Compost needs air.[air]" in [line.plain.strip() for line in view.lines][:4]
        view.post_message(NoteView.LinkClicked(FOOTNOTE + "air"))  # a click on the mark
        y = view.footnote_line("air")
        assert y is not None and view.lines[y].plain.startswith("[air] Howard")
        await wait_for(pilot, lambda: on_screen(view, y), what=lambda: (view.scroll_y, y))
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: view.scroll_y == 0, what=lambda: view.scroll_y)
        shown = record_notes(app)
        app.follow_link(FOOTNOTE + "gone")
        assert shown == [("No footnote [^gone] in this note", "warning")] and view.scroll_y == 0
        await pilot.press("l")  # the links picker lists the mark too, and goes there
        await wait_for(pilot, lambda: isinstance(app.screen, LinksScreen))
        prompts = [str(o.prompt) for o in app.screen.query_one("#links", OptionList).options]
        assert prompts == ["[air]  → footnote in this note", "Other"]
        await pilot.press("enter")
        await wait_for(pilot, lambda: on_screen(view, y), what=lambda: (view.scroll_y, y))

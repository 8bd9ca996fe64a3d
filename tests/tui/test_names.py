"""Telling notes with the same title apart (`names`): known answers, and a Pilot test of every place the app
names notes (the list, related notes, a concept's notes, the links picker, the note's title and history)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from notelink.index.build import build_index
from notelink.query.answers import NoteInfo
from notelink.tui.names import Names, distinguishing
from notelink.tui.noteview import NoteView
from notelink.tui.screens import ConceptScreen, LinksScreen
from tests.conftest import FAST

from .helpers import running, sync, wait_for
from .test_app import make_app

DENDRON = ["dendron.ref.cli.md", "dendron.topic.cli.md", "dendron.topic.dev.cli.md",
           "dendron.topic.notes.cli.md", "dendron.topic.pod-v2.cli.md", "tags.feature.cli.md",
           "templates.cli.md"]


def test_dendron_names_by_the_part_of_the_hierarchy_that_differs() -> None:
    assert distinguishing(DENDRON, "CLI") == {
        "dendron.ref.cli.md": "ref", "dendron.topic.cli.md": "topic", "dendron.topic.dev.cli.md": "dev",
        "dendron.topic.notes.cli.md": "notes", "dendron.topic.pod-v2.cli.md": "pod-v2",
        "tags.feature.cli.md": "feature", "templates.cli.md": "templates"}


def test_translations_are_named_by_their_language_folder() -> None:
    paths = [f"{lang}/Obsidian Sync/Headless Sync.md" for lang in ("en", "de", "zh-TW")]
    assert distinguishing(paths, "Headless Sync") == {p: p.split("/")[0] for p in paths}


def test_folders_nearest_the_file_then_the_whole_path() -> None:
    assert distinguishing(["a/x/Foo.md", "b/x/Foo.md", "a/y/Foo.md"], "Foo") == {
        "a/x/Foo.md": "a/x", "b/x/Foo.md": "b", "a/y/Foo.md": "y"}
    assert distinguishing(["Foo.md", "foo.md"], "Foo") == {"Foo.md": "Foo.md", "foo.md": "foo.md"}


def test_only_shared_titles_get_a_name_added() -> None:
    notes = [NoteInfo(i, p, "CLI", [], []) for i, p in enumerate(DENDRON[:2])] + [
        NoteInfo(9, "solo.md", "Solo", [], [])]
    names = Names(notes)
    assert names.name("dendron.ref.cli.md", "CLI") == "CLI · ref"
    assert names.name("solo.md", "Solo") == "Solo" and names.label("solo.md") == ""


CLI_NOTES = {name: f"---\ntitle: CLI\n---\n\nThe command line for {name.split('.')[-3]}: run it, flags, "
             f"config, scripts, completion.\n\nSee [[{DENDRON[(k + 1) % len(DENDRON)][:-3]}]].\n"
             for k, name in enumerate(DENDRON)}
SYNC_NOTES = {f"{lang}/Sync/Headless Sync.md": "# Headless Sync\n\nSync your vault from a server without the "
              f"app, with the command line ({lang}); run it, flags, config.\n" for lang in ("en", "de", "fr")}


@pytest.fixture(scope="module")
def same_titles(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("names")
    vault, index_dir = root / "vault", root / "index"
    for rel, text in {**CLI_NOTES, **SYNC_NOTES, "root.md": "# Root\n\nThe home note.\n"}.items():
        (vault / rel).parent.mkdir(parents=True, exist_ok=True)
        (vault / rel).write_text(text, encoding="utf-8")
    build_index(vault, index_dir, FAST)
    return vault, index_dir


def prompts(app: Any, selector: str) -> list[str]:
    listing = app.screen.query_one(selector, OptionList)
    return [str(getattr(o.prompt, "plain", o.prompt)) for o in listing.options]


@sync
async def test_notes_with_one_title_are_told_apart_everywhere(same_titles: tuple[Path, Path]) -> None:
    app = make_app(*same_titles)
    async with running(app, (140, 40)) as pilot:
        await pilot.press("slash", *"cli")
        await wait_for(pilot, lambda: app.filter_query == "cli")
        listed = [p for p in prompts(app, "#notes") if p.startswith("CLI")]
        assert len(listed) == len(DENDRON) == len(set(listed))  # the list: "CLI · ref", "CLI · topic", ...
        assert "CLI · ref" in listed and "CLI · templates" in listed
        app.show_note("dendron.topic.cli.md")
        view = app.query_one(NoteView)
        assert view.border_title == "CLI · topic"  # the note's own title, and so the history's
        related = [re.sub(r"^.*?\d\.\d\d [↔ ] ", "", p) for p in prompts(app, "#related")]
        assert len(related) > 2 and all(r.startswith(("CLI · ", "Headless Sync · ", "Root")) for r in related)
        assert len(set(related)) == len(related), related
        view.focus()
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LinksScreen))
        assert prompts(app, "#links") == ["dendron.topic.dev.cli  → CLI · dev"]  # the link picker
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, LinksScreen))
        app.push_screen(ConceptScreen(app.index, "flags", 12, app.names))  # type: ignore[arg-type]
        await wait_for(pilot, lambda: isinstance(app.screen, ConceptScreen)
                       and app.screen.query("#concept-notes") and app.screen.query_one("#concept-notes",
                                                                                       OptionList).option_count)
        named = [p.split("  ", 1)[1] for p in prompts(app, "#concept-notes")]
        assert len(named) > 3 and len(set(named)) == len(named), named  # the concept's notes
        assert {"Headless Sync", "CLI"} <= {n.split(" · ")[0] for n in named}
        await pilot.press("escape")
        app.show_note("dendron.ref.cli.md")
        await pilot.press("left_square_bracket")  # back: the title says which CLI
        assert app.current == "dendron.topic.cli.md" and view.border_title == "CLI · topic"


def test_the_shortest_part_no_other_note_has_names_a_note() -> None:
    """obsidian-help's translations have their language folder and a translated folder of their own: the
    language is named (`Obsidian Headless · da`), not `… · Udvidelse af Obsidian`, which a narrow list cut."""
    paths = ["da/Udvidelse af Obsidian/Obsidian Headless.md", "de/Obsidian erweitern/Obsidian Headless.md",
             "ca/Ampliar Obsidian/Obsidian Headless.md", "es/Ampliar Obsidian/Obsidian Headless.md"]
    assert distinguishing(paths, "Obsidian Headless") == {p: p.split("/")[0] for p in paths}

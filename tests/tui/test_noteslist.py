"""Pilot tests for the notes pane (`noteslist`): what Enter in the filter opens, what Esc does, and rows
that stay apart in a narrow list."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import Footer, Input, OptionList
from textual.widgets._footer import FooterKey

from notelink.tui.app import NotelinkApp
from notelink.tui.noteslist import FILTER_HINTS

from .helpers import open_note, running, sample_index, sync, wait_for
from .test_app import make_app

LOOKUP = {"topic.lookup.md": "# Lookup\n\nFind a note by its name, or create it.\n",
          "topic.lookup.create.md": "# Creating Notes\n\nA lookup for a name that no note has creates it.\n"}
"""Dendron's names: both notes match `topic.lookup` by their file name."""
LANGUAGES = {"da": "Redigering og formatering", "no": "Redigering og formatering",
             "de": "Bearbeitung und Formatierung", "sv": "Redigera och formatera"}
FLAVORED = {f"{lang}/{folder}/Obsidian Flavored Markdown.md": f"# Obsidian Flavored Markdown\n\nMarkdown "
            f"syntax, callouts and embeds ({lang}, {k} {folder}).\n"
            for k, (lang, folder) in enumerate(LANGUAGES.items())}
"""obsidian-help's translations of one note: one title, each in its language's folder."""
TABLES = {"sv/Redigera och formatera/Tabeller.md": "# Tabeller\n\nTabeller i Markdown, rad för rad.\n"}
"""A Swedish note beside the Swedish translation."""


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return sample_index(tmp_path_factory.mktemp("noteslist"), {**LOOKUP, **FLAVORED, **TABLES})


@sync
async def test_enter_opens_the_note_whose_file_name_was_typed(vault: tuple[Path, Path]) -> None:
    """`topic.lookup` and Enter opened "Creating Notes" (`topic.lookup.create.md`): every note matching by
    its path ranked alike, so the first by title came first."""
    app = make_app(*vault)
    async with running(app, (120, 32)) as pilot:
        await pilot.press("slash", *"topic.lookup", "enter")
        await wait_for(pilot, lambda: app.focused is app.query_one("#notes"))
        await wait_for(pilot, lambda: app.current == "topic.lookup.md", what=lambda: app.current)


@sync
async def test_enter_on_a_name_several_languages_share_opens_the_one_in_the_language_read(
        vault: tuple[Path, Path]) -> None:
    """Reading a Swedish note, the title of a note every language has, and Enter, opened the Danish one (the
    first by path); now the one nearest the note shown, as a link written there would resolve."""
    app = make_app(*vault)
    async with running(app, (120, 32)) as pilot:
        await open_note(pilot, app, "sv/Redigera och formatera/Tabeller.md")
        await pilot.press("slash", *"obsidian flavored markdown", "enter")
        await wait_for(pilot, lambda: app.current != "sv/Redigera och formatera/Tabeller.md")
        assert app.current == "sv/Redigera och formatera/Obsidian Flavored Markdown.md"


@sync
async def test_esc_clears_the_filter_and_keeps_typing_there_then_leaves_it(vault: tuple[Path, Path]) -> None:
    """Esc cleared the filter and left it: `#plugin` typed next ran `l`, `u` (related notes switched to
    unlinked only) and `i` (three toasts). Now the first Esc clears, the box keeps focus, and the footer
    names Esc as what it does: Clear, then, in the empty box, Notes (the list); keys the box types are
    not named as commands there."""
    app, said = make_app(*vault), list[str]()
    app.notify = lambda message, *args, **kw: said.append(message)  # type: ignore[method-assign]
    async with running(app, (120, 32)) as pilot:
        box, notes = app.query_one("#filter", Input), app.query_one("#notes", OptionList)
        await pilot.press("slash", *"zzqq")
        await wait_for(pilot, lambda: app.filter_query == "zzqq")
        await pilot.press("escape", *"#plugin")
        await wait_for(pilot, lambda: app.filter_query == "#plugin", what=lambda: (box.value, app.focused))
        assert app.focused is box and not app.unlinked and not said
        keys = {"enter": "Open", "down": "List", "escape": "Clear", "ctrl+p": "palette"}
        await wait_for(pilot, lambda: footer_keys(app) == keys, what=lambda: footer_keys(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: box.value == "" and notes.option_count == len(app.notes_by_path))
        assert app.focused is box
        keys["escape"] = "Notes"
        await wait_for(pilot, lambda: footer_keys(app) == keys, what=lambda: footer_keys(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.focused is notes)
        assert "l" in footer_keys(app) and not app.unlinked


def footer_keys(app: NotelinkApp) -> dict[str, str]:
    """The footer's keys as shown: key → what it says."""
    return {k.key: k.description for k in app.query_one(Footer).query(FooterKey) if k.display}


@sync
async def test_notes_with_one_title_stay_apart_in_a_narrow_list(vault: tuple[Path, Path]) -> None:
    """At 80 columns obsidian-help's list read "Obsidian Flavored Ma…" for every language (120: "Obsidian
    Flavored Markdown · …"): each row now shows its language, the title cut for it; the filter's hint is one
    that fits the box ("/ filter: title," before)."""
    for size in ((80, 24), (120, 32), (60, 20)):
        await _rows_at(vault, size)


async def _rows_at(vault: tuple[Path, Path], size: tuple[int, int]) -> None:
    app = make_app(*vault)
    async with running(app, size) as pilot:
        await pilot.press("slash", *"flavored")
        await wait_for(pilot, lambda: app.filter_query == "flavored")
        listing = app.query_one("#notes", OptionList)
        rows = [listing.render_line(y).text.strip() for y in range(listing.option_count)]
        assert len(set(rows)) == len(LANGUAGES) == len(rows), (size, rows)
        languages = sorted(LANGUAGES)
        assert all(row.endswith(f" · {lang}") for row, lang in zip(rows, languages, strict=True)), rows
        await pilot.press("escape")
        box = app.query_one("#filter", Input)
        await wait_for(pilot, lambda: box.value == "")
        assert cell_len(box.placeholder) <= box.content_region.width, (size, box.placeholder)
        assert (box.placeholder == FILTER_HINTS[0]) is (size[0] >= 120)

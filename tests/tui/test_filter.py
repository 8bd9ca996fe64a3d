"""Pilot tests for the notes filter: what Enter opens, and what Esc does."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Footer, Input, OptionList
from textual.widgets._footer import FooterKey

from notelink.tui.app import NotelinkApp

from .helpers import running, sample_index, sync, wait_for
from .test_app import make_app

LOOKUP = {"topic.lookup.md": "# Lookup\n\nFind a note by its name, or create it.\n",
          "topic.lookup.create.md": "# Creating Notes\n\nA lookup for a name that no note has creates it.\n"}
"""Dendron's names: both notes match `topic.lookup` by their file name."""


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return sample_index(tmp_path_factory.mktemp("filter"), LOOKUP)


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
        await wait_for(pilot, lambda: box.value == "" and notes.option_count == 44)
        assert app.focused is box
        keys["escape"] = "Notes"
        await wait_for(pilot, lambda: footer_keys(app) == keys, what=lambda: footer_keys(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.focused is notes)
        assert "l" in footer_keys(app) and not app.unlinked


def footer_keys(app: NotelinkApp) -> dict[str, str]:
    """The footer's keys as shown: key → what it says."""
    return {k.key: k.description for k in app.query_one(Footer).query(FooterKey) if k.display}

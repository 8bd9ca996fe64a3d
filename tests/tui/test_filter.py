"""Pilot tests for the notes filter: what Enter opens, and what Esc does."""

from __future__ import annotations

from pathlib import Path

import pytest

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

"""Unlinked mentions (`query.unlinked`): a Dendron vault, whose notes name each other by dotted file names."""

from __future__ import annotations

from pathlib import Path

from notelink.api import Vault
from notelink.index.build import build_index
from tests.conftest import FAST


def test_a_dendron_name_is_one_mention_of_its_note_not_of_its_parts(make_vault, tmp_path: Path) -> None:
    vault = make_vault({"dendron.yml": "version: 5\n",
                        "garden.md": "# Garden\n\nbeds paths fences soil compost\n",
                        "garden.compost.md": "# Compost\n\nworms leaves heat soil garden\n",
                        "garden.soil.md": "# Soil\n\nloam clay worms: garden.compost is the key input\n"})
    build_index(vault, tmp_path / "ix", FAST)
    out = Vault(vault, tmp_path / "ix").mentions("garden.soil").outgoing
    assert [(m.target, m.text) for m in out] == [("garden.compost.md", "garden.compost")]


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



def test_a_note_deleted_since_indexing_says_so_and_keeps_its_incoming_mentions(make_vault, tmp_path: Path
                                                                               ) -> None:
    vault = make_vault({"Canvas.md": "# Canvas\n\nboards of cards; see Mulch and Compost\n",
                        "Mulch.md": "# Mulch\n\na Canvas of leaves over the soil\n",
                        "Compost.md": "# Compost\n\nworms and leaves\n"})
    build_index(vault, tmp_path / "ix", FAST)
    with Vault(vault, tmp_path / "ix") as v:
        before = v.mentions("Canvas")
        assert before.unreadable == "" and {m.target for m in before.outgoing} == {"Mulch.md", "Compost.md"}
        (vault / "Canvas.md").unlink()
        after = v.mentions("Canvas")
    assert after.outgoing == [] and after.incoming == before.incoming != []
    said = "Canvas.md cannot be read now: it was deleted or moved since the index was built"
    assert said in after.unreadable
    assert "`notelink index`" in after.unreadable and after.to_dict()["unreadable"] == after.unreadable


def test_a_name_inside_a_link_to_another_note_is_no_mention_for_related_notes_either(make_vault,
                                                                                      tmp_path: Path) -> None:
    """`[[Home recording]]` links that note: related notes said `mentions: Home` for it, and `mentions`
    (names outside links) found none; both now say the same."""
    vault = make_vault({"Home.md": "# Home\n\nthe front door: guitar, bread, compost\n",
                        "Home recording.md": "# Home recording\n\nmicrophone interface guitar amp\n",
                        "Practice.md": "# Practice\n\nguitar scales; the setup is in [[Home recording]]\n"})
    build_index(vault, tmp_path / "ix", FAST)
    with Vault(vault, tmp_path / "ix") as v:
        assert [m.source for m in v.mentions("Home").incoming] == []
        because = {r.path: r.because for r in v.related("Practice")}
    assert "mentions: Home" not in because.get("Home.md", [])
    assert "mentions: Home recording" in because["Home recording.md"]


def test_a_link_by_path_still_mentions_its_target(make_vault, tmp_path: Path) -> None:
    vault = make_vault({"Home.md": "# Home\n\nthe front door: guitar, bread, compost\n",
                        "music/Home recording.md": "# Home recording\n\nmicrophone interface guitar amp\n",
                        "Practice.md": "# Practice\n\nguitar; the setup: [[music/Home recording.md]]\n"})
    build_index(vault, tmp_path / "ix", FAST)
    with Vault(vault, tmp_path / "ix") as v:
        because = {r.path: r.because for r in v.related("Practice")}
    assert "mentions: Home" not in because.get("Home.md", [])
    assert "mentions: Home recording" in because["music/Home recording.md"]

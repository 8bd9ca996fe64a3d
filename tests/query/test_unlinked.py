"""Unlinked mentions (`query.unlinked`): a Dendron vault, whose notes name each other by dotted file names."""

from __future__ import annotations

import json
from pathlib import Path

from notelink.api import Vault
from notelink.cli.main import main
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
    command = f"`notelink index {vault} --index-dir {tmp_path / 'ix'}`"  # (the API names the vault: #2533aa4)
    assert command in after.unreadable and after.to_dict()["unreadable"] == after.unreadable


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


def test_incoming_mentions_come_from_the_most_related_notes_first(make_vault, tmp_path: Path, capsys) -> None:
    """`mentions` of a one-word title that is a common word ("Links") listed hundreds of lines in path
    order, changelogs first (a new user's sweep: 293, the first 20 from changelogs, the first from one of
    the note's 10 most related notes at 60th): the notes most related to it first now, and the text shows
    3 lines of a note and counts the rest."""
    about = "wikilinks backlinks anchors aliases graph notes connect"
    log = "release fixed bug crash startup version upgrade build"
    notes = {"Links.md": f"# Links\n\n{about}\n",
             "Linking notes.md": f"# Linking notes\n\n{about}: links between notes, links to headings\n"}
    words = "menu sidebar ribbon canvas export import search sync theme vault plugin hotkey palette pane tab"
    for i in range(3):
        notes[f"A changelog {i}.md"] = f"# Changelog {i}\n\n{log}\n" + "".join(
            f"- fixed links in the {w}\n" for w in words.split()[5 * i : 5 * i + 5])
    vault = make_vault(notes)
    build_index(vault, tmp_path / "ix", FAST)
    with Vault(vault, tmp_path / "ix") as v:
        found = v.mentions("Links").incoming
    assert len(found) == 17 and found[0].source == "Linking notes.md"
    assert found[0].score > found[-1].score and [m.line for m in found[2:7]] == [4, 5, 6, 7, 8]
    assert main(["mentions", str(vault), "Links", "--index-dir", str(tmp_path / "ix")]) == 0
    out = capsys.readouterr().out
    assert "in other notes: 17 (in 4 notes, the most related first)" in out
    assert out.count("A changelog 0.md:") == 4 and "A changelog 0.md: and 2 more in it" in out


EN = "the board held the cards and the notes so we moved them across the space and linked them"
DE = "die Karten lagen auf der Fläche und wir zogen sie über die Fläche und verbanden die Notizen"
TWO_LANGUAGES = {  # "Dashboard": a German note's title, which an English note writes too
    "de/Dashboard.md": f"# Dashboard\n\n{DE}.\n", "en/Canvas.md": f"# Canvas\n\n{EN}.\n",
    "en/Boards.md": f"# Boards\n\n{EN}: a Canvas of cards, and the Dashboard.\n",
    "de/Tafeln.md": f"# Tafeln\n\n{DE}: ein Dashboard voller Karten.\n",
}


def test_in_a_vault_of_several_languages_mentions_keep_to_the_notes_language(make_vault, tmp_path: Path,
                                                                             capsys) -> None:
    """A German note's name was found in English notes (obsidian-help: de/Canvas named in Dutch, Polish,
    Swedish notes): the API and the CLI (one query path, the TUI's too) offer those of its language only."""
    vault = make_vault(TWO_LANGUAGES)
    build_index(vault, tmp_path / "ix", FAST)
    with Vault(vault, tmp_path / "ix") as v:
        assert v.index.layout.languages  # (the index counts the vault as one of several languages)
        assert [m.source for m in v.mentions("de/Dashboard.md").incoming] == ["de/Tafeln.md"]
        assert [m.target for m in v.mentions("en/Boards.md").outgoing] == ["en/Canvas.md"]
    assert main(["mentions", str(vault), "de/Dashboard.md", "--index-dir", str(tmp_path / "ix"),
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [m["source"] for m in out["incoming"]] == ["de/Tafeln.md"]

"""Known answers for how far a vault has moved on from its index, and `notelink status` saying so."""

from __future__ import annotations

import json
import os
from pathlib import Path

from notelink.cli.main import main
from notelink.index.build import build_index
from notelink.notes.block import render
from notelink.query.freshness import freshness
from notelink.query.index import Index

from ..conftest import FAST

NOTES = {f"{n}.md": f"# {n}\n\nriver stone cloud {n} water\n" for n in "abcd"}


def test_changed_new_and_gone_since_the_index_was_built(make_vault, tmp_path: Path) -> None:
    vault = make_vault({**NOTES, "skip.md": b"\x00binary"})
    build_index(vault, tmp_path / "ix", FAST)
    assert not freshness(Index.open(tmp_path / "ix"), vault).behind
    (vault / "b.md").unlink()
    (vault / "new.md").write_text("# New\n\nriver\n", encoding="utf-8")
    with open(vault / "a.md", "a", encoding="utf-8") as f:
        f.write("an edit\n")
    os.utime(vault / "c.md")  # touched, same bytes: not an edit
    (vault / "d.md").write_text(render(NOTES["d.md"], ["- [[a]]"]), encoding="utf-8")  # notelink's block
    fresh = freshness(Index.open(tmp_path / "ix"), vault)
    assert (fresh.changed, fresh.new, fresh.gone) == (["a.md"], ["new.md"], ["b.md"])


def test_status_says_the_index_is_behind_and_how_to_catch_up(make_vault, tmp_path: Path, capsys) -> None:
    """After edits with no watcher running (or one stopped mid-rebuild), `status` said every note was
    indexed, a deleted one too."""
    vault = make_vault(NOTES)
    args = [str(vault), "--index-dir", str(tmp_path / "ix")]
    assert main(["index", *args, "--epochs", "1"]) == 0
    capsys.readouterr()
    assert main(["status", *args]) == 0
    assert "Up to date with the vault" in capsys.readouterr().out
    (vault / "b.md").unlink()
    assert main(["status", *args]) == 0
    out = capsys.readouterr().out
    assert "Behind the vault: 1 gone since generation 1 (run `notelink index" in out and "gone: b.md" in out
    assert main(["status", *args, "--files", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["since_index"]["gone"] == {"count": 1, "paths": ["b.md"]}
    assert {"path": "b.md", "status": "gone", "reason": "deleted or moved since the index was built"} \
        in data["files"]


def test_status_says_an_index_of_older_rules_is_read_again_by_the_next_build(make_vault, tmp_path: Path,
                                                                            capsys, monkeypatch) -> None:
    """An index made before a change to how notes are read (`TOKENS_VERSION`) or indexes are built was
    said to be up to date, though the next build reads every note again and retrains."""
    from notelink.index import versions

    vault = make_vault(NOTES)
    args = [str(vault), "--index-dir", str(tmp_path / "ix")]
    assert main(["index", *args, "--epochs", "1"]) == 0
    capsys.readouterr()
    assert main(["status", *args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["older_rules"] == ""
    monkeypatch.setattr(versions, "TOKENS_VERSION", "a newer one")
    assert main(["status", *args]) == 0
    out = capsys.readouterr().out
    assert "Up to date with the vault" in out
    assert "but this notelink reads notes by newer rules: the next build (`notelink index" in out
    monkeypatch.undo()
    monkeypatch.setattr(versions, "RULES_VERSION", versions.RULES_VERSION + 1)
    assert main(["status", *args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["older_rules"] == "this notelink builds indexes by newer rules"

"""What `notelink status` reports (notelink/status.py): the index, the watcher, the notes changed since."""

from __future__ import annotations

from pathlib import Path

import notelink.api
from notelink.query.index import Index
from notelink.status import Status, status_of


def test_status_of_an_index_is_what_the_api_reports(indexed) -> None:
    vault, ix = indexed
    (vault / "cooking" / "Kimchi.md").write_text("# Kimchi\n\nnapa cabbage, changed\n", encoding="utf-8")
    index = Index.open(ix)
    try:
        status = status_of(index, vault.resolve(), files=True)
    finally:
        index.close()
    with notelink.api.Vault(vault, ix) as v:
        assert status == v.status(files=True)
    assert status.notes == len(status.files or []) - len(status.skipped) and status.index_dir == str(ix)
    assert status.since_index["changed"] == {"count": 1, "paths": ["cooking/Kimchi.md"]}
    assert "files" not in status_of_without_files(ix, vault).to_dict()


def status_of_without_files(ix: Path, vault: Path) -> Status:
    index = Index.open(ix)
    try:
        return status_of(index, vault.resolve())
    finally:
        index.close()


def test_the_api_still_names_status() -> None:
    assert notelink.api.Status is Status and "Status" in notelink.api.__all__

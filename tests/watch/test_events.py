"""Early filtering of file events: notes only; dot-folders, editor temp files and excludes ignored."""

from pathlib import Path

import pytest
from watchdog.events import DirCreatedEvent, DirMovedEvent, FileModifiedEvent, FileMovedEvent

from notelink.watch.events import VaultEventHandler, note_path

V = Path("/vault")


@pytest.mark.parametrize("path", [
    "a.md.swp", ".a.md.swp", "a.md~", "4913", "a.md___jb_tmp___", "a.md___jb_old___", ".#a.md", "#a.md#",
    ".obsidian/workspace.md", ".trash/x.md", "notes/.hidden.md", "image.png", "a.md.tmp", "sedAb12c",
    "drafts/x.md", "../outside.md",
])
def test_ignored(path: str) -> None:
    assert note_path(V, f"/vault/{path}", exclude=("drafts/*",)) is None


def test_notes_are_kept_relative() -> None:
    assert note_path(V, "/vault/sub dir/Note 1.md") == "sub dir/Note 1.md"
    assert note_path(V, "/vault/README.MD") == "README.MD"


def _handler(found: list[str]) -> VaultEventHandler:
    return VaultEventHandler(V, (), found.append, lambda msg: found.append("error: " + msg))


def test_handler_maps_moves_and_folders() -> None:
    found: list[str] = []
    h = _handler(found)
    h.on_any_event(FileMovedEvent("/vault/a.md.tmp", "/vault/a.md"))  # rename-over: only the note
    h.on_any_event(FileModifiedEvent("/vault/.obsidian/app.json"))
    h.on_any_event(DirCreatedEvent("/vault/new"))  # its notes report themselves
    h.on_any_event(DirMovedEvent("/vault/old", "/vault/archive/old"))
    assert found == ["a.md", "old/", "archive/old/"]


def test_handler_never_raises_into_watchdog() -> None:
    errors: list[str] = []

    def sink(_path: str) -> None:
        raise RuntimeError("boom")

    VaultEventHandler(V, (), sink, errors.append).on_any_event(FileModifiedEvent("/vault/a.md"))
    assert errors and "boom" in errors[0]


def test_stat_snapshot_reports_added_changed_and_removed_notes(tmp_path: Path) -> None:
    import os

    from notelink.watch.events import StatSnapshot

    (tmp_path / "a.md").write_text("a")
    (tmp_path / "b.md").write_text("b")
    snap = StatSnapshot(tmp_path, ())
    assert snap.changes() == []  # the first scan is the baseline
    (tmp_path / "a.md").write_text("longer")
    (tmp_path / "b.md").unlink()
    (tmp_path / "c.md").write_text("c")
    (tmp_path / ".hidden.md").write_text("x")
    os.utime(tmp_path / "a.md", ns=(1, 1))
    assert snap.changes() == ["a.md", "b.md", "c.md"]
    assert snap.changes() == []


def test_the_watcher_keeps_the_saved_exclude_list(make_vault, tmp_path: Path) -> None:
    from notelink.config import IndexConfig, WatchConfig
    from notelink.index.build import build_index
    from notelink.watch.watcher import VaultWatcher

    from ..conftest import FAST

    vault = make_vault({"a.md": "# A\nbread flour", "drafts/b.md": "# B\nbread water"})
    build_index(vault, tmp_path / "ix", FAST, IndexConfig(exclude=("drafts/",)))
    w = VaultWatcher(vault, tmp_path / "ix", FAST, watch_cfg=WatchConfig(isolate=False))  # as the app does
    assert w._exclude == ("drafts/",)  # events filtered by the saved list...
    assert w.index_cfg.exclude is None  # ...and builds keep whatever list is saved when they run


def test_ignore_files_filter_events_and_their_edits_rescan_their_folder(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("node_modules/\n")
    got: list[str] = []
    h = VaultEventHandler(tmp_path, None, got.append, lambda m: None)
    assert h.paths(FileModifiedEvent(str(tmp_path / "node_modules" / "x" / "README.md"))) == []
    assert h.paths(FileModifiedEvent(str(tmp_path / "sub" / ".notelinkignore"))) == ["sub/"]
    (tmp_path / ".gitignore").write_text("")
    assert h.paths(FileModifiedEvent(str(tmp_path / ".gitignore"))) == ["./"]
    assert h.paths(FileModifiedEvent(str(tmp_path / "node_modules" / "x" / "README.md"))) == [
        "node_modules/x/README.md"]


def test_a_dendron_workspace_file_edited_while_watching_rescans_the_vault(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "dendron.yml").write_text("workspace:\n  vaults:\n    - fsPath: notes\n")
    h = VaultEventHandler(tmp_path, None, [].append, lambda m: None)
    assert h.paths(FileModifiedEvent(str(tmp_path / "other" / "a.md"))) == []  # beside the listed vault
    (tmp_path / "dendron.yml").write_text("workspace:\n  vaults:\n    - fsPath: notes\n    - fsPath: other\n")
    assert h.paths(FileModifiedEvent(str(tmp_path / "dendron.yml"))) == ["./"]
    assert h.paths(FileModifiedEvent(str(tmp_path / "other" / "a.md"))) == ["other/a.md"]


def test_an_ignore_file_line_git_cannot_use_does_not_stop_the_filter(tmp_path: Path) -> None:
    """The watcher filters events with the vault's ignore files: a line in them that is no pattern is left
    out (as the indexer leaves it out), never an error in watchdog's thread."""
    (tmp_path / "drafts").mkdir()
    (tmp_path / ".gitignore").write_text("drafts/\n!\n[z-a]\n", encoding="utf-8")
    found: list[str] = []
    h = VaultEventHandler(tmp_path, (), found.append, lambda msg: found.append("error: " + msg))
    h.on_any_event(FileModifiedEvent(str(tmp_path / "drafts" / "d.md")))
    h.on_any_event(FileModifiedEvent(str(tmp_path / "a.md")))
    assert found == ["a.md"]


def test_handler_tells_renames_of_notes_and_folders_first() -> None:
    found: list[str] = []
    moves: list[tuple[str, str]] = []
    def on_move(src: str, dest: str) -> None:
        moves.append((src, dest))
        found.append("move")

    h = VaultEventHandler(V, (), found.append, found.append, on_move)
    h.on_any_event(FileMovedEvent("/vault/a.md.tmp", "/vault/a.md"))  # a save (rename-over): no rename
    h.on_any_event(FileMovedEvent("/vault/Word count.md", "/vault/Word counter.md"))
    h.on_any_event(DirMovedEvent("/vault/Garden", "/vault/Yard"))
    h.on_any_event(FileMovedEvent("/vault/a/.gitignore", "/vault/b/.gitignore"))  # its folders: no rename
    assert moves == [("Word count.md", "Word counter.md"), ("Garden/", "Yard/")]
    assert found[:4] == ["a.md", "move", "Word count.md", "Word counter.md"]


EDITOR_SAVES = {
    "vim (backupcopy=no: the note renamed to its backup, written anew)": [
        ("created", "/vault/4913"), ("deleted", "/vault/4913"),
        ("moved", "/vault/note.md", "/vault/note.md~"), ("created", "/vault/note.md"),
        ("modified", "/vault/note.md"), ("deleted", "/vault/note.md~"),
        ("modified", "/vault/.note.md.swp")],
    "emacs (backup, autosave, lock)": [
        ("created", "/vault/.#note.md"), ("created", "/vault/#note.md#"), ("moved", "/vault/note.md",
                                                                           "/vault/note.md~"),
        ("created", "/vault/note.md"), ("deleted", "/vault/#note.md#"), ("deleted", "/vault/.#note.md")],
    "JetBrains (safe write)": [
        ("created", "/vault/note.md___jb_tmp___"), ("moved", "/vault/note.md", "/vault/note.md___jb_old___"),
        ("moved", "/vault/note.md___jb_tmp___", "/vault/note.md"), ("deleted", "/vault/note.md___jb_old___")],
    "gedit, kate, a script (temporary file renamed over the note)": [
        ("created", "/vault/.goutputstream-ABC123"),
        ("moved", "/vault/.goutputstream-ABC123", "/vault/note.md"),
        ("modified", "/vault/.note.md.kate-swp"), ("moved", "/vault/note.md.tmp", "/vault/note.md")],
    "Obsidian (in place; workspace and trash)": [
        ("modified", "/vault/note.md"), ("modified", "/vault/.obsidian/workspace.json"),
        ("moved", "/vault/.obsidian/workspace.json.tmp", "/vault/.obsidian/workspace.json"),
        ("moved", "/vault/old.md", "/vault/.trash/old.md")],  # (old.md: deleted, to the trash)
}


@pytest.mark.parametrize("events", EDITOR_SAVES.values(), ids=list(EDITOR_SAVES))
def test_an_editors_save_is_its_note_alone(events: list[tuple[str, ...]]) -> None:
    """Each editor's save reaches the debouncer as the notes it changed (no swap, backup, lock or temporary
    file, nothing of `.obsidian/`), and no rename is recorded but a note's own."""
    from watchdog.events import FileCreatedEvent, FileDeletedEvent

    kinds = {"created": FileCreatedEvent, "deleted": FileDeletedEvent, "modified": FileModifiedEvent}
    found: list[str] = []
    moved: list[tuple[str, str]] = []
    h = VaultEventHandler(V, (), found.append, lambda msg: found.append("error: " + msg),
                          lambda a, b: moved.append((a, b)))
    for kind, *paths in events:
        h.on_any_event(FileMovedEvent(*paths) if kind == "moved" else kinds[kind](paths[0]))
    trashed = any(e[1] == "/vault/old.md" for e in events)
    assert set(found) == ({"note.md", "old.md"} if trashed else {"note.md"})
    assert moved == []

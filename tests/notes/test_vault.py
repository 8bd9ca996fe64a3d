"""Finding and reading notes, and the reasons files are skipped."""

import os
import unicodedata
from pathlib import Path

import pytest

from notelink.errors import VaultError
from notelink.notes.ignore import Ignore
from notelink.notes.vault import RawNote, Skipped, check_vault, file_hash, path_in_vault, read_note, scan


def test_scan_skips_dot_folders_and_non_notes(make_vault) -> None:
    root = make_vault({"a.md": "x", "sub/b.MD": "x", ".obsidian/c.md": "x", ".trash/d.md": "x",
                       "sub/.git/e.md": "x", "image.png": b"\x89PNG", "notes.txt": "x", ".hidden.md": "x"})
    assert scan(root) == ["a.md", "sub/b.MD"]


def test_scan_exclude_globs(make_vault) -> None:
    root = make_vault({"a.md": "x", "templates/t.md": "x"})
    assert scan(root, ("templates/*",)) == ["a.md"]


def test_check_vault_messages(tmp_path: Path) -> None:
    with pytest.raises(VaultError, match="does not exist"):
        check_vault(tmp_path / "nope")
    f = tmp_path / "file.md"
    f.write_text("x")
    with pytest.raises(VaultError, match="is a file"):
        check_vault(f)
    with pytest.raises(VaultError, match="does not exist"):
        check_vault(f / "below a file")
    with pytest.raises(VaultError, match=r"cannot open the vault .*: File name too long"):
        check_vault(tmp_path / ("y" * 300))  # (raised OSError: a traceback)


def test_invalid_utf8_is_decoded_with_replacement(make_vault) -> None:
    root = make_vault({"bad.md": b"caf\xe9 ok"})
    note = read_note(root, "bad.md", 1000)
    assert isinstance(note, RawNote)
    assert note.text == "caf\ufffd ok"
    assert "invalid UTF-8" in note.warning


def test_utf16_with_bom_is_text(make_vault) -> None:
    root = make_vault({"u16.md": "\ufeffhello wörld".encode("utf-16-le")})
    note = read_note(root, "u16.md", 1000)
    assert isinstance(note, RawNote) and note.text.strip("\ufeff") == "hello wörld"


def test_a_binary_file_beginning_as_utf16_does_is_skipped(make_vault) -> None:
    """A TUI sweep: b"\\xff\\xfe\\x00bad\\x00\\x00" was indexed and shown as '戀摡'."""
    root = make_vault({"nul.md": b"\xff\xfe\x00bad\x00\x00", "odd.md": b"\xff\xfe\x00\xd8ab",
                       "ok.md": "\ufeffa note\n".encode("utf-16-be")})
    assert read_note(root, "nul.md", 1000) == Skipped("nul.md", "binary: the file is not text "
                                                                "(it contains NUL characters)")
    odd = read_note(root, "odd.md", 1000)  # (an unpaired surrogate)
    assert isinstance(odd, Skipped) and odd.reason.startswith("binary: the file is not text (not UTF-16")
    ok = read_note(root, "ok.md", 1000)
    assert isinstance(ok, RawNote) and ok.text.strip("\ufeff") == "a note\n"


def test_binary_is_skipped(make_vault) -> None:
    root = make_vault({"bin.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR"})
    assert read_note(root, "bin.md", 1000) == Skipped("bin.md", "binary: the file is not text "
                                                                "(it contains NUL bytes)")


def test_huge_is_skipped(make_vault) -> None:
    root = make_vault({"big.md": "word " * 1000})
    result = read_note(root, "big.md", 1000)
    assert isinstance(result, Skipped) and result.reason.startswith("too large")
    assert "5.0 KB is over the 1.0 KB cap" in result.reason  # (it said 0.0 MB over the 0.0 MB cap)


def test_vanished_is_skipped(make_vault) -> None:
    root = make_vault({"a.md": "x"})
    result = read_note(root, "gone.md", 1000)
    assert isinstance(result, Skipped) and result.reason == "vanished: the file was deleted or moved"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_named_like_a_note_is_skipped_not_waited_on(make_vault) -> None:
    root = make_vault({"a.md": "x"})
    os.mkfifo(root / "pipe.md")  # reading it would block until a writer came
    result = read_note(root, "pipe.md", 1000)
    assert isinstance(result, Skipped) and result.reason.startswith("not a regular file")
    assert file_hash(root / "pipe.md") is None
    (root / "folder.md").mkdir()
    result = read_note(root, "folder.md", 1000)
    assert isinstance(result, Skipped) and result.reason.startswith("not a file: a folder")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_is_skipped(make_vault) -> None:
    root = make_vault({"locked.md": "x"})
    (root / "locked.md").chmod(0)
    result = read_note(root, "locked.md", 1000)
    assert isinstance(result, Skipped) and result.reason.startswith("unreadable")


def test_empty_note_is_indexed_with_warning(make_vault) -> None:
    root = make_vault({"empty.md": ""})
    note = read_note(root, "empty.md", 1000)
    assert isinstance(note, RawNote) and note.warning == "empty note"


def test_hash_ignores_notelinks_block(make_vault) -> None:
    from notelink.notes.block import render
    from notelink.notes.vault import file_hash

    root = make_vault({"a.md": "# A\r\nbody\r\n", "b.md": "# B\nbody\n"})
    before = read_note(root, "a.md", 1000)
    (root / "b.md").write_text(render("# B\nbody\n", ["- [[a]]"]), encoding="utf-8", newline="")
    (root / "a.md").write_bytes(render("# A\r\nbody\r\n", ["- [[b]]"]).encode())
    after = read_note(root, "a.md", 1000)
    assert isinstance(before, RawNote) and isinstance(after, RawNote)
    assert after.sha256 == before.sha256 and after.size > before.size and "[[b]]" in after.text
    assert file_hash(root / "a.md") == before.sha256
    (root / "a.md").write_bytes((root / "a.md").read_bytes().replace(b"body", b"edited"))
    assert file_hash(root / "a.md") != before.sha256  # an edit outside the block is an edit


def test_broken_links_and_link_loops_say_so(make_vault) -> None:
    vault = make_vault({"a.md": "# A\n"})
    (vault / "gone.md").symlink_to("nowhere.md")
    (vault / "loop.md").symlink_to("loop.md")
    assert "broken symbolic link: its target nowhere.md" in read_note(vault, "gone.md", 10**6).reason  # type: ignore[union-attr]
    assert read_note(vault, "loop.md", 10**6).reason.startswith("symbolic link loop")  # type: ignore[union-attr]


def test_a_folder_that_cannot_be_listed_is_reported(make_vault, monkeypatch: pytest.MonkeyPatch) -> None:
    from notelink.notes.vault import scan_folders

    vault = make_vault({"a.md": "# A\n", "locked/b.md": "# B\n", ".hidden/c.md": "# C\n"})
    real = os.scandir

    def scandir(path: object) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    found, unlisted = scan_folders(vault)
    assert found == ["a.md"]
    assert unlisted == [Skipped("locked/", "unreadable folder: Permission denied; its notes are left out")]


def test_gitignore_and_notelinkignore_leave_paths_out(make_vault) -> None:
    root = make_vault({"a.md": "x", "node_modules/pkg/README.md": "x", "build/out.md": "x",
                       "drafts/d.md": "x", "drafts/keep.md": "x", "deep/er/x.md": "x", "deep/er/y.md": "x",
                       ".gitignore": "node_modules/\n/build\n", "drafts/.notelinkignore": "*.md\n!keep.md\n",
                       "deep/.gitignore": "er/x.md\n"})
    assert scan(root) == ["a.md", "deep/er/y.md", "drafts/keep.md"]


def test_exclude_patterns_are_gitignore_syntax(make_vault) -> None:
    root = make_vault({"a.md": "x", "t/x.md": "x", "t/sub/y.md": "x", "j/2024.md": "x", "j/keep.md": "x"})
    assert scan(root, ("t/", "j/*", "!j/keep.md")) == ["a.md", "j/keep.md"]
    assert scan(root, ("**/y.md",)) == ["a.md", "j/2024.md", "j/keep.md", "t/x.md"]


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_symlinks_outside_are_skipped_inside_counted_once(make_vault, tmp_path: Path) -> None:
    from notelink.notes.vault import scan_folders

    outside = tmp_path / "secret.md"
    outside.write_text("private")
    root = make_vault({"a.md": "x", "hidden/.x/b.md": "x", ".archive/c.md": "x"})
    (root / "out.md").symlink_to(outside)
    (root / "dup.md").symlink_to(root / "a.md")
    (root / "rel.md").symlink_to("a.md")
    (root / "kept.md").symlink_to(root / ".archive" / "c.md")  # its target is not indexed otherwise
    (root / "folder").symlink_to(tmp_path)  # a linked folder is not entered (and says so)
    found, left = scan_folders(root)
    assert found == ["a.md", "kept.md"]
    reasons = {s.path: s.reason for s in left}
    assert reasons["out.md"].startswith(f"symbolic link to {outside}, outside the vault")
    assert "a.md, which is indexed under its own name" in reasons["dup.md"]
    assert set(reasons) == {"out.md", "dup.md", "rel.md", "folder/"}


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_symlinked_folders_are_not_entered_and_say_why(make_vault, tmp_path: Path) -> None:
    """A linked folder is listed with its reason, as a linked file is: out of the vault it is not read; in
    it, its notes are indexed under their own paths (a note counts once, and a link back up is no loop)."""
    from notelink.notes.vault import scan_folders

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "o.md").write_text("shared note")
    root = make_vault({"real/r.md": "x", ".archive/c.md": "x", "node_modules/x.md": "x",
                       ".gitignore": "node_modules/\nignored/\n"})
    (root / "shared").symlink_to(outside)
    (root / "mirror").symlink_to("real")
    (root / "real" / "up").symlink_to("..")
    (root / "old").symlink_to(root / ".archive")  # a folder the vault leaves out
    (root / ".hidden").symlink_to(outside)  # left out as a dot-folder: nothing to say
    (root / "ignored").symlink_to(outside)  # left out by .gitignore: nothing to say
    found, left = scan_folders(root)
    assert found == ["real/r.md"]
    reasons = {s.path: s.reason for s in left}
    assert set(reasons) == {"shared/", "mirror/", "real/up/", "old/"}
    assert reasons["shared/"] == (f"symbolic link to a folder outside the vault ({outside}): left out "
                                  "(notelink reads only the vault)")
    assert reasons["mirror/"] == ("symbolic link to the folder real/, whose notes are indexed under their "
                                  "own paths: not followed (a note counts once)")
    assert reasons["real/up/"].startswith("symbolic link to the vault's own folder: not followed")
    assert reasons["old/"] == ("symbolic link to the folder .archive/, which the vault leaves out: "
                               "not followed")


SECRET = "root:x:0:0 secret words\n"


def _swap_to_link(note: Path, target: Path) -> None:
    """A note replaced by a symbolic link out of the vault, atomically (a link renamed over it)."""
    link = note.with_name(".swap")
    link.symlink_to(target)
    os.replace(link, note)


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_link_swapped_in_after_the_inside_check_is_not_followed(make_vault, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The note is checked to be inside the vault, then a link out of it takes its name (microseconds):
    the file outside is never read."""
    from notelink.notes import vault as vault_module
    from notelink.notes.vault import read_inside

    root = make_vault({"note.md": "# Note\ninside\n"})
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    real = os.path.realpath

    def realpath(path: object) -> str:
        resolved = real(path)  # type: ignore[call-overload]
        if str(path).endswith("note.md") and not (root / "note.md").is_symlink():
            _swap_to_link(root / "note.md", tmp_path / "secret.txt")  # just after the check saw the note
        return resolved  # type: ignore[no-any-return]

    monkeypatch.setattr(vault_module.os.path, "realpath", realpath)
    result = read_inside(root, "note.md", 10**6)
    assert isinstance(result, Skipped) and "points outside the vault" in result.reason, result


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_link_swapped_in_for_the_open_only_is_not_read(make_vault, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A link out of the vault takes the note's name just for the open, the note back before the check:
    the open file is not the note, so it is opened again and the note itself is read."""
    from notelink.notes.vault import read_inside

    root = make_vault({"note.md": "# Note\ninside\n"})
    note, aside = root / "note.md", root / ".aside"
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    real, swaps = os.open, []

    def open_(path: object, flags: int, *args: object) -> int:
        if str(path) != str(note) or swaps:
            return real(path, flags, *args)  # type: ignore[arg-type]
        swaps.append(1)
        os.rename(note, aside)
        _swap_to_link(note, tmp_path / "secret.txt")
        try:
            return real(path, flags, *args)  # type: ignore[arg-type]
        finally:
            os.replace(aside, note)

    monkeypatch.setattr(os, "open", open_)
    result = read_inside(root, "note.md", 10**6)
    assert swaps and isinstance(result, RawNote) and result.text == "# Note\ninside\n", result


def test_a_note_replaced_at_every_open_is_given_up_on(make_vault, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its name leads to another file each time it is opened (saved by rename again and again): a few
    tries, then it is skipped, not read."""
    from notelink.notes import vault as vault_module
    from notelink.notes.vault import read_inside

    root = make_vault({"note.md": "# Note\n"})
    monkeypatch.setattr(vault_module.os.path, "samestat", lambda a, b: False)
    result = read_inside(root, "note.md", 10**6)
    assert isinstance(result, Skipped) and result.reason.startswith("replaced again and again"), result
    assert isinstance(read_note(root, "note.md", 10**6), RawNote)  # (the indexer's reads do not check)


def test_a_dendron_workspace_indexes_its_vaults_folders_only(make_vault) -> None:
    root = make_vault({"LICENSE.md": "license text", "README.md": "readme", "notes/a.md": "a",
                       "notes/sub/b.md": "b", "other/c.md": "c", "shared/team/d.md": "d"})
    (root / "dendron.yml").write_text("version: 5\nworkspace:\n  vaults:\n    - fsPath: notes\n"
                                      "    - fsPath: shared/team\n    - fsPath: ../elsewhere\n")
    assert sorted(scan(root)) == ["notes/a.md", "notes/sub/b.md", "shared/team/d.md"]
    assert Ignore(root).ignored("LICENSE.md") and not Ignore(root).ignored("notes/new.md")
    (root / "dendron.yml").write_text("workspace:\n  vaults:\n    - fsPath: .\n")  # a vault at the root
    assert len(scan(root)) == 6
    (root / "dendron.yml").write_text("workspace:\n  vaults:\n    - fsPath: ../elsewhere\n")  # none here
    assert len(scan(root)) == 6
    (root / "dendron.yml").write_text("workspace: [not: {valid")  # unreadable: every note counts
    assert len(scan(root)) == 6


def test_a_path_to_a_note_is_read_lexically_when_no_file_has_it_as_typed(make_vault, monkeypatch) -> None:
    nfc, nfd = (unicodedata.normalize(form, "Résumé.md") for form in ("NFC", "NFD"))
    root = make_vault({nfd: "# Résumé\n", "en/Plugins/Canvas.md": "# Canvas\n"})
    canvas = "en/Plugins/Canvas.md"
    monkeypatch.chdir(root.parent)
    assert path_in_vault(root, f"{root.name}/{nfc}") == nfc  # typed composed, stored decomposed
    assert path_in_vault(root, str(root / nfc)) == nfc
    assert path_in_vault(root, unicodedata.normalize("NFD", str(root / nfc))) == nfd  # (the file: as is)
    for typed in ("en//Plugins/Canvas.md", "en/Plugins/../Plugins/Canvas.md", "./en/Plugins/Canvas.md",
                  f"{root.name}//en/Plugins/../Plugins/Canvas.md", f"{root}/en/./Plugins//Canvas.md"):
        assert path_in_vault(root, typed) == canvas, typed
    for kept in ("Canvas", "en/Plugins/Canvas", "../outside.md", "/elsewhere/x.md", "~nobody-at-all/x.md"):
        assert path_in_vault(root, kept) == kept
    monkeypatch.chdir(root / "en")
    assert path_in_vault(root, "Plugins/Canvas.md") == canvas  # a file from the current folder
    assert path_in_vault(root, canvas) == canvas  # no such file here: the vault's path
    assert path_in_vault(root, f"../{nfc}") == nfc


def test_what_a_path_a_link_names_is_on_disk(tmp_path: Path) -> None:
    """A file that is no note, a folder (when asked), or nothing: a left-out note's file is no file."""
    from notelink.notes.vault import on_disk

    (tmp_path / "assets").mkdir()
    (tmp_path / "Makefile").write_text("all:")
    (tmp_path / "draft.md").write_text("# Draft")
    assert [on_disk(tmp_path, p) for p in ("Makefile", "assets", "draft.md", "gone", "a" * 5000)] == [
        "file", "folder", "", "", ""]
    assert on_disk(tmp_path, "assets", folders=False) == ""

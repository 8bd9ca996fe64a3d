"""Writing the block into a copy of a real vault (200 notes of obsidian-help plus awkward notes): every
safety rule of `export --format block`, and a write + rewrite + undo round trip that ends byte-identical."""

from __future__ import annotations

import codecs
import os
import shutil
import stat
from pathlib import Path

import pytest

from notelink.config import ExportConfig, IndexConfig, TrainConfig
from notelink.index.build import build_index
from notelink.notes.block import END, START, find_block, remove, render
from notelink.notes.blocktext import NoteText
from notelink.notes.records import record_from_raw
from notelink.notes.vault import RawNote, read_note, scan
from notelink.query.index import Index
from notelink.write import notewriter, swap

from ..conftest import SHARED, without_waiting

HELP = next((p for p in (SHARED / "vaults" / "obsidian-help", Path("/work/shared/vaults/obsidian-help"))
             if p.is_dir()), None)
TINY = TrainConfig(dim=16, epochs=2, min_count=1, seed=1, threads=1, device="cpu")
CFG = ExportConfig(top=5)

AWKWARD: dict[str, bytes] = {
    "x/crlf.md": b"# CRLF note\r\nObsidian vault links and notes.\r\n",
    "x/bom.md": codecs.BOM_UTF8 + b"# BOM note\nLinks between notes in a vault.\n",
    "x/utf16.md": codecs.BOM_UTF16_LE + "# UTF-16 note\r\nNotes and links.".encode("utf-16-le"),
    "x/no final newline.md": b"# No final newline\nGraph view of notes",
    "x/invalid.md": b"# Invalid UTF-8\ncaf\xe9 notes and links\n",
    "x/café notes.md": "# Café notes\nCafé notes and links: café, café.\n".encode(),  # (invalid.md's related)
    "x/markers.md": f"# Markers\nintro\n\n{START}\n\n{END}\n\n## After\nmore notes\n".encode(),
    "x/fenced.md": f"# Fenced\n\n```\n{START}\n{END}\n```\n".encode(),
    "x/duplicated.md": f"# Dup\n{START}\n{END}\n{START}\n{END}\n".encode(),
    "x/unpaired.md": f"# Unpaired\n{START}\nnotes\n".encode(),
    "x/user text.md": f"# User text\n{START}\nmy own list\n{END}\n".encode(),
    "x/a]] b | c --> d.md": b"---\ntitle: \"t]] | u --> ../../../escape/x\"\n---\nNotes links vault.\n",
    "x/hard.md": b"# Hard link\nnotes\n",
    "outside-link.md": b"placeholder: replaced by a symlink",
}
REFUSED = {"x/fenced.md": "code block", "x/duplicated.md": "duplicated", "x/unpaired.md": "missing",
           "x/user text.md": "did not write", "x/hard.md": "hard-linked",
           "x/invalid.md": "not UTF-8"}  # (its block would link `café notes`: letters beyond ASCII, in UTF-8)
NOT_INDEXED = {"outside-link.md": "outside the vault", "x/link to en.md": "en/Home.md, which is indexed"}
"""Symbolic links the index leaves out (so no block is planned for them): to a file outside the vault, and
to a note indexed under its own name."""

pytestmark = pytest.mark.skipif(HELP is None, reason="../shared/vaults/obsidian-help is not here")


def _copy_notes(src: Path, dst: Path) -> None:
    paths = scan(src)
    en = [p for p in paths if p.startswith("en/")]
    others = [p for p in paths if not p.startswith("en/")]
    for rel in en + others[:: max(1, len(others) // (200 - len(en)))][: 200 - len(en)]:
        (dst / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src / rel, dst / rel)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Index]:
    """The vault as the user has it, indexed once; tests work on copies of it."""
    assert HELP is not None
    root = tmp_path_factory.mktemp("pristine")
    vault = root / "vault"
    _copy_notes(HELP, vault)
    for rel, data in AWKWARD.items():
        (vault / rel).parent.mkdir(parents=True, exist_ok=True)
        (vault / rel).write_bytes(data)
    (root / "outside.md").write_bytes(b"# Outside\nnot in the vault\n")
    (vault / "outside-link.md").unlink()
    (vault / "outside-link.md").symlink_to(root / "outside.md")
    (vault / "x" / "link to en.md").symlink_to("../en/Home.md")
    build_index(vault, root / "index", TINY)
    return vault, Index.open(root / "index")


@pytest.fixture
def vault(pristine: tuple[Path, Index], tmp_path: Path) -> Path:
    """A fresh copy of the pristine vault (symlinks kept), with `x/hard.md` given a second name."""
    copy = tmp_path / "vault"
    shutil.copytree(pristine[0], copy, symlinks=True)
    os.link(copy / "x" / "hard.md", copy / "x" / "hard-twin.txt")
    return copy


def _bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.is_symlink()}


def _write(index: Index, vault: Path, cfg: ExportConfig = CFG) -> notewriter.WriteReport:
    return notewriter.apply(notewriter.plan_blocks(index, vault, cfg))


def test_dry_run_changes_nothing_and_names_every_refusal(pristine, vault: Path) -> None:
    before = _bytes(vault)
    plan = notewriter.plan_blocks(pristine[1], vault, CFG)
    assert _bytes(vault) == before
    assert len(plan.changes) >= 200 and plan.current == 0
    assert {r.path: r.reason for r in plan.refused}.keys() == REFUSED.keys()
    for r in plan.refused:
        assert REFUSED[r.path] in r.reason, r
    skipped = {s["path"]: s["reason"] for s in pristine[1].skipped()}
    assert all(why in skipped[rel] for rel, why in NOT_INDEXED.items())
    assert plan.skipped == []
    diff = "".join(notewriter.unified_diff(c) for c in plan.changes)
    assert diff.count("\n+++ b/") + diff.startswith("+++ b/") == len(plan.changes)


def test_write_keeps_every_byte_outside_the_block(pristine, vault: Path) -> None:
    before = _bytes(vault)
    report = _write(pristine[1], vault)
    after = _bytes(vault)
    assert len(report.written) >= 200 and {r.path for r in report.refused} == REFUSED.keys()
    assert after.keys() == before.keys()  # no file created or left behind (temp files included)
    for rel, old in before.items():
        new = after[rel]
        if rel in REFUSED or rel in NOT_INDEXED or not rel.endswith(".md"):
            assert new == old, rel
            continue
        assert new != old and NoteText.decode(new).encode(remove(NoteText.decode(new).text)) == old, rel
    assert after["x/bom.md"].startswith(codecs.BOM_UTF8)
    assert after["x/crlf.md"].count(b"\n") == after["x/crlf.md"].count(b"\r\n")
    assert after["x/utf16.md"].decode("utf-16").count("\r\n- ") == 5  # five related notes listed
    assert after["x/no final newline.md"].startswith(before["x/no final newline.md"] + b"\n\n<!--")
    markers = after["x/markers.md"].decode()
    assert markers.index("[[") < markers.index("## After") and markers.endswith("\n\n## After\nmore notes\n")


def test_second_run_writes_nothing(pristine, vault: Path) -> None:
    _write(pristine[1], vault)
    stamps = {p: p.stat().st_mtime_ns for p in vault.rglob("*.md")}
    plan = notewriter.plan_blocks(pristine[1], vault, CFG)
    assert plan.changes == [] and plan.current >= 200
    assert notewriter.apply(plan).written == []
    assert {p: p.stat().st_mtime_ns for p in vault.rglob("*.md")} == stamps


def test_note_changed_between_read_and_write_is_not_written(pristine, vault: Path) -> None:
    plan = notewriter.plan_blocks(pristine[1], vault, CFG)
    victim = plan.changes[0]
    (vault / victim.path).write_bytes(b"edited meanwhile\n")
    report = notewriter.apply(plan)
    assert (vault / victim.path).read_bytes() == b"edited meanwhile\n"
    assert next(r for r in report.refused if r.path == victim.path).reason.startswith("changed since")
    assert victim.path not in report.written and len(report.written) == len(plan.changes) - 1
    assert not list(vault.rglob("*.notelink-tmp"))


def test_writes_are_atomic_and_keep_permissions(pristine, vault: Path, monkeypatch) -> None:
    note = vault / "en" / "Home.md"
    note.chmod(0o640)
    inode = note.stat().st_ino
    _write(pristine[1], vault)
    assert stat.S_IMODE(note.stat().st_mode) == 0o640 and note.stat().st_ino != inode  # replaced whole
    other = vault / "x" / "crlf.md"
    before = other.read_bytes()
    plan = notewriter.plan_blocks(pristine[1], vault, ExportConfig(top=2))

    def full(fd: int) -> None:  # the disk fills up while the new bytes are written
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(swap.os, "fsync", full)
    report = notewriter.apply(plan)
    assert report.written == [] and all("No space left" in r.reason for r in report.refused
                                        if r.path not in REFUSED)
    assert other.read_bytes() == before and not list(vault.rglob(".*.notelink-*"))


def test_symlinks_are_written_through_and_never_outside_the_vault(pristine, vault: Path) -> None:
    outside = vault.parent.parent / "outside.md"
    outside.write_bytes(b"# Outside\n")
    (vault / "outside-link.md").unlink()
    (vault / "outside-link.md").symlink_to(outside)
    _write(pristine[1], vault)
    link = vault / "x" / "link to en.md"
    assert link.is_symlink() and os.readlink(link) == "../en/Home.md"
    assert link.read_bytes().count(b"notelink:related:start") == 1  # written once, through en/Home.md
    assert outside.read_bytes() == b"# Outside\n"


def test_hard_links_are_refused(pristine, vault: Path) -> None:
    report = _write(pristine[1], vault)
    assert "hard-linked" in {r.path: r.reason for r in report.refused}["x/hard.md"]
    assert (vault / "x" / "hard-twin.txt").read_bytes() == AWKWARD["x/hard.md"]


def test_edited_blocks_are_refused_not_repaired(pristine, vault: Path) -> None:
    _write(pristine[1], vault)
    note = vault / "en" / "Home.md"
    head, _, tail = note.read_text(encoding="utf-8").rpartition("- [[")  # the block's last line
    edited = head + "- my edit [[" + tail
    note.write_text(edited, encoding="utf-8")
    for plan, advice, wrong in (
            (notewriter.plan_blocks(pristine[1], vault, ExportConfig(top=3)), "to let notelink fill it again",
             "remove the block by hand"),
            (notewriter.plan_undo(vault), "remove the block by hand", "fill it again")):  # (not write advice)
        reason = {r.path: r.reason for r in plan.refused}["en/Home.md"]
        assert "edited by hand" in reason and advice in reason and wrong not in reason, reason
        notewriter.apply(plan)
        assert note.read_text(encoding="utf-8") == edited


def test_hostile_titles_cannot_break_the_block(pristine, vault: Path) -> None:
    index = pristine[1]
    hostile = index.by_path["x/a]] b | c --> d.md"]
    assert hostile.title == "t]] | u --> ../../../escape/x"
    lines = notewriter.block_lines(index, ExportConfig(top=len(index.notes)))
    shown = "- [t］］ ｜ u --› ../../../escape/x](x/a%5D%5D%20b%20%7C%20c%20--%3E%20d.md)"
    assert lines[hostile.path] and any(shown in ls for ls in lines.values())
    _write(index, vault, ExportConfig(top=50))
    assert not (vault.parent / "escape").exists()
    for rel in scan(vault):
        if rel in REFUSED:
            continue
        text = NoteText.decode((vault / rel).read_bytes()).text
        block = find_block(text)
        assert block is not None and not block.edited, rel
        shown_here = len(index.related(index.by_path[rel], 50))  # (notes sharing nothing are left out)
        assert text[block.gap : block.end].count("\n") == shown_here > 0, rel


def test_block_is_invisible_to_the_index(pristine, vault: Path) -> None:
    """What the watcher relies on: after a write, every note hashes and parses as before (no retrain)."""
    _write(pristine[1], vault)
    cfg = IndexConfig()
    for rel in scan(vault):
        old, new = read_note(pristine[0], rel, 10**7), read_note(vault, rel, 10**7)
        assert isinstance(old, RawNote) and isinstance(new, RawNote)
        assert new.sha256 == old.sha256, rel
        a, b = record_from_raw(old, cfg), record_from_raw(new, cfg)
        assert (b.tokens, b.links, b.title) == (a.tokens, a.links, a.title), rel


def test_round_trip_write_rewrite_undo_is_byte_identical(pristine, vault: Path) -> None:
    before = _bytes(vault)
    _write(pristine[1], vault, ExportConfig(top=5))
    first = _bytes(vault)
    rewrite = _write(pristine[1], vault, ExportConfig(top=3, unlinked=True))
    assert len(rewrite.written) >= 200 and _bytes(vault) != first
    assert notewriter.plan_undo(vault).refused == [r for r in notewriter.plan_undo(vault).refused
                                                   if r.path in REFUSED]
    report = notewriter.apply(notewriter.plan_undo(vault))
    assert len(report.written) >= 200
    assert _bytes(vault) == before
    assert notewriter.plan_undo(vault).changes == []


def test_render_is_what_gets_written(pristine, vault: Path) -> None:
    lines = notewriter.block_lines(pristine[1], CFG)["en/Home.md"]
    expected = render((vault / "en" / "Home.md").read_text(encoding="utf-8"), lines)
    _write(pristine[1], vault)
    assert (vault / "en" / "Home.md").read_text(encoding="utf-8") == expected


def test_letters_beyond_ascii_are_not_written_into_a_note_that_is_not_utf8(tmp_path: Path) -> None:
    """A Latin-1 note got `[[Crème brûlée]]` appended in UTF-8: half the file in each encoding."""
    latin = "# Recettes\n\nUne recette de crème brûlée.\n".encode("latin-1")
    (tmp_path / "recettes.md").write_bytes(latin)

    def adding(link: str) -> notewriter.Edit:
        return lambda text: text + f"\n- [[{link}]]\n"

    refused = notewriter.plan_note(tmp_path, "recettes.md", adding("Crème brûlée"))
    assert isinstance(refused, notewriter.Refusal) and "not UTF-8" in refused.reason
    ascii_link = notewriter.plan_note(tmp_path, "recettes.md", adding("Dessert"))
    assert isinstance(ascii_link, notewriter.Change) and ascii_link.after == latin + b"\n- [[Dessert]]\n"
    assert not NoteText.decode("# Crème\n".encode()).mixes_encodings("# Crème\n\n- [[Brûlée]]\n")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_named_like_a_note_is_skipped_not_waited_on(tmp_path: Path) -> None:
    """`export --format block --undo` opened every *.md, a named pipe too, and waited forever."""
    (tmp_path / "a.md").write_text(render("# A\n", ["- [[B]]"]), encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.md")
    plan = without_waiting(lambda: notewriter.plan_undo(tmp_path))
    assert [c.path for c in plan.changes] == ["a.md"] and not plan.refused
    (skip,) = plan.skipped
    assert skip.path == "pipe.md" and skip.reason.startswith("not a regular file: a named pipe")
    outcome = without_waiting(lambda: notewriter.plan_note(tmp_path, "pipe.md", lambda text: text + "x"))
    assert isinstance(outcome, notewriter.Skip)


def test_a_broken_symlink_or_a_symlink_loop_is_skipped_as_the_index_skips_it(tmp_path: Path) -> None:
    """`export --format block --undo` refused both (exit code 3 on every run, "vanished ... run `notelink
    index` again" for a link to nothing), though neither can hold a block and the index skips them."""
    (tmp_path / "a.md").write_text(render("# A\n", ["- [[B]]"]), encoding="utf-8")
    (tmp_path / "broken.md").symlink_to("nowhere.md")
    (tmp_path / "loop1.md").symlink_to("loop2.md")
    (tmp_path / "loop2.md").symlink_to("loop1.md")
    plan = notewriter.plan_undo(tmp_path)
    assert [c.path for c in plan.changes] == ["a.md"] and not plan.refused
    reasons = {skip.path: skip.reason for skip in plan.skipped}
    assert reasons["broken.md"] == "broken symbolic link: its target nowhere.md does not exist"
    assert reasons["loop1.md"] == reasons["loop2.md"] == "symbolic link loop: the link leads back to itself"


def test_a_diff_header_quotes_a_path_with_a_line_break_as_git_does(tmp_path: Path) -> None:
    """A note named `line\\nbreak.md` (possible on Linux) split the `--- a/...` header in two lines, a diff
    no tool reads: such a path is C-quoted as git writes it (`"a/line\\nbreak.md"`), others kept."""
    change = notewriter.Change("line\nbreak.md", tmp_path / "x", b"", b"", "one\n", "one\ntwo\n")
    lines = notewriter.unified_diff(change).splitlines()
    assert lines[:2] == ['--- "a/line\\nbreak.md"', '+++ "b/line\\nbreak.md"']
    assert all(line[:1] in " +-@" for line in lines)
    assert notewriter.diff_path('a/q"\\\x01.md') == '"a/q\\"\\\\\\001.md"'
    assert notewriter.diff_path("a/Café note.md") == "a/Café note.md"

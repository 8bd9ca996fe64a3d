"""The compare-and-swap at the moment of the replace (issue 15, item 2): an edit forced into the window
between the last check and the replace is never overwritten, with the lease and exchange, and without them;
temporary files of interrupted runs (item 5) are removed unless they hold text the note does not."""

from __future__ import annotations

import errno
import multiprocessing
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from notelink.notes.block import render
from notelink.write import swap
from notelink.write.notewriter import Change, write_change

from ..conftest import without_waiting

BEFORE = b"# Note\nthe user's text\n"
AFTER = render(BEFORE.decode(), ["- [[Other]]"]).encode()
EDITED = b"# Note\nthe user's text, edited while notelink wrote\n"


def _change(note: Path) -> Change:
    return Change(note.name, note, BEFORE, AFTER, BEFORE.decode(), AFTER.decode())


@pytest.fixture
def note(tmp_path: Path) -> Path:
    path = tmp_path / "Note.md"
    path.write_bytes(BEFORE)
    return path


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".notelink-" in p.name)


def _before_exchange(monkeypatch: pytest.MonkeyPatch, edit: Callable[[], None]) -> None:
    """Runs `edit` once, just before the first exchange: inside the window the check cannot see."""
    real = swap.exchange
    calls: list[int] = []

    def exchange(a: Path, b: Path) -> bool:
        if not calls:
            calls.append(1)
            edit()
        return real(a, b)

    monkeypatch.setattr(swap, "exchange", exchange)


def _save_by_rename(note: Path, data: bytes) -> None:
    """An editor's save by rename: a copy written beside the note, renamed over it."""
    copy = note.with_name("Note.md~")
    copy.write_bytes(data)
    os.replace(copy, note)


def test_a_save_by_rename_just_before_the_exchange_is_kept(note: Path, monkeypatch) -> None:
    _before_exchange(monkeypatch, lambda: _save_by_rename(note, EDITED))
    refusal = write_change(_change(note))
    assert refusal is not None and "changed while notelink wrote it" in refusal.reason
    assert note.read_bytes() == EDITED and _temporaries(note.parent) == []


def test_a_save_by_rename_between_the_exchange_and_its_undo_is_the_one_kept(note: Path, monkeypatch) -> None:
    newest = b"# Note\nthe user's text, saved again\n"
    real, calls = swap.exchange, []

    def exchange(a: Path, b: Path) -> bool:  # a save just before the exchange, and one just after it
        calls.append(1)
        if len(calls) == 1:
            _save_by_rename(note, EDITED)
            done = real(a, b)
            _save_by_rename(note, newest)
            return done
        return real(a, b)

    monkeypatch.setattr(swap, "exchange", exchange)
    refusal = write_change(_change(note))
    assert refusal is not None and "changed while notelink wrote it" in refusal.reason
    assert note.read_bytes() == newest and _temporaries(note.parent) == []  # not the older save put back


def test_a_save_by_rename_just_before_the_undo_is_the_one_kept(note: Path, monkeypatch) -> None:
    """A save before the exchange (so it is undone), and one between the check after the exchange and the
    undo's own exchange: the undo would put the older save back and the newer aside; it is exchanged once
    more, so the note is the newest save and no temporary file is left (seen under load, in CI)."""
    newest = b"# Note\nthe user's text, saved again just before the undo\n"
    real, calls = swap.exchange, []

    def exchange(a: Path, b: Path) -> bool:
        calls.append(1)
        if len(calls) == 1:
            _save_by_rename(note, EDITED)
        elif len(calls) == 2:  # the undo
            _save_by_rename(note, newest)
        return real(a, b)

    monkeypatch.setattr(swap, "exchange", exchange)
    refusal = write_change(_change(note))
    assert refusal is not None and "changed while notelink wrote it" in refusal.reason
    assert note.read_bytes() == newest and _temporaries(note.parent) == []


def _write_in_place(path: str, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC)  # waits while notelink holds its lease
    os.write(fd, data)
    os.close(fd)


def _lease_broken(path: Path) -> bool:
    """True when /proc/locks shows a lease on the note being broken (another process waits to open it)."""
    ino = os.stat(path).st_ino
    return any("LEASE" in line and "BREAK" in line and f":{ino} " in line
               for line in Path("/proc/locks").read_text().splitlines())


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.005)


def _editor(note: Path, data: bytes, what: str) -> tuple[Any, Callable[[], None]]:
    """An editor process saving `data` in place into the note's name, and the call that starts it and waits
    until its open reaches the lease held on the file under that name (`what` names the wait)."""
    editor = multiprocessing.get_context("fork").Process(target=_write_in_place, args=(str(note), data))

    def opens() -> None:
        editor.start()
        _wait_for(lambda: _lease_broken(note), what)

    return editor, opens


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="Linux leases")
def test_an_in_place_save_by_another_process_waits_and_is_kept(note: Path, monkeypatch) -> None:
    editor, editor_opens_the_note = _editor(note, EDITED, "the editor's open to reach the lease")
    _before_exchange(monkeypatch, editor_opens_the_note)
    refusal = write_change(_change(note))
    editor.join(30)
    assert refusal is not None and "changed while notelink wrote it" in refusal.reason
    assert editor.exitcode == 0 and note.read_bytes() == EDITED and _temporaries(note.parent) == []


def _edit_in_place(note: Path, data: bytes = EDITED) -> Callable[[], None]:
    def edit() -> None:
        with open(note, "r+b") as fh:
            fh.truncate(0)
            fh.write(data)
    return edit


def _after_a_save_and_the_exchange(monkeypatch: pytest.MonkeyPatch, edit: Callable[[], None]) -> None:
    """A save by rename just before the first exchange (so it is undone), and `edit` just after it, while
    notelink's new file holds the note's name."""
    real, calls = swap.exchange, []

    def exchange(a: Path, b: Path) -> bool:
        calls.append(1)
        if len(calls) > 1:
            return real(a, b)
        _save_by_rename(a.with_name("Note.md"), EDITED)
        done = real(a, b)
        edit()
        return done

    monkeypatch.setattr(swap, "exchange", exchange)


def _kept_save(note: Path, refusal_reason: str) -> Path:
    """The temporary file the refusal names as holding a save."""
    assert "a save is kept in" in refusal_reason, refusal_reason
    (kept,) = [p for p in note.parent.iterdir() if p.name in refusal_reason and p.name != note.name]
    return kept


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="Linux leases")
def test_an_in_place_save_into_the_new_file_before_the_undo_is_kept(note: Path, monkeypatch) -> None:
    """An editor that opens the note's name for an in-place save while notelink's new file holds it (between
    the exchange and its undo) writes into that file: the undo keeps it, with the editor's bytes,
    and says so."""
    newest = b"# Note\nsaved in place while notelink undid its write\n"
    editor, editor_opens_the_note = _editor(note, newest, "the editor's open to reach notelink's new file")
    _after_a_save_and_the_exchange(monkeypatch, editor_opens_the_note)
    refusal = write_change(_change(note))
    editor.join(30)
    assert refusal is not None and editor.exitcode == 0
    kept = _kept_save(note, refusal.reason)
    assert note.read_bytes() == EDITED and kept.read_bytes() == newest  # no save lost, both named
    assert [c.kept != "" for c in swap.clean_temporary(note.parent)] == [True]  # and never deleted


def test_without_a_lease_an_in_place_save_into_the_new_file_is_kept(note: Path, monkeypatch) -> None:
    monkeypatch.setattr(swap.Lease, "take", lambda self: None)
    newest = b"# Note\nsaved in place while notelink undid its write\n"
    _after_a_save_and_the_exchange(monkeypatch, _edit_in_place(note, newest))
    refusal = write_change(_change(note))
    assert refusal is not None
    kept = _kept_save(note, refusal.reason)
    assert note.read_bytes() == EDITED and kept.read_bytes() == newest


def test_without_a_lease_an_in_place_edit_is_seen_and_put_back(note: Path, monkeypatch) -> None:
    monkeypatch.setattr(swap.Lease, "take", lambda self: None)
    _before_exchange(monkeypatch, _edit_in_place(note))
    refusal = write_change(_change(note))
    assert refusal is not None and "changed while notelink wrote it" in refusal.reason
    assert note.read_bytes() == EDITED and _temporaries(note.parent) == []


def test_without_an_exchange_the_old_file_is_kept_until_checked(note: Path, monkeypatch) -> None:
    monkeypatch.setattr(swap.Lease, "take", lambda self: None)
    monkeypatch.setattr(swap, "exchange", lambda a, b: False)
    real, edit, calls = os.replace, _edit_in_place(note), []

    def replace(src: str | Path, dst: str | Path) -> None:
        if not calls:  # the edit lands just before the new bytes replace the note
            calls.append(1)
            edit()
        real(src, dst)

    monkeypatch.setattr(swap.os, "replace", replace)
    refusal = write_change(_change(note))
    assert refusal is not None and "changed while notelink wrote it" in refusal.reason
    assert note.read_bytes() == EDITED and _temporaries(note.parent) == []


def test_an_undisturbed_write_replaces_the_note_whole(note: Path) -> None:
    note.chmod(0o640)
    inode = note.stat().st_ino
    assert write_change(_change(note)) is None
    assert note.read_bytes() == AFTER and note.stat().st_ino != inode and note.stat().st_mode & 0o777 == 0o640
    assert _temporaries(note.parent) == []


def test_a_note_open_in_another_process_is_not_written(note: Path) -> None:
    if not Path("/proc/locks").exists():
        pytest.skip("Linux leases")
    ctx = multiprocessing.get_context("fork")
    ready, go = ctx.Event(), ctx.Event()

    def hold_open() -> None:
        with open(note, "rb"):
            ready.set()
            go.wait(120)

    holder = ctx.Process(target=hold_open)
    holder.start()
    try:
        assert ready.wait(120)
        refusal = write_change(_change(note))
    finally:
        go.set()
        holder.join(30)
    assert refusal is not None and "open in another program" in refusal.reason
    assert note.read_bytes() == BEFORE


def test_leftovers_are_removed_unless_they_hold_the_users_text(tmp_path: Path) -> None:
    note = tmp_path / "Note.md"
    note.write_bytes(BEFORE)
    dead = 999_999_999
    live = os.getppid()
    files = {
        ".Note.md.a1b2c3d4.notelink-tmp": AFTER[:10],  # an older notelink's new bytes, half written
        f".Note.md.{dead}-0badf00d.notelink-new": AFTER[:20],  # killed while writing the new bytes
        f".Note.md.{dead}-1badf00d.notelink-tmp": AFTER,  # killed before the exchange
        f".Note.md.{dead}-2badf00d.notelink-tmp": BEFORE,  # killed after it: the old bytes
        f".Note.md.{dead}-3badf00d.notelink-tmp": EDITED,  # a save that came during an undo
        f".Note.md.{live}-4badf00d.notelink-tmp": AFTER,  # another run, still going
        ".Gone.md.5badf00d.notelink-tmp": AFTER,  # its note deleted since
        ".Note.md.notelink-tmp": b"not ours: no random part",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    out = {left.path: left.kept for left in swap.clean_temporary(tmp_path)}
    kept = f".Note.md.{dead}-3badf00d.notelink-tmp"
    assert out.keys() == set(files) - {f".Note.md.{live}-4badf00d.notelink-tmp", ".Note.md.notelink-tmp"}
    assert {p for p, why in out.items() if why} == {kept} and "holds text" in out[kept]
    assert _temporaries(tmp_path) == sorted([kept, f".Note.md.{live}-4badf00d.notelink-tmp",
                                             ".Note.md.notelink-tmp"])
    assert note.read_bytes() == BEFORE


def test_a_folder_that_cannot_be_written_is_named(note: Path, monkeypatch) -> None:
    """The new note is written beside the old one: a read-only folder (a writable note in it) is the cause,
    and the refusal names it (root ignores the mode bits, so the failure is forced here)."""
    def refuse(file: Path, data: bytes, mode: int) -> Path:
        name = swap.temp_name(file, swap.NEW)
        raise PermissionError(errno.EACCES, "Permission denied", str(name))

    monkeypatch.setattr(swap, "write_temp", refuse)
    refusal = write_change(_change(note))
    assert refusal is not None and f"its folder {note.parent} cannot be written" in refusal.reason
    assert note.read_bytes() == BEFORE


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_leftover_of_a_note_now_a_named_pipe_is_kept_not_waited_on(tmp_path: Path) -> None:
    """Cleaning up read the note a leftover temporary file belongs to, a named pipe too, and waited."""
    os.mkfifo(tmp_path / "Note.md")
    (tmp_path / ".Note.md.999999999-1badf00d.notelink-tmp").write_bytes(b"# Note\n")
    (left,) = without_waiting(lambda: swap.clean_temporary(tmp_path))
    assert left.kept and (tmp_path / ".Note.md.999999999-1badf00d.notelink-tmp").exists()

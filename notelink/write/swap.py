"""Replacing a note's bytes only if they are still the ones the change was planned from: a compare-and-swap
that holds at the moment of the replace, whatever an editor does meanwhile.

Editors save in place (truncate, then write: VS Code) or by rename (write a copy, rename it over the note).
A plain check-then-`os.replace` loses a save that lands between the check and the replace: an in-place
write goes to the old, unlinked file, and a renamed copy is replaced. So, on Linux:

1. the note is opened once and a write lease taken on it (`fcntl F_SETLEASE`): granted only when no other
   process has the note open; while held, another process opening it for writing or truncating it waits,
   and the lease shows it. Its bytes are compared with the planned ones through that descriptor.
2. the new bytes are written to `.NAME.PID-XXXXXXXX.notelink-new`, fsynced, renamed to `...notelink-tmp`.
3. the two names are exchanged atomically (`renameat2 RENAME_EXCHANGE`): the note's name holds the new
   file, and the temporary name whatever the note's name held at that instant.
4. if that is the file from step 1, unchanged (lease intact or broken only by a reader), it is deleted;
   otherwise (a renamed save, an in-place writer waiting on the lease) the exchange is undone, so the
   user's file is back under its name before any waiting writer goes on; the note is refused. When an
   editor has meanwhile saved by rename over the new file (seen before the undo, or by the undo itself),
   its save is the newest: it stays under the note's name, and the displaced file (older) is deleted.
   Our new file holds a write lease too while it is exchanged (`_watched`): an editor that opens the note's
   name for an in-place save while our file holds it writes into our file, so the undo then keeps that
   file, with the editor's save, and says so, instead of deleting it. (An open whose lookup of the name
   came just before the undo, and reaches our file just after the check, is not seen: microseconds.)
Where leases or the exchange are not available, the old file keeps a second name (a hard link) until the
new one is in place and its size, mtime and bytes are checked again; a change is put back, but a renamed
save landing between the link and the replace, or an in-place save into the new file before a change is
put back, is not seen (windows of microseconds).

A run killed at any moment leaves the note whole (old or new bytes) and at most a temporary file, which the
next `--write` removes (`clean_temporary`) unless it holds text the note does not: then it is kept and
reported, never deleted.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import secrets
import signal
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from notelink.notes.block import unmanaged_bytes
from notelink.notes.vault import NotRegular, read_regular
from notelink.processes import pid_alive

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

NEW, TEMP = ".notelink-new", ".notelink-tmp"
_TEMP_NAME = re.compile(r"^\.(?P<note>.+\.md)\.(?:(?P<pid>\d+)-)?[a-z0-9_]{8}"
                        r"(?P<kind>\.notelink-(?:new|tmp))$", re.IGNORECASE)
"""Our temporary files, by name: `.NAME.md.PID-XXXXXXXX.notelink-new|tmp`; `.NAME.md.XXXXXXXX.notelink-tmp`
(no pid) from notelink versions that held only new bytes in them."""
_RENAME_EXCHANGE = 2
_CHANGED_WHILE_WRITING = ("changed while notelink wrote it (an editor saving?); left as saved, not written "
                          "(run again)")
_KEPT = ("saved again and again while notelink wrote it; a save is kept in {}, next to it: compare the two "
         "and keep the one you want")
_AT_FDCWD = -100
_LEASE_TRIES = 5
_LEASE_RETRY_S = 0.01


class Moved(Exception):
    """The note changed, or was saved again, while it was being replaced; the message says what was done."""


class Busy(Exception):
    """Another process has the note open right now."""


@dataclass(frozen=True)
class Identity:
    """What the note was when it was read: its file, size and modification time."""

    dev: int
    ino: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, st: os.stat_result) -> Identity:
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)

    def is_file_of(self, st: os.stat_result) -> bool:
        """Whether `st` is this file (same device and inode), whatever its size and mtime now."""
        return (st.st_dev, st.st_ino) == (self.dev, self.ino)


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def exchange(a: Path, b: Path) -> bool:
    """Swaps two names atomically (Linux `renameat2`); False where the system or file system cannot."""
    libc = _libc()
    func = getattr(libc, "renameat2", None) if libc is not None else None
    if func is None:
        return False
    if func(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


class Lease:
    """A write lease on an open note (Linux): `take` raises Busy while another process has it open; then,
    until `release`, another process opening it waits, and `written_meanwhile` tells whether one tried to
    write (a reader only downgrades it). The break is signalled with SIGURG, ignored by default (SIGIO, the
    default, would end this process)."""

    def __init__(self, fd: int) -> None:
        self.fd, self.held = fd, False

    def take(self) -> None:
        if fcntl is None or not hasattr(fcntl, "F_SETLEASE"):
            return
        for attempt in range(_LEASE_TRIES):
            try:
                fcntl.fcntl(self.fd, fcntl.F_SETSIG, signal.SIGURG)  # before each lease (6.x resets it)
                fcntl.fcntl(self.fd, fcntl.F_SETLEASE, fcntl.F_WRLCK)
                self.held = True
                return
            except OSError as exc:
                if exc.errno != errno.EAGAIN:
                    return  # not the owner, or the file system has no leases: checks only
                if attempt + 1 < _LEASE_TRIES:
                    time.sleep(_LEASE_RETRY_S)  # a reader (a sync tool, the watcher) closes it soon
        raise Busy()

    def written_meanwhile(self) -> bool:
        """True when another process opened the file for writing or truncated it since `take`."""
        return self.held and fcntl.fcntl(self.fd, fcntl.F_GETLEASE) == fcntl.F_UNLCK

    def release(self) -> None:
        if self.held:
            with contextlib.suppress(OSError):
                fcntl.fcntl(self.fd, fcntl.F_SETLEASE, fcntl.F_UNLCK)
            self.held = False


def read_all(fd: int) -> bytes:
    """The whole file behind `fd`, from its start (without moving any other descriptor's offset)."""
    parts, pos = [], 0
    while chunk := os.pread(fd, 1 << 20, pos):
        parts.append(chunk)
        pos += len(chunk)
    return b"".join(parts)


def _unchanged(fd: int, was: Identity, lease: Lease, data: bytes) -> bool:
    """The open note still is what was read: with a lease, nobody tried to write it; without one, its size,
    mtime and bytes are the same."""
    if _written(fd, was, lease):
        return False
    return lease.held or read_all(fd) == data


def _written(fd: int, was: Identity, lease: Lease) -> bool:
    """Whether another process opened the file behind `fd` for writing since the lease was taken, or (with
    or without a lease) its size or mtime is no longer `was`'s."""
    return lease.written_meanwhile() or Identity.of(os.fstat(fd)) != was


def temp_name(file: Path, kind: str) -> Path:
    """A fresh temporary name next to `file` (not created)."""
    return file.with_name(f".{file.name}.{os.getpid()}-{secrets.token_hex(4)}{kind}")


def write_temp(file: Path, data: bytes, mode: int) -> Path:
    """`data` in a new `.notelink-tmp` file next to `file`, complete and fsynced, with `file`'s
    permissions; while being written it is named `.notelink-new` (never holding anything but new bytes)."""
    new = temp_name(file, NEW)
    fd = os.open(new, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fchmod(out.fileno(), stat.S_IMODE(mode))
            os.fsync(out.fileno())
        tmp = new.with_name(new.name[: -len(NEW)] + TEMP)
        os.rename(new, tmp)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(new)
        raise
    return tmp


def fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def swap(file: Path, fd: int, was: Identity, lease: Lease, before: bytes, tmp: Path) -> None:
    """Puts `tmp` in place of `file` if `file` is still the open `fd` holding `before` (see the module's
    docstring); raises Moved (the user's file left in place) when it is not. `tmp` is gone afterwards,
    unless it holds a save that came during the undo (then Moved names it)."""
    with _watched(tmp) as touched:
        ours = os.lstat(tmp)
        if not exchange(tmp, file):
            _replace_keeping_old(file, fd, was, lease, before, tmp)
            return
        displaced = os.lstat(tmp)
        if was.is_file_of(displaced) and _unchanged(fd, was, lease, before):
            os.unlink(tmp)
            return
        if _replaced(file, ours):  # a save by rename came after the exchange: newer than what it displaced
            os.unlink(tmp)
            raise Moved(_CHANGED_WHILE_WRITING)
        exchange(tmp, file)  # undo: the user's file back under its name
        back = os.lstat(tmp)
        if os.path.samestat(back, ours):
            if touched():  # an editor saved in place into our file while it held the note's name
                raise Moved(_KEPT.format(tmp.name))
            os.unlink(tmp)
            raise Moved(_CHANGED_WHILE_WRITING)
        # a save by rename came over our file after the exchange: the undo put the save it displaced (older)
        # back under the note's name and the newer one here; exchanged once more, the newer is the note again
        exchange(tmp, file)
        older = os.lstat(tmp)
        if os.path.samestat(older, displaced):
            os.unlink(tmp)  # (superseded by the editor's own later save, as when `_replaced` sees it above)
            raise Moved(_CHANGED_WHILE_WRITING)
        raise Moved(_KEPT.format(tmp.name))


@contextlib.contextmanager
def _watched(tmp: Path) -> Iterator[Callable[[], bool]]:
    """Our new file `tmp`, open with a write lease while it is exchanged, so that an editor opening the
    note's name for an in-place save while our file holds it is seen (and waits until the lease is
    released): yields `touched()`, True once another process opened our file for writing, or (without a
    lease) once its size or mtime changed. An undo then keeps the file, not deleting the editor's save."""
    fd = os.open(tmp, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    lease = Lease(fd)
    try:
        with contextlib.suppress(Busy):
            lease.take()
        was = Identity.of(os.fstat(fd))
        yield lambda: _written(fd, was, lease)
    finally:
        lease.release()
        os.close(fd)


def _replaced(file: Path, ours: os.stat_result) -> bool:
    """True when `file` is no longer our new file, but another (an editor's save by rename over it);
    False when it is ours, or gone (then the undo's exchange fails and says so)."""
    try:
        now = os.lstat(file)
    except FileNotFoundError:
        return False
    return not os.path.samestat(now, ours)


def _replace_keeping_old(file: Path, fd: int, was: Identity, lease: Lease, before: bytes, tmp: Path) -> None:
    """Without an atomic exchange: the old file keeps a second name until the new one is verified."""
    old = temp_name(file, TEMP)
    try:
        os.link(file, old)
    except OSError as exc:  # a file system without hard links (FAT): checked, then replaced
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        if not _unchanged(fd, was, lease, before):
            raise Moved("changed since notelink read it; not written (run again)") from None
        os.replace(tmp, file)
        return
    try:
        linked = os.lstat(old)
        if not was.is_file_of(linked) or not _unchanged(fd, was, lease, before):
            raise Moved("changed since notelink read it; not written (run again)")
        os.replace(tmp, file)
        if not _unchanged(fd, was, lease, before):
            os.replace(old, file)
            raise Moved(_CHANGED_WHILE_WRITING)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(old)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


@dataclass(frozen=True)
class Leftover:
    """A temporary file of an interrupted run: removed, or kept (with the reason)."""

    path: str
    kept: str = ""


def _leftovers(root: Path) -> Iterator[tuple[Path, re.Match[str]]]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith(".") and (m := _TEMP_NAME.match(name)):
                yield Path(dirpath) / name, m


def clean_temporary(root: Path) -> list[Leftover]:
    """Removes the temporary files interrupted runs left in the vault: new bytes never put in place, and
    old bytes the note still holds (without the block). One holding text the note does not (a save that
    came while a run was undoing its write) is kept and reported. Another live run's files are left."""
    out: list[Leftover] = []
    for path, m in _leftovers(root):
        pid = m.group("pid")
        if pid is not None and int(pid) != os.getpid() and pid_alive(int(pid)):
            continue
        rel = path.relative_to(root).as_posix()
        note = path.with_name(m.group("note"))
        try:
            if m.group("kind") == TEMP and pid is not None and not _redundant(path, note):
                out.append(Leftover(rel, f"it holds text that {note.name} does not (a save made while "
                                         "notelink wrote it?); compare the two, then delete it"))
                continue
            path.unlink()
        except OSError as exc:
            out.append(Leftover(rel, f"cannot remove it: {exc.strerror or exc}"))
            continue
        out.append(Leftover(rel))
    return out


def _redundant(tmp: Path, note: Path) -> bool:
    """True when the note holds everything `tmp` holds, notelink's block aside (or the note is gone: the
    user deleted or moved it). A note that is no regular file now (a named pipe) is never opened: False."""
    try:
        current = read_regular(note)[0]
    except FileNotFoundError:
        return True
    except NotRegular:
        return False
    return unmanaged_bytes(tmp.read_bytes()) == unmanaged_bytes(current)

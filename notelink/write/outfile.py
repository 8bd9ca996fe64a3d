"""The files a command writes (`export -o`): an ordinary file is replaced whole or not at all, with the mode
a new file usually gets; a device, pipe or terminal (`/dev/stdout`, `>(gzip)`) is written to directly.
A failed write (a full disk) is an OutputError that says what was left: the old file unchanged, or nothing
(the temporary file removed)."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from notelink.errors import OutputError


@contextlib.contextmanager
def output_file(path: str, newline: str = "\n", vault: Path | None = None) -> Iterator[TextIO]:
    """A text stream to `path`. An ordinary file (or a new one) is written to a temporary file beside it
    and renamed over it at the end, through a symlink to its target; anything else is opened as it is.
    An existing note of `vault` (a `.md` file in it, reached by any path) is never replaced: OutputError."""
    target, given = Path(path).expanduser(), None
    try:
        given = target.stat() if target.exists() else None  # (/dev/stdout: a pipe or a terminal, as given)
        special = given is not None and not stat.S_ISREG(given.st_mode)
        target = target if special else target.resolve()  # write through symlinks, beside the real file
        if target.is_dir():
            raise IsADirectoryError(21, "it is a folder")
        if given is not None and not special and vault is not None:
            _refuse_note(path, target, vault)
        out, tmp = (_as_it_is(target, newline), None) if special else _temp_beside(target, newline)
    except OSError as exc:
        raise _cannot_write(path, target, exc, given is not None) from None
    try:
        with out:  # (its close flushes again after a failed write, and fails again: caught below too)
            yield out
            out.flush()
        if tmp is not None:
            os.replace(tmp, target)
    except OSError as exc:
        if exc.errno not in _WRITE_FAILED:
            raise
        raise _cannot_write(path, target, exc, given is not None, tmp is None) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


_WRITE_FAILED = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS}
"""The errors of a failed write to the output (a full disk, a file over the size limit, a failing disk);
another OSError while exporting (the index's) is not the output's."""


def _cannot_write(path: str, target: Path, exc: OSError, existed: bool, partly: bool = False) -> OutputError:
    """A failed write of `path` for people: what happened, what was left, what to do."""
    left = ("part of the export may have reached it" if partly else
            f"{path} is unchanged" if existed else "nothing was written")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):  # (a device, /dev/full, has no disk to tell the space of)
        free = "" if partly else _free(target)
        return OutputError(f"cannot write {path}: no space left on its disk{free}; {left}. Free some space, "
                           "or give -o a file on another disk")
    if partly or exc.errno in _WRITE_FAILED:
        return OutputError(f"cannot write {path}: {exc.strerror or exc}; {left}. Give -o a file elsewhere")
    return OutputError(f"cannot write {path}: {exc.strerror or exc}; give a file in an existing, writable "
                       "folder")


def _free(target: Path) -> str:
    """' (N MB free)' on the disk of `target`'s folder, or "" where that cannot be told."""
    try:
        st = os.statvfs(target.parent)
    except (OSError, AttributeError):
        return ""
    return f" ({st.f_bavail * st.f_frsize / 1e6:,.1f} MB free)"


def is_vault_note(path: Path, vault: Path) -> bool:
    """True when `path` is an existing note of `vault`: a `.md` file in it, reached by any path (a symlink,
    `..`); an export written over it would lose the note (exports never change notes)."""
    try:
        target = path.expanduser().resolve()
        return (target.suffix.lower() == ".md" and target.is_file()
                and target.is_relative_to(vault.expanduser().resolve()))
    except (OSError, RuntimeError):  # (a symlink loop)
        return False


def _refuse_note(path: str, target: Path, vault: Path) -> None:
    """Raises OutputError when the existing file `target` (resolved) is a note of `vault` (the block is
    `--format block`'s)."""
    if is_vault_note(target, vault):
        raise OutputError(f"refusing to write over {path}: it is a note of the vault {vault}, and an export "
                          "never replaces a note; give -o a file outside the vault, or a new name")


def _as_it_is(target: Path, newline: str) -> TextIO:
    return open(target, "w", encoding="utf-8", newline=newline)  # (closed by the caller)


def _temp_beside(target: Path, newline: str) -> tuple[TextIO, Path]:
    """A new file next to `target` with its mode: the existing file's, else 0666 less the umask (which
    `os.open` applies, so the process umask is never changed)."""
    for n in range(100):
        tmp = target.with_name(f".{target.name}.{os.getpid()}.{n}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        if target.exists():
            os.fchmod(fd, target.stat().st_mode & 0o7777)
        return open(fd, "w", encoding="utf-8", newline=newline), tmp
    raise FileExistsError(17, f"no free temporary name beside {target.name}")

"""The files a command writes (`export -o`): an ordinary file is replaced whole or not at all, with the mode
a new file usually gets; a device, pipe or terminal (`/dev/stdout`, `>(gzip)`) is written to directly."""

from __future__ import annotations

import contextlib
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
    target = Path(path).expanduser()
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
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}; give a file in an existing, "
                          "writable folder") from None
    with out:
        if tmp is None:
            yield out
            return
        try:
            yield out
            out.flush()
            os.replace(tmp, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


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

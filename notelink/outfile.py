"""The files a command writes (`export -o`): whole or not at all, with the mode a new file usually gets."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


class OutputError(Exception):
    """The output file cannot be written; the message says why and what to do."""

    code = 2


@contextlib.contextmanager
def output_file(path: str, newline: str = "\n") -> Iterator[TextIO]:
    """A text file written whole or not at all: a temporary file beside `path`, renamed over it at the end;
    a path that cannot be written is an error for people, not a traceback."""
    target = Path(path).expanduser()
    try:
        if target.is_dir():
            raise IsADirectoryError(errno.EISDIR, "it is a folder")
        mode = new_file_mode(target)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}; give a file in an existing, "
                          "writable folder") from None
    try:
        with open(fd, "w", encoding="utf-8", newline=newline) as out:
            os.fchmod(fd, mode)  # (mkstemp's file is private: 0600)
            yield out
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def new_file_mode(target: Path) -> int:
    """The mode an exported file gets: the one it has when it exists, else the default for new files."""
    if target.exists():
        return target.stat().st_mode & 0o7777
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask

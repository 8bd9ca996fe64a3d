"""What the command line prints: text or JSON, names escaped, errors as messages and exit codes."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import sys
import unicodedata
from collections.abc import Callable, Sequence, Sized
from typing import Any, TextIO

from notelink.errors import with_vault

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE = 0, 1, 2
EXIT_REFUSED = 3
"""`export --format block --write`: some notes were refused (each is reported with its reason)."""


class UserError(Exception):
    """A problem the user can fix; `code` is the exit status."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


_VISIBLE = {c: repr(chr(c))[1:-1] for c in [*range(32), 127]}


def shown(name: str) -> str:
    """A note's name or path for a line of text output: control characters escaped (`\\n`), as `ls` does,
    so that a file name with a newline cannot break the line apart."""
    return name.translate(_VISIBLE)


def notes(n: int) -> str:
    """`1 note`, `2 notes`, `2,322 notes`: a count of notes for a line of text output."""
    return "1 note" if n == 1 else f"{n:,} notes"


WIDTH = 80
"""The columns a line of text output keeps to where it can (a related note's `because`)."""


def columns(text: str) -> int:
    """The terminal columns `text` takes: a wide character (CJK) two, a combining mark none."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


def one_line(lead: str, items: Sequence[str], width: int = WIDTH) -> str:
    """`lead` and `items` joined by commas in at most `width` columns: the items that fit whole, then `…`
    for the rest (a first item too long for the line cut short)."""
    line = lead + ", ".join(items)
    if columns(line) <= width:
        return line
    fit = max((k for k in range(1, len(items)) if columns(lead + ", ".join(items[:k]) + ", …") <= width),
              default=0)
    if fit:
        return lead + ", ".join(items[:fit]) + ", …"
    room, kept = width - 1 - columns(lead), []
    for c in items[0]:
        room -= columns(c)
        if room < 0:
            break
        kept.append(c)
    return lead + "".join(kept) + "…"


def failed(args: argparse.Namespace, message: str, code: int, suggestions: list[str] | None = None) -> int:
    """Says what went wrong on stderr (names in it escaped, as in all text output); with --json, also as
    JSON on stdout, for scripts that parse it."""
    message = with_commands(args, message)
    say(f"notelink: {shown(message)}", sys.stderr)
    if getattr(args, "json", False):
        say(error_json(message, code, suggestions), sys.stdout)
    return code


def suggest(args: argparse.Namespace, command: str, *flags: str) -> str:
    """A command to run next, as the user would type it: their vault, and their `--index-dir` when they gave
    one (without it the command would build or read a second index, in the default folder)."""
    words = ["notelink", command, str(args.vault), *flags]
    if getattr(args, "index_dir", None):
        words += ["--index-dir", str(args.index_dir)]
    return shlex.join(words)


def refused_then(refused: Sized) -> str:
    """What a dry run says of the notes it refused: --write would leave them alone too, and the dry run
    exits as that run would (exit code 3), so a script learns of them before writing; "" when none."""
    if not len(refused):
        return ""
    n = len(refused)
    return f" The {n} refused (see above) stay as they are with --write too: exit code {EXIT_REFUSED}."


def with_commands(args: argparse.Namespace, text: str) -> str:
    """`text` with each command it suggests (`notelink index`, `check`, `status`) completed as `suggest`
    completes it (`errors.with_vault`); as it was when the command line named no vault."""
    if getattr(args, "vault", None) is None:
        return text
    index_dir = getattr(args, "index_dir", None)
    return with_vault(text, str(args.vault), str(index_dir) if index_dir else None)


def say(text: str, stream: TextIO) -> None:
    """Prints `text` on `stream` now; a reader that went away (`--json | head -1`) is no second error."""
    try:
        print(text, file=stream, flush=True)
    except BrokenPipeError:
        quiet(stream)


def quiet(stream: TextIO) -> None:
    """Points `stream` at /dev/null after its reader went away, so that nothing written later (at exit)
    fails again: what Python's docs advise for SIGPIPE."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())


def error_json(message: str, code: int, suggestions: list[str] | None = None) -> str:
    """An error as `--json` prints it on stdout, for scripts that parse it."""
    return json.dumps({"error": message, "exit_code": code, "suggestions": suggestions or []},
                      ensure_ascii=False, indent=2)


def emit(args: argparse.Namespace, data: dict[str, Any], text: Callable[[], str]) -> None:
    """Prints `data` as JSON with --json, else the text (made only then)."""
    print(json.dumps(data, ensure_ascii=False, indent=2) if args.json else text())

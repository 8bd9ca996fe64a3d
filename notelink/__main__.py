"""The `notelink` command and `python -m notelink`: `cli.main`, then a quick exit."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import NoReturn

from notelink.cli.main import main

EXIT_WRITE_FAILED = 120
"""As Python's own exit status when it cannot flush standard output at exit."""


def _flushed() -> bool:
    """Flushes stdout and stderr. A reader that went away (`| head`) is not an error: the stream then
    points at /dev/null, so nothing fails again. Any other failure (a full disk) is reported: False."""
    ok = True
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
        except (OSError, ValueError) as exc:
            ok = False
            if stream is sys.stdout:
                with contextlib.suppress(OSError, ValueError):
                    print(f"notelink: could not write the output: {exc}", file=sys.stderr, flush=True)
    return ok


def run() -> NoReturn:
    """Runs the command and exits with its status. A process that imported torch (`index`) skips the
    interpreter's teardown, which spends ~0.3 s finalizing torch's modules after the work is done: output
    is flushed and logging shut down first, and the build has already closed its files and children."""
    code = main()
    if not _flushed() and code == 0:
        code = EXIT_WRITE_FAILED
    if "torch" in sys.modules:
        if "logging" in sys.modules:  # (imported only by the commands that log: no import for --help)
            sys.modules["logging"].shutdown()
        os._exit(code)
    raise SystemExit(code)


if __name__ == "__main__":
    run()

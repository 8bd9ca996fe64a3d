"""The `notelink` command and `python -m notelink`: `cli.main`, then a quick exit."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from typing import NoReturn

from notelink.cli import main


def run() -> NoReturn:
    """Runs the command and exits with its status. A process that imported torch (`index`) skips the
    interpreter's teardown, which spends ~0.3 s finalizing torch's modules after the work is done: output
    is flushed and logging shut down first, and the build has already closed its files and children."""
    code = main()
    if "torch" in sys.modules:
        with contextlib.suppress(OSError):  # a reader that went away (`| head`) is not an error
            sys.stdout.flush()
            sys.stderr.flush()
        logging.shutdown()
        os._exit(code)
    raise SystemExit(code)


if __name__ == "__main__":
    run()

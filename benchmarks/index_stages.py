"""Where a full `notelink index` spends its time: a timestamp at the start and end of each stage.

    python benchmarks/index_stages.py VAULT

Runs `notelink index VAULT --index-dir (temporary) --json` in this process, from the moment Python started,
with the build's stages wrapped so that each prints when it starts and ends (seconds since start, on stderr).
`warm_up` is the torch import, which runs while a forked process parses the notes (inside `read_vault`).
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import contextlib  # noqa: E402  (the clock starts before the imports it measures)
import functools  # noqa: E402
import io  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402


def mark(what: str) -> None:
    print(f"{time.perf_counter() - T0:7.3f} s  {what}", file=sys.stderr)


def wrap(module: Any, name: str) -> None:
    f: Callable[..., Any] = getattr(module, name)

    @functools.wraps(f)
    def timed(*args: Any, **kwargs: Any) -> Any:
        mark(f"> {name}")
        try:
            return f(*args, **kwargs)
        finally:
            mark(f"< {name}")

    setattr(module, name, timed)


def main() -> None:
    mark("python started")
    from notelink.cli import main as cli
    from notelink.index import build as indexer
    from notelink.index import naming
    from notelink.model import cbow

    mark("notelink imported")
    for module, name in [(indexer, "read_vault"), (cbow, "warm_up"), (indexer, "boilerplate"),
                         (indexer, "encode_notes"), (naming, "find_mentions"), (indexer, "_search_data"),
                         (cbow, "train"), (indexer, "graph_for"), (indexer, "note_vectors"),
                         (indexer, "write_generation")]:
        wrap(module, name)
    with (tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(io.StringIO()),
          contextlib.suppress(SystemExit)):
        cli.main(["index", sys.argv[1], "--index-dir", f"{tmp}/index", "--json"])
    mark("done")


if __name__ == "__main__":
    main()

"""TUI search mode speed on a real vault: a query typed one key every `--gap-ms` (a fast typist), timing
how long each key takes to show in the box while searches run (typing must never wait on a search), and how
long the results for the whole query take to show after its last key (the quiet period `SEARCH_DELAY`
included). Needs an existing index (built here once if missing).

    .venv/bin/python benchmarks/tui_search.py [VAULT] [--index-dir DIR] [--queries N] [--gap-ms 80]

Queries: the titles of N notes picked with a fixed seed (their first three words). Issue 18: "the TUI stays
responsive while typing (results update per keystroke without blocking input)".
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from textual import events

from notelink.tui.app import NotelinkApp, TuiConfig
from notelink.tui.search import SEARCH_DELAY, ResultList, SearchBox, SearchPane

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEFAULT_VAULT = (SHARED if SHARED.exists() else Path("/work/shared")) / "vaults" / "obsidian-help"


def queries(app: NotelinkApp, n: int) -> list[str]:
    assert app.index is not None
    titles = sorted({" ".join(note.title.split()[:3]).lower() for note in app.index.notes if note.title})
    return random.Random(7).sample(titles, min(n, len(titles)))


async def until(condition: Callable[[], bool], timeout: float = 30.0) -> float:
    """Seconds until `condition()` holds (polled every millisecond)."""
    t0 = time.perf_counter()
    while not condition():
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError
        await asyncio.sleep(0.001)
    return time.perf_counter() - t0


async def run(vault: Path, index_dir: Path, n: int, gap: float) -> dict[str, object]:
    app = NotelinkApp(TuiConfig(vault=vault, index_dir=index_dir, watch=False))
    keys: list[float] = []
    answers: list[float] = []
    async with app.run_test(size=(160, 48)) as pilot:
        await until(lambda: app.current is not None and app.index is not None)
        pane, box = app.query_one(SearchPane), app.query_one(SearchBox)
        await pilot.press("s")
        for query in queries(app, n):
            box.value = ""
            await pilot.pause()
            for k, ch in enumerate(query):
                sent = time.perf_counter()
                app.post_message(events.Key(ch, ch))
                keys.append(await until(lambda k=k, q=query: box.value == q[: k + 1]))
                await asyncio.sleep(max(0.0, gap - (time.perf_counter() - sent)))
            await until(lambda q=query: pane.shown is not None and pane.shown.query == q
                        and not pane.query_one(ResultList).has_class("-stale"))
            answers.append(time.perf_counter() - sent)  # (from the last key)
    return {"queries": n, "keys": len(keys), "gap_ms": gap * 1000, "search_delay_ms": SEARCH_DELAY * 1000,
            "key_to_box_ms": _summary(keys), "last_key_to_results_ms": _summary(answers)}


def _summary(seconds: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in seconds)
    return {"median": round(statistics.median(ms), 1), "p95": round(ms[int(0.95 * (len(ms) - 1))], 1),
            "max": round(ms[-1], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vault", nargs="?", type=Path, default=DEFAULT_VAULT)
    parser.add_argument("--index-dir", type=Path)
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--gap-ms", type=float, default=80.0)
    args = parser.parse_args()
    index_dir = args.index_dir or Path(tempfile.gettempdir()) / f"notelink-bench-{args.vault.name}"
    if not (index_dir / "CURRENT").exists():
        subprocess.run([sys.executable, "-m", "notelink", "index", str(args.vault), "--index-dir",
                        str(index_dir)], check=True)
    with tempfile.TemporaryDirectory() as state:
        os.environ["XDG_STATE_HOME"] = state  # (a first visit: no last note of the user's)
        print(json.dumps(asyncio.run(run(args.vault, index_dir, args.queries, args.gap_ms / 1000)), indent=1))


if __name__ == "__main__":
    main()

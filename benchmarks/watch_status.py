"""Save -> `notelink status` showing the new generation, with `notelink watch` running, for two source trees.

For each repeat and tree (alternating which goes first): copies the tree's ready index (one it wrote: see
`update_cost.py --prepare`), starts `notelink watch VAULT` from that tree, waits until it is idle, appends a
line to NOTE, and times (1) until the watcher's status file says idle with a newer generation and (2) until
a `notelink status --json` started then has returned and shows it; then puts the note back and stops the
watcher. Each watcher's log is kept in the scratch folder.

    python benchmarks/watch_status.py VAULT NOTE TREE_A READY_A TREE_B READY_B [--repeats 3] [--scratch DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def state(ix: Path) -> dict[str, Any]:
    try:
        return dict(json.loads((ix / "watcher.json").read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def wait(pred: Callable[[], bool], timeout: float = 600) -> None:
    end = time.monotonic() + timeout
    while not pred():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


def status(tree: str, vault: Path, ix: Path) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "notelink", "status", str(vault), "--index-dir", str(ix),
                          "--json"], env={**os.environ, "PYTHONPATH": tree}, capture_output=True, text=True,
                         check=True)
    return dict(json.loads(out.stdout))


def one(tree: str, ready: Path, vault: Path, note: Path, rep: int, scratch: Path) -> tuple[float, float]:
    """(seconds until the watcher is idle with a new generation, until `status --json` has shown it)."""
    ix = scratch / "ix"
    shutil.rmtree(ix, ignore_errors=True)
    shutil.copytree(ready, ix)
    original = note.read_bytes()
    with open(scratch / f"watch-{Path(tree).name}-{rep}.log", "w", encoding="utf-8") as log:
        w = subprocess.Popen([sys.executable, "-m", "notelink", "watch", str(vault), "--index-dir", str(ix)],
                             env={**os.environ, "PYTHONPATH": tree}, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait(lambda: state(ix).get("state") == "idle")
            time.sleep(1)  # a startup reconcile's own file events
            wait(lambda: state(ix).get("state") == "idle")
            gen = int(state(ix).get("generation", 0))
            note.write_bytes(original + f"\nOne more line about quasar telemetry, try {rep}.\n".encode())
            t0 = time.monotonic()
            wait(lambda: int((s := state(ix)).get("generation", 0)) > gen and s.get("state") == "idle")
            idle = time.monotonic() - t0
            shown = status(tree, vault, ix)
            assert shown["generation"] > gen and shown["watcher"]["state"] == "idle", shown["watcher"]
            return idle, time.monotonic() - t0
        finally:
            note.write_bytes(original)
            w.send_signal(signal.SIGINT)
            w.wait(timeout=120)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("vault", type=Path)
    ap.add_argument("note")
    ap.add_argument("tree_a")
    ap.add_argument("ready_a", type=Path)
    ap.add_argument("tree_b")
    ap.add_argument("ready_b", type=Path)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--scratch", type=Path)
    a = ap.parse_args()
    vault = a.vault.resolve()
    scratch = a.scratch or Path(tempfile.mkdtemp(prefix="watch-status-"))
    runs = {a.tree_a: a.ready_a.resolve(), a.tree_b: a.ready_b.resolve()}
    results: dict[str, list[tuple[float, float]]] = {tree: [] for tree in runs}
    for rep in range(a.repeats):
        for tree in list(runs) if rep % 2 == 0 else list(runs)[::-1]:
            idle, shown = one(tree, runs[tree], vault, vault / a.note, rep, scratch)
            results[tree].append((round(idle, 1), round(shown, 1)))
            print(f"{tree} {rep}: watcher idle with the new generation after {idle:.1f} s, "
                  f"`status --json` showed it after {shown:.1f} s", flush=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main()

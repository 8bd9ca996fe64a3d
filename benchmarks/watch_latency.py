"""Watcher latency and memory on a real vault.

Copies a vault (default: ../shared/vaults/obsidian-help) to a temporary folder, indexes it, starts
`notelink watch` on it as its own process, then 10 times: replaces one note's text with another note's
text plus a sentence (an in-place save) and measures the time until `related` for the edited note
reflects the new content (the other note comes first), and until a `notelink related` run prints it.
Also reports the watcher's RSS when idle, right after startup and after the edits.

    .venv/bin/python benchmarks/watch_latency.py [--vault DIR] [--trials 10] [--index-dir READY_INDEX]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" if (ROOT.parent / "shared").exists() else Path("/work/shared")
sys.path.insert(0, str(ROOT))

from notelink.index.build import build_index  # noqa: E402
from notelink.index.store import current_generation  # noqa: E402
from notelink.query.index import Index  # noqa: E402
from notelink.watch.status import read_state  # noqa: E402


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def children(pid: int) -> list[int]:
    """Direct child processes of `pid` (Linux)."""
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


def pss_mb(pid: int) -> float:
    """Proportional set size: shared pages (libraries mapped by several processes) counted once overall."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def tree_rss_mb(pid: int) -> tuple[float, float, float]:
    """(RSS of `pid`; RSS and PSS of `pid` and all its descendants): the watcher's fork server counts too."""
    todo, rss, pss = [pid], 0.0, 0.0
    while todo:
        p = todo.pop()
        rss, pss = rss + rss_mb(p), pss + pss_mb(p)
        todo += children(p)
    return rss_mb(pid), rss, pss


def wait_idle(ix: Path, generation: int, timeout: float = 120) -> None:
    """Until the watcher reports idle with at least `generation` live."""
    end = time.monotonic() + timeout
    while True:
        st = read_state(ix)
        if st.get("state") == "idle" and int(st.get("generation") or 0) >= generation:
            return
        if time.monotonic() > end:
            raise SystemExit(f"watcher did not settle: {st}")
        time.sleep(0.05)


def top_paths(ix: Path, note: str, k: int = 3) -> list[str]:
    index = Index.open(ix)
    try:
        return [r.path for r in index.related(index.find_note(note), k)]
    finally:
        index.close()


def pairs(vault: Path, n: int, seed: int = 3) -> list[tuple[str, str]]:
    """(edited note, note whose text it gets): distinct English notes with a fair amount of text."""
    notes = sorted(str(p.relative_to(vault)) for p in (vault / "en").rglob("*.md") if p.stat().st_size > 1500)
    picked = random.Random(seed).sample(notes, 2 * n)
    return list(zip(picked[:n], picked[n:], strict=True))


def trial(vault: Path, ix: Path, edited: str, source: str) -> tuple[float, float, bool]:
    """Seconds until the index reflects the edit, until a `notelink related` run prints it; and whether
    the CLI's answer had the source note on top."""
    before = current_generation(ix)
    text = (vault / source).read_text(encoding="utf-8") + f"\n\nEdited for a benchmark of {edited}.\n"
    t0 = time.perf_counter()
    (vault / edited).write_text(text, encoding="utf-8")
    while current_generation(ix) == before or source not in top_paths(ix, edited, 1):
        time.sleep(0.01)
    reflected = time.perf_counter() - t0
    out = subprocess.run([sys.executable, "-m", "notelink", "related", str(vault), edited, "--index-dir",
                          str(ix), "--json", "--top", "3"], capture_output=True, text=True, check=True)
    printed = time.perf_counter() - t0
    return reflected, printed, json.loads(out.stdout)["related"][0]["path"] == source


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vault", type=Path, default=SHARED / "vaults" / "obsidian-help")
    ap.add_argument("--trials", type=int, default=10)
    ap.add_argument("--index-dir", type=Path, help="copy this ready index of the same vault (saves time)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="notelink-watch-bench-") as tmp:
        vault, ix = Path(tmp) / "vault", Path(tmp) / "ix"
        shutil.copytree(args.vault, vault)
        if args.index_dir:  # a ready index of the same vault saves the initial full training
            shutil.copytree(args.index_dir, ix)
        t = time.perf_counter()
        s = build_index(vault, ix)
        print(f"initial index: {s.indexed} notes, {s.tokens:,} words, {time.perf_counter() - t:.1f}s")
        cmd = [sys.executable, "-m", "notelink", "watch", str(vault), "--index-dir", str(ix),
               "--log-file", str(Path(tmp) / "watch.log")]
        proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
        try:
            wait_idle(ix, s.generation)
            time.sleep(2)
            rss_start = tree_rss_mb(proc.pid)
            results = []
            for i, (edited, source) in enumerate(pairs(vault, args.trials)):
                results.append(trial(vault, ix, edited, source))
                wait_idle(ix, int(read_state(ix).get("generation") or 0))
                print(f"trial {i + 1}: reflected {results[-1][0]:.2f}s, CLI printed {results[-1][1]:.2f}s, "
                      f"source on top: {results[-1][2]}  ({edited})")
            time.sleep(2)
            rss_after = tree_rss_mb(proc.pid)
        finally:
            proc.terminate()
            proc.wait(30)
        log = (Path(tmp) / "watch.log").read_text()
    print(f"median save -> index reflects the edit: {statistics.median(r[0] for r in results):.2f}s "
          f"(max {max(r[0] for r in results):.2f}s)")
    print(f"median save -> `notelink related` printed it: {statistics.median(r[1] for r in results):.2f}s")
    print(f"source note ranked first by the CLI: {sum(r[2] for r in results)}/{len(results)}")
    print(f"load average during the run: {os.getloadavg()}")
    for when, (alone, rss, pss) in (("after startup", rss_start), ("after the edits", rss_after)):
        print(f"watcher idle {when}: RSS {rss:.0f} MB with its fork server ({alone:.0f} MB the watcher "
              f"process alone), PSS {pss:.0f} MB")
    print("update modes:", {m: log.count(m) for m in ("incremental update", "full retrain", "no retraining")})
    builds = [float(m) for m in re.findall(r"live \(\d+ notes, ([\d.]+)s\)", log)]
    print(f"median build in the watcher (read, train, vectors, write): {statistics.median(builds):.2f}s")


if __name__ == "__main__":
    main()

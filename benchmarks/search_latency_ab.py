"""Search latency of the default settings against a variant, in one process, the two searchers taking
turns query by query (so the machine's load falls on both alike): drafts made from the vault's notes
(`search.synth_drafts`) and their first 2 words, median and p95 milliseconds.

    python benchmarks/search_latency_ab.py INDEX_DIR VAULT --set predict_beta=0 [--set KEY=VALUE ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import search as bench

from notelink.config import SearchConfig
from notelink.query.index import Index
from notelink.query.search import Searcher


def _timed(searchers: list[Searcher], texts: list[str], syntax: bool) -> list[list[float]]:
    """Milliseconds per query of each searcher, the order of the two swapped every query."""
    times: list[list[float]] = [[], []]
    for i, text in enumerate(texts):
        for k in ((0, 1) if i % 2 else (1, 0)):
            t0 = time.perf_counter()
            searchers[k].search(text, syntax=syntax)
            times[k].append((time.perf_counter() - t0) * 1000)
    return times


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("index", type=Path)
    p.add_argument("vault", type=Path)
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="the variant's setting")
    p.add_argument("--queries", type=int, default=300)
    args = p.parse_args()
    change = {k: type(getattr(SearchConfig(), k))(v) for k, v in (s.split("=", 1) for s in args.set)}
    index = Index.open(args.index)
    searchers = [Searcher(index), Searcher(index, replace(SearchConfig(), **change))]
    drafts = bench.synth_drafts(args.vault, args.queries)
    for s in searchers:
        s.search(drafts[0], syntax=False)  # (warmed: arrays read, caches made)
    print("| query | defaults median / p95 ms | " + ", ".join(args.set) + " median / p95 ms |\n|---|---|---|")
    for label, texts, syntax in (("draft", drafts, False),
                                 ("2 words", [" ".join(t.split()[:2]) for t in drafts], True)):
        cells = []
        for ms in _timed(searchers, texts, syntax):
            ms.sort()
            cells.append(f"{statistics.median(ms):.1f} / {ms[int(0.95 * (len(ms) - 1))]:.1f}")
        print(f"| {label} | {cells[0]} | {cells[1]} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Per-call latency of each `notelink mcp` tool, measured by a real MCP client over stdio (the SDK's own),
on an indexed vault: median and p95 of N calls per tool, each call on another note or word (search: two
words drawn from the vault's 50th-3,000th most frequent).

    .venv/bin/python benchmarks/mcp_latency.py VAULT [--index-dir DIR] [--calls 50]

The index must exist (`notelink index VAULT`). Prints one line per tool and a short transcript."""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

import anyio
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

import notelink


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("vault", type=Path)
    ap.add_argument("--index-dir")
    ap.add_argument("--calls", type=int, default=50)
    args = ap.parse_args()
    vault = notelink.open(args.vault, args.index_dir)
    rng = random.Random(1)
    notes = rng.sample([n.path for n in vault.index.notes], min(args.calls, len(vault.index.notes)))
    words = rng.sample(vault.index.words[:2000], min(args.calls, len(vault.index.words)))
    plan = {"related": [{"note": n, "limit": 10} for n in notes],
            "concepts": [{"note": n, "limit": 10} for n in notes],
            "similar_words": [{"word": w, "limit": 10} for w in words],
            "read_note": [{"note": n, "max_chars": 4000} for n in notes],
            "status": [{} for _ in notes],
            "search": [{"query": " ".join(rng.sample(vault.index.words[50:3000], 2)), "limit": 10}
                       for _ in notes]}
    extra = ["--index-dir", args.index_dir] if args.index_dir else []
    params = StdioServerParameters(command=sys.executable,
                                   args=["-m", "notelink", "mcp", str(args.vault), *extra])
    times: dict[str, list[float]] = {}

    async def run() -> None:
        async with stdio_client(params) as (read, write), ClientSession(read, write) as s:
            await s.initialize()
            await s.call_tool("status", {})  # the server opens the index at its first call
            for tool, calls in plan.items():
                for arguments in calls:
                    t0 = time.perf_counter()
                    res = await s.call_tool(tool, arguments)
                    times.setdefault(tool, []).append(time.perf_counter() - t0)
                    assert not res.is_error, (tool, arguments, res.content)
            res = await s.call_tool("related", {"note": notes[0], "limit": 3})
            print("transcript: related", json.dumps({"note": notes[0], "limit": 3}), "->",
                  res.content[0].text[:400])  # type: ignore[union-attr]

    anyio.run(run)
    print(f"{'tool':14} {'calls':>5} {'median ms':>10} {'p95 ms':>8}")
    for tool, ts in times.items():
        ts.sort()
        p95 = ts[int(0.95 * (len(ts) - 1))]
        print(f"{tool:14} {len(ts):5} {statistics.median(ts) * 1e3:10.1f} {p95 * 1e3:8.1f}")


if __name__ == "__main__":
    main()

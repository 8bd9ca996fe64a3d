"""What finding an update's changed notes costs on a large vault: `Previous.changes` (one pass) beside the
two per-note passes it replaced (`retrained` and `removed`, session 28, copied here), on synthetic note
records (no parsing, no index: only this step), alternated and repeated in one process.

    python benchmarks/changes_cost.py [--notes 100000] [--repeats 5]

Each change is one of: a note edited, one added, 10% of the notes deleted; in a vault of distinct notes,
and in one where every 50th note is the same empty note (copies take another path). Both give the same
answer (checked). Prints the median seconds of each and their ratio.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence

from notelink.index.previous import Previous
from notelink.notes.records import NoteRecord


def old_retrained(prev: Previous, records: Sequence[NoteRecord]) -> list[int]:
    """Session 28's `Previous.retrained`."""
    hashes = {r.sha256 for r in prev.records.values()}
    now = {r.sha256 for r in records}
    before = Counter(" ".join(r.tokens) for r in prev.records.values() if r.sha256 not in now)
    changed = []
    for i, r in enumerate(records):
        if r.sha256 in hashes:
            continue
        key = " ".join(r.tokens)
        if before[key] > 0:
            before[key] -= 1
        else:
            changed.append(i)
    return changed


def old_removed(prev: Previous, records: Sequence[NoteRecord]) -> int:
    """Session 28's `Previous.removed`."""
    now = Counter(r.sha256 for r in records)
    hashes = {r.sha256 for r in prev.records.values()}
    after = Counter(" ".join(r.tokens) for r in records if r.sha256 not in hashes)
    gone = 0
    for r in prev.records.values():
        if now[r.sha256] > 0:
            now[r.sha256] -= 1
            continue
        key = " ".join(r.tokens)
        if after[key] > 0:
            after[key] -= 1
        else:
            gone += r.n_tokens
    return gone


def vault(n: int, rng: random.Random, copies: bool) -> list[NoteRecord]:
    """n records of ~10 paragraphs of 50 words, drawn from a shared pool (the step reads only hashes, and
    the tokens of the notes that changed); with `copies`, every 50th note is the same empty note."""
    pool = [[f"w{rng.randrange(30_000)}" for _ in range(50)] for _ in range(2_000)]
    return [NoteRecord(f"f{i // 1000}/n{i}.md", f"n{i}", "0" * 64, 0, 0.0, [], [], [], [], [])
            if copies and i % 50 == 0 else
            NoteRecord(f"f{i // 1000}/n{i}.md", f"n{i}", f"{i + 1:064x}", 0, 0.0, [], [], [], [],
                       [pool[rng.randrange(len(pool))] for _ in range(10)]) for i in range(n)]


def changed(records: list[NoteRecord], kind: str, rng: random.Random) -> list[NoteRecord]:
    out = list(records)
    if kind == "edit":
        i = len(out) // 3
        r = out[i]
        out[i] = NoteRecord(r.path, r.title, "e" * 64, 0, 0.0, [], [], [], [], [*r.paragraphs, ["quasar"]])
    elif kind == "add":
        out.insert(len(out) // 2, NoteRecord("zz.md", "zz", "a" * 64, 0, 0.0, [], [], [], [], [["quasar"]]))
    else:
        out = [r for r in out if rng.random() >= 0.1]
    return out


def timed(f: Callable[[], object]) -> tuple[float, object]:
    t = time.perf_counter()
    out = f()
    return time.perf_counter() - t, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--notes", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    rng = random.Random(1)
    plain, copied = vault(args.notes, rng, False), vault(args.notes, rng, True)
    for kind, records in (("edit", plain), ("add", plain), ("delete", plain), ("edit", copied),
                          ("delete", copied)):
        prev = Previous(records={r.path: r for r in records})
        now = changed(records, kind, rng)
        before, after = [], []
        for _ in range(args.repeats):
            t_old, old = timed(lambda now=now, p=prev: (old_retrained(p, now), old_removed(p, now)))
            t_new, new = timed(lambda now=now, p=prev: (lambda c: (c.retrained, c.removed))(p.changes(now)))
            assert old == new, (kind, old, new)
            before.append(t_old)
            after.append(t_new)
        b, a = statistics.median(before), statistics.median(after)
        kind += ", 2% copies" if records is copied else ""
        print(f"{kind:17} {args.notes:,} notes: retrained+removed {b:.4f} s, changes {a:.4f} s, "
              f"ratio {b / a:.1f}x (median of {args.repeats})")


if __name__ == "__main__":
    main()

"""How weak a related note is: the share of listed related notes the author linked, by score and by rank.

    python benchmarks/weak_related.py [--work DIR] [--top 20] [--seed 1] [--vaults en dendron] [--cuts ...]

For each dev vault (benchmarks/relevance.py's `DEV_VAULTS`) three indexes are read from WORK (built there
with a niced `notelink index VAULT --index-dir WORK/ix-NAME-COND` when missing):
- `live`: the vault as it is; a listed note counts as good when the two notes are linked either way (the
  `linked` mark a user sees, from the index's own link table);
- `text` / `hide`: linkeval's prepared copy (links replaced by their text / removed, every link kept as the
  truth: no hub cut, as the lists shown have no cut), good when the author had linked the two.
Every note that has a link lists its `--top` related notes (`related_all`, as exports and `related` rank
them); each listed note is a row (score, rank, score / the note's best score). The tables: precision by
absolute score band, by share of the note's best, by rank; how well each measure alone separates linked
from unlinked rows over the whole vault (ROC AUC: the chance a linked row scores above an unlinked one;
within a note all three order the rows alike, so the difference is across notes); and, for each candidate
cut, the share of rows it marks weak and the precision on either side of it.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import itertools
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from notelink.query.index import Index
from notelink.query.ranking import related_all

ROOT = Path(__file__).resolve().parents[1]
SHARED = next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.exists()),
              ROOT.parent / "shared")
DEV_VAULTS = {"en": SHARED / "vaults" / "obsidian-help" / "en",
              "dendron": SHARED / "vaults" / "dendron-site" / "vault"}
CONDITIONS = ("live", "text", "hide")
SCORE_BANDS = (0.0, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1, 0.15, 0.2, 0.3, 0.5, 1.01)
SHARE_BANDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.01)


@dataclass(frozen=True)
class Rows:
    """Every listed related note of one index: [R] score, rank (1 = best), share of its note's best score,
    linked (the truth), and the note it was listed for."""

    score: np.ndarray
    rank: np.ndarray
    share: np.ndarray
    good: np.ndarray
    note: np.ndarray


def prepared(vault: Path, out: Path, hide: bool) -> None:
    """linkeval's prepared copy of `vault` in `out`, every link kept in truth.json (no hub cut)."""
    spec = importlib.util.spec_from_file_location("linkeval", SHARED / "eval" / "linkeval.py")
    assert spec and spec.loader
    le = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(le)
    le.HUB_DEGREE = 10**9
    with contextlib.redirect_stdout(io.StringIO()):
        le.prepare(vault, out, keep_text=not hide)


def index_of(work: Path, name: str, cond: str, seed: int) -> tuple[Path, dict[str, list[str]] | None]:
    """The index folder of a vault in a condition (built when missing), and its truth (None: `live`)."""
    ix = work / (f"ix-{name}-{cond}" + (f"-s{seed}" if seed != 1 else ""))
    folder, truth = DEV_VAULTS[name], None
    if cond != "live":
        copy = work / f"{name}-{cond}"
        if not (copy / "truth.json").exists():
            prepared(DEV_VAULTS[name], copy, cond == "hide")
        folder, truth = copy / "notes", json.loads((copy / "truth.json").read_text())
    if not (ix / "CURRENT").exists():
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        subprocess.run(["nice", "-n", "19", sys.executable, "-m", "notelink", "index", str(folder),
                        "--index-dir", str(ix), "--seed", str(seed), "--json"],
                       check=True, env=env, stdout=subprocess.DEVNULL)
    return ix, truth


def rows_of(ix: Path, truth: dict[str, list[str]] | None, top: int) -> Rows:
    """Every linked note's `top` related notes, as `related_all` ranks them."""
    index = Index.open(ix)
    by_path = {n.path: n.id for n in index.notes}
    links = ({i: index.linked(i) for i in range(len(index.notes))} if truth is None else
             {by_path[p]: {by_path[q] for q in qs if q in by_path}
              for p, qs in truth.items() if p in by_path})
    out: list[tuple[float, int, float, bool, int]] = []
    for i, hits in related_all(index, top):
        if not links.get(i) or not hits:
            continue
        best = hits[0][1]
        out += [(s, r, s / best, j in links[i], i) for r, (j, s) in enumerate(hits, 1)]
    index.close()
    score, rank, share, good, note = (np.array(c) for c in zip(*out, strict=True))
    return Rows(score, rank, share, good.astype(bool), note)


def auc(x: np.ndarray, good: np.ndarray) -> float:
    """ROC AUC of `x` for telling `good` rows from the rest (ties count half)."""
    order = np.argsort(x, kind="stable")
    ranks = np.empty(x.size)
    xs = x[order]
    _, first, counts = np.unique(xs, return_index=True, return_counts=True)
    ranks[order] = np.repeat(first + (counts + 1) / 2, counts)
    pos, neg = int(good.sum()), int((~good).sum())
    return float((ranks[good].sum() - pos * (pos + 1) / 2) / max(pos * neg, 1))


def bands(x: np.ndarray, good: np.ndarray, edges: Sequence[float]) -> list[str]:
    """`precision (rows)` in each band [edges[k], edges[k+1])."""
    out = []
    for lo, hi in itertools.pairwise(edges):
        inside = (x >= lo) & (x < hi)
        out.append(f"{good[inside].mean():.2f} ({inside.sum()})" if inside.any() else "-")
    return out


def table(title: str, head: Sequence[str], columns: dict[str, list[str]]) -> str:
    lines = [f"\n{title}\n", "| band | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    lines += [f"| {h} | " + " | ".join(c[k] for c in columns.values()) + " |" for k, h in enumerate(head)]
    return "\n".join(lines)


def cuts_table(all_rows: dict[str, Rows], cuts: Sequence[float], shares: Sequence[float]) -> str:
    """For each rule: the share of rows it marks weak, the precision of weak / other rows, and the share of
    linked rows it marks weak, per column."""
    lines = ["\n| rule | " + " | ".join(all_rows) + " |", "|---" * (len(all_rows) + 1) + "|"]
    rules = [(f"score < {c}", lambda r, c=c: r.score < c) for c in cuts]
    rules += [(f"share of best < {s}", lambda r, s=s: r.share < s) for s in shares]
    rules += [(f"score < {c} or share < {s}", lambda r, c=c, s=s: (r.score < c) | (r.share < s))
              for c in cuts[1:3] for s in shares[:1]]
    for name, weak in rules:
        cells = []
        for r in all_rows.values():
            w = weak(r)
            cells.append(f"{w.mean():.0%}, {_p(r.good[w])} / {_p(r.good[~w])}, {w[r.good].mean():.0%}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _p(good: np.ndarray) -> str:
    return f"{good.mean():.2f}" if good.size else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", type=Path, default=Path("/tmp/s21/weak"))
    ap.add_argument("--vaults", nargs="+", default=list(DEV_VAULTS), choices=list(DEV_VAULTS))
    ap.add_argument("--conditions", nargs="+", default=list(CONDITIONS), choices=CONDITIONS)
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1, help="the training seed (an index per seed)")
    ap.add_argument("--cuts", type=float, nargs="+", default=[0.03, 0.04, 0.05, 0.06, 0.08, 0.1])
    ap.add_argument("--shares", type=float, nargs="+", default=[0.15, 0.2, 0.3])
    args = ap.parse_args()
    rows = {f"{v} {c}": rows_of(*index_of(args.work, v, c, args.seed), args.top)
            for v in args.vaults for c in args.conditions}
    print(f"Listed related notes (top {args.top} of every note with a link); precision = share linked by "
          "the author (rows)")
    print(table("By score", [f"{lo:.2f}-{min(hi, 1):.2f}" for lo, hi in itertools.pairwise(SCORE_BANDS)],
                {k: bands(r.score, r.good, SCORE_BANDS) for k, r in rows.items()}))
    print(table("By share of the note's best score",
                [f"{lo:.1f}-{min(hi, 1):.1f}" for lo, hi in itertools.pairwise(SHARE_BANDS)],
                {k: bands(r.share, r.good, SHARE_BANDS) for k, r in rows.items()}))
    ranks = [1, 2, 3, 4, 6, 11, args.top + 1]
    print(table("By rank", [f"{lo}-{hi - 1}" if hi - 1 > lo else str(lo)
                            for lo, hi in itertools.pairwise(ranks)],
                {k: bands(r.rank.astype(float), r.good, ranks) for k, r in rows.items()}))
    print("\n| separates linked from not (ROC AUC over the vault) | " + " | ".join(rows) + " |")
    print("|---" * (len(rows) + 1) + "|")
    for name, of in (("score", lambda r: r.score), ("share of best", lambda r: r.share),
                     ("rank (lower is better)", lambda r: -r.rank.astype(float)),
                     ("score x share", lambda r: r.score * r.share)):
        print(f"| {name} | " + " | ".join(f"{auc(of(r), r.good):.3f}" for r in rows.values()) + " |")
    print(cuts_table(rows, args.cuts, args.shares))


if __name__ == "__main__":
    main()

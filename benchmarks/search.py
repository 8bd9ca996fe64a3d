"""Search benchmark: link suggestion while writing (linkeval `queries`), baselines, ablation and timings.

    .venv/bin/python benchmarks/search.py [--work DIR] [--vaults en,dendron] [--seeds 1] [--minilm]
                                          [--no-heldout] [--speed] [--synth DIR]

For each vault: `linkeval.py queries` builds the queries, `notelink index` (defaults, `--seed`) indexes the
prepared notes, `notelink search --batch --top 11 --no-snippets` answers every query in one process
(timed), scored as `linkeval.py score-queries` scores (source note never counts, recall@10, MRR).
Baselines: `linkeval.py baseline-queries tfidf|bm25` (|minilm with --minilm, where installed).
Ablation: the same index, searched in-process with parts of `SearchConfig` set to 0.
Held-out (the honest number): the notes are split in two folds by path; each fold's queries are answered
by an index where that fold's notes have their link text removed (`prepare --hide-text`), so a query's
own paragraph, with the target's name in it, was never seen by CBOW or the anchor text.
--speed: per-query latency on the whole obsidian-help vault (2,322 notes; drafts and 2-word queries,
in-process, index loaded), --synth: the same on a synthetic vault (benchmarks/synth_vault.py).
Rerun after a trainer or note-vector change: the numbers come from the code as it is.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import shutil
import statistics
import subprocess
import sys
import time
import zlib
from dataclasses import replace
from pathlib import Path
from types import ModuleType

from notelink.config import SearchConfig
from notelink.query.index import Index
from notelink.query.search import Searcher

ROOT = Path(__file__).resolve().parent.parent
SHARED = next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.is_dir()),
              ROOT.parent / "shared")
VAULTS = {"en": SHARED / "vaults/obsidian-help/en", "dendron": SHARED / "vaults/dendron-site/vault",
          "all": SHARED / "vaults/obsidian-help"}
LEXICAL: dict[str, float] = {"expand_beta": 0.0, "predict_beta": 0.0, "w_dense": 0.0, "w_title_fit": 0.0}
ABLATIONS = {"without CBOW parts (lexical)": LEXICAL, "  without expansion": {"expand_beta": 0.0},
             "  without predicted words": {"predict_beta": 0.0},
             "  without dense": {"w_dense": 0.0}, "  without title fit": {"w_title_fit": 0.0},
             "  without anchor text": {"w_anchor": 0.0}, "  without title field": {"w_title": 0.0},
             "  without word forms": {"w_forms": 0.0}}


def linkeval() -> ModuleType:
    spec = importlib.util.spec_from_file_location("linkeval", SHARED / "eval/linkeval.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def queries_of(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "queries.jsonl").read_text().splitlines()]


def score(qs: list[dict], answers: dict, k: int = 10) -> tuple[float, float]:
    """recall@k and MRR as linkeval's score-queries computes them."""
    rec = mrr = 0.0
    for q in qs:
        ranked = [p for p in answers.get(q["id"], []) if p != q["source"]][:k]
        if q["target"] in ranked:
            rec += 1
            mrr += 1 / (ranked.index(q["target"]) + 1)
    return rec / len(qs), mrr / len(qs)


def index(notes: Path, ix: Path, seed: int) -> None:
    if not (ix / "CURRENT").exists():
        subprocess.run(["flock", "/tmp/notelink-bench.lock", sys.executable, "-m", "notelink", "index",
                        str(notes), "--index-dir", str(ix), "--seed", str(seed)],
                       check=True, stdout=subprocess.DEVNULL)


def batch(notes: Path, ix: Path, qs: list[dict]) -> tuple[dict, float]:
    """Answers through `notelink search --batch` in one process; (answers, seconds including start-up)."""
    lines = "".join(json.dumps({"id": q["id"], "text": q["text"]}) + "\n" for q in qs)
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "notelink", "search", str(notes), "--index-dir", str(ix),
                           "--batch", "--top", "11", "--no-snippets"], input=lines, capture_output=True,
                          text=True, check=True)
    seconds = time.perf_counter() - t0
    out = [json.loads(line) for line in done.stdout.splitlines()]
    return {a["id"]: [r["path"] for r in a["results"]] for a in out}, seconds


def in_process(ix: Path, qs: list[dict], cfg: SearchConfig) -> dict:
    s = Searcher(Index.open(ix), cfg)
    return {q["id"]: [h.path for h in s.search(q["text"], 11, syntax=False, snippets=False).hits] for q in qs}


def folds(vault: Path, work: Path, le: ModuleType) -> list[tuple[Path, list[dict]]]:
    """Two indexable copies of the prepared vault, each with one fold's link text hidden."""
    if not (work / "hidden").exists():
        le.prepare(vault, work / "hidden", keep_text=False)
    qs = queries_of(work / "q")
    out = []
    for f in (0, 1):
        d = work / f"fold{f}"
        if not (d / "notes").exists():
            for p in (work / "q" / "notes").rglob("*.md"):
                rel = p.relative_to(work / "q" / "notes").as_posix()
                src = work / "hidden" / "notes" / rel if zlib.crc32(rel.encode()) % 2 == f else p
                (d / "notes" / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, d / "notes" / rel)
        out.append((d, [q for q in qs if zlib.crc32(q["source"].encode()) % 2 == f]))
    return out


def quality(name: str, work: Path, seeds: int, heldout: bool, minilm: bool, rows: list[list[str]]) -> None:
    le = linkeval()
    if not (work / "q" / "queries.jsonl").exists():
        le.queries(VAULTS[name], work / "q")
    qs = queries_of(work / "q")
    for kind in ["tfidf", "bm25", *(["minilm"] if minilm else [])]:
        pred = work / "q" / f"qpred-{kind}.jsonl"
        if not pred.exists():
            le.baseline_queries(kind, work / "q")
        got = {d["id"]: d["results"] for d in map(json.loads, pred.read_text().splitlines())}
        rows.append([name, f"{kind} (linkeval baseline)", *fmt(score(qs, got)), "", ""])
    split = folds(VAULTS[name], work, le) if heldout else []
    for seed in range(1, seeds + 1):
        ix = work / f"index-seed{seed}"
        index(work / "q" / "notes", ix, seed)
        answers, seconds = batch(work / "q" / "notes", ix, qs)
        held = _heldout(split, seed, SearchConfig())
        rows.append([name, f"notelink search (seed {seed}, --batch: {len(qs) / seconds:.0f} q/s)",
                     *fmt(score(qs, answers)), *held])
        for label, change in ABLATIONS.items():
            cfg = replace(SearchConfig(), **change)  # type: ignore[arg-type]
            rows.append([name, label, *fmt(score(qs, in_process(ix, qs, cfg))), *_heldout(split, seed, cfg)])


def _heldout(split: list[tuple[Path, list[dict]]], seed: int, cfg: SearchConfig) -> list[str]:
    if not split:
        return ["", ""]
    hits = mrr = n = 0.0
    for d, qs in split:
        index(d / "notes", d / f"index-seed{seed}", seed)
        r, m = score(qs, in_process(d / f"index-seed{seed}", qs, cfg))
        hits, mrr, n = hits + r * len(qs), mrr + m * len(qs), n + len(qs)
    return fmt((hits / n, mrr / n))


def fmt(pair: tuple[float, float]) -> list[str]:
    return [f"{pair[0]:.3f}", f"{pair[1]:.3f}"]


def latency(ix: Path, texts: list[str], snippets: bool, syntax: bool) -> tuple[float, float]:
    """(median, p95) milliseconds per query, index loaded and warmed by one query."""
    s = Searcher(Index.open(ix))
    s.search(texts[0], syntax=syntax, snippets=snippets)
    times = []
    for text in texts:
        t0 = time.perf_counter()
        s.search(text, syntax=syntax, snippets=snippets)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def speed(name: str, notes: Path, ix: Path, drafts: list[str], rows: list[list[str]]) -> None:
    index(notes, ix, 1)
    short = [" ".join(t.split()[:2]) for t in drafts]
    for label, texts, syntax in (("draft (link-suggestion query)", drafts, False), ("2 words", short, True)):
        for snippets in (True, False):
            med, p95 = latency(ix, texts, snippets, syntax)
            what = f"{label}, {'with' if snippets else 'no'} snippets"
            rows.append([name, what, f"{med:.1f}", f"{p95:.1f}", str(len(texts)), ""])


def synth_drafts(notes: Path, n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    files = sorted(notes.rglob("*.md"))
    out = []
    for p in rng.sample(files, min(n, len(files))):
        words = [w for w in p.read_text().split() if w.isalpha()]
        a = rng.randrange(max(1, len(words) - 40))
        out.append(" ".join(words[a : a + 40]))
    return out


def table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--work", type=Path, default=Path("/tmp/notelink-search-bench"))
    p.add_argument("--vaults", default="en,dendron")
    p.add_argument("--seeds", type=int, default=1)
    p.add_argument("--minilm", action="store_true")
    p.add_argument("--no-heldout", action="store_true")
    p.add_argument("--speed", action="store_true", help="latency on the whole obsidian-help vault")
    p.add_argument("--synth", type=Path, help="a synthetic vault (benchmarks/synth_vault.py) to time too")
    args = p.parse_args()
    rows: list[list[str]] = []
    for name in args.vaults.split(","):
        quality(name, args.work / name, args.seeds, not args.no_heldout, args.minilm, rows)
    print(table(["vault", "system", "recall@10", "MRR", "held-out recall@10", "held-out MRR"], rows))
    timing: list[list[str]] = []
    if args.speed:
        le = linkeval()
        if not (args.work / "all" / "q" / "queries.jsonl").exists():
            le.queries(VAULTS["all"], args.work / "all" / "q")
        drafts = [q["text"] for q in queries_of(args.work / "all" / "q")][:1000]
        speed("obsidian-help, 2,322 notes", VAULTS["all"], args.work / "all" / "index", drafts, timing)
    if args.synth:
        speed(f"synthetic, {sum(1 for _ in args.synth.rglob('*.md')):,} notes", args.synth,
              args.work / "synth-index", synth_drafts(args.synth, 300), timing)
    if timing:
        print()
        print(table(["vault", "query", "median ms", "p95 ms", "queries", ""], timing))
    return 0


if __name__ == "__main__":
    sys.exit(main())

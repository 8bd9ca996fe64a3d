"""Word-vector quality and speed over corpus shapes: notelink's CBOW vs gensim's, same documents (issue 17).

Three kinds of cell, each run printing one JSON line (also appended to --out), so the grid runs in pieces:

- `bench`: `bench-dev.txt` grouped N lines per document (what a note of N paragraphs is), N in --lines,
  threads in --threads, seeds in --seeds; dim 100, window 5, negative 5, sample 1e-3, min_count 5, 5
  epochs. Systems: notelink at --lr, gensim at the same lr, gensim at its default alpha (0.025).
  Scores: WS353 and SimLex-999 Spearman, Google analogies (30k most frequent words), max and 99th
  percentile of the input vectors' norms, words/s (tokens after min_count x epochs / training seconds)
  and words per CPU second (user + system time of the process, its threads and its worker processes:
  steadier than wall time on a shared machine).
- `product`: the user's path. A vault of 10-line notes made from `bench-dev.txt` (one paragraph a line),
  `notelink index` with the product's defaults (only --threads and --seed given), `notelink export
  --format word2vec`, scored the same way; gensim trains on the same token streams (below) with the
  same settings (lr = notelink's default; and gensim's default alpha).
- `overlap`: reproducibility of nearest neighbours on real vaults (obsidian-help, dendron-site):
  `notelink index` with seeds 1 and 2 (product defaults), and gensim on the same token streams with seeds
  1 and 2; overlap@10 = mean over query words of |top10(seed 1) & top10(seed 2)| / 10 (cosine of input
  vectors), over every vocabulary word ("all") and over the words seen at least 20 times ("20+").

The token streams are the documents notelink itself trained on: each note's tokens read back from the
index (`records.load_records`) less boilerplate paragraphs (`indexer.clean_tokens`), exactly what
`build_index` passes to the trainer; gensim gets them as sentences, with min_count, epochs (auto: 5-40 by
corpus size), window, negative, sample and dim from `TrainConfig`. (gensim reads at most 10,000 words of a
sentence: longer documents, in every cell, are given to it in pieces of 10,000.) The overlap cell also
reports overlap@10 by word count (how rare a word can be and still have reproducible neighbours: the
threshold `index.similar` uses) and the scale of cosines: the mean cosine of random pairs of words seen
20+ times, and the mean cosine of such a word's nearest neighbour.

    flock /tmp/notelink-bench.lock .venv/bin/python benchmarks/train_grid.py bench --lines 1 10 --threads 2
    flock /tmp/notelink-bench.lock .venv/bin/python benchmarks/train_grid.py product --threads 1 2
    flock /tmp/notelink-bench.lock .venv/bin/python benchmarks/train_grid.py overlap --vaults obsidian-help
    .venv/bin/python benchmarks/train_grid.py summary            # tables and targets from --out
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from statistics import mean
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_throughput import CORPUS, SHARED, cpu_seconds, evaluate, read_corpus

from notelink.config import NoteVectorConfig, TrainConfig
from notelink.model import cbow
from notelink.model.vocab import Vocab

BENCH = {"dim": 100, "window": 5, "negative": 5, "sample": 1e-3, "min_count": 5, "epochs": 5}
GENSIM_ALPHA = 0.025  # gensim's default starting learning rate
GENSIM_MAX_WORDS = 10_000  # gensim ignores the words of a sentence after its first 10,000 (its
# MAX_WORDS_IN_BATCH): longer documents are given to it in pieces of that size, or a 1,000-line document
# (96k words) would train on its first tenth only (measured: WS353 0.14, "9.5 M words/s")
OUT = Path("/tmp/notelink-train-grid.jsonl")
PY = sys.executable


def emit(row: dict[str, Any], out: Path) -> None:
    row = {**row, "load": round(os.getloadavg()[0], 2), "time": time.strftime("%H:%M:%S")}
    line = json.dumps(row)
    print(line, flush=True)
    with out.open("a", encoding="utf-8") as f:
        f.write(line + "\n")


def norms(vectors: np.ndarray) -> dict[str, float]:
    n = np.linalg.norm(vectors, axis=1)
    return {"max_norm": round(float(n.max()), 2), "p99_norm": round(float(np.percentile(n, 99)), 2)}


def scores(words: list[str], vectors: np.ndarray, output: np.ndarray | None = None) -> dict[str, float]:
    """The quality scores and norms of input vectors `vectors`, and the largest norm of the output
    vectors `output` when given."""
    out = {} if output is None else {"out_max_norm": round(float(np.linalg.norm(output, axis=1).max()), 2)}
    return {k: round(v, 4) for k, v in evaluate(words, vectors).items()} | norms(vectors) | out


def grouped(lines: list[list[str]], n: int) -> list[list[str]]:
    """Every n consecutive lines as one document."""
    return [list(itertools.chain.from_iterable(lines[i:i + n])) for i in range(0, len(lines), n)]


def train_notelink(docs: list[list[str]],
                   settings: dict[str, Any]) -> tuple[list[str], np.ndarray, np.ndarray, float, float]:
    """(words, syn0, syn1neg, words/s, words per CPU second) of notelink's trainer on `docs`."""
    cfg = TrainConfig(**settings, device="cpu")
    vocab = Vocab.build(docs, cfg.min_count)
    encoded = [vocab.encode(d) for d in docs]
    ids = np.concatenate(encoded)
    owner = np.repeat(np.arange(len(encoded), dtype=np.int64), [e.size for e in encoded])
    cbow.resolve_device("cpu")  # imports torch outside the timing
    cpu = cpu_seconds()
    wv = cbow.train(ids, owner, vocab, cfg)
    cpu = cpu_seconds() - cpu
    return vocab.words, wv.syn0, wv.syn1neg, ids.size * wv.epochs / wv.seconds, ids.size * wv.epochs / cpu


def train_gensim(docs: list[list[str]], settings: dict[str, Any],
                 alpha: float) -> tuple[list[str], np.ndarray, np.ndarray, float, float]:
    """(words, syn0, syn1neg, words/s, words per CPU second) of gensim's Word2Vec(sg=0), the same
    settings and measures."""
    from gensim.models import Word2Vec

    s = settings
    docs = [d[i:i + GENSIM_MAX_WORDS] for d in docs for i in range(0, max(len(d), 1), GENSIM_MAX_WORDS)]
    model = Word2Vec(vector_size=s["dim"], window=s["window"], negative=s["negative"], sample=s["sample"],
                     min_count=s["min_count"], workers=s["threads"], sg=0, seed=s["seed"], alpha=alpha,
                     min_alpha=TrainConfig().min_lr)
    model.build_vocab(docs)
    t0, cpu = time.perf_counter(), cpu_seconds()
    model.train(docs, total_examples=model.corpus_count, epochs=s["epochs"])
    seconds, cpu = time.perf_counter() - t0, cpu_seconds() - cpu
    words = sum(model.wv.get_vecattr(w, "count") for w in model.wv.index_to_key) * s["epochs"]
    return list(model.wv.index_to_key), model.wv.vectors, model.syn1neg, words / seconds, words / cpu


def bench_cells(args: argparse.Namespace) -> None:
    lines = read_corpus(args.corpus)
    batch = {} if args.batch is None else {"batch": args.batch}
    for n in args.lines:
        docs = grouped(lines, n)
        for threads in args.threads:
            for seed in args.seeds:
                settings = {**BENCH, "threads": threads, "seed": seed}
                cell = {"cell": "bench", "lines": n, "threads": threads, "seed": seed} | batch
                for system, alpha in systems(args):
                    if system == "notelink":
                        run = {**settings, "lr": args.lr, **batch}
                        words, vecs, out, wps, cps = train_notelink(docs, run)
                    else:
                        words, vecs, out, wps, cps = train_gensim(docs, settings, alpha)
                    emit(cell | {"system": system, "lr": alpha, "wps": round(wps), "wpcpu": round(cps)}
                         | scores(words, vecs, out), args.out)


def systems(args: argparse.Namespace) -> Iterator[tuple[str, float]]:
    """notelink at --lr, gensim at the same lr, and gensim at its default (when that is another lr)."""
    for system in args.systems:
        if system == "gensim-default":
            if args.lr != GENSIM_ALPHA or "gensim" not in args.systems:
                yield system, GENSIM_ALPHA
        else:
            yield system, args.lr


def notelink_cli(*argv: str) -> str:
    return subprocess.run([PY, "-m", "notelink", *argv], check=True, capture_output=True, text=True).stdout


def index_vault(vault: Path, index_dir: Path, threads: int, seed: int) -> dict[str, Any]:
    """`notelink index` with the product's defaults; its --json summary."""
    out = notelink_cli("index", str(vault), "--index-dir", str(index_dir), "--threads", str(threads),
                       "--seed", str(seed), "--json", "--force")
    return dict(json.loads(out))


def token_streams(index_dir: Path) -> list[list[str]]:
    """The documents `build_index` trained on: each note's stored tokens less boilerplate paragraphs."""
    from notelink.index.build import clean_tokens
    from notelink.index.previous import load_records
    from notelink.index.store import current_generation

    gen = current_generation(index_dir)
    assert gen is not None
    records, _ = load_records(gen)
    return clean_tokens(list(records.values()), NoteVectorConfig().boilerplate_share)


def indexed_vectors(index_dir: Path) -> tuple[list[str], np.ndarray]:
    from notelink.index.arrays import load_array
    from notelink.query.index import Index

    ix = Index.open(index_dir)
    try:
        return ix.words, np.asarray(load_array(ix.gen, "syn0"))
    finally:
        ix.close()


def product_settings(docs: list[list[str]], threads: int, seed: int, epochs: int = 0) -> dict[str, Any]:
    """gensim's settings for the product path: notelink's defaults, and the epochs notelink's index ran
    (`epochs`: in a vault of several languages they follow its largest language), else chosen alike."""
    d = TrainConfig()
    epochs = epochs or d.epochs_for(sum(len(x) for x in docs))
    return {"dim": d.dim, "window": d.window, "negative": d.negative, "sample": d.sample,
            "min_count": d.min_count, "epochs": epochs, "threads": threads, "seed": seed}


def write_vault(lines: list[list[str]], folder: Path, per_note: int) -> Path:
    """`per_note` lines of the corpus per note, each line a paragraph."""
    folder.mkdir(parents=True, exist_ok=True)
    for k, i in enumerate(range(0, len(lines), per_note)):
        text = "\n\n".join(" ".join(line) for line in lines[i:i + per_note])
        (folder / f"note-{k:05d}.md").write_text(text + "\n", encoding="utf-8")
    return folder


def product_cells(args: argparse.Namespace) -> None:
    lr = TrainConfig().lr
    with tempfile.TemporaryDirectory(prefix="notelink-grid-") as tmp:
        vault = write_vault(read_corpus(args.corpus), Path(tmp) / "vault", 10)
        for threads in args.threads:
            for seed in args.seeds:
                index_dir = Path(tmp) / f"index-{threads}-{seed}"
                summary = index_vault(vault, index_dir, threads, seed)
                with tempfile.NamedTemporaryFile("r", suffix=".txt", dir=tmp) as f:
                    notelink_cli("export", str(vault), "--index-dir", str(index_dir), "--format", "word2vec",
                                 "-o", f.name)
                    from gensim.models import KeyedVectors

                    kv = KeyedVectors.load_word2vec_format(f.name)
                cell = {"cell": "product", "lines": 10, "threads": threads, "seed": seed}
                emit(cell | {"system": "notelink", "lr": lr, "wps": round(summary["words_per_second"])}
                     | scores(list(kv.index_to_key), kv.vectors), args.out)
                docs = token_streams(index_dir)
                for system, alpha in (("gensim", lr), ("gensim-default", GENSIM_ALPHA)):
                    if system == "gensim-default" and alpha == lr:
                        continue
                    settings = product_settings(docs, threads, seed)
                    words, vecs, out, wps, _ = train_gensim(docs, settings, alpha)
                    emit(cell | {"system": system, "lr": alpha, "wps": round(wps)} | scores(words, vecs, out),
                         args.out)


def top10(words: list[str], vectors: np.ndarray, queries: Sequence[str]) -> dict[str, set[str]]:
    """Each query word's 10 nearest words by cosine (itself left out)."""
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    index = {w: i for i, w in enumerate(words)}
    out = {}
    for a in range(0, len(queries), 1024):
        q = np.array([index[w] for w in queries[a:a + 1024]])
        sims = unit[q] @ unit.T  # [q, V]
        sims[np.arange(q.size), q] = -np.inf
        best = np.argpartition(-sims, 10, axis=1)[:, :10]
        out.update({queries[a + r]: {words[j] for j in best[r]} for r in range(q.size)})
    return out


def overlap(a: tuple[list[str], np.ndarray], b: tuple[list[str], np.ndarray],
            queries: Sequence[str]) -> float:
    na, nb = top10(*a, queries), top10(*b, queries)
    return round(float(np.mean([len(na[w] & nb[w]) / 10 for w in queries])), 4)


def overlap_cells(args: argparse.Namespace) -> None:
    lr = TrainConfig().lr
    for name in args.vaults:
        vault = SHARED / "vaults" / name
        with tempfile.TemporaryDirectory(prefix="notelink-overlap-") as tmp:
            runs, epochs = {}, 0
            for seed in (1, 2):
                index_dir = Path(tmp) / f"index-{seed}"
                summary = index_vault(vault, index_dir, 2, seed)
                runs[("notelink", seed)] = (*indexed_vectors(index_dir), summary["words_per_second"])
                epochs = summary["epochs"]
            docs = token_streams(Path(tmp) / "index-1")
            for seed in (1, 2):
                for system, alpha in (("gensim", lr), ("gensim-default", GENSIM_ALPHA)):
                    if system != "gensim-default" or alpha != lr:
                        settings = product_settings(docs, 2, seed, epochs)
                        words, vecs, _, wps, _ = train_gensim(docs, settings, alpha)
                        runs[(system, seed)] = (words, vecs, wps)
            counts: dict[str, int] = defaultdict(int)
            for doc in docs:
                for w in doc:
                    counts[w] += 1
            for system in sorted({s for s, _ in runs}):
                (wa, va, wps), (wb, vb, _) = runs[(system, 1)], runs[(system, 2)]
                shared = sorted(set(wa) & set(wb) & set(runs[("notelink", 1)][0]))
                frequent = [w for w in shared if counts[w] >= 20]
                emit({"cell": "overlap", "vault": name, "system": system, "epochs": epochs,
                      "words": len(shared),
                      "frequent": len(frequent), "overlap_all": overlap((wa, va), (wb, vb), shared),
                      "overlap_20": overlap((wa, va), (wb, vb), frequent), "wps": round(wps),
                      "by_count": by_count((wa, va), (wb, vb), shared, counts)}
                     | cosine_scale(wa, va, frequent) | norms(va), args.out)


COUNT_BUCKETS = [(2, 4), (5, 9), (10, 19), (20, 49), (50, 99), (100, 10**12)]


def by_count(a: tuple[list[str], np.ndarray], b: tuple[list[str], np.ndarray], words: list[str],
             counts: dict[str, int]) -> dict[str, float]:
    """overlap@10 between the two runs for the words in each count bucket."""
    out = {}
    for lo, hi in COUNT_BUCKETS:
        bucket = [w for w in words if lo <= counts[w] <= hi]
        if bucket:
            out[f"{lo}-{hi}" if hi < 10**12 else f"{lo}+"] = overlap(a, b, bucket)
    return out


def cosine_scale(words: list[str], vectors: np.ndarray, frequent: list[str]) -> dict[str, float]:
    """Mean cosine of 20,000 random pairs of `frequent` words, and of each one's nearest other word."""
    index = {w: i for i, w in enumerate(words)}
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    rows = np.array([index[w] for w in frequent])
    rng = np.random.default_rng(0)
    a, b = rng.choice(rows, 20_000), rng.choice(rows, 20_000)
    keep = a != b
    pairs = float(np.mean(np.einsum("ij,ij->i", unit[a[keep]], unit[b[keep]])))
    sims = unit[rows[:2000]] @ unit.T
    sims[np.arange(min(rows.size, 2000)), rows[:2000]] = -np.inf
    return {"cos_random": round(pairs, 3), "cos_top1": round(float(sims.max(1).mean()), 3)}


def load(out: Path) -> list[dict[str, Any]]:
    with out.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def summarise(out: Path) -> int:
    """Markdown tables of the runs in `out` (the last run of each cell, system, lr and seed counts) and,
    per cell, the issue's targets against gensim at the same lr."""
    last: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in load(out):
        if r["cell"] in ("bench", "product"):
            last[(r["cell"], r["lines"], r["threads"], r["system"], r["lr"], r["seed"])] = r
        else:
            last[(r["cell"], r["vault"], r["system"])] = r
    quality_table([r for k, r in last.items() if k[0] in ("bench", "product")])
    overlap_table([r for k, r in last.items() if k[0] == "overlap"])
    return 0


def quality_table(rows: list[dict[str, Any]]) -> None:
    cells: dict[tuple[Any, ...], dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        cells[(r["cell"], r["lines"], r["threads"])][f"{r['system']} {r['lr']}"].append(r)
    print("| cell | lines/doc | threads | system (lr) | WS353 mean (seeds) | SimLex mean (seeds) | analogy "
          "| max norm | p99 norm | max out norm | M words/s | notelink / gensim words/s (per CPU second) "
          "| targets |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for (cell, n, threads), systems in sorted(cells.items()):
        for name, runs in sorted(systems.items(), key=lambda x: (not x[0].startswith("notelink"), x[0])):
            runs.sort(key=lambda r: r["seed"])
            ref = systems.get(f"gensim {runs[0]['lr']}")
            mine = name.startswith("notelink") and ref is not None
            out = max(r.get("out_max_norm", float("nan")) for r in runs)
            print(f"| {cell} | {n} | {threads} | {name} | {seeds('ws353', runs)} | {seeds('simlex', runs)} | "
                  f"{mean(r['analogy'] for r in runs):.3f} | {max(r['max_norm'] for r in runs):.1f} | "
                  f"{max(r['p99_norm'] for r in runs):.1f} | {out:.1f} | "
                  f"{mean(r['wps'] for r in runs) / 1e6:.2f} | {speed_ratio(runs, ref) if mine else ''} | "
                  f"{targets(runs, ref) if mine else ''} |")


def seeds(key: str, runs: list[dict[str, Any]]) -> str:
    return f"**{mean(r[key] for r in runs):.3f}** (" + ", ".join(f"{r[key]:.3f}" for r in runs) + ")"


def targets(runs: list[dict[str, Any]], ref: list[dict[str, Any]] | None) -> str:
    """WS353 and SimLex means >= gensim's - 0.02, each run >= gensim's mean - 0.05, max norm <= 3x
    gensim's."""
    assert ref is not None
    missed = []
    for key in ("ws353", "simlex"):
        g = mean(r[key] for r in ref)
        if mean(r[key] for r in runs) < g - 0.02 or min(r[key] for r in runs) < g - 0.05:
            missed.append(key)
    if max(r["max_norm"] for r in runs) > 3 * max(r["max_norm"] for r in ref):
        missed.append("norm")
    return "met" if not missed else "**missed: " + ", ".join(missed) + "**"


def speed_ratio(runs: list[dict[str, Any]], ref: list[dict[str, Any]] | None) -> str:
    """notelink / gensim words/s per seed, each pair from the same run of the script (and per CPU
    second, when measured)."""
    by_seed = {r["seed"]: r for r in ref or []}
    out = []
    for r in runs:
        if (g := by_seed.get(r["seed"])) is not None:
            cpu = f" ({r['wpcpu'] / g['wpcpu']:.2f}x)" if "wpcpu" in r and "wpcpu" in g else ""
            out.append(f"{r['wps'] / g['wps']:.2f}x{cpu}")
    return ", ".join(out)


def overlap_table(rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    buckets = sorted({b for r in rows for b in r.get("by_count", {})},
                     key=lambda b: int(b.split("-")[0].strip("+")))
    print("\n| vault | system | words (20+) | overlap@10 all | 20+ | "
          + " | ".join(f"count {b}" for b in buckets) + " | cos random pairs | cos nearest | max norm |")
    print("|---|---|---|---|---|" + "---|" * len(buckets) + "---|---|---|")
    for r in sorted(rows, key=lambda r: (r["vault"], r["system"])):
        cols = " | ".join(f"{r.get('by_count', {}).get(b, float('nan')):.3f}" for b in buckets)
        print(f"| {r['vault']} | {r['system']} | {r['words']} ({r['frequent']}) | {r['overlap_all']:.3f} | "
              f"{r['overlap_20']:.3f} | {cols} | {r.get('cos_random', float('nan')):.3f} | "
              f"{r.get('cos_top1', float('nan')):.3f} | {r['max_norm']:.1f} |")


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("what", choices=["bench", "product", "overlap", "summary"])
    p.add_argument("--lines", type=int, nargs="+", default=[1, 3, 10, 30, 100, 1000])
    p.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    p.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    p.add_argument("--systems", nargs="+", default=["notelink", "gensim", "gensim-default"],
                   choices=["notelink", "gensim", "gensim-default"])
    p.add_argument("--lr", type=float, default=TrainConfig().lr, help="notelink's and gensim's lr (bench)")
    p.add_argument("--batch", type=int, help="notelink's TrainConfig.batch in bench cells (default: its own)")
    p.add_argument("--vaults", nargs="+", default=["obsidian-help", "dendron-site"])
    p.add_argument("--corpus", type=Path, default=CORPUS)
    p.add_argument("--out", type=Path, default=OUT, help=f"JSON lines appended here (default {OUT})")
    return p.parse_args()


def main() -> int:
    args = parse_args()
    if args.what == "summary":
        return summarise(args.out)
    {"bench": bench_cells, "product": product_cells, "overlap": overlap_cells}[args.what](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())

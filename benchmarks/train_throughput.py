"""Training throughput and word-vector quality: notelink's CBOW vs gensim's Word2Vec(sg=0), in one run.

Both train on the same corpus (one document per line, whitespace tokens) with the same settings, the same
learning rate included (notelink's, 0.05 unless `--set lr=...`; `--gensim-default` adds gensim at its own
default, 0.025: comparing the two at different rates measured a learning-rate difference, issue 17), and
both are evaluated the same way on gensim's shipped test data (WS353, SimLex-999 Spearman; Google
analogies restricted to the 30k most frequent words). `benchmarks/train_grid.py` runs the same comparison
over document lengths, threads and seeds.

words/s = corpus tokens after min_count x epochs / training seconds (vocabulary building not included),
the same definition for both.

    .venv/bin/python benchmarks/train_throughput.py [--corpus FILE] [--repeat N] [--only notelink|gensim]
        [--hogwild auto|threads|processes] [--set FIELD=VALUE] [--gensim-default]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from notelink.config import TrainConfig
from notelink.model import cbow, hogwild
from notelink.model.vocab import Vocab

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
if not SHARED.exists():
    SHARED = Path("/work/shared")
CORPUS = SHARED / "corpora" / "bench-dev.txt"
SETTINGS = {"dim": 100, "window": 5, "negative": 5, "sample": 1e-3, "min_count": 5, "epochs": 5,
            "threads": 2}


@dataclass
class Result:
    name: str
    seconds: float
    words_per_second: float
    scores: dict[str, float] = field(default_factory=dict)
    cpu_seconds: float = 0.0  # CPU time of this process, its threads and its finished children


def cpu_seconds() -> float:
    """User + system CPU time so far of this process and its waited-for children (worker processes): on a
    shared machine, CPU time per word is steadier than wall time."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def read_corpus(path: Path) -> list[list[str]]:
    """One document per non-empty line."""
    with path.open(encoding="utf-8") as f:
        return [line.split() for line in f if line.strip()]


def evaluate(words: list[str], vectors: np.ndarray) -> dict[str, float]:
    """WS353 / SimLex-999 Spearman and Google-analogy accuracy, the same code for both systems."""
    from gensim.models import KeyedVectors
    from gensim.test.utils import datapath

    kv = KeyedVectors(vectors.shape[1])
    kv.add_vectors(words, vectors.astype(np.float32))
    ws = kv.evaluate_word_pairs(datapath("wordsim353.tsv"))[1].statistic
    sl = kv.evaluate_word_pairs(datapath("simlex999.txt"))[1].statistic
    return {"ws353": float(ws), "simlex": float(sl), "analogy": analogy_accuracy(words, vectors)}


def analogy_accuracy(words: list[str], vectors: np.ndarray, restrict: int = 30000) -> float:
    """gensim's `evaluate_word_analogies(questions-words.txt, restrict_vocab=restrict)` total accuracy,
    vectorised (gensim answers one question at a time: ~40 CPU s a model, this ~1 s): the questions
    whose four words are among the `restrict` most frequent (case-insensitive), each answered by the
    word of those closest in cosine to b + c - a (unit vectors), a, b and c left out."""
    from gensim.test.utils import datapath

    unit = vectors[:restrict] / np.maximum(np.linalg.norm(vectors[:restrict], axis=1, keepdims=True), 1e-12)
    index = {w.upper(): i for i, w in reversed(list(enumerate(words[:restrict])))}
    with open(datapath("questions-words.txt"), encoding="utf-8") as f:
        quads = [[index.get(w.upper(), -1) for w in line.split()] for line in f if not line.startswith(":")]
    q = np.array([x for x in quads if len(x) == 4 and min(x) >= 0], dtype=np.int64).reshape(-1, 4)
    correct = 0
    for s in range(0, q.shape[0], 1024):
        a, b, c, d = q[s:s + 1024].T
        sims = (unit[b] + unit[c] - unit[a]) @ unit.T  # [n, restrict]
        rows = np.arange(a.size)
        sims[rows, a] = sims[rows, b] = sims[rows, c] = -np.inf
        correct += int((sims.argmax(1) == d).sum())
    return correct / max(q.shape[0], 1)


def run_notelink(docs: list[list[str]], seed: int, extra: dict[str, Any]) -> Result:
    vocab = Vocab.build(docs, SETTINGS["min_count"])
    encoded = [vocab.encode(d) for d in docs]
    ids = np.concatenate(encoded)
    owner = np.repeat(np.arange(len(encoded), dtype=np.int64), [e.size for e in encoded])
    cfg = TrainConfig(**{**SETTINGS, "seed": seed, "device": "cpu", **extra})
    cbow.resolve_device("cpu")  # imports torch, so its import is not counted as training CPU time
    cpu0 = cpu_seconds()
    wv = cbow.train(ids, owner, vocab, cfg)
    cpu = cpu_seconds() - cpu0
    wps = ids.size * cfg.epochs / wv.seconds
    return Result("notelink", wv.seconds, wps, evaluate(vocab.words, wv.syn0), cpu)


def run_gensim(docs: list[list[str]], seed: int, alpha: float) -> Result:
    from gensim.models import Word2Vec

    s = SETTINGS
    model = Word2Vec(vector_size=s["dim"], window=s["window"], negative=s["negative"], sample=s["sample"],
                     min_count=s["min_count"], workers=s["threads"], sg=0, seed=seed, alpha=alpha,
                     min_alpha=TrainConfig().min_lr)
    model.build_vocab(docs)
    t0, cpu0 = time.perf_counter(), cpu_seconds()
    model.train(docs, total_examples=model.corpus_count, epochs=s["epochs"])
    seconds, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
    tokens = sum(model.wv.get_vecattr(w, "count") for w in model.wv.index_to_key)
    scores = evaluate(list(model.wv.index_to_key), model.wv.vectors)
    return Result(f"gensim {alpha:g}", seconds, tokens * s["epochs"] / seconds, scores, cpu)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", type=Path, default=CORPUS)
    p.add_argument("--repeat", type=int, default=1, help="runs of each system (seeds 1..N)")
    p.add_argument("--only", choices=["notelink", "gensim"], help="run one system only")
    p.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                   help="extra notelink TrainConfig field, e.g. --set batch=4096 (for experiments)")
    p.add_argument("--hogwild", choices=["auto", "threads", "processes"], default="auto",
                   help="notelink's workers: processes above hogwild.MIN_PROCESS_WORDS (auto), or forced")
    p.add_argument("--gensim-default", action="store_true",
                   help="also run gensim at its default learning rate (0.025)")
    p.add_argument("--json", action="store_true", help="print one JSON object per run as well")
    return p.parse_args()


def extra_config(pairs: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        kind = type(getattr(TrainConfig(), key))
        out[key] = kind(float(value)) if kind is int else kind(value)
    return out


def show(r: Result) -> None:
    s = r.scores
    print(f"{r.name:14s} {r.seconds:7.2f} s  {r.words_per_second / 1e6:6.3f} M words/s  "
          f"cpu {r.cpu_seconds:5.2f} s  WS353 {s['ws353']:.3f}  SimLex {s['simlex']:.3f}  "
          f"analogy {s['analogy']:.3f}", flush=True)


def main() -> int:
    args = parse_args()
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    docs = read_corpus(args.corpus)
    extra = extra_config(args.set)
    if args.hogwild != "auto":
        hogwild.MIN_PROCESS_WORDS = 0 if args.hogwild == "processes" else 2**62
    print(f"corpus {args.corpus} ({len(docs):,} lines), settings {SETTINGS}, notelink extra {extra}, "
          f"workers {args.hogwild} (processes from {hogwild.MIN_PROCESS_WORDS:,} words)")
    for seed in range(1, args.repeat + 1):
        results = []
        lr = float(extra.get("lr", TrainConfig().lr))
        if args.only != "notelink":
            results.append(run_gensim(docs, seed, lr))
            show(results[-1])
        if args.only != "gensim":
            results.append(run_notelink(docs, seed, extra))
            show(results[-1])
        if args.gensim_default and args.only != "notelink":
            show(run_gensim(docs, seed, 0.025))
        if len(results) == 2:
            g, n = results
            print(f"seed {seed}: notelink / gensim words/s = {n.words_per_second / g.words_per_second:.2f}x  "
                  f"(per CPU second {g.cpu_seconds / n.cpu_seconds:.2f}x)  "
                  + "  ".join(f"d{k} {n.scores[k] - g.scores[k]:+.3f}" for k in g.scores), flush=True)
        if args.json:
            print(json.dumps({"seed": seed, "results": [r.__dict__ for r in results]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

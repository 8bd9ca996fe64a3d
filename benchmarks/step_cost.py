"""Single-thread cost of CBOW training per kept centre word: chunk preparation and batch steps.

    python benchmarks/step_cost.py [--corpus ../shared/corpora/bench-dev.txt] [--lines 4000] [--repeat 4]
                                   [--set FIELD=VALUE ...]

Builds the trainer on the first `--lines` lines of the corpus (min_count 5), prepares one chunk and runs
every batch step on it with one torch thread, `--repeat` times; prints the minimum thread CPU time in
nanoseconds per kept (subsampled) centre word of each part (CPU time of this thread: steadier than wall
time on a shared machine). Compare two versions by running them in turn, e.g. with `PYTHONPATH` set to an
export of the old code, several times each. This is the number to watch when changing `cbow._Trainer.step`:
same-run comparisons with gensim (`train_throughput.py`) add worker scaling and machine noise on top.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

import numpy as np
import torch

from notelink.config import TrainConfig
from notelink.model import cbow
from notelink.model.vocab import Vocab

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
if not SHARED.is_dir():  # a worktree outside the project folder
    SHARED = Path("/work/shared")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", type=Path, default=SHARED / "corpora" / "bench-dev.txt")
    p.add_argument("--lines", type=int, default=4000)
    p.add_argument("--repeat", type=int, default=4)
    p.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                   help="a TrainConfig field, e.g. --set neg_share=8")
    args = p.parse_args()
    torch.set_num_threads(1)
    lines = args.corpus.read_text(encoding="utf-8").split("\n")[: args.lines]
    docs = [line.split() for line in lines if line.strip()]
    cfg = TrainConfig(window=5, negative=5, sample=1e-3, min_count=5, epochs=1, threads=1, device="cpu")
    for item in args.set:
        key, value = item.split("=", 1)
        cfg = dataclasses.replace(cfg, **{key: type(getattr(cfg, key))(value)})
    vocab = Vocab.build(docs, cfg.min_count)
    enc = [vocab.encode(d) for d in docs]
    ids = np.concatenate(enc).astype(np.int32)
    owner = np.repeat(np.arange(len(enc)), [len(e) for e in enc]).astype(np.int32)
    tr = cbow._Trainer(ids, owner, vocab, cfg, "cpu")
    a, b = tr.chunk_ranges()[0]
    prep, step, n = float("inf"), float("inf"), 0
    for rep in range(args.repeat):
        t = time.thread_time()
        c = tr.make_chunk(a, b, seed=rep)
        t1 = time.thread_time()
        for i in range(tr.batches(c)):
            tr.step(c, i, 0.025)
        t2 = time.thread_time()
        prep, step, n = min(prep, (t1 - t) / c.n), min(step, (t2 - t1) / c.n), c.n
    ns = [round(x * 1e9) for x in (prep, step, prep + step)]
    print(f"vocabulary {len(vocab):,}, batch {tr.batch}, {n:,} kept centres: "
          f"preparation {ns[0]} ns, step {ns[1]} ns, total {ns[2]} ns per centre")


if __name__ == "__main__":
    main()

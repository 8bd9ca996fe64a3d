"""Neighbour reproducibility in one minute: overlap@10 between two seeds of the trainer alone (issue 17).

    python benchmarks/overlap_probe.py INDEX_DIR [gensim] [FIELD=VALUE ...]

Trains `cbow.train` (or gensim's Word2Vec at the same settings, `gensim`) twice, seeds 1 and 2, 2 threads,
on the token streams an existing index of a vault was trained on (`train_grid.token_streams`), with the
product's defaults and any TrainConfig FIELD=VALUE, and prints one JSON line: overlap@10 between the two
runs over the words seen 20+ times and 5-19 times, the scale of cosines (`train_grid.cosine_scale`) and the
largest input-vector norm. `train_grid.py overlap` measures the same through `notelink index` (and both
vaults, and gensim at its default rate); this skips the indexing, for trying changes to the update rule.

    notelink index ../shared/vaults/obsidian-help --index-dir /tmp/ix-oh
    flock /tmp/notelink-bench.lock .venv/bin/python benchmarks/overlap_probe.py /tmp/ix-oh neg_share=1
"""

from __future__ import annotations

import ast
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_grid import cosine_scale, overlap, product_settings, token_streams, train_gensim

from notelink.config import TrainConfig
from notelink.model import cbow
from notelink.model.vocab import Vocab


def main(argv: list[str]) -> None:
    index_dir, rest = Path(argv[0]), argv[1:]
    gensim = bool(rest) and rest[0] == "gensim"
    extra = {k: ast.literal_eval(v) for k, v in (a.split("=", 1) for a in rest[gensim:])}
    docs = token_streams(index_dir)
    vocab = Vocab.build(docs, TrainConfig().min_count)
    enc = [vocab.encode(d) for d in docs]
    ids, owner = np.concatenate(enc), np.repeat(np.arange(len(enc)), [e.size for e in enc])
    runs, t0 = [], time.perf_counter()
    for seed in (1, 2):
        if gensim:
            settings = product_settings(docs, 2, seed) | {k: v for k, v in extra.items() if k != "lr"}
            words, vecs, *_ = train_gensim(docs, settings, extra.get("lr", TrainConfig().lr))
            runs.append((words, vecs))
        else:
            wv = cbow.train(ids, owner, vocab, TrainConfig(**{"seed": seed, "threads": 2, "device": "cpu",
                                                               **extra}))
            runs.append((vocab.words, wv.syn0))
    counts = dict(zip(vocab.words, vocab.counts.tolist(), strict=True))
    frequent = [w for w in runs[0][0] if counts.get(w, 0) >= 20]
    middle = [w for w in runs[0][0] if 5 <= counts.get(w, 0) < 20]
    print(json.dumps({"system": "gensim" if gensim else "notelink", **extra,
                      "overlap_20": overlap(runs[0], runs[1], frequent),
                      "overlap_5_19": overlap(runs[0], runs[1], middle),
                      "seconds": round(time.perf_counter() - t0, 1), **cosine_scale(*runs[0], frequent),
                      "max_norm": round(float(np.linalg.norm(runs[0][1], axis=1).max()), 1)}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

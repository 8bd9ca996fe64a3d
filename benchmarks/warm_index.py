"""A full index of the link-recovery vault in the product's warm path, against gensim.

    python benchmarks/warm_index.py [/tmp/ev] [--runs 3]

The TUI and `notelink watch` build in children of a fork server that imported torch once at startup
(`notelink.watch.builder.ChildBuilder`); a full rebuild there (the TUI's `r`, or a rebuild after many notes
changed) does not pay torch's import. This times `ChildBuilder.build(...)` into a new index folder (so every
note is parsed) from the call to the summary, next to gensim's `Word2Vec(...)` on the same tokens and
settings in a warm interpreter.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from relevance import _gensim_seconds

from notelink.config import TrainConfig
from notelink.query.index import Index
from notelink.watch.builder import ChildBuilder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("ev", type=Path, nargs="?", default=Path("/tmp/ev"))
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    builder = ChildBuilder()
    if error := builder.warm_up("cpu"):
        sys.exit(error)
    with tempfile.TemporaryDirectory() as tmp:
        times: list[float] = []
        for run in range(args.runs):
            ix = Path(tmp) / f"index-{run}"  # a new index each time: every note is parsed
            t0 = time.perf_counter()
            builder.build(args.ev / "notes", ix, lambda ev: None, lambda: False,
                          train_cfg=TrainConfig(threads=2))
            times.append(time.perf_counter() - t0)
        epochs = Index.open(ix).meta["model"]["epochs"]
        gensim = [_gensim_seconds(ix, TrainConfig(), epochs) or float("nan") for _ in range(args.runs)]
    w, g = statistics.median(times), statistics.median(gensim)
    print(f"warm full index (fork server child): {', '.join(f'{t:.2f}' for t in times)} s")
    print(f"gensim Word2Vec on the same tokens: {', '.join(f'{t:.2f}' for t in gensim)} s; median ratio "
          f"{w / g:.2f}x")


if __name__ == "__main__":
    main()

"""CBOW training at vault scale, with the corpus held as int32 ids (what the indexer could do).

Reads every note of VAULT, tokenizes it with notelink's tokenizer (the Markdown parse is skipped: this
measures training, not parsing), keeps one np.int32 array per note instead of lists of str, builds the
vocabulary from counts, and trains with notelink.model.cbow on 2 threads. Prints timings and peak memory.

    .venv/bin/python benchmarks/scale_train.py VAULT [--epochs N] [--threads 2]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

from notelink.config import TrainConfig
from notelink.model import cbow
from notelink.model.vocab import Vocab
from notelink.notes.tokenizer import tokenize


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_ids(vault: Path) -> tuple[list[np.ndarray], list[str]]:
    """Per-note token ids (int32) into a growing word table, in note order."""
    table: dict[str, int] = {}
    notes = []
    for path in sorted(vault.rglob("*.md")):
        tokens = tokenize(path.read_text(encoding="utf-8", errors="replace"))
        notes.append(np.fromiter((table.setdefault(t, len(table)) for t in tokens), dtype=np.int32,
                                 count=len(tokens)))
    return notes, list(table)


def build_corpus(notes: list[np.ndarray], words: list[str],
                 min_count: int) -> tuple[np.ndarray, np.ndarray, Vocab]:
    """Vocabulary by descending count (ties by word, as Vocab.build) and the flat corpus (ids, note)."""
    counts = np.zeros(len(words), dtype=np.int64)
    for ids in notes:
        counts += np.bincount(ids, minlength=len(words))
    keep = [i for i in np.flatnonzero(counts >= min_count)]
    keep.sort(key=lambda i: (-counts[i], words[i]))
    remap = np.full(len(words), -1, dtype=np.int32)
    remap[keep] = np.arange(len(keep), dtype=np.int32)
    vocab = Vocab([words[i] for i in keep], counts[keep])
    ids = [r[r >= 0] for r in (remap[n] for n in notes)]
    owner = np.repeat(np.arange(len(ids), dtype=np.int32), [a.size for a in ids])
    return np.concatenate(ids), owner, vocab


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("vault", type=Path)
    p.add_argument("--epochs", type=int, default=0, help="0: notelink's automatic choice")
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    t0 = time.perf_counter()
    notes, words = read_ids(args.vault)
    t1 = time.perf_counter()
    cfg = TrainConfig(epochs=args.epochs, threads=args.threads, device="cpu")
    ids, owner, vocab = build_corpus(notes, words, cfg.min_count)
    del notes
    t2 = time.perf_counter()
    print(f"{len(words):,} distinct words, {ids.size:,} tokens, vocab {len(vocab):,}; "
          f"tokenize {t1 - t0:.1f} s, vocab {t2 - t1:.1f} s, peak {peak_mb():,.0f} MB", flush=True)

    def show(pr: cbow.TrainProgress) -> None:
        print(f"\repoch {pr.epoch}/{pr.epochs} {pr.words_done / pr.words_total:6.1%} "
              f"{pr.words_per_second / 1e6:.2f}M words/s", end="", file=sys.stderr, flush=True)

    wv = cbow.train(ids, owner, vocab, cfg, progress=show)
    print(file=sys.stderr)
    print(f"train {wv.seconds:.1f} s, {wv.epochs} epochs, {ids.size * wv.epochs / wv.seconds / 1e6:.2f}M "
          f"words/s; total {time.perf_counter() - t0:.1f} s; peak RSS {peak_mb():,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

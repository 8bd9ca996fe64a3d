"""Writes a synthetic Markdown vault for scale tests: Zipfian vocabulary, topic structure, wikilinks.

    .venv/bin/python benchmarks/synth_vault.py OUT_DIR [--notes 100000] [--words 500] [--seed 1]

Each note draws one or two of `--topics` topics; a word is a topic word with probability 0.35, else drawn
from a Zipf(1.1)-like law over the whole vocabulary. Notes get a title heading, a tag, a few paragraphs and
0-4 `[[wikilinks]]` to notes of the same topic, in folders of 1,000 notes. Deterministic for a seed.
The default (100,000 notes x ~500 words) is about 50M training tokens.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from notelink.notes.tokenizer import STOPWORDS

SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


def make_words(n: int, rng: np.random.Generator) -> list[str]:
    """n distinct pronounceable words of 2-4 syllables, none of them a stop word."""
    words: dict[str, None] = {}
    while len(words) < n:
        k = rng.integers(2, 5, 4 * n)
        parts = rng.integers(0, len(SYLLABLES), (4 * n, 4))
        for length, row in zip(k, parts, strict=True):
            w = "".join(SYLLABLES[j] for j in row[:length])
            if w not in STOPWORDS:
                words[w] = None
            if len(words) == n:
                break
    return list(words)


class Generator:
    """Draws notes: the vocabulary, topic word lists and Zipf weights are fixed per seed."""

    def __init__(self, notes: int, vocab: int, topics: int, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.words = np.array(make_words(vocab, self.rng), dtype=object)
        zipf = 1.0 / np.arange(1, vocab + 1) ** 1.1
        self.cdf = np.cumsum(zipf / zipf.sum())
        self.topic_words = self.rng.integers(200, vocab, (topics, 150))  # [T, 150] mid/rare words
        self.topic_of = self.rng.integers(0, topics, notes)  # [notes]
        self.notes, self.topics = notes, topics
        self.by_topic = [np.flatnonzero(self.topic_of == t) for t in range(topics)]

    def tokens(self, topic: int, n: int) -> list[str]:
        rng = self.rng
        ids = np.searchsorted(self.cdf, rng.random(n))
        from_topic = rng.random(n) < 0.35
        ids[from_topic] = self.topic_words[topic, rng.integers(0, 150, int(from_topic.sum()))]
        return list(self.words[np.minimum(ids, len(self.words) - 1)])

    def note(self, i: int, words: int) -> str:
        rng, topic = self.rng, int(self.topic_of[i])
        second = int(rng.integers(0, self.topics)) if rng.random() < 0.3 else topic
        title = " ".join(self.tokens(topic, 3)).capitalize()
        paras = []
        for _ in range(int(rng.integers(3, 8))):
            t = topic if rng.random() < 0.7 else second
            paras.append(" ".join(self.tokens(t, max(5, int(rng.poisson(words / 5))))) + ".")
        peers = self.by_topic[topic]
        links = [f"[[n{int(j):06d}]]" for j in rng.choice(peers, min(len(peers), int(rng.integers(0, 5))))]
        if links:
            paras.append("See also " + ", ".join(links) + ".")
        return f"---\ntags: [topic{topic}]\n---\n# {title}\n\n" + "\n\n".join(paras) + "\n"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", type=Path)
    p.add_argument("--notes", type=int, default=100_000)
    p.add_argument("--words", type=int, default=500, help="mean words per note")
    p.add_argument("--vocab", type=int, default=200_000)
    p.add_argument("--topics", type=int, default=500)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    gen = Generator(args.notes, args.vocab, args.topics, args.seed)
    for i in range(args.notes):
        folder = args.out / f"f{i // 1000:03d}"
        if i % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
            print(f"\r{i:,} / {args.notes:,} notes", end="", file=sys.stderr, flush=True)
        (folder / f"n{i:06d}.md").write_text(gen.note(i, args.words), encoding="utf-8")
    print(f"\rwrote {args.notes:,} notes to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

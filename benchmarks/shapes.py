"""Generated vaults in the shapes where related notes failed on real vaults, with planted links to score.

    python benchmarks/shapes.py SHAPE OUT_DIR [--notes N] [--seed 1]
    python benchmarks/relevance.py --vaults OUT_DIR          # recall@10 of the planted links

Shapes (issue 23's failures on held-out vaults):
- `wiki`: a community wiki of one-paragraph notes (default 10,000), many titled by one common word (concept
  pages), a few near-empty author pages that every note signs with a link ("Written by [[Ann Berg]]"),
  and stubs (a title, a sentence or nothing);
- `linklist`: ordinary notes (50-150 words) and link-list notes (an intro line and a list of 5-25 links to
  one topic's notes), which are near-empty once link text is removed;
- `dendron`: hierarchical file names (`area.topic.leaf.md`), front-matter titles unlike the file names,
  links written as file names (`[[area.topic.leaf]]`), children linking parents and siblings.

Every note belongs to a topic; its words are English function words, its topic's words and words of the
whole vocabulary (Zipf); its links go to notes of its topic, written inside its text, so that with link text
removed (`--hide-text`) only the topic's words are left to find them. Two notes of one topic often share no
word when short: their words co-occur across the topic's notes, which is what CBOW can learn and TF-IDF
cannot. Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from synth_vault import make_words

FUNCTION = ("the a of and to in is that it for on with as was at by this from or an be are which but "
            "not have has we they you their its can will more when there one all also".split())
FIRST_NAMES = "Ann Bo Cleo Dag Eva Finn Greta Hugo Ida Jon".split()
LAST_NAMES = "Berg Dahl Falk Holm Lind Moss Nord Sand Strand Vik".split()


class Shape:
    """The vocabulary, topics and notes' topics of one generated vault (fixed per seed)."""

    def __init__(self, notes: int, topics: int, seed: int, vocab: int = 20_000,
                 topic_words: int = 60) -> None:
        self.rng = np.random.default_rng(seed)
        self.words = np.array(make_words(vocab, self.rng), dtype=object)
        zipf = 1.0 / np.arange(1, vocab + 1) ** 1.05
        self.cdf = np.cumsum(zipf / zipf.sum())
        self.topic_words = self.rng.integers(300, vocab, (topics, topic_words))  # [T, W] mid/rare words
        self.topic_of = self.rng.integers(0, topics, notes)  # [notes]
        self.by_topic = [np.flatnonzero(self.topic_of == t) for t in range(topics)]
        self.notes = notes

    def text(self, topic: int, n: int, topic_share: float = 0.35, function_share: float = 0.35) -> list[str]:
        """n words: function words, the topic's words, the rest Zipf over the whole vocabulary."""
        rng = self.rng
        u = rng.random(n)
        ids = np.searchsorted(self.cdf, rng.random(n)).clip(0, len(self.words) - 1)
        ids[u < topic_share] = self.topic_words[topic, rng.integers(0, self.topic_words.shape[1],
                                                                     int((u < topic_share).sum()))]
        out = list(self.words[ids])
        for j in np.flatnonzero(u > 1 - function_share):
            out[j] = FUNCTION[int(rng.integers(0, len(FUNCTION)))]
        return out

    def peers(self, i: int, k: int) -> list[int]:
        """Up to k other notes of note i's topic."""
        same = self.by_topic[int(self.topic_of[i])]
        same = same[same != i]
        return [int(j) for j in self.rng.choice(same, min(k, same.size), replace=False)] if same.size else []

    def with_links(self, words: list[str], links: list[str]) -> str:
        """The words as a sentence with each link put at a random place in it."""
        out = list(words)
        for link in links:
            out.insert(int(self.rng.integers(0, len(out) + 1)), link)
        return (" ".join(out).capitalize() + ".") if out else ""

    def unique_titles(self, make: list[str]) -> list[str]:
        """`make` with repeats made unique (a file name is unique in a folder)."""
        seen: dict[str, int] = {}
        out = []
        for t in make:
            seen[t.lower()] = seen.get(t.lower(), 0) + 1
            out.append(t if seen[t.lower()] == 1 else f"{t} {seen[t.lower()]}")
        return out


def wiki(shape: Shape) -> dict[str, str]:
    """A community wiki of one-paragraph notes, concept pages named by one common word, author pages."""
    rng, n = shape.rng, shape.notes
    authors = [f"{FIRST_NAMES[a]} {LAST_NAMES[a]}" for a in range(5)]
    common = shape.words[20:400]  # a concept page is named by a word of the Zipf head
    titles = shape.unique_titles([str(common[rng.integers(0, common.size)]).capitalize() if rng.random() < 0.3
                                  else " ".join(shape.text(int(shape.topic_of[i]), 2, 0.7, 0.0)).capitalize()
                                  for i in range(n)])
    notes = {f"{a}.md": "" if a == authors[0] else f"# {a}\n\nWiki editor.\n" for a in authors}
    for i in range(n):
        size = int(rng.choice([0, 5, 15, 30, 60], p=[0.03, 0.07, 0.3, 0.4, 0.2]))
        body = shape.text(int(shape.topic_of[i]), size)
        links = [f"[[{titles[j]}]]" for j in shape.peers(i, int(rng.integers(1, 4)))] if size else []
        signed = f"\n\nWritten by [[{authors[int(rng.integers(0, 5))]}]].\n" if size >= 15 else "\n"
        notes[f"{titles[i]}.md"] = shape.with_links(body, links) + signed
    return notes


def linklist(shape: Shape) -> dict[str, str]:
    """Ordinary notes and link-list notes (one in ten) that list a topic's notes."""
    rng, n = shape.rng, shape.notes
    titles = shape.unique_titles([" ".join(shape.text(int(shape.topic_of[i]), 3, 0.6, 0.0)).capitalize()
                                  for i in range(n)])
    notes = {}
    for i in range(n):
        topic = int(shape.topic_of[i])
        if rng.random() < 0.1:
            intro = " ".join(shape.text(topic, 8)).capitalize() + ":"
            items = [f"- [[{titles[j]}]]" for j in shape.peers(i, int(rng.integers(5, 26)))]
            notes[f"{titles[i]}.md"] = intro + "\n\n" + "\n".join(items) + "\n"
            continue
        paragraphs = [shape.with_links(shape.text(topic, int(rng.integers(15, 50))),
                                       [f"[[{titles[j]}]]" for j in shape.peers(i, int(rng.integers(0, 2)))])
                      for _ in range(int(rng.integers(2, 4)))]
        notes[f"{titles[i]}.md"] = "\n\n".join(paragraphs) + "\n"
    return notes


def dendron(shape: Shape) -> dict[str, str]:
    """Hierarchical file names (area.topic.leaf), front-matter titles unlike them, links by file name."""
    rng, n = shape.rng, shape.notes
    topics = len(shape.by_topic)
    area = [str(shape.words[rng.integers(20, 200)]) for _ in range(max(1, topics // 8))]
    hub = [f"{area[t % len(area)]}.{shape.words[shape.topic_words[t, 0]]}" for t in range(topics)]
    leaf = shape.topic_words[shape.topic_of, rng.integers(1, shape.topic_words.shape[1], n)]  # [n]
    stems = shape.unique_titles([f"{hub[int(shape.topic_of[i])]}.{shape.words[leaf[i]]}"
                                 f"-{shape.words[rng.integers(20, 2000)]}" for i in range(n)])
    notes = {}
    for t in range(topics):  # a topic's parent note: a line about it
        notes[f"{hub[t]}.md"] = f"---\ntitle: {' '.join(shape.text(t, 2, 0.5, 0.0)).title()}\n---\n\n" \
                                f"{' '.join(shape.text(t, 12)).capitalize()}.\n"
    for i, stem in enumerate(stems):
        topic = int(shape.topic_of[i])
        title = " ".join(shape.text(topic, 3, 0.3, 0.0)).title()  # unlike the file name
        links = [f"[[{hub[topic]}]]"] + [f"[[{stems[j]}]]" for j in shape.peers(i, int(rng.integers(0, 3)))]
        body = [shape.with_links(shape.text(topic, int(rng.integers(10, 60))), links[:1]),
                shape.with_links(shape.text(topic, int(rng.integers(10, 60))), links[1:])]
        notes[f"{stem}.md"] = f"---\ntitle: {title}\n---\n\n## {title}\n\n" + "\n\n".join(body) + "\n"
    return notes


SHAPES = {"wiki": (wiki, 10_000, 400), "linklist": (linklist, 2_000, 100), "dendron": (dendron, 1_000, 40)}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("shape", choices=SHAPES)
    p.add_argument("out", type=Path)
    p.add_argument("--notes", type=int, default=0, help="0: the shape's default")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    make, default_notes, topics = SHAPES[args.shape]
    notes = args.notes or default_notes
    written = make(Shape(notes, max(2, topics * notes // default_notes), args.seed))
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in written.items():
        (args.out / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(written):,} notes to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

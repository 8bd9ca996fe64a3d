"""Writes the two vaults the TUI benchmark and the end-to-end check use (issue 20):

    .venv/bin/python benchmarks/tui_vaults.py links OUT [--notes 300] [--big 363,39,5]
    .venv/bin/python benchmarks/tui_vaults.py duplicates OUT

`links`: a vault of link collections, like a personal wiki of bookmarks: `--notes` short notes and one note
per `--big` size in KB (`Links 363 KB.md`, ...), each one long bullet list of `[title](url) - description`
items (~120 bytes each: the 363 KB note has ~3,000 links), with a few wikilinks to the short notes.
`duplicates`: notes that share titles, as in Dendron (`dendron.ref.cli.md`, `dendron.topic.cli.md`, ... all
titled "CLI" in their front matter) and in a translated vault (`de/Sync/Headless Sync.md`, `en/...`).
Deterministic (seeded).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

WORDS = ("terminal editor markdown notes vault python rust linux shell git search index graph links sync "
         "backup theme plugin keyboard window layout font color export import server client cache queue "
         "parser token vector model training tutorial guide reference manual blog paper talk video").split()
SITES = ("github.com", "docs.python.org", "en.wikipedia.org", "blog.example.org", "news.ycombinator.com",
         "developer.mozilla.org", "arxiv.org", "youtube.com")


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def link_item(rng: random.Random, short: list[str]) -> str:
    """One bullet: a web link with a title and a description, now and then a wikilink to a short note."""
    title = _words(rng, rng.randint(2, 6)).title()
    url = f"https://{rng.choice(SITES)}/{_words(rng, 2).replace(' ', '/')}/{rng.randrange(10**6)}"
    item = f"- [{title}]({url}) - {_words(rng, rng.randint(4, 12))}"
    if short and rng.random() < 0.05:
        item += f" (see [[{rng.choice(short)}]])"
    return item + "\n"


def link_list_note(kb: int, seed: int = 1, short: list[str] | None = None) -> str:
    """A note of about `kb` KB: a title, one sentence, and one long bullet list of links."""
    rng = random.Random(seed)
    parts = [f"# Links {kb} KB\n\n", f"Bookmarks about {_words(rng, 3)}, collected over the years.\n\n"]
    size = sum(map(len, parts))
    while size < kb * 1000:
        parts.append(link_item(rng, short or []))
        size += len(parts[-1].encode("utf-8"))
    return "".join(parts)


def write_links(out: Path, notes: int, big: list[int], seed: int = 1) -> None:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    short = [f"Topic {i:03d} {_words(rng, 2)}" for i in range(notes)]
    for title in short:
        body = " ".join(_words(rng, rng.randint(8, 20)) + "." for _ in range(rng.randint(3, 10)))
        links = "".join(f"- [[{rng.choice(short)}]]\n" for _ in range(rng.randint(0, 3)))
        (out / f"{title}.md").write_text(f"# {title}\n\n{body}\n\n{links}", encoding="utf-8")
    for k, kb in enumerate(big):
        (out / f"Links {kb} KB.md").write_text(link_list_note(kb, seed + k, short), encoding="utf-8")


DENDRON = ["dendron.ref.cli", "dendron.topic.cli", "dendron.topic.dev.cli", "dendron.topic.notes.cli",
           "dendron.topic.pod-v2.cli", "dendron.topic.visualize.cli", "tags.feature.cli",
           "tags.scope.common.cli", "templates.cli"]
LANGUAGES = ["en", "de", "fr", "ja", "ru"]


def write_duplicates(out: Path, seed: int = 1) -> None:
    """Nine notes titled "CLI" (Dendron-style file names) and "Headless Sync" in five language folders."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    for name in DENDRON:
        topic = name.split(".")[-2]
        text = (f"---\nid: {name}\ntitle: CLI\n---\n\nThe command line for {topic}: "
                f"{_words(rng, 30)}.\n\nSee [[{rng.choice(DENDRON)}]] and [[{rng.choice(DENDRON)}]].\n")
        (out / f"{name}.md").write_text(text, encoding="utf-8")
    (out / "root.md").write_text("---\ntitle: Root\n---\n\nThe home note. " + _words(rng, 20) + "\n",
                                 encoding="utf-8")
    for lang in LANGUAGES:
        folder = out / lang / "Sync"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "Headless Sync.md").write_text(f"# Headless Sync\n\nSync without the app ({lang}): "
                                                 f"{_words(rng, 40)}.\n", encoding="utf-8")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="what", required=True)
    links = sub.add_parser("links", help="a vault of link collections with huge link-list notes")
    links.add_argument("out", type=Path)
    links.add_argument("--notes", type=int, default=300)
    links.add_argument("--big", default="363,39,5", help="sizes in KB of the link-list notes")
    dup = sub.add_parser("duplicates", help="notes that share titles (Dendron-style, translations)")
    dup.add_argument("out", type=Path)
    args = p.parse_args()
    if args.what == "links":
        write_links(args.out, args.notes, [int(k) for k in args.big.split(",") if k])
    else:
        write_duplicates(args.out)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

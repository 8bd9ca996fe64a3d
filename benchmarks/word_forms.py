"""Word forms benchmark: known-item queries of a note's title word in the other number, with and without
forms.

    .venv/bin/python benchmarks/word_forms.py [--work DIR] [--vaults sample,en,dendron] [--seeds 1]

The queries are built from each vault's titles (English plural rules written here, apart from
`query/forms.py`, so the benchmark does not grade the rules by themselves): for a title word of 4+
letters that no other note's title has, its other number (`tomatoes` -> `tomato`, `link` -> `links`,
`entry` -> `entries`) is a one-word query; with the title's next word (as written), a two-word query. The
target is the note whose title it is; scored as recall@10 and MRR, on the same index, searched with the
defaults and with `SearchConfig.w_forms` = 0 (no forms: the code before them). `in vault`: the same for
the queries whose changed word some note has (the others' word is in no note: without forms a one-word
query of it found nothing).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

from notelink.config import SearchConfig
from notelink.notes.stopwords import name_tokens
from notelink.query.index import Index
from notelink.query.search import Searcher

ROOT = Path(__file__).resolve().parent.parent
SHARED = next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.is_dir()),
              ROOT.parent / "shared")
VAULTS = {"sample": ROOT / "sample_notes", "en": SHARED / "vaults/obsidian-help/en",
          "dendron": SHARED / "vaults/dendron-site/vault"}


def other_number(word: str) -> str:
    """English singular <-> plural, by the school rules (`ies`/`y`, `es` after s x z ch sh o, `s`)."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh", "o")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    if word.endswith(("s", "x", "z", "ch", "sh", "o")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def queries(index: Index) -> list[tuple[str, int, bool]]:
    """(query, target note id, whether the changed word is in the vault) of one index's titles."""
    titles = [name_tokens(n.title, "en") for n in index.notes]
    seen = Counter(w for ws in titles for w in set(ws))
    out = []
    for j, words in enumerate(titles):
        for k, word in enumerate(words):
            if len(word) < 4 or seen[word] > 1 or not word.isalpha():
                continue
            other = other_number(word)
            out.append((other, j, other in index.word_index))
            if k + 1 < len(words):
                out.append((f"{other} {words[k + 1]}", j, other in index.word_index))
    return out


def score(searcher: Searcher, qs: list[tuple[str, int, bool]]) -> tuple[float, float]:
    rec = mrr = 0.0
    for text, target, _ in qs:
        paths = [h.path for h in searcher.search(text, 10, snippets=False).hits]
        want = searcher.index.notes[target].path
        if want in paths:
            rec, mrr = rec + 1, mrr + 1 / (paths.index(want) + 1)
    return rec / max(len(qs), 1), mrr / max(len(qs), 1)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--work", type=Path, default=Path("/tmp/notelink-forms-bench"))
    p.add_argument("--vaults", default="sample,en,dendron")
    p.add_argument("--seeds", type=int, default=1)
    args = p.parse_args()
    print("| vault | seed | queries | recall@10 without forms | with | MRR without | with | in vault | "
          "recall@10 without | with | MRR without | with |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name in args.vaults.split(","):
        for seed in range(1, args.seeds + 1):
            ix = args.work / f"{name}-seed{seed}"
            if not (ix / "CURRENT").exists():
                subprocess.run([sys.executable, "-m", "notelink", "index", str(VAULTS[name]), "--index-dir",
                                str(ix), "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
            index = Index.open(ix)
            qs = queries(index)
            had = [q for q in qs if q[2]]
            row = [score(Searcher(index, cfg, VAULTS[name]), part) for part in (qs, had)
                   for cfg in (replace(SearchConfig(), w_forms=0.0), SearchConfig())]
            (r0, m0), (r1, m1), (h0, k0), (h1, k1) = row
            print(f"| {name} | {seed} | {len(qs)} | {r0:.3f} | {r1:.3f} | {m0:.3f} | {m1:.3f} | {len(had)} | "
                  f"{h0:.3f} | {h1:.3f} | {k0:.3f} | {k1:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

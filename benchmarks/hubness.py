"""Hubness: how many related lists each note is in, against how many notes it is linked with.

    python benchmarks/hubness.py [--vaults en dendron all | PATH ...] [--seed 1] [--top 5] [--keep DIR]
                                 [--also WORD]

For each vault (en: obsidian-help/en, dendron: dendron-site/vault, all: the whole obsidian-help vault, or a
folder such as a generated `benchmarks/shapes.py wiki`), an index is built (seed, 2 threads; `--keep DIR`
keeps it in DIR/NAME and reuses it next time) and every note's 10 related notes are taken as `notelink
export` lists them (`related_all`, the index's own note vectors). For each note: N10, the lists it is in
(its k-occurrence), against its links (notes linked with it either way) and its words (after stop words and
boilerplate). Printed per vault: the top hubs, and the distribution of N10 (its mean is 10 by definition):
max, p99, skewness (Radovanovic et al. 2010: hubness), the share of all list places the top 1% of notes
take, the notes in no list, and the hubs far beyond their links (N10 >= 5x the mean and > 3x the links).
`--also chance` measures too, on the same index, relevance.py's ablations whose names contain `chance`
(note vectors rebuilt, as relevance.py scores them).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from notelink.config import NoteVectorConfig, TrainConfig
from notelink.index.build import build_index, clean_tokens
from notelink.index.previous import load_records
from notelink.index.store import current_generation
from notelink.query.index import Index
from notelink.query.ranking import related_all

sys.path.insert(0, str(Path(__file__).resolve().parent))
from relevance import ABLATIONS, DEFAULTS, DEV_VAULTS, SHARED, rebuilt

VAULTS = {**DEV_VAULTS, "all": SHARED / "vaults" / "obsidian-help"}


@dataclass
class Hub:
    """One note's place in the related lists."""

    path: str
    lists: int
    links: int
    words: int


@dataclass
class Spread:
    """The distribution of N10 over a vault's notes."""

    notes: int
    max: int
    p99: float
    skew: float
    top1_share: float
    in_no_list: float
    beyond_links: int


def occurrences(index: Index, top: int = 10) -> np.ndarray:
    """[N] how many other notes' `top` related notes each note is in."""
    counts = np.zeros(len(index.notes), dtype=np.int64)
    for _, hits in related_all(index, top):
        for j, _score in hits:
            counts[j] += 1
    return counts


def spread(n10: np.ndarray, links: np.ndarray) -> Spread:
    """The distribution's summary: max, p99, skewness, top 1%'s share of list places, antihubs' share."""
    n = n10.size
    sd = n10.std()
    skew = float(((n10 - n10.mean()) ** 3).mean() / sd**3) if sd else 0.0
    top = max(1, n // 100)
    share = float(np.sort(n10)[::-1][:top].sum() / max(1, n10.sum()))
    beyond = int(np.count_nonzero((n10 >= 5 * max(n10.mean(), 1)) & (n10 > 3 * links)))
    return Spread(n, int(n10.max()), float(np.percentile(n10, 99)), skew, share,
                  float(np.mean(n10 == 0)), beyond)


def measure(index_dir: Path, vcfg: NoteVectorConfig | None = None, top: int = 10) -> tuple[list[Hub], Spread]:
    """Every note's Hub (most listed first) and the Spread of an index's related lists (with its note
    vectors rebuilt under `vcfg` when given)."""
    gen = current_generation(index_dir)
    assert gen is not None
    records, _ = load_records(gen)
    index = Index.open(index_dir) if vcfg is None else rebuilt(index_dir, vcfg)
    words = [len(t) for t in clean_tokens([records[n.path] for n in index.notes], 0.05)]
    n10 = occurrences(index, top)
    links = np.array([len(index.linked(i)) for i in range(len(index.notes))])
    hubs = [Hub(index.notes[i].path, int(n10[i]), int(links[i]), words[i])
            for i in np.argsort(-n10, kind="stable")]
    index.close()
    return hubs, spread(n10, links)


def index_of(name: str, vault: Path, seed: int, keep: Path | None, tmp: Path) -> Path:
    """The index of a vault: kept from an earlier run, else built."""
    ix = (keep or tmp) / name
    if current_generation(ix) is None:
        build_index(vault, ix, TrainConfig(seed=seed, threads=2), force=True)
    return ix


def report(name: str, hubs: list[Hub], s: Spread, shown: int) -> str:
    """Markdown: the distribution's line, then the top hubs."""
    lines = [f"**{name}** ({s.notes:,} notes): N10 max {s.max}, p99 {s.p99:.0f}, skewness {s.skew:.2f}, "
             f"top 1% take {s.top1_share:.1%} of list places, {s.in_no_list:.0%} in no list, "
             f"{s.beyond_links} far beyond their links", "", "| note | lists | links | words |",
             "|---|---|---|---|"]
    lines += [f"| `{h.path}` | {h.lists} | {h.links} | {h.words} |" for h in hubs[:shown]]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vaults", nargs="+", default=["en", "dendron", "all"], help="en, dendron, all, folders")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--top", type=int, default=5, help="hubs shown per vault")
    ap.add_argument("--keep", type=Path, help="keep (and reuse) the indexes in this folder")
    ap.add_argument("--also", nargs="+", default=[], help="relevance.py's ablations with these words too")
    ap.add_argument("--json", type=Path, help="write every note's numbers here")
    args = ap.parse_args()
    variants = {DEFAULTS: None} | {k.strip(): v for k, v in ABLATIONS.items()
                                   if any(word in k for word in args.also)}
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.vaults:
            vault = VAULTS.get(name, Path(name))
            label = name if name in VAULTS else vault.name
            ix = index_of(label, vault, args.seed, args.keep, Path(tmp))
            for variant, vcfg in variants.items():
                hubs, s = measure(ix, vcfg)
                key = label if vcfg is None else f"{label}, {variant}"
                print(report(key, hubs, s, args.top), flush=True)
                out[key] = {"spread": asdict(s), "notes": [asdict(h) for h in hubs]}
    if args.json:
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

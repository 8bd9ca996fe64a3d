"""Where does CBOW start to help? Link recovery with and without the CBOW parts on vaults of growing size.

    python benchmarks/small_vault.py [--vault ../shared/vaults/obsidian-help/en] [--sizes 20 40 80 0]
                                     [--draws 3]

For each size (a number of notes; 0 = the whole vault) it draws random subsets of the vault's notes,
prepares each with ../shared/eval/linkeval.py (links hidden; only links inside the subset count), indexes
it with notelink's defaults and scores recall@10 with the defaults and with the CBOW parts switched off
(same word vectors, same everything else). The gain is the CBOW part's contribution at that size; the
training words where it stops being noise is the small-vault threshold (indexer.SMALL_VAULT_TOKENS).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from relevance import SHARED, _linkeval, _predictions, _score

from notelink.config import NoteVectorConfig, TrainConfig
from notelink.index.build import build_index

WITHOUT_CBOW = NoteVectorConfig(expand_beta=0.0, w_cbow=0.0)


def subset(vault: Path, size: int, seed: int, out: Path) -> Path:
    """A copy of `size` random notes of `vault` (all when size is 0 or larger than the vault)."""
    notes = sorted(vault.rglob("*.md"))
    chosen = notes if not size or size >= len(notes) else random.Random(seed).sample(notes, size)
    for note in chosen:
        dest = out / note.relative_to(vault)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(note, dest)
    return out


def one_draw(le, vault: Path, size: int, seed: int, work: Path) -> tuple[int, float, float]:  # type: ignore[no-untyped-def]
    """(training words, recall@10 with CBOW, recall@10 without) for one random subset."""
    src = subset(vault, size, seed, work / "src")
    ev = work / "ev"
    with contextlib.redirect_stdout(io.StringIO()):
        le.prepare(src, ev, keep_text=False)
    summary = build_index(ev / "notes", work / "ix", TrainConfig(seed=seed, threads=2), force=True)
    with_cbow = _score(le, ev, _predictions(work / "ix", NoteVectorConfig()))[0]
    without = _score(le, ev, _predictions(work / "ix", WITHOUT_CBOW))[0]
    return summary.tokens, with_cbow, without


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vault", type=Path, default=SHARED / "vaults" / "obsidian-help" / "en")
    ap.add_argument("--sizes", type=int, nargs="+", default=[20, 40, 80, 0])
    ap.add_argument("--draws", type=int, default=3)
    args = ap.parse_args()
    le = _linkeval()
    print("| notes | training words (mean) | recall@10 with CBOW | without CBOW | gain (mean ± sd) |")
    print("|---|---|---|---|---|")
    for size in args.sizes:
        rows = []
        for draw in range(1 if size == 0 else args.draws):
            with tempfile.TemporaryDirectory() as tmp:
                rows.append(one_draw(le, args.vault, size, draw + 1, Path(tmp)))
        gains = [w - wo for _, w, wo in rows]
        sd = statistics.stdev(gains) if len(gains) > 1 else 0.0
        print(f"| {size or 'all'} | {statistics.mean(t for t, _, _ in rows):,.0f} | "
              f"{statistics.mean(w for _, w, _ in rows):.3f} | "
              f"{statistics.mean(wo for _, _, wo in rows):.3f} | "
              f"{statistics.mean(gains):+.3f} ± {sd:.3f} |", flush=True)


if __name__ == "__main__":
    main()

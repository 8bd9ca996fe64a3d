"""Relevance benchmark: link recovery (recall@10, MRR) on a vault, with ablations and baselines, one table.

    python benchmarks/relevance.py [--vault ../shared/vaults/obsidian-help/en] [--seeds 1 2 3] [--quick]

For each condition (links shown as their text, and --hide-text where link text is removed too) it prepares
the vault with ../shared/eval/linkeval.py, indexes it with notelink's defaults, exports related notes and
scores them; then it re-runs with parts of the note vector switched off (the ablation), and trains gensim
CBOW on the same tokens with the same settings for the timing comparison.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from notelink.config import NoteVectorConfig, TrainConfig
from notelink.index.build import build_index, clean_tokens, vectorize
from notelink.index.previous import load_records
from notelink.index.store import current_generation, load_array
from notelink.query.index import Index
from notelink.write.export import export_json

ROOT = Path(__file__).resolve().parents[1]
SHARED = next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.exists()),
              ROOT.parent / "shared")
BASELINES = {"TF-IDF cosine (eval README)": (0.612, 0.722), "MiniLM sentence embeddings (eval README)":
             (0.440, 0.701), "gensim CBOW IDF-mean (eval README)": (0.400, 0.561)}
ABLATIONS = {
    "notelink (defaults)": NoteVectorConfig(),
    "  without CBOW (no expansion, no dense part)": NoteVectorConfig(expand_beta=0.0, w_cbow=0.0),
    "  without CBOW expansion": NoteVectorConfig(expand_beta=0.0),
    "  without CBOW dense part": NoteVectorConfig(w_cbow=0.0),
    "  without title mentions": NoteVectorConfig(w_title=0.0),
    "  without boilerplate removal": NoteVectorConfig(boilerplate_share=2.0),
    "  CBOW only (dense part alone)": NoteVectorConfig(w_lex=0.0, w_title=0.0, w_cbow=1.0),
}


def _linkeval():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("linkeval", SHARED / "eval" / "linkeval.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _score(le, ev: Path, pred: dict) -> tuple[float, float]:  # type: ignore[no-untyped-def,type-arg]
    path = ev / "pred.json"
    path.write_text(json.dumps(pred), encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        le.score(ev, path)
    fields = out.getvalue().split()
    return float(fields[1]), float(fields[3])


def _predictions(index_dir: Path, vcfg: NoteVectorConfig) -> dict:  # type: ignore[type-arg]
    """Related notes from the trained index, with note vectors rebuilt under `vcfg` (same word vectors)."""
    gen = current_generation(index_dir)
    assert gen is not None
    records, _ = load_records(gen)
    index = Index.open(index_dir)
    ordered = [records[n.path] for n in index.notes]
    tokens = clean_tokens(ordered, vcfg.boilerplate_share)
    docs = [np.array([index.word_index[t] for t in doc if t in index.word_index], dtype=np.int64)
            for doc in tokens]
    syn1neg = np.asarray(load_array(gen, "syn1neg"))
    index.note_vecs, index.layout = vectorize(ordered, tokens, docs, syn1neg, vcfg)
    pred = export_json(index, top=10, concepts=0)
    index.close()
    return pred


def _gensim_seconds(index_dir: Path, cfg: TrainConfig, epochs: int) -> float | None:
    try:
        from gensim.models import Word2Vec
    except ImportError:
        return None
    index = Index.open(index_dir)
    docs = [t.split() for (t,) in index.db.execute("SELECT tokens FROM notes ORDER BY id")]
    index.close()
    t0 = time.perf_counter()
    Word2Vec(docs, vector_size=cfg.dim, window=cfg.window, negative=cfg.negative, sample=cfg.sample,
             min_count=cfg.min_count, epochs=epochs, workers=2, sg=0, seed=1, alpha=0.025)
    return time.perf_counter() - t0


def run_condition(le, vault: Path, hide: bool, seeds: list[int],  # type: ignore[no-untyped-def]
                  ablations: dict[str, NoteVectorConfig],
                  work: Path) -> list[tuple[str, float, float, float]]:
    ev = work / ("hide" if hide else "text")
    with contextlib.redirect_stdout(io.StringIO()):
        le.prepare(vault, ev, keep_text=not hide)
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in ablations}
    secs = []
    for seed in seeds:
        ix = work / f"ix-{int(hide)}-{seed}"
        t0 = time.perf_counter()
        build_index(ev / "notes", ix, TrainConfig(seed=seed, threads=2), force=True)
        secs.append(time.perf_counter() - t0)
        for name, vcfg in ablations.items():
            results[name].append(_score(le, ev, _predictions(ix, vcfg)))
    rows = []
    for name, got in results.items():
        rows.append((name, statistics.mean(r for r, _ in got), statistics.mean(m for _, m in got),
                     statistics.mean(secs)))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vault", type=Path, default=SHARED / "vaults" / "obsidian-help" / "en")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--quick", action="store_true", help="defaults and the no-CBOW ablation only")
    args = ap.parse_args()
    le = _linkeval()
    ablations = dict(list(ABLATIONS.items())[:2]) if args.quick else ABLATIONS
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for hide in (False, True):
            rows = run_condition(le, args.vault, hide, args.seeds, ablations, work)
            print(f"\n{args.vault.name}: {'--hide-text (link text removed)' if hide else 'link text kept'}, "
                  f"seeds {args.seeds}, 2 threads")
            print("| system | recall@10 | MRR | index seconds |\n|---|---|---|---|")
            for name, r, m, s in rows:
                print(f"| {name.strip()} | {r:.3f} | {m:.3f} | {s:.1f} |")
            if not hide:
                for name, (r, m) in BASELINES.items():
                    print(f"| {name} | {r:.3f} | {m:.3f} | |")
                ix = work / f"ix-0-{args.seeds[0]}"  # the defaults' index of the first seed
                meta = Index.open(ix).meta
                g = _gensim_seconds(ix, TrainConfig(), meta["model"]["epochs"])
                s = meta["summary"]  # of seed 1 (written before the build's total time is known)
                total = rows[0][3]  # the defaults' build_index wall time, mean over the seeds
                print(f"\nfull index {total:.2f}s (mean of {len(args.seeds)}; seed {args.seeds[0]}: parse "
                      f"{s['parse_seconds']:.2f}s, train {s['train_seconds']:.2f}s, {s['tokens']:,} tokens x "
                      f"{s['epochs']} epochs); "
                      + (f"gensim CBOW on the same tokens and settings: {g:.2f}s (ratio {total / g:.2f}x)"
                         if g else "gensim not installed"))


if __name__ == "__main__":
    main()

"""Relevance benchmark: link recovery (recall@10, MRR) on the dev vaults, notelink and baselines, one table.

    python benchmarks/relevance.py [--vaults en dendron | PATH ...] [--seeds 1 2 3]
                                   [--ablations | --also WORD] [--train window=15 ...]

For each vault and condition (links shown as their text; --hide-text, where link text is removed too) it
prepares the vault with ../shared/eval/linkeval.py and scores:
- baselines: TF-IDF cosine (sublinear tf, smooth idf, Unicode letter words, English stop words); BM25
  (k1 1.2, b 0.75) as the whole note for a query (linkeval's query baseline) and as the cosine of BM25
  term weights; BM25 + file-name mentions (a pair ranks first when one note's file name, split into words
  at `.`, `-`, `_` and spaces, appears as a word sequence in the other's text; BM25 cosine orders the rest);
- notelink with its defaults, one build per seed, and the ablation without the CBOW parts (same word
  vectors, note vectors rebuilt without expansion and dense part); `--ablations` adds the other ablations,
  `--also chance` those whose names contain `chance`;
- the time of notelink's build against gensim's CBOW training on the same tokens and settings.
`--train KEY=VALUE` trains with other `TrainConfig` settings (session 24 measured `window=15`).
A PATH is any vault: a generated one from benchmarks/shapes.py reproduces the held-out failures (large vaults
of short notes, link lists, hierarchical file names). `--json FILE` keeps every number.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import re
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from notelink.config import NoteVectorConfig, TrainConfig
from notelink.index.arrays import load_array
from notelink.index.build import build_index, clean_tokens, vectorize
from notelink.index.previous import load_records
from notelink.index.store import current_generation
from notelink.notes.tokenizer import STOPWORDS
from notelink.query.index import Index
from notelink.write.export import export_json

ROOT = Path(__file__).resolve().parents[1]
SHARED = next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.exists()),
              ROOT.parent / "shared")
DEV_VAULTS = {"en": SHARED / "vaults" / "obsidian-help" / "en",
              "dendron": SHARED / "vaults" / "dendron-site" / "vault"}
DEFAULTS = "notelink (defaults)"
NO_CBOW = "  without CBOW (no expansion, no dense part)"
ABLATIONS = {
    DEFAULTS: NoteVectorConfig(),
    NO_CBOW: NoteVectorConfig(expand_beta=0.0, w_cbow=0.0),
    "  without CBOW expansion": NoteVectorConfig(expand_beta=0.0),
    "  without CBOW dense part": NoteVectorConfig(w_cbow=0.0),
    "  without title mentions": NoteVectorConfig(w_title=0.0),
    "  without file-name references": NoteVectorConfig(w_reference=0.0),
    "  file-name references not lowered by chance": NoteVectorConfig(reference_chance=False),
    "  file-name references 0.15": NoteVectorConfig(w_reference=0.15),
    "  file-name references 0.5": NoteVectorConfig(w_reference=0.5),
    "  without boilerplate removal": NoteVectorConfig(boilerplate_share=2.0),
    "  CBOW only (dense part alone)": NoteVectorConfig(w_lex=0.0, w_title=0.0, w_cbow=1.0),
}
_LETTERS = re.compile(r"[^\W\d_]{2,}")  # Unicode letter words, as a language-neutral TF-IDF reads them
_ASCII = re.compile(r"[a-z][a-z]+")  # BM25's words, as linkeval's query baseline reads them
_NAME_WORDS = re.compile(r"[^\W_]+")  # words of a file name or a text, split at `.`, `-`, `_`, spaces...
BASELINES = ("TF-IDF", "BM25 (note as query)", "BM25", "BM25 + file-name mentions")
FIRST = 1e6  # added to a pair's BM25 score when one note mentions the other's file name


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


def _ranked(names: Sequence[str], sims: np.ndarray, k: int = 10) -> dict:  # type: ignore[type-arg]
    """Predictions from an [N, N] score matrix (self excluded)."""
    sims = np.array(sims, dtype=np.float64)
    np.fill_diagonal(sims, -np.inf)
    k = min(k, sims.shape[1] - 1)
    part = np.argpartition(-sims, k, axis=1)[:, :k]  # [N, k] the k best, unordered
    order = np.argsort(-np.take_along_axis(sims, part, axis=1), axis=1, kind="stable")
    top = np.take_along_axis(part, order, axis=1)
    return {"notes": [{"path": names[i], "related": [{"path": names[j], "score": float(sims[i, j])}
                                                     for j in top[i]]} for i in range(len(names))]}


def _counts(texts: Sequence[str], words: Callable[[str], list[str]]) -> tuple[sp.csr_matrix, int]:
    """[N, V] term counts of each text and V."""
    counts = [Counter(words(t)) for t in texts]
    vocab = {w: i for i, w in enumerate(sorted({w for c in counts for w in c}))}
    rows = np.repeat(np.arange(len(counts)), [len(c) for c in counts])
    cols = np.array([vocab[w] for c in counts for w in c], dtype=np.int64)
    vals = np.array([n for c in counts for n in c.values()], dtype=np.float64)
    return sp.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocab))), len(vocab)


def tfidf_sims(texts: Sequence[str]) -> np.ndarray:
    """[N, N] cosine of (1 + log tf) * smooth idf over Unicode letter words, English stop words out (as
    sklearn's TfidfVectorizer(sublinear_tf=True, stop_words='english'), with notelink's stop-word list)."""
    X, _ = _counts(texts, lambda t: [w for w in _LETTERS.findall(t.lower()) if w not in STOPWORDS])
    X.data = 1 + np.log(X.data)
    df = np.bincount(X.indices, minlength=X.shape[1])
    X = X @ sp.diags(np.log((1 + X.shape[0]) / (1 + df)) + 1)
    X = sp.diags(1 / np.maximum(np.sqrt(np.asarray(X.multiply(X).sum(1)).ravel()), 1e-12)) @ X
    return (X @ X.T).toarray()


def _bm25(texts: Sequence[str], k1: float, b: float) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """[N, V] BM25 term weights idf * tf (k1 + 1) / (tf + k1 (1 - b + b len / mean len)), and [N, V] 0/1
    of each note's distinct words; words as linkeval's query baseline reads them."""
    X, _ = _counts(texts, lambda t: _ASCII.findall(t.lower()))
    N = X.shape[0]
    length = np.asarray(X.sum(1)).ravel()
    df = np.bincount(X.indices, minlength=X.shape[1])
    idf = np.log(1 + (N - df + 0.5) / (df + 0.5))  # [V]
    norm = k1 * (1 - b + b * length / max(length.mean(), 1e-9))  # [N]
    W = X.tocoo()
    sat = W.data * (k1 + 1) / (W.data + norm[W.row]) * idf[W.col]
    return (sp.csr_matrix((sat, (W.row, W.col)), shape=X.shape),
            sp.csr_matrix((np.ones_like(W.data), (W.row, W.col)), shape=X.shape))


def bm25_sims(texts: Sequence[str], k1: float = 1.2, b: float = 0.75) -> np.ndarray:
    """[N, N] cosine of the notes' BM25 term weights (the issue's "BM25 cosine")."""
    D, _ = _bm25(texts, k1, b)
    D = sp.diags(1 / np.maximum(np.sqrt(np.asarray(D.multiply(D).sum(1)).ravel()), 1e-12)) @ D
    return (D @ D.T).toarray()


def bm25_query_sims(texts: Sequence[str], k1: float = 1.2, b: float = 0.75) -> np.ndarray:
    """[N, N] BM25 score of note j for the query of note i's distinct words (linkeval's bm25 baseline)."""
    D, Q = _bm25(texts, k1, b)
    return (Q @ D.T).toarray()


def name_words(path: str) -> tuple[str, ...]:
    """A note's file name split into lowercase words at `.`, `-`, `_`, spaces (and other punctuation)."""
    return tuple(_NAME_WORDS.findall(path.rsplit("/", 1)[-1].removesuffix(".md").lower()))


def file_name_mentions(names: Sequence[str], texts: Sequence[str]) -> np.ndarray:
    """[N, N] bool: note i's text has note j's file name as a word sequence, or j's has i's."""
    by_name: dict[tuple[str, ...], list[int]] = {}
    for j, path in enumerate(names):
        if words := name_words(path):
            by_name.setdefault(words, []).append(j)
    lengths = sorted({len(w) for w in by_name})
    M = np.zeros((len(names), len(names)), dtype=bool)
    for i, text in enumerate(texts):
        tokens = _NAME_WORDS.findall(text.lower())
        for n in lengths:
            for phrase in {tuple(tokens[a : a + n]) for a in range(len(tokens) - n + 1)} & by_name.keys():
                M[i, by_name[phrase]] = True
    return M | M.T


def baselines(le, ev: Path) -> dict[str, tuple[float, float]]:  # type: ignore[no-untyped-def]
    """recall@10 and MRR of each baseline on a prepared vault."""
    names, texts = le.texts(ev)
    bm25 = bm25_sims(texts)
    return {"TF-IDF": _score(le, ev, _ranked(names, tfidf_sims(texts))),
            "BM25 (note as query)": _score(le, ev, _ranked(names, bm25_query_sims(texts))),
            "BM25": _score(le, ev, _ranked(names, bm25)),
            "BM25 + file-name mentions": _score(le, ev, _ranked(names, bm25 + FIRST * file_name_mentions(
                names, texts)))}


def _predictions(index_dir: Path, vcfg: NoteVectorConfig) -> dict:  # type: ignore[type-arg]
    """Related notes from the trained index, with note vectors rebuilt under `vcfg` (same word vectors)."""
    index = rebuilt(index_dir, vcfg)
    pred = export_json(index, top=10, concepts=0)
    index.close()
    return pred


def rebuilt(index_dir: Path, vcfg: NoteVectorConfig) -> Index:
    """The trained index opened with its note vectors rebuilt under `vcfg` (same word vectors)."""
    gen = current_generation(index_dir)
    assert gen is not None
    records, _ = load_records(gen)
    index = Index.open(index_dir)
    ordered = [records[n.path] for n in index.notes]
    tokens = clean_tokens(ordered, vcfg.boilerplate_share)
    docs = [np.array([index.word_index[t] for t in doc if t in index.word_index], dtype=np.int64)
            for doc in tokens]
    syn0 = np.asarray(load_array(gen, "syn0"))
    index.note_vecs, index.layout = vectorize(ordered, tokens, docs, syn0, vcfg)
    index.reference_weight = vcfg.w_reference  # (a query-time bonus: notelink/index/references.py)
    index.reference_chance = vcfg.reference_chance
    return index


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


Scores = dict[str, list[tuple[float, float]]]
"""system -> (recall@10, MRR) per seed (one entry for a deterministic baseline)"""


def train_settings(pairs: Sequence[str]) -> dict[str, int | float | str]:
    """`--train` KEY=VALUE pairs as `TrainConfig` fields, each value of its field's type."""
    fields = TrainConfig().__dict__
    out: dict[str, int | float | str] = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        try:
            if key in ("seed", "threads") or not isinstance(fields.get(key), (int, float, str)) or isinstance(
                    fields.get(key), bool):
                raise ValueError(key)
            out[key] = type(fields[key])(value)  # KeyError for an unknown one, ValueError for a bad value
        except (KeyError, ValueError, TypeError):
            raise SystemExit(f"--train takes TrainConfig settings (numbers, device) other than seed and "
                             f"threads as KEY=VALUE, not {pair!r}") from None
    return out


def run_condition(le, vault: Path, hide: bool, seeds: list[int],  # type: ignore[no-untyped-def]
                  ablations: dict[str, NoteVectorConfig], work: Path,
                  train: dict[str, int | float | str] | None = None) -> tuple[Scores, list[float]]:
    """Every system's scores on one vault and condition, and notelink's build seconds per seed, then
    gensim's training seconds on the first seed's tokens and settings (nan without gensim); `train`:
    other TrainConfig settings."""
    ev = work / ("hide" if hide else "text")
    with contextlib.redirect_stdout(io.StringIO()):
        le.prepare(vault, ev, keep_text=not hide)
    results: Scores = {name: [score] for name, score in baselines(le, ev).items()}
    results.update({name: [] for name in ablations})
    secs = []
    for seed in seeds:
        ix = work / f"ix-{int(hide)}-{seed}"
        t0 = time.perf_counter()
        build_index(ev / "notes", ix, TrainConfig(seed=seed, threads=2, **(train or {})), force=True)
        secs.append(time.perf_counter() - t0)
        for name, vcfg in ablations.items():
            results[name].append(_score(le, ev, _predictions(ix, vcfg)))
    first = Index.open(work / f"ix-{int(hide)}-{seeds[0]}")
    epochs = first.meta["model"]["epochs"]
    first.close()
    secs.append(_gensim_seconds(work / f"ix-{int(hide)}-{seeds[0]}", TrainConfig(**(train or {})), epochs)
                or float("nan"))
    return results, secs


def _cell(got: list[tuple[float, float]]) -> str:
    r = [x for x, _ in got]
    spread = f" ({min(r):.3f}-{max(r):.3f})" if len(r) > 1 else ""
    return f"{statistics.mean(r):.3f}{spread}"


def table(columns: dict[str, Scores]) -> str:
    """One Markdown table: a row per system, a column per vault and condition (recall@10, seed range), then
    notelink's ratio to the best baseline and the CBOW ablation's drop."""
    systems = list(next(iter(columns.values())))
    lines = ["| system | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    lines += [f"| {s.strip()} | " + " | ".join(_cell(c[s]) for c in columns.values()) + " |" for s in systems]
    mean = {k: {s: statistics.mean(r for r, _ in v) for s, v in c.items()} for k, c in columns.items()}
    base = [max(m[s] for s in BASELINES) for m in mean.values()]
    lines.append("| notelink / best baseline | " + " | ".join(
        f"{m[DEFAULTS] / max(b, 1e-9):.2f}x" for m, b in zip(mean.values(), base, strict=True)) + " |")
    if NO_CBOW in systems:
        lines.append("| CBOW ablation drop | " + " | ".join(
            f"{m[DEFAULTS] - m[NO_CBOW]:+.3f}" for m in mean.values()) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vaults", nargs="+", default=list(DEV_VAULTS), help="en, dendron, or vault folders")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--ablations", action="store_true", help="every ablation, not only without CBOW")
    ap.add_argument("--also", nargs="+", default=[], help="the ablations whose names contain these words too")
    ap.add_argument("--conditions", nargs="+", default=["text", "hide"], choices=["text", "hide"])
    ap.add_argument("--json", type=Path, help="write every score here")
    ap.add_argument("--train", nargs="+", default=[], metavar="KEY=VALUE",
                    help="train with these TrainConfig settings (e.g. window=15)")
    args = ap.parse_args()
    train = train_settings(args.train)
    le = _linkeval()
    ablations = ABLATIONS if args.ablations else {k: v for k, v in ABLATIONS.items() if k in (
        DEFAULTS, NO_CBOW) or any(word in k for word in args.also)}
    columns: dict[str, Scores] = {}
    build: dict[str, list[float]] = {}
    for name in args.vaults:
        vault = DEV_VAULTS.get(name, Path(name))
        for cond in args.conditions:
            with tempfile.TemporaryDirectory() as tmp:
                key = f"{name if name in DEV_VAULTS else vault.name} {cond}"
                columns[key], build[key] = run_condition(le, vault, cond == "hide", args.seeds, ablations,
                                                         Path(tmp), train)
            print(f"{key}: " + ", ".join(f"{s.strip()} {_cell(v)}" for s, v in columns[key].items()),
                  flush=True)
    print(f"\nrecall@10, mean (range) over seeds {args.seeds}, 2 threads; text = link text kept, hide = "
          "--hide-text\n")
    print(table(columns))
    print("\nnotelink build seconds (mean over seeds) / gensim CBOW training, same tokens and settings: "
          + ", ".join(f"{k} {statistics.mean(v[:-1]):.1f} / {v[-1]:.1f}" for k, v in build.items()))
    if args.json:
        args.json.write_text(json.dumps({"columns": columns, "build_seconds": build}, indent=1))


if __name__ == "__main__":
    main()

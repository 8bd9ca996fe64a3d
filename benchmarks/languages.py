"""Relevance in other languages: link recovery on each language folder of the obsidian-help vault.

    python benchmarks/languages.py [--langs de fr es ...] [--seed 1] [--min-links 30]

The dev vault is English; the same defaults must work on vaults we do not have, in any language. Each
language folder of ../shared/vaults/obsidian-help is prepared with linkeval.py (link text kept), indexed
with notelink's defaults, and scored, next to a TF-IDF baseline that does not know the language
(sublinear tf, smooth idf, Unicode letter words, no stop-word list) and notelink without its CBOW parts.
The first vault's index time includes importing torch (~0.75 s); the later ones run in the same process.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import re
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from relevance import ABLATIONS, SHARED, _gensim_seconds, _linkeval, _predictions, _score

from notelink.config import TrainConfig
from notelink.index.build import build_index
from notelink.query.index import Index

VAULT = SHARED / "vaults" / "obsidian-help"
LANGS = ["en", "id", "nl", "it", "no", "de", "es", "da", "ca", "fr", "fi", "pt", "pl", "sv"]
_WORD = re.compile(r"\b[^\W\d_][^\W\d_]+\b")


def tfidf_predictions(le, ev: Path) -> dict:  # type: ignore[no-untyped-def]
    """sklearn's TfidfVectorizer(sublinear_tf=True) with a Unicode letter-word pattern, cosine, top 10."""
    names, texts = le.texts(ev)
    counts = [Counter(_WORD.findall(t.lower())) for t in texts]
    vocab = {w: i for i, w in enumerate(sorted({w for c in counts for w in c}))}
    rows, cols, vals = [], [], []
    for r, c in enumerate(counts):
        for w, n in c.items():
            rows.append(r)
            cols.append(vocab[w])
            vals.append(1.0 + math.log(n))
    X = sp.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocab)))
    df = np.bincount(X.indices, minlength=len(vocab))
    X = X @ sp.diags(np.log((1 + len(texts)) / (1 + df)) + 1.0)
    X = sp.diags(1.0 / np.maximum(np.sqrt(X.multiply(X).sum(1).A1), 1e-12)) @ X
    sims = (X @ X.T).toarray()
    np.fill_diagonal(sims, -np.inf)
    top = np.argsort(-sims, axis=1)[:, :10]
    return {"notes": [{"path": names[i], "related": [{"path": names[j], "score": float(sims[i, j])}
                                                     for j in top[i]]} for i in range(len(names))]}


def run_language(le, lang: str, cfg: TrainConfig, work: Path,  # type: ignore[no-untyped-def]
                 hide_text: bool = False) -> dict[str, float]:
    """One language folder ("all": the whole multilingual vault) prepared, indexed and scored."""
    ev, ix = work / lang, work / f"ix-{lang}"
    with contextlib.redirect_stdout(io.StringIO()) as out:
        le.prepare(VAULT if lang == "all" else VAULT / lang, ev, keep_text=not hide_text)
    notes, linked, links = (int(x) for x in re.findall(r"\d+", out.getvalue())[:3])
    t0 = time.perf_counter()
    summary = build_index(ev / "notes", ix, cfg, force=True)
    seconds = time.perf_counter() - t0
    row = {"notes": notes, "linked": linked, "links": links, "tokens": summary.tokens,
           "seconds": seconds, "gensim": _gensim_seconds(ix, TrainConfig(), summary.epochs) or math.nan}
    row["tfidf"], row["tfidf_mrr"] = _score(le, ev, tfidf_predictions(le, ev))
    for key, name in (("notelink", "notelink (defaults)"),
                      ("no_cbow", "  without CBOW (no expansion, no dense part)")):
        row[key], row[key + "_mrr"] = _score(le, ev, _predictions(ix, ABLATIONS[name]))
    Index.open(ix).close()
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--langs", nargs="+", default=LANGS,
                    help="language folders; 'all' is the whole vault (2,322 notes, 866k tokens, ~1 min)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=0, help="0: notelink's automatic choice (`epochs_for`)")
    ap.add_argument("--hide-text", action="store_true", help="link text removed too (linkeval)")
    args = ap.parse_args()
    le = _linkeval()
    print("| vault | notes | linked notes | tokens | TF-IDF r@10 / MRR | notelink r@10 / MRR | ratio to "
          "TF-IDF | without CBOW r@10 | index s | gensim s |\n|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for lang in args.langs:
            cfg = TrainConfig(seed=args.seed, threads=2, epochs=args.epochs)
            r = run_language(le, lang, cfg, Path(tmp), args.hide_text)
            print(f"| {lang} | {r['notes']} | {r['linked']} | {r['tokens']:,} | {r['tfidf']:.3f} / "
                  f"{r['tfidf_mrr']:.3f} | {r['notelink']:.3f} / {r['notelink_mrr']:.3f} | "
                  f"{r['notelink'] / max(r['tfidf'], 1e-9):.2f}x | {r['no_cbow']:.3f} | {r['seconds']:.2f} | "
                  f"{r['gensim']:.2f} |", flush=True)


if __name__ == "__main__":
    main()

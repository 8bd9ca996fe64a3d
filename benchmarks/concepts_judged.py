"""Concepts against a judged set: how well a way of ranking a note's words names what the note is about.

    python benchmarks/concepts_judged.py score [--set dev|heldout|all] [--methods lex current ...] [--work D]
    python benchmarks/concepts_judged.py pool --out FILE --hidden FILE [--set ...] [--methods ...] [--new]
    python benchmarks/concepts_judged.py show --pool FILE            # each pooled note's text, for the judge

The set (`concepts_judged.jsonl` beside this script, session 23), notes chosen by rules fixed before any
word was seen. For each dev vault (obsidian-help `en`, dendron-site's `vault`), by distinct notes linked
from a note (resolved links, itself aside; ties by path):
- `dev`: hubs, the 10 notes with the most; others: of the remaining notes with at least `MIN_TOKENS`
  training tokens, sorted by path, the 10 at positions floor((i + 0.5) * n / 10), i = 0..9;
- `heldout` (judged after the power of burstiness was chosen on `dev`): hubs ranked 11-15; others, 5 of
  the rest left (dev's aside) at positions floor((i + 0.1) * n / 5).
A note's candidate pool is the union of the top 10 words of several methods, shuffled, the method hidden
(written to a file the judge does not read until the judgements are written; `--new`: only words not
judged yet, as new methods were added). The judge read each note and graded each word 0 (filler or
off-topic), 1 (related) or 2 (a subject of the note; for a list of links, what the list is about: its
items are 1). One line a note: {"set", "vault", "path", "kind": "hub" | "other", "grades": {word: 0-2}}.

`score` ranks each note's words by each method (indexes built in WORK with seed 1 and one thread when
missing) and prints, per vault and note kind: nDCG@10 (gains 2^g - 1, the ideal from the note's judged
words), P@5 (share of the top 5 graded 2), P@5>=1 (graded 1 or 2), filler@10 (graded 0), judged@10 (a
method's unjudged words count as 0: judge them before trusting a difference) and the paired difference
in nDCG@10 from `--base` (mean, 95% bootstrap interval over notes, notes won/lost).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from notelink.query.index import Index, NoteInfo

ROOT = Path(__file__).resolve().parents[1]
SHARED = next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.exists()),
              ROOT.parent / "shared")
DEV_VAULTS = {"en": SHARED / "vaults" / "obsidian-help" / "en",
              "dendron": SHARED / "vaults" / "dendron-site" / "vault"}
JUDGED = Path(__file__).with_name("concepts_judged.jsonl")
PER_KIND, HELD_OUT, MIN_TOKENS, TOP, DEEP = 10, 5, 30, 10, 60


class Stats:
    """A vault's word statistics over the notes' training tokens: df, counts, N, note lengths."""

    def __init__(self, ix: Index) -> None:
        self.tokens = {i: t.split() for i, t in ix.db.execute("SELECT id, tokens FROM notes")}
        self.df: Counter[str] = Counter()
        self.count: Counter[str] = Counter()
        for toks in self.tokens.values():
            self.df.update(set(toks))
            self.count.update(toks)
        self.N = len(self.tokens)
        self.total = sum(self.count.values())
        self.avgdl = self.total / max(self.N, 1)


Method = Callable[[Index, Stats, NoteInfo], list[str]]


def _lex(ix: Index, st: Stats, note: NoteInfo, deep: int = DEEP) -> list[tuple[str, float]]:
    """The note vector's word weights, largest first (concepts as ranked before session 23)."""
    data, indices, indptr = ix._parts
    row = slice(int(indptr[note.id]), int(indptr[note.id + 1]))
    keep = indices[row] < ix.layout.words
    cols, vals = indices[row][keep], data[row][keep]
    name = ix.words_of(cols.tolist())
    from notelink.notes.tokenizer import is_fragment
    pairs = [(name[int(c)], float(v)) for c, v in zip(cols, vals, strict=True)
             if not is_fragment(name[int(c)])]
    return sorted(pairs, key=lambda p: (-p[1], p[0]))[:deep]


def _rerank(pairs: list[tuple[str, float]], factor: Callable[[str], float]) -> list[str]:
    return [w for w, _ in sorted(pairs, key=lambda p: (-p[1] * factor(p[0]), p[0]))][:TOP]


def current(ix: Index, st: Stats, note: NoteInfo) -> list[str]:
    """`notelink concepts` as the code now has it (its defaults)."""
    return [s.word for s in ix.concepts(note, TOP)]


def lex(ix: Index, st: Stats, note: NoteInfo) -> list[str]:
    return [w for w, _ in _lex(ix, st, note)[:TOP]]


def _burst(st: Stats, w: str) -> float:
    """Burstiness: the word's uses over the notes using it (1 for a word in no note's tokens)."""
    return st.count[w] / st.df[w] if st.df[w] else 1.0


def burst(ix: Index, st: Stats, note: NoteInfo) -> list[str]:
    """lex x burstiness (count / notes holding the word; 1 for a word in no note: a CBOW neighbour)."""
    return _rerank(_lex(ix, st, note), lambda w: st.count[w] / st.df[w] if st.df[w] else 1.0)


def _ridf(st: Stats, w: str) -> float:
    """Church and Gale's residual idf as a ratio: the notes a word would be in if its uses fell at random
    (Poisson, N(1 - e^-lambda), lambda = count / N) over the notes it is in. Topical words bunch into few
    notes (ratio > 1); filler spreads as chance would (about 1), whether rare or common."""
    if not st.df[w]:
        return 1.0
    return st.N * -math.expm1(-st.count[w] / st.N) / st.df[w]


def ridf(ix: Index, st: Stats, note: NoteInfo) -> list[str]:
    """lex x residual-idf ratio."""
    return _rerank(_lex(ix, st, note), lambda w: _ridf(st, w))


def ridf_sqrt(ix: Index, st: Stats, note: NoteInfo) -> list[str]:
    return _rerank(_lex(ix, st, note), lambda w: math.sqrt(_ridf(st, w)))


def burst_sqrt(ix: Index, st: Stats, note: NoteInfo) -> list[str]:
    """lex x burstiness^0.5 (what `notelink concepts` ranks by since session 23, df from the notes' training
    tokens rather than the search postings)."""
    return _rerank(_lex(ix, st, note), lambda w: math.sqrt(_burst(st, w)))


def _power(base: Callable[[Stats, str], float], a: float) -> Method:
    def method(ix: Index, st: Stats, note: NoteInfo) -> list[str]:
        return _rerank(_lex(ix, st, note), lambda w: base(st, w) ** a)
    return method


def count_sqrt(ix: Index, st: Stats, note: NoteInfo) -> list[str]:
    """lex x count^0.5: the control that promotes common words (session 22's probe favoured it)."""
    return _rerank(_lex(ix, st, note), lambda w: math.sqrt(st.count[w] or 1))


def tfidf(ix: Index, st: Stats, note: NoteInfo) -> list[str]:
    """(1 + log tf) * smooth idf of the note's own words, no CBOW spread."""
    tf = Counter(st.tokens[note.id])
    w = {t: (1 + math.log(c)) * (math.log((1 + st.N) / (1 + st.df[t])) + 1) for t, c in tf.items()}
    return sorted(w, key=lambda t: (-w[t], t))[:TOP]


def bm25(ix: Index, st: Stats, note: NoteInfo, k1: float = 1.2, b: float = 0.75) -> list[str]:
    tf = Counter(st.tokens[note.id])
    dl = len(st.tokens[note.id])
    w = {t: math.log(1 + (st.N - st.df[t] + 0.5) / (st.df[t] + 0.5)) * c * (k1 + 1)
         / (c + k1 * (1 - b + b * dl / st.avgdl)) for t, c in tf.items()}
    return sorted(w, key=lambda t: (-w[t], t))[:TOP]


def g2(ix: Index, st: Stats, note: NoteInfo) -> list[str]:
    """Dunning's log-likelihood keyness of the note's words against the rest of the vault (over-used only)."""
    tf = Counter(st.tokens[note.id])
    n1 = sum(tf.values())
    n2 = st.total - n1
    out = {}
    for t, a in tf.items():
        c = st.count[t] - a
        e1, e2 = n1 * (a + c) / (n1 + n2), n2 * (a + c) / (n1 + n2)
        if a > e1:
            out[t] = 2 * (a * math.log(a / e1) + (c * math.log(c / e2) if c else 0))
    return sorted(out, key=lambda t: (-out[t], t))[:TOP]


def _rare_down(a: float) -> Method:
    """`current` with each word seen fewer than `RELIABLE_COUNT` times in the vault weighed by (count /
    RELIABLE_COUNT)^a: does a rare word at the top of a note's concepts name its subject, or noise?"""
    from notelink.query.words import RELIABLE_COUNT

    def method(ix: Index, st: Stats, note: NoteInfo) -> list[str]:
        ranked = ix.concepts(note, DEEP)
        counts = ix.counts_of([ix.word_index[s.word] for s in ranked])
        factor = {s.word: min(1.0, counts[ix.word_index[s.word]] / RELIABLE_COUNT) ** a for s in ranked}
        return [s.word for s in sorted(ranked, key=lambda s: -s.score * factor[s.word])][:TOP]
    return method


METHODS: dict[str, Method] = {"current": current, "lex": lex, "burst": burst, "burst_sqrt": burst_sqrt,
                              "ridf": ridf, "ridf_sqrt": ridf_sqrt, "count_sqrt": count_sqrt,
                              "tfidf": tfidf, "bm25": bm25, "g2": g2}
for _a in (0.25, 0.75):
    METHODS[f"burst_{_a}"] = _power(_burst, _a)
    METHODS[f"ridf_{_a}"] = _power(_ridf, _a)
for _a in (0.25, 0.5, 1.0):
    METHODS[f"rare_down_{_a}"] = _rare_down(_a)
POOL_METHODS = ("lex", "burst", "count_sqrt", "tfidf", "bm25", "g2")
"""The dev set's first pool (`burst_sqrt`, `ridf*`, `burst_0.*` were pooled after, `--new`; the held-out
set's pool: lex, burst_sqrt, ridf_sqrt, tfidf)."""


def index_of(work: Path, name: str) -> Index:
    ix_dir = work / f"ix-{name}"
    if not ix_dir.exists():
        subprocess.run(["nice", "-n", "19", sys.executable, "-m", "notelink", "index", str(DEV_VAULTS[name]),
                        "--index-dir", str(ix_dir), "--seed", "1", "--threads", "1"], check=True)
    return Index.open(ix_dir)


def chosen(ix: Index, st: Stats, held_out: bool = False) -> list[tuple[NoteInfo, str]]:
    """The rule above: 10 hubs by distinct notes linked from them, then 10 others spread by path. The
    held-out set: hubs ranked 11-15, and 5 others at positions floor((i + 0.1) * n / 5) of the notes left."""
    out: dict[int, set[int]] = {n.id: set() for n in ix.notes}
    for src, dst in ix.db.execute("SELECT src, dst FROM links WHERE dst IS NOT NULL"):
        if src != dst and 0 <= dst < len(ix.notes):
            out[src].add(dst)
    by_links = sorted(ix.notes, key=lambda n: (-len(out[n.id]), n.path))
    hubs = by_links[:PER_KIND]
    rest = sorted((n for n in by_links[PER_KIND:] if len(st.tokens[n.id]) >= MIN_TOKENS),
                  key=lambda n: n.path)
    others = [rest[int((i + 0.5) * len(rest) / PER_KIND)] for i in range(PER_KIND)]
    if not held_out:
        return [(n, "hub") for n in hubs] + [(n, "other") for n in others]
    hubs2 = by_links[PER_KIND : PER_KIND + HELD_OUT]
    rest2 = [n for n in rest if n not in others and n not in hubs2]
    others2 = [rest2[int((i + 0.1) * len(rest2) / HELD_OUT)] for i in range(HELD_OUT)]
    return [(n, "hub") for n in hubs2] + [(n, "other") for n in others2]


def make_pool(work: Path, out: Path, hidden: Path, which: str, methods: list[str],
              judged: Path | None) -> None:
    """Each chosen note's words to judge (`out`, shuffled) and each method's list (`hidden`); with
    `judged`, only the words not graded there yet."""
    rows = map(json.loads, judged.read_text().splitlines()) if judged else iter(())
    graded = {r["path"]: r["grades"] for r in rows}
    rng = random.Random(23)
    with out.open("w") as f, hidden.open("w") as h:
        for name in DEV_VAULTS:
            ix = index_of(work, name)
            st = Stats(ix)
            for note, kind in chosen(ix, st, held_out=which == "heldout"):
                lists = {m: METHODS[m](ix, st, note) for m in methods}
                words = sorted({w for ws in lists.values() for w in ws} - set(graded.get(note.path, ())))
                rng.shuffle(words)
                row = {"set": which, "vault": name, "path": note.path, "kind": kind}
                f.write(json.dumps({**row, "words": words}) + "\n")
                h.write(json.dumps({**row, "lists": lists}) + "\n")


def show(pool: Path) -> None:
    """Each pooled note's text (as the vault has it now) and its words, for the judge."""
    for line in pool.read_text().splitlines():
        p = json.loads(line)
        text = (DEV_VAULTS[p["vault"]] / p["path"]).read_text(encoding="utf-8", errors="replace")
        print(f"=== {p['vault']} {p['path']} ({p['kind']}, {len(text.split())} words)\n{text[:6000]}")
        print(f"--- words: {' '.join(p['words'])}\n")


def ndcg(ranked: list[str], grades: dict[str, int], k: int = TOP) -> float:
    gain = [2 ** grades.get(w, 0) - 1 for w in ranked[:k]]
    ideal = sorted((2**g - 1 for g in grades.values()), reverse=True)[:k]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gain))
    best = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def measures(ranked: list[str], grades: dict[str, int]) -> tuple[float, ...]:
    """nDCG@10, P@5 (2), P@5 (>=1), filler@10 (share of the top 10 graded 0 or unjudged), judged@10."""
    top5, top10 = ranked[:5], ranked[:TOP]
    return (ndcg(ranked, grades), sum(grades.get(w, 0) == 2 for w in top5) / 5,
            sum(grades.get(w, 0) >= 1 for w in top5) / 5,
            sum(grades.get(w, 0) == 0 for w in top10) / max(len(top10), 1),
            sum(w in grades for w in top10) / max(len(top10), 1))


def paired(a: list[float], b: list[float], rounds: int = 10_000) -> str:
    """Mean difference b - a over the same notes, its 95% bootstrap interval (notes resampled), won/lost."""
    d = np.array(b) - np.array(a)
    rng = np.random.default_rng(0)
    boot = d[rng.integers(0, d.size, (rounds, d.size))].mean(axis=1)
    lo, hi = np.percentile(boot, [2.5, 97.5])
    return f"{d.mean():+.3f} [{lo:+.3f}, {hi:+.3f}] {int((d > 1e-9).sum())}/{int((d < -1e-9).sum())}"


def score(work: Path, judged: Path, methods: list[str], base: str, which: str) -> None:
    rows = [r for r in map(json.loads, judged.read_text().splitlines()) if which in ("all", r["set"])]
    table: dict[tuple[str, str, str], list[tuple[float, ...]]] = {}
    for name in DEV_VAULTS:
        ix = index_of(work, name)
        st = Stats(ix)
        for r in (r for r in rows if r["vault"] == name):
            note = next(n for n in ix.notes if n.path == r["path"])
            for m in methods:
                got = measures(METHODS[m](ix, st, note), r["grades"])
                for kind in ("all", r["kind"]):
                    table.setdefault((name, kind, m), []).append(got)
    print(f"| vault | notes | method | nDCG@10 | P@5 (2) | P@5 (>=1) | filler@10 | judged@10 | nDCG@10 - "
          f"{base} [95% CI] won/lost |\n|---|---|---|---|---|---|---|---|---|")
    for (name, kind, m), vals in sorted(table.items(), key=lambda kv: (*kv[0][:2], methods.index(kv[0][2]))):
        a = np.mean(np.array(vals), axis=0)
        vs = paired([v[0] for v in table[(name, kind, base)]], [v[0] for v in vals]) if m != base else ""
        cells = " | ".join(f"{x:.3f}" for x in a[:3]) + " | " + " | ".join(f"{x:.2f}" for x in a[3:])
        print(f"| {name} | {kind} ({len(vals)}) | {m} | {cells} | {vs} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", choices=("score", "pool", "show"))
    ap.add_argument("--work", type=Path, default=Path("/tmp/concepts_judged"))
    ap.add_argument("--judged", type=Path, default=JUDGED)
    ap.add_argument("--methods", nargs="+", default=list(METHODS), choices=list(METHODS))
    ap.add_argument("--base", default="lex", choices=list(METHODS), help="what the others are compared with")
    ap.add_argument("--set", default="all", choices=("dev", "heldout", "all"), help="which notes to score")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--hidden", type=Path)
    ap.add_argument("--pool", type=Path)
    ap.add_argument("--new", action="store_true", help="pool: only words the judged file lacks")
    a = ap.parse_args()
    a.work.mkdir(parents=True, exist_ok=True)
    if a.what == "pool":
        methods = a.methods if a.methods != list(METHODS) else list(POOL_METHODS)
        make_pool(a.work, a.out, a.hidden, "dev" if a.set == "all" else a.set, methods,
                  a.judged if a.new else None)
    elif a.what == "show":
        show(a.pool)
    else:
        score(a.work, a.judged, [a.base, *(m for m in a.methods if m != a.base)], a.base, a.set)


if __name__ == "__main__":
    main()

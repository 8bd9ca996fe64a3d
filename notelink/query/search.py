"""Search by meaning in the vault's own words: a query (a few words, or a draft paragraph) -> notes.

`Searcher` is the whole of it, in parts: the query's words as search ids (`terms.QueryTerms`), each note's
score for them, its parts CBOW's and classic retrieval's (`scoring.Scoring`, where the formula is), and
here the ranking (phrases, filters, notes the query names first) and each hit with its snippet and why it
was found (`results.Because`). A query costs a few postings rows and small products: cheap enough to run
on every keystroke.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from threadpoolctl import ThreadpoolController

from notelink.config import NoteVectorConfig, SearchConfig
from notelink.errors import IndexFormatError
from notelink.index.arrays import load_array
from notelink.notes.links import dialect_of
from notelink.notes.stopwords import family, language_of, several_languages, without_stopwords
from notelink.notes.tokenizer import tokenize
from notelink.query.expansion import Expansion
from notelink.query.filters import Filters
from notelink.query.forms import WordForms
from notelink.query.index import Index
from notelink.query.postings import Rows, csr_parts
from notelink.query.results import Because, Hit, SearchResults
from notelink.query.scoring import Scoring
from notelink.query.snippets import read_snippet
from notelink.query.syntax import draft, parse_query, plain
from notelink.query.terms import QueryTerms, Terms

__all__ = ["Because", "Hit", "SearchResults", "Searcher"]  # the results, where callers have found them

_NEEDED = ("search_words", "search_idf", "search_dense", "search_dense_mean",
           *(f"search_{m}_{p}" for m in ("terms", "anchors", "names", "titles")
             for p in ("indptr", "indices", "data")))


class Searcher(QueryTerms, Scoring):
    """Searches one loaded index (arrays memory-mapped once; each `search` reads only what it needs)."""

    def __init__(self, index: Index, cfg: SearchConfig | None = None, vault: Path | None = None) -> None:
        self.index, self.cfg = index, cfg or SearchConfig()
        self.vault = vault if vault is not None else Path(index.meta.get("vault", "."))
        gen = index.gen
        if not all((gen / f"{name}.npy").exists() for name in _NEEDED):
            raise IndexFormatError(f"the index at {gen.parent} has no search data (it was built by an older "
                                   "notelink); run `notelink index --force` to rebuild it")
        self.V, self.N = len(index.words), len(index.notes)
        self.words = index.words + index.search_words
        self.lookup = {**index.word_index, **{w: i for i, w in enumerate(self.words[self.V :], self.V)}}
        self.idf = np.asarray(load_array(gen, "search_idf"))
        self.terms = csr_parts(gen, "search_terms")
        self.anchors = csr_parts(gen, "search_anchors")
        self.names = csr_parts(gen, "search_names")
        indptr, indices, data = csr_parts(gen, "search_titles")
        self.titles = sp.csr_matrix((data, indices, indptr), shape=(self.N, self.V))
        self.title_words = np.unique(indices)  # [t]
        self.syn0, self.syn1neg = np.asarray(load_array(gen, "syn0")), np.asarray(load_array(gen, "syn1neg"))
        self.syn1_titles = np.asarray(self.syn1neg[self.title_words], dtype=np.float32)  # [t, D]
        self.dense = np.asarray(load_array(gen, "search_dense"))  # [N, D]
        self.dense_mean = np.asarray(load_array(gen, "search_dense_mean"))
        self.expansion = Expansion(index, self.cfg, self.syn0, self.syn1neg)
        self.filters = Filters(index, self.vault)
        self.forms = WordForms(self.lookup)
        self._dialect = dialect_of(index.meta).name  # how snippets read links and markup
        self._languages()

    def _languages(self) -> None:
        """Each note's language family as a code [N], and whether the vault counts as multilingual."""
        langs = [family(lang) for (lang,) in self.index.db.execute("SELECT lang FROM notes ORDER BY id")]
        names = sorted(set(langs))
        self.lang_code = {lang: i for i, lang in enumerate(names)}
        self.note_lang = np.array([self.lang_code[lang] for lang in langs], dtype=np.int32)  # [N]
        self.main_lang = names[int(np.bincount(self.note_lang).argmax())] if langs else ""
        self.multilingual = several_languages(langs, NoteVectorConfig().one_language_share)

    # -- the query ---------------------------------------------------------------------------
    def search(self, query: str, top: int | None = None, *, syntax: bool = True, snippets: bool = True,
               exclude: Collection[str] = (), prefix: bool = False) -> SearchResults:
        """The `top` notes for `query`, best first. `syntax`: read quotes, #tags and path: as operators
        (`syntax.parse_query`); else the text is a draft, searched as it is. `exclude`: notes never
        returned (the note being written), by path or name as `related` reads one (those that name no
        note: the results' `unknown_notes`). `prefix`: the query is being typed, so a last word in no note
        is one not typed out yet (`_completions`). BLAS runs on this thread only meanwhile."""
        with _one_blas_thread():
            return self._search(query, top, syntax, snippets, exclude, prefix)

    def _search(self, query: str, top: int | None, syntax: bool, snippets: bool,
                exclude: Collection[str], prefix: bool = False) -> SearchResults:
        query = query if syntax else draft(query)
        parsed = parse_query(query) if syntax else plain(query)
        top = self.cfg.top if top is None else top
        typing = prefix and query[-1:].isalnum() and parsed.text.rstrip() == parsed.text
        terms = self._terms(parsed.text, typing)
        phrases = [self._phrase_ids(p) for p in parsed.phrases]
        left_out, no_note = self.filters.excluded([exclude] if isinstance(exclude, str) else exclude)
        allowed = self.filters.allowed(parsed, left_out + self._holding(parsed.without))
        if any(p is None for p in phrases):  # a phrase with a word no note has: nothing matches
            order, scores, parts = [], np.zeros(self.N), None
        elif terms.ids.size == 0:
            order = [] if not parsed.filtered else self.filters.only(allowed, top)
            scores, parts = np.zeros(self.N), None
        else:
            expanded = self.expansion.expand(terms.ids, terms.q, terms.tokens, terms.lang,
                                             terms.forms, self.cfg.w_forms, syntax)
            scores, parts = self._score(terms, expanded, allowed, typed=syntax)
            order = self._rank(scores, top, [p for p in phrases if p is not None])
        named = [] if parts is None or parsed.phrases else self._named_as(parsed.text, scores, allowed)
        order = (named + [j for j in order if j not in named])[:top]
        reasons = self._reasons(order, terms, parts) if parts is not None else {}
        hits = [self._hit(j, float(scores[j]), terms, reasons.get(j), snippets, phrases) for j in order]
        hits = [replace(h, because=replace(h.because, named=True)) if j in named else h
                for j, h in zip(order, hits, strict=True)]
        unmatched = [] if hits else self.filters.unmatched(parsed, phrases)  # (one unmatched: no hits)
        return SearchResults(query, hits, terms.words, terms.unknown, terms.ignored, unmatched, no_note,
                             self._did_you_mean(terms.unknown) if syntax else {})

    def _holding(self, words: list[str]) -> list[int]:
        """The notes a query's `-word`s leave out: those that hold the word, or another form of it, in their
        text or name (a word of several tokens, `-two-factor`: each of them but stop words); none for a
        word no note has. `-mobile` was searched for as `mobile`, and put the notes about it first."""
        out = np.zeros(self.N, dtype=bool)
        for word in words:
            tokens = tokenize(word, keep_stopwords=True)
            kept = without_stopwords([tokens], language_of([tokens]))[0]
            held = np.ones(self.N, dtype=bool) if kept else np.zeros(self.N, dtype=bool)
            for token in kept:
                held &= self._holding_token(token)
            out |= held
        return np.flatnonzero(out).tolist()

    def _holding_token(self, token: str) -> np.ndarray:
        """[N] bool: the notes with the token, or another form of it, in their text or name."""
        found = self._ids_of(token, None)
        forms = {f for i in found for f in self._forms_of(i, None)}
        ids = np.asarray(sorted({*found, *forms}), dtype=np.int64)
        every = np.ones(ids.size, dtype=bool)
        if not ids.size:
            return np.zeros(self.N, dtype=bool)
        text, name = Rows.of(self.terms, ids), Rows.of(self.names, ids)
        return text.notes_of(every, self.N) | name.notes_of(every, self.N)

    def _named_as(self, text: str, scores: np.ndarray, allowed: np.ndarray | None) -> list[int]:
        """The notes whose name the query is, compared as links compare names (`Index.notes_named`: `links`
        is the note titled `Links`, `dendron.topic.links` the file `dendron.topic.links.md`), best first:
        they come before the other results. A search of a note's own title ranked it below notes its word
        is frequent in (`links` in dendron-site: two notes titled `Links` 3rd and 4th, after `Wikilinks`)."""
        found = [n.id for n in self.index.notes_named(text) if allowed is None or allowed[n.id]]
        return sorted(found, key=lambda j: (-scores[j], j))

    def _rank(self, scores: np.ndarray, top: int, phrases: Sequence[list[str]]) -> list[int]:
        """The best `top` notes with a positive score (and every phrase, if any), best first."""
        cand = np.flatnonzero(scores > 0)
        if not phrases and cand.size > top:  # only the notes at or above the top-th score need sorting
            cand = cand[scores[cand] >= np.partition(scores[cand], cand.size - top)[cand.size - top]]
        order = cand[np.lexsort((cand, -scores[cand]))]
        if not phrases:
            return order[:top].tolist()
        out: list[int] = []
        for a in range(0, order.size, 64):  # notes' tokens read 64 at a time, until `top` have them all
            chunk = order[a : a + 64].tolist()
            rows = dict(self.index.db.execute(
                f"SELECT id, tokens FROM notes WHERE id IN ({','.join('?' * len(chunk))})", chunk))
            out += [j for j in chunk if all(_has_phrase(rows.get(j, ""), p) for p in phrases)]
            if len(out) >= top:
                break
        return out[:top]

    # -- a hit -------------------------------------------------------------------------------
    def _hit(self, j: int, score: float, terms: Terms, reason: tuple[Because, dict[str, float]] | None,
             snippets: bool, phrases: Sequence[list[str] | None]) -> Hit:
        note = self.index.notes[j]
        because, weights = reason or (Because(), {})
        weights = weights or {w: 1.0 for w in terms.words}
        snip = read_snippet(self.vault, note.path, self.index.max_file_bytes(), weights,
                            [p for p in phrases if p], dialect=self._dialect) if snippets else None
        return Hit(note.path, note.title, round(score, 4), snip, because)

    def _reasons(self, order: list[int], terms: Terms, parts: dict[str, Any]
                 ) -> dict[int, tuple[Because, dict[str, float]]]:
        """`_because` of each ranked note, from the postings rows the scoring read."""
        if not order:
            return {}
        has, named = parts["rows"].holding(order, self.N), parts["anchors"].holding(order, self.N)
        weight = list(parts["weight"].items())  # (word, weight in q'), in the order of the rows
        return {j: self._because(j, terms, parts, [weight[p] for p in has[i].tolist()],
                                 [weight[p][0] for p in named[i].tolist() if p < parts["asked"]])
                for i, j in enumerate(order)}

    def _because(self, j: int, terms: Terms, parts: dict[str, Any], held: list[tuple[int, float]],
                 named: list[int]) -> tuple[Because, dict[str, float]]:
        """Why note j was found, and the words it has with their weights in q' (for its snippet); `held`:
        the (word, weight) of q' in note j's text, `named`: the query's words written near its name."""
        found = dict(held)
        asked = terms.ids.tolist()
        words = [self.words[w] for w in asked if w in found]
        ranked = sorted((w for w in found if w in parts["source"]), key=lambda w: -found[w])
        near = [w for w in ranked if w not in parts["forms"]][:3]  # the model's neighbours
        forms = [w for w in ranked if w in parts["forms"]][:3]  # a spelling rule's: apart, as its own
        brought = near + forms
        predicted = sorted((w for w in found if w in parts["predicted"]), key=lambda w: -found[w])[:3]
        anchors = [self.words[w] for w in named]
        shown = {self.words[w]: found[w] for w in [*(w for w in asked if w in found), *brought, *predicted]}
        return Because(words, self._sources(near, parts), anchors, round(float(parts["fit"][j]), 4),
                       [self.words[w] for w in predicted], forms=self._sources(forms, parts)), shown

    def _sources(self, brought: list[int], parts: dict[str, Any]) -> list[tuple[str, str]]:
        """(word, query word that brought it) of each word brought in."""
        return [(self.words[w], self.words[parts["source"][w]]) for w in brought]


@functools.cache
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


def _one_blas_thread() -> AbstractContextManager[object]:
    """BLAS limited to the calling thread. A query's products are small ([t, D] @ [D]); on OpenBLAS's
    thread pool each woke the pool, whose threads then spin between queries: `--batch` on the dev vault
    ran at 103 q/s with the pool (CPU time 2.8 s) and 475 q/s without it (0.7 s), 2 shared cores."""
    return _blas().limit(limits=1, user_api="blas")


def _has_phrase(tokens: str, phrase: Sequence[str]) -> bool:
    """Whether a note's stored tokens (paragraphs on lines) contain the phrase's tokens in order."""
    needle = f" {' '.join(phrase)} "
    return any(needle in f" {line} " for line in tokens.split("\n"))

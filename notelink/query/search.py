"""Search by meaning in the vault's own words: a query (a few words, or a draft paragraph) -> notes.

One score per note, a sum of parts (weights in `config.SearchConfig`):

    q'     = unit(q + beta * unit(q K) + gamma * unit(p) + f)
                                               q: the query's TF-IDF [S]; K: each word's CBOW neighbours;
                                               p: the words it predicts as CBOW's context (`expansion`;
                                               both in the query's language in a vault of several);
                                               f: each word's other forms in the vault (`forms`:
                                               `tomatoes` for `tomato`) at w_forms times its weight
    lex    = X q'                              X: the notes' TF-IDF rows [N, S] (postings, word-major)
    anchor = A q'                              A: words other notes write around each note's name [N, S],
                                               a rare word's at most its best value in X (`rare_notes`)
    title  = T q'                              T: the notes' title and alias words, idf-weighted [N, S]
    dense  = cos(unit(q U) - m, D_n)           U: unit CBOW output vectors; D: the notes' dense rows
    fit    = mean over title words w of sigmoid(h . u_w) - sigmoid(h0 . u_w)
             h: mean of the query words' input vectors; h0: of the vocabulary's (an average context)
    cover  = sum over the query's own words w of q_w^2 [the note holds w]      (0..1: q is unit)
             held: in its text, anchor text or title, or a form of w; through a neighbour, at a part
    base   = lex + w_a anchor + w_t title
    score  = (base + [base > 0] (w_d dense + w_f fit)) * cover^c * (1 + w_l [same language])
             fit only for a query of `expansion.MIN_CONTEXT` reliable words or more, in a vault of one
             language (`Searcher._fits`); cover only for a query, not a draft (`syntax=False`: a draft's
             words are its context, no list of what a note must hold); notes whose name the query is come
             first (`_named_as`)

The CBOW parts (expansion, dense, title fit) find notes that say it in other words: `k8s` brings in
`kubernetes` where the vault uses them alike, and a draft's context predicts, as CBOW predicts a word from
its context, the words missing from it (the link not written yet) and the titles of notes it is about: by
how much more than an average context predicts them (the lift), since the plain probability favours words
that every context predicts. A query costs a few postings rows, one [candidates, D] product and two
[words, D] products: cheap enough to run on every keystroke.

The coverage is classic retrieval's coordination factor (Lucene's coord) on the query's TF-IDF weights: the
parts above are cosines with unit TF-IDF rows, so a long note gives each word little, and nothing else
rewarded holding every word asked for. A user's `flour water salt yeast` ranked the note that has the book
of that title 7th, below notes with two of the words (RESULTS.md, session 21).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Collection, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from threadpoolctl import ThreadpoolController

from notelink.config import NoteVectorConfig, SearchConfig
from notelink.errors import IndexFormatError
from notelink.index.arrays import load_array
from notelink.notes.dialect import alias_first
from notelink.notes.links import dialect_of
from notelink.notes.stopwords import (
    family,
    language_of,
    several_languages,
    stop_word_languages,
    without_stopwords,
)
from notelink.notes.tokenizer import is_number, tokenize
from notelink.query.accents import by_unaccented, unaccented
from notelink.query.closenames import did_you_mean
from notelink.query.expansion import Expanded, Expansion, sigmoid
from notelink.query.filters import Filters
from notelink.query.forms import WordForms
from notelink.query.index import Index
from notelink.query.postings import Rows, csr_parts
from notelink.query.results import Because, Hit, SearchResults
from notelink.query.snippets import read_snippet
from notelink.query.syntax import draft, parse_query, plain

__all__ = ["Because", "Hit", "SearchResults", "Searcher"]  # the results, where callers have found them

_NEEDED = ("search_words", "search_idf", "search_dense", "search_dense_mean",
           *(f"search_{m}_{p}" for m in ("terms", "anchors", "names", "titles")
             for p in ("indptr", "indices", "data")))


@dataclass
class _Terms:
    """A query as search ids: `ids` [k] distinct, `q` [k] unit TF-IDF weights, `tokens` [n] its tokens in
    the vocabulary (repeats counted: its CBOW context), and the words that could not be searched for."""

    ids: np.ndarray
    q: np.ndarray
    tokens: np.ndarray
    words: list[str]
    unknown: list[str]
    ignored: list[str]
    lang: str | None
    forms: dict[int, list[int]]
    """A query word's other forms in the vault (`forms.WordForms`): word id -> their ids."""

    @property
    def q_ids(self) -> set[int]:
        return set(self.ids.tolist())


class Searcher:
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
        self._alias_first = alias_first(dialect_of(index.meta).name)  # [[label|target]] (snippets)
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
        allowed = self.filters.allowed(parsed, left_out)
        if any(p is None for p in phrases):  # a phrase with a word no note has: nothing matches
            order, scores, parts = [], np.zeros(self.N), None
        elif terms.ids.size == 0:
            order = [] if not parsed.filtered else self.filters.only(allowed, top)
            scores, parts = np.zeros(self.N), None
        else:
            expanded = self.expansion.expand(terms.ids, terms.q, terms.tokens, terms.lang,
                                             terms.forms, self.cfg.w_forms)
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

    def _named_as(self, text: str, scores: np.ndarray, allowed: np.ndarray | None) -> list[int]:
        """The notes whose name the query is, compared as links compare names (`Index.notes_named`: `links`
        is the note titled `Links`, `dendron.topic.links` the file `dendron.topic.links.md`), best first:
        they come before the other results. A search of a note's own title ranked it below notes its word
        is frequent in (`links` in dendron-site: two notes titled `Links` 3rd and 4th, after `Wikilinks`)."""
        found = [n.id for n in self.index.notes_named(text) if allowed is None or allowed[n.id]]
        return sorted(found, key=lambda j: (-scores[j], j))

    def _terms(self, text: str, typing: bool = False) -> _Terms:
        """The query's words as search ids; `typing`: its last word may be a start (`_completions`), its
        completions sharing one word's weight."""
        tokens = tokenize(text, keep_stopwords=True)
        lang = language_of([tokens])
        sure = sum(lang in stop_word_languages(t) for t in tokens) >= 2  # the query shows its language
        kept = without_stopwords([tokens], lang)[0]
        ids_of = {t: self._ids_of(t, (sure and lang) or None) for t in dict.fromkeys(kept)}  # (once a token)
        started = kept[-1] if typing and kept and tokens and kept[-1] == tokens[-1] else None
        completed = self._completions(started) if started is not None and not ids_of[started] else []
        if completed:
            ids_of[started or ""] = completed
        known = [i for t in kept for i in ids_of[t]]
        missing = [t for t, found in ids_of.items() if not found]
        unknown = [t for t in missing if not stop_word_languages(t)]  # (`die`: German notes drop it)
        ignored = sorted(set(tokens) - set(kept) | _stop_letters(text) | set(missing) - set(unknown)
                         | _numbers(text))
        ids, counts = np.unique(np.asarray(known, dtype=np.int64), return_counts=True)
        q = (1 + np.log(counts)) * self.idf[ids] if ids.size else np.zeros(0)
        if len(completed) > 1:
            q = q / np.where(np.isin(ids, completed), len(completed), 1)
        q = q / (np.linalg.norm(q) or 1.0)
        words = list(dict.fromkeys(self.words[i] for found in ids_of.values() for i in found))
        cbow = np.asarray([i for i in known if i < self.V], dtype=np.int64)
        forms = {i: f for i in ids.tolist() if (f := self._forms_of(i, (sure and lang) or None))}
        return _Terms(ids, q, cbow, words, unknown, ignored, lang if sure else None, forms)

    def _did_you_mean(self, unknown: list[str]) -> dict[str, list[str]]:
        """Close words of the vocabulary (words seen `min_count` times: the rarer ones search knows hold the
        vault's own typos, `dendrong`) for a typed query's unknown words (`closenames.did_you_mean`), from
        the index's one table of them (`similar` asks it too)."""
        return did_you_mean(self.index.close_words, unknown) if unknown else {}

    def _ids_of(self, token: str, lang: str | None) -> list[int]:
        """The word ids a query token searches for: its own, else those of the vault's words it matches
        with accents aside (`unicode` finds `ünïcode`, `cafe` finds `café`), else its other forms in the
        vault (`tomato` finds `tomatoes` in a vault without `tomato`)."""
        if token in self.lookup:
            return [self.lookup[token]]
        found = self._unaccented.get(unaccented(token), [])
        return found or (self.forms.of(token, family(lang or self.main_lang)) if self.cfg.w_forms else [])

    def _forms_of(self, i: int, lang: str | None) -> list[int]:
        """The other forms of the query word i in the vault (`forms.WordForms`), in the query's language
        `lang` (its stop words'), else the word's own (the one it is most used in), else the vault's."""
        if lang is None and i < self.V and (languages := self.index.word_languages) is not None:
            lang = languages.of(i)
        return self.forms.of(self.words[i], family(lang or self.main_lang))

    def _completions(self, start: str) -> list[int]:
        """The ids of the vault's words that `start` begins (accents aside), the most used (lowest idf)
        first, at most `SearchConfig.completions`: a word being typed (`dou` while typing `dough`) was said to
        be in no note's text until it was typed out."""
        if len(start) < self.cfg.min_prefix:
            return []
        key = unaccented(start)
        at = bisect.bisect_left(self._sorted, (key, -1))
        found = []
        for word, i in itertools.islice(self._sorted, at, None):
            if not word.startswith(key):
                break
            found.append(i)
        return sorted(found, key=lambda i: (self.idf[i], i))[: self.cfg.completions]

    @functools.cached_property
    def _sorted(self) -> list[tuple[str, int]]:
        """The vault's words (accents aside) with their ids, in order (made at the first word completed)."""
        return sorted((unaccented(w), i) for i, w in enumerate(self.words))

    @functools.cached_property
    def _unaccented(self) -> dict[str, list[int]]:
        """The vault's words by their form with accents aside (made at the first word not found)."""
        return by_unaccented(self.words)

    def _phrase_ids(self, phrase: str) -> list[str] | None:
        """The phrase's tokens as the index has them; None when a word of it is in no note."""
        tokens = tokenize(phrase, keep_stopwords=True)
        kept = without_stopwords([tokens], language_of([tokens]))[0]
        return kept if all(t in self.lookup for t in kept) else None

    def _score(self, terms: _Terms, expanded: Expanded, allowed: np.ndarray | None,
               typed: bool = True) -> tuple[np.ndarray, dict[str, Any]]:
        """Each note's score [N] and the parts `_reasons` reads; `typed`: a query, not a draft (coverage)."""
        ids, w = expanded.ids, expanded.weights
        cfg = self.cfg
        rows = Rows.of(self.terms, ids)
        anchors, names = self._anchors(rows, ids), Rows.of(self.names, ids)
        scores = rows.total(w, self.N) + cfg.w_anchor * anchors.total(w, self.N) \
            + cfg.w_title * names.total(w, self.N)
        if allowed is not None:
            scores[~allowed] = 0.0
        if expanded.predicted:  # predicted words rank the notes the query reaches, they add none
            own = np.array([i not in expanded.predicted for i in ids.tolist()], dtype=bool)  # [k]
            scores[~(rows.notes_of(own, self.N) | anchors.notes_of(own, self.N)
                     | names.notes_of(own, self.N))] = 0.0
        cand = np.flatnonzero(scores > 0)
        fit = np.zeros(self.N)
        if cand.size and expanded.h is not None and cfg.w_dense:
            scores[cand] += cfg.w_dense * self._dense_at(cand, self._dense_query(terms))
        if cand.size and expanded.h is not None and self._fits(terms):
            fit = self._title_fit(expanded.h)  # [N]
            scores[cand] += cfg.w_title_fit * fit[cand]
        if cand.size and cfg.coverage and typed:
            scores[cand] *= self._coverage(terms, expanded, [rows, anchors, names], cand) ** cfg.coverage
        if self.multilingual and terms.lang is not None and cfg.w_language:
            code = self.lang_code.get(family(terms.lang), -1)
            scores[self.note_lang == code] *= 1 + cfg.w_language
        return scores, {"weight": dict(zip(ids.tolist(), w.tolist(), strict=True)),
                        "source": expanded.source, "predicted": expanded.predicted, "fit": fit,
                        "forms": expanded.forms,
                        "rows": rows, "anchors": anchors, "asked": terms.ids.size}

    def _anchors(self, rows: Rows, ids: np.ndarray) -> Rows:
        """The anchor rows of the words `ids`; for a word that at most `cfg.rare_notes` notes hold (`rows`:
        their postings), each note's anchor value cut to the word's best literal value. Anchor text is then
        weighed by `w_anchor` as before, so a note only named near a rare word ranks below the note that has
        it: `quokka`, written once at the end of a long note, in the paragraph that links three short ones,
        ranked the three first (the long note's unit TF-IDF row gives one word little; a short anchor row
        gives it much)."""
        anchors = Rows.of(self.anchors, ids)
        rare = np.diff(rows.start) <= self.cfg.rare_notes  # [k]
        return _at_most(anchors, np.where(rare, _peaks(rows), np.inf)) if rare.any() else anchors

    def _coverage(self, terms: _Terms, expanded: Expanded, held: list[Rows], cand: np.ndarray) -> np.ndarray:
        """[c] the share of the query the notes `cand` hold, in 0..1: the query's own words' squared weights
        in q (unit: they sum to 1) summed over the words a note has in its text, anchor text or title, or
        another form of them (`tomatoes` for `tomato`); a word it has only through a neighbour the word
        brought in (`kubernetes` for `k8s`) counts `cfg.coverage_neighbour` of its share; predicted words
        cover nothing. `held`: the postings rows of q'
        (text, anchors, titles)."""
        slot = np.full(self.N, -1, dtype=np.int64)
        slot[cand] = np.arange(cand.size)
        asked = dict(zip(terms.ids.tolist(), (terms.q**2).tolist(), strict=True))
        own = expanded.ids.tolist()
        out = np.zeros(cand.size)
        for w, share in asked.items():
            best = np.zeros(cand.size, dtype=np.float32)  # [c] the word's credit in each note
            for p in (p for p, x in enumerate(own) if x == w or expanded.source.get(x) == w):
                value = 1.0 if own[p] == w or own[p] in expanded.forms else self.cfg.coverage_neighbour
                for rows in held:
                    at = slot[rows.note[rows.start[p] : rows.start[p + 1]]]
                    at = at[at >= 0]
                    best[at] = np.maximum(best[at], value)
            out += share * best
        return out

    def _fits(self, terms: _Terms) -> bool:
        """Whether the title fit takes part: a query that is a context (`MIN_CONTEXT` reliable words or more,
        as for predicted words), in a vault of one language. A query of a word or two names what it wants:
        its words' associations put `Wikilinks` (fit 0.94) above the note titled `Links` (0.34) for the query
        `links`, and `Mulch` above `Compost` for `compost`. In the multilingual obsidian-help vault the fit
        cost link suggestion 0.049 recall@10 plain and 0.051 held-out (seed 1; every language's queries
        lost, English ones 0.044 of 366), also restricted to notes of the query's language (+0.003) or with
        h0 of the query's language (+0.015); its cause is not found (RESULTS.md, session 20)."""
        return bool(self.cfg.w_title_fit) and not self.multilingual \
            and self.expansion.is_context(terms.tokens)

    def _title_fit(self, h: np.ndarray) -> np.ndarray:
        """[N] how much better the context h [D] predicts each note's title words than an average context
        does: the mean over its title words w of sigmoid(h . u_w) - sigmoid(h0 . u_w), in -1..1. As a
        plain probability, titles of common words (whose u_w every context predicts) fitted every query."""
        lift = sigmoid(self.syn1_titles @ h) - self._title_prior  # [t]
        out = np.zeros(self.V, dtype=np.float32)
        out[self.title_words] = lift
        return np.asarray(self.titles @ out)

    @functools.cached_property
    def _title_prior(self) -> np.ndarray:
        """[t] sigmoid(h0 . u_w) of the title words, h0 the mean input vector of the vocabulary: how
        strongly an average context predicts each (made at the first query with CBOW words)."""
        return sigmoid(self.syn1_titles @ self.expansion.h0)

    def _dense_at(self, cand: np.ndarray, q: np.ndarray) -> np.ndarray:
        """[c] cosines of the notes `cand` to the query's dense row q [D]: the product with every row when
        many are asked for (gathering 90k rows of 100k took 27-128 ms, the whole product 3-11 ms)."""
        if 4 * cand.size < self.N:
            return self.dense[cand] @ q
        return (self.dense @ q)[cand]

    def _dense_query(self, terms: _Terms) -> np.ndarray:
        """[D] the query's dense row, made as the notes' are (searchdata.SearchData.add_dense)."""
        inside = terms.ids < self.V
        u = np.asarray(self.syn1neg[terms.ids[inside]], dtype=np.float64)  # [k, D]
        u /= np.maximum(np.linalg.norm(u, axis=1, keepdims=True), 1e-12)
        v = terms.q[inside] @ u
        v = v / (np.linalg.norm(v) or 1.0) - self.dense_mean
        return (v / (np.linalg.norm(v) or 1.0)).astype(np.float32)

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
    def _hit(self, j: int, score: float, terms: _Terms, reason: tuple[Because, dict[str, float]] | None,
             snippets: bool, phrases: Sequence[list[str] | None]) -> Hit:
        note = self.index.notes[j]
        because, weights = reason or (Because(), {})
        weights = weights or {w: 1.0 for w in terms.words}
        snip = read_snippet(self.vault, note.path, self.index.max_file_bytes(), weights,
                            [p for p in phrases if p], alias_first=self._alias_first) if snippets else None
        return Hit(note.path, note.title, round(score, 4), snip, because)

    def _reasons(self, order: list[int], terms: _Terms, parts: dict[str, Any]
                 ) -> dict[int, tuple[Because, dict[str, float]]]:
        """`_because` of each ranked note, from the postings rows the scoring read."""
        if not order:
            return {}
        has, named = parts["rows"].holding(order, self.N), parts["anchors"].holding(order, self.N)
        weight = list(parts["weight"].items())  # (word, weight in q'), in the order of the rows
        return {j: self._because(j, terms, parts, [weight[p] for p in has[i].tolist()],
                                 [weight[p][0] for p in named[i].tolist() if p < parts["asked"]])
                for i, j in enumerate(order)}

    def _because(self, j: int, terms: _Terms, parts: dict[str, Any], held: list[tuple[int, float]],
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


def _peaks(rows: Rows) -> np.ndarray:
    """[k] each word's largest value in its rows (0 for a word no note holds)."""
    out = np.zeros(rows.start.size - 1, dtype=np.float32)
    has = np.diff(rows.start) > 0
    if has.any():
        out[has] = np.maximum.reduceat(rows.value, rows.start[:-1][has])
    return out


def _at_most(rows: Rows, limit: np.ndarray) -> Rows:
    """`rows` with each word's values at most its `limit` [k]."""
    cap = np.repeat(limit.astype(np.float32), np.diff(rows.start))
    return Rows(rows.start, rows.note, np.minimum(rows.value, cap))


_LETTER = re.compile(r"(?<![\w'’])\w(?![\w'’])")


def _stop_letters(text: str) -> set[str]:
    """The query's one-letter stop words (`a`, `I`): the tokenizer drops every one-letter word before stop
    words are, so a query `a` had no word left out to say, and the app said no reason at all."""
    return {c for c in map(str.casefold, _LETTER.findall(text)) if stop_word_languages(c)}


def _numbers(text: str) -> set[str]:
    """The query's numbers, ids and quantities (`2022`, `10kg`): the tokenizer drops them from the notes'
    words, so search has none to find; they are said to be left out (`ignored`), not dropped silently."""
    return {t for t in tokenize(text, keep_stopwords=True, numbers=True) if is_number(t)}


def _has_phrase(tokens: str, phrase: Sequence[str]) -> bool:
    """Whether a note's stored tokens (paragraphs on lines) contain the phrase's tokens in order."""
    needle = f" {' '.join(phrase)} "
    return any(needle in f" {line} " for line in tokens.split("\n"))

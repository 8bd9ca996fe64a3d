"""A note's score for a query, a part of `Searcher`: one score per note, a sum of parts (weights in
`config.SearchConfig`):

    q'     = unit(q + beta * unit(q K) + gamma * unit(p) + f)
                                               q: the query's TF-IDF [S]; K: each word's CBOW neighbours
                                               (a typed query's only, not a draft's);
                                               p: the words it predicts as CBOW's context (`expansion`;
                                               both in the query's language in a vault of several);
                                               f: each word's other forms in the vault (`forms`:
                                               `tomatoes` for `tomato`) at w_forms times its weight
    lex    = X q'                              X: the notes' TF-IDF rows [N, S] (postings, word-major)
    anchor = A q'                              A: words other notes write around each note's name [N, S],
                                               a rare word's at most its best value in X (`rare_notes`)
    title  = T q'                              T: the notes' title and alias words, idf-weighted [N, S]
    dense  = cos(unit(q U) - m, D_n)           U: unit CBOW output vectors; D: the notes' dense rows
    fit    = mean over title words w of sigmoid(h . u_w) - sigmoid(h0 . u_w), 0 for the query's own
             words and their forms (the title field has those)
             h: mean of the query words' input vectors; h0: of the vocabulary's (an average context)
    cover  = sum over the query's own words w of q_w^2 [the note holds w]      (0..1: q is unit)
             held: in its text, anchor text or title, or a form of w; through a neighbour, at a part
    base   = lex + w_a anchor + w_t title
    score  = (base + [base > 0] (w_d dense + w_f fit)) * cover^c * (1 + w_l [same language])
             fit only for a query of `expansion.MIN_CONTEXT` reliable words or more, in a vault of one
             language (`Searcher._fits`); cover only for a query, not a draft (`syntax=False`: a draft's
             words are its context, no list of what a note must hold); notes whose name the query is come
             first (`search.Searcher._named_as`)

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

import functools
from typing import Any

import numpy as np
import scipy.sparse as sp

from notelink.config import SearchConfig
from notelink.notes.stopwords import family
from notelink.query.expansion import Expanded, Expansion, sigmoid
from notelink.query.postings import Rows
from notelink.query.terms import Terms


class Scoring:
    """A note's score for a query, a part of `Searcher` (its postings, title rows and vectors)."""

    cfg: SearchConfig
    N: int
    V: int
    terms: tuple[np.ndarray, np.ndarray, np.ndarray]
    anchors: tuple[np.ndarray, np.ndarray, np.ndarray]
    names: tuple[np.ndarray, np.ndarray, np.ndarray]
    titles: sp.csr_matrix
    title_words: np.ndarray
    syn1neg: np.ndarray
    syn1_titles: np.ndarray
    dense: np.ndarray
    dense_mean: np.ndarray
    expansion: Expansion
    multilingual: bool
    lang_code: dict[str, int]
    note_lang: np.ndarray

    def _score(self, terms: Terms, expanded: Expanded, allowed: np.ndarray | None,
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
            fit = self._title_fit(expanded.h, _asked(terms, expanded))  # [N]
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

    def _coverage(self, terms: Terms, expanded: Expanded, held: list[Rows], cand: np.ndarray) -> np.ndarray:
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

    def _fits(self, terms: Terms) -> bool:
        """Whether the title fit takes part: a query that is a context (`MIN_CONTEXT` reliable words or more,
        as for predicted words), in a vault of one language. A query of a word or two names what it wants:
        its words' associations put `Wikilinks` (fit 0.94) above the note titled `Links` (0.34) for the query
        `links`, and `Mulch` above `Compost` for `compost`. In the multilingual obsidian-help vault the fit
        cost link suggestion 0.049 recall@10 plain and 0.051 held-out (seed 1; every language's queries
        lost, English ones 0.044 of 366), also restricted to notes of the query's language (+0.003) or with
        h0 of the query's language (+0.015); its cause is not found (RESULTS.md, session 20)."""
        return bool(self.cfg.w_title_fit) and not self.multilingual \
            and self.expansion.is_context(terms.tokens)

    def _title_fit(self, h: np.ndarray, asked: np.ndarray | None = None) -> np.ndarray:
        """[N] how much better the context h [D] predicts each note's title words than an average context
        does: the mean over its title words w of sigmoid(h . u_w) - sigmoid(h0 . u_w), in -1..1. As a
        plain probability, titles of common words (whose u_w every context predicts) fitted every query.
        The words `asked` [k] (the query's own and their forms, CBOW ids) count 0: a context predicts its
        own words (lift 0.26-0.37 on average over link-suggestion drafts, -0.02..0.01 other title words), so
        their fit was the title field (`w_title`) again, up to 0.9 a note, and it pushed out the note the
        draft links, whose name is not in it; as the predicted words leave out the query's own
        (RESULTS.md, session 24: the title fit in other languages)."""
        lift = sigmoid(self.syn1_titles @ h) - self._title_prior  # [t]
        out = np.zeros(self.V, dtype=np.float32)
        out[self.title_words] = lift
        if asked is not None:
            out[asked[asked < self.V]] = 0.0
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

    def _dense_query(self, terms: Terms) -> np.ndarray:
        """[D] the query's dense row, made as the notes' are (searchdata.SearchData.add_dense)."""
        inside = terms.ids < self.V
        u = np.asarray(self.syn1neg[terms.ids[inside]], dtype=np.float64)  # [k, D]
        u /= np.maximum(np.linalg.norm(u, axis=1, keepdims=True), 1e-12)
        v = terms.q[inside] @ u
        v = v / (np.linalg.norm(v) or 1.0) - self.dense_mean
        return (v / (np.linalg.norm(v) or 1.0)).astype(np.float32)


def _asked(terms: Terms, expanded: Expanded) -> np.ndarray:
    """[k] the query's own words and their forms brought in (`tomatoes` for `tomato`), as ids."""
    return np.unique(np.concatenate([terms.tokens, terms.ids, np.fromiter(expanded.forms, dtype=np.int64)]))


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

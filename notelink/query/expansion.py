"""A search query's CBOW expansion: the words the vault's model brings in next to the query's own.

Two kinds, summed into one query vector (`search.Searcher`, weights in `config.SearchConfig`):

    q'  = unit(q + beta * unit(q K) + gamma * unit(p))

- neighbours (`expand_beta`): each query word w brings its `expand_k` nearest words (cosine of input
  vectors less their mean), weighted by w's share of q: `k8s` brings `kubernetes` where the vault writes
  them alike. A typed query's only: a draft's words are its context, whose missing words the predicted
  words bring, and a draft's neighbours (39-55 for 13-15 words) match a little in every note of its topic
  (link suggestion without them, seeds 1-3, plain / held-out: `en` +0.009 / +0.001 recall@10,
  dendron-site +0.010 / +0.005, `de` +0.004 / -0.002, `it` -0.001 / +0.001; RESULTS.md, session 25);
- predicted words (`predict_beta`): the `predict_k` words the query as a whole predicts best as CBOW's
  context, by lift: p_w = sigmoid(h . u_w) - sigmoid(h0 . u_w) > 0, h the mean input vector of the query's
  words, h0 the vocabulary's (an average context), u_w the output vectors. This is the question CBOW was
  trained on (which word is missing from this context?), asked of a draft whose link text is not written
  yet: the word the author would link tends to be among those predicted.

Only words seen `RELIABLE_COUNT` times or more are brought in, as `similar` lists only those: rarer words'
vectors have no reproducible neighbours. Words are predicted only from a context of `MIN_CONTEXT` such
words or more, and they rank the notes the query reaches without them (`search.Searcher._score`), never
bring a note of their own.

In a vault of several languages, only words of the query's language come in (`languages.WordLanguages`,
the table `similar` uses): a query word's neighbours are words used in that word's language, as `similar`
lists them, and the predicted words are words used in the query's language: the one its stop words show
(`terms.Terms.lang`) when some notes are in it, else the one its reliable words are most used in. A
German draft brought in English and Japanese words (the model's vectors of a name used across languages
sit near each language's words). In a vault of one language nothing is left out.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from notelink.config import NoteVectorConfig, SearchConfig
from notelink.query.index import Index
from notelink.query.languages import WordLanguages
from notelink.query.words import RELIABLE_COUNT

MIN_CONTEXT = 3
"""Reliable tokens a query needs for its words to be predicted: CBOW learned from windows of words, and a
query of a word or two is that word's associations, which its neighbours (`expand_beta`) bring already.
A search of one common word put notes of its predicted words above notes with the word (top hit holding
the word 56 of 60 words seen 10-30 times in obsidian-help, against 58 without prediction)."""


class Expanded(NamedTuple):
    """q' as word ids [k] and unit weights [k], and why each word not asked for is in it."""

    ids: np.ndarray
    weights: np.ndarray
    source: dict[int, int]
    """A word brought in as a neighbour -> the query word that brought it most (`kubernetes ← k8s`)."""
    predicted: set[int]
    """The words brought in as predicted by the query as a whole (and not as a neighbour too)."""
    h: np.ndarray | None
    """[D] the query's context: the mean input vector of its tokens in the vocabulary (None without any),
    which also predicts the notes' titles (`search.Searcher._title_fit`)."""
    forms: set[int]
    """The words brought in as another form of a query word (`tomatoes ← tomato`; in `source` too)."""


class Expansion:
    """Brings words into a query from one index's vectors (`syn0` input, `syn1neg` output, [V, D])."""

    def __init__(self, index: Index, cfg: SearchConfig, syn0: np.ndarray, syn1neg: np.ndarray) -> None:
        self.index, self.cfg, self.syn0, self.syn1neg = index, cfg, syn0, syn1neg
        self.head = min(syn0.shape[0], NoteVectorConfig().expand_vocab)  # words that take part
        self._near: dict[int, tuple[list[int], list[float]]] = {}  # word -> its neighbours, as asked for

    def expand(self, ids: np.ndarray, q: np.ndarray, tokens: np.ndarray, lang: str | None = None,
               forms: Mapping[int, list[int]] | None = None, w_forms: float = 0.0,
               typed: bool = True) -> Expanded:
        """q' for the query words `ids` [k] of unit weights `q` [k]; `tokens` [n] its tokens' vocabulary ids
        (repeats counted), whose reliable ones are the context that predicts words; `lang` the language the
        query's stop words show (None when they show none); `forms`: a query word's other forms, each
        brought in at `w_forms` times the word's weight in q (none of the query's own words); `typed`: a
        query, not a draft (only a query brings neighbours)."""
        weight = dict(zip(ids.tolist(), q.tolist(), strict=True))
        best: dict[int, tuple[float, int]] = {}  # word brought in -> (largest share, query word)
        predicted: dict[int, float] = {}
        if self.cfg.expand_beta and typed:
            self._add(weight, self._spread(weight, best), self.cfg.expand_beta)
        h = np.asarray(self.syn0[tokens], dtype=np.float32).mean(axis=0) if tokens.size else None  # [D]
        if self.cfg.predict_beta and h is not None and self.is_context(tokens):
            predicted = self._predicted(h, ids, self._query_language(lang, tokens))
            self._add(weight, predicted, self.cfg.predict_beta)
        asked = dict(zip(ids.tolist(), q.tolist(), strict=True))
        source = {e: w for e, (_, w) in best.items() if e not in asked}
        brought = self._forms(weight, forms or {}, w_forms, asked, source)
        out = np.fromiter(weight, dtype=np.int64, count=len(weight))
        vals = np.fromiter(weight.values(), dtype=np.float64, count=len(weight))
        return Expanded(out, vals / (np.linalg.norm(vals) or 1.0), source, set(predicted) - set(source), h,
                        brought)

    @staticmethod
    def _forms(weight: dict[int, float], forms: Mapping[int, list[int]], w_forms: float,
               asked: dict[int, float], source: dict[int, int]) -> set[int]:
        """Brings each query word's other forms into `weight` at `w_forms` times the word's weight in q
        (`asked`), or what the form has already if more (a neighbour too), in place; `source` records the
        query word (the one that gives it most). The forms brought."""
        brought: set[int] = set()
        for w, found in forms.items() if w_forms else ():
            share = w_forms * asked[w]
            for f in found:
                if f in asked or (f in brought and share <= weight[f]):
                    continue
                weight[f], source[f] = max(weight.get(f, 0.0), share), w
                brought.add(f)
        return brought

    @staticmethod
    def _add(weight: dict[int, float], extra: dict[int, float], beta: float) -> None:
        """weight += beta * unit(extra), in place."""
        norm = float(np.sqrt(sum(v * v for v in extra.values()))) or 1.0
        for e, v in extra.items():
            weight[e] = weight.get(e, 0.0) + beta * v / norm

    def _spread(self, weight: dict[int, float], best: dict[int, tuple[float, int]]) -> dict[int, float]:
        """q K: each query word's neighbours at the word's weight times their cosine; `best` records
        which query word brought each in most."""
        spread: dict[int, float] = {}
        for w, near, cos in self.neighbours([w for w in weight if w < self.head]):
            for e, c in zip(near, cos, strict=True):
                spread[e] = spread.get(e, 0.0) + weight[w] * c
                if weight[w] * c > best.get(e, (0.0, -1))[0]:
                    best[e] = (weight[w] * c, w)
        return spread

    def is_context(self, tokens: np.ndarray) -> bool:
        """Whether a query of these tokens predicts words: at least `MIN_CONTEXT` of them are words seen
        often enough to trust (`similar`'s rule). A query of one rare word filled its results with notes
        it seemed to predict (`rigmarole`, seen 5 times: notes on Apple's Journal app). Rare words still
        count in a longer draft's h: left out, link suggestion on `de` lost 0.005 recall@10 plain and
        held-out (RESULTS.md, session 19)."""
        return int(np.count_nonzero(tokens < self._reliable)) >= MIN_CONTEXT

    def _predicted(self, h: np.ndarray, ids: np.ndarray, language: str | None) -> dict[int, float]:
        """p: the `predict_k` reliable words (not the query's, and used in the query's `language` when it
        has one) with the largest positive lift for context h [D]. No one query word brings them in
        (`because` says `predicted`, not `word ← query word`)."""
        U = self._outputs  # [r, D]
        k = min(self.cfg.predict_k, U.shape[0])
        if k <= 0:
            return {}
        lift = sigmoid(U @ h) - self._prior  # [r]
        lift[ids[ids < U.shape[0]]] = -np.inf
        if language is not None and self._languages is not None:
            lift[~self._languages.used_in(language)[: U.shape[0]]] = -np.inf
        top = np.argpartition(-lift, k - 1)[:k]
        top = top[lift[top] > 0]
        return dict(zip(top.tolist(), lift[top].astype(np.float64).tolist(), strict=True))

    def _query_language(self, lang: str | None, tokens: np.ndarray) -> str | None:
        """The query's language in a vault of several: `lang` (its stop words') when some notes are in it,
        else the one its reliable tokens are most used in; None in a vault of one language."""
        languages = self._languages
        if languages is None:
            return None
        reliable = tokens[tokens < self._reliable]
        return languages.family_of(lang) or (languages.of_words(reliable) if reliable.size else None)

    @functools.cached_property
    def _languages(self) -> WordLanguages | None:
        """The languages each word is used in, in a vault of several (the index's table, as `similar`'s)."""
        return self.index.word_languages

    @functools.cached_property
    def _reliable(self) -> int:
        """How many words are seen `RELIABLE_COUNT` times or more: ids are by descending count, so these
        are the words 0..reliable - 1."""
        (reliable,) = self.index.db.execute("SELECT COUNT(*) FROM vocab WHERE count >= ?",
                                            (RELIABLE_COUNT,)).fetchone()
        return int(reliable)

    @functools.cached_property
    def _outputs(self) -> np.ndarray:
        """[r, D] output vectors of the reliable words among the `head`."""
        return np.asarray(self.syn1neg[: min(self.head, self._reliable)], dtype=np.float32)

    @functools.cached_property
    def _prior(self) -> np.ndarray:
        """[r] sigmoid(h0 . u_w): how strongly an average context predicts each reliable word (made at the
        first query)."""
        return sigmoid(self._outputs @ self.h0)

    @functools.cached_property
    def h0(self) -> np.ndarray:
        """[D] the mean input vector of the vocabulary: an average context (the title fit's too)."""
        return np.asarray(self.syn0, dtype=np.float64).mean(axis=0).astype(np.float32)

    def neighbours(self, ids: list[int]) -> list[tuple[int, list[int], list[float]]]:
        """(word, its `expand_k` nearest words, their cosines > 0) for words among the `head` most frequent:
        input vectors less their mean (`Index.word_vecs`), which measured better here than the output
        vectors' graph that note vectors use (held-out link suggestion +0.015 recall@10 on obsidian-help
        and dendron-site, level on the whole multilingual vault; RESULTS.md, session 8). Each word's are
        kept once found: a batch of drafts asks for the same words again and again. In a vault of several
        languages they are words used in the word's own language, as `similar`'s. A word seen fewer than
        `RELIABLE_COUNT` times brings none in: `similar` says its vector is too rare to trust, and its
        neighbours were visibly wrong in `because` (link suggestion, 3 seeds: en -0.002 recall@10, held-out
        -0.005; dendron-site -0.008 / -0.015, 1-2 of its 134 queries; RESULTS.md, session 13)."""
        k = min(self.cfg.expand_k, self.head - 1)
        if not ids or k <= 0:
            return []
        asked = [w for w in dict.fromkeys(ids) if w not in self._near]
        for w, count in self.index.counts_of(asked).items() if asked else ():
            if count < RELIABLE_COUNT:
                self._near[w] = ([], [])
        todo = list(dict.fromkeys(w for w in ids if w not in self._near))
        if todo:
            E = self.index.word_vecs  # [V, D]
            sims = np.asarray(E[todo]) @ np.asarray(E[: self.head]).T  # [n, head]
            sims[np.arange(len(todo)), todo] = -np.inf
            self._same_language(sims, todo)
            near = np.argpartition(-sims, k - 1, axis=1)[:, :k]  # [n, expand_k]
            for row, w in enumerate(todo):
                cos = sims[row, near[row]]
                keep = cos > 0
                self._near[w] = (near[row][keep].tolist(), cos[keep].tolist())
        return [(w, *self._near[w]) for w in ids]

    def _same_language(self, sims: np.ndarray, todo: list[int]) -> None:
        """Rules out of each word's row of `sims` [n, head] the words not used in its language, in place
        (in a vault of several languages)."""
        if self._languages is None:
            return
        for row, w in enumerate(todo):
            sims[row, ~self._languages.used_in(self._languages.of(w))[: self.head]] = -np.inf


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function, float32, without overflow warnings."""
    return (1 / (1 + np.exp(-np.clip(x, -30, 30)))).astype(np.float32)

"""A query's terms, a part of `Searcher`: its words as search ids with their unit TF-IDF weights (`Terms`),
each word found as typed, with accents aside, or as another form of it in the vault, a word being typed
completed, and the words it could not search for (unknown, or left out: stop words, numbers)."""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from notelink.config import SearchConfig
from notelink.notes.stopwords import family, language_of, stop_word_languages, without_stopwords
from notelink.notes.tokenizer import is_number, tokenize
from notelink.query.accents import by_unaccented, unaccented
from notelink.query.closenames import did_you_mean
from notelink.query.forms import WordForms
from notelink.query.index import Index


@dataclass
class Terms:
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


class QueryTerms:
    """A query's terms, a part of `Searcher` (its index, config, vocabulary and word forms)."""

    index: Index
    cfg: SearchConfig
    V: int
    words: list[str]
    lookup: dict[str, int]
    idf: np.ndarray
    forms: WordForms
    main_lang: str

    def _terms(self, text: str, typing: bool = False) -> Terms:
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
        return Terms(ids, q, cbow, words, _as_typed(unknown, text), ignored, lang if sure else None, forms)

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


def _as_typed(unknown: list[str], text: str) -> list[str]:
    """The unknown tokens as the query says them. A run of Chinese or Japanese is searched as its
    bigrams (`日本語`: `日本`, `本語`): a run none of whose bigrams a note has is said as typed, and a
    bigram between two found ones is no word typed, so not said (`階練` of `音階練習`, whose `音階` and
    `練習` were found)."""
    if not any(map(_wide, unknown)):  # (most queries: no word of such a run unknown, no words read again)
        return unknown
    missing, out = set(unknown), list(unknown)
    for chain in (c for word in text.split() for c in _chains(tokenize(word, keep_stopwords=True))):
        if missing.issuperset(chain):
            at = [k for k, t in enumerate(out) if t in chain]
            out = [t for t in out if t not in chain]
            out.insert(at[0] if at else len(out), chain[0] + "".join(gram[1] for gram in chain[1:]))
        else:
            out = [t for t in out if not _seam(t, chain, missing)]
    return list(dict.fromkeys(out))


def _seam(gram: str, chain: list[str], missing: set[str]) -> bool:
    """Whether `gram` is in `chain` between two bigrams that are not missing."""
    return any(0 < i < len(chain) - 1 and chain[i - 1] not in missing and chain[i + 1] not in missing
               for i, g in enumerate(chain) if g == gram)


def _chains(tokens: list[str]) -> list[list[str]]:
    """The runs of two or more bigrams of wide (Chinese, Japanese) characters that overlap as a run's
    bigrams do (`日本`, `本語`: `本`)."""
    out: list[list[str]] = []
    for token in tokens:
        wide = _wide(token)
        if wide and out and out[-1] and out[-1][-1][1] == token[0]:
            out[-1].append(token)
        else:
            out.append([token] if wide else [])
    return [chain for chain in out if len(chain) > 1]


def _wide(token: str) -> bool:
    """Whether the token is a bigram of wide (Chinese, Japanese) characters."""
    return len(token) == 2 and all(unicodedata.east_asian_width(c) in "WF" for c in token)


_LETTER = re.compile(r"(?<![\w'’])\w(?![\w'’])")


def _stop_letters(text: str) -> set[str]:
    """The query's one-letter stop words (`a`, `I`): the tokenizer drops every one-letter word before stop
    words are, so a query `a` had no word left out to say, and the app said no reason at all."""
    return {c for c in map(str.casefold, _LETTER.findall(text)) if stop_word_languages(c)}


def _numbers(text: str) -> set[str]:
    """The query's numbers, ids and quantities (`2022`, `10kg`): the tokenizer drops them from the notes'
    words, so search has none to find; they are said to be left out (`ignored`), not dropped silently."""
    return {t for t in tokenize(text, keep_stopwords=True, numbers=True) if is_number(t)}

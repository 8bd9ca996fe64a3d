"""The word questions of `Index`: a word's row (accents aside, stop words and rare words said so) and its
similar words, each with its count, in its own language in a vault of several (`languages`)."""

from __future__ import annotations

import functools
import sqlite3
import string
import unicodedata
from typing import Any

import numpy as np

from notelink.errors import NotFound, echoed
from notelink.index.layout import Layout
from notelink.notes.stopwords import main_languages, stop_word_languages
from notelink.notes.tokenizer import tokenize
from notelink.query.accents import by_unaccented, unaccented
from notelink.query.answers import Neighbour, SimilarWords
from notelink.query.closenames import CloseNames
from notelink.query.languages import WordLanguages

RELIABLE_COUNT = 10
"""Occurrences from which a word's vector has reproducible neighbours: below it `similar` says the word is
too rare instead of listing neighbours, and leaves such words out of other words' neighbours. Measured
as overlap@10 of a word's neighbours between two training seeds, by count (benchmarks/train_grid.py
overlap; RESULTS-speed.md, issue 17)."""


class WordQuestions:
    """The word questions of `Index` (a part of it: the index's vocabulary, counts, vectors and database)."""

    layout: Layout
    db: sqlite3.Connection
    meta: dict[str, Any]

    # (read by `Index` from its generation when first asked for)
    @property
    def words(self) -> list[str]:
        """The vocabulary, by row."""
        raise NotImplementedError

    @property
    def word_index(self) -> dict[str, int]:
        """Each word's row."""
        raise NotImplementedError

    @property
    def word_counts(self) -> np.ndarray:
        """[V] each word's occurrences."""
        raise NotImplementedError

    @property
    def word_vecs(self) -> np.ndarray:
        """[V, D] unit word vectors."""
        raise NotImplementedError

    @property
    def search_words(self) -> list[str]:
        """The words search knows besides the vocabulary (rarer ones)."""
        raise NotImplementedError

    def languages(self) -> dict[str, int]:
        raise NotImplementedError

    def word_id(self, word: str) -> int:
        """The word's row; NotFound for a word the notes do not use, a stop word (of any language, or of a
        main language of the vault though other notes keep it: `stopwords.main_languages`), or a rare one.
        A word the notes do not have as typed is the one they have with accents aside (`word_read_as`); of
        several such, NotFound lists them."""
        key = self.word_read_as(word)
        stop = stop_word_languages(key)
        if key not in self.word_index or (stop and main_languages(self.languages()).intersection(stop)):
            why = (f"{key!r} is a stop word ({', '.join(stop[:5])}): notelink leaves those out of training, "
                   "as they say little about a note") if stop else self._too_rare(key)
            close = [] if why else self.close_words.matches(key, 5, 0.6)
            if why and (said := read_as_said(word, key)):
                why = f"{said}; {why}"
            raise NotFound("word", word, close, why)  # (a stop word or a rare word was meant: no look-alikes)
        return self.word_index[key]

    def word_read_as(self, word: str) -> str:
        """The vault's word that `word` means: itself (lowercase) when the notes have it, else the one word
        they have that it is with accents aside (`cafe`: `café`; a rare one too, which `word_id` then says
        is rare); NotFound naming them when it is several, so that the user picks one."""
        key = unicodedata.normalize("NFKC", word.lower())  # (as the tokenizer keeps words)
        if key in self.word_index or key in self._rarer:
            return key
        key = _one_token(word) or key  # (`bread,` as pasted from a note: `bread`)
        if key in self.word_index or key in self._rarer:
            return key
        accented = {self.words[i] for i in self._by_unaccented.get(unaccented(key), [])} or \
            {self.search_words[i] for i in self._rare_by_unaccented.get(unaccented(key), [])}
        if len(accented) > 1:
            listed = sorted(accented)
            raise NotFound("word", word, listed, f"{echoed(word)!r} is, with accents aside, "
                           f"{len(listed)} words of the vault: {', '.join(listed[:10])}; give one of them")
        return accented.pop() if accented else key

    @functools.cached_property
    def close_words(self) -> CloseNames:
        """The vocabulary, asked for the words close to one it does not have (`similar`'s look-alikes,
        search's "did you mean"): made once, at the first such word (0.1 s at obsidian-help's 41k words)."""
        return CloseNames(self.words)

    @functools.cached_property
    def _by_unaccented(self) -> dict[str, list[int]]:
        return by_unaccented(self.words)

    @functools.cached_property
    def _rarer(self) -> frozenset[str]:
        """The words search knows that have no vector (too rare, or only in repeated paragraphs)."""
        return frozenset(self.search_words)

    @functools.cached_property
    def _rare_by_unaccented(self) -> dict[str, list[int]]:
        """The words without a vector (their place in `search_words`), by their form with accents aside."""
        return by_unaccented(self.search_words)

    def _too_rare(self, key: str) -> str | None:
        """Why a word the notes use has no vector (one of the words the search keeps besides the
        vocabulary); None for a word the notes do not use."""
        if key not in self._rarer:
            return None
        least = self.meta.get("config", {}).get("train", {}).get("min_count", "--min-count")
        return (f"{key!r} has no word vector: it occurs in the notes fewer than {least} times (--min-count), "
                "or only in paragraphs repeated across many notes (left out of training); search finds it")

    def similar(self, word: str, top: int = 10) -> list[Neighbour]:
        """Words closest (cosine) to a word; none for a word too rare to say (`similar_words`)."""
        return self.similar_words(word, top).similar

    def similar_words(self, word: str, top: int = 10) -> SimilarWords:
        """The `top` words closest (cosine of word vectors) to a word, each with how often it occurs. Only
        words seen at least `RELIABLE_COUNT` times take part: a rarer word gets no neighbours (its vector
        is mostly its random start and the few contexts it had) and is said to be rare. In a vault of
        several languages the neighbours are words of the word's own language (`languages.LANGUAGE_SHARE`)."""
        i = self.word_id(word)
        counts = self.word_counts
        language, same = self._language_of(i)
        warning = read_as_said(word, self.words[i])
        if counts[i] < RELIABLE_COUNT:
            return SimilarWords(self.words[i], int(counts[i]), False, language, [], TOO_RARE, warning)
        scores = self.word_vecs @ self.word_vecs[i]  # [V]
        scores[i] = -np.inf
        scores[counts < RELIABLE_COUNT] = -np.inf
        if same is not None:
            scores[~same] = -np.inf
        near = top_scores(scores, top)
        hits = [Neighbour(self.words[j], round(float(scores[j]), 4), int(counts[j])) for j in near]
        why = "" if hits else _no_neighbours(int(np.isfinite(scores).sum()), language)
        return SimilarWords(self.words[i], int(counts[i]), True, language, hits, why, warning)

    def _language_of(self, i: int) -> tuple[str, np.ndarray | None]:
        """Word i's language and which words are used in it [V] bool, in a vault of several languages;
        ("", None) otherwise."""
        if self.word_languages is None:
            return "", None
        language = self.word_languages.of(i)
        return language, self.word_languages.used_in(language)

    @functools.cached_property
    def word_languages(self) -> WordLanguages | None:
        """In a vault of several languages (the note vectors have a language part): the languages each word
        is used in, counted once; else None."""
        return WordLanguages.count(self.db, self.word_index) if self.layout.languages else None


def read_as_said(typed: str, word: str) -> str:
    """Says that `typed` was read as the vault's `word`, accents aside (`word_read_as`); "" when it is it
    (punctuation around it aside)."""
    same = (unicodedata.normalize("NFKC", typed.lower()), _one_token(typed))
    if unicodedata.normalize("NFKC", word) in same:
        return ""  # (the word itself, typed decomposed too)
    return f"{echoed(typed)!r} read as {word!r}: the vault's one word that it is with accents aside"


def _one_token(typed: str) -> str | None:
    """The word `typed` is with punctuation around it left out (`bread` for `bread,` or `"bread"`), when the
    tokenizer reads it so; else None (`e-mail` reads as `mail`, a one-letter part dropped: not the same)."""
    words = tokenize(typed, keep_stopwords=True, numbers=True)
    bare = unicodedata.normalize("NFKC", typed.strip(_AROUND).lower())
    return words[0] if words == [bare] else None


_AROUND = string.punctuation + string.whitespace + "“”‘’«»„¿¡…"


TOO_RARE = f"too rare to say: similar words are reliable from {RELIABLE_COUNT} occurrences on"


def _no_neighbours(compared: int, language: str) -> str:
    """Why a frequent word has no similar words: no other word is frequent enough to be compared with it,
    or none of the `compared` ones is used like it (`_top` keeps positive cosines only)."""
    among = f" among the {language} words" if language else ""
    if not compared:
        return (f"no other word is seen {RELIABLE_COUNT} times or more{among} in this vault, and rarer words "
                "are nobody's neighbours: the vault is too small to say yet")
    return (f"no word seen {RELIABLE_COUNT} times or more is used like it: its cosine with each of the "
            f"{compared} such words{among} is 0 or below")


def top_scores(scores: np.ndarray, k: int) -> list[int]:
    """Indices of the k best positive scores, best first (ties by index, for stable output): one pass to
    find the candidates, then a partial sort of those only (at 100k notes, 256-357 us against 596-631 for
    masking to -inf and then finding the finite ones; RESULTS.md, session 7)."""
    candidates = np.flatnonzero(scores > 0)
    if candidates.size == 0 or k <= 0:
        return []
    k = min(k, candidates.size)
    part = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
    return sorted(part.tolist(), key=lambda j: (-scores[j], j))

"""The languages a vault's words are used in, in a vault of several: `similar` lists a word's neighbours in
its own language, and search brings into a query only words of the query word's or the query's language
(`expansion`). One table, counted once per index (`WordQuestions.word_languages`), serves both."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

import numpy as np

from notelink.notes.stopwords import family

LANGUAGE_SHARE = 0.25
"""In a vault of several languages, a word is used in language L when at least this share of its
occurrences are in notes of L: the word's own language, or a name used across languages. `similar` and a
query word's neighbours keep such words only; so do a query's predicted words, for the query's language."""


class WordLanguages:
    """Each word's share of its occurrences in notes of each language family: `names` [F], `share` [V, F]."""

    def __init__(self, names: list[str], share: np.ndarray) -> None:
        self.names, self.share = names, share
        self._used: dict[str, np.ndarray] = {}  # language -> `used_in`, as asked for

    @classmethod
    def count(cls, db: sqlite3.Connection, word_index: Mapping[str, int]) -> WordLanguages:
        """Counted from the notes' stored tokens and languages (0.2 s for the 2,300 notes of
        obsidian-help)."""
        counts: dict[str, np.ndarray] = {}
        V = len(word_index)
        for lang, tokens in db.execute("SELECT lang, tokens FROM notes"):
            ids = [j for t in tokens.split() if (j := word_index.get(t)) is not None]
            np.add.at(counts.setdefault(family(lang), np.zeros(V)), ids, 1.0)
        names = sorted(counts)
        table = np.stack([counts[n] for n in names], axis=1) if names else np.zeros((V, 0))  # [V, F]
        return cls(names, table / np.maximum(table.sum(1, keepdims=True), 1.0))

    def of(self, i: int) -> str:
        """Word i's language: the one most of its occurrences are in."""
        return self.names[int(np.argmax(self.share[i]))]

    def of_words(self, ids: np.ndarray) -> str:
        """The language the words `ids` (repeats counted) are most used in: their shares summed, so that a
        name written in every language (`obsidian`) weighs little next to a word of one."""
        return self.names[int(np.argmax(self.share[ids].sum(axis=0)))]

    def used_in(self, language: str) -> np.ndarray:
        """[V] bool: the words used in `language` (`LANGUAGE_SHARE` of their occurrences or more)."""
        if language not in self._used:
            self._used[language] = self.share[:, self.names.index(language)] >= LANGUAGE_SHARE
        return self._used[language]

    def family_of(self, lang: str | None) -> str | None:
        """The vault's language family that a language code belongs to; None for none, or one no note is
        in."""
        return f if lang and (f := family(lang)) in self.names else None

"""Mentions: where a note's text names another note (its title or an alias), found on token sequences.

In a vault, writing a note's title is how people refer to it, linked or not ("see Canvas"), so a mention
is evidence of relatedness that word counts alone dilute.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np


def title_phrases(names: Sequence[Sequence[str]], tokenize: Callable[[str], list[str]]) -> dict[str, list[
        tuple[int, tuple[str, ...]]]]:
    """Phrases to look for, keyed by first token: {token: [(note, phrase tokens), ...]}."""
    by_first: dict[str, list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
    for note, note_names in enumerate(names):
        for phrase in {tuple(tokenize(n)) for n in note_names}:
            if phrase:
                by_first[phrase[0]].append((note, phrase))
    return by_first


def count_mentions(docs: Sequence[Sequence[str]], phrases: dict[str, list[tuple[int, tuple[str, ...]]]]
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mentioning note [m], mentioned note [m], count [m]) for every pair with a mention; self excluded."""
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for a, doc in enumerate(docs):
        for j, token in enumerate(doc):
            for b, phrase in phrases.get(token, ()):
                if b != a and tuple(doc[j : j + len(phrase)]) == phrase:
                    counts[(a, b)] += 1
    if not counts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float64)
    pairs = np.array(sorted(counts), dtype=np.int64)  # [m, 2], sorted for deterministic output
    values = np.array([counts[(int(a), int(b))] for a, b in pairs], dtype=np.float64)
    return pairs[:, 0], pairs[:, 1], values

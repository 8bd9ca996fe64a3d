"""Names close to a word, as `difflib.get_close_matches` finds them, without comparing the word with every
name: a dead link's suggestions were 8 s of obsidian-help's 11 s `health` (1,037 dead targets, each
compared with 4,600 titles and file names).

difflib keeps a name when ratio() >= cutoff and checks the cheaper quick_ratio() first, which is
2 * (characters the two share, with their counts) / (both lengths) and never below ratio(). Counting the
shared characters of every name at once (numpy, the commonest characters; the others counted as if
shared) leaves out only names whose quick_ratio() is below cutoff: difflib, given the rest, returns the
same names in the same order.
"""

from __future__ import annotations

import difflib
from collections import Counter

import numpy as np

ALPHABET = 48
"""Characters counted per name (the commonest in the names); rarer ones are counted as shared."""


class CloseNames:
    """A fixed list of names, asked for those close to one word at a time (`matches`)."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        common = Counter(c for name in names for c in name).most_common(ALPHABET)
        self.column = {c: k for k, (c, _) in enumerate(common)}
        self.lengths = np.array([len(name) for name in names], dtype=np.float64)  # [names]
        self.counts = np.zeros((len(names), len(self.column)), dtype=np.int32)  # [names, ALPHABET]
        for i, name in enumerate(names):
            for c, m in Counter(name).items():
                if (k := self.column.get(c)) is not None:
                    self.counts[i, k] = m

    def matches(self, word: str, n: int = 3, cutoff: float = 0.6) -> list[str]:
        """`difflib.get_close_matches(word, names, n, cutoff)`."""
        return difflib.get_close_matches(word, self._maybe(word, cutoff), n, cutoff)

    def _maybe(self, word: str, cutoff: float) -> list[str]:
        """The names whose quick_ratio() with `word` can reach `cutoff` (none that can is left out)."""
        want = Counter(word)
        cols = [k for c in want if (k := self.column.get(c)) is not None]
        have = np.array([want[c] for c in want if c in self.column], dtype=np.int32)
        rest = sum(m for c, m in want.items() if c not in self.column)  # (shared at most)
        shared = np.minimum(self.counts[:, cols], have).sum(axis=1) + rest  # [names] >= what is shared
        length = self.lengths + len(word)
        with np.errstate(divide="ignore", invalid="ignore"):
            keep = (length == 0) | (2.0 * shared / length >= cutoff)  # (difflib: 1.0 for two empty strings)
        return [self.names[i] for i in np.flatnonzero(keep).tolist()]

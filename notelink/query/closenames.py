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
from collections.abc import Sequence

import numpy as np

ALPHABET = 48
"""Characters counted per name (the commonest in the names); rarer ones are counted as shared."""

SUGGESTED = 3
"""A typed query's unknown words offered close vault words ("did you mean"), the first ones: one word costs
1-13 ms among obsidian-help's 41k words."""
CLOSE = 3
"""Close words offered for one unknown word, closest first."""
CUTOFF = 0.75
"""How close (difflib's ratio) a word must be to be offered: `fermentaton` gets `fermentation` and
`ferment`; at `similar`'s 0.6 also `terminator` and `pentatonic`."""


class CloseNames:
    """A fixed list of names, asked for those close to one word at a time (`matches`)."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        joined = "".join(names)
        common = Counter(joined).most_common(ALPHABET)
        self.column = {c: k for k, (c, _) in enumerate(common)}
        self.lengths = np.array([len(name) for name in names], dtype=np.float64)  # [names]
        self.counts = np.zeros((len(names), len(self.column)), dtype=np.int32)  # [names, ALPHABET]
        codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)  # [chars]
        owner = np.repeat(np.arange(len(names)), self.lengths.astype(np.int64))  # [characters] its name
        for c, k in self.column.items():  # (a pass per column: a Python step per name took 0.6 s for
            # obsidian-help's 41k words, the vocabulary search's "did you mean" compares a word with)
            self.counts[:, k] = np.bincount(owner[codes == ord(c)], minlength=len(names))

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


def did_you_mean(words: CloseNames, unknown: Sequence[str]) -> dict[str, list[str]]:
    """Close `words` (a vault's vocabulary) for the first `SUGGESTED` of a query's `unknown` words that have
    any: `fermentaton` -> `fermentation`, as `similar` offers them for a word it does not know."""
    close = {word: words.matches(word, CLOSE, CUTOFF) for word in unknown[:SUGGESTED]}
    return {word: found for word, found in close.items() if found}

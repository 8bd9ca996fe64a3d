"""References: a note that names another by its whole file name ranks it near the top of its related notes.

Writing a note's file name (`dendron.topic.links`, `insert-images`, a zettel's id) is how people refer to
a note; it is stronger evidence of relatedness than shared words, and the title part of the note vectors
(notevectors.py) dilutes it among every word of the note. So related-note scores get a bonus for it, on top
of the cosine:

    s'(a, b) = s + w_reference * r(a, b) * (1 - s)        s = cos(a, b), r in [0, 1], s' <= 1

    r(a, b) = max(named(a, b), named(b, a))                either note names the other
    named(a, b) = min(1, share) * idf(b) * (1 - chance(b))  a shared file name counts its share (1/k)
    idf(b) = log(N / (1 + n_b)) / log(N)                   n_b: notes that name b
    chance(b) = min(1, E / O)                              O: occurrences of b's file name in the vault,
    E = T * prod(c_w / T for w in the name)                E: what its words would give falling together
                                                           by chance (c_w: word counts, T: all words)

A file name counts when it has two or more words (`insert images`; one word, `canvas`, `tags`, is a
word, not a reference) or is one id or date of four or more characters (`202101011200`, `2022`): numbers
are kept in file names (`2022-05-31`, `reading-series.2022.05.31`), else dated notes would share a name.
A one-word file name with a capital (`Canvas.md`, `Settings.md`, `iOS.md`) counts where a note writes it
with a capital mid-sentence ("open it in Canvas": `notelink.notes.capitals`), as people name a page;
chance is 0 for it, as for an id: the capital is the evidence that the word names something. So is a URL
or a code span: a one-word file name counts where one holds it, a capitalised one with its capitals
(`github.com/SilentVoid13/Templater`; `help.obsidian.md/canvas` is how URLs write the word), a lower-case
one as written (a community wiki's author page `nathonius.md`, named by the author's plugins' URLs,
`github.com/nathonius/obsidian-canvas-pan`: with link text removed, obsidian-hub's 6,571 notes found
0.168 of their links before, 0.882 after; benchmarks/RESULTS.md, session 26).
A file name that many notes contain (`index`, `todo`, `tags`) is a common word, not a reference: its idf
is near 0. A file name of common words (`pifafe pifafe` in a wiki where `pifafe` is 5% of the words) is
written by chance as often as it is found: it is no reference either. Without `chance`, such names in a
generated wiki of short notes put their notes in 100-531 related lists of 10,000 each (3-8 links each):
real names occur far beyond chance (`graph view`, `dendron topic links`: E / O under 0.05). Measured on
the dev vaults (benchmarks/RESULTS.md, "Session 10: references" and "Session 22: hubs").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp

from notelink.notes.names import NAME_WORDS, file_stem
from notelink.notes.tokenizer import is_number

REFERENCE_FLOOR = 0.02
"""A named note's weight idf(b) (1 - chance(b)) under this is none: its name is in nearly every note (idf
0.02 is N^0.98 of N notes: `github.md`, `main.md` in a wiki whose every note links its GitHub page). So weak
a bonus told nothing, yet it still ranked the note above notes with no score at all, in the lists of notes
with little text: obsidian-hub with link text removed, `github.md` was in 312 related lists of 6,571 and
an added `main.md` in 115; 200 and 6 with the floor, recall unchanged on every vault measured
(benchmarks/RESULTS.md, session 27)."""


def referable(name: list[str]) -> bool:
    """Whether a file name's tokens are specific enough to be a reference (see the module docstring)."""
    return len(name) >= 2 or (len(name) == 1 and len(name[0]) >= 4 and is_number(name[0]))


def one_word(name: list[str], path: str) -> bool:
    """Whether a note's file name (its tokens `name`, of the file at `path`) is one word, no reference by
    `referable`: one word before stop words are dropped too (`About Obsidian` is none without `about`)."""
    return len(name) == 1 and not referable(name) and len(NAME_WORDS.findall(file_stem(path))) == 1


def capital_referable(name: list[str], path: str) -> bool:
    """Whether a note's one-word file name (`one_word`) is a reference where a note writes it with a capital
    mid-sentence: it has a capital."""
    return one_word(name, path) and any(c.isupper() for c in file_stem(path))


def by_chance(names: Sequence[tuple[str, ...]], dst: np.ndarray, share: np.ndarray,
              counts: Mapping[str, int], total: int) -> np.ndarray:
    """[N] chance(b): the share of the occurrences of note b's file name (`names`, () for a note nobody
    names) that its words would give by chance, E / O, at most 1. O sums the mentions of every note of that
    name (`share` is a mention's count over the notes sharing the name); a word `counts` lacks (a number,
    a rare word) makes E 0, and a one-word name has 0: an id, or a word found where it is written with a
    capital (its occurrences as a plain word are not O)."""
    seen = np.bincount(dst, weights=share, minlength=len(names)).tolist()  # [N] mentions of each note's name
    occurrences: dict[tuple[str, ...], float] = {}
    for name, o in zip(names, seen, strict=True):
        if o:
            occurrences[name] = occurrences.get(name, 0.0) + o
    chance = {name: min(1.0, total * math.prod(counts.get(w, 0) / total for w in name) / o)
              for name, o in occurrences.items() if len(name) > 1 and total > 0}
    return np.array([chance.get(name, 0.0) if o else 0.0 for name, o in zip(names, seen, strict=True)])


def chance_of(n: int, name_of: Callable[[int], Sequence[str]], dst: np.ndarray, share: np.ndarray,
              words: Sequence[str], counts: np.ndarray) -> np.ndarray:
    """[N] `by_chance` of `n` notes from the file-name tokens of the named ones (`name_of(j)`, asked only
    for the notes `dst` names), the mentions' `share` [M] and the vocabulary's `words` and `counts` [V]:
    what a build saves (`named_chance`, so that a query need not read every path and the vocabulary: about
    a second at 100k notes) and what a query works out for an index from before."""
    names: list[tuple[str, ...]] = [()] * n
    for j in np.unique(dst).tolist():
        names[j] = tuple(name_of(j))
    wanted = {w for name in names for w in name}
    known = {w: int(c) for w, c in zip(words, counts.tolist(), strict=True) if w in wanted}
    return by_chance(names, dst, share, known, int(counts.sum()))


def reference_matrix(src: np.ndarray, dst: np.ndarray, share: np.ndarray, n: int,
                     chance: np.ndarray | None = None) -> sp.csr_matrix:
    """[N, N] symmetric r(a, b) from the mentions of whole file names (src [M], dst [M], share [M]), each
    note's weight lowered by `chance` [N] (`by_chance`) when given."""
    if src.size == 0 or n < 2:
        return sp.csr_matrix((n, n), dtype=np.float32)
    named_by = np.bincount(dst, minlength=n)  # [N] notes that name each note (pairs are unique)
    idf = np.clip(np.log(n / (1.0 + named_by)) / np.log(n), 0.0, 1.0)  # [N]
    if chance is not None:
        idf *= 1.0 - chance
    idf[idf < REFERENCE_FLOOR] = 0.0
    r = sp.csr_matrix((np.minimum(share, 1.0) * idf[dst], (src, dst)), shape=(n, n), dtype=np.float32)
    r.eliminate_zeros()
    return r.maximum(r.T).tocsr()


def boosted(scores: np.ndarray, r: sp.csr_matrix, weight: float) -> np.ndarray:
    """`scores` [b, N] (cosines of notes start.. with every note) raised by the rows `r` [b, N] of the
    reference matrix, in place: s + weight * r * (1 - s). Also returns them."""
    if weight and r.nnz:
        coo = r.tocoo()
        s = scores[coo.row, coo.col]
        scores[coo.row, coo.col] = s + weight * coo.data * (1.0 - s)
    return scores

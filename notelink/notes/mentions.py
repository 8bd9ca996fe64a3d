"""Mentions: where a note's text names another note (its title or an alias), found on token sequences.

In a vault, writing a note's title is how people refer to it, linked or not ("see Canvas"), so a mention
is evidence of relatedness that word counts alone dilute. A note's names are its title, its aliases and its
file name (`NoteRecord.names`). A name that several notes bear is evidence for each of them in equal shares:
five empty pages all titled "Runereda" must not each take the full weight of every "runereda" in the vault.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

Phrases = dict[str, dict[int, dict[tuple[str, ...], list[int]]]]
"""{first token: {phrase length: {phrase tokens: [notes with that title or alias]}}}"""


def title_phrases(names: Sequence[Sequence[Sequence[str]]]) -> Phrases:
    """Phrases to look for (each note's names, as tokens), keyed by first token, then length, so a position
    costs one lookup per length."""
    by_first: Phrases = defaultdict(lambda: defaultdict(dict))
    for note, note_names in enumerate(names):
        for phrase in {tuple(n) for n in note_names}:
            if phrase:
                by_first[phrase[0]][len(phrase)].setdefault(phrase, []).append(note)
    return by_first


def count_mentions(docs: Sequence[Sequence[str]], phrases: Phrases, only: Sequence[int] | None = None,
                   langs: Sequence[str] | None = None, longest: bool = False,
                   links: Sequence[Sequence[tuple[str, ...]]] | None = None
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mentioning note [m], mentioned note [m], count [m]) for every pair with a mention; self excluded.

    A name borne by k notes counts 1/k for each of them. With `only`, just the mentions made by those notes
    (the others are given for their numbering). With `langs` (each note's language), a name that several
    notes share means those in the mentioning note's language when there are any: the German "Canvas" note
    in a German note, not its translations (then shared among those).

    Every occurrence of a name counts, overlapping ones too; with `longest`, a name inside a longer one
    found at that place does not (`reading 2022 05 31` names that note, not also the day `2022 05 31`).
    With `links` (each note's links as the words its text shows for them), a name inside a longer link's
    words does not count either: `[[Home recording]]` links that note, it does not mention `Home`.
    Per note, the names found are listed with C-level tests per token (one-word names; the first two words
    of longer ones, then the whole name) and counted with a Counter: a Python step per token took 45-51 s
    on a 100k-note vault."""
    singles, pairs, named_by = _by_length(phrases)
    firsts = {first for first, _ in pairs}
    counts: dict[tuple[int, int], float] = defaultdict(float)
    for a in range(len(docs)) if only is None else only:
        doc = docs[a]
        found: list[tuple[str, ...]] = [(t,) for t in doc if t in singles]  # (a C-level test per token)
        if not firsts.isdisjoint(doc):
            starts = [(j, m) for j, pair in enumerate(zip(doc, itertools.islice(doc, 1, None), strict=False))
                      if (m := pairs.get(pair)) is not None]
            found += [p for j, lengths in starts for n in lengths
                      if j + n <= len(doc) and (p := tuple(doc[j : j + n])) in named_by]
        if longest and len(found) > 1:
            found = _outermost(doc, found)
        if links is not None and links[a] and found:
            found = _outside_links(doc, found, links[a])
        for phrase, n in Counter(found).items():
            _add(counts, a, named_by[phrase], n, langs)
    if not counts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float64)
    pairs_ab = np.array(sorted(counts), dtype=np.int64)  # [m, 2], sorted for deterministic output
    values = np.array([counts[(int(a), int(b))] for a, b in pairs_ab], dtype=np.float64)
    return pairs_ab[:, 0], pairs_ab[:, 1], values


def _outermost(doc: Sequence[str], found: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """`found` less the occurrences inside a longer name's occurrence (longest first, then leftmost); as it
    is when no name found is part of another (the usual case: no pass over the note)."""
    names = set(found)
    if not any(_inside(p, q) for p in names for q in names if len(p) < len(q)):
        return found
    spans = sorted(((j, len(p), p) for p in names for j in _starts(doc, p)), key=lambda s: (-s[1], s[0]))
    taken = bytearray(len(doc))  # 1 where a kept occurrence is
    kept = []
    for j, n, p in spans:
        if not any(taken[j : j + n]):
            taken[j : j + n] = b"\x01" * n
            kept.append(p)
    return kept


def _outside_links(doc: Sequence[str], found: list[tuple[str, ...]], links: Sequence[tuple[str, ...]]
                   ) -> list[tuple[str, ...]]:
    """`found` less the occurrences inside the words of a longer link (`links`: the words the note's links
    show): a link names its target, not the notes whose names are part of the target's (`notelink mentions`,
    which reads names outside links only, found none where related notes said `mentions: Home` for a note
    with `[[Home recording]]`). As it is when no name found is part of a link's words (no pass over the
    note)."""
    names = set(found)
    nested = {p for p in names for q in links if len(p) < len(q) and _inside(p, q)}
    if not nested:
        return found
    covered = bytearray(len(doc))  # 1 where a link's words are
    for q in {q for q in links if any(len(p) < len(q) and _inside(p, q) for p in nested)}:
        for j in _starts(doc, q):
            covered[j : j + len(q)] = b"\x01" * len(q)
    kept = [p for p in found if p not in nested]
    return kept + [p for p in nested for j in _starts(doc, p) if not all(covered[j : j + len(p)])]


def _inside(p: tuple[str, ...], q: tuple[str, ...]) -> bool:
    """Whether p is a run of consecutive words of q."""
    return any(q[j : j + len(p)] == p for j in range(len(q) - len(p) + 1))


def _starts(doc: Sequence[str], p: tuple[str, ...]) -> list[int]:
    """Where p occurs in doc."""
    n = len(p)
    return [j for j in range(len(doc) - n + 1) if doc[j] == p[0] and tuple(doc[j : j + n]) == p]


def _by_length(phrases: Phrases) -> tuple[set[str], dict[tuple[str, str], list[int]], dict[tuple[str, ...],
                                                                                       list[int]]]:
    """One-word names; the lengths of the longer names by their first two words; each name's notes."""
    singles: set[str] = set()
    pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
    named_by: dict[tuple[str, ...], list[int]] = {}
    for first, lengths in phrases.items():
        for length, by_phrase in lengths.items():
            for phrase, notes in by_phrase.items():
                named_by[phrase] = notes
                if length == 1:
                    singles.add(first)
                elif length not in pairs[(phrase[0], phrase[1])]:
                    pairs[(phrase[0], phrase[1])].append(length)
    return singles, dict(pairs), named_by


def _add(counts: dict[tuple[int, int], float], a: int, named: Sequence[int], n: int,
         langs: Sequence[str] | None) -> None:
    """Counts n mentions by note a of the notes `named`, n / k for each of the k notes a shared name means
    (those in a's language, if any). Sharing the evidence out: wiki-shaped vault (benchmarks/shapes.py),
    link text removed, recall@10 0.102 -> 0.321; dendron-site 0.450 -> 0.483 (text kept)."""
    if langs is not None and len(named) > 1:
        named = [b for b in named if langs[b] == langs[a]] or named
    share = n / len(named)
    for b in named:
        if b != a:
            counts[(a, b)] += share


def recount_mentions(previous: tuple[np.ndarray, np.ndarray, np.ndarray], docs: Sequence[Sequence[str]],
                     phrases: Phrases, changed: Sequence[int], langs: Sequence[str] | None = None,
                     longest: bool = False, links: Sequence[Sequence[tuple[str, ...]]] | None = None
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`previous` mentions (with the ids of `docs`) with those made by the `changed` notes counted again.
    The sum is a full count when `changed` holds every note whose text changed and every note whose text
    holds a name whose bearers changed (a note renamed, added or gone; see `update.mentions_reuse`)."""
    src, dst, count = previous
    keep = ~np.isin(src, np.asarray(changed, dtype=np.int64))
    parts = [tuple(old[keep] for old in previous),
             count_mentions(docs, phrases, changed, langs, longest, links)]
    src, dst, count = (np.concatenate(column) for column in zip(*parts, strict=True))
    order = np.lexsort((dst, src))  # as count_mentions sorts
    return src[order], dst[order], count[order]

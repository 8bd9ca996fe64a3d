"""Mentions: where a note's text names another note (its title or an alias), found on token sequences.

In a vault, writing a note's title is how people refer to it, linked or not ("see Canvas"), so a mention
is evidence of relatedness that word counts alone dilute.
"""

from __future__ import annotations

from collections import defaultdict
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


def only_phrases(phrases: Phrases, keep: set[tuple[str, ...]]) -> Phrases:
    """The part of `phrases` for the names in `keep`, each still with every note that has it (a shared
    name is resolved among all of them, see `count_mentions`)."""
    out: Phrases = defaultdict(lambda: defaultdict(dict))
    for first, lengths in phrases.items():
        for length, by_phrase in lengths.items():
            for phrase, notes in by_phrase.items():
                if phrase in keep:
                    out[first][length][phrase] = notes
    return out


def count_mentions(docs: Sequence[Sequence[str]], phrases: Phrases, only: Sequence[int] | None = None,
                   langs: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mentioning note [m], mentioned note [m], count [m]) for every pair with a mention; self excluded.

    With `only`, just the mentions made by those notes (the others are given for their numbering). With
    `langs` (each note's language), a name that several notes share means those in the mentioning note's
    language when there are any: the German "Canvas" note in a German note, not its translations."""
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for a in range(len(docs)) if only is None else only:
        doc = docs[a]
        for j, token in enumerate(doc):
            lengths = phrases.get(token)
            if lengths is None:
                continue
            for length, by_phrase in lengths.items():
                named = by_phrase.get(tuple(doc[j : j + length]), ())
                if langs is not None and len(named) > 1:
                    named = [b for b in named if langs[b] == langs[a]] or named
                for b in named:
                    if b != a:
                        counts[(a, b)] += 1
    if not counts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float64)
    pairs = np.array(sorted(counts), dtype=np.int64)  # [m, 2], sorted for deterministic output
    values = np.array([counts[(int(a), int(b))] for a, b in pairs], dtype=np.float64)
    return pairs[:, 0], pairs[:, 1], values


def recount_mentions(previous: tuple[np.ndarray, np.ndarray, np.ndarray], docs: Sequence[Sequence[str]],
                     phrases: Phrases, changed: Sequence[int], renamed: Sequence[int] = (),
                     renamed_phrases: Phrases | None = None, langs: Sequence[str] | None = None
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`previous` mentions (same notes) with those made by the `changed` notes counted again, and, for the
    `renamed` notes (new titles or aliases; `renamed_phrases` holds just their names, else every phrase
    is matched and only their mentions kept), the mentions of them in every other note. Each phrase
    match counts on its own, so the parts add up to a full count."""
    src, dst, count = previous
    renamed_ids = np.asarray(renamed, dtype=np.int64)
    keep = ~np.isin(src, np.asarray(changed, dtype=np.int64)) & ~np.isin(dst, renamed_ids)
    parts = [tuple(old[keep] for old in previous), count_mentions(docs, phrases, changed, langs)]
    if renamed:  # by the notes not counted again above
        others = sorted(set(range(len(docs))) - set(changed))
        found = count_mentions(docs, phrases if renamed_phrases is None else renamed_phrases, others, langs)
        parts.append(tuple(part[np.isin(found[1], renamed_ids)] for part in found))
    src, dst, count = (np.concatenate(column) for column in zip(*parts, strict=True))
    order = np.lexsort((dst, src))  # as count_mentions sorts
    return src[order], dst[order], count[order]

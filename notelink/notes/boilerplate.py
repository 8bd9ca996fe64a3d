"""Boilerplate: paragraphs repeated verbatim across many notes (templates, daily-note scaffolding, footers).

They say nothing about what a note is about, so they are left out of training and of note vectors.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

Paragraph = tuple[str, ...]


def find_boilerplate(notes: Sequence[Sequence[Sequence[str]]], share: float) -> set[Paragraph]:
    """Token paragraphs that occur in at least max(3, share * notes) different notes."""
    seen: Counter[Paragraph] = Counter()
    for paragraphs in notes:
        seen.update({tuple(p) for p in paragraphs if p})
    threshold = max(3, math.ceil(share * len(notes)))
    return {p for p, n in seen.items() if n >= threshold}


def without_boilerplate(paragraphs: Sequence[Sequence[str]], boiler: set[Paragraph]) -> list[str]:
    """A note's tokens with its boilerplate paragraphs removed."""
    return [t for p in paragraphs if tuple(p) not in boiler for t in p]

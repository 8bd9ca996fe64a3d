"""Words told apart by their accents only: `cafe` asks for the vault's `café`, as search and `similar` take it
(a user typing without accents means the word the vault writes with them)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def unaccented(word: str) -> str:
    """`word` casefolded without the accents of Latin, Greek and Cyrillic letters (the combining marks
    U+0300-U+036F once decomposed); other scripts' marks are letters' parts and stay."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not "\u0300" <= c <= "\u036f").casefold()


def by_unaccented(words: Sequence[str]) -> dict[str, list[int]]:
    """The ids of `words` by their form with accents aside."""
    out: dict[str, list[int]] = {}
    for i, word in enumerate(words):
        out.setdefault(unaccented(word), []).append(i)
    return out

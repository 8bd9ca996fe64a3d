"""Where a search hit's passage is in the note as the note view lays it out (no textual here).

A hit's snippet is the note's source text (Markdown syntax and URLs; links as their text, as in
`snippets.as_read`), the note view shows it rendered and wrapped: `**bold**` is "bold" there, and a
sentence runs over several lines. So the passage is found by its words: the first laid-out line where a
run of `RUN` of the snippet's consecutive words begins (lines joined, case folded), trying runs from the
snippet's start onwards and shorter runs after longer ones; failing that, the first line with one of its
marked words.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

RUN = 4
"""Consecutive words of a snippet looked for first; 3 and 2 after (a URL in the source, or an embed,
breaks a run that the rendered text does not have)."""

STARTS = 8
"""Words of the snippet a run may start at (its first words say where it begins)."""

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words of a text, case folded, in order (letters and digits runs: Markdown marks drop out)."""
    return [w.casefold() for w in _WORD.findall(text)]


@dataclass(frozen=True)
class Passage:
    """What to look for: the snippet's words in order, and the words the search marked in it."""

    words: list[str]
    marked: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, text: str, spans: Sequence[tuple[int, int]] = ()) -> Passage:
        """The passage of a snippet's text and its marked [start, end) spans."""
        marked = [w for a, b in spans for w in words(text[a:b])]
        return cls(words(text), list(dict.fromkeys(marked)))


def passage_line(lines: Sequence[str], passage: Passage, marked: bool = False) -> int | None:
    """The index in `lines` (laid-out lines, plain text) where the passage begins; None when no run of its
    words is there. `marked`: also take the first line with one of its marked words (once the whole note is
    laid out: a marked word may come earlier in the note than the passage itself)."""
    stream, starts = _stream(lines)
    for k in range(min(RUN, len(passage.words)), 1, -1):
        for i in range(min(STARTS, len(passage.words) - k + 1)):
            at = stream.find(" " + " ".join(passage.words[i : i + k]) + " ")
            if at >= 0:
                return bisect.bisect_right(starts, at) - 1
    alone = passage.marked if marked else []
    if len(passage.words) == 1:
        alone = [*passage.words, *alone]
    found = [at for w in alone if (at := stream.find(f" {w} ")) >= 0]
    return bisect.bisect_right(starts, min(found)) - 1 if found else None


def _stream(lines: Sequence[str]) -> tuple[str, list[int]]:
    """The lines' words as one string (" w1 w2 ... "), and where each line's words start in it."""
    parts: list[str] = []
    starts: list[int] = []
    at = 0
    for line in lines:
        starts.append(at)
        text = "".join(f" {w}" for w in words(line))
        parts.append(text)
        at += len(text)
    return "".join(parts) + " ", starts

"""Where a search hit's passage is in the note as the note view lays it out (no textual here).

A hit's snippet is the note's source text (Markdown syntax and URLs; links as their text, as in
`snippets.as_read`), the note view shows it rendered and wrapped: `**bold**` is "bold" there, and a
sentence runs over several lines. So the passage is found by its words: the first laid-out line where a
run of `RUN` of the snippet's consecutive words begins (lines joined, case folded), trying runs from the
snippet's start onwards and shorter runs after longer ones; failing that (once the note is laid out), the
words of the note's line where the passage starts, then the first line with one of its marked words.
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
    """What to look for: the snippet's words in order, the words the search marked in it, and the words of
    the note's line where it starts (the hit's `line`)."""

    words: list[str]
    marked: list[str] = field(default_factory=list)
    line: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, text: str, spans: Sequence[tuple[int, int]] = (), line: str = "") -> Passage:
        """The passage of a snippet's text and its marked [start, end) spans; `line`: the note's line (its
        source) where the passage starts."""
        marked = [w for a, b in spans for w in words(text[a:b])]
        return cls(words(text), list(dict.fromkeys(marked)), words(line))


def passage_line(lines: Sequence[str], passage: Passage, marked: bool = False) -> int | None:
    """The index in `lines` (laid-out lines, plain text) where the passage begins; None when no run of its
    words is there. `marked` (once the whole note is laid out): also take where the words of the hit's line
    are (a passage whose words are not on screen as they are in the source: a table's), else the first
    line with one of its marked words (which may come earlier in the note than the passage itself)."""
    stream, starts = _stream(lines)
    at = _run(stream, passage.words)
    if at is None and marked:
        at = _run(stream, passage.line, shortest=1)
    if at is None:
        alone = passage.marked if marked else []
        if len(passage.words) == 1:
            alone = [*passage.words, *alone]
        at = min((found for w in alone if (found := stream.find(f" {w} ")) >= 0), default=None)
    return None if at is None else bisect.bisect_right(starts, at) - 1


def _run(stream: str, ws: Sequence[str], shortest: int = 2) -> int | None:
    """Where in `stream` a run of `ws` begins: `RUN` consecutive words from one of its first `STARTS`, else
    shorter runs, down to `shortest` words; None when there is none."""
    for k in range(min(RUN, len(ws)), shortest - 1, -1):
        for i in range(min(STARTS, len(ws) - k + 1)):
            at = stream.find(" " + " ".join(ws[i : i + k]) + " ")
            if at >= 0:
                return at
    return None


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

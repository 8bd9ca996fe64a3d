"""Where a note's code is: fenced code blocks and code spans, by offsets into its text.

Markup found by pattern (math, comments) must never open or close inside code: a `$$` in a code span
paired with one in prose hid the prose between them. `masked` gives a text of the same length with its
code blanked out, for such patterns to run on.
"""

from __future__ import annotations

import bisect
import re

CODE = "\x00"
"""What `masked` puts in place of each character of code (no pattern of prose or markup matches it)."""
_TICKS = re.compile(r"`+")  # a run of backticks: a code span's opening or closing
_FENCE_LINE = re.compile(r"^[ \t]*(?:>[ \t]*)*(`{3,}|~{3,})([^\n]*)$", re.MULTILINE)
"""A fence line, indented (in a list) or in a quote or callout too; a backtick fence has no backtick in
its info string (as `notes.note` reads fences)."""


def code_spans(text: str) -> list[tuple[int, int, int]]:
    """(start, end, backticks) of each code span in `text`: a run of backticks to the next run of the same
    length on its line (CommonMark's rule; a run with none is literal). One pass over the runs: a regex's
    lazy search for each closing run took seconds on a long line of runs that close nothing."""
    out: list[tuple[int, int, int]] = []
    offset = 0
    for line in text.split("\n"):
        runs = [m.span() for m in _TICKS.finditer(line)]
        of_length: dict[int, list[int]] = {}
        for k, (a, b) in enumerate(runs):
            of_length.setdefault(b - a, []).append(k)
        k = 0
        while k < len(runs):
            a, b = runs[k]
            same = of_length[b - a]
            at = bisect.bisect_right(same, k)
            if at < len(same):
                out.append((offset + a, offset + runs[same[at]][1], b - a))
                k = same[at]
            k += 1
        offset += len(line) + 1
    return out


def fenced(text: str) -> list[tuple[int, int]]:
    """[start, end) of each fenced code block, its fence lines included; an unclosed one runs to the end
    of the text, as CommonMark reads it."""
    out: list[tuple[int, int]] = []
    fence, start = "", 0
    for m in _FENCE_LINE.finditer(text):
        chars, info = m.group(1), m.group(2)
        if fence and chars[0] == fence[0] and len(chars) >= len(fence) and not info.strip():
            out.append((start, m.end()))
            fence = ""
        elif not fence and not (chars[0] == "`" and "`" in info):
            fence, start = chars, m.start()
    if fence:
        out.append((start, len(text)))
    return out


def masked(text: str) -> str:
    """`text` with each character of its code (fenced blocks, code spans) as `CODE`: the same length, so
    offsets found in it hold in `text`."""
    if "`" not in text and "~~~" not in text:
        return text
    spans = fenced(text)
    spans += [(a, b) for a, b, _ in code_spans(text) if not _inside(a, spans)]
    out, last = [], 0
    for a, b in sorted(spans):
        if a < last:
            continue
        out += [text[last:a], CODE * (b - a)]
        last = b
    return "".join([*out, text[last:]])


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether `pos` lies in one of `spans` (sorted, disjoint)."""
    k = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return k >= 0 and pos < spans[k][1]

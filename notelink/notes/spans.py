"""Where names appear in a note's text: each occurrence of a title or alias as prose, by line and column,
never inside what a link must not touch (front matter, code, links, URLs, headings, comments, math,
notelink's block). `notelink mentions` lists these; `notelink link` wraps one in a link.

Matching ignores case, accents and Unicode normalisation (NFC/NFD) and the width of spaces between words,
and needs word boundaries, except for names in scripts written without spaces (CJK, Thai...), which match
anywhere. Offsets are into the original text, so a wrapped mention keeps every other byte.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from notelink.notes import outline
from notelink.notes.code import masked
from notelink.notes.formulas import math_spans

_INLINE = re.compile("|".join([  # each scan stops at the next opener, so a line of openers is linear
    r"(`+)[^`\n]+\1(?!`)",  # inline code
    r"!?\[\[[^\n\[\]]*\]\]",  # wikilinks and embeds
    r"!?\[[^\n\[\]]*\]\([^\n()]*\)",  # Markdown links and images
    r"<[a-z][a-z0-9+.-]*:[^\s<>]*>|\b[a-z][a-z0-9+.-]*://\S+|\bwww\.\S+",  # URLs
    r"<[a-zA-Z/][^\n<>]*>",  # HTML tags
    r"(?<![\w&#])#(?:[^\W\d]|\d+[^\W\d])[\w/-]*(?:\.[\w/-]+)*",  # tags: #a, #a/b (nested), Dendron's #a.b
]), re.IGNORECASE)
_PAIRED = [("<!--", "-->"), ("%%", "%%"), ("<%", "%>")]  # comments, Templater: opened outside code
_FENCE = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"[ \t]{0,3}#{1,6}(?:[ \t]|$)")
_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d+[.)])(?:\s|$)")
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
_EMPHASIS_BEFORE = r"(?:(?<!\w)|(?<=(?<!\w)_)|(?<=(?<!\w)__))"  # a word starts, or `_`/`__` emphasis opens
_EMPHASIS_AFTER = r"(?:(?!\w)|(?=__?(?!\w)))"  # ...and ends (`_Compost_` is prose; `my_compost_bin` no name)
_SPACELESS = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"
                        r"\uf900-\ufaff]")


@dataclass(frozen=True)
class Span:
    """One occurrence: `start`/`end` are offsets into the text, `line`/`column` 1-based (column in
    characters), `text` the words as written, `line_text` the whole line."""

    start: int
    end: int
    line: int
    column: int
    text: str
    line_text: str
    name: str  # the title or alias it matched


def protected(text: str) -> list[tuple[int, int]]:
    """The spans of `text` a mention may not be found in: disjoint, in order. One pass over the lines and
    one `find` per delimiter, so a note of a million unclosed `<!--` costs no more than a plain one."""
    spans = _front_matter(text) + _block_lines(text) + [m.span() for m in _INLINE.finditer(text)]
    spans += [s for s in [outline.span(text)] if s is not None]  # (a Logseq page's block)
    plain = masked(text)  # (a `%%` in code opens no comment)
    spans += math_spans(text, plain)
    for opener, closer in _PAIRED:
        pos = plain.find(opener)
        while pos >= 0:
            end = text.find(closer, pos + len(opener))
            if end < 0:
                break
            spans.append((pos, end + len(closer)))
            pos = plain.find(opener, end + len(closer))
    return merged(spans)


def _front_matter(text: str) -> list[tuple[int, int]]:
    if not text.startswith("---"):
        return []
    first = text.find("\n")
    end = _FRONT_MATTER_END.search(text, first + 1) if first >= 0 else None
    return [(0, end.end())] if end else []


def _block_lines(text: str) -> list[tuple[int, int]]:
    """Whole lines that are code (fenced, or indented after a blank line) or headings."""
    spans: list[tuple[int, int]] = []
    fence, previous_blank, in_indented, pos = "", True, False, 0
    for line in text.splitlines(keepends=True):
        span = (pos, pos + len(line.rstrip("\r\n")))
        pos += len(line)
        opening = _FENCE.match(line)
        indented = line.startswith(("    ", "\t")) and not _LIST_ITEM.match(line)
        if fence:
            spans.append(span)
            closing = opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence)
            fence = "" if closing else fence
        elif opening:
            fence = opening.group(1)
            spans.append(span)
        elif _HEADING.match(line) or (indented and (previous_blank or in_indented)):
            spans.append(span)
        in_indented = indented and (previous_blank or in_indented) and not fence
        previous_blank = not line.strip()
    return spans


def merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """[start, end) spans sorted, overlapping or touching ones joined."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _folded(text: str) -> tuple[str, Sequence[int]]:
    """`text` case-folded, without accents, NFC, and for each of its characters the offset in `text`."""
    if text.isascii():  # (most notes: one C call instead of a Python step per character)
        return text.lower(), range(len(text))
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for f in unicodedata.normalize("NFD", ch.casefold()):
            if not unicodedata.combining(f):
                out.append(f)
                where.append(i)
    return "".join(out), where


def _pattern(name: str) -> re.Pattern[str] | None:
    """A name as a pattern on folded text: its words with any run of spaces between them, not a part of a
    longer word nor of a dotted name (`garden` is not named by `garden.compost`, Dendron's note)."""
    words = _folded(name)[0].split()
    if not words:
        return None
    body = r"\s+".join(re.escape(w) for w in words)
    if _SPACELESS.search(name):
        return re.compile(body)
    return re.compile(rf"{_EMPHASIS_BEFORE}(?<!\w\.){body}{_EMPHASIS_AFTER}(?!\.\w)")


def find_names(text: str, names: Iterable[str]) -> list[Span]:
    """Every occurrence of any of `names` in the prose of `text`, in order; where two overlap, the one
    that starts first (then the longer one) is kept."""
    folded, where = _folded(text)
    blocked = protected(text)
    found: list[tuple[int, int, str]] = []
    for name in sorted(set(names), key=len, reverse=True):
        pattern = _pattern(name)
        if pattern is None:
            continue
        for m in pattern.finditer(folded):
            start, end = where[m.start()], where[m.end() - 1] + 1
            while end < len(text) and unicodedata.combining(text[end]):  # an accent written apart (NFD)
                end += 1
            if not _inside_any(start, end, blocked):
                found.append((start, end, name))
    return _spans(text, _without_overlaps(found))


def _inside_any(start: int, end: int, blocked: list[tuple[int, int]]) -> bool:
    """Whether [start, end) touches a span of `blocked` (disjoint, sorted)."""
    k = bisect.bisect_right(blocked, (start, float("inf"))) - 1  # the last span starting at or before
    return (k >= 0 and blocked[k][1] > start) or (k + 1 < len(blocked) and blocked[k + 1][0] < end)


def _without_overlaps(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    kept: list[tuple[int, int, str]] = []
    for start, end, name in sorted(found, key=lambda f: (f[0], -(f[1] - f[0]))):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end, name))
    return kept


def _spans(text: str, found: list[tuple[int, int, str]]) -> list[Span]:
    out = []
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    k = 0
    for start, end, name in found:
        while k + 1 < len(line_starts) and line_starts[k + 1] <= start:
            k += 1
        line_end = text.find("\n", start)
        line_text = text[line_starts[k]: len(text) if line_end < 0 else line_end].rstrip("\r")
        out.append(Span(start, end, k + 1, start - line_starts[k] + 1, text[start:end], line_text, name))
    return out

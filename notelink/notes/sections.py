"""A note's top-level Markdown blocks as CommonMark reads them (markdown-it-py, block rules only), with where
each lies in the note's text: for writing into a note (`notelink.write.linker`), where a heading must be a
real heading, not a line of code that looks like one, and a link must never land inside a code block.

Only top-level blocks count: a heading inside a list item or a quote heads no section of the note. Front
matter is skipped (its `---` and YAML are no Markdown). A note longer than `MARKDOWN_CHARS` is read line by
line instead (linear time, CommonMark's top-level rules for fences, headings, breaks and lists, containers
and laziness aside): markdown-it-py took 17 s over 2 MB of list items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

from notelink.notes.frontmatter import split_front_matter

_MD = MarkdownIt("commonmark").enable("table").enable("strikethrough").disable("inline")
"""As notes are parsed (`notelink.notes.note`), without inline rules: only blocks matter here."""
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # (markdown-it counts a lone CR as a line break too)
_KINDS = {"heading_open": "heading", "hr": "hr", "fence": "fence", "bullet_list_open": "list",
          "ordered_list_open": "list"}


@dataclass(frozen=True)
class Part:
    """One top-level block: its kind (heading, hr, fence, list or other) and where it lies in the text."""

    kind: str
    start: int
    """Offset of its first line."""
    stop: int
    """Offset after its last line's line break (blank lines after it left out)."""
    level: int = 0
    """A heading's level (1-6)."""
    text: str = ""
    """A heading's text as written (its marks left out)."""
    setext: bool = False
    """A heading underlined with `===` or `---`."""
    open_fence: str = ""
    """A code fence never closed (it runs to the end of the note): its fence characters."""


MARKDOWN_CHARS = 200_000
"""Longest body read with markdown-it-py (about 2 s at most: 8 us a character for a list item a line)."""


def parts(text: str) -> list[Part]:
    """The note's top-level blocks in order (its front matter left out)."""
    body = split_front_matter(text)[1]
    offset = len(text) - len(body)
    starts = [0, *(m.end() for m in _LINE_BREAK.finditer(body))]
    ends = [*starts[1:], len(body)]
    lines = [body[a:b] for a, b in zip(starts, ends, strict=True)]
    if len(body) > MARKDOWN_CHARS:
        return _scanned(body, lines, offset)
    tokens = _MD.parse(body)
    found = []
    for i, tok in enumerate(tokens):
        if tok.level != 0 or tok.map is None or tok.nesting < 0:
            continue
        first, last = tok.map[0], _last_line(lines, tok.map[0], tok.map[1])
        kind = _KINDS.get(tok.type, "other")
        part = Part(kind, offset + starts[first], offset + ends[last - 1])
        if kind == "heading":
            setext = not tok.markup.startswith("#")
            part = Part(kind, part.start, part.stop, int(tok.tag[1]), tokens[i + 1].content, setext)
        elif kind == "fence" and not _closes(lines, tok.map, tok.markup):
            part = Part(kind, part.start, part.stop, open_fence=tok.markup)
        found.append(part)
    return found


def _last_line(lines: list[str], first: int, end: int) -> int:
    """The line after a block's last non-blank line (a list's map takes in the blank lines after it)."""
    while end - 1 > first and end - 1 < len(lines) and not lines[end - 1].strip():
        end -= 1
    return end


def _closes(lines: list[str], span: list[int], markup: str) -> bool:
    """Whether a fence's last line closes it (else it ran to the end of the note)."""
    last = span[1] - 1
    return span[0] < last < len(lines) and _closing(lines[last], markup)


def _closing(line: str, fence: str) -> bool:
    """Whether `line` closes a code block opened by `fence`."""
    m = re.fullmatch(r" {0,3}(`+|~+)[ \t]*", line.rstrip("\r\n"))
    return m is not None and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence)


def heading_key(text: str) -> str:
    """A heading's text as compared (any case, any spacing)."""
    return " ".join(text.split()).casefold()


_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*")
_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
_UNDERLINE = re.compile(r" {0,3}(=+|-+)[ \t]*")
_ITEM = re.compile(r" {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")


def _scanned(body: str, lines: list[str], offset: int) -> list[Part]:
    """`parts` read line by line, for a long note (linear time)."""
    found: list[Part] = []
    fence, pos = "", offset
    for raw in lines:
        line, start, pos = raw.rstrip("\r\n"), pos, pos + len(raw)
        last = found[-1] if found else None
        if fence and last:
            fence = "" if _closing(line, fence) else fence
            found[-1] = Part("fence", last.start, pos, open_fence=fence)
        elif not line.strip():
            continue
        elif (m := _FENCE.fullmatch(line)) and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence = m.group(1)
            found.append(Part("fence", start, pos, open_fence=fence))
        elif (part := _line_part(line, start, pos, last)).start == (last.start if last else -1):
            found[-1] = _titled(part, body[part.start - offset : start - offset]) if part.setext else part
        else:
            found.append(part)
    return found


def _titled(heading: Part, paragraph: str) -> Part:
    """A setext heading read line by line, with the text of the paragraph its underline makes a heading."""
    return Part("heading", heading.start, heading.stop, heading.level, paragraph.strip(), True)


def _line_part(line: str, start: int, stop: int, last: Part | None) -> Part:
    """The part one line makes, or (with the start of `last`, the part above it) the part it extends."""
    joined = last is not None and last.stop == start and last.kind in ("other", "list")
    if (m := _ATX.fullmatch(line)) is not None:
        return Part("heading", start, stop, len(m.group(1)), m.group(2) or "")
    if joined and last and last.kind == "other" and (u := _UNDERLINE.fullmatch(line)):
        return Part("heading", last.start, stop, 1 if u.group(1)[0] == "=" else 2, setext=True)
    if _BREAK.fullmatch(line):
        return Part("hr", start, stop)
    if _ITEM.match(line) or (last and last.kind == "list" and (joined or line[:1] in " \t")):
        return Part("list", last.start if last and last.kind == "list" else start, stop)
    return Part("other", last.start if joined and last else start, stop)

"""A note's Markdown cut into pieces that render on their own, so that a long note is shown piece by piece.

Parsing Markdown is the slow part of showing a note (markdown-it: 0.2 s of CPU for a 300 KB list of links),
so the note view parses and lays out one piece at a time: the first at once, the rest between key presses.
The cuts are found by a scan of the lines, without parsing: before a line that starts a top-level block (after
a blank line, or a top-level list item), never inside a fenced code block or a comment (`%%`, `<!--`).
A block longer than `FORCE_CHARS` (one huge paragraph, table or code block) is cut at a line anyway, and made
whole again on each side: a code block is closed and reopened, a table's header repeated. Link reference
definitions (`[x]: url`) are copied into every piece, and an ordered list cut in two keeps its numbering.
No textual here (tested directly).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FIRST_CHARS = 3_000
"""The first piece ends at the first cut after this many characters (about a screenful of text)."""

CHUNK_CHARS = 3_000
"""Later pieces end at the first cut after this many characters (~5 ms of parsing and layout each here,
idle; a key waits for at most one piece)."""

FORCE_CHARS = 4 * CHUNK_CHARS
"""A piece with no cut in this many characters is cut at a line anyway (see the module's docstring)."""

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_BULLET = re.compile(r"^[-*+](?:[ \t]|$)")
_ORDERED = re.compile(r"^([0-9]{1,9})([.)])(?:[ \t]|$)")
_HEADING = re.compile(r"^#{1,6}(?:[ \t]|$)")
_REFERENCE = re.compile(r"^ {0,3}\[(?!\^)[^\]\n]+\]:")  # (a footnote's definition `[^1]:` is shown once)
_FOOTNOTE = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")  # a footnote's definition, `[^1]: text`
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")


@dataclass
class _Scan:
    """What the scan knows at a line: an open fence, a table's header, an ordered list's next number."""

    fence: str = ""  # the open fence's marker ("```", "~~~~"), "" outside code
    comment: bool = False  # inside an Obsidian `%%comment%%` that spans lines
    html: bool = False  # inside an HTML `<!-- comment -->` that spans lines
    fence_line: str = ""  # the line that opened it (with its info string)
    table_head: list[str] = field(default_factory=list)  # the header and rule lines of the table we are in
    next_number: int | None = None  # the number the next item of a top-level ordered list should show


def split_chunks(text: str, first: int = FIRST_CHARS, size: int = CHUNK_CHARS,
                 force: int = FORCE_CHARS) -> list[str]:
    """`text` cut into pieces that each render as their part of the whole; "".join() of them is `text`
    when no cut needed mending (no reference definitions, no forced cuts, no renumbered list)."""
    lines = text.splitlines(keepends=True)
    refs = _references(lines)
    chunks: list[str] = []
    current: list[str] = []
    length, limit, scan = 0, first, _Scan()
    for i, line in enumerate(lines):
        cut = length >= limit and _starts_block(lines, i, scan)
        forced = not cut and length >= force and not (scan.comment or scan.html)
        if cut or forced:
            closing, opening = _mend(scan, line, forced)
            chunks.append("".join(current) + closing + refs)
            current, length, limit = list(opening), sum(map(len, opening)), size
            line = _renumbered(line, scan)
        current.append(line)
        length += len(line)
        _advance(scan, lines, i)
    if current or not chunks:
        chunks.append("".join(current) + (refs if chunks else ""))
    return chunks


def _references(lines: list[str]) -> str:
    """Every link reference definition outside code, to append to each piece ("" when there are none)."""
    refs, fence = [], ""
    for line in lines:
        fence = _fence_after(fence, line)
        if not fence and _REFERENCE.match(line):
            refs.append(line if line.endswith("\n") else line + "\n")
    return "\n" + "".join(refs) if refs else ""


def footnote_labels(text: str) -> frozenset[str]:
    """The labels of the footnotes `text` defines outside code (`[^1]: …` is "1"): a piece's marks are
    footnotes' when the note defines them, in whichever piece (`render.parse`)."""
    if "[^" not in text:
        return frozenset()
    labels, fence = set(), ""
    for line in text.splitlines():
        fence = _fence_after(fence, line)
        if not fence and (m := _FOOTNOTE.match(line)):
            labels.add(m.group(1))
    return frozenset(labels)


def _fence_after(fence: str, line: str) -> str:
    """The open fence after `line`, given the one open before it."""
    m = _FENCE.match(line.rstrip("\r\n"))
    if not fence:
        return m.group(1) if m and not (m.group(1)[0] == "`" and "`" in m.group(2)) else ""
    closes = (m is not None and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence)
              and not m.group(2).strip())
    return "" if closes else fence


def _starts_block(lines: list[str], i: int, scan: _Scan) -> bool:
    """True when line `i` starts a top-level block that renders the same in a piece of its own."""
    line = lines[i]
    if scan.fence or scan.comment or scan.html or not line.strip() or line[0] in " \t":
        return False
    before = lines[i - 1] if i else "\n"
    if not before.strip():
        return True
    if before.lstrip().startswith((">", "|")) or line.startswith("|"):
        return False  # a quote or table continues on this line
    return bool(_BULLET.match(line) or _ORDERED.match(line) or _HEADING.match(line))


def _mend(scan: _Scan, line: str, forced: bool) -> tuple[str, list[str]]:
    """(text to close the piece with, lines to open the next with) when cutting before `line`."""
    if not forced:
        return "", []
    if scan.fence:
        return scan.fence + "\n", [scan.fence_line]
    if scan.table_head and line.lstrip().startswith("|"):
        return "", list(scan.table_head)
    return "", []


def _renumbered(line: str, scan: _Scan) -> str:
    """An ordered list's item that starts a piece, numbered as it would be in the whole list."""
    m = _ORDERED.match(line)
    if m is None or scan.next_number is None or int(m.group(1)) == scan.next_number:
        return line
    return f"{scan.next_number}{m.group(2)}{line[m.end(2):]}"


def _advance(scan: _Scan, lines: list[str], i: int) -> None:
    """Updates what the scan knows once line `i` is read."""
    line = lines[i]
    was_fenced = bool(scan.fence)
    scan.fence = _fence_after(scan.fence, line)
    if scan.fence and not was_fenced:
        scan.fence_line = line if line.endswith("\n") else line + "\n"
    if scan.fence or was_fenced:
        return
    if line.count("%%") % 2:
        scan.comment = not scan.comment
    opened = line.rfind("<!--")
    if opened >= 0:  # open after the line when its last `<!--` is not closed on it
        scan.html = line.find("-->", opened + 4) < 0
    elif "-->" in line:
        scan.html = False
    if _TABLE_RULE.match(line) and "|" in line and i and lines[i - 1].strip():
        scan.table_head = [lines[i - 1], line if line.endswith("\n") else line + "\n"]
    elif not line.lstrip().startswith("|"):
        scan.table_head = []
    _count_item(scan, line)


def _count_item(scan: _Scan, line: str) -> None:
    """Follows a top-level ordered list: the number its next item shows (numbered on from the first)."""
    m = _ORDERED.match(line)
    if m is not None:
        scan.next_number = (int(m.group(1)) if scan.next_number is None else scan.next_number) + 1
    elif line.strip() and line[0] not in " \t":
        scan.next_number = None  # another top-level block ends the list

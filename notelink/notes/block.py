"""The managed block notelink writes into a note, as text: finding it, filling it, and taking it out exactly.

A note holds at most one block. Written by notelink, it reads:

    <!-- notelink:related:start placed=end sep=1 sha=0123456789ab -->
    - [[folder/Other note|Other note]]
    <!-- notelink:related:end -->

The start marker records how the block got there, so that taking it out gives back the note byte for byte:
- `placed=user`: the user wrote the bare markers (`<!-- notelink:related:start -->` and
  `<!-- notelink:related:end -->`, each alone on its line); notelink fills the listing in just before the
  end marker and, on undo, removes it and puts the bare start marker back.
- `placed=end sep=N`: appended at the end of the note after N line breaks (0: the note was empty,
  1: it ended with a line break, 2: it did not); undo removes those line breaks and the block.
- `sha`: a hash of the listing, so a block edited by hand is refused instead of overwritten.

Once the user writes text after an appended block, the block stays where it is: refreshing it replaces its
listing in place, and undo takes out the block's lines but keeps a blank line before the user's text (one
of its own when it starts with one, else notelink's), so that it is not joined to the note's last line or
paragraph. Text typed directly above the block keeps every byte, its line break too.

In a Logseq page (`render_outline`) the block is a Logseq block instead (`outline.py`): Logseq makes
every line of a page a block and rewrites the page when it saves it, markers included. Finding, undoing
and hashing a note take out either form.

Nothing here touches the disk. `blocktext.NoteText` maps a file's bytes to text and back exactly, so that
bytes outside the block are never changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from notelink.notes import outline
from notelink.notes.blocktext import BlockError, NoteText, listing_hash, newline_of

START = "<!-- notelink:related:start -->"
END = "<!-- notelink:related:end -->"
MARKER_TEXT = "<!-- notelink:related:"
"""Any line holding this must be a well-formed marker, else the note is refused."""

_WRITTEN = re.compile(r"<!-- notelink:related:start placed=(end|user)(?: sep=([012]))? "
                      r"sha=([0-9a-f]{12}) -->")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_SNIFF = tuple(mark.encode(c) for mark in (MARKER_TEXT[5:], outline.MARK) for c in ("utf-8", "utf-16-le",
                                                                                    "utf-16-be"))


@dataclass(frozen=True)
class Block:
    """Where a block sits in a note's text (offsets into the text)."""

    start: int
    """Start of the start marker line."""
    start_end: int
    """End of the start marker's text (its line break follows)."""
    gap: int
    """Start of notelink's listing, after any blank lines the user left between bare markers."""
    end: int
    """Start of the end marker line."""
    stop: int
    """End of the end marker's text."""
    placed: str
    """`bare` (markers only, nothing written yet), `user` (filled into the user's markers) or `end`."""
    sep: int = 0
    """Line breaks notelink added before an appended block."""
    edited: bool = False
    """True when the listing no longer matches the hash in the start marker."""


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, content without its line break) of every line."""
    pos = 0
    while pos < len(text):
        nl = text.find("\n", pos)
        stop = len(text) if nl < 0 else nl
        yield pos, text[pos:stop].removesuffix("\r")
        pos = stop + 1


def _fence_closes(line: str, fence: str) -> bool:
    return re.fullmatch(r" {0,3}" + re.escape(fence[0]) + f"{{{len(fence)},}}[ \t]*", line) is not None


def _marker_lines(text: str) -> list[tuple[int, str, bool]]:
    """(offset, line, inside a fenced code block) of every line holding marker text."""
    found: list[tuple[int, str, bool]] = []
    fence = ""
    for pos, line in _lines(text):
        if fence:
            if _fence_closes(line, fence):
                fence = ""
            elif MARKER_TEXT in line:
                found.append((pos, line, True))
            continue
        m = _FENCE.match(line)
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence = m.group(1)
        if MARKER_TEXT in line:
            found.append((pos, line, bool(fence)))
    return found


def _line_no(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def find_block(text: str) -> Block | None:
    """The note's block, None if it has none, or BlockError when its markers are damaged or doubled."""
    if MARKER_TEXT not in text:
        return None
    marks = _marker_lines(text)
    for pos, line, fenced in marks:
        where = f"line {_line_no(text, pos)}"
        if fenced:
            raise BlockError(f"a notelink marker is inside a code block ({where}); notelink does not "
                             "write into code: move the markers out of the code block or remove them")
        if line != START and line != END and not _WRITTEN.fullmatch(line):
            raise BlockError(f"damaged notelink marker on {where}: {line.strip()[:60]!r}; fix it or "
                             "remove the block by hand")
    starts = [(p, line) for p, line, _ in marks if line != END]
    ends = [p for p, line, _ in marks if line == END]
    if len(starts) > 1 or len(ends) > 1:
        raise BlockError(f"duplicated block: {len(starts)} start and {len(ends)} end markers; keep one "
                         "block and delete the others by hand")
    if len(starts) != len(ends):
        which = "end" if starts else "start"
        raise BlockError(f"damaged block: the {which} marker is missing; restore it or delete the block")
    (start, line), end = starts[0], ends[0]
    if end < start:
        raise BlockError("damaged block: the end marker comes before the start marker")
    return _block(text, start, line, end)


def _gap(text: str, pos: int, end: int) -> int:
    """End of the blank lines from `pos` (the user's spacing after a start marker), at most `end`."""
    while pos < end:
        nl = text.find("\n", pos, end)
        if nl < 0 or text[pos:nl].strip():
            break
        pos = nl + 1
    return pos


def _block(text: str, start: int, line: str, end: int) -> Block:
    gap = _gap(text, text.index("\n", start) + 1, end)
    stop = end + len(END)
    if line == START:
        if gap != end:
            raise BlockError("the markers hold text notelink did not write; empty the block (keep the "
                             "two marker lines) or remove the markers")
        return Block(start, start + len(line), gap, end, stop, "bare")
    m = _WRITTEN.fullmatch(line)
    assert m is not None
    placed, sep = m.group(1), int(m.group(2) or 0)
    if (placed == "end") != (m.group(2) is not None):
        raise BlockError(f"damaged notelink marker on line {_line_no(text, start)}; remove the block by hand")
    if placed == "end":
        _check_appended(text, start, stop, sep)
    edited = listing_hash(text[gap:end]) != m.group(3)
    return Block(start, start + len(line), gap, end, stop, placed, sep, edited)


def _check_appended(text: str, start: int, stop: int, sep: int) -> None:
    """Refuses an appended block whose own line break after it is gone, or whose two line breaks before it
    (sep=2: the note did not end with one) are not both there: which of them notelink wrote is unknown."""
    nl = newline_of(text)
    before_ok = sep != 2 or text[:start].endswith(nl * 2)
    if not before_ok or text[stop : stop + len(nl)] != nl:
        raise BlockError("the text around the block changed since notelink added it (it was moved, or "
                         "line breaks next to it were edited); remove the block by hand")


def base_text(text: str, block: Block | None) -> str:
    """The note as it was before notelink wrote into it, with what the user wrote since."""
    if block is None or block.placed == "bare":
        return text
    if block.placed == "user":
        return text[: block.start] + START + text[block.start_end : block.gap] + text[block.end :]
    return _without_appended(text, block)


def _without_appended(text: str, block: Block) -> str:
    """An appended block taken out with the `sep` line breaks notelink put before it, while they are there
    as written: a note that ended with a line break gets it back once, not twice. When the user wrote
    directly above the block (or took out its blank line), every byte before it is theirs and stays; when
    they wrote below it, their text keeps its own blank line (or notelink's, if it has none)."""
    nl = newline_of(text)
    before, after = text[: block.start], text[block.stop + len(nl) :]
    intact = before.endswith(nl * 2) if block.sep else not before
    if not intact:
        return before + after
    if not after:
        return before[: len(before) - block.sep * len(nl)]
    if block.sep and after.startswith(nl):
        return before[: len(before) - len(nl)] + after
    return before + after


def without_block(text: str) -> str:
    """The text with notelink's block taken out, when it is well formed; else the text unchanged.

    Parsing and content hashes use this, so the block is never trained on, its links are not the user's,
    and writing it does not look like an edit. Either form: a Logseq block too (`outline`)."""
    text = outline.without(text)
    if MARKER_TEXT not in text:
        return text
    try:
        return base_text(text, find_block(text))
    except BlockError:
        return text


def with_block_of(text: str, model: str) -> str | None:
    """`text` with notelink's block as `model` holds it (none, filled into the user's markers, or appended at
    the end), every other byte of `text` kept: to undo a link after only the block changed since. None when
    that cannot be done exactly (a block with the user's text below it, damaged markers, two forms)."""
    if outline.span(text) or outline.span(model):  # (a Logseq block, unless both forms are there)
        return None if MARKER_TEXT in text or MARKER_TEXT in model else outline.with_block_of(text, model)
    try:
        mine, theirs = find_block(text), find_block(model)
    except BlockError:
        return None
    if any(b is not None and _text_follows(t, b) for t, b in ((text, mine), (model, theirs))):
        return None
    base = base_text(text, mine)
    out = _placed_as(base, model, theirs)
    return out if out is not None and _base_is(out, base) else None


def _placed_as(base: str, model: str, theirs: Block | None) -> str | None:
    """`base` (a note without notelink's block) with `model`'s block placed as it is there."""
    if theirs is None or theirs.placed == "bare":
        return base
    if theirs.placed == "end":
        return base + model[len(base_text(model, theirs)) :]
    return _filled_as(base, model, theirs)


def _filled_as(base: str, model: str, theirs: Block) -> str | None:
    """`base`'s bare markers filled with the listing of `model`'s block (placed in the user's markers)."""
    bare = find_block(base)
    if bare is None or bare.placed != "bare":
        return None
    return (base[: bare.start] + model[theirs.start : theirs.start_end] + base[bare.start_end : bare.end]
            + model[theirs.gap : theirs.end] + base[bare.end :])


def _base_is(text: str, base: str) -> bool:
    """Whether taking notelink's block out of `text` gives `base` exactly."""
    try:
        return base_text(text, find_block(text)) == base
    except BlockError:
        return False


def _insert(base: str, lines: list[str]) -> str:
    nl = newline_of(base)
    listing = "".join(line + nl for line in lines)
    sha = listing_hash(listing)
    block = find_block(base)
    if block is not None:  # bare markers the user placed
        head = f"<!-- notelink:related:start placed=user sha={sha} -->"
        return base[: block.start] + head + base[block.start_end : block.end] + listing + base[block.end :]
    sep = 0 if not base else 1 if base.endswith("\n") else 2
    head = f"<!-- notelink:related:start placed=end sep={sep} sha={sha} -->"
    return base + nl * sep + head + nl + listing + END + nl


def _text_follows(text: str, block: Block) -> bool:
    """True for an appended block after which the user has written more."""
    return block.placed == "end" and bool(text[block.stop + len(newline_of(text)):])


def _refill(text: str, block: Block, lines: list[str]) -> str:
    """The block's listing replaced where it stands (the text around it unchanged)."""
    nl = newline_of(text)
    listing = "".join(line + nl for line in lines)
    head = f"<!-- notelink:related:start placed=end sep={block.sep} sha={listing_hash(listing)} -->"
    return text[: block.start] + head + text[block.start_end : block.gap] + listing + text[block.end :]


def _current(text: str, removing: bool = False) -> Block | None:
    """The note's block, refused when edited by hand, with what to do about it for a write or (`removing`)
    an undo."""
    block = find_block(text)
    if block is not None and block.edited and removing:
        raise BlockError("the block was edited by hand since notelink wrote it, so removing it would lose "
                         "that edit; not removed: remove the block by hand (its two marker lines and the "
                         "lines between them), or undo your edit to it and run --undo again")
    if block is not None and block.edited:
        raise BlockError("the block was edited by hand since notelink wrote it; undo the edit, or delete "
                         "the listing (keep the two marker lines) to let notelink fill it again")
    return block


def render(text: str, lines: list[str]) -> str:
    """The note with its block listing `lines`: refreshed in place, filled into the user's markers, or
    appended at the end. Raises BlockError (with the reason) for notes it will not touch."""
    if not lines or any(not line.strip() or line != line.lstrip() or MARKER_TEXT in line or
                        "\n" in line or "\r" in line for line in lines):
        raise ValueError("listing lines must be non-empty single lines without marker text")
    current = _current(text)
    base = base_text(text, current)
    if current is not None and _text_follows(text, current):
        new = _refill(text, current, lines)
    else:
        new = _insert(base, lines)
    try:
        reversible = base_text(new, find_block(new)) == base
    except BlockError as exc:
        if "code block" not in str(exc):
            raise
        raise BlockError("the note ends inside a code block that is never closed, so a block added "
                         "at the end would be code; close the code block, or put the markers before "
                         "it") from None
    if not reversible:
        raise BlockError("notelink cannot add a block to this note in a way it can undo exactly "
                         "(unusual line breaks); left unchanged")
    return new


def render_outline(text: str, lines: list[str]) -> str:
    """`render` in a Logseq page: the block as a Logseq block (`outline.render`), unless the user placed
    the markers; one appended in this form by an earlier notelink is taken out first."""
    html = _current(text)
    if html is not None and html.placed != "end":
        return render(text, lines)
    return outline.render(base_text(text, html), lines)


def remove(text: str) -> str:
    """The note without notelink's block, exactly as before notelink first wrote it. Marker text that is
    only inside code blocks is no block: the note is left as it is. Either form (`outline.remove`)."""
    text = outline.remove(text)
    if all(fenced for _, _, fenced in _marker_lines(text)):
        return text
    return base_text(text, _current(text, removing=True))


def may_hold_block(data: bytes) -> bool:
    """Quick test on a file's bytes: False means it certainly holds no notelink marker."""
    return any(s in data for s in _SNIFF)


def unmanaged_bytes(data: bytes) -> bytes:
    """A note file's bytes with notelink's well-formed block taken out (what the index hashes)."""
    if not may_hold_block(data):
        return data
    try:
        note = NoteText.decode(data)
    except BlockError:
        return data
    stripped = without_block(note.text)
    return data if stripped == note.text else note.encode(stripped)

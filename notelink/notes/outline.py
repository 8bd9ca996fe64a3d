"""notelink's block in a Logseq page, as a Logseq block: a bullet with the related pages as its children.

    - Related notes
      notelink:: related sha=0123456789ab
        - [[Other page]]
        - [[Another page]]

(the links a tab in, or as deep as the page's own children are).

Logseq reads every `- ` line of a page as a block and every other line as the text of the block above it;
when it saves a page it writes the whole page again from its blocks (`tree->file-content` in Logseq's
`frontend/modules/file/core.cljs`): bullets indented by `:export/bullet-indentation` (a tab unless set),
a block's further lines by its bullet's indentation and two spaces, each block's text trimmed (blank lines
between blocks gone), no line break at the end of the file, `collapsed:: true` added to a folded block's
properties and `id:: <uuid>` to a block another refers to. The HTML comments of `block.py` would be the
text of the blocks around them there, indented by its next save, and no longer found.

So this block is found by its block property `notelink:: related sha=...` (Logseq keeps a block's
properties in its text as written). It ends at the first line indented no deeper than its bullet, and its
hash is of its lines without their indentation, blank lines and Logseq's own properties (`collapsed::`,
`id::`, `created-at::`...): Logseq saving the page again is no edit of it. It is appended at the end of the
page, at the top level; taken out, it takes one line break with it, the one after it or (at the end of a
page saved without one) the one before it, so that a page gets back exactly its own bytes, or what
Logseq's save made of them.

A block that another block may refer to (an `id::` among its lines: Logseq writes one when a reference to
the block is copied) is not taken out, nor a link of it with an `id::` replaced: the reference would break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from notelink.notes.blocktext import BlockError, listing_hash, newline_of

TITLE = "Related notes"
"""The block's own line: what a Logseq user sees, above the related pages."""
MARK = "notelink:: related"
"""What a line of the block's property starts with (indentation aside); nothing else is looked at."""

_MINE = re.compile(r"notelink:: related sha=([0-9a-f]{12})")
_PROPERTY = re.compile(r"([^\s:]+)::(?:\s.*)?")
_BULLET = re.compile(r"([ \t]*)-(?: |$)")
_FENCE = re.compile(r"[ \t]*(?:- )?[ \t]*(`{3,}|~{3,})")
_LOGSEQS = {"collapsed", "id", "created-at", "updated-at", "last-modified-at", "heading", "background-color"}
"""Properties Logseq writes into a block itself (folding it, referring to it, timestamps, its heading or
colour from a menu), hidden in its editor: no edit of notelink's block."""


@dataclass(frozen=True)
class Outline:
    """Where the block sits in a page's text (offsets)."""

    start: int
    """Start of its bullet line."""
    mark: int
    """Start of the property's text (after its indentation)."""
    mark_end: int
    """End of the property's line (its line break excluded)."""
    children: int
    """Start of the first line after the block's properties (`stop` when it has no more lines)."""
    stop: int
    """End of its last line that is not blank (its line break excluded)."""
    sha: str
    """The hash its property holds."""
    edited: bool
    """True when its lines no longer hash to `sha`."""
    referred: bool
    """True when one of its lines is an `id::`: another block may refer to it."""
    links_referred: bool
    """True when a line under its properties (its links) is an `id::`."""


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line's content, its line break excluded."""
    out, pos = [], 0
    while pos < len(text):
        nl = text.find("\n", pos)
        stop = len(text) if nl < 0 else nl
        out.append((pos, stop - 1 if stop > pos and text[stop - 1] == "\r" else stop))
        pos = stop + 1
    return out


def _width(line: str) -> int:
    """How deep a line is indented (a tab as four spaces)."""
    return len(line[: len(line) - len(line.lstrip(" \t"))].expandtabs(4))


def _unfenced(text: str, lines: list[tuple[int, int]]) -> tuple[list[int], bool]:
    """The lines holding the block's property outside code blocks, and whether the page ends inside one."""
    found, fence = [], ""
    for i, (a, b) in enumerate(lines):
        line = text[a:b]
        m = _FENCE.match(line)
        if fence:
            fence = "" if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and \
                not line[m.end():].strip() else fence
        elif m and not (m.group(1)[0] == "`" and "`" in line[m.end():]):
            fence = m.group(1)
        elif line.lstrip(" \t").startswith(MARK):
            found.append(i)
    return found, bool(fence)


def find(text: str) -> Outline | None:
    """The page's block, None if it has none, or BlockError when it is doubled or damaged."""
    if MARK not in text:
        return None
    lines = _lines(text)
    marks, _ = _unfenced(text, lines)
    if not marks:
        return None
    if len(marks) > 1:
        raise BlockError(f"duplicated block: {len(marks)} `notelink:: related` properties; keep one block "
                         "and delete the others by hand")
    return _outline(text, lines, marks[0])


def _outline(text: str, lines: list[tuple[int, int]], i: int) -> Outline:
    line = text[lines[i][0] : lines[i][1]]
    m = _MINE.fullmatch(line.lstrip(" \t"))
    if m is None:
        raise BlockError(f"damaged notelink property on line {i + 1}: {line.strip()[:60]!r}; fix it or "
                         "remove the block by hand")
    top = i - 1  # its bullet: the line above its other properties
    while top >= 0 and _PROPERTY.fullmatch(text[lines[top][0] : lines[top][1]].strip()):
        top -= 1
    bullet = text[lines[top][0] : lines[top][1]] if top >= 0 else ""
    if top < 0 or not _BULLET.match(bullet) or _width(bullet) >= _width(line):
        raise BlockError(f"damaged block: the notelink property on line {i + 1} belongs to no block; "
                         "remove it, or the block, by hand")
    last, k, children = i, i + 1, None
    while k < len(lines):
        here = text[lines[k][0] : lines[k][1]]
        if here.strip():
            if _width(here) <= _width(bullet):
                break
            if children is None and not _PROPERTY.fullmatch(here.strip()):
                children = lines[k][0]
            last = k
        k += 1
    body = [(a, text[a:b].strip()) for a, b in lines[top : last + 1]]
    children = lines[last][1] if children is None else children
    ids = [a for a, s in body if _logseqs(s) == "id"]
    kept = [s for _, s in body if s and not s.startswith(MARK) and _logseqs(s) is None]
    return Outline(lines[top][0], lines[i][1] - len(line.lstrip(" \t")), lines[i][1], children,
                   lines[last][1], m.group(1), _hash(kept) != m.group(1), bool(ids),
                   any(a >= children for a in ids))


def _logseqs(line: str) -> str | None:
    """The key of one of Logseq's own properties on this line (stripped), else None."""
    p = _PROPERTY.fullmatch(line)
    return p.group(1).lower() if p and p.group(1).lower() in _LOGSEQS else None


def _hash(kept: list[str]) -> str:
    return listing_hash("\n".join(kept))


def _cut(text: str, block: Outline) -> str:
    """The page without the block and one line break: the one after it, else the one before it."""
    if block.stop < len(text):
        after = block.stop + (2 if text.startswith("\r\n", block.stop) else 1)
        return text[: block.start] + text[after:]
    before = text[: block.start]
    return before[: -2] if before.endswith("\r\n") else before[: -1] if before.endswith("\n") else before


def without(text: str) -> str:
    """The page with notelink's block taken out when it is well formed, else as it is (what is parsed and
    hashed: the block is never trained on, its links are not the user's)."""
    try:
        block = find(text)
    except BlockError:
        return text
    return text if block is None else _cut(text, block)


def span(text: str) -> tuple[int, int] | None:
    """Where the block is, for what must not be touched in it (mentions); None when there is none."""
    try:
        block = find(text)
    except BlockError:
        return None
    return None if block is None else (block.start, block.stop)


def follows(text: str, block: Outline) -> bool:
    """True when the user's text follows the block (a block written after it, say)."""
    return bool(text[block.stop :].strip())


REFERRED = ("Logseq gave notelink's block, or a link in it, a block id (`id::`: another block may refer "
            "to it), so {} it would break that reference; left as it is: remove the block by hand, or "
            "remove the `id::` line if nothing refers to it")


def remove(text: str) -> str:
    """The page without notelink's block; BlockError when it was edited or may be referred to."""
    block = find(text)
    if block is None:
        return text
    if block.edited:
        raise BlockError("the block was edited since notelink wrote it, so removing it would lose that "
                         "edit; not removed: remove the block by hand (its bullet and the lines under it), "
                         "or undo your edit to it and run --undo again")
    if block.referred:
        raise BlockError(REFERRED.format("removing"))
    return _cut(text, block)


def render(text: str, lines: list[str]) -> str:
    """The page with notelink's block listing `lines` (each `- [[link]]`): refreshed where it is (its bullet,
    properties and place kept), else appended at the end. BlockError for pages it will not touch."""
    if not lines or any(not line.startswith("- ") or line != line.strip() or MARK in line or
                        "\n" in line or "\r" in line for line in lines):
        raise ValueError("listing lines must be single `- ` lines without the block's property")
    sha = _hash([f"- {TITLE}", *lines])
    block = find(text)
    if block is None:
        return _append(text, lines, sha)
    if block.edited:
        raise BlockError("the block was edited since notelink wrote it; undo the edit, or delete the "
                         "block to let notelink write it again")
    if block.sha == sha:
        return text
    if block.links_referred:  # (an id of the block itself stays with it)
        raise BlockError(REFERRED.format("replacing its links"))
    return _refill(text, block, lines, sha)


def _append(text: str, lines: list[str], sha: str) -> str:
    _, open_fence = _unfenced(text, _lines(text))
    if open_fence:
        raise BlockError("the page ends inside a code block that is never closed, so a block added at the "
                         "end would be code; close the code block")
    nl = newline_of(text)
    unit = next((m.group(1) for m in re.finditer(r"^([ \t]+)- ", text, re.MULTILINE)), "\t")
    block = f"- {TITLE}{nl}  notelink:: related sha={sha}{nl}" + nl.join(unit + line for line in lines)
    return text + block + nl if not text or text.endswith("\n") else text + nl + block


def _refill(text: str, block: Outline, lines: list[str], sha: str) -> str:
    """The block's links replaced under its bullet, indented as its first link was."""
    nl, first = newline_of(text), text[block.children : block.stop]
    bullet = text[block.start : text.find("\n", block.start)]
    indent = first[: len(first) - len(first.lstrip(" \t"))] if first.strip() else \
        bullet[: len(bullet) - len(bullet.lstrip(" \t"))] + "\t"
    links = nl.join(indent + line for line in lines)
    head = (text[block.start : block.mark] + f"notelink:: related sha={sha}" +
            text[block.mark_end : block.children])
    if block.children == block.stop:  # (no line after its properties: the links start on a new line)
        head += nl
    return text[: block.start] + head + links + text[block.stop :]


def with_block_of(text: str, model: str) -> str | None:
    """`text` with notelink's block as `model` holds it (none, or appended at the end), every other byte of
    `text` kept: to undo a link after only the block changed since. None when that cannot be done exactly
    (the user's text after a block, a damaged block)."""
    try:
        mine, theirs = find(text), find(model)
    except BlockError:
        return None
    if (mine is not None and follows(text, mine)) or (theirs is not None and follows(model, theirs)):
        return None
    base = text if mine is None else _cut(text, mine)
    if theirs is None:
        return base
    written = model[theirs.start : theirs.stop]
    if theirs.stop < len(model):  # followed by its line break: the page before it ended with one
        out = base + written + model[theirs.stop :] if not base or base.endswith("\n") else None
    else:
        out = base + model[len(_cut(model, theirs)) : theirs.start] + written if base else written
    return out if out is not None and without(out) == base else None

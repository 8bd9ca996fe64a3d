"""What Logseq (file graphs, 0.10) does to a Markdown page when it saves it, for tests: the page read into
blocks as its graph parser reads it, then written back as `tree->file-content` writes it.

From Logseq's source (`deps/graph-parser/src/logseq/graph_parser/block.cljs`: `extract-blocks`,
`get-block-content`, `with-pre-block-if-exists`; `src/main/frontend/modules/file/core.cljs`:
`transform-content`, `tree->file-content`; `src/main/frontend/util/property.cljs`: `insert-property`):
- every `- ` line starts a block; every other line is the text of the block above it (its indentation up
  to its bullet's and two spaces taken off); text before the first bullet is the page's first block;
- a block is written as its bullet indented by `indent` per level (`:export/bullet-indentation`, a tab
  unless set) and its text trimmed, its further lines indented by its bullet's indentation and two spaces;
  the first block when its first line holds `:: ` (page properties) without a bullet, and a line break;
- blocks joined by one line break, none at the end of the file; CRLF read as LF;
- `collapsed:: true` (a folded block) and `id:: <uuid>` (a block referred to) added after the block's
  properties, or after its first line when it has none.
Headings without bullets, org-mode and `heading-to-list?` are left out: the pages tested have none.
"""

from __future__ import annotations

import re

_BULLET = re.compile(r"([ \t]*)-(?: (.*)|$)")
_PROPERTY = re.compile(r"[^\s:]+::(?:\s.*)?")


def _width(space: str) -> int:
    return len(space.expandtabs(4))


def _dedent(line: str, width: int) -> str:
    """A block's further line without its indentation area (`remove-indentation-spaces`)."""
    lead = line[: len(line) - len(line.lstrip(" \t"))]
    if _width(lead) <= width:
        return line.lstrip(" \t")
    cut = 0
    while _width(line[:cut]) < width:
        cut += 1
    return line[cut:]


def _blocks(text: str) -> tuple[list[str], list[tuple[int, int, list[str]]]]:
    """The lines before the first bullet, and each block's (level, bullet width, lines of text)."""
    pre: list[str] = []
    blocks: list[tuple[int, int, list[str]]] = []
    stack: list[int] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        m = _BULLET.match(line)
        if m:
            width = _width(m.group(1))
            while stack and stack[-1] >= width:
                stack.pop()
            stack.append(width)
            blocks.append((len(stack), width, [m.group(2) or ""]))
        elif blocks:
            blocks[-1][2].append(_dedent(line, blocks[-1][1] + 2))
        else:
            pre.append(line)
    return pre, blocks


def _with_property(lines: list[str], prop: str) -> list[str]:
    """`insert-property`: after the block's properties, else after its first line."""
    at = 1
    while at < len(lines) and _PROPERTY.fullmatch(lines[at]):
        at += 1
    key = prop.split("::")[0]
    if any(line.startswith(key + "::") for line in lines[1:at]):
        return lines
    return [*lines[:at], prop, *lines[at:]]


def resave(text: str, indent: str = "\t", collapsed: tuple[str, ...] = (),
           ids: dict[str, str] | None = None) -> str:
    """The page as Logseq writes it back: `collapsed` names the blocks (by their first line) folded, `ids`
    those another block refers to, with their uuids."""
    pre, blocks = _blocks(text)
    out: list[str] = []
    if "".join(pre).strip():
        out.append("\n".join(pre).strip() + "\n")
    for i, (level, _, lines) in enumerate(blocks):
        content = "\n".join(lines).strip()
        first = content.split("\n")[0]
        if i == 0 and not out and ":: " in first:
            out.append(content + "\n")
            continue
        lines = content.split("\n")
        if first in collapsed:
            lines = _with_property(lines, "collapsed:: true")
        if ids and first in ids:
            lines = _with_property(lines, f"id:: {ids[first]}")
        pad = indent * (level - 1)
        body = ("\n" + pad + "  ").join(lines)
        out.append(pad + "-" + (" " + body if body else ""))
    return "\n".join(out)

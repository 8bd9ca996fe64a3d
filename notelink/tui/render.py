"""Markdown as lines of styled text for the note view: parsed once into a few kinds of block, laid out for
a width.

Textual's Markdown widget mounts several widgets per block (four per list item): a list of 300 links took
3 s of CPU to show, and every later layout walked those widgets. Here a note is lines of `Content` in one
widget that draws only the rows on screen (`noteview.NoteView`). Blocks: paragraphs, headings, lists (nested,
numbered, tight or loose), quotes, code (wrapped lines marked `↪`), tables, rules, raw HTML and footnotes;
links, images and footnote marks are clickable (`@click` → the view's `open_link` action; a mark `[1]` goes to
its definition, laid out where it is written, under a `Footnotes` rule). Styles are the view's component
classes (`.noteview--*`), so they follow the theme.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from textual.content import Content, Span
from textual.style import Style

from notelink.tui.linebreak import fold_code, wrap
from notelink.tui.tables import Table, table_lines
from notelink.tui.text import FOOTNOTE

BULLETS = ("•", "◦", "▪", "‣")
"""List bullets by depth."""

IMAGE = "📷"
"""An image's mark, before its alt text: a wide character by every count (East Asian Width W). The framed
picture (🖼, width 1 in Unicode's tables) was drawn 2 cells wide by tmux and other terminals, which pushed
the line's end, and the note view's border with it, one cell right."""


@dataclass
class Paragraph:
    text: Content
    heading: int = 0  # 1-6 for a heading
    raw: bool = False  # an HTML block, shown as it is written


@dataclass
class Code:
    text: str


@dataclass
class Rule:
    pass


@dataclass
class Quote:
    children: list[Block]


@dataclass
class ListBlock:
    ordered: bool
    tight: bool
    items: list[tuple[str, list[Block]]]  # (marker, the item's blocks)


@dataclass
class Footnote:
    label: str  # as written: `[^note]: …` is "note"
    children: list[Block]


Block = Paragraph | Code | Rule | Quote | ListBlock | Table | Footnote


@dataclass
class Laid:
    """Blocks laid out for one width: the lines, each heading's (level, text, line), and the widest line's
    cells when a table is wider than the width (else at most the width)."""

    lines: list[Content] = field(default_factory=list)
    headings: list[tuple[int, str, int]] = field(default_factory=list)
    width: int = 0
    footnotes: dict[str, int] = field(default_factory=dict)  # each footnote definition's line, by label
    in_footnotes: bool = False  # the last block laid out was a footnote definition (its rule is drawn)


_MARKDOWN = MarkdownIt("gfm-like").use(footnote_plugin, inline=False, move_to_end=False)
"""GFM-like rules (as Textual's Markdown) and footnotes: a definition stays where it is written; a mark `[^1]`
is one when the note defines it (`parse`'s `footnotes`: in another piece of the note too), else text."""


def parse(markdown: str, footnotes: Collection[str] = ()) -> list[Block]:
    """The top-level blocks of a Markdown text (markdown-it's GFM-like rules, as Textual's Markdown); a mark
    `[^label]` is a footnote's when the text defines it, or `footnotes` (the whole note's labels, when the
    text is a piece of it: `chunks.footnote_labels`) has it."""
    env = {"footnotes": {"refs": {f":{label}": -1 for label in footnotes}}} if footnotes else {}
    tokens = _MARKDOWN.parse(markdown, env)
    blocks, _ = _blocks(tokens, 0, "")
    return blocks


def _blocks(tokens: list[Token], i: int, until: str) -> tuple[list[Block], int]:
    """Blocks from tokens[i] up to the closing token `until` ("" = the end); returns them and the index
    after that closing token."""
    out: list[Block] = []
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == until:
            return out, i + 1
        if kind in ("paragraph_open", "heading_open"):
            level = int(token.tag[1]) if kind == "heading_open" else 0
            out.append(Paragraph(inline(tokens[i + 1]), level))
            i += 3
        elif kind in ("fence", "code_block"):
            out.append(Code(token.content.rstrip("\n")))
            i += 1
        elif kind == "html_block":
            html = token.content.rstrip("\n")
            out.append(Paragraph(Content(html, [Span(0, len(html), "dim")]), raw=True))
            i += 1
        elif kind == "hr":
            out.append(Rule())
            i += 1
        elif kind == "blockquote_open":
            children, i = _blocks(tokens, i + 1, "blockquote_close")
            out.append(Quote(children))
        elif kind in ("bullet_list_open", "ordered_list_open"):
            listed, i = _list(tokens, i)
            out.append(listed)
        elif kind == "table_open":
            table, i = _table(tokens, i)
            out.append(table)
        elif kind == "footnote_reference_open":
            children, i = _blocks(tokens, i + 1, "footnote_reference_close")
            out.append(Footnote(str(token.meta.get("label", "")), children))
        else:  # a token of a syntax not handled here: its text, if any
            if token.content:
                out.append(Paragraph(Content(token.content.strip())))
            i += 1
    return out, i


def _list(tokens: list[Token], i: int) -> tuple[ListBlock, int]:
    opening = tokens[i]
    ordered = opening.type == "ordered_list_open"
    close = "ordered_list_close" if ordered else "bullet_list_close"
    number = int(opening.attrs.get("start", 1) or 1)
    items: list[tuple[str, list[Block]]] = []
    tight = True
    i += 1
    while tokens[i].type != close:  # list_item_open
        marker = f"{number}{opening.markup or '.'}" if ordered else ""
        first = tokens[i + 1]
        tight = tight and (first.hidden or first.type != "paragraph_open")
        children, i = _blocks(tokens, i + 1, "list_item_close")
        items.append((marker, children))
        number += 1
    return ListBlock(ordered, tight, items), i + 1


def _table(tokens: list[Token], i: int) -> tuple[Table, int]:
    head: list[Content] = []
    rows: list[list[Content]] = []
    align: list[str] = []
    row: list[Content] = []
    while tokens[i].type != "table_close":
        token = tokens[i]
        if token.type in ("th_open", "td_open"):
            style = str(token.attrs.get("style", ""))
            if token.type == "th_open":
                align.append(style.partition(":")[2] or "left")
            row.append(inline(tokens[i + 1]))
        elif token.type == "tr_close":
            if head:
                rows.append(row)
            else:
                head = row
            row = []
        i += 1
    return Table(head, rows, align), i + 1


_SPACES = re.compile(r"\s+")
_STYLES = {"em_open": "italic", "strong_open": "bold", "s_open": "strike"}


def inline(token: Token) -> Content:
    """An inline token (a paragraph's, a heading's, a cell's) as Content: emphasis, code, links."""
    parts: list[str] = []
    spans: list[Span] = []
    stack: list[tuple[int, Style | str]] = []
    at = 0
    for child in token.children or ():
        kind = child.type
        text = ""
        if kind == "text":
            text = _SPACES.sub(" ", child.content)
        elif kind == "softbreak":
            text = " "
        elif kind == "hardbreak":
            text = "\n"
        elif kind == "code_inline":
            text = child.content
            spans.append(Span(at, at + len(text), ".noteview--code-inline"))
        elif kind == "html_inline":
            text = child.content
            spans.append(Span(at, at + len(text), "dim"))
        elif kind == "footnote_ref":
            label = str(child.meta.get("label", ""))
            text = f"[{label}]"
            spans.append(Span(at, at + len(text), _link_style(FOOTNOTE + label)))
            spans.append(Span(at, at + len(text), ".noteview--footnote"))
        elif kind == "image":
            text = f"{IMAGE} " + (child.content or str(child.attrs.get("alt", "")) or "image")
            spans.append(Span(at, at + len(text), _link_style(str(child.attrs.get("src", "")))))
            spans.append(Span(at, at + len(text), ".noteview--link"))
        elif kind in _STYLES:
            stack.append((at, _STYLES[kind]))
        elif kind == "link_open":
            stack.append((at, _link_style(str(child.attrs.get("href", "")))))
            stack.append((at, ".noteview--link"))
        elif kind.endswith("_close") and stack:
            for _ in range(2 if kind == "link_close" else 1):
                start, style = stack.pop()
                spans.append(Span(start, at, style))
        parts.append(text)
        at += len(text)
    return Content("".join(parts), [s for s in spans if s.end > s.start])


def _link_style(href: str) -> Style:
    return Style.from_meta({"@click": f"open_link({href!r})"})


# -- layout ---------------------------------------------------------------------------------------

def lay_out(blocks: Sequence[Block], width: int, laid: Laid | None = None) -> Laid:
    """The blocks' lines for a width (appended to `laid` when given), a blank line between blocks."""
    laid = laid if laid is not None else Laid()
    for k, block in enumerate(blocks):
        footnote = isinstance(block, Footnote)
        if k and not (footnote and laid.in_footnotes):
            laid.lines.append(Content(""))
        if isinstance(block, Paragraph) and block.heading:
            laid.headings.append((block.heading, block.text.plain, len(laid.lines)))
        if footnote and not laid.in_footnotes:
            laid.lines.append(_footnotes_rule(max(width, 4)))
        if isinstance(block, Footnote):
            laid.footnotes.setdefault(block.label, len(laid.lines))
        laid.in_footnotes = footnote
        lines = _block_lines(block, max(width, 4))
        laid.lines.extend(lines)
        if _has_table(block):  # (other blocks are wrapped to the width)
            laid.width = max([laid.width, *(line.cell_length for line in lines)])
    return laid


def _has_table(block: Block) -> bool:
    if isinstance(block, Quote):
        return any(map(_has_table, block.children))
    if isinstance(block, ListBlock):
        return any(_has_table(child) for _, children in block.items for child in children)
    return isinstance(block, Table)


def _block_lines(block: Block, width: int) -> list[Content]:
    if isinstance(block, Paragraph):
        return _paragraph(block, width)
    if isinstance(block, Code):
        return [_code_line(line, k > 0, width) for raw in block.text.split("\n")
                for k, line in enumerate(fold_code(raw.expandtabs(4), width - 1))]
    if isinstance(block, Rule):
        return [Content("─" * width, [Span(0, width, ".noteview--rule")])]
    if isinstance(block, Quote):
        mark = Content("▌ ", [Span(0, 1, ".noteview--quote")])
        return _indented(lay_out(block.children, width - 2).lines, mark, mark)
    if isinstance(block, ListBlock):
        return _list_lines(block, width, 0)
    if isinstance(block, Footnote):
        return _footnote_lines(block, width)
    return table_lines(block, width)


def _code_line(text: str, continued: bool, width: int) -> Content:
    """A line of code `width` cells wide, after a cell that marks a line of code wrapped there (`↪`)."""
    line = Content(("↪" if continued else " ") + text)
    line = line.extend_right(width - line.cell_length).stylize(".noteview--code")
    return line.stylize(".noteview--rule", 0, 1) if continued else line


FOOTNOTES = "Footnotes"
"""The rule's title above a note's footnote definitions."""


def _footnotes_rule(width: int) -> Content:
    """`── Footnotes ─────`: where a run of footnote definitions starts, as a reader expects them."""
    text = f"── {FOOTNOTES} ".ljust(width, "─")[:width]
    return Content(text, [Span(0, len(text), ".noteview--rule")])


def _footnote_lines(block: Footnote, width: int) -> list[Content]:
    """A footnote's definition: its mark `[1]`, then its blocks indented after the mark (a mark wider than a
    third of the width on a line of its own)."""
    mark = Content(f"[{block.label}]", [Span(0, len(block.label) + 2, ".noteview--footnote")])
    gutter = mark.cell_length + 1
    if gutter > max(width // 3, 2):
        gutter = 2
        body = _item_lines(block.children, width - gutter, 0, True)
        return [mark, *_indented(body, Content(" " * gutter), Content(" " * gutter))]
    body = _item_lines(block.children, width - gutter, 0, True) or [Content("")]
    return _indented(body, mark + " ", Content(" " * gutter))


def _paragraph(block: Paragraph, width: int) -> list[Content]:
    text = block.text
    if block.heading:
        style = f".noteview--h{min(block.heading, 4)}"
        text = text.stylize(style)
        lines = wrap(text, width)
        return [line.center(width) for line in lines] if block.heading == 1 else lines
    return wrap(text, width) if not block.raw else [
        line for raw in text.split("\n") for line in raw.fold(width)]


def _list_lines(block: ListBlock, width: int, depth: int) -> list[Content]:
    markers = [m or BULLETS[depth % len(BULLETS)] for m, _ in block.items]
    gutter = max(len(m) for m in markers) + 1
    lines: list[Content] = []
    for (_, children), marker in zip(block.items, markers, strict=True):
        if lines and not block.tight:
            lines.append(Content(""))
        body = _item_lines(children, width - gutter, depth, block.tight)
        first = Content(marker.rjust(gutter - 1) + " ", [Span(0, gutter - 1, ".noteview--bullet")])
        lines.extend(_indented(body or [Content("")], first, Content(" " * gutter)))
    return lines


def _item_lines(children: list[Block], width: int, depth: int, tight: bool) -> list[Content]:
    """A list item's blocks; nested lists go one bullet deeper, and a tight list has no blank lines."""
    lines: list[Content] = []
    for k, child in enumerate(children):
        if k and not (tight and isinstance(child, ListBlock | Paragraph)):
            lines.append(Content(""))
        if isinstance(child, ListBlock):
            lines.extend(_list_lines(child, width, depth + 1))
        else:
            lines.extend(_block_lines(child, max(width, 4)))
    return lines


def _indented(lines: list[Content], first: Content, rest: Content) -> list[Content]:
    return [(first if k == 0 else rest) + line for k, line in enumerate(lines)]


def continues_list(before: list[Block], blocks: list[Block]) -> bool:
    """True when a piece's `blocks` start with the rest of a tight list, or of a run of footnote definitions,
    that ended the piece `before` (no blank line between them)."""
    if not before or not blocks:
        return False
    last, first = before[-1], blocks[0]
    if isinstance(last, Footnote) and isinstance(first, Footnote):
        return True  # (one run of footnote definitions)
    return (isinstance(last, ListBlock) and isinstance(first, ListBlock) and last.tight and first.tight
            and last.ordered == first.ordered)

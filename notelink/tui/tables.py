"""A Markdown table laid out for the note view: its cells wrapped in columns that share the width, a rule
under the header (and between rows of several lines); wider than the width, rather than cut, when even its
longest words do not fit (the view scrolls sideways). Parsed by `render`, which lays out the other blocks."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content, Span

from notelink.tui.linebreak import min_width, wrap


@dataclass
class Table:
    head: list[Content]
    rows: list[list[Content]]
    align: list[str]  # "left" | "center" | "right" per column


def table_lines(table: Table, width: int) -> list[Content]:
    """A table: its cells wrapped in columns that share the width (`_column_widths`), a rule under the
    header, and between rows when a row takes several lines. Too narrow for its longest words, it is wider
    than `width` (the view scrolls sideways) rather than cut."""
    columns = max([len(table.head), *map(len, table.rows)], default=0)
    if not columns:
        return []
    rows = [row + [Content("")] * (columns - len(row)) for row in [table.head, *table.rows]]
    widths = _table_widths(rows, width - 3 * (columns - 1))
    cells = [[_cell_lines(cell, w) for cell, w in zip(row, widths, strict=True)] for row in rows]
    widths = [max(line.cell_length for row in cells for line in row[c]) for c in range(columns)]  # (wrapped)
    align = table.align + ["left"] * (columns - len(table.align))
    rule = "─┼─".join("─" * w for w in widths)
    ruled = any(len(cell) > 1 for row in cells[1:] for cell in row)  # (rows of several lines)
    out = [line.stylize(".noteview--table-head") for line in _table_row(cells[0], widths, align)]
    for k, row in enumerate(cells[1:]):
        if k == 0 or ruled:
            out.append(Content(rule, [Span(0, len(rule), ".noteview--rule")]))
        out.extend(_table_row(row, widths, align))
    return out


def _table_widths(rows: list[list[Content]], room: int) -> list[int]:
    """The columns' widths: their widest cells' when the table fits `room`, else `_column_widths`."""
    columns = range(len(rows[0]))
    natural = [max(row[c].cell_length for row in rows) for c in columns]
    if sum(natural) <= room:
        return natural
    return _column_widths(natural, [max(min_width(row[c].plain) for row in rows) for c in columns], room)


TABLE_WORD = 24
"""A table's column is made no narrower than its longest word, up to this many cells (a longer one, a URL,
is folded in its column)."""


def _column_widths(natural: list[int], longest: list[int], room: int) -> list[int]:
    """Column widths for natural widths too wide for `room` together: every column capped at the one width
    that fills the room, none below its longest word (`TABLE_WORD` at most); those minimums when even they
    do not fit."""
    least = [max(1, min(w, n, TABLE_WORD)) for w, n in zip(longest, natural, strict=True)]
    natural = [max(n, m) for n, m in zip(natural, least, strict=True)]
    low, high = 0, max(natural)  # the widest cap that fits, by bisection
    while low < high:
        cap = (low + high + 1) // 2
        if sum(max(m, min(n, cap)) for n, m in zip(natural, least, strict=True)) <= room:
            low = cap
        else:
            high = cap - 1
    return [max(m, min(n, low)) for n, m in zip(natural, least, strict=True)]


def _cell_lines(cell: Content, width: int) -> list[Content]:
    """A cell's lines in its column (most cells fit as they are: not wrapped again)."""
    if cell.cell_length <= width and "\n" not in cell.plain:
        return [cell]
    return wrap(cell, width) or [Content("")]


def _table_row(cells: list[list[Content]], widths: list[int], align: list[str]) -> list[Content]:
    """A row's lines: each cell's lines in its column, aligned, blank below a cell's last line."""
    sep = Content(" │ ", [Span(0, 3, ".noteview--rule")])
    return [sep.join(_aligned(cell[y] if y < len(cell) else Content(""), w, how)
                     for cell, w, how in zip(cells, widths, align, strict=True))
            for y in range(max(map(len, cells)))]


def _aligned(part: Content, width: int, how: str) -> Content:
    """A table cell's content padded to `width` cells as its column is aligned (`left`, `right`, `center`)."""
    if how == "right":
        return part.right(width)
    return part.center(width) if how == "center" else part.extend_right(width - part.cell_length)

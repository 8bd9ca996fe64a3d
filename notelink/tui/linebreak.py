"""Where a line of text may break, for text that mixes CJK and Latin words.

Textual wraps text (`Content.wrap`, and every widget that shows text) at spaces only: a run without a space
that is longer than what is left of the line is cut where the width ends. Chinese and Japanese are written
without spaces, so a CJK sentence and the Latin word after it (`…堆肥と水。tomatoes`) made one run, cut inside
the Latin word (`…水。tomato` / `es compost soil.`). Here, as in Unicode's line-breaking rules (UAX #14,
simplified), a line may also break before and after each CJK character, but never before closing punctuation
(`。`, `」`, small kana, …) nor after opening punctuation (`「`, `（`); Latin words stay whole unless one is
wider than the line. Text without CJK characters is wrapped by Textual itself, exactly as before.

A line of code (`fold_code`) keeps its spaces: it breaks after its last space or punctuation that fits, else
at the width (Textual's fold cut names in two: `a_long_na` / `me(argument`).
"""

from __future__ import annotations

import re

from rich.cells import cell_len, get_character_cell_size
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

_CJK = ("\u2e80-\u2fff\u3001-\u303f\u3040-\u309f\u30a0-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf"
        "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff")
"""Ideographs, kana, bopomofo, CJK punctuation and full-width forms: a line may break on either side."""

_CLOSING = ("、。，．・：；？！）］｝」』】〕〗〙〛〉》〟ー々〻ゝゞヽヾ"
            "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ.,:;!?)]}")
"""Never at the start of a line: they stay with the character before them."""

_OPENING = "（［｛「『【〔〖〘〚〈《〝"
"""Never at the end of a line: they stay with the character after them."""

_HAS_CJK = re.compile(f"[{_CJK}]")
_CHUNK = re.compile(f"[{_OPENING}]*(?:[{_CJK}]|[^\\s{_CJK}]+)[{re.escape(_CLOSING)}]*\\s*|\\s+")
"""What a line never breaks inside: one CJK character, or a run of other characters, with the punctuation
that must stay beside it and the spaces after it."""


def wrap(content: Content, width: int) -> list[Content]:
    """`content`'s lines ("\\n" kept) broken to fit `width` cells: at spaces, and around CJK characters."""
    if not _HAS_CJK.search(content.plain):
        return content.wrap(width, overflow="fold")
    lines: list[Content] = []
    for line in content.expand_tabs().split("\n", allow_blank=True):
        offsets = break_offsets(line.plain, width)
        lines.extend(part.rstrip() for part in (line.divide(offsets) if offsets else [line]))
    return lines


_CODE_BREAK = re.compile(r"[\s,;.(){}\[\]<>=+*/|&:-]+")
"""Where a line of code may break: after a run of spaces, operators or punctuation."""


def fold_code(line: str, width: int) -> list[str]:
    """A line of code (no tabs) in pieces of at most `width` cells, every character kept: each broken after
    its last space or punctuation (`_CODE_BREAK`) after some code, else cut at the width. Each piece reads
    a window of the line, never the rest of it: a 200 KB minified line took 2.3 s (1 MB: a minute)."""
    width = max(width, 2)
    pieces: list[str] = []
    start = 0
    while True:
        window = line[start : start + 2 * width]  # (`width` cells hold at most `width` characters of a cell)
        if start + len(window) >= len(line) and cell_len(window) <= width:
            return [*pieces, window]
        head = _cells_prefix(window, width)
        cut = max((m.end() for m in _CODE_BREAK.finditer(head)), default=0)
        cut = cut if head[:cut].strip() else len(head)
        pieces.append(head[:cut])
        start += cut


def _cells_prefix(text: str, width: int) -> str:
    """The longest start of `text` at most `width` cells wide (one character at least)."""
    used = 0
    for i, char in enumerate(text):
        used += get_character_cell_size(char)
        if used > width:
            return text[: max(i, 1)]
    return text


def min_width(text: str) -> int:
    """The cells of the widest piece of `text` that a line never breaks inside (a word; a CJK character)."""
    if not _HAS_CJK.search(text):
        return max(map(cell_len, text.split()), default=0)
    return max((cell_len(m.group().rstrip()) for m in _CHUNK.finditer(text)), default=0)


def break_offsets(text: str, width: int) -> list[int]:
    """Where one line of `text` (no tabs) breaks to fit `width` cells: the characters' indices that start a
    line. A chunk (`_CHUNK`) that fits goes on the current line, else on a new one; one wider than a whole
    line starts a new line and is cut by cells (as Textual folds a long word)."""
    width = max(width, 2)
    breaks: list[int] = []
    used = 0  # cells of the current line so far
    for match in _CHUNK.finditer(text):
        start, chunk = match.start(), match.group()
        word = cell_len(chunk.rstrip())
        if used + word <= width:
            used += cell_len(chunk)
            continue
        if start and used:
            breaks.append(start)
        if word <= width:
            used = cell_len(chunk)
            continue
        folds, used = _fold(chunk, width)
        breaks.extend(start + k for k in folds)
    return breaks


def _fold(chunk: str, width: int) -> tuple[list[int], int]:
    """Where a chunk wider than a line is cut (its indices), and the cells of its last piece."""
    cuts: list[int] = []
    used = 0
    for k, char in enumerate(chunk):
        cells = get_character_cell_size(char)
        if used + cells > width and used and not char.isspace():
            cuts.append(k)
            used = 0
        used += cells
    return cuts, used


class Wrapped(Visual):
    """`Content` that a widget shows broken into lines by `wrap` (an option list's prompt): Textual's Visual
    protocol, drawn by the Content of the lines."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self._laid: tuple[int, Content] | None = None  # (width, its lines joined): the last asked for

    def __str__(self) -> str:
        return self.content.plain

    def lines(self, width: int) -> Content:
        """The content's lines at `width`, joined by "\\n" (each fits, so Textual breaks none again)."""
        if self._laid is None or self._laid[0] != width:
            self._laid = (width, Content("\n").join(wrap(self.content, width)))
        return self._laid[1]

    def render_strips(self, width: int, height: int | None, style: Style,
                      options: RenderOptions) -> list[Strip]:
        pad = int(options.rules.get("line_pad", 0)) * 2
        return self.lines(width - pad).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self.content.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.lines(width - int(rules.get("line_pad", 0)) * 2).get_height(rules, width)

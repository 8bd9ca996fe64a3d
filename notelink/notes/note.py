"""One Markdown note parsed (`parse_note` → `ParsedNote`): title, aliases, tags, links and the prose to train
on. Front matter, comments, callout types and footnote definitions are read here; the body by markdown-it-py
(`inline`) up to `MARKDOWN_BUDGET`, as plain text past it (`plaintext`), not at all past `PLAIN_CHARS`."""

from __future__ import annotations

import re
from typing import Any

from notelink.notes.block import without_block
from notelink.notes.formulas import without_math
from notelink.notes.frontmatter import (
    as_list,
    load_front_matter,
    property_values,
    split_front_matter,
    strings_in,
)
from notelink.notes.inline import MARKDOWN, walk
from notelink.notes.parsednote import Link, ParsedNote
from notelink.notes.plaintext import outside_fences, plain_text

_COMMENT_SCAN = re.compile(r"^ {0,3}(`{3,}(?=[^`\n]*$)|~{3,})([^\n]*)$|``[^\n]*?``|`[^`\n]*`|%%",
                           re.MULTILINE)
"""What `_without_comments` stops at: a fence line (backtick fences have no backtick in their info), a code
span on one line, or `%%`."""
_FOOTNOTE_DEFINITION = re.compile(r"^([ \t]*(?:>[ \t]?)*)\[\^[^\[\]\s]+\]:[ \t]?([^\n]*"
                                  r"(?:\n(?:[ \t]*(?=\n|\Z)|(?: {4}|\t)[^\n]*))*)", re.MULTILINE)
"""A footnote's definition opening its line, `[^1]: text`, with the blank and indented lines after it: its
later paragraphs, as Obsidian and Pandoc write them (a one-word one was a link reference definition, its
word lost; an indented paragraph after a blank line read as code)."""
_CONTINUATION = re.compile(r"^(?: {4}|\t)", re.MULTILINE)
_CALLOUT = re.compile(r"^([ \t]*(?:>[ \t]*)+)\[![^\]\n]*\][+-]?", re.MULTILINE)
"""An Obsidian callout's type after its quote marks, `> [!tip]`: markup, as a reader sees it (its title or
the type's name in the app's language), not the note's words (2,300 tokens of the help vaults: `tip`,
`info`, `warning`, `note` in every language)."""


def _dedupe(items: list[str]) -> list[str]:
    """`items` without repeats, case aside (the first spelling kept)."""
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = item.casefold()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


MARKDOWN_BUDGET = 128_000
"""How much of a note's body markdown-it-py parses, in cost units: one a character, `BRACKET_COST` more for
each `[`. Parsing took up to 7.4 us a unit here (a list item a line; a run of `[` 11 us a character, of
`![` 16), so a note's Markdown part stays under ~1 s of CPU; the rest of a longer note is read as plain
text (`plain_text`, linear). The largest note of the shared vaults (77 KB) costs 83k units."""
BRACKET_COST = 16
PLAIN_CHARS = 2_000_000
"""Characters of a note's body read at all: plain-text reading and tokenizing cost up to ~0.6 us a character
here (a short line, or a wikilink, every few characters), so the text of a note past its first 2 MB (of a
5 MB cap) is left out, with a warning. With `MARKDOWN_BUDGET` this keeps every note within the budget of
2 s of CPU and 256 MB: benchmarks/parse_budget.py measures tests/notes/pathological.py against it."""


_LEFT_OUT = "left out"


def read_in_part(warning: str) -> bool:
    """Whether a note's warning says that text of it past `PLAIN_CHARS` was left out."""
    return f" {_LEFT_OUT} (parsing budget)" in warning  # (in KB or in characters: `_amount`)


def _markdown_cut(body: str) -> int:
    """Where the body's Markdown part ends: its end when within budget, else at the last line break (a
    blank line, when there is one in the second half) before the budget runs out."""
    def cost(n: int) -> int:
        return n + BRACKET_COST * body.count("[", 0, n)

    if cost(len(body)) <= MARKDOWN_BUDGET:
        return len(body)
    lo, hi = 0, min(len(body), MARKDOWN_BUDGET)
    while lo < hi:  # the longest prefix within budget
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if cost(mid) <= MARKDOWN_BUDGET else (lo, mid - 1)
    para, line = body.rfind("\n\n", 0, lo), body.rfind("\n", 0, lo)
    return para + 2 if para > lo // 2 else line + 1 if line > 0 else lo



def _parse_body(body: str, note: ParsedNote, alias_first: bool = False) -> None:
    """Markdown up to `MARKDOWN_BUDGET`, plain text past it, nothing past `PLAIN_CHARS`; a warning says
    how a long note was read."""
    cut, end = _markdown_cut(body), min(len(body), PLAIN_CHARS)
    walk(MARKDOWN.parse(body[:cut], {"alias_first": alias_first}), note)
    if cut < end:
        plain_text(body[cut:end], note, outside_fences(body[:cut])[1], alias_first)
    if cut < len(body):
        read = [f"its first {_amount(cut)} read as Markdown"]
        read += [f"the next {_amount(end - cut)} as plain text"] if cut < end else []
        read += [f"the last {_amount(len(body) - end)} {_LEFT_OUT}"] if end < len(body) else []
        note.warning = "; ".join(w for w in (note.warning, f"long note: {', '.join(read)} (parsing budget)")
                                 if w)


def _amount(chars: int) -> str:
    """A part of a note for its warning: in KB, or under 1 KB in characters (not "0 KB": a title line
    before a line too long for the Markdown budget)."""
    if chars >= 1000:
        return f"{chars / 1000:,.0f} KB"
    return f"{chars} character{'' if chars == 1 else 's'}"


def _without_comments(body: str) -> str:
    """`body` without its Obsidian comments (`%%...%%`, across lines too): a `%%` in fenced code or a code
    span starts none (a `%%` in "wrap text with `%%`" hid the prose up to the next comment). One pass: a
    comment ends at the next `%%`, whatever lies between; an unclosed one is kept as text."""
    if "%%" not in body:
        return body
    out, pos, kept, fence = [], 0, 0, ""
    while m := _COMMENT_SCAN.search(body, pos):
        pos = m.end()
        if chars := m.group(1):
            if not fence:
                fence = chars
            elif chars[0] == fence[0] and len(chars) >= len(fence) and not m.group(2).strip():
                fence = ""
        elif m.group() == "%%" and not fence:
            if (end := body.find("%%", pos)) < 0:
                break
            out += [body[kept : m.start()], " "]
            kept = pos = end + 2
    return "".join(out) + body[kept:]


def _footnotes_as_text(body: str) -> str:
    """`body` with each footnote's definition read as its text: the mark opening it left out, and its later
    paragraphs (indented one level, after a blank line) no longer indented, so not read as code."""
    if "[^" not in body:
        return body
    return _FOOTNOTE_DEFINITION.sub(lambda m: m.group(1) + _CONTINUATION.sub("", m.group(2)), body)


def parse_note(text: str, stem: str, alias_first: bool = False) -> ParsedNote:
    """Parses a note's text; `stem` (file name without `.md`) is the title of last resort. `alias_first`
    reads `[[a|b]]` as alias `a` of note `b`, as Dendron writes them (`notelink.notes.dialect`).

    notelink's related-notes block is left out: it is never trained on and its links are not the user's."""
    raw_fm, body = split_front_matter(without_block(text).lstrip("\ufeff"))
    fm, warning = load_front_matter(raw_fm)
    note = ParsedNote(title="", warning=warning)
    read = without_math(_without_comments(body[:PLAIN_CHARS]))  # (math only where read: finding it is linear
    body = _CALLOUT.sub(r"\1", _footnotes_as_text(read + body[PLAIN_CHARS:]))  # but not free)
    _parse_body(body, note, alias_first)
    fm_title = fm.get("title")
    if isinstance(fm_title, (str, int, float)) and str(fm_title).strip():
        note.title = str(fm_title).strip()
    note.title = note.title or stem
    note.aliases = _dedupe(as_list(fm.get("aliases", fm.get("alias"))))
    fm_tags = [t.lstrip("#") for t in as_list(fm.get("tags", fm.get("tag"))) for t in t.split()]
    note.tags = _dedupe([t for t in fm_tags if t] + note.tags)
    note.links += _property_links(fm, alias_first)
    for value in property_values(fm):
        note.add_ref(value)
    return note


def _property_links(fm: dict[str, Any], alias_first: bool) -> list[Link]:
    """The wikilinks of the front matter's properties (`up: "[[Parent]]"`, `related: ["[[A]]", "[[B]]"]`):
    Obsidian's properties link notes, and its backlinks and graph count them; the text around them is no
    prose (never trained on). Each value is read apart, so no link spans two."""
    found = ParsedNote(title="")
    for value in strings_in(list(fm.values())):
        if "[[" in value:
            walk(MARKDOWN.parse(value.replace("\n", " "), {"alias_first": alias_first}), found)
    return found.links

"""The plain-text reader of a note's text past the Markdown parser's budget (`note.MARKDOWN_BUDGET`): linear
whatever the text holds, it reads fenced code, ATX headings, paragraphs, links and tags as the Markdown
parser does (`inline`), well enough for a huge note's words."""

from __future__ import annotations

import itertools
import re

from markdown_it.token import Token

from notelink.notes.inline import FOOTNOTE, add_markdown_link, inline_text, prose_of, wikilink_meta
from notelink.notes.parsednote import MARKDOWN_EMBED, MAX_REFS, ParsedNote
from notelink.notes.targets import SCHEME

_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})([^\n]*)$", re.MULTILINE)
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]([^\n]*))?$", re.MULTILINE)
_H1 = re.compile(r"^ {0,3}#(?:[ \t]([^\n]*))?$", re.MULTILINE)
_LINE_MARKS = re.compile(r"^(?=[ \t>*+#\d-])[ \t]*(?:>[ \t]?)*"
                         r"(?:[-+*][ \t]+|\d{1,9}[.)][ \t]+|#{1,6}(?=[ \t]|$))?", re.MULTILINE)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_MD_LINK = re.compile(r"(!?)\[([^\[\]\n]*)\]\(([^()\s]*)[^()\n]*\)")
_PARAGRAPH = re.compile(r"(?:[\s\S]{1000}|[\s\S]+\Z)[\s\S]*?(?:\n[ \t]*\n|\Z)")
"""Plain-text reading works on the whole text at once; each pattern stops at the next character that could
start another match, so no text is scanned more than a few times whatever it holds. Paragraphs are joined
up to 1,000 characters (a million one-word paragraphs cost the tokenizer seconds)."""


def outside_fences(text: str, fence: str = "") -> tuple[list[str], str]:
    """The parts of `text` outside fenced code, and the fence still open at its end (`fence`: the one open
    where it starts)."""
    parts, start = [], 0
    for m in _FENCE_LINE.finditer(text):
        chars, info = m.group(1), m.group(2)
        if fence and chars[0] == fence[0] and len(chars) >= len(fence) and not info.strip():
            fence, start = "", m.end()
        elif not fence and not (chars[0] == "`" and "`" in info):
            parts.append(text[start : m.start()])
            fence = chars
    if not fence:
        parts.append(text[start:])
    return parts, fence


def _plain_wikilinks(text: str, note: ParsedNote, alias_first: bool = False) -> str:
    """`text` with its wikilinks as the Markdown rule reads them (text shown, links collected): each `[[`
    up to the next `]]` on its line. Every search starts where the last one ended (linear)."""
    out, pos, close = [], 0, -1
    while (start := text.find("[[", pos)) >= 0:
        if close < start + 2 and (close := text.find("]]", start + 2)) < 0:
            break
        if (nl := text.find("\n", start, close)) >= 0 or close == start + 2:
            stop = nl + 1 if nl >= 0 else close + 2
            out.append(text[pos:stop])
            pos = stop
            continue
        embed = text.startswith("!", start - 1) if start else False
        token = Token("wikilink", "", 0, meta=wikilink_meta(text[start + 2 : close], embed, alias_first))
        out += [text[pos : start - embed], inline_text([token], note)]
        pos = close + 2
    return "".join(out) + text[pos:]


def _plain_prose(text: str, note: ParsedNote, alias_first: bool = False) -> str:
    """Plain text as prose: list, quote and heading marks, code spans and HTML tags left out, links
    collected with their text kept, images dropped (an image of a note kept as an embed of it)."""
    def link(m: re.Match[str]) -> str:
        if m.group(1):
            if not SCHEME.match(m.group(3)):
                add_markdown_link(m.group(3), note, MARKDOWN_EMBED)
            return " "
        add_markdown_link(m.group(3), note)
        return m.group(2)

    text = _LINE_MARKS.sub("", text)
    for m in itertools.islice(_CODE_SPAN.finditer(text), MAX_REFS - len(note.refs)):
        note.add_ref(m.group()[1:-1])
    text = FOOTNOTE.sub("", _HTML_TAG.sub(" ", _CODE_SPAN.sub(" ", text)))
    return _MD_LINK.sub(link, _plain_wikilinks(text, note, alias_first))


def plain_text(text: str, note: ParsedNote, fence: str = "", alias_first: bool = False) -> None:
    """Reads the part of a long note past the Markdown budget in linear time: fenced code left out,
    ATX headings, paragraphs, links and tags as in Markdown."""
    for part in outside_fences(text, fence)[0]:
        note.headings += [(m.group(2) or "").strip().rstrip("#").strip() for m in _ATX.finditer(part)]
        if not note.title and (h1 := _H1.search(part)):
            note.title = prose_of(_plain_prose(h1.group(1) or "", ParsedNote("")), ParsedNote("")).strip()
        prose = _plain_prose(part, note, alias_first)
        note.paragraphs += [t for m in _PARAGRAPH.finditer(prose) if (t := prose_of(m.group(), note).strip())]

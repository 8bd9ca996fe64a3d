"""Inline Markdown as the note parser reads it (markdown-it-py, with rules for `[[wikilinks]]` and footnote
marks): an inline block's prose, its links, `#tags` and the URLs and code spans kept as `refs`; a heading's
text as written, for a title."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from notelink.notes.parsednote import MARKDOWN_EMBED, Link, ParsedNote
from notelink.notes.targets import SCHEME, is_attachment
from notelink.notes.tokenizer import without_spaces

TAG = re.compile(r"(?<![^\s(\[,;])#([^\W\d][\w/-]*|\d+[^\W\d][\w/-]*)")
URL = re.compile(r"\b(?:[a-z][a-z0-9+.-]{0,31}://|www\.|mailto:)\S+", re.IGNORECASE)
"""(A scheme of at most 32 characters: unbounded, `a.a.a.…` made each word boundary scan to the end.)"""
FOOTNOTE = re.compile(r"\[\^[^\[\]\s]+\]")
"""A footnote's mark, `[^1]` or `[^note]`: read as nothing (its label gave words: `note`)."""


def _next(state: StateInline, what: str, start: int) -> int:
    """`state.src.find(what, start)` in O(log n): the rule used to search to the end of the text from each
    `[[` (quadratic: a 150 KB line of `[[` took 92 s). Every position of `what` in the text (overlapping
    ones too) is found once per text, kept in `state.env`, and bisected."""
    key = f"wikilink {what}"
    cached = state.env.get(key)
    if cached is None or cached[0] is not state.src:
        where = array("q", (m.start() for m in re.finditer(f"(?={re.escape(what)})", state.src)))
        cached = state.env[key] = (state.src, where)
    where = cached[1]
    i = bisect_left(where, start)
    return where[i] if i < len(where) else -1


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule for `[[target#heading|alias]]` and `![[embed]]`: up to the first `]]` on its line."""
    src, pos = state.src, state.pos
    embed = src.startswith("![[", pos)
    start = pos + (3 if embed else 2)
    if not (embed or src.startswith("[[", pos)):
        return False
    end, nl = _next(state, "]]", start), _next(state, "\n", start)
    if end < 0 or 0 <= nl < end or end == start:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.meta = wikilink_meta(src[start:end], embed, bool(state.env.get("alias_first")))
    state.pos = end + 2
    return True


def _footnote_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule for a footnote's mark, `[^1]`: read as nothing, as its number is no word."""
    if not state.src.startswith("[^", state.pos):
        return False
    m = FOOTNOTE.match(state.src, state.pos)
    if m is None:
        return False
    state.pos = m.end()
    return True


def wikilink_meta(inner: str, embed: bool, alias_first: bool = False) -> dict[str, Any]:
    """A wikilink token's parts (between the brackets); `alias_first`: Dendron's [[alias|note.name]]."""
    target, _, alias = inner.partition("|")
    if alias and alias_first:
        target, alias = alias, target
    target, _, heading = target.partition("#")
    return {"target": target.strip(), "heading": heading.strip(), "alias": alias.strip(), "embed": embed}


def _markdown() -> MarkdownIt:
    """CommonMark with tables, strikethrough, wikilinks and footnote marks."""
    md = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.inline.ruler.before("link", "footnote", _footnote_rule)
    return md


MARKDOWN = _markdown()


_EDGES = frozenset("wikilink image link_open link_close em_open em_close strong_open strong_close s_open "
                   "s_close".split())
"""Inline tokens whose start and end are a word's: a link's text, emphasis (`参见[[描述]]`, `**重要**的`)."""


class _Prose:
    """An inline block's text as it is put together: at a markup edge (`_EDGES`) between two characters of
    a script written without spaces, a space, so that no bigram spans it (`参见[[自定义分享链接#图片|图片]]`
    gave `见图`, of two words)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.edge = False

    def add(self, text: str) -> None:
        """Appends `text`, after a space when a markup edge falls between two no-space characters."""
        if not text:
            return
        if self.edge and self.parts and without_spaces(self.parts[-1][-1]) and without_spaces(text[0]):
            self.parts.append(" ")
        self.parts.append(text)
        self.edge = False


def inline_text(children: list[Token], note: ParsedNote) -> str:
    """Prose of one inline block, collecting wikilinks and Markdown links on the way."""
    prose = _Prose()
    for tok in children:
        prose.edge = prose.edge or tok.type in _EDGES
        if tok.type == "wikilink":
            meta = tok.meta
            kind = "embed" if meta["embed"] else "wiki"
            if meta["target"]:
                note.links.append(Link(meta["target"], kind, meta["heading"]))
            if not meta["embed"]:
                prose.add(meta["alias"] or meta["target"])
                prose.edge = True
        elif tok.type == "link_open":
            add_markdown_link(str(tok.attrs.get("href", "")), note)
        elif tok.type == "image" and not SCHEME.match(src := str(tok.attrs.get("src", ""))):
            add_markdown_link(src, note, MARKDOWN_EMBED)  # `![](Note.md)`: Obsidian's embed, wikilinks off
        elif tok.type == "text":
            prose.add(tok.content)
        elif tok.type in ("softbreak", "hardbreak", "code_inline", "html_inline"):
            prose.add(" ")
            if tok.type == "code_inline":
                note.add_ref(tok.content)
    return "".join(prose.parts)


def add_markdown_link(href: str, note: ParsedNote, kind: str = "markdown") -> None:
    """Keeps links to local notes (`other.md`, `sub/My%20note.md`, `Note#Heading`) and attachments
    (`img/photo.png`, `files/report.pdf`); `kind`: `markdown`, or `MARKDOWN_EMBED` for an image's source."""
    if not href or href.startswith("#"):
        return
    if SCHEME.match(href):
        note.add_ref(unquote(href))
        return
    path, _, heading = (unquote(part) for part in href.partition("#"))  # `%23` is a `#` of the file name
    suffix = PurePosixPath(path).suffix.lower()
    if suffix in ("", ".md", ".markdown") or is_attachment(path):  # (an attachment's: counted as one, as
        note.links.append(Link(path, kind, heading))  # a wikilink's `![[photo.png]]`)


def prose_of(text: str, note: ParsedNote) -> str:
    """Removes URLs and collects `#tags` from a block of prose; a tag's words stay in the prose."""
    for m in TAG.finditer(text):
        note.tags.append(m.group(1).rstrip("/"))
    for m in URL.finditer(text):
        note.add_ref(unquote(m.group().rstrip(".,;:!?)")))
    return TAG.sub(lambda m: m.group(1).replace("/", " "), URL.sub(" ", text))


def walk(tokens: list[Token], note: ParsedNote) -> None:
    """Reads a note's parsed blocks into `note`: headings (the first `#` one its title), paragraphs, links,
    tags and refs."""
    in_h1 = in_heading = False
    for tok in tokens:
        if tok.type == "heading_open":
            in_heading, in_h1 = True, tok.tag == "h1"
        elif tok.type == "heading_close":
            in_heading = in_h1 = False
        elif tok.type == "inline":
            text = prose_of(inline_text(tok.children or [], note), note).strip()
            if in_heading:
                note.headings.append(text)
                if in_h1 and not note.title:
                    note.title = _as_written(tok.children or [])
            if text:
                note.paragraphs.append(text)


def _as_written(children: list[Token]) -> str:
    """A heading's text as the reader sees it, for a title: code spans, inline HTML and `#tags` kept as
    written (`C++ `std::vector` tips` is "C++ std::vector tips", not "C++ tips"), emphasis marks dropped."""
    parts = []
    for tok in children:
        if tok.type == "wikilink":
            parts.append("" if tok.meta["embed"] else tok.meta["alias"] or tok.meta["target"])
        elif tok.type in ("text", "code_inline", "html_inline"):
            parts.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())

"""One Markdown note parsed with markdown-it-py: title, aliases, tags, links and the prose to train on."""

from __future__ import annotations

import itertools
import re
from array import array
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from notelink.notes.block import without_block
from notelink.notes.formulas import without_math
from notelink.notes.frontmatter import as_list, load_front_matter, split_front_matter
from notelink.notes.targets import SCHEME, is_attachment
from notelink.notes.tokenizer import without_spaces

_TAG = re.compile(r"(?<![^\s(\[,;])#([^\W\d][\w/-]*|\d+[^\W\d][\w/-]*)")
_URL = re.compile(r"\b(?:[a-z][a-z0-9+.-]{0,31}://|www\.|mailto:)\S+", re.IGNORECASE)
"""(A scheme of at most 32 characters: unbounded, `a.a.a.…` made each word boundary scan to the end.)"""
_COMMENT_SCAN = re.compile(r"^ {0,3}(`{3,}(?=[^`\n]*$)|~{3,})([^\n]*)$|``[^\n]*?``|`[^`\n]*`|%%",
                           re.MULTILINE)
"""What `_without_comments` stops at: a fence line (backtick fences have no backtick in their info), a code
span on one line, or `%%`."""
_FOOTNOTE = re.compile(r"\[\^[^\[\]\s]+\]")
"""A footnote's mark, `[^1]` or `[^note]`: read as nothing (its label gave words: `note`)."""
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


MARKDOWN_EMBED = "markdown-embed"
"""The kind of a Markdown image's link (`![](Note.md)`, `![](pic.png)`): a path relative to its note, as a
Markdown link's; of a note, an embed (Obsidian writes `![[Note]]` so with wikilinks turned off)."""


@dataclass(frozen=True)
class Link:
    """A link as written: `target` is a note name or relative path; `kind` is wiki, embed, markdown or
    `MARKDOWN_EMBED`."""

    target: str
    kind: str = "wiki"
    heading: str = ""


@dataclass
class ParsedNote:
    """What notelink knows about one note's text."""

    title: str
    aliases: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    warning: str = ""
    """Non-fatal problem, such as front matter that is not valid YAML (the body is still used)."""
    refs: list[str] = field(default_factory=list)
    """URLs and code spans, never trained on: read only for the notes they name by file name
    (`dendron://vault/area.topic`, `` `insert-images.md` ``, notelink/index/references.py). At most
    `MAX_REFS`."""

    @property
    def text(self) -> str:
        """The prose used for training: headings and paragraphs, code/URLs/HTML/front matter left out."""
        return "\n".join(self.paragraphs)


MAX_REFS = 1_000


def _ref(note: ParsedNote, text: str) -> None:
    if len(note.refs) < MAX_REFS:
        note.refs.append(text)


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
        token.meta = _wikilink_meta(src[start:end], embed, bool(state.env.get("alias_first")))
    state.pos = end + 2
    return True


def _footnote_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule for a footnote's mark, `[^1]`: read as nothing, as its number is no word."""
    if not state.src.startswith("[^", state.pos):
        return False
    m = _FOOTNOTE.match(state.src, state.pos)
    if m is None:
        return False
    state.pos = m.end()
    return True


def _wikilink_meta(inner: str, embed: bool, alias_first: bool = False) -> dict[str, Any]:
    """A wikilink token's parts (between the brackets); `alias_first`: Dendron's [[alias|note.name]]."""
    target, _, alias = inner.partition("|")
    if alias and alias_first:
        target, alias = alias, target
    target, _, heading = target.partition("#")
    return {"target": target.strip(), "heading": heading.strip(), "alias": alias.strip(), "embed": embed}


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.inline.ruler.before("link", "footnote", _footnote_rule)
    return md


_MD = _markdown()


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


def _inline_text(children: list[Token], note: ParsedNote) -> str:
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
            _add_markdown_link(str(tok.attrs.get("href", "")), note)
        elif tok.type == "image" and not SCHEME.match(src := str(tok.attrs.get("src", ""))):
            _add_markdown_link(src, note, MARKDOWN_EMBED)  # `![](Note.md)`: Obsidian's embed, wikilinks off
        elif tok.type == "text":
            prose.add(tok.content)
        elif tok.type in ("softbreak", "hardbreak", "code_inline", "html_inline"):
            prose.add(" ")
            if tok.type == "code_inline":
                _ref(note, tok.content)
    return "".join(prose.parts)


def _add_markdown_link(href: str, note: ParsedNote, kind: str = "markdown") -> None:
    """Keeps links to local notes (`other.md`, `sub/My%20note.md`, `Note#Heading`) and attachments
    (`img/photo.png`, `files/report.pdf`); `kind`: `markdown`, or `MARKDOWN_EMBED` for an image's source."""
    if not href or href.startswith("#"):
        return
    if SCHEME.match(href):
        _ref(note, unquote(href))
        return
    path, _, heading = (unquote(part) for part in href.partition("#"))  # `%23` is a `#` of the file name
    suffix = PurePosixPath(path).suffix.lower()
    if suffix in ("", ".md", ".markdown") or is_attachment(path):  # (an attachment's: counted as one, as
        note.links.append(Link(path, kind, heading))  # a wikilink's `![[photo.png]]`)


def _prose(text: str, note: ParsedNote) -> str:
    """Removes URLs and collects `#tags` from a block of prose; a tag's words stay in the prose."""
    for m in _TAG.finditer(text):
        note.tags.append(m.group(1).rstrip("/"))
    for m in _URL.finditer(text):
        _ref(note, unquote(m.group().rstrip(".,;:!?)")))
    return _TAG.sub(lambda m: m.group(1).replace("/", " "), _URL.sub(" ", text))


def _walk(tokens: list[Token], note: ParsedNote) -> None:
    in_h1 = in_heading = False
    for tok in tokens:
        if tok.type == "heading_open":
            in_heading, in_h1 = True, tok.tag == "h1"
        elif tok.type == "heading_close":
            in_heading = in_h1 = False
        elif tok.type == "inline":
            text = _prose(_inline_text(tok.children or [], note), note).strip()
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


def _dedupe(items: list[str]) -> list[str]:
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
text (`_plain_text`, linear). The largest note of the shared vaults (77 KB) costs 83k units."""
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


def _outside_fences(text: str, fence: str = "") -> tuple[list[str], str]:
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
        token = Token("wikilink", "", 0, meta=_wikilink_meta(text[start + 2 : close], embed, alias_first))
        out += [text[pos : start - embed], _inline_text([token], note)]
        pos = close + 2
    return "".join(out) + text[pos:]


def _plain_prose(text: str, note: ParsedNote, alias_first: bool = False) -> str:
    """Plain text as prose: list, quote and heading marks, code spans and HTML tags left out, links
    collected with their text kept, images dropped (an image of a note kept as an embed of it)."""
    def link(m: re.Match[str]) -> str:
        if m.group(1):
            if not SCHEME.match(m.group(3)):
                _add_markdown_link(m.group(3), note, MARKDOWN_EMBED)
            return " "
        _add_markdown_link(m.group(3), note)
        return m.group(2)

    text = _LINE_MARKS.sub("", text)
    for m in itertools.islice(_CODE_SPAN.finditer(text), MAX_REFS - len(note.refs)):
        _ref(note, m.group()[1:-1])
    text = _FOOTNOTE.sub("", _HTML_TAG.sub(" ", _CODE_SPAN.sub(" ", text)))
    return _MD_LINK.sub(link, _plain_wikilinks(text, note, alias_first))


def _plain_text(text: str, note: ParsedNote, fence: str = "", alias_first: bool = False) -> None:
    """Reads the part of a long note past the Markdown budget in linear time: fenced code left out,
    ATX headings, paragraphs, links and tags as in Markdown."""
    for part in _outside_fences(text, fence)[0]:
        note.headings += [(m.group(2) or "").strip().rstrip("#").strip() for m in _ATX.finditer(part)]
        if not note.title and (h1 := _H1.search(part)):
            note.title = _prose(_plain_prose(h1.group(1) or "", ParsedNote("")), ParsedNote("")).strip()
        prose = _plain_prose(part, note, alias_first)
        note.paragraphs += [t for m in _PARAGRAPH.finditer(prose) if (t := _prose(m.group(), note).strip())]


def _parse_body(body: str, note: ParsedNote, alias_first: bool = False) -> None:
    """Markdown up to `MARKDOWN_BUDGET`, plain text past it, nothing past `PLAIN_CHARS`; a warning says
    how a long note was read."""
    cut, end = _markdown_cut(body), min(len(body), PLAIN_CHARS)
    _walk(_MD.parse(body[:cut], {"alias_first": alias_first}), note)
    if cut < end:
        _plain_text(body[cut:end], note, _outside_fences(body[:cut])[1], alias_first)
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
    return note

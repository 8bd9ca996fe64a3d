"""A note's text as its reader sees it (Obsidian's reading view, Dendron's preview), for snippets.

A note is split into blocks (paragraphs, list items, headings: runs of non-blank lines; `blocks`), each
line without the marks that open it (`line_as_read`: quote and heading marks, a callout's `[!type]`, a
bullet read as `•`), a table's row as its cells (`CELL_SEPARATOR`), and its inline Markdown as read
(`as_read`: links as their text, no emphasis marks, HTML tags or footnote marks; Dendron's `{{fm.desc}}` as
the front matter's value). Front matter, fenced code (in quotes too), rules and table delimiter rows,
`%%comments%%`, `<!-- comments -->` and block ids are left out, as reading view leaves them out. In a
Logseq graph (`logseq`) so is Logseq's markup (`id::` and other properties of no words, `((block refs))`,
its macros (a cloze reads as its answer), an image's `{:height …}`, org-mode's `#+` lines and its code
blocks), as Logseq shows a page and as the index reads it; in other vaults these are the note's words as
written (a Dataview field `due:: 2024-05-01`, an Obsidian template's `{{date}}`), as the index reads them
too. The characters shown are the note's own, in its order, so the words a search matched can be found in
them.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable, Iterator, Mapping, Sequence

from notelink.notes.code import code_spans
from notelink.notes.dialect import strip_scheme, without_range
from notelink.notes.frontmatter import load_front_matter, split_front_matter
from notelink.notes.links import is_attachment
from notelink.notes.logseq import BLOCK_REF, CLOZE, EMBED_MACRO, IMAGE_SIZE, ORG_CODE, wordless_property

CELL_SEPARATOR = " · "
"""Between the cells of a table's row in a snippet (a row reads as its cells, not as Markdown's pipes)."""
ROW_SEPARATOR = " — "
"""Before a table's row in a snippet, after the row or line above it in the same block."""
_PIECE = 4000  # characters of a block at most: longer ones are cut into pieces
URL = re.compile(r"\b(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)\S+", re.IGNORECASE)  # as notes.note drops them
_FRONT = re.compile(r"\A---[ \t]*\r?\n.*?\n(?:---|\.\.\.)[ \t]*\r?(?:\n|\Z)", re.DOTALL)
_WIKILINK = re.compile(r"!?\[\[([^\[\]|\n]*)(?:\|([^\[\]\n]*))?\]\]")  # [[target]], [[target|label]]
_MD_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\((?:<[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))*)"
                      r"""(?:[ \t]+(?:"[^"\n]*"|'[^'\n]*'))?\)""")
"""[text](target), ![alt](image) (an image without alt text reads as nothing), a target in <> or with
parentheses in it (`Cache_(computing)`), a "title"."""
_REF_LINK = re.compile(r"\[([^\[\]\n]+)\]\[(?!\^)[^\[\]\n]*\]")  # `[text][ref]`, `[text][]`: a reference link
_VARIABLE = re.compile(r"\{\{\s*(?:fm\.([\w-]+)\s*\}\}|[^{}\n]*\}\})")  # Dendron's `{{fm.desc}}`, `{{! …}}`
_RULE = re.compile(r"[|:+\s]*(?:[-=*_~][|:+\s]*){3,}\Z")  # a line of rule characters, table pipes between
_DELIMITER = re.compile(r"\|?(?:[ \t]*:?-+:?[ \t]*\|)*[ \t]*:?-+:?[ \t]*\|?")  # a table's `| --- | :-: |`
_PIPE = re.compile(r"(?<!\\)\|")  # a pipe between a table's cells (`\|` is one in a cell)
_QUOTE = re.compile(r"(?:>[ \t]?)*")
_COMMENT = re.compile(r"%%.*?%%|<!--.*?-->", re.DOTALL)  # Obsidian's and HTML's (as notes.note reads them)
_BLOCK_ID = re.compile(r"(?:\A|[ \t])\^[A-Za-z0-9][\w-]*[ \t]*\Z")  # `^id`: a block's id (notes.dialect)
_LINE_MARKS = re.compile(r"(?:(?:>[ \t]?)+(?:\[![^\]\n]*\][+-]?[ \t]*)?)?(?:#{1,6}(?=[ \t]|\Z)[ \t]*)?")
"""A line's quote marks (nested), an Obsidian callout's `[!type]` after them, a heading's `#`s (a line
opening with a badge, `[![alt](image)](link)`, lost its `[![alt]` as a callout's type)."""
_FOOTNOTE = re.compile(r"\[\^[^\[\]\s]+\]")  # a footnote's mark in the text, `[^1]`
INLINE_FOOTNOTE = re.compile(r"\^\[((?:[^\[\]\n]|\[\[[^\[\]\n]*\]\]|\[[^\[\]\n]*\](?:\([^()\n]*\))?+)*+)\]")
"""An inline footnote, `^[text]` (Obsidian's, Pandoc's), its text holding links (`[[a]]`, `[b](c)`) too:
read in place, in parentheses (a snippet showed `up.^[Turning weekly helps.]`), as the index reads its
words. Its repeats are possessive: `[b](c)` reads as a link or as characters, and an unclosed `^[` before
30 links tried every split (minutes); none can hold the closing `]`, so giving back never helps."""
_FOOTNOTE_DEFINITION = re.compile(r"\[\^[^\[\]\s]+\]:[ \t]*")
"""A footnote's definition opening a line, `[^1]: text`: read as its text (a snippet showed `[^1]:`)."""
_DEFINITION = re.compile(r"\[(?!\^)(?:[^\[\]\\\n]|\\.)+\]:[ \t]*(?:<[^<>\n]*>|\S+)"
                         r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*")
"""A link reference definition alone on its line (`[ref]: other.md "Title"`, Foam's link references):
reading view hides it (a footnote's `[^1]: text` reads as its text)."""
_BULLET = re.compile(r"[-*+](?:[ \t]+\[[ xX]\])?(?:[ \t]+|\Z)")  # `- `, `* `, a task's `- [ ] `
_HEADING_MARKS = re.compile(r"#{1,6}(?:[ \t]+|\Z)")
_CLOSING_HASHES = re.compile(r"[ \t]+#+[ \t]*\Z")  # `## Heading ##`
_EMPHASIS = [re.compile(p) for p in (
    r"(\*\*|~~|==)(?=\S)(.+?)(?<=\S)\1",  # **strong**, ~~struck~~, ==highlighted==
    r"(\*)(?=[^\s*])(.+?)(?<=[^\s*])\1",  # *emphasis*
    r"(?<!\w)(__?)(?=[^\s_])(.+?)(?<=[^\s_])\1(?!\w)")]  # _emphasis_, __strong__: never inside a word
_HTML_TAGS = re.compile(r"(?:</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>)+")  # a run of HTML tags
_URL_OR_AUTOLINK = re.compile(r"<((?:[a-z][a-z0-9+.-]*:|www\.)[^<>\s]+)>|" + URL.pattern, re.IGNORECASE)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_PROPERTY_LINE = re.compile(r"(?:[-*+][ \t]+)?([A-Za-z][\w\-/.]*)::(?:[ \t]+(.*))?\Z")
_ORG_LINE = re.compile(r"(?:[-*+][ \t]+)?(?:#\+\w.*|:LOGBOOK:|:END:|CLOCK:.*)\Z")
_LOGSEQ_MACRO = re.compile(r"\{\{(?:embed|query|video|youtube|youtube-timestamp|tweet|twitter|vimeo|bilibili|"
                           r"pdf|renderer|function|cards|namespace|zotero-imported-file|zotero-linked-file)"
                           r"(?:[ \t][^{}\n]*)?\}\}")
"""Logseq's own macros, which show a page, a query or a video, not words (`{{embed ((6018cc98-…))}}`); a
cloze reads as its answer. Other `{{…}}` are shown as written (an Obsidian template's `{{date}}`)."""
_ORG_EDGE = re.compile(r"(?:[-*+][ \t]+)?#\+(BEGIN|END)_(\w+)", re.IGNORECASE)


def variables(text: str) -> dict[str, str]:
    """A Dendron note's front matter values that its template variables show (`{{fm.desc}}`), each on one
    line; none without a variable (its YAML left unread)."""
    if "{{" not in text:
        return {}
    fm, _ = load_front_matter(split_front_matter(text.lstrip("\ufeff"))[0])
    return {str(key): " ".join(str(value).split()) for key, value in fm.items()
            if isinstance(value, (str, int, float)) and not isinstance(value, bool)}


def filled(text: str, variables: Mapping[str, str]) -> str:
    """Dendron's template variables as its preview shows them: `{{fm.desc}}` as the front matter's `desc`
    (`variables`), any other `{{…}}` (a comment `{{! …}}`) hidden."""
    return _VARIABLE.sub(lambda m: variables.get(m.group(1) or "", ""), text) if "{{" in text else text


def as_read(block: str, alias_first: bool = False, variables: Mapping[str, str] | None = None,
            logseq: bool = False) -> str:
    """A block's inline Markdown as a reader of the note sees it: `[[target|label]]` as label
    (`[[label|target]]` with `alias_first`), `[[target]]` as target, `[text](target)` as text (an image
    in a link too), `**strong**`, `*emphasis*`, `_emphasis_`, `~~struck~~`, `==highlighted==` and `code`
    without their marks, HTML tags and footnote marks (`[^1]`) hidden (tags between two words as a space:
    `<span>compost</span><span>heap</span>` read `compostheap`, the index reads two words), an inline
    footnote `^[text]` as ` (text)`, `&lt;` and `\\*` as `<` and `*`;
    with `variables` (Dendron's preview), `{{fm.desc}}` as the front matter's `desc` and any other `{{…}}`
    hidden; with `logseq`, Logseq's block refs, macros and image sizes as Logseq shows them. Inside code
    spans and URLs nothing changes. A snippet showed the syntax raw (`**TIP:**`)."""
    tagless = _unless_code(_HTML_TAGS, block, _tags_as_read)  # (before URLs: a tag's `src="https://…"`)
    if logseq and ("((" in tagless or "{" in tagless):  # (before links: `[label](((uuid)))`,
        tagless = _unless_code(BLOCK_REF, tagless, lambda m: "")  # `![a](a.png){:…}`, `{{embed [[p]]}}`)
        tagless = _unless_code(EMBED_MACRO, _unless_code(IMAGE_SIZE, tagless, lambda m: ""), lambda m: m[1])
    linked = _links(tagless, alias_first)
    linked = _unless_code(INLINE_FOOTNOTE, linked, inline_footnote) if "^[" in linked else linked
    return _outside_code(linked, lambda part: _outside(
        _URL_OR_AUTOLINK, part, lambda rest: _marks(rest, variables, logseq)))


def inline_footnote(m: re.Match[str]) -> str:
    """An inline footnote (`INLINE_FOOTNOTE`) as its text in parentheses after a space; an empty one as
    nothing."""
    return f" ({m[1].strip()})" if m[1].strip() else ""


def _tags_as_read(m: re.Match[str]) -> str:
    """A run of HTML tags as read: nothing, or a space where it separates two words (as the index, which
    reads every tag as a space, tells its words apart)."""
    text, a, b = m.string, m.start(), m.end()
    return " " if a and b < len(text) and text[a - 1].isalnum() and text[b].isalnum() else ""


def _outside_code(text: str, change: Callable[[str], str]) -> str:
    """`text` with `change` applied outside its code spans, each code span read as its text."""
    out, last = [], 0
    for a, b, ticks in code_spans(text):
        out += [change(text[last:a]), text[a + ticks : b - ticks]]
        last = b
    return "".join([*out, change(text[last:])])


def _outside(pattern: re.Pattern[str], text: str, change: Callable[[str], str]) -> str:
    """`text` with `change` applied between the matches of `pattern`, each match read as its last group
    that matched (an autolink's URL), else as it is."""
    out, last = [], 0
    for m in pattern.finditer(text):
        out += [change(text[last : m.start()]), next((g for g in reversed(m.groups()) if g), m.group(0))]
        last = m.end()
    return "".join([*out, change(text[last:])])


def _links(block: str, alias_first: bool) -> str:
    """Wikilinks and Markdown links (reference links too) as their shown text, but in code spans (a link's
    text may hold one: `[Twitter (`@dendron`)](url)`); an image in a link (a badge) as its alt text, an
    embedded image or other attachment (`![[diagram.png|300]]`) as nothing."""
    def wiki(m: re.Match[str]) -> str:
        target, label = m.group(1), m.group(2)
        if m.group(0).startswith("!") and is_attachment(target):
            return ""  # (an image reads as no text: `![[lucide-trash-2.svg#icon]]` was shown as its name)
        if label is None:
            return _target_as_read(target, alias_first)
        return (target if alias_first else label) or m.group(0)
    block = _unless_code(_WIKILINK, block, wiki)
    for _ in range(2):  # `[![alt](image)](link)`: the image, then the link
        block = _unless_code(_MD_LINK, block, lambda m: m.group(1))
    return _unless_code(_REF_LINK, block, lambda m: m.group(1))


def _target_as_read(target: str, dendron: bool = False) -> str:
    """A link's target as a reader sees it: without Dendron's `dendron://vault/` and a note reference's
    range (`![[dendron://site/area.topic#summary,1:#*]]` reads `area.topic#summary`; in a Dendron vault,
    `dendron`, `#summary,1` too); a heading as it is (`[[Meeting#Q1: goals, risks]]`)."""
    note, hash_, anchor = strip_scheme(target).partition("#")
    return note + hash_ + (without_range(anchor) if dendron or ":#" in anchor else anchor)


def _unless_code(pattern: re.Pattern[str], text: str, change: Callable[[re.Match[str]], str]) -> str:
    """`pattern.sub(change, text)` for the matches that start outside code spans."""
    if "`" not in text:
        return pattern.sub(change, text)
    code = code_spans(text)
    starts = [a for a, _, _ in code]

    def outside(m: re.Match[str]) -> str:
        k = bisect.bisect_right(starts, m.start()) - 1
        return m.group(0) if k >= 0 and m.start() < code[k][1] else change(m)
    return pattern.sub(outside, text)


def _marks(part: str, variables: Mapping[str, str] | None = None, logseq: bool = False) -> str:
    """Emphasis marks, footnote marks, entities and backslash escapes as a reader sees them (none, none,
    the character, the character); template variables as `variables` has them; Logseq's macros (`logseq`)
    as Logseq shows them."""
    for _ in range(3):  # nested marks (`***both***`) take a pass each
        for emphasis in _EMPHASIS:
            part = emphasis.sub(lambda m: m.group(2), part)
    if logseq and "{{" in part:
        part = _LOGSEQ_MACRO.sub("", CLOZE.sub(r"\1", part))
    if variables is not None:
        part = filled(part, variables)
    return html.unescape(_ESCAPE.sub(lambda m: m.group(1), _FOOTNOTE.sub("", part)))


def line_as_read(line: str) -> tuple[str, bool]:
    """A stripped line without the marks that open it as a reader sees it (quote marks, a callout's
    `[!type]`, a heading's `#`s and closing `#`s, a list item's too; a list item's bullet or task box read
    as `•`; a footnote's `[^1]:`), and whether it is a heading."""
    marks = _LINE_MARKS.match(line)
    rest, heading = line[marks.end() if marks else 0 :], "#" in (marks.group(0) if marks else "")
    if heading:
        return _CLOSING_HASHES.sub("", rest), True
    if definition := _FOOTNOTE_DEFINITION.match(rest):
        return rest[definition.end():], False
    bullet = _BULLET.match(rest)
    if bullet and (marks := _HEADING_MARKS.match(rest, bullet.end())):  # `- ## Usage`: Logseq's headings
        return _CLOSING_HASHES.sub("", rest[marks.end():]), True
    return (f"• {rest[bullet.end():]}" if bullet else rest), False


def blocks(text: str, logseq: bool = False) -> list[tuple[int, str, bool]]:
    """(first line, text with whitespace collapsed, whether it starts with a heading) of each run of
    non-blank lines, each line without its opening marks (`line_as_read`) and a table's row as its cells
    (`_row_as_read`); front matter and fenced code left out, as the index leaves them out (`logseq`: the
    lines Logseq hides too, `_no_words`, and its org-mode code blocks)."""
    front = _FRONT.match(text)
    skip = text[: front.end()].count("\n") if front else 0
    out: list[tuple[int, str, bool]] = []
    current: list[str] = []
    start, heading = 0, False
    for n, line, row in _prose_lines(text.splitlines()[skip:], skip + 1, logseq):
        if line:
            shown, head = (_row_as_read(line), False) if row else line_as_read(line)
            start, heading = (start, heading) if current else (n, head)
            current.append(f"{ROW_SEPARATOR.lstrip()}{shown}" if row and current else shown)
        elif current:
            out.append((start, " ".join(" ".join(current).split()), heading))
            current = []
    if current:
        out.append((start, " ".join(" ".join(current).split()), heading))
    return [(n, piece, h) for n, block, h in out for piece in _pieces(block)]


def _pieces(block: str) -> Iterator[str]:
    """A block cut at spaces into pieces of at most about `_PIECE` characters: a paragraph of megabytes
    (one long line) is then ranked, tokenized and remembered a piece at a time."""
    while len(block) > _PIECE:
        cut = block.rfind(" ", _PIECE // 2, _PIECE)
        cut = cut if cut > 0 else _PIECE
        yield block[:cut]
        block = block[cut:].lstrip()
    if block:
        yield block


def _prose_lines(lines: list[str], first: int, logseq: bool = False) -> Iterator[tuple[int, str, bool]]:
    """(line number, stripped line, whether it is a table's row) with the lines of fenced code blocks (and
    their fences) blank, what reading view hides left out (`_unhidden`; in Logseq, `_no_words` and org-mode
    code), and rules blank too (a table's delimiter row `| --- | --- |`, `***`, a heading's `===`): no
    word of them can match, and a long one was a snippet of dashes."""
    fence = ""
    unfenced: list[str] = []
    org = _org_code(lines) if logseq else set()
    for n, raw in enumerate(lines):
        line = raw.strip()
        bare = _QUOTE.sub("", line, count=1).lstrip()  # (a fence in a quote or callout too)
        if fence or bare.startswith(("```", "~~~")):
            fence = "" if fence and bare.startswith(fence) else (fence or bare[:3])
            line = ""
        unfenced.append("" if n in org or (logseq and _no_words(line)) else line)
    unfenced = _without_definitions(_unhidden(unfenced))
    rows = _table_rows(unfenced)
    for n, line in enumerate(unfenced):
        is_row = rows.get(n)
        yield n + first, "" if is_row is False or _RULE.match(line) else line, bool(is_row)


def _no_words(line: str) -> bool:
    """Whether a stripped line is Logseq markup that Logseq does not show: a property of no words
    (`id:: 6018cc98-…`, `collapsed:: true`, `updated-at:: 1609244703085`: `wordless_property`), an org-mode
    line (`#+BEGIN_NOTE`), a logbook's."""
    if "::" in line and (m := _PROPERTY_LINE.match(line)):
        return wordless_property(m.group(1), (m.group(2) or "").strip())
    return ("#+" in line or line.startswith((":", "CLOCK"))) and _ORG_LINE.match(line) is not None


def _org_code(lines: list[str]) -> set[int]:
    """The lines of org-mode code blocks (`#+BEGIN_SRC` to its `#+END_SRC`, as `notes.dialect` leaves them
    out); a block never closed is none. Linear: each kind's last end is known before the blocks are read."""
    edges = [(n, m.group(1).upper(), m.group(2).upper()) for n, line in enumerate(lines)
             if "#+" in line and (m := _ORG_EDGE.match(line.strip()))]
    last_end = {kind: n for n, edge, kind in edges if edge == "END"}
    out: set[int] = set()
    open_kind, start = "", 0
    for n, edge, kind in edges:
        if not open_kind and edge == "BEGIN" and kind in ORG_CODE and last_end.get(kind, -1) > n:
            open_kind, start = kind, n
        elif open_kind == kind and edge == "END":
            out.update(range(start, n + 1))
            open_kind = ""
    return out


def _unhidden(lines: list[str]) -> list[str]:
    """The lines (fenced code blank) as reading view shows them, each stripped: `%%comments%%` and HTML
    `<!-- comments -->` left out, over lines too (their line breaks kept), and block ids (`^id` at a line's
    end or alone on a line). A snippet showed them, and the index leaves comments out: a `%%` in a code span
    starts none."""
    text = "\n".join(lines)
    if "%%" in text or "<!--" in text:
        pieces, last = [], 0
        for a, b, _ in code_spans(text):
            pieces += [text[last:a], " " * (b - a)]
            last = b
        masked = "".join([*pieces, text[last:]])  # (the same length: the comments' spans hold)
        parts, last = [], 0
        for m in _COMMENT.finditer(masked):
            parts += [text[last : m.start()], "\n" * m.group(0).count("\n")]
            last = m.end()
        text = "".join([*parts, text[last:]])
    return [_BLOCK_ID.sub("", line).strip() for line in text.split("\n")]


def _without_definitions(lines: list[str]) -> list[str]:
    """The lines with link reference definitions blank: those that start a block (a definition cannot
    interrupt a paragraph), and those right after them. A snippet showed `[heap]: compost-heap.md`."""
    out, after = list(lines), True  # (after a blank line or a definition)
    for n, line in enumerate(lines):
        bare = _QUOTE.sub("", line, count=1).strip()
        definition = after and bool(bare) and _DEFINITION.fullmatch(bare) is not None
        out[n] = "" if definition else line
        after = definition or not bare
    return out


def _table_rows(lines: Sequence[str]) -> dict[int, bool]:
    """The lines of Markdown tables, as GitHub and Obsidian read them: a header row, a delimiter row of as
    many cells (`| --- | :-: |`), then rows up to a blank line; in a quote or callout too. True: a row
    (the header's too), False: a delimiter row."""
    out: dict[int, bool] = {}
    for n, line in enumerate(lines):
        bare = _QUOTE.sub("", line, count=1).strip()
        if not bare:
            continue
        if out.get(n - 1) is not None:
            out[n] = True  # (a table goes on to a blank line)
        elif n and _DELIMITER.fullmatch(bare) and "|" in bare and len(_cells(bare)) == len(
                _cells(header := _QUOTE.sub("", lines[n - 1], count=1).strip())) and _PIPE.search(header):
            out[n - 1], out[n] = True, False
    return out


def _row_as_read(line: str) -> str:
    """A table's row as its cells, each as it reads (`\\|` as `|`), with `CELL_SEPARATOR` between them: a
    snippet showed the pipes."""
    return CELL_SEPARATOR.join(cell for cell in _cells(_QUOTE.sub("", line, count=1).strip()) if cell)


def _cells(row: str) -> list[str]:
    """A table row's cells, stripped, split at its unescaped pipes (an escaped `\\|` is a pipe of the
    cell, in a code span or a `[[target\\|label]]` link too, as GitHub and Obsidian read it)."""
    inner = row[1:] if row.startswith("|") else row
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [cell.strip().replace("\\|", "|") for cell in _PIPE.split(inner)]

"""Logseq's markup, read as Logseq shows a page (`logseq_body`: properties, block references, embeds, task
keywords, org-mode lines and code blocks, clozes, image sizes, indented blocks), and its page names
(`page_name`: a file name decoded, a journal by its date in the graph's title format; `logseq_page`: title,
aliases and tags from the page's properties). `dialect.parse_in` reads a Logseq page through it; the app and
snippets hide what Logseq hides with its patterns."""

from __future__ import annotations

import bisect
import datetime as dt
import posixpath
import re
from urllib.parse import unquote

from notelink.config import DialectConfig
from notelink.notes.frontmatter import load_front_matter, split_front_matter
from notelink.notes.parsednote import ParsedNote

LOGSEQ_JOURNAL_TITLE = "MMM do, yyyy"
"""Logseq's default `:journal/page-title-format`."""
_PROPERTY = re.compile(r"^([ \t]*(?:[-*+][ \t]+)?)([A-Za-z][\w\-/.]*)::(?:[ \t]+(.*?))?[ \t]*$", re.MULTILINE)
BLOCK_REF = re.compile(r"\(\(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\)\)")
_TAG_LINK = re.compile(r"#(\[\[[^\[\]\n]+\]\])")
EMBED_MACRO = re.compile(r"\{\{embed\s+(\[\[[^\[\]\n]+\]\])\s*\}\}")
_TASK = re.compile(r"^([ \t]*[-*+][ \t]+)(?:TODO|DOING|DONE|LATER|NOW|WAITING|WAIT|CANCELED|CANCELLED|"
                   r"IN-PROGRESS)(?=[ \t])", re.MULTILINE)
_ORG_LINE = re.compile(r"^[ \t]*(?:[-*+][ \t]+)?(?:#\+\w+.*|:LOGBOOK:|:END:|CLOCK:.*|(?:SCHEDULED|DEADLINE):"
                       r".*)$", re.MULTILINE)
_ORG_BLOCK = re.compile(r"^[ \t]*(?:[-*+][ \t]+)?#\+(BEGIN|END)_(\w+)", re.MULTILINE | re.IGNORECASE)
ORG_CODE = ("SRC", "EXAMPLE", "QUERY", "EXPORT", "COMMENT")
"""Org-mode blocks whose lines are code, a query or verbatim text, not prose (`#+BEGIN_QUERY` holds EDN:
`{:title "..." :query ...}` gave `title`, `query`, `collapsed`, `true` as words); NOTE, TIP, QUOTE and the
like hold prose."""
CLOZE = re.compile(r"\{\{cloze\s+([^{}\n]*?)(?:\s*\\\\[^{}\n]*)?\}\}")
"""`{{cloze answer \\ cue}}`: a flashcard's hidden answer, prose (the cue is no answer)."""
IMAGE_SIZE = re.compile(r"(?<=\))\{:[^{}\n]*\}")
"""An image's size after it, `![a.png](../assets/a.png){:height 224, :width 441}`: no text (its `height`
and `width` were words of 20 pages of Logseq's docs)."""
_INDENT = re.compile(r"^[ \t]*(?:([-*+])[ \t]+(?=`{3}|~{3}))?", re.MULTILINE)
_BULLET = re.compile(r"^(?=[-*+](?:[ \t]|$))", re.MULTILINE)
"""A line's indentation, which in Logseq nests a block in the one above: never code, as CommonMark reads a
line indented by a tab or four spaces after a paragraph or heading (the glossary of Logseq's own docs, `##
Basic terms` then `\t- [[term/graph]]`, was one code block: no links, no words). Without it each block is
a list item or a line of one; a block that is a fence (`- ```clojure`) loses its bullet, or the fence would
end at its next line, no longer inside the item. Each block then starts after a blank line, as in Logseq
nothing of a block runs into the next: an HTML block (`<div ...><iframe ...>`, a Loom video in its
changelog) ran on to the next blank line, over 20 lines and their links."""
_MACHINE_VALUE = re.compile(r"(?i)^(?:true|false|nil|[\d.:\-_/ ]+|#?[0-9a-f]{6,}|[0-9a-f-]{36})$")
_HIDDEN_PROPERTIES = frozenset((
    "id", "custom-id", "collapsed", "heading", "background-color", "created-at", "updated-at", "created_at",
    "last-modified-at", "last_modified_at", "query-table", "query-properties", "query-sort-by",
    "query-sort-desc", "ls-type", "hl-type", "hl-page", "hl-stamp", "hl-color", "icon", "filters", "public",
    "exclude-from-graph-view"))
"""Logseq's built-in properties that say how to show a block or page, never words of it (its docs' "Built-in
Properties"; `logseq.*` too: `logseq.order-list-type:: number` numbers a list)."""
_JOURNAL_FILE = re.compile(r"^(\d{4})[_-](\d{2})[_-](\d{2})$")
_DATE_TOKEN = re.compile(r"yyyy|yy|MMMM|MMM|MM|M|do|dd|d|EEEE|EEE|EE|E|'[^']*'")


def logseq_body(body: str) -> tuple[str, dict[str, str], list[str]]:
    """The body with Logseq's markup taken out, the page's properties (its first lines of `k:: v`), and the
    tags written `#[[a tag]]` (links once the `#` is taken out; those in code are no links, so no tags).

    Property lines keep their value as text when it is words (`description:: ...`, `tags:: [[a]]`, whose
    links count); ids, booleans, dates and the page's own title and aliases are dropped. Block references
    `((uuid))` are dropped, `{{embed [[page]]}}` becomes `![[page]]`, task keywords and org-mode lines go,
    an image's size too."""
    props: dict[str, str] = {}
    for line in body.splitlines():
        m = _PROPERTY.fullmatch(line)
        if not line.strip():
            continue
        if not m or m.group(1).strip():
            break
        props[m.group(2).lower()] = (m.group(3) or "").strip()
    body = IMAGE_SIZE.sub("", CLOZE.sub(r"\1", _without_org_code(body)))
    tagged = [m.group(1)[2:-2].strip() for m in _TAG_LINK.finditer(body)]
    body = _TAG_LINK.sub(r"\1", EMBED_MACRO.sub(r"!\1", body))  # #[[a tag]] is a link to its page
    body = BLOCK_REF.sub(" ", body)
    body = _ORG_LINE.sub("", _TASK.sub(r"\1", body))
    body = _INDENT.sub(lambda m: "\n" if m.group(1) else "", _PROPERTY.sub(_property_text, body))
    return _BULLET.sub("\n", body), props, tagged


def _without_org_code(body: str) -> str:
    """`body` with the lines of its org-mode code blocks (`ORG_CODE`: from `#+BEGIN_SRC` to its
    `#+END_SRC`) blank; a block never closed stays text. Linear: each block's end is looked up, not
    searched for."""
    if "#+" not in body:
        return body
    found = [(m.start(), m.group(1).upper(), m.group(2).upper()) for m in _ORG_BLOCK.finditer(body)]
    ends: dict[str, list[int]] = {}
    for at, edge, kind in found:
        if edge == "END" and kind in ORG_CODE:
            ends.setdefault(kind, []).append(at)
    out, last = [], 0
    for at, edge, kind in found:
        if edge != "BEGIN" or kind not in ORG_CODE or at < last:
            continue
        later = ends.get(kind, [])
        k = bisect.bisect_right(later, at)
        if k == len(later):
            continue
        stop = body.find("\n", later[k])
        stop = len(body) if stop < 0 else stop
        out += [body[last:at], "\n" * body.count("\n", at, stop)]
        last = stop
    return "".join([*out, body[last:]])


def _hidden_property(key: str) -> bool:
    """Whether a Logseq property is one of its built-in properties of no words (`collapsed`, `id`,
    `query-properties`, `logseq.order-list-type`...)."""
    key = key.lower()
    return key in _HIDDEN_PROPERTIES or key.startswith("logseq.")


def wordless_property(key: str, value: str) -> bool:
    """Whether a Logseq property is no words of its page: a built-in one of no words (`_hidden_property`),
    or one whose value is empty, an id, a boolean, a number or a date."""
    return _hidden_property(key) or not value or _MACHINE_VALUE.fullmatch(value) is not None


def _property_text(m: re.Match[str]) -> str:
    """A property line (`_PROPERTY`) as prose: its value when it is words, else nothing (the page's own
    title and aliases too: they are its names)."""
    key, value = m.group(2).lower(), (m.group(3) or "").strip()
    if key in ("title", "alias") or wordless_property(key, value):
        return m.group(1)
    return m.group(1) + value


def front_title(head: str) -> dict[str, str]:
    """`{"title": …}` of a page's YAML front matter, which Logseq reads as page properties (`title: How to
    Take Notes` in `pages/how_to_take_notes.md` of its docs); a `title::` line wins over it."""
    if not head:
        return {}
    title = load_front_matter(split_front_matter(head)[0])[0].get("title")
    title = str(title).strip() if isinstance(title, (str, int, float)) else ""
    return {"title": title} if title else {}


def logseq_page(note: ParsedNote, path: str, props: dict[str, str], dialect: DialectConfig) -> None:
    """Title, aliases and tags as Logseq has them: `title::` (or the front matter's), else the page name
    from the file name (a heading is no title in Logseq); `alias::`; `tags::`."""
    note.title = _unlinked(props.get("title", "")) or page_name(path, dialect)
    names = [_unlinked(a) for a in _listed(props.get("alias", ""))]
    note.aliases = list(dict.fromkeys([*note.aliases, *(a for a in names if a)]))
    tags = [_unlinked(t).lstrip("#") for t in _listed(props.get("tags", ""))]
    note.tags = list(dict.fromkeys([*note.tags, *(t for t in tags if t)]))


def _listed(value: str) -> list[str]:
    """`a, [[b, c]], #d` → ["a", "[[b, c]]", "#d"]: commas inside [[...]] do not split."""
    return [p.strip() for p in re.findall(r"\[\[[^\]]*\]\]|[^,]+", value) if p.strip()]


def _unlinked(value: str) -> str:
    """A property's value without the `[[ ]]` around it (`[[a page]]` → `a page`)."""
    value = value.strip()
    return value[2:-2].strip() if value.startswith("[[") and value.endswith("]]") else value


def page_name(path: str, dialect: DialectConfig) -> str:
    """The name by which `[[links]]` reach a note besides its path and file name. Logseq: the page name
    its file name encodes (`a___b.md`, `a%2Fb.md` → `a/b`), a journal's date in the journal title format;
    other dialects: the file name."""
    stem = posixpath.basename(path)[: -len(".md")]
    if dialect.name != "logseq":
        return stem
    if (m := _JOURNAL_FILE.match(stem)) and path.startswith("journals/"):
        try:
            return format_date(dt.date(*map(int, m.groups())), dialect.journal_title or LOGSEQ_JOURNAL_TITLE)
        except ValueError:  # (a date that does not exist: the file name stays the name)
            return stem
    name = unquote(stem).replace("___", "/")
    return name.replace(".", "/") if dialect.legacy_names and "/" not in name else name


def other_names(path: str, dialect: DialectConfig) -> list[str]:
    """More names of a note that a link may use: Logseq's legacy page names keep their dots too, and a
    journal is also reached by its file name's date (`[[2024-01-15]]`)."""
    if dialect.name != "logseq":
        return []
    stem = posixpath.basename(path)[: -len(".md")]
    names = [unquote(stem).replace("___", "/")]
    if m := _JOURNAL_FILE.match(stem):
        names.append("-".join(m.groups()))
    return names


def format_date(day: dt.date, pattern: str) -> str:
    """`day` in a date-fns pattern as Logseq uses them (`MMM do, yyyy` → `Jan 15th, 2024`)."""
    def token(m: re.Match[str]) -> str:
        t = m.group()
        if t.startswith("'"):
            return t[1:-1]
        month, weekday = _MONTHS[day.month - 1], _WEEKDAYS[day.weekday()]
        return {"yyyy": f"{day.year:04d}", "yy": f"{day.year % 100:02d}", "MMMM": month, "MMM": month[:3],
                "MM": f"{day.month:02d}", "M": str(day.month), "do": _ordinal(day.day),
                "dd": f"{day.day:02d}", "d": str(day.day), "EEEE": weekday}.get(t, weekday[:3])
    return _DATE_TOKEN.sub(token, pattern)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""In English, as Logseq writes them (not the machine's locale)."""


def _ordinal(n: int) -> str:
    """`n` as date-fns's `do` writes it: 1st, 2nd, 3rd, 11th, 22nd."""
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"

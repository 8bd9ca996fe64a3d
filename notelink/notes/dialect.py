"""A vault's dialect: which notes app wrote it, so that its notes and links read as that app reads them.

The apps agree on `[[links]]` but not on what is inside them:
- Obsidian, Foam, zk: `[[target|alias]]`; a target is a path, a file name or (notelink's extra) a title.
- Dendron: `[[alias|target]]` (alias first), `[[alias|dendron://vault/note.name]]`; note references
  `![[note#section,1:#*]]`, `![[a.b.*]]` (a.b's children); hierarchical file names `a.b.c.md`; a tag is a
  note of the `tags.` hierarchy (`#a.b` links to `tags.a.b`).
- Logseq: `[[page name]]` names a page: its `title::` property, else its file name decoded (`a___b.md`,
  `a%2Fb.md`, legacy `a.b.md` are page `a/b`); journal pages are named by date (`journals/2024_01_15.md`
  is `Jan 15th, 2024`); `key:: value` property lines, `((block refs))`, `{{embed [[page]]}}` macros.
- zk: `[[id]]` reaches the note whose file name starts with the id (`id-title.md`).
- Static-site vaults: only Markdown links `[text](other.md)`, relative, percent-encoded.

A dialect is found from the vault's markers (`dendron.yml`, `logseq/config.edn`, `.zk`, `.foam`, `.obsidian`)
or, without them, from a sample of its links (which side of `[[a|b]]` names a note; wikilinks or Markdown).
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
import posixpath
import re
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from notelink.config import DialectConfig
from notelink.notes import outline
from notelink.notes.frontmatter import load_front_matter, split_front_matter
from notelink.notes.targets import without_md

if TYPE_CHECKING:  # (the parser, markdown-it and PyYAML load where a note is parsed: queries read names only)
    from notelink.notes.parsednote import ParsedNote

WIKI = ("obsidian", "dendron", "logseq", "foam", "zk")
"""Dialects whose own links are `[[wikilinks]]` (the rest write Markdown links)."""

LOGSEQ_JOURNAL_TITLE = "MMM do, yyyy"
"""Logseq's default `:journal/page-title-format`."""

_SAMPLE_NOTES = 400  # notes read to judge a vault's links when it has no marker...
_SAMPLE_BYTES = 65536  # ...at most this much of each...
_SAMPLE_NAMES = 5000  # ...and the names of at most this many notes (each build detects: 44 ms at 2,322 notes)
_PIPE = re.compile(r"\[\[([^\[\]|\n]+)\|([^\[\]|\n]+)\]\]")
_WIKILINK = re.compile(r"\[\[[^\[\]\n]+\]\]")
_MDLINK = re.compile(r"\[[^\]\n]*\]\((?!\w+:)([^)\s]+)\)")

# Text that is markup in every dialect: template variables and macros (`{{fm.desc}}`, `{{date}}`, Logseq's
# `{{query ...}}`), and block ids (Obsidian's `^block-id`: Latin letters, digits and dashes, at the end of a
# line after a space, or alone on its line after a table, list or callout, as help.obsidian.md's "Internal
# links" writes them; alone, `^callout-internal-links-link-text` was indexed as five words).
_MACRO = re.compile(r"\{\{[^{}\n]*\}\}")
_BLOCK_ID = re.compile(r"(?:^|[ \t])\^[A-Za-z0-9-]+[ \t]*$", re.MULTILINE)

# Logseq
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
_LOGSEQ_NAMES = ("title", "alias", "tags")
_HIDDEN_PROPERTIES = frozenset((
    "id", "custom-id", "collapsed", "heading", "background-color", "created-at", "updated-at", "created_at",
    "last-modified-at", "last_modified_at", "query-table", "query-properties", "query-sort-by",
    "query-sort-desc", "ls-type", "hl-type", "hl-page", "hl-stamp", "hl-color", "icon", "filters", "public",
    "exclude-from-graph-view"))
"""Logseq's built-in properties that say how to show a block or page, never words of it (its docs' "Built-in
Properties"; `logseq.*` too: `logseq.order-list-type:: number` numbers a list)."""
_DENDRON_RANGE = re.compile(r"(?:,\d+)?(?::#.*)?$")  # `#section,1:#*`: from a heading, to the next one
_JOURNAL_FILE = re.compile(r"^(\d{4})[_-](\d{2})[_-](\d{2})$")
_DATE_TOKEN = re.compile(r"yyyy|yy|MMMM|MMM|MM|M|do|dd|d|EEEE|EEE|EE|E|'[^']*'")


def detect(root: Path, cfg: DialectConfig | None = None) -> DialectConfig:
    """The vault's dialect, with the settings of its app that change what links name. A name given in
    `cfg` (other than `auto`) is kept; its app's settings are still read from the vault."""
    cfg = cfg or DialectConfig()
    name = cfg.name if cfg.name != "auto" else (by_marker(root) or _by_links(root))
    if name != "logseq":
        return DialectConfig(name)
    edn = next((d / "logseq" / "config.edn" for d in (root, root.parent) if (d / "logseq").is_dir()), None)
    return _logseq_settings(edn, cfg)


def by_marker(root: Path) -> str | None:
    """The app whose own files are in the vault (or, for Dendron and zk, in a folder above it)."""
    above = [root, *list(root.parents)[:2]]
    if any((d / "dendron.yml").is_file() for d in above) or (root / "root.schema.yml").is_file():
        return "dendron"
    if (root / "logseq" / "config.edn").is_file() or (root.parent / "logseq" / "config.edn").is_file():
        return "logseq"
    if any((d / ".zk").is_dir() for d in above):
        return "zk"
    if (root / ".foam").is_dir() or "foam" in _read(root / ".vscode" / "extensions.json", 4096).lower():
        return "foam"
    if (root / ".obsidian").is_dir():
        return "obsidian"
    if (root / "pages").is_dir() and (root / "journals").is_dir():
        return "logseq"
    return None


def _by_links(root: Path) -> str:
    """Judged from a sample of the notes: `dendron` when `[[a|b]]` links name notes by their second part
    (and plainly more often than by their first), `zk` when wikilinks name notes by an id that starts one
    file name (`[[202301011200]]` → `202301011200 Forgetting curve.md`) more often than by a whole file name,
    `markdown` when there are Markdown links to notes and no wikilinks, else `obsidian`."""
    texts, stems = _sample(root)
    first = second = wiki = markdown = 0
    targets: list[str] = []
    for text in texts:
        for a, b in _PIPE.findall(text):
            first += _stem_of(a) in stems
            second += _stem_of(b) in stems
        found = _WIKILINK.findall(text)
        wiki += len(found)
        targets += [_stem_of(t[2:-2].partition("|")[0]) for t in found]
        markdown += sum(not t.startswith("#") for t in _MDLINK.findall(text))
    if second >= 5 and second >= 2 * first:
        return "dendron"
    if _ids(targets, stems) >= max(3, sum(t in stems for t in targets) + 1):
        return "zk"
    return "markdown" if wiki == 0 and markdown > 0 else "obsidian"


def _ids(targets: list[str], stems: set[str]) -> int:
    """How many link targets are a zk id: no file name, but with a digit, the start of exactly one (then a
    space, `-` or `_`), as zk resolves it."""
    names = sorted(stems)
    count = 0
    for t in targets:
        if t in stems or not any(c.isdigit() for c in t):
            continue
        at = bisect.bisect_left(names, t)
        starts = [n for n in names[at:at + 2] if n.startswith(t)]
        count += len(starts) == 1 and starts[0][len(t)] in " -_"
    return count


def _sample(root: Path) -> tuple[list[str], set[str]]:
    """The text of up to _SAMPLE_NOTES notes, and the file names (as `_stem_of` gives them) of up to
    _SAMPLE_NAMES: a large vault's links name notes of the sample as often on either side of `|`."""
    texts: list[str] = []
    stems: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "node_modules")
        for name in sorted(filenames):
            if name.lower().endswith(".md") and not name.startswith("."):
                stems.add(_stem_of(name))
                if len(texts) < _SAMPLE_NOTES:
                    texts.append(_read(Path(dirpath) / name, _SAMPLE_BYTES))
        if len(stems) >= _SAMPLE_NAMES:
            break
    return texts, stems


def _read(path: Path, limit: int) -> str:
    try:
        if not path.is_file():  # a named pipe would block the read until a writer came
            return ""
        with open(path, "rb") as f:
            return f.read(limit).decode("utf-8", errors="replace")
    except OSError:
        return ""


def _stem_of(target: str) -> str:
    """A link target or file name as a bare, folded file name: no folder, `.md`, `#heading` or scheme."""
    target = strip_scheme(target.partition("#")[0].strip())
    base = posixpath.basename(target.replace("\\", "/"))
    return unicodedata.normalize("NFC", without_md(base)).casefold()


def without_range(heading: str) -> str:
    """A Dendron note reference's heading without its range: `section,1:#*` (from a heading, to the next
    one) reads `section`, `^begin:#^end` reads `^begin`."""
    return _DENDRON_RANGE.sub("", heading)


def strip_scheme(target: str) -> str:
    """`dendron://vault/note.name` → `note.name` (Dendron's cross-vault links); anything else unchanged."""
    if target.startswith("dendron://"):
        return target[len("dendron://"):].partition("/")[2]
    return target


def _logseq_settings(edn: Path | None, cfg: DialectConfig) -> DialectConfig:
    """Logseq's journal title format and file-name format, from `logseq/config.edn` (comments skipped)."""
    text = "\n".join(line for line in _read(edn, 1 << 20).splitlines() if not line.lstrip().startswith(";")) \
        if edn is not None else ""
    title = re.search(r':journal/page-title-format\s+"([^"]*)"', text)
    names = re.search(r":file/name-format\s+:([\w-]+)", text)
    legacy = cfg.legacy_names or (edn is not None and (names is None or names.group(1) == "legacy"))
    return DialectConfig("logseq", cfg.journal_title or (title.group(1) if title else LOGSEQ_JOURNAL_TITLE),
                         legacy)


# -- reading a note in its dialect ------------------------------------------------------------------

def alias_first(dialect: str) -> bool:
    """True for a dialect whose wikilinks name the alias first, `[[alias|note.name]]` (Dendron): how the
    parser, the app's note view and search's snippets read a link's two parts."""
    return dialect == "dendron"


def parse_in(text: str, path: str, dialect: DialectConfig) -> ParsedNote:
    """`note.parse_note` for a note of this dialect: its markup taken out first, links split in its order,
    and (Logseq) its page properties and page name as title, aliases and tags."""
    from notelink.notes.note import parse_note
    from notelink.notes.parsednote import Link

    stem = posixpath.basename(path)[: -len(".md")]
    head, body = _split(text)
    props: dict[str, str] = {}
    tagged: list[str] = []
    if dialect.name == "logseq":  # (notelink's block first: its property is Logseq markup too)
        body, props, tagged = _logseq_body(outline.without(body))
    body = _BLOCK_ID.sub("", _MACRO.sub(" ", body))
    note = parse_note(head + body, stem, alias_first=alias_first(dialect.name))
    if dialect.name == "logseq":  # a tag (#a, #[[a b]], tags:: a) is a reference to the page a, as a link
        linked = {ln.target.casefold() for ln in note.links}
        _logseq_page(note, path, _front_title(head) | props, dialect)
        note.tags = list(dict.fromkeys([*note.tags, *(t for t in tagged if t.casefold() in linked)]))
        note.links += [Link(tag, "tag") for tag in note.tags if tag.casefold() not in linked]
    elif dialect.name == "dendron":  # a tag is a note of the `tags.` hierarchy: #a.b links to tags.a.b
        note.links = [replace(ln, heading=without_range(ln.heading)) for ln in note.links]
        note.links += [Link(f"tags.{tag}", "tag") for tag in note.tags]
    return note


def tag_page(tag: str, dialect: str) -> str | None:
    """The name of the page a tag links to, as `parse_in` links it (Dendron's `#a.b`: the note `tags.a.b`;
    Logseq's `#a`: the page `a`), or None where a tag has no page."""
    return {"dendron": f"tags.{tag}", "logseq": tag}.get(dialect)


def below(name: str, above: str, dialect: str) -> bool:
    """Whether the note or page `name` is `above` or in its hierarchy (Dendron `a.b` under `a`, Logseq's
    namespaces `a/b` under `a`); case aside."""
    name, above = name.casefold(), above.casefold()
    return name == above or name.startswith(above + ("." if dialect == "dendron" else "/"))


def _split(text: str) -> tuple[str, str]:
    """(front matter with its fences, the rest): markup is taken out of the rest only."""
    _, body = split_front_matter(text.lstrip("\ufeff"))
    return text[: len(text) - len(body)], body


def _logseq_body(body: str) -> tuple[str, dict[str, str], list[str]]:
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
    key, value = m.group(2).lower(), (m.group(3) or "").strip()
    if key in ("title", "alias") or wordless_property(key, value):
        return m.group(1)
    return m.group(1) + value


def _front_title(head: str) -> dict[str, str]:
    """`{"title": …}` of a page's YAML front matter, which Logseq reads as page properties (`title: How to
    Take Notes` in `pages/how_to_take_notes.md` of its docs); a `title::` line wins over it."""
    if not head:
        return {}
    title = load_front_matter(split_front_matter(head)[0])[0].get("title")
    title = str(title).strip() if isinstance(title, (str, int, float)) else ""
    return {"title": title} if title else {}


def _logseq_page(note: ParsedNote, path: str, props: dict[str, str], dialect: DialectConfig) -> None:
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
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


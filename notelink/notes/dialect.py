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
import os
import posixpath
import re
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from notelink.config import DialectConfig
from notelink.notes import outline
from notelink.notes.frontmatter import split_front_matter
from notelink.notes.logseq import LOGSEQ_JOURNAL_TITLE, front_title, logseq_body, logseq_page
from notelink.notes.targets import without_md

if TYPE_CHECKING:  # (the parser, markdown-it and PyYAML load where a note is parsed: queries read names only)
    from notelink.notes.parsednote import ParsedNote

WIKI = ("obsidian", "dendron", "logseq", "foam", "zk")
"""Dialects whose own links are `[[wikilinks]]` (the rest write Markdown links)."""

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

_DENDRON_RANGE = re.compile(r"(?:,\d+)?(?::#.*)?$")  # `#section,1:#*`: from a heading, to the next one


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
        body, props, tagged = logseq_body(outline.without(body))
    body = _BLOCK_ID.sub("", _MACRO.sub(" ", body))
    note = parse_note(head + body, stem, alias_first=alias_first(dialect.name))
    if dialect.name == "logseq":  # a tag (#a, #[[a b]], tags:: a) is a reference to the page a, as a link
        linked = {ln.target.casefold() for ln in note.links}
        logseq_page(note, path, front_title(head) | props, dialect)
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

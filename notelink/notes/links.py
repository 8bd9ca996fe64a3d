"""Resolving link targets (`Note`, `folder/Note`, `../x.md`, an alias) to notes of the vault, in the vault's
dialect (`notelink.notes.dialect`), and writing links to notes in the vault's own link style."""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

from notelink.config import DialectConfig
from notelink.notes.dialect import WIKI, alias_first, strip_scheme
from notelink.notes.logseq import other_names, page_name
from notelink.notes.names import file_name, name_key
from notelink.notes.parsednote import MARKDOWN_EMBED
from notelink.notes.targets import FILE, FOLDER
from notelink.notes.targets import is_attachment as is_attachment  # (its home; asked here as before)

_LABEL = str.maketrans({"[": "［", "]": "］", "|": "｜", "<": "‹", ">": "›"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_UNSAFE_TARGET = re.compile(r"[\[\]|#^<>%\\`\x00-\x1f\x7f]|^\s|\s$|\s\s")
_INDEX_PAGES = ("index", "readme", "_index")
"""A Markdown link to a folder (`../guide/`) reaches its index page, as static-site generators serve it."""

RESOLVER_VERSION = 3
"""How `Resolver` resolves links (3: a `../` path that reaches no note from its folder finds the one note of
its path or name, as Obsidian does; 2: of notes of one name, the nearest the linking note; 1: the nearest
the root). An index whose links an older rule resolved has them resolved again by the next build, vectors
kept."""

MARKDOWN_KINDS = ("markdown", MARKDOWN_EMBED)
"""Links written as Markdown (`[x](path)`, `![x](path)`: `MARKDOWN_EMBED`): a path relative to the linking
note first."""

LINK_STYLES = ("auto", "wiki", "markdown")
"""How notelink writes links into a vault (`--link-style`): `auto` follows the vault's dialect and links."""
MARKDOWN_BARE = "markdown-bare"
"""Markdown links without `.md` (`[title](path)`), the style `auto` takes in a vault whose own links leave
it out."""
MARKDOWN_STYLES = ("markdown", MARKDOWN_BARE)


def to_a_note(target: str, kind: str) -> bool:
    """Whether a link counts as one to a note (found; reaching none, unresolved or dead): not a tag's (a
    tag without its page is no missing note), nor one to an attachment, nor one found to reach a file that
    is no note or a folder (`FILE`, `FOLDER`). `status` and `health` both ask."""
    return kind not in ("tag", FILE, FOLDER) and not is_attachment(target)


def linked_path(target: str, source: str, kind: str) -> str | None:
    """The vault path a link's target names as a file's path: a Markdown link's (and a `./` or `../` one's)
    from its note's folder (`img/a.png` in `notes/x.md`: `notes/img/a.png`), from the root with a leading
    `/`; a wikilink's from the root (`[[files/Makefile]]`). None when it climbs out of the vault."""
    target = strip_scheme(target.strip()).replace("\\", "/")
    relative = kind in MARKDOWN_KINDS or target.startswith(("./", "../"))
    base = posixpath.dirname(source) if relative and not target.startswith("/") else ""
    path = posixpath.normpath(posixpath.join(base, target.lstrip("/")))
    return None if not target or path == ".." or path.startswith("../") else path


def dialect_of(meta: Mapping[str, Any]) -> DialectConfig:
    """The dialect an index generation was built with (its meta); Obsidian's for indexes made before."""
    saved = (meta.get("index_config") or {}).get("dialect")
    if not isinstance(saved, dict):
        return DialectConfig("obsidian")
    try:
        return DialectConfig(**saved)
    except (TypeError, ValueError):
        return DialectConfig("obsidian")


class Resolver:
    """Maps link targets to note paths the way the vault's app does: path, then the end of a path (`sub/Note`
    reaches `x/sub/Note.md`), then file name (Logseq: page name), then title/alias; Dendron's
    `dendron://vault/` prefix is dropped; in zk an id reaches the one note whose file name starts with it; a
    Markdown link is relative to its note (a folder: its index).
    Of several notes a name could mean, the one nearest the linking note wins: in its folder (as Obsidian
    resolves a link, `getFirstLinkpathDest` given the source, and Dendron a note in several vaults), else
    the one sharing the most folders with it (`de/Plugins/Note.md` links to `de/Help/Canvas.md`, not
    `ca/Connectors/Canvas.md`: a vault of translations, each opened as a vault of its own); then the one
    nearest the vault's root, then the first in order. Without a linking note (a name a user typed), the
    one nearest the root."""

    def __init__(self, notes: Iterable[tuple[str, str, list[str]]], dialect: DialectConfig | None = None
                 ) -> None:
        """`notes`: (path, title, aliases) for every note."""
        self.dialect = dialect or DialectConfig("obsidian")
        self._by_path: dict[str, str] = {}
        self._by_name: dict[str, list[str]] = {}  # each name's notes, nearest the root first
        self._by_title: dict[str, list[str]] = {}
        self._notes = sorted(notes, key=lambda n: (n[0].count("/"), n[0]))  # shortest path first: it wins
        self._named: dict[str, list[str]] | None = None
        self._stems: list[tuple[str, str]] | None = None
        self._ends: dict[str, list[str]] | None = None
        self._twins: dict[str, list[str]] = {}  # paths that compare equal (`Plan.md`, `plan.md`): rare
        for path, title, aliases in self._notes:
            if (first := self._by_path.setdefault(key := name_key(path), path)) != path:
                self._twins.setdefault(key, [first]).append(path)
            for name in dict.fromkeys(map(name_key, (page_name(path, self.dialect),
                                                     *other_names(path, self.dialect)))):
                self._by_name.setdefault(name, []).append(path)
            for name in dict.fromkeys(map(name_key, [title, *aliases])):
                self._by_title.setdefault(name, []).append(path)

    def resolve(self, target: str, source: str = "", kind: str = "wiki") -> str | None:
        """The note a link points to, or None when it points outside the notes."""
        target = strip_scheme(target.strip())
        if kind == "markdown" and target.startswith("[[") and target.endswith("]]"):
            target, kind = target[2:-2], "wiki"  # Logseq's [label]([[Page]])
        relative = kind in MARKDOWN_KINDS or target.startswith(("./", "../"))
        if relative and (hit := self._relative(target, source)):
            return hit
        if relative and source and _CLIMBS.match(target):  # (a link in a note: a path typed by a user is
            return self._climbed(target)  # from the vault's root, `../` out of it)
        key = name_key(target)
        if self.dialect.name == "dendron" and key.endswith(".*"):  # ![[a.b.*]]: a.b's children, by a.b
            key = key[:-2]
        if not key or "*" in key:
            return None
        hit = (self._by_path.get(key) or self._by_path.get(key.lstrip("/"))
               or nearest(self._path_end(key) or self._by_name.get(key) or self._by_title.get(key), source))
        if hit is None and self.dialect.name == "zk":
            hit = self._by_prefix(key)
        return hit

    def _relative(self, target: str, source: str) -> str | None:
        """A path relative to the linking note's folder (or to the vault, with a leading `/`); a folder
        (`guide/`, `guide`) is reached through its index page."""
        base = "" if target.startswith("/") else posixpath.dirname(source)
        joined = posixpath.normpath(posixpath.join(base, target.lstrip("/")))
        if joined.startswith("../") or joined == "..":
            return None
        key = name_key(joined)
        for each in (key, *(f"{key}/{page}" for page in _INDEX_PAGES)):
            if hit := self._by_path.get(each.removeprefix("./")):
                return hit
        return None

    def _climbed(self, target: str) -> str | None:
        """A path climbing out of its note's folder (`../../Other%20note.md`) that reaches no note from it:
        as Obsidian finds it then, the note of its path from the vault's root (a folder: its index page), else
        the one note whose path ends so or, for a bare name, whose file name it is; of several, none (which
        one was meant is not known: the link stays unresolved)."""
        key = name_key(_without_climbs(target))
        if not key or key == ".":
            return None
        for each in (key, *(f"{key}/{page}" for page in _INDEX_PAGES)):
            if hit := self._by_path.get(each):
                return hit
        hits = self._path_end(key) if "/" in key else self._by_name.get(key)
        return hits[0] if hits and len(hits) == 1 else None

    def _path_end(self, key: str) -> list[str] | None:
        """The note whose path ends with `key` at a folder (Obsidian's partial paths: `sub/note` reaches
        `deep/sub/note.md`, the shortest unique path Obsidian writes). One table of every path's ends, made
        on the first such link. Not in Logseq (`a/b` names a page), nor for a path from the root or `../`."""
        if "/" not in key or key.startswith(("/", "./", "../")) or self.dialect.name == "logseq":
            return None
        if self._ends is None:
            self._ends = {}
            for path, _, _ in self._notes:  # (shortest path first)
                parts = name_key(path).split("/")
                for k in range(1, len(parts) - 1):
                    self._ends.setdefault("/".join(parts[k:]), []).append(path)
        return self._ends.get(key)

    def _by_prefix(self, key: str) -> str | None:
        """zk: the one note whose file name starts with `key` (an id: `[[a1b2]]` → `a1b2-title.md`)."""
        if self._stems is None:
            self._stems = sorted((name_key(posixpath.basename(p)), p) for p, _, _ in self._notes)
        hits = [p for stem, p in self._stems if stem.startswith(key)]
        return hits[0] if len(hits) == 1 else None

    def find(self, query: str) -> str | None:
        """A note named by a user: relative path (with or without `.md`), file name or title."""
        return self.resolve(query)

    def pasted(self, name: str) -> str:
        """The target of a wikilink pasted as a note's name (`[[name]]`, `![[name]]`, `[[name|label]]`,
        `[[name#heading]]`; Dendron's `[[label|note.name]]`); any other name as it is."""
        inner = name.strip().removeprefix("!")
        if not (inner.startswith("[[") and inner.endswith("]]")) or "]]" in inner[2:-2]:
            return name
        target, _, label = inner[2:-2].partition("|")
        if label and alias_first(self.dialect.name):
            target = label
        return target.partition("#")[0].strip() or name

    def named(self, name: str) -> list[str]:
        """Every note whose file name, title or alias is `name` (the one `find` picks first): the notes a
        bare name could mean. The table is made on the first call; link resolution never needs it."""
        if self._named is None:
            self._named = {}
            for path, title, aliases in self._notes:
                for key in {name_key(page_name(path, self.dialect)), *map(name_key, [title, *aliases])}:
                    self._named.setdefault(key, []).append(path)
        return list(self._named.get(name_key(name), []))

    def same_path(self, path: str) -> list[str]:
        """Every note whose path compares equal to `path` (case and Unicode normalisation aside): the notes a
        path could mean (`Plan.md` and `plan.md`; a file name stored composed and one decomposed)."""
        key = name_key(path)
        if key in self._twins:
            return list(self._twins[key])
        hit = self._by_path.get(key)
        return [hit] if hit is not None else []


def nearest(paths: list[str] | None, source: str) -> str | None:
    """Of the notes a link could mean (nearest the root first), the one sharing the most folders with the
    linking note `source` (in its own folder first); the first of them without one."""
    if not paths:
        return None
    if len(paths) == 1 or not source:
        return paths[0]
    return max(paths, key=lambda p: shared_folders(source, p))  # (the first of equals)


def shared_folders(source: str, path: str) -> int:
    """How near note `path` is to note `source`: the folders their paths share from the root, one more
    when it is the same folder."""
    a, b = source.split("/")[:-1], path.split("/")[:-1]
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            return n
        n += 1
    return n + (len(a) == len(b))


def link_report(links: Iterable[tuple[str, str, int | None]], dialect: str = "", top: int = 10
                ) -> dict[str, Any]:
    """What became of a vault's links, from (target, kind, resolved note or None) rows: links to notes
    `found`, `resolved`, `unresolved` (with the `top_unresolved` targets and their counts), the `rate`
    resolved, `attachments` (links to images, PDFs and the like, and to other files that are no notes, not
    counted as notes), `folders` (links to a folder of the vault without an index page), counts `by_kind`,
    and apart, `tags` (Dendron's tags link to `tags.*` notes; a tag without its note is no missing note)."""
    found = resolved = attachments = folders = 0
    missing: Counter[str] = Counter()  # by name_key: `Fixed issues` and `Fixed Issues` are one missing note
    spelled: dict[str, str] = {}
    kinds: Counter[str] = Counter()
    tags: Counter[bool] = Counter()
    for target, kind, dst in links:
        if kind == "tag":
            tags[dst is not None] += 1
            continue
        if dst is None and not to_a_note(target, kind):
            folders += kind == FOLDER
            attachments += kind != FOLDER
            continue
        found += 1
        kinds[kind] += 1
        if dst is None:
            written = strip_scheme(target)
            key = name_key(_without_climbs(written) if kind in MARKDOWN_KINDS else written)
            missing[key] += 1
            spelled.setdefault(key, target)
        else:
            resolved += 1
    return {"dialect": dialect, "found": found, "resolved": resolved, "unresolved": found - resolved,
            "rate": round(resolved / found, 4) if found else 1.0, "attachments": attachments,
            "folders": folders,
            "by_kind": dict(sorted(kinds.items())), "tags": {"found": tags.total(), "resolved": tags[True]},
            "top_unresolved": [{"target": spelled[k], "count": n} for k, n in missing.most_common(top)]}


_CLIMBS = re.compile(r"\A(?:\.\.?/)+")


def _without_climbs(target: str) -> str:
    """A Markdown link's path without its leading `./` and `../` (`../compost-heap.md`, `./compost-heap.md`
    and `compost-heap` are one missing note in `link_report`, whichever folder links to it)."""
    return _CLIMBS.sub("", posixpath.normpath(target.replace("\\", "/"))) if target.strip() else target


def safe_label(text: str) -> str:
    """Text to show in a link, on one line, without the characters that could end a wikilink, split a
    table cell or open/close an HTML comment (`]]`, `|`, `-->`): those become look-alikes."""
    label = " ".join(_CONTROL.sub(" ", text.translate(_LABEL)).split())
    return label.replace("%%", "%\uff05")

def note_link(path: str, title: str, style: str = "wiki", source: str = "") -> str:
    """A link to a note that cannot break the line it sits in, in a link style of `link_style`:
    `wiki` `[[path|title]]`, `dendron` `[[title|note.name]]` (`file_name`), `logseq` `[[page name]]` (the
    title), `markdown` `[title](path.md)` relative to the folder of `source` (the note it is written into;
    "" for the vault's root), `markdown-bare` the same without `.md`. A path a wikilink cannot hold is
    written as a Markdown link, percent-encoded."""
    target = file_name(path) if style == "dendron" else path[:-3] if path.lower().endswith(".md") else path
    label = safe_label(title) or safe_label(posixpath.basename(target)) or "note"
    if style == "logseq" and label == title.strip() and wikilink_safe(label):  # a page by its name, whatever
        return f"[[{label}]]"  # its file is called (`a___b.md`, `a%2Fb.md` are page `a/b`)
    if style in MARKDOWN_STYLES or not wikilink_safe(target):  # (a backslash kept as one: `\]` ends no link)
        text = label.replace("\\", "\\\\")
        return f"[{text}]({markdown_href(path, source, style)})"
    if style == "dendron":
        return f"[[{target}]]" if label == target else f"[[{label}|{target}]]"
    return f"[[{target}]]" if label == target else f"[[{target}|{label}]]"


def link_style(requested: str, dialect: str, wiki_links: int, markdown_links: int,
               drops_extension: bool = False) -> str:
    """The style `note_link` writes in: `markdown` when asked, or (`auto`) when the vault writes Markdown
    links (its dialect, or more of its own links are Markdown links than wikilinks), then `markdown-bare`
    when most of the vault's own Markdown links to notes leave out `.md` (`drops_extension`: zk's default,
    GitHub wikis); else the wikilinks of its app: `dendron` (alias first), `logseq` (page names) or `wiki`."""
    if requested == "markdown":
        return "markdown"
    if requested == "auto" and (dialect not in WIKI or markdown_links > wiki_links):
        return MARKDOWN_BARE if drops_extension else "markdown"
    return dialect if dialect in ("dendron", "logseq") else "wiki"


def markdown_href(path: str, source: str, style: str) -> str:
    """The percent-encoded path of a Markdown link to note `path` written into note `source`, relative to its
    folder; without `.md` in the `markdown-bare` style, unless the name has a dot of its own (a link to
    `2024.01.15` is no link to a note: its ending `.15` says another kind of file)."""
    where = posixpath.relpath(path, posixpath.dirname(source) or ".")
    bare = where[:-3] if where.lower().endswith(".md") else where
    if style != MARKDOWN_BARE or posixpath.splitext(posixpath.basename(bare))[1]:  # (`2024.01.15`, `Dr. Who`
        return quote(where)  # would read as files of other kinds: they keep `.md`)
    return quote(bare)


def wikilink_safe(target: str) -> bool:
    """Whether `target` can stand inside `[[...]]` as it is (no `]`, `|`, `#`, `^`, control characters...)."""
    return bool(target) and not _UNSAFE_TARGET.search(target)

"""A note as an answer (`Vault.note`, the MCP tool `read_note`): the index's names, tags, headings and links
for it, beside its text as on disk now, and whether the file changed since the index was built (then the
two may disagree: a retitled note still shows its indexed title until the next build).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from notelink.errors import NotFound, echoed
from notelink.notes.vault import RawNote, Skipped, read_inside, why_unread
from notelink.query.answers import NoteInfo
from notelink.query.index import Index

TRUNCATED_MARK = "\n[… cut by notelink: the note goes on; ask for more characters to read it all]"
ITEM_CHARS = 200
"""With `max_items`, each alias, tag, heading and link target listed is cut at this many characters (`…`),
as a name said back is (`errors.echoed`): a list of bounded length is then of bounded size too."""


@dataclass(frozen=True)
class Link:
    """A link written in a note: its target as written, and the note it reaches (None: no such note)."""

    target: str
    path: str | None


@dataclass(frozen=True)
class Note:
    """A note as stored: its names, tags, headings, links, and its text (cut at `max_chars`)."""

    path: str
    title: str
    aliases: list[str]
    tags: list[str]
    headings: list[str]
    links: list[Link]
    text: str
    truncated: bool  # the text was cut at max_chars (it ends with TRUNCATED_MARK)
    chars: int  # the whole text's length
    changed_since_index: bool
    """The file's content is not what the index was built from: title, aliases, tags, headings and links
    are the index's (as the note was then), the text is the file's now."""
    counts: dict[str, int]
    """How many aliases, tags, headings and links the note has in all, before `max_items` cut the lists."""
    lists_truncated: bool = False
    """Some list (aliases, tags, headings, links) was cut at `max_items`: `counts` says how long it is."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def note_now(index: Index, vault: Path, info: NoteInfo, max_chars: int | None = None,
             max_items: int | None = None) -> Note:
    """`info`'s note: the index's names for it and its text read now (cut at `max_chars`), each list cut at
    `max_items` (its entries at `ITEM_CHARS`; `counts` has the lists' whole lengths). Only inside the
    vault; NotFound when its file left the vault's folder or cannot be read any more."""
    raw = _read(index, vault, info.path)
    text = raw.text
    cut = max_chars is not None and len(text) > max_chars
    shown = text[: max(0, max_chars or 0)] + TRUNCATED_MARK if cut else text
    lists: dict[str, list[Any]] = {"aliases": list(info.aliases), "tags": list(info.tags),
                                   "headings": index.headings(info), "links": index.links_of(info)}
    counts = {name: len(items) for name, items in lists.items()}
    if max_items is not None:
        lists = {name: _bounded(items, max_items) for name, items in lists.items()}
    links = [Link(target, path) for target, path in lists["links"]]
    return Note(info.path, info.title, lists["aliases"], lists["tags"], lists["headings"], links, shown, cut,
                len(text), raw.sha256 != _indexed_hash(index, info), counts,
                any(n > len(lists[name]) for name, n in counts.items()))


def _bounded(items: list[Any], most: int) -> list[Any]:
    """The first `most` of `items`, each text (a link: its target) cut at `ITEM_CHARS`."""
    return [echoed(x, ITEM_CHARS) if isinstance(x, str) else (echoed(x[0], ITEM_CHARS), x[1])
            for x in items[:most]]


def _read(index: Index, vault: Path, rel: str) -> RawNote:
    """The note's text and content hash (as the indexer hashes it: notelink's block left out)."""
    raw = read_inside(vault, rel, index.max_file_bytes(), digest=True)  # (a link out of the vault: not read)
    if isinstance(raw, Skipped):
        raise NotFound("note", rel, [], why_unread(vault, raw))
    return raw


def moved_to(before: Index, now: Index, path: str) -> str | None:
    """Where `before`'s note at `path` is in `now`, after a rename: the one note at a path `before` did not
    have with the same content; None when there is none, or several."""
    row = before.db.execute("SELECT sha256 FROM notes WHERE path = ?", (path,)).fetchone()
    if row is None:
        return None
    found = [p for (p,) in now.db.execute("SELECT path FROM notes WHERE sha256 = ?", (row[0],))
             if p not in before.by_path]
    return found[0] if len(found) == 1 else None


def _indexed_hash(index: Index, info: NoteInfo) -> str | None:
    """The content hash the index was built from for `info`'s note."""
    row = index.db.execute("SELECT sha256 FROM notes WHERE id = ?", (info.id,)).fetchone()
    return None if row is None else str(row[0])

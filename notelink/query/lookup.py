"""Finding a note by what a person types: a path (exact first), a file name, a title or an alias; and
saying why a name finds nothing (skipped when indexing, new since the build) or more than one note."""

from __future__ import annotations

import difflib
import functools
import posixpath
import re
import sqlite3
from pathlib import Path, PurePosixPath
from typing import Any

from notelink.errors import NotFound, echoed
from notelink.notes.links import MARKDOWN_KINDS, Resolver, dialect_of, linked_path, to_a_note
from notelink.notes.logseq import other_names, page_name
from notelink.notes.names import name_key, told_apart
from notelink.notes.vault import on_disk
from notelink.query.accents import unaccented
from notelink.query.answers import NoteInfo


class NoteLookup:
    """The note lookups of `Index` (a part of it: the index's notes, their paths, its database and meta)."""

    notes: list[NoteInfo]
    by_path: dict[str, NoteInfo]
    db: sqlite3.Connection
    meta: dict[str, Any]
    vault: Path | None
    """The vault folder, for what links that reach no note reach on disk (`unresolved_links`)."""

    @property
    def _resolver(self) -> Resolver:
        """The notes' names, made by `Index` when first asked for."""
        raise NotImplementedError

    def find_note(self, query: str) -> NoteInfo:
        """A note by relative path, file name or title, or a wikilink to it pasted (`[[name|label]]`: its
        target, in the vault's dialect); NotFound lists close matches. A path given exactly
        as the note's (byte for byte, `.md` optional) is that note, before the names compared without case
        and Unicode normalisation: `plan.md` beside `Plan.md`, a name stored decomposed by a composed one."""
        rel = query.removeprefix("./")
        if (exact := self.by_path.get(rel) or self.by_path.get(rel + ".md")) is not None:
            return exact
        rel = self._resolver.pasted(rel)  # (a wikilink pasted: `[[name|label]]` names its target)
        if (exact := self.by_path.get(rel) or self.by_path.get(rel + ".md")) is not None:
            return exact
        path = self._resolver.find(rel) or self._accents_aside(query, rel)
        if path is None:
            raise NotFound("note", query, _meant(query, self.notes), self._skipped_file(rel))
        return self.by_path[path]

    @functools.cached_property
    def unresolved_links(self) -> list[tuple[int, str, str]]:
        """(linking note's id, target, kind) of each link that reaches no note; one that reaches a file that
        is no note, or (a Markdown link) a folder without an index page, on disk now has kind `FILE` or
        `FOLDER` (`links.to_a_note`: no dead link). Read once; the files looked at only for these links."""
        rows = self.db.execute("SELECT src, target, kind FROM links WHERE dst IS NULL").fetchall()
        seen: dict[tuple[str, str], str] = {}  # each path looked at once: a graph's pages with no file yet
        return [(src, target, self._on_disk(src, target, kind, seen) or kind) for src, target, kind in rows]

    def _on_disk(self, src: int, target: str, kind: str, seen: dict[tuple[str, str], str]) -> str:
        """`FILE` or `FOLDER` when link `target` of note `src` reaches one on disk, else ""; `seen`: the
        paths looked at already in this pass."""
        if self.vault is None or not to_a_note(target, kind):
            return ""
        path = linked_path(target, self.notes[src].path, kind)
        if path is None:
            return ""
        key = (path, kind)
        if key not in seen:
            seen[key] = on_disk(self.vault, path, kind in MARKDOWN_KINDS)
        return seen[key]

    def link_target(self, target: str, source: str, kind: str = "wiki") -> NoteInfo | None:
        """The note a link written in note `source` reaches, as the index resolves it (`kind` "markdown": a
        path relative to `source` first); None when it reaches no note."""
        path = self._resolver.resolve(target, source, kind)
        return self.by_path.get(path) if path is not None else None

    def _accents_aside(self, query: str, name: str) -> str | None:
        """The one note that `name` names with accents aside (`Nuit a Valensole`: `Nuit à Valensole`), by
        path, file name, title or alias; NotFound listing them when it names several; None for none."""
        paths = sorted(self._unaccented_names.get(unaccented(name_key(name)), ()))
        if len(paths) > 1:
            raise NotFound("note", query, paths[:5], f"{echoed(query)!r} names, with accents aside, "
                           f"{len(paths)} notes: {', '.join(paths[:5])}{', ...' if len(paths) > 5 else ''}; "
                           "give one of them")
        return paths[0] if paths else None

    def note_read_as(self, query: str, chosen: NoteInfo) -> str:
        """Says that `query` named `chosen` only with accents aside (`_accents_aside`); "" when it names
        it as typed (as a path, a name, or a pasted link)."""
        rel = self._resolver.pasted(query.removeprefix("./"))
        if rel in (chosen.path, chosen.path.removesuffix(".md")) or self._resolver.find(rel) is not None:
            return ""
        return (f"{echoed(query)!r} read as {chosen.title} ({chosen.path}): the one note named so with "
                "accents aside")

    @functools.cached_property
    def _unaccented_names(self) -> dict[str, set[str]]:
        """Every note's path, file name, title and aliases with accents aside (`accents.unaccented`): the
        paths each names. Made at the first name not found as typed."""
        dialect = dialect_of(self.meta)
        table: dict[str, set[str]] = {}
        for note in self.notes:
            names = {note.path, page_name(note.path, dialect), note.title, *note.aliases,
                     *other_names(note.path, dialect)}
            for name in names:
                table.setdefault(unaccented(name_key(name)), set()).add(note.path)
        return table

    def _skipped_file(self, query: str) -> str | None:
        """Why a file that `query` names by path or file name (with or without .md) is not here: skipped
        when indexing, or in the vault now but new since the index was built."""
        key = name_key(query)
        for path, reason in self.db.execute("SELECT path, reason FROM files WHERE status = 'skipped'"):
            if key in (name_key(path), name_key(posixpath.basename(path))):
                return f"{path} is not in the index: it was skipped when indexing ({reason})"
        new = self._new_file(query)
        return f"{new} is in the vault but new since the index was built: run `notelink index` to add it" \
            if new else None

    def _new_file(self, query: str) -> str | None:
        """The vault's note file that `query` names by its path (`.md` optional), when there is one now."""
        typed, vault = PurePosixPath(query), self.meta.get("vault")
        if not vault or typed.is_absolute() or ".." in typed.parts:
            return None
        return next((rel for rel in (query, query + ".md") if rel.lower().endswith(".md")
                     and _is_file(Path(str(vault)) / rel)), None)

    def notes_named(self, name: str) -> list[NoteInfo]:
        """Every note whose file name, title or alias is `name`, compared as links compare names
        (`Resolver.named`): what search puts first for a query that is a note's name."""
        return [self.by_path[path] for path in self._resolver.named(name)]

    def also_named(self, query: str, chosen: NoteInfo) -> list[str]:
        """Paths of the other notes whose file name, title or alias is `query` too, or (a path) whose path
        differs from it only by case or Unicode normalisation (`find_note` picked `chosen`), so that a caller
        can say the query was ambiguous. Empty for a path given exactly: it names one note."""
        query = query.removeprefix("./")
        if query != chosen.path:
            query = self._resolver.pasted(query)
        if query == chosen.path:
            return []
        found = self._resolver.same_path(query) if "/" in name_key(query) else self._resolver.named(query)
        return sorted(path for path in found if path != chosen.path)

    def twins(self, note: NoteInfo) -> list[str]:
        """The other notes whose path differs from `note`'s only by case or Unicode normalisation (`plan.md`
        beside `Plan.md`): no link tells them apart, as links are compared without either."""
        return [path for path in self._resolver.same_path(note.path) if path != note.path]


def _meant(query: str, notes: list[NoteInfo], most: int = 5) -> list[str]:
    """The notes a person may have meant by `query`: titles with a word starting with it, ignoring case,
    those starting with it first (`bread`: `Bread baking basics`, whose difflib ratio is under the cutoff),
    then the titles and paths difflib finds close (a typo)."""
    key = query.casefold()
    word = re.compile(r"\b" + re.escape(key))
    started = [n.title for n in notes if n.title.casefold().startswith(key)]
    within = [n.title for n in notes if word.search(n.title.casefold())]
    names = [n.path for n in notes] + [n.title for n in notes]
    close = difflib.get_close_matches(query, names, n=most, cutoff=0.5)
    return list(dict.fromkeys(started + within + close))[:most]


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long for the system
        return False


def ambiguous(name: str, chosen: str, others: list[str]) -> str:
    """Says that `name` names the notes `others` too (`Vault.also_named`), and which one an answer is for: the
    one picked may not be the one meant. Paths that would look the same on screen (one stored composed, one
    decomposed) are written with escapes, so that the message shows which is which."""
    listed = [chosen, *others[:5]]
    first, *rest = shown = told_apart(listed)
    more = ", ..." if len(others) > 5 else ""
    how = "give the exact path to choose" if shown == listed else (
        "some differ only in how their accents are encoded, written here as \\u escapes; give the exact "
        "path, as your shell completes it, to choose")
    return f"'{name}' also names {', '.join(rest)}{more}; showing {first} ({how})"

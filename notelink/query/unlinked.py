"""Unlinked mentions: where other notes write a note's title or alias without linking it (incoming), and
where the note writes other notes' names without linking them (outgoing), by line and column.

The index knows which notes name which (the token-level mention counts the note vectors use); those are
the candidates, read from disk now and searched for the names as written (`notes.spans`), so the lines
and columns are those of the file as it is. A note that already links the named note is left out: its
mentions are linked in spirit.

Incoming mentions come from the notes most related to the named note first (by the cosine `related`
ranks by), then by path: a one-word title that is also a common word ("Links") is named in passing by
hundreds of lines (changelogs), and the notes about it are the mentions worth linking.

In a vault of several languages (the index's note vectors have a language part), both directions keep to
notes of the note's own language (`stopwords.family`): a German note's "Canvas" was found in Dutch, Polish
and Swedish notes, whose own "Canvas" note is the one to link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from notelink.index.arrays import load_array
from notelink.notes.links import dialect_of
from notelink.notes.spans import find_names
from notelink.notes.vault import Skipped, read_inside, why_unread
from notelink.query.answers import NoteInfo
from notelink.query.index import Index


@dataclass(frozen=True)
class Mention:
    source: str  # the note whose text it is
    target: str  # the note it names
    line: int
    column: int
    text: str  # as written
    line_text: str
    score: float = 0.0
    """How related the two notes are (cosine, as `related` scores them): incoming mentions are listed
    from the most related note down."""


def excerpt(line: str, start: int, length: int, around: int = 24) -> tuple[str, str]:
    """The words before and after `line[start : start + length]`, about `around` characters each side, cut
    between words with "…"."""
    head, tail = line[:start], line[start + length:]
    before = "…" + head[-around:].partition(" ")[2] if len(head) > around else head
    after = tail[:around].rpartition(" ")[0] + "…" if len(tail) > around else tail
    return before, after


@dataclass
class Mentions:
    note: str
    incoming: list[Mention] = field(default_factory=list)
    outgoing: list[Mention] = field(default_factory=list)
    unreadable: str = ""
    """Why the note's own text cannot be read now (deleted or moved since indexing...): its outgoing
    mentions are then unknown, not none. Empty when it was read."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def unlinked_mentions(index: Index, root: Path, note: NoteInfo) -> Mentions:
    """Both directions for one note (other notes that cannot be read now are passed over; the note itself
    is said to be unreadable)."""
    src, dst = _mention_pairs(index)
    scores = index.scores(note)  # [N]
    others = _same_language(index, note.id)
    incoming = sorted(others({int(s) for s in src[dst == note.id]}),
                      key=lambda i: (-scores[i], index.notes[i].path))
    outgoing = sorted(others({int(d) for d in dst[src == note.id]}))
    result = Mentions(note.path)
    for i in incoming:
        if note.id not in index.links_from(i):
            found = mentions_in(index, root, index.notes[i], [note])
            result.incoming += _scored(found, {index.notes[i].path: round(float(scores[i]), 4)})
    targets = [index.notes[j] for j in outgoing if j not in index.links_from(note.id)]
    raw = read_inside(root, note.path, index.max_file_bytes())
    if isinstance(raw, Skipped):
        result.unreadable = why_unread(root, raw)
    else:
        named = {t.path: round(float(scores[t.id]), 4) for t in targets}
        result.outgoing = _scored(_found_in(index, note, raw.text, targets), named)
    return result


def _same_language(index: Index, note: int) -> Callable[[set[int]], set[int]]:
    """What keeps, of a set of note ids, the other notes that may mention note `note` or be named by it: in
    a vault of several languages, those of its language (family) only."""
    if not index.layout.languages:
        return lambda ids: ids - {note}
    langs = index.families
    return lambda ids: {i for i in ids if langs[i] == langs[note]} - {note}


def _scored(found: list[Mention], score: dict[str, float]) -> list[Mention]:
    """The mentions with the score of the other note: `score` by path (the note mentioning, or named)."""
    return [replace(m, score=score.get(m.source, score.get(m.target, 0.0))) for m in found]


def _mention_pairs(index: Index) -> tuple[np.ndarray, np.ndarray]:
    """(src [M], dst [M]): which note names which, as the index counted it; every pair when the index
    has no counts (an older generation)."""
    try:
        return (np.asarray(load_array(index.gen, "mentions_src")),
                np.asarray(load_array(index.gen, "mentions_dst")))
    except (OSError, ValueError):
        n = len(index.notes)
        return np.repeat(np.arange(n), n), np.tile(np.arange(n), n)


def mentions_in(index: Index, root: Path, source: NoteInfo, targets: list[NoteInfo]) -> list[Mention]:
    """Where `source`'s text, as on disk now, names any of `targets` (title or alias) outside links."""
    raw = read_inside(root, source.path, index.max_file_bytes())
    return [] if isinstance(raw, Skipped) else _found_in(index, source, raw.text, targets)


def _found_in(index: Index, source: NoteInfo, text: str, targets: list[NoteInfo]) -> list[Mention]:
    """Where `text` (the note `source`'s) names any of `targets` (title or alias) outside links."""
    if not targets:
        return []
    dialect = dialect_of(index.meta).name
    owner = {name: t for t in targets for name in t.written_names(dialect)}
    return [Mention(source.path, owner[s.name].path, s.line, s.column, s.text, s.line_text)
            for s in find_names(text, owner)]


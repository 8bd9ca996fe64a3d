"""What the side panels show for one note, computed from an Index and cached per note.

Related notes and concepts are a few small matrix-vector products; the "because" reasons need the
concepts of each related note, so they are computed on first use and cached too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

import numpy as np

from notelink.query.answers import NoteInfo, Related, Scored
from notelink.query.index import Index
from notelink.query.reasons import Reason, no_concepts, no_related
from notelink.tui.text import because, because_line

REASON_CONCEPTS = 12
"""How many of each note's concepts are compared to explain a related note."""

MIN_WEIGHT = 0.02
"""Concept words weighing less in a note (its vector's word part, unit length), and notes in which a word
weighs less, are not listed: under 2% of the vector is a word used in passing (shown as 0.00 and 0.01)."""


@dataclass(frozen=True)
class NoteDetails:
    """The side panels' content for one note."""

    note: NoteInfo
    related: list[Related]
    concepts: list[Scored]


class DetailsCache:
    """Per-note panel content and reasons for one Index; dropped whole when the index is swapped."""

    def __init__(self, index: Index, top: int = 12) -> None:
        self.index = index
        self.top = top
        self._details: dict[tuple[str, bool], NoteDetails] = {}
        self._concepts: dict[str, list[str]] = {}
        self._reasons: dict[tuple[str, str], str] = {}
        self._empty: dict[tuple[str, str, bool], str] = {}  # (panel, path, unlinked): why it is empty

    def details(self, path: str, unlinked: bool = False) -> NoteDetails:
        """Related notes and concepts of a note (cached). The related notes are those `notelink related`
        lists, a weak one drawn dim (`Related.weak`): a floor here hid those under 0.06, of which 8-15% had
        been linked by the author in obsidian-help/en's lists of 12 (RESULTS.md, session 21)."""
        key = (path, unlinked)
        if key not in self._details:
            note = self.index.by_path[path]
            related = self.index.related(note, self.top, unlinked=unlinked)
            concepts = self.index.concepts(note, self.top)
            self._details[key] = NoteDetails(note, related, [c for c in concepts if c.score >= MIN_WEIGHT])
        return self._details[key]

    def relink(self, a: str, b: str, linked: bool) -> None:
        """Notes `a` and `b` were just linked (or that link undone) in their files: their related lists say
        so at once, before the index is rebuilt with the change (a list of unlinked notes only is made
        again from the index when the link goes)."""
        for key in [k for k in self._details if k[0] in (a, b)]:
            path, unlinked = key
            other, d = (b if path == a else a), self._details[key]
            if unlinked and not linked:
                del self._details[key]
            elif unlinked:
                self._details[key] = replace(d, related=[r for r in d.related if r.path != other])
            else:
                self._details[key] = replace(d, related=[replace(r, linked=linked) if r.path == other else r
                                                         for r in d.related])

    def empty_related(self, path: str, unlinked: bool = False) -> str:
        """What the related panel says when it lists no note: why, as `notelink related` says it (short:
        `query.reasons`)."""
        d = self.details(path, unlinked)
        none = "no unlinked related notes" if unlinked else "no related notes"
        why = self._why(("related", path, unlinked), lambda: no_related(self.index, d.note, unlinked))
        return f"{none}:\n{why}" if why else none

    def empty_concepts(self, path: str) -> str:
        """What the concepts panel says when it lists no word: why, as `notelink concepts` says it (short),
        when the index has none for the note (else its concepts all weighed too little to list)."""
        note = self.index.by_path[path]
        why = self._why(("concepts", path, False), lambda: no_concepts(self.index, note))
        return f"no concepts:\n{why}" if why else "no concepts for this note"

    def _why(self, key: tuple[str, str, bool], reason: Callable[[], Reason]) -> str:
        if key not in self._empty:
            self._empty[key] = reason().short
        return self._empty[key]

    def concept_words(self, path: str) -> list[str]:
        if path not in self._concepts:
            hits = self.index.concepts(self.index.by_path[path], REASON_CONCEPTS)
            self._concepts[path] = [h.word for h in hits]
        return self._concepts[path]

    def reason(self, path: str, hit: Related) -> str:
        """Why `hit` is related to the note at `path`: its own `because` if the index gives one."""
        if hit.because:
            return because_line(hit.because)
        key = (path, hit.path)
        if key not in self._reasons:
            sim = partial(_word_cosine, self.index)
            self._reasons[key] = because(self.concept_words(path), self.concept_words(hit.path), sim)
        return self._reasons[key]


def _word_cosine(index: Index, a: str, b: str) -> float:
    return float(np.dot(index.word_vecs[index.word_index[a]], index.word_vecs[index.word_index[b]]))

"""Empty notes: notes with no words of their own but their title's (a Dendron hierarchy's stub, a note of
front matter only, a title and nothing under it).

Such a note is compared by its title alone (`index/notevectors.py`: its words at a share of
`evidence_tokens`, and the notes naming it), so its scores say less than a note's with text: on
dendron-site (121 empty notes of 1,012), of the notes an empty note listed at 0.05-0.15, 3% were linked to
it, against 12% for a note with text; at 0.15 or more 13% against 34%; and an empty note listed in
another's list at 0.05-0.15 was linked 4% of the time (`Index.is_weak` marks both directions weak).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from notelink.errors import IndexFormatError
from notelink.index.arrays import load_array
from notelink.query.answers import NoteInfo

TITLE_TOKENS = 16
"""Notes with more tokens than this have text of their own: only the shorter ones are read to see."""


class EmptyNotes:
    """`i in empty`: whether note i is empty, every training token of it a word of its title. A note of
    more than `TITLE_TOKENS` tokens (the token arrays say, at once for all) is not; a shorter one is read
    when first asked of (a vault of 50k short daily notes would else tokenize every title at the first
    `related`). None is empty in a generation without token arrays (`index/tokenstore.py`)."""

    def __init__(self, gen: Path, db: sqlite3.Connection, notes: Sequence[NoteInfo]) -> None:
        self._db, self._notes = db, notes
        self._tokens = _token_counts(gen, len(notes))
        self._known: dict[int, bool] = {}

    def __contains__(self, i: object) -> bool:
        if not isinstance(i, int) or self._tokens is None or not 0 <= i < self._tokens.size:
            return False
        if self._tokens[i] > TITLE_TOKENS:
            return False
        if i not in self._known:
            self._known[i] = self._title_only(i)
        return self._known[i]

    def _title_only(self, i: int) -> bool:
        from notelink.notes.tokenizer import tokenize  # (only here: most queries need no tokenizer)

        row = self._db.execute("SELECT tokens FROM notes WHERE id = ?", (i,)).fetchone()
        title = set(tokenize(self._notes[i].title, keep_stopwords=True, numbers=True))
        return row is not None and set(row[0].split()) <= title


def _token_counts(gen: Path, n_notes: int) -> np.ndarray | None:
    """[N] each note's tokens, by the token arrays; None without them."""
    try:
        paragraphs = np.asarray(load_array(gen, "tokens_paragraphs"))  # [P] tokens in each paragraph
        per_note = np.asarray(load_array(gen, "tokens_notes"))  # [N] paragraphs in each note
    except (OSError, ValueError, IndexFormatError):
        return None
    if per_note.ndim != 1 or per_note.size != n_notes or int(per_note.sum()) != paragraphs.size:
        return None
    ends = np.concatenate([[0], np.cumsum(paragraphs)])[np.cumsum(per_note)]  # [N] tokens to each note's end
    return np.diff(np.concatenate([[0], ends]))  # [N] each note's

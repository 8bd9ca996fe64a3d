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


def empty_notes(gen: Path, db: sqlite3.Connection, notes: Sequence[NoteInfo]) -> frozenset[int]:
    """Ids of the notes whose every training token is a word of their title; none for a generation
    without token arrays (`index/tokenstore.py`)."""
    short = _short(gen, len(notes))
    if not short:
        return frozenset()
    from notelink.notes.tokenizer import tokenize  # (only here: most queries need no tokenizer)

    found: set[int] = set()
    for k in range(0, len(short), 500):
        part = short[k : k + 500]
        rows = db.execute(f"SELECT id, tokens FROM notes WHERE id IN ({','.join('?' * len(part))})", part)
        for i, tokens in rows:
            title = set(tokenize(notes[i].title, keep_stopwords=True, numbers=True))
            if set(tokens.split()) <= title:
                found.add(i)
    return frozenset(found)


def _short(gen: Path, n_notes: int) -> list[int]:
    """Ids of the notes with at most `TITLE_TOKENS` tokens, by the token arrays; none without them."""
    try:
        paragraphs = np.asarray(load_array(gen, "tokens_paragraphs"))  # [P] tokens in each paragraph
        per_note = np.asarray(load_array(gen, "tokens_notes"))  # [N] paragraphs in each note
    except (OSError, ValueError, IndexFormatError):
        return []
    if per_note.ndim != 1 or per_note.size != n_notes or int(per_note.sum()) != paragraphs.size:
        return []
    ends = np.concatenate([[0], np.cumsum(paragraphs)])[np.cumsum(per_note)]  # [N] tokens to each note's end
    tokens = np.diff(np.concatenate([[0], ends]))  # [N] each note's
    return np.flatnonzero(tokens <= TITLE_TOKENS).tolist()

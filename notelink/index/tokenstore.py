"""Each note's tokens saved as word ids beside a generation, so that the next build reads them back fast.

    tokens_words.npy        the distinct words, UTF-8, one per line (uint8)
    tokens_ids.npy          [T] int32 every token of every note, end to end, as its word's line number
    tokens_paragraphs.npy   [P] int64 tokens in each paragraph, the notes' paragraphs end to end
    tokens_notes.npy        [N] int64 paragraphs in each note, in note id order

Every build reads the live generation's note records (`previous.load_records`) to reuse the unchanged
ones; splitting and interning their tokens from the database's text took 2.6-2.9 s of each update on a
10k-note vault (5.3M tokens). From these arrays it is a list lookup a token. The text column stays (queries
and older versions read it), and a generation without these arrays, or with arrays that do not fit its
notes, is read from the text as before. The build gets the ids for free from `lexicon.encode_notes`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from notelink.errors import IndexFormatError
from notelink.index.arrays import load_array
from notelink.notes.records import NoteRecord

TOKEN_ARRAYS = 1
"""The meta key `token_arrays` says which layout above a generation has (absent: none)."""
NAMES = ("tokens_words", "tokens_ids", "tokens_paragraphs", "tokens_notes")


def token_arrays(records: Sequence[NoteRecord], words: list[str], ids: np.ndarray
                 ) -> dict[str, tuple[np.ndarray, type]]:
    """Name -> (array, dtype) for the generation writer: `ids` [T] each token's number in `words`."""
    paragraphs = np.fromiter((len(p) for r in records for p in r.paragraphs), dtype=np.int64)
    notes = np.fromiter((len(r.paragraphs) for r in records), dtype=np.int64, count=len(records))
    blob = np.frombuffer("\n".join(words).encode(), dtype=np.uint8)
    return dict(zip(NAMES, ((blob, np.uint8), (ids, np.int32), (paragraphs, np.int64), (notes, np.int64)),
                    strict=True))


def load_paragraphs(gen: Path, n_notes: int) -> list[list[list[str]]] | None:
    """Each note's paragraphs as `previous._lines` reads them from the text (a paragraph that is empty
    there is left out), or None when the arrays are missing or do not fit `n_notes` notes."""
    try:
        blob, ids, paragraphs, notes = (np.asarray(load_array(gen, name)) for name in NAMES)
    except (OSError, ValueError, IndexFormatError):
        return None
    words = list(map(sys.intern, bytes(blob).decode("utf-8", errors="replace").split("\n")))
    if not _fits(words, ids, paragraphs, notes, n_notes):
        return None
    table = np.array(words, dtype=object)  # [W] (indexed by ids: no Python int object per token)
    ends = np.cumsum(paragraphs)  # [P] where each paragraph's tokens end
    starts, last = (ends - paragraphs).tolist(), np.cumsum(notes).tolist()
    return [_paragraphs(table, ids, starts[a:b], ends[a:b].tolist())
            for a, b in zip([0, *last[:-1]], last, strict=True)]


def _paragraphs(table: np.ndarray, ids: np.ndarray, starts: list[int], ends: list[int]) -> list[list[str]]:
    """One note's paragraphs (its tokens looked up at once: memory a note's worth, not the vault's)."""
    if not starts:
        return []
    low = starts[0]
    tokens = table[ids[low : ends[-1]]]  # [n] the note's words
    cut = (tokens[a - low : b - low].tolist() for a, b in zip(starts, ends, strict=True))
    return [p for p in cut if p and p != [""]]  # as the text leaves out an empty line


def _fits(words: list[str], ids: np.ndarray, paragraphs: np.ndarray, notes: np.ndarray, n_notes: int) -> bool:
    """Whether the arrays describe `n_notes` notes whose token ids are all words of `words`."""
    if ids.ndim != 1 or paragraphs.ndim != 1 or notes.ndim != 1 or notes.size != n_notes:
        return False
    if int(notes.sum()) != paragraphs.size or int(paragraphs.sum()) != ids.size:
        return False
    if (notes.size and int(notes.min()) < 0) or (paragraphs.size and int(paragraphs.min()) < 0):
        return False
    return ids.size == 0 or (int(ids.min()) >= 0 and int(ids.max()) < len(words))

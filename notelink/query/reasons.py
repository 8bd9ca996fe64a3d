"""Why `related` or `concepts` has nothing to say of a note: an empty list alone reads as "no related notes
exist", when the vault may be too small to have learned any word, the note may be the only one, or have no
word the index learned (every face says the same reason: `related --json`, the API, the MCP tools)."""

from __future__ import annotations

from notelink.query.answers import NoteInfo
from notelink.query.index import Index


def no_related(index: Index, note: NoteInfo, unlinked: bool = False) -> str:
    """Why `index.related(note, ..., unlinked)` is empty ("" when it is not)."""
    if index.related(note, 1, unlinked):
        return ""
    if len(index.notes) == 1:
        return "it is the only note in the index: there is no other note to relate it to"
    if unlinked and index.related(note, 1):
        return "every note related to it is linked with it already (unlinked leaves those out)"
    return _no_words(index, note) or ("no other note shares words or concepts with it (its cosine with "
                                      "each of them is 0 or below)")


def no_concepts(index: Index, note: NoteInfo) -> str:
    """Why `index.concepts(note)` is empty ("" when it is not)."""
    if index.concepts(note, 1):
        return ""
    return _no_words(index, note) or "its words are parts of words only (no whole word to show)"


def _no_words(index: Index, note: NoteInfo) -> str:
    """Why the note has no word the index learned, or ""."""
    if not index.words:
        warned = "; ".join(index.meta.get("warnings", []))
        return "the index learned no words from this vault (too few notes or words yet" + (
            f": {warned})" if warned else ")")
    if not index.note_vecs[note.id, : index.layout.words].nnz:
        return ("the note has no word the index learned (it is empty or short, or its words are stop words "
                "or too rare: --min-count)")
    return ""

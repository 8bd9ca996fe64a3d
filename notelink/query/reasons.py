"""Why `related` or `concepts` has nothing to say of a note: an empty list alone reads as "no related notes
exist", when the vault may be too small to have learned any word, the note may be the only one, or have no
word the index learned (every face says the same reason: `related --json`, the API, the MCP tools, and the
app's side panels, which say it short)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from notelink.query.answers import NoteInfo
from notelink.query.index import Index

SHORT = 25
"""The most columns a `Reason.short` takes."""


@dataclass(frozen=True)
class Reason:
    """Why an answer is empty: in full (the CLI, the API, the MCP tools) and `short`, a line of the app's
    side panels (`SHORT` columns at most: a third of an 80-column terminal). Both "" (false) when the
    answer is not empty."""

    full: str = ""
    short: str = ""

    def __bool__(self) -> bool:
        return bool(self.full)


ONLY_NOTE = Reason("it is the only note in the index: there is no other note to relate it to",
                   "it is the only note")
ALL_LINKED = Reason("every note related to it is linked with it already (unlinked leaves those out)",
                    "all are linked already")
NOTHING_SHARED = Reason("no other note shares words or concepts with it (its cosine with each of them is 0 "
                        "or below)", "it shares no words")
NO_WORDS = Reason("the index learned no words from this vault (too few notes or words yet)",
                  "no words learned yet")
WORD_PARTS = Reason("its words are parts of words only (no whole word to show)", "only parts of words")
NO_WORD_OF_IT = Reason("the note has no word the index learned (it is empty or short, or its words are stop "
                       "words or too rare: --min-count)", "none of its words learned")


def no_related(index: Index, note: NoteInfo, unlinked: bool = False) -> Reason:
    """Why `index.related(note, ..., unlinked)` is empty (none, false, when it is not)."""
    if index.related(note, 1, unlinked):
        return Reason()
    if len(index.notes) == 1:
        return ONLY_NOTE
    if unlinked and index.related(note, 1):
        return ALL_LINKED
    return _no_words(index, note) or NOTHING_SHARED


def no_concepts(index: Index, note: NoteInfo) -> Reason:
    """Why `index.concepts(note)` is empty (none, false, when it is not)."""
    if index.concepts(note, 1):
        return Reason()
    return _no_words(index, note) or WORD_PARTS


def _no_words(index: Index, note: NoteInfo) -> Reason:
    """Why the note has no word the index learned, or none (false)."""
    if not index.words:
        warned = "; ".join(index.meta.get("warnings", []))
        return replace(NO_WORDS, full=f"{NO_WORDS.full[:-1]}: {warned})") if warned else NO_WORDS
    if not index.note_vecs[note.id, : index.layout.words].nnz:
        return NO_WORD_OF_IT
    return Reason()

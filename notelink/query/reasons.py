"""Why `related` or `concepts` has nothing to say of a note: an empty list alone reads as "no related notes
exist", when the vault may be too small to have learned any word, the note may be the only one, or have no
word the index learned (every face says the same reason: `related --json`, the API, the MCP tools, and the
app's side panels, which say it short). And what a search says of query words it could not search for
(`search_notes`: `notelink search` in full, the app's search pane short)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from notelink.notes.tokenizer import is_number
from notelink.query.answers import NoteInfo
from notelink.query.index import Index

SHORT = 25
"""The most columns a `Reason.short` takes."""


@dataclass(frozen=True)
class Reason:
    """Why an answer is empty: in full (the CLI, the API, the MCP tools) and `short`, a line of the app's
    side panels (`SHORT` columns at most: a third of an 80-column terminal; a search's, `search_notes`, a
    part of the search pane's line). Both "" (false) when the answer is not empty."""

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


def no_related(index: Index, note: NoteInfo, unlinked: bool = False,
               min_score: float | None = None) -> Reason:
    """Why `index.related(note, ..., unlinked, min_score)` is empty (none, false, when it is not)."""
    if index.related(note, 1, unlinked, min_score):
        return Reason()
    if len(index.notes) == 1:
        return ONLY_NOTE
    if min_score is not None and (best := index.related(note, 1, unlinked)):
        return Reason(f"no related note scores {min_score:g} or more: the best scores {best[0].score}",
                      "none scores that high")
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


UNKNOWN_WHY = ("search reads the notes' prose, headings, lists, tables, titles and aliases; a word only in "
               "code (blocks or spans), a URL or front matter is not in the text it reads")
"""Why a query word can be unknown though a note has it (`search --json`'s `unknown_reason`, said whenever a
word is unknown): "no note uses it" was false for a `kubectl` written only in a code block. Making code
searchable needs each note's code tokens in the index (a column, and every vault parsed again on upgrade):
en has code in 118 of 173 notes, 479 words only there; dendron-site 536 of 1,012 notes, 813 words."""


def search_notes(unknown: Sequence[str], unmatched: Sequence[str] = (),
                 suggestions: Mapping[str, Sequence[str]] | None = None, unknown_notes: Sequence[str] = (),
                 numbers: Sequence[str] = ()) -> list[Reason]:
    """What a search says of its query besides its results (a `SearchResults`' fields): the words it could
    not search for (and the close words it has for them, `suggestions`), the numbers it left out
    (`numbers_of` its `ignored`, given when other words were searched), the filters no note matches, the
    notes to leave out that are no note. `full` for `notelink search`, `short` for the app's line over the
    results; `no_words` says why nothing was left to search for."""
    out = [unknown_words(unknown, suggestions or {})] if unknown else []
    if numbers:
        out.append(Reason(f"left out: {', '.join(numbers)} - {NUMBERS_WHY}",
                          f"numbers left out: {', '.join(numbers)}"))
    if unmatched:
        out.append(Reason(f"no note matches: {', '.join(unmatched)}",
                          f"no note matches: {', '.join(unmatched)}"))
    if unknown_notes:
        listed = ", ".join(unknown_notes)
        out.append(Reason(f"not a note, so not left out: {listed}", f"not a note: {listed}"))
    return out


def unknown_words(unknown: Sequence[str], suggestions: Mapping[str, Sequence[str]] | None = None) -> Reason:
    """The query words in no note's searched text, with why a note may still have them (`UNKNOWN_WHY`), each
    followed by the close words the vault has for it (`fermentaton (did you mean fermentation?)`; short:
    the closest only)."""
    close = suggestions or {}
    full = ", ".join(f"{w} (did you mean {', '.join(close[w])}?)" if close.get(w) else w for w in unknown)
    short = ", ".join(f"{w} ({close[w][0]}?)" if close.get(w) else w for w in unknown)
    return Reason(f"not in any note's searched text: {full} - search leaves out code, URLs and "
                  "front matter", f"not in any note's text (code aside): {short}")


def no_words(ignored: Sequence[str]) -> Reason:
    """Why a query has no word to search for: only stop words and numbers (`ignored`), or none said."""
    if not ignored:
        return Reason("no words to search for", "no words to search for")
    numbers = numbers_of(ignored)
    stop = [w for w in ignored if w not in numbers]
    said = [f"{', '.join(each)} {one if len(each) == 1 else many}" for each, one, many in
            ((stop, "is a stop word", "are stop words"), (numbers, "is a number", "are numbers")) if each]
    if not numbers:
        return Reason(f"no words to search for: {said[0]}, left out",
                      "no words to search for (only common words)")
    return Reason(f"no words to search for: {' and '.join(said)}, left out - {NUMBERS_WHY}",
                  "no words to search for (numbers are left out)")


NUMBERS_WHY = "search leaves out numbers, as the notes' words do"
"""Why a query's numbers, ids and quantities are left out: the tokenizer drops them from the notes' text."""


def numbers_of(ignored: Sequence[str]) -> list[str]:
    """The numbers, ids and quantities among a search's `ignored` words (the rest are stop words)."""
    return [w for w in ignored if is_number(w)]

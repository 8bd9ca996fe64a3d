"""The Python API's arguments checked as the CLI and MCP check theirs: a wrong type or an empty name is an
`ArgumentError` that says which argument and what it must be, not a TypeError from deep inside."""

from __future__ import annotations

import os
from collections.abc import Collection

from notelink.errors import ArgumentError, NotFound, echoed

NoteName = str | os.PathLike[str]
"""A note's name: a title, alias, file name or path (text), or a path object (`pathlib.Path`)."""


def at_least_one(name: str, value: int) -> None:
    """A count (`top`, `limit`, `max_chars`) below 1 is an error, as the CLI's `--top 0` is."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ArgumentError(f"{name} must be a whole number of at least 1, not {value!r}")


MIN_SCORE = "a number of at most 1 (a score is 1 at most)"
"""What a lowest score (`min_score`, the CLI's `--min-score`) must be: every face checks it by `min_score`."""


def min_score(value: float | None, name: str = "min_score") -> float | None:
    """The lowest score a related note may have: None keeps all; else `MIN_SCORE` (a score is 1 at most;
    NaN is no number to compare with). The one rule of the API, the MCP tools and the CLI; `name`: the
    argument as the face that asks names it (`--min-score` on the command line), said in the error."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value <= 1:
        raise ArgumentError(f"{name} must be {MIN_SCORE}, not {value!r}")
    return float(value)


def flag(name: str, value: bool) -> None:
    """A flag (`unlinked`) must be True or False: `"yes"` or `0` is an error, as MCP and `top="3"` have it."""
    if not isinstance(value, bool):
        raise ArgumentError(f"{name} must be True or False, not {value!r}")


def heading(value: str) -> str:
    """The heading text for `link(append=True)`: one line, its leading `#`s and spaces left out (`## Refs`
    is the heading `Refs`); an empty or multi-line heading is an error."""
    text = as_text("heading", value).strip().lstrip("#").strip()
    if not text or "\n" in text or "\r" in text:
        raise ArgumentError(f"heading must be one line of text, not {value!r}")
    return text


def word(value: str) -> str:
    """A word to ask about: text, not blank (`similar ""` asks for no word, not an unknown one)."""
    if not as_text("word", value).strip():
        raise ArgumentError("word is empty: give a word")
    return value


def one_word(value: str) -> str:
    """A word to ask about (`word`), without the spaces around it (`" dough "` was no word, where
    `" Kimchi "` names a note); several words are NotFound saying so, each a suggestion (no vault word holds
    a space: "two words" was 'did you mean: toward, wood?')."""
    text = word(value).strip()
    if len(parts := text.split()) > 1:
        raise NotFound("word", text, parts[:10], f"{echoed(text)!r} is {len(parts)} words: similar words are "
                       f"found for one word at a time ({', '.join(echoed(p) for p in parts[:10])})")
    return text


def note_name(value: NoteName) -> str:
    """A note's name as text (a path object: its path); an empty one names no note, and is said so."""
    name = os.fspath(value) if isinstance(value, os.PathLike) else value
    if not as_text("note", name).strip():
        raise ArgumentError("note is empty: give a note's path or title")
    return name


def folder(name: str, value: object) -> str:
    """The vault's or index's folder as text: a `str` or a path object, else an ArgumentError (not a
    TypeError from deep inside)."""
    path = os.fspath(value) if isinstance(value, (str, os.PathLike)) else None
    if not isinstance(path, str):
        raise ArgumentError(f"{name} must be a folder's path (str or os.PathLike), not "
                            f"{type(value).__name__}")
    return path


def as_text(name: str, value: str) -> str:
    """A note name, word or query must be text."""
    if not isinstance(value, str):
        raise ArgumentError(f"{name} must be text (str), not {type(value).__name__}")
    return value


def link_options(mention: int | None, append: bool, write: bool, expect: str | None) -> None:
    """`link`'s and `undo_links`' arguments, checked before anything is read or written: `write` must be
    True or False (`write="no"` is truthy, and wrote the note), a mention counts from 1 (as the CLI's
    `--mention`), and a mention and `append` do not go together (as `--mention N | --append`)."""
    flag("write", write)
    flag("append", append)
    if mention is not None:
        at_least_one("mention", mention)
        if append:
            raise ArgumentError("give mention or append=True, not both: a mention is wrapped in place, "
                                "append adds the link under a heading")
    if expect is not None:
        as_text("expect", expect)


def note_paths(name: str, value: object) -> list[str]:
    """Note paths given as one path (`str` or a path object) or a collection of them, as text; anything
    else is an ArgumentError (an `int` was a TypeError from deep inside search)."""
    if isinstance(value, (str, os.PathLike)):
        value = [value]
    if not isinstance(value, Collection) or not all(isinstance(v, (str, os.PathLike)) for v in value):
        raise ArgumentError(f"{name} must be note paths (str or os.PathLike), or a collection of them, not "
                            f"{value!r:.60}")
    return [os.fspath(v) for v in value]

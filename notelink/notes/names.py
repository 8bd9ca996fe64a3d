"""The names a note's file gives it, and how names compare: `name_key` (one Unicode normalisation, case
aside, without `.md`: how a link target, file name, title or alias is matched), `file_name` (Dendron's
name of a note), `file_stem`, `file_names` (the whole file name and a hierarchy's last part, words split at
`.`, `-`, `_`), `told_apart` (paths that look alike shown apart)."""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections import Counter

from notelink.notes.stopwords import name_tokens
from notelink.notes.targets import without_md

NAME_WORDS = re.compile(r"[^\W_]+")
"""A name's words, as a file name, URL or code span has them: runs of letters and digits, split at `.`,
`-`, `_`, `/` and spaces (`references` counts a file name's words by it, `capitals` a URL's)."""


def name_key(name: str) -> str:
    """How a link target, file name, title or alias is compared: one Unicode normalisation (NFC, so a
    file name stored decomposed, as macOS writes it, matches a link typed composed), case-folded, `/` for
    `\\`, without `.md`."""
    name = name.strip().replace("\\", "/")
    if name.isascii():  # (most names: NFC changes nothing, casefold is lower)
        name = name.lower()
    else:
        name = unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())
    return name[:-3] if name.endswith(".md") else name


def told_apart(paths: list[str]) -> list[str]:
    """`paths` as they are, except those that look like another of them (the same under Unicode's NFC): those
    with every character outside ASCII as a `\\uXXXX` escape (`Caf\\u00e9.md`, `Cafe\\u0301.md`)."""
    looks = Counter(unicodedata.normalize("NFC", p) for p in paths)
    return [p if looks[unicodedata.normalize("NFC", p)] == 1 else
            "".join(c if c.isascii() else _escape(c) for c in p) for p in paths]


def _escape(c: str) -> str:
    return f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}"


def file_name(path: str) -> str:
    """A note's file name without `.md` (`vault/tags.feature.md` → `tags.feature`): the shortest name a link
    reaches it by, and Dendron's name of the note, whatever vault folder holds it."""
    return without_md(posixpath.basename(path))


def file_name_tokens(path: str, lang: str) -> list[str]:
    """The tokens of a note's whole file name in its language, numbers kept (`NoteRecord.file_name`; a
    query reads them from here, without the note parser `records` imports)."""
    return name_tokens(file_names(path)[0], lang, numbers=True)


def file_stem(path: str) -> str:
    """A note's file name without its folders and `.md`, in any case (`music/Home recording.md` → `Home
    recording`, `Canvas.MD` → `Canvas`)."""
    return without_md(path.rsplit("/", 1)[-1])


def file_names(path: str) -> list[str]:
    """The names a note's file name gives it, words split at `.`, `-`, `_`: the whole file name, and for a
    hierarchical one (Dendron's `area.topic.leaf`) its last part, the note's name within its parent, as a
    file's name within its folder. Titles unlike file names (front matter) missed these: dendron-site,
    link text kept, recall@10 0.483 -> 0.565."""
    stem = file_stem(path)
    words = [stem.replace(".", " ").replace("_", " ").replace("-", " ")]
    leaf = stem.rsplit(".", 1)[-1]
    return words + ([leaf.replace("_", " ").replace("-", " ")] if leaf != stem else [])

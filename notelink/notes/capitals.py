"""Capitals: the words a note writes with a capital letter where a sentence does not start.

A one-word file name (`Canvas`, `Settings`, `Zotero`) is mostly a word, so writing `canvas` is no reference
to the note (`notelink.index.references`). Writing it with its capital in the middle of a sentence ("open
it in Canvas", "under Settings") is how English and most languages name a thing: Logseq and Obsidian
vaults name their pages so, and their authors write `[[Settings]]` and "in Settings" alike. So the words a
note capitalises mid-sentence are kept, as name tokens, for the one-word file names that have a capital
(`naming.find_references`). A capital at a sentence's or line's start says nothing, nor do headings,
titles and aliases (Title Case). In a language whose spelling capitalises every noun (German,
Luxembourgish) a capital says little of a name: its nouns are kept as the others' names are, and a
reference by one counts a third (`notelink.index.naming.NOUN_SHARE`; German `Liste`, `Suchen`, `Gliederung`
as full references cost obsidian-help's German notes 0.004-0.007 recall@10). Measured in
benchmarks/RESULTS.md, "Session 25: one-word file names written with their capital" and session 26.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections.abc import Iterable

from notelink.notes.stopwords import name_tokens

CAPITALS_MAX = 2_000
"""Distinct capitalised words kept per note at most: a table of names is no list of references."""


@functools.cache
def _capital_runs() -> re.Pattern[str]:
    """A capital letter and the letters and digits after it. A regex that starts with a set of characters
    lets the engine skip to the next capital in C: a regex of whole words with a capital cost 8-12% of
    parsing obsidian-help, this 5-9% (`capitalised` looks back for an inner capital's word start)."""
    upper = "".join(chr(c) for c in range(0x10000) if chr(c).isupper())
    return re.compile(rf"[{re.escape(upper)}][^\W_]*")


_OPENING = re.compile(r"(?:[^\S\n]|[\"'“”‘’«»„(\[{*_`~>|#+•–—-])*\Z")  # what may stand between a sentence's
# end and its first word: spaces (not a line's end), quotes, brackets, emphasis, list and quote marks
_ENDS = frozenset(".!?:;…。！？\n")
NOUNS_CAPITALISED = frozenset({"de", "lb"})
"""Languages whose spelling capitalises every noun (German, Luxembourgish): a capital is grammar there."""


def capitalised(texts: Iterable[str], lang: str) -> list[str]:
    """The distinct name tokens (`name_tokens`, in the note's language) of the one-token words of `texts`
    written with a capital letter not at a sentence's start: its first letter upper case after a word in
    the same sentence, or a capital after its first letter anywhere (`iOS`, `GitHub`). At most
    `CAPITALS_MAX`, in order of first use."""
    found: dict[str, None] = {}
    named: set[str] = set()  # words found named once: not looked at again
    for text in texts:
        text = unicodedata.normalize("NFKC", text)
        for m in _capital_runs().finditer(text):
            at, end = m.span()
            while at and text[at - 1].isalnum():  # an inner capital (`iOS`): its word's start
                at -= 1
            word = text[at:end]
            if word in named or not word[0].isalpha() or not _named(word, text, at):
                continue
            named.add(word)
            if token := _token(word, lang):
                found.setdefault(token, None)
                if len(found) >= CAPITALS_MAX:
                    return list(found)
    return list(found)


@functools.lru_cache(maxsize=1 << 16)
def _token(word: str, lang: str) -> str:
    """A word's one name token in `lang` (`name_tokens`), "" for a stop word or several tokens."""
    tokens = name_tokens(word, lang)
    return sys.intern(tokens[0]) if len(tokens) == 1 else ""


def _named(word: str, text: str, at: int) -> bool:
    """Whether `word` at `at` of `text` has a capital that its place does not explain."""
    if word[1:] != word[1:].lower() and not word.isupper():
        return True
    if not word[0].isupper():
        return False
    if at >= 2 and text[at - 1] == " " and (text[at - 2].isalnum() or text[at - 2] == ","):
        return True  # (most: "open it in Canvas")
    before = text[max(0, at - 12) : at]
    opening = _OPENING.search(before)
    rest = before[: opening.start()] if opening else before
    if not rest and at > len(before):  # only openings in the last 12 characters: look up to 200 back (the
        # whole text before it, copied at each such capital, took 10 s for 1 MB of aligned columns)
        rest = text[max(0, at - 200) : at].rstrip(" \t\"'“”‘’«»„([{*_`~>|#+•–—-")
    return bool(rest) and rest[-1] not in _ENDS

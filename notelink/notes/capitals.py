"""Capitals: the words a note writes with a capital letter where a sentence does not start.

A one-word file name (`Canvas`, `Settings`, `Zotero`) is mostly a word, so writing `canvas` is no reference
to the note (`notelink.index.references`). Writing it with its capital in the middle of a sentence ("open
it in Canvas", "under Settings") is how English and most languages name a thing: Logseq and Obsidian
vaults name their pages so, and their authors write `[[Settings]]` and "in Settings" alike. So the words a
note capitalises mid-sentence are kept, as name tokens, for the one-word file names that have a capital
(`naming.find_references`). A capital at a sentence's or line's start says nothing, nor do headings,
titles and aliases (Title Case), nor a paragraph, list item or table cell written in Title Case (`- Getting
Started With Sync`, a list of titles: `_title_case`). In a language whose spelling capitalises every noun
(German, Luxembourgish) a capital says little of a name: its nouns are kept as the others' names are, and
a reference by one counts a third (`notelink.index.naming.NOUN_SHARE`; German `Liste`, `Suchen`,
`Gliederung` as full references cost obsidian-help's German notes 0.004-0.007 recall@10). Measured in
benchmarks/RESULTS.md, "Session 25: one-word file names written with their capital" and session 26.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections.abc import Iterable

from notelink.notes.names import NAME_WORDS
from notelink.notes.stopwords import family, name_tokens

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
_WORDS = re.compile(r"[^\W\d_][^\W_]*")
_SENTENCE = re.compile(r"[,→]|[.!?;…](?:\s|\Z)")  # what a title does not hold
TITLE_CHARS = 300
"""A text longer than this is never Title Case (`_title_case`): a title is short, and prose is not looked
at word by word twice."""
TITLE_SHARE = 0.8
"""The share of a text's words after its first (lower-case stop words aside: `a`, `of`, `with`) that have a
capital, at least, for the text to be Title Case."""
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
        title: bool | None = None  # (looked at once a capital would count: most texts have none)
        for m in _capital_runs().finditer(text):
            at, end = m.span()
            while at and text[at - 1].isalnum():  # an inner capital (`iOS`): its word's start
                at -= 1
            word = text[at:end]
            if word in named or not word[0].isalpha() or not _named(word, text, at):
                continue
            if not _inner_capital(word):  # (in a text in Title Case, only an inner capital counts)
                title = _title_case(text, lang) if title is None else title
                if title:
                    continue
            named.add(word)
            if token := _token(word, lang):
                found.setdefault(token, None)
                if len(found) >= CAPITALS_MAX:
                    return list(found)
    return list(found)


def capitalised_in_refs(refs: Iterable[str], lang: str) -> list[str]:
    """The distinct name tokens of the words of URLs and code spans (`refs`) written with a capital
    (`github.com/SilentVoid13/Templater`): there, where no sentence starts, a capital is as deliberate as
    an inner one; lower case (`help.obsidian.md/canvas`) is how URLs write words, upper case how code
    writes constants (`FOO_BAR`). At most `CAPITALS_MAX`."""
    found = (_token(w, lang, numbers=True) for ref in refs for w in NAME_WORDS.findall(ref)
             if not w.islower() and not w.isupper() and not w.isdigit())  # (`FOO_BAR`, `2022`: no names)
    return list(dict.fromkeys(t for t in found if t))[:CAPITALS_MAX]


@functools.lru_cache(maxsize=1 << 16)
def _token(word: str, lang: str, numbers: bool = False) -> str:
    """A word's one name token in `lang` (`name_tokens`), "" for a stop word or several tokens."""
    tokens = name_tokens(word, lang, numbers=numbers)
    return sys.intern(tokens[0]) if len(tokens) == 1 else ""


def _title_case(text: str, lang: str) -> bool:
    """Whether a text (a paragraph, a list item, a table cell) is written in Title Case, as a heading is: at
    most `TITLE_CHARS` long, no sentence (a comma, an arrow or a sentence's end in it: `Zotero, Canvas and
    Sync` lists names, `Open Settings → Sync.` names a menu's), its first word with a capital, at least two
    of its words after the first with a capital, and at least `TITLE_SHARE` of them (the first word's
    capital is a sentence's; Title Case leaves stop words such as `a`, `of`, `with` lower case: they are
    aside). "Getting Started With Sync" is; "Open it in Canvas and draw", "Go to Settings", "see Zotero and
    Sync" are not. German text never is: its nouns have their capitals by grammar ("Öffne die Lesezeichen im
    Menü"), and its titles are written as sentences."""
    if len(text) > TITLE_CHARS or _SENTENCE.search(text) or family(lang) in NOUNS_CAPITALISED:
        return False
    words = _WORDS.findall(text)
    if not words or words[0].islower():
        return False
    words = [w for w in words[1:] if not (w.islower() and not _token(w, lang))]
    capitals = sum(not w.islower() for w in words)
    return capitals >= 2 and capitals >= TITLE_SHARE * len(words)


def _inner_capital(word: str) -> bool:
    """Whether `word` has a capital after its first letter (`iOS`, `GitHub`; not `NASA`)."""
    return word[1:] != word[1:].lower() and not word.isupper()


def _named(word: str, text: str, at: int) -> bool:
    """Whether `word` at `at` of `text` has a capital that its place does not explain."""
    if _inner_capital(word):
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

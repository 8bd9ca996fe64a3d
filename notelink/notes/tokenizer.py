"""Unicode-aware tokenizing: lowercase words, numbers dropped, stop words optional, CJK as bigrams.

Text is NFKC-normalised first (ligatures such as `ﬁ`, full-width letters, superscripts read as what they
stand for). Versions and dotted numbers (`v0.14.2`, `3.11`) are numbers, whole (`VERSION`). Tokens that
are no words by their shape are dropped as numbers are: ids and hashes (letters and digits alternating
three times or more: `ev8p1l5p0izdgjas`, `funnym0nk3y`; hex runs of 7+ with a digit: `a08a34a`),
quantities and ordinals (`3k`, `300px`, `5min`, `2nd`, `3º`), and `@handles` (`@oli916#5867`).
Katakana words stay whole (`サイト`, not `サイ` `イト`); Thai and Lao vowels that are written before or after
their consonant stay with it, so bigrams are of syllable-like units (`ภาษา`, `ไทย`, not `าษ`)."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable


def _letters_and_marks(spans: str) -> str:
    """The characters of `spans` ("a-z..." ranges) that are letters, marks or digits, as one regex class
    body: a script's punctuation (the Devanagari danda, the Khmer khan) ends a word like a full stop."""
    chars = (chr(c) for a, b in re.findall(r"(.)-(.)", spans) for c in range(ord(a), ord(b) + 1))
    return "".join(ch for ch in chars if unicodedata.category(ch)[0] in "LMN")


# Word characters: \w plus the combining marks of scripts whose vowel signs Python's \w leaves out
# (Devanagari..Sinhala, Hebrew points, Arabic harakat, Thai, Lao, Myanmar, Khmer) and zero-width joiners.
_MARKS = _letters_and_marks(
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf-\u05c7\u0610-\u061a\u064b-\u065f\u0670-\u0670"
    "\u06d6-\u06ed\u0900-\u0dff\u0e31-\u0e3a\u0e47-\u0e4e\u0eb1-\u0ebc\u0ec8-\u0ecd\u1000-\u109f"
    "\u1780-\u17ff"
) + "\u200c\u200d"
VERSION = r"(?<![\w.])v?\d+(?:\.\d+)+(?!\w)"
"""A version or dotted number (`v0.14.2`, `3.11`, `192.168.1.1`): one token, a number (`is_number`). Split at
its dots it gave the word `v0` (a concept of a note about a release, a search word) and numbers."""
_VERSION = re.compile(VERSION)
_WORD = re.compile(rf"{VERSION}|[\w{_MARKS}]+(?:['’][\w{_MARKS}]+)*")
# Scripts written without spaces between words: Han, kana, Thai, Lao, Khmer, Myanmar.
_NOSPACE = (
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u31f0-\u31ff"
    "\u0e00-\u0e7f\u0e80-\u0eff\u1780-\u17ff\u1000-\u109f"
)
_NOSPACE_RUN = re.compile(rf"[{_NOSPACE}]+")
_KATAKANA_RUN = re.compile(r"[\u30a1-\u30fa\u30fd-\u30ff\u31f0-\u31ff][\u30a0-\u30ff\u31f0-\u31ff]*")
"""A katakana word (the prolonged sound mark `ー` continues one; after hiragana it stays with it)."""
_FRAGMENT_SCRIPTS = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]+")
"""Thai, Lao, Myanmar, Khmer: their bigrams are parts of words (useful to train on, no concepts to show)."""
_KANA_HAN = re.compile(r"[\u3040-\u309f][\u3400-\u9fff]|[\u3400-\u9fff][\u3040-\u309f]")
_HANDLE = re.compile(r"(?<![\w@.])@[^\W\d_][\w.-]*(?:#\d+)?")
_ID_LIKE = re.compile(r"\d[^\W\d_]+\d+[^\W\d_]|[^\W\d_]\d+[^\W\d_]+\d|(?=[0-9a-f]*\d)[0-9a-f]{7,}")
"""Letters and digits alternating three times or more (digit-letter-digit-letter or the reverse), or a
hex run of 7+ with a digit (commit hashes, uuid parts)."""
_QUANTITY = re.compile(
    r"\d+(?:[.,]\d+)?(?:k|m|b|x|px|pt|em|rem|vh|vw|ms|s|sec|secs|min|mins|h|hr|hrs|am|pm|kb|mb|gb|tb|kib|"
    r"mib|gib|kg|mg|km|cm|mm|ml|deg|fps|hz|khz|mhz|ghz|kw|kwh|mah|st|nd|rd|th|er|e|o|a)")  # (º, ª: o, a)
_AFTER = "\u0e30\u0e32\u0e33\u0e45\u0eb0\u0eb2\u0eb3"  # Thai, Lao: vowels written after their consonant
_BEFORE = "\u0e40-\u0e44\u0ec0-\u0ec4"  # ...and before it (เ แ โ ใ ไ)
_LEADS = re.compile(f"[{_BEFORE}]")
_HAS_NOSPACE = re.compile(rf"[{_NOSPACE}]")
_HAS_MARK = re.compile(rf"[{_MARKS}]")
_HAS_LETTER = re.compile(r"[^\W\d_]")

STOPWORDS: frozenset[str] = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been before
    being below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't
    down during each either etc few for from further get gets got had hadn't has hasn't have haven't having
    he he'd he'll he's her here here's hers herself him himself his how how's however i i'd i'll i'm i've if
    in into is isn't it it's its itself just let's may me might more most must mustn't my myself no nor not
    now of off on once only or other ought our ours ourselves out over own per same shan't she she'd she'll
    she's should shouldn't so some such than that that's the their theirs them themselves then there
    there's these they they'd they'll they're they've this those through thus to too under until up upon us
    use used using very via was wasn't we we'd we'll we're we've were weren't what what's when when's where
    where's whether which while who who's whom why why's will with won't would wouldn't yet you you'd you'll
    you're you've your yours yourself yourselves"""
    # discourse words: they say how, not what, and ranked among the concepts of many notes
    """ although though even ever still already really actually basically simply quite rather almost
    perhaps maybe instead otherwise therefore hence whereas anyway genuinely truly literally obviously
    clearly certainly probably definitely generally usually typically especially particularly
    essentially mostly merely nearly fairly somewhat"""
    # "vs" compares two things it does not name ("wikilink vs markdown link": the rare "vs" outweighed both);
    # "v.s." is a version-shaped number, dropped already
    """ vs versus"""
    # number words, as digits are dropped: a recipe's "twenty minutes" says no more than its "20 minutes"
    """ one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand
    million billion""".split()
)


_JOINS_NEXT = ("\u17d2", "\u1039", "\u200d")  # Khmer coeng, Myanmar virama, zero-width joiner


def _clusters(run: str) -> list[str]:
    """The run's user-perceived characters: each base letter with the marks that follow it (Thai and
    Khmer vowel signs; a Khmer coeng with the consonant it stacks below); Thai and Lao vowels written
    after a consonant join it, those written before it join the consonant that follows."""
    out: list[str] = []
    for ch in run:
        joins = unicodedata.category(ch)[0] == "M" or ch in _AFTER
        if out and (joins or out[-1].endswith(_JOINS_NEXT) or _LEADS.fullmatch(out[-1][-1])):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _bigrams(run: str) -> list[str]:
    """Bigrams of the characters of a run of no-space script (a single character stays itself); a
    katakana word stays whole."""
    if _KATAKANA_RUN.fullmatch(run):
        return [run]
    chars = _clusters(run) if _HAS_MARK.search(run) or _FRAGMENT_SCRIPTS.match(run) else run
    if len(chars) == 1:
        return [run]
    return ["".join(chars[i : i + 2]) for i in range(len(chars) - 1)]


def _split_word(word: str, numbers: bool = False) -> list[str]:
    """Splits a word that mixes no-space script into bigrams and ordinary parts."""
    out: list[str] = []
    pos = 0
    for m in _NOSPACE_RUN.finditer(word):
        out.extend(_plain(word[pos : m.start()], numbers))
        for part in _by_katakana(m.group()):
            out.extend(_bigrams(part))
        pos = m.end()
    out.extend(_plain(word[pos:], numbers))
    return out


def _by_katakana(run: str) -> list[str]:
    """The run cut where katakana starts or ends (`東京タワー` → `東京`, `タワー`)."""
    cuts = sorted({0, len(run), *(k for m in _KATAKANA_RUN.finditer(run) for k in m.span())})
    return [run[a:b] for a, b in itertools.pairwise(cuts)]


def _plain(part: str, numbers: bool = False) -> list[str]:
    """A space-delimited word: kept when it has a letter, at least two characters and a word's shape
    (not an id, a hash or a quantity: see the module's docstring); with `numbers`, also any with a digit."""
    part = part.strip("_'")
    if part.endswith("'s"):
        part = part[:-2]
    if numbers and is_number(part):
        return [part]
    if len(part) < 2 or not _HAS_LETTER.search(part) or not word_shaped(part):
        return []
    return [part]


def word_shaped(token: str) -> bool:
    """False for tokens made of letters and digits that are no words: ids and hashes, quantities and
    ordinals. Tokens without digits are always word-shaped."""
    if not any(ch.isdigit() for ch in token):
        return True
    return not (_ID_LIKE.search(token) or _QUANTITY.fullmatch(token))


def without_spaces(ch: str) -> bool:
    """Whether character `ch` is of a script written without spaces between words (Han, kana, Thai, Lao,
    Khmer, Myanmar), whose words the tokenizer reads as bigrams."""
    return _HAS_NOSPACE.match(ch) is not None


def is_fragment(token: str) -> bool:
    """True for a bigram that is part of a word rather than one (Thai, Lao, Khmer, Myanmar; a kanji with
    a hiragana ending): trained on, but no concept to show."""
    return bool(_FRAGMENT_SCRIPTS.fullmatch(token) or _KANA_HAN.fullmatch(token))


def is_number(token: str) -> bool:
    """True for a token that only names keep (`tokenize(numbers=True)`): digits, an id, a quantity, a
    version."""
    return any(ch.isdigit() for ch in token) and not (
        _HAS_LETTER.search(token) and word_shaped(token) and not _VERSION.fullmatch(token))


def _word_tokens(word: str, keep_stopwords: bool, numbers: bool) -> tuple[str, ...]:
    """The tokens of one lowercased regex word (none, itself, its parts, or bigrams); a version is a
    number."""
    if "." in word:  # (only a version has one)
        return (word,) if numbers else ()
    parts = _split_word(word, numbers) if _HAS_NOSPACE.search(word) else _plain(word, numbers)
    return tuple(parts if keep_stopwords else [t for t in parts if t not in STOPWORDS])


# Words repeat (Zipf), so each distinct word is tokenized once: raw word -> its tokens, per mode (stop
# words kept, numbers kept). Bounded (~40 MB per mode), since distinct words grow without end; past the
# bound, new words are not remembered.
_CACHE_MAX = 200_000
_CACHES: dict[tuple[bool, bool], dict[str, tuple[str, ...]]] = {
    (stop, num): {} for stop in (False, True) for num in (False, True)}


def tokenize(text: str, *, keep_stopwords: bool = False, numbers: bool = False) -> list[str]:
    """Lowercased word tokens of `text`, in order, ready for training; with `numbers`, numbers, ids and
    quantities are kept too (`is_number`), as file names are read (`2022-05-31`, a zettel's id)."""
    cache = _CACHES[(keep_stopwords, numbers)]
    out: list[str] = []
    text = _HANDLE.sub(" ", unicodedata.normalize("NFKC", text))
    for word in _WORD.findall(text.lower().replace("’", "'")):
        parts = cache.get(word)
        if parts is None:
            parts = _word_tokens(word, keep_stopwords, numbers)
            if len(cache) < _CACHE_MAX:
                cache[word] = parts
        out += parts
    return out


def tokenize_all(texts: Iterable[str], *, keep_stopwords: bool = False) -> list[str]:
    """Tokens of several texts, concatenated."""
    out: list[str] = []
    for text in texts:
        out.extend(tokenize(text, keep_stopwords=keep_stopwords))
    return out

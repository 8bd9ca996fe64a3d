"""A word's other forms in the vault: its plural or singular and other inflections (`tomatoes` for `tomato`).

Search finds a word's forms as it finds the word: a note about `Growing tomatoes` for the query `tomato`.
The forms are the vault's own words that share a stem with the word by the simple suffix rules of the
word's language (`ENDINGS`): `tomato` + `es`, `berr` + `y`/`ies`, `not` + `e`/`es`/`ed`/`ing`. Only words the
vault has are forms (a look-up in its vocabulary per ending, no stemmer's guess at a word no note has).
Languages without rules here get no forms; their CBOW neighbours still come in as neighbours. Arabic
writes its article and some particles as the word's beginning (`مزامنة`, `المزامنة`, `والمزامنة`): its
`PREFIXES` take turns as endings do.

Measured (`SearchConfig.w_forms`, benchmarks/word_forms.py and benchmarks/search.py, seeds 1-3): known-item
queries of a title word in the other number, MRR `en` 0.38 -> 0.86 and dendron-site 0.23 -> 0.80; link
suggestion level on `en` (recall@10 0.824 -> 0.820, held-out 0.711 -> 0.717) and up on dendron-site
(0.503 -> 0.507, held-out 0.455 -> 0.463). English plural rules alone (no `ed`, `ing`) measured level on
`en` and gave dendron-site no gain (held-out 0.455).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

MIN_STEM = 3
"""Letters a stem keeps: `us` + `es` is no form of `use`, `bas` + `es` none of `bas`."""


@dataclass(frozen=True)
class Endings:
    """Endings that take turns on one stem (`""` the bare stem), for stems that `stem_ok` accepts."""

    endings: tuple[str, ...]
    stem_ok: Callable[[str], bool] = lambda stem: True


def _after(letters: str) -> Callable[[str], bool]:
    """A stem ending in one of `letters` (or their pairs: `ch`, `sh`)."""
    return lambda stem: stem.endswith(tuple(letters.split()))


def _consonant(stem: str) -> bool:
    return stem[-1:] not in "aeiou"


_VOWEL_END = "a e i o u y"

ENDINGS: Mapping[str, tuple[Endings, ...]] = {
    "en": (
        Endings(("", "s")),                                            # note, notes
        Endings(("", "es"), _after("s x z ch sh o")),                  # box, boxes; tomato, tomatoes
        Endings(("y", "ies", "ied"), _consonant),                      # berry, berries
        Endings(("", "s", "ed", "ing"), lambda s: _consonant(s) and not s.endswith("s")),  # link, linked
        Endings(("e", "es", "ed", "ing"), _consonant),                 # bake, baked, baking
    ),
    "de": (
        Endings(("", "e", "en", "n", "er", "ern", "es", "s")),         # Buch, Bücher (umlauts aside)
        Endings(("en", "e", "t", "et", "te", "ten", "st")),            # machen, macht, machte
    ),
    "nl": (Endings(("", "en", "s", "e", "es")),),                    # boek, boeken; tafel, tafels
    "fr": (Endings(("", "s", "x", "e", "es")), Endings(("al", "aux"))),  # note, notes; journal, journaux
    "es": (Endings(("", "s", "es")), Endings(("o", "a", "os", "as"))),  # nota, notas; nuevo, nuevas
    "pt": (Endings(("", "s")), Endings(("o", "a", "os", "as")), Endings(("ão", "ões", "ães")),
           Endings(("l", "is"), _after(_VOWEL_END))),               # nota, notas; canal, canais
    "it": (Endings(("o", "i", "a", "e")), Endings(("co", "chi", "ca", "che"))),  # libro, libri
    "da": (Endings(("", "e", "er", "en", "et", "ene", "erne")),),
    "sv": (Endings(("", "a", "ar", "or", "er", "en", "et", "na", "arna", "orna", "erna")),),
    "ar": (Endings(("ة", "ات")), Endings(("", "ون", "ين"))),       # ملاحظة, ملاحظات; مبرمج, مبرمجون
}
"""Suffix rules by language family (`stopwords.family`): each `Endings` a set of endings that inflect one
stem. They find forms, not roots: `recording` and `record` are one word to search, as they are to a reader
of a note about recording."""


PREFIXES: Mapping[str, tuple[str, ...]] = {
    "ar": ("", "ال", "وال", "بال", "فال", "كال", "لل"),  # the article, alone and after و ب ف ك ل (لل: ل + ال)
}
"""Beginnings that take turns on one word, by language family: only the article and the particles written
with it, which no Arabic word begins with by itself (a lone و, ب or ل could be the word's first letter)."""

_SCRIPTS = {"ar": (re.compile(r"[\u0600-\u06FF]"), ("ar", "fa", "ur"))}
"""Languages whose rules a word in their script takes when the language asked for writes in another (an
Arabic word searched in a vault mostly in English): the script's letters, the languages written in it."""


def forms_of(word: str, lang: str, known: Callable[[str], bool]) -> list[str]:
    """The other forms of `word` in language `lang` that `known` accepts (the vault's words), in the order
    of the rules, beginnings first; none for a language without rules. A word in the script of a language
    with rules, asked for in a language written in another script, takes that language's (`_SCRIPTS`)."""
    lang = _by_script(word, lang)
    out: dict[str, None] = {}
    for base in _beginnings(word, lang):
        for form in (base, *_endings(base, lang)):
            if form != word and known(form):
                out[form] = None
    return list(out)


def _by_script(word: str, lang: str) -> str:
    for script_lang, (letters, langs) in _SCRIPTS.items():
        if lang not in langs and letters.search(word):
            return script_lang
    return lang


def _beginnings(word: str, lang: str) -> list[str]:
    """`word` and, when it begins with one of its language's `PREFIXES`, the word after each other one."""
    starts = PREFIXES.get(lang, ())
    begun = max((p for p in starts if word.startswith(p) and len(word) - len(p) >= MIN_STEM), key=len,
                default="")
    return [word, *(p + word[len(begun):] for p in starts if p != begun)] if starts else [word]


def _endings(word: str, lang: str) -> list[str]:
    """The forms the suffix rules of `lang` (`ENDINGS`) give `word`, whether the vault has them or not."""
    out = []
    for rule in ENDINGS.get(lang, ()):
        for ending in rule.endings:
            stem = word[: len(word) - len(ending)] if ending else word
            if word.endswith(ending) and len(stem) >= MIN_STEM and rule.stem_ok(stem):
                out += [stem + other for other in rule.endings]
    return out


class WordForms:
    """The forms of a vault's words as its search ids (`lookup`: word -> id), remembered as asked for."""

    def __init__(self, lookup: Mapping[str, int]) -> None:
        self.lookup = lookup
        self._found: dict[tuple[str, str], list[int]] = {}

    def of(self, word: str, lang: str) -> list[int]:
        """The ids of `word`'s other forms in the vault, in language `lang`."""
        key = (word, lang)
        if key not in self._found:
            self._found[key] = [self.lookup[f] for f in forms_of(word, lang, self.lookup.__contains__)]
        return self._found[key]

"""The heading `notelink link --append` adds a link under, when the user names none (`--heading` wins): a
"see also" heading the note has already (in any language of the table below, or "Related"), else the
one of the note's language (as its stop words tell it, `notes.stopwords`), else English's "See also".
An English heading in a Portuguese note was the app's, not the note's (a new user's sweep).

The table holds the languages the stop-word lists know, each with its usual "see also" heading (mostly the
one its Wikipedia gives those sections).
"""

from __future__ import annotations

from collections.abc import Iterable

from notelink.notes.sections import heading_key

SEE_ALSO = "See also"
"""English's heading, and every other note's whose language the table does not hold."""

IN_LANGUAGE = {
    "de": "Siehe auch", "fr": "Voir aussi", "es": "Véase también", "it": "Voci correlate",
    "pt": "Ver também", "nl": "Zie ook", "sv": "Se även", "da": "Se også", "no": "Se også",
    "fi": "Katso myös", "pl": "Zobacz też", "cs": "Související články", "sk": "Pozri aj",
    "id": "Lihat pula", "ca": "Vegeu també", "ro": "Vezi și", "hu": "Lásd még", "tr": "Ayrıca bakınız",
    "ru": "См. также", "uk": "Див. також", "el": "Δείτε επίσης", "vi": "Xem thêm", "bn": "আরও দেখুন",
    "hi": "इन्हें भी देखें", "ar": "انظر أيضًا", "fa": "جستارهای وابسته", "he": "ראו גם", "ja": "関連項目",
    "ko": "같이 보기", "zh": "参见",
}
"""A "see also" heading in each language of `notes.stopwords` (and Chinese, told by its script)."""

_ALIKE = {heading_key(h) for h in (SEE_ALSO, "Related", "Related notes", *IN_LANGUAGE.values())}


def heading_for(lang: str, headings: Iterable[str]) -> str:
    """The heading to add a link under in a note in `lang` with these `headings` (as written): the first
    of them that is a "see also" heading, else `lang`'s, else English's."""
    for text in headings:
        if heading_key(text) in _ALIKE:
            return text
    return IN_LANGUAGE.get(lang, SEE_ALSO)

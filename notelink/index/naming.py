"""Where notes name other notes: by title or alias (mentions) and by whole file name (references), counted
in every note for a full build and, after an update, again only in the notes where they may have changed
(`update.mentions_reuse`). What `build` stores as a generation's mentions and named notes."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from notelink.index.generation import Mentions
from notelink.index.lazy import Lazy
from notelink.index.lexicon import Encoded
from notelink.index.references import capital_referable, one_word, referable
from notelink.index.update import UpdatePlan, mentions_reuse
from notelink.notes.capitals import NOUNS_CAPITALISED
from notelink.notes.mentions import count_mentions, recount_mentions, title_phrases
from notelink.notes.names import file_stem
from notelink.notes.records import NoteRecord
from notelink.notes.stopwords import family, name_tokens
from notelink.notes.tokenizer import is_number


def find_mentions(records: list[NoteRecord], tokens: Sequence[list[str]],
                  reuse: tuple[Mentions, list[int]] | None = None) -> Mentions:
    """Where notes name other notes; with `reuse` = (previous mentions with these notes' ids, notes to
    count again: `update.mentions_reuse`), only those notes' mentions are counted again."""
    phrases, langs = title_phrases([r.names() for r in records]), [r.lang for r in records]
    links = Lazy(len(records), lambda i: _link_words(records[i]))  # (an update reads a few)
    if reuse is None:
        return count_mentions(tokens, phrases, langs=langs, links=links)
    old, recount = reuse
    return recount_mentions(old, tokens, phrases, recount, langs=langs, links=links)


def _link_words(r: NoteRecord) -> list[tuple[str, ...]]:
    """The words a note's text shows for its links, as far as the record knows them: a wikilink's target
    (`[[Home recording]]`; an alias shown instead is not kept), so names inside it are not mentions. Only
    those of two words or more (no name is inside one word)."""
    targets = {link.target for link in r.links if link.kind == "wiki" and not link.target.isalnum()}
    return [w for t in targets if len(w := _words_of(t, r.lang)) > 1]


@functools.lru_cache(maxsize=1 << 16)
def _words_of(target: str, lang: str) -> tuple[str, ...]:
    """A link target's words as a name's, its folders and `.md` left out: `[[music/Home recording.md]]`
    still mentions the note named `Home recording` (once per target: the notes that link it share them)."""
    return tuple(name_tokens(file_stem(target), lang))


NOUN_SHARE = 1 / 3
"""What a note's capitalised one-word file name counts as a reference where the note's language capitalises
every noun (German, Luxembourgish; `capitals.NOUNS_CAPITALISED`), against 1 elsewhere: the capital is
grammar there, not evidence of a name, but a German one-word name is mostly a specific compound
(`Lesezeichen`, `Dateiwiederherstellung`). obsidian-help's German notes, seeds 1-3, link text kept /
removed: 0.843 / 0.567 without these references, 0.839 / 0.571 at 1, 0.843-0.848 / 0.589 at 1/2 and 1/3,
0.848 / 0.576 at 0.2 (benchmarks/RESULTS.md, session 26)."""

_APART = "\x00"  # between a note's text and each of its URLs and code spans: no name is matched across


def find_references(records: list[NoteRecord], tokens: Sequence[list[str]],
                    reuse: tuple[Mentions, list[int]] | None = None, page_words: bool = False) -> Mentions:
    """Where notes name other notes by their whole file name (`dendron.topic.links`, `insert-images`,
    `2022-05-31`): the mentions that rank a note near the top of related notes (`notelink.index.references`);
    `reuse` as in `find_mentions` (a file name changes only with its path: a moved note's is a new one's).

    A name without numbers is looked for in the note's text tokens and its URLs and code spans; a name with
    one (the text tokens drop numbers) in the stretches of text around numbers (`NoteRecord.numbered`) and
    the URLs and code spans: each place in a note is read once for a name. A one-word name with a capital
    (`Canvas`, `iOS`) is looked for among the words a note writes with a capital mid-sentence
    (`NoteRecord.capitals`, the capitalised words of its prose, URLs and code spans;
    `references.capital_referable`), a lower-case one in the note's URLs and code spans. With `page_words`
    (a Logseq graph), every one-word name is looked for in any case among the text tokens, URLs and code
    spans (`_page_words`): Logseq's page names are words whatever their case (`[[type]]`, `[[Desktop]]`),
    and Logseq itself lists a page's plain mentions as its unlinked references. Logseq's docs, seeds 1-3,
    link text kept / removed: 0.905 / 0.312 without, 0.916 / 0.341 with (benchmarks/RESULTS.md,
    session 26)."""
    names = [r.file_name() for r in records]
    whole = np.array([referable(n) for n in names], dtype=bool)  # [N]
    numbered = whole & np.array([any(map(is_number, n)) for n in names], dtype=bool)  # [N]
    capital = np.array([capital_referable(n, r.path) for n, r in zip(names, records, strict=True)],
                       dtype=bool)  # [N]
    langs = [r.lang for r in records]
    plain = Lazy(len(records), lambda i: _with_refs(tokens[i], records[i]))  # (an update reads a few)
    found = [_count_names(names, whole & ~numbered, plain, langs, reuse)]
    if numbered.any():
        around = Lazy(len(records), lambda i: _with_refs([t for s in records[i].numbered
                                                          for t in (_APART, *s)], records[i]))
        found.append(_count_names(names, numbered, around, langs, reuse))
    single = np.array([one_word(n, r.path) for n, r in zip(names, records, strict=True)],
                      dtype=bool)  # [N]
    nouns = np.array([family(lang) in NOUNS_CAPITALISED for lang in langs], dtype=bool)  # [N]
    if page_words:
        found.append(_page_words(records, names, single, capital, nouns, langs, plain, reuse))
    else:
        found += _one_word_names(records, names, single, capital, nouns, langs, reuse)
    src, dst, count = (np.concatenate(column) for column in zip(*found, strict=True))
    order = np.lexsort((dst, src))  # as count_mentions sorts
    return src[order], dst[order], count[order]


def _count_names(names: list[list[str]], which: np.ndarray, docs: Sequence[list[str]], langs: list[str],
                 reuse: tuple[Mentions, list[int]] | None) -> Mentions:
    """The mentions in `docs` of the names of the notes `which` ([N] bool); with `reuse`, its mentions of
    those notes kept but for the notes counted again (`recount_mentions`). A file name inside a
    longer one named at the same place does not count (`reading.2022.05.31` is not also `2022-05-31`)."""
    phrases = title_phrases([[n] if w else [] for n, w in zip(names, which.tolist(), strict=True)])
    if reuse is None:
        return count_mentions(docs, phrases, langs=langs, longest=True)
    (src, dst, count), recount = reuse
    mine = which[dst]  # [M] the earlier mentions of these notes
    return recount_mentions((src[mine], dst[mine], count[mine]), docs, phrases, recount, langs=langs,
                            longest=True)


def _one_word_names(records: list[NoteRecord], names: list[list[str]], single: np.ndarray,
                    capital: np.ndarray, nouns: np.ndarray, langs: list[str],
                    reuse: tuple[Mentions, list[int]] | None) -> list[Mentions]:
    """The mentions of one-word file names (`single` [N]) outside a Logseq graph: a capitalised one
    (`capital` [N]) among the words a note writes with its capitals (`NoteRecord.capitals`; `NOUN_SHARE`
    each in a language whose nouns have capitals, `nouns` [N]), a lower-case one in its URLs and code
    spans."""
    found = []
    if capital.any():
        capitals = _count_names(names, capital, Lazy(len(records), lambda i: records[i].capitals), langs,
                                reuse)
        found.append(_scaled(capitals, np.where(nouns, NOUN_SHARE, 1.0), reuse))
    if (lower := single & ~capital).any():
        refs = Lazy(len(records), lambda i: _with_refs([], records[i]))
        found.append(_count_names(names, lower, refs, langs, reuse))
    return found


def _page_words(records: list[NoteRecord], names: list[list[str]], words: np.ndarray, capital: np.ndarray,
                nouns: np.ndarray, langs: list[str], plain: Sequence[list[str]],
                reuse: tuple[Mentions, list[int]] | None) -> Mentions:
    """A Logseq graph's one-word page names (`words` [N]) in any case in the notes' text: each note that
    writes one counts `NOUN_SHARE`, or 1 where the name has a capital (`capital` [N]) that the note writes
    mid-sentence (`NoteRecord.capitals`) in a language whose nouns it does not mark (`nouns` [N]), as in any
    vault; after an update (`reuse`), the kept notes' mentions as they were."""
    distinct = Lazy(len(records), lambda i: list(dict.fromkeys(plain[i])))  # (a note counts once)
    src, dst, count = _count_names(names, words, distinct, langs, reuse)
    fresh = _counted_again(len(records), reuse)[src]  # [M]
    value = np.full(src.size, NOUN_SHARE)  # [M]
    caps = Lazy(len(records), lambda i: frozenset(records[i].capitals))
    for m in np.flatnonzero(fresh & capital[dst] & ~nouns[src]).tolist():  # (few: capitals mid-sentence)
        value[m] = 1.0 if names[dst[m]][0] in caps[int(src[m])] else NOUN_SHARE
    count[fresh] *= value[fresh]
    return src, dst, count


def _scaled(found: Mentions, scale: np.ndarray, reuse: tuple[Mentions, list[int]] | None) -> Mentions:
    """`found` with each mention's count times its note's `scale` [N]; after an update (`reuse`), only the
    counted again notes' mentions: the others' were kept as scaled before."""
    src, dst, count = found
    return src, dst, count * np.where(_counted_again(scale.size, reuse), scale, 1.0)[src]


def _counted_again(n: int, reuse: tuple[Mentions, list[int]] | None) -> np.ndarray:
    """[N] whether each note's mentions were counted in this call: after an update (`reuse`), only the
    notes `reuse[1]`, the others' kept as they were; else all."""
    if reuse is None:
        return np.ones(n, dtype=bool)
    out = np.zeros(n, dtype=bool)
    out[np.asarray(reuse[1], dtype=np.int64)] = True
    return out


def mentions_of(records: list[NoteRecord], tokens: Sequence[list[str]], encoded: Encoded,
                plan: UpdatePlan | None, same_boilerplate: bool, page_words: bool = False
                ) -> tuple[Mentions, Mentions]:
    """The mentions of names and of whole file names (`page_words`: of a Logseq graph, `find_references`);
    after an update, counted again only in the notes where they may have changed
    (`update.mentions_reuse`)."""
    def in_runs_too(names: set[tuple[str, ...]]) -> set[int]:
        return encoded.notes_with(names, _runs(records))

    names = mentions_reuse(plan, records, same_boilerplate, encoded.notes_with)
    files = mentions_reuse(plan, records, same_boilerplate, in_runs_too, "named")
    return find_mentions(records, tokens, names), find_references(records, tokens, files, page_words)


def _runs(records: list[NoteRecord]) -> list[list[list[str]]]:
    """Each note's URLs, code spans, stretches of text around numbers and capitalised words: where file
    names are looked for besides the text (`find_references`)."""
    return [[*r.refs, *r.numbered, r.capitals] for r in records]


def _with_refs(doc: list[str], r: NoteRecord) -> list[str]:
    """A note's tokens followed by its URLs' and code spans' (no copy of `doc` without any)."""
    return doc + [t for ref in r.refs for t in (_APART, *ref)] if r.refs else doc

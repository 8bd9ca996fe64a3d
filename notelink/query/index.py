"""A loaded index generation and the questions asked of it: related notes, concepts, similar words.

Reading needs only numpy and sqlite3, so queries and the TUI start without importing torch; scipy is
imported when note vectors are first multiplied (`note_vecs`).
"""

from __future__ import annotations

import difflib
import functools
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from notelink.errors import IndexDamaged, IndexMissing, NotFound
from notelink.index.arrays import load_array
from notelink.index.layout import Layout, unit_rows
from notelink.index.store import generation_key, open_generation, pin_current
from notelink.index.verify import check_generation
from notelink.notes.links import Resolver, dialect_of, link_report
from notelink.notes.stopwords import main_languages, stop_word_languages
from notelink.query.accents import by_unaccented, unaccented
from notelink.query.answers import Neighbour, NoteInfo, Related, Scored, SimilarWords
from notelink.query.lookup import NoteLookup

if TYPE_CHECKING:  # (scipy is imported where note vectors are multiplied: `similar`, `status`, `mentions`
    import scipy.sparse as sp  # and `concepts` start without it, 0.15-0.3 s)

RELIABLE_COUNT = 10
"""Occurrences from which a word's vector has reproducible neighbours: below it `similar` says the word is
too rare instead of listing neighbours, and leaves such words out of other words' neighbours. Measured
as overlap@10 of a word's neighbours between two training seeds, by count (benchmarks/train_grid.py
overlap; RESULTS-speed.md, issue 17)."""

LANGUAGE_SHARE = 0.25
"""In a vault of several languages, a word is a neighbour of a word of language L when at least this
share of its occurrences are in notes of L: the word's own language, or a name used across languages."""


class Index(NoteLookup):
    """One generation of a vault's index, read-only. Opened with `open`, it holds the generation until
    `close` (a newer build never deletes it meanwhile); a damaged one raises IndexDamaged, saying what."""

    def __init__(self, gen: Path, pin: IO[bytes] | None = None) -> None:
        self.gen, self._pin = gen, pin
        self.key = generation_key(gen)  # (before reading it: a generation replaced meanwhile is read again)
        check_generation(gen).raise_if_damaged()
        self.db, self.meta = open_generation(gen)
        try:
            self._load()
        except (sqlite3.DatabaseError, OSError, ValueError, KeyError, TypeError) as exc:
            self.db.close()
            raise IndexDamaged(f"the index at {gen} is damaged ({type(exc).__name__}: {exc}); run `notelink "
                               "index` to rebuild it (`notelink check` lists what is wrong)") from exc

    def _load(self) -> None:
        gen = self.gen
        rows = self.db.execute("SELECT id, path, title, aliases FROM notes ORDER BY id").fetchall()
        tags: dict[int, list[str]] = {}
        for note, tag in self.db.execute("SELECT note, tag FROM tags ORDER BY rowid"):
            tags.setdefault(note, []).append(tag)
        self.notes = [NoteInfo(i, p, t, [] if a == "[]" else json.loads(a), tags.get(i, []))  # (most have no
                      for i, p, t, a in rows]  # aliases: skipping the parser is 0.35 s at 100k notes)
        self.by_path = {n.path: n for n in self.notes}
        self.layout = Layout(**self.meta["layout"])
        L = self.layout
        data, indices, indptr = (load_array(gen, f"notes_{part}") for part in ("data", "indices", "indptr"))
        self._columns = L.words + L.notes + L.dim + L.languages
        _check_rows(data, indices, indptr, len(self.notes), self._columns)
        self._parts = data, indices, indptr  # the note vectors, CSR [nnz], [nnz], [N + 1] (`note_vecs`)
        self._by_word: sp.csc_matrix | None = None
        self._links: dict[int, set[int]] = {}
        for src, dst in self.db.execute("SELECT src, dst FROM links WHERE dst IS NOT NULL"):
            if src != dst:
                self._links.setdefault(src, set()).add(dst)
                self._links.setdefault(dst, set()).add(src)

    # made on first use: opening a 100k-note index for the TUI's first screen needs neither (1.2 s)
    @functools.cached_property
    def words(self) -> list[str]:
        """[V] the vocabulary, by word id (`related` names a few words only: `words_of`; reading all 137k
        words of a 10k-note vault and indexing them was 0.17 s of its 0.35 s open)."""
        return [w for (w,) in self.db.execute("SELECT word FROM vocab ORDER BY id")]

    @functools.cached_property
    def word_index(self) -> dict[str, int]:
        """word -> its id."""
        return {w: i for i, w in enumerate(self.words)}

    def words_of(self, ids: Sequence[int]) -> dict[int, str]:
        """These words by id: from `words` once it is read, else from the vocabulary table, these alone."""
        if "words" in self.__dict__:
            return {i: self.words[i] for i in ids}
        unique, out = sorted(set(ids)), dict[int, str]()
        for k in range(0, len(unique), 500):
            part = unique[k : k + 500]
            marks = ",".join("?" * len(part))
            out.update(self.db.execute(f"SELECT id, word FROM vocab WHERE id IN ({marks})", part))
        return out

    @functools.cached_property
    def note_vecs(self) -> sp.csr_matrix:
        """[N, V+N+D(+languages)] the note vectors, unit rows (sparse)."""
        import scipy.sparse as sp

        return sp.csr_matrix(self._parts, shape=(len(self.notes), self._columns))

    @functools.cached_property
    def word_vecs(self) -> np.ndarray:
        """[V, D] unit rows of the input (word) vectors, for word similarity: cosines as gensim's, near 0
        for unrelated words (RESULTS-speed.md, issue 17: mean cosine of random pairs of frequent words)."""
        return unit_rows(np.asarray(load_array(self.gen, "syn0"), dtype=np.float32))  # [V, D]

    @functools.cached_property
    def references(self) -> sp.csr_matrix | None:
        """[N, N] how strongly each pair of notes refers to each other by file name (notelink/index/
        references.py); None for an index written before they were kept."""
        parts = [load_array(self.gen, f"named_{p}") if (self.gen / f"named_{p}.npy").exists() else None
                 for p in ("src", "dst", "count")]
        if any(p is None for p in parts):
            return None
        from notelink.index.references import reference_matrix

        src, dst, share = (np.asarray(p) for p in parts)
        return reference_matrix(src, dst, share, len(self.notes))

    @functools.cached_property
    def reference_weight(self) -> float:
        """How much a reference by file name raises a related note's score (`NoteVectorConfig.w_reference`,
        as the index was built with; 0 before it existed)."""
        return float(self.meta.get("config", {}).get("vectors", {}).get("w_reference", 0.0))

    def with_references(self, start: int, scores: np.ndarray, cols: slice = slice(None)) -> np.ndarray:
        """Cosines of notes start.. with the notes `cols` (every note) [b, len(cols)], raised for the pairs
        that refer to each other by file name."""
        r = self.references
        if r is None or not self.reference_weight:
            return scores
        from notelink.index.references import boosted

        return boosted(scores, r[start : start + scores.shape[0], cols], self.reference_weight)

    @functools.cached_property
    def word_counts(self) -> np.ndarray:
        """[V] how often each word occurs in the vault's training text."""
        rows = self.db.execute("SELECT count FROM vocab ORDER BY id")
        return np.array([c for (c,) in rows], dtype=np.int64)

    @functools.cached_property
    def search_words(self) -> list[str]:
        """The words search keeps besides the vocabulary (`searchdata`: too rare, or only in boilerplate),
        in search-id order after it; none for an index without search data."""
        if not (self.gen / "search_words.npy").exists():
            return []
        extra = bytes(load_array(self.gen, "search_words")).decode()
        return extra.split("\n") if extra else []

    def counts_of(self, ids: Sequence[int]) -> dict[int, int]:
        """How often each of these words occurs (one query for a few words: a search need not read every
        word's count, 0.1-0.3 s on a large vault)."""
        if "word_counts" in self.__dict__:
            return {i: int(self.word_counts[i]) for i in ids}
        marks = ",".join("?" * len(ids))
        return dict(self.db.execute(f"SELECT id, count FROM vocab WHERE id IN ({marks})", list(ids)))

    @functools.cached_property
    def _resolver(self) -> Resolver:
        return Resolver(((n.path, n.title, n.aliases) for n in self.notes), dialect_of(self.meta))

    def warm(self) -> None:
        """Makes now what the first word query or link lookup would otherwise make (a worker calls this
        after showing the first screen)."""
        _ = self.word_vecs, self.word_counts, self._resolver

    @classmethod
    def open(cls, index_dir: Path) -> Index:
        pinned = pin_current(index_dir)
        if pinned is None:
            raise IndexMissing(f"no index at {index_dir}")
        gen, pin = pinned
        try:
            return cls(gen, pin)
        except BaseException:
            if pin is not None:
                pin.close()
            raise

    def close(self) -> None:
        """Closes the database and lets the generation go (a later build may delete it)."""
        self.db.close()
        if self._pin is not None:
            self._pin.close()
            self._pin = None

    # -- lookups: find_note, also_named, twins (`NoteLookup`) --------------------------------
    def links_in(self, text: str, note: NoteInfo) -> set[str]:
        """The notes a note's text, as it is now, links to (its paths): for a link written since this index
        was built, which `links_from` does not know yet."""
        from notelink.notes.dialect import parse_in  # (only here: queries need no parser)

        links = parse_in(text, note.path, dialect_of(self.meta)).links  # as the index read the note
        found = (self._resolver.resolve(link.target, note.path, link.kind) for link in links)
        return {path for path in found if path is not None}

    def word_id(self, word: str) -> int:
        """The word's row; NotFound for a word the notes do not use, a stop word (of any language, or of a
        main language of the vault though other notes keep it: `stopwords.main_languages`), or a rare one."""
        key = word.lower()
        if key not in self.word_index:  # (the exact word first; else the one it is with accents aside)
            key = self._accented(key) or key
        stop = stop_word_languages(key)
        if key not in self.word_index or (stop and main_languages(self.languages()).intersection(stop)):
            why = (f"{key!r} is a stop word ({', '.join(stop[:5])}): notelink leaves those out of training, "
                   "as they say little about a note") if stop else self._too_rare(key)
            close = [] if why else difflib.get_close_matches(key, self.words, n=5, cutoff=0.6)
            raise NotFound("word", word, close, why)  # (a stop word or a rare word was meant: no look-alikes)
        return self.word_index[key]

    def _accented(self, key: str) -> str | None:
        """The vocabulary's word that `key` is with accents aside (`cafe`: `café`), the most frequent of
        several; None when there is none."""
        ids = self._by_unaccented.get(unaccented(key), [])
        return self.words[max(ids, key=lambda i: self.word_counts[i])] if ids else None

    @functools.cached_property
    def _by_unaccented(self) -> dict[str, list[int]]:
        return by_unaccented(self.words)

    def _too_rare(self, key: str) -> str | None:
        """Why a word the notes use has no vector (one of the words the search keeps besides the
        vocabulary); None for a word the notes do not use."""
        if key not in self.search_words:
            return None
        least = self.meta.get("config", {}).get("train", {}).get("min_count", "--min-count")
        return (f"{key!r} has no word vector: it occurs in the notes fewer than {least} times (--min-count), "
                "or only in paragraphs repeated across many notes (left out of training); search finds it")

    def links_from(self, note_id: int) -> set[int]:
        """Notes this one links to (resolved links, itself left out)."""
        rows = self.db.execute("SELECT dst FROM links WHERE src = ? AND dst IS NOT NULL", (note_id,))
        return {int(d) for (d,) in rows} - {note_id}

    def linked(self, note_id: int) -> set[int]:
        """Notes linked to or from this one."""
        return self._links.get(note_id, set())

    # -- queries -----------------------------------------------------------------------------
    def scores(self, note: NoteInfo) -> np.ndarray:
        """Cosine similarity of every note to this one [N]: the sparse rows times the note's row made dense,
        one pass over the matrix (the sparse-times-sparse product took 3x as long: 277 ms at 100k notes)."""
        cosines = np.asarray(self.note_vecs @ self.note_vecs[note.id].toarray().ravel())  # [N]
        return self.with_references(note.id, cosines[None, :])[0]

    def rank(self, note_id: int, scores: np.ndarray, top: int,
             unlinked: bool = False) -> list[tuple[int, float]]:
        """The `top` (note id, score) pairs of one note's similarity row [N], best first; the note itself,
        notes sharing nothing with it (cosine 0 or below: an empty note has no related notes), and with
        `unlinked` the notes linked either way, left out. `scores` is modified."""
        scores[note_id] = 0.0
        if unlinked and (links := self.linked(note_id)):
            scores[list(links)] = 0.0
        return [(j, float(scores[j])) for j in _top(scores, top)]

    def related(self, note: NoteInfo, top: int = 10, unlinked: bool = False) -> list[Related]:
        """Most similar notes by cosine of note vectors, best first, the note itself left out."""
        links = self.linked(note.id)
        return [self._related(note.id, j, s, j in links)
                for j, s in self.rank(note.id, self.scores(note), top, unlinked)]

    def _related(self, i: int, j: int, score: float, linked: bool) -> Related:
        other = self.notes[j]
        return Related(other.path, other.title, round(score, 4), linked, self.because(i, j))

    def because(self, i: int, j: int, top: int = 4, least: float = 0.1) -> list[str]:
        """The shared words and `mentions: X` titles that contribute most to cos(note i, note j): at most
        `top`, each at least `least` of the largest one's contribution (the rest would be noise)."""
        shared = self.note_vecs[i].multiply(self.note_vecs[j]).tocoo()  # per-column contributions
        L, first = self.layout, 0.0
        words = self.words_of(shared.col[shared.col < L.words].tolist())
        out: list[str] = []
        for k in np.argsort(-shared.data, kind="stable"):
            col, value = int(shared.col[k]), float(shared.data[k])
            if col < L.words:
                label = words[col]
            elif col < L.words + L.notes:  # notes with one title (a vault in several languages) say it once
                label = f"mentions: {self.notes[col - L.words].title}"
            else:  # the dense part and the note's language explain nothing in words
                continue
            first = first or value
            if value < least * first or len(out) == top:
                break
            if label not in out:
                out.append(label)
        if (r := self.references) is not None and self.reference_weight and r[i, j] > 0 and not any(
                label.startswith("mentions: ") for label in out):
            out = ["file name mentioned", *out[: top - 1]]
        return out

    def concepts(self, note: NoteInfo, top: int = 10) -> list[Scored]:
        """The vault words that weigh most in the note's vector: its own words and their CBOW neighbours
        (parts of words, the bigrams of scripts written without spaces, are left out: no concepts)."""
        from notelink.notes.tokenizer import is_fragment  # (only here: most queries need no tokenizer)

        data, indices, indptr = self._parts
        row = slice(int(indptr[note.id]), int(indptr[note.id + 1]))  # (the row's stored entries, in order)
        words = indices[row] < self.layout.words
        cols, vals = indices[row][words], data[row][words]
        norm = float(np.linalg.norm(vals)) or 1.0
        name = self.words_of(cols.tolist())
        whole = np.array([not is_fragment(name[c]) for c in cols.tolist()], dtype=bool)
        cols, vals = cols[whole], vals[whole]
        order = sorted(range(cols.size), key=lambda k: (-vals[k], int(cols[k])))[:top]
        return [Scored(name[int(cols[k])], round(float(vals[k] / norm), 4)) for k in order]

    def notes_for_word(self, word: str, top: int = 10) -> list[Related]:
        """Notes in which a word (or its CBOW neighbours) weighs most."""
        i = self.word_id(word)
        if self._by_word is None:
            import scipy.sparse as sp

            self._by_word = sp.csc_matrix(self.note_vecs[:, : self.layout.words])
        col = self._by_word[:, i].tocoo()
        order = sorted(range(col.row.size), key=lambda k: (-col.data[k], int(col.row[k])))[:top]
        return [Related(self.notes[int(col.row[k])].path, self.notes[int(col.row[k])].title,
                        round(float(col.data[k]), 4), False) for k in order]

    def similar(self, word: str, top: int = 10) -> list[Neighbour]:
        """Words closest (cosine) to a word; none for a word too rare to say (`similar_words`)."""
        return self.similar_words(word, top).similar

    def similar_words(self, word: str, top: int = 10) -> SimilarWords:
        """The `top` words closest (cosine of word vectors) to a word, each with how often it occurs. Only
        words seen at least `RELIABLE_COUNT` times take part: a rarer word gets no neighbours (its vector
        is mostly its random start and the few contexts it had) and is said to be rare. In a vault of
        several languages the neighbours are words of the word's own language (`LANGUAGE_SHARE`)."""
        i = self.word_id(word)
        counts = self.word_counts
        language, same = self._language_of(i)
        if counts[i] < RELIABLE_COUNT:
            return SimilarWords(self.words[i], int(counts[i]), False, language, [], TOO_RARE)
        scores = self.word_vecs @ self.word_vecs[i]  # [V]
        scores[i] = -np.inf
        scores[counts < RELIABLE_COUNT] = -np.inf
        if same is not None:
            scores[~same] = -np.inf
        near = _top(scores, top)
        hits = [Neighbour(self.words[j], round(float(scores[j]), 4), int(counts[j])) for j in near]
        why = "" if hits else _no_neighbours(int(np.isfinite(scores).sum()), language)
        return SimilarWords(self.words[i], int(counts[i]), True, language, hits, why)

    def _language_of(self, i: int) -> tuple[str, np.ndarray | None]:
        """Word i's language (where most of its occurrences are) and which words are used in it [V] bool,
        in a vault of several languages; ("", None) otherwise."""
        if self._word_languages is None:
            return "", None
        names, share = self._word_languages  # [F], [V, F]
        f = int(np.argmax(share[i]))
        return names[f], share[:, f] >= LANGUAGE_SHARE

    @functools.cached_property
    def _word_languages(self) -> tuple[list[str], np.ndarray] | None:
        """In a vault of several languages (the note vectors have a language part): the language families
        [F] and each word's share of its occurrences in notes of each [V, F]; else None. Counted once
        from the stored tokens (0.2 s for the 2,300 notes of obsidian-help)."""
        if not self.layout.languages:
            return None
        from notelink.notes.stopwords import family  # (light: the tokenizer's tables)

        counts: dict[str, np.ndarray] = {}
        index, V = self.word_index, len(self.words)
        for lang, tokens in self.db.execute("SELECT lang, tokens FROM notes"):
            ids = [j for t in tokens.split() if (j := index.get(t)) is not None]
            np.add.at(counts.setdefault(family(lang), np.zeros(V)), ids, 1.0)
        names = sorted(counts)
        table = np.stack([counts[n] for n in names], axis=1)  # [V, F]
        return names, table / np.maximum(table.sum(1, keepdims=True), 1.0)

    def links_of(self, note: NoteInfo) -> list[tuple[str, str | None]]:
        """The links written in a note, in order: (target as written, path of the note it reaches or None)."""
        rows = self.db.execute("SELECT target, dst FROM links WHERE src = ? ORDER BY rowid", (note.id,))
        return [(target, None if dst is None else self.notes[dst].path) for target, dst in rows]

    def reaching_links(self) -> list[tuple[str, str]]:
        """Every link in the vault that reaches a note: (target as written, path of the note it reaches), so
        that a link notelink writes can name a note as the vault's own links do (zk: by id)."""
        rows = self.db.execute("SELECT DISTINCT target, dst FROM links WHERE dst IS NOT NULL")
        return [(target, self.notes[dst].path) for target, dst in rows if 0 <= dst < len(self.notes)]

    def headings(self, note: NoteInfo) -> list[str]:
        (text,) = self.db.execute("SELECT headings FROM notes WHERE id = ?", (note.id,)).fetchone()
        return [] if text == "[]" else list(json.loads(text))

    def exclude(self) -> tuple[str, ...]:
        """The exclude patterns this index's build left notes out by (gitignore syntax, vault-relative)."""
        return tuple((self.meta.get("index_config") or {}).get("exclude") or ())

    def max_file_bytes(self) -> int:
        """The size above which this index's build skipped notes (reading a note's text obeys it too)."""
        return int(self.meta.get("index_config", {}).get("max_file_bytes", 5_000_000))

    @functools.cached_property
    def link_report(self) -> dict[str, Any]:
        """What became of the vault's links (`links.link_report`), counted once per generation: 0.1-0.2 s on
        obsidian-help's 7,758 links, which `status` would otherwise pay at every call."""
        return link_report(self.db.execute("SELECT target, kind, dst FROM links"), dialect_of(self.meta).name)

    def languages(self) -> dict[str, int]:
        """Notes per detected language (whose stop words they lost), most first; "" = stop words kept."""
        rows = self.db.execute("SELECT lang, COUNT(*) AS n FROM notes GROUP BY lang ORDER BY n DESC, lang")
        return {lang: n for lang, n in rows}

    def skipped(self) -> list[dict[str, str]]:
        rows = self.db.execute("SELECT path, reason FROM files WHERE status = 'skipped' ORDER BY path")
        return [{"path": p, "reason": r} for p, r in rows]

    def files(self) -> list[tuple[str, str, str]]:
        """Every file the index looked at: (path, indexed | skipped, reason or warning)."""
        return self.db.execute("SELECT path, status, reason FROM files ORDER BY path").fetchall()

    def model_info(self) -> dict[str, Any]:
        return dict(self.meta.get("model", {}))


TOO_RARE = f"too rare to say: similar words are reliable from {RELIABLE_COUNT} occurrences on"


def _no_neighbours(compared: int, language: str) -> str:
    """Why a frequent word has no similar words: no other word is frequent enough to be compared with it,
    or none of the `compared` ones is used like it (`_top` keeps positive cosines only)."""
    among = f" among the {language} words" if language else ""
    if not compared:
        return (f"no other word is seen {RELIABLE_COUNT} times or more{among} in this vault, and rarer words "
                "are nobody's neighbours: the vault is too small to say yet")
    return (f"no word seen {RELIABLE_COUNT} times or more is used like it: its cosine with each of the "
            f"{compared} such words{among} is 0 or below")


def _check_rows(data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, rows: int, columns: int) -> None:
    """ValueError for note vectors' CSR arrays that do not make an [rows, columns] matrix (checked when
    the index is opened, as scipy checked them there; a damaged index would otherwise crash a query)."""
    if indptr.shape != (rows + 1,) or data.shape != indices.shape or int(indptr[0]) != 0 \
            or int(indptr[-1]) > indices.size or np.any(np.diff(indptr) < 0):
        raise ValueError(f"notes_indptr.npy does not fit {rows:,} notes and {indices.size:,} entries")
    if indices.size and not 0 <= int(indices.min()) <= int(indices.max()) < columns:
        raise ValueError(f"notes_indices.npy points outside the {columns:,} columns")  # (else a crash)


def _top(scores: np.ndarray, k: int) -> list[int]:
    """Indices of the k best positive scores, best first (ties by index, for stable output): one pass to
    find the candidates, then a partial sort of those only (at 100k notes, 256-357 us against 596-631 for
    masking to -inf and then finding the finite ones; RESULTS.md, session 7)."""
    candidates = np.flatnonzero(scores > 0)
    if candidates.size == 0 or k <= 0:
        return []
    k = min(k, candidates.size)
    part = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
    return sorted(part.tolist(), key=lambda j: (-scores[j], j))

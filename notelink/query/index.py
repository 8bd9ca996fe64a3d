"""A loaded index generation and the questions asked of it: related notes, concepts (similar words: `words`).

Reading needs only numpy and sqlite3, so queries and the TUI start without importing torch; scipy is
imported when note vectors are first multiplied (`note_vecs`).
"""

from __future__ import annotations

import functools
import itertools
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from notelink.config import RelatedConfig
from notelink.errors import IndexDamaged, IndexMissing
from notelink.index.arrays import load_array
from notelink.index.layout import Layout, unit_rows
from notelink.index.store import generation_key, open_generation, pin_current
from notelink.index.verify import check_generation
from notelink.notes.links import Resolver, dialect_of, link_report
from notelink.query.answers import NoteInfo, Related
from notelink.query.concepts import NoteConcepts
from notelink.query.emptiness import EmptyNotes
from notelink.query.lookup import NoteLookup
from notelink.query.references import NoteReferences
from notelink.query.words import WordQuestions, top_scores

if TYPE_CHECKING:  # (scipy is imported where note vectors are multiplied: `similar`, `status`, `mentions`
    import scipy.sparse as sp  # and `concepts` start without it, 0.15-0.3 s)

WHOLE_VOCABULARY = 20_000
"""`Index.words_of` reads the whole vocabulary once it has looked up this many words one by one (~40 ms of
lookups; reading 137k words is 0.17 s): a question names a few hundred, an export every note's concepts."""


class Index(NoteLookup, WordQuestions, NoteConcepts, NoteReferences):
    """One generation of a vault's index, read-only. Opened with `open`, it holds the generation until
    `close` (a newer build never deletes it meanwhile); a damaged one raises IndexDamaged, saying what."""

    reading: RelatedConfig = RelatedConfig()
    """Which related notes are weak (`Related.weak`, and the exports' `weak`)."""

    def __init__(self, gen: Path, pin: IO[bytes] | None = None, reading: RelatedConfig | None = None,
                 vault: Path | None = None) -> None:
        """The generation `gen`; `reading`: which related notes are weak, as the config file says (the
        built-in cut when None); `vault`: its vault's folder (the one its build recorded when None)."""
        self.gen, self._pin = gen, pin
        if reading is not None:
            self.reading = reading
        self.key = generation_key(gen)  # (before reading it: a generation replaced meanwhile is read again)
        check_generation(gen).raise_if_damaged()
        self.db, self.meta = open_generation(gen)
        built = self.meta.get("vault")
        self.vault = vault if vault is not None else Path(built) if built else None
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
        self._asked = self._counted = 0  # word ids `words_of`, `counts_of` have looked up in the table
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
        """These words by id: from the vocabulary table, these alone, until `WHOLE_VOCABULARY` words have
        been looked up this way; then from `words`, read once (an export names every note's concepts: word
        by word, 1.1 ms a note on a 10k-note vault against 0.6 ms)."""
        if "words" not in self.__dict__:
            self._asked += len(ids)
        if "words" in self.__dict__ or self._asked > WHOLE_VOCABULARY:
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
        word's count, 0.1-0.3 s on a large vault), from `word_counts` once `WHOLE_VOCABULARY` words have
        been looked up (an export ranks every note's concepts by their counts)."""
        if "word_counts" not in self.__dict__:
            self._counted += len(ids)
        if "word_counts" in self.__dict__ or self._counted > WHOLE_VOCABULARY:
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
    def open(cls, index_dir: Path, reading: RelatedConfig | None = None) -> Index:
        pinned = pin_current(index_dir)
        if pinned is None:
            raise IndexMissing(f"no index at {index_dir}")
        gen, pin = pinned
        try:
            return cls(gen, pin, reading)
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
        return [(j, float(scores[j])) for j in top_scores(scores, top)]

    def related(self, note: NoteInfo, top: int = 10, unlinked: bool = False,
                min_score: float | None = None) -> list[Related]:
        """Most similar notes by cosine of note vectors, best first, the note itself left out; of the `top`,
        those scoring below `min_score` dropped, as an export drops them (`ranking.related_all`)."""
        links = self.linked(note.id)
        return [self._related(note.id, j, s, j in links)
                for j, s in self.rank(note.id, self.scores(note), top, unlinked)
                if min_score is None or s >= min_score]

    def _related(self, i: int, j: int, score: float, linked: bool) -> Related:
        other = self.notes[j]
        return Related(other.path, other.title, round(score, 4), linked, self.because(i, j),
                       self.is_weak(i, j, score))

    @functools.cached_property
    def empty(self) -> EmptyNotes:
        """`i in index.empty`: note i has no words of its own but its title's (`query/emptiness.py`)."""
        return EmptyNotes(self.gen, self.db, self.notes)

    def is_weak(self, i: int, j: int, score: float) -> bool:
        """Whether note j, related to note i with `score`, is a long shot: a score below the weak cut, or
        either note empty (compared by its title alone, its scores say less: `query/emptiness.py`)."""
        return self.reading.is_weak(score) or i in self.empty or j in self.empty

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
        return ["same text", *out[: top - 1]] if self.same_text(i, j) else out

    def same_text(self, i: int, j: int) -> bool:
        """Whether notes i and j hold the same text byte for byte (a copy: a sync tool's conflicted copy
        scores well below 1, each note's own name weighing in its vector, so the score alone hides it)."""
        rows = self.db.execute("SELECT sha256 FROM notes WHERE id IN (?, ?)", (i, j)).fetchall()
        return i != j and len(rows) == 2 and rows[0][0] == rows[1][0]

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
        """What became of the vault's links (`links.link_report`; those to no note as `unresolved_links`
        reads them), counted once per generation: 0.1-0.2 s on obsidian-help's 7,758 links, which `status`
        would otherwise pay at every call."""
        found = self.db.execute("SELECT target, kind, dst FROM links WHERE dst IS NOT NULL")
        unresolved = ((target, kind, None) for _, target, kind in self.unresolved_links)
        return link_report(itertools.chain(found, unresolved), dialect_of(self.meta).name)

    @functools.cached_property
    def families(self) -> list[str]:
        """Each note's language family (`stopwords.family`) by note id: read once, not per note opened."""
        from notelink.notes.stopwords import family

        return [family(lang) for (lang,) in self.db.execute("SELECT lang FROM notes ORDER BY id")]

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


def _check_rows(data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, rows: int, columns: int) -> None:
    """ValueError for note vectors' CSR arrays that do not make an [rows, columns] matrix (checked when
    the index is opened, as scipy checked them there; a damaged index would otherwise crash a query)."""
    if indptr.shape != (rows + 1,) or data.shape != indices.shape or int(indptr[0]) != 0 \
            or int(indptr[-1]) > indices.size or np.any(np.diff(indptr) < 0):
        raise ValueError(f"notes_indptr.npy does not fit {rows:,} notes and {indices.size:,} entries")
    if indices.size and not 0 <= int(indices.min()) <= int(indices.max()) < columns:
        raise ValueError(f"notes_indices.npy points outside the {columns:,} columns")  # (else a crash)

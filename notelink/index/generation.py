"""Writing one index generation: the SQLite tables and the arrays, switched in atomically (`store.py`).

A full write inserts every row. After an update, the previous generation's database is copied and only
the changed notes' rows, the per-file status, the vocabulary and the meta are written again, which is
several times faster: the rows of notes deleted or moved away are deleted, the others keep theirs, renumbered
when notes were added or deleted before them; when a note was added, deleted or got a new title or aliases,
every link is resolved again too.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from sqlite3 import Connection
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from notelink.errors import Cancelled
from notelink.index.store import GenerationWriter, check_space, storage_error
from notelink.model.vocab import Vocab
from notelink.notes.links import Resolver, dialect_of
from notelink.notes.vault import Skipped

if TYPE_CHECKING:
    from notelink.index.searchdata import SearchData
    from notelink.notes.records import NoteRecord

Mentions = tuple[np.ndarray, np.ndarray, np.ndarray]
"""Where notes name other notes: (src [M], dst [M], count [M])."""


@dataclass
class Patch:
    """How a generation's database is made from a copy of the previous one (`update.patch_for`)."""

    base: Path  # the previous generation
    rows: Sequence[int]  # ids of the notes whose rows are written (changed or new)
    gone: Sequence[int]  # previous ids of the rows deleted (notes gone, and the changed notes' old rows)
    moves: Sequence[tuple[int, int]]  # (previous id, id) of the rows kept whose id changed
    relink: bool  # a note was added, deleted or renamed: every link is resolved again


INSERT_NOTE = f"INSERT INTO notes VALUES ({','.join('?' * 14)})"
"""Inserts a `note_row` (one `?` per column of `store.SCHEMA`'s notes table)."""


def note_row(i: int, r: NoteRecord) -> tuple[Any, ...]:
    """The `notes` row of note `i` (also what `checkpoint` keeps of a note parsed by an unfinished build)."""
    tokens = "\n".join(" ".join(p) for p in r.paragraphs)
    return (i, r.path, r.title, r.sha256, r.size, r.mtime, json.dumps(r.aliases, ensure_ascii=False),
            json.dumps(r.headings, ensure_ascii=False), tokens, r.warning, r.lang,
            "\n".join(" ".join(ref) for ref in r.refs), "\n".join(" ".join(n) for n in r.numbered),
            " ".join(r.capitals))


def _insert_notes(db: Connection, records: list[NoteRecord], which: Sequence[int],
                  links_of: Sequence[int] | None = None, meta: dict[str, Any] | None = None) -> None:
    """Rows of notes and tags for the notes `which`, and of links for `links_of` (default: `which`),
    resolved in the dialect of the generation's `meta`."""
    resolver = Resolver(((r.path, r.title, r.aliases) for r in records), dialect_of(meta or {}))
    ids = {r.path: i for i, r in enumerate(records)}
    db.executemany(INSERT_NOTE, (note_row(i, records[i])
                                                                      for i in which))
    db.executemany("INSERT INTO links VALUES (?,?,?,?,?)", (
        (i, ln.target, ln.kind, ln.heading, ids.get(resolver.resolve(ln.target, r.path, ln.kind) or ""))
        for i in (which if links_of is None else links_of) for r in (records[i],) for ln in r.links))
    db.executemany("INSERT INTO tags VALUES (?,?)", ((i, t) for i in which for t in records[i].tags))


def _delete_notes(db: Connection, which: Sequence[int], all_links: bool = False) -> None:
    rows = [(i,) for i in which]
    db.executemany("DELETE FROM notes WHERE id = ?", rows)
    if all_links:
        db.execute("DELETE FROM links")
    else:
        db.executemany("DELETE FROM links WHERE src = ?", rows)
    db.executemany("DELETE FROM tags WHERE note = ?", rows)


def _move_notes(db: Connection, moves: Sequence[tuple[int, int]]) -> None:
    """Renumbers kept notes' rows and tags, (previous id, id) pairs, so that no row takes an id another
    row still has. When the kept notes stay in the same order (they are sorted by path), the rows moving
    down go first, lowest first, then those moving up, highest first: one pass, as a row's move copies its
    text (5,000 rows of a 10k-note vault: 0.17-0.21 s, two passes 0.30-0.38 s). Else through negative ids."""
    if not moves:
        return
    ordered = sorted(moves)
    if all(a[1] < b[1] for a, b in itertools.pairwise(ordered)):
        steps = [(new, old) for old, new in ordered if new < old]
        steps += [(new, old) for old, new in reversed(ordered) if new > old]
        for table, column in (("notes", "id"), ("tags", "note")):
            db.executemany(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", steps)
        return
    for table, column in (("notes", "id"), ("tags", "note")):
        db.executemany(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", ((-1 - n, o) for o, n in moves))
        db.execute(f"UPDATE {table} SET {column} = -1 - {column} WHERE {column} < 0")


def _patch(db: Connection, records: list[NoteRecord], patch: Patch, meta: dict[str, Any]) -> None:
    """Makes the copied database's notes, links and tags those of `records`."""
    _delete_notes(db, patch.gone, all_links=patch.relink)
    _move_notes(db, patch.moves)
    _insert_notes(db, records, patch.rows, range(len(records)) if patch.relink else None, meta)


def _write_rest(db: Connection, records: list[NoteRecord], skipped: list[Skipped], vocab: Vocab) -> None:
    """The tables rewritten whole every time: per-file status and vocabulary."""
    db.execute("DELETE FROM files")
    db.execute("DELETE FROM vocab")
    db.executemany("INSERT INTO files VALUES (?,?,?)",
                   [(r.path, "indexed", r.warning) for r in records]
                   + [(s.path, "skipped", s.reason) for s in skipped])
    db.executemany("INSERT INTO vocab VALUES (?,?,?)",
                   ((i, w, int(c)) for i, (w, c) in enumerate(zip(vocab.words, vocab.counts.tolist(),
                                                                   strict=True))))


def _arrays(wv: Any, notes: sp.csr_matrix, K: sp.csr_matrix | None, mentions: Mentions | None,
            named: Mentions | None) -> list[tuple[str, np.ndarray, type]]:
    """The generation's arrays: (name, array, dtype on disk)."""
    out: list[tuple[str, np.ndarray, type]] = [
        ("syn0", wv.syn0, np.float32), ("syn1neg", wv.syn1neg, np.float32),
        ("notes_indptr", notes.indptr, np.int64), ("notes_indices", notes.indices, np.int32),
        ("notes_data", notes.data, np.float32)]
    if K is not None:  # the word neighbour graph, for the next update
        out += [("graph_indptr", K.indptr, np.int64), ("graph_indices", K.indices, np.int32),
                ("graph_data", K.data, np.float32)]
    for kind, pairs in (("mentions", mentions), ("named", named)):  # likewise; `named` also for queries
        out += [(f"{kind}_{name}", part, np.float64 if name == "count" else np.int64)
                for name, part in zip(("src", "dst", "count"), pairs or (), strict=False)]
    return out


def write_generation(index_dir: Path, records: list[NoteRecord], skipped: list[Skipped], vocab: Vocab,
                     wv: Any, notes: sp.csr_matrix, meta: dict[str, Any],
                     should_stop: Callable[[], bool] | None = None, K: sp.csr_matrix | None = None,
                     mentions: Mentions | None = None, patch: Patch | None = None,
                     search: SearchData | None = None, named: Mentions | None = None,
                     tick: Callable[[int, int], None] | None = None,
                     texts: dict[str, tuple[np.ndarray, type]] | None = None,
                     extra: dict[str, tuple[np.ndarray, type]] | None = None) -> int:
    """Writes a complete generation and switches it in; returns its number. `K`, the word neighbour graph,
    and the mentions are kept for the next incremental update (`named`, the mentions of whole file names,
    for queries too: `notelink.index.references`); `patch` writes only what changed; `search`
    is what `notelink search` reads (notelink/index/searchdata.py). A full disk (found before writing, when
    the free space is short of the estimate, or while writing) raises DiskFull, the live generation
    untouched. `tick(done, total)` is told each step done: the tables, then each array, then the switch.
    `texts`: the notes' tokens as word ids (`notelink.index.tokenstore`), for the next build to read;
    `extra`: other arrays, name -> (array, dtype on disk) (`named_chance`, for queries)."""
    extra = {**(search.arrays() if search is not None else {}), **(texts or {}), **(extra or {})}
    arrays = _arrays(wv, notes, K, mentions, named) + [(name, a, t) for name, (a, t) in extra.items()]
    tick, total = tick or (lambda done, total: None), len(arrays) + 3
    tick(0, total)
    needed = _size_estimate(records, wv, notes, K, mentions, patch, extra, named)
    check_space(index_dir, needed)
    writer = GenerationWriter(index_dir, base=patch.base if patch else None, needed=needed)
    try:
        if patch is None:
            _insert_notes(writer.db, records, range(len(records)), meta=meta)
        else:
            _patch(writer.db, records, patch, meta)
        tick(1, total)
        _write_rest(writer.db, records, skipped, vocab)
        writer.put_meta(meta)
        for done, (name, array, dtype) in enumerate(arrays, 2):
            tick(done, total)
            writer.put_array(name, array, dtype)
        if should_stop is not None and should_stop():
            raise Cancelled()
        tick(total - 1, total)
        writer.commit()
    except (OSError, sqlite3.Error) as exc:
        writer.abort()
        raise storage_error(exc, index_dir, needed) or exc from exc
    except BaseException:
        writer.abort()
        raise
    tick(total, total)
    return writer.number


def _size_estimate(records: list[NoteRecord], wv: Any, notes: sp.csr_matrix, K: sp.csr_matrix | None,
                   mentions: Mentions | None, patch: Patch | None,
                   extra: dict[str, tuple[np.ndarray, type]], named: Mentions | None = None) -> int:
    """Bytes a generation takes while it is written, roughly: its arrays (each file rounded up to a 4 KB
    block), the search data's, and its database (the copied one, or the notes' tokens and a row's overhead
    each) twice (the write-ahead log until the checkpoint)."""
    arrays = 4 * (wv.syn0.size + wv.syn1neg.size) + 12 * notes.nnz + 8 * (notes.shape[0] + 1)
    arrays += 0 if K is None else 8 * (K.shape[0] + 1) + 8 * K.nnz
    arrays += sum(24 * pairs[0].size for pairs in (mentions, named) if pairs is not None)
    arrays += sum(a.size * np.dtype(t).itemsize for a, t in extra.values()) + 4096 * (15 + len(extra))
    if patch is not None:
        return arrays + 2 * (patch.base / "index.sqlite").stat().st_size
    return arrays + 2 * sum(r.size + 256 + 64 * len(r.links) for r in records)

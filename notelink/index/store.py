"""The local index on disk: one self-contained folder per generation, switched atomically.

    INDEX_DIR/
      CURRENT                 name of the live generation, replaced with os.replace
      gen-000007/
        index.sqlite          notes, hashes, links, tags, per-file status, vocabulary, meta (WAL)
        syn0.npy syn1neg.npy  word vectors [V, D] (input, output)
        notes_*.npy           note vectors, a sparse [N, V+N+D] matrix in CSR parts (indptr, indices, data)
        graph_*.npy           word neighbour graph K [V, V] (CSR parts), reused by the next update
        mentions_*.npy        which note names which (src, dst, count), reused by the next update
A writer builds `gen-N.tmp-PID/`, fsyncs it, renames it to `gen-N/` and only then points CURRENT at it,
so a reader (or a crash at any moment) sees either the old generation or the new one, never half of one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np

from notelink.errors import IndexFormatError
from notelink.processes import pid_alive

FORMAT_VERSION = 3
CURRENT = "CURRENT"
_GEN = re.compile(r"^gen-(\d{6})$")

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE notes (
  id INTEGER PRIMARY KEY,        -- row of notes.npy
  path TEXT NOT NULL UNIQUE,     -- relative to the vault, '/'-separated
  title TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL, mtime REAL NOT NULL,
  aliases TEXT NOT NULL,         -- JSON list
  headings TEXT NOT NULL,        -- JSON list
  tokens TEXT NOT NULL,          -- training tokens, space-separated
  warning TEXT NOT NULL DEFAULT '',
  lang TEXT NOT NULL DEFAULT ''  -- language whose stop words were dropped (notelink.notes.stopwords)
);
CREATE TABLE links (src INTEGER NOT NULL, target TEXT NOT NULL, kind TEXT NOT NULL,
                    heading TEXT NOT NULL, dst INTEGER);  -- dst: resolved note id or NULL
CREATE TABLE tags (note INTEGER NOT NULL, tag TEXT NOT NULL);
CREATE TABLE files (path TEXT PRIMARY KEY, status TEXT NOT NULL, reason TEXT NOT NULL);
CREATE TABLE vocab (id INTEGER PRIMARY KEY, word TEXT NOT NULL, count INTEGER NOT NULL);
CREATE INDEX links_src ON links(src);
CREATE INDEX links_dst ON links(dst);
CREATE INDEX tags_note ON tags(note);
"""


def current_generation(index_dir: Path) -> Path | None:
    """The live generation's folder, or None when there is no index yet."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    path = index_dir / name
    if not _GEN.match(name) or not path.is_dir():
        raise IndexFormatError(f"the index at {index_dir} is damaged ({CURRENT} names {name!r}); "
                               "run `notelink index` to rebuild it")
    return path


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_text_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


class GenerationWriter:
    """Builds the next generation in a temporary folder; `commit` switches it in atomically."""

    def __init__(self, index_dir: Path, base: Path | None = None) -> None:
        """`base`: a generation whose database the new one starts from (a copy), instead of empty tables."""
        self.index_dir = index_dir
        index_dir.mkdir(parents=True, exist_ok=True)
        numbers = [int(m.group(1)) for p in index_dir.iterdir() if (m := _GEN.match(p.name))]
        self.number = max(numbers, default=0) + 1
        self.name = f"gen-{self.number:06d}"
        self.tmp = index_dir / f"{self.name}.tmp-{os.getpid()}"
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.tmp.mkdir()
        if base is not None:
            shutil.copyfile(base / "index.sqlite", self.tmp / "index.sqlite")
        self.db = sqlite3.connect(self.tmp / "index.sqlite")
        self.db.execute("PRAGMA journal_mode=WAL")
        if base is None:
            self.db.executescript(SCHEMA)

    def put_meta(self, meta: dict[str, Any]) -> None:
        rows = [(k, json.dumps(v)) for k, v in meta.items()]
        self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", rows)

    def put_array(self, name: str, array: np.ndarray, dtype: type = np.float32) -> None:
        with open(self.tmp / f"{name}.npy", "wb") as fh:
            np.save(fh, np.ascontiguousarray(array, dtype=dtype), allow_pickle=False)
            fh.flush()
            os.fsync(fh.fileno())

    def commit(self) -> Path:
        """Seals the generation and makes it the live one; returns its folder."""
        self.put_meta({"format_version": FORMAT_VERSION, "generation": self.number})
        self.db.commit()
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()
        _fsync_dir(self.tmp)
        final = self.index_dir / self.name
        os.rename(self.tmp, final)
        _fsync_dir(self.index_dir)
        _write_text_atomic(self.index_dir / CURRENT, self.name + "\n")
        self._collect_garbage(keep={self.name})
        return final

    def abort(self) -> None:
        """Throws the unfinished generation away; the live one is untouched."""
        try:
            self.db.close()
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def _collect_garbage(self, keep: set[str]) -> None:
        """Keeps the new and the previous generation (a reader may still use it); drops the rest."""
        gens = sorted(p.name for p in self.index_dir.iterdir() if _GEN.match(p.name))
        keep = keep | set(gens[-2:])
        for name in gens:
            if name not in keep:
                shutil.rmtree(self.index_dir / name, ignore_errors=True)
        for p in self.index_dir.glob("gen-*.tmp-*"):
            pid = p.name.rsplit("-", 1)[-1]
            if pid.isdigit() and not pid_alive(int(pid)):
                shutil.rmtree(p, ignore_errors=True)


def open_generation(path: Path) -> tuple[sqlite3.Connection, dict[str, Any]]:
    """A read-only connection to a generation's database, and its meta table, version checked."""
    try:
        db = sqlite3.connect(f"file:{path / 'index.sqlite'}?mode=ro", uri=True,
                             check_same_thread=False)
        meta = {k: json.loads(v) for k, v in db.execute("SELECT key, value FROM meta")}
    except sqlite3.Error as exc:
        raise IndexFormatError(f"the index at {path} cannot be read ({exc}); "
                               "run `notelink index` to rebuild it") from exc
    if meta.get("format_version") != FORMAT_VERSION:
        db.close()
        raise IndexFormatError(f"the index at {path} has format {meta.get('format_version')}, this "
                               f"notelink reads format {FORMAT_VERSION}; run `notelink index` to rebuild it")
    return db, meta


def saved_exclude(index_dir: Path) -> tuple[str, ...]:
    """The exclude patterns the live generation was built with (none without an index)."""
    try:
        gen = current_generation(index_dir)
        if gen is None:
            return ()
        db, meta = open_generation(gen)
        db.close()
    except IndexFormatError:
        return ()
    return tuple((meta.get("index_config") or {}).get("exclude") or ())


def load_array(gen: Path, name: str) -> np.ndarray:
    """A saved matrix, memory-mapped, never unpickled."""
    return np.load(gen / f"{name}.npy", mmap_mode="r", allow_pickle=False)

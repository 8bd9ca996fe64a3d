"""Checking a generation on disk: its database (format, tables, row counts, and with `thorough` SQLite's
`integrity_check`) and its arrays (present, a plain dtype, the size their header claims, shapes that agree
with the row counts). Opening an index runs the quick checks, so that a damaged index is a message, never a
traceback; `notelink index` sets a damaged generation aside and rebuilds; `notelink check` shows them all.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from notelink.errors import IndexDamaged
from notelink.index.arrays import load_array, npy_header
from notelink.index.store import open_generation

TABLES = ("meta", "notes", "links", "tags", "files", "vocab")
REQUIRED = {"syn0": np.float32, "syn1neg": np.float32, "notes_indptr": np.int64, "notes_indices": np.int32,
            "notes_data": np.float32}
_POSTINGS = ("search_terms", "search_anchors", "search_names", "search_titles")  # the search's CSR matrices
OPTIONAL: dict[str, dict[str, type]] = {
    "graph": {"graph_indptr": np.int64, "graph_indices": np.int32, "graph_data": np.float32},
    "mentions": {"mentions_src": np.int64, "mentions_dst": np.int64, "mentions_count": np.float64},
    "named": {"named_src": np.int64, "named_dst": np.int64, "named_count": np.float64},
    "chance": {"named_chance": np.float32},
    "search": {"search_words": np.uint8, "search_idf": np.float32, "search_dense": np.float32,
               "search_dense_mean": np.float32,
               **{f"{m}_{part}": kind for m in _POSTINGS
                  for part, kind in (("indptr", np.int64), ("indices", np.int32), ("data", np.float32))}}}
"""The arrays a generation holds, with their dtypes; each optional group is there whole or not at all."""


@dataclass(frozen=True)
class ArrayInfo:
    shape: tuple[int, ...]
    dtype: str
    bytes: int


@dataclass
class GenerationCheck:
    """What `check_generation` found."""

    gen: Path
    problems: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    arrays: dict[str, ArrayInfo] = field(default_factory=dict)
    integrity: str = ""
    """SQLite's integrity_check: "ok", its first complaints, or "" when not run."""

    def raise_if_damaged(self) -> None:
        if self.problems:
            more = f", and {len(self.problems) - 1} more" if len(self.problems) > 1 else ""
            raise IndexDamaged(f"the index at {self.gen} is damaged ({self.problems[0]}{more}); run "
                               "`notelink index` to rebuild it (`notelink check` lists what is wrong)")


def _array(gen: Path, name: str, dtype: type, out: GenerationCheck) -> ArrayInfo | None:
    path = gen / f"{name}.npy"
    try:
        shape, found, start = npy_header(path)
        size = path.stat().st_size
    except FileNotFoundError:
        out.problems.append(f"{name}.npy is missing")
        return None
    except (OSError, ValueError) as exc:
        out.problems.append(f"{name}.npy is not a readable array ({exc})")
        return None
    info = ArrayInfo(shape, str(found), size)
    out.arrays[name] = info
    expected = start + int(np.prod(shape, dtype=np.int64)) * found.itemsize
    if found.hasobject:
        out.problems.append(f"{name}.npy holds Python objects (never loaded: they could run code)")
    elif found != np.dtype(dtype):
        out.problems.append(f"{name}.npy holds {found}, not {np.dtype(dtype)}")
    elif size != expected:
        out.problems.append(f"{name}.npy is {size:,} bytes; its header {shape} needs {expected:,}"
                            + (" (truncated)" if size < expected else ""))
    else:
        return info
    return None


def _last(gen: Path, name: str) -> int:
    arr = load_array(gen, name)
    return int(arr[-1]) if arr.size else 0


def _check_database(gen: Path, out: GenerationCheck, thorough: bool) -> dict[str, Any]:
    try:
        db, meta = open_generation(gen)
    except IndexDamaged as exc:  # (an older format is no damage: IndexFormatError goes to the caller)
        out.problems.append(str(exc).split("; run")[0].replace(f"the index at {gen} is damaged: ", ""))
        return {}
    try:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        out.problems += [f"the database has no {t} table" for t in TABLES if t not in tables]
        for table in TABLES if thorough else ("notes", "vocab"):  # (what the shapes need: links alone
            if table in tables:  # can be millions of rows, counted only by `notelink check`)
                out.rows[table] = int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        if "notes" in tables and out.rows["notes"]:
            lo, hi = db.execute("SELECT MIN(id), MAX(id) FROM notes").fetchone()
            if (lo, hi) != (0, out.rows["notes"] - 1):
                out.problems.append(f"note ids run {lo}..{hi}, not 0..{out.rows['notes'] - 1}")
        if thorough:
            found = [row[0] for row in db.execute("PRAGMA integrity_check(20)")]
            out.integrity = "; ".join(found)
            if found != ["ok"]:
                out.problems.append(f"SQLite integrity_check: {out.integrity[:200]}")
    except sqlite3.DatabaseError as exc:
        out.problems.append(f"the database cannot be read ({exc})")
    finally:
        db.close()
    return meta


def check_generation(gen: Path, thorough: bool = False) -> GenerationCheck:
    """Every problem found in a generation (none: it is whole). Quick: headers, sizes and row counts;
    `thorough` adds SQLite's integrity_check, reads the note matrix's index arrays and the word vectors
    (finite numbers). A generation of another format version raises IndexFormatError (it is not damaged:
    `notelink index` rebuilds it)."""
    out = GenerationCheck(gen)
    meta = _check_database(gen, out, thorough)
    arrays = {name: _array(gen, name, dtype, out) for name, dtype in REQUIRED.items()}
    for group in OPTIONAL.values():
        present = [name for name in group if (gen / f"{name}.npy").exists()]
        if present:
            arrays |= {name: _array(gen, name, group[name], out) for name in group}
    layout, notes, words = meta.get("layout"), out.rows.get("notes"), out.rows.get("vocab")
    if not isinstance(layout, dict) and meta:
        out.problems.append("the database has no layout of the note vectors")
    _shapes(gen, arrays, notes, words, layout if isinstance(layout, dict) else {}, out, thorough)
    if thorough and not out.problems:
        _check_finite(gen, out)
    return out


def _shapes(gen: Path, arrays: dict[str, ArrayInfo | None], notes: int | None, words: int | None,
            layout: dict[str, int], out: GenerationCheck, thorough: bool) -> None:
    """Shapes that must agree: word vectors [V, D], the note matrix's CSR parts with N rows."""
    expect = {"syn0": (words, layout.get("dim")), "syn1neg": (words, layout.get("dim")),
              "notes_indptr": ((notes or 0) + 1 if notes is not None else None,)}
    for name, shape in expect.items():
        info = arrays.get(name)
        if info is not None and None not in shape and info.shape != shape:
            out.problems.append(f"{name}.npy has shape {info.shape}, the database says {shape}")
    for group in ("notes", "graph", "mentions", *_POSTINGS):
        parts = {k: v for k, v in arrays.items() if k.startswith(group + "_")}
        if any(v is None for v in parts.values()) or not parts:
            continue
        if group == "mentions":
            lengths = {v.shape for v in parts.values() if v is not None}
            if len(lengths) > 1:
                out.problems.append(f"the mentions arrays differ in length: {sorted(lengths)}")
            continue
        nnz = _last(gen, f"{group}_indptr")
        for part in ("indices", "data"):
            info = parts[f"{group}_{part}"]
            if info is not None and info.shape != (nnz,):
                out.problems.append(f"{group}_{part}.npy has {info.shape[0] if info.shape else 0:,} values, "
                                    f"its indptr says {nnz:,}")
        if thorough and group == "notes" and not out.problems:
            _check_csr(gen, layout, out)


def _check_finite(gen: Path, out: GenerationCheck) -> None:
    """Word vectors that are not finite numbers (a training that diverged, before notelink refused to
    write such vectors): every similarity from them is NaN, and searches find nothing."""
    for name in ("syn0", "syn1neg"):
        if not np.isfinite(load_array(gen, name)).all():
            out.problems.append(f"{name}.npy holds numbers that are not finite (its training diverged)")


def _check_csr(gen: Path, layout: dict[str, int], out: GenerationCheck) -> None:
    indptr, indices = load_array(gen, "notes_indptr"), load_array(gen, "notes_indices")
    columns = sum(int(layout.get(k, 0)) for k in ("words", "notes", "dim", "languages"))
    if indptr.size and (indptr[0] != 0 or np.any(np.diff(indptr) < 0)):
        out.problems.append("notes_indptr.npy does not rise from 0")
    if indices.size and (int(indices.min()) < 0 or int(indices.max()) >= columns):
        out.problems.append(f"notes_indices.npy points outside the {columns:,} columns")

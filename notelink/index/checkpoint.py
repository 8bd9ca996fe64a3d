"""The notes a build parsed, kept beside the index until it completes, so that a build interrupted after
parsing (Ctrl-C while training, a laptop put to sleep and the process killed, training that failed) does not
leave the next one to parse them all again.

    INDEX_DIR/parsed/
      index.sqlite          the notes, links and tags tables of a generation (`store.SCHEMA`) and its meta
      tokens_*.npy          the notes' tokens as word ids (`tokenstore`; none until the words are counted)

Parsing is 20-34 s of a first build of a 10k-note vault (70-110 s) and ~1.5 of ~5 min at 100k notes; until
now nothing of it was saved before the whole generation was. A build that parsed at least `MIN_PARSED` notes
writes the records the live generation does not have here as soon as it has parsed them (`save`: a crash,
a kill or a Ctrl-C while it counts the words, or later, leaves them), and their token arrays once the words
are counted (`save_arrays`; without them the next build reads the tokens from the text); the next build
offers them for reuse by content hash beside the live generation's (`Checkpoint.load`, `offered`), and a
build that completes removes them (`drop`). The folder is written under a temporary name and renamed;
CURRENT never names it, so readers (`status`, queries, the app) never see it. One of another format,
tokenizing, settings or vault, or one that cannot be read, is ignored and removed with a log line.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from notelink.config import IndexConfig
from notelink.errors import IndexDamaged, IndexFormatError
from notelink.index.generation import INSERT_NOTE, note_row
from notelink.index.previous import as_json, load_records
from notelink.index.store import (
    FORMAT_VERSION,
    SCHEMA,
    current_generation,
    fsync_dir,
    generation_key,
    write_array,
)
from notelink.index.tokenstore import TOKEN_ARRAYS
from notelink.index.versions import TOKENS_VERSION
from notelink.notes.records import NoteRecord

log = logging.getLogger(__name__)

FOLDER = "parsed"
CHECKPOINT_VERSION = 1
"""Saved in its meta as `checkpoint`: a checkpoint of another version is ignored."""
KEPT = "the notes parsed are kept: the next `notelink index` goes on from them"
"""What a build stopped or failed after parsing says of them (`exists`)."""
MIN_PARSED = 1000
"""Notes a build must have parsed for it to keep them (~2-3 s of parsing): writing a 10k-note vault's took
0.5-1.5 s and reading it back 0.7-0.9 s, against 20-34 s to parse them (benchmarks/RESULTS-watch.md), and
a watcher's update of a few notes need not write at all."""
ROOM = 8
"""Free disk space, in times the kept notes' bytes, below which no checkpoint is written (`_room`)."""
_LEFTOVER = re.compile(rf"^{FOLDER}\.(?:tmp|old)-(\d+)$")


@dataclass
class Checkpoint:
    """The records an interrupted build parsed, by path ({} when there is no usable checkpoint)."""

    records: dict[str, NoteRecord] = field(default_factory=dict)

    @classmethod
    def load(cls, index_dir: Path, vault: Path, index_cfg: IndexConfig) -> Checkpoint:
        """The checkpoint of `index_dir` when it was parsed from `vault` as `index_cfg` parses; else none
        (one that is stale or cannot be read is removed, with a log line saying why)."""
        folder = index_dir / FOLDER
        if not folder.is_dir():
            return cls()
        try:
            records, meta = load_records(folder)
        except (IndexDamaged, IndexFormatError, sqlite3.Error, OSError, ValueError, LookupError,
                TypeError) as exc:
            return cls._ignored(folder, f"it cannot be read ({_reason(exc)})")
        stale = _stale(meta, vault, index_cfg) or _outlived(meta, index_dir)
        return cls._ignored(folder, stale) if stale else cls(records)

    @classmethod
    def _ignored(cls, folder: Path, why: str) -> Checkpoint:
        log.warning("the notes parsed by an interrupted build (%s) are not reused: %s; parsing them again",
                    folder, why)
        shutil.rmtree(folder, ignore_errors=True)
        return cls()

    def offered(self, previous: dict[str, NoteRecord]) -> dict[str, NoteRecord]:
        """The records a build may reuse by content hash: the live generation's (`previous`) with this
        checkpoint's over them (parsed later, from the vault as it is more likely to be now)."""
        return {**previous, **self.records} if self.records else previous

    def resumed(self, records: Sequence[NoteRecord], previous: Mapping[str, NoteRecord]) -> int:
        """How many of a build's `records` came from this checkpoint (not the live generation, not parsed)."""
        return sum(1 for r in records if (c := self.records.get(r.path)) is not None and c.sha256 == r.sha256
                   and not ((p := previous.get(r.path)) is not None and p.sha256 == r.sha256))


def _reason(exc: BaseException) -> str:
    """What went wrong reading it, without the advice meant for a generation (`store.open_generation`)."""
    cause = exc.__cause__ if isinstance(exc, IndexDamaged) and exc.__cause__ is not None else exc
    return str(cause).split("; run")[0] or type(cause).__name__


def _stale(meta: dict[str, Any], vault: Path, index_cfg: IndexConfig) -> str:
    """Why a checkpoint's records may not be reused ("" when they may)."""
    if meta.get("checkpoint") != CHECKPOINT_VERSION or meta.get("token_arrays") != TOKEN_ARRAYS:
        return f"it was written by another notelink (checkpoint format {meta.get('checkpoint')})"
    if meta.get("vault") != str(vault):
        return f"they were parsed from another vault ({meta.get('vault')})"
    if any(meta.get(k) != v for k, v in _meta(vault, index_cfg).items()):
        return "they were parsed with other settings or another tokenizer"
    return ""


def _outlived(meta: dict[str, Any], index_dir: Path) -> str:
    """Why a checkpoint is older than the live generation ("" when it is not): a build completed after it
    was written (and was stopped before it removed it, or could not), so the live generation's records
    are the ones to reuse, not these."""
    return "a build completed since they were parsed" if meta.get("base") != _base(index_dir) else ""


def _base(index_dir: Path) -> list[Any] | None:
    """The live generation a checkpoint is written beside (`store.generation_key`, as JSON reads it back);
    None when there is none, or it cannot be read."""
    try:
        gen = current_generation(index_dir)
    except (IndexFormatError, OSError):
        return None
    key = generation_key(gen) if gen is not None else None
    return None if key is None else list(key)


def _meta(vault: Path, index_cfg: IndexConfig) -> dict[str, Any]:
    """What a checkpoint says of itself; its records are reused only when all of it is the same."""
    return {"checkpoint": CHECKPOINT_VERSION, "format_version": FORMAT_VERSION, "token_arrays": TOKEN_ARRAYS,
            "vault": str(vault), "tokens_version": TOKENS_VERSION,
            "index_config": as_json(index_cfg.to_dict())}


def save(index_dir: Path, vault: Path, index_cfg: IndexConfig, records: Sequence[NoteRecord],
         previous: Mapping[str, NoteRecord], parsed: int) -> bool:
    """Keeps the `records` the live generation does not have (`previous`, by path and hash), without token
    arrays (`save_arrays` adds them), when this build `parsed` at least `MIN_PARSED` notes; True when it did.
    Written before the words are counted, so that a build that stops, fails or is killed from then on keeps
    its parse (a failure while counting lost it, as did a kill). A failure to write costs only the
    checkpoint: it is logged, the build goes on; a Ctrl-C while it writes has it written again as the build
    stops."""
    if parsed < MIN_PARSED:
        return False
    kept = [r for r, k in zip(records, _kept(records, previous).tolist(), strict=True) if k]
    if not _room(index_dir, sum(r.size for r in kept)):
        return False
    try:
        return _save(index_dir, vault, index_cfg, kept)
    except KeyboardInterrupt:
        _save(index_dir, vault, index_cfg, kept)
        raise


def _kept(records: Sequence[NoteRecord], previous: Mapping[str, NoteRecord]) -> np.ndarray:
    """[N] bool: the `records` the live generation (`previous`) does not have, by path and hash."""
    return np.array([(p := previous.get(r.path)) is None or p.sha256 != r.sha256 for r in records],
                    dtype=bool)


def _save(index_dir: Path, vault: Path, index_cfg: IndexConfig, kept: list[NoteRecord]) -> bool:
    """Writes the checkpoint of the `kept` records in place of any other; False when it could not."""
    tmp = index_dir / f"{FOLDER}.tmp-{os.getpid()}"
    try:
        _clean_leftovers(index_dir)
        tmp.mkdir(parents=True)
        _write_tables(tmp, kept, {**_meta(vault, index_cfg), "base": _base(index_dir)})
        _switch(index_dir, tmp)
        return True
    except (OSError, sqlite3.Error) as exc:
        log.warning("could not keep the parsed notes in %s (%s); an interrupted build parses them again",
                    index_dir / FOLDER, exc)
        return False
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def save_arrays(index_dir: Path, records: Sequence[NoteRecord], previous: Mapping[str, NoteRecord],
                texts: dict[str, tuple[np.ndarray, type]]) -> None:
    """Adds the token arrays (`texts`, `tokenstore.token_arrays` of all `records`) of the notes `save` kept,
    so that the next build reads their tokens as fast as a generation's; called only after `save` kept
    them. Each array is renamed into place whole: a crash between two leaves arrays that do not fit, and
    the tokens are then read from the text. A failure is logged, and costs only that speed."""
    folder = index_dir / FOLDER
    try:
        for name, (array, dtype) in _only(texts, _kept(records, previous)).items():
            tmp = folder / f"{name}.npy.tmp-{os.getpid()}"
            try:
                write_array(tmp, array, dtype)
                os.replace(tmp, folder / f"{name}.npy")
            finally:
                tmp.unlink(missing_ok=True)
        fsync_dir(folder)
    except OSError as exc:
        log.warning("could not keep the parsed notes' tokens in %s (%s); the next build reads them from the "
                    "text", folder, exc)


def _room(index_dir: Path, note_bytes: int) -> bool:
    """Whether the disk has room for a checkpoint of notes of `note_bytes` and, after it, the generation
    being built: a checkpoint takes ~1.3 times its notes' bytes and a generation ~4.5 times (v10k: 74 and
    269 MB for 59 MB of notes), so one is kept only with ~8 times free. A build that would fit without it
    must not fail for want of the space it took."""
    try:
        free = shutil.disk_usage(index_dir).free
    except OSError:
        return False
    if free >= ROOM * note_bytes:
        return True
    log.info("the parsed notes are not kept in %s: %.0f MB free is too little beside the index being built",
             index_dir / FOLDER, free / 1e6)
    return False


def _write_tables(folder: Path, records: list[NoteRecord], meta: dict[str, Any]) -> None:
    """The notes, their links (unresolved: only their targets are read back) and tags, and the meta."""
    db = sqlite3.connect(folder / "index.sqlite")
    try:
        db.executescript(SCHEMA)
        db.executemany(INSERT_NOTE, (note_row(i, r) for i, r in enumerate(records)))
        db.executemany("INSERT INTO links VALUES (?,?,?,?,NULL)",
                       ((i, ln.target, ln.kind, ln.heading) for i, r in enumerate(records) for ln in r.links))
        db.executemany("INSERT INTO tags VALUES (?,?)",
                       ((i, t) for i, r in enumerate(records) for t in r.tags))
        db.executemany("INSERT INTO meta VALUES (?,?)", ((k, json.dumps(v)) for k, v in meta.items()))
        db.commit()
    finally:
        db.close()


def _only(texts: dict[str, tuple[np.ndarray, type]], keep: np.ndarray) -> dict[str, tuple[np.ndarray, type]]:
    """The token arrays of the notes `keep` ([N] bool) only, in the same layout (`tokenstore`)."""
    (words, wt), (ids, it), (paragraphs, pt), (notes, nt) = (texts[name] for name in (
        "tokens_words", "tokens_ids", "tokens_paragraphs", "tokens_notes"))
    note_of_paragraph = np.repeat(keep, notes)  # [P]
    return {"tokens_words": (words, wt), "tokens_ids": (ids[np.repeat(note_of_paragraph, paragraphs)], it),
            "tokens_paragraphs": (paragraphs[note_of_paragraph], pt), "tokens_notes": (notes[keep], nt)}


def _switch(index_dir: Path, tmp: Path) -> None:
    """Puts the written folder in place of the checkpoint: a crash between the two renames leaves none,
    never half of one."""
    fsync_dir(tmp)
    old = index_dir / f"{FOLDER}.old-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        os.rename(index_dir / FOLDER, old)
    os.rename(tmp, index_dir / FOLDER)
    fsync_dir(index_dir)
    shutil.rmtree(old, ignore_errors=True)


def _clean_leftovers(index_dir: Path) -> None:
    """Removes what a writer that died mid-save left (`parsed.tmp-PID`, `parsed.old-PID`). Only a build
    writes or removes a checkpoint, under the index's build lock: any such folder is a dead writer's, even
    one named with this process's number (a container's process may get the same one every run)."""
    with contextlib.suppress(FileNotFoundError):
        for p in index_dir.iterdir():
            if _LEFTOVER.match(p.name):
                shutil.rmtree(p, ignore_errors=True)


def drop(index_dir: Path) -> None:
    """Removes the checkpoint: a build completed (its generation has every record the checkpoint had)."""
    shutil.rmtree(index_dir / FOLDER, ignore_errors=True)
    _clean_leftovers(index_dir)


def exists(index_dir: Path) -> bool:
    """Whether parsed notes are kept for the next build (what an interrupted `notelink index` says)."""
    return (index_dir / FOLDER).is_dir()

"""The previous generation: the live index as the next build finds it, and what may be reused from it.

A build reads it once (`Previous.load`) and hands it on: reading reuses unchanged notes' records by content
hash, and an incremental update (`update.UpdatePlan`) continues from its word vectors, neighbour graph,
mentions and database rows. Its arrays are read only when a stage asks for them.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import compress
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp

from notelink.config import DialectConfig, IndexConfig, SettingsError, TrainConfig
from notelink.errors import IndexDamaged, IndexFormatError
from notelink.index.arrays import load_array
from notelink.index.choices import SavedChoices
from notelink.index.dialect import reading
from notelink.index.generation import Mentions
from notelink.index.store import CURRENT, current_generation, lazy_meta, open_generation
from notelink.index.tokenstore import TOKEN_ARRAYS, load_paragraphs
from notelink.index.verify import check_generation
from notelink.index.versions import NEWER_RULES, OTHER_FORMAT, OTHER_TOKENS, TOKENS_VERSION
from notelink.notes.parsednote import Link
from notelink.notes.records import NoteRecord


@dataclass
class Previous:
    """The live generation (`gen` None when there is none), its note records by path and its meta."""

    gen: Path | None = None
    records: dict[str, NoteRecord] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    unusable: str = ""
    """Why an update cannot build on the index there is, in a few words ("" when it can, or there is none):
    another format, notes read by other rules, damage (`found`)."""

    @classmethod
    def load(cls, index_dir: Path, index_cfg: IndexConfig) -> Previous:
        """The live generation; none when unreadable or of an older format (everything is rebuilt). Its
        records are offered for reuse only when notes were tokenized the same way."""
        try:
            gen = current_generation(index_dir)
            if gen is None:
                return cls()
            records, meta = load_records(gen)
        except IndexFormatError:
            return cls(unusable=OTHER_FORMAT)
        same_tokens = (meta.get("index_config") == as_json(index_cfg.to_dict())
                       and meta.get("tokens_version") == TOKENS_VERSION)
        return cls(gen, records if same_tokens else {}, meta, "" if same_tokens else OTHER_TOKENS)

    def unchanged(self, records: Sequence[NoteRecord], skipped: Sequence[Any],
                  config: dict[str, Any]) -> bool:
        """True when nothing the index depends on differs: notes, skipped files and settings."""
        same_notes = {r.path: r.sha256 for r in records} == {p: r.sha256 for p, r in self.records.items()}
        same_skips = as_json(sorted((s.path, s.reason) for s in skipped)) == self.meta.get("skipped_files")
        return bool(self.meta) and same_notes and same_skips and self.meta.get("config") == config

    def settings_changed(self, config: dict[str, Any]) -> str:
        """Why `config` makes a full retrain, in a few words ("the dialect changed (obsidian → zk)",
        "settings changed: dim 100 → 50"); "" when it built with the same settings, or there is none."""
        before = self.meta.get("config")
        if not before or before == config:
            return ""
        if (before.get("rules"), before.get("search")) != (config.get("rules"), config.get("search")):
            return NEWER_RULES
        old, new = _flat(before), _flat(config)
        keys = [k for k in dict.fromkeys([*old, *new]) if old.get(k) != new.get(k)]
        dialect = "index.dialect.name"
        said = [f"the dialect changed ({old.get(dialect)} → {new.get(dialect)})"] if dialect in keys else []
        rest = [f"{k.rsplit('.', 1)[-1]} {_shown(old.get(k))} → {_shown(new.get(k))}"
                for k in keys if k != dialect]
        if rest:
            more = f" and {len(rest) - 3} more" if len(rest) > 3 else ""
            said.append("settings changed: " + ", ".join(rest[:3]) + more)
        return "; ".join(said)

    def new_ids(self, records: Sequence[NoteRecord]) -> np.ndarray:
        """[N_old] each of its notes' id among `records` (matched by path), -1 for a note gone."""
        ids = {r.path: i for i, r in enumerate(records)}
        return np.fromiter((ids.get(p, -1) for p in self.records), dtype=np.int64, count=len(self.records))

    def edited(self, records: Sequence[NoteRecord]) -> list[int]:
        """Ids of the notes whose bytes changed, and of the notes at a path it did not have."""
        return [i for i, r in enumerate(records)
                if (old := self.records.get(r.path)) is None or old.sha256 != r.sha256]

    def renamed(self, records: Sequence[NoteRecord]) -> list[int]:
        """Ids of the notes at a path it had, with a new title, aliases or language (links to and mentions
        of them may change: names are tokenized, and shared names resolved, in their note's language)."""
        return [i for i, r in enumerate(records) if (old := self.records.get(r.path)) is not None
                and (old.title, old.aliases, old.lang) != (r.title, r.aliases, r.lang)]

    def gone(self, records: Sequence[NoteRecord]) -> list[NoteRecord]:
        """Its notes at a path that `records` do not have (deleted, or moved elsewhere)."""
        now = {r.path for r in records}
        return [r for p, r in self.records.items() if p not in now]

    def changes(self, records: Sequence[NoteRecord]) -> Changes:
        """What an update trains on and what it takes away, matched by content hash or text, not path: a
        moved or renamed note is unchanged even when its title, taken from the file name, is not.

        `retrained`: ids of the notes whose training text this generation did not have. `gone`: its notes
        whose text `records` no longer have (deleted, or edited away; a moved note or a whitespace edit
        removes nothing; copies count: 9 of 10 identical notes deleted remove 9). One pass
        over hashes in sets: only the notes whose hash is not there as many times before as after are looked
        at (two per-note loops over both lists and their Counters cost ~4x as long on 100k notes)."""
        old_hashes, new_hashes = [r.sha256 for r in self.records.values()], [r.sha256 for r in records]
        before, after = set(old_hashes), set(new_hashes)
        differ = before ^ after
        if len(before) < len(old_hashes) or len(after) < len(new_hashes):  # copies (empty notes, templates):
            differ |= _recounted(old_hashes, new_hashes)  # also those there more or fewer times
        if not differ:
            return Changes([], [])
        ids = compress(range(len(records)), map(differ.__contains__, new_hashes))
        touched = [(i, records[i]) for i in ids]
        new = [(i, r) for i, r in touched if r.sha256 not in before]
        old = list(compress(self.records.values(), map(differ.__contains__, old_hashes)))
        return Changes(_retrained(new, [r for r in old if r.sha256 not in after]),
                       _removed(old, Counter(r.sha256 for _, r in touched), [r for _, r in new]))

    def array(self, name: str) -> np.ndarray | None:
        """One of its arrays, or None when it has none or it cannot be read."""
        if self.gen is None:
            return None
        try:
            return np.asarray(load_array(self.gen, name))
        except (OSError, ValueError, IndexFormatError):
            return None

    def vectors(self) -> tuple[list[str], np.ndarray, np.ndarray] | None:
        """Its vocabulary and matrices (words, syn0 [V, D], syn1neg [V, D]), or None when unreadable."""
        syn0, syn1neg = self.array("syn0"), self.array("syn1neg")
        if self.gen is None or syn0 is None or syn1neg is None:
            return None
        try:
            db, _ = open_generation(self.gen)
        except IndexFormatError:
            return None
        try:
            words = [w for (w,) in db.execute("SELECT word FROM vocab ORDER BY id")]
        finally:
            db.close()
        return words, syn0, syn1neg

    def graph(self) -> sp.csr_matrix | None:
        """Its word neighbour graph K [V_old, V_old], or None."""
        parts = [self.array(f"graph_{part}") for part in ("indptr", "indices", "data")]
        if any(p is None for p in parts):
            return None
        indptr, indices, data = parts
        n = indptr.size - 1  # type: ignore[union-attr]
        return sp.csr_matrix((data, indices, indptr), shape=(n, n))

    def mentions(self, which: str = "mentions") -> Mentions | None:
        """Its mentions (src, dst, count), or None; `which` "named": the mentions of whole file names
        (None from a generation written before they were kept)."""
        parts = [self.array(f"{which}_{part}") for part in ("src", "dst", "count")]
        return None if any(p is None for p in parts) else (parts[0], parts[1], parts[2])  # type: ignore[return-value]


class Changes(NamedTuple):
    """`Previous.changes`: the notes an update retrains (ids in the new records), and the previous records
    whose training text it takes away (`gone`; `removed`: their words)."""

    retrained: list[int]
    gone: list[NoteRecord]

    @property
    def removed(self) -> int:
        """Training words of the `gone` notes."""
        return sum(r.n_tokens for r in self.gone)


def _recounted(before: list[str], after: list[str]) -> set[str]:
    """The hashes there more than once before or after, and not as many times after as before."""
    counts = Counter(before), Counter(after)
    copied = {h for c in counts for h, n in c.items() if n > 1}
    return {h for h in copied if counts[0][h] != counts[1][h]}


def _retrained(new: list[tuple[int, NoteRecord]], gone: list[NoteRecord]) -> list[int]:
    """The ids of the `new` notes (a hash the previous generation had not) whose training text none of the
    `gone` ones (a hash it has no more) had: new bytes with the same text are a whitespace edit, or a
    renamed title."""
    if not new or not gone:  # (a deletion, an addition: no text to compare)
        return [i for i, _ in new]
    texts = Counter(" ".join(r.tokens) for r in gone)
    changed = []
    for i, r in new:
        key = " ".join(r.tokens)
        if texts[key] > 0:
            texts[key] -= 1
        else:
            changed.append(i)
    return changed


def _removed(old: list[NoteRecord], after: Counter[str], new: list[NoteRecord]) -> list[NoteRecord]:
    """The `old` notes (their hash not as many times before as `after`) beyond as many copies as are left,
    whose text no `new` note (a hash not there before) has."""
    left = {r.sha256: after[r.sha256] for r in old}
    texts = Counter(" ".join(r.tokens) for r in new)
    gone = []
    for r in old:
        if left[r.sha256] > 0:
            left[r.sha256] -= 1
            continue
        key = " ".join(r.tokens) if texts else ""  # (nothing new to compare with: a deletion)
        if texts[key] > 0:
            texts[key] -= 1
        else:
            gone.append(r)
    return gone


def found(index_dir: Path, index_cfg: IndexConfig, thorough: bool) -> tuple[Previous, str]:
    """The live generation a build builds on, and a warning when it was damaged: then it is set aside
    (renamed `gen-N.damaged-TIME`, CURRENT removed) and the index rebuilt from the notes. `thorough` (a
    build the user asked for, `notelink index`; not the watcher's updates) checks it as `notelink check`
    does, so that whatever `check` finds, `index` mends."""
    try:
        gen = current_generation(index_dir)
        problems = [] if gen is None else check_generation(gen, thorough).problems
        if not problems:
            return Previous.load(index_dir, index_cfg), ""
    except (IndexDamaged, sqlite3.DatabaseError, OSError, ValueError) as exc:
        gen, problems = _named_in_current(index_dir), [str(exc).split("; run")[0]]
    except IndexFormatError:  # another format version: rebuilt, as Previous.load says nothing is reusable
        return Previous(unusable=OTHER_FORMAT), ""
    return Previous(unusable="the index was damaged"), _set_aside(index_dir, gen, problems[0])


def _named_in_current(index_dir: Path) -> Path | None:
    try:
        path = index_dir / (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return path if path.is_dir() and path.parent == index_dir else None


def _set_aside(index_dir: Path, gen: Path | None, problem: str) -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = None if gen is None else gen.with_name(f"{gen.name}.damaged-{stamp}")
    if gen is not None and aside is not None:
        os.rename(gen, aside)
    (index_dir / CURRENT).unlink(missing_ok=True)
    where = f"; it was set aside as {aside} (delete it when you like)" if aside else ""
    return f"the index was damaged ({problem}) and was rebuilt from the notes{where}"


def settled(vault: Path, index_dir: Path, cfg: IndexConfig, dialect: DialectConfig | None = None,
            saved: SavedChoices | None = None) -> IndexConfig:
    """`cfg` with what it leaves to the vault and its index: the exclude patterns, whether stop words were
    kept and the note size cap of the last build (where `cfg` has None: a later build, the watcher and the
    app keep `--exclude`, `--keep-stopwords`, `--max-file-mb`, each build reading them anew), and the
    vault's dialect (`dialect`, else `index.dialect.reading`'s). `saved`: the index's choices, when read."""
    saved = saved if saved is not None else SavedChoices.read(index_dir)
    exclude = cfg.exclude if cfg.exclude is not None else saved.exclude
    keep = cfg.keep_stopwords if cfg.keep_stopwords is not None else saved.keep_stopwords
    size = cfg.max_file_bytes if cfg.max_file_bytes is not None else saved.max_file_bytes
    dialect = dialect or reading(vault, index_dir, cfg, saved=saved).dialect
    return replace(cfg, exclude=tuple(exclude), keep_stopwords=keep, max_file_bytes=size, dialect=dialect)


def settled_training(index_dir: Path, cfg: TrainConfig, saved: SavedChoices | None = None) -> TrainConfig:
    """`cfg` with the model settings the index's last build was given (`TrainConfig.chosen`) where `cfg`
    leaves them to it: a value the user chose once stays until they choose another. `saved`: the index's
    choices, when read already."""
    model = set(TrainConfig().model_dict())
    training = (saved if saved is not None else SavedChoices.read(index_dir)).training
    kept = {k: v for k, v in training.items() if k in model and k not in cfg.chosen}
    try:
        return _with_kept(cfg, kept, model)
    except SettingsError as exc:  # a value this version refuses (a newer bound): that one is dropped
        refused = {name for name, _, _ in exc.problems}
        with contextlib.suppress(TypeError, ValueError):
            return _with_kept(cfg, {k: v for k, v in kept.items() if k not in refused}, model)
    except (TypeError, ValueError):  # not a setting of this version at all: the index's choices dropped
        pass
    return _with_kept(cfg, {}, model)


def _with_kept(cfg: TrainConfig, kept: dict[str, Any], model: set[str]) -> TrainConfig:
    """`cfg` with the `kept` settings, which count as chosen, as the model settings it chose do."""
    return replace(cfg, **kept, chosen=tuple(sorted({*cfg.chosen, *kept} & model)))


def load_records(gen: Path) -> tuple[dict[str, NoteRecord], dict[str, Any]]:
    """Every note record of a generation, by path, and its meta (for reuse by content hash)."""
    db, meta = open_generation(gen)
    try:
        meta |= lazy_meta(db)  # (the update chain's changed notes: a build reads them, an open does not)
        tags: dict[int, list[str]] = {}
        for note, tag in db.execute("SELECT note, tag FROM tags ORDER BY rowid"):
            tags.setdefault(note, []).append(tag)
        links: dict[int, list[Link]] = {}
        for src, target, kind, heading in db.execute(
                "SELECT src, target, kind, heading FROM links ORDER BY rowid"):
            links.setdefault(src, []).append(Link(target, kind, heading))
        texts = _saved_paragraphs(gen, db, meta)
        records = {}
        column = "tokens" if texts is None else "''"  # (not read: the arrays have them)
        for row in db.execute(f"SELECT id, path, title, sha256, size, mtime, aliases, headings, {column}, "
                              "warning, lang, refs, numbered, capitals FROM notes ORDER BY id"):
            i, path, title, sha, size, mtime, aliases, headings, tokens, warning, lang, refs, nums, caps = row
            records[path] = NoteRecord(path, title, sha, size, mtime, _json_list(aliases),
                                       _json_list(headings), tags.get(i, []), links.get(i, []),
                                       _lines(tokens) if texts is None else texts[i], warning, lang,
                                       _lines(refs), _lines(nums), caps.split())
        return records, meta
    finally:
        db.close()


def _saved_paragraphs(gen: Path, db: sqlite3.Connection, meta: dict[str, Any]
                      ) -> list[list[list[str]]] | None:
    """The notes' paragraphs from the generation's token arrays (`tokenstore`), by note id, when it has
    them and its notes are numbered 0..N-1; else None (read from the text)."""
    if meta.get("token_arrays") != TOKEN_ARRAYS:
        return None
    n, low, high = db.execute("SELECT COUNT(*), MIN(id), MAX(id) FROM notes").fetchone()
    if n and (low, high) != (0, n - 1):
        return None
    return load_paragraphs(gen, n)


def _lines(text: str) -> list[list[str]]:
    """Token lists stored a line each, tokens space-separated (one str object per distinct word)."""
    return [list(map(sys.intern, p.split(" "))) for p in text.split("\n") if p]


def _json_list(text: str) -> list[str]:
    return [] if text == "[]" else list(json.loads(text))  # most notes have no aliases: skip the parser


def _flat(config: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A nested config as dotted keys ("train.dim": 100)."""
    out: dict[str, Any] = {}
    for k, v in config.items():
        if isinstance(v, dict):
            out |= _flat(v, f"{prefix}{k}.")
        else:
            out[prefix + k] = v
    return out


def _shown(value: Any) -> str:
    """A setting's value as a user would write it (a list: comma-separated, empty: none)."""
    if isinstance(value, list):
        return ", ".join(map(str, value)) if value else "none"
    return "none" if value is None else str(value)


def as_json(value: Any) -> Any:
    """The value as it reads back from the index's JSON meta (tuples become lists)."""
    return json.loads(json.dumps(value))

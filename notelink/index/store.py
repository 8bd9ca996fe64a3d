"""The local index on disk: one self-contained folder per generation, switched atomically.

    INDEX_DIR/
      CURRENT                 name of the live generation, replaced with os.replace
      gen-000007/
        index.sqlite          notes, hashes, links, tags, per-file status, vocabulary, meta (WAL)
        syn0.npy syn1neg.npy  word vectors [V, D] (input, output)
        notes_*.npy           note vectors, a sparse [N, V+N+D] matrix in CSR parts (indptr, indices, data)
        graph_*.npy           word neighbour graph K [V, V] (CSR parts), reused by the next update
        mentions_*.npy        which note names which (src, dst, count), reused by the next update
        readers.lock          a reader holds a shared flock on it while it uses the generation
      parsed/                 the notes a build parsed, until it completes (`checkpoint`): never a generation
A writer builds `gen-N.tmp-PID/`, fsyncs it, renames it to `gen-N/` and only then points CURRENT at it,
so a reader (or a crash at any moment) sees either the old generation or the new one, never half of one.
A generation is immutable once committed: readers open its database with `immutable=1` (no -shm or lock
files, so a full disk or a read-only folder does not stop them). The newest two generations are kept, and an
older one as long as a reader holds it (`pin_current`); a full disk or an unwritable folder is an error that
says where and what to do (`DiskFull`, `IndexDirError`), the live generation untouched.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

import numpy as np

from notelink.errors import DiskFull, IndexDamaged, IndexDirError, IndexFormatError
from notelink.processes import pid_alive

try:
    import fcntl
except ImportError:  # Windows: no pins (generations are collected as before)
    fcntl = None  # type: ignore[assignment]

FORMAT_VERSION = 6
CURRENT = "CURRENT"
READERS = "readers.lock"
_GEN = re.compile(r"^gen-(\d{6})$")
_LEFTOVER = re.compile(r"^gen-\d{6}\.(?:tmp|trash)-(\d+)$")

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
  lang TEXT NOT NULL DEFAULT '', -- language whose stop words were dropped (notelink.notes.stopwords)
  refs TEXT NOT NULL DEFAULT '', -- tokens of URLs and code spans, as `tokens` (never trained on)
  numbered TEXT NOT NULL DEFAULT '', -- the text around numbers, numbers kept (never trained on)
  capitals TEXT NOT NULL DEFAULT '' -- words written with a capital mid-sentence, as names (never trained on)
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
    name = ""
    for _ in range(10):  # CURRENT may name a generation deleted since: two newer ones were switched in
        try:
            previous, name = name, (index_dir / CURRENT).read_text(encoding="utf-8").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        path = index_dir / name
        if _GEN.match(name) and path.is_dir():
            return path
        if name == previous or not _GEN.match(name):
            break
    raise IndexDamaged(f"the index at {index_dir} is damaged ({CURRENT} names {name!r}); "
                       "run `notelink index` to rebuild it")


def generation_key(gen: Path) -> tuple[str, int, int, int] | None:
    """What tells this generation from another built later at the same path (the index folder deleted and
    built again, or a damaged generation set aside and its number built again): the folder's path, device,
    inode and change time (an inode alone may be reused). None when the folder is gone."""
    try:
        st = gen.stat()
    except OSError:
        return None
    return str(gen), st.st_dev, st.st_ino, st.st_ctime_ns


def pin_current(index_dir: Path) -> tuple[Path, IO[bytes] | None] | None:
    """The live generation, held against deletion while the returned file stays open (a shared flock on
    its readers.lock); None when there is no index. A generation from before pins existed is not held."""
    for _ in range(50):
        gen = current_generation(index_dir)
        if gen is None:
            return None
        try:
            fh = open(gen / READERS, "rb")  # noqa: SIM115 - held for the reader's life
        except FileNotFoundError:
            if (gen / "index.sqlite").exists():
                return gen, None
            continue  # deleted between reading CURRENT and here: CURRENT names a newer one
        try:
            if fcntl is not None:
                fcntl.flock(fh.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
            if (gen / "index.sqlite").exists():
                return gen, fh
        except OSError:
            pass  # being deleted right now
        fh.close()
    raise IndexFormatError(f"the index at {index_dir} keeps changing while it is opened; try again")


def _delete_unread(gen: Path) -> bool:
    """Deletes a generation unless a reader holds it (then False: a later commit tries again). Renamed
    first, under the exclusive lock, so that a reader arriving meanwhile finds it gone and looks again."""
    try:
        fh = open(gen / READERS, "rb")  # noqa: SIM115
    except FileNotFoundError:
        fh = None  # written before pins existed
    except OSError:
        return False
    try:
        if fh is not None and fcntl is not None:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False
        trash = gen.with_name(f"{gen.name}.trash-{os.getpid()}")
        try:
            os.rename(gen, trash)
        except OSError:
            return False
        shutil.rmtree(trash, ignore_errors=True)
        return True
    finally:
        if fh is not None:
            fh.close()


def _device(path: Path) -> str:
    """The file system holding `path`, as `df` names it: "/dev/vda1 (mounted at /home)"."""
    try:
        dev, real = os.stat(path).st_dev, os.path.realpath(path)
        best = ("", "")
        with open("/proc/self/mountinfo", encoding="utf-8") as fh:
            for line in fh:
                fields = line.split()
                major, minor = map(int, fields[2].split(":"))
                mount = fields[4].replace("\\040", " ")
                if (os.makedev(major, minor) == dev and (real + "/").startswith(mount.rstrip("/") + "/")
                        and len(mount) >= len(best[1])):
                    best = (fields[fields.index("-") + 2], mount)
        if best[1]:
            return f"{best[0]} (mounted at {best[1]})"
    except (OSError, ValueError, IndexError):
        pass
    return f"the disk holding {path}"


def storage_error(exc: BaseException, index_dir: Path, needed: int = 0, before: bool = False
                  ) -> Exception | None:
    """A full disk or an unwritable index folder as an error for people (None for other errors); `before`:
    found before writing (`check_space`), not by a failed write."""
    code = getattr(exc, "errno", None)
    sqlite_code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    if code in (errno.ENOSPC, errno.EDQUOT) or sqlite_code == 13 or (  # SQLITE_FULL
            sqlite_code == 10 and _free(index_dir) < max(needed, 1 << 20)):  # SQLITE_IOERR, disk full
        need = _space(index_dir, needed, before)
        kept = "the index in use is unchanged" if (index_dir / CURRENT).exists() else "nothing was written"
        return DiskFull(f"no space left on {_device(index_dir)} for the index at {index_dir} ({need}); "
                        f"{kept}. Free some space, or choose another folder with --index-dir (or "
                        "NOTELINK_INDEX_DIR)")
    if code in (errno.EACCES, errno.EPERM, errno.EROFS) or sqlite_code == 8:  # SQLITE_READONLY
        why = getattr(exc, "strerror", None) or str(exc)
        return IndexDirError(f"cannot write the index at {index_dir}: {why}; choose a writable folder "
                             "with --index-dir (or NOTELINK_INDEX_DIR)")
    return None


def _space(index_dir: Path, needed: int, before: bool) -> str:
    """The space needed and free as far as known: before writing, the estimate; after a failed write (its
    unfinished generation removed, so the space it had is free), only that it needs more than that."""
    free = f"{_free(index_dir) / 1e6:,.1f} MB free"
    if not before:
        return f"the new index needs more than the {free}"
    mb = max(needed, 1 << 20) / 1e6
    return f"needed ~{mb:,.{0 if mb >= 10 else 1}f} MB, {free}"


def _free(path: Path) -> int:
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return 0


def check_space(index_dir: Path, needed: int) -> None:
    """Raises DiskFull before a generation of ~`needed` bytes is written where it cannot fit."""
    with contextlib.suppress(OSError):
        if shutil.disk_usage(index_dir).free < needed:
            raise storage_error(OSError(errno.ENOSPC, "No space left on device"), index_dir, needed, True) \
                or DiskFull("no space left")


def fsync_dir(path: Path) -> None:
    """Makes a folder's entries (files created, renamed, removed in it) durable."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_array(path: Path, array: np.ndarray, dtype: type) -> None:
    """`array` as `dtype` in an .npy file (no pickle), on disk when this returns."""
    with open(path, "wb") as fh:
        np.save(fh, np.ascontiguousarray(array, dtype=dtype), allow_pickle=False)
        fh.flush()
        os.fsync(fh.fileno())


def _write_text_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):
        fsync_dir(path.parent)


class GenerationWriter:
    """Builds the next generation in a temporary folder; `commit` switches it in atomically. A full disk
    or an unwritable folder raises DiskFull or IndexDirError, with the temporary folder removed."""

    def __init__(self, index_dir: Path, base: Path | None = None, needed: int = 0) -> None:
        """`base`: a generation whose database the new one starts from (a copy), instead of empty tables;
        `needed`: about how many bytes it will take (said when the disk fills up)."""
        self.index_dir, self.needed = index_dir, needed
        self.tmp = index_dir / "gen-unnamed"  # (to clean up, should the folder not be made)
        db = None
        try:
            index_dir.mkdir(parents=True, exist_ok=True)
            numbers = [int(m.group(1)) for p in index_dir.iterdir() if (m := _GEN.match(p.name))]
            self.number = max(numbers, default=0) + 1
            self.name = f"gen-{self.number:06d}"
            self.tmp = index_dir / f"{self.name}.tmp-{os.getpid()}"
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp.mkdir()
            if base is not None:
                shutil.copyfile(base / "index.sqlite", self.tmp / "index.sqlite")
            db = sqlite3.connect(self.tmp / "index.sqlite")
            db.execute("PRAGMA journal_mode=WAL")
            if base is None:
                db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            if db is not None:
                db.close()
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise storage_error(exc, index_dir, needed) or exc from exc
        self.db = db

    def put_meta(self, meta: dict[str, Any]) -> None:
        rows = [(k, json.dumps(v)) for k, v in meta.items()]
        with self._failing():
            self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", rows)

    def put_array(self, name: str, array: np.ndarray, dtype: type = np.float32) -> None:
        with self._failing():
            write_array(self.tmp / f"{name}.npy", array, dtype)

    @contextlib.contextmanager
    def _failing(self) -> Iterator[None]:
        """A failed write aborts the generation; a full disk or an unwritable folder says so."""
        try:
            yield
        except (OSError, sqlite3.Error) as exc:
            self.abort()
            raise storage_error(exc, self.index_dir, self.needed) or exc from exc

    def commit(self) -> Path:
        """Seals the generation and makes it the live one; returns its folder. Its database leaves WAL mode:
        nothing writes it again, and readers then need no -shm file. Until CURRENT names it, a failure
        removes it again."""
        final = self.index_dir / self.name
        with self._failing():
            self.put_meta({"format_version": FORMAT_VERSION, "generation": self.number})
            self.db.commit()
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.db.execute("PRAGMA journal_mode=DELETE")
            self.db.close()
            (self.tmp / READERS).touch()
            fsync_dir(self.tmp)
            os.rename(self.tmp, final)
            self.tmp = final  # (what `abort` removes, until it is live)
            fsync_dir(self.index_dir)
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
        """Keeps the new and the previous generation, and any a reader still holds; drops the rest, and
        what dead writers left."""
        gens = sorted(p.name for p in self.index_dir.iterdir() if _GEN.match(p.name))
        keep = keep | set(gens[-2:])
        for name in gens:
            if name not in keep:
                _delete_unread(self.index_dir / name)
        for p in self.index_dir.iterdir():
            m = _LEFTOVER.match(p.name)
            if m and not pid_alive(int(m.group(1))):
                shutil.rmtree(p, ignore_errors=True)


def _url_path(path: Path) -> str:
    """The path as a `file:` URL writes it (`urllib.request.pathname2url`, which is `quote` on POSIX:
    urllib.request itself is 20-70 ms of a query's start)."""
    if os.name == "nt":
        from urllib.request import pathname2url

        return pathname2url(str(path))
    return quote(str(path))


def open_generation(path: Path) -> tuple[sqlite3.Connection, dict[str, Any]]:
    """A read-only connection to a generation's database, and its meta table, version checked."""
    db, meta = _unchecked(path)
    if meta.get("format_version") != FORMAT_VERSION:
        db.close()
        raise IndexFormatError(f"the index at {path} has format {meta.get('format_version')}, this "
                               f"notelink reads format {FORMAT_VERSION}; run `notelink index` to rebuild it")
    return db, meta


LAZY_META = "since_full_paths"
"""A meta key read only by a build (`lazy_meta`), not at each open: the notes an update chain has changed,
by path (`update.SinceFull`), as many as the vault has in the worst case."""


def lazy_meta(db: sqlite3.Connection) -> dict[str, Any]:
    """The meta that `open_generation` leaves out (`LAZY_META`), as {key: value}; {} when there is none."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", (LAZY_META,)).fetchone()
    return {} if row is None else {LAZY_META: json.loads(row[0])}


def _unchecked(path: Path) -> tuple[sqlite3.Connection, dict[str, Any]]:
    """A read-only connection to a generation's database and its meta table, of any format."""
    try:
        db = sqlite3.connect(f"file:{_url_path(path / 'index.sqlite')}?mode=ro&immutable=1", uri=True,
                             check_same_thread=False)
        meta = {k: json.loads(v) for k, v in db.execute("SELECT key, value FROM meta WHERE key != ?",
                                                        (LAZY_META,))}
    except sqlite3.Error as exc:
        raise IndexDamaged(f"the index at {path} is damaged: its database cannot be read ({exc}); "
                           "run `notelink index` to rebuild it") from exc
    return db, meta


def read_meta(gen: Path) -> dict[str, Any]:
    """A generation's meta table, of any format (IndexDamaged when its database cannot be read)."""
    db, meta = _unchecked(gen)
    db.close()
    return meta


def note_paths(index_dir: Path) -> list[str]:
    """The live generation's note paths, sorted (none without an index): what shells complete NOTE with."""
    gen = current_generation(index_dir)
    if gen is None:
        return []
    db, _ = open_generation(gen)
    with contextlib.closing(db):
        return [path for (path,) in db.execute("SELECT path FROM notes ORDER BY path")]

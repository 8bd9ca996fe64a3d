"""A vault on disk: finding its notes and reading them safely. Nothing here ever writes to the vault."""

from __future__ import annotations

import codecs
import contextlib
import errno
import fnmatch
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from notelink.errors import VaultError
from notelink.notes.block import unmanaged_bytes

NOTE_SUFFIX = ".md"
_BINARY_SNIFF = 8192


@dataclass(frozen=True)
class RawNote:
    """A note's bytes decoded to text, with its content hash (of the bytes without notelink's block)."""

    path: str
    text: str
    sha256: str
    size: int
    mtime: float
    warning: str = ""


@dataclass(frozen=True)
class Skipped:
    """A file that could not be indexed, and why."""

    path: str
    reason: str


def is_ignored(rel: str, exclude: tuple[str, ...] = ()) -> bool:
    """True for paths in dot-folders, dot-files, non-notes, and user exclude globs."""
    parts = rel.split("/")
    if any(p.startswith(".") for p in parts) or not rel.lower().endswith(NOTE_SUFFIX):
        return True
    return any(fnmatch.fnmatch(rel, pat) for pat in exclude)


def scan(root: Path, exclude: tuple[str, ...] = ()) -> list[str]:
    """Relative `/`-separated paths of every note under `root`, sorted; dot-folders are not entered."""
    return scan_folders(root, exclude)[0]


def scan_folders(root: Path, exclude: tuple[str, ...] = ()) -> tuple[list[str], list[Skipped]]:
    """`scan`, and the folders it could not list (`folder/`, with the reason): their notes are missing."""
    found: list[str] = []
    unlisted: list[Skipped] = []

    def unreadable(exc: OSError) -> None:
        if isinstance(exc, FileNotFoundError):  # removed while scanning: nothing of it is missing
            return
        rel = os.path.relpath(exc.filename, root).replace(os.sep, "/") if exc.filename else "."
        if not is_ignored(f"{rel}/x{NOTE_SUFFIX}", exclude):
            unlisted.append(Skipped(f"{rel}/", f"unreadable folder: {exc.strerror or exc}; its notes are "
                                                "left out"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel_dir = os.path.relpath(dirpath, root)
        for name in filenames:
            rel = name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/")
            if not is_ignored(rel, exclude):
                found.append(rel)
    return sorted(found), sorted(unlisted, key=lambda s: s.path)


def check_vault(root: Path) -> Path:
    """The vault's resolved path, or VaultError with a message for people."""
    if not root.exists():
        raise VaultError(f"vault not found: {root} does not exist")
    if not root.is_dir():
        raise VaultError(f"not a vault: {root} is a file; give the folder that holds your notes")
    return root.resolve()


def _decode(data: bytes) -> tuple[str, str]:
    """Text and a warning: UTF-8 (BOM allowed), UTF-16 with BOM, else UTF-8 with replacement."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), ""
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8-sig", errors="replace")
        return text, f"invalid UTF-8 at byte {exc.start}; decoded with replacement characters"


def _looks_binary(data: bytes) -> bool:
    head = data[:_BINARY_SNIFF]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return b"\x00" in head


def read_note(root: Path, rel: str, max_bytes: int) -> RawNote | Skipped:
    """Reads one note, or says why it was skipped (too large, binary, unreadable, vanished)."""
    path = root / rel
    try:
        st = path.stat()
        if st.st_size > max_bytes:
            return Skipped(rel, f"too large: {st.st_size / 1e6:.1f} MB is over the "
                                f"{max_bytes / 1e6:.1f} MB cap (raise it with --max-file-mb)")
        data = path.read_bytes()
    except FileNotFoundError:
        with contextlib.suppress(OSError):  # (the link itself may be gone by now)
            return Skipped(rel, f"broken symbolic link: its target {os.readlink(path)} does not exist")
        return Skipped(rel, "vanished: the file was deleted or moved while indexing")
    except IsADirectoryError:
        return Skipped(rel, "not a file: a folder is named like a note")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Skipped(rel, "symbolic link loop: the link leads back to itself")
        return Skipped(rel, f"unreadable: {exc.strerror or exc}")
    if _looks_binary(data):
        return Skipped(rel, "binary: the file is not text (it contains NUL bytes)")
    text, warning = _decode(data)
    if not text.strip():
        warning = warning or "empty note"
    digest = hashlib.sha256(unmanaged_bytes(data)).hexdigest()  # notelink's own block is not an edit
    return RawNote(rel, text, digest, len(data), st.st_mtime, warning)


def file_hash(path: Path) -> str | None:
    """Content hash of a file as `read_note` computes it (notelink's block left out), or None."""
    try:
        return hashlib.sha256(unmanaged_bytes(path.read_bytes())).hexdigest()
    except OSError:
        return None

"""A vault on disk: finding its notes and reading them safely. Nothing here ever writes to the vault."""

from __future__ import annotations

import codecs
import contextlib
import errno
import hashlib
import os
import posixpath
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from notelink.errors import VaultError
from notelink.notes.ignore import Ignore
from notelink.notes.targets import FILE, FOLDER

_BINARY_SNIFF = 8192


@dataclass(frozen=True)
class RawNote:
    """A note's bytes decoded to text, with its content hash (of the bytes without notelink's block)."""

    path: str
    text: str
    sha256: str
    """Of the bytes without the block; empty when read with `digest=False` (snippets never need it)."""
    size: int
    mtime: float
    warning: str = ""


@dataclass(frozen=True)
class Skipped:
    """A file that could not be indexed, and why."""

    path: str
    reason: str


ORG_PAGE = "an Org-mode page: left out (notelink reads Markdown pages only)"
"""Why a Logseq graph's `*.org` page is skipped (`scan_folders`)."""


def scan(root: Path, exclude: tuple[str, ...] | None = ()) -> list[str]:
    """Relative `/`-separated paths of every note under `root`, sorted; dot-folders are not entered."""
    return scan_folders(root, exclude)[0]


def scan_folders(root: Path, exclude: tuple[str, ...] | Ignore | None = (), org_pages: bool = False
                 ) -> tuple[list[str], list[Skipped]]:
    """`scan`, and what it left out with a reason: folders it could not list (`folder/`: their notes are
    missing), symbolic links to files outside the vault, symbolic links to notes indexed under their
    own name (a note counts once), symbolic links to folders (`folder/`: never entered), and with
    `org_pages` (a Logseq graph) its Org-mode pages (`*.org`, `ORG_PAGE`) that the vault does not leave
    out: they were left out unsaid."""
    ignore = exclude if isinstance(exclude, Ignore) else Ignore(root, exclude)
    found: list[str] = []
    left: list[Skipped] = []

    def unreadable(exc: OSError) -> None:
        if isinstance(exc, FileNotFoundError):  # removed while scanning: nothing of it is missing
            return
        rel = os.path.relpath(exc.filename, root).replace(os.sep, "/") if exc.filename else "."
        if not ignore.ignored(rel, is_dir=True):
            left.append(Skipped(f"{rel}/", f"unreadable folder: {exc.strerror or exc}; its notes are "
                                           "left out"))

    real_root = os.path.realpath(root)
    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        prefix = "" if rel_dir == "." else rel_dir + "/"
        dirnames[:] = sorted(d for d in dirnames if not ignore.ignored(prefix + d, is_dir=True))
        linked = {d for d in dirnames if os.path.islink(os.path.join(dirpath, d))}
        left += [Skipped(f"{prefix}{d}/", _folder_link_reason(root, real_root, prefix + d, ignore))
                 for d in sorted(linked)]
        dirnames[:] = [d for d in dirnames if d not in linked]  # (os.walk would not enter them either)
        for name in filenames:
            rel = prefix + name
            if org_pages and name.lower().endswith(".org") and ignore.left_out_by(rel, any_type=True) is None:
                left.append(Skipped(rel, ORG_PAGE))
            if ignore.ignored(rel):
                continue
            why = _link_reason(root, real_root, rel, ignore) if os.path.islink(root / rel) else None
            if why:
                left.append(Skipped(rel, why))
            else:
                found.append(rel)
    return sorted(found), sorted(left, key=lambda s: s.path)


def _link_reason(root: Path, real_root: str, rel: str, ignore: Ignore) -> str | None:
    """Why a symbolic link is left out (None: index it): its target is outside the vault (notelink reads
    only the vault), or a note indexed under its own name."""
    target = os.path.realpath(root / rel)
    if not _inside(real_root, target):
        return f"symbolic link to {target}, outside the vault: left out (notelink reads only the vault)"
    inner = os.path.relpath(target, real_root).replace(os.sep, "/")
    if os.path.isfile(target) and not ignore.ignored(inner):
        return f"symbolic link to {inner}, which is indexed under its own name (a note counts once)"
    return None


def _folder_link_reason(root: Path, real_root: str, rel: str, ignore: Ignore) -> str:
    """Why a symbolic link to a folder is not entered (none is: a link back up would loop, and a note read
    twice would count twice): its target is outside the vault, the vault itself, a folder the vault leaves
    out, or a folder whose notes are indexed under their own paths."""
    target = os.path.realpath(root / rel)
    if not _inside(real_root, target):
        return (f"symbolic link to a folder outside the vault ({target}): left out (notelink reads only the "
                "vault)")
    inner = os.path.relpath(target, real_root).replace(os.sep, "/")
    if inner == ".":
        return "symbolic link to the vault's own folder: not followed (its notes are indexed where they are)"
    if ignore.ignored(inner, is_dir=True):
        return f"symbolic link to the folder {inner}/, which the vault leaves out: not followed"
    return (f"symbolic link to the folder {inner}/, whose notes are indexed under their own paths: not "
            "followed (a note counts once)")


def files_named(root: Path, want: str) -> list[str]:
    """Vault-relative paths of the files whose path or file name is `want` (casefolded), ignored ones too."""
    out = []
    for dirpath, _, filenames in os.walk(root):
        prefix = os.path.relpath(dirpath, root).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        out += [prefix + f for f in filenames if want in (f.casefold(), (prefix + f).casefold())]
    return out


def check_vault(root: Path) -> Path:
    """The vault's resolved path, or VaultError with a message for people."""
    try:
        root.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise VaultError(f"vault not found: {root} does not exist") from None
    except OSError as exc:  # a name too long for the system, a folder above it unreadable...
        raise VaultError(f"cannot open the vault {root}: {exc.strerror or exc}") from None
    if not root.is_dir():
        raise VaultError(f"not a vault: {root} is a file; give the folder that holds your notes")
    return root.resolve()


REPLACED = "decoded with replacement characters"
"""How a note's warning says its bytes were not valid UTF-8 (`read_with_replacements`)."""


def read_with_replacements(warning: str) -> bool:
    """Whether a note's warning says that it was not valid UTF-8 and was read with replacement characters:
    its words with the bad bytes (`café` written in Latin-1) are in no index."""
    return REPLACED in warning


def _decode(data: bytes) -> tuple[str | None, str]:
    """The text and a warning, or None and why the bytes are no text. After a UTF-16 byte-order mark: the
    UTF-16 text, which never has NUL characters (a binary file that began with the mark was read as `戀摡`);
    else NUL bytes near the start are binary, and the rest UTF-8 (BOM allowed), with replacement."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return None, "binary: the file is not text (not UTF-16, though it begins as UTF-16 does)"
        if "\x00" in text:
            return None, "binary: the file is not text (it contains NUL characters)"
        return text, ""
    if b"\x00" in data[:_BINARY_SNIFF]:
        return None, "binary: the file is not text (it contains NUL bytes)"
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8-sig", errors="replace")
        return text, f"invalid UTF-8 at byte {exc.start}; {REPLACED}"


def read_inside(root: Path, rel: str, max_bytes: int, digest: bool = False) -> RawNote | Skipped:
    """`read_note` for readers after indexing (snippets, mentions, the API): a note that has since become a
    symbolic link out of the vault (or under a folder that has) is not read. The indexer's listing leaves
    such links out already (`_link_reason`), so its bulk reads skip this check.

    The note is opened first, then checked: its path resolves inside the vault, to the very file open
    (device and inode). A link swapped in before the open is seen by the check, one swapped in after it
    is never followed: the open file is read. No content hash unless `digest` (`RawNote.sha256`): these
    readers want the text (a hash is ~20 us a note, and `unlinked` reads many)."""
    return _read(root, rel, max_bytes, os.path.realpath(root), digest)


def why_unread(root: Path, skipped: Skipped) -> str:
    """Why a note of the index cannot be read now, for people: deleted or moved since the index was built
    (and what to run), else the reader's reason (a link out of the vault, unreadable, now too large...)."""
    gone = not os.path.lexists(root / skipped.path)  # (the reader's word for it is the indexer's)
    why = "it was deleted or moved since the index was built (`notelink index` updates the index)"
    return f"{skipped.path} cannot be read now: {why if gone else skipped.reason}"


def _inside(real_root: str, target: str) -> bool:
    """Whether the resolved path `target` is in the resolved folder `real_root` (False on another drive)."""
    return Path(target).is_relative_to(real_root)


def read_note(root: Path, rel: str, max_bytes: int) -> RawNote | Skipped:
    """Reads one note, or says why it was skipped (too large, binary, unreadable, vanished)."""
    return _read(root, rel, max_bytes, None, True)


_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
"""O_NONBLOCK, O_NOCTTY: a named pipe or terminal swapped in after the check opens at once, without side
effects, and is then refused."""
_OPEN_TRIES = 3


class _Replaced(Exception):
    """The note's name led to another file than the one just opened (a save by rename, a swapped link)."""


def _read(root: Path, rel: str, max_bytes: int, real_root: str | None, digest: bool) -> RawNote | Skipped:
    """The one way notes are read: `read_note`, and with `real_root` (the resolved vault) `read_inside`.
    A note replaced between its open and the check is opened again (a few times)."""
    path = root / rel
    try:
        for _ in range(_OPEN_TRIES):
            with contextlib.suppress(_Replaced):
                return _read_open(path, rel, max_bytes, real_root, digest)
        return Skipped(rel, "replaced again and again while it was read (saved by rename?): not read")
    except FileNotFoundError:
        with contextlib.suppress(OSError):  # (the link itself may be gone by now)
            return Skipped(rel, f"broken symbolic link: its target {os.readlink(path)} does not exist")
        return Skipped(rel, "vanished: the file was deleted or moved")
    except IsADirectoryError:
        return Skipped(rel, "not a file: a folder is named like a note")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Skipped(rel, "symbolic link loop: the link leads back to itself")
        return Skipped(rel, f"unreadable: {exc.strerror or exc}")


def _read_open(path: Path, rel: str, max_bytes: int, real_root: str | None,
               digest: bool) -> RawNote | Skipped:
    """Checks the file the note's path leads to, opens it and checks the open file again (with `real_root`:
    it is the file inside the vault that the path resolves to), then reads it through that descriptor."""
    why = _unreadable(os.stat(path), max_bytes)  # (before the open: a named pipe or device is never opened)
    if why:
        return Skipped(rel, why)
    fd = os.open(path, _OPEN_FLAGS)
    try:
        st = os.fstat(fd)
        why = _unreadable(st, max_bytes) or (_outside(real_root, path, st) if real_root is not None else "")
        if why:
            return Skipped(rel, why)
        with open(fd, "rb", closefd=False) as fh:
            return _decoded(rel, fh.read(), st.st_mtime, digest)
    finally:
        os.close(fd)


def _outside(real_root: str, path: Path, opened: os.stat_result) -> str:
    """Why the open file is not read ("" when it may be): the note's path now resolves outside the vault.
    Raises _Replaced when it resolves inside, but to another file than the one open."""
    target = os.path.realpath(path)
    if not _inside(real_root, target):
        return f"it points outside the vault (to {target}): not read (notelink reads only the vault)"
    if not os.path.samestat(os.stat(target), opened):
        raise _Replaced()
    return ""


def not_regular(st: os.stat_result) -> str:
    """Why a file with this status is no note to read ("" when it is a regular file): a folder, or a named
    pipe, socket or device named like a note (reading a named pipe would wait for a writer forever)."""
    if stat.S_ISDIR(st.st_mode):
        return "not a file: a folder is named like a note"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file: a named pipe, socket or device is named like a note"
    return ""


class NotRegular(Exception):
    """`read_regular` found no regular file; the message says what it found (`not_regular`)."""


def read_regular(path: Path | str) -> tuple[bytes, os.stat_result]:
    """A file's bytes and status, for the writers' own reads of a note: a folder, named pipe, socket or
    device (checked before the open, and on the open file: one swapped in between opens at once, without
    waiting) raises NotRegular; other failures raise OSError."""
    why = not_regular(os.stat(path))
    if why:
        raise NotRegular(why)
    fd = os.open(path, _OPEN_FLAGS)
    try:
        st = os.fstat(fd)
        why = not_regular(st)
        if why:
            raise NotRegular(why)
        with open(fd, "rb", closefd=False) as fh:
            return fh.read(), st
    finally:
        os.close(fd)


def _unreadable(st: os.stat_result, max_bytes: int) -> str:
    """Why a file with this status is not read ("" when it is): not a regular file, or too large."""
    why = not_regular(st)
    if why:
        return why
    if st.st_size > max_bytes:
        return (f"too large: {_size(st.st_size)} is over the {_size(max_bytes)} cap (raise it with "
                "--max-file-mb)")
    return ""


def _size(n: int) -> str:
    """A byte count as people read it: MB to one decimal, smaller sizes in KB or bytes (a tiny
    --max-file-mb made it "0.0 MB is over the 0.0 MB cap")."""
    if n >= 100_000:
        return f"{n / 1e6:.1f} MB"
    return f"{n / 1e3:.1f} KB" if n >= 1000 else f"{n} bytes"


def _decoded(rel: str, data: bytes, mtime: float, digest: bool) -> RawNote | Skipped:
    """A note's bytes as text, with its content hash if `digest`; Skipped when they are binary."""
    text, warning = _decode(data)
    if text is None:
        return Skipped(rel, warning)
    if not text.strip():
        warning = warning or "empty note"
    # notelink's own block is not an edit: the hash leaves it out
    from notelink.notes.block import unmanaged_bytes  # (here: its patterns are compiled when a note is read)

    sha = hashlib.sha256(unmanaged_bytes(data)).hexdigest() if digest else ""
    return RawNote(rel, text, sha, len(data), mtime, warning)


def file_hash(path: Path) -> str | None:
    """Content hash of a file as `read_note` computes it (notelink's block left out), or None."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        from notelink.notes.block import unmanaged_bytes

        return hashlib.sha256(unmanaged_bytes(path.read_bytes())).hexdigest()
    except OSError:
        return None


def path_in_vault(root: Path, name: str) -> str:
    """`name` as a vault-relative path when it is a path to a note file inside the vault `root` (absolute,
    or from the current folder: what a shell completes or an editor passes), else `name` as it is: also a
    name no file can have (too long, `~nobody/`), which is then looked up as a name and not found.

    A path to a note (`.md`) that no file has byte for byte is read lexically (`a//b/../c.md` is `a/c.md`):
    absolute, from outside the vault or starting with `../`, the vault's folder is taken off its front,
    compared under NFC (`v5/Résumé.md` typed composed for a file stored decomposed); else it is the vault's
    own path (from a folder inside the vault, `en/x.md` means the vault's `en/x.md`)."""
    try:
        path = Path(name).expanduser()
        if path.suffix.lower() != ".md":
            return name
        if path.is_file():
            return path.resolve().relative_to(root.resolve()).as_posix()
        here = Path.cwd().is_relative_to(root.resolve())  # (the current folder is inside the vault)
        outside = path.is_absolute() or name.startswith("../") or not here
        if outside and (inside := _lexically_inside(root, path)) is not None:
            return inside
    except (ValueError, OSError, RuntimeError):  # outside the vault; too long; an unknown user's ~
        return name
    return posixpath.normpath(name)


def _lexically_inside(root: Path, path: Path) -> str | None:
    """`path` (absolute, or from the current folder) from the vault `root`, the folders that exist resolved
    and the rest read as written, compared part by part under NFC; None when it is not inside the vault."""
    parts, base = (Path(os.path.realpath(p)).parts for p in (path, root))
    if len(parts) <= len(base) or any(_nfc(a) != _nfc(b) for a, b in zip(parts, base, strict=False)):
        return None
    return "/".join(parts[len(base):])


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def on_disk(root: Path, path: str, folders: bool = True) -> str:
    """What vault path `path` is on disk, for a link that reaches no note: `FOLDER` (with `folders`), `FILE`
    (a file that is no note: `*.md` aside), else "" (nothing there, or a note's file notelink left out)."""
    full = os.path.join(root, path)
    if folders and os.path.isdir(full):
        return FOLDER
    return FILE if not path.lower().endswith(".md") and os.path.isfile(full) else ""

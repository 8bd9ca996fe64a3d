"""Writing notelink's block into notes, safely: plan every change first (read, decide, diff), then write
each note atomically, only if it still holds the bytes the plan was made from (compare-and-swap).

Safety rules: a note is written only through `--write`; bytes outside the block never change (see
`blocktext.NoteText`); a note whose text is not what the index was built from (edited since, or caught empty
in the middle of an editor's save) is refused, as is a read-only one; writes go to a temporary file in the
note's folder, are fsynced and then take the note's place only if it is still the file that was read, with
the bytes that were read, at the moment of the replace (`swap`), keeping its permissions; a symlinked note
is written through to its target when that target is inside the vault; a hard-linked note is refused,
since replacing it would split the link. Temporary files left by a run that was killed are removed by the
next one (`swap.clean_temporary`).
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import hashlib
import os
import re
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from notelink.config import ExportConfig
from notelink.notes import block
from notelink.notes.block import BlockError
from notelink.notes.blocktext import NoteText
from notelink.notes.links import dialect_of, note_link
from notelink.notes.vault import NotRegular, read_regular, scan
from notelink.query.index import Index
from notelink.write import swap

Edit = Callable[[str], str]
"""A note's text → its new text; raises BlockError to refuse the note."""


@dataclass(frozen=True)
class Change:
    """One note to rewrite: the bytes it was planned from and the bytes to write."""

    path: str
    file: Path
    before: bytes
    after: bytes
    text_before: str
    text_after: str


@dataclass(frozen=True)
class Refusal:
    """A note left alone, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Skip(Refusal):
    """A file left alone that is no note to write (a named pipe named like a note): not a problem."""


@dataclass
class Plan:
    """What a block export or undo would do to the vault."""

    changes: list[Change] = field(default_factory=list)
    current: int = 0
    """Notes already as they should be (nothing to write)."""
    refused: list[Refusal] = field(default_factory=list)
    skipped: list[Refusal] = field(default_factory=list)
    """Not a problem: e.g. a symlink to a note that is handled under its own name."""
    root: Path | None = None
    """The vault: applying the plan first removes what interrupted runs left in it."""
    found: dict[str, str] = field(default_factory=dict)
    """A link's undo: each note found moved or renamed since it was written, its path then → its path now."""


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    leftovers: list[swap.Leftover] = field(default_factory=list)
    """Temporary files of interrupted runs: removed, or kept with the reason."""


SETTLING_S = 2.0
"""An empty note saved less than this long ago may be an editor's save in progress (truncate, then write):
it is left alone."""


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _vault_path(root: Path, rel: str) -> Path:
    parts = PurePosixPath(rel).parts
    if not parts or PurePosixPath(rel).is_absolute() or ".." in parts:
        raise BlockError("its path leads outside the vault")
    return root / rel


def note_file(root: Path, rel: str) -> Path:
    """The real file behind a note: inside the vault, a symlink's target, never a hard-linked file."""
    root = root.resolve()
    real = Path(os.path.realpath(_vault_path(root, rel)))
    if not _inside(real, root):
        raise BlockError(f"it is a link to {real}, outside the vault; notelink writes only inside the vault")
    why = unwritable(real.stat())
    if why:
        raise BlockError(why)
    if not os.access(real, os.W_OK):
        raise BlockError("read-only for you: left alone")
    return real


def unwritable(st: os.stat_result) -> str:
    """Why a file with this status is not written ("" when it may be)."""
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file"
    if st.st_nlink > 1:
        return (f"it is hard-linked ({st.st_nlink} names for one file); replacing it would split the link, "
                "so notelink leaves it alone")
    if not st.st_mode & stat.S_IWUSR:
        return "read-only: left alone"
    return ""


def _settled(data: bytes, st: os.stat_result, indexed: str | None) -> str:
    """Why a note that was just read must not be written now ("" when it may be): its text is not what the
    index holds, or it is empty and was saved a moment ago."""
    if not data and time.time() - st.st_mtime < SETTLING_S:
        return "empty and saved just now (an editor may be writing it); left alone (run again in a moment)"
    if indexed is not None and _sha(block.unmanaged_bytes(data)) != indexed:
        return "edited since it was indexed; not written (run `notelink index`, then export again)"
    return ""


NOT_UTF8 = ("not UTF-8 text (Latin-1, or another older encoding?): the letters beyond ASCII that notelink "
            "would write into it, in UTF-8, would mix two encodings in one file; save it as UTF-8 first")


def plan_note(root: Path, rel: str, edit: Edit, only_with_markers: bool = False,
              indexed: str | None = None) -> Change | Refusal | None:
    """The change `edit` makes to one note, None when there is nothing to change, or a refusal. `indexed`:
    the content hash the index holds for the note, which its text must still have.

    Reading is harmless, so the checks on where a note may be written apply only to notes that change;
    a file that is not a regular one is never opened to wait on (a named pipe): a `Skip`."""
    try:
        data, st = read_regular(os.path.realpath(_vault_path(root, rel)))
        if only_with_markers and not block.may_hold_block(data):
            return None
        note = NoteText.decode(data)
        after = edit(note.text)
        if after == note.text:
            return None
        if note.mixes_encodings(after):
            return Refusal(rel, NOT_UTF8)
        why = _settled(data, st, indexed)
        if why:
            return Refusal(rel, why)
        file = note_file(root, rel)
    except BlockError as exc:
        return Refusal(rel, str(exc))
    except NotRegular as exc:
        return Skip(rel, str(exc))
    except OSError as exc:
        return _unread(root, rel, exc)
    return Change(rel, file, data, note.encode(after), note.text, after)


def _unread(root: Path, rel: str, exc: OSError) -> Refusal:
    """Why a note could not be read: a symbolic link to nothing or a loop of them is a `Skip` (no note,
    as the index skips it: it holds no block); a vanished or unreadable file is a refusal."""
    if exc.errno == errno.ELOOP:
        return Skip(rel, "symbolic link loop: the link leads back to itself")
    if isinstance(exc, FileNotFoundError):
        with contextlib.suppress(OSError):  # (the link itself may be gone by now)
            return Skip(rel, f"broken symbolic link: its target {os.readlink(root / rel)} does not exist")
        return Refusal(rel, "vanished: the file was deleted or moved (run `notelink index` again)")
    return Refusal(rel, f"unreadable: {exc.strerror or exc}")


def plan(root: Path, edits: Iterable[tuple[str, Edit]], only_with_markers: bool = False,
         indexed: dict[str, str] | None = None) -> Plan:
    """Plans every note; a file reached twice (a symlink to another note) is handled once. `indexed`: the
    content hash of each note as the index holds it (see `plan_note`)."""
    result = Plan(root=root)
    owner: dict[Path, str] = {}
    ordered = sorted(edits, key=lambda e: ((root / e[0]).is_symlink(), e[0]))
    for rel, edit in ordered:
        real = Path(os.path.realpath(root / rel))
        if real in owner:
            result.skipped.append(Refusal(rel, f"same file as {owner[real]}, handled there"))
            continue
        owner[real] = rel
        outcome = plan_note(root, rel, edit, only_with_markers, None if indexed is None else indexed.get(rel))
        if outcome is None:
            result.current += 1
        elif isinstance(outcome, Skip):
            result.skipped.append(outcome)
        elif isinstance(outcome, Refusal):
            result.refused.append(outcome)
        else:
            result.changes.append(outcome)
    result.changes.sort(key=lambda c: c.path)
    return result


def block_lines(index: Index, cfg: ExportConfig) -> dict[str, list[str]]:
    """Every indexed note's listing lines: its related notes as links in the vault's style, best first;
    none for a note with nothing to list (no related note, or none scoring `min_score` or more)."""
    from notelink.query.ranking import related_all
    from notelink.write.export import vault_link_style

    lines: dict[str, list[str]] = {}
    style = vault_link_style(index, cfg.link_style)
    for i, hits in related_all(index, cfg.top, cfg.unlinked, cfg.min_score, cfg.exclude):
        notes, path = [index.notes[j] for j, _ in hits], index.notes[i].path
        lines[path] = [f"- {note_link(n.path, n.title, style, path)}" for n in notes]
    return lines


def plan_blocks(index: Index, root: Path, cfg: ExportConfig) -> Plan:
    """Writing or refreshing the block in every indexed note. A note with nothing to list gets no block,
    and a block it had from an earlier export is taken out as `--undo` takes it out (the note as it was
    before notelink wrote into it, the user's own markers kept bare): a block saying only that there is
    nothing to list would be noise in every note a strict `--min-score` leaves with nothing. In a Logseq
    vault the block is a Logseq block (`block.render_outline`)."""
    lines = block_lines(index, cfg)
    indexed = dict(index.db.execute("SELECT path, sha256 FROM notes"))
    outline = dialect_of(index.meta).name == "logseq"
    return plan(root, ((path, _render_with(ls, outline)) for path, ls in lines.items()), indexed=indexed)


def _render_with(lines: list[str], outline: bool = False) -> Edit:
    if not lines:
        return block.remove
    draw = block.render_outline if outline else block.render
    return lambda text: draw(text, lines)


def plan_undo(root: Path) -> Plan:
    """Removing the block from every note of the vault (indexed or not)."""
    return plan(root, ((rel, block.remove) for rel in scan(root)), only_with_markers=True)


def write_change(change: Change) -> Refusal | None:
    """Puts the planned bytes in place if the note still is the file, with the bytes, it was planned from,
    at the moment of the replace (`swap`); else a refusal, the note as its user left it."""
    try:
        fd = os.open(change.file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return Refusal(change.path, "vanished: the file was deleted or moved (run `notelink index` again)")
    except OSError as exc:
        return Refusal(change.path, f"not written: {exc.strerror or exc}")
    lease, tmp = swap.Lease(fd), None
    try:
        st = os.fstat(fd)
        why = unwritable(st)
        if why:
            return Refusal(change.path, f"{why}; not written")
        lease.take()
        if swap.read_all(fd) != change.before:
            return Refusal(change.path, "changed since notelink read it; not written (run again)")
        tmp = swap.write_temp(change.file, change.after, st.st_mode)
        swap.swap(change.file, fd, swap.Identity.of(st), lease, change.before, tmp)
    except swap.Busy:
        return Refusal(change.path, "open in another program right now (an editor saving it?); not written "
                                    "(run again)")
    except swap.Moved as exc:
        return Refusal(change.path, str(exc))
    except OSError as exc:
        _drop_unused(tmp, change.after)
        return Refusal(change.path, _not_written(exc, change.file))
    finally:
        lease.release()
        os.close(fd)
    swap.fsync_dir(change.file.parent)
    return None


def _not_written(exc: OSError, file: Path) -> str:
    """Why a write failed, for people: a folder that may not be written names the folder (notelink writes
    the new note beside it, then swaps the two, so the folder must be writable, not only the note)."""
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) and exc.filename is not None \
            and Path(exc.filename).parent == file.parent and Path(exc.filename) != file:
        return (f"not written: its folder {file.parent} cannot be written ({exc.strerror}); notelink writes "
                "the new note beside the old one, then swaps them")
    return f"not written: {exc.strerror or exc}"


def _drop_unused(tmp: Path | None, data: bytes) -> None:
    """Removes our temporary file after a failure, if it still holds only the new bytes."""
    try:
        if tmp is not None and tmp.read_bytes() == data:
            tmp.unlink()
    except OSError:
        pass


def apply(plan: Plan) -> WriteReport:
    """Removes the temporary files interrupted runs left in the vault, then writes every planned change;
    refusals from planning and writing are reported together."""
    report = WriteReport(refused=list(plan.refused))
    if plan.root is not None:
        report.leftovers = swap.clean_temporary(plan.root)
    for change in plan.changes:
        refusal = write_change(change)
        if refusal is None:
            report.written.append(change.path)
        else:
            report.refused.append(refusal)
    return report


def _split(text: str) -> list[str]:
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def unified_diff(change: Change) -> str:
    """The change as a unified diff (as `git diff` shows it), printable whatever the note's encoding."""
    out: list[str] = []
    for line in difflib.unified_diff(_split(change.text_before), _split(change.text_after),
                                     diff_path(f"a/{change.path}"), diff_path(f"b/{change.path}")):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    text = re.sub("[\udc80-\udcff]", lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", "".join(out))
    return text.encode("utf-8", "backslashreplace").decode("utf-8")  # (a byte not UTF-8 shows as \xe9)


_C_QUOTED = {**{c: f"\\{c:03o}" for c in [*range(32), 127]},
             **{ord(k): v for k, v in {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v",
                                       "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}.items()}}


def diff_path(path: str) -> str:
    """A diff header's path as git writes it: C-quoted (`"a/line\\nbreak.md"`) when it holds a control
    character, `"` or `\\`, so a file name with a line break cannot split the header (git apply and GNU
    patch read it back); else as it is."""
    if not any(ord(c) < 32 or c in '\x7f"\\' for c in path):
        return path
    return '"' + path.translate(_C_QUOTED) + '"'

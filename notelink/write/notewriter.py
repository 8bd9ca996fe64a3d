"""Writing notelink's block into notes, safely: plan every change first (read, decide, diff), then write
each note atomically, only if it still holds the bytes the plan was made from (compare-and-swap).

Safety rules: a note is written only through `--write`; bytes outside the block never change (see
`block.NoteText`); writes go to a temporary file in the note's folder, are fsynced and then replace the
note with `os.replace`, keeping its permissions; a symlinked note is written through to its target when
that target is inside the vault; a hard-linked note is refused, since replacing it would split the link.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from notelink.config import ExportConfig
from notelink.notes import block
from notelink.notes.block import BlockError, NoteText
from notelink.notes.links import note_link
from notelink.notes.vault import scan
from notelink.query.index import Index

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


@dataclass
class Plan:
    """What a block export or undo would do to the vault."""

    changes: list[Change] = field(default_factory=list)
    current: int = 0
    """Notes already as they should be (nothing to write)."""
    refused: list[Refusal] = field(default_factory=list)
    skipped: list[Refusal] = field(default_factory=list)
    """Not a problem: e.g. a symlink to a note that is handled under its own name."""


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


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
    st = real.stat()
    if not stat.S_ISREG(st.st_mode):
        raise BlockError("not a regular file")
    if st.st_nlink > 1:
        raise BlockError(f"it is hard-linked ({st.st_nlink} names for one file); replacing it would split "
                         "the link, so notelink leaves it alone")
    return real


def plan_note(root: Path, rel: str, edit: Edit, only_with_markers: bool = False) -> Change | Refusal | None:
    """The change `edit` makes to one note, None when there is nothing to change, or a refusal.

    Reading is harmless, so the checks on where a note may be written apply only to notes that change."""
    try:
        data = Path(os.path.realpath(_vault_path(root, rel))).read_bytes()
        if only_with_markers and not block.may_hold_block(data):
            return None
        note = NoteText.decode(data)
        after = edit(note.text)
        if after == note.text:
            return None
        file = note_file(root, rel)
    except BlockError as exc:
        return Refusal(rel, str(exc))
    except FileNotFoundError:
        return Refusal(rel, "vanished: the file was deleted or moved (run `notelink index` again)")
    except OSError as exc:
        return Refusal(rel, f"unreadable: {exc.strerror or exc}")
    return Change(rel, file, data, note.encode(after), note.text, after)


def plan(root: Path, edits: Iterable[tuple[str, Edit]], only_with_markers: bool = False) -> Plan:
    """Plans every note; a file reached twice (a symlink to another note) is handled once."""
    result = Plan()
    owner: dict[Path, str] = {}
    ordered = sorted(edits, key=lambda e: ((root / e[0]).is_symlink(), e[0]))
    for rel, edit in ordered:
        real = Path(os.path.realpath(root / rel))
        if real in owner:
            result.skipped.append(Refusal(rel, f"same file as {owner[real]}, handled there"))
            continue
        owner[real] = rel
        outcome = plan_note(root, rel, edit, only_with_markers)
        if outcome is None:
            result.current += 1
        elif isinstance(outcome, Refusal):
            result.refused.append(outcome)
        else:
            result.changes.append(outcome)
    result.changes.sort(key=lambda c: c.path)
    return result


def block_lines(index: Index, cfg: ExportConfig) -> dict[str, list[str]]:
    """Every indexed note's listing lines: its related notes as links in the vault's style, best first."""
    from notelink.query.ranking import related_all
    from notelink.write.export import vault_link_style

    lines: dict[str, list[str]] = {}
    style = vault_link_style(index, cfg.link_style)
    for i, hits in related_all(index, cfg.top, cfg.unlinked, cfg.min_score, cfg.exclude):
        notes, path = [index.notes[j] for j, _ in hits], index.notes[i].path
        lines[path] = [f"- {note_link(n.path, n.title, style, path)}" for n in notes] or NO_RELATED
    return lines


NO_RELATED = ["- (no related notes yet)"]


def plan_blocks(index: Index, root: Path, cfg: ExportConfig) -> Plan:
    """Writing or refreshing the block in every indexed note."""
    lines = block_lines(index, cfg)
    return plan(root, ((path, _render_with(ls)) for path, ls in lines.items()))


def _render_with(lines: list[str]) -> Edit:
    return lambda text: block.render(text, lines)


def plan_undo(root: Path) -> Plan:
    """Removing the block from every note of the vault (indexed or not)."""
    return plan(root, ((rel, block.remove) for rel in scan(root)), only_with_markers=True)


def _temp_copy(file: Path, data: bytes, mode: int) -> Path:
    """`data` in a hidden temporary file next to `file`, fsynced, with `file`'s permissions."""
    fd, name = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.", suffix=".notelink-tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fchmod(out.fileno(), stat.S_IMODE(mode))
            os.fsync(out.fileno())
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_change(change: Change) -> Refusal | None:
    """Replaces the note atomically if it still holds the planned bytes; else a refusal."""
    try:
        st = change.file.stat()
        if st.st_nlink > 1:
            return Refusal(change.path, "it became hard-linked; not written")
        tmp = _temp_copy(change.file, change.after, st.st_mode)
        try:
            if _sha(change.file.read_bytes()) != _sha(change.before):
                return Refusal(change.path, "changed since notelink read it; not written (run again)")
            os.replace(tmp, change.file)
        finally:
            if tmp.exists():
                tmp.unlink()
    except OSError as exc:
        return Refusal(change.path, f"not written: {exc.strerror or exc}")
    _fsync_dir(change.file.parent)
    return None


def apply(plan: Plan) -> WriteReport:
    """Writes every planned change; refusals from planning and writing are reported together."""
    report = WriteReport(refused=list(plan.refused))
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
                                     f"a/{change.path}", f"b/{change.path}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    text = "".join(out)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")

"""Undoing the links written (`notelink link --undo`, `Vault.undo_links`): each note of a write put back,
byte for byte, from the bytes the undo journal saved (`journal.py`) before it was written, where nobody
edited it since; a note moved or renamed since is followed where its bytes prove it the one written
(`moved.py`). With the same compare-and-swap and atomic replace as every write (`notewriter.py`).
"""

from __future__ import annotations

from pathlib import Path

from notelink.notes.block import BlockError
from notelink.notes.blocktext import NoteText
from notelink.notes.vault import NotRegular, read_regular
from notelink.write import journal, moved
from notelink.write.notewriter import Change, Plan, Refusal, WriteReport, apply


def plan_undo(root: Path, index_dir: Path, every: bool = False) -> tuple[Plan, list[journal.Entry]]:
    """Putting back the notes of the last write (`every`: of all of them, newest first): a note is restored
    only if it still holds exactly what notelink wrote, or that with only notelink's block changed since
    (written, refreshed or removed: the block is then kept as it is now); one already as it was is passed
    over. A note moved or renamed since is followed where its bytes prove it the one written (`moved`),
    and said (`Plan.found`)."""
    kept = journal.entries(index_dir)
    chosen = list(reversed(kept if every else kept[-1:]))
    result, now = Plan(), dict[str, bytes]()
    for entry in chosen:
        for saved in entry.notes:
            path = result.found.get(saved.path, saved.path)  # (--all: a note found moved for a newer write)
            file = root / path
            try:
                current = now[path] if path in now else read_regular(file)[0]
            except FileNotFoundError:
                found = moved.find_moved(root, saved)
                if not isinstance(found, moved.Found):
                    result.refused.append(Refusal(saved.path, _gone(found)))
                    continue
                path, file, current = found.path, found.file, now.get(found.path, found.data)
                result.found[saved.path] = path
            except OSError as exc:
                result.refused.append(Refusal(saved.path, f"unreadable: {exc.strerror or exc}; not undone"))
                continue
            except NotRegular as exc:  # (never opened to wait on: a named pipe put in its place)
                result.refused.append(Refusal(saved.path, f"{exc}; not undone"))
                continue
            back = moved.put_back(saved, current)
            if back is None:
                result.refused.append(Refusal(path, _EDITED))
            elif back == current:
                result.current += 1
            else:
                result.changes.append(_restore(path, file, current, back))
                now[path] = back
    return result, chosen


FORGET = "notelink link VAULT --undo --forget --write"
"""What drops the newest write from the journal, for a write that cannot be undone (`forget_plan`)."""
_NOT_UNDONE = ("not undone: take the link out by hand where the note is now; to undo older links, "
               f"`{FORGET}` drops notelink's record of this write")


def _gone(holding: list[str]) -> str:
    """Why a note gone from its path is not undone: no note holds what notelink wrote, or several do."""
    if not holding:
        return ("not there any more (moved, renamed or deleted since notelink linked it) and no note in the "
                f"vault holds what notelink wrote; {_NOT_UNDONE}")
    return (f"not there any more, and {len(holding)} notes hold exactly what notelink wrote "
            f"({', '.join(holding)}), so none of them is surely the one it wrote; {_NOT_UNDONE}")


_EDITED = ("edited since notelink linked it, so putting it back would lose that edit; not undone: take the "
           f"link out by hand if you want it gone; to undo older links, `{FORGET}` drops notelink's record "
           "of this write")


def _restore(path: str, file: Path, current: bytes, back: bytes) -> Change:
    """The change back to the saved bytes (shown as text; bytes that are not text are shown escaped)."""
    text_now, text_before = (_as_text(b) for b in (current, back))
    return Change(path, file, current, back, text_now, text_before)


def _as_text(data: bytes) -> str:
    """A note's bytes as its text, as a link's diff shows it (a BOM left out, UTF-16 decoded); bytes that are
    not text as UTF-8 with the odd bytes escaped."""
    try:
        return NoteText.decode(data).text
    except BlockError:
        return data.decode("utf-8", "surrogateescape")


def forget_plan(root: Path, index_dir: Path) -> tuple[journal.Entry | None, list[Refusal]]:
    """The newest write in the journal (None: none), which `link --undo --forget` drops so that older ones
    can be undone, and why it cannot be undone itself (nothing: it could be)."""
    plan, chosen = plan_undo(root, index_dir)
    return (chosen[0] if chosen else None), plan.refused


def undo(plan: Plan, chosen: list[journal.Entry]) -> WriteReport:
    """Restores the planned notes in order; an entry whose every note is back as it was is dropped."""
    report = apply(plan)
    failed = {r.path for r in report.refused}
    for entry in chosen:
        if not failed & {s.path for s in entry.notes}:
            journal.forget(entry)
    return report

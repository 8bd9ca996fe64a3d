"""`notelink link`: one link into one note, or the last ones undone; a diff unless --write."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import TYPE_CHECKING, Any

from notelink.cli.options import named, open_vault
from notelink.cli.output import (
    EXIT_OK,
    EXIT_REFUSED,
    UserError,
    emit,
    refused_then,
    shown,
    suggest,
    with_commands,
)

if TYPE_CHECKING:
    from notelink.api import Edits, Vault
    from notelink.write.journal import Entry
    from notelink.write.notewriter import Refusal


def cmd_link(args: argparse.Namespace) -> int:
    _check_flags(args)
    vault = open_vault(args)
    if args.forget:
        return _forget(args, vault)
    others: dict[str, Any] = {}
    if args.undo:
        edits = vault.undo_links(every=args.all, write=args.write)
    elif not (args.note and args.target):
        raise UserError("give NOTE and TARGET (the note to write into, and the note to link to), or --undo")
    else:
        if args.mention is not None and args.mention < 1:
            raise UserError(f"--mention counts from 1, not {args.mention}")
        (note, said), (target, told) = (named(vault, name) for name in (args.note, args.target))
        edits = vault.link(note, target, args.mention, args.append, args.heading, write=args.write)
        others = _others(said, told)
    for path, reason in edits.refused:
        print(f"refused: {shown(path)}: {shown(reason)}", file=sys.stderr)
    emit(args, {**edits.to_dict(), **others}, lambda: _text(args, edits))
    return EXIT_REFUSED if edits.refused else EXIT_OK


def _others(*found: dict[str, Any]) -> dict[str, Any]:
    """What `--json` adds when NOTE or TARGET is a name other notes have too, as `related --json` does:
    `also_named` (the others' paths) and `warning`, both names' together."""
    said = [n for n in found if n]
    if not said:
        return {}
    return {"also_named": [p for n in said for p in n.get("also_named", [])],
            "warning": "; ".join(n["warning"] for n in said)}


def _check_flags(args: argparse.Namespace) -> None:
    """UserError for flags that do not go together: --all or --forget without --undo, --heading with
    --mention; with --undo, a NOTE, a TARGET, a new link's flags, or --forget with --all."""
    if args.all and not args.undo:
        raise UserError("--all goes with --undo")
    if args.forget and not args.undo:
        raise UserError("--forget goes with --undo: `link VAULT --undo --forget` drops the last write from "
                        "notelink's undo journal")
    if not args.undo:
        if args.heading is not None and args.mention is not None:
            raise UserError("--heading goes with --append (the heading the link is added under), not with "
                            "--mention, which wraps the mention where it is")
        return
    if args.note or args.target:
        raise UserError("--undo takes no NOTE or TARGET: it puts back what `link --write` changed last")
    given = [flag for flag, used in (("--mention", args.mention is not None), ("--append", args.append),
                                     ("--heading", args.heading is not None)) if used]
    if given:
        raise UserError(f"--undo puts back what `link --write` changed last: {', '.join(given)} "
                        "apply to a new link, not to --undo")
    if args.forget and args.all:
        raise UserError("--forget drops one write, the last one (what --undo would put back first); leave "
                        "out --all")


def _text(args: argparse.Namespace, edits: Edits) -> str:
    return "".join(f"{shown(then)} is now {shown(now)} (moved or renamed since notelink wrote it; it holds "
                   "what notelink wrote)\n" for then, now in edits.found) + _summary(args, edits)


def _summary(args: argparse.Namespace, edits: Edits) -> str:
    diff, written = edits.diff, edits.written
    if not args.write:
        verb = "put back" if args.undo else "change"
        n = diff.count("\n+++ ") + diff.startswith("+++ ")
        return diff + (f"Dry run: would {verb} {n} note(s). Nothing was written; add --write to apply."
                       f"{refused_then(edits.refused)}")
    if not written:
        why = " (refused: see above)" if edits.refused else " (nothing to undo)" if args.undo else ""
        return f"{'Put back' if args.undo else 'Linked in'} no note{why}."
    verb = "Put back" if args.undo else "Linked in"
    return f"{verb} {len(written)} note(s): {', '.join(shown(p) for p in written)}" + (
        f"; `{suggest(args, 'link', '--undo', '--write')}` puts them back." if not args.undo else "")


def _forget(args: argparse.Namespace, vault: Vault) -> int:
    """`--undo --forget`: says what the last write in the undo journal is and why it cannot be undone, and
    with --write drops it from the journal, so that `--undo` goes on to the writes before it. No note is
    changed: the link stays where it is."""
    from notelink.write import journal, undo

    entry, refused = undo.forget_plan(vault.path, vault.index_dir)
    refused = [dataclasses.replace(r, reason=with_commands(args, r.reason)) for r in refused]  # (as typed)
    if entry is not None and args.write:
        journal.forget(entry)
    data = {"entry": None if entry is None else {
                "number": entry.number, "written_at": entry.written_at, "command": entry.command,
                "notes": [s.path for s in entry.notes]},
            "forgotten": entry is not None and args.write,
            "refused": [{"path": r.path, "reason": r.reason} for r in refused]}
    emit(args, data, lambda: _forget_text(args, entry, refused))
    return EXIT_OK


def _forget_text(args: argparse.Namespace, entry: Entry | None, refused: list[Refusal]) -> str:
    if entry is None:
        return "Nothing to forget: notelink's undo journal holds no write."
    when = f", {entry.written_at}" if entry.written_at else ""
    what = (f"notelink's record of its last write (#{entry.number}{when}: "
            f"{', '.join(shown(s.path) for s in entry.notes)})")
    why = "It cannot be undone:" + "".join(f"\n  {shown(r.path)}: {shown(r.reason)}" for r in refused) \
        if refused else "It could still be undone (`link --undo --write` puts it back)."
    if not args.write:
        return (f"Would forget {what}. {why}\nThe notes stay as they are now, the link included; `link "
                "--undo` would then put back the write before it, if any. Add --write to forget it.")
    return (f"Forgot {what}; the notes stay as they are now. `link --undo` goes on to the write before it, "
            "if any.")

"""`notelink link`: one link into one note, or the last ones undone; a diff unless --write."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from notelink.cli.options import open_vault
from notelink.cli.output import EXIT_OK, EXIT_REFUSED, UserError, emit, shown

if TYPE_CHECKING:
    from notelink.api import Edits


def cmd_link(args: argparse.Namespace) -> int:
    if args.all and not args.undo:
        raise UserError("--all goes with --undo")
    vault = open_vault(args)
    if args.undo:
        if args.note or args.target:
            raise UserError("--undo takes no NOTE or TARGET: it puts back what `link --write` changed last")
        given = [flag for flag, used in (("--mention", args.mention is not None), ("--append", args.append),
                                         ("--heading", args.heading is not None)) if used]
        if given:
            raise UserError(f"--undo puts back what `link --write` changed last: {', '.join(given)} "
                            "apply to a new link, not to --undo")
        edits = vault.undo_links(every=args.all, write=args.write)
    elif not (args.note and args.target):
        raise UserError("give NOTE and TARGET (the note to write into, and the note to link to), or --undo")
    else:
        if args.mention is not None and args.mention < 1:
            raise UserError(f"--mention counts from 1, not {args.mention}")
        heading = {} if args.heading is None else {"heading": args.heading}  # (else the API's default)
        edits = vault.link(args.note, args.target, args.mention, args.append, write=args.write, **heading)
    for path, reason in edits.refused:
        print(f"refused: {shown(path)}: {shown(reason)}", file=sys.stderr)
    emit(args, edits.to_dict(), lambda: _text(args, edits))
    return EXIT_REFUSED if edits.refused else EXIT_OK


def _text(args: argparse.Namespace, edits: Edits) -> str:
    diff, written = edits.diff, edits.written
    if not args.write:
        verb = "put back" if args.undo else "change"
        n = diff.count("\n+++ ") + diff.startswith("+++ ")
        return diff + f"Dry run: would {verb} {n} note(s). Nothing was written; add --write to apply."
    if not written:
        why = " (refused: see above)" if edits.refused else " (nothing to undo)" if args.undo else ""
        return f"{'Put back' if args.undo else 'Linked in'} no note{why}."
    verb = "Put back" if args.undo else "Linked in"
    return f"{verb} {len(written)} note(s): {', '.join(shown(p) for p in written)}" + (
        "; `notelink link --undo VAULT --write` puts them back." if not args.undo else "")

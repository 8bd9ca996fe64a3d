"""The query commands: related notes, concepts, similar words."""

from __future__ import annotations

import argparse

from notelink.cli.options import find_note, open_vault
from notelink.cli.output import EXIT_OK, emit, shown


def cmd_related(args: argparse.Namespace) -> int:
    vault = open_vault(args)
    note = find_note(vault, args)
    hits = vault.related(note.path, args.top, unlinked=args.unlinked)
    data = {"note": note.path, "related": [h.__dict__ for h in hits]}
    lines = [f"Related to {shown(note.title)} ({shown(note.path)}):"]
    lines += [f"  {h.score:6.3f}  {shown(h.title)} ({shown(h.path)}){'  [linked]' if h.linked else ''}"
              for h in hits]
    emit(args, data, lambda: "\n".join(lines if hits else [*lines, "  (no related notes)"]))
    return EXIT_OK


def cmd_concepts(args: argparse.Namespace) -> int:
    vault = open_vault(args)
    note = find_note(vault, args)
    hits = vault.concepts(note.path, args.top)
    data = {"note": note.path, "concepts": [h.__dict__ for h in hits]}
    lines = [f"Concepts of {shown(note.title)} ({shown(note.path)}):"]
    lines += [f"  {h.score:6.3f}  {h.word}" for h in hits]
    emit(args, data, lambda: "\n".join(lines if hits else [*lines, "  (none: the note has no words the "
                                                                       "index learned)"]))
    return EXIT_OK


def cmd_similar(args: argparse.Namespace) -> int:
    hits = open_vault(args).similar(args.word, args.top)
    data = {"word": args.word.lower(), "similar": [h.__dict__ for h in hits]}
    lines = [f"Words similar to {args.word.lower()}:"] + [f"  {h.score:6.3f}  {h.word}" for h in hits]
    emit(args, data, lambda: "\n".join(lines))
    return EXIT_OK



"""From command-line arguments to what the commands work on: configs, the index folder, the index, a note."""

from __future__ import annotations

import argparse
import shlex
import sys
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING

from notelink.cli.output import UserError, shown
from notelink.config import IndexConfig, TrainConfig, default_index_dir
from notelink.errors import IndexMissing
from notelink.notes.vault import check_vault

if TYPE_CHECKING:  # imported where used: `notelink watch` then never loads scipy (the index's vectors)
    from notelink.query.index import Index, NoteInfo


def index_dir(args: argparse.Namespace) -> Path:
    return Path(args.index_dir).expanduser() if args.index_dir else default_index_dir(Path(args.vault))


def open_index(args: argparse.Namespace) -> Index:
    vault = check_vault(Path(args.vault))
    try:
        from notelink.query.index import Index

        return Index.open(index_dir(args))
    except IndexMissing:
        where = f" --index-dir {shlex.quote(args.index_dir)}" if args.index_dir else ""
        raise UserError(f"{vault} has no index yet: run `notelink index {shlex.quote(args.vault)}{where}` "
                        "first") from None


def train_config(args: argparse.Namespace) -> TrainConfig:
    values = {f.name: getattr(args, f.name) for f in fields(TrainConfig)
              if getattr(args, f.name, None) is not None}
    try:
        return TrainConfig(**values)
    except ValueError as exc:
        raise UserError(str(exc)) from None


def index_config(args: argparse.Namespace) -> IndexConfig:
    if not args.max_file_mb > 0:  # (NaN too)
        raise UserError(f"--max-file-mb must be above 0, not {args.max_file_mb}")
    size = min(args.max_file_mb * 1e6, float(sys.maxsize))  # inf: no limit
    return IndexConfig(keep_stopwords=args.keep_stopwords, max_file_bytes=max(1, int(size)))


def find_note(index: Index, args: argparse.Namespace) -> NoteInfo:
    """The note `args.note` names: a vault-relative path, file name or title, or a path to the file itself
    (absolute, or relative to the current folder: what a shell completes). When other notes have the same
    name, says so on stderr, since the one picked may not be the one meant."""
    query = in_vault(Path(args.vault), args.note)
    note = index.find_note(query)
    a_path = query != args.note or "/" in args.note  # a path names one note (./x too)
    if not a_path and (others := index.also_named(query, note)):
        print(f"notelink: '{shown(args.note)}' also names {shown(', '.join(others[:5]))}"
              f"{', ...' if len(others) > 5 else ''}; showing {shown(note.path)} (give a path to choose)",
              file=sys.stderr)
    return note


def in_vault(vault: Path, query: str) -> str:
    """`query` as a vault-relative path when it is a path to a note file inside the vault, else as given."""
    path = Path(query).expanduser()
    if path.suffix.lower() != ".md" or not path.is_file():
        return query
    try:
        return path.resolve().relative_to(vault.resolve()).as_posix()
    except (ValueError, OSError):
        return query



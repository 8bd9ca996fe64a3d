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
    from notelink.api import Vault
    from notelink.query.index import Index, NoteInfo


def index_dir(args: argparse.Namespace) -> Path:
    return Path(args.index_dir).expanduser() if args.index_dir else default_index_dir(Path(args.vault))


def open_vault(args: argparse.Namespace) -> Vault:
    """The vault and its index, as the Python API has them (one query path for every face)."""
    from notelink.api import Vault

    try:
        return Vault(Path(args.vault), index_dir(args))
    except IndexMissing:
        where = f" --index-dir {shlex.quote(args.index_dir)}" if args.index_dir else ""
        raise UserError(f"{check_vault(Path(args.vault))} has no index yet: run "
                        f"`notelink index {shlex.quote(args.vault)}{where}` first") from None


def open_index(args: argparse.Namespace) -> Index:
    return open_vault(args).index


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


def find_note(vault: Vault, args: argparse.Namespace) -> NoteInfo:
    """The note `args.note` names (`Vault.find`). When other notes have the same name, says so on stderr,
    since the one picked may not be the one meant."""
    note = vault.find(args.note)
    if others := vault.also_named(args.note, note):
        print(f"notelink: '{shown(args.note)}' also names {shown(', '.join(others[:5]))}"
              f"{', ...' if len(others) > 5 else ''}; showing {shown(note.path)} (give a path to choose)",
              file=sys.stderr)
    return note

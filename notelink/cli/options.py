"""From command-line arguments to what the commands work on: configs (flag > config file > default), the
vault (a path or a name from the config file), the index folder, the index, a note."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notelink import arguments
from notelink.cli.output import UserError, shown
from notelink.config import RUN_SETTINGS, DialectConfig, IndexConfig, TrainConfig
from notelink.configfile import SETTINGS, UserConfig
from notelink.errors import ArgumentError, IndexMissing
from notelink.notes.ignore import check_patterns
from notelink.notes.vault import check_vault

if TYPE_CHECKING:  # imported where used: `notelink watch` then never loads scipy (the index's vectors)
    from notelink.api import Vault
    from notelink.query.answers import NoteInfo
    from notelink.query.index import Index


def at_least_one(flag: str, value: int | None) -> None:
    """A count option (`--top`, `--limit`) given as 0 or less is an error, not an empty answer."""
    if value is not None and value < 1:
        raise UserError(f"{flag} must be at least 1, not {value}")


def min_score(args: argparse.Namespace) -> float | None:
    """`--min-score` (`related`, `export`): None, or a number of at most 1, else a usage error; checked by
    the rule the API and the MCP tools check (`arguments.min_score`), said with the flag's name."""
    try:
        return arguments.min_score(args.min_score, "--min-score")
    except ArgumentError as exc:
        raise UserError(str(exc)) from None


def apply_config(args: argparse.Namespace, config: UserConfig | None = None) -> UserConfig:
    """Fills in every flag the user did not give from the config file, else its built-in default, and
    turns a vault name from the config file's `[vaults]` into its folder. Records where each value came
    from in `args.sources` (`notelink config` shows them)."""
    config = config or UserConfig.load()
    sources: dict[str, str] = {}
    for s in SETTINGS:
        if args.command not in s.commands or not hasattr(args, s.dest):
            continue
        if getattr(args, s.dest) is not None:
            sources[s.name] = "flag"
        elif s.name == "index.exclude" and s.name not in config.values:
            sources[s.name] = "saved with the index"  # (None: the build keeps the index's list)
        elif s.name == "index.dialect" and config.values.get(s.name, "auto") == "auto":
            sources[s.name] = "named for the index, else auto"  # (None: the build keeps the index's)
        elif s.kept and s.name not in config.values:  # (None: `TrainConfig.chosen`, `previous.settled`)
            sources[s.name] = "kept with the index, else default"
        else:
            value, sources[s.name] = config.value(s)
            setattr(args, s.dest, list(value) if isinstance(value, list) else value)
    if getattr(args, "vault", None) is not None:
        args.vault = config.vault(args.vault)
    args.config, args.sources = config, sources
    return config


def index_dir(args: argparse.Namespace) -> Path:
    """--index-dir, else $NOTELINK_INDEX_DIR, else the config file's `index_root`, else the default."""
    if args.index_dir:
        return Path(args.index_dir).expanduser()
    return _user_config(args).index_dir(Path(args.vault))


def _user_config(args: argparse.Namespace) -> UserConfig:
    """The config file `apply_config` read, else none (commands called without it, in tests)."""
    config = getattr(args, "config", None)
    return config if isinstance(config, UserConfig) else UserConfig(Path())


def open_vault(args: argparse.Namespace) -> Vault:
    """The vault and its index, as the Python API has them (one query path for every face)."""
    from notelink.api import Vault

    try:
        return Vault(args.vault, index_dir(args))  # (the vault as typed: the commands it suggests name it so)
    except IndexMissing:
        raise no_index(args) from None


def no_index(args: argparse.Namespace) -> UserError:
    """The error for a vault with no index yet, with the command that builds the one asked for; for a
    folder inside an indexed vault (the usual index folders only), the command that asks that vault."""
    from notelink.noindex import building, indexed_above, parse_kept
    from notelink.noindex import no_index as saying

    vault = check_vault(Path(args.vault))
    given = Path(args.index_dir).expanduser() if args.index_dir else None
    above = None if given else indexed_above(vault, _user_config(args))
    rest = " …" if any(getattr(args, more, None) for more in ("note", "word", "query")) else ""
    folder = index_dir(args)
    kept, now = parse_kept(folder), building(folder)
    return UserError(saying(vault, given, args.vault, above, (args.command, rest), kept, now, folder))


def open_index(args: argparse.Namespace) -> Index:
    return open_vault(args).index


def train_config(args: argparse.Namespace) -> TrainConfig:
    """The training settings given by flag or config file; the model settings among them are `chosen`, the
    others left to the index's last build (`index.previous.settled_training`), else the defaults."""
    values = {f.name: getattr(args, f.name) for f in fields(TrainConfig)
              if f.name != "chosen" and getattr(args, f.name, None) is not None}
    if "threads" in values:
        values["threads"] = capped_threads(values["threads"])
    try:
        return TrainConfig(**values, chosen=tuple(sorted(set(values) - set(RUN_SETTINGS))))
    except ValueError as exc:
        raise UserError(str(exc)) from None


def capped_threads(threads: int) -> int:
    """`--threads` (or `[train] threads`) above the machine's cores is capped to them, with a note on
    stderr: more workers than cores only take turns (999 forked workers trained 4x slower on 2 cores).
    Below 0 is left for `TrainConfig` to refuse; 0 means all cores."""
    cores = os.cpu_count() or 1
    if threads > cores:
        print(f"notelink: note: threads {threads} (--threads or the config file's [train]) is more than the "
              f"{cores} cores here; training with {cores}", file=sys.stderr)
        return cores
    return threads


def index_config(args: argparse.Namespace) -> IndexConfig:
    keep_stopwords, max_file_bytes = kept_reading(args)
    given = getattr(args, "dialect", None)  # None: the one named for the index's last build, else auto
    try:
        dialect = DialectConfig(given or "auto")
    except ValueError as exc:
        raise UserError(str(exc)) from None
    return IndexConfig(keep_stopwords=keep_stopwords, max_file_bytes=max_file_bytes,
                       exclude=exclude_patterns(args), dialect=dialect, keep_dialect=given != "auto")


def kept_reading(args: argparse.Namespace) -> tuple[bool | None, int | None]:
    """`--keep-stopwords` and `--max-file-mb` (in bytes) as given by flag or config file; None where not
    given: each build then keeps what the index's last build had (`index.previous.settled`), as for
    `--exclude` (a plain build dropped the notes a larger cap had let in)."""
    keep, max_mb = args.keep_stopwords, args.max_file_mb
    return None if keep is None else bool(keep), None if max_mb is None else _size_cap(max_mb)


def _size_cap(max_mb: float) -> int:
    """`--max-file-mb` in bytes (infinity: no cap); 0 or less is a usage error."""
    if not max_mb > 0:  # (NaN too)
        raise UserError(f"--max-file-mb must be above 0, not {max_mb}")
    return max(1, int(min(max_mb * 1e6, float(sys.maxsize))))


def exclude_patterns(args: argparse.Namespace) -> tuple[str, ...] | None:
    """The exclude patterns given (`--exclude ''` gives none, clearing the saved list), or None: the list
    saved with the index. One that is no gitignore pattern is an error naming it and where it was given,
    before any work."""
    given = getattr(args, "exclude", None)
    if given is None:
        return None
    patterns = tuple(p for p in given if p.strip())
    source = getattr(args, "sources", {}).get("index.exclude", "flag")
    config, where = getattr(args, "config", None), "--exclude"
    if isinstance(config, UserConfig) and source.startswith("config file"):
        where = f"[index] exclude in {config.path}"
    check_patterns(patterns, where)
    return patterns


def find_note(vault: Vault, args: argparse.Namespace) -> tuple[NoteInfo, dict[str, Any]]:
    """The note `args.note` names, and what `--json` adds when other notes have the same name too
    (`Vault.named`: `also_named`, `warning`); the warning is said on stderr too, since the one picked may
    not be the one meant."""
    return named(vault, args.note)


def named(vault: Vault, name: str) -> tuple[NoteInfo, dict[str, Any]]:
    """`find_note` for a note named `name`."""
    note, others = vault.named(name)
    if others:
        print(f"notelink: {shown(others['warning'])}", file=sys.stderr)
    return note, others

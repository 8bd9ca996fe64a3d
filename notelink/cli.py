"""The `notelink` command line. Flags map one to one onto TrainConfig and IndexConfig fields."""

from __future__ import annotations

import argparse
import json
import logging
import os
import shlex
import sys
from collections.abc import Callable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from notelink.arguments import build_parser, default_to_tui
from notelink.cbow import Cancelled, DeviceError
from notelink.config import ExportConfig, IndexConfig, TrainConfig
from notelink.lock import IndexDirError
from notelink.outfile import OutputError, output_file
from notelink.store import IndexFormatError, IndexMissing, default_index_dir
from notelink.vault import VaultError, check_vault

if TYPE_CHECKING:  # imported where used: `notelink watch` then never loads scipy (the index's vectors)
    from notelink.index import Index, NoteInfo

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE = 0, 1, 2
EXIT_REFUSED = 3
"""`export --format block --write`: some notes were refused (each is reported with its reason)."""


class UserError(Exception):
    """A problem the user can fix; `code` is the exit status."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def _index_dir(args: argparse.Namespace) -> Path:
    return Path(args.index_dir).expanduser() if args.index_dir else default_index_dir(Path(args.vault))


def _open_index(args: argparse.Namespace) -> Index:
    vault = check_vault(Path(args.vault))
    try:
        from notelink.index import Index

        return Index.open(_index_dir(args))
    except IndexMissing:
        where = f" --index-dir {shlex.quote(args.index_dir)}" if args.index_dir else ""
        raise UserError(f"{vault} has no index yet: run `notelink index {shlex.quote(args.vault)}{where}` "
                        "first") from None


_VISIBLE = {c: repr(chr(c))[1:-1] for c in [*range(32), 127]}


def _shown(name: str) -> str:
    """A note's name or path for a line of text output: control characters escaped (`\\n`), as `ls` does,
    so that a file name with a newline cannot break the line apart."""
    return name.translate(_VISIBLE)


def _print(args: argparse.Namespace, data: dict[str, Any], text: Callable[[], str]) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2) if args.json else text())


def _train_config(args: argparse.Namespace) -> TrainConfig:
    values = {f.name: getattr(args, f.name) for f in fields(TrainConfig)
              if getattr(args, f.name, None) is not None}
    try:
        return TrainConfig(**values)
    except ValueError as exc:
        raise UserError(str(exc)) from None


def _index_config(args: argparse.Namespace) -> IndexConfig:
    if not args.max_file_mb > 0:  # (NaN too)
        raise UserError(f"--max-file-mb must be above 0, not {args.max_file_mb}")
    size = min(args.max_file_mb * 1e6, float(sys.maxsize))  # inf: no limit
    return IndexConfig(keep_stopwords=args.keep_stopwords, max_file_bytes=max(1, int(size)))


def cmd_index(args: argparse.Namespace) -> int:
    from notelink.indexer import build_index
    from notelink.progress import ProgressBar

    index_cfg = _index_config(args)
    bar = ProgressBar(enabled=not args.json)
    try:
        s = build_index(Path(args.vault), _index_dir(args), _train_config(args), index_cfg, bar,
                        force=args.force)
    finally:
        bar.close()
    keys = ("notes", "indexed", "skipped", "tokens", "vocab", "epochs", "device", "parse_seconds",
            "train_seconds", "total_seconds", "words_per_second")
    data = {k: getattr(s, k) for k in keys} | {"reparsed": s.reparsed, "reused": s.reused,
                                              "generation": s.generation, "up_to_date": s.up_to_date,
                                              "warnings": s.warnings}
    _print(args, data, lambda: _index_text(s))
    return EXIT_OK


def _index_text(s: Any) -> str:
    if s.up_to_date:
        head = f"Index is up to date: {s.indexed} notes, generation {s.generation} (nothing changed)."
    else:
        head = (f"Indexed {s.indexed} notes ({s.reparsed} parsed, {s.reused} unchanged), "
                f"{s.skipped} skipped. Generation {s.generation}.\n"
                f"Trained CBOW on {s.tokens:,} words x {s.epochs} epochs, vocabulary {s.vocab:,}, "
                f"on {s.device} at {s.words_per_second:,.0f} words/s.\n"
                f"Time: parse {s.parse_seconds:.1f}s, train {s.train_seconds:.1f}s, "
                f"total {s.total_seconds:.1f}s.")
    tail = "".join(f"\nnote: {w}" for w in s.warnings)
    if s.skipped:
        tail += "\nSee skipped files and reasons with `notelink status VAULT`."
    return head + tail


def _find_note(index: Index, args: argparse.Namespace) -> NoteInfo:
    """The note `args.note` names: a vault-relative path, file name or title, or a path to the file itself
    (absolute, or relative to the current folder: what a shell completes). When other notes have the same
    name, says so on stderr, since the one picked may not be the one meant."""
    query = _in_vault(Path(args.vault), args.note)
    note = index.find_note(query)
    a_path = query != args.note or "/" in args.note  # a path names one note (./x too)
    if not a_path and (others := index.also_named(query, note)):
        print(f"notelink: '{_shown(args.note)}' also names {_shown(', '.join(others[:5]))}"
              f"{', ...' if len(others) > 5 else ''}; showing {_shown(note.path)} (give a path to choose)",
              file=sys.stderr)
    return note


def _in_vault(vault: Path, query: str) -> str:
    """`query` as a vault-relative path when it is a path to a note file inside the vault, else as given."""
    path = Path(query).expanduser()
    if path.suffix.lower() != ".md" or not path.is_file():
        return query
    try:
        return path.resolve().relative_to(vault.resolve()).as_posix()
    except (ValueError, OSError):
        return query


def cmd_related(args: argparse.Namespace) -> int:
    index = _open_index(args)
    note = _find_note(index, args)
    hits = index.related(note, args.top, unlinked=args.unlinked)
    data = {"note": note.path, "related": [h.__dict__ for h in hits]}
    lines = [f"Related to {_shown(note.title)} ({_shown(note.path)}):"]
    lines += [f"  {h.score:6.3f}  {_shown(h.title)} ({_shown(h.path)}){'  [linked]' if h.linked else ''}"
              for h in hits]
    _print(args, data, lambda: "\n".join(lines if hits else [*lines, "  (no related notes)"]))
    return EXIT_OK


def cmd_concepts(args: argparse.Namespace) -> int:
    index = _open_index(args)
    note = _find_note(index, args)
    hits = index.concepts(note, args.top)
    data = {"note": note.path, "concepts": [h.__dict__ for h in hits]}
    lines = [f"Concepts of {_shown(note.title)} ({_shown(note.path)}):"]
    lines += [f"  {h.score:6.3f}  {h.word}" for h in hits]
    _print(args, data, lambda: "\n".join(lines if hits else [*lines, "  (none: the note has no words the "
                                                                       "index learned)"]))
    return EXIT_OK


def cmd_similar(args: argparse.Namespace) -> int:
    from notelink.index import RELIABLE_COUNT

    index = _open_index(args)
    found = index.similar_words(args.word, args.top)
    data = {"word": found.word, "count": found.count, "reliable": found.reliable, "language": found.language,
            "similar": [h.__dict__ for h in found.similar]}
    where = f" ({found.language} words)" if found.language else ""
    lines = [f"Words similar to {found.word}, seen {found.count} times{where}:"]
    lines += [f"  {h.score:6.3f}  {h.word}  ({h.count})" for h in found.similar]
    if not found.reliable:
        lines.append(f"  (too rare to say: similar words are reliable from {RELIABLE_COUNT} occurrences on)")
    _print(args, data, lambda: "\n".join(lines))
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from notelink.watchstatus import file_states, watcher_status

    index = _open_index(args)
    m = index.meta
    data = {"generation": m.get("generation"), "notes": m.get("summary", {}).get("notes"),
            "indexed": len(index.notes), "skipped": index.skipped(), "vocab": len(index.words),
            "trained_at": m.get("trained_at"), "device": m.get("device"), "index_dir": str(index.gen.parent),
            "model": index.model_info(), "warnings": m.get("warnings", []), "languages": index.languages(),
            "watcher": watcher_status(index.gen.parent)}
    if args.files:
        data["files"] = file_states(index.files(), index.gen.parent)
    _print(args, data, lambda: _status_text(data))
    return EXIT_OK


def _status_text(d: dict[str, Any]) -> str:
    lines = [f"Generation {d['generation']} at {d['index_dir']}",
             f"{d['indexed']} notes indexed, {len(d['skipped'])} skipped, vocabulary {d['vocab']:,}",
             f"Trained {d['trained_at']} on {d['device']}"]
    if len(d["languages"]) > 1:
        lines.append("Languages (each note's stop words dropped): "
                     + ", ".join(f"{lang or 'kept'} {n:,}" for lang, n in d["languages"].items()))
    lines += [f"note: {w}" for w in d["warnings"]]
    lines += [f"skipped: {_shown(s['path'])}: {_shown(s['reason'])}" for s in d["skipped"]]
    w = d["watcher"]
    lines.append(f"Watcher: running (pid {w['pid']}, {w['state']}, {w['mode']})" if w["running"]
                 else "Watcher: not running")
    lines += [f"  last {what}: {w[key]}" for what, key in (("event", "last_event"),
              ("generation", "last_generation_at")) if w[key]]
    lines += [f"{f['status']:>8}  {_shown(f['path'])}" + (f"  ({_shown(f['reason'])})" if f["reason"] else "")
              for f in d.get("files", [])]
    return "\n".join(lines)


def cmd_export(args: argparse.Namespace) -> int:
    if (args.write or args.undo) and args.format != "block":
        raise UserError("--write and --undo go with --format block (the block inside notes)")
    if args.top < 1:
        raise UserError(f"--top must be at least 1, not {args.top}")
    if args.format == "block":
        return _export_block(args)
    index = _open_index(args)
    if args.format == "word2vec" and not args.output:
        raise UserError("--format word2vec needs -o FILE")
    if args.output:
        _warn_inside_vault(args)
        with output_file(args.output) as out:
            _export(index, args, out)
    else:
        _export(index, args, sys.stdout)
    return EXIT_OK


def _warn_inside_vault(args: argparse.Namespace) -> None:
    """A Markdown export saved in the vault becomes a note: its links would count as the user's own."""
    out, vault = Path(args.output).expanduser().resolve(), Path(args.vault).resolve()
    if args.format == "markdown" and out.is_relative_to(vault):
        print(f"notelink: note: {args.output} is inside the vault, so it will be indexed as a note and its "
              "links counted as yours; keep it outside the vault", file=sys.stderr)


def _export_config(args: argparse.Namespace) -> ExportConfig:
    return ExportConfig(top=args.top, min_score=args.min_score, unlinked=args.unlinked)


def _export(index: Index, args: argparse.Namespace, out: TextIO) -> None:
    from notelink import export

    cfg = _export_config(args)
    if args.format == "word2vec":
        export.export_word2vec(index, out)
    elif args.format == "csv":
        export.export_csv(index, out, cfg)
    elif args.format == "graphml":
        export.export_graphml(index, out, cfg)
    elif args.format == "markdown":
        export.export_markdown(index, out, cfg)
    else:
        data = export.export_json(index, cfg.top, unlinked=cfg.unlinked, min_score=cfg.min_score)
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _export_block(args: argparse.Namespace) -> int:
    """`--format block`: a diff of the blocks (dry run), or `--write` them, or `--undo` them."""
    from notelink import notewriter

    vault = check_vault(Path(args.vault))
    if args.undo:
        plan = notewriter.plan_undo(vault)
    else:
        index = _open_index(args)
        if index.meta.get("vault") not in (None, str(vault)):
            raise UserError(f"the index at {index.gen.parent} was built from {index.meta['vault']}, not "
                            f"{vault}; give that vault or its own --index-dir")
        plan = notewriter.plan_blocks(index, vault, _export_config(args))
    for r in plan.refused:
        print(f"refused: {r.path}: {r.reason}", file=sys.stderr)
    if not args.write:
        _write_text(args.output, "".join(notewriter.unified_diff(c) for c in plan.changes))
        verb = "remove the block from" if args.undo else "write"
        print(f"Dry run: would {verb} {len(plan.changes)} notes ({plan.current} unchanged, "
              f"{len(plan.refused)} refused). Nothing was written; add --write to apply.", file=sys.stderr)
        return EXIT_OK
    report = notewriter.apply(plan)
    for r in report.refused[len(plan.refused):]:
        print(f"refused: {r.path}: {r.reason}", file=sys.stderr)
    print(f"{'Removed the block from' if args.undo else 'Wrote'} {len(report.written)} notes "
          f"({plan.current} already current, {len(report.refused)} refused).")
    return EXIT_REFUSED if report.refused else EXIT_OK


def _write_text(path: str | None, text: str) -> None:
    if path:
        with output_file(path, newline="") as out:
            out.write(text)
    else:
        sys.stdout.write(text)


def cmd_tui(args: argparse.Namespace) -> int:
    from notelink.tui import run  # textual is imported only here, so query commands stay fast

    vault = check_vault(Path(args.vault))
    return run(vault, Path(args.index_dir).expanduser() if args.index_dir else None, not args.no_watch)


def cmd_watch(args: argparse.Namespace) -> int:
    from notelink.config import WatchConfig
    from notelink.watcher import VaultWatcher, WatcherRunning

    try:
        cfg = WatchConfig(quiet_ms=args.quiet_ms, max_wait_ms=args.max_wait_ms, exclude=tuple(args.exclude))
    except ValueError as exc:
        raise UserError(str(exc)) from None
    handlers = _watch_logging(args.log_file)
    try:
        watcher = VaultWatcher(Path(args.vault), _index_dir(args), _train_config(args), _index_config(args),
                               watch_cfg=cfg)
        watcher.force_first = args.force
        watcher.run_forever()
    except WatcherRunning as exc:
        raise UserError(str(exc)) from None
    finally:  # called in-process (tests), the handlers must not outlive the command
        for h in handlers:
            logging.getLogger("notelink").removeHandler(h)
            h.close()
    return EXIT_OK


def _watch_logging(log_file: str | None) -> list[logging.Handler]:
    """The watcher logs to stderr, and to `--log-file` too when given; returns the handlers added."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file:
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    logger = logging.getLogger("notelink")
    for h in handlers:
        h.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S"))
        logger.addHandler(h)
    logger.setLevel(logging.INFO)
    return handlers


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "index": cmd_index, "related": cmd_related, "concepts": cmd_concepts, "similar": cmd_similar,
    "status": cmd_status, "tui": cmd_tui, "watch": cmd_watch, "export": cmd_export}
"""What each subcommand of `arguments.build_parser` runs."""


def _failed(args: argparse.Namespace, message: str, code: int, suggestions: list[str] | None = None) -> int:
    """Says what went wrong on stderr (names in it escaped, as in all text output); with --json, also as
    JSON on stdout, for scripts that parse it."""
    print(f"notelink: {_shown(message)}", file=sys.stderr)
    if getattr(args, "json", False):
        print(json.dumps({"error": message, "exit_code": code, "suggestions": suggestions or []},
                         ensure_ascii=False, indent=2))
    return code


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(default_to_tui(list(sys.argv[1:] if argv is None else argv), parser))
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(COMMANDS[args.command](args))
    except LookupError as exc:  # `index.NotFound`, imported only with the index module
        from notelink.index import NotFound

        if not isinstance(exc, NotFound):
            raise
        return _failed(args, str(exc), EXIT_NOT_FOUND, exc.suggestions)
    except (UserError, VaultError, IndexFormatError, DeviceError, IndexDirError, OutputError) as exc:
        return _failed(args, str(exc), getattr(exc, "code", EXIT_USAGE))
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except (KeyboardInterrupt, Cancelled):
        print("notelink: interrupted; the previous index is unchanged", file=sys.stderr)
        return 130

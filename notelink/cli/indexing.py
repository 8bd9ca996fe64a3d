"""Building and watching the index, and its status."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from notelink.cli.options import index_config, index_dir, no_index, open_vault, train_config
from notelink.cli.output import EXIT_OK, EXIT_USAGE, UserError, emit, notes, shown, suggest, with_commands
from notelink.notes.vault import check_vault


def cmd_index(args: argparse.Namespace) -> int:
    from notelink.cli.progress import ProgressBar
    from notelink.index.build import build_index

    index_cfg = index_config(args)
    with ProgressBar.of_command(args) as bar:
        s = build_index(Path(args.vault), index_dir(args), train_config(args), index_cfg, bar,
                        force=args.force)
    keys = ("notes", "indexed", "skipped", "tokens", "vocab", "epochs", "device", "parse_seconds",
            "train_seconds", "total_seconds", "words_per_second")
    data = {k: getattr(s, k) for k in keys} | {"reparsed": s.reparsed, "reused": s.reused,
                                              "resumed": s.resumed, "retrain_reason": s.retrain_reason,
                                              "generation": s.generation, "up_to_date": s.up_to_date,
                                              "warnings": s.warnings, "last_build": s.last_build}
    if args.json:  # (`skipped` is the count, as documented; the list as `status --json` gives it)
        data["skipped_files"] = _skipped_files(index_dir(args))
    emit(args, data, lambda: with_commands(args, _index_text(s)))
    return EXIT_OK


def _skipped_files(folder: Path) -> list[dict[str, str]]:
    """The files the live generation skipped, as `status --json` lists them (`skipped`: path and reason)."""
    from notelink.watch.live import skipped_files

    return [{"path": path, "reason": reason} for path, reason in sorted(skipped_files(folder).items())]


def _index_text(s: Any) -> str:
    if s.up_to_date:
        head = f"Index is up to date: {notes(s.indexed)}, generation {s.generation} (nothing changed)."
    else:
        resumed = f", {s.resumed} reused from an interrupted build's parse" if s.resumed else ""
        head = (f"Indexed {notes(s.indexed)} ({s.reparsed} parsed, {s.reused - s.resumed} unchanged"
                f"{resumed}), "
                f"{s.skipped} skipped. Generation {s.generation}.\n"
                + (f"Full retrain: {s.retrain_reason}.\n" if s.retrain_reason else "")
                + (f"Trained CBOW on {s.tokens:,} words x {s.epochs} epochs, vocabulary {s.vocab:,}, "
                   f"on {s.device} at {s.words_per_second:,.0f} words/s.\n" if s.mode != "carried" else
                   f"Word vectors kept as they were ({s.tokens:,} words, vocabulary {s.vocab:,}; no "
                   "training).\n") +
                f"Time: parse {s.parse_seconds:.1f}s, train {s.train_seconds:.1f}s, "
                f"total {s.total_seconds:.1f}s.")
    tail = "".join(f"\nnote: {shown(w)}" for w in s.warnings)
    if s.skipped:
        tail += "\nSee skipped files and reasons with `notelink status VAULT`."
    return head + tail


def cmd_status(args: argparse.Namespace) -> int:
    data = open_vault(args).status(files=args.files).to_dict()
    emit(args, data, lambda: with_commands(args, _status_text(data, args)))
    return EXIT_OK


def _status_text(d: dict[str, Any], args: argparse.Namespace) -> str:
    lines = [f"Generation {d['generation']} at {d['index_dir']}",
             f"{notes(d['indexed'])} indexed, {len(d['skipped'])} skipped, vocabulary {d['vocab']:,}",
             f"Trained {d['trained_at']} on {d['device']}"]
    if len(d["languages"]) > 1:
        lines.append("Languages (each note's stop words dropped): "
                     + ", ".join(f"{lang or 'kept'} {n:,}" for lang, n in d["languages"].items()))
    lines += _links_text(d["links"])
    if d["exclude"]:
        lines.append("Excluded (--exclude, kept by later builds): " + ", ".join(map(shown, d["exclude"])))
    lines += [f"note: {shown(w)}" for w in d["warnings"]]
    lines += [f"skipped: {shown(s['path'])}: {shown(s['reason'])}" for s in d["skipped"]]
    w = d["watcher"]
    lines.append(f"Watcher: running (pid {w['pid']}, {w['state']}, {w['mode']})" if w["running"]
                 else "Watcher: not running")
    lines += [f"  last {what}: {w[key]}" for what, key in (("event", "last_event"),
              ("generation", "last_generation_at")) if w[key]]
    lines += _behind_text(d, args)
    lines += [f"{f['status']:>8}  {shown(f['path'])}" + (f"  ({shown(f['reason'])})" if f["reason"] else "")
              for f in d.get("files", [])]
    return "\n".join(lines)


def _links_text(ln: dict[str, Any]) -> list[str]:
    """What became of the vault's links. In Logseq a linked page exists, empty, before it has a file: what
    other vaults call a missing note is a page with no file there (`health` says the same)."""
    missing = "pages with no file" if ln["dialect"] == "logseq" else "missing notes"
    unresolved = "to pages with no file" if ln["dialect"] == "logseq" else "unresolved"
    lines = [f"Links ({ln['dialect']}): {ln['found']:,} to notes, {ln['resolved']:,} resolved "
             f"({ln['rate']:.0%}), {ln['unresolved']:,} {unresolved}; {ln['attachments']:,} to attachments"
             + (f"; {ln['folders']:,} to folders" if ln.get("folders") else "")
             + (f"; {ln['tags']['found']:,} tags, {ln['tags']['resolved']:,} with their note"
                if ln["tags"]["found"] else "")]
    if ln["top_unresolved"]:
        lines.append(f"  most linked {missing}: " + ", ".join(
            f"{shown(u['target'])} ({u['count']})" for u in ln["top_unresolved"][:5]))
    return lines


def _behind_text(d: dict[str, Any], args: argparse.Namespace) -> list[str]:
    """What the vault holds that the index does not (yet), and what brings it up to date."""
    since, rebuild = d["since_index"], _older_rules_text(d, args)
    if not since["behind"]:
        return [f"Up to date with the vault: no note changed, new or gone since generation {d['generation']}",
                *rebuild]
    counts = ", ".join(f"{since[k]['count']:,} {k}" for k in ("changed", "new", "gone") if since[k]["count"])
    fix = ("the watcher is updating it" if d["watcher"]["running"]
           else f"run `{suggest(args, 'index')}`, or start the watcher")
    lines = [f"Behind the vault: {counts} since generation {d['generation']} ({fix})", *rebuild]
    if "files" not in d:
        lines += [f"  {k}: " + ", ".join(map(shown, since[k]["paths"][:5]))
                  + (", ..." if since[k]["count"] > 5 else "") for k in ("changed", "new", "gone")
                  if since[k]["count"]]
    return lines


def _older_rules_text(d: dict[str, Any], args: argparse.Namespace) -> list[str]:
    """That the next build reads every note again and retrains, and why, when the index is older than the
    rules of this notelink; none when it is not."""
    if not d.get("older_rules"):
        return []
    return [f"  but {d['older_rules']}: the next build (`{suggest(args, 'index')}`, or the watcher) reads "
            "every note again and retrains"]


def cmd_check(args: argparse.Namespace) -> int:
    """Verifies the live generation thoroughly; exit 0 when whole, 2 when damaged (`notelink index` then
    sets it aside and rebuilds)."""
    from notelink.index.store import current_generation
    from notelink.index.verify import check_generation

    check_vault(Path(args.vault))
    gen = current_generation(index_dir(args))
    if gen is None:
        raise no_index(args)
    c = check_generation(gen, thorough=True)
    number = int(gen.name.removeprefix("gen-"))  # (as `status` and `index` say it: 1, not gen-000001)
    data = {"generation": number, "path": str(gen), "ok": not c.problems, "problems": c.problems,
            "integrity_check": c.integrity, "rows": c.rows,
            "arrays": {k: {"shape": list(v.shape), "dtype": v.dtype, "bytes": v.bytes}
                       for k, v in c.arrays.items()}}
    emit(args, data, lambda: with_commands(args, _check_text(data)))
    return EXIT_OK if not c.problems else EXIT_USAGE


def _check_text(d: dict[str, Any]) -> str:
    lines = [f"{Path(d['path']).name} at {d['path']}: " + ("whole" if d["ok"] else "DAMAGED")]
    lines += [f"  problem: {p}" for p in d["problems"]]
    rows = ", ".join(f"{t} {n:,}" for t, n in d["rows"].items()) or "not counted"
    lines.append(f"  database: integrity_check {d['integrity_check'] or 'not run'}; rows: {rows}")
    lines += [f"  {name}.npy: {a['dtype']} {a['shape']}, {a['bytes']:,} bytes"
              for name, a in d["arrays"].items()]
    if not d["ok"]:
        lines.append("Run `notelink index` to set it aside and rebuild the index.")
    return "\n".join(lines)


def cmd_watch(args: argparse.Namespace) -> int:
    from notelink.config import WatchConfig
    from notelink.watch.watcher import VaultWatcher, WatcherRunning

    try:
        cfg = WatchConfig(quiet_ms=args.quiet_ms, max_wait_ms=args.max_wait_ms)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    handlers = _watch_logging(args.log_file)
    try:
        watcher = VaultWatcher(Path(args.vault), index_dir(args), train_config(args), index_config(args),
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


class OneLine(logging.Formatter):
    """The watcher's log, a line an entry: control characters in a message (a note named `new\none.md`)
    escaped as `shown` escapes them in every other output; a traceback still follows on its own lines."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return shown(super().formatMessage(record))


def _watch_logging(log_file: str | None) -> list[logging.Handler]:
    """The watcher logs to stderr, and to `--log-file` too when given; returns the handlers added."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file:
        try:
            handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
        except OSError as exc:
            raise UserError(f"cannot write the log file {shown(log_file)}: {exc.strerror or exc}; give a "
                            "file in an existing, writable folder") from None
    logger = logging.getLogger("notelink")
    for h in handlers:
        h.setFormatter(OneLine("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S"))
        logger.addHandler(h)
    logger.setLevel(logging.INFO)
    return handlers



"""Exports of every note's related notes, and the managed block inside notes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notelink.cli.options import at_least_one, min_score, open_index
from notelink.cli.output import (
    EXIT_OK,
    EXIT_REFUSED,
    UserError,
    emit,
    notes,
    refused_then,
    shown,
    with_commands,
)
from notelink.config import ExportConfig
from notelink.notes.vault import check_vault
from notelink.write.outfile import output_file

if TYPE_CHECKING:
    from notelink.write.notewriter import Plan, Refusal, WriteReport


def cmd_export(args: argparse.Namespace) -> int:
    if (args.write or args.undo) and args.format != "block":
        raise UserError("--write and --undo go with --format block (the block inside notes)")
    at_least_one("--top", args.top)
    min_score(args)
    cfg = _export_config(args)  # (an --exclude pattern that is no pattern: an error before any work)
    if args.format == "block":
        return _export_block(args, cfg)
    if args.output and args.output != "-":
        return _export_file(args, cfg)
    if args.format == "word2vec" and not args.output:
        raise UserError("--format word2vec needs -o FILE (-o - writes it to standard output)")
    if args.json and args.format != "json":
        raise UserError(f"--json prints what an export wrote and where: give -o FILE (without it, the "
                        f"{args.format} export itself goes to standard output)")
    from notelink.write.export import write_format

    write_format(open_index(args), args.format, cfg, sys.stdout)  # (--format json: the export is the JSON)
    return EXIT_OK


def _export_file(args: argparse.Namespace, cfg: ExportConfig) -> int:
    """An export written whole to `-o FILE`; with --json, what it holds and where."""
    from notelink.write.export import write_format

    _check_inside_vault(args)
    index = open_index(args)
    with output_file(args.output, vault=Path(args.vault)) as out:
        counts = write_format(index, args.format, cfg, out)
    emit(args, {"format": args.format, "output": args.output, **counts}, lambda: _written(args, counts))
    return EXIT_OK


def _written(args: argparse.Namespace, counts: dict[str, int]) -> str:
    """What an export to `-o FILE` wrote, in words (it said nothing; the app says it)."""
    if "words" in counts:
        return f"Exported {counts['words']:,} word vectors to {shown(args.output)}"
    return (f"Exported {counts['related']:,} related notes of {counts['notes']:,} notes ({args.format}) to "
            f"{shown(args.output)}")


def _check_inside_vault(args: argparse.Namespace) -> None:
    """A Markdown export saved in the vault becomes a note, its links counted as the user's own: refused,
    as the app refuses it, unless `--force` asks for it (then said). (Over a note: `output_file` refuses.)"""
    from notelink.write.export import inside_vault
    from notelink.write.outfile import is_vault_note

    out, vault = Path(args.output), Path(args.vault)
    why = None if is_vault_note(out, vault) else inside_vault(out, vault, args.format)
    if why and not args.force:
        raise UserError(f"not written: {args.output} {why} (or add --force to write it there anyway)")
    if why:
        print(f"notelink: note: {args.output} {why}", file=sys.stderr)


def _export_config(args: argparse.Namespace) -> ExportConfig:
    from notelink.cli.options import exclude_patterns

    return ExportConfig(top=args.top, min_score=args.min_score, unlinked=args.unlinked,
                        link_style=args.link_style or "auto", exclude=exclude_patterns(args) or ())


def _export_block(args: argparse.Namespace, cfg: ExportConfig) -> int:
    """`--format block`: a diff of the blocks (dry run), or `--write` them, or `--undo` them."""
    from notelink.write import notewriter

    vault = check_vault(Path(args.vault))
    if args.undo:
        plan = notewriter.plan_undo(vault)
    else:
        index = open_index(args)  # (another vault's index is refused there)
        plan = notewriter.plan_blocks(index, vault, cfg)
    for r in plan.skipped:
        print(f"skipped: {shown(r.path)}: {shown(r.reason)}", file=sys.stderr)
    plan.refused = _completed(args, plan.refused)
    for r in plan.refused:
        print(f"refused: {shown(r.path)}: {shown(r.reason)}", file=sys.stderr)
    if not args.write:
        return _dry_run(args, plan, vault)
    report = notewriter.apply(plan)
    for left in report.leftovers:
        print(f"kept: {shown(left.path)}: {shown(left.kept)}" if left.kept else
              f"removed {shown(left.path)}, a temporary file left by an interrupted run", file=sys.stderr)
    report.refused = plan.refused + _completed(args, report.refused[len(plan.refused):])
    for r in report.refused[len(plan.refused):]:
        print(f"refused: {shown(r.path)}: {shown(r.reason)}", file=sys.stderr)
    same = "had no block" if args.undo else "already current"
    emit(args, _block_json(args, plan, report), lambda: (
        f"{'Removed the block from' if args.undo else 'Wrote'} {notes(len(report.written))} "
        f"({plan.current} {same}, {len(report.refused)} refused)."))
    return EXIT_REFUSED if report.refused else EXIT_OK


def _completed(args: argparse.Namespace, refused: list[Refusal]) -> list[Refusal]:
    """The refusals with the commands their reasons suggest (`notelink index`) completed for this vault."""
    from notelink.write.notewriter import Refusal

    return [Refusal(r.path, with_commands(args, r.reason)) for r in refused]


def _dry_run(args: argparse.Namespace, plan: Plan, vault: Path) -> int:
    """The diff of a block write or undo (to -o FILE, else standard output), or with --json the plan."""
    from notelink.write.notewriter import unified_diff

    diff = "".join(unified_diff(c) for c in plan.changes)
    if args.json and not (args.output and args.output != "-"):
        emit(args, {**_block_json(args, plan, None), "diff": diff}, str)
    else:
        _write_text(args.output, diff, vault)
        if args.json:
            emit(args, {**_block_json(args, plan, None), "output": args.output}, str)
    verb = "remove the block from" if args.undo else "write"
    print(f"Dry run: would {verb} {notes(len(plan.changes))} ({plan.current} already current, "
          f"{len(plan.refused)} refused). Nothing was written; add --write to apply."
          f"{refused_then(plan.refused)}", file=sys.stderr)
    return EXIT_REFUSED if plan.refused else EXIT_OK


def _block_json(args: argparse.Namespace, plan: Plan, report: WriteReport | None) -> dict[str, Any]:
    """A block write, undo or dry run (`report` None) for `--json`: the notes planned and written, the
    number already as they should be (`current`), and each refusal, file skipped (a named pipe named like
    a note, a second name of a note) and leftover temporary file as an object."""
    written, refused, left = (report.written, report.refused, report.leftovers) if report else \
        ([], plan.refused, [])
    return {"format": "block", "undo": bool(args.undo), "write": report is not None,
            "planned": [c.path for c in plan.changes], "written": written, "current": plan.current,
            "refused": [{"path": r.path, "reason": r.reason} for r in refused],
            "skipped": [{"path": r.path, "reason": r.reason} for r in plan.skipped],
            "leftovers": [{"path": x.path, "kept": x.kept} for x in left]}


def _write_text(path: str | None, text: str, vault: Path) -> None:
    if path and path != "-":
        with output_file(path, newline="", vault=vault) as out:
            out.write(text)
    else:
        sys.stdout.write(text)



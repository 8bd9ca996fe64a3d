"""The `notelink` command line: parse the arguments, run the command, turn errors into messages and exit
codes. A command's module is imported only when it runs, so `--help` and argument errors start fast (no
numpy, scipy or torch)."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from notelink.cli.arguments import UnknownCommand, command_line, parse
from notelink.cli.output import EXIT_NOT_FOUND, EXIT_OK, EXIT_USAGE, UserError, failed, quiet
from notelink.errors import Cancelled, NotelinkError, NotFound

COMMANDS = {"index": "indexing:cmd_index", "status": "indexing:cmd_status", "watch": "indexing:cmd_watch",
            "check": "indexing:cmd_check",
            "related": "queries:cmd_related", "concepts": "queries:cmd_concepts",
            "similar": "queries:cmd_similar", "export": "exporting:cmd_export", "tui": "main:cmd_tui",
            "mcp": "main:cmd_mcp", "health": "queries:cmd_health", "mentions": "queries:cmd_mentions",
            "link": "linking:cmd_link", "search": "search:cmd_search",
            "config": "configuration:cmd_config", "completions": "completions:cmd_completions"}
"""What each subcommand of `arguments.build_parser` runs: module (in `notelink.cli`) and function."""


def run_command(args: argparse.Namespace) -> int:
    """Runs the command, its flags first completed from the config file (flag > config file > default);
    `completions` and `config --path` read no config file."""
    if args.command != "completions" and not (args.command == "config" and args.path):
        from notelink.cli.options import apply_config

        apply_config(args)
    module, function = COMMANDS[args.command].split(":")
    return int(getattr(importlib.import_module(f"notelink.cli.{module}"), function)(args))


def cmd_tui(args: argparse.Namespace) -> int:
    """The app, building and watching with the settings `notelink index` and `watch` would take (flag >
    config file > default): --exclude, --dialect, the config file's [index] and [train]; and its [tui]
    theme."""
    from notelink.cli.options import index_config, index_dir, train_config
    from notelink.notes.vault import check_vault
    from notelink.tui import run  # textual is imported only here, so query commands stay fast

    vault = check_vault(Path(args.vault))
    not_inside_indexed(args)
    chosen = args.index_dir or args.config.get("index.index_root")  # else the app's own default
    return run(vault, index_dir(args) if chosen else None, not args.no_watch, train_config(args),
               index_config(args), args.config.get("tui.theme"), args.config.related(), args.config.export())


def not_inside_indexed(args: argparse.Namespace) -> None:
    """A folder inside an indexed vault, with no index of its own (and no --index-dir), is not opened: the
    app's watcher would build at once a second index of the folder alone. The error names the vault and
    the command that opens it, as the query commands say it."""
    from notelink.cli.options import index_dir, no_index
    from notelink.noindex import opened_inside

    if not args.index_dir and opened_inside(Path(args.vault), index_dir(args), args.config) is not None:
        raise no_index(args)


def cmd_mcp(args: argparse.Namespace) -> int:
    """The MCP server; with --watch, its watcher builds with the settings `notelink watch` would take."""
    from notelink.cli.options import index_config, index_dir, train_config
    from notelink.notes.vault import check_vault

    vault = check_vault(Path(args.vault))
    try:
        from notelink.agents.server import serve
    except ImportError as exc:
        raise UserError(f"`notelink mcp` needs the MCP SDK ({exc.name} is missing): "
                        "pip install \"notelink[mcp]\"") from None
    build = (train_config(args), index_config(args)) if args.watch else None
    return serve(vault, index_dir(args), build)


EXIT_INTERRUPTED = 130  # (128 + SIGINT, as shells report it)


def interrupted(args: argparse.Namespace) -> str:
    """What an interrupt left: of a build, whether an index is in use (a first build saves no index until its
    end, and a damaged one was set aside first), and whether the notes it parsed are kept for the next."""
    if args.command not in ("index", "watch"):
        return "interrupted"
    from notelink.cli.options import index_dir
    from notelink.index import checkpoint
    from notelink.index.store import current_generation

    try:
        live = current_generation(index_dir(args))
    except (OSError, NotelinkError):
        live = None
    try:
        kept = checkpoint.exists(index_dir(args))
    except (OSError, NotelinkError):
        kept = False
    if live is not None:
        return "interrupted; the index in use is unchanged" + (f" ({checkpoint.KEPT})" if kept else "")
    if kept:
        return ("interrupted; no index was saved yet, but the notes parsed are kept: `notelink index` goes "
                "on from them")
    return "interrupted; no index was saved (`notelink index` builds it again from the start)"


def _version_json() -> int:
    """`notelink --version --json`: the version as every other answer is with --json, a JSON object."""
    import json

    from notelink import __version__

    print(json.dumps({"name": "notelink", "version": __version__}))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if set(argv) == {"--version", "--json"}:  # (argparse's --version prints text)
        return _version_json()
    try:
        argv = command_line(argv)
    except UnknownCommand as exc:  # (with --json, on stdout too: scripts get JSON for every error)
        return failed(argparse.Namespace(json="--json" in argv), str(exc), EXIT_USAGE, exc.close)
    parser, args = parse(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return run_command(args)
    except (KeyboardInterrupt, Cancelled):
        return failed(args, interrupted(args), EXIT_INTERRUPTED)
    except NotFound as exc:
        return failed(args, str(exc), EXIT_NOT_FOUND, exc.suggestions)
    except (UserError, NotelinkError) as exc:
        return failed(args, str(exc), getattr(exc, "code", EXIT_USAGE))
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        quiet(sys.stdout)
        return EXIT_OK
    except Exception as exc:
        sqlite3 = sys.modules.get("sqlite3")  # (imported by the commands that read an index)
        if sqlite3 is not None and isinstance(exc, sqlite3.DatabaseError):
            return failed(args, f"the index is damaged ({exc}); run `notelink index` to rebuild it "
                                "(`notelink check` lists what is wrong)", EXIT_USAGE)
        raise

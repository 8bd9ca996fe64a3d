"""The `notelink` command line's arguments: one subparser per command, flags named for the config fields
they set (TrainConfig, IndexConfig, WatchConfig, ExportConfig); `cli` runs the chosen command.

Flags that the config file can set default to None here: `options.apply_config` fills in the config file's
value or the built-in default, so that a flag beats the config file, which beats the default."""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Callable
from pathlib import Path

from notelink import __version__
from notelink.cli.parser import Help, Parser, marks

INDEX_DIR_HELP = ("where the index lives (default: $NOTELINK_INDEX_DIR, else one folder per vault under the "
                  "config file's [index] index_root, else under the user data dir)")


def _add_dialect(p: argparse.ArgumentParser) -> None:
    from notelink.config import DIALECTS

    p.add_argument("--dialect", choices=list(DIALECTS), metavar="NAME", help="the app that wrote the vault, "
                   f"for reading its links: {', '.join(DIALECTS)} (default auto: from its files and links)")


def _add_common(p: argparse.ArgumentParser, json_flag: bool = True) -> None:
    p.add_argument("vault", help="folder of Markdown notes, or a vault named in the config file")
    p.add_argument("--index-dir", metavar="DIR", help=INDEX_DIR_HELP)
    if json_flag:
        p.add_argument("--json", action="store_true", help="print JSON instead of text")


def _add_training(p: argparse.ArgumentParser) -> None:
    from notelink.config import TrainConfig

    p.usage = "%(prog)s [-h] [options] vault"  # (every flag is listed below: the help fits 120x35)
    g = p.add_argument_group("training", "a model setting given once (--dim to --seed) is kept with the "
                             "index until another is given")
    d = TrainConfig()
    for flag, kind, metavar, what in [
            ("--dim", int, "N", f"vector size (default {d.dim})"),
            ("--window", int, "N", f"max context width each side (default {d.window})"),
            ("--negative", int, "N", f"negative samples per word (default {d.negative})"),
            ("--epochs", int, "N", "passes over the notes (default: automatic, 5-40 by size)"),
            ("--min-count", int, "N", f"drop words seen fewer times (default {d.min_count})"),
            ("--sample", float, "T", f"frequent-word subsampling threshold (default {d.sample})"),
            ("--lr", float, "LR", f"starting learning rate (default {d.lr})"),
            ("--seed", int, "N", f"random seed (default {d.seed})"),
            ("--threads", int, "N", "CPU threads (default: all cores; more are capped to them)")]:
        g.add_argument(flag, type=kind, metavar=metavar, help=what)
    g.add_argument("--device", choices=["auto", "cpu", "cuda"], help="where to train (default auto)")
    p.add_argument("--keep-stopwords", action="store_true", default=None,
                   help="train on stop words too (kept with the index; --no-keep-stopwords turns it off)")
    p.add_argument("--no-keep-stopwords", dest="keep_stopwords", action="store_false", default=None,
                   help=argparse.SUPPRESS)
    p.add_argument("--max-file-mb", type=float, metavar="MB",
                   help="skip notes larger than this (default 5; kept with the index)")
    p.add_argument("--force", action="store_true", help="retrain even when nothing changed")
    _add_dialect(p)
    _add_exclude(p)


def _add_exclude(p: argparse.ArgumentParser, export: bool = False) -> None:
    saved = (" from this export, as notes and as related notes" if export else
             "; kept with the index for later builds, the watcher and the app; --exclude '' clears it")
    p.add_argument("--exclude", action="append", metavar="PATTERN",
                   help=f"leave out vault paths matching PATTERN (gitignore syntax, repeatable){saved}")


def _index_args(p: argparse.ArgumentParser) -> None:
    _add_common(p)
    _add_training(p)


def _note_args(p: argparse.ArgumentParser, unlinked: bool) -> None:
    _add_common(p)
    p.add_argument("note", help="path relative to the vault, file name or title")
    p.add_argument("--top", type=int, metavar="K", help="how many (default 10)")
    if unlinked:
        from notelink.config import RelatedConfig

        p.add_argument("--unlinked", action="store_true", help="only notes not linked yet")
        p.add_argument("--min-score", type=float, metavar="S", help="leave out related notes scoring below "
                       "this cosine (at most 1), as export does")
        p.epilog = marks(RelatedConfig().weak_below)


def _similar_args(p: argparse.ArgumentParser) -> None:
    _add_common(p)
    p.add_argument("word", help="a word of the notes (its case and accents aside: `cafe` finds `café`)")
    p.add_argument("--top", type=int, metavar="K", help="how many (default 10)")


def _search_args(p: argparse.ArgumentParser) -> None:
    _add_common(p)
    p.add_argument("query", nargs="*", help='words to search for; "exact phrase", #tag, path:TEXT and -word '
                   "(no note with the word) filter")
    p.add_argument("--top", type=int, metavar="K", default=10, help="how many notes (default 10)")
    p.add_argument("--stdin", action="store_true", help="search with a draft read from standard input "
                                                        "(as it is: no operators)")
    p.add_argument("--batch", action="store_true",
                   help='JSON lines in ({"id": ..., "text": ...}), JSON lines out ({"id": ..., "results": '
                        '[...]}, the hits of --json), one per query')
    p.add_argument("--exclude", action="append", default=[], metavar="PATH",
                   help="never return this note (the one being written; repeatable)")
    p.add_argument("--no-snippets", action="store_true", help="leave out the matching passages (faster)")
    p.epilog = ("Marks: [named] the query is the note's name (its title, an alias or its file name): such "
                "notes come first, whatever their score (--json: \"named\" in \"because\"). Reasons: "
                "\"tomatoes (form of tomato)\" another form of a query word (its plural, singular or other "
                "inflection; --json: \"forms\"), \"kubernetes ← k8s\" a word the vault's model brought in "
                "for a query word (--json: \"expanded\").")


def _status_args(p: argparse.ArgumentParser) -> None:
    _add_common(p)
    p.add_argument("--files", action="store_true", help="list every file with its state")


def _tui_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("vault", nargs="?", default=".", help="folder of Markdown notes, or a vault named in the "
                                                         "config file (default: here)")
    p.add_argument("--index-dir", metavar="DIR", help=INDEX_DIR_HELP)
    p.add_argument("--no-watch", action="store_true", help="do not watch the vault for changes")
    _add_dialect(p)
    _add_exclude(p)
    _builds_as_configured(p)  # what the app's builds and watcher train with (no flags here)


def _export_args(p: argparse.ArgumentParser) -> None:
    from notelink.config import ExportConfig

    _add_common(p)
    d = ExportConfig()
    p.add_argument("--format", choices=["json", "csv", "graphml", "markdown", "block", "word2vec"],
                   default="json", help="default json; block: a managed block of related notes inside "
                                        "each note (prints a diff unless --write); csv: a path starting "
                                        "with = + - @ gets a ' in front, so no spreadsheet runs it")
    p.add_argument("--top", type=int, metavar="K", help=f"related notes per note (default {d.top})")
    p.add_argument("--min-score", type=float, metavar="S", help="leave out related notes scoring below this "
                   "cosine (block: a note left with none gets no block)")
    p.add_argument("--unlinked", action="store_true", help="only notes not linked yet (missing links), "
                                                           "best first")
    p.add_argument("--link-style", choices=["auto", "wiki", "markdown"],
                   help="how the markdown export and the block write links (default auto: the vault's own)")
    p.add_argument("-o", "--output", help="file to write (default, or -: standard output; block: the diff)")
    p.add_argument("--force", action="store_true", help="markdown: write -o FILE even inside the vault, "
                   "where it becomes a note and its links count as yours (refused without it)")
    _add_exclude(p, export=True)
    p.add_argument("--write", action="store_true", help="block: change the notes instead of printing a diff")
    p.add_argument("--undo", action="store_true", help="block: remove notelink's blocks, restoring each note "
                                                       "exactly (a diff unless --write)")


def _watch_args(p: argparse.ArgumentParser) -> None:
    from notelink.config import WatchConfig

    d = WatchConfig()
    _add_common(p, json_flag=False)
    _add_training(p)
    p.add_argument("--log-file", metavar="FILE", help="also append the log to this file")
    p.add_argument("--quiet-ms", type=int, metavar="MS",
                   help=f"index after this long without a change (default {d.quiet_ms})")
    p.add_argument("--max-wait-ms", type=int, metavar="MS",
                   help=f"...or this long after the first change, if sooner (default {d.max_wait_ms})")


def _config_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--path", action="store_true", help="print only the config file's path")
    p.add_argument("--vault-names", action="store_true", help=argparse.SUPPRESS)  # for shell completions
    p.add_argument("--note-names", metavar="VAULT", help=argparse.SUPPRESS)  # (of NOTE)
    p.add_argument("--index-dir", help=argparse.SUPPRESS)  # (the index --note-names reads: as typed)


def _completions_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("shell", choices=["bash", "zsh", "fish"], help="the shell to complete in")


def _mentions_args(p: argparse.ArgumentParser) -> None:
    _add_common(p)
    p.add_argument("note", help="path relative to the vault, file name or title")


def _link_args(p: argparse.ArgumentParser) -> None:
    _add_common(p)
    p.add_argument("note", nargs="?", help="the note to write the link into")
    p.add_argument("target", nargs="?", help="the note to link to")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--mention", type=int, metavar="N", help="wrap the N-th unlinked mention of TARGET "
                     "(as `notelink mentions` lists them; default: the first, else --append)")
    how.add_argument("--append", action="store_true", help="add the link under a 'See also' heading")
    p.add_argument("--heading", help="the heading for --append (default: the note's 'see also' heading, else "
                   "'See also' in the note's language)")
    p.add_argument("--write", action="store_true", help="change the note (default: print the diff only)")
    p.add_argument("--undo", action="store_true", help="put back the notes of the last `link --write`, byte "
                   "for byte (a diff unless --write)")
    p.add_argument("--all", action="store_true", help="with --undo: every link notelink wrote, newest first")
    p.add_argument("--forget", action="store_true", help="with --undo: drop the last write from the undo "
                   "journal, notes left as they are (one that cannot be undone, so that older ones can be); "
                   "says what it drops unless --write")


def _health_args(p: argparse.ArgumentParser) -> None:
    _add_common(p)
    p.add_argument("--limit", type=int, metavar="N", default=20,
                   help="at most this many of each kind (default 20)")


def _mcp_args(p: argparse.ArgumentParser) -> None:
    _add_common(p, json_flag=False)
    p.add_argument("--watch", action="store_true", help="also keep the index current while serving (with "
                   "the config file's [index] and [train] settings, as `notelink watch`)")
    _builds_as_configured(p, dialect=None, exclude=None)  # what --watch builds with


def _builds_as_configured(p: argparse.ArgumentParser, **more: None) -> None:
    """Build settings a command takes no flag for, left to the config file's [train] and [index] (filled in
    by `options.apply_config`), else to what the index keeps, else the defaults."""
    from notelink.config import TrainConfig

    p.set_defaults(keep_stopwords=None, max_file_mb=None, **more,
                   **dict.fromkeys(TrainConfig().to_dict(), None))


COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "index": ("scan a vault, train on it and save the index", _index_args),
    "related": ("notes related to a note", lambda p: _note_args(p, unlinked=True)),
    "concepts": ("the concepts (words) that characterise a note", lambda p: _note_args(p, unlinked=False)),
    "similar": ("words used like a word in this vault", _similar_args),
    "search": ("notes for a query, by meaning in the vault's own words (or a draft: --stdin, --batch)",
               _search_args),
    "status": ("what the index holds, skipped files and why, the watcher", _status_args),
    "check": ("verify the index on disk: its database (SQLite integrity_check, row counts) and arrays "
              "(sizes, dtypes, shapes)", _add_common),
    "tui": ("open the terminal app (the default: `notelink [VAULT]`)", _tui_args),
    "watch": ("keep the index up to date as notes change (foreground, Ctrl-C stops)", _watch_args),
    "export": ("related notes as JSON, CSV, GraphML or Markdown; word vectors; or a related-notes block "
               "inside each note (opt-in, reversible)", _export_args),
    "mentions": ("where notes name a note without linking it, and where it names others", _mentions_args),
    "link": ("link a note to another: wrap an unlinked mention, or add it under 'See also' (diff unless "
             "--write; --undo puts the note back)", _link_args),
    "health": ("dead links, orphans, one-way and stale links, near-duplicates, tag suggestions",
               _health_args),
    "mcp": ("serve the vault's index to agents over MCP (stdio); needs `pip install \"notelink[mcp]\"`",
            _mcp_args),
    "config": ("the effective settings, where each came from, and the config file's path", _config_args),
    "completions": ("a completion script for bash, zsh or fish (e.g. `notelink completions bash > "
                    "~/.local/share/bash-completion/completions/notelink`)", _completions_args),
}
"""Each subcommand: its one-line help and what adds its arguments."""


def build_parser(command: str | None = None, every: bool = False) -> argparse.ArgumentParser:
    """The parser, with the arguments of `command` only (of every command with `every`): `notelink --help`
    then builds no argument list and imports no config, and starts fast."""
    parser = Parser(prog="notelink", description="Related notes and concepts, learned "
                    "from your own Markdown vault with CBOW word2vec.", formatter_class=Help)
    parser.add_argument("--version", action="version", version=f"notelink {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (what, add) in COMMANDS.items():
        p = sub.add_parser(name, help=what, description=what[0].upper() + what[1:] + ".",
                           formatter_class=Help)
        p.command = name
        if every or name == command:
            add(p)
    return parser


def parse(argv: list[str]) -> tuple[argparse.ArgumentParser, argparse.Namespace]:
    """The parser and the parsed arguments of `argv` (its command made explicit: `command_line`). A
    command's options may come between its positional arguments (`link VAULT --index-dir D NOTE TARGET`)."""
    parser = build_parser(argv[0] if argv else None)
    if not argv or argv[0] not in COMMANDS:
        return parser, parser.parse_args(argv)
    sub = parser._subparsers._group_actions[0].choices[argv[0]]  # type: ignore[union-attr,index]
    sub.json_errors = "--json" in argv[1:]
    sub.given = argv[1:]
    args = sub.parse_intermixed_args(_number_joined(argv[1:]))
    args.command = argv[0]
    return parser, args


NUMBER_FLAGS = ("--min-score",)
"""Flags whose value may be negative: argparse takes `-1e-3` or `-inf` after them for a flag of its own."""


def _number_joined(argv: list[str]) -> list[str]:
    """`argv` with a number-flag's value that starts with `-` joined to it (`--min-score -1e-3` read as
    `--min-score=-1e-3`), so the value is checked as a value ("expected one argument" said nothing)."""
    out: list[str] = []
    for word in argv:
        if out and out[-1] in NUMBER_FLAGS and word.startswith("-") and _a_number(word):
            out[-1] = f"{out[-1]}={word}"
        else:
            out.append(word)
    return out


def _a_number(word: str) -> bool:
    try:
        float(word)
    except ValueError:
        return False
    return True


def command_line(argv: list[str]) -> list[str]:
    """`argv` with the command made explicit: `notelink` and `notelink VAULT [flags]` mean
    `notelink tui ...`. A first word that is no command, no folder and close to a command's name is a
    typo: UnknownCommand, with the close names; so is any such word with `--json` (which the app does not
    take: a script meant a command)."""
    if (argv and argv[0] in COMMANDS) or argv[:1] in (["-h"], ["--help"], ["--version"]):
        return argv
    if argv and not argv[0].startswith("-") and not Path(argv[0]).expanduser().exists():
        close = difflib.get_close_matches(argv[0], list(COMMANDS), n=3, cutoff=0.6)
        if (close or "--json" in argv or _a_word(argv[0])) and not _named_vault(argv[0]):
            raise UnknownCommand(argv[0], close)
    elif argv and argv[0].startswith("-") and "--json" in argv:
        raise UnknownCommand("", [])
    return ["tui", *argv]


def _a_word(word: str) -> bool:
    """True when `word` reads as a command rather than a path: no folder separator, no `~`, no leading dot
    (`notelink nosuchword` is a mistyped command; `notelink ./notes` or `notelink ~/notes` a vault)."""
    return "/" not in word and "\\" not in word and not word.startswith(("~", "."))


def _named_vault(word: str) -> bool:
    """True when the config file names a vault `word` (an unreadable config file names none here; the
    command says why later)."""
    from notelink.configfile import UserConfig
    from notelink.errors import ConfigError

    try:
        return word in UserConfig.load().vaults
    except ConfigError:
        return False


class UnknownCommand(Exception):
    """A first word that is neither a command nor a vault: close to a command's name, or a plain word (no
    path) that names no folder and no vault of the config file."""

    def __init__(self, word: str, close: list[str]) -> None:
        said = (f"unknown command {word!r}" if word else "no command given") + (
            f"; did you mean: {', '.join(close)}?" if close else "")
        if word and not close:  # (`notelink VAULT` opens the app: say the word is no vault either)
            said += ", and no folder or vault of the config file's [vaults] has that name"
        super().__init__(f"{said} (`notelink --help` lists the commands)")
        self.close = close



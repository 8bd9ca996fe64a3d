"""The command line's parser: argparse's, whose usage errors are JSON too under `--json` and name the
arguments it read as options (`-x.md`), and whose help says the defaults the config file sets."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from notelink.cli.output import error_json, say

_MISSING = ("the following arguments are required", "unrecognized arguments")
"""The usage errors a name that starts with '-' (`notelink related VAULT -x.md`) causes."""


class Help(argparse.HelpFormatter):
    """argparse's help with the flags' column a little wider (28, not 24), so that `--device {auto,cpu,cuda}`
    and its help share a line: every command's help fits a 120x35 terminal."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 28,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, width)


class Parser(argparse.ArgumentParser):
    """argparse's parser, whose usage errors are also JSON on stdout when the command line asks for
    `--json` (as every other error is: `output.failed`)."""

    json_errors = False
    command: str | None = None
    """The subcommand this parser reads the arguments of (None: `notelink` itself)."""
    given: Sequence[str] = ()
    """The arguments it reads (`parse`), for the names among them that argparse took for options."""

    def error(self, message: str) -> NoReturn:
        dashed = self.dashed() if message.startswith(_MISSING) else []
        if dashed and self.command == "search" and message.startswith(_MISSING[1]):  # (a query's -word)
            message += (f"; {dashed[0]} is read as an option, as it starts with '-': to leave out the notes "
                        f"with a word, put -- before the query (search VAULT -- WORDS {dashed[0]})")
        elif dashed:
            message += (f"; {dashed[0]} is read as an option, as it starts with '-': for a note or folder "
                        f"of that name, write ./{dashed[0]}, or put -- before it")
        if self.json_errors:
            say(error_json(message, 2), sys.stdout)
        super().error(message)

    def dashed(self) -> list[str]:
        """The arguments given that argparse read as options this command does not have, and that look like
        a name: one dash (`-x.md`; `--topp` is a mistyped flag), or a note's file name (`--x.md`). (A word
        with a space argparse reads as an argument.)"""
        given = self.given[: self.given.index("--")] if "--" in self.given else self.given  # (then names)
        options = set(self._option_string_actions)
        return [word for word in given if word.startswith("-") and word not in ("-", "--") and " " not in word
                and word.split("=", 1)[0] not in options and not self._negative_number_matcher.match(word)
                and (not word.startswith("--") or word.endswith(".md"))]

    def format_help(self) -> str:
        """The help, where the config file sets a flag's default saying so beside the built-in one: the
        default a command then uses (read only when the help is shown, so other runs start as fast)."""
        for action, value, name in _configured(self):
            said = f"{value} from the config file's {name}"
            help_ = action.help or ""
            action.help = help_[:-1] + f"; {said})" if help_.endswith(")") else f"{help_} ({said})"
        if self.command == "related" and (cut := _config_value("query.weak_below")) is not None:
            self.epilog = marks(cut) + f" ({cut:g} from the config file's [query] weak_below)"
        return super().format_help()


def _configured(parser: Parser) -> list[tuple[argparse.Action, str, str]]:
    """Each flag of `parser`'s command whose default the config file sets: its action, the value as the
    file writes it and the setting (`[query] top`). None when the file cannot be read (the command says
    why)."""
    from notelink.configfile import SETTINGS, UserConfig
    from notelink.errors import ConfigError

    if parser.command is None:
        return []
    try:
        config = UserConfig.load()
    except ConfigError:
        return []
    settings = {s.dest: s for s in SETTINGS if parser.command in s.commands and s.name in config.values}
    return [(a, _as_written(config.values[settings[a.dest].name]),
             f"[{settings[a.dest].section}] {settings[a.dest].key}")
            for a in parser._actions if a.dest in settings and a.help != argparse.SUPPRESS]


def _config_value(name: str) -> Any:
    """The value the config file gives setting `name` (`query.weak_below`), None when it gives none or
    cannot be read (the command says why)."""
    from notelink.configfile import UserConfig
    from notelink.errors import ConfigError

    try:
        return UserConfig.load().values.get(name)
    except ConfigError:
        return None


def _as_written(value: object) -> str:
    """A setting's value as the config file writes it: true, not True; a list as ["a/", "b/"]."""
    if isinstance(value, bool):
        return str(value).lower()
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else str(value)


def marks(weak_below: float) -> str:
    """What `related --help` says of its marks, `[weak]` at the cut in use."""
    return (f"Marks: [linked] the notes are linked already, either way; [weak] a score below {weak_below:g}, "
            "a long shot: few notes that far apart are linked (--json: \"linked\", \"weak\").")

"""`notelink config` (the effective settings and where each came from) and `notelink completions SHELL`
(a completion script for bash, zsh or fish, made from the command line's own parser)."""

from __future__ import annotations

import argparse
import os
from typing import Any

from notelink.cli.arguments import COMMANDS, build_parser
from notelink.cli.output import EXIT_OK, emit, shown
from notelink.config import RUN_SETTINGS
from notelink.configfile import SETTINGS, UserConfig, config_path
from notelink.locations import indexes_home

_EXAMPLE = """# {path}
[vaults]                      # names usable wherever a VAULT is taken: notelink related work "Note"
work = "~/notes/work"

[index]
exclude = ["templates/", "*.excalidraw.md"]   # gitignore syntax; .gitignore and .notelinkignore count too
dialect = "auto"                              # obsidian, dendron, logseq, foam, zk, markdown
# index_root = "~/.cache/notelink"            # one folder per vault under it

[export]
link_style = "auto"                           # wiki or markdown
min_score = 0.1
"""


def cmd_config(args: argparse.Namespace) -> int:
    if args.path:  # (the file is not read: one that does not parse is when its path is wanted)
        print(config_path())
        return EXIT_OK
    config: UserConfig = args.config
    if args.vault_names:
        print("\n".join(sorted(config.vaults)))
        return EXIT_OK
    data = {"path": str(config.path), "exists": config.exists,
            "vaults": {name: str(path) for name, path in sorted(config.vaults.items())},
            "settings": settings(config), "index_dir": _index_location(config)}
    emit(args, data, lambda: _text(data))
    return EXIT_OK


def settings(config: UserConfig) -> dict[str, dict[str, Any]]:
    """Every setting: its value, where it came from (config file or default) and what it means."""
    out = {}
    for s in SETTINGS:
        value, source = config.value(s)
        if source == "default" and s.section == "train" and s.key not in RUN_SETTINGS:
            source = "default, unless an index keeps another it was given"
        out[s.name] = {"value": value, "source": source, "help": s.help}
    return out


def _index_location(config: UserConfig) -> dict[str, str]:
    """Where indexes go, and which rule decided it (before --index-dir, which a command may still give)."""
    if env := os.environ.get("NOTELINK_INDEX_DIR"):
        return {"value": env, "source": "environment (NOTELINK_INDEX_DIR)"}
    if root := config.get("index.index_root"):
        return {"value": f"{root}/NAME-HASH", "source": f"config file ({config.path})"}
    return {"value": f"{indexes_home()}/NAME-HASH (the user data folder)", "source": "default"}


def _text(d: dict[str, Any]) -> str:
    lines = [f"Config file: {shown(d['path'])}" + ("" if d["exists"] else " (none yet: every setting is its "
                                                                          "default)")]
    if d["vaults"]:
        lines.append("[vaults]")
        lines += [f"  {shown(name)} = {shown(path)}" for name, path in d["vaults"].items()]
    section = ""
    for name, s in d["settings"].items():
        head, key = name.split(".")
        if head != section:
            section = head
            lines.append(f"[{head}]")
        lines.append(f"  {key + ' = ' + _toml_value(s['value']):<36} # {s['source']}")
    lines.append(f"Indexes: {d['index_dir']['value']}  ({d['index_dir']['source']}; --index-dir comes first)")
    if not d["exists"]:
        lines.append("\nAn example to start from:\n" + _EXAMPLE.format(path=d["path"]))
    return "\n".join(lines)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(map(_toml_value, value)) + "]"
    return repr(value)


# -- shell completions --------------------------------------------------------------------------------

def cmd_completions(args: argparse.Namespace) -> int:
    print({"bash": bash, "zsh": zsh, "fish": fish}[args.shell](_commands()), end="")
    return EXIT_OK


Flag = tuple[str, str, list[str] | None, bool, bool]
"""(option, help, choices, takes a value, repeatable)."""
Command = tuple[str, str, list[Flag], list[tuple[str, list[str] | None]]]
"""(name, help, flags, positionals as (name, choices))."""


def _commands() -> list[Command]:
    """Each command with its flags and positionals, read from the parser `notelink` itself uses."""
    parser = build_parser(every=True)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    out: list[Command] = []
    for name, (what, _) in COMMANDS.items():
        flags: list[Flag] = []
        positionals: list[tuple[str, list[str] | None]] = []
        for action in sub.choices[name]._actions:
            choices = [str(c) for c in action.choices] if action.choices else None
            if action.help == argparse.SUPPRESS or isinstance(action, argparse._HelpAction):
                continue
            if not action.option_strings:
                positionals.append((action.dest, choices))
                continue
            takes = action.nargs != 0
            repeat = isinstance(action, argparse._AppendAction)
            flags += [(opt, action.help or "", choices, takes, repeat) for opt in action.option_strings
                      if opt.startswith("--")]
        out.append((name, what, flags, positionals))
    return out


_FILE_FLAGS = ("--index-dir", "--log-file", "--output")
_VAULT_NAMES = "notelink config --vault-names 2>/dev/null"
_FISH_VAULTS = f"({_VAULT_NAMES}; __fish_complete_directories)"


def bash(commands: list[Command]) -> str:
    """A bash completion function: commands, each command's flags and their choices, folders and the
    config file's vault names for VAULT."""
    cases = "\n".join(f"        {name}) opts=\"{' '.join(f[0] for f in flags)}\";;"
                      for name, _, flags, _ in commands if name != "completions")
    choices = {opt: c for _, _, flags, _ in commands for opt, _, c, _, _ in flags if c}
    choice_cases = "\n".join(f"        {opt}) COMPREPLY=( $(compgen -W \"{' '.join(c)}\" -- \"$cur\") ); "
                             "return;;" for opt, c in sorted(choices.items()))
    shells = next(c for n, _, _, pos in commands if n == "completions" for _, c in pos if c) or []
    shell_words = " ".join(shells)
    return f"""# bash completion for notelink (notelink completions bash)
_notelink() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}" opts=""
    if [[ $COMP_CWORD -eq 1 ]]; then
        COMPREPLY=( $(compgen -W "{' '.join(n for n, *_ in commands)} $({_VAULT_NAMES})" -- "$cur") \\
                    $(compgen -d -- "$cur") )
        return
    fi
    case "$prev" in
{choice_cases}
        {'|'.join(_FILE_FLAGS)}|-o) COMPREPLY=( $(compgen -f -- "$cur") ); return;;
    esac
    case "${{COMP_WORDS[1]}}" in
{cases}
        completions) COMPREPLY=( $(compgen -W "{shell_words}" -- "$cur") ); return;;
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=( $(compgen -W "$opts --help" -- "$cur") )
    else
        COMPREPLY=( $(compgen -W "$({_VAULT_NAMES})" -- "$cur") $(compgen -d -- "$cur") )
    fi
}}
complete -o filenames -F _notelink notelink
"""


def _zsh_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:") \
        .replace("'", "'\\''")


def _zsh_spec(flag: Flag) -> str:
    opt, what, choices, takes, repeat = flag
    value = "" if not takes else (f":value:({' '.join(choices)})" if choices else
                                  ":path:_files" if opt in _FILE_FLAGS else ":value:")
    return f"'{'*' if repeat else ''}{opt}[{_zsh_text(what)}]{value}'"


def zsh(commands: list[Command]) -> str:
    """A zsh completion function (`#compdef notelink`), with each flag's help."""
    described = "\n".join(f"    '{name}:{_zsh_text(what)}'" for name, what, _, _ in commands)
    cases = []
    for name, _, flags, positionals in commands:
        specs = [_zsh_spec(f) for f in flags]
        for k, (pos, choices) in enumerate(positionals, 1):
            action = f"({' '.join(choices)})" if choices else "_notelink_vaults" if pos == "vault" else " "
            specs.append(f"'{k}:{pos}:{action}'")
        cases.append(f"        {name}) _arguments {' '.join(specs)} ;;")
    joined = "\n".join(cases)
    return f"""#compdef notelink
# zsh completion for notelink (notelink completions zsh > "${{fpath[1]}}/_notelink")
_notelink_vaults() {{
  local -a named
  named=(${{(f)"$({_VAULT_NAMES})"}})
  (( $#named )) && compadd -a named
  _files -/
}}

_notelink() {{
  local curcontext="$curcontext" state line
  local -a commands
  commands=(
{described}
  )
  _arguments -C '(- *)--version[show the version]' '1: :->command' '*:: :->args'
  case $state in
    command) _describe -t commands 'notelink command' commands; _notelink_vaults ;;
    args)
      case $line[1] in
{joined}
      esac ;;
  esac
}}

_notelink "$@"
"""


def _fish_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "\\'")


def fish(commands: list[Command]) -> str:
    """fish `complete` lines: commands, flags with their help and choices, vault names and folders."""
    lines = ["# fish completion for notelink (notelink completions fish > "
             "~/.config/fish/completions/notelink.fish)", "complete -c notelink -f",
             f"complete -c notelink -n __fish_use_subcommand -a '{_FISH_VAULTS}'"]
    for name, what, flags, positionals in commands:
        lines.append(f"complete -c notelink -n __fish_use_subcommand -a {name} -d '{_fish_text(what)}'")
        when = f"-n '__fish_seen_subcommand_from {name}'"
        for opt, help_, choices, takes, _ in flags:
            value = f" -xa '{' '.join(choices)}'" if choices else (" -r -F" if opt in _FILE_FLAGS else
                                                                    " -x" if takes else "")
            lines.append(f"complete -c notelink {when} -l {opt[2:]} -d '{_fish_text(help_)}'{value}")
        for pos, choices in positionals:
            if choices:
                lines.append(f"complete -c notelink {when} -xa '{' '.join(choices)}'")
            elif pos == "vault":
                lines.append(f"complete -c notelink {when} -a '{_FISH_VAULTS}'")
    return "\n".join(lines) + "\n"

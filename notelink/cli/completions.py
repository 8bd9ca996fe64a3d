"""`notelink completions SHELL`: a completion script for bash, zsh or fish, made from the command line's own
parser. The scripts ask `notelink config --vault-names` for VAULT and `notelink config --note-names VAULT`
for NOTE (with the `--index-dir` typed on the line, as the command would read it), and keep names with
spaces whole."""

from __future__ import annotations

import argparse

from notelink.cli.arguments import COMMANDS, build_parser
from notelink.cli.output import EXIT_OK


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


_BASH = r"""# bash completion for notelink (notelink completions bash)
_notelink_add() {  # each line of standard input is one candidate: names with spaces stay whole
    local line
    while IFS= read -r line; do [[ -n $line ]] && COMPREPLY+=("$line"); done
}

_notelink_matching() {  # the lines of $1 starting with $2 (or whose last part does); never split or expanded
    local line
    while IFS= read -r line; do
        [[ -n $line && ( $line == "$2"* || ${line##*/} == "$2"* ) ]] && COMPREPLY+=("$line")
    done <<< "$1"
}

_notelink_dequote() {  # a word as typed, as the command will get it: My\ V, "My V and 'My V are My V
    local word=$1 out=""
    case $word in
        \'*) word=${word#\'}; printf '%s' "${word%\'}"; return;;
        \"*) word=${word#\"}; word=${word%\"};;
    esac
    while [[ $word == *\\* ]]; do
        out+=${word%%\\*}; word=${word#*\\}; out+=${word:0:1}; word=${word:1}
    done
    printf '%s' "$out$word"
}

_notelink_vaults() {  # for VAULT: the config file's vault names and the folders here
    _notelink_matching "$(notelink config --vault-names 2>/dev/null)" "$1"
    _notelink_add < <(compgen -d -- "$1")
}

_notelink_notes() {  # for NOTE: the notes in the index of vault $1 (in folder $3, if given), by their paths
    local -a where=()
    [[ -n $3 ]] && where=(--index-dir "$3")
    _notelink_matching "$(notelink config --note-names "$1" "${where[@]}" 2>/dev/null)" "$2"
}

_notelink() {
    local cur prev="${COMP_WORDS[COMP_CWORD-1]}" opts="" valued="" index_dir="" i word
    local -a arguments=() given=()
    cur=$(_notelink_dequote "${COMP_WORDS[COMP_CWORD]}")
    [[ $prev == = ]] && prev="${COMP_WORDS[COMP_CWORD-2]}"  # --flag=value: bash splits the word at =
    COMPREPLY=()
    if [[ $COMP_CWORD -eq 1 ]]; then
        if [[ $cur == -* ]]; then
            _notelink_add < <(compgen -W "--help --version" -- "$cur")
        else
            _notelink_add < <(compgen -W "@COMMANDS@" -- "$cur")
            _notelink_vaults "$cur"
        fi
        return
    fi
    case "$prev" in
@CHOICES@
        @FILES@) _notelink_add < <(compgen -f -- "$cur"); return;;
    esac
    case "${COMP_WORDS[1]}" in
@CASES@
    esac
    if [[ $cur == -* ]]; then
        _notelink_add < <(compgen -W "$opts --help" -- "$cur")
        return
    fi
    [[ -n $prev && " $valued " == *" $prev "* ]] && return  # a flag's value: nothing to offer
    for (( i = 2; i < COMP_CWORD; i++ )); do  # the arguments before this one (flags and values left out)
        word=${COMP_WORDS[i]}
        if [[ " $valued " == *" $word "* ]]; then
            (( i += 1 )); [[ ${COMP_WORDS[i]} == = ]] && (( i += 1 ))
            [[ $word == --index-dir ]] && index_dir=$(_notelink_dequote "${COMP_WORDS[i]}")
        elif [[ $word != -* ]]; then
            given+=("$word")
        fi
    done
    case "${arguments[${#given[@]}]}" in
        vault) _notelink_vaults "$cur";;
        note|target) _notelink_notes "$(_notelink_dequote "${given[0]}")" "$cur" "$index_dir";;
@ARGUMENTS@
    esac
}
complete -o filenames -F _notelink notelink
"""
"""The bash script; `bash` fills in the @NAMES@ from the parser. Candidates are read a line each and
matched without expansion, so names with spaces stay whole; `-o filenames` has readline escape them."""

_SHORT = {"--output": "-o"}
"""The short forms of flags that take a value (the other flags have none)."""


def bash(commands: list[Command]) -> str:
    """A bash completion function: commands, each command's flags and their choices, folders and the
    config file's vault names for VAULT, the vault's notes for NOTE."""
    choices = {opt: c for _, _, flags, _ in commands for opt, _, c, _, _ in flags if c}
    arguments = {pos: c for _, _, _, positionals in commands for pos, c in positionals if c}
    parts = {"@COMMANDS@": " ".join(n for n, *_ in commands),
             "@CHOICES@": _bash_cases(sorted(choices.items()), return_=True),
             "@FILES@": "|".join([*_FILE_FLAGS, *(_SHORT[f] for f in _FILE_FLAGS if f in _SHORT)]),
             "@CASES@": "\n".join(map(_bash_command, commands)),
             "@ARGUMENTS@": _bash_cases(sorted(arguments.items()))}
    script = _BASH
    for name, text in parts.items():
        script = script.replace(name, text)
    return script


def _bash_cases(choices: list[tuple[str, list[str]]], return_: bool = False) -> str:
    """`case` branches offering each word's choices (a flag's, or an argument's: `shell`)."""
    end = "; return;;" if return_ else ";;"
    return "\n".join(f'        {word}) _notelink_add < <(compgen -W "{" ".join(c)}" -- "$cur"){end}'
                     for word, c in choices)


def _bash_command(command: Command) -> str:
    """A command's `case` branch: its flags, those of them that take a value, its arguments in order."""
    name, _, flags, positionals = command
    valued = [f[0] for f in flags if f[3]] + [_SHORT[f[0]] for f in flags if f[0] in _SHORT]
    return (f'        {name}) opts="{" ".join(f[0] for f in flags)}"; valued="{" ".join(valued)}"; '
            f'arguments=({" ".join(pos for pos, _ in positionals)});;')


def _zsh_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:") \
        .replace("'", "'\\''")


def _zsh_spec(flag: Flag) -> str:
    opt, what, choices, takes, repeat = flag
    value = "" if not takes else (f":value:({' '.join(choices)})" if choices else
                                  ":path:_files" if opt in _FILE_FLAGS else ":value:")
    return f"'{'*' if repeat else ''}{opt}[{_zsh_text(what)}]{value}'"


_ZSH_ACTIONS = {"vault": "_notelink_vaults", "note": "_notelink_notes", "target": "_notelink_notes"}


def zsh(commands: list[Command]) -> str:
    """A zsh completion function (`#compdef notelink`), with each flag's help."""
    described = "\n".join(f"    '{name}:{_zsh_text(what)}'" for name, what, _, _ in commands)
    cases = []
    for name, _, flags, positionals in commands:
        specs = [_zsh_spec(f) for f in flags]
        for k, (pos, choices) in enumerate(positionals, 1):
            action = f"({' '.join(choices)})" if choices else _ZSH_ACTIONS.get(pos, " ")
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

_notelink_notes() {{  # the notes in the index of the vault given ($line[1]; --index-dir), by path
  local -a notes where
  local typed=${{(Q)opt_args[--index-dir]}}  # (opt_args holds a value as typed, its backslashes escaped)
  [[ -n $typed ]] && where=(--index-dir "${{(Q)typed}}")
  notes=(${{(f)"$(notelink config --note-names "${{(Q)line[1]}}" "${{where[@]}}" 2>/dev/null)"}})
  _multi_parts / notes
}}

_notelink() {{
  local curcontext="$curcontext" state line
  local -a commands
  commands=(
{described}
  )
  _arguments -C '(- *)--help[show the help]' '(- *)--version[show the version]' '1: :->command' \\
    '*:: :->args'
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


_FISH = r"""function __notelink_given -d 'the arguments before the word completed (flags, values left out)'
    set -l words (commandline -opc)
    set -l valued
    switch "$words[2]"
@VALUED@
    end
    set -l skip 0
    for word in $words[3..-1]
        if test $skip = 1
            set skip 0
        else if contains -- $word $valued
            set skip 1
        else if not string match -q -- '-*' $word
            printf '%s\n' $word
        end
    end
end

function __notelink_argument -d 'whether the word completed is an argument of its command named so (vault...)'
    set -l words (commandline -opc)
    set -l arguments
    switch "$words[2]"
@ARGUMENTS@
    end
    set -l next (math (count (__notelink_given)) + 1)
    set -q arguments[$next]; and contains -- $arguments[$next] $argv
end

function __notelink_index_dir -d 'the folder given with --index-dir, if any'
    set -l words (commandline -opc)
    for i in (seq 3 (count $words))
        if string match -q -- '--index-dir=*' $words[$i]
            string replace -- '--index-dir=' '' $words[$i]
        else if test "$words[$i]" = --index-dir; and set -q words[(math $i + 1)]
            printf '%s\n' $words[(math $i + 1)]
        end
    end
end

function __notelink_notes -d 'the notes in the index of the vault given (in --index-dir), by path'
    set -l where
    set -l dir (__notelink_index_dir)[-1]
    test -n "$dir"; and set where --index-dir $dir
    notelink config --note-names (__notelink_given)[1] $where 2>/dev/null
end
"""
"""fish's functions for the arguments of a command (`fish` fills in the @NAMES@ from the parser)."""


def fish(commands: list[Command]) -> str:
    """fish `complete` lines: commands, flags with their help and choices, vault names and folders for
    VAULT, the vault's notes for NOTE."""
    lines = ["# fish completion for notelink (notelink completions fish > "
             "~/.config/fish/completions/notelink.fish)", _fish_functions(commands),
             "complete -c notelink -f", f"complete -c notelink -n __fish_use_subcommand -a '{_FISH_VAULTS}'",
             f"complete -c notelink -n '__notelink_argument vault' -a '{_FISH_VAULTS}'",
             "complete -c notelink -n '__notelink_argument note target' -a '(__notelink_notes)'"]
    for name, what, flags, positionals in commands:
        lines.append(f"complete -c notelink -n __fish_use_subcommand -a {name} -d '{_fish_text(what)}'")
        when = f"-n '__fish_seen_subcommand_from {name}'"
        for opt, help_, choices, takes, _ in flags:
            value = f" -xa '{' '.join(choices)}'" if choices else (" -r -F" if opt in _FILE_FLAGS else
                                                                    " -x" if takes else "")
            lines.append(f"complete -c notelink {when} -l {opt[2:]} -d '{_fish_text(help_)}'{value}")
        lines += [f"complete -c notelink -n '__notelink_argument {pos}' -xa '{' '.join(choices)}'"
                  for pos, choices in positionals if choices]
    return "\n".join(lines) + "\n"


def _fish_functions(commands: list[Command]) -> str:
    """The functions that tell which argument is being completed: each command's flags that take a value
    and its arguments in order."""
    valued = "\n".join(f"        case {name}\n            set valued {' '.join(f[0] for f in flags if f[3])}"
                       for name, _, flags, _ in commands if any(f[3] for f in flags))
    arguments = "\n".join(f"        case {name}\n            set arguments {' '.join(p for p, _ in pos)}"
                          for name, _, _, pos in commands if pos)
    return _FISH.replace("@VALUED@", valued).replace("@ARGUMENTS@", arguments)

"""`notelink config`: the effective settings and where each came from, the config file's path; and, for the
shells' completions (`cli/completions.py`), the vault names and a vault's notes."""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path
from typing import Any

from notelink.cli.output import EXIT_OK, emit, shown
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
        emit(args, {"path": str(config_path())}, lambda: str(config_path()))
        return EXIT_OK
    config: UserConfig = args.config
    if args.vault_names:  # (a name with a line break could not be told apart: left out, as a note's is)
        print("\n".join(sorted(filter(_one_line, config.vaults))))
        return EXIT_OK
    if args.note_names is not None:
        print("\n".join(note_names(config, args.note_names, args.index_dir)))
        return EXIT_OK
    data = {"path": str(config.path), "exists": config.exists,
            "vaults": {name: str(path) for name, path in sorted(config.vaults.items())},
            "settings": settings(config), "index_dir": _index_location(config), "warnings": config.warnings()}
    emit(args, data, lambda: _text(data))
    return EXIT_OK


def note_names(config: UserConfig, vault: str, index_dir: str | None = None) -> list[str]:
    """The notes of `vault` (a folder, or a name in [vaults]) by their paths in its index, for the shells'
    completions of NOTE (none without an index; a path with a line break could not be told apart). The
    index is where the command would look: `index_dir` (the `--index-dir` typed on the line being
    completed), else $NOTELINK_INDEX_DIR, else the vault's usual folder."""
    from notelink.index.store import note_paths

    folder = Path(config.vault(vault)).expanduser()
    where = Path(index_dir).expanduser() if index_dir else config.index_dir(folder)
    return [path for path in note_paths(where) if _one_line(path)]


def _one_line(name: str) -> bool:
    """Whether a name can be a line of a completion list (no line break: it would read as two names)."""
    return "\n" not in name and "\r" not in name


def settings(config: UserConfig) -> dict[str, dict[str, Any]]:
    """Every setting: its value, where it came from (config file or default) and what it means."""
    out = {}
    for s in SETTINGS:
        value, source = config.value(s)
        if source == "default" and s.kept:
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
        lines.append(f"  {key + ' = ' + _toml_value(s['value']):<36} # {_meaning(s)}{s['source']}")
    lines.append(f"Indexes: {d['index_dir']['value']}  ({d['index_dir']['source']}; --index-dir comes first)")
    lines += [f"note: {shown(w)}" for w in d["warnings"]]
    if not d["exists"]:
        lines.append("\nAn example to start from:\n" + _EXAMPLE.format(path=d["path"]))
    return "\n".join(lines)


_ZERO = re.compile(r"\(0: ([^)]+)\)")
"""What 0 means in a setting's help: `(0: automatic)`."""


def _meaning(setting: dict[str, Any]) -> str:
    """What a value of 0 stands for, when its help says (`epochs = 0  # 0: automatic; default`): the README
    and `--help` say `auto`, and a bare 0 read as no passes at all; "" for any other value."""
    value, said = setting["value"], _ZERO.search(setting["help"])
    return f"0: {said.group(1)}; " if said and value == 0 and not isinstance(value, bool) else ""


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(map(_toml_value, value)) + "]"
    return repr(value)

"""The config file, `$XDG_CONFIG_HOME/notelink/config.toml`: a default for every flag, named vaults, and
what `notelink config` shows (each setting's value and where it came from: flag > config file > default).
Relative paths in it (`[vaults]`, `[index] index_root`) are relative to the file's own folder, as git's and
ruff's are, so a command means the same folders from wherever it is run.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from notelink.config import (
    DIALECTS,
    RUN_SETTINGS,
    ExportConfig,
    RelatedConfig,
    SettingsError,
    TrainConfig,
    WatchConfig,
)
from notelink.errors import ConfigError, VaultError
from notelink.locations import default_index_dir

CONFIG_ENV = "NOTELINK_CONFIG"
"""An environment variable naming another config file (tests, several setups)."""


def config_path() -> Path:
    """$NOTELINK_CONFIG, else `$XDG_CONFIG_HOME/notelink/config.toml` (`~/.config/notelink/config.toml`)."""
    if env := os.environ.get(CONFIG_ENV):
        return Path(env).expanduser()
    return _usual_path()


def _usual_path() -> Path:
    """`$XDG_CONFIG_HOME/notelink/config.toml` (`~/.config/notelink/config.toml`)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "notelink" / "config.toml"


@dataclass(frozen=True)
class Setting:
    """One setting of the config file, `[section] key`: its type, built-in default, what it means, and the
    commands whose flag (`dest`) it gives a default for."""

    section: str
    key: str
    kind: type
    default: Any
    help: str
    commands: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.section}.{self.key}"

    @property
    def dest(self) -> str:
        return self.key

    @property
    def kept(self) -> bool:
        """Kept with the index once given, as a later build's default: the model settings but those of one
        run (`RUN_SETTINGS`), and how notes are read (`KEPT_READING`)."""
        return (self.section == "train" and self.key not in RUN_SETTINGS) or self.name in KEPT_READING


_BUILD = ("index", "watch", "tui", "mcp")  # (the app and `mcp --watch` build and watch too)
_TRAIN_HELP = {"dim": "vector size", "window": "max context words each side", "negative": "negative samples",
               "epochs": "passes over the notes (0: automatic)", "min_count": "drop rarer words",
               "sample": "subsampling threshold", "lr": "starting learning rate", "seed": "random seed",
               "threads": "CPU workers (0: all cores)", "device": "auto, cpu or cuda"}


def _settings() -> tuple[Setting, ...]:
    """Every setting, with the defaults of the dataclasses above (documented there)."""
    t, e, w = TrainConfig(), ExportConfig(), WatchConfig()
    train = tuple(Setting("train", k, type(getattr(t, k)), getattr(t, k), h, _BUILD,
                          ("auto", "cpu", "cuda") if k == "device" else ()) for k, h in _TRAIN_HELP.items())
    return (
        Setting("index", "exclude", list, [], "paths to leave out (gitignore syntax, relative to the vault); "
                "unset: the list saved with the index", (*_BUILD, "export")),
        Setting("index", "dialect", str, "auto", "the vault's link dialect", _BUILD, DIALECTS),
        Setting("index", "keep_stopwords", bool, False, "train on stop words too", _BUILD),
        Setting("index", "max_file_mb", float, 5.0, "skip notes larger than this", _BUILD),
        Setting("index", "index_root", str, "", "folder for the vaults' indexes (one folder each; "
                "--index-dir and $NOTELINK_INDEX_DIR come first)"),
        *train,
        Setting("query", "top", int, 10, "results of related, concepts and similar",
                ("related", "concepts", "similar")),
        Setting("query", "weak_below", float, RelatedConfig().weak_below, "a related note scoring below this "
                "is marked weak, a long shot (0: none)"),
        Setting("export", "top", int, e.top, "related notes per note", ("export",)),
        Setting("export", "min_score", float, 0.0, "leave out related notes below this cosine", ("export",)),
        Setting("export", "link_style", str, e.link_style, "how links are written", ("export",),
                ("auto", "wiki", "markdown")),
        Setting("watch", "quiet_ms", int, w.quiet_ms, "index after this long without a change", ("watch",)),
        Setting("watch", "max_wait_ms", int, w.max_wait_ms, "...or this long after the first", ("watch",)),
        Setting("tui", "theme", str, "", "the app's theme (dark, light, or a Textual theme name)"),
    )


THEMES = ("dark", "light", "ansi-dark", "ansi-light", "atom-one-dark", "atom-one-light", "catppuccin-frappe",
          "catppuccin-latte", "catppuccin-macchiato", "catppuccin-mocha", "dracula", "flexoki", "gruvbox",
          "monokai", "nord", "rose-pine", "rose-pine-dawn", "rose-pine-moon", "solarized-dark",
          "solarized-light", "textual-dark", "textual-light", "tokyo-night")
"""The themes the app opens in (`[tui] theme`): its short names for Textual's two, and Textual's own
(`textual.theme.BUILTIN_THEMES`, which only the app imports: tests/cli/test_configuration.py keeps the
two equal). A theme that a newer Textual adds still opens; `notelink config` would only warn of it."""

SETTINGS = _settings()
"""The config file's settings; `notelink config` lists them with their values and where each came from."""

KEPT_READING = ("index.keep_stopwords", "index.max_file_mb")
"""How notes are read: kept with the index once given, as the model settings are (`Setting.kept`)."""


@dataclass(frozen=True)
class UserConfig:
    """The config file, read and checked: the settings it sets, and its named vaults (`[vaults]`,
    `work = "~/notes/work"`, usable wherever a VAULT is taken). A missing file sets nothing."""

    path: Path
    values: dict[str, Any] = field(default_factory=dict)
    """`section.key` → value, for the settings the file sets."""
    vaults: dict[str, Path] = field(default_factory=dict)
    exists: bool = False

    @classmethod
    def load(cls, path: Path | None = None) -> UserConfig:
        """Reads the file; ConfigError names the file and the problem (bad TOML, unknown or mistyped key, or
        no file where $NOTELINK_CONFIG names one: the usual file's absence means no settings, that one's a
        mistake that would leave every setting silently at its default)."""
        named = path is None and bool(os.environ.get(CONFIG_ENV))
        path = path or config_path()
        try:
            data = _toml(path.read_bytes())
        except FileNotFoundError:
            if named:
                raise ConfigError(f"the config file that {CONFIG_ENV} names does not exist: {path}; create "
                                  f"it, or unset {CONFIG_ENV} to use {_usual_path()}") from None
            return cls(path)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot read the config file {path}: {exc}") from None
        folder = path.absolute().parent
        try:
            vaults = _vaults(folder, data.pop("vaults", {}))
            values = _checked(data)
            if root := values.get("index.index_root"):
                values["index.index_root"] = str(_beside(folder, root))
            return cls(path, values, vaults, True)
        except (TypeError, ValueError, AttributeError) as exc:
            raise ConfigError(f"{path}: {exc}") from None

    def value(self, setting: Setting) -> tuple[Any, str]:
        """The setting's value and where it came from: the config file, else the built-in default."""
        if setting.name in self.values:
            return self.values[setting.name], f"config file ({self.path})"
        return setting.default, "default"

    def get(self, name: str) -> Any:
        """A setting's value by `section.key` (`tui.theme`): the config file's, else the default."""
        return self.value(next(s for s in SETTINGS if s.name == name))[0]

    def export(self) -> ExportConfig:
        """Which related notes an export lists (`[export]` top, min_score, link_style), for the app's exports;
        `notelink export` maps the same settings onto its flags."""
        return ExportConfig(top=self.get("export.top"), min_score=self.get("export.min_score") or None,
                            link_style=self.get("export.link_style"))

    def related(self) -> RelatedConfig:
        """How related notes' scores are read (`[query] weak_below`), for every face's answers."""
        return RelatedConfig(weak_below=self.get("query.weak_below"))

    def vault(self, word: str) -> str:
        """The vault folder `word` means: the one `[vaults]` names `word` when it is a bare name (no `/`) and
        no folder of that name is here (a path always means the path: `./work`), else `word` itself.
        VaultError when the named folder is not there."""
        named = self.vaults.get(word) if "/" not in word and not os.path.isdir(word) else None
        if named is None:
            return word
        if not named.is_dir():
            raise VaultError(f"vault not found: {named}, the config file's [vaults] {word} ({self.path}), "
                             "is not a folder; fix the path there, or name the vault by its folder")
        return str(named)

    def warnings(self) -> list[str]:
        """What the file sets that only the app would find wrong, said by `notelink config` (the app opens
        anyway): a `[tui] theme` that is no theme of the app."""
        import difflib

        theme = self.values.get("tui.theme", "")
        if not theme or theme in THEMES:
            return []
        close = difflib.get_close_matches(theme, THEMES, n=1)
        return [f"[tui] theme {theme!r} is no theme of the app"
                + (f"; did you mean {close[0]!r}?" if close else "")
                + f" (themes: {', '.join(THEMES)}); the app opens in the theme last chosen with `t`"]

    def index_dir(self, vault: Path) -> Path:
        """Where the index of `vault` is when no folder is given for it: $NOTELINK_INDEX_DIR, else one
        folder per vault under `[index] index_root`, else under the user data folder."""
        root = self.get("index.index_root")
        return default_index_dir(vault, Path(root) if root else None)


def _vaults(folder: Path, table: Any) -> dict[str, Path]:
    """`[vaults]`: each name and its folder. A blank name is refused: no command line could name it."""
    if not isinstance(table, dict):
        raise ValueError("[vaults] must be a table of names and folders: work = \"~/notes/work\"")
    for name, where in table.items():
        if not name.strip():
            raise ValueError(f"[vaults] names a vault {name!r} (= {where!r}): give it a name")
    return {name: _beside(folder, _typed(where, str, f"vaults.{name}")) for name, where in table.items()}


def _beside(folder: Path, text: str) -> Path:
    """A path from the config file: `~` expanded, a relative one taken from the file's `folder` (`..` followed
    as the system does)."""
    path = Path(text).expanduser()
    return path if path.is_absolute() else (folder / path).resolve()


def _toml(data: bytes) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover  (Python 3.10: the tomli backport, a dependency there)
        import tomli as tomllib
    return tomllib.loads(data.decode("utf-8"))


def _checked(data: dict[str, Any]) -> dict[str, Any]:
    """`section.key` → value for every setting in the file, each of the type and range its flag takes."""
    import difflib

    known = {s.name: s for s in SETTINGS}
    out: dict[str, Any] = {}
    for section, table in data.items():
        if not isinstance(table, dict):
            raise ValueError(f"{section!r} must be a [table] of settings (sections: "
                             f"{', '.join(sorted({s.section for s in SETTINGS} | {'vaults'}))})")
        for key, value in table.items():
            name = f"{section}.{key}"
            if name not in known:
                close = difflib.get_close_matches(name, list(known), n=1)
                raise ValueError(f"unknown setting [{section}] {key}"
                                 + (f"; did you mean [{close[0].replace('.', '] ')}?" if close else ""))
            setting = known[name]
            out[name] = _typed(value, setting.kind, name, setting.choices)
    _in_range(out)
    return out


_RANGES = {"index.max_file_mb": (lambda v: v > 0, "above 0"),
           "query.top": (lambda v: v >= 1, "at least 1"),
           "query.weak_below": (lambda v: 0 <= v < 1, "at least 0 and below 1"),  # (NaN too)
           "export.top": (lambda v: v >= 1, "at least 1"),
           "export.min_score": (lambda v: v <= 1, "a number of at most 1"),  # (NaN too)
           "watch.quiet_ms": (lambda v: v >= 0, "0 or more"),
           "watch.max_wait_ms": (lambda v: v >= 0, "0 or more")}


def _in_range(values: dict[str, Any]) -> None:
    """ValueError naming the file's keys (`[train] window must be ...`) for values no command can use."""
    problems = [f"[{name.replace('.', '] ')} must be {rule}, not {values[name]}"
                for name, (ok, rule) in _RANGES.items() if name in values and not ok(values[name])]
    try:
        TrainConfig(**{k.removeprefix("train."): v for k, v in values.items() if k.startswith("train.")})
    except SettingsError as exc:
        problems += [f"[train] {name} must be {rule}, not {value}" for name, rule, value in exc.problems]
    if problems:
        raise ValueError("; ".join(problems))


def _typed(value: Any, kind: type, name: str, choices: tuple[str, ...] = ()) -> Any:
    """`value` as `kind`, or ValueError saying what the setting takes."""
    ok = (isinstance(value, kind) and not (kind is int and isinstance(value, bool))) or (
        kind is float and isinstance(value, int) and not isinstance(value, bool))
    if kind is list:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    if not ok:
        what = {int: "a whole number", float: "a number", bool: "true or false", str: "a string",
                list: "a list of strings"}[kind]
        raise ValueError(f"{_key(name)} must be {what}, not {_as_toml(value)}")
    if choices and value not in choices:
        raise ValueError(f"{_key(name)} must be one of {', '.join(choices)}, not {_as_toml(value)}")
    return float(value) if kind is float else value


def _key(name: str) -> str:
    """A setting as the file writes it: `query.top` is `[query] top`."""
    table, _, key = name.partition(".")
    return f"[{table}] {key}" if key else name


def _as_toml(value: Any) -> str:
    """A value as TOML writes it (true, not Python's True)."""
    return str(value).lower() if isinstance(value, bool) else repr(value)

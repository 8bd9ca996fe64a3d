"""The dialect a build reads a vault in (`notes/dialect.py`), and why.

In order: a dialect named (`--dialect`, the config file's `[index] dialect`, or named for an earlier build
and kept); the app's own files in the vault (`.obsidian`, `dendron.yml`, `logseq/config.edn`...); else
the one the index was built in, detected from the vault's links by its first build and kept with it.
Detection from links judges a sample of the notes: a batch of notes of another dialect (an import, a copy
from a Dendron workspace) flipped it between two builds, and the old notes were then read another way
(`[[Garden|the garden note]]` became a dead link to "the garden note"). A full rebuild (`--force`) or
`--dialect auto` detects it again; a build that keeps a dialect its links no longer suggest says so
(`Reading.drift`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from notelink.config import DialectConfig, IndexConfig
from notelink.index.choices import SavedChoices
from notelink.notes.dialect import by_marker, detect


class Reading(NamedTuple):
    """The dialect a build reads the vault in; `drift`: what to tell the user when it was kept from the
    index though the links now suggest another ("" otherwise)."""

    dialect: DialectConfig
    drift: str = ""


def reading(vault: Path, index_dir: Path, cfg: IndexConfig, redetect: bool = False,
            saved: SavedChoices | None = None) -> Reading:
    """The dialect named, else the app's marker, else the index's (unless `redetect` or `--dialect auto`),
    else detected from the links. `saved`: the index's choices, when the caller has read them already."""
    saved = saved if saved is not None else SavedChoices.read(index_dir)
    named = named_dialect(index_dir, cfg, saved)
    if named is not None:
        return Reading(detect(vault, replace(cfg.dialect, name=named)))
    found = detect(vault, cfg.dialect)  # the marker, else the links: detected once
    kept = saved.dialect_built if cfg.keep_dialect and not redetect else None
    if kept is None or kept == "auto" or found.name == kept or by_marker(vault) is not None:
        return Reading(found)
    return Reading(detect(vault, replace(cfg.dialect, name=kept)), drifted(kept, found.name))


def named_dialect(index_dir: Path, cfg: IndexConfig, saved: SavedChoices | None = None) -> str | None:
    """The dialect a build is told to read the vault in: the one `cfg` names, else (`auto`, kept) the one
    named for the index's last build; None: not named. `saved`: the index's choices, when read already."""
    if cfg.dialect.name != "auto":
        return cfg.dialect.name
    if not cfg.keep_dialect:
        return None
    return (saved if saved is not None else SavedChoices.read(index_dir)).dialect_named


def drifted(kept: str, now: str) -> str:
    """What a build says when it keeps reading the vault as `kept` though its links now look like `now`."""
    return (f"the vault's links now look like {now} links, but the index keeps reading them as {kept} "
            f"links, as detected when it was first built: `notelink index --dialect {now}` switches, "
            f"`dialect = \"{kept}\"` under [index] in the config file keeps {kept} for good")

"""What notelink says when a vault has no index: the command that builds it (or goes on from the notes an
interrupted first build kept), or the indexed vault a folder is inside of. The API, the CLI and the MCP
server say the same sentence."""

from __future__ import annotations

import contextlib
import os
import shlex
from pathlib import Path

from notelink.configfile import UserConfig
from notelink.errors import IndexDamaged, NotelinkError
from notelink.index.store import current_generation


def indexed_above(folder: Path, config: UserConfig) -> Path | None:
    """The nearest folder above `folder` (resolved) with an index where notelink keeps that folder's index
    (looked for upwards, as git looks for `.git`), or None. A command run in a vault's subfolder is then
    pointed at the vault, not at building a second, partial index of the subfolder."""
    for parent in folder.parents:
        with contextlib.suppress(OSError, IndexDamaged):
            if current_generation(config.index_dir(parent)) is not None:
                return parent
    return None


def opened_inside(vault: Path, index_dir: Path, config: UserConfig) -> Path | None:
    """The indexed vault that holds `vault` (`indexed_above`) when `vault` has no index of its own in
    `index_dir` (a damaged one counts as its own), else None: the app does not open such a folder, as its
    watcher would at once build a second index of the folder alone."""
    try:
        if current_generation(index_dir) is not None:
            return None
    except (NotelinkError, OSError):  # a damaged index of its own: the app's to rebuild
        return None
    return indexed_above(vault.resolve(), config)


def no_index(vault: Path, index_dir: Path | None = None, typed: str | None = None, above: Path | None = None,
             asking: tuple[str, str] = ("status", ""), kept: bool = False, building: bool = False,
             looked_in: Path | None = None) -> str:
    """Says that `vault` has no index yet, where it was looked for, and the command that builds it: in
    `index_dir` (named, with `--index-dir`) when it is looked for in a folder other than the usual one;
    else in the usual folder `looked_in` (named too: a process started with another environment, as an MCP
    client's reduced one without $XDG_DATA_HOME, looks elsewhere than the user's shell). `typed`: the vault
    as the user wrote it, for the command. `above`: an indexed vault that holds `vault` (`indexed_above`),
    said first, with the command that asks it (`asking`: the command, and what follows the vault). `kept`:
    an interrupted first build kept the notes it parsed (`parse_kept`), which the command goes on from;
    `building`: a build is running now (`lock.build_running`), which will make the index. A folder with
    no notes is said to have none (`notelink index` would refuse it: nothing to index)."""
    if above is not None:
        return _inside_indexed(vault, above, typed, asking)
    if not building and not kept and (why := _no_notes(vault)):
        return f"{vault} has no index: {why}"
    if index_dir is not None and (why := _unusable(index_dir)):
        return (f"{vault} has no index in {index_dir}, and none can be built there: {why}; choose a folder "
                "with --index-dir (or NOTELINK_INDEX_DIR)")
    where = f" in {index_dir}" if index_dir else f" (looked for in {looked_in})" if looked_in else ""
    flag = f" --index-dir {shlex.quote(str(index_dir))}" if index_dir else ""
    command = f"`notelink index {shlex.quote(typed or str(vault))}{flag}`"
    if building:
        return (f"{vault} has no index yet{where}: a build is running now (its progress shows where it was "
                "started); ask again when it is done")
    if kept:
        return (f"{vault} has no index yet{where}, but an interrupted first build kept the notes it parsed: "
                f"run {command} to go on from them")
    return f"{vault} has no index yet{where}: run {command} first"


def _no_notes(vault: Path) -> str:
    """Why `vault` holds no note to index (`ignore.no_notes`), or "" when it holds one (or cannot be
    listed: `notelink index` says why)."""
    from notelink.notes.ignore import Ignore, no_notes
    from notelink.notes.vault import scan_folders

    try:
        ignore = Ignore(vault)
        notes, unlisted = scan_folders(vault, ignore)
        return "" if notes or unlisted else no_notes(vault, ignore)
    except (OSError, ValueError):
        return ""


def _unusable(index_dir: Path) -> str:
    """Why no index can be built in `index_dir` ("" when one may be): it, or the nearest folder above it
    that exists, is a file (`/dev/null`), or cannot be written."""
    there = index_dir
    while not os.path.lexists(there) and there != there.parent:
        there = there.parent
    if not there.is_dir():
        return "it, or a folder above it, is a file, not a folder"
    if not os.access(there, os.W_OK | os.X_OK):
        return f"{there} cannot be written (permission denied)"
    return ""


def building(index_dir: Path) -> bool:
    """Whether a build of `index_dir` is running now (`index.lock.build_running`)."""
    from notelink.index.lock import build_running

    try:
        return build_running(index_dir)
    except OSError:
        return False


def parse_kept(index_dir: Path) -> bool:
    """Whether an interrupted build kept the notes it parsed in `index_dir` (`index.checkpoint`)."""
    from notelink.index import checkpoint  # (only when there is no index: queries need not load it)

    try:
        return checkpoint.exists(index_dir)
    except OSError:
        return False


def _inside_indexed(vault: Path, above: Path, typed: str | None, asking: tuple[str, str]) -> str:
    """Says that `vault` is a folder inside the indexed vault `above`, and how to ask that vault: named as the
    user named `vault` (relative to the current folder when `typed` was relative)."""
    name = str(above)
    if typed and not os.path.isabs(typed):
        with contextlib.suppress(ValueError):  # (on another drive)
            name = os.path.relpath(above)
    command, rest = asking
    return (f"{vault} is inside the indexed vault {above}: ask that vault (`notelink {command} "
            f"{shlex.quote(name)}{rest}`); `notelink index {shlex.quote(typed or str(vault))}` would build a "
            "second index, of this folder alone")

"""What a vault leaves out (`Ignore`): dot-folders and dot-files, files that are no notes, the vault's
`.gitignore` and `.notelinkignore` files, the user's exclude patterns, a Dendron workspace's other folders.
One list for every reader: the indexer, the watcher, the app and export."""

from __future__ import annotations

import functools
import os
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from pathspec import GitIgnoreSpec

from notelink.errors import ArgumentError

NOTE_SUFFIX = ".md"
IGNORE_FILES = (".gitignore", ".notelinkignore")
"""Files in any folder of the vault whose gitignore-syntax patterns leave paths out (under that folder)."""
WORKSPACE_FILE = "dendron.yml"
"""A Dendron workspace's file at the vault's root: only the vault folders it lists hold notes."""
BY_PATTERNS = "the exclude patterns"
"""What `Ignore.left_out_by` says of a path that the user's patterns leave out."""


class Ignore:
    """What a vault leaves out, one list for every reader (index, watcher, app, export): dot-folders and
    dot-files, files that are no notes, the patterns of `.gitignore` and `.notelinkignore` files in the
    vault's folders (each for the paths under its folder, the deepest deciding, as git does), and the
    user's patterns (`--exclude`, the config file; gitignore syntax, relative to the vault).

    Patterns are matched by `pathspec`, git's own rules (`**`, `!negation`, `dir/`, anchoring): a
    hand-written matcher would get some of them subtly wrong. A line of an ignore file that is no pattern is
    skipped, as git skips it, and said (`unusable`); one of the user's patterns is an ArgumentError."""

    def __init__(self, root: Path, patterns: tuple[str, ...] | None = ()) -> None:
        self.root = root
        self.patterns = tuple(patterns or ())
        check_patterns(self.patterns)
        self._user = GitIgnoreSpec.from_lines(self.patterns)
        self._specs: dict[str, list[tuple[str, GitIgnoreSpec]]] = {}
        self._unusable: dict[str, str] = {}

    def forget(self) -> None:
        """Reads the ignore files, and the Dendron workspace's vault list, again on next use (one of them
        changed)."""
        self._specs.clear()
        self._unusable.clear()
        self.__dict__.pop("_workspace", None)

    def _spec(self, folder: str) -> list[tuple[str, GitIgnoreSpec]]:
        """The ignore files in `folder` ("" the vault) with their patterns, in the order they apply (a later
        file's matching line decides, as a later line does)."""
        if folder not in self._specs:
            files = [f"{folder}/{name}" if folder else name for name in IGNORE_FILES]
            self._specs[folder] = [(rel, spec) for rel in files if (spec := self._read(rel)) is not None]
        return self._specs[folder]

    def _read(self, rel: str) -> GitIgnoreSpec | None:
        """The patterns of the ignore file `rel`, None when there is none (or it cannot be read). Its lines
        that are no pattern are left out, as git leaves them out, and kept to be said (`unusable`)."""
        try:
            lines = (self.root / rel).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return None
        spec, bad = _usable(lines)
        if bad:
            self._unusable[rel] = _bad_lines(bad)
        return spec

    def unusable(self) -> list[tuple[str, str]]:
        """The ignore files read so far that have lines which are no gitignore pattern: (path, which lines
        were skipped), one a file (a build lists them with the skipped files)."""
        return sorted(self._unusable.items())

    def ignored(self, rel: str, is_dir: bool = False) -> bool:
        """True when the vault-relative path (a folder with `is_dir`), or a folder above it, is left out."""
        return self.left_out_by(rel, is_dir) is not None

    def left_out_by(self, rel: str, is_dir: bool = False, any_type: bool = False) -> str | None:
        """What leaves the vault-relative path (a folder with `is_dir`), or a folder above it, out (None:
        nothing), for messages: a dot-name, no note (unless `any_type`: a file of another type, looked at as
        a note would be), the Dendron workspace (`WORKSPACE_FILE`), the user's patterns (`BY_PATTERNS`), or
        the path of the ignore file that decides (as git decides)."""
        parts = rel.split("/")
        if any(p.startswith(".") for p in parts):
            return "a dot-folder or dot-file"
        if not is_dir and not any_type and not rel.lower().endswith(NOTE_SUFFIX):
            return "no *.md file"
        if not self._in_workspace(rel, is_dir):
            return WORKSPACE_FILE
        for k in range(1, len(parts)):
            if (by := self._excluded_by("/".join(parts[:k]), True)) is not None:
                return by
        return self._excluded_by(rel, is_dir)

    def _in_workspace(self, rel: str, is_dir: bool) -> bool:
        """Whether `rel` is in one of the Dendron workspace's vault folders (or, a folder, holds one): in a
        Dendron workspace, files beside its vaults (a root `LICENSE.md`, `README.md`) are no notes."""
        vaults = self._workspace
        if vaults is None:
            return True
        inside = any(rel.startswith(v + "/") for v in vaults)
        return inside or (is_dir and any(rel == v or v.startswith(rel + "/") for v in vaults))

    @functools.cached_property
    def _workspace(self) -> tuple[str, ...] | None:
        """`dendron_vaults` of the root, read at first use."""
        return dendron_vaults(self.root)

    def excluded_by_patterns(self, rel: str) -> bool:
        """True when the user's patterns alone leave the note out (ignore files are not read)."""
        parts = rel.split("/")
        folders = ["/".join(parts[:k]) + "/" for k in range(1, len(parts))]
        return any(self._user.match_file(p) for p in (*folders, rel))

    def _excluded_by(self, rel: str, is_dir: bool) -> str | None:
        """What leaves this one path (not the folders above it) out: the user's patterns (`BY_PATTERNS`), else
        the ignore file whose matching line decides (the deepest folder's last, as in git); None: neither."""
        path = rel + "/" if is_dir else rel
        if self._user.match_file(path):
            return BY_PATTERNS
        parts, decider = rel.split("/"), None
        for depth in range(len(parts)):
            folder = "/".join(parts[:depth])
            for source, spec in self._spec(folder):
                found = spec.check_file(path[len(folder) + 1:] if folder else path).include
                if found is not None:
                    decider = source if found else None
        return decider


_FIXES = {BY_PATTERNS: "give others with --exclude (`--exclude ''` clears those saved with the index) or "
                       "in the config file's [index] exclude",
          WORKSPACE_FILE: "in a Dendron workspace only the folders its dendron.yml lists as vaults hold "
                          "notes"}
_FIX_FILE = ("edit that file, or re-include notes with `!pattern` lines in a .notelinkignore beside it "
             "(notelink reads .gitignore and .notelinkignore files as git does)")


def no_notes(root: Path, ignore: Ignore) -> str:
    """Why `root` has no note to index, for people: it has no `*.md` file (outside dot-folders), or every one
    is left out: by what (how many each, when more than one thing does) and what to change."""
    causes = Counter(by for rel in _markdown_files(root) if (by := ignore.left_out_by(rel)))
    if not causes:
        return f"no notes found in {root}: notelink indexes *.md files (dot-folders skipped)"
    patterns = ", ".join(map(repr, ignore.patterns))
    named = {by: f"{by} ({patterns})" if by == BY_PATTERNS else by for by in causes}
    ranked = sorted(causes, key=lambda by: (-causes[by], named[by]))
    said = [named[by] + (f" ({causes[by]})" if len(causes) > 1 else "") for by in ranked]
    fixes = "; ".join(dict.fromkeys(_FIXES.get(by, _FIX_FILE) for by in ranked))
    n = sum(causes.values())
    found = f"{n} notes found in {root}, but every one is" if n > 1 else f"1 note found in {root}, but it is"
    return f"{found} left out by {', '.join(said)}: {fixes}"


def _markdown_files(root: Path) -> Iterator[str]:
    """Vault-relative paths of the `*.md` files outside dot-folders: the notes before any pattern applies."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        prefix = os.path.relpath(dirpath, root).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        yield from (prefix + name for name in filenames
                    if not name.startswith(".") and name.lower().endswith(NOTE_SUFFIX))


def pattern_problem(pattern: str) -> str | None:
    """Why `pattern` is no gitignore pattern (None: it is one): a lone `!`, a `\\` escaping nothing, a
    range Python's regular expressions refuse (`[z-a]`). Git matches nothing with such a line."""
    try:
        GitIgnoreSpec.from_lines([pattern])
    except re.error as exc:
        return exc.msg
    except ValueError as exc:  # pathspec's GitIgnorePatternError, the reason in its cause
        why = str(exc.__cause__ or exc)
        if why.startswith("Escape character"):
            return "its last `\\` escapes nothing"
        return "it leaves nothing to match" if "normalized to nothing" in why else why.rstrip(".")
    return None


def check_patterns(patterns: tuple[str, ...], given: str = "") -> None:
    """ArgumentError naming the first of the user's exclude `patterns` that is no gitignore pattern, and
    where it was `given` (`--exclude`, the config file): a pattern the user wrote is theirs to fix, not
    one to skip without a word."""
    for pattern in patterns:
        if (why := pattern_problem(pattern)) is not None:
            where = f" ({given})" if given else ""
            raise ArgumentError(f"the exclude pattern {pattern!r}{where} is not gitignore syntax ({why}): "
                                "fix or remove it (gitignore lines, relative to the vault: `drafts/`, "
                                "`*.tmp.md`)")


def _usable(lines: list[str]) -> tuple[GitIgnoreSpec, dict[int, str]]:
    """The patterns of an ignore file's `lines`, less those that are none, and those as {line number: line}
    (checked one by one only when the file as a whole fails)."""
    try:
        return GitIgnoreSpec.from_lines(lines), {}
    except (ValueError, re.error):
        bad = {n: line for n, line in enumerate(lines, 1) if pattern_problem(line) is not None}
        return GitIgnoreSpec.from_lines(line for n, line in enumerate(lines, 1) if n not in bad), bad


def _bad_lines(bad: dict[int, str]) -> str:
    """An ignore file's skipped lines, as a skipped file's reason."""
    listed = ", ".join(f"{n} ({line!r})" for n, line in bad.items())
    if len(bad) == 1:
        return (f"line {listed} is no gitignore pattern: skipped (git matches nothing with it either); the "
                "rest of the file applies")
    return (f"lines {listed} are no gitignore patterns: skipped (git matches nothing with them either); the "
            "rest of the file applies")


def dendron_vaults(root: Path) -> tuple[str, ...] | None:
    """The vault-relative folders of a Dendron workspace's vaults (`dendron.yml`: workspace.vaults[].fsPath),
    or None: no `dendron.yml`, one that cannot be read, a vault at the root (`.`), or none of its vaults a
    folder inside `root` (vaults elsewhere: every note here counts, as without the file)."""
    try:
        text = (root / WORKSPACE_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    import yaml  # (here, once there is a dendron.yml: PyYAML is 30 ms of `status`'s start)

    try:
        data = yaml.safe_load(text)
        paths = [str(v["fsPath"]) for v in data["workspace"]["vaults"]]
    except (yaml.YAMLError, KeyError, TypeError):
        return None
    folders = [os.path.normpath(p).replace(os.sep, "/") for p in paths]
    if "." in folders:
        return None
    inside = tuple(f for f in folders if not f.startswith(("../", "/")) and (root / f).is_dir())
    return inside or None

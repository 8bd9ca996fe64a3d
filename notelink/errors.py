"""What can go wrong, as exceptions a caller can act on: the CLI turns them into messages and exit codes,
the Python API and the MCP server document and return them. Every message says what happened and what to do.

The bottom of the package: imports nothing of notelink, so any layer may raise these.
"""

from __future__ import annotations

import re
import shlex

ECHOED = 200
"""How much of a name or query an answer or error says back (a client's 1 MB query is not sent back whole)."""


def echoed(text: str, most: int = ECHOED) -> str:
    """`text` as said back to whoever gave it: cut at `most` characters, with an ellipsis when cut."""
    return text if len(text) <= most else text[:most - 1] + "\u2026"


_COMMAND = re.compile(r"`notelink (index|check|status|link)(?: VAULT)?((?: --[a-z-]+)*)`")
"""A command a message suggests as `notelink index` (`--force`...) or `notelink link VAULT --undo`, which
knows neither the vault as the user named it nor the index folder they gave."""


def with_vault(text: str, vault: str, index_dir: str | None = None) -> str:
    """`text` with each command it suggests (`notelink index`, `check`, `status`, `link`) completed with
    `vault` and, when given (an index folder other than the usual one), `--index-dir`: a command to run as
    it is."""
    def command(match: re.Match[str]) -> str:
        words = ["notelink", match[1], vault, *match[2].split()]
        return f"`{shlex.join(words + (['--index-dir', index_dir] if index_dir else []))}`"
    return _COMMAND.sub(command, text)


class NotelinkError(Exception):
    """Base of the errors below."""


class VaultError(NotelinkError):
    """The vault itself cannot be used (missing, not a folder, no notes)."""


class NoNotes(VaultError):
    """The vault has no notes (yet): for `index` an error, for a watcher a state to wait out."""


class IndexMissing(NotelinkError):
    """No index has been built for this vault yet."""


class IndexFormatError(NotelinkError):
    """The index on disk was written by an incompatible notelink version or is damaged."""

    def of_vault(self, vault: str, index_dir: str | None = None) -> IndexFormatError:
        """This error (same class), its suggested commands completed with `vault` and `index_dir`
        (`with_vault`): what the Python API raises, and the CLI and the MCP server say, for their vault."""
        return type(self)(with_vault(str(self), vault, index_dir))


class IndexDamaged(IndexFormatError):
    """A generation on disk is damaged (a truncated or missing array, a broken database); the message says
    what. `notelink index` sets it aside and rebuilds; `notelink check` lists every problem."""

    code = 2


class IndexDirError(NotelinkError):
    """The index folder cannot be created or written; the message says which and what to do."""


class OtherVaultsIndex(IndexDirError):
    """The index folder holds the index of another vault (an --index-dir or NOTELINK_INDEX_DIR that names
    it): answers from it would be that vault's, and a build would replace it."""


class DiskFull(IndexDirError):
    """No space left where the index is written; the live generation is untouched and still served."""


class NotFound(NotelinkError, LookupError):
    """A note or word the index does not know; `suggestions` are close matches."""

    def __init__(self, what: str, name: str, suggestions: list[str], why: str | None = None) -> None:
        """`why`, when known, replaces the plain message (a skipped file, a stop word)."""
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(why or f"no {what} named {echoed(name)!r} in the index{hint}")
        self.suggestions = suggestions


class ArgumentError(NotelinkError, ValueError):
    """An argument the Python API cannot use (a count below 1, a name that is not text); the message says
    which and what it must be (the CLI and the MCP server check theirs before asking)."""

    code = 2


class ConfigError(NotelinkError):
    """The config file cannot be read or holds a setting notelink cannot use; the message says where."""

    code = 2


class OutputError(NotelinkError):
    """An output file cannot be written; the message says why and what to do."""

    code = 2


class DeviceError(NotelinkError):
    """The requested training device is not available."""


class TrainingDiverged(NotelinkError):
    """Training produced word vectors that are not finite numbers; nothing was written from them."""


class Cancelled(NotelinkError):
    """A build was asked to stop (while waiting for another build, parsing or training) before it finished."""

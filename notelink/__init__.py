"""notelink: related notes and concepts learned from your own Markdown vault.

    import notelink
    vault = notelink.open("~/notes")        # a `notelink.api.Vault`
    vault.related("Some note", top=5)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (imported when called: `import notelink` stays light for the command line)
    from pathlib import Path

    from notelink.api import Vault

__version__ = "0.1.0"


def open(vault: Path | str, index_dir: Path | str | None = None) -> Vault:
    """The vault at `vault` (a folder, or a name from the config file's `[vaults]`) and its index (default:
    where `notelink index` put it): a `notelink.api.Vault`, whose methods are `related`, `concepts`,
    `similar`, `similar_words`, `search`, `note`, `find`, `named`, `also_named`, `mentions`, `health` and
    `status` (questions), `why_none` (why an empty answer is empty), `empty` (a note of no text but its
    title); `link` and `undo_links` (they write
    into notes only with `write=True`); `close` (or use it in a `with`). See `help(notelink.api.Vault)`
    for each."""
    from notelink.api import open_vault

    return open_vault(vault, index_dir)

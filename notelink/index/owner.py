"""Which vault an index belongs to: a generation records the vault it was built from, and an index folder
named for another vault (an --index-dir or NOTELINK_INDEX_DIR set for it) is refused, never answered from
or built over, while a vault folder moved or renamed keeps its index."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from notelink.errors import OtherVaultsIndex


def other_vault(meta: dict[str, Any], vault: Path) -> str | None:
    """The vault a generation was built from, when that is another vault that is still there; None when it
    is `vault`, unknown, or gone (a vault folder moved or renamed keeps its index: the next build records
    the new path)."""
    built = meta.get("vault")
    if not built or os.path.realpath(str(built)) == os.path.realpath(vault) or not os.path.isdir(str(built)):
        return None
    return str(built)


def other_vaults_index(index_dir: Path, built: str, vault: Path, force_to_replace: bool = False
                       ) -> OtherVaultsIndex:
    """The error for an index folder that holds another vault's index."""
    fix = "; `--force` replaces it with this vault's index" if force_to_replace else ""
    return OtherVaultsIndex(f"the index at {index_dir} was built from {built}, not {vault}: give that vault, "
                            "or this vault's own index folder with --index-dir (is NOTELINK_INDEX_DIR set?)"
                            + fix)

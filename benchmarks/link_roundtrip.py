"""The link round trip on a copy of a vault: a link written for each of the N strongest unlinked
suggestions (related notes not linked either way), each as `notelink link --write` does it (the first
unlinked mention wrapped, else under "See also"), then every one undone; the vault must come back
byte-identical.

    .venv/bin/python benchmarks/link_roundtrip.py VAULT [--top 100]

VAULT is copied to a temporary folder and indexed there; the original is never touched."""

from __future__ import annotations

import argparse
import hashlib
import shutil
import tempfile
import time
from pathlib import Path

from notelink.api import Vault
from notelink.config import ExportConfig
from notelink.index.build import build_index
from notelink.write.export import edges


def tree_hash(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("vault", type=Path)
    ap.add_argument("--top", type=int, default=100)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        vault, ix = Path(tmp) / "vault", Path(tmp) / "ix"
        shutil.copytree(args.vault, vault)
        build_index(vault, ix)
        before = tree_hash(vault)
        v = Vault(vault, ix)
        suggestions = edges(v.index, ExportConfig(top=10, unlinked=True))[: args.top]
        t0, written, refused, mentions = time.perf_counter(), 0, [], 0
        for e in suggestions:
            a, b = v.index.notes[e.source], v.index.notes[e.target]
            edits = v.link(a.path, b.path, write=True)
            written += len(edits.written)
            mentions += "\n-- [[" not in edits.diff and "\n+- " not in edits.diff
            refused += edits.refused
        t1 = time.perf_counter()
        changed = sum(1 for k, h in tree_hash(vault).items() if before.get(k) != h and not k.startswith("."))
        undone = v.undo_links(every=True, write=True)
        t2 = time.perf_counter()
        after = tree_hash(vault)
    print(f"suggestions {len(suggestions)}: written {written} (as a wrapped mention {mentions}), "
          f"refused {len(refused)}; notes changed {changed}; link {t1 - t0:.2f} s")
    for path, reason in refused[:5]:
        print(f"  refused: {path}: {reason}")
    print(f"undo: put back {len(undone.written)} writes, refused {len(undone.refused)}, {t2 - t1:.2f} s")
    print("vault byte-identical after undo:", after == before)


if __name__ == "__main__":
    main()

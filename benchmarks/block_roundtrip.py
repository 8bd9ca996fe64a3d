"""Export + write + rewrite + undo over the whole obsidian-help vault (2,300 notes), ending byte-identical.

    .venv/bin/python benchmarks/block_roundtrip.py [--vault PATH] [--dim 16 --epochs 2]

Copies the vault to a temporary folder, indexes it, times every export format, then writes the block into
every note, rewrites it with other settings, checks that a second run writes nothing and that indexing
again finds nothing changed, and undoes it; the copy must end byte-identical to the original.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import shutil
import stat
import sys
import tempfile
import time
from pathlib import Path

from notelink.config import ExportConfig, TrainConfig
from notelink.index.build import build_index
from notelink.query.index import Index
from notelink.write import export, notewriter

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _snapshot(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _timed(results: dict[str, float], name: str, fn):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    value = fn()
    results[name] = round(time.perf_counter() - t0, 3)
    return value


def main() -> int:
    default = next((p for p in (SHARED / "vaults/obsidian-help", Path("/work/shared/vaults/obsidian-help"))
                    if p.is_dir()), None)
    ap = argparse.ArgumentParser()
    ap.add_argument("--vault", type=Path, default=default)
    ap.add_argument("--dim", type=int, default=16)
    ap.add_argument("--epochs", type=int, default=2)
    args = ap.parse_args()
    if args.vault is None or not args.vault.is_dir():
        print("no vault: give --vault PATH", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        vault, ixdir = Path(tmp) / "vault", Path(tmp) / "index"
        shutil.copytree(args.vault, vault, symlinks=True)
        for path in vault.rglob("*.md"):  # a user's own notes are writable (the shared copy is read-only,
            if not path.is_symlink():  # and notelink leaves read-only notes alone)
                path.chmod(path.stat().st_mode | stat.S_IWUSR)
        original = _snapshot(vault)
        t: dict[str, float] = {}
        cfg = TrainConfig(dim=args.dim, epochs=args.epochs, min_count=1, threads=1, device="cpu")
        _timed(t, "index_s", lambda: build_index(vault, ixdir, cfg))
        index = Index.open(ixdir)
        for fmt in ("csv", "graphml", "markdown"):
            fn = getattr(export, f"export_{fmt}")
            _timed(t, f"export_{fmt}_s", lambda fn=fn: fn(index, io.StringIO(), ExportConfig()))
        _timed(t, "export_json_s", lambda: export.export_json(index))
        plan = _timed(t, "plan_write_s", lambda: notewriter.plan_blocks(index, vault, ExportConfig()))
        first = _timed(t, "write_s", lambda: notewriter.apply(plan))
        rewrite_plan = notewriter.plan_blocks(index, vault, ExportConfig(top=5, unlinked=True))
        rewrite = _timed(t, "rewrite_s", lambda: notewriter.apply(rewrite_plan))
        again = _timed(t, "second_run_plan_s",
                       lambda: notewriter.plan_blocks(index, vault, ExportConfig(top=5, unlinked=True)))
        reindex = _timed(t, "reindex_s", lambda: build_index(vault, ixdir, cfg))
        undo_plan = _timed(t, "plan_undo_s", lambda: notewriter.plan_undo(vault))
        undone = _timed(t, "undo_s", lambda: notewriter.apply(undo_plan))
        identical = _snapshot(vault) == original
    result = {"notes": len(index.notes), "written": len(first.written),
              "refused": [f"{r.path}: {r.reason}" for r in first.refused],
              "rewritten": len(rewrite.written), "second_run_changes": len(again.changes),
              "reindex_up_to_date": reindex.up_to_date, "undone": len(undone.written),
              "byte_identical": identical, **t}
    print(json.dumps(result, indent=2))
    ok = identical and reindex.up_to_date and not again.changes
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

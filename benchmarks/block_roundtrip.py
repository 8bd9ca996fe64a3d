"""Export + write + rewrite + undo over the whole obsidian-help vault (2,300 notes), ending byte-identical.

    .venv/bin/python benchmarks/block_roundtrip.py [--vault PATH] [--dim 16 --epochs 2] [--logseq]

Copies the vault to a temporary folder, indexes it, times every export format, then writes the block into
every note, rewrites it with other settings, checks that a second run writes nothing and that indexing
again finds nothing changed, and undoes it; the copy must end byte-identical to the original.

`--logseq`: the vault as a Logseq graph (a Markdown vault made one: each paragraph a block, code blocks
kept whole, `logseq/config.edn` added), and Logseq saving every page after each write
(`tests/notes/logseq_save.py`: what Logseq's source does to a page it saves). The blocks must still be
found and current after the save, and the undo must leave each page as Logseq saves the page alone.
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


def _as_logseq(vault: Path) -> None:
    """A Markdown vault made a Logseq graph in place: each paragraph a top-level block, its other lines
    (a code block's too, front matter's too) indented under it."""
    (vault / "logseq").mkdir(exist_ok=True)
    (vault / "logseq" / "config.edn").write_text("{:preferred-format :markdown}\n", encoding="utf-8")
    for path in vault.rglob("*.md"):
        if path.is_symlink():
            continue
        lines, out, fence, first = path.read_text("utf-8", "surrogateescape").split("\n"), [], "", True
        for line in lines:
            if not line.strip() and not fence:
                first = True
                continue
            mark = line.lstrip()[:3]
            out.append(("- " if first else "  ") + line)
            first = False
            if mark in ("```", "~~~"):
                fence = "" if fence == mark else fence or mark
        path.write_text("\n".join(out) + "\n", encoding="utf-8", errors="surrogateescape")


def _logseq_saves(vault: Path) -> None:
    """Logseq saving every page of the graph (the block's and the user's text as Logseq writes them)."""
    from tests.notes.logseq_save import resave

    for path in vault.rglob("*.md"):
        if not path.is_symlink():
            path.write_text(resave(path.read_text("utf-8", "surrogateescape")), "utf-8", "surrogateescape")


def main() -> int:
    default = next((p for p in (SHARED / "vaults/obsidian-help", Path("/work/shared/vaults/obsidian-help"))
                    if p.is_dir()), None)
    ap = argparse.ArgumentParser()
    ap.add_argument("--vault", type=Path, default=default)
    ap.add_argument("--dim", type=int, default=16)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--logseq", action="store_true", help="as a Logseq graph that Logseq saves")
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
        if args.logseq and not (vault / "logseq").is_dir():
            _as_logseq(vault)
        original = _snapshot(vault)
        if args.logseq:
            return _logseq_roundtrip(vault, ixdir, args)
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


def _logseq_roundtrip(vault: Path, ixdir: Path, args: argparse.Namespace) -> int:
    """Write, Logseq saves, index again, a second run (must write nothing), rewrite, Logseq saves, undo:
    each page must end as Logseq saves it without the block."""
    t: dict[str, float] = {}
    cfg = TrainConfig(dim=args.dim, epochs=args.epochs, min_count=1, threads=1, device="cpu")
    _logseq_saves(vault)  # (the pages as Logseq has them before notelink: what the undo must give back)
    saved = _snapshot(vault)
    _timed(t, "index_s", lambda: build_index(vault, ixdir, cfg))
    index = Index.open(ixdir)
    plan = notewriter.plan_blocks(index, vault, ExportConfig())
    first = _timed(t, "write_s", lambda: notewriter.apply(plan))
    _timed(t, "logseq_save_s", lambda: _logseq_saves(vault))
    reindex = _timed(t, "reindex_s", lambda: build_index(vault, ixdir, cfg))
    index = Index.open(ixdir)
    again = _timed(t, "second_run_plan_s", lambda: notewriter.plan_blocks(index, vault, ExportConfig()))
    rewrite = notewriter.apply(notewriter.plan_blocks(index, vault, ExportConfig(top=5, unlinked=True)))
    _logseq_saves(vault)
    undo_plan = _timed(t, "plan_undo_s", lambda: notewriter.plan_undo(vault))
    undone = _timed(t, "undo_s", lambda: notewriter.apply(undo_plan))
    identical = _snapshot(vault) == saved
    same_refused = {r.path for r in again.refused} == {r.path for r in first.refused}
    result = {"notes": len(index.notes), "written": len(first.written),
              "refused": [f"{r.path}: {r.reason}" for r in first.refused],
              "reindex_up_to_date_after_logseq_save": reindex.up_to_date,
              "second_run_changes": len(again.changes), "second_run_refused": len(again.refused),
              "second_run_refused_as_first": same_refused,
              "rewritten": len(rewrite.written), "undone": len(undone.written),
              "undo_refused": [f"{r.path}: {r.reason}" for r in undone.refused],
              "byte_identical_to_logseqs_save": identical, **t}
    print(json.dumps(result, indent=2))
    return 0 if identical and reindex.up_to_date and not again.changes and same_refused else 1


if __name__ == "__main__":
    sys.exit(main())

"""An incremental build's cost after a one-line edit, or one note added, deleted or moved, in process, stage
by stage.

Copies a ready index (built for VAULT) to a scratch folder, changes the vault (appends a line to the note a
third of the way down the sorted list, adds a note beside the one halfway down, deletes the note halfway
down, or moves the note a third of the way down to the folder of the one two thirds down), runs
`build_index(..., incremental=IncrementalConfig())` as the watcher's build child does (torch imported
first, the cycle collector off), puts the vault back, and prints the wall time and when each stage began.
Run it with PYTHONPATH naming the source tree to measure; give each tree a ready index it wrote itself
(an update of a copy, as `--prepare` makes), since a build reads what the last one saved.

    python benchmarks/update_cost.py VAULT READY_INDEX edit|add|delete|move [--repeats N] [--profile]
    python benchmarks/update_cost.py VAULT SOURCE_INDEX --prepare READY_INDEX
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from notelink.config import IncrementalConfig
from notelink.index.build import build_index
from notelink.model import cbow


def change(vault: Path, kind: str, rep: int) -> tuple[Path, bytes | None, Path | None]:
    """Makes the change; returns the file, its earlier bytes (None: a file added) and where it was
    moved to."""
    notes = sorted(vault.rglob("*.md"))
    if kind == "delete":
        target = notes[len(notes) // 2]
        before = target.read_bytes()
        target.unlink()
        return target, before, None
    if kind == "move":
        target = notes[len(notes) // 3]
        moved = notes[2 * len(notes) // 3].parent / f"zz-moved-{rep}-{target.name}"
        target.rename(moved)
        return target, None, moved
    if kind == "edit":
        target = notes[len(notes) // 3]
        before = target.read_bytes()
        target.write_bytes(before + f"\nA one line edit about quasar telemetry number {rep}.\n".encode())
        return target, before, None
    added = notes[len(notes) // 2].parent / f"zz-added-{rep}.md"
    added.write_text(f"# Added note {rep}\n\nA new note about quasar telemetry and the {notes[5].stem} "
                     "note.\n", encoding="utf-8")
    return added, None, None


def undo(path: Path, before: bytes | None, moved: Path | None = None) -> None:
    if moved is not None:
        moved.rename(path)
    elif before is None:
        path.unlink(missing_ok=True)
    else:
        path.write_bytes(before)


def one(vault: Path, index: Path, kind: str, rep: int, profile: bool) -> str:
    """One timed build on `index` after a change; the line to print."""
    stages: list[tuple[str, float]] = []
    t0 = time.perf_counter()

    def progress(ev: Any) -> None:
        if not stages or stages[-1][0] != ev.stage:
            stages.append((ev.stage, time.perf_counter() - t0))

    path, before, moved = change(vault, kind, rep)
    prof = cProfile.Profile() if profile else None
    try:
        t0 = time.perf_counter()
        if prof:
            prof.enable()
        s = build_index(vault, index, incremental=IncrementalConfig(), progress=progress)
        wall = time.perf_counter() - t0
    finally:
        if prof:
            prof.disable()
        undo(path, before, moved)
    if prof:
        pstats.Stats(prof).sort_stats("cumtime").print_stats(40)
    marks = " ".join(f"{name}@{t:.2f}" for name, t in stages)
    return f"{kind} {rep}: wall {wall:.2f}s mode={s.mode} reparsed={s.reparsed} | {marks}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("vault", type=Path)
    ap.add_argument("index", type=Path)
    ap.add_argument("kind", nargs="?", choices=["edit", "add", "delete", "move"], default="edit")
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--prepare", type=Path, help="copy INDEX here and update it twice (an edit, undone)")
    a = ap.parse_args()
    gc.disable()  # as notelink/watch/builder.py's build child, which also has torch loaded already:
    cbow.warm_up()
    if a.prepare:
        shutil.rmtree(a.prepare, ignore_errors=True)
        shutil.copytree(a.index, a.prepare)
        path, before, _ = change(a.vault, "edit", 0)
        try:
            build_index(a.vault, a.prepare, incremental=IncrementalConfig())
        finally:
            undo(path, before)
        build_index(a.vault, a.prepare, incremental=IncrementalConfig())
        return
    with tempfile.TemporaryDirectory(prefix="update-cost-") as tmp:
        for rep in range(a.repeats):
            work = Path(tmp) / f"ix{rep}"
            shutil.copytree(a.index, work)
            print(one(a.vault, work, a.kind, rep, a.profile), flush=True)
            shutil.rmtree(work)


if __name__ == "__main__":
    main()

"""A first build interrupted as training begins, then `notelink index` again: what the second run parses.

Runs `notelink index VAULT --index-dir SCRATCH` in this process as the CLI does and sends it SIGINT (Ctrl-C)
as it enters training, then `notelink index VAULT --index-dir SCRATCH --json` in a fresh process, and prints
both runs' figures (with `index.checkpoint`: the checkpoint's write and read seconds and size). The vault is
only read. Run it with PYTHONPATH naming the source tree to measure; the same script measures a tree from
before the checkpoint existed (it then reports no checkpoint figures).

    python benchmarks/interrupted_build.py VAULT SCRATCH_DIR
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from notelink.cli import main as cli
from notelink.index import build


def interrupted(vault: Path, ix: Path) -> dict[str, Any]:
    """The first build, stopped by SIGINT as `_train` begins; its seconds to that point and in all."""
    sent: list[float] = []
    figures: dict[str, Any] = {}
    train = build._train

    def stopped(*args: Any, **kwargs: Any) -> Any:
        sent.append(time.perf_counter())
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)  # the handler raises KeyboardInterrupt here
        return train(*args, **kwargs)

    def timed(write: Any) -> Any:
        """`write`, its seconds added to the checkpoint's (its tables, then its token arrays)."""
        def run(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return write(*args, **kwargs)
            finally:
                seconds = figures.get("checkpoint_write_s", 0.0) + time.perf_counter() - t
                figures["checkpoint_write_s"] = round(seconds, 2)
        return run

    build._train = stopped  # type: ignore[assignment]
    for name in ("save", "save_arrays"):  # (what the tree has of them: none before the checkpoint existed)
        if hasattr(getattr(build, "checkpoint", None), name):
            setattr(build.checkpoint, name, timed(getattr(build.checkpoint, name)))
    t0 = time.perf_counter()
    code = cli.main(["index", str(vault), "--index-dir", str(ix)])
    return figures | {"exit": code, "seconds_to_training": round(sent[0] - t0, 1),
                      "seconds": round(time.perf_counter() - t0, 1)}


def kept(vault: Path, ix: Path) -> dict[str, Any]:
    """The checkpoint's size and the seconds to read it back (none before it existed)."""
    if not hasattr(build, "checkpoint") or not build.checkpoint.exists(ix):
        return {}
    from notelink.config import IndexConfig
    from notelink.index.previous import settled
    from notelink.notes.vault import check_vault

    vault = check_vault(vault)
    t = time.perf_counter()
    notes = len(build.checkpoint.Checkpoint.load(ix, vault, settled(vault, ix, IndexConfig())).records)
    return {"checkpoint_read_s": round(time.perf_counter() - t, 2), "checkpoint_notes": notes,
            "checkpoint_mb": round(sum(f.stat().st_size for f in (ix / "parsed").iterdir()) / 1e6, 1)}


def again(vault: Path, ix: Path) -> dict[str, Any]:
    """`notelink index --json` in a fresh process, as a user runs it next."""
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "notelink", "index", str(vault), "--index-dir", str(ix),
                          "--json"], capture_output=True, text=True, check=True).stdout
    said = json.loads(out)
    keys = ("reparsed", "reused", "resumed", "parse_seconds", "train_seconds", "total_seconds")
    return {k: said.get(k) for k in keys} | {"wall_s": round(time.perf_counter() - t, 1)}


def main() -> None:
    vault, scratch = Path(sys.argv[1]), Path(sys.argv[2])
    shutil.rmtree(scratch, ignore_errors=True)
    ix = scratch / "ix"
    first = interrupted(vault, ix)
    print(json.dumps({"interrupted": first | kept(vault, ix), "next": again(vault, ix)}), flush=True)


if __name__ == "__main__":
    main()

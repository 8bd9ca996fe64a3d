"""The per-note budget (issue 15, item 6): every note indexed or skipped within 2 s of CPU and 256 MB,
whatever it holds. Each note of tests/notes/pathological.py is written to a file and read, parsed and
tokenized (`records._parse_safely`, what a build does to one note) by a fresh Python process:

    flock /tmp/notelink-bench.lock .venv/bin/python benchmarks/parse_budget.py [--repeat 3] [--case NAME]

CPU is the process time of that one call (min-max over the repeats); memory is the process's peak RSS
(interpreter, imports and the note's text included: an upper bound), next to the peak of a process that
reads a one-line note. The notes are written by another process, so that this one stays small (a child's
peak RSS starts from its parent's). Exit status 1 when a note goes over the budget.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CPU_BUDGET_S = 2.0
MEMORY_BUDGET_MB = 256


def _child(folder: str, rel: str) -> None:
    """In the measured process: one note, as a build reads it."""
    from notelink.config import IndexConfig
    from notelink.notes.records import Unread, _parse_safely

    t0 = time.process_time()
    out = _parse_safely(Unread(Path(folder), rel), IndexConfig())
    cpu = time.process_time() - t0
    what = getattr(out, "reason", None)
    print(json.dumps({"cpu": cpu, "outcome": "skipped" if what is not None else "indexed",
                      "why": what if what is not None else getattr(out, "warning", "")}))


def _measure(folder: Path, rel: str) -> tuple[dict[str, object], float]:
    """(the child's report, its peak RSS in MB)."""
    proc = subprocess.Popen([sys.executable, __file__, "--child", str(folder), rel], stdout=subprocess.PIPE,
                            text=True, cwd=ROOT)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.stdout.close()
    if status != 0 or not out.strip():
        return {"cpu": float("nan"), "outcome": f"died (status {status})", "why": ""}, usage.ru_maxrss / 1024
    return json.loads(out), usage.ru_maxrss / 1024


def main() -> int:
    from tests.notes.pathological import CASES

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--case", action="append", help="only these cases (default: all)")
    args = ap.parse_args()
    names = args.case or list(CASES)
    over = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "tiny.md").write_text("# Tiny\nA one-line note.\n", encoding="utf-8")
        base = max(_measure(folder, "tiny.md")[1] for _ in range(args.repeat))
        print(f"budget: {CPU_BUDGET_S} s CPU, {MEMORY_BUDGET_MB} MB; a process reading a one-line note peaks "
              f"at {base:.0f} MB\n")
        print(f"| note | size | CPU s (min-max of {args.repeat}) | peak RSS MB | outcome |")
        print("|---|---:|---:|---:|---|")
        for name in names:
            subprocess.run([sys.executable, __file__, "--write", name, str(folder / "case.md")], check=True)
            size = (folder / "case.md").stat().st_size
            runs = [_measure(folder, "case.md") for _ in range(args.repeat)]
            cpus = [float(r["cpu"]) for r, _ in runs]  # type: ignore[arg-type]
            peak = max(m for _, m in runs)
            report = runs[0][0]
            why = str(report["why"])[:90]
            ok = max(cpus) <= CPU_BUDGET_S and peak <= MEMORY_BUDGET_MB
            over += not ok
            print(f"| {name} | {size / 1e6:.2f} MB | {min(cpus):.2f}-{max(cpus):.2f} | {peak:.0f} | "
                  f"{report['outcome']}{': ' + why if why else ''}{'' if ok else ' **OVER BUDGET**'} |",
                  flush=True)
    print(f"\n{len(names) - over} of {len(names)} notes within the budget")
    return 1 if over else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--write"]:
        from tests.notes.pathological import CASES

        Path(sys.argv[3]).write_text(CASES[sys.argv[2]](), encoding="utf-8")
    elif sys.argv[1:2] == ["--child"]:
        resource.setrlimit(resource.RLIMIT_CPU, (60, 60))  # a hang guard, far above the budget
        _child(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main())

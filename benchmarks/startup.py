"""How fast the command starts: `notelink --help`, `notelink COMMAND --help` and an argument error, against
`python3 -c "import argparse"` (the floor of any Python command line), run alternately, N times each.

    .venv/bin/python benchmarks/startup.py [--runs 20]

Prints each command's median and p90 wall time and its ratio to the floor (target: --help ≤ 2x)."""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time

CASES = {
    "python3 -c 'import argparse'": [sys.executable, "-c", "import argparse"],
    "notelink --help": ["notelink", "--help"],
    "notelink related --help": ["notelink", "related", "--help"],
    "notelink index --help": ["notelink", "index", "--help"],
    "notelink bogus (argument error)": ["notelink", "bogus-command", "x", "y"],
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    exe = shutil.which("notelink", path=str(__import__("pathlib").Path(sys.executable).parent))
    times: dict[str, list[float]] = {k: [] for k in CASES}
    for _ in range(args.runs):
        for name, cmd in CASES.items():
            cmd = [exe or "notelink", *cmd[1:]] if cmd[0] == "notelink" else cmd
            t0 = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            times[name].append(time.perf_counter() - t0)
    floor = statistics.median(times["python3 -c 'import argparse'"])
    print(f"{'command':36} {'median ms':>10} {'p90 ms':>8} {'ratio':>6}")
    for name, ts in times.items():
        med, p90 = statistics.median(ts), sorted(ts)[int(0.9 * (len(ts) - 1))]
        print(f"{name:36} {med * 1e3:10.1f} {p90 * 1e3:8.1f} {med / floor:6.2f}")


if __name__ == "__main__":
    main()

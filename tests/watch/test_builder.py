"""Builds in a child process: results, progress, errors and cancellation come back as if run in-process."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from notelink.config import TrainConfig
from notelink.errors import Cancelled, VaultError
from notelink.index.build import IndexEvent
from notelink.query.index import Index
from notelink.watch.builder import ChildBuilder

from ..conftest import FAST
from ..index.test_update import topic_vault


def test_a_child_build_reports_progress_and_its_summary(make_vault, tmp_path: Path) -> None:
    vault, ix = topic_vault(make_vault), tmp_path / "ix"
    builder = ChildBuilder()
    assert builder.warm_up("cpu") == ""
    events: list[IndexEvent] = []
    s = builder.build(vault, ix, events.append, lambda: False, train_cfg=FAST)
    assert s.generation == 1 and s.indexed == 12
    assert {"parse", "train", "vectors", "write"} <= {e.stage for e in events}
    assert Index.open(ix).meta["generation"] == 1


def test_a_child_build_raises_its_error_here(tmp_path: Path) -> None:
    with pytest.raises(VaultError, match="vault not found"):
        ChildBuilder().build(tmp_path / "missing", tmp_path / "ix", lambda e: None, lambda: False)


def test_a_child_build_is_cancelled_by_should_stop(make_vault, tmp_path: Path) -> None:
    vault, ix = topic_vault(make_vault), tmp_path / "ix"
    with pytest.raises(Cancelled):
        ChildBuilder().build(vault, ix, lambda e: None, lambda: True, train_cfg=FAST)
    assert not ix.exists() or not list(ix.glob("gen-*"))  # nothing half-written


def test_kill_ends_a_running_build_at_once(make_vault, tmp_path: Path) -> None:
    # what a watcher does when a build has not stopped by its deadline: the child is not daemonic, so the
    # watcher's exit would otherwise wait for it
    words = "sourdough starter flour water dough knead oven crust loaf yeast ferment rise bake".split()
    vault = make_vault({f"n{i}.md": " ".join(words[(i + k) % len(words)] for k in range(400))
                        for i in range(300)})
    builder = ChildBuilder()
    assert builder.warm_up("cpu") == ""
    slow = TrainConfig(dim=64, epochs=200, min_count=1, threads=1, device="cpu")  # trains for a while
    stages: list[str] = []

    def progress(event: IndexEvent) -> None:
        stages.append(event.stage)
        if event.stage == "train":
            builder.kill()

    started = time.monotonic()
    with pytest.raises(RuntimeError, match="died"):
        builder.build(vault, tmp_path / "ix", progress, lambda: False, train_cfg=slow)
    assert time.monotonic() - started < 120 and "train" in stages  # died, not hung
    assert not (tmp_path / "ix" / "CURRENT").exists()  # nothing switched in


def test_the_process_that_asks_for_builds_never_imports_torch(make_vault, tmp_path: Path) -> None:
    vault, ix = topic_vault(make_vault), tmp_path / "ix"
    code = f"""
import sys
from pathlib import Path
from notelink.watch.builder import ChildBuilder
from notelink.config import TrainConfig
from notelink.config import TrainConfig
cfg = TrainConfig(dim=16, epochs=1, min_count=1, threads=1, device="cpu")
vault, ix = Path({str(vault)!r}), Path({str(ix)!r})
s = ChildBuilder().build(vault, ix, lambda e: None, lambda: False, train_cfg=cfg)
assert s.generation == 1 and "torch" not in sys.modules
"""
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_a_child_build_starts_when_the_host_replaced_its_std_streams(tmp_path: Path) -> None:
    """The TUI (Textual) swaps sys.stdout/stderr for objects without a file descriptor; starting the fork
    server then failed with "bad value(s) in fds_to_keep". A fresh process, so the server starts here."""
    code = f"""
import io, sys
from pathlib import Path
from notelink.watch.builder import ChildBuilder
from notelink.config import TrainConfig
from tests.conftest import FAST, SAMPLE
class Capture(io.StringIO):  # as Textual's print capture: no real descriptor
    def fileno(self) -> int:
        return -1
sys.stdout, sys.stderr = Capture(), Capture()
ix = Path({str(tmp_path / "ix")!r})
s = ChildBuilder().build(SAMPLE, ix, lambda e: None, lambda: False, train_cfg=FAST)
sys.__stdout__.write(f"ok {{s.indexed}}")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0 and out.stdout.startswith("ok "), out.stdout + out.stderr


SHADOWED = """
import sys
from pathlib import Path

if __name__ == "__main__":
    from notelink.config import TrainConfig
    from notelink.watch.builder import ChildBuilder

    builder = ChildBuilder()
    print("warm up:", repr(builder.warm_up("cpu")))
    cfg = TrainConfig(dim=16, epochs=1, min_count=1, threads=1, device="cpu")
    try:
        s = builder.build(Path(sys.argv[1]), Path(sys.argv[2]), lambda e: None, lambda: False, train_cfg=cfg)
        print("built generation", s.generation)
    except Exception as exc:
        print("build failed:", exc)
"""


def test_builds_work_from_a_folder_holding_a_notelink_folder(make_vault, tmp_path: Path) -> None:
    """The parent of a clone: its `notelink/` folder must not be imported as the package."""
    vault = topic_vault(make_vault)
    cwd = tmp_path / "parent of a clone"
    (cwd / "notelink").mkdir(parents=True)
    (tmp_path / "script").mkdir()
    script = tmp_path / "script" / "run.py"  # run as a file, like the `notelink` command: the package is
    script.write_text(SHADOWED, encoding="utf-8")  # found where it is installed, not in the current folder
    done = subprocess.run([sys.executable, str(script), str(vault), str(tmp_path / "ix")], cwd=cwd,
                          capture_output=True, text=True, timeout=600)
    assert "warm up: ''" in done.stdout and "built generation 1" in done.stdout, done.stdout + done.stderr


def test_a_build_process_that_cannot_start_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from notelink.watch import builder

    broken = tmp_path / "elsewhere" / "notelink"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text("raise ImportError('this notelink is broken')\n", encoding="utf-8")
    env = builder._server_env()
    monkeypatch.setattr(builder, "_server_env", lambda: {**env, "PYTHONPATH": str(broken.parent)})
    why = builder._why_dead(1)
    assert "cannot import notelink" in why and "this notelink is broken" in why

"""The terminal progress bar: what it draws on a terminal, and the one line it writes elsewhere."""

import io
import multiprocessing
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from notelink.cli.main import main
from notelink.cli.progress import _DRAWING, ProgressBar
from notelink.index.report import IndexEvent
from notelink.processes import can_fork_workers

FAST_ARGS = ["--dim", "16", "--epochs", "5", "--threads", "1", "--device", "cpu"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_new_stage_is_drawn_at_once() -> None:
    out = _Terminal()
    bar = ProgressBar(out)
    bar(IndexEvent("train", 10, 100, 1, 5, 1000.0))
    bar(IndexEvent("vectors", 0, 42))  # within 0.1 s of the last draw, but a new stage
    assert _drawn(out) == "note vectors   " + "░" * 28 + "   0%  0:00"


def test_with_json_only_waiting_is_said_once() -> None:
    out = io.StringIO()
    bar = ProgressBar(out, enabled=False)
    for ev in (IndexEvent("wait"), IndexEvent("wait"), IndexEvent("parse", 1, 2), IndexEvent("train", 1, 2)):
        bar(ev)
    assert out.getvalue() == "notelink: waiting for another build of this index to finish\n"


def test_without_a_terminal_each_stage_and_epoch_is_a_line() -> None:
    """A log of `notelink index ... > log 2>&1` had nothing in it for two minutes, until the summary."""
    out, clock = io.StringIO(), _Clock()
    bar = ProgressBar(out)
    bar.clock = clock
    for ev in (IndexEvent("wait"), IndexEvent("scan"), IndexEvent("parse", 0, 2322),
               IndexEvent("parse", 9, 2322), IndexEvent("train", 0, 10, 1, 3),
               IndexEvent("train", 5, 10, 1, 3), IndexEvent("train", 0, 10, 2, 3),  # (2 s on: not said)
               IndexEvent("train", 0, 10, 3, 3), IndexEvent("vectors", 0, 24), IndexEvent("vectors", 3, 24)):
        clock.now += 10 if ev.epoch == 3 else 1
        bar(ev)
    assert out.getvalue().splitlines() == [
        "notelink: waiting for another build of this index to finish", "notelink: finding notes  0:00",
        "notelink: reading notes (2,322)  0:01", "notelink: training CBOW, epoch 1/3  0:03",
        "notelink: training CBOW, epoch 3/3  0:15", "notelink: note vectors  0:16"]


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _bar_on_a_terminal() -> tuple[ProgressBar, _Terminal, _Clock]:
    """A bar drawing on a terminal, with its clock in the test's hands."""
    out, clock = _Terminal(), _Clock()
    bar = ProgressBar(out)
    bar.clock = clock
    return bar, out, clock


def _drawn(out: _Terminal) -> str:
    return out.getvalue().rsplit("\r\033[K", 1)[-1]


def test_each_stage_shows_its_own_time_and_parse_and_training_what_is_left() -> None:
    """The bar froze on "reading notes 100000/100000" for minutes and never said how long a stage had run
    or had left."""
    bar, out, clock = _bar_on_a_terminal()
    bar(IndexEvent("parse", 0, 100))
    clock.now += 10
    bar(IndexEvent("parse", 50, 100))
    assert _drawn(out).endswith("50/100  0:10, ~0:10 left")
    clock.now += 75
    bar(IndexEvent("mentions"))  # a stage without a count: its name and its time, no bar
    clock.now += 65
    bar(IndexEvent("mentions"))
    assert _drawn(out) == "finding mentions  1:05"
    bar(IndexEvent("train", 50, 100, 2, 5, 2000.0))  # 30% of all epochs
    clock.now += 30
    bar(IndexEvent("train", 100, 100, 2, 5, 2000.0))  # 40%
    assert _drawn(out).endswith("epoch 2/5  2k words/s  0:30, ~0:45 left")
    bar(IndexEvent("write", 1, 4))
    clock.now += 1
    bar(IndexEvent("write", 3, 4))
    assert _drawn(out).endswith(" 75%  0:01") and "left" not in _drawn(out)  # (no rate to go by)


def test_a_bar_is_redrawn_at_most_ten_times_a_second() -> None:
    bar, out, clock = _bar_on_a_terminal()
    for done in range(100):
        clock.now += 0.01
        bar(IndexEvent("vectors", done, 200))
    assert 5 <= out.getvalue().count("\r") <= 10


def test_health_ranking_every_note_shows_how_far_it_is_and_what_is_left() -> None:
    """`health` on 10k notes printed nothing for 24 s while it ranked every pair of notes."""
    bar, out, clock = _bar_on_a_terminal()
    bar(IndexEvent("related", 0, 1000))
    clock.now += 6
    bar(IndexEvent("related", 250, 1000))
    assert _drawn(out) == "ranking notes  " + "█" * 7 + "░" * 21 + "  25%  0:06, ~0:18 left"


def _draws(out: _Terminal) -> int:
    return out.getvalue().count("\r\033[K")


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
@pytest.mark.parametrize("command", [["health"], ["index", "--force", *FAST_ARGS]])
def test_a_command_draws_its_bar_on_a_terminal_and_none_with_json(
        indexed: tuple[Path, Path], capsys, monkeypatch: pytest.MonkeyPatch, command: list[str],
        json_flag: list[str]) -> None:
    """`health --json` on a terminal drew its bar on stderr where `index --json` draws none: a script or an
    agent that reads both streams had the redrawn lines in its log."""
    vault, ix = indexed
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main([command[0], str(vault), "--index-dir", str(ix), *command[1:], *json_flag]) == 0
    drawn = terminal.getvalue()
    assert drawn == "" if json_flag else ("ranking notes" in drawn or "training CBOW" in drawn)


def test_index_in_a_log_says_each_stage_and_with_json_nothing(indexed: tuple[Path, Path], capsys) -> None:
    vault, ix = indexed
    assert main(["index", str(vault), "--index-dir", str(ix), "--force", *FAST_ARGS]) == 0
    said = [line.split("  ")[0] for line in capsys.readouterr().err.splitlines()]
    assert said[:3] == ["notelink: checking index", "notelink: finding notes", "notelink: reading notes (42)"]
    assert "notelink: training CBOW" in said and said[-1] == "notelink: saving index"
    assert main(["index", str(vault), "--index-dir", str(ix), "--force", "--json", *FAST_ARGS]) == 0
    assert capsys.readouterr().err == ""


def test_a_stage_without_events_ticks_its_time_once_a_second() -> None:
    """Stages without a count (mentions, search data) post one event at their start: the line showed
    "finding mentions  0:00" for as long as they ran (a frozen line for 512 s on 100k notes)."""
    bar, out, clock = _bar_on_a_terminal()
    bar(IndexEvent("mentions"))
    clock.now += 0.6
    bar.tick()  # the second shown has not changed: nothing is drawn
    assert _draws(out) == 1 and _drawn(out) == "finding mentions  0:00"
    clock.now += 0.5
    bar.tick()
    assert _draws(out) == 2 and _drawn(out) == "finding mentions  0:01"
    clock.now += 64
    bar.tick()
    bar.tick()  # (once a second, however often it is asked)
    assert _draws(out) == 3 and _drawn(out) == "finding mentions  1:05"
    bar(IndexEvent("parse", 10, 100))  # a stage with a count ticks too, its latest event redrawn
    clock.now += 0.05
    bar(IndexEvent("parse", 20, 100))  # (within 0.1 s of the last draw: not drawn, but kept)
    clock.now += 3
    bar.tick()
    assert _drawn(out).endswith("20/100  0:03, ~0:12 left")
    bar.close()
    clock.now += 5
    bar.tick()  # closed: the line stays cleared
    assert out.getvalue().endswith("\r\033[K") and _draws(out) == 6


def test_without_a_terminal_or_with_json_nothing_ticks() -> None:
    for out, enabled in ((io.StringIO(), True), (_Terminal(), False)):  # a pipe; `--json` on a terminal
        clock = _Clock()
        with ProgressBar(out, enabled=enabled) as bar:
            bar.clock = clock
            assert not [t for t in threading.enumerate() if t.name == "notelink-progress"]
            bar(IndexEvent("search"))
            clock.now += 10
            bar.tick()
        assert out.getvalue() == ("notelink: building search data  0:00\n" if enabled else "")


def test_on_a_terminal_a_thread_ticks_until_the_build_ends() -> None:
    out, clock = _Terminal(), _Clock()
    with ProgressBar(out) as bar:
        bar.clock = clock
        bar(IndexEvent("vectors"))
        clock.now += 7
        _wait_until(lambda: _drawn(out) == "note vectors  0:07")
    _wait_until(lambda: not [t for t in threading.enumerate() if t.name == "notelink-progress"])
    assert out.getvalue().endswith("\r\033[K")


def test_the_ticking_thread_leaves_parsing_and_training_to_forked_processes() -> None:
    """Workers are forked only when no other thread could hold a lock (`can_fork_workers`): the ticker
    counted as one, so on a terminal `notelink index` parsed in one process and trained with threads."""
    assert can_fork_workers() == (sys.platform == "linux")
    with ProgressBar(_Terminal()):
        _wait_until(lambda: any(t.name == "notelink-progress" for t in threading.enumerate()))
        assert can_fork_workers() == (sys.platform == "linux")
        done = threading.Event()
        other = threading.Thread(target=done.wait, daemon=True)
        other.start()  # any other thread still keeps workers from forking
        try:
            assert not can_fork_workers()
        finally:
            done.set()
            other.join()


def test_a_child_forked_while_the_line_ticks_can_draw() -> None:
    """The build forks while the ticker thread may be drawing: the fork waits for the line to be written,
    so the child never starts with the drawing lock (or stderr's) held by a thread it does not have."""
    ctx = multiprocessing.get_context("fork")
    out = _Terminal()
    with ProgressBar(out) as bar:
        bar(IndexEvent("search"))
        for _ in range(5):
            child = ctx.Process(target=_take_the_drawing_lock)
            child.start()
            child.join(60)
            assert child.exitcode == 0


def _take_the_drawing_lock() -> None:
    sys.exit(0 if _DRAWING.acquire(timeout=10) else 1)


def _wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Polls `condition` until it holds; fails after `timeout` seconds (generous: a busy machine)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "still not true"
        time.sleep(0.01)

"""The terminal progress bar: what it draws on a terminal, and the one line it writes elsewhere."""

import io

from notelink.cli.progress import ProgressBar
from notelink.index.report import IndexEvent


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_new_stage_is_drawn_at_once() -> None:
    out = _Terminal()
    bar = ProgressBar(out)
    bar(IndexEvent("train", 10, 100, 1, 5, 1000.0))
    bar(IndexEvent("vectors", 0, 42))  # within 0.1 s of the last draw, but a new stage
    assert _drawn(out) == "note vectors   " + "░" * 28 + "   0%  0:00"


def test_without_a_terminal_only_waiting_is_said_once() -> None:
    out = io.StringIO()
    bar = ProgressBar(out)
    for ev in (IndexEvent("wait"), IndexEvent("wait"), IndexEvent("parse", 1, 2), IndexEvent("train", 1, 2)):
        bar(ev)
    assert out.getvalue() == "notelink: waiting for another build of this index to finish\n"


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _drawn(out: _Terminal) -> str:
    return out.getvalue().rsplit("\r\033[K", 1)[-1]


def test_each_stage_shows_its_own_time_and_parse_and_training_what_is_left() -> None:
    """The bar froze on "reading notes 100000/100000" for minutes and never said how long a stage had run
    or had left."""
    out, clock = _Terminal(), _Clock()
    bar = ProgressBar(out)
    bar.clock = clock
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
    out, clock = _Terminal(), _Clock()
    bar = ProgressBar(out)
    bar.clock = clock
    for done in range(100):
        clock.now += 0.01
        bar(IndexEvent("vectors", done, 200))
    assert 5 <= out.getvalue().count("\r") <= 10


def test_health_ranking_every_note_shows_how_far_it_is_and_what_is_left() -> None:
    """`health` on 10k notes printed nothing for 24 s while it ranked every pair of notes."""
    out, clock = _Terminal(), _Clock()
    bar = ProgressBar(out)
    bar.clock = clock
    bar(IndexEvent("related", 0, 1000))
    clock.now += 6
    bar(IndexEvent("related", 250, 1000))
    assert _drawn(out) == "ranking notes  " + "█" * 7 + "░" * 21 + "  25%  0:06, ~0:18 left"

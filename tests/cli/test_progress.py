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
    assert out.getvalue().endswith("note vectors   " + "░" * 28 + "   0%")


def test_without_a_terminal_only_waiting_is_said_once() -> None:
    out = io.StringIO()
    bar = ProgressBar(out)
    for ev in (IndexEvent("wait"), IndexEvent("wait"), IndexEvent("parse", 1, 2), IndexEvent("train", 1, 2)):
        bar(ev)
    assert out.getvalue() == "notelink: waiting for another build of this index to finish\n"

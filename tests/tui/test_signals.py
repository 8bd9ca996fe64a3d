"""SIGTERM and SIGHUP quit the app as `q` does (its watcher stopped, its last note saved), with 128 + the
signal's number as its exit status, and leave the process's own handlers as they were."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from types import FrameType

import pytest

from notelink.tui.signals import QUIT_SIGNALS

from .helpers import running, sync, wait_for
from .test_app import SIZE, FakeWatcher, indexed, make_app

__all__ = ["indexed"]  # (the fixture, shared with test_app)


@pytest.mark.parametrize("sig", QUIT_SIGNALS)
@sync
async def test_a_quit_signal_closes_the_app_as_q_does(indexed: tuple[Path, Path],
                                                      sig: signal.Signals) -> None:
    caught: list[int] = []

    def before(signum: int, frame: FrameType | None) -> None:  # the process's own handler (and a safety net)
        caught.append(signum)

    previous = signal.signal(sig, before)
    try:
        watchers: list[FakeWatcher] = []
        app = make_app(*indexed, watchers=watchers)
        async with running(app, SIZE) as pilot:
            os.kill(os.getpid(), sig)
            await wait_for(pilot, lambda: not app.is_running, what="the app to quit")
        assert watchers[0].stopped
        assert app.return_code == 128 + sig
        assert caught == []  # the app's handler had it
        assert signal.getsignal(sig) is before
    finally:
        signal.signal(sig, previous)


@sync
async def test_quitting_puts_the_handlers_back(indexed: tuple[Path, Path]) -> None:
    before = {sig: signal.getsignal(sig) for sig in QUIT_SIGNALS}
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        assert all(signal.getsignal(sig) is not before[sig] for sig in QUIT_SIGNALS)
        await pilot.press("q")
    assert app.return_code == 0
    assert {sig: signal.getsignal(sig) for sig in QUIT_SIGNALS} == before

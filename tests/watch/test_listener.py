"""The watcher's listener: events posted from other threads reach it in order when the worker drains them,
and a listener that raises is logged, never raised into the watcher."""

import logging

import pytest

from notelink.watch.listener import Listener, WatchEvent


def test_posted_events_wake_the_worker_and_reach_the_listener_when_drained() -> None:
    heard: list[str] = []
    wakes: list[int] = []
    listener = Listener(lambda ev: heard.append(ev.kind), lambda: wakes.append(1))
    listener.post(WatchEvent("error", message="one"))
    listener.post(WatchEvent("waiting"))
    assert heard == [] and len(wakes) == 2  # nothing reaches it from the posting thread
    listener.emit(WatchEvent("changed"))
    listener.drain()
    assert heard == ["changed", "error", "waiting"]
    listener.drain()
    assert heard == ["changed", "error", "waiting"]


def test_a_listener_that_raises_is_logged_and_nobody_listening_is_fine(
        caplog: pytest.LogCaptureFixture) -> None:
    def broken(ev: WatchEvent) -> None:
        raise RuntimeError("bug")

    with caplog.at_level(logging.ERROR, logger="notelink.watch"):
        Listener(broken, lambda: None).emit(WatchEvent("indexed"))
    assert "on_event raised for indexed" in caplog.text
    Listener(None, lambda: None).emit(WatchEvent("indexed"))

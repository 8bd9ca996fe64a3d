"""Batching: coalesce per path, quiet period or maximum wait (whichever first), holds, wake."""

import threading
import time

from notelink.watch.debounce import Debouncer


def test_coalesces_paths_and_hands_on_after_the_quiet_period() -> None:
    d = Debouncer(quiet=0.05, max_wait=5)
    for _ in range(3):
        d.add("a.md")
    d.add("b.md")
    t0 = time.monotonic()
    assert d.wait(2) == ["a.md", "b.md"]
    assert time.monotonic() - t0 > 0.03  # waited out the quiet period (a busy machine may take longer)
    assert d.wait(0.05) == []  # nothing left


def test_maximum_wait_bounds_a_steady_stream() -> None:
    d = Debouncer(quiet=0.2, max_wait=0.3)
    stop = threading.Event()

    def stream() -> None:
        i = 0
        while not stop.is_set():
            d.add(f"n{i}.md")
            i += 1
            time.sleep(0.02)

    t = threading.Thread(target=stream)
    t0 = time.monotonic()
    t.start()
    try:
        batch = d.wait(3)
    finally:
        stop.set()
        t.join()
    assert batch  # a never-quiet stream still yields a batch, before wait's 3 s timeout
    assert time.monotonic() - t0 > 0.3  # ...after the maximum wait, not the quiet period


def test_hold_until_a_time_or_a_new_event() -> None:
    d = Debouncer(quiet=0.01, max_wait=1)
    d.hold(["a.md"], until=time.monotonic() + 0.2)
    assert d.wait(0.05) == []  # still held
    d.add("a.md")  # the save finished: a fresh batch, handed on after the quiet period
    assert d.wait(0.5) == ["a.md"]
    d.hold(["b.md"], until=time.monotonic() + 0.05)
    assert d.wait(1) == ["b.md"]


def test_wake_returns_at_once() -> None:
    d = Debouncer(quiet=1, max_wait=1)
    threading.Timer(0.05, d.wake).start()
    t0 = time.monotonic()
    assert d.wait(60) == []
    assert time.monotonic() - t0 < 50  # woken, not timed out (generous: a busy machine is slow)

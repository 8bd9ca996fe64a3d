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
    assert d.wait(60) == ["a.md", "b.md"]  # (returns when due; 60 s only bounds a hang)
    assert time.monotonic() - t0 > 0.03  # waited out the quiet period (a busy machine may take longer)
    assert d.wait(0.05) == []  # nothing left


def test_maximum_wait_bounds_a_steady_stream() -> None:
    d = Debouncer(quiet=10, max_wait=0.3)  # the stream never pauses 10 s, even on a busy machine
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
        batch = d.wait(60)
    finally:
        stop.set()
        t.join()
    assert batch  # a never-quiet stream still yields a batch, after the maximum wait (the quiet
    assert 0.3 < time.monotonic() - t0 < 10  # period of 10 s never ended)


def test_hold_until_a_time_or_a_new_event() -> None:
    d = Debouncer(quiet=0.01, max_wait=1)
    d.hold(["a.md"], until=time.monotonic() + 60)  # far beyond any stall of this process
    assert d.wait(0.05) == []  # still held
    d.add("a.md")  # the save finished: a fresh batch, handed on after the quiet period
    assert d.wait(60) == ["a.md"]
    d.hold(["b.md"], until=time.monotonic() + 0.05)
    assert d.wait(60) == ["b.md"]  # the hold's end is a time: handed on then


def test_wake_returns_at_once() -> None:
    d = Debouncer(quiet=1, max_wait=1)
    threading.Timer(0.05, d.wake).start()
    t0 = time.monotonic()
    assert d.wait(60) == []
    assert time.monotonic() - t0 < 50  # woken, not timed out (generous: a busy machine is slow)

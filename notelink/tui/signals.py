"""SIGTERM and SIGHUP quit the app as `q` does. By default they killed it at once: the terminal was left in
the app's screen (alternate screen, mouse reporting on) and the watcher and workers were never stopped."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from typing import Any

from textual.app import App

QUIT_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
"""`kill`, `timeout`, a service manager; a closed terminal or SSH session (Windows has no SIGHUP)."""


def quit_on_signals(app: App[Any]) -> Callable[[], None]:
    """Makes the quit signals exit `app` with status 128 + the signal's number (as a shell reports a process
    the signal killed); returns what puts their previous handlers back. A second signal while the app
    closes acts as it did before (a stuck exit can still be killed). Call it on the app's event loop."""
    loop = asyncio.get_running_loop()
    previous = {sig: signal.getsignal(sig) for sig in QUIT_SIGNALS}

    def restore() -> None:
        for sig, handler in previous.items():
            if loop.remove_signal_handler(sig):
                signal.signal(sig, signal.SIG_DFL if handler is None else handler)  # None: set outside Python

    def on_signal(sig: signal.Signals) -> None:
        restore()
        app.exit(return_code=128 + sig)

    for sig in QUIT_SIGNALS:
        try:
            loop.add_signal_handler(sig, on_signal, sig)
        except (RuntimeError, ValueError, NotImplementedError):  # not the main thread; Windows' loops
            del previous[sig]
    return restore

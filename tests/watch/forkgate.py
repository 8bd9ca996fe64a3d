"""Preloaded by a test's fork server (`builder.PRELOAD`): holds the server's start, as a slow import of torch
does, until the file named by NOTELINK_TEST_GATE exists; says it is waiting in that name + ".waiting"."""

from __future__ import annotations

import os
import time

_GATE = os.environ.get("NOTELINK_TEST_GATE")
if _GATE:
    open(_GATE + ".waiting", "w").close()
    while not os.path.exists(_GATE):
        time.sleep(0.01)

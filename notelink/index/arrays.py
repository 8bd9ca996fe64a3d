"""A generation's arrays on disk (`.npy`): read memory-mapped, never unpickled, and their sizes, which tell
a long-lived reader that one was cut short or rewritten in place under it (`api.Vault`)."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

_NPY_HEADERS = threading.Lock()
"""numpy parses a .npy header with `ast.literal_eval`, and CPython 3.11's AST constructor is not safe in two
threads at once ("SystemError: AST constructor recursion depth mismatch": readers in the app's threads
while a build writes, seen in tests/index/test_store.py): one header at a time."""


def load_array(gen: Path, name: str) -> np.ndarray:
    """A saved matrix, memory-mapped, never unpickled."""
    with _NPY_HEADERS:
        return np.load(gen / f"{name}.npy", mmap_mode="r", allow_pickle=False)


def npy_header(path: Path) -> tuple[tuple[int, ...], np.dtype[Any], int]:
    """(shape, dtype, where the data starts) from a .npy file's header, without reading the data."""
    with open(path, "rb") as fh, _NPY_HEADERS:
        version = np.lib.format.read_magic(fh)
        fmt = np.lib.format
        shape, _, dtype = (fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0)(fh)
        return tuple(shape), dtype, fh.tell()


def array_sizes(gen: Path) -> dict[str, int]:
    """The size of each of a generation's arrays (`.npy` files): an array cut short or rewritten in place
    after it was memory-mapped (a sync tool, a restore) changes it, where the folder's key does not. Reading
    a mapped page past a shrunk file's end kills the process (SIGBUS), so a long-lived reader (`api.Vault`)
    compares these before each question and opens the generation again, which checks it."""
    try:
        with os.scandir(gen) as entries:
            return {e.name: e.stat().st_size for e in entries if e.name.endswith(".npy")}
    except OSError:
        return {}

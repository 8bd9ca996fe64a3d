"""glibc's malloc kept from handing training's freed memory back to the kernel (`cbow.train`).

A chunk's preparation makes tensors of 1-6 MB (262,144 words: ids, widths, negatives), freed when the next
chunk replaces it. glibc serves blocks above its mmap threshold (128 KiB at first, raised as such blocks
are freed) with fresh mmaps and gives a heap top larger than its trim threshold back to the kernel, so the
same megabytes came back as new zeroed pages, chunk after chunk: 55,000-63,000 minor page faults in a
5-epoch run on bench-dev (6.9 M words) with one worker, 0.12 s of system time. With both thresholds
above a chunk's tensors the freed blocks are reused: 18,000-19,000 faults, 0.04 s; with two workers
(forked: they inherit the settings) 51,000-68,000 -> 39,000-45,000 faults and 4-5% less wall time
(benchmarks/RESULTS-speed.md, session 29). After training, `release` returns what is free. The thresholds
stay for the life of the process (glibc has no way back to its sliding threshold): builds run in short-lived
processes (`notelink index`, the watcher's build children); a long-lived one that trains in process (the
Python API) keeps up to 64 MiB of freed memory before the heap is trimmed.

Only on Linux with glibc (elsewhere nothing is changed); imports no numpy or torch.
"""

from __future__ import annotations

import contextlib
import ctypes
import sys
from collections.abc import Iterator

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # mallopt's parameters (malloc.h)
MMAP_THRESHOLD = 32 << 20  # glibc's own upper bound for its raised threshold (DEFAULT_MMAP_THRESHOLD_MAX)
TRIM_THRESHOLD = 64 << 20  # twice that, as glibc sets it when it raises the mmap threshold


def _libc() -> ctypes.CDLL | None:
    """glibc, or None where there is none (another OS, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def keep_freed() -> bool:
    """Raises glibc's mmap and trim thresholds for this process (and the workers it forks), so that freed
    training tensors are reused, not unmapped and faulted in again; False where that is not glibc."""
    libc = _libc()
    if libc is None:
        return False
    return bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) and libc.mallopt(M_TRIM_THRESHOLD,
                                                                                   TRIM_THRESHOLD))


def release() -> None:
    """Gives the free memory at the top of the heap back to the kernel (after training)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


@contextlib.contextmanager
def kept_freed() -> Iterator[None]:
    """`keep_freed` for the block, then `release`, even when training stops on an error: the trainer and its
    chunks are gone by then (`cbow.train` leaves the block with the matrices only)."""
    keep_freed()
    try:
        yield
    finally:
        release()

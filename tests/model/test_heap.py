"""`heap`: training's freed megabyte-sized tensors are reused, not unmapped and faulted in again."""

from __future__ import annotations

import subprocess
import sys

import pytest

from notelink.model import heap

# A 16 MB block malloc'd, written, freed, and malloc'd and written again, in a fresh process: the page
# faults of the second. glibc maps the first (above its 128 KiB mmap threshold) and unmaps it when freed,
# then serves the second from fresh heap pages; with `keep_freed` the second reuses the first's pages.
PROBE = """
import ctypes, resource, sys
from notelink.model import heap
if sys.argv[1] == "keep":
    heap.keep_freed()
libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype, libc.free.argtypes = ctypes.c_void_p, [ctypes.c_void_p]
size = 16 << 20
a = libc.malloc(size)
ctypes.memset(a, 1, size)
libc.free(a)
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
b = libc.malloc(size)
ctypes.memset(b, 1, size)
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""

def faults(mode: str) -> int:
    out = subprocess.run([sys.executable, "-c", PROBE, mode], check=True, capture_output=True, text=True)
    return int(out.stdout)


@pytest.mark.skipif(heap._libc() is None, reason="glibc's malloc only")
def test_a_freed_block_of_a_few_megabytes_is_reused_without_page_faults() -> None:
    assert faults("default") > 3000  # 16 MB of fresh 4 KiB pages
    assert faults("keep") < 500


def test_training_gives_the_free_memory_back_even_when_it_stops_on_an_error(monkeypatch) -> None:
    """`kept_freed` trims after its block whatever ends it (a worker that failed, a cancel): the trim was
    skipped when training raised."""
    calls: list[str] = []
    monkeypatch.setattr(heap, "keep_freed", lambda: calls.append("keep") is None)
    monkeypatch.setattr(heap, "release", lambda: calls.append("release"))
    with pytest.raises(RuntimeError), heap.kept_freed():
        raise RuntimeError("a worker failed")
    assert calls == ["keep", "release"]

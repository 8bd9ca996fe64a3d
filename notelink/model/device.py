"""Where training runs and its matrices live: the device (CPU or CUDA), torch's import, shared memory.

Imports torch only inside functions, so importing notelink stays fast (`--help`, queries, the TUI).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from notelink.errors import DeviceError

if TYPE_CHECKING:
    import torch


def torch_loaded() -> bool:
    """Whether torch is imported already (then `warm_up` has nothing to do)."""
    return "torch" in sys.modules


def warm_up() -> None:
    """Imports torch (~0.7 s), so that a caller can do it while other processes work (`parse_all`)."""
    import torch  # noqa: F401


def resolve_device(requested: str) -> str:
    """`auto` picks CUDA when torch sees a GPU, else the CPU; asking for CUDA without one is an error."""
    import torch

    if requested == "cuda" and not torch.cuda.is_available():
        raise DeviceError("--device cuda was asked for, but torch sees no CUDA GPU; use --device cpu")
    if requested == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return requested


def shared_memory(x: torch.Tensor) -> torch.Tensor:
    """A copy of CPU tensor x in anonymous shared memory (mmap MAP_SHARED | MAP_ANONYMOUS), so forked
    worker processes update the same pages. Unlike `share_memory_()` it needs no /dev/shm file (containers
    often limit /dev/shm to 64 MB; a 260k-word vocabulary needs 2 x 104 MB)."""
    import mmap

    import torch

    buf = mmap.mmap(-1, max(1, x.numel() * x.element_size()))  # zero-filled, freed with the tensor
    return torch.frombuffer(buf, dtype=x.dtype, count=x.numel()).view(x.shape).copy_(x)

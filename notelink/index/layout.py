"""What a query needs to read note vectors without the builder's code (and scipy, 0.15-0.3 s to import):
the columns' layout and unit rows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def unit_rows(m: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (zero rows stay zero)."""
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return np.divide(m, norms, out=np.zeros_like(m, dtype=np.float32), where=norms > 0)


@dataclass(frozen=True)
class Layout:
    """Column ranges of the note vector: words [0, V), titles [V, V+N), dense [V+N, V+N+D), then the
    note's language in a vault of several languages [V+N+D, V+N+D+languages)."""

    words: int
    notes: int
    dim: int
    languages: int = 0

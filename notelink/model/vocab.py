"""The vault's vocabulary: word counts, `min_count`, subsampling and the negative-sampling distribution."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass
class Vocab:
    """Words sorted by descending count (ties by word), so ids are stable for the same corpus."""

    words: list[str]
    counts: np.ndarray  # [V] int64

    def __post_init__(self) -> None:
        self.index: dict[str, int] = {w: i for i, w in enumerate(self.words)}

    def __len__(self) -> int:
        return len(self.words)

    @classmethod
    def build(cls, docs: Iterable[Sequence[str]], min_count: int) -> Vocab:
        counter: Counter[str] = Counter()
        for doc in docs:
            counter.update(doc)
        kept = sorted(((w, c) for w, c in counter.items() if c >= min_count), key=lambda x: (-x[1], x[0]))
        return cls([w for w, _ in kept], np.array([c for _, c in kept], dtype=np.int64))

    def encode(self, tokens: Iterable[str]) -> np.ndarray:
        """Token ids [n] int32 (4 bytes a token: a 50M-token vault is 200 MB), unknown words dropped."""
        ids = np.fromiter(map(self.index.get, tokens, itertools.repeat(-1)), dtype=np.int32)  # (C loop)
        return ids[ids >= 0]

    def keep_probs(self, sample: float) -> np.ndarray:
        """Subsampling keep probability per word [V]: (sqrt(f/t) + 1) * t/f, capped at 1 (t = sample)."""
        if sample <= 0 or len(self) == 0:
            return np.ones(len(self), dtype=np.float32)
        f = self.counts / self.counts.sum()
        keep = (np.sqrt(f / sample) + 1.0) * (sample / f)
        return np.minimum(keep, 1.0).astype(np.float32)

    def noise(self, power: float = 0.75) -> np.ndarray:
        """Negative-sampling distribution [V]: unigram counts raised to `power`, normalised."""
        p = self.counts.astype(np.float64) ** power
        return (p / p.sum()).astype(np.float64)

    def noise_table(self, power: float = 0.75) -> np.ndarray:
        """word2vec.c's unigram table of `noise`: word w fills about noise[w] * T of T slots (at least one),
        so drawing a negative is one random slot; T = 32 slots per word, between 2^20 and 2^23 (4-32 MB)."""
        noise = self.noise(power)
        T = min(2**23, max(2**20, 32 * noise.shape[0]))
        slots = np.maximum(1, np.rint(noise * T)).astype(np.int64)  # [V]
        return np.repeat(np.arange(noise.shape[0], dtype=np.int32), slots)

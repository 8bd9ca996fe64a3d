"""Typed configuration with documented defaults; CLI flags map onto these fields one to one."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Device = Literal["auto", "cpu", "cuda"]


@dataclass(frozen=True)
class TrainConfig:
    """CBOW word2vec hyperparameters, tuned for personal vaults (10k to a few million words).

    Defaults differ from gensim's where small corpora need it: `min_count` 2 keeps the rare names and
    jargon that make a vault personal, and `epochs` is chosen from the corpus size (see `epochs_for`).
    """

    dim: int = 100
    """Vector size (`--dim`)."""
    window: int = 5
    """Maximum context half-width; each centre word samples its own width from 1..window (`--window`)."""
    negative: int = 5
    """Negative samples per centre word, drawn from unigram^0.75 (`--negative`)."""
    epochs: int = 0
    """Passes over the corpus; 0 means automatic: more passes for smaller vaults (`--epochs`)."""
    min_count: int = 2
    """Words seen fewer times are left out of the vocabulary (`--min-count`)."""
    sample: float = 1e-3
    """Frequent-word subsampling threshold t; keep prob (sqrt(f/t)+1)*t/f (`--sample`, 0 disables)."""
    lr: float = 0.05
    """Starting learning rate, decayed linearly to `min_lr` over all epochs (`--lr`)."""
    min_lr: float = 1e-4
    """Learning-rate floor reached at the end of training."""
    batch: int = 1024
    """Most centre words updated together in one closed-form step on the CPU (see `batch_for`)."""
    cuda_batch: int = 2048
    """Most centre words per step on a GPU. Bigger keeps a GPU busier, but on the CPU a 4096 batch (x2
    workers) collapsed word-vector quality even with `dup_cap`; unmeasured on a GPU so far."""
    neg_share: int = 4
    """Consecutive centre words that share one draw of `negative` negatives; 1 draws per word as
    word2vec.c does. Sharing turns the output-layer work into small matrix products."""
    dup_cap: float = 4.0
    """A word's summed updates in one batch count as at most this many: each of its n expected
    occurrences is scaled by min(1, dup_cap / n) (keeps frequent words stable in big batches)."""
    chunk: int = 262144
    """Corpus words prepared at once (subsampling, windows, negatives drawn in bulk); bounds memory."""
    seed: int = 1
    """Random seed; training is deterministic for a given seed on the CPU with one thread (`--seed`)."""
    threads: int = 0
    """CPU training workers sharing the matrices (Hogwild), each running single-threaded torch ops;
    0 means all available cores (`--threads`). More than one is faster but not bit-reproducible."""
    device: Device = "auto"
    """`auto` uses CUDA when available, else the CPU (`--device`)."""

    def epochs_for(self, tokens: int) -> int:
        """Epochs to run on a corpus of `tokens` words: the fixed value, or ~3M word-updates, in 5..40."""
        if self.epochs > 0:
            return self.epochs
        return int(min(40, max(5, math.ceil(3_000_000 / max(tokens, 1)))))

    def batch_for(self, vocab_size: int, device: str = "cpu") -> int:
        """Batch size for a vocabulary: a batch should rarely hold one word many times, since updates
        computed from the same starting point are summed; so small vocabularies get small batches."""
        most = self.cuda_batch if device == "cuda" else self.batch
        return int(min(most, max(16, vocab_size // 4)))

    def chunk_for(self, device: str = "cpu") -> int:
        """Corpus words prepared at once: a GPU gets at least 64 of its batches per chunk."""
        return max(self.chunk, 64 * self.cuda_batch) if device == "cuda" else self.chunk

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class IndexConfig:
    """What the indexer reads and how it tokenizes."""

    keep_stopwords: bool = False
    """Keep English stop words in the training text (`--keep-stopwords`)."""
    max_file_bytes: int = 5 * 1024 * 1024
    """Notes larger than this are skipped with a reason (`--max-file-mb`)."""
    exclude: tuple[str, ...] = field(default_factory=tuple)
    """Extra glob patterns (relative paths) to leave out, besides dot-folders."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

"""How the CBOW model trains: a full training run (`TrainConfig`), an incremental update from the
live vectors (`IncrementalConfig`), the limits the settings are checked against, and the error that names
the settings that broke them."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Literal

Device = Literal["auto", "cpu", "cuda"]

MAX_WINDOW = 50
MAX_DIM = 1000
"""Largest vector size: word2vec's vectors are 50-300 wide; a 100,000-wide model of 42 notes took 880 MB
of disk and stayed the vault's setting for every later build (kept training settings)."""
MAX_LR = 1.0
"""Largest starting learning rate: word2vec's is 0.025-0.05; at 100 a build ran for minutes at 1.7 GB."""
MAX_NEGATIVE = 100
"""Most negative samples per word: word2vec uses 5-20; a million: [B/G, K + 1, G] scores a step."""
MAX_BATCH = 1 << 20
"""Most centre words a step: a step's bag layouts are 32-bit (`model.bags`), with up to batch x (2 window + 1)
entries, which must stay below 2^31; word2vec steps one word, the default is 2,048."""
MAX_SEED = 2**32 - 1
"""Largest seed: each chunk's generator is seeded from it (seed x 1,000,003 + ...), within torch's 64 bits."""


class SettingsError(ValueError):
    """Settings that cannot be used: `problems` holds (field, rule, value) for each; the message names them
    as flags (`--window must be between 1 and 50, not 99`), the config file names them as its keys."""

    def __init__(self, problems: list[tuple[str, str, Any]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"--{name.replace('_', '-')} must be {rule}, not {value}"
                                   for name, rule, value in problems))


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
    """Passes over the corpus; 0 means automatic: more passes for smaller vaults, and in a vault of several
    languages as many as its largest language alone would get (`epochs_for`; `--epochs`)."""
    min_count: int = 2
    """Words seen fewer times are left out of the vocabulary (`--min-count`)."""
    sample: float = 1e-3
    """Frequent-word subsampling threshold t; keep prob (sqrt(f/t)+1)*t/f (`--sample`, 0 disables)."""
    lr: float = 0.05
    """Starting learning rate, decayed linearly to `min_lr` over all epochs (`--lr`). word2vec.c's CBOW
    default; gensim's 0.025 (its default for both architectures) scores lower for both trainers on
    bench-dev (WS353 ~0.22 vs ~0.34, analogies ~0.02 vs ~0.04, 3 seeds) and on obsidian-help's neighbour
    reproducibility (RESULTS-speed.md, issue 17)."""
    min_lr: float = 1e-4
    """Learning-rate floor reached at the end of training (`lr` itself when that is lower)."""
    batch: int = 2048
    """Most centre words updated together in one closed-form step on the CPU (see `batch_for`); a row's
    summed update is scaled to what sequential steps would add up to (`rowscale.RowScale`), which keeps
    large batches safe. 2048 rather than 1024: ~9% less CPU per word (the ~55 small torch calls of a step
    are shared by twice the words), bench-dev scores unchanged (RESULTS-speed.md, session 10)."""
    cuda_batch: int = 2048
    """Most centre words per step on a GPU. Bigger keeps a GPU busier; unmeasured on a GPU so far."""
    neg_share: int = 8
    """Centre words of a batch that share one draw of `negative` negatives (1 draws per word as word2vec.c
    does); sharing turns the output-layer work into small matrix products. The centres of a group are far
    apart in the batch (`cbow._Trainer._grouped`): groups of consecutive centres, whose windows overlap,
    made a context word meet the same negatives G times, which cost neighbour reproducibility (overlap@10
    between seeds on obsidian-help 0.158 at G = 4 vs 0.239 at G = 1) and analogies; spread out, G = 4 / 8 /
    16 give 0.233 / 0.226 / 0.206 and bench-dev scores level with gensim (RESULTS-speed.md, issue 17)."""
    chunk: int = 262144
    """Corpus words prepared at once (subsampling, windows, negatives drawn in bulk); bounds memory."""
    seed: int = 1
    """Random seed; training is deterministic for a given seed on the CPU with one thread (`--seed`)."""
    threads: int = 0
    """CPU training workers sharing the matrices (Hogwild), each running single-threaded torch ops;
    0 means all available cores (`--threads`). More than one is faster but not bit-reproducible."""
    device: Device = "auto"
    """`auto` uses CUDA when available, else the CPU (`--device`)."""
    chosen: tuple[str, ...] = ()
    """The model settings the user chose (a flag or the config file). A build saves them with the index,
    and a later build that leaves one unset keeps the index's value (`index.previous.settled_training`):
    `notelink index --dim 50` once, then the watcher, the app and plain `notelink index` keep dim 50."""

    def __post_init__(self) -> None:
        """Refuses values training cannot use, with the flag to fix (the CLI shows the message)."""
        problems = [(name, rule, getattr(self, name)) for name, ok, rule in self._rules() if not ok]
        if problems:
            raise SettingsError(problems)

    def _rules(self) -> list[tuple[str, bool, str]]:
        return [("dim", 1 <= self.dim <= MAX_DIM, f"between 1 and {MAX_DIM}"),
                ("window", 1 <= self.window <= MAX_WINDOW, f"between 1 and {MAX_WINDOW}"),
                ("negative", 1 <= self.negative <= MAX_NEGATIVE, f"between 1 and {MAX_NEGATIVE}"),
                ("epochs", self.epochs >= 0, "0 (automatic) or more"),
                ("min_count", self.min_count >= 1, "at least 1"),
                ("sample", self.sample >= 0, "0 (off) or more"),
                ("lr", 0 < self.lr <= MAX_LR, f"above 0 and at most {MAX_LR:g}"),
                ("min_lr", self.min_lr >= 0, "0 or more"),
                ("threads", self.threads >= 0, "0 (all cores) or more"),
                ("batch", 1 <= self.batch <= MAX_BATCH, f"between 1 and {MAX_BATCH:,}"),
                ("cuda_batch", 1 <= self.cuda_batch <= MAX_BATCH, f"between 1 and {MAX_BATCH:,}"),
                ("neg_share", self.neg_share >= 1, "at least 1"),
                ("chunk", self.chunk >= 1, "at least 1"),
                ("seed", 0 <= self.seed <= MAX_SEED, f"between 0 and {MAX_SEED}")]

    def epochs_for(self, tokens: int) -> int:
        """Epochs to run on a corpus of `tokens` words: the fixed value, or ~3M word-updates, in 5..40. A
        word is trained by the contexts it occurs in, so in a vault of several languages `tokens` is its
        largest language's words (`notevectors.largest_language`): on the whole obsidian-help vault (2,322
        notes, 31 languages, English 15% of the words) 5 epochs left the English words' neighbours a blur
        of filler at cosine 0.95 (`graph`: shows, first, next; gensim alike), 32 gave `graph`: nodes
        (benchmarks/RESULTS.md, session 21)."""
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

    def model_dict(self) -> dict[str, Any]:
        """The settings that shape the trained model: all but how this run trains (`RUN_SETTINGS`)."""
        return {k: v for k, v in asdict(self).items() if k not in RUN_SETTINGS}


RUN_SETTINGS = ("threads", "device", "chosen")
"""TrainConfig fields that say how a build runs, not what it trains: changing one does not make an index
out of date, and they are not kept with the index."""


@dataclass(frozen=True)
class IncrementalConfig:
    """How an index update continues from the live vectors instead of training from scratch.

    Known words keep their rows, new words start like in a fresh model (small uniform input vector, zero
    output vector), removed words are dropped; then a few passes over the changed notes absorb the change."""

    epochs: int = 5
    """Passes over the changed notes (and the replayed sample of unchanged ones)."""
    lr: float = 0.025
    """Starting learning rate of an update, decayed linearly to `TrainConfig.min_lr` (half the full
    default: the vectors are already trained)."""
    replay_tokens: int = 5_000
    """Words of unchanged notes, picked at random, trained alongside the changed ones, so that shared
    words are not pulled towards the few edited notes."""
    full_fraction: float = 0.25
    """Retrain from scratch when more than this fraction of the training words, or of the vocabulary,
    is new, or of the words the vectors were trained on is gone (a large note deleted)."""
    max_chain: int = 200
    """After this many updates in a row without a full retrain, the next change retrains from scratch."""
    moved_cosine: float = 0.99
    """A word whose (input) vector's cosine to its vector before the update is below this gets its CBOW
    neighbours searched again; the others keep theirs (cosines refreshed), which makes an update's note
    vectors fast. The next full retrain searches every word again. (An edit moves ~700 of 30,000 words
    below 0.99 on obsidian-help, ~2,700 below 0.999.)"""
    trust_stat: bool = True
    """A note whose size and modification time match the live generation's record is not read again. The
    watcher turns this off for its periodic and startup reconciles, which hash every note."""

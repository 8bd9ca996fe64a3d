"""What an index build reports: `IndexEvent` progress messages and the final `IndexSummary`.

Kept apart from the indexer so that the watcher, which receives them from its build children, does not
import the indexer (and scipy, markdown-it, PyYAML) just to read them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class IndexEvent:
    """Progress of an index build, posted to whoever is watching (CLI bar, TUI, watcher log)."""

    stage: str  # one of STAGES
    done: int = 0
    total: int = 0  # 0: the stage has no count (said by its name and its time alone)
    epoch: int = 0
    epochs: int = 0
    words_per_second: float = 0.0

    def share(self) -> float | None:
        """How much of the stage is done, 0-1 (training: of all epochs), or None when it has no count."""
        if self.stage == "train" and self.epochs:
            within = self.done / self.total if self.total else 0.0
            return min(1.0, (max(self.epoch - 1, 0) + within) / self.epochs)
        return min(1.0, self.done / self.total) if self.total else None


STAGES = ("wait", "scan", "check", "parse", "words", "mentions", "search", "train", "vectors", "write")
"""A build's stages in their order: waiting for another build, finding notes, checking the live index,
reading notes, counting words (boilerplate, vocabulary, corpus), finding mentions, search data, training,
note vectors, saving."""


def throttled(progress: Progress | None, clock: Callable[[], float] = time.monotonic) -> Progress | None:
    """`progress` told at most ten events a second within a stage: a stage's first and last events always
    (a new stage, done == total), so that the bar, the app and the watcher are never flooded."""
    if progress is None:
        return None
    last: list[Any] = ["", -1.0]

    def post(ev: IndexEvent) -> None:
        now = clock()
        if ev.stage != last[0] or now - last[1] >= 0.1 or (ev.total and ev.done >= ev.total):
            last[:] = [ev.stage, now]
            progress(ev)
    return post


def ticker(progress: Progress | None, stage: str, total: int) -> Callable[[int], None]:
    """`tick(done)` for a stage of `total` steps: posts IndexEvent(stage, done, total) (a build's progress
    is `throttled` already: a loop may tick every step)."""
    return lambda done: None if progress is None else progress(IndexEvent(stage, done, total))


@dataclass
class IndexSummary:
    """What `notelink index` reports (`--json` prints these fields)."""

    notes: int = 0
    indexed: int = 0
    skipped: int = 0
    reparsed: int = 0
    reused: int = 0
    resumed: int = 0
    """Of the `reused` notes, those parsed by an earlier build that did not complete (`index.checkpoint`)."""
    tokens: int = 0
    vocab: int = 0
    epochs: int = 0
    device: str = ""
    parse_seconds: float = 0.0
    train_seconds: float = 0.0
    total_seconds: float = 0.0
    words_per_second: float = 0.0
    generation: int = 0
    up_to_date: bool = False
    mode: str = "full"  # full | incremental | carried (vectors kept as they were: no training text changed)
    changed: int = 0  # notes whose training text changed (incremental and carried updates)
    retrain_reason: str = ""
    """A full retrain's cause when a setting changed ("the dialect changed (obsidian → zk)", "settings
    changed: dim 100 → 50", newer rules) or an incremental update was given up for it ("much of the vault
    changed: 40% of its words (an update takes up to 25%)", `update.why_full`); "" otherwise."""
    warnings: list[str] = field(default_factory=list)
    last_build: dict[str, Any] | None = None
    """Up to date (nothing built): the build that made the live generation, its `trained_at` and seconds
    (this run's `train_seconds` and `words_per_second` are 0: it trained nothing)."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


Progress = Callable[[IndexEvent], None]


def describe_paths(paths: list[str] | tuple[str, ...], most: int = 3) -> str:
    """The first few paths of a batch, for a log line ("a.md, b.md, c.md and 4 more")."""
    shown = ", ".join(paths[:most])
    return shown + (f" and {len(paths) - most} more" if len(paths) > most else "")


CARRIED = ("nothing new to train on (notes moved, removed, emptied or skipped, or only links, tags or layout "
           "changed)")
"""Why an update kept the word vectors, when nobody said what changed."""


def describe_build(s: IndexSummary, carried: str = CARRIED) -> str:
    """One log line for a new generation: how it was made (update, carried over, full retrain); `carried`:
    what changed, when that left the word vectors as they were (a watcher's batch says it better)."""
    head = f"generation {s.generation} live ({s.indexed} notes, {s.total_seconds:.1f}s): "
    if s.mode == "carried":
        return head + f"{carried}; word vectors kept as they were (no retraining)"
    if s.mode == "incremental":
        whose = "1 note's" if s.changed == 1 else f"{s.changed:,} notes'"  # (new notes too: not "changed")
        return head + (f"{whose} new text absorbed by an incremental update ({s.epochs} epochs, "
                       f"{s.train_seconds:.1f}s)")
    why = f": {s.retrain_reason}" if s.retrain_reason else ""
    return head + f"full retrain{why} ({s.epochs} epochs over {s.tokens:,} words, {s.train_seconds:.1f}s)"

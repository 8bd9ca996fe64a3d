"""What an index build reports: `IndexEvent` progress messages and the final `IndexSummary`.

Kept apart from the indexer so that the watcher, which receives them from its build children, does not
import the indexer (and scipy, markdown-it, PyYAML) just to read them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class IndexEvent:
    """Progress of an index build, posted to whoever is watching (CLI bar, TUI, watcher log)."""

    stage: str  # wait | scan | parse | train | vectors | write
    done: int = 0
    total: int = 0
    epoch: int = 0
    epochs: int = 0
    words_per_second: float = 0.0


@dataclass
class IndexSummary:
    """What `notelink index` reports (`--json` prints these fields)."""

    notes: int = 0
    indexed: int = 0
    skipped: int = 0
    reparsed: int = 0
    reused: int = 0
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


def describe_build(s: IndexSummary) -> str:
    """One log line for a new generation: how it was made (update, carried over, full retrain)."""
    head = f"generation {s.generation} live ({s.indexed} notes, {s.total_seconds:.1f}s): "
    if s.mode == "carried":
        return head + "only moves, removals or skipped notes, word vectors kept as they were (no retraining)"
    if s.mode == "incremental":
        return head + (f"{s.changed} changed note(s) absorbed by an incremental update "
                       f"({s.epochs} epochs, {s.train_seconds:.1f}s)")
    return head + f"full retrain ({s.epochs} epochs over {s.tokens:,} words, {s.train_seconds:.1f}s)"

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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


Progress = Callable[[IndexEvent], None]

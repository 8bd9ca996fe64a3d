"""What an `Index` answers: a note, a related note, a scored word, a word's similar words (plain values,
shared by the CLI, the TUI, the MCP server and the Python API)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class NoteInfo:
    id: int
    path: str
    title: str
    aliases: list[str]
    tags: list[str]

    def written_names(self, dialect: str) -> list[str]:
        """The names other notes write this note by (unlinked mentions, and the links made of them): its
        title and aliases, and in Dendron its hierarchical file name (`garden.compost`)."""
        stem = self.path.rsplit("/", 1)[-1][: -len(".md")]
        dotted = [stem] if dialect == "dendron" and "." in stem else []
        return [name for name in (self.title, *self.aliases, *dotted) if name.strip()]


@dataclass(frozen=True)
class Related:
    path: str
    title: str
    score: float
    linked: bool
    because: list[str] = field(default_factory=list)
    """What contributes most to the similarity: shared concepts, and titles mentioned ("mentions: X")."""
    weak: bool = False
    """The score is below `RelatedConfig.weak_below`, or either note is empty (no text but its title:
    `Index.is_weak`): a long shot, few notes that far apart are linked."""

    def to_dict(self) -> dict[str, Any]:
        """As `related --json` prints it."""
        return asdict(self)


@dataclass(frozen=True)
class Scored:
    word: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        """As `concepts --json` (and, a `Neighbour`, `similar --json`) prints it."""
        return asdict(self)


@dataclass(frozen=True)
class Concept(Scored):
    """A note's concept: its score, and whether the vault has the word too rarely to trust."""

    rare: bool = False
    """Seen fewer than `ConceptsConfig.rare_below` times (once or twice) in the vault's text: often filler
    or a name (`thx`, `hikchoi`), as `similar` marks a word too rare to trust."""


@dataclass(frozen=True)
class Neighbour(Scored):
    """A word similar to another: its cosine (`score`) and how often it occurs."""

    count: int
    """How often the word occurs in the vault's training text."""


@dataclass(frozen=True)
class SimilarWords:
    """What `Index.similar_words` says about a word."""

    word: str
    count: int
    """How often the word occurs in the vault's training text."""
    reliable: bool
    """The word occurs at least `index.RELIABLE_COUNT` times; when not, `similar` is empty."""
    language: str
    """The language its neighbours were taken from (the one most of its occurrences are in), in a vault
    of several languages; "" otherwise."""
    similar: list[Neighbour]
    reason: str = ""
    """Why `similar` is empty (too rare; no other word frequent enough; none used like it); "" when not."""
    warning: str = ""
    """The word asked was read as another (`cafe` as the vault's `café`, accents aside): says so; else ""."""

    def to_dict(self) -> dict[str, Any]:
        """As `similar --json` prints it."""
        return asdict(self)

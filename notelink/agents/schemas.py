"""What each MCP tool answers, as types: the SDK publishes them as the tools' `outputSchema` (so a client
knows the fields before calling, and can check them) and checks each answer against them. The fields are
those of the CLI's `--json` for the same question; optional ones are `NotRequired`.

(`typing_extensions.TypedDict`: pydantic reads `typing.TypedDict` only from Python 3.12.)
"""

from __future__ import annotations

from typing import Annotated, Any

from mcp_types import CallToolResult
from typing_extensions import NotRequired, TypedDict


class Snippet(TypedDict):
    text: str
    spans: list[list[int]]  # [start, end) of each matched word in text
    line: int


ExpandedWord = TypedDict("ExpandedWord", {"word": str, "from": str})  # ("from": a keyword)


class Because(TypedDict):
    words: list[str]  # (the MCP answer lists 20 at most, as anchors)
    expanded: list[ExpandedWord]  # words the vault's model (CBOW) brought in: its neighbours of a query word
    forms: list[ExpandedWord]  # other forms of a query word (plural, singular, inflections: a spelling rule)
    anchors: list[str]
    title_fit: float
    predicted: list[str]  # words the query as a whole predicts (CBOW's context), no one word's neighbour
    named: bool  # the query is the note's name (title, alias or file name): such notes come first


class Hit(TypedDict):
    path: str
    title: str
    score: float
    snippet: Snippet | None
    because: Because


class SearchAnswer(TypedDict):
    query: str
    words: list[str]
    ignored: list[str]
    unknown: list[str]
    unknown_reason: str  # why an unknown word may still be in a note: code, URLs, front matter not searched
    unmatched: list[str]
    unknown_notes: list[str]
    suggestions: dict[str, list[str]]  # close vault words for an unknown word ("did you mean"), closest first
    hits: list[Hit]
    lists_truncated: bool  # words, ignored, unknown, unmatched cut at 50 or a hit's because lists at 20


class RelatedNote(TypedDict):
    path: str
    title: str
    score: float
    linked: bool
    because: list[str]
    weak: bool
    """The score is below `RelatedConfig.weak_below` (0.05), or either note is empty (no text but its
    title): a long shot, few notes that far apart are linked."""


class RelatedAnswer(TypedDict):
    note: str
    related: list[RelatedNote]
    also_named: NotRequired[list[str]]
    warning: NotRequired[str]
    reason: str
    """Why the list is empty; "" when it is not (as similar_words' reason)."""
    empty: bool
    """The note has no text but its title: the answer comes from its title alone (related notes all weak)."""


class Concept(TypedDict):
    word: str
    score: float
    rare: bool
    """Seen only once or twice in the vault: often filler or a name."""


class ConceptsAnswer(TypedDict):
    note: str
    concepts: list[Concept]
    also_named: NotRequired[list[str]]
    warning: NotRequired[str]
    reason: str
    """Why the list is empty; "" when it is not (as similar_words' reason)."""
    empty: bool
    """The note has no text but its title: the answer comes from its title alone (related notes all weak)."""


class Neighbour(TypedDict):
    word: str
    score: float
    count: int


class SimilarAnswer(TypedDict):
    word: str
    count: int
    reliable: bool
    language: str
    similar: list[Neighbour]
    reason: str
    warning: str  # the word was read as the vault's word with accents (cafe: café); "" when not


class Link(TypedDict):
    target: str
    path: str | None


class NoteCounts(TypedDict):
    """Each list's whole length, before `max_items` cut it."""

    aliases: int
    tags: int
    headings: int
    links: int


class NoteAnswer(TypedDict):
    path: str
    title: str
    aliases: list[str]  # each list: at most max_items entries, each cut at 200 characters
    tags: list[str]
    headings: list[str]
    links: list[Link]
    text: str
    truncated: bool  # the text was cut at max_chars
    chars: int
    changed_since_index: bool
    counts: NoteCounts
    lists_truncated: bool  # some list was cut at max_items (counts says how long each is)
    also_named: NotRequired[list[str]]
    warning: NotRequired[str]


class ThisServer(TypedDict):
    watch: bool
    watching: bool
    message: str


class StatusAnswer(TypedDict):
    """`notelink status --json` (its fields optional here: a damaged index has `damaged`, `error` and
    `problems` instead), and `this_server`."""

    this_server: ThisServer
    generation: NotRequired[int | None]
    notes: NotRequired[int | None]
    indexed: NotRequired[int]
    skipped: NotRequired[list[dict[str, str]]]
    vocab: NotRequired[int]
    trained_at: NotRequired[str | None]
    device: NotRequired[str | None]
    index_dir: NotRequired[str]
    model: NotRequired[dict[str, Any]]
    warnings: NotRequired[list[str]]
    languages: NotRequired[dict[str, int]]
    watcher: NotRequired[dict[str, Any]]
    links: NotRequired[dict[str, Any]]
    exclude: NotRequired[list[str]]
    since_index: NotRequired[dict[str, Any]]
    older_rules: NotRequired[str]
    damaged: NotRequired[bool]
    error: NotRequired[str]
    problems: NotRequired[list[str]]
    lists_truncated: NotRequired[bool]  # skipped was cut at 50 (as the other tools say a cut list)


# what the tools return: a result whose structured content is checked against (and published as) the type
SearchResult = Annotated[CallToolResult, SearchAnswer]
RelatedResult = Annotated[CallToolResult, RelatedAnswer]
ConceptsResult = Annotated[CallToolResult, ConceptsAnswer]
SimilarResult = Annotated[CallToolResult, SimilarAnswer]
NoteResult = Annotated[CallToolResult, NoteAnswer]
StatusResult = Annotated[CallToolResult, StatusAnswer]

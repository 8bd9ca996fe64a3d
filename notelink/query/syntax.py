"""A search box's query: words, "exact phrases", #tag and path: filters, as people type them.

    kubernetes rollout "blue green" -helm #ops path:projects/

Words and phrases are what is searched for (a phrase's words count as words too, and a note must
contain the phrase); `-word` leaves out the notes that hold the word (or another form of it) in their
text or name, as a search box's minus does; `#tag` (or `tag:tag`) keeps notes with that tag or one under
it (`#ops` matches `ops/oncall`); `path:` keeps notes whose path contains the text (`path:"two words"`
for spaces). Filters are case-insensitive. A quote left open is read as an ordinary character; a filter
with nothing after it (`path:`, `tag:`, as a search box holds while it is typed) filters nothing and is
not a word either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PART = re.compile(r'(?<!\S)path:"(?P<pq>[^"]*)"|(?<!\S)path:(?P<pw>\S*)'
                   r'|(?<!\S)(?:tag:#?|#)(?P<tag>[^\W\d][\w/-]*|\d+[^\W\d][\w/-]*)'
                   r'|(?<!\S)(?P<bare>tag:#?)(?!\S)'
                   r'|(?<!\S)-(?P<without>\w\S*)'
                   r'|"(?P<phrase>[^"]+)"')


@dataclass(frozen=True)
class Query:
    """A parsed query."""

    text: str
    """What is scored: the query without its filters (phrases kept, without their quotes)."""
    phrases: list[str] = field(default_factory=list)
    """Exact phrases a note must contain (its words in this order, stop words aside)."""
    tags: list[str] = field(default_factory=list)
    """Tags a note must have (each, or one under it), lowercase, without '#'."""
    paths: list[str] = field(default_factory=list)
    """Texts a note's path must contain, lowercase."""
    without: list[str] = field(default_factory=list)
    """Words a note must not hold (`-word`), lowercase, without '-'."""

    @property
    def filtered(self) -> bool:
        return bool(self.tags or self.paths or self.without)


def parse_query(query: str) -> Query:
    """Splits a typed query into words, phrases and filters (see the module's docstring)."""
    phrases: list[str] = []
    tags: list[str] = []
    paths: list[str] = []
    without: list[str] = []

    def take(m: re.Match[str]) -> str:
        if m.group("phrase") is not None:
            phrases.append(m.group("phrase").strip())
            return f" {m.group('phrase')} "
        if m.group("without") is not None:
            without.append(m.group("without").lower())
        elif m.group("tag") is not None:
            tags.append(m.group("tag").rstrip("/").lower())
        elif m.group("bare") is None:  # (a bare `tag:` or `path:`, being typed, filters nothing yet)
            paths.append((m.group("pq") if m.group("pq") is not None else m.group("pw")).lower())
        return " "

    text = _PART.sub(take, query)
    return Query(" ".join(text.split()), [p for p in phrases if p], tags, [p for p in paths if p], without)


def plain(text: str) -> Query:
    """A draft as it is (no operators): what `--stdin` and `--batch` search with."""
    return Query(draft(text))


def draft(text: str) -> str:
    """A draft as searched and said back: its last line's end is no part of it (an editor's buffer or a
    pipe ends with one; the CLI's `--stdin`, the MCP tool's `draft` and the API say back the same query)."""
    return text.rstrip("\r\n")

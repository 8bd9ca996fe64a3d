"""What a search returns: the notes found (`Hit`), why each was found (`Because`), and the words searched
for, unknown or left out (`SearchResults`); as JSON for `notelink search --json` and the MCP server."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from notelink.query.reasons import UNKNOWN_WHY
from notelink.query.snippets import Snippet


@dataclass(frozen=True)
class Because:
    """Why a note was found."""

    words: list[str] = field(default_factory=list)
    """Query words the note contains."""
    expanded: list[tuple[str, str]] = field(default_factory=list)
    """(word in the note, query word whose CBOW neighbour it is): `kubernetes ← k8s`."""
    anchors: list[str] = field(default_factory=list)
    """Query words that other notes write near this note's name."""
    title_fit: float = 0.0
    """How much more strongly CBOW predicts the note's title words from the query than from an average
    context (a difference of sigmoids, -1 to 1; above 0: the query is about what the title names)."""
    predicted: list[str] = field(default_factory=list)
    """Words in the note that the query as a whole predicts as CBOW's context (no one query word's
    neighbour): what a draft would link."""
    named: bool = False
    """The query is the note's name (its title, an alias or its file name): such notes come first."""
    forms: list[tuple[str, str]] = field(default_factory=list)
    """(word in the note, query word it is another form of: plural, singular, other inflection, by a
    spelling rule, `forms.py`): `tomatoes (form of tomato)`; not the model's (`expanded`)."""

    def lines(self) -> list[str]:
        """Short human-readable reasons."""
        out = ["its name"] if self.named else []
        out += list(self.words) + [form_of(word, source) for word, source in self.forms]
        out += [f"{word} ← {source}" for word, source in self.expanded]
        if self.predicted:
            out.append(f"predicted: {', '.join(self.predicted)}")
        if self.anchors:
            out.append(f"named near: {', '.join(self.anchors)}")
        return out


NAMED_LEGEND = "[named]: the query is the note's name, so it comes first, whatever its score"
"""What the `[named]` mark on a note the query names (`Because.named`) means, under the CLI's results and
over the app's: their scores, above the next notes' or not, are then out of order by design (`search
--help` says it too)."""


def form_of(word: str, source: str) -> str:
    """A form of a query word as a reason (CLI and app alike), told apart from a CBOW neighbour's
    `kubernetes ← k8s`: a spelling rule brought it in, not the vault's model."""
    return f"{word} (form of {source})"


@dataclass(frozen=True)
class Hit:
    path: str
    title: str
    score: float
    snippet: Snippet | None
    because: Because


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: list[Hit]
    words: list[str] = field(default_factory=list)
    """The query's words searched for (stop words left out)."""
    unknown: list[str] = field(default_factory=list)
    """Query words in no note's searched text: reported, not silently dropped. A note may have one in code,
    a URL or front matter, which search does not read (`unknown_reason` in `to_dict` says so)."""
    ignored: list[str] = field(default_factory=list)
    """Query words left out: stop words of the query's language, and those of another language that no
    note has as a word (`die` in a vault whose German notes drop it); numbers, ids and quantities (`2022`:
    the notes' words are without them, so search has none). Not "unknown": no note's text could have them."""
    unmatched: list[str] = field(default_factory=list)
    """Filters and phrases that no note matches (`#tag`, `path:TEXT`, `"phrase"`): why nothing was found."""
    unknown_notes: list[str] = field(default_factory=list)
    """Notes to leave out (`exclude`) that name no note of the index: nothing was left out for them."""
    suggestions: dict[str, list[str]] = field(default_factory=dict)
    """Close vault words for unknown words of a typed query ("did you mean": `fermentaton` ->
    `fermentation`), closest first; none for a draft (`syntax=False`: `--stdin`, `--batch`)."""

    def to_dict(self) -> dict[str, Any]:
        """As `dataclasses.asdict` gives it, with `expanded` and `forms` as {"word", "from"}; built by hand
        (asdict's deep copies were a tenth of a `--batch` query's time)."""
        return {"query": self.query, "hits": [_hit_dict(h) for h in self.hits], "words": list(self.words),
                "unknown": list(self.unknown), "unknown_reason": self.unknown_reason,
                "ignored": list(self.ignored),
                "unmatched": list(self.unmatched), "unknown_notes": list(self.unknown_notes),
                "suggestions": {word: list(close) for word, close in self.suggestions.items()}}

    @property
    def unknown_reason(self) -> str:
        """Why the `unknown` words can be in notes yet unknown (`reasons.UNKNOWN_WHY`); "" with none."""
        return UNKNOWN_WHY if self.unknown else ""

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


def _hit_dict(hit: Hit) -> dict[str, Any]:
    b, snip = hit.because, hit.snippet
    because = {"words": list(b.words), "expanded": [{"word": w, "from": s} for w, s in b.expanded],
               "forms": [{"word": w, "from": s} for w, s in b.forms],
               "anchors": list(b.anchors), "title_fit": b.title_fit, "predicted": list(b.predicted),
               "named": b.named}
    snippet = None if snip is None else {"text": snip.text, "spans": list(snip.spans), "line": snip.line}
    return {"path": hit.path, "title": hit.title, "score": hit.score, "snippet": snippet, "because": because}

"""`notelink mcp VAULT`: the vault's index as an MCP server over stdio, on the official `mcp` SDK.

Six tools, all read-only and idempotent, each answered by the Python API (`notelink.api.Vault`), so an
agent gets what `notelink ... --json` prints: search, related, concepts, similar_words, read_note, status.
Results are bounded (`limit`, `max_chars`), paths are relative to the vault, a note named by a client is
only ever one of the index's notes inside the vault, and nothing is written. Errors come back as tool
errors worded as the CLI words them. Every call reads the live generation, so a watcher's new index (or
`--watch`, which runs one here) is seen by the next call.
"""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
import json
import logging
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations

from notelink import __version__
from notelink.agents import schemas
from notelink.agents.arguments import (
    MAX_CHARS,
    MAX_ITEMS,
    MAX_LIMIT,
    Draft,
    Limit,
    MaxChars,
    MaxItems,
    MinScore,
    NoteName,
    PlainServer,
    Query,
    Unlinked,
    Word,
)
from notelink.agents.stdio import serve_stdio
from notelink.agents.watching import Watching, kept_current
from notelink.api import NoteInfo, Vault
from notelink.config import IndexConfig, RelatedConfig, TrainConfig
from notelink.configfile import UserConfig
from notelink.errors import (
    ArgumentError,
    IndexDamaged,
    IndexFormatError,
    IndexMissing,
    NotelinkError,
    echoed,
    with_vault,
)
from notelink.index.store import current_generation
from notelink.index.verify import check_generation
from notelink.watch.status import waiting_for

READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, destructive_hint=False,
                            open_world_hint=False)
MAX_SNIPPET = 400
MAX_REASONS = 20
"""A search hit's `because` words and anchors listed at most (the query's words, a draft's hundreds)."""

INSTRUCTIONS = """notelink answers from a word2vec model trained on this vault's own notes: which notes are
related to a note (and why: shared concepts, mentions), a note's concepts, words used alike in this vault,
and the text of a note. Paths are relative to the vault. Nothing is written. `status` says whether the index
is kept current while notes change."""


class Server:
    """The tools, over one vault; the vault's index is opened at the first call that needs it."""

    def __init__(self, vault: Path, index_dir: Path | None = None, watch: Watching | None = None) -> None:
        self.vault_path, self.index_dir = vault, index_dir or UserConfig.load().index_dir(vault)
        self.watch = watch  # started with --watch: its watcher, or another one now, builds the index
        self._vault: Vault | None = None

    @property
    def vault(self) -> Vault:
        if self._vault is None:
            self._vault = Vault(self.vault_path, self.index_dir)  # (IndexMissing: `answer` says it)
        return self._vault

    def _no_index(self, exc: IndexMissing) -> str:
        if self.watch is not None and (said := waiting_for(self.index_dir)):  # no notes yet, a failed build
            return f"{self.vault_path} has no index yet, and none is being built (--watch): {said}"
        if self.watch is not None:
            return f"{self.vault_path} has no index yet: it is being built (--watch); ask again in a minute"
        return f"{exc} (or start the server with --watch)"

    def answer(self, question: Callable[[], dict[str, Any]]) -> CallToolResult:
        """The tool's result: its data as compact JSON (text for any client, structured for those that
        read it); a notelink error is a tool error worded as the CLI words it, the commands it suggests
        completed with this vault (a missing index: the same sentence whenever it is found missing)."""
        try:
            data = question()
        except IndexMissing as exc:
            return _error(self._no_index(exc))
        except (NotelinkError, ToolError) as exc:
            return _error(self._with_vault(str(exc)))
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=data)

    def _with_vault(self, text: str) -> str:
        """`text` with the commands it suggests completed with this vault, and its --index-dir when the index
        is not where `notelink index` puts it by default."""
        other = self.index_dir != UserConfig.load().index_dir(self.vault_path)
        return with_vault(text, str(self.vault_path), str(self.index_dir) if other else None)

    def _unusable(self, exc: IndexFormatError) -> dict[str, Any]:
        """What `status` says of an index it cannot open (damaged, or written by another version): the
        error, what to do, and the problems `notelink check` lists."""
        problems: list[str] = []
        with contextlib.suppress(OSError, NotelinkError):
            if (gen := current_generation(self.index_dir)) is not None:
                problems = check_generation(gen, thorough=True).problems
        return {"damaged": isinstance(exc, IndexDamaged),
                "error": self._with_vault(str(exc)), "problems": problems[:MAX_LIMIT]}

    def _found(self, name: str) -> tuple[NoteInfo, dict[str, Any]]:
        """The note `name` means, and, when other notes have that name too, what the answer says of them
        (`Vault.named`: `also_named`, `warning`), as the one picked may not be the one meant."""
        return self.vault.named(name)

    # -- the tools (each answer's fields: `schemas`, published as its outputSchema) -------------
    def search(self, query: Query, limit: Limit = 10, draft: Draft = False) -> schemas.SearchResult:
        """Notes about `query`, by meaning in this vault's own words, best first: path, title, score, the
        best-matching passage (snippet: text, spans of the matched words, line where it starts), because
        (words: query words found; expanded: {word, from} for words the vault's model brought in from a
        query word; forms: {word, from} for another form of a query word, its plural, singular or other
        inflection, by a spelling rule, not the model; anchors: query words other notes write near its
        name; title_fit; named: the query is its name, such notes come first); the words searched for,
        the stop words and numbers left out (ignored: no words left means nothing was searchable, not
        that nothing matched), unknown query words (unknown_reason: in no note's searched text; code, URLs
        and front matter are not searched; suggestions: close vault words for each), and unmatched
        filters (a #tag or path no note has). Quotes match a phrase; #tag and path:folder filter; -word
        leaves out the notes with the word. draft: the query is a paragraph being written (no operators).
        Lists are bounded: words, ignored, unknown at 50, each hit's because words and anchors at 20
        (lists_truncated: one was cut)."""
        def question() -> dict[str, Any]:
            found = self.vault.search(query, _bounded("limit", limit, MAX_LIMIT), syntax=not draft)
            data = found.to_dict()  # (the hits as `search --json` has them: one hit object everywhere)
            hits = [_cut(hit) for hit in data["hits"]]
            lists = {key: _echoed(data[key]) for key in ("words", "ignored", "unknown", "unmatched")}
            cut = any(len(lists[k]) < len(data[k]) for k in lists) or any(
                len(hit["because"][k]) > MAX_REASONS for hit in data["hits"] for k in ("words", "anchors"))
            return {**data, **lists, "query": echoed(found.query), "hits": hits, "lists_truncated": cut,
                    "suggestions": {echoed(w): close for w, close in found.suggestions.items()}}
        return self.answer(question)

    def related(self, note: NoteName, limit: Limit = 10, unlinked: Unlinked = False,
                min_score: MinScore = None) -> schemas.RelatedResult:
        """Notes related to a note, best first: path, title, score (cosine, 0-1), linked (already linked
        either way), because (shared concepts, titles mentioned), weak (score below 0.05: a long shot, few
        notes that far apart are linked; or an empty note, no text but its title, either side); empty: the
        note has no text but its title, so it is related by its title alone. unlinked: only notes not
        linked yet; min_score: only notes scoring this or more."""
        def question() -> dict[str, Any]:
            found, others = self._found(note)
            hits = self.vault.related(found, _bounded("limit", limit, MAX_LIMIT), unlinked, min_score)
            why = "" if hits else self.vault.why_none(found, "related", unlinked, min_score)
            return {"note": found.path, **others, "related": [h.__dict__ for h in hits], "reason": why,
                    "empty": self.vault.empty(found)}
        return self.answer(question)

    def concepts(self, note: NoteName, limit: Limit = 10) -> schemas.ConceptsResult:
        """The words that characterise a note in this vault (its own words and their CBOW neighbours)."""
        def question() -> dict[str, Any]:
            found, others = self._found(note)
            hits = self.vault.concepts(found, _bounded("limit", limit, MAX_LIMIT))
            why = "" if hits else self.vault.why_none(found, "concepts")
            return {"note": found.path, **others, "concepts": [h.__dict__ for h in hits], "reason": why,
                    "empty": self.vault.empty(found)}
        return self.answer(question)

    def similar_words(self, word: Word, limit: Limit = 10) -> schemas.SimilarResult:
        """Words this vault uses like `word` (cosine of word vectors learned from the vault), each with how
        often it occurs; a word too rare for reliable neighbours gets none (reliable: false); when there are
        none, reason says why."""
        return self.answer(lambda: dataclasses.asdict(
            self.vault.similar_words(word, _bounded("limit", limit, MAX_LIMIT))))

    def read_note(self, note: NoteName, max_chars: MaxChars = 4000,
                  max_items: MaxItems = 100) -> schemas.NoteResult:
        """A note's title, aliases, tags, headings, links (target and the note it reaches) as the index has
        them, each list cut at max_items (counts: every list's whole length; lists_truncated: some list was
        cut), and its text as on disk now, cut at max_chars (truncated says so; chars is the whole length);
        changed_since_index: the file changed since the index was built, so the text may disagree with the
        rest (the index catches up at its next build)."""
        def question() -> dict[str, Any]:
            found, others = self._found(note)
            read = self.vault.note(found, _bounded("max_chars", max_chars, MAX_CHARS),
                                   _bounded("max_items", max_items, MAX_ITEMS))
            return {**read.to_dict(), **others}
        return self.answer(question)

    def status(self) -> schemas.StatusResult:
        """What the index holds: notes indexed and skipped (with reasons, the first 50: lists_truncated says
        when there were more), vocabulary, when and
        how it was trained, languages, whether a watcher keeps it current, and this_server: whether this
        server keeps it current (watching), and if not, who does or that nobody does (message)."""
        def question() -> dict[str, Any]:
            try:
                data = self.vault.status().to_dict()
            except IndexFormatError as exc:  # (the agent's "what is wrong?": said, not failed)
                return {**self._unusable(exc), "this_server": kept_current(self.index_dir, self.watch)}
            cut = len(data["skipped"]) > MAX_LIMIT  # (said, as the other tools say a list was cut)
            data["skipped"] = data["skipped"][:MAX_LIMIT]
            return {**data, "lists_truncated": cut, "this_server": kept_current(self.index_dir, self.watch)}
        return self.answer(question)

    def tools(self) -> list[Any]:
        return [self.search, self.related, self.concepts, self.similar_words, self.read_note, self.status]


def build_server(vault: Path, index_dir: Path | None = None, watch: Watching | None = None) -> MCPServer:
    """The MCP server of one vault, its tools registered (not yet running)."""
    tools = Server(vault, index_dir, watch)
    server = PlainServer("notelink", instructions=INSTRUCTIONS, version=__version__)
    for tool in tools.tools():
        server.add_plain_tool(tool, READ_ONLY, _described(tool))
    return server


def _described(tool: Callable[..., Any]) -> str | None:
    """The related tool's description at the weak cut in use (the config file's `[query] weak_below`; its
    docstring says the built-in one); None for the others: their docstrings."""
    cut = UserConfig.load().related().weak_below
    if tool.__name__ != "related" or cut == RelatedConfig().weak_below:
        return None
    doc = inspect.cleandoc(tool.__doc__ or "")
    return doc.replace(f"score below {RelatedConfig().weak_below}", f"score below {cut:g}")


def serve(vault: Path, index_dir: Path | None = None,
          watch: tuple[TrainConfig, IndexConfig] | None = None) -> int:
    """Serves over stdio until the client closes it, or SIGINT (KeyboardInterrupt: the CLI says
    "interrupted", exit 130) or SIGTERM (a host or process manager stopping it: exit 0, as at EOF) comes;
    with `watch` (the settings to build with), keeps the index current meanwhile, or takes over from the
    watcher that does when it stops (`Watching`), and stops that watcher cleanly however it ends."""
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="notelink: %(message)s")
    index_dir = index_dir or UserConfig.load().index_dir(vault)
    watching = Watching(vault, index_dir, *watch) if watch is not None else None
    if watching is not None:
        watching.start()
    try:
        stopped_by = serve_stdio(build_server(vault, index_dir, watching))
    finally:
        if watching is not None:
            watching.close()
    if stopped_by == signal.SIGINT:
        raise KeyboardInterrupt
    return 0


def _cut(hit: dict[str, Any]) -> dict[str, Any]:
    """A search hit with its snippet cut at `MAX_SNIPPET` characters (and its spans within the text kept,
    not over the `…` that ends it), and its `because` words and anchors at `MAX_REASONS` each (a draft of a
    long note had hundreds of each, 5 kB a hit)."""
    because = hit["because"]
    hit = {**hit, "because": {**because, "words": because["words"][:MAX_REASONS],
                              "anchors": because["anchors"][:MAX_REASONS]}}
    if (snip := hit["snippet"]) is None or len(snip["text"]) <= MAX_SNIPPET:
        return hit
    kept = MAX_SNIPPET - 1
    spans = [s for s in snip["spans"] if s[1] <= kept]
    return {**hit, "snippet": {**snip, "text": snip["text"][:kept] + "\u2026", "spans": spans}}


def _error(text: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)


def _echoed(said: list[str]) -> list[str]:
    """Words of the client's query said back: each cut (`errors.echoed`), at most `MAX_LIMIT` of them."""
    return [echoed(word) for word in said[:MAX_LIMIT]]


def _bounded(name: str, value: int, most: int) -> int:
    """`value` when it is within 1..`most`, else an error worded as the CLI's."""
    if not 1 <= value <= most:
        raise ArgumentError(f"{name} must be between 1 and {most}, not {value}")
    return value

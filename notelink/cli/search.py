"""`notelink search`: notes for a query typed on the command line, a draft on stdin, or JSON lines."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from notelink.cli.options import at_least_one, open_index
from notelink.cli.output import EXIT_OK, UserError, shown
from notelink.config import SearchConfig
from notelink.errors import echoed
from notelink.query.reasons import no_words, numbers_of, search_notes
from notelink.query.results import NAMED_LEGEND
from notelink.query.search import Hit, Searcher, SearchResults

_BOLD, _PLAIN = "\x1b[1m", "\x1b[0m"
EMPTY = "give words to search for"


def cmd_search(args: argparse.Namespace) -> int:
    given = [bool(args.query), args.stdin, args.batch]
    if sum(given) != 1:
        raise UserError("give a query, or --stdin (a draft on standard input), or --batch (JSON lines on "
                        "standard input): one of them")
    if args.query and not " ".join(args.query).strip():
        raise UserError(f"the query is empty: {EMPTY}")
    at_least_one("--top", args.top)
    text, syntax = (sys.stdin.read(), False) if args.stdin else (" ".join(args.query or ()), True)
    if args.stdin and not text.strip():
        raise UserError("standard input has no text to search for: give a draft on it, or a query")
    searcher = Searcher(open_index(args), SearchConfig(top=args.top))
    if args.batch:
        return run_batch(searcher, sys.stdin, sys.stdout, args.top, not args.no_snippets)
    results = searcher.search(text, args.top, syntax=syntax, snippets=not args.no_snippets,
                              exclude=args.exclude)
    if args.json:
        print(json.dumps(results.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render(results, color=sys.stdout.isatty()))
    return EXIT_OK


def run_batch(searcher: Searcher, lines: TextIO, out: TextIO, top: int, snippets: bool) -> int:
    """One JSON line out per line in: {"id", "text"[, "top", "exclude"]} -> {"id", "results", "unknown", ...}
    (`results`: what `search --json` calls `hits`, the name issue 18 gave the batch format; not written
    twice: an answer of thousands of queries would double);
    a line that cannot be read gets {"id", "error"} and the rest go on. Each answer is flushed, so a
    process at the other end of a pipe can ask one query at a time."""
    for n, line in enumerate(lines, start=1):
        out.write(json.dumps(_answer(searcher, line, n, top, snippets), ensure_ascii=False) + "\n")
        out.flush()
    return EXIT_OK


def _answer(searcher: Searcher, line: str, n: int, top: int, snippets: bool) -> dict[str, Any]:
    if not line.strip():  # answered too: a client may wait for one answer per line it writes
        return {"id": None, "error": f'line {n} is blank: give {{"id": ..., "text": ...}}'}
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"line {n} is not JSON ({exc.msg})"}
    if not isinstance(item, dict):
        return {"id": None, "error": f'line {n} is not a JSON object: give {{"id": ..., "text": ...}}'}
    why = _wrong(item)
    if why:
        return {"id": item.get("id"), "error": f"line {n}{why}"}
    exclude = item.get("exclude", [])
    results = searcher.search(item["text"], item.get("top", top), syntax=False, snippets=snippets,
                              exclude=[exclude] if isinstance(exclude, str) else exclude)
    data = results.to_dict()  # (the keys of `search --json`, `hits` named `results`)
    return {"id": item.get("id"), "results": data["hits"], "words": results.words,
            "ignored": results.ignored, "unknown": results.unknown, "unknown_reason": results.unknown_reason,
            "unmatched": data["unmatched"], "unknown_notes": results.unknown_notes}


BATCH_KEYS = ("id", "text", "top", "exclude")
"""What a `--batch` line may hold; another key (a misspelt "top", the MCP tool's "limit") is an error, not
silently left out."""


def _wrong(item: dict[str, Any]) -> str:
    """What is wrong with a batch line's object, as the end of its error ("" when nothing is): each key
    said on its own, with the value given."""
    unknown = [key for key in item if key not in BATCH_KEYS]
    if unknown:
        return f": unknown key {_said(unknown[0])}; a line takes only {', '.join(BATCH_KEYS)}"
    if not isinstance(item.get("text"), str):
        return ' has no "text" string'
    if not item["text"].strip():
        return f': "text" is empty: {EMPTY}'
    want, exclude = item.get("top", 1), item.get("exclude", [])
    if isinstance(want, bool) or not isinstance(want, int) or want < 1:
        return f': "top" must be a whole number of at least 1, not {_said(want)}'
    if not isinstance(exclude, str) and not (isinstance(exclude, list)
                                             and all(isinstance(p, str) for p in exclude)):
        return f': "exclude" must be a path or a list of paths, not {_said(exclude)}'
    return ""


def _said(value: Any) -> str:
    """A line's value said back as JSON (cut: a line may be long)."""
    return echoed(json.dumps(value, ensure_ascii=False))


QUERY_SHOWN = 80
"""Characters of the query the text output's head line says back."""


def render(results: SearchResults, color: bool = False) -> str:
    """The results as text: score, title and path, the snippet (matched words in bold on a terminal) and
    the reasons."""
    head = f"Search: {shown(_one_line(results.query))}"
    numbers = numbers_of(results.ignored) if results.words else []  # (else `no_words` says them)
    said = search_notes(results.unknown, results.unmatched, results.suggestions, results.unknown_notes,
                        numbers)
    notes = [r.full for r in said + ([] if results.words else [no_words(results.ignored)])]
    lines = [head + (f"  ({shown('; '.join(notes))})" if notes else "")]
    for hit in results.hits:
        lines += _hit_lines(hit, color)
    if not results.hits:
        lines.append("  (no notes found)")
    if any(hit.because.named for hit in results.hits):
        lines.append(f"  ({NAMED_LEGEND})")
    return "\n".join(lines)


def _one_line(query: str, most: int = QUERY_SHOWN) -> str:
    """The query as the head line says it back: its whitespace runs as single spaces, cut at `most`
    characters (a draft from --stdin is a paragraph or more; its text is the user's, not news to them)."""
    return echoed(" ".join(query.split()), most)


def _marked(text: str, spans: list[tuple[int, int]], color: bool) -> str:
    """The snippet with its matched words in bold (on a terminal), each part escaped on its own."""
    if not color:
        return shown(text)
    parts, end = [], 0
    for a, b in spans:
        parts += [shown(text[end:a]), _BOLD, shown(text[a:b]), _PLAIN]
        end = b
    return "".join([*parts, shown(text[end:])])


def _hit_lines(hit: Hit, color: bool) -> list[str]:
    named = "  [named]" if hit.because.named else ""
    lines = [f"  {hit.score:6.3f}  {shown(hit.title)} ({shown(hit.path)}){named}"]
    if hit.snippet is not None:
        text = _marked(hit.snippet.text, hit.snippet.spans, color)
        lines.append(f"          {text}  (line {hit.snippet.line})")
    reasons = hit.because.lines()
    if reasons:
        lines.append(f"          because: {', '.join(reasons)}")
    return lines

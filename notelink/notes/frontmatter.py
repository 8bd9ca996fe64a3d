"""A note's front matter: the YAML between `---` lines at its top, read safely (a note whose front matter
cannot be used keeps its body, with a warning saying why)."""

from __future__ import annotations

import functools
import re
from typing import Any

_FM_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)  # \r: a note saved with CRLF


@functools.cache
def _loader() -> Any:
    """Safe YAML (libyaml's, ~9x faster), dates kept as written: `date: 2026-02-30` is text, not an error
    that loses the note. Made on first use: PyYAML is 30 ms of a query's start, which reads no YAML."""
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
    return Loader

FRONT_MATTER_VALUES = 100_000
"""Most values front matter may hold with its YAML aliases expanded. PyYAML shares an aliased value instead
of copying it, so loading stays linear, but a billion-laughs `aliases:` (9 levels of 9 references) would
expand to 387M strings wherever it is walked; such front matter is dropped, with a warning."""


def split_front_matter(text: str) -> tuple[str, str]:
    """(front matter YAML, body). No front matter, or an unclosed one, gives ("", text)."""
    if not text.startswith("---"):
        return "", text
    first_nl = text.find("\n")
    if first_nl < 0 or text[:first_nl].strip() != "---":
        return "", text
    m = _FM_CLOSE.search(text, first_nl + 1)
    if not m:
        return "", text
    body_start = text.find("\n", m.end())
    return text[first_nl + 1 : m.start()], ("" if body_start < 0 else text[body_start + 1 :])


def as_list(value: Any) -> list[str]:
    """Front-matter list fields accept a YAML list of names or a comma/space separated string; anything
    else (a mapping, nested lists) names nothing."""
    if isinstance(value, (list, tuple)):
        return [text for v in value if isinstance(v, (str, int, float)) and (text := str(v).strip())]
    if isinstance(value, (str, int, float)):
        return [v.strip() for v in re.split(r"[,\n]", str(value)) if v.strip()]
    return []


def strings_in(value: Any) -> list[str]:
    """The strings of a front-matter value: itself, or those of its list's items or mapping's values (four
    levels at most), as a property's links are looked for in them."""
    return [leaf for leaf in leaves_in(value) if isinstance(leaf, str)]


def leaves_in(value: Any, skip: frozenset[str] = frozenset(), depth: int = 0) -> list[Any]:
    """The values of a front-matter value that are no list or mapping: itself, or those of its list's items
    or mapping's values (four levels at most), but a mapping's values under the keys `skip` (casefolded)."""
    if isinstance(value, dict):
        items = [v for k, v in value.items() if str(k).casefold() not in skip]
    elif isinstance(value, list):
        items = value
    else:
        return [value]
    return [] if depth >= 4 else [leaf for item in items for leaf in leaves_in(item, skip, depth + 1)]


NAMED_KEYS = frozenset({"title", "aliases", "alias", "tags", "tag", "cssclasses", "cssclass", "id", "uid",
                        "permalink"})
"""Properties whose values are not read by `property_values`: read elsewhere (title, aliases, tags) or
markup and the note's own ids (a CSS class, a slug, a Dendron id)."""
# a date (2026-05-28, 2026/05/28, 28.05.2026), then perhaps a time and a zone (T14:03:22Z, 14:03 +0300)
_DATE = re.compile(r"(?:\d{4}([-/.])\d{1,2}\1\d{1,2}|\d{1,2}([-/.])\d{1,2}\2\d{4})"
                   r"(?:(?:T|\s+)\d{1,2}:\d\d(?::\d\d(?:[.,]\d+)?)?\s*(?:Z|[+-]\d\d:?\d\d)?)?")
_ZETTEL_ID = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{4}(?:\d\d)?")
"""A zettel id (YYYYMMDDHHMM, or with seconds), read as text by `property_values` when YAML made it a number
(`up: 202305281403`); other numbers are not names (a year, a count, Dendron's `created: 1642564062835`,
epoch milliseconds)."""
PROPERTY_CHARS = 200
"""The longest property value `property_values` reads (a word, a name, a short phrase; not a page of text
pasted into front matter)."""


def property_values(fm: dict[str, Any]) -> list[str]:
    """The plain text values of a note's own properties (`category: study`, `up: Parent`, `author: kepano`),
    read as URLs and code spans are: for the notes they name by file name, never trained on. Obsidian users
    name notes so in Dataview fields; a baseline that reads every word found them (a Russian zettelkasten's
    `category:` values). Left out: `NAMED_KEYS` at any depth, dates and times (`2026-05-28 14:03 +0300`,
    `28.05.2026`), values with wikilinks (links: `_property_links`) and values over `PROPERTY_CHARS`;
    booleans and numbers are no text, but for zettel ids (`_ZETTEL_ID`)."""
    leaves = [leaf for key, value in fm.items() if str(key).casefold() not in NAMED_KEYS
              for leaf in leaves_in(value, NAMED_KEYS)]
    texts = [str(leaf) if _is_zettel_id(leaf) else leaf for leaf in leaves]
    return [s for s in (t.strip() for t in texts if isinstance(t, str))
            if s and "[[" not in s and len(s) <= PROPERTY_CHARS and not _DATE.fullmatch(s)]


def _is_zettel_id(value: Any) -> bool:
    """Whether a value is a zettel id that YAML made a number (`up: 202305281403`)."""
    return isinstance(value, int) and not isinstance(value, bool) and bool(_ZETTEL_ID.fullmatch(str(value)))


def _expanded_size(data: Any, limit: int) -> int:
    """How many values `data` holds with shared (aliased) lists and mappings counted at each use; past
    `limit` (or a value that contains itself) the count stops at limit + 1. Linear in distinct values."""
    sizes: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(data, False)]
    open_: set[int] = set()
    while stack:
        obj, done = stack.pop()
        if not isinstance(obj, (list, dict)) or (not done and id(obj) in sizes):
            continue
        children = list(obj.values()) if isinstance(obj, dict) else obj
        if done:
            open_.discard(id(obj))
            sizes[id(obj)] = min(limit + 1, 1 + sum(sizes.get(id(c), 1) for c in children))
        elif id(obj) in open_:
            return limit + 1
        else:
            open_.add(id(obj))
            stack += [(obj, True)] + [(c, False) for c in children]
    return sizes.get(id(data), 1)


def load_front_matter(raw: str) -> tuple[dict[str, Any], str]:
    """The front matter as a mapping and a warning; when it cannot be used, {} (the body is indexed)."""
    if not raw.strip():
        return {}, ""
    import yaml

    try:
        data = yaml.load(raw, Loader=_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        return {}, f"front matter is not valid YAML{where}; body indexed without it"
    except (ValueError, TypeError, OverflowError, RecursionError, MemoryError) as exc:
        why = f"{type(exc).__name__}: {str(exc)[:80]}"
        return {}, f"front matter cannot be read ({why}); body indexed without it"
    if not isinstance(data, dict):
        return {}, "front matter is not a key: value mapping; body indexed without it"
    if _expanded_size(data, FRONT_MATTER_VALUES) > FRONT_MATTER_VALUES:
        return {}, (f"front matter expands to over {FRONT_MATTER_VALUES:,} values through its YAML aliases "
                    "(or contains itself); body indexed without it")
    return data, ""

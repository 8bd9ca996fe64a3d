"""One Markdown note parsed with markdown-it-py: title, aliases, tags, links and the prose to train on."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from notelink.notes.block import without_block

_TAG = re.compile(r"(?:^|(?<=[\s(\[,;]))#([^\W\d][\w/-]*|\d+[^\W\d][\w/-]*)")
_URL = re.compile(r"\b(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)\S+", re.IGNORECASE)
_COMMENT = re.compile(r"%%.*?%%", re.DOTALL)
_MATH_BLOCK = re.compile(r"\$\$.*?\$\$", re.DOTALL)
_FM_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Link:
    """A link as written: `target` is a note name or relative path; `kind` is wiki, embed or markdown."""

    target: str
    kind: str = "wiki"
    heading: str = ""


@dataclass
class ParsedNote:
    """What notelink knows about one note's text."""

    title: str
    aliases: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    warning: str = ""
    """Non-fatal problem, such as front matter that is not valid YAML (the body is still used)."""

    @property
    def text(self) -> str:
        """The prose used for training: headings and paragraphs, code/URLs/HTML/front matter left out."""
        return "\n".join(self.paragraphs)


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule for `[[target#heading|alias]]` and `![[embed]]`."""
    src, pos = state.src, state.pos
    embed = src.startswith("![[", pos)
    start = pos + (3 if embed else 2)
    if not (embed or src.startswith("[[", pos)):
        return False
    end = src.find("]]", start)
    if end < 0 or "\n" in src[start:end] or end == start:
        return False
    if not silent:
        inner = src[start:end]
        target, _, alias = inner.partition("|")
        if alias and state.env.get("alias_first"):  # Dendron writes [[alias|note.name]]
            target, alias = alias, target
        target, _, heading = target.partition("#")
        token = state.push("wikilink", "", 0)
        token.meta = {"target": target.strip(), "heading": heading.strip(), "alias": alias.strip(),
                      "embed": embed}
    state.pos = end + 2
    return True


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    return md


_MD = _markdown()
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, ~9x faster, where PyYAML has it


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


def _as_list(value: Any) -> list[str]:
    """Front-matter list fields accept a YAML list or a comma/space separated string."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return [v.strip() for v in re.split(r"[,\n]", str(value)) if v.strip()]


def _load_front_matter(raw: str) -> tuple[dict[str, Any], str]:
    if not raw.strip():
        return {}, ""
    try:
        data = yaml.load(raw, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        return {}, f"front matter is not valid YAML{where}; body indexed without it"
    if not isinstance(data, dict):
        return {}, "front matter is not a key: value mapping; body indexed without it"
    return data, ""


def _inline_text(children: list[Token], note: ParsedNote) -> str:
    """Prose of one inline block, collecting wikilinks and Markdown links on the way."""
    parts: list[str] = []
    for tok in children:
        if tok.type == "wikilink":
            meta = tok.meta
            kind = "embed" if meta["embed"] else "wiki"
            if meta["target"]:
                note.links.append(Link(meta["target"], kind, meta["heading"]))
            if not meta["embed"]:
                parts.append(meta["alias"] or meta["target"])
        elif tok.type == "link_open":
            _add_markdown_link(str(tok.attrs.get("href", "")), note)
        elif tok.type == "text":
            parts.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak", "code_inline", "html_inline"):
            parts.append(" ")
    return "".join(parts)


def _add_markdown_link(href: str, note: ParsedNote) -> None:
    """Keeps links to local notes (`other.md`, `sub/My%20note.md`, `Note#Heading`)."""
    if not href or href.startswith("#") or re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
        return
    path, _, heading = (unquote(part) for part in href.partition("#"))  # `%23` is a `#` of the file name
    suffix = PurePosixPath(path).suffix.lower()
    if suffix in ("", ".md", ".markdown"):
        note.links.append(Link(path, "markdown", heading))


def _prose(text: str, note: ParsedNote) -> str:
    """Removes URLs and collects `#tags` from a block of prose; a tag's words stay in the prose."""
    for m in _TAG.finditer(text):
        note.tags.append(m.group(1).rstrip("/"))
    return _TAG.sub(lambda m: m.group(1).replace("/", " "), _URL.sub(" ", text))


def _walk(tokens: list[Token], note: ParsedNote) -> None:
    in_h1 = in_heading = False
    for tok in tokens:
        if tok.type == "heading_open":
            in_heading, in_h1 = True, tok.tag == "h1"
        elif tok.type == "heading_close":
            in_heading = in_h1 = False
        elif tok.type == "inline":
            text = _prose(_inline_text(tok.children or [], note), note).strip()
            if in_heading:
                note.headings.append(text)
                if in_h1 and not note.title and text:
                    note.title = text
            if text:
                note.paragraphs.append(text)


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = item.casefold()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def parse_note(text: str, stem: str, alias_first: bool = False) -> ParsedNote:
    """Parses a note's text; `stem` (file name without `.md`) is the title of last resort. `alias_first`
    reads `[[a|b]]` as alias `a` of note `b`, as Dendron writes them (`notelink.notes.dialect`).

    notelink's related-notes block is left out: it is never trained on and its links are not the user's."""
    raw_fm, body = split_front_matter(without_block(text).lstrip("\ufeff"))
    fm, warning = _load_front_matter(raw_fm)
    note = ParsedNote(title="", warning=warning)
    body = _MATH_BLOCK.sub(" ", _COMMENT.sub(" ", body))
    _walk(_MD.parse(body, {"alias_first": alias_first}), note)
    fm_title = fm.get("title")
    if isinstance(fm_title, (str, int, float)) and str(fm_title).strip():
        note.title = str(fm_title).strip()
    note.title = note.title or stem
    note.aliases = _dedupe(_as_list(fm.get("aliases", fm.get("alias"))))
    fm_tags = [t.lstrip("#") for t in _as_list(fm.get("tags", fm.get("tag"))) for t in t.split()]
    note.tags = _dedupe([t for t in fm_tags if t] + note.tags)
    return note

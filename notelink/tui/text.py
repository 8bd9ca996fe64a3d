"""Pure helpers for what the app shows: a note's text as the app shows it, wikilinks as app links, score
bars, and the "because" line of a related note (the notes list's order and filter: `notefilter.py`). No
textual here, so they are tested directly."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from urllib.parse import quote, unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from notelink.notes.dialect import strip_scheme, without_range
from notelink.notes.frontmatter import split_front_matter
from notelink.notes.logseq import EMBED_MACRO, ORG_CODE, wordless_property
from notelink.notes.names import file_stem
from notelink.notes.targets import SCHEME
from notelink.query.reading import INLINE_FOOTNOTE, filled, inline_footnote
from notelink.tui.notefilter import fold

NOTE_SCHEME = "notelink:"
"""Links the app handles itself: `notelink:TARGET` opens the note TARGET resolves to."""

FOOTNOTE = "notelink-footnote:"
"""The href of a footnote's mark in the note view (`[1]`): `FOOTNOTE` + its label; the app scrolls to the
footnote's definition."""

MARKDOWN_LINK = "notelink-markdown:"
"""How the app names the target of a Markdown link into the vault (`[x](../Other.md)`): its path, read
relative to the note it is in (a wikilink's target is a name, read from the vault)."""

MAX_SHOWN_CHARS = 1_000_000
"""Longer notes are shown cut here; the editor shows all. (A note is laid out piece by piece, see
`noteview`, so the cut only bounds the work done at once on the whole text: ~30 ms for 1 MB here.)"""

_WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n|]+?)(?:\|([^\[\]\n]*))?\]\]")
"""`[[first|second]]`: target, then alias (Obsidian, Foam, zk); Dendron writes the alias first."""
_CODE = re.compile(r"^(?:```|~~~).*?(?:^(?:```|~~~)[ \t]*$|\Z)"  # fenced blocks
                   r"|(?P<ticks>`+)[^\n]+?(?P=ticks)", re.MULTILINE | re.DOTALL)  # inline code spans


def note_href(target: str) -> str:
    return NOTE_SCHEME + quote(target, safe="")


def href_target(href: str) -> str | None:
    """The note target of an app link, or None for ordinary links."""
    return href[len(NOTE_SCHEME):] if href.startswith(NOTE_SCHEME) else None


ATTACHMENT_SUFFIXES = frozenset(
    ".png .jpg .jpeg .gif .bmp .svg .webp .avif .ico .tif .tiff .heic .mp3 .wav .m4a .ogg .flac .3gp .webm "
    ".mp4 .ogv .mov .mkv .avi .pdf .canvas .base .zip .csv .json .txt .html .docx .xlsx .pptx".split())
"""File types a wikilink or embed points to that are attachments (images, media, PDFs...), not notes."""


def is_attachment(target: str) -> bool:
    """True for a link to an attachment (`![[diagram.png]]`), which the app cannot open as a note."""
    name = target.partition("#")[0].rpartition("/")[2].lower()
    return "." in name and name[name.rindex("."):] in ATTACHMENT_SUFFIXES


def _link_markdown(m: re.Match[str], alias_first: bool = False,
                   titles: Callable[[str], str | None] | None = None) -> str:
    """A wikilink as a Markdown link to `notelink:TARGET`; `alias_first`: Dendron's `[[alias|note.name]]`
    (`notes.note.parse_note` reads it so too); `titles`: a note name's title, for a link without a label."""
    embed, target, alias = m.group(1), m.group(2).strip(), (m.group(3) or "").strip()
    if alias_first and alias:
        target, alias = alias, target
    note, _, heading = target.partition("#")
    if alias_first:  # Dendron: `dendron://vault/note` names the note; `#h,1:#*` is a range from heading h
        heading = without_range(heading)
        target, note = f"{note}#{heading}" if heading else note, strip_scheme(note)
    note = (titles(note) if titles is not None and note and not alias else None) or note
    label = alias or (f"{note} › {heading}" if note and heading else note or heading)
    label = label.replace("[", "(").replace("]", ")")
    return f"{'↳ ' if embed else ''}[{label}]({note_href(target)})"


def _outside_code(text: str, change: Callable[[str], str]) -> str:
    """`text` with `change` applied to everything but fenced code blocks and inline code spans."""
    out, last = [], 0
    for fence in _CODE.finditer(text):
        out.append(change(text[last : fence.start()]))
        out.append(fence.group(0))
        last = fence.end()
    out.append(change(text[last:]))
    return "".join(out)


_CALLOUT = re.compile(r"^((?:[ \t]*>)+)[ \t]*\[!([^\]\n]+)\][+-]?[ \t]*(.*)$", re.MULTILINE)
_BLOCK_ID = re.compile(r"(?:[ \t]+|^)\^[A-Za-z0-9-]+[ \t]*$", re.MULTILINE)
_COMMENT = re.compile(r"%%.*?%%|<!--.*?-->", re.DOTALL)  # Obsidian's comments, and HTML's


def _callout(m: re.Match[str]) -> str:
    """A callout's marker line as its title, in bold on a line of its own (a hard break: its body ran on
    from it, "Contribute Most of the documentation...")."""
    kind, title = m.group(2).strip(), m.group(3).strip()
    return f"{m.group(1)} **{title or kind.capitalize()}**  "


def _as_read(part: str) -> str:
    """A stretch of Markdown outside code with Obsidian's syntax as its reading view shows it, and
    `key:: value` properties (Logseq's, Dataview's) each on its line (Logseq's block ids, `id::`, are
    hidden by `logseq_shown`, in a Logseq graph only: elsewhere `id:: 42` is a Dataview field); an inline
    footnote `^[text]` as ` (text)`, as snippets read it (markdown-it's footnotes drop its text)."""
    text = _BLOCK_ID.sub("", _CALLOUT.sub(_callout, _COMMENT.sub("", part)))
    text = INLINE_FOOTNOTE.sub(inline_footnote, text) if "^[" in text else text
    return _PROPERTY.sub(lambda m: f"{m[1]}**{m[2]}**: {m[3]}  ", text)

_PROPERTY = re.compile(r"^([ \t]*(?:[-*+][ \t]+)?)([A-Za-z][\w-]*)::[ \t]*(\S.*?)[ \t]*$", re.MULTILINE)


def reading_view(text: str) -> str:
    """Obsidian syntax as its reading view shows it: a callout's `[!type]` marker becomes its title in
    bold, `^block-id`s, `%%comments%%` and `<!-- HTML comments -->` are hidden; code is left alone."""
    return _outside_code(text, _as_read)


def shown_markdown(text: str, limit: int = MAX_SHOWN_CHARS, alias_first: bool = False) -> str:
    """The Markdown to render: front matter left out (title and tags are shown around the note),
    Obsidian's own syntax as its reading view shows it, wikilinks rewritten, huge notes cut at a line with
    a note saying so. The note view does it in two steps: `note_body` at once, `as_shown` piece by piece.
    `alias_first`: the vault writes `[[alias|target]]` (Dendron)."""
    return as_shown(note_body(text, limit), alias_first)


_TABBED = re.compile(r"^[ \t]*\t[ \t]*", re.MULTILINE)
_ORG_EDGE = re.compile(r"^([ \t]*(?:[-*+][ \t]+)?)#\+(BEGIN|END)_(\w+)[ \t]*([^\n]*)\n?",
                       re.MULTILINE | re.IGNORECASE)
_PROPERTY_LINE = re.compile(r"^[ \t]*(?:[-*+][ \t]+)?([A-Za-z][\w\-/.]*)::(?:[ \t]+([^\n]*))?\n?",
                            re.MULTILINE)


def logseq_shown(text: str) -> str:
    """A Logseq page as Logseq shows it: each tab of a line's indentation as two spaces, so its blocks nest
    as in Logseq (as Markdown, a tab after a heading made the blocks below it code: the glossary of Logseq's
    docs showed as one code block); org-mode blocks as `_org_blocks` has them; properties Logseq hides
    (`collapsed:: true`, `updated-at:: 1609246099894`) left out; `{{embed [[page]]}}` as an embed."""
    shown = _org_blocks(_outside_code(text, lambda part: EMBED_MACRO.sub(r"!\1", _PROPERTY_LINE.sub(
        _unless_hidden, part))))
    return _TABBED.sub(lambda m: m.group().replace("\t", "  "), shown)


def _unless_hidden(m: re.Match[str]) -> str:
    """A Logseq property line as shown: none when Logseq hides it (`wordless_property`), else as written."""
    return "" if wordless_property(m.group(1), (m.group(2) or "").strip()) else m.group(0)


def _org_blocks(text: str) -> str:
    """Org-mode blocks as Logseq shows them: a block of code (`#+BEGIN_SRC clojure` ... `#+END_SRC`, a
    query, an example) as a fence, when it is closed; another (`#+BEGIN_NOTE`) as its kind in bold."""
    if "#+" not in text:
        return text
    edges = list(_ORG_EDGE.finditer(text))
    last_end = {m.group(3).upper(): m.start() for m in edges if m.group(2).upper() == "END"}
    open_code = ""

    def edge(m: re.Match[str]) -> str:
        nonlocal open_code
        lead, kind, rest = m.group(1), m.group(3).upper(), m.group(4).strip()
        if m.group(2).upper() == "END":
            closes, open_code = kind == open_code, "" if kind == open_code else open_code
            return f"{lead}```\n" if closes else m.group(0) if kind in ORG_CODE else ""
        if open_code or (kind in ORG_CODE and last_end.get(kind, -1) < m.start()):
            return m.group(0)  # (in code, or a block of code never closed)
        if kind in ORG_CODE:
            open_code = kind
            return f"{lead}```{rest.split()[0] if kind == 'SRC' and rest else ''}\n"
        return f"{lead}**{kind.capitalize()}**  \n"
    return _ORG_EDGE.sub(edge, text)


def note_body(text: str, limit: int = MAX_SHOWN_CHARS) -> str:
    """A note without its front matter (as the indexer finds it: after a BOM, with CRLF line ends too), cut
    when longer than `limit` (with a note saying so): at a line, or at a space in a line so long that cutting
    at a line would drop most of what may be shown."""
    _, text = split_front_matter(text.lstrip("\ufeff"))
    if len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > limit // 2 else text.rfind(" ", limit // 2, limit)
        text = text[: cut if cut > 0 else limit] + (
            f"\n\n---\n\n*Showing the first {limit:,} of {len(text):,} characters; "
            "press `e` to open the whole note in your editor.*\n")
    return text


def as_shown(part: str, alias_first: bool = False, titles: Callable[[str], str | None] | None = None,
             values: Mapping[str, str] | None = None) -> str:
    """Markdown (a whole note, or a piece of one cut between blocks) with Obsidian's own syntax as its reading
    view shows it and wikilinks rewritten: one pass over the code spans, `[[T#h|alias]]`, `![[T]]` become
    Markdown links to `notelink:T` (`alias_first`: `[[alias|T]]`, as Dendron writes them); `values`: the
    note's front matter, for Dendron's `{{fm.desc}}` (`reading.filled`); `titles`: a
    note name's title, shown for a link without a label (Dendron's `[[note.name]]`: `dendron_titles`)."""
    link = partial(_link_markdown, alias_first=alias_first, titles=titles)
    read = _as_read if values is None else (lambda text: filled(_as_read(text), values))
    return _outside_code(part, lambda text: _WIKILINK.sub(link, read(text)))


def dendron_titles(paths: Iterable[tuple[str, str]]) -> Callable[[str], str | None]:
    """A Dendron note name's title, of (path, title) pairs: Dendron's preview and published site show a link
    without a label by its note's title (`enableNoteTitleForLink`, on by default), not its dotted name
    (`dendron.topic.links.wiki-link`: "Wiki Link")."""
    by_name: dict[str, str] = {}
    for path, title in paths:
        by_name.setdefault(file_stem(path).casefold(), title)
    return lambda name: by_name.get(name.casefold())


def local_href(href: str) -> str | None:
    """The target of a Markdown link into the vault (its href unquoted: `../Other note.md#a-heading`,
    `#a-heading`) as an app target (`MARKDOWN_LINK` + href), or None for a URL (`https:`, `mailto:`,
    `//host`) or none."""
    if not href or href.startswith("//") or SCHEME.match(href):
        return None
    return MARKDOWN_LINK + href


def app_target(href: str) -> str | None:
    """What a link's href (unquoted) asks the app to open: a wikilink's target (`href_target`), a Markdown
    link's path into the vault (`local_href`), a footnote's mark (`FOOTNOTE` + label) as it is; None for a
    URL."""
    if href.startswith(FOOTNOTE):
        return href
    target = href_target(href)
    return target if target is not None else local_href(href)


_LINKS_MARKDOWN = MarkdownIt("gfm-like").use(footnote_plugin, inline=False)


def app_links(markdown: str) -> list[tuple[str, str]]:
    """(label, target) of each link to a note or a heading in Markdown made by `shown_markdown`, in order,
    first occurrence only: wikilinks (`Note#Heading`, `#Heading`) and Markdown links into the vault
    (`MARKDOWN_LINK` + their path, read relative to the note), a footnote's mark (`[1]`, to `FOOTNOTE` + its
    label) when the note defines it; links to attachments (images, PDFs) not."""
    seen: dict[str, str] = {}
    for label, href in _links(_LINKS_MARKDOWN.parse(markdown)):
        target = app_target(unquote(href))
        if target is not None and not is_attachment(target.removeprefix(MARKDOWN_LINK)):
            seen.setdefault(target, label)
    return [(label, target) for target, label in seen.items()]


def _links(tokens: list[Token]) -> Iterator[tuple[str, str]]:
    """(label, href) of each link in parsed Markdown, the label as its text reads."""
    for tok in tokens:
        label: list[str] | None = None
        href = ""
        for child in tok.children or []:
            if child.type == "footnote_ref" and label is None:
                yield f"[{child.meta['label']}]", FOOTNOTE + str(child.meta["label"])
            elif child.type == "link_open":
                label, href = [], str(child.attrs.get("href", ""))
            elif child.type == "link_close" and label is not None:
                yield "".join(label), href
                label = None
            elif label is not None and child.type in ("text", "code_inline", "image"):
                label.append(child.content)  # (an image's: its alt text)


def heading_key(text: str) -> str:
    """A heading as links name it: folded, letters and digits only, so `[[#Tips & tricks]]` finds the
    heading "Tips & Tricks:"."""
    return "".join(c for c in fold(text) if c.isalnum())


def score_bar(score: float, width: int = 8) -> str:
    """A bar of eighth-blocks for a cosine score in [0, 1] (negative scores show empty)."""
    eighths = round(max(0.0, min(1.0, score)) * width * 8)
    full, part = divmod(eighths, 8)
    bar = "█" * full + ("" if part == 0 else " ▏▎▍▌▋▊▉"[part])
    return bar.ljust(width)


def shared_concepts(mine: Sequence[str], theirs: Sequence[str], top: int = 4) -> list[str]:
    """Concept words two notes share, in the order of `mine` (their strongest first)."""
    other = set(theirs)
    return [w for w in mine if w in other][:top]


def because_line(because: Sequence[str]) -> str:
    """The index's reasons for a related note as a line: "because: sync, vault; mentions Headless Sync"."""
    words = [b for b in because if not b.startswith("mentions: ")]
    named = [b.removeprefix("mentions: ") for b in because if b.startswith("mentions: ")]
    parts = ([", ".join(words)] if words else []) + (["mentions " + ", ".join(named)] if named else [])
    return "because: " + "; ".join(parts) if parts else "because: similar wording overall"


def because(mine: Sequence[str], theirs: Sequence[str],
            similar: Callable[[str, str], float] | None = None) -> str:
    """The reason line for a related note: shared top concepts, else the closest pair of concepts."""
    shared = shared_concepts(mine, theirs)
    if shared:
        return "because: " + ", ".join(shared)
    if similar is not None and mine and theirs:
        pairs = sorted(((similar(a, b), a, b) for a in mine[:5] for b in theirs[:5]), reverse=True)
        score, a, b = pairs[0]
        return f"because: {a} ≈ {b} ({score:.2f})"
    return "because: similar wording overall"

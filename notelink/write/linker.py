"""One link into one note, at the user's request: wrap an unlinked mention of a note in a link to it, or
add the link under a "See also" heading. Planned first (a diff); written only with `--write`, after the
note's bytes are saved in the undo journal (`journal.py`), with the same compare-and-swap and atomic
replace as the managed block (`notewriter.py`); `undo.py` puts the note back. Bytes outside the inserted
link never change.

The link is the user's from then on: it is part of the note's text, so the watcher re-indexes the note.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import quote

from notelink.errors import NotFound
from notelink.notes import block, outline, sections
from notelink.notes.block import BlockError
from notelink.notes.links import MARKDOWN_STYLES, dialect_of, markdown_href, wikilink_safe
from notelink.notes.names import file_name, name_key, told_apart
from notelink.notes.spans import find_names
from notelink.query.answers import NoteInfo
from notelink.query.index import Index
from notelink.write import journal, seealso
from notelink.write.export import vault_link_style
from notelink.write.notewriter import Edit, Plan, Refusal, WriteReport, apply, plan, unified_diff

_LABEL_UNSAFE = re.compile(r"[\[\]|\n\r]")


def link_name(index: Index, target: NoteInfo) -> str:
    """The shortest name that reaches `target` from any note: in zk its id, where the vault's own links
    use ids (`_zk_id`), else its file name (`names.file_name`, Dendron's note name, as blocks and exports
    write it) when no other note answers to it, else its vault path (both without `.md`)."""
    stem = file_name(target.path)
    for name in (_zk_id(index, stem), stem):
        if name and _reaches(index, name, target):
            return name
    return target.path[:-3] if target.path.lower().endswith(".md") else target.path


def _reaches(index: Index, name: str, target: NoteInfo) -> bool:
    """True when a link naming `name` reaches `target` and no other note answers to it."""
    try:
        return index.find_note(name).path == target.path and not index.also_named(name, target)
    except NotFound:  # a file name that is no name of its note (Logseq's `a___b.md` is page `a/b`)
        return False


_ID = re.compile(r"[^\W_]+")
"""A zk id: the letters and digits a file name starts with (`202301021015` of `202301021015 Topic.md`)."""


def _zk_id(index: Index, stem: str) -> str | None:
    """zk: the id `stem` starts with, when the vault's own links reach notes by ids of its shape (as many
    characters, digits only or not): `[[202301021015]]`, not the whole file name. None elsewhere."""
    found = _ID.match(stem)
    if dialect_of(index.meta).name != "zk" or found is None or found.end() == len(stem):
        return None
    return found.group() if _id_shape(found.group()) in _link_id_shapes(index) else None


def _link_id_shapes(index: Index) -> set[tuple[int, bool]]:
    """The shapes of the ids the vault's links name notes by: a link that is the start of its note's file
    name, up to a character that is no letter or digit."""
    shapes = set()
    for written, path in index.reaching_links():
        stem, key = name_key(posixpath.basename(path)), name_key(written.strip())
        if _ID.fullmatch(key) and len(key) < len(stem) and stem.startswith(key) and \
                not stem[len(key)].isalnum():
            shapes.add(_id_shape(key))
    return shapes


def _id_shape(found: str) -> tuple[int, bool]:
    return len(found), found.isdigit()


def markup(index: Index, target: NoteInfo, label: str | None, source: str = "",
           style: str = "wiki") -> str:
    """A link to `target` reading `label` (None: its name) in the vault's link `style` (`export.
    vault_link_style`): `[[name]]`, `[[name|label]]`, Dendron's `[[label|name]]`, Logseq's `[[page]]`, or a
    Markdown link relative to the `source` note. A name or label a wikilink cannot hold (`]`, `|`, `#`...,
    or a line break: a mention across lines) makes a Markdown link with a percent-encoded path, its text
    as written, line breaks included."""
    name = target.title if style == "logseq" else link_name(index, target)  # (Logseq names a page by title)
    same = label is None or name_key(label) == name_key(name)  # links resolve regardless of case
    wiki = wikilink_safe(name) and (label is None or not _LABEL_UNSAFE.search(label))
    if style in MARKDOWN_STYLES or not wiki:
        text = (label or target.title or name).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        where = markdown_href(target.path, source, style) if style in MARKDOWN_STYLES else quote(target.path)
        return f"[{text}]({where})"  # (a line break in `text` kept: CommonMark allows it)
    if style == "logseq":
        page = target.title
        return f"[[{label or page}]]" if label is None or name_key(label) == name_key(page) else \
            f"[{label}]([[{page}]])"
    if same:
        return f"[[{label or name}]]"
    return f"[[{label}|{name}]]" if style == "dendron" else f"[[{name}|{label}]]"


def wrap_mention(index: Index, target: NoteInfo, n: int, source: str = "", style: str = "wiki") -> Edit:
    """The edit that turns the n-th (1-based) unlinked mention of `target` into a link, as written."""
    names = target.written_names(dialect_of(index.meta).name)

    def edit(text: str) -> str:
        spans = find_names(text, names)
        if not 1 <= n <= len(spans):
            raise BlockError(f"it has no mention #{n} of {target.title!r} outside links and code "
                             f"({len(spans)} found; `notelink mentions` lists them)")
        s = spans[n - 1]
        return text[: s.start] + markup(index, target, s.text, source, style) + text[s.end:]
    return edit


def append_link(index: Index, target: NoteInfo, heading: str | None = None, source: str = "",
                style: str = "wiki", lang: str = "") -> Edit:
    """The edit that adds `- [[target]]` at the end of the `heading` section (made when missing), before
    notelink's block when that ends the note; None: the note's "see also" heading, else one in its
    language `lang` (`seealso.heading_for`). Headings and code are read as CommonMark reads them
    (`notes.sections`): a link never goes into a code block."""
    if style == "logseq":
        return _outline_append(index, target, heading, source, lang)

    def edit(text: str) -> str:
        nl = block.newline_of(text)
        item = f"- {markup(index, target, None, source, style)}{nl}"
        body = text[: _body_end(text)]
        found = sections.parts(body)
        title = heading or seealso.heading_for(lang, (p.text for p in found if p.kind == "heading"))
        section = _section(found, title)
        if section is None or section[2] is None:  # at the end of the note
            _refuse_open_fence(body, found)
        if section is None:
            head, tail = body, text[len(body):]
            sep = "" if not head or head.endswith(nl * 2) else (nl if head.endswith(nl) else nl * 2)
            return f"{head}{sep}## {title}{nl}{nl}{item}{nl if tail else ''}{tail}"
        return _into_section(text, section, item, nl)
    return edit


def _into_section(text: str, section: _Section, item: str, nl: str) -> str:
    """`text` with `item` after the last block of `section`: right after a list, else a line apart."""
    title, inside, after = section
    end = inside[-1].stop if inside else title.stop
    before = text[:end] if text[:end].endswith(("\n", "\r")) else text[:end] + nl
    if inside and inside[-1].kind != "list":  # a paragraph, code...: the list starts a line apart
        before += nl
    if after is not None and after.setext and after.start == end:  # (else it would join the item)
        item += nl
    return before + item + text[end:]


_TOP_BLOCK = re.compile(r"^- (?:#{1,6}[ \t]+)?(.*?)[ \t]*\r?$", re.MULTILINE)
"""A top-level block of a Logseq outline, a heading or not, and its text."""


def _outline_append(index: Index, target: NoteInfo, heading: str | None, source: str, lang: str) -> Edit:
    """`append_link` in a Logseq outline, where everything is a block: the link is a child block of a
    `- ## heading` block at the top level (made at the end when missing), after its other children."""
    def edit(text: str) -> str:
        nl = block.newline_of(text)
        item = f"\t- {markup(index, target, None, source, 'logseq')}{nl}"
        mine = outline.span(text) or (0, 0)  # (notelink's block is no section of the user's)
        blocks = [(m, m.group(1)) for m in _TOP_BLOCK.finditer(text, 0, _body_end(text))
                  if not mine[0] <= m.start() < mine[1]]
        title = heading or seealso.heading_for(lang, (name for _, name in blocks))
        m = next((m for m, name in blocks if sections.heading_key(name) == sections.heading_key(title)), None)
        if m is None:
            at = _body_end(text)
            before = text[:at] if not text[:at] or text[:at].endswith(("\n", "\r")) else text[:at] + nl
            return f"{before}- ## {title}{nl}{item}{text[at:]}"
        end = m.end() + len(nl) if text.startswith(nl, m.end()) else m.end()
        while end < len(text) and text[end] in " \t":  # its children (indented lines) come first
            nxt = text.find("\n", end)
            end = len(text) if nxt < 0 else nxt + 1
        before = text[:end] if text[:end].endswith(("\n", "\r")) else text[:end] + nl
        return before + item + text[end:]
    return edit


_Section = tuple[sections.Part, list[sections.Part], sections.Part | None]
"""A section: its heading, its blocks, and the block that ends it (None: the end of the note)."""


def _section(found: list[sections.Part], heading: str) -> _Section | None:
    """The first heading reading `heading` (any level, any case), the blocks of its section, and the block
    that ends it: the next heading of the same or a higher level, or a thematic break (None: the end)."""
    key = sections.heading_key(heading)
    at = next((i for i, p in enumerate(found) if p.kind == "heading" and sections.heading_key(p.text) == key),
              None)
    if at is None:
        return None
    title = found[at]
    ends = (j for j in range(at + 1, len(found)) if found[j].kind == "hr" or
            (found[j].kind == "heading" and found[j].level <= title.level))
    stop = next(ends, len(found))
    return title, found[at + 1 : stop], found[stop] if stop < len(found) else None


def _refuse_open_fence(body: str, found: list[sections.Part]) -> None:
    """BlockError when the note ends inside a code block never closed: a link added there would be code."""
    if found and found[-1].open_fence:
        line = body.count("\n", 0, found[-1].start) + 1
        raise BlockError(f"the note ends inside a code block that is never closed ({found[-1].open_fence} on "
                         f"line {line}), so a link added at its end would be code; close the code block "
                         "(a line with the same fence after its last line), or add the link under a heading "
                         "above it")


def _body_end(text: str) -> int:
    """The end of the user's text: where notelink's block starts when it ends the note, else the end."""
    found = block.find_block(text)
    if found is not None and not text[found.stop:].strip():
        return found.start
    logseqs = outline.find(text)  # (a Logseq page's block)
    if logseqs is not None and not outline.follows(text, logseqs):
        return logseqs.start
    return len(text)


def plan_link(index: Index, root: Path, note: NoteInfo, target: NoteInfo, mention: int | None = None,
              append: bool = False, heading: str | None = None) -> Plan:
    """The change that links `note` to `target`: the `mention`-th unlinked mention wrapped, or (`append`,
    or no mention at all) a link under `heading` (None: the note's "see also" heading, else one in its
    language: `seealso`). Refused when the note already links there: as its text
    is now (`_unless_linked`), not as the index read it (a link undone since would be refused)."""
    if note.path == target.path:
        return Plan(refused=[Refusal(note.path, "a note does not link to itself")])
    if twins := index.twins(target):
        named = told_apart([target.path, *twins])
        why = (f"no link can reach {named[0]} alone: links do not tell it from {', '.join(named[1:])}, whose "
               "path differs only by case or accents; rename one of them to link to it")
        return Plan(refused=[Refusal(note.path, why)])
    style, lang = vault_link_style(index), _language(index, note)
    if append:
        edit = append_link(index, target, heading, note.path, style, lang)
    elif mention is not None:
        edit = wrap_mention(index, target, mention, note.path, style)
    else:
        edit = _first_mention_or_append(index, target, heading, note.path, style, lang)
    result = plan(root, [(note.path, _unless_linked(index, note, target, edit))])
    result.refused += result.skipped  # (asked to link in that note: not a note any more is a refusal)
    result.skipped = []
    return result


def _unless_linked(index: Index, note: NoteInfo, target: NoteInfo, edit: Edit) -> Edit:
    """`edit`, refused when the note's text as it is now links to `target` already (a link written since
    the index was built: by `link --write` a moment ago, or by hand), or when the link it adds would not be
    read as one (in code, say): a link is never written where it does not link."""
    def checked(text: str) -> str:
        if target.path in index.links_in(text, note):
            raise BlockError(f"it already links to {target.path}")
        new = edit(text)
        if target.path not in index.links_in(new, note):
            raise BlockError(f"the link to {target.path} would not be read as a link where it would go (in "
                             "code, or in text the link joins); add it by hand")
        return new
    return checked


def _language(index: Index, note: NoteInfo) -> str:
    """The note's language as the index found it (its stop words); "" when not known."""
    row = index.db.execute("SELECT lang FROM notes WHERE path = ?", (note.path,)).fetchone()
    return str(row[0]) if row else ""


def _first_mention_or_append(index: Index, target: NoteInfo, heading: str | None, source: str, style: str,
                             lang: str) -> Edit:
    names = target.written_names(dialect_of(index.meta).name)
    wrap = wrap_mention(index, target, 1, source, style)
    add = append_link(index, target, heading, source, style, lang)
    return lambda text: wrap(text) if find_names(text, names) else add(text)


CHANGED_SINCE_PREVIEW = "changed since the preview; not written (look at the change again)"


def preview_of(plan: Plan) -> str:
    """What a user confirms when shown a plan's diff: a hash of the diff and of the whole notes it was made
    from, so that a note changed anywhere since, even outside the diff's context, is refused; "" when the
    plan changes nothing. (A hash, not the text: `Edits`' repr shows it as it is.)"""
    if not plan.changes:
        return ""
    notes = "".join(f"{c.path} {journal.sha256(c.before)}\n" for c in plan.changes)
    diff = "".join(unified_diff(c) for c in plan.changes)
    return "sha256:" + journal.sha256((diff + "\0" + notes).encode("utf-8", "surrogateescape"))


def expecting(plan: Plan, preview: str | None) -> Plan:
    """`plan`, or (when it is no longer the `preview` a user was shown and confirmed: `preview_of`) a plan
    that refuses every note it would have written: nothing is written that was not seen. None: any."""
    if preview is None or not plan.changes or preview_of(plan) == preview:
        return plan
    return Plan(refused=[*plan.refused, *(Refusal(c.path, CHANGED_SINCE_PREVIEW) for c in plan.changes)],
                root=plan.root, found=plan.found)


def write(plan: Plan, index_dir: Path, command: str) -> WriteReport:
    """Saves each planned note's bytes in the journal, durably, then writes the notes (compare-and-swap)."""
    if plan.changes:
        journal.record(index_dir, command, [journal.Saved(c.path, c.before, journal.sha256(c.after))
                                            for c in plan.changes])
    return apply(plan)

"""What a note embeds (`![[Note]]`, `![[Note#Heading]]`, `![](Note.md)`): the tokens of the notes and
sections it shows, resolved in the vault's dialect (`embedded`), for its vector: a note made mostly of
embeds is about what it shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from notelink.config import DialectConfig
from notelink.notes.links import Resolver
from notelink.notes.parsednote import MARKDOWN_EMBED, Link
from notelink.notes.stopwords import name_tokens
from notelink.notes.targets import is_attachment

EMBEDS = ("embed", MARKDOWN_EMBED)
"""Links that show their note inside the linking one (`![[Note]]`, `![](Note.md)`)."""


class _Linked(Protocol):
    path: str
    title: str
    aliases: list[str]
    links: list[Link]
    paragraphs: list[list[str]]
    headings: list[str]
    lang: str


def embedded(notes: Sequence[_Linked], dialect: DialectConfig | None = None) -> list[list[list[str]]]:
    """For each note, the tokens of what it embeds (`![[note]]`: that note's paragraphs, `![[note#Heading]]`
    that section's), resolved in the vault's dialect; itself, block references (`#^id`) and what is no note
    left out. A note made mostly of embeds is about what it shows (its vector is made of it too)."""
    wanted = [[ln for ln in n.links if ln.kind in EMBEDS and not ln.heading.startswith("^")
               and not is_attachment(ln.target)] for n in notes]
    if not any(wanted):
        return [[] for _ in notes]
    resolver = Resolver(((n.path, n.title, n.aliases) for n in notes), dialect)
    ids = {n.path: i for i, n in enumerate(notes)}
    heads: dict[int, set[tuple[str, ...]]] = {}
    out: list[list[list[str]]] = []
    for i, (note, embeds) in enumerate(zip(notes, wanted, strict=True)):
        parts: list[list[str]] = []
        for ln in embeds:
            j = ids.get(resolver.resolve(ln.target, note.path, ln.kind) or "")
            if j is None or j == i:
                continue
            if ln.heading and j not in heads:
                heads[j] = {t for h in notes[j].headings if (t := tuple(name_tokens(h, notes[j].lang)))}
            parts += section(notes[j], ln.heading, heads[j]) if ln.heading else notes[j].paragraphs
        out.append(parts)
    return out


def section(note: _Linked, heading: str, heads: set[tuple[str, ...]] | None = None) -> list[list[str]]:
    """The paragraphs (tokens) of a note from its heading `heading` to the next heading (`heads`: the
    note's headings as tokens, when known); none when it has no such heading."""
    if heads is None:
        heads = {t for h in note.headings if (t := tuple(name_tokens(h, note.lang)))}
    wanted = name_tokens(heading, note.lang)
    for k, paragraph in enumerate(note.paragraphs):
        if paragraph == wanted:
            end = next((m for m in range(k + 1, len(note.paragraphs)) if tuple(note.paragraphs[m]) in heads),
                       len(note.paragraphs))
            return note.paragraphs[k:end]
    return []

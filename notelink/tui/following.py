"""Following a note's links in the app: a heading of the note shown, a note by wikilink (the one the index
resolved) or by Markdown link (its path from the note shown), and the links picker's entries. Each takes
the app and updates it through its methods."""

from __future__ import annotations

from notelink.errors import NotFound
from notelink.query.answers import NoteInfo
from notelink.tui.noteview import NoteView
from notelink.tui.state import AppState
from notelink.tui.text import FOOTNOTE, MARKDOWN_LINK, is_attachment


def link_choices(app: AppState, links: list[tuple[str, str]]) -> list[tuple[str, str, str | None]]:
    """(label, target, the note it opens as the app names it) for the links picker; "" when the target is
    a heading or footnote in this note (or there is no index yet), None when it is no note of the index."""
    out: list[tuple[str, str, str | None]] = []
    for label, target in links:
        name: str | None = ""
        note, _, _heading = target.removeprefix(MARKDOWN_LINK).partition("#")
        if note and app.index is not None and not target.startswith(FOOTNOTE):
            try:
                found = linked_note(app, note, target.startswith(MARKDOWN_LINK))
            except NotFound:
                found = None
            name = app.names.name(found.path, found.title) if found is not None else None
        out.append((label, target, name))
    return out


def follow_link(app: AppState, target: str) -> None:
    """Follows a link's target: `#Heading` scrolls the shown note, `Note` or `Note#Heading` opens the
    note (at the heading), a Markdown link's path (`MARKDOWN_LINK`) relative to the shown note; an
    attachment or a note not in the index gets a message saying so; a footnote's mark (`FOOTNOTE`) scrolls to
    its definition."""
    markdown = target.startswith(MARKDOWN_LINK)
    note, _, heading = target.removeprefix(MARKDOWN_LINK).partition("#")
    view = app.query_one(NoteView)
    if target.startswith(FOOTNOTE):
        _to_footnote(app, view, target.removeprefix(FOOTNOTE))
    elif is_attachment(note):
        app.notify(f"{note} is an attachment, not a note", severity="warning")
    elif not note:
        _to_heading(app, view, heading)
    elif app.index is not None:
        if (path := _link_path(app, note, markdown)) is None:
            return
        if path == app.current and heading:
            _to_heading(app, view, heading)
            return
        view.pending_heading = heading
        app.show_note(path)


def _to_heading(app: AppState, view: NoteView, heading: str) -> None:
    """A heading of the shown note: scrolled to, a jump back returns from (`jump_in_note`)."""
    if view.heading_line(heading) is None and not view.rendering:
        app.notify(f"No heading {heading!r} in this note", severity="warning")
        return
    app.jump_in_note()
    view.scroll_to_heading(heading)


def _to_footnote(app: AppState, view: NoteView, label: str) -> None:
    """A footnote's definition in the shown note: scrolled to, a jump back returns from."""
    y = view.footnote_line(label)
    if y is None:
        app.notify(f"No footnote [^{label}] in this note", severity="warning")
        return
    app.jump_in_note()
    view.scroll_to(y=y, animate=False, immediate=True, force=True)


def _link_path(app: AppState, note: str, markdown: bool) -> str | None:
    """The path of the note a link names, or None, said."""
    try:
        found = linked_note(app, note, markdown)
    except NotFound as exc:
        app.notify(f"Cannot follow [[{note}]]: {exc}", severity="warning", timeout=8)
        return None
    if found is None:
        app.notify(f"Cannot follow the link to {note}: no note there in the index", severity="warning",
                   timeout=8)
    return found.path if found is not None else None


def linked_note(app: AppState, note: str, markdown: bool) -> NoteInfo | None:
    """The note a link in the shown note reaches, as the index resolved it (of notes sharing a name, the
    one nearest the shown note; a Markdown link's path relative to it); else, for a wikilink, the note its
    name finds as typed (`find_note`: NotFound says why none); None for a Markdown link to no note."""
    assert app.index is not None
    found = app.index.link_target(note, app.current or "", "markdown" if markdown else "wiki")
    return found if found is not None or markdown else app.index.find_note(note)

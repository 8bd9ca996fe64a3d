"""Linking from the app: `i` on a related note, or Enter on an unlinked mention (`m` lists them), puts the
link into the note after a preview of the exact change (the diff `notelink link` prints, in the vault's
link style); `z` puts back the last link, byte for byte, after the same preview.

Every write goes through the Python API, the one path the CLI takes too (`Vault.link`, `Vault.undo_links`):
the note's bytes are saved in the undo journal first, then it is written by compare-and-swap, and only if
the change is still exactly the one previewed (`expect`). The API runs in thread workers; what it says
comes back to the app's thread (`call_from_thread`). After a write the note view re-reads the note and the
related panel marks the pair linked at once; the watcher re-indexes the note (the link is the user's now),
or without a watcher the app does (`r`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.widgets import OptionList

from notelink.errors import NotelinkError
from notelink.tui import actions
from notelink.tui.linkpreview import UNDO_KEY, LinkPreview
from notelink.tui.mentions import MentionsScreen
from notelink.tui.state import AppState

if TYPE_CHECKING:
    from notelink.api import Edits, Mention, Mentions, NoteInfo, Vault


@dataclass(frozen=True)
class Request:
    """One link asked for: into `note`, to `target`; `mention`: which unlinked mention to wrap (None: the
    first one, else a line under "See also", as `notelink link` does)."""

    note: str
    target: str
    mention: int | None = None


class Linker:
    """The app's links into notes: preview, write, undo, through one `Vault` (the API) per vault."""

    def __init__(self, app: AppState) -> None:
        self.app = app
        self._vault: Vault | None = None
        self.written: list[Request] = []  # links written from the app, newest last (`z` reverts the last)
        self.busy = False  # a job is in a worker (`_run`)

    def vault(self) -> Vault:
        """The API's vault for the app's vault and index (made again after a vault switch); in a worker."""
        from notelink.api import Vault

        app = self.app
        if self._vault is None or (self._vault.path, self._vault.index_dir) != (app.vault, app.index_dir):
            if self._vault is not None:
                self._vault.close()
            self._vault = Vault(app.vault, app.index_dir)
        return self._vault

    def note(self, path: str) -> NoteInfo | str:
        """The note at `path` as the app lists it, for the API: asked by name, a path could reach another
        note (one whose path differs only by case, or a file of the same name in the current folder)."""
        return self.app.notes_by_path.get(path) or path

    def name(self, path: str) -> str:
        note = self.app.notes_by_path.get(path)
        return self.app.names.name(path, note.title) if note is not None else path

    def _run(self, job: Callable[[], Callable[[], None]]) -> None:
        """Runs `job` (the API's call) in a thread worker, then what it returns (showing the answer) in the
        app's thread; one job at a time: a key pressed again before the answer is shown says so. What the
        API refuses with is said, not raised."""
        if self.busy:
            self.app.notify("Still busy with the last link; try again in a moment", severity="warning")
            return
        self.busy = True

        def guarded() -> None:
            try:
                then = job()
            except (NotelinkError, OSError) as exc:
                then = partial(self.app.notify, f"Nothing was written: {exc}", severity="error", timeout=10)
            except Exception as exc:  # a bug: said, and the keys work again (a worker's error is silent)
                then = partial(self.app.notify, f"Linking failed ({type(exc).__name__}: {exc})",
                               severity="error", timeout=10)
            self.app.call_from_thread(self._answer, then)
        self.app.run_worker(guarded, name="link", group="link", thread=True, exit_on_error=False)

    def _answer(self, then: Callable[[], None]) -> None:
        self.busy = False
        then()

    # -- linking ---------------------------------------------------------------------------------
    def link_related(self) -> None:
        """`i`: links the shown note to the related note highlighted in the Related panel."""
        app = self.app
        if app.current is None or app.index is None:
            app.notify("Links are made with the index: press r to build it first", severity="warning")
            return
        listing = app.query_one("#related", OptionList)
        option = None if listing.highlighted is None else listing.get_option_at_index(listing.highlighted)
        if option is None or not option.id:
            app.notify("Highlight a related note first (Tab to the Related notes panel, ↑ ↓), or press m "
                       "for the note's unlinked mentions", severity="warning")
            return
        self.preview(Request(app.current, option.id))

    def preview(self, request: Request) -> None:
        """Plans the link (nothing written) and shows the change; confirmed, it is written."""
        def plan() -> Callable[[], None]:
            edits = self.vault().link(self.note(request.note), self.note(request.target), request.mention)
            return partial(self._previewed, request, edits)
        self._run(plan)

    def _previewed(self, request: Request, edits: Edits) -> None:
        if self._refused(edits, "Not linked"):
            return
        title = f"Link {self.name(request.note)} → {self.name(request.target)}  (in {request.note})"
        self.app.push_screen(LinkPreview(title, edits.diff), partial(self._confirmed, request, edits.preview))

    def _confirmed(self, request: Request, preview: str, yes: bool | None) -> None:
        if not yes:
            self.app.notify("Not linked; the note is as it was")
            return

        def write() -> Callable[[], None]:
            edits = self.vault().link(self.note(request.note), self.note(request.target), request.mention,
                                      write=True, expect=preview)
            return partial(self._linked, request, edits)
        self._run(write)

    def _linked(self, request: Request, edits: Edits) -> None:
        if self._refused(edits, "Not linked"):
            return
        self.written.append(request)
        self.app.notify(f"Linked {self.name(request.note)} → {self.name(request.target)}; "
                        f"{UNDO_KEY} puts it back")
        self._changed(edits.written, request, linked=True)

    def _refused(self, edits: Edits, what: str) -> bool:
        """Says why nothing was (or would be) written, if so."""
        if edits.refused:
            reasons = "; ".join(f"{path}: {why}" for path, why in edits.refused)
            said = all("not written" in why for _, why in edits.refused)  # (a note changed since the preview)
            nothing = "" if said else " Nothing was written."
            self.app.notify(f"{what}: {reasons}.{nothing}", severity="error", timeout=10)
            return True
        if not edits.diff:
            self.app.notify(f"{what}: nothing to change", severity="warning")
            return True
        return False

    # -- mentions --------------------------------------------------------------------------------
    def mentions(self) -> None:
        """`m`: the shown note's unlinked mentions, both ways; choosing one links it (after a preview)."""
        app = self.app
        if app.current is None or app.index is None:
            app.notify("Mentions are found with the index: press r to build it first", severity="warning")
            return
        current = app.current

        def find() -> Callable[[], None]:
            found = self.vault().mentions(self.note(current))
            return partial(self._found, current, found)
        self._run(find)

    def _found(self, current: str, found: Mentions) -> None:
        if found.unreadable:  # its own mentions are unknown, not none
            self.app.notify(found.unreadable, severity="warning", timeout=10)
        if not found.incoming and not found.outgoing:
            if not found.unreadable:
                self.app.notify(f"No unlinked mentions of or in {self.name(current)}")
            return
        self.app.push_screen(MentionsScreen(self.name(current), found, self.name), self._mention_chosen)

    def _mention_chosen(self, chosen: tuple[Mention, int] | None) -> None:
        if chosen is not None:
            mention, number = chosen
            self.preview(Request(mention.source, mention.target, number))

    # -- undo ------------------------------------------------------------------------------------
    def undo(self) -> None:
        """`z`: shows what putting back the last link's note does, then does it (byte for byte)."""
        if self.app.index is None:
            self.app.notify("Nothing to undo here yet", severity="warning")
            return

        def plan() -> Callable[[], None]:
            edits = self.vault().undo_links()
            return partial(self._undo_previewed, edits)
        self._run(plan)

    def _undo_previewed(self, edits: Edits) -> None:
        if not edits.diff and not edits.refused:
            self.app.notify("Nothing to undo: no link notelink wrote is left to put back")
            return
        if self._refused(edits, "Not undone"):
            return
        moved = "".join(f" ({self.name(then)} is now {self.name(now)}: moved or renamed since)"
                        for then, now in edits.found)
        title = f"Undo the last link: the note put back as it was{moved}"
        self.app.push_screen(LinkPreview(title, edits.diff,
                                         "Put it back", "y / Enter puts it back · n / Esc keeps the link"),
                             partial(self._undo_confirmed, edits.preview))

    def _undo_confirmed(self, preview: str, yes: bool | None) -> None:
        if not yes:
            self.app.notify("Not undone; the note keeps its link")
            return

        def write() -> Callable[[], None]:
            edits = self.vault().undo_links(write=True, expect=preview)
            return partial(self._undone, edits)
        self._run(write)

    def _undone(self, edits: Edits) -> None:
        if self._refused(edits, "Not undone"):
            return
        request = self.written[-1] if self.written and self.written[-1].note in edits.written else None
        if request is not None:
            self.written.pop()
        self.app.notify(f"Put back {', '.join(self.name(p) for p in edits.written)} as it was")
        self._changed(edits.written, request, linked=False)

    # -- after a write ---------------------------------------------------------------------------
    def _changed(self, paths: list[str], request: Request | None, linked: bool) -> None:
        """The note view and the related panel show a write at once; the index follows (the watcher's
        build, or the app's own without a watcher)."""
        app = self.app
        if app.current is not None and app.current in paths and app.current in app.notes_by_path:
            actions.render_note(app, app.current, keep_scroll=True)
        if request is not None and app.cache is not None and app.index is not None:
            if not linked:  # the link is gone; the pair stays linked if the other note links back
                index = app.index
                a, b = index.by_path.get(request.note), index.by_path.get(request.target)
                linked = a is not None and b is not None and a.id in index.links_from(b.id)
            app.cache.relink(request.note, request.target, linked)
            if app.current in (request.note, request.target):
                self._refresh_related()
        if app.watcher is None and app.follower is None:  # (else this or another process's watcher does)
            app.action_reindex()

    def _refresh_related(self) -> None:
        """Shows the panels again, the same related note highlighted."""
        listing = self.app.query_one("#related", OptionList)
        highlighted = listing.highlighted
        self.app.update_panels()
        if highlighted is not None and highlighted < listing.option_count:
            listing.highlighted = highlighted

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
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from notelink.errors import NotelinkError
from notelink.tui import actions
from notelink.tui.state import AppState

if TYPE_CHECKING:
    from notelink.api import Edits, Mention, Mentions, Vault

UNDO_KEY = "z"
WRITE_HINT = f"y / Enter writes it · n / Esc cancels · {UNDO_KEY} undoes the last link"


@dataclass(frozen=True)
class Request:
    """One link asked for: into `note`, to `target`; `mention`: which unlinked mention to wrap (None: the
    first one, else a line under "See also", as `notelink link` does)."""

    note: str
    target: str
    mention: int | None = None


# -- what the dialogs show ---------------------------------------------------------------------------
def diff_text(diff: str) -> Text:
    """A unified diff in colour: removed lines red, added green, and in a line replaced by another (a
    mention wrapped) the part that changed in reverse video, so the link stands out in a long line."""
    lines, out = diff.splitlines(), Text()
    k = 0
    while k < len(lines):
        line = lines[k]
        if line.startswith(("--- ", "+++ ")):
            out.append(line + "\n", style="bold")
        elif line.startswith("@@"):
            out.append(line + "\n", style="cyan")
        elif line.startswith("-"):
            j = k
            while j < len(lines) and lines[j].startswith("-") and not lines[j].startswith("--- "):
                j += 1
            n = j - k
            added = lines[j: j + n]
            if len(added) == n and all(a.startswith("+") and not a.startswith("+++ ") for a in added):
                for old, new in zip(lines[k:j], added, strict=True):
                    out.append_text(_marked(old, new, "red"))
                for old, new in zip(lines[k:j], added, strict=True):
                    out.append_text(_marked(new, old, "green"))
                k = j + n
                continue
            out.append(line + "\n", style="red")
        elif line.startswith("+"):
            out.append(line + "\n", style="green")
        else:
            out.append(line + "\n", style="dim")
        k += 1
    return out


def _marked(line: str, other: str, style: str) -> Text:
    """`line` in `style`, what differs from `other` (after the common start and end) in reverse video."""
    a, b = line[1:], other[1:]
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[len(a) - 1 - end] == b[len(b) - 1 - end]:
        end += 1
    text = Text(line[0], style=style)
    text.append(a[:start], style=style)
    text.append(a[start: len(a) - end], style=f"bold reverse {style}")
    text.append(a[len(a) - end:] + "\n", style=style)
    return text


def mention_label(m: Mention, outgoing: bool, name: Callable[[str], str]) -> Text:
    """A mention's row: the note it names (outgoing) or the note it is in (incoming), line:column, and the
    words around it, the mention in bold."""
    text = Text(f"→ {name(m.target)}" if outgoing else name(m.source), style="bold")
    text.append(f"  {m.line}:{m.column}  ", style="dim")
    before, after = excerpt(m.line_text, m.column - 1, len(m.text))
    text.append(before)
    text.append(m.text, style="bold underline")
    text.append(after)
    return text


def excerpt(line: str, start: int, length: int, around: int = 24) -> tuple[str, str]:
    """The words before and after `line[start : start + length]`, about `around` characters each side, cut
    between words with "…"."""
    head, tail = line[:start], line[start + length:]
    before = "…" + head[-around:].partition(" ")[2] if len(head) > around else head
    after = tail[:around].rpartition(" ")[0] + "…" if len(tail) > around else tail
    return before, after


def mention_number(found: list[Mention], chosen: Mention) -> int:
    """Which unlinked mention of its target, in its note, `chosen` is (1-based): `Vault.link(mention=N)`."""
    same = [m for m in found if (m.source, m.target) == (chosen.source, chosen.target)]
    return 1 + same.index(chosen)


class LinkPreview(ModalScreen[bool]):
    """The exact change a link (or its undo) makes to the note, as a diff; y / Enter writes it, n / Esc
    leaves the note as it is."""

    AUTO_FOCUS = "#write"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,n", "answer(False)", "Cancel"),
                                             Binding("y", "answer(True)", "Write")]
    DEFAULT_CSS = """
    LinkPreview #dialog { width: 100; }
    LinkPreview #preview-title { text-style: bold; }
    LinkPreview #preview-diff { height: auto; max-height: 24; margin-top: 1; background: $boost; }
    """

    def __init__(self, title: str, diff: str, yes: str = "Write the link", hint: str = WRITE_HINT) -> None:
        super().__init__()
        self.heading, self.diff, self.yes, self.hint = title, diff, yes, hint

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text(self.heading), id="preview-title")
            with VerticalScroll(id="preview-diff"):
                yield Static(diff_text(self.diff), id="diff")
            with Horizontal(classes="buttons"):
                yield Button(self.yes, variant="primary", id="write")
                yield Button("Cancel", id="cancel")
            yield Label(self.hint, classes="hint")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "write")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class MentionsScreen(ModalScreen["tuple[Mention, int] | None"]):
    """The shown note's unlinked mentions, both ways; Enter (or `i`) on one returns it with its number
    among its target's mentions in its note (what `Vault.link` wraps)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,m", "close", "Close"),
                                             Binding("i", "choose", "Link it")]

    def __init__(self, title: str, found: Mentions, name: Callable[[str], str]) -> None:
        super().__init__()
        self.note_title, self.found, self.named = title, found, name
        self.rows: list[tuple[Mention, int]] = []

    def compose(self) -> ComposeResult:
        options: list[Option] = []
        for heading, outgoing, ms in (
                (f"{self.note_title} names, without linking:", True, self.found.outgoing),
                (f"Other notes name {self.note_title}, without linking:", False, self.found.incoming)):
            options.append(Option(Text(heading, style="bold"), disabled=True))
            for m in ms:
                options.append(Option(mention_label(m, outgoing, self.named), id=str(len(self.rows))))
                self.rows.append((m, mention_number(ms, m)))
            if not ms:
                options.append(Option(Text("  none", style="dim italic"), disabled=True))
        with Vertical(id="dialog"):
            yield Label(Text(f"Unlinked mentions of {self.note_title}"), id="mentions-title")
            yield OptionList(*options, id="mentions")
            yield Label("Enter or i: link it (a preview first) · Esc closes", classes="hint")

    DEFAULT_CSS = "MentionsScreen #mentions { height: auto; max-height: 20; border: none; margin-top: 1; }"

    def on_mount(self) -> None:
        listing = self.query_one("#mentions", OptionList)
        listing.focus()
        listing.action_first()

    @on(OptionList.OptionSelected, "#mentions")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.rows[int(event.option.id or 0)])

    def action_choose(self) -> None:
        listing = self.query_one("#mentions", OptionList)
        if listing.highlighted is not None:
            option = listing.get_option_at_index(listing.highlighted)
            if option.id is not None:
                self.dismiss(self.rows[int(option.id)])

    def action_close(self) -> None:
        self.dismiss(None)


# -- what the keys do ----------------------------------------------------------------------------------
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
            edits = self.vault().link(request.note, request.target, request.mention)
            return partial(self._previewed, request, edits)
        self._run(plan)

    def _previewed(self, request: Request, edits: Edits) -> None:
        if self._refused(edits, "Not linked"):
            return
        title = f"Link {self.name(request.note)} → {self.name(request.target)}  (in {request.note})"
        self.app.push_screen(LinkPreview(title, edits.diff), partial(self._confirmed, request, edits.diff))

    def _confirmed(self, request: Request, diff: str, yes: bool | None) -> None:
        if not yes:
            self.app.notify("Not linked; the note is as it was")
            return

        def write() -> Callable[[], None]:
            edits = self.vault().link(request.note, request.target, request.mention, write=True, expect=diff)
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
            self.app.notify(f"{what}: {reasons}. Nothing was written.", severity="error", timeout=10)
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
            found = self.vault().mentions(current)
            return partial(self._found, current, found)
        self._run(find)

    def _found(self, current: str, found: Mentions) -> None:
        if not found.incoming and not found.outgoing:
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
        self.app.push_screen(LinkPreview("Undo the last link: the note put back as it was", edits.diff,
                                         "Put it back", "y / Enter puts it back · n / Esc keeps the link"),
                             partial(self._undo_confirmed, edits.diff))

    def _undo_confirmed(self, diff: str, yes: bool | None) -> None:
        if not yes:
            self.app.notify("Not undone; the note keeps its link")
            return

        def write() -> Callable[[], None]:
            edits = self.vault().undo_links(write=True, expect=diff)
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
        if app.watcher is None:
            app.action_reindex()

    def _refresh_related(self) -> None:
        """Shows the panels again, the same related note highlighted."""
        listing = self.app.query_one("#related", OptionList)
        highlighted = listing.highlighted
        self.app.update_panels()
        if highlighted is not None and highlighted < listing.option_count:
            listing.highlighted = highlighted

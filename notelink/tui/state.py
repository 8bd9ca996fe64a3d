"""What the app holds (vault, index, current note, history, caches, watcher) and the operations the app's
helpers call on it (`actions`, `builds`): they are written against `AppState`, which `NotelinkApp`
completes, so that no module of the app imports the app back."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from textual import work
from textual.app import App
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.timer import Timer
from textual.worker import get_current_worker

from notelink.config import TuiConfig
from notelink.errors import IndexFormatError, IndexMissing, NotelinkError
from notelink.index.lock import lock_info
from notelink.index.owner import other_vault, other_vaults_index
from notelink.index.store import current_generation, generation_key
from notelink.query.answers import NoteInfo
from notelink.query.index import Index
from notelink.tui.details import DetailsCache
from notelink.tui.history import History
from notelink.tui.messages import IndexLoaded, TakeoverMessage, WatchMessage
from notelink.tui.names import Names
from notelink.tui.notefilter import NoteFilter, home_note
from notelink.tui.statefile import SavedState
from notelink.tui.watching import Watcher, WatcherFactory, WatcherUnavailable, default_watcher_factory
from notelink.watch.takeover import Takeover

FOLLOW_SECONDS = 2.0
"""How often the app looks for a new index built by another notelink process that watches the vault, and
tries to watch it itself (`watch.takeover`), for when that process stops."""


def home_path(index: Index, notes: NoteFilter, vault_name: str) -> str | None:
    """Where a first visit opens: the home note (`notefilter.home_note`), else the most linked note."""
    home = home_note(notes.notes, vault_name, notes.titles)
    if home is None and notes.notes:
        home = max(notes.notes, key=lambda n: len(index.linked(n.id)))
    return home.path if home else None


class AppState(App[None]):
    """The app's state and the lifecycle of its index and watcher; what the screens do is `NotelinkApp`."""

    def __init__(self, config: TuiConfig, watcher_factory: WatcherFactory | None = default_watcher_factory,
                 ask_to_build: bool = True) -> None:
        super().__init__()
        self.config = config
        self.vault = config.vault.resolve()
        self.index_dir = config.resolved_index_dir()
        if watcher_factory is default_watcher_factory:  # the real watcher builds as the app's `r` does
            watcher_factory = partial(default_watcher_factory, train=config.train, index=config.index)
        self.watcher_factory = watcher_factory if config.watch else None
        self.ask_to_build = ask_to_build
        self.watch_error = ""  # the watcher's last build failure while there is no index (`show_no_index`)
        self.index: Index | None = None
        self.cache: DetailsCache | None = None
        self.current: str | None = None
        self.renames: list[tuple[str, str]] = []  # the watcher's latest (from, to): `actions.followed`
        self.history = History()
        self.unlinked = False
        self.watcher: Watcher | None = None
        self.takeover: Takeover | None = None  # starts the watcher, at once or when another one stops
        self.follower: Timer | None = None  # looks for another watcher's new indexes (`follow_other_watcher`)
        self.filter_query = ""
        self.note_filter = NoteFilter([])  # the index's notes in list order, for the filter
        self.notes_by_path: dict[str, NoteInfo] = {}  # the notes listed: the index's, or the vault's files
        self.names = Names([])  # titles told apart (`names`)
        self.watch_serial = 0  # which watcher is the current one (`start_watching`)
        self.saved = SavedState.load()  # theme and last note per vault, from the user's state folder
        self.home: str | None = None  # where a first visit opens (`home_path`)
        self.shown_at = 0.0  # when the note on screen was put there (keys typed before are dropped)
        self.input_at = 0.0  # when the last key or click was handled (time.monotonic)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """A toast, its text as written: notelink's messages name notes and paths, which are no console
        markup (a title `Close [/bold] tag` read as markup raised MarkupError and quit the app)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    # -- index lifecycle -------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="load")
    def load_index(self, note: str = "") -> None:
        """Opens the current generation off the UI thread; a damaged one is said, and is then no index (the
        app offers to build, or its watcher builds: a build sets the damaged generation aside)."""
        index_dir = self.index_dir
        try:
            index: Index | None = Index.open(index_dir, self.config.related)
        except IndexMissing:
            index = None
        except IndexFormatError as exc:  # damaged, or a format this notelink cannot read: a build redoes it
            self.call_from_thread(self.notify, str(exc), severity="error", timeout=15)
            index = None
        if index is not None and (built := other_vault(index.meta, self.vault)) is not None:
            index.close()  # another vault's (an --index-dir or NOTELINK_INDEX_DIR naming it): not shown
            message = str(other_vaults_index(index_dir, built, self.vault))
            self.call_from_thread(self.notify, message, severity="error", timeout=15)
            index = None
        if not get_current_worker().is_cancelled:
            self.post_loaded(index, index_dir, note)
        elif index is not None:
            index.close()

    def post_loaded(self, index: Index | None, index_dir: Path, note: str = "") -> None:
        """Posts an opened index with its notes sorted for the list and their names, made here in the worker's
        thread; and on a first visit the home note (0.4 s on 100k notes, which a returning user skips)."""
        notes = None if index is None else NoteFilter(index.notes)
        names = None if notes is None else Names(notes.notes, notes.titles)
        returning = index is not None and (self.current in index.by_path  # (`note` is a message, no note)
                                           or self.saved.last_note(self.vault) in index.by_path)
        home = None
        if index is not None and notes is not None and not returning:
            home = home_path(index, notes, self.vault.name)
        self.post_message(IndexLoaded(index, index_dir, note, notes, names, home))

    def post(self, message: Message) -> None:
        """post_message for callbacks run in other threads (it is thread-safe)."""
        self.post_message(message)

    def note_cap(self) -> int:
        """The size cap for reading a note to show: at least the one the index was built with, so that a
        note `notelink index --max-file-mb 10` indexed is shown, not 'too large' by the app's 5 MB."""
        given = self.config.index.size_cap
        return given if self.index is None else max(given, self.index.max_file_bytes())

    # -- watching --------------------------------------------------------------------------------
    def start_watching(self) -> None:
        """Starts the app's watcher; while another notelink process watches the vault, follows its builds
        and takes over watching when it stops (`on_takeover_message`)."""
        if self.watcher_factory is None:
            return
        self.watch_serial += 1  # events of a watcher stopped before (another vault's) are ignored
        self.takeover = self._takeover(self.watcher_factory, self.watch_serial)
        try:
            watching = self.takeover.start()
        except WatcherUnavailable as exc:
            self.takeover = None
            self.sub_title = f"{self.vault} · not watching"
            self.notify(str(exc), severity="warning", timeout=8)
            return
        if watching:
            self.watcher = self.takeover.watcher
        else:
            self.follow_other_watcher()

    def _takeover(self, factory: WatcherFactory, serial: int) -> Takeover:
        """The watcher of this vault, watcher number `serial`; its thread's news come as messages."""
        vault, index_dir = self.vault, self.index_dir

        def make() -> Watcher:
            return factory(vault, index_dir, lambda ev: self.post(WatchMessage(ev, serial)))

        return Takeover(index_dir, make, FOLLOW_SECONDS,
                        on_watching=lambda _: self.post(TakeoverMessage(serial)),
                        on_error=lambda exc: self.post(TakeoverMessage(serial, str(exc))))

    def on_takeover_message(self, message: TakeoverMessage) -> None:
        """The other notelink process stopped watching and the app's own watcher runs now: it keeps the index
        current from here on (said in a toast); or it could not start yet (said once per reason)."""
        if message.source != self.watch_serial or self.takeover is None:
            return  # (a watcher of a vault switched away from: stopped with it)
        if message.error:
            if message.error != self._takeover_said:
                self._takeover_said = message.error
                self.notify(f"Cannot watch {self.vault.name} yet: {message.error}", severity="warning")
            return
        self.watcher = self.takeover.watcher
        self._stop_following()
        self.sub_title = str(self.vault)
        self.notify(f"The other notelink process stopped watching {self.vault.name}: notelink now watches it "
                    "here and keeps its index up to date", timeout=6)
        if self.index is None:
            self.load_index()  # (none yet: the page saying who builds it is shown again)

    _takeover_said = ""

    def follow_other_watcher(self) -> None:
        """Another notelink process (a second app, `notelink watch`) keeps this vault's index current: the app
        does not watch too (one watcher per index), it shows each new index that process builds, until that
        process stops and the app watches itself (`on_takeover_message`)."""
        pid = lock_info(self.index_dir).pid
        who = f"another notelink process (pid {pid})" if pid else "another notelink process"
        self.sub_title = f"{self.vault} · watched by another notelink"
        self.notify(f"Not watching {self.vault.name} here: {who} already keeps its index up to date; its new "
                    "indexes are shown as they come, and notelink watches here once it stops",
                    severity="warning", timeout=10)
        self._followed = self._live_key()  # (the one being loaded now)
        self.follower = self.set_interval(FOLLOW_SECONDS, self._follow)

    def _live_key(self) -> tuple[str, int, int, int] | None:
        """The live generation's `generation_key`; None when there is none, or it cannot be read now."""
        try:
            gen = current_generation(self.index_dir)
        except (NotelinkError, OSError):  # (damaged, or changing right now: the load says what)
            return None
        return generation_key(gen) if gen is not None else None

    def _follow(self) -> None:
        """Loads the index again when the live generation is another than the one shown or last asked for."""
        key = self._live_key()
        if key is not None and key != self._followed and (self.index is None or key != self.index.key):
            self._followed = key
            self.load_index("Related notes updated: the other notelink process re-indexed the vault")

    _followed: tuple[str, int, int, int] | None = None

    def _stop_following(self) -> None:
        if self.follower is not None:
            self.follower.stop()
            self.follower = None

    def stop_watching(self) -> None:
        """Stops the watcher, or waiting for another one to stop, and following its builds."""
        self._stop_following()
        if self.takeover is not None:
            self.takeover.stop(timeout=5.0)
            self.takeover = None
        self.watcher = None

    # -- completed by NotelinkApp ----------------------------------------------------------------
    def show_note(self, path: str, record: bool = True, browsing: bool = False, again: bool = False) -> None:
        """Shows a note and its panels; `record` adds it to the back/forward history; `again`: the same note
        after a new index (kept where it was)."""
        raise NotImplementedError

    def jump_in_note(self) -> None:
        """Before a jump inside the shown note: back returns to where the reader was."""
        raise NotImplementedError

    def action_reindex(self) -> None:
        """Indexes what changed since the last build."""
        raise NotImplementedError

    def update_panels(self, keep: bool = False) -> None:
        """Shows the current note's related notes and concepts again (from the cache); `keep`: the same
        related note highlighted, when it is still listed."""
        raise NotImplementedError

    def cancel_build(self) -> None:
        """Cancels the app's own build, if one runs."""
        raise NotImplementedError

    def build_answer(self, yes: bool | None) -> None:
        """The answer to "Build the index now?"."""
        if yes:
            self.action_reindex()

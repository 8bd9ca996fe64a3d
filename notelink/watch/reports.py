"""What the watcher says of its builds: progress once a new generation is being built, what a build did (in
the batch's words: `changes.Batch`), a build that found the index current, errors and waits; each in the log,
to the listener (`WatchEvent`) and in the status file (`watcher.json`, `status.WatcherState`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

from notelink.index.report import CARRIED, IndexEvent, IndexSummary, describe_build, describe_paths
from notelink.watch.changes import Batch
from notelink.watch.debounce import Debouncer
from notelink.watch.feed import ChangeFeed
from notelink.watch.listener import Listener, WatchEvent
from notelink.watch.live import skipped_files
from notelink.watch.status import WatcherState, now_iso

log = logging.getLogger("notelink.watch")
_FIGURES = re.compile(r"(?<![\w.\-])\d[\d,.]*(?![\w\-]|\.\w)")  # a count, not part of a name (2024-01-05.md)
logging.getLogger("notelink").addHandler(logging.NullHandler())  # silent in-process unless configured


class WatcherReports:
    """What `VaultWatcher` says (a part of it: its index, status, listener, feed and debouncer)."""

    vault: Path
    index_dir: Path
    generation: int
    _state: WatcherState
    _listener: Listener
    _feed: ChangeFeed
    _debouncer: Debouncer
    _waited: bool
    """The build under way waited for another one (a `notelink index`) to finish."""
    _noted: set[str]
    """The builds' notes said (`_notes`)."""
    _standing_by: bool
    """Another watcher took the index's lock meanwhile (`VaultWatcher._keeps_lock`)."""

    def _progress(self, paths: tuple[str, ...], subject: str) -> Callable[[IndexEvent], None]:
        """Forwards progress once a new generation is being built (checking the live index and reading the
        notes only find whether one is: most reconciles end there, up to date, and say nothing)."""
        started = said = False

        def on_progress(ev: IndexEvent) -> None:
            nonlocal started, said
            if ev.stage != self._state.stage:  # `status --json` says which stage the build is in
                self._state.stage = ev.stage
                self._save_state("indexing", pending=list(paths))
            if ev.stage in ("check", "scan", "parse"):
                return
            if ev.stage == "wait" and not self._waited:
                self._waited = True
                log.info("waiting for another build of the index to finish (a `notelink index`?)")
            elif ev.stage != "wait" and not said:
                said = True
                log.info("indexing %s", subject)
            if not started:
                started = True
                self._listener.emit(WatchEvent("indexing", paths))
            self._listener.emit(WatchEvent("progress", paths, progress=ev))
        return on_progress

    def _after_build(self, s: IndexSummary, paths: tuple[str, ...], known: int, batch: Batch) -> None:
        skipped = skipped_files(self.index_dir)
        self._state.errors = {p: r for p, r in skipped.items() if r.startswith("failed")}
        self.generation = s.generation
        if not s.up_to_date:
            self._state.last_generation_at = now_iso()
        self._save_state("idle")  # before any event: a listener may read the status at once
        for path in paths:
            if path in self._state.errors:
                message = f"{path}: {self._state.errors[path]}"
                self._listener.emit(WatchEvent("error", (path,), message=message))
                log.warning("%s: %s", path, self._state.errors[path])
            elif path in skipped:  # too large, binary, unreadable: said where the user looks, the log
                log.warning("skipped %s: %s", path, skipped[path])
        batch = batch.refilled(self.vault)  # (notes found empty mid-save that have text again: changed)
        if s.up_to_date:
            self._found_current(s.generation, paths, known, batch)
            return
        self._notes(s.warnings)
        done, same_words = batch.skipping(skipped), s.mode == "carried"
        said = done.said(same_words) if paths else ""
        message = describe_build(s, said or CARRIED)
        log.info(message)
        self._listener.emit(WatchEvent("indexed", paths, generation=s.generation, message=message,
                                       retrain_reason=s.retrain_reason, said=said,
                                       brief=done.brief(same_words) if paths else ""))

    def _notes(self, warnings: list[str]) -> None:
        """Logs a new build's notes (the dialect kept though the links now suggest another...), each once,
        its figures aside: a small vault's "small vault: 4,646 training words ..." was logged at every save,
        its count a word or two more each time."""
        for note in warnings:
            key = _FIGURES.sub("#", note)
            if key not in self._noted:
                self._noted.add(key)
                log.warning("note: %s", note)

    def _found_current(self, generation: int, paths: tuple[str, ...], known: int, batch: Batch) -> None:
        """Ends what the log said an update began (a batch's "updating the index for ...", or a wait for
        another build) when it built nothing: the notes' text was as indexed (a block write, a save of the
        same text), or another process built the generation meanwhile. A reconcile that found nothing says
        nothing, as most do. `known`: the generation live before."""
        if not (paths or self._waited):
            return
        touched = [*batch.emptied, *batch.new, *batch.changed]
        if generation != known and (known or self._waited):
            message = f"the index is current: generation {generation} was built by another process"
        elif touched and not batch.deleted:  # (a touch, a save of the same text, a block written)
            message = (f"touched, same text as indexed: {describe_paths(touched)}; generation {generation} "
                       "stays live")
        else:
            message = f"nothing changed for the index: generation {generation} stays live"
        log.info(message)
        self._listener.emit(WatchEvent("current", paths, generation=generation, message=message,
                                       said=batch.said() if paths else "",
                                       brief=batch.brief() if paths else ""))

    def _waiting(self, message: str) -> None:
        self._idle_with("waiting", message)

    def _error(self, message: str) -> None:
        self._idle_with("error", message)

    def _idle_with(self, kind: str, message: str) -> None:
        """Logs `message` (an error, or a state to wait out), keeps it in the status, tells the listener."""
        log.log(logging.ERROR if kind == "error" else logging.INFO, message)
        self._state.message = message
        self._save_state("idle")
        self._listener.emit(WatchEvent(kind, message=message))

    def _save_state(self, state: str, pending: list[str] | None = None) -> None:
        """Writes the status file, unless another watcher keeps the index (its status, not this one's)."""
        if self._standing_by:
            return
        st = self._state
        st.state, st.generation, st.mode = state, self.generation, self._feed.mode
        st.stage = st.stage if state == "indexing" else ""
        st.pending = sorted(set(pending or []) | set(self._debouncer.pending()))
        wall = self._debouncer.last_event_wall
        st.last_event = now_iso(wall) if wall is not None else st.last_event
        try:
            st.save(self.index_dir)
        except OSError as exc:
            log.warning("cannot write the watcher status in %s: %s", self.index_dir, exc)

"""The app's own index builds (`r`, the palette's Retrain, the first build when not watching): one thread
worker at a time, its progress, `x` to cancel it, and only the current build's outcome reported.

A cancelled worker ends at once for Textual (its asyncio task is cancelled) while its thread stops at the
build's next check; what that thread posts afterwards is ignored, so a build cancelled before a new one
never shows up as the new one's progress or failure."""

from __future__ import annotations

from functools import partial

from textual.worker import Worker, WorkerState, get_current_worker

from notelink.query.index import Index
from notelink.tui.messages import IndexProgress
from notelink.tui.state import AppState
from notelink.tui.status import IndexStatus

UP_TO_DATE = "Index is up to date (Ctrl+P › Retrain rebuilds it from scratch)"


class Builds:
    """Starts, cancels and reports the app's index builds."""

    def __init__(self, app: AppState) -> None:
        self.app = app
        self.worker: Worker[None] | None = None

    @property
    def running(self) -> bool:
        return self.worker is not None and not self.worker.is_finished

    def start(self, force: bool = False) -> None:
        """Builds the index in a thread (`force`: retrain on every note even when nothing changed)."""
        self.app.query_one(IndexStatus).start("Retraining…   (x: cancel)" if force else
                                              "Indexing…   (x: cancel)")
        self.worker = self.app.run_worker(partial(self._build, force), name="index", group="index",
                                          thread=True, exclusive=True, exit_on_error=False)

    def cancel(self) -> None:
        """Cancels the current build (`x`); the previous index stays."""
        if self.worker is not None and self.running:
            self.worker.cancel()

    def _build(self, force: bool) -> None:
        """The worker's thread: build, then open the new index and post it to the app."""
        from notelink.errors import Cancelled
        from notelink.index.build import build_index

        app, worker = self.app, get_current_worker()
        vault, index_dir = app.vault, app.index_dir  # (a vault switch meanwhile cancels this build)
        try:
            s = build_index(vault, index_dir, app.config.train, app.config.index,
                            progress=partial(self._progress, worker), should_stop=lambda: worker.is_cancelled,
                            force=force)
        except Cancelled:
            return  # reported when the worker's state changed
        if worker.is_cancelled:
            return
        note = UP_TO_DATE if s.up_to_date else f"Indexed {s.indexed:,} notes" + (
            f" (full retrain: {s.retrain_reason})" if s.retrain_reason else "")
        index = Index.open(index_dir, app.config.related)  # (~1 s at 100k notes: `x` or a switch may come
        # meanwhile)
        if worker.is_cancelled:  # too late to keep the previous index: show the new one (same vault)
            index.close()
            if not s.up_to_date and app.index_dir == index_dir:
                app.call_from_thread(app.load_index, "The new index was already saved; showing it")
            return
        app.post_loaded(index, index_dir, note)

    def _progress(self, worker: Worker[None], event: object) -> None:
        if not worker.is_cancelled:
            self.app.post_message(IndexProgress(event, worker))

    def progress(self, message: IndexProgress) -> None:
        """Shows a progress event of the current build."""
        if message.worker is self.worker and self.running:
            self.app.query_one(IndexStatus).show_event(message.event)

    def state_changed(self, worker: Worker[None]) -> None:
        """Reports how the current build ended: a failure with its reason, a cancellation."""
        if worker is not self.worker or not worker.is_finished:
            return
        self.app.query_one(IndexStatus).finish()
        if worker.state == WorkerState.CANCELLED:
            had = self.app.index is not None  # (not the first build)
            self.app.notify("Indexing cancelled; " + ("the previous index is unchanged" if had else
                                                      "there is no index yet (r builds it)"))
        elif worker.state == WorkerState.ERROR:
            error = worker.error
            reason = str(error) or type(error).__name__
            self.app.notify(f"Indexing failed: {reason}", severity="error", timeout=10)

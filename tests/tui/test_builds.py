"""Pilot tests for the app's own index builds: cancelling, failing, the first build, progress lines, what the
messages say, and reading notes before there is an index."""

from __future__ import annotations

import shutil
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from notelink.index.build import IndexEvent, build_index
from notelink.tui.app import NotelinkApp
from notelink.tui.noteslist import NotesPane
from notelink.tui.noteview import NoteView
from notelink.tui.screens import ConfirmScreen
from notelink.tui.status import IndexStatus, describe_event
from tests.conftest import FAST, SAMPLE

from .helpers import open_note, running, settle, sync, wait_for
from .test_app import FakeEvent, FakeWatcher, make_app


def record_notes(app: NotelinkApp) -> list[tuple[str, str]]:
    """(message, severity) of every toast the app shows from now on."""
    shown: list[tuple[str, str]] = []
    real = app.notify

    def notify(message: str, *args: Any, severity: str = "information", **kw: Any) -> None:
        shown.append((message, severity))
        real(message, *args, severity=severity, **kw)  # type: ignore[arg-type]

    app.notify = notify  # type: ignore[method-assign]
    return shown


@pytest.fixture
def edited(tmp_path: Path) -> tuple[Path, Path]:
    """sample_notes indexed, then every note edited (so `r` has work to do)."""
    vault, index_dir = tmp_path / "vault", tmp_path / "index"
    shutil.copytree(SAMPLE, vault)
    build_index(vault, index_dir, FAST)
    for note in vault.rglob("*.md"):
        with note.open("a", encoding="utf-8") as fh:
            fh.write("\nAn added line about quasars and telescopes.\n")
    return vault, index_dir


class GatedBuild:
    """build_index that "reads notes" until the test opens the gate, checking `should_stop` like the real
    one: a build that runs exactly as long as the test needs it to."""

    def __init__(self) -> None:
        self.gate = threading.Event()

    def __call__(self, *args: Any, progress: Any = None, should_stop: Any = None, **kwargs: Any) -> Any:
        from notelink.errors import Cancelled

        done = 0
        while not self.gate.wait(0.005):
            if should_stop is not None and should_stop():
                raise Cancelled()
            if progress is not None:
                progress(IndexEvent("parse", done % 150, 150))
            done += 1
        return build_index(*args, progress=progress, should_stop=should_stop, **kwargs)


@sync
async def test_cancelled_build_then_a_new_one_reports_no_failure(edited: tuple[Path, Path],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    build = GatedBuild()
    monkeypatch.setattr("notelink.index.build.build_index", build)
    app = make_app(*edited)
    async with running(app, (120, 35)) as pilot:
        gen = app.index.gen if app.index else None
        shown = record_notes(app)
        await pilot.press("x")  # no build yet: it says so (x was silent)
        await wait_for(pilot, lambda: bool(shown))
        assert shown.pop() == ("Nothing to cancel: x stops an index build started with r or the palette",
                               "information")
        await pilot.press("r")
        await wait_for(pilot, lambda: "(x: cancel)" in str(app.query_one("#index-label").render())
                       and "Reading notes" in str(app.query_one("#index-label").render()))
        await pilot.press("x")
        await wait_for(pilot, lambda: any("cancelled" in m for m, _ in shown))
        build.gate.set()
        await pilot.press("r")
        await wait_for(pilot, lambda: any(m.startswith("Indexed") for m, _ in shown), 60)
        await settle(pilot, app)
        errors = [m for m, severity in shown if severity == "error"]
        assert errors == [], shown
        assert any("cancelled" in m for m, _ in shown), shown
        assert any(m.startswith("Indexed") for m, _ in shown)
        assert app.index is not None and app.index.gen != gen
        assert not app.query_one(IndexStatus).display


@sync
async def test_a_failing_build_says_why(edited: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr("notelink.index.build.build_index", broken)
    app = make_app(*edited)
    async with running(app, (120, 35)) as pilot:
        shown = record_notes(app)
        await pilot.press("r")
        await settle(pilot, app)
        assert ("Indexing failed: No space left on device", "error") in shown
        assert app.is_running and not app.query_one(IndexStatus).display


def test_progress_lines_say_x_cancels_while_reading_and_training() -> None:
    assert "(x: cancel)" in describe_event(IndexEvent("parse", 5, 10))
    assert "(x: cancel)" in describe_event(IndexEvent("train", 5, 10, 1, 2, 1000.0))
    assert "(x: cancel)" not in describe_event(IndexEvent("parse", 5, 10), cancellable=False)


@sync
async def test_watching_a_vault_without_index_builds_it_without_asking(tmp_path: Path) -> None:
    vault, index_dir = tmp_path / "vault", tmp_path / "index"
    shutil.copytree(SAMPLE / "cooking", vault)
    watchers: list[FakeWatcher] = []
    app = make_app(vault, index_dir, watchers)
    async with running(app, (120, 35)) as pilot:
        assert not isinstance(app.screen, ConfirmScreen)
        assert app.query_one(NoteView).border_title == "Building the index"
        assert app.query_one(IndexStatus).display
        (w,) = watchers
        w.on_event(FakeEvent("indexing"))
        await wait_for(pilot, lambda: "Building the index" in str(app.query_one("#index-label").render()))
        build_index(vault, index_dir, FAST)  # what the watcher does
        w.on_event(FakeEvent("indexed", generation=1))
        await wait_for(pilot, lambda: app.index is not None)
        await settle(pilot, app)
        assert app.index is not None and len(app.index.notes) == 8
        assert not app.query_one(IndexStatus).display and not isinstance(app.screen, ConfirmScreen)


@sync
async def test_a_watcher_that_cannot_build_the_first_index_says_why(tmp_path: Path) -> None:
    vault, index_dir = tmp_path / "vault", tmp_path / "index"
    shutil.copytree(SAMPLE / "cooking", vault)
    watchers: list[FakeWatcher] = []
    app = make_app(vault, index_dir, watchers)
    async with running(app, (120, 35)) as pilot:
        (w,) = watchers
        w.on_event(FakeEvent("error", message="indexing failed (none of the 8 files could be indexed)"))
        view = app.query_one(NoteView)
        await wait_for(pilot, lambda: view.border_title == "No index yet")
        assert not app.query_one(IndexStatus).display
        assert "none of the 8 files" in app.watch_error
        (line,) = app.query_one("#related", OptionList).options  # not "it is being built"
        assert " ".join(str(line.prompt).split()) == "no index yet: the last build failed (see the note view)"
        w.on_event(FakeEvent("indexing"))  # the watcher tries again
        await wait_for(pilot, lambda: app.watch_error == "" and app.query_one(IndexStatus).display)


@sync
async def test_an_index_opened_for_the_previous_vault_is_dropped(edited: tuple[Path, Path],
                                                                tmp_path: Path) -> None:
    from notelink.query.index import Index
    from notelink.tui.messages import IndexLoaded

    app = make_app(*edited)
    async with running(app, (120, 35)) as pilot:
        shown = app.index
        stale = Index.open(edited[1])
        closed: list[bool] = []
        real_close = stale.close
        stale.close = lambda: (closed.append(True), real_close())[0]  # type: ignore[method-assign]
        app.post_message(IndexLoaded(stale, tmp_path / "another vault's index", "stale"))
        await wait_for(pilot, lambda: closed)  # the app closed it...
        assert app.index is shown  # ...and did not replace its index by one posted for another folder


@sync
async def test_an_export_that_cannot_be_written_is_a_message_not_a_crash(edited: tuple[Path, Path],
                                                                         tmp_path: Path) -> None:
    app = make_app(*edited)
    async with running(app, (120, 35)) as pilot:
        shown = record_notes(app)
        app.export(tmp_path / "no such folder" / "x.json")
        await wait_for(pilot, lambda: any(m.startswith("Export failed") for m, _ in shown))
        assert app.is_running
        assert any(m.startswith("Export failed: cannot write") and s == "error" for m, s in shown), shown


@sync
async def test_progress_shows_how_far_and_that_it_is_moving(edited: tuple[Path, Path]) -> None:
    watchers: list[FakeWatcher] = []
    app = make_app(*edited, watchers)
    async with running(app, (120, 35)) as pilot:
        status = app.query_one(IndexStatus)
        clock = [100.0]
        status.clock = lambda: clock[0]  # type: ignore[method-assign]
        (w,) = watchers
        label = app.query_one("#index-label")
        w.on_event(FakeEvent("progress", progress=IndexEvent("parse", 50, 200)))
        await wait_for(pilot, lambda: str(label.render()) == "Reading notes: 50/200 (25%)")
        w.on_event(FakeEvent("progress", progress=IndexEvent("train", 5, 10, 2, 4, 1000.0)))
        await wait_for(pilot, lambda: "pass 2/4 (38%)" in str(label.render()))
        w.on_event(FakeEvent("progress", progress=IndexEvent("vectors")))  # a stage that reports no progress
        await wait_for(pilot, lambda: str(label.render()) == "Computing note vectors…")
        clock[0] += 12.4
        status.tick()  # (what the app's one-second timer calls)
        assert str(label.render()) == "Computing note vectors… · 12 s"
        w.on_event(FakeEvent("indexing"))  # a build's start: no progress until its notes are read
        await wait_for(pilot, lambda: str(label.render()) == "Re-indexing after changes…")
        clock[0] += 3.2
        status.tick()
        assert str(label.render()) == "Re-indexing after changes… · 3 s"


@sync
async def test_messages_speak_the_users_language(edited: tuple[Path, Path]) -> None:
    watchers: list[FakeWatcher] = []
    app = make_app(*edited, watchers)
    async with running(app, (120, 35)) as pilot:
        shown = record_notes(app)
        (w,) = watchers
        w.on_event(FakeEvent("indexed", ("cooking/Kimchi.md",), generation=6, message=(
            "generation 6 live (42 notes, 1.2s): full retrain (40 epochs over 4,701 words, 1.0s)"),
            said="changed: cooking/Kimchi.md"))
        await wait_for(pilot, lambda: shown)
        assert shown == [("Changed: cooking/Kimchi.md; related notes updated", "information")]  # (not "your
        # change": an edit outside the app too)
        app.builds.start()
        await wait_for(pilot, lambda: len(shown) > 1, 60)
        assert shown[1][0] == "Indexed 42 notes"


@sync
async def test_a_full_retrain_for_a_changed_setting_says_which(tmp_path: Path) -> None:
    """The watcher's build and the app's own (`r`) said nothing of why they retrained from scratch."""
    vault, index_dir = tmp_path / "vault", tmp_path / "index"
    shutil.copytree(SAMPLE, vault)
    build_index(vault, index_dir, replace(FAST, seed=8))  # (not chosen: the app's seed 7 replaces it)
    watchers: list[FakeWatcher] = []
    app = make_app(vault, index_dir, watchers)
    async with running(app, (120, 35)) as pilot:
        shown = record_notes(app)
        (w,) = watchers
        ev = FakeEvent("indexed", ("cooking/Kimchi.md",), generation=2, said="changed: cooking/Kimchi.md",
                       retrain_reason="settings changed: dim 32 → 16")
        w.on_event(ev)
        await wait_for(pilot, lambda: shown)
        assert shown[0][0] == "Changed: cooking/Kimchi.md; related notes updated (full retrain: settings " \
            "changed: dim 32 → 16)"
        app.builds.start()
        await wait_for(pilot, lambda: len(shown) > 1, 60)
        assert shown[1][0] == "Indexed 42 notes (full retrain: settings changed: seed 8 → 7)"


@sync
async def test_without_a_watcher_or_an_index_the_notes_can_still_be_read(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(SAMPLE, vault)
    app = make_app(vault, tmp_path / "index")  # --no-watch, no index
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")  # not now
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        assert app.query_one(NotesPane).border_title == "Notes 42"
        await pilot.press("slash", *"kimchi", "enter")
        await wait_for(pilot, lambda: app.current == "cooking/Kimchi.md")
        view = app.query_one(NoteView)
        assert view.border_title == "Kimchi" and "napa cabbage" in view.source
        (line,) = app.query_one("#related", OptionList).options
        assert str(line.prompt) == "no index yet: press r to build it"


@sync
async def test_the_first_build_from_the_question_opens_the_home_note(tmp_path: Path) -> None:
    """A vault never opened before, built from the app's question: the new index opens on its home note
    (the build's message once made the app skip finding it: "The index has no notes" beside 42 notes)."""
    vault = tmp_path / "vault"
    shutil.copytree(SAMPLE, vault)
    app = make_app(vault, tmp_path / "index")  # --no-watch, no index
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: app.index is not None and app.current is not None, what="the build")
        assert app.current == "Home.md" and app.query_one(NoteView).border_title == "Home"


@sync
async def test_the_apps_builds_leave_out_what_its_exclude_patterns_say(tmp_path: Path) -> None:
    """`notelink tui --exclude` (or the config file's): the notes listed before there is an index, and the
    index the app builds, leave the excluded notes out; the patterns are saved with the index."""
    from notelink.config import IndexConfig
    from notelink.tui.app import TuiConfig

    vault = tmp_path / "vault"
    shutil.copytree(SAMPLE, vault)
    cfg = TuiConfig(vault=vault, index_dir=tmp_path / "index", watch=False, train=FAST,
                    index=IndexConfig(exclude=("music/",)))
    app = NotelinkApp(cfg, ask_to_build=False)
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, lambda: app.query_one(NotesPane).border_title == "Notes 34")  # 42 - 8 in music/
        await pilot.press("r")
        await wait_for(pilot, lambda: app.index is not None, what="the app's build")
        assert app.index is not None and len(app.index.notes) == 34
        assert not [n for n in app.index.notes if n.path.startswith("music/")]
        assert app.index.meta["index_config"]["exclude"] == ["music/"]


def test_the_apps_watcher_builds_with_the_apps_settings(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The real watcher the app starts is given the app's training and index settings (exclude, dialect)."""
    import notelink.watch.watcher
    from notelink.config import IndexConfig
    from notelink.tui.app import TuiConfig

    made: list[tuple[Any, ...]] = []
    monkeypatch.setattr(notelink.watch.watcher, "VaultWatcher", lambda *a, **kw: made.append((a, kw)))
    index = IndexConfig(exclude=("music/",))
    app = NotelinkApp(TuiConfig(vault=tmp_path, train=FAST, index=index))
    assert app.watcher_factory is not None
    app.watcher_factory(tmp_path, tmp_path / "index", print)
    ((args, _),) = made
    assert args[2:] == (FAST, index)


@sync
async def test_the_shown_note_deleted_is_said_to_be_deleted(edited: tuple[Path, Path]) -> None:
    """The app went to another note saying "Related notes updated after your change to Kimchi"."""
    vault, _ = edited
    watchers: list[FakeWatcher] = []
    app = make_app(*edited, watchers)
    async with running(app, (120, 35)) as pilot:
        app.show_note("cooking/Kimchi.md")
        await settle(pilot, app)
        shown = record_notes(app)
        (vault / "cooking/Kimchi.md").unlink()
        watchers[0].on_event(FakeEvent("indexed", ("cooking/Kimchi.md",), said="deleted: cooking/Kimchi.md"))
        await wait_for(pilot, lambda: shown)
        assert shown[0] == ("Deleted: cooking/Kimchi.md; related notes updated", "information")


@pytest.mark.parametrize(("said", "why", "toast"), [
    ("new: garden/Compost.md", "", "New: garden/Compost.md; related notes updated"),
    ("moved a.md → b.md", "", "Moved a.md → b.md; related notes updated"),
    ("moved Garden/ → Yard/; deleted: c.md", "",
     "Moved Garden/ → Yard/; deleted: c.md; related notes updated"),
    ("c.md is now empty", "", "c.md is now empty; related notes updated"),  # (a path as it is: not C.md)
    ("now empty: a.md, b.md", "", "Now empty: a.md, b.md; related notes updated"),
    ("no new words in a.md (links, tags or layout changed)", "",
     "No new words in a.md (links, tags or layout changed); related notes updated"),
    ("new: a.md, b.md, c.md and 27 more", "much of the vault changed: 40% of its words (an update takes up "
     "to 25%)", "New: a.md, b.md, c.md and 27 more; related notes updated (full retrain: much of the vault "
     "changed: 40% of its words (an update takes up to 25%))"),
    ("", "", "Related notes updated"),  # a reconcile: what changed while nobody watched
])
def test_the_toast_after_a_rebuild_says_what_happened(said: str, why: str, toast: str) -> None:
    """It said "Related notes updated after X changed" of a new note too, and "after N notes changed" of a
    batch of new, moved and deleted ones; now in the watcher's words, those of the toast before it."""
    from notelink.tui.actions import indexed_message

    assert indexed_message(said, why) == toast


@sync
async def test_a_note_named_in_brackets_is_shown_as_named(edited: tuple[Path, Path]) -> None:
    """Toasts were Textual markup: `Meeting [draft].md` was shown as `Meeting .md`, and a file named
    `[@click=app.quit]x.md` made a toast that quits when clicked. They are plain text now, as written."""
    watchers: list[FakeWatcher] = []
    app = make_app(*edited, watchers)
    async with running(app, (120, 35)) as pilot:
        shown = record_notes(app)
        (w,) = watchers
        w.on_event(FakeEvent("changed", ("Meeting [draft].md",), message="new: Meeting [draft].md"))
        w.on_event(FakeEvent("indexed", ("Meeting [draft].md",), said="new: Meeting [draft].md",
                             retrain_reason="settings changed: exclude none → [x]/"))
        w.on_event(FakeEvent("error", message="[@click=app.quit]x.md: failed"))
        await wait_for(pilot, lambda: len(shown) == 3)
        assert not any(n.markup for n in app._notifications)
        assert [m for m, _ in shown] == [
            "New: Meeting [draft].md; updating related notes…",
            "Watcher: [@click=app.quit]x.md: failed",
            "New: Meeting [draft].md; related notes updated (full retrain: settings changed: exclude none → "
            "[x]/)"]


@sync
async def test_a_big_batch_is_one_short_toast(edited: tuple[Path, Path]) -> None:
    """A batch of many changed notes (a sync, a search-and-replace) was said in full: a toast of 5-9 lines
    over the panels, twice (changed, then indexed). Each is now a line or two: counts, the first two names
    and how many more."""
    from textual.widgets._toast import Toast

    from notelink.watch.changes import Batch
    from notelink.watch.listener import WatchEvent

    vault, _index = edited
    paths = sorted(str(p.relative_to(vault)) for p in vault.rglob("*.md"))
    batch = Batch.of(vault, paths, known=paths[1:])
    watchers: list[FakeWatcher] = []
    app = make_app(*edited, watchers)
    async with app.run_test(size=(120, 35), notifications=True) as pilot:  # (toasts drawn)
        await settle(pilot, app)
        shown = record_notes(app)
        (w,) = watchers
        w.on_event(WatchEvent("changed", tuple(paths), message=batch.said(), brief=batch.brief()))
        await wait_for(pilot, lambda: app.screen.query(Toast))
        await pilot.pause()
        first, second = paths[0].rpartition("/")[2], paths[1].rpartition("/")[2]
        n = len(paths)
        assert [m for m, _ in shown] == [
            f"1 new, {n - 1} changed: {first}, {second} and {n - 2} more; updating related notes…"]
        assert [t.outer_size.height for t in app.screen.query(Toast)] == [4]  # (two lines and padding)


@sync
async def test_cancelling_the_first_build_does_not_speak_of_a_previous_index(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build = GatedBuild()
    monkeypatch.setattr("notelink.index.build.build_index", build)
    vault = tmp_path / "vault"
    shutil.copytree(SAMPLE, vault)
    app = make_app(vault, tmp_path / "index")  # --no-watch, no index
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        shown = record_notes(app)
        await pilot.press("y")  # build
        await wait_for(pilot, lambda: "Reading notes" in str(app.query_one("#index-label").render()))
        await pilot.press("x")
        await wait_for(pilot, lambda: any("cancelled" in m for m, _ in shown))
        assert ("Indexing cancelled; there is no index yet (r builds it)", "information") in shown, shown
        build.gate.set()


def test_each_build_stage_has_its_own_line() -> None:
    from notelink.index.report import STAGES

    lines = [describe_event(IndexEvent(stage, 1, 2), cancellable=False) for stage in STAGES]
    assert len(set(lines)) == len(STAGES)
    assert describe_event(IndexEvent("mentions"), cancellable=False) == "Finding where notes name each other…"
    assert describe_event(IndexEvent("train"), cancellable=False) == "Learning your vocabulary…"  # not 0/0


@sync
async def test_a_generation_another_process_built_while_the_watcher_waited_is_shown(
        edited: tuple[Path, Path]) -> None:
    """The watcher waited for another build (a `notelink index`), then found the index current: the app kept
    showing the older generation until the next change, its "updating related notes…" never answered."""
    from notelink.tui.actions import OTHER_BUILT

    vault, index_dir = edited
    watchers: list[FakeWatcher] = []
    app = make_app(*edited, watchers)
    async with running(app, (120, 35)) as pilot:
        shown = record_notes(app)
        assert app.index is not None and app.index.meta["generation"] == 1
        built = build_index(vault, index_dir, FAST)  # (another process)
        watchers[0].on_event(FakeEvent("current", ("cooking/Kimchi.md",), generation=built.generation))
        await wait_for(pilot, lambda: app.index is not None and app.index.meta["generation"] == 2)
        await wait_for(pilot, lambda: shown)
        assert [m for m, _ in shown] == [OTHER_BUILT]


@sync
async def test_a_batch_with_nothing_to_build_says_so(edited: tuple[Path, Path]) -> None:
    """A touch, or a note renamed and back: the toast said "updating related notes…" and nothing after."""
    watchers: list[FakeWatcher] = []
    app = make_app(*edited, watchers)
    async with running(app, (120, 35)) as pilot:
        shown = record_notes(app)
        w = watchers[0]
        for paths, said in [(("cooking/Kimchi.md",), "changed: cooking/Kimchi.md"),
                            (("a.md", "b.md"), "moved a.md → b.md and back")]:
            w.on_event(FakeEvent("current", paths, generation=1, said=said))
        await wait_for(pilot, lambda: len(shown) == 2)
        assert [m for m, _ in shown] == [
            "Changed: cooking/Kimchi.md; related notes already up to date",  # (the first toast's words)
            "Moved a.md → b.md and back; related notes already up to date"]
        assert app.index is not None and app.index.meta["generation"] == 1


@sync
async def test_the_apps_own_build_is_not_said_another_processs(edited: tuple[Path, Path],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The watcher sees every new generation it did not build: the app's own `r` too, which is no other
    process's (nor loaded twice)."""
    from notelink.tui.actions import OTHER_BUILT

    build = GatedBuild()
    monkeypatch.setattr("notelink.index.build.build_index", build)
    watchers: list[FakeWatcher] = []
    app = make_app(*edited, watchers)
    async with running(app, (120, 35)) as pilot:
        shown = record_notes(app)
        app.builds.start()
        await wait_for(pilot, lambda: app.builds.running)
        watchers[0].on_event(FakeEvent("current", generation=2))  # (as the build switches generation 2 in)
        await pilot.pause()
        build.gate.set()
        await wait_for(pilot, lambda: bool(shown), 60)
        assert [m for m, _ in shown] == ["Indexed 42 notes"] and OTHER_BUILT not in [m for m, _ in shown]


@sync
async def test_a_note_caught_empty_mid_save_is_shown_again_when_nothing_was_built(tmp_path: Path) -> None:
    """An editor that truncates a note, then writes it 2 s later (past the 1.5 s a note seen empty is given):
    the app showed "This note is empty" when the batch was handed on, and the build, which found the text as
    indexed by then, said "related notes already up to date": the note stayed shown empty, the file full."""
    vault, index_dir = tmp_path / "vault", tmp_path / "index"
    shutil.copytree(SAMPLE, vault)
    build_index(vault, index_dir, FAST)
    kimchi = "cooking/Kimchi.md"
    text = (vault / kimchi).read_text(encoding="utf-8")
    watchers: list[FakeWatcher] = []
    app = make_app(vault, index_dir, watchers)
    async with running(app, (120, 35)) as pilot:
        await open_note(pilot, app, kimchi)
        view = app.query_one(NoteView)
        (vault / kimchi).write_text("", encoding="utf-8")
        watchers[0].on_event(FakeEvent("changed", (kimchi,), message=f"{kimchi} is now empty"))
        await wait_for(pilot, lambda: "This note is empty" in view.source, what=lambda: view.source)
        (vault / kimchi).write_text(text, encoding="utf-8")
        watchers[0].on_event(FakeEvent("current", (kimchi,), generation=1, said=f"{kimchi} is now empty"))
        await wait_for(pilot, lambda: "napa cabbage" in view.source, what=lambda: view.source)


@sync
async def test_an_empty_vault_says_the_watcher_indexes_new_notes(tmp_path: Path) -> None:
    """The empty vault's page said "press r to index them" while the app's watcher indexes them itself."""
    vault = tmp_path / "vault"
    vault.mkdir()
    app = make_app(vault, tmp_path / "index", [])
    async with running(app, (120, 35)) as pilot:
        view = app.query_one(NoteView)
        await wait_for(pilot, lambda: "No notes here yet" in view.source)
        assert "this app indexes them as you save them" in view.source and "press `r`" not in view.source


@sync
async def test_an_empty_vault_watched_by_another_process_says_that_it_indexes_them(tmp_path: Path) -> None:
    from notelink.index.lock import WatcherLock

    vault = tmp_path / "vault"
    vault.mkdir()
    other = WatcherLock(tmp_path / "index")  # (another notelink process's watcher)
    other.acquire()
    try:
        app = make_app(vault, tmp_path / "index", [])
        async with running(app, (120, 35)) as pilot:
            view = app.query_one(NoteView)
            await wait_for(pilot, lambda: "No notes here yet" in view.source)
            assert "the notelink process that watches this vault indexes them" in view.source
    finally:
        other.release()

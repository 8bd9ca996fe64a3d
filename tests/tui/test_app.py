"""Pilot tests for the terminal app: every interaction, on sample_notes indexed with a fast config."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from textual.content import Content
from textual.widgets import Input, OptionList
from textual.worker import WorkerState

from notelink.index.build import IndexEvent
from notelink.query.index import Index
from notelink.tui.app import NotelinkApp, TuiConfig
from notelink.tui.noteview import NoteView
from notelink.tui.screens import ConceptScreen, ConfirmScreen, LinksScreen
from notelink.tui.status import IndexStatus
from notelink.tui.text import shown_markdown
from notelink.tui.widgets import RelatedPanel
from tests.conftest import FAST, SAMPLE, snapshot

from .helpers import appending_editor, open_note, running, sample_index, settle, sync, wait_for

SIZE = (140, 40)


@dataclass(frozen=True)
class FakeEvent:
    """Same fields as notelink.watch.watcher.WatchEvent."""

    kind: str
    paths: tuple[str, ...] = ()
    generation: int = 0
    message: str = ""
    progress: IndexEvent | None = None
    moves: tuple[tuple[str, str], ...] = ()
    retrain_reason: str = ""
    said: str = ""
    brief: str = ""


@dataclass
class FakeWatcher:
    vault: Path
    index_dir: Path
    on_event: Callable[[Any], None]
    started: bool = False
    stopped: bool = False
    log: list[str] = field(default_factory=list)

    def start(self) -> None:
        self.started = True

    def stop(self, timeout: float = 10.0) -> None:
        self.stopped = True


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of sample_notes and its index (built once per module)."""
    return sample_index(tmp_path_factory.mktemp("tui"))


def make_app(vault: Path, index_dir: Path, watchers: list[FakeWatcher] | None = None,
             **kw: Any) -> NotelinkApp:
    def factory(v: Path, i: Path, on_event: Callable[[Any], None]) -> FakeWatcher:
        w = FakeWatcher(v, i, on_event)
        if watchers is not None:
            watchers.append(w)
        return w

    theme = kw.pop("theme", "")
    cfg = TuiConfig(vault=vault, index_dir=index_dir, train=FAST, watch=watchers is not None, theme=theme)
    return NotelinkApp(cfg, watcher_factory=factory, **kw)


def option_ids(app: NotelinkApp, selector: str) -> list[str]:
    return [o.id or "" for o in app.screen.query_one(selector, OptionList).options]


def test_starts_on_first_note_without_torch(indexed: tuple[Path, Path]) -> None:
    vault, index_dir = indexed
    code = f"""
import asyncio, sys
from pathlib import Path
from notelink.tui.app import NotelinkApp, TuiConfig

async def main():
    app = NotelinkApp(TuiConfig(vault=Path({str(vault)!r}), index_dir=Path({str(index_dir)!r}), watch=False))
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(3000):  # (30 s at most)
            if app.current is not None and app.query_one("#related").option_count > 0:
                break
            await pilot.pause(0.01)
        assert app.current is not None and app.query_one("#related").option_count > 0
        assert len(app.query_one("#notes").options) == 42
    assert "torch" not in sys.modules, "torch was imported"
    print("ok")

asyncio.run(main())
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "ok" in out.stdout, out.stdout + out.stderr


@sync
async def test_filter_by_title_and_tag(indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        await pilot.press("slash", *"sourdough")
        await wait_for(pilot, lambda: app.filter_query == "sourdough")
        ids = option_ids(app, "#notes")
        assert ids[0] == "cooking/Sourdough starter.md"
        assert "Notes" in str(app.query_one("#notes-pane").border_title)
        assert "/42" in str(app.query_one("#notes-pane").border_title)
        app.query_one("#filter", Input).value = "zzzz-nothing"
        await wait_for(pilot, lambda: app.filter_query == "zzzz-nothing")
        (line,) = app.query_one("#notes", OptionList).options  # no note, a line saying so
        assert str(line.prompt) == "No notes match 'zzzz-nothing'" and line.disabled


@sync
async def test_select_note_shows_it_and_its_panels(indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        await pilot.press("slash", *"kimchi", "enter")
        await wait_for(pilot, lambda: app.current == "cooking/Kimchi.md")  # one Enter opens the best match
        assert app.focused is app.query_one("#notes")
        await pilot.press("enter")  # and Enter on the list keeps it
        await settle(pilot, app)
        assert app.current == "cooking/Kimchi.md"
        assert app.query_one(NoteView).border_title == "Kimchi"
        assert "cooking/Kimchi.md" not in option_ids(app, "#related")


@sync
async def test_enter_in_the_filter_opens_the_best_match_when_the_shown_note_matches_too(
        indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        await pilot.press("slash", *"kimchi", "enter")
        await wait_for(pilot, lambda: app.current == "cooking/Kimchi.md")
        await pilot.press("slash", *"ferm")
        await wait_for(pilot, lambda: app.filter_query == "ferm")
        ids = option_ids(app, "#notes")
        assert ids[0] == "cooking/Fermentation.md" and "cooking/Kimchi.md" in ids  # the shown note matches
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.current == "cooking/Fermentation.md")
        assert app.query_one("#notes", OptionList).highlighted == 0


@sync
async def test_enter_in_the_filter_leaves_the_shown_note_where_it_is(indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        shown, view = app.current, app.query_one(NoteView)
        renders: list[str] = []
        real = view.show
        view.show = lambda title, *rest, **kw: (renders.append(title), real(title, *rest, **kw))[1]  # type: ignore[method-assign]
        for keys in (["slash", "enter"], ["slash", "space", "enter"], ["slash", *"zzzz", "enter"]):
            await pilot.press(*keys)  # no filter, only spaces (the shown note highlighted), no match
            await wait_for(pilot, lambda: app.focused is app.query_one("#notes"))
            await settle(pilot, app)
            assert (app.current, renders, app.focused) == (shown, [], app.query_one("#notes"))
            app.query_one("#filter", Input).value = ""
        assert app.history.current == shown and not app.history.can_back()


@sync
async def test_follow_related_with_reason_and_history(indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        await pilot.press("slash", *"kimchi", "enter", "enter")
        await wait_for(pilot, lambda: app.current == "cooking/Kimchi.md")
        app.query_one("#related", OptionList).focus()
        await pilot.press("down")
        await wait_for(pilot, lambda: str(app.query_one("#because").render()).startswith("because:"))
        reason = str(app.query_one("#because").render())
        assert "[" not in reason and "'" not in reason, reason  # words, not a Python list
        target = app.query_one("#related", OptionList).highlighted_option
        assert target is not None
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.current == target.id)
        await pilot.press("left_square_bracket")
        assert app.current == "cooking/Kimchi.md"
        await pilot.press("right_square_bracket")
        assert app.current == target.id


@sync
async def test_wikilink_click_follows_link(indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        await open_note(pilot, app, "cooking/Kimchi.md")  # "... see [[Fermentation]] ...": click the link
        view = app.query_one(NoteView)
        (row, line), = [(y, line) for y, line in enumerate(view.lines) if "Fermentation" in line.plain][:1]
        column = line.plain.index("Fermentation")
        left, top = view.content_region.x - view.region.x, view.content_region.y - view.region.y
        await pilot.click(NoteView, offset=(left + column + 2, top + row))
        await wait_for(pilot, lambda: app.current == "cooking/Fermentation.md")


@sync
async def test_concept_view_opens_a_note(indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        app.query_one("#concepts", OptionList).focus()
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConceptScreen))
        screen = app.screen
        assert isinstance(screen, ConceptScreen)
        assert option_ids(app, "#similar-words")
        notes = option_ids(app, "#concept-notes")
        assert notes
        screen.query_one("#concept-notes", OptionList).focus()
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConceptScreen))
        assert app.current == notes[0] or app.current in notes


@sync
async def test_editor_round_trip_reindexes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vault, index_dir = sample_index(tmp_path)
    appending_editor(tmp_path, monkeypatch)
    app = make_app(vault, index_dir)
    async with running(app, SIZE) as pilot:
        path = app.current
        assert path is not None
        old_gen = app.index.gen if app.index else None
        await pilot.press("e")
        await wait_for(pilot, lambda: app.index is not None and app.index.gen != old_gen, 60)
        assert "basil pesto" in (vault / path).read_text(encoding="utf-8")


@sync
async def test_a_damaged_index_is_said_and_offered_to_rebuild_not_a_crash(tmp_path: Path) -> None:
    """A truncated array in the live generation raised IndexDamaged in the loading worker: the app quit with
    a traceback (without --no-watch as with it), where the CLI says what is wrong and to rebuild."""
    vault, index_dir = sample_index(tmp_path)
    (gen,) = index_dir.glob("gen-*")
    (gen / "syn0.npy").write_bytes((gen / "syn0.npy").read_bytes()[:100])
    app = make_app(vault, index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert any("is damaged" in str(n.message) for n in app._notifications)
        await pilot.press("y")
        await wait_for(pilot, lambda: app.index is not None, 60)  # (the build sets the damaged one aside)
        assert app.index is not None and len(app.index.notes) == 42


@sync
async def test_a_title_that_reads_as_markup_is_shown_as_written(tmp_path: Path) -> None:
    """A note titled `Close [/bold] tag` quit the app with a MarkupError when opened (its title, the note
    view's border title, was read as console markup), and a toast naming it did the same."""
    title = "Close [/bold] tag"
    vault, index_dir = sample_index(tmp_path, {"odd.md": f"# {title}\n\nPizza dough, bread and yeast.\n"})
    app = make_app(vault, index_dir)
    async with running(app, SIZE) as pilot:
        await open_note(pilot, app, "odd.md")
        view = app.query_one(NoteView)
        assert view.border_title is not None and title in Content.from_markup(view.border_title).plain
        app.notify(f"Linked {title} → Pizza dough")  # as the link's toast says it
        await wait_for(pilot, lambda: any(title in str(n.message) for n in app._notifications))
        await pilot.pause()
        assert app.is_running


@pytest.mark.parametrize("editor", ["/nonexistent/editor", "vim '-c"])
@sync
async def test_an_editor_that_cannot_start_is_said_and_the_app_comes_back(
        indexed: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, editor: str) -> None:
    """$EDITOR naming no program raised inside Textual's `suspend()`, which resumes only when its block ends
    without an exception: the app stayed suspended, the terminal in cooked mode, deaf to every key. An
    $EDITOR with an unclosed quote raised out of the key's action."""
    monkeypatch.setenv("EDITOR", editor)
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app(*indexed)
    suspended: list[str] = []

    @contextlib.contextmanager
    def suspend() -> Iterator[None]:  # as Textual's: no resume when the block raises
        suspended.append("suspended")
        yield
        suspended.append("resumed")

    monkeypatch.setattr(app, "suspend", suspend)
    async with running(app, SIZE) as pilot:
        await pilot.press("e")
        await wait_for(pilot, lambda: any("Could not start the editor" in str(n.message)
                                          for n in app._notifications))
        assert suspended in ([], ["suspended", "resumed"])


@sync
async def test_no_index_offers_to_build_with_progress(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(SAMPLE, vault)
    before = snapshot(vault)
    app = make_app(vault, tmp_path / "index")
    events: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        status = app.query_one(IndexStatus)
        original = status.show_event
        status.show_event = lambda ev: (events.append(ev.stage), original(ev))[-1]  # type: ignore[method-assign]
        await pilot.press("y")
        await wait_for(pilot, lambda: app.index is not None, 60)
        await settle(pilot, app)
        assert app.index is not None and len(app.index.notes) == 42
        assert "train" in events and "parse" in events
        assert not status.display
    assert snapshot(vault) == before


@sync
async def test_live_refresh_from_watcher(indexed: tuple[Path, Path], tmp_path: Path) -> None:
    vault, index_dir = indexed
    watchers: list[FakeWatcher] = []
    app = make_app(vault, index_dir, watchers)
    async with running(app, SIZE) as pilot:
        (w,) = watchers
        assert w.started
        current = app.current
        assert current is not None
        original = (vault / current).read_text(encoding="utf-8")
        try:
            (vault / current).write_text(original + "\n\nLIVE-REFRESH-MARKER\n", encoding="utf-8")
            w.on_event(FakeEvent("changed", (current,)))
            await wait_for(pilot, lambda: "LIVE-REFRESH-MARKER" in _markdown_source(app))
            w.on_event(FakeEvent("indexing"))
            w.on_event(FakeEvent("progress", progress=IndexEvent("train", 5, 10, 1, 2, 1000.0)))
            await wait_for(pilot, lambda: "25%" in str(app.query_one("#index-label").render()))
            assert app.query_one(IndexStatus).display
            w.on_event(FakeEvent("indexed", (current,), generation=1,
                                 message="generation 6 live (42 notes, 1.2s): full retrain (40 epochs)"))
            await wait_for(pilot, lambda: not app.query_one(IndexStatus).display)
            await settle(pilot, app)
        finally:
            (vault / current).write_text(original, encoding="utf-8")
    assert w.stopped


def _markdown_source(app: NotelinkApp) -> str:
    return app.query_one(NoteView).source


@sync
async def test_unlinked_toggle_and_help(indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        app.query_one("#notes", OptionList).focus()
        await pilot.press("u")
        assert app.unlinked
        assert "unlinked" in str(app.query_one(RelatedPanel).border_title)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: "HelpScreen" in type(app.screen).__name__)
        await pilot.press("escape")
        await wait_for(pilot, lambda: "HelpScreen" not in type(app.screen).__name__)
        await pilot.press("t")
        assert app.theme == "textual-light"


@sync
async def test_links_key_lists_the_notes_wikilinks_and_follows_one(indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        app.show_note("cooking/Kimchi.md")
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LinksScreen))
        assert isinstance(app.screen, LinksScreen)
        assert [str(o.prompt) for o in app.screen.query_one("#links", OptionList).options] == [
            "Fermentation", "Knife skills"]
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: app.current == "cooking/Knife skills.md")
        await pilot.press("left_square_bracket")
        assert app.current == "cooking/Kimchi.md"


@sync
async def test_long_note_is_painted_head_first_then_whole(indexed: tuple[Path, Path]) -> None:
    vault, index_dir = indexed
    app = make_app(vault, index_dir)
    paragraphs = "".join(f"Paragraph {i} about [[Kimchi]].\n\n" for i in range(2000))
    long_text = shown_markdown("# Long\n\n" + paragraphs)
    async with running(app, SIZE) as pilot:
        view = app.query_one(NoteView)
        view.show("Long", "long.md", long_text)
        assert view.rendering and 10 < view.line_count < 2000  # the first screenful (and a bit) at once
        assert "Paragraph 0 about Kimchi" in view.lines[2].plain
        await wait_for(pilot, lambda: not view.rendering)
        assert view.line_count == 2 + 2 * 2000 - 1 and view.source == long_text
        assert view.lines[-1].plain.startswith("Paragraph 1999 about Kimchi")
        assert view.links == [("Kimchi", "Kimchi")]
        view.show("Short", "short.md", "just this")  # a short note replaces it whole
        assert view.source == "just this" and view.line_count == 1 and not view.rendering


@sync
async def test_live_refresh_through_the_real_watcher(tmp_path: Path) -> None:
    """The app with the real VaultWatcher (its builds run in child processes started from inside Textual):
    an edit to the shown note reaches its concepts."""
    vault, index_dir = sample_index(tmp_path)
    app = NotelinkApp(TuiConfig(vault=vault, index_dir=index_dir, train=FAST, watch=True))
    async with running(app, SIZE) as pilot:
        app.show_note("cooking/Kimchi.md")
        with (vault / "cooking/Kimchi.md").open("a", encoding="utf-8") as fh:
            fh.write("\n\nquasar quasar quasar nebula quasar telescope quasar\n")
        await wait_for(pilot, lambda: "quasar" in option_ids(app, "#concepts"), 90)
        assert app.watcher is not None


def test_list_entries_show_markup_characters_literally() -> None:
    from notelink.query.answers import NoteInfo
    from notelink.tui.noteslist import _note_prompt

    cases = [("[x] todo [dim]", "f/a.md", "[x] todo [dim]  f"), ("a\\b [/]", "a.md", "a\\b [/]"),
             ("", "[y]/z.md", "[y]/z.md  [y]"), ("t", "x\\/a.md", "t  x\\"), ("a\tb\x07", "a.md", "a b")]
    for title, path, shown in cases:
        assert _note_prompt(NoteInfo(0, path, title, [], [])).plain == shown


@sync
async def test_a_watcher_event_while_the_app_closes_is_dropped(indexed: tuple[Path, Path]) -> None:
    """The watcher outlives the screen by a moment: an event that arrives once the status bar is gone must
    not crash the app (it did, at exit, on a busy machine)."""
    from notelink.tui import actions
    from notelink.watch.watcher import WatchEvent

    app = make_app(*indexed)
    async with running(app, SIZE):
        await app.query_one(IndexStatus).remove()
        for kind in ("indexing", "indexed", "error", "stopped"):
            actions.watch_event(app, WatchEvent(kind))
        assert not app.query(IndexStatus)


@sync
async def test_the_watcher_watching_again_is_said(indexed: tuple[Path, Path]) -> None:
    """After a fallback to rescans (said in an error toast), its recovery is said too."""
    from notelink.watch.watcher import WatchEvent

    watchers: list[FakeWatcher] = []
    app = make_app(*indexed, watchers)
    async with running(app, SIZE) as pilot:
        (w,) = watchers
        w.on_event(WatchEvent("watching", message="watching the vault for changes again"))
        await wait_for(pilot, lambda: any("for changes again" in str(n.message) for n in app._notifications))


@sync
async def test_the_watchers_wait_ends_when_another_process_built_it(indexed: tuple[Path, Path]) -> None:
    """The watcher waited for another build, then had nothing to build: the status line kept saying it was
    waiting (no "indexed" came); "current" ends it."""
    from notelink.index.report import IndexEvent
    from notelink.watch.watcher import WatchEvent

    watchers: list[FakeWatcher] = []
    app = make_app(*indexed, watchers)
    async with running(app, SIZE) as pilot:
        (w,) = watchers
        status = app.query_one(IndexStatus)
        w.on_event(WatchEvent("indexing", ("a.md",)))
        w.on_event(WatchEvent("progress", ("a.md",), progress=IndexEvent("wait")))
        await wait_for(pilot, lambda: status.display and "Waiting" in status._line)
        w.on_event(WatchEvent("current", ("a.md",), generation=2, message="the index is current"))
        await wait_for(pilot, lambda: not status.display)


@sync
async def test_another_vaults_index_is_not_shown_as_this_vaults(indexed: tuple[Path, Path],
                                                                tmp_path: Path) -> None:
    """An index folder holding another vault's index (NOTELINK_INDEX_DIR set for one vault, the app opened
    on another) showed that vault's notes as this one's."""
    _, index_dir = indexed
    other = tmp_path / "other"
    other.mkdir()
    (other / "b.md").write_text("# B\n\nriver stone\n", encoding="utf-8")
    app = make_app(other, index_dir)
    async with running(app, SIZE) as pilot:
        await wait_for(pilot, lambda: any("was built from" in str(n.message) for n in app._notifications))
        assert app.index is None


@sync
async def test_a_build_landing_while_the_index_is_warmed_does_not_stop_the_app(indexed: tuple[Path, Path],
                                                                              tmp_path: Path) -> None:
    """The warm-up worker checked that its index was still the app's, then read it: a build landing in
    between closed it, and the worker's "closed database" error ended the app (seen once in the suite)."""
    vault, index_dir = indexed
    app = make_app(vault, index_dir)
    async with running(app, SIZE) as pilot:
        await wait_for(pilot, lambda: not app.workers, what="the first warm-up to finish")
        old, new = app.index, Index.open(index_dir)
        assert old is not None

        def replaced_then_warm() -> None:  # the build lands between the check and the reads
            app.index = new
            old.close()
            Index.warm(old)

        old.warm = replaced_then_warm  # type: ignore[method-assign]
        worker = app._warm(old)
        await worker.wait()
        assert app.is_running and worker.state == WorkerState.SUCCESS
        app.index = old
        new.close()

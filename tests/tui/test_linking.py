"""Pilot tests for linking from the app (`i` on a related note, `m` then Enter on a mention, `z` to undo), on
a fresh copy of sample_notes and its index per test: the preview shows the change, confirming writes it,
undo puts every byte back, cancelling or a refused write leaves the note untouched."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static

from notelink.index.lock import WatcherLock
from notelink.tui.app import NotelinkApp, TuiConfig
from notelink.tui.linkpreview import LinkPreview
from notelink.tui.mentions import MentionsScreen
from notelink.tui.noteview import NoteView
from notelink.tui.screens import ConceptScreen, ConfirmScreen, LinksScreen
from tests.conftest import FAST

from .helpers import copy_indexed, open_note, running, sample_index, settle, sync, wait_for
from .test_app import SIZE, FakeWatcher, make_app
from .test_builds import record_notes

PIZZA = "cooking/Pizza dough.md"
FERMENTATION = "cooking/Fermentation.md"  # related to it, not linked yet, not mentioned in it
SEEDS = "gardening/Seed starting.md"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return sample_index(tmp_path_factory.mktemp("linking"))


@pytest.fixture
def vault(built: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the indexed vault for one test (tests write into it; sample_notes is never touched)."""
    return copy_indexed(*built, tmp_path)


def watched(vault: tuple[Path, Path]) -> NotelinkApp:
    """The app with a fake watcher (a write is re-indexed by the watcher, not by the app)."""
    watchers: list[FakeWatcher] = []
    return make_app(*vault, watchers=watchers)


def highlight_unlinked(app: NotelinkApp, path: str = FERMENTATION) -> str:
    """Highlights a related note not linked yet in the Related panel; its path."""
    assert not related_linked(app, path)
    listing = app.query_one("#related", OptionList)
    listing.focus()
    listing.highlighted = listing.get_option_index(path)
    return path


def related_linked(app: NotelinkApp, path: str) -> bool:
    assert app.cache is not None and app.current is not None
    return next(r for r in app.cache.details(app.current).related if r.path == path).linked


def preview(app: NotelinkApp) -> LinkPreview:
    assert isinstance(app.screen, LinkPreview)
    return app.screen


async def preview_link(pilot: Any, app: NotelinkApp) -> tuple[str, list[tuple[str, str]]]:
    """Opens Pizza dough, highlights a related note not linked yet, presses `i` and waits for the preview;
    that note's path, and the toasts shown from just before `i` (`record_notes`)."""
    await open_note(pilot, app, PIZZA)
    target = highlight_unlinked(app)
    shown = record_notes(app)
    await pilot.press("i")
    await wait_for(pilot, lambda: isinstance(app.screen, LinkPreview), what="the preview")
    return target, shown


@sync
async def test_link_a_related_note_then_undo_it_byte_for_byte(vault: tuple[Path, Path]) -> None:
    note = vault[0] / PIZZA
    before = note.read_bytes()
    app = watched(vault)
    async with running(app, SIZE) as pilot:
        target, _ = await preview_link(pilot, app)
        name = Path(target).stem
        diff = preview(app).diff
        assert f"+- [[{name}]]" in diff and "+## See also" in diff, diff  # the vault's style: a wikilink
        assert note.read_bytes() == before  # a preview writes nothing
        shown = str(app.screen.query_one("#diff").render())
        assert f"- [[{name}]]" in shown and "See also" in shown
        await pilot.press("y")
        await wait_for(pilot, lambda: note.read_bytes() != before, what="the link written")
        text = note.read_text(encoding="utf-8")
        assert text.startswith(before.decode()) and text.endswith(f"## See also\n\n- [[{name}]]\n"), text
        await wait_for(pilot, lambda: related_linked(app, target), what="the related row marked linked")
        view = app.query_one(NoteView)
        await wait_for(pilot, lambda: any(t == name for _, t in view.links), what="the note view re-read")

        await pilot.press("z")
        await wait_for(pilot, lambda: isinstance(app.screen, LinkPreview), what="the undo preview")
        assert f"-- [[{name}]]" in preview(app).diff
        assert note.read_bytes() != before  # the preview undoes nothing
        await pilot.press("y")
        await wait_for(pilot, lambda: note.read_bytes() == before, what="the note put back")
        await wait_for(pilot, lambda: not related_linked(app, target), what="the related row unlinked")
        assert not list((vault[1] / "journal").glob("*.json"))  # the journal entry is used up
        shown_notes = record_notes(app)
        await pilot.press("z")
        await wait_for(pilot, lambda: bool(shown_notes), what="a message")
        assert shown_notes[0][0].startswith("Nothing to undo") and not isinstance(app.screen, LinkPreview)


@sync
async def test_the_link_and_undo_previews_open_with_no_toast_over_them(vault: tuple[Path, Path]) -> None:
    """Toasts shown before (`Linked …; z puts it back`) covered the buttons and the key hint for seconds."""
    app = watched(vault)
    async with running(app, SIZE) as pilot:
        app.notify("A toast from before")
        await preview_link(pilot, app)
        assert not list(app._notifications)
        await pilot.press("y")
        await wait_for(pilot, lambda: any("puts it back" in str(n.message) for n in app._notifications),
                       what="the toast of the link")
        await pilot.press("z")
        await wait_for(pilot, lambda: isinstance(app.screen, LinkPreview), what="the undo preview")
        assert not list(app._notifications)


@sync
async def test_the_preview_fits_a_small_terminal_with_the_change_on_screen(vault: tuple[Path, Path]) -> None:
    note = vault[0] / PIZZA
    before = note.read_bytes()
    app = watched(vault)
    async with running(app, (60, 20)) as pilot:
        target, _ = await preview_link(pilot, app)
        screen = preview(app)
        dialog, area = screen.query_one("#dialog"), screen.query_one("#preview-diff", VerticalScroll)
        shown = [screen.query_one(s) for s in ("#write", "#cancel", ".hint")]
        await wait_for(pilot, lambda: all(dialog.content_region.contains_region(w.region) for w in shown),
                       what=lambda: (dialog.content_region, [w.region for w in shown]))
        assert app.focused is area and area.max_scroll_y > 0  # the diff scrolls with the keys
        rows = area.scrollable_content_region.height
        diff = screen.query_one("#diff", Static)
        lines = diff.render_lines(Region(0, 0, diff.size.width, diff.size.height))
        top = round(area.scroll_y)
        seen = "".join(s.text for line in lines[top: top + rows] for s in line)
        assert f"- [[{Path(target).stem}]]" in seen and "See also" in seen, seen  # the added lines first
        await pilot.press("home")
        await wait_for(pilot, lambda: area.scroll_y == 0)
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: area.scroll_y > 0)
        await pilot.press("enter")  # the hint's "y / Enter writes it"
        await wait_for(pilot, lambda: note.read_bytes() != before, what="the link written")


@sync
async def test_cancelling_the_preview_leaves_the_note_untouched(vault: tuple[Path, Path]) -> None:
    note = vault[0] / PIZZA
    before = note.read_bytes()
    app = watched(vault)
    async with running(app, SIZE) as pilot:
        target, shown = await preview_link(pilot, app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: bool(shown), what="a message")
        assert shown == [("Not linked; the note is as it was", "information")]
        await settle(pilot, app)
        assert note.read_bytes() == before and not related_linked(app, target)
        assert not (vault[1] / "journal").exists()


@sync
async def test_a_refused_write_says_why_and_writes_nothing(vault: tuple[Path, Path]) -> None:
    note = vault[0] / PIZZA
    before = note.read_bytes()
    app = watched(vault)
    async with running(app, SIZE) as pilot:
        target, shown = await preview_link(pilot, app)
        # the note changes between the preview and the confirmation: the change seen is not the one to make
        note.write_bytes(before + b"\nMore words.\n")
        changed = note.read_bytes()
        await pilot.press("y")
        await wait_for(pilot, lambda: bool(shown), what="a message")
        message, severity = shown[0]
        assert severity == "error" and "changed since the preview" in message, message
        assert message.count("written") == 1 and note.read_bytes() == changed, message  # (said twice)
        # a read-only note: refused as soon as it is asked for
        note.write_bytes(before)
        note.chmod(stat.S_IRUSR | stat.S_IRGRP)
        shown.clear()
        await pilot.press("i")
        await wait_for(pilot, lambda: bool(shown), what="a message")
        message, severity = shown[0]
        assert severity == "error" and "read-only" in message and "Nothing was written" in message, message
        assert not isinstance(app.screen, LinkPreview) and note.read_bytes() == before
        assert not related_linked(app, target)


@sync
async def test_link_an_unlinked_mention_from_the_mentions_list(vault: tuple[Path, Path]) -> None:
    note = vault[0] / SEEDS
    before = note.read_bytes()
    app = watched(vault)
    async with running(app, SIZE) as pilot:
        await open_note(pilot, app, SEEDS)
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, MentionsScreen), what="the mentions")
        await pilot.press("enter")  # the first outgoing mention: "compost" on line 7
        await wait_for(pilot, lambda: isinstance(app.screen, LinkPreview), what="the preview")
        diff = preview(app).diff
        assert "-Seed compost should" in diff and "+Seed [[compost]] should" in diff, diff
        await pilot.press("enter")  # Enter writes the link
        await wait_for(pilot, lambda: note.read_bytes() != before, what="the link written")
        assert note.read_bytes() == before.replace(b"Seed compost should", b"Seed [[compost]] should", 1)


@sync
async def test_the_palette_offers_mentions_and_undo(vault: tuple[Path, Path]) -> None:
    from .test_dialogs import _palette

    app = watched(vault)
    async with running(app, SIZE) as pilot:
        await open_note(pilot, app, SEEDS)
        await _palette(pilot, "Unlinked mentions")
        await wait_for(pilot, lambda: isinstance(app.screen, MentionsScreen), what="the mentions")
        await pilot.press("escape")
        shown = record_notes(app)
        await _palette(pilot, "Undo last link")
        await wait_for(pilot, lambda: bool(shown), what="a message")
        assert shown[0][0].startswith("Nothing to undo")


@sync
async def test_mentions_are_of_the_note_shown_when_another_differs_only_by_normalisation(
        tmp_path: Path) -> None:
    import unicodedata

    nfc, nfd = (unicodedata.normalize(form, "Café.md") for form in ("NFC", "NFD"))
    coffee = "coffee beans roast grind brew espresso milk foam " * 3
    vault = sample_index(tmp_path, {nfc: f"# Café one\n\n{coffee}\n", nfd: f"# Café two\n\n{coffee}\n",
                                    "Cafe list.md": f"# Cafe list\n\nCafé one, then Café two. {coffee}\n"})
    app = watched(vault)
    async with running(app, SIZE) as pilot:
        for path, title in ((nfc, "Café one"), (nfd, "Café two")):
            await open_note(pilot, app, path)
            await pilot.press("m")
            await wait_for(pilot, lambda: isinstance(app.screen, MentionsScreen), what="the mentions")
            assert isinstance(app.screen, MentionsScreen)
            found = app.screen.found
            assert found.note == path and [m.text for m in found.incoming] == [title]
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, MentionsScreen), what="closed")


@sync
async def test_mentions_of_a_note_deleted_since_indexing_say_so(vault: tuple[Path, Path]) -> None:
    app = watched(vault)
    async with running(app, SIZE) as pilot:
        await open_note(pilot, app, SEEDS)
        (vault[0] / SEEDS).unlink()
        shown = record_notes(app)
        await pilot.press("m")
        await wait_for(pilot, lambda: bool(shown), what="a message")
        assert "cannot be read now: it was deleted or moved" in shown[0][0] and shown[0][1] == "warning"


@sync
async def test_the_undo_preview_says_where_a_renamed_note_is_now(vault: tuple[Path, Path]) -> None:
    """`z` after the linked note was renamed by hand: undo refused it (a new user's sweep); it is followed
    by what it holds, and the preview says where it is now."""
    from notelink.api import Vault

    with Vault(*vault) as v:
        assert v.link(PIZZA, FERMENTATION, append=True, write=True).written == [PIZZA]
    renamed = vault[0] / "cooking" / "Pizza dough (Neapolitan).md"
    (vault[0] / PIZZA).rename(renamed)
    app = watched(vault)
    async with running(app, SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("z")
        await wait_for(pilot, lambda: isinstance(app.screen, LinkPreview), what="the undo preview")
        assert "is now cooking/Pizza dough (Neapolitan).md: moved or renamed since" in preview(app).heading
        assert "-- [[Fermentation]]" in preview(app).diff


@sync
async def test_q_in_a_dialog_closes_it_and_writes_nothing(vault: tuple[Path, Path]) -> None:
    """`q` in the links, mentions, concept, link preview and yes/no dialogs did nothing at all (only the help
    closed on it): each closes on it now, as on Esc, answering no; the app keeps running."""
    note = vault[0] / PIZZA
    before = note.read_bytes()
    app = watched(vault)
    async with running(app, SIZE) as pilot:
        await preview_link(pilot, app)
        opened = {"i": LinkPreview, "l": LinksScreen, "m": MentionsScreen}  # (the preview is open)
        for key, dialog in opened.items():
            if key != "i":
                await pilot.press(key)
            await wait_for(pilot, lambda d=dialog: isinstance(app.screen, d), what=dialog.__name__)
            await pilot.press("q")
            await wait_for(pilot, lambda: not isinstance(app.screen, ModalScreen), what=f"{key}: closed")
            highlight_unlinked(app)
        app.query_one("#concepts", OptionList).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConceptScreen), what="the concept")
        await pilot.press("q")
        await wait_for(pilot, lambda: not isinstance(app.screen, ModalScreen), what="the concept closed")
        answers: list[bool | None] = []
        app.push_screen(ConfirmScreen("Build one now?", "Build", "Not now"), answers.append)
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen) and app.screen.query(".hint"))
        hint = str(app.screen.query_one(".hint", Static).render())
        assert hint == "y: Build · n / Esc: Not now", hint  # (its keys were said nowhere)
        await pilot.press("q")
        await wait_for(pilot, lambda: answers == [False])
        assert app.is_running and note.read_bytes() == before


@sync
async def test_a_link_written_beside_another_watcher_is_left_to_it(vault: tuple[Path, Path],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """With `notelink watch` beside the app, `y` on a link made the app build the index itself (a full
    retrain) while that watcher, which had seen the write, waited for it: the other process re-indexes it."""
    note = vault[0] / PIZZA
    before = note.read_bytes()
    other = WatcherLock(vault[1])  # as `notelink watch` holds it
    other.acquire()
    try:
        app = NotelinkApp(TuiConfig(vault=vault[0], index_dir=vault[1], train=FAST, watch=True))
        builds: list[bool] = []
        monkeypatch.setattr(app, "action_reindex", lambda *a, **k: builds.append(True))
        async with running(app, SIZE) as pilot:
            assert app.watcher is None and app.follower is not None
            await preview_link(pilot, app)
            await pilot.press("y")
            await wait_for(pilot, lambda: note.read_bytes() != before, what="the link written")
            await settle(pilot, app)
            assert not builds
    finally:
        other.release()

"""The palette's exports (`exports`): every format of `notelink export`, written from the app; the palette
lists notelink's commands together, before Textual's own."""

from __future__ import annotations

import argparse
import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from textual.widgets import Label

from notelink.cli.arguments import _export_args
from notelink.tui.exports import EXPORTS
from notelink.tui.screens import PathPrompt
from tests.conftest import snapshot

from .helpers import running, sync, wait_for
from .test_app import indexed, make_app
from .test_builds import record_notes

__all__ = ["indexed"]  # the fixture, shared with test_app


def cli_formats() -> list[str]:
    parser = argparse.ArgumentParser()
    _export_args(parser)
    (action,) = [a for a in parser._actions if a.dest == "format"]
    return list(action.choices or [])


@sync
async def test_the_palette_offers_every_export_of_the_cli_grouped_before_textuals(
        indexed: tuple[Path, Path]) -> None:
    assert sorted(EXPORTS) == sorted(cli_formats())
    app = make_app(*indexed)
    async with running(app, (120, 35)):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {f"Notes › {e.title}" for e in EXPORTS.values()} <= set(titles)
        assert all(t.startswith(("Notes › ", "Screen › ")) for t in titles), titles
        listed = sorted(titles)  # the palette lists them by title
        assert listed.index(max(t for t in titles if t.startswith("Notes"))) < listed.index(
            min(t for t in titles if t.startswith("Screen")))
        assert "Screen › Theme" in titles and "Notes › Reindex" in titles


@sync
async def test_every_format_is_written_and_no_note_changes(indexed: tuple[Path, Path],
                                                           tmp_path: Path) -> None:
    vault, _ = indexed
    before = snapshot(vault)
    app = make_app(*indexed)
    async with running(app, (120, 35)) as pilot:
        shown = record_notes(app)
        for k, fmt in enumerate(EXPORTS):
            app.export(tmp_path / f"out.{fmt}", fmt)
            await wait_for(pilot, lambda k=k: len(shown) > k, 120)  # type: ignore[misc]
        assert all(severity == "information" for _, severity in shown), shown
    out = {fmt: (tmp_path / f"out.{fmt}").read_text(encoding="utf-8") for fmt in EXPORTS}
    assert len(json.loads(out["json"])["notes"]) == 42
    header = ["source", "target", "score", "rank", "linked", "weak"]
    assert next(csv.reader(out["csv"].splitlines())) == header
    assert f"({', '.join(header)})" in EXPORTS["csv"].question  # the palette names them all (not `weak`)
    assert ET.fromstring(out["graphml"].encode()).tag.endswith("graphml")
    assert out["markdown"].startswith("# Related notes")
    assert int(out["word2vec"].split()[0]) > 100
    assert out["block"].startswith("--- ") and "+++ " in out["block"]  # a diff...
    assert snapshot(vault) == before  # ...and the notes as they were
    assert shown[-1][0].endswith("(no note changed)")


@sync
async def test_the_apps_exports_list_what_the_config_files_export_settings_say(indexed: tuple[Path, Path],
                                                                               tmp_path: Path) -> None:
    """The app exported its panel's 12 related notes a note, whatever `[export] top` and `min_score` said."""
    from dataclasses import replace

    from notelink.config import ExportConfig

    app = make_app(*indexed)
    app.config = replace(app.config, export=ExportConfig(top=2, min_score=0.1))
    async with running(app, (120, 35)) as pilot:
        shown = record_notes(app)
        app.export(tmp_path / "out.json", "json")
        app.export(tmp_path / "out.csv", "csv")
        await wait_for(pilot, lambda: len(shown) == 2, 120)
    notes = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["notes"]
    assert max(len(n["related"]) for n in notes) == 2
    assert all(r["score"] >= 0.1 for n in notes for r in n["related"])
    rows = list(csv.DictReader((tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()))
    assert rows and all(int(r["rank"]) <= 2 and float(r["score"]) >= 0.1 for r in rows)


@sync
async def test_a_markdown_export_into_the_vault_is_written_with_a_warning(indexed: tuple[Path, Path]) -> None:
    vault, _ = indexed
    app = make_app(*indexed)
    async with running(app, (120, 35)) as pilot:
        shown = record_notes(app)
        app.export(vault / "exported.md", "markdown")
        await wait_for(pilot, lambda: bool(shown), 120)
    message, severity = shown[0]
    assert severity == "warning" and "inside the vault" in message and (vault / "exported.md").exists()
    (vault / "exported.md").unlink()  # (the vault is shared by this module's tests)


@sync
async def test_the_export_dialog_refuses_a_markdown_export_into_the_vault_before_writing(
        indexed: tuple[Path, Path], tmp_path: Path) -> None:
    from .test_dialogs import _palette

    vault, _ = indexed
    app = make_app(*indexed)
    async with running(app, (120, 35)) as pilot:
        await _palette(pilot, "Export related notes: Markdown")
        prompt = app.screen
        assert isinstance(prompt, PathPrompt)
        await pilot.press("ctrl+u", *str(vault / "exported.md"), "enter")
        refused = prompt.query_one("#refused", Label)
        await wait_for(pilot, lambda: refused.display, what="the refusal")
        assert "inside the vault" in str(refused.render()) and app.screen is prompt  # open for another path
        assert not (vault / "exported.md").exists()
        await pilot.press("ctrl+u", *str(tmp_path / "exported.md"), "enter")
        await wait_for(pilot, lambda: (tmp_path / "exported.md").exists(), what="the export written")
    assert not (vault / "exported.md").exists()


@sync
async def test_an_export_over_a_note_is_refused_and_the_note_kept(indexed: tuple[Path, Path]) -> None:
    vault, _ = indexed
    note = sorted(vault.rglob("*.md"))[0]
    before = note.read_bytes()
    app = make_app(*indexed)
    async with running(app, (120, 35)) as pilot:
        shown = record_notes(app)
        app.export(note, "csv")
        await wait_for(pilot, lambda: bool(shown), 120)
    message, severity = shown[0]
    assert severity == "error" and "is a note of the vault" in message and note.read_bytes() == before
    assert "give -o" not in message and "choose a file outside the vault" in message  # the app's words


@sync
async def test_the_export_dialog_refuses_a_note_of_the_vault_in_the_apps_words(
        indexed: tuple[Path, Path]) -> None:
    from .test_dialogs import _palette

    vault, _ = indexed
    note = sorted(vault.rglob("*.md"))[0]
    before = note.read_bytes()
    app = make_app(*indexed)
    async with running(app, (120, 35)) as pilot:
        await _palette(pilot, "Export related notes: CSV")
        prompt = app.screen
        assert isinstance(prompt, PathPrompt)
        await pilot.press("ctrl+u", *str(note), "enter")
        refused = prompt.query_one("#refused", Label)
        await wait_for(pilot, lambda: refused.display, what="the refusal")
        said = str(refused.render())
        assert "is a note of the vault" in said and "give -o" not in said and app.screen is prompt
    assert note.read_bytes() == before


@sync
async def test_the_export_dialog_refuses_a_folder_that_is_not_there(indexed: tuple[Path, Path]) -> None:
    """A path in a folder not made yet closed the dialog and failed after ("Export failed: ... No such file
    or directory"): the path typed was lost. The dialog says so and keeps it, to be corrected."""
    from .test_dialogs import _palette

    vault, _ = indexed
    app = make_app(*indexed)
    async with running(app, (120, 35)) as pilot:
        shown = record_notes(app)
        await _palette(pilot, "Export related notes: CSV")
        prompt = app.screen
        assert isinstance(prompt, PathPrompt)
        await pilot.press("ctrl+u", *"exports/2026/related.csv", "enter")
        refused = prompt.query_one("#refused", Label)
        await wait_for(pilot, lambda: refused.display, what="the refusal")
        said = str(refused.render())
        assert f"{vault.parent / 'exports'} is no folder yet" in said and app.screen is prompt, said
    assert not shown and not (vault.parent / "exports").exists()


@sync
async def test_an_export_over_an_existing_file_asks_first_and_keeps_it_by_default(
        indexed: tuple[Path, Path]) -> None:
    """The pre-filled path of a second export (or any file outside the vault) was replaced without a word."""
    from notelink.tui.screens import ConfirmScreen

    from .test_dialogs import _palette

    vault, _ = indexed
    default = vault.parent / f"{vault.name}-related.csv"
    default.write_text("precious\n", encoding="utf-8")
    app = make_app(*indexed)
    try:
        async with running(app, (120, 35)) as pilot:
            shown = record_notes(app)
            await _palette(pilot, "Export related notes: CSV")
            await pilot.press("enter")  # the default path, which exists
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
            assert str(default) in str(app.screen.query_one("#question", Label).render())
            assert app.focused is not None and app.focused.id == "no"  # Enter keeps the file
            await pilot.press("enter")
            await wait_for(pilot, lambda: bool(shown), what="the answer said")
            assert default.read_text(encoding="utf-8") == "precious\n" and "as it was" in shown[0][0]
            await _palette(pilot, "Export related notes: CSV")
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question again")
            await pilot.press("y")
            await wait_for(pilot, lambda: len(shown) > 1, 120, what="the export written")
        assert default.read_text(encoding="utf-8").startswith("source,target,score")
    finally:
        default.unlink()


@sync
async def test_a_relative_export_path_goes_beside_the_vault_and_the_toast_says_where(
        indexed: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """It went to the folder the app was started from, and the toast said only `rel-out.json`."""
    from .test_dialogs import _palette

    vault, _ = indexed
    monkeypatch.chdir(tmp_path)
    app = make_app(*indexed)
    written = vault.parent / "rel-out.json"
    try:
        async with running(app, (120, 35)) as pilot:
            shown = record_notes(app)
            await _palette(pilot, "Export related notes: JSON")
            await pilot.press("ctrl+u", *"rel-out.json", "enter")
            await wait_for(pilot, lambda: bool(shown), 120, what="the export written")
        assert written.is_file() and not (tmp_path / "rel-out.json").exists()
        assert shown[0][0] == f"Exported related notes to {written}"
    finally:
        written.unlink(missing_ok=True)


@sync
async def test_the_export_dialog_opens_with_no_toast_over_it(indexed: tuple[Path, Path]) -> None:
    """Toasts shown before covered the dialog's hint and its refusals."""
    from .test_dialogs import _palette

    app = make_app(*indexed)
    async with running(app, (120, 35)) as pilot:
        app.notify("A toast from before")
        await _palette(pilot, "Export related notes: JSON")
        assert isinstance(app.screen, PathPrompt) and not list(app._notifications)

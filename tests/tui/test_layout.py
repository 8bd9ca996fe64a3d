"""Pilot tests for the layout at several terminal sizes, the help dialog, and moving in lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.containers import VerticalScroll
from textual.widgets import Input, OptionList

from notelink.tui.concepts import ConceptsPanel
from notelink.tui.noteslist import NotesPane
from notelink.tui.noteview import NoteView
from notelink.tui.screens import ConceptScreen, HelpScreen
from notelink.tui.widgets import RelatedPanel

from .helpers import running, settle, sync, wait_for
from .test_app import indexed, make_app

__all__ = ["indexed"]  # the fixture, shared with test_app


@sync
async def test_help_fits_at_120x35_and_scrolls_with_keys_at_80x24(indexed: tuple[Path, Path]) -> None:
    for size, fits in (((120, 35), True), ((80, 24), False)):
        await _help_at(indexed, size, fits)


async def _help_at(indexed: tuple[Path, Path], size: tuple[int, int], fits: bool) -> None:
    app = make_app(*indexed)
    async with running(app, size) as pilot:
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen)
                       and app.screen.query_one("#dialog").region.height > 0)
        await pilot.pause()
        dialog = app.screen.query_one("#dialog", VerticalScroll)
        assert app.focused is dialog
        assert (dialog.max_scroll_y == 0) is fits, size
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: dialog.scroll_y == dialog.max_scroll_y)


@sync
async def test_j_k_move_in_lists_and_escape_clears_the_filter(indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, (120, 35)) as pilot:
        notes = app.query_one("#notes", OptionList)
        notes.focus()
        start = notes.highlighted or 0
        await pilot.press("j", "j", "k")
        assert notes.highlighted == start + 1
        related = app.query_one("#related", OptionList)
        related.focus()
        await wait_for(pilot, lambda: related.highlighted == 0)  # entering the panel highlights its first row
        await pilot.press("j")
        assert related.highlighted == 1
        await pilot.press("slash", *"zzqq")
        await wait_for(pilot, lambda: "No notes match 'zzqq'" in str(notes.get_option_at_index(0).prompt))
        await pilot.press("escape")  # clears the filter, which keeps focus (`test_filter`)
        box = app.query_one("#filter", Input)
        await wait_for(pilot, lambda: box.value == "" and notes.option_count == 42 and app.focused is box)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.focused is notes)


@sync
async def test_layout_gives_the_note_room_at_every_size(indexed: tuple[Path, Path]) -> None:
    for width, height in ((60, 20), (80, 24), (120, 35), (200, 50)):
        app = make_app(*indexed)
        async with running(app, (width, height)) as pilot:
            app.show_note("cooking/Bread baking basics.md")
            await settle(pilot, app)
            note, related = app.query_one(NoteView).region, app.query_one(RelatedPanel).region
            notes = app.query_one(NotesPane).region
            assert note.width >= width // 3 and note.height >= 5, (width, note)
            assert (related.y > note.y) is (width < 100), (width, related)  # under the note when narrow
            assert notes.width <= width // 2 and related.width >= 28
            assert app.query_one("#concepts") in app.screen.focus_chain  # Tab reaches the concepts
            listing = app.query_one("#related", OptionList)
            assert listing.virtual_size.height == listing.option_count  # one line each, never wrapped


@sync
async def test_under_70_columns_the_concepts_take_the_related_notes_place_while_focused(
        indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, (60, 20)) as pilot:
        related, concepts = app.query_one(RelatedPanel), app.query_one(ConceptsPanel)
        assert related.region.width >= 28 and "Tab: concepts" in str(related.border_subtitle)
        assert len(str(related.border_subtitle)) <= related.outer_size.width - 6  # whole, not "Tab: conce…"
        app.query_one("#related", OptionList).focus()
        await pilot.press("tab")
        await wait_for(pilot, lambda: concepts.region.width >= 28 and related.region.width == 0,
                       what=lambda: (concepts.region, related.region))
        assert app.focused is app.query_one("#concepts") and concepts.region.right <= 60
        await pilot.press("enter")  # its first concept, highlighted on entering the panel
        await wait_for(pilot, lambda: isinstance(app.screen, ConceptScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConceptScreen))
        await pilot.press("shift+tab")
        await wait_for(pilot, lambda: related.region.width >= 28 and concepts.region.width == 0,
                       what=lambda: (concepts.region, related.region))


@sync
async def test_concept_words_are_not_cut_at_80x24(indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, (80, 24)) as pilot:
        app.show_note("cooking/Kimchi.md")
        await settle(pilot, app)
        listing = app.query_one("#concepts", OptionList)
        words = [o.id or "" for o in listing.options]
        rows = [listing.render_line(y).text for y in range(listing.scrollable_content_region.height)]
        shown = [(w, r) for w, r in zip(words, rows, strict=False) if r.strip()]
        assert len(shown) >= 3 and max(map(len, words)) >= 9, words
        assert all(w in r for w, r in shown), shown  # each word whole, next to its score


@sync
async def test_related_names_have_room_at_80x24_the_bars_left_out(indexed: tuple[Path, Path]) -> None:
    """At 80 columns a score bar left a related name 12 cells and an ellipsis ("Bread baking…"): there the
    score stands alone, as the concepts' does, and the name has 18 ("Bread baking basi…"); at 120 columns,
    with the room, the bars stay."""
    for size, bars, shown in (((80, 24), False, "Bread baking basi"),
                              ((120, 32), True, "Bread baking basics")):
        app = make_app(*indexed)
        async with running(app, size) as pilot:
            app.show_note("cooking/Sourdough starter.md")
            await settle(pilot, app)
            listing = app.query_one("#related", OptionList)
            rows = [listing.render_line(y).text for y in range(listing.option_count)]
            assert any(shown in r for r in rows), rows
            assert any(block in r for r in rows for block in "▏▎▍▌▋▊▉█") is bars, rows


@sync
async def test_related_names_alike_at_their_start_stay_apart_in_a_narrow_panel(tmp_path: Path) -> None:
    """At 80 columns the related panel has room for ~20 cells of a name: "Garden note 246" and "Garden
    note 163" would both end as "Garden note…"; cut in their middle they keep their numbers."""
    from .helpers import open_note, sample_index

    words = "tomato compost mulch soil seeds watering garden beds harvest".split()
    title = "Garden observations about the beds"
    extra = {f"{title} {n}.md": f"# {title} {n}\n\n{' '.join(words[k:] + words[:k])} day {n}\n"
             for k, n in enumerate((163, 246, 317))}  # (not one paragraph thrice: that is boilerplate)
    vault, index_dir = sample_index(tmp_path, extra)
    app = make_app(vault, index_dir)
    for width in (80, 200):
        async with running(app, (width, 30)) as pilot:
            await open_note(pilot, app, "Garden observations about the beds 163.md")
            prompts = [str(o.prompt) for o in app.query_one("#related", OptionList).options]
            shown = [p for p in prompts if "Garden" in p]
            assert any("246" in p for p in shown) and any("317" in p for p in shown), (width, prompts)
            room = app.query_one("#related", OptionList).scrollable_content_region.width
            assert all(len(p) <= room for p in prompts), (room, prompts)
        app = make_app(vault, index_dir)


@sync
async def test_related_names_that_differ_in_their_middle_only_stay_apart(indexed: tuple[Path, Path]
                                                                           ) -> None:
    """Translations of one note ("Obsidian Headless · Extending Obsidian", "… · Memperluas Obsidian") start
    and end alike: cut in their middle, rows read "Obsidian Hea…Obsidian" six times over."""
    from notelink.query.answers import Related

    words = ("Extending", "Memperluas", "Estendere", "Extinderea")
    names = [f"Obsidian Headless · {w} Obsidian" for w in words]
    app = make_app(*indexed)
    for size in ((120, 32), (100, 30)):
        async with running(app, size) as pilot:
            app.query_one(RelatedPanel).show([Related(f"{n}.md", n, 0.1, False) for n in names], False, "")
            await pilot.pause()
            listing = app.query_one("#related", OptionList)
            rows = [str(o.prompt).partition("0.10")[2].strip() for o in listing.options]  # (after the score)
            room = listing.scrollable_content_region.width
            assert all("…" in r and len(r) <= room for r in rows), (room, rows)
            assert len(set(rows)) == len(rows), rows
            assert all(w in r for w, r in zip(("Exte", "Memp", "Este", "Exti"), rows, strict=True)), rows
        app = make_app(*indexed)


@sync
async def test_the_footer_keys_are_whole_and_the_palette_key_shows_at_every_width(indexed: tuple[Path, Path]
                                                                                  ) -> None:
    """Every key the footer shows is whole, none under the `^p palette` key, which shows at every width:
    at 100-111 columns keys ran under it (`z Undo l`, a stray letter after `palette`); under 112 it was left
    out, and at 80 the keys ran off the screen (`m` of Mentions). The keys that do not fit are left out
    from the end (the help and the palette list them)."""
    for width, last in ((60, "q"), (80, "r"), (100, "i"), (111, "m"), (112, "m"), (120, "z"), (140, "z")):
        assert await _footer_at(indexed, width) == last, width


@sync
async def test_the_footer_keys_are_whole_after_resizing_within_a_session(indexed: tuple[Path, Path]) -> None:
    """120 → 80 → 100 columns left the `^p palette` key of 120 in the footer, a stray letter drawn after it
    (a fresh app at 100 was fine)."""
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    app = make_app(*indexed)
    async with running(app, (120, 32)) as pilot:
        footer = app.query_one(Footer)
        for width, height in ((80, 24), (100, 30), (120, 32), (100, 30), (80, 24)):
            await pilot.resize_terminal(width, height)
            await settle(pilot, app)
            (palette,) = await _palette_key(pilot, footer, True)
            await wait_for(pilot, lambda: max(k.region.right for k in footer.query(FooterKey)
                                              if k.key != "ctrl+p") <= palette.region.x,  # noqa: B023
                           10, what=lambda: [(k.key, k.region) for k in footer.query(FooterKey)])
            assert palette.region.right <= width


async def _palette_key(pilot: Any, footer: Any, shown: bool) -> list[Any]:
    """The footer's `^p palette` key once it is `shown` (or not): [it], or []."""
    from textual.widgets._footer import FooterKey

    def keys() -> list[Any]:
        return [k for k in footer.query(FooterKey) if k.key == "ctrl+p" and k.display]
    await wait_for(pilot, lambda: bool(keys()) == shown, 10, what=lambda: (shown, keys()))
    return keys()


async def _footer_at(indexed: tuple[Path, Path], width: int) -> str:
    """The last key of the footer (the palette's aside), after checking that the keys are whole."""
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    app = make_app(*indexed)
    async with running(app, (width, 30)) as pilot:
        footer = app.query_one(Footer)
        await wait_for(pilot, lambda: any(k.key == "q" for k in footer.query(FooterKey)))
        await pilot.pause()
        (palette,) = await _palette_key(pilot, footer, True)
        keys = [k for k in footer.query(FooterKey) if k.key != "ctrl+p"]
        assert max(k.region.right for k in keys) <= palette.region.x < palette.region.right <= width, width
        return str(keys[-1].key)

"""The app's panels: the related panel tells weak related notes (long shots) from strong ones at a glance."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import OptionList, Static

from notelink.config import RelatedConfig
from notelink.tui.app import NotelinkApp, TuiConfig
from notelink.tui.screens import HELP_NOTES
from notelink.tui.widgets import RelatedPanel, fit_reason, wrapped_lines
from tests.conftest import FAST

from .helpers import open_note, running, sample_index, sync, wait_for


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return sample_index(tmp_path_factory.mktemp("widgets"))


def _dim(prompt: Text) -> bool:
    """The whole row is drawn dim."""
    return any(span.start == 0 and span.end >= len(prompt) and "dim" in str(span.style)
               for span in prompt.spans)


@sync
async def test_weak_related_notes_are_dim_and_the_panel_says_so(indexed: tuple[Path, Path]) -> None:
    vault, index_dir = indexed
    app = NotelinkApp(TuiConfig(vault=vault, index_dir=index_dir, train=FAST, watch=False))
    async with running(app, (140, 40)) as pilot:
        await open_note(pilot, app, "gardening/Compost.md")
        listing = app.query_one("#related", OptionList)
        await wait_for(pilot, lambda: listing.option_count == app.config.top)
        assert app.index is not None
        hits = app.index.related(app.index.by_path["gardening/Compost.md"], app.config.top)
        shown = [listing.get_option_at_index(k) for k in range(listing.option_count)]
        assert [o.id for o in shown] == [h.path for h in hits]
        assert [_dim(o.prompt) for o in shown] == [h.score < RelatedConfig().weak_below for h in hits]
        assert {h.weak for h in hits} == {False, True}  # (Compost lists both: gardening, then cooking)
        assert str(app.query_one(RelatedPanel).border_subtitle) == "↔ linked · dim: weak"  # (the legend)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: "HelpScreen" in type(app.screen).__name__)
        said = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "a dim related note scores below 0.05, a long shot" in " ".join(said.split())
        assert "dim related note" in HELP_NOTES


@sync
async def test_the_config_files_weak_below_sets_which_notes_are_dim(indexed: tuple[Path, Path]) -> None:
    """The config file's `[query] weak_below` (`TuiConfig.related`) decides the dim rows and what the help
    says of them, as it decides `related`'s `[weak]`."""
    vault, index_dir = indexed
    cut = 0.2
    app = NotelinkApp(TuiConfig(vault=vault, index_dir=index_dir, train=FAST, watch=False,
                                related=RelatedConfig(cut)))
    async with running(app, (140, 40)) as pilot:
        await open_note(pilot, app, "gardening/Compost.md")
        listing = app.query_one("#related", OptionList)
        await wait_for(pilot, lambda: listing.option_count == app.config.top)
        assert app.index is not None and app.index.reading == RelatedConfig(cut)
        hits = app.index.related(app.index.by_path["gardening/Compost.md"], app.config.top)
        shown = [listing.get_option_at_index(k) for k in range(listing.option_count)]
        assert [_dim(o.prompt) for o in shown] == [h.score < cut for h in hits]
        assert sum(h.score < cut for h in hits) > sum(h.score < RelatedConfig().weak_below for h in hits)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: "HelpScreen" in type(app.screen).__name__)
        said = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert f"a dim related note scores below {cut}, a long shot" in " ".join(said.split())


def test_a_reason_is_fitted_whole_items_at_a_time() -> None:
    reason = "because: dough, levain, flour; mentions Bread baking basics"
    assert fit_reason(reason, 30, 2) == reason  # two lines: whole
    assert fit_reason(reason, 28, 2) == "because: dough, levain, flour; …"  # not "mentions Bre…"
    assert fit_reason(reason, 28, 1) == "because: dough, levain, …"
    assert fit_reason("because: mentions Averyveryverylongtitle", 12, 1) == "because:…"
    assert fit_reason(reason, 0, 2) == reason  # (not laid out yet: fitted on the resize)
    assert [wrapped_lines(t, 3) for t in ("abc def", "abcdefg", "", "ab c", "a b")] == [2, 3, 1, 2, 1]


@sync
async def test_at_80_columns_the_reason_is_read_whole_on_two_lines(indexed: tuple[Path, Path]) -> None:
    """Under 100 columns the reason had one line, cut mid-word: "because: dough, levain, flo…"."""
    vault, index_dir = indexed
    app = NotelinkApp(TuiConfig(vault=vault, index_dir=index_dir, train=FAST, watch=False))
    async with running(app, (80, 24)) as pilot:
        await open_note(pilot, app, "cooking/Bread baking basics.md")
        listing = app.query_one("#related", OptionList)
        box = app.query_one("#because", Static)
        listing.focus()
        width, seen = box.content_region.width, []
        for _ in range(listing.option_count):
            await pilot.press("down")
            await wait_for(pilot, lambda: str(box.render()).startswith("because:"))
            await pilot.pause()
            reason, shown = app.query_one(RelatedPanel)._reason, str(box.render())
            seen.append(reason)
            if width < len(reason) and wrapped_lines(reason, width) == 2:
                assert shown == reason and box.size.height == 2, (shown, box.size)
                return
            assert shown == fit_reason(reason, width, 2) and box.size.height <= 2
        raise AssertionError(f"no reason of two lines at {width} cells: {seen}")

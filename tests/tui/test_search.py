"""Pilot tests for search mode (issue 18): `s` opens it, results come as you type, Enter opens the note at the
passage, Esc goes back, a fast typist gets results for what they typed last only, unknown words are said."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from notelink.query.results import NAMED_LEGEND
from notelink.query.search import Because, Hit, SearchResults
from notelink.tui.app import NotelinkApp
from notelink.tui.linebreak import Wrapped
from notelink.tui.noteview import NoteView
from notelink.tui.screens import HELP_KEYS
from notelink.tui.search import ResultList, SearchBox, SearchDone, Searches, SearchPane, because, summary

from .helpers import open_note, running, sample_index, settle, sync, wait_for
from .test_app import make_app
from .test_keys import typed

SIZE = (120, 35)
LONG = "astronomy/Zeppelin log.md"
LONG_TEXT = ("# Zeppelin log\n\n" + "".join(
    f"## Flight {i}\n\nClouds over the valley, a calm crossing, tea in the gondola.\n\n" for i in range(40))
    + "## The last flight\n\nThe airship was moored at the hangar in Friedrichshafen, where the ground crew "
      "walked it in by hand.\n\n" + "## Notes\n\nNothing else to say.\n")


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """sample_notes and a long note whose one passage about a hangar is far below its first screen."""
    return sample_index(tmp_path_factory.mktemp("search"), {LONG: LONG_TEXT})


def pane(app: NotelinkApp) -> SearchPane:
    return app.query_one(SearchPane)


def shown_for(app: NotelinkApp, query: str) -> bool:
    """The results on screen are the answer to `query` (the status line no longer says "Searching")."""
    p = pane(app)
    return p.shown is not None and p.shown.query == query and not p.query_one(ResultList).has_class("-stale")


async def search(pilot: Any, app: NotelinkApp, query: str) -> None:
    """`s`, then `query` typed into the box; waits until its results are on screen."""
    await pilot.press("s", *query)
    await wait_for(pilot, lambda: shown_for(app, query), what=lambda: status(app))


def hit_paths(app: NotelinkApp) -> list[str]:
    return [o.id or "" for o in app.query_one(ResultList).options]


def status(app: NotelinkApp) -> str:
    return str(app.query_one("#search-status").render())


@sync
async def test_s_opens_search_and_results_come_as_you_type(indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        app.query_one("#notes").focus()
        await pilot.pause()
        assert app.screen.active_bindings["s"].binding.description == "Search"  # in the footer
        assert any(key == "s" for key, _ in HELP_KEYS)  # and the help
        await pilot.press("s")
        assert pane(app).display and not app.query_one("#main").display
        assert isinstance(app.focused, SearchBox)
        await pilot.press(*"sourdough starter")
        await wait_for(pilot, lambda: shown_for(app, "sourdough starter"), what=lambda: status(app))
        assert "cooking/Sourdough starter.md" in hit_paths(app)
        assert status(app).startswith(f"{len(hit_paths(app))} notes for 'sourdough starter'")
        hit = next(h for h in pane(app).hits if h.path == "cooking/Sourdough starter.md")
        assert hit.snippet is not None and hit.snippet.spans and hit.because.words
        prompt = app.query_one(ResultList).get_option("cooking/Sourdough starter.md").prompt
        text = str(prompt)
        assert "Sourdough starter" in text and hit.snippet.text in text
        assert "because: its name  ·  " + ", ".join(hit.because.words) in text  # (the query is its title)
        marked = [text[s.start:s.end] for s in prompt.content.spans if "underline" in str(s.style)]
        assert marked == [hit.snippet.text[a:b] for a, b in hit.snippet.spans]  # the matched words marked
        assert {"sourdough", "starter"} <= {w.casefold() for w in marked}


@sync
async def test_a_note_the_query_names_is_marked_and_a_words_forms_are_said_as_forms(
        indexed: tuple[Path, Path]) -> None:
    """As the CLI: `[named]` by the note the query names (and what it means over the results), and
    `tomatoes (form of tomato)`, not `brought in: tomatoes ← tomato` as if the model had brought it in."""
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        await search(pilot, app, "sourdough starter")
        named = [h.path for h in pane(app).hits if h.because.named]
        assert named == ["cooking/Sourdough starter.md"] and NAMED_LEGEND in status(app)
        results = app.query_one(ResultList)
        assert "Sourdough starter  cooking  [named]" in str(results.get_option(named[0]).prompt)
        assert all("[named]" not in str(results.get_option(p).prompt) for p in hit_paths(app)[1:])
        await pilot.press("escape")
        await search(pilot, app, "tomato")
        text = str(app.query_one(ResultList).get_option("gardening/Growing tomatoes.md").prompt)
        assert "tomatoes (form of tomato)" in text and "tomatoes ← tomato" not in text
        assert NAMED_LEGEND not in status(app)


@sync
async def test_enter_opens_the_note_at_the_passage(indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        before = app.current
        await search(pilot, app, "hangar friedrichshafen")
        assert hit_paths(app)[0] == LONG
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.current == LONG)
        await settle(pilot, app)
        view = app.query_one(NoteView)
        assert not pane(app).display and app.query_one("#main").display and app.focused is view
        line = next(y for y, c in enumerate(view.lines) if "Friedrichshafen" in c.plain)
        top, height = round(view.scroll_y), view.scrollable_content_region.height
        assert top > 0 and top <= line < top + height, (top, line, height)
        await pilot.press("left_square_bracket")  # the note opened is in the history like any other
        await wait_for(pilot, lambda: app.current == before)


@sync
async def test_at_80_columns_enter_opens_the_note_at_its_width_and_passage(
        indexed: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The note was put in the note view while the search pane still hid it: laid out 20 cells wide
    (tmux, 80x24: "I feed at a ratio of" a line), and at times left so, no resize coming to lay it out
    again. It is shown once the note view is back, at its width."""
    app = make_app(*indexed)
    widths: list[int] = []
    real = NoteView.show

    def show(view: NoteView, *args: Any, **kw: Any) -> None:
        real(view, *args, **kw)
        widths.append(view._layout.width)

    monkeypatch.setattr(NoteView, "show", show)
    async with running(app, (80, 24)) as pilot:
        await search(pilot, app, "sourdough starter feed")
        hit = pane(app).hits[0]
        assert hit.snippet is not None
        widths.clear()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.current == hit.path)
        await settle(pilot, app)
        view = app.query_one(NoteView)
        assert widths == [view.scrollable_content_region.width] and widths[0] > 40, widths
        first = " ".join(hit.snippet.text.split()[:4])
        line = next(y for y, c in enumerate(view.lines) if first in " ".join(c.plain.split()))
        top, height = round(view.scroll_y), view.scrollable_content_region.height
        assert top <= line < top + height, (top, line, height)


@sync
async def test_enter_opens_the_note_at_the_hits_line_when_the_passages_words_are_not_on_screen(
        indexed: tuple[Path, Path]) -> None:
    """A snippet with no word the note view shows (it was a table's `| --- |` row) opened the note at its
    top."""
    from dataclasses import replace

    from notelink.query.snippets import Snippet

    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        await search(pilot, app, "hangar friedrichshafen")
        assert hit_paths(app)[0] == LONG
        at = LONG_TEXT.splitlines().index("## The last flight") + 1
        pane(app).hits[0] = replace(pane(app).hits[0], snippet=Snippet("…" + "-" * 60 + "…", [], at))
        await _opens_scrolled_to(pilot, app, LONG, "The last flight")


@sync
async def test_enter_typed_with_the_query_opens_its_first_result(indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        typed(app, "s", *"hangar friedrichshafen", "enter")  # one read: before any answer came
        await wait_for(pilot, lambda: app.current == LONG)
        assert not pane(app).display and app.focused is app.query_one(NoteView)


@sync
async def test_down_then_enter_opens_the_highlighted_result(indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        await search(pilot, app, "kimchi")
        paths = hit_paths(app)
        assert len(paths) >= 2 and "cooking/Kimchi.md" in paths
        await pilot.press("down")
        results = app.query_one(ResultList)
        assert app.focused is results and results.highlighted == 0
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: app.current == paths[1])
        await pilot.press("s")  # search again: the last query and its results are still there
        assert isinstance(app.focused, SearchBox) and app.focused.value == "kimchi"
        assert hit_paths(app) == paths


@sync
async def test_esc_goes_back_to_where_the_user_was(indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        await open_note(pilot, app, "cooking/Kimchi.md")
        related = app.query_one("#related", OptionList)
        related.focus()
        related.highlighted = 1
        await search(pilot, app, "telescope")
        await pilot.press("down", "k")  # typing in the results goes on typing the query ("k" is not the
        assert app.query_one(SearchBox).value == "telescopek"  # lists' nor the app's key there)
        await pilot.press("escape")
        assert not pane(app).display and app.query_one("#main").display
        assert app.focused is related and related.highlighted == 1 and app.current == "cooking/Kimchi.md"
        await pilot.press("s", "down", "escape")  # Esc from the results list too
        assert not pane(app).display and app.focused is related


@sync
async def test_typing_fast_gives_results_for_the_last_query_only(indexed: tuple[Path, Path],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(*indexed)
    shown: list[str] = []
    real = SearchPane._show

    def record(self: SearchPane, results: SearchResults | None, line: str) -> None:
        if results is not None:
            shown.append(results.query)
        real(self, results, line)

    monkeypatch.setattr(SearchPane, "_show", record)
    async with running(app, SIZE) as pilot:
        theme = app.theme
        query = "kimchi fermentation outdoors"  # (e, r, t, u, o... are keys of the app outside the box)
        typed(app, "s", *query)  # one read from the terminal
        await wait_for(pilot, lambda: shown_for(app, query), what=lambda: (status(app), shown))
        await settle(pilot, app)
        assert app.query_one(SearchBox).value == query and shown[-1] == query
        assert len(shown) < len(query)  # debounced: not a search per keystroke
        assert app.is_running and not app.unlinked and app.theme == theme and not app.builds.running
        assert hit_paths(app)[0] in ("cooking/Kimchi.md", "cooking/Fermentation.md")


@sync
async def test_editing_keys_typed_fast_apply_where_they_were_typed(indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        typed(app, "s", *"kimchy", "backspace", "i", "home", "delete", "k")  # one read
        await wait_for(pilot, lambda: shown_for(app, "kimchi"), what=lambda: app.query_one(SearchBox).value)
        assert "cooking/Kimchi.md" in hit_paths(app)


@sync
async def test_an_older_query_answer_is_never_shown(indexed: tuple[Path, Path],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A slow search for "kim" is still running when "kimchi" is typed: its answer never reaches the list,
    not when its worker ends, nor when an answer for it arrives late."""
    app = make_app(*indexed)
    started, release, finished = threading.Event(), threading.Event(), threading.Event()
    real = Searches.search

    def slow_for_kim(self: Searches, index: Any, vault: Path, query: str, top: int) -> SearchResults:
        if query == "kim":
            started.set()
            release.wait(30)
            finished.set()
        return real(self, index, vault, query, top)

    handled: list[tuple[int, str]] = []
    real_done = SearchPane.on_search_done

    def done(self: SearchPane, message: SearchDone) -> None:
        real_done(self, message)
        handled.append((message.serial, message.query))

    monkeypatch.setattr(Searches, "search", slow_for_kim)
    monkeypatch.setattr(SearchPane, "on_search_done", done)
    async with running(app, SIZE) as pilot:
        await pilot.press("s", *"kim")
        await wait_for(pilot, started.is_set, what="the search for 'kim' to start")
        old_serial = pane(app).serial
        await pilot.press(*"chi")
        await wait_for(pilot, lambda: shown_for(app, "kimchi"))
        paths = hit_paths(app)
        release.set()
        await wait_for(pilot, finished.is_set)
        await settle(pilot, app)
        late = SearchResults("kim", [], ["kim"])
        pane(app).post_message(SearchDone(old_serial, "kim", late))  # an answer that comes after all
        await wait_for(pilot, lambda: (old_serial, "kim") in handled)
        assert shown_for(app, "kimchi") and hit_paths(app) == paths and "kimchi" in status(app)


@sync
async def test_unknown_words_are_said(indexed: tuple[Path, Path]) -> None:
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        await search(pilot, app, "flibbertigibbet quux")
        assert status(app) == ("No notes for 'flibbertigibbet quux'  ·  not in any note's text (code aside): "
                               "flibbertigibbet, quux")
        assert hit_paths(app) == []
        await pilot.press("enter")  # nothing to open: search mode stays
        assert pane(app).display and isinstance(app.focused, SearchBox)
        await pilot.press(*" kimchi")  # a known word with them: results, and the unknown ones still said
        await wait_for(pilot, lambda: shown_for(app, "flibbertigibbet quux kimchi"))
        assert "cooking/Kimchi.md" in hit_paths(app)
        assert status(app).endswith("not in any note's text (code aside): flibbertigibbet, quux")


@sync
async def test_a_word_only_in_code_is_not_said_to_be_in_no_note(indexed: tuple[Path, Path]) -> None:
    """programming/Logging.md writes `getLogger` in a code block only; the line said "no note uses"."""
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        await search(pilot, app, "getLogger")
        said = "No notes for 'getLogger'  ·  not in any note's text (code aside): getlogger (logger?)"
        assert status(app) == said


@sync
async def test_a_query_of_a_stop_word_says_so(indexed: tuple[Path, Path]) -> None:
    """`a` (one letter: dropped by the tokenizer before stop words were looked at) said no reason; the CLI
    and the app say it from the same `reasons.no_words`."""
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        await search(pilot, app, "a")
        assert status(app) == "No notes for 'a'  ·  no words to search for (only common words)"


def test_the_line_over_the_results_and_the_reasons_of_a_hit() -> None:
    hit = Hit("k.md", "Kimchi", 0.5, None, Because(["cabbage"], [("weeks", "cabbage")], ["cabbage"]))
    assert because(hit) == "cabbage  ·  brought in: weeks ← cabbage  ·  named near: cabbage"
    assert because(Hit("k.md", "K", 0.1, None, Because())) == ""
    predicted = Hit("k.md", "K", 0.1, None, Because(["cabbage"], predicted=["brine", "jar"]))
    assert because(predicted) == "cabbage  ·  predicted: brine, jar"
    forms = Hit("t.md", "T", 0.1, None,
                Because(["tomato"], [("kubernetes", "k8s")], forms=[("tomatoes", "tomato")]))
    assert because(forms) == "tomato  ·  tomatoes (form of tomato)  ·  brought in: kubernetes ← k8s"
    assert summary(SearchResults(" cabbage ", [hit], ["cabbage"])) == "1 note for 'cabbage'"
    assert summary(SearchResults("the of", [], [], [], ["the", "of"])) == \
        "No notes for 'the of'  ·  no words to search for (only common words)"
    assert summary(SearchResults("#nope", [], [], unmatched=["#nope"])) == \
        "No notes for '#nope'  ·  no note matches: #nope"
    assert summary(SearchResults("zorb cabbage", [hit, hit], ["cabbage"], ["zorb"])) == \
        "2 notes for 'zorb cabbage'  ·  not in any note's text (code aside): zorb"
    assert summary(SearchResults("kimchee", [], [], ["kimchee"], suggestions={"kimchee": ["kimchi"]})) == \
        "No notes for 'kimchee'  ·  not in any note's text (code aside): kimchee (kimchi?)"
    assert summary(SearchResults("office hours 2022", [hit], ["office", "hours"], ignored=["2022"])) == \
        "1 note for 'office hours 2022'  ·  numbers left out: 2022"  # as `notelink search` says it


@sync
async def test_a_snippet_after_cjk_text_keeps_its_latin_words_whole(tmp_path: Path) -> None:
    """At 80x24 a snippet `…土壌と堆肥と水。tomatoes compost soil.` was wrapped as `…水。tomato` / `es compost
    soil.`: the widget's wrap breaks at spaces only, and cut the one run without a space where the width
    ended."""
    text = "良い土壌には堆肥が必要です。トマトは堆肥を好みます。土壌と堆肥と水。tomatoes compost soil."
    vault, index_dir = sample_index(tmp_path, {"土壌と堆肥.md": f"# 土壌と堆肥\n\n{text}\n"})
    app = make_app(vault, index_dir)
    async with running(app, (80, 24)) as pilot:
        await search(pilot, app, "堆肥")
        assert hit_paths(app)[0] == "土壌と堆肥.md"
        results = app.query_one(ResultList)
        await wait_for(pilot, lambda: "compost" in " ".join(_rows(results)), what=lambda: _rows(results))
        rows = _rows(results)
        assert any(row.startswith("tomatoes compost") or row.endswith("水。tomatoes") for row in rows), rows
        assert not any(row.endswith("tomato") for row in rows), rows


def _rows(results: ResultList) -> list[str]:
    """The result list's rows as drawn, trailing spaces dropped."""
    return [results.render_line(y).text.rstrip() for y in range(results.size.height)]


@sync
async def test_a_last_word_being_typed_searches_for_the_words_it_starts(indexed: tuple[Path, Path]) -> None:
    """`dou`, on its way to `dough`, said "No notes for 'dou' · not in any note's text" while it was typed;
    as you type, a last word in no note stands for the vault's words it starts (the CLI's query path,
    `prefix`); a word no vault word starts is still said to be in none."""
    app = make_app(*indexed)
    async with running(app, SIZE) as pilot:
        await search(pilot, app, "dou")
        assert "cooking/Pizza dough.md" in hit_paths(app) and "not in any" not in status(app), status(app)
        assert "dough" in pane(app).shown.words  # type: ignore[union-attr]
        await pilot.press("x")
        await wait_for(pilot, lambda: shown_for(app, "doux"), what=lambda: status(app))
        assert status(app).startswith("No notes for 'doux'  ·  not in any note's text (code aside): doux")


MARKED = "animals/Marsupials.md"
MARKED_TEXT = ("# Marsupials\n\n"
               + "".join(f"## Day {i}\n\nGrass, shade and a slow afternoon.\n\n" for i in range(40))
               + "## Islands\n\n> [!note] Seen twice\n> - The **quokka** lives on _Rottnest_ Island, see "
                 "[[Sourdough starter|the wombat notes]].\n")


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """sample_notes and a note whose one passage, far below its first screen, is a callout's list item."""
    return sample_index(tmp_path_factory.mktemp("marked"), {MARKED: MARKED_TEXT})


@sync
async def test_a_snippet_shows_the_text_not_its_markdown_and_enter_opens_it(
        marked: tuple[Path, Path]) -> None:
    """A new user's sweep: snippets showed `**bold**`, `> ` and `- `; read as the note reads, Enter still
    opens the note at the passage."""
    app = make_app(*marked)
    async with running(app, SIZE) as pilot:
        await search(pilot, app, "quokka rottnest")
        assert hit_paths(app)[0] == MARKED
        hit = pane(app).shown.hits[0]  # type: ignore[union-attr]
        assert hit.snippet is not None
        assert hit.snippet.text == "Seen twice • The quokka lives on Rottnest Island, see the wombat notes."
        await _opens_scrolled_to(pilot, app, MARKED, "quokka")


async def _opens_scrolled_to(pilot, app, note: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Enter opens `note` with the line holding `text` in view, below the top."""
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.current == note)
    await settle(pilot, app)
    view = app.query_one(NoteView)
    line = next(y for y, c in enumerate(view.lines) if text in c.plain)
    top, height = round(view.scroll_y), view.scrollable_content_region.height
    assert top > 0 and top <= line < top + height, (top, line, height)


class _Results(App[None]):
    """A result list 10 rows high, to fill with more results than it shows."""

    CSS = "ResultList { height: 10; width: 40; border: none; }"

    def compose(self) -> Any:
        yield ResultList()


@sync
async def test_a_results_last_words_show_when_the_scrollbar_takes_their_room() -> None:
    """On the whole obsidian-help vault, a result's `because` line that just fitted the list's width ended
    "named near:", its last word cut: the list measured each result's lines before it had a scrollbar, and
    drew them two cells narrower once the results filled it, one line more than measured (a resize, which
    measures again, showed the word). Here a line that fits the list without its scrollbar, not beside it."""
    app = _Results()
    async with app.run_test(size=(60, 12)) as pilot:
        results = app.query_one(ResultList)
        await wait_for(pilot, lambda: results.scrollable_content_region.width)
        line = "because: " + "w" * (results.scrollable_content_region.width - 16) + " zebra"
        results.add_options(Option(Wrapped(Content(f"result {i}\n{line}")), id=str(i)) for i in range(6))
        await wait_for(pilot, lambda: results.show_vertical_scrollbar)
        await pilot.pause()
        rows = _rows(results)
        assert rows[:4] == ["result 0", line[:-6], "zebra", "result 1"], rows

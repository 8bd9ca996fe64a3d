"""The side panels' content (`details`): weak related notes are listed (drawn dim), concepts used in passing
are left out, and the panels say so."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest
from textual.widgets import OptionList

from notelink.index.build import build_index
from notelink.query.answers import NoteInfo, Related, Scored, SimilarWords
from notelink.query.index import Index
from notelink.query.reasons import NO_WORD_OF_IT, ONLY_NOTE
from notelink.query.words import RELIABLE_COUNT
from notelink.tui.details import MIN_WEIGHT, DetailsCache
from notelink.tui.screens import ConceptScreen

from ..conftest import FAST
from .helpers import open_note, running, sync, wait_for
from .test_app import indexed, make_app

__all__ = ["indexed"]  # the fixture, shared with test_app


class FakeIndex:
    """What DetailsCache asks of an index, with scores on both sides of the floors."""

    by_path: ClassVar[dict[str, NoteInfo]] = {"a.md": NoteInfo(0, "a.md", "A", [], [])}

    def related(self, note: NoteInfo, top: int, unlinked: bool = False) -> list[Related]:
        return [Related("b.md", "B", 0.31, False, ["sync", "mentions: A"]),
                Related("c.md", "C", 0.01, False, weak=True)]

    def concepts(self, note: NoteInfo, top: int) -> list[Scored]:
        return [Scored("sync", 0.5), Scored("the", 0.004)]


def test_weak_related_notes_are_kept_and_concepts_under_the_floor_left_out() -> None:
    assert 0.004 < MIN_WEIGHT < 0.5
    cache = DetailsCache(FakeIndex(), 12)  # type: ignore[arg-type]
    d = cache.details("a.md")
    assert [(r.path, r.weak) for r in d.related] == [("b.md", False), ("c.md", True)]
    assert [c.word for c in d.concepts] == ["sync"]
    assert cache.reason("a.md", d.related[0]) == "because: sync; mentions A"


@sync
async def test_only_weak_suggestions_are_listed_and_weak_concept_notes_say_so(
        indexed: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    real = Index.related

    def weak(self: Index, note: NoteInfo, top: int = 10, unlinked: bool = False) -> list[Related]:
        return [Related(r.path, r.title, 0.02, r.linked, weak=True) for r in real(self, note, top, unlinked)]

    monkeypatch.setattr(Index, "related", weak)
    monkeypatch.setattr(Index, "notes_for_word", lambda self, word, top=10: [
        Related(n.path, n.title, 0.001, False) for n in self.notes[:3]])
    app = make_app(*indexed)
    async with running(app, (120, 35)) as pilot:
        lines = app.query_one("#related", OptionList).options
        assert len(lines) == 12 and not any(line.disabled for line in lines)  # (each drawn dim)
        assert app.index is not None
        app.push_screen(ConceptScreen(app.index, app.index.words[0], 12, app.names))

        def listed() -> Any:
            found = app.screen.query("#concept-notes")
            return found and found.first(OptionList).option_count and found.first(OptionList).options

        await wait_for(pilot, listed)
        (line,) = listed()
        assert str(line.prompt).startswith("no note where") and line.disabled


@sync
async def test_a_concept_without_similar_words_says_why_as_notelink_similar_does(
        indexed: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The concept view said "no similar words" (or a rarity line of its own) where `notelink similar` says
    why: too rare, no other word frequent enough, none used like it (`SimilarWords.reason`)."""
    app = make_app(*indexed)
    async with running(app, (120, 35)) as pilot:
        index = app.index
        assert index is not None
        rare = next(w for w, n in zip(index.words, index.word_counts, strict=True) if n < RELIABLE_COUNT)
        found = index.similar_words(rare, 12)
        assert not found.similar and found.reason  # what `notelink similar --json` says in `reason`
        shown = _shown_similar(await _concept(pilot, app, rare))
        assert shown == f"seen {found.count} times: {found.reason}"
        app.pop_screen()
        common = next(w for w, n in zip(index.words, index.word_counts, strict=True) if n >= RELIABLE_COUNT)
        why = ("no word seen 10 times or more is used like it: its cosine with each of the 3 such words "
               "is 0 or below")
        monkeypatch.setattr(Index, "similar_words",
                            lambda self, word, top=10: SimilarWords(word, 40, True, "", [], why))
        assert _shown_similar(await _concept(pilot, app, common)) == f"seen 40 times: {why}"


async def _concept(pilot: Any, app: Any, word: str) -> ConceptScreen:
    """The concept view of `word`, once its similar words are listed."""
    app.push_screen(ConceptScreen(app.index, word, 12, app.names))

    def listed() -> Any:
        found = app.screen.query("#similar-words")
        return isinstance(app.screen, ConceptScreen) and found and found.first(OptionList).option_count

    await wait_for(pilot, listed)
    screen = app.screen
    assert isinstance(screen, ConceptScreen)
    return screen


def _shown_similar(screen: ConceptScreen) -> str:
    """The one line of the concept view's similar words, when there are none."""
    (line,) = screen.query_one("#similar-words", OptionList).options
    assert line.disabled
    return str(line.prompt)


@sync
async def test_empty_panels_say_why_as_the_cli_does_short(make_vault, tmp_path: Path) -> None:
    """The related and concepts panels of a note with none said "no related notes yet" and "no concepts for
    this note", where `notelink related` says why (`reason`): they say it too now, short (`query.reasons`)."""
    vault = make_vault({"Bread.md": "# Bread\n\nflour water salt levain crumb\n",
                        "Rye.md": "# Rye\n\nrye flour water salt levain\n", "the.md": "the and of it is\n"})
    build_index(vault, tmp_path / "ix", FAST)
    app = make_app(vault, tmp_path / "ix")
    async with running(app, (120, 35)) as pilot:
        await open_note(pilot, app, "the.md")  # (stop words only)
        assert _empty_line(app, "#related") == f"no related notes:\n{NO_WORD_OF_IT.short}"
        assert _empty_line(app, "#concepts") == f"no concepts:\n{NO_WORD_OF_IT.short}"
        await pilot.press("u")
        await wait_for(pilot, lambda: _empty_line(app, "#related").startswith("no unlinked related notes:\n"))
    (vault / "Rye.md").unlink()
    (vault / "the.md").unlink()
    build_index(vault, tmp_path / "ix2", FAST)
    app = make_app(vault, tmp_path / "ix2")
    async with running(app, (120, 35)):
        assert _empty_line(app, "#related") == f"no related notes:\n{ONLY_NOTE.short}"


def _empty_line(app: Any, listing: str) -> str:
    """The one line of an empty side panel."""
    (line,) = app.query_one(listing, OptionList).options
    assert line.disabled
    return str(line.prompt)

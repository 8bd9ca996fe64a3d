"""One bad note must never stop an index (issue 15, items 6 and 7): each note of the pathological corpus is
indexed, or skipped with a reason, by the code a build runs on one note (`records._parse_safely`).

Each runs in a forked child under a CPU limit of 30 s, a hang guard far above the 2 s budget (the budget
itself is measured by benchmarks/parse_budget.py, not here): before the fix, the quadratic cases ran for
minutes to hours and the alias bombs grew past 900 MB.
"""

from __future__ import annotations

import multiprocessing
import resource
from multiprocessing.connection import Connection

import pytest

import notelink.notes.note as note_module
from notelink.config import IndexConfig
from notelink.notes.note import parse_note
from notelink.notes.parsednote import MARKDOWN_EMBED, Link
from notelink.notes.records import NoteRecord, Parsed, _parse_safely
from notelink.notes.vault import RawNote

from .pathological import CASES

GUARD_CPU_S = 30


def _child(name: str, send: Connection) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (GUARD_CPU_S, GUARD_CPU_S + 1))
    text = CASES[name]()
    send.send(_parse_safely(RawNote("case.md", text, "0", len(text), 0.0), IndexConfig()))
    send.close()


def _parsed(name: str) -> Parsed:
    """The case's record or skip, from a child process that the CPU guard kills if it hangs."""
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(name, send))
    proc.start()
    send.close()
    try:
        return recv.recv()  # type: ignore[no-any-return]
    except EOFError:
        proc.join()
        pytest.fail(f"{name}: no result (exit code {proc.exitcode}; over the {GUARD_CPU_S} s CPU guard?)")
    finally:
        proc.join()
        recv.close()


@pytest.mark.parametrize("name", list(CASES))
def test_every_pathological_note_is_indexed_or_skipped_with_a_reason(name: str) -> None:
    out = _parsed(name)
    if isinstance(out, NoteRecord):
        assert out.path == "case.md"
    else:
        assert out.reason and not out.reason.startswith("failed"), out.reason


def test_alias_bombs_lose_the_front_matter_not_the_note() -> None:
    for key in ("aliases", "tags", "title"):
        n = parse_note(CASES[f"alias bomb in {key}"](), "bomb")
        assert n.paragraphs == ["The body survives."] and n.aliases == [] and n.tags == []
        assert "YAML aliases" in n.warning and n.title == "bomb"


def test_a_few_aliases_are_fine() -> None:
    n = parse_note("---\nnames: &n [One, Two]\naliases: *n\n---\nbody", "f")
    assert n.aliases == ["One", "Two"] and n.warning == ""


def test_impossible_date_keeps_the_note_and_its_front_matter() -> None:
    n = parse_note(CASES["impossible date"](), "f")
    assert (n.title, n.tags, n.paragraphs, n.warning) == ("Kept", ["a"], ["The body is kept."], "")


def test_nested_lists_and_mappings_name_no_aliases() -> None:
    n = parse_note("---\naliases: [[x, y], z, 3]\ntags: {a: 1}\n---\nbody", "f")
    assert n.aliases == ["z", "3"] and n.tags == []


def test_unreadable_front_matter_keeps_the_body() -> None:
    n = parse_note(CASES["front matter bigint"](), "f")
    assert n.paragraphs == ["body"] and "cannot be read" in n.warning


def test_wikilink_scanning_stops_at_the_line_and_the_first_close() -> None:
    n = parse_note("[[a\nb]] [[]] [[x]]] ![[e|shown]] [[[[y]]", "f")
    assert n.links == [Link("x"), Link("e", "embed"), Link("[[y")]


def test_a_long_note_is_read_as_plain_text_past_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    text = ("# Title\n\nIntro with [[Early]].\n\n" + "filler words here\n" * 20
            + "## Late heading\n```\n[[NotALink]] #nottag\n```\n"
            + "See [[Late|shown]], ![[pic.png]], [md](Other.md) and ![img](i.md) #late `code` <b>bold</b>\n")
    full = parse_note(text, "f")
    monkeypatch.setattr(note_module, "MARKDOWN_BUDGET", 60)
    cut = parse_note(text, "f")
    assert "parsing budget" in cut.warning and "plain text" in cut.warning
    assert cut.title == full.title == "Title"
    assert set(cut.links) == set(full.links) == {Link("Early"), Link("Late"), Link("pic.png", "embed"),
                                                 Link("Other.md", "markdown"), Link("i.md", MARKDOWN_EMBED)}
    assert cut.tags == full.tags == ["late"]
    assert "Late heading" in cut.headings
    for gone in ("NotALink", "nottag", "code", "img"):
        assert gone not in cut.text
    assert "shown" in cut.text and "bold" in cut.text and "md" in cut.text


def test_a_fence_open_at_the_cut_stays_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(note_module, "MARKDOWN_BUDGET", 20)
    n = parse_note("intro\n```\ncode [[NotALink]]\n" + "more code\n" * 5 + "```\nafter [[Real]]\n", "f")
    assert n.links == [Link("Real")] and "code" not in n.text


def test_text_past_the_plain_budget_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(note_module, "MARKDOWN_BUDGET", 10)
    monkeypatch.setattr(note_module, "PLAIN_CHARS", 40)
    n = parse_note("first line\n\nsecond [[Kept]] line\n\n" + "x" * 50 + " [[Lost]]\n", "f")
    assert n.links == [Link("Kept")] and "left out" in n.warning


def test_a_short_part_of_a_long_note_is_said_in_characters_not_0_kb(monkeypatch: pytest.MonkeyPatch) -> None:
    """A title, then one line longer than the budget: the warning read "its first 0 KB read as Markdown"."""
    monkeypatch.setattr(note_module, "MARKDOWN_BUDGET", 3000)
    n = parse_note("# Title\n" + "word " * 1000 + "\n", "f")
    assert "its first 8 characters read as Markdown, the next 5 KB as plain text" in n.warning
    assert "0 KB" not in n.warning
    monkeypatch.setattr(note_module, "PLAIN_CHARS", 4000)
    n = parse_note("# Title\n" + "word " * 801 + "\n", "f")  # (4 characters past PLAIN_CHARS: left out)
    assert n.warning.endswith("the last 14 characters left out (parsing budget)")
    assert note_module.read_in_part(n.warning)

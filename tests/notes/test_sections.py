"""A note's top-level blocks as CommonMark reads them: headings in code are no headings, a fence left open
runs to the end, `---` after a list item is a thematic break."""

from __future__ import annotations

import pytest

from notelink.notes import sections
from notelink.notes.sections import Part, heading_key, parts


@pytest.fixture(autouse=True, params=["markdown-it", "line by line"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test reads its notes both ways: with markdown-it-py, and line by line as a long note is."""
    if request.param == "line by line":
        monkeypatch.setattr(sections, "MARKDOWN_CHARS", 0)


def test_headings_breaks_lists_and_fences_with_their_offsets() -> None:
    text = "# A\n\n- one\n- two\n\n---\n```\n# code\n```\nB\n=\n"
    assert [(p.kind, text[p.start : p.stop]) for p in parts(text)] == [
        ("heading", "# A\n"), ("list", "- one\n- two\n"), ("hr", "---\n"), ("fence", "```\n# code\n```\n"),
        ("heading", "B\n=\n")]
    assert [(p.level, p.text, p.setext) for p in parts(text) if p.kind == "heading"] == [
        (1, "A", False), (1, "B", True)]


def test_a_fence_never_closed_runs_to_the_end() -> None:
    for text, fence in (("a\n\n```py\nx\n## no\n", "```"), ("~~~~\nx\n~~~\n", "~~~~"), ("```\n```x", "```")):
        (*_, last) = parts(text)
        assert last.kind == "fence" and last.open_fence == fence and last.stop == len(text)
    assert parts("```\nx\n````\n")[0].open_fence == ""


def test_front_matter_crlf_and_nested_blocks() -> None:
    text = "---\nt: x\n---\r\n## H\r\n\r\n> # quoted\r\n- # in a list\r\n"
    found = parts(text)
    assert found[0] == Part("heading", text.index("## H"), text.index("\r\n> "), 2, "H")
    assert [p.kind for p in found] == ["heading", "other", "list"]  # (no heading inside a quote or list)
    assert heading_key("  See   ALSO ") == "see also"


def test_a_setext_underline_follows_a_paragraph_not_a_list_item() -> None:
    text = "- [[a]]\n---\nSee\nalso\n---\n\n    # indented code\n"
    assert [(p.kind, p.text) for p in parts(text)] == [("list", ""), ("hr", ""), ("heading", "See\nalso"),
                                                       ("other", "")]


def test_a_long_note_is_read_line_by_line_in_linear_time() -> None:
    text = "- x\n" * 100_000 + "\n## See also\n\n```\n"
    assert len(text) > sections.MARKDOWN_CHARS
    *_, heading, fence = parts(text)
    assert heading.text == "See also" and fence.open_fence == "```"

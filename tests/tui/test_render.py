"""Known-answer tests for Markdown laid out as lines (`render`): what each kind of block looks like."""

from __future__ import annotations

from notelink.tui.render import lay_out, parse


def lines(markdown: str, width: int = 40) -> list[str]:
    return [line.plain.rstrip() for line in lay_out(parse(markdown), width).lines]


def test_paragraphs_wrap_and_headings_stand_apart() -> None:
    assert lines("# Title\n\nsome words that wrap around at twenty columns here", 20) == [
        "       Title", "", "some words that wrap", "around at twenty", "columns here"]
    laid = lay_out(parse("## A\n\ntext\n\n### B *em*\n"), 30)
    assert laid.headings == [(2, "A", 0), (3, "B em", 4)]


def test_lists_nest_number_and_hang_their_indent() -> None:
    md = "- one two three four five six\n- two\n  - inner\n\n3. x\n4. y\n"
    assert lines(md, 16) == ["• one two three", "  four five six", "• two", "  ◦ inner", "",
                             "3. x", "4. y"]
    assert lines("- a\n\n- b\n") == ["• a", "", "• b"]  # a loose list keeps its blank lines


def test_code_quotes_rules_and_tables() -> None:
    assert lines("```\ncode  line\n```\n", 20) == [" code  line"]
    assert lines("> quoted text\n", 20) == ["▌ quoted text"]
    assert lines("---\n", 5) == ["─────"]
    table = "| name | n |\n|:--|--:|\n| apple | 3 |\n| kiwi | 12 |\n"
    assert lines(table) == ["name  │  n", "──────┼───", "apple │  3", "kiwi  │ 12"]
    assert lines("| a | b |\n|---|---|\n| " + "x" * 60 + " | y |\n", 20)[2].endswith("… │ y")


def test_links_are_clickable_and_say_where_they_go() -> None:
    (line,) = lay_out(parse("see [the note](notelink:Kimchi) and <https://x.org>"), 60).lines
    actions = {line.plain[s.start:s.end]: s.style.meta["@click"] for s in line.spans
               if not isinstance(s.style, str) and "@click" in s.style.meta}
    assert actions == {"the note": "open_link('notelink:Kimchi')", "https://x.org": "open_link('https://x.org')"}
    assert lines("![alt text](img.png)") == ["🖼 alt text"]

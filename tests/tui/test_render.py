"""Known-answer tests for Markdown laid out as lines (`render`): what each kind of block looks like."""

from __future__ import annotations

from notelink.tui.render import Table, lay_out, parse
from notelink.tui.text import FOOTNOTE


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


WIDE_TABLE = ("| col a | col b | col c | col d | col e | col f | col g |\n|---|---|---|---|---|---|---|\n"
              "| tomatoes compost | soil | mulch water sunlight | more text here | and more "
              "| and more and more | final column text |\n")
"""The tester's table: 114 cells wide on one line a row."""


def test_a_table_that_fits_is_shown_whole() -> None:
    out = lines(WIDE_TABLE, 120)
    assert len(out) == 3 and "…" not in "".join(out)
    assert out[2] == ("tomatoes compost │ soil  │ mulch water sunlight │ more text here │ and more │ "
                      "and more and more │ final column text")


def test_a_table_too_wide_for_the_view_wraps_its_cells_instead_of_cutting_them() -> None:
    """Each cell was cut to a few characters with an ellipsis (`to… │ so… │ mu…`), even at 200 columns."""
    out = lines(WIDE_TABLE, 64)
    assert "…" not in "".join(out) and all(len(line) <= 64 for line in out)
    columns = [[row.split("│")[c].strip() for row in out[2:]] for c in range(7)]  # the row's lines
    assert [" ".join(w for w in col if w) for col in columns] == [
        "tomatoes compost", "soil", "mulch water sunlight", "more text here", "and more", "and more and more",
        "final column text"]
    assert out[1].count("┼") == 6  # the rule under the header


def test_rows_of_several_lines_have_a_rule_between_them() -> None:
    table = "| a | b |\n|---|---|\n| one two three four | x |\n| five six seven | y |\n"
    assert lines(table, 16) == ["a          │ b", "───────────┼──", "one two    │ x", "three four │",
                                "───────────┼──", "five six   │ y", "seven      │"]


def test_a_table_that_cannot_fit_keeps_its_words_whole_and_is_wider_than_the_view() -> None:
    """Too narrow even for its longest words: the view scrolls sideways (`Laid.width`), no cell is cut."""
    laid = lay_out(parse(WIDE_TABLE), 40)
    out = [line.plain.rstrip() for line in laid.lines]
    assert laid.width == max(len(line) for line in out) > 40
    assert {"tomatoes", "compost", "sunlight", "column"} <= set(" ".join(out).split())
    assert lay_out(parse("some text\n\n| a | b |\n|--|--|\n| 1 | 2 |\n"), 40).width <= 40
    assert lay_out([Table([], [], [])], 40).width == 0  # (a table without cells: no lines at all)
    long = lines("| a | b |\n|---|---|\n| " + "x" * 60 + " | y |\n", 30)  # a word wider than a column is
    assert "".join(line.partition(" │")[0].strip() for line in long[2:]) == "x" * 60  # folded in it


def test_links_are_clickable_and_say_where_they_go() -> None:
    (line,) = lay_out(parse("see [the note](notelink:Kimchi) and <https://x.org>"), 60).lines
    actions = {line.plain[s.start:s.end]: s.style.meta["@click"] for s in line.spans
               if not isinstance(s.style, str) and "@click" in s.style.meta}
    assert actions == {"the note": "open_link('notelink:Kimchi')", "https://x.org": "open_link('https://x.org')"}
    assert lines("![alt text](img.png)") == ["📷 alt text"]


def test_an_images_mark_is_as_wide_in_every_terminal() -> None:
    """🖼 is 1 cell by Unicode's table (and Textual's), 2 in tmux: the note view's right border was pushed
    one cell right on every line with an image (dendron-site's and obsidian-help's many)."""
    import unicodedata

    from rich.cells import cell_len

    from notelink.tui.render import IMAGE

    assert unicodedata.east_asian_width(IMAGE) == "W" and cell_len(IMAGE) == 2


FOOTNOTES = ("Compost needs air.[^1] Worms help[^worms].\n\n"
             "[^1]: Howard, *The Soil and Health*.\n"
             "[^worms]: See the longer story\n    of worms, on two lines.\n")


def test_footnote_marks_and_definitions_read_as_a_reader_expects() -> None:
    """The marks were shown as written (`[^1]`) and the definitions as raw text run together."""
    assert lines(FOOTNOTES, 40) == [
        "Compost needs air.[1] Worms help[worms].", "",
        "── Footnotes ───────────────────────────",
        "[1] Howard, The Soil and Health.",
        "[worms] See the longer story of worms,", "        on two lines."]
    laid = lay_out(parse(FOOTNOTES), 40)
    assert laid.footnotes == {"1": 3, "worms": 4}  # where a mark's click scrolls to
    mark = laid.lines[0].spans
    assert any(s.start == 18 and s.end == 21 and s.style == ".noteview--footnote" for s in mark)
    click = [s.style for s in mark if s.start == 18 and not isinstance(s.style, str)]
    assert click and click[0].meta == {"@click": f"open_link({FOOTNOTE + '1'!r})"}


def test_a_mark_is_a_footnotes_when_the_note_defines_it_in_any_piece() -> None:
    """A long note is parsed in pieces (`chunks`): its marks are far from the definitions at its end. A mark
    the note does not define reads as written (as Obsidian shows it), and so does `[^abc]` in prose."""
    assert lines("A claim.[^1] A class [^abc].\n") == ["A claim.[^1] A class [^abc]."]
    laid = lay_out(parse("A claim.[^1] A class [^abc].\n", footnotes={"1"}), 40)
    assert [line.plain.rstrip() for line in laid.lines] == ["A claim.[1] A class [^abc]."]
    assert lines("[^long-label-here]: the text\n", 20) == [
        "── Footnotes ───────", "[long-label-here]", "  the text"]  # (a wide mark on a line of its own)


def test_code_wraps_after_punctuation_with_a_mark_and_loses_nothing() -> None:
    """Code was folded at the width in the middle of names; a wrapped line now starts with `↪`."""
    code = "```\ndef a_function(argument_one, argument_two): return argument_one\n```\n"
    assert lines(code, 30) == [" def a_function(argument_one,", "↪argument_two): return", "↪argument_one"]

"""Known-answer tests for breaking lines (`linebreak`): Latin words stay whole, CJK text breaks between its
characters (never before closing punctuation), text without CJK wraps exactly as Textual wraps it."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content

from notelink.tui.linebreak import fold_code, wrap

CJK_THEN_LATIN = "良い土壌には堆肥が必要です。トマトは堆肥を好みます。土壌と堆肥と水。tomatoes compost soil."


def lines(text: str, width: int) -> list[str]:
    return [line.plain for line in wrap(Content(text), width)]


def test_a_latin_word_after_cjk_text_is_never_cut_in_two() -> None:
    for width in range(10, 90):
        out = lines(CJK_THEN_LATIN, width)
        assert "".join(out).replace(" ", "") == CJK_THEN_LATIN.replace(" ", ""), width
        words = " ".join(out).split()
        assert "tomatoes" in " ".join(words).replace("。", " ").split(), (width, out)
        assert all(Content(line).cell_length <= width for line in out), (width, out)
    assert lines(CJK_THEN_LATIN, 74) == [CJK_THEN_LATIN.partition("t")[0], "tomatoes compost soil."]


def test_cjk_text_breaks_between_characters_but_not_before_closing_punctuation() -> None:
    out = lines("良い土壌には堆肥が必要です。トマト", 12)
    assert out == ["良い土壌には", "堆肥が必要で", "す。トマト"]
    assert lines("土壌と堆肥。", 10) == ["土壌と堆", "肥。"]  # (the 。 goes down with 肥, never alone)


def test_text_without_cjk_wraps_as_textual_wraps_it() -> None:
    text = Content("A very long unbroken token: " + "a" * 50 + " end. and some more words to wrap")
    for width in (8, 20, 33):
        assert [line.plain for line in wrap(text, width)] == [line.plain for line in text.wrap(width)]


def test_line_breaks_in_the_text_are_kept_and_spans_follow_their_characters() -> None:
    text = Content("score 堆肥\n" + CJK_THEN_LATIN).stylize("bold", 6, 8)
    out = wrap(text, 40)
    assert [line.plain for line in out][::2] == ["score 堆肥", "を好みます。土壌と堆肥と水。tomatoes"]
    assert [out[0].plain[s.start:s.end] for s in out[0].spans] == ["堆肥"]
    assert out[-1].plain == "compost soil." and len(out) == 4


def test_a_line_of_code_breaks_after_spaces_or_punctuation_and_keeps_every_character() -> None:
    """Code was folded at the width, in the middle of names (`a_long_na` / `me(argument`)."""
    line = "    return some_other_function(argument_one) + another_function_name(argument_two, key=True)"
    pieces = fold_code(line, 30)
    assert "".join(pieces) == line and all(cell_len(p) <= 30 for p in pieces)
    assert pieces == ["    return ", "some_other_function(", "argument_one) + ", "another_function_name(",
                      "argument_two, key=True)"]
    assert fold_code("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]  # no place to break: at the width
    assert fold_code("        " + "y" * 12, 10) == ["        yy", "y" * 10]  # (never a line of spaces alone)
    assert fold_code("表" * 7, 6) == ["表表表", "表表表", "表"]  # wide characters by their cells

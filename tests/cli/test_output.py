"""Text output: a list kept to 80 columns (`one_line`), wide characters counted as two; counts of notes."""

from notelink.cli.output import columns, notes, one_line

LEAD = " " * 10 + "because: "


def test_a_list_that_fits_is_said_whole() -> None:
    assert one_line(LEAD, ["mentions: Compost", "soil"]) == LEAD + "mentions: Compost, soil"
    assert one_line(LEAD, []) == LEAD


def test_a_list_too_long_keeps_the_items_that_fit_whole_then_an_ellipsis() -> None:
    items = ["mentions: A rather long title of a note", "soil", "mentions: Another long title here", "x"]
    line = one_line(LEAD, items)
    assert line == LEAD + "mentions: A rather long title of a note, soil, …" and columns(line) <= 80


def test_a_first_item_too_long_for_the_line_is_cut() -> None:
    line = one_line(LEAD, ["mentions: " + "word " * 30, "soil"])
    assert line.startswith(LEAD + "mentions: word word") and line.endswith("…") and columns(line) == 80


def test_wide_characters_take_two_columns() -> None:
    assert columns("堆肥") == 4 and columns("Cafe\u0301") == 4  # (a combining accent takes none)
    line = one_line(LEAD, ["mentions: " + "堆肥" * 20, "土"])
    assert columns(line) <= 80 and line.endswith("…") and columns(line) >= 79


def test_notes_are_counted_in_the_singular_for_one() -> None:
    assert [notes(n) for n in (0, 1, 2, 2322)] == ["0 notes", "1 note", "2 notes", "2,322 notes"]

"""Known-answer tests for a note's text laid out piece by piece (no widget): the same lines whatever the
order pieces are laid out in (the tail ahead of the rest, a new width)."""

from __future__ import annotations

from notelink.tui.notelayout import NoteLayout

NOTE = "# Log\n\n" + "".join(f"## Day {i}\n\nRain again, then sun on the beds by noon.\n\n"
                             for i in range(200))


def whole(layout: NoteLayout) -> list[str]:
    while layout.rendering:
        layout.next()
    return [line.plain for line in layout.laid.lines]


def test_pieces_laid_out_one_by_one_make_the_whole_note() -> None:
    layout = NoteLayout(NOTE, width=40)
    assert len(layout.chunks) > 2 and layout.rendering and layout.line_count == 0
    assert layout.next() is None and 0 < layout.line_count < 600
    lines = whole(layout)
    assert lines[0].strip() == "Log" and lines[-1] == "noon."  # (wrapped at 40)
    assert layout.height == layout.line_count and [h[1] for h in layout.laid.headings][:2] == ["Log", "Day 0"]


def test_the_tail_laid_out_ahead_is_replaced_by_the_same_lines() -> None:
    expected = whole(NoteLayout(NOTE, width=40))
    layout = NoteLayout(NOTE, width=40)
    layout.next()
    layout.lay_out_tail(10)
    tail = layout.tail
    assert tail is not None and len(tail.lines) >= 10 and layout.height == tail.end
    assert [line.plain for line in tail.lines] == expected[-len(tail.lines):]
    found = layout.line(tail.at)
    assert found is not None and found[0] == -1 and found[1].plain == tail.lines[0].plain
    spliced = None
    while layout.rendering:
        spliced = layout.next() or spliced
    assert spliced is tail and layout.tail is None
    assert [line.plain for line in layout.laid.lines] == expected


def test_a_new_width_lays_the_same_pieces_out_again() -> None:
    layout = NoteLayout(NOTE, width=80)
    whole(layout)
    piece, share = layout.position(layout.starts[3] + 1)
    assert piece == 3 and 0 < share < 1
    layout.relay(30)
    assert layout.line_count == 0 and layout.width == 30
    assert whole(layout) == whole(NoteLayout(NOTE, width=30))


def test_a_long_notes_marks_are_footnotes_though_defined_pieces_later() -> None:
    """The definitions are at the note's end, pieces after its marks; the definitions run on across a cut
    under one Footnotes rule."""
    text = "A claim.[^1]\n\n" + NOTE + "".join(f"[^{i}]: Source {i}.\n\n" for i in range(1, 400))
    layout = NoteLayout(text, width=40)
    assert len(layout.chunks) > 3
    lines = whole(layout)
    assert lines[0].rstrip() == "A claim.[1]" and lines.count("── Footnotes " + "─" * 27) == 1
    at = layout.laid.footnotes
    assert list(at) == [str(i) for i in range(1, 400)] and lines[at["1"]].startswith("[1] Source 1.")
    assert lines[at["399"]].startswith("[399] Source 399.") and at["399"] == len(lines) - 1

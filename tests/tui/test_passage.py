"""Known-answer tests for finding a search hit's passage among the note view's laid-out lines."""

from __future__ import annotations

from notelink.tui.passage import Passage, passage_line, words

LINES = [
    "Sourdough",
    "",
    "Feed the starter twice a day with",
    "equal weights of flour and water.",
    "",
    "• Keep it warm: the starter likes",
    "  25 °C, see the levain note.",
]


def test_words_fold_case_and_drop_markdown_marks() -> None:
    assert words("**Feed** the [[Levain|starter]]'s jar!") == ["feed", "the", "levain", "starter", "s", "jar"]


def test_a_passage_is_found_across_wrapped_lines() -> None:
    passage = Passage.of("Feed the starter twice a day with equal weights of flour and water.")
    assert passage_line(LINES, passage) == 2


def test_words_only_in_the_source_do_not_stop_the_match() -> None:
    # the snippet is the source: a link's target is in it, not on screen
    passage = Passage.of("- Keep it warm: the [[Sourdough starter|starter]] likes 25 °C")
    assert passage_line(LINES, passage) == 5


def test_marked_words_only_when_asked_and_no_run_matches() -> None:
    passage = Passage.of("…a levain jar, glass not plastic…", [(3, 9)])
    assert passage.marked == ["levain"]
    assert passage_line(LINES, passage) is None  # (the rest of the note may still hold the run)
    assert passage_line(LINES, passage, marked=True) == 6


def test_no_such_passage() -> None:
    assert passage_line(LINES, Passage.of("nothing of this is here")) is None
    assert passage_line([], Passage.of("feed the starter")) is None
    assert passage_line(LINES, Passage.of("")) is None


def test_a_passage_without_words_on_screen_falls_back_to_the_hits_line() -> None:
    """A table's rule row as the snippet: no word of it is on screen; the note's line where it starts is."""
    table = ["Sourdough", "", "Flour  │ Water  │ Salt", "───────┼────────┼─────", "500 g  │ 350 g  │ 10 g"]
    passage = Passage.of("…------------------------------…", line="| Flour | Water | Salt |")
    assert passage.words == [] and passage.line == ["flour", "water", "salt"]
    assert passage_line(table, passage) is None  # (the rest of the note may still hold it)
    assert passage_line(table, passage, marked=True) == 2
    assert passage_line(table, Passage.of("---", line="| Salt |"), marked=True) == 2  # one word is enough
    own_words_first = Passage.of("feed the starter", line="| Salt |")
    assert passage_line(LINES, own_words_first, marked=True) == 2


def test_a_snippet_of_marked_up_text_is_found_where_the_note_view_shows_it() -> None:
    """Snippets read as the note does (`snippets.as_read`): the passage is still found, at its own line (the
    callout's title, `Tip`, is the note view's, not the snippet's)."""
    from notelink.query.snippets import snippet

    text = "# Bread\n\n> [!tip]\n> Feed it **twice**\n> - Keep the _jar_ warm, see [[Levain|the levain]].\n"
    s = snippet(text, {"jar": 1.0, "levain": 1.0})
    assert s is not None and s.text == "Feed it twice • Keep the jar warm, see the levain." and s.line == 3
    lines = ["Bread", "", "Tip", "Feed it twice", "• Keep the jar warm, see the", "  levain."]
    assert passage_line(lines, Passage.of(s.text, s.spans, "> [!tip]")) == 3

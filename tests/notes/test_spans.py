"""Where names appear in a note's prose: known answers, what is never a mention, and linear time."""

from __future__ import annotations

import pytest

from notelink.notes.spans import find_names, protected

NOTE = """---
title: Kimchi notes
aliases: [Kimchi]
---
# Kimchi at home
Kimchi is fermented. See [[Kimchi]], `Kimchi`, [Kimchi](k.md), https://x.org/Kimchi and KIMCHI.
kimchis is not the name; Kimchi-like and (Kimchi) hold it.
    indented after a paragraph: Kimchi (a list continuation, prose)

    indented after a blank line: Kimchi (code)
```python
Kimchi = 1
```
<!-- Kimchi in a comment --> %% Kimchi %% $$Kimchi$$ <span title="Kimchi">x</span>
"""


def test_known_answers_and_what_is_never_a_mention() -> None:
    found = [(s.line, s.column, s.text) for s in find_names(NOTE, ["Kimchi"])]
    assert found == [(6, 1, "Kimchi"), (6, 89, "KIMCHI"), (7, 26, "Kimchi"), (7, 43, "Kimchi"),
                     (8, 33, "Kimchi")]


def test_case_accents_normalisation_and_spacing_are_ignored() -> None:
    text = "Cafe\u0301 au lait; CAFÉ; cafe; the  Sourdough\n  starter; sourdoughstarter"
    assert [s.text for s in find_names(text, ["Café"])] == ["Cafe\u0301", "CAFÉ", "cafe"]
    assert [s.text for s in find_names(text, ["Sourdough starter"])] == ["Sourdough\n  starter"]


def test_names_in_scripts_without_spaces_match_inside_words() -> None:
    text = "今日は音階の練習をした。"
    (span,) = find_names(text, ["音階"])
    assert (span.start, span.end, span.column) == (3, 5, 4)


def test_the_longer_of_overlapping_names_wins_and_offsets_are_exact() -> None:
    text = "I grow Growing tomatoes and tomatoes.\r\nTomatoes again"
    spans = find_names(text, ["Tomatoes", "Growing tomatoes"])
    assert [(s.text, s.name) for s in spans] == [("Growing tomatoes", "Growing tomatoes"),
                                                 ("tomatoes", "Tomatoes"), ("Tomatoes", "Tomatoes")]
    assert all(text[s.start:s.end] == s.text for s in spans)
    assert spans[-1].line == 2 and spans[-1].line_text == "Tomatoes again"


@pytest.mark.parametrize("opener", ["<!--", "%%", "$$", "`", "[[", "[", "```\n"])
def test_a_note_of_unclosed_openers_is_scanned_in_linear_time(opener: str) -> None:
    """A megabyte of unclosed delimiters: each is looked for once (a quadratic scan would take minutes)."""
    text = (opener + " Kimchi ") * 100_000
    spans = protected(text)
    assert all(a < b for a, b in spans)
    find_names(text, ["Kimchi"])


def test_a_dotted_name_is_one_name_not_its_parts() -> None:
    text = "garden.compost is the key input. In the garden. Compost, then garden.compost.md and v1.garden"
    spans = find_names(text, ["garden", "compost", "garden.compost"])
    assert [(s.text, s.name) for s in spans] == [("garden.compost", "garden.compost"), ("garden", "garden"),
                                                 ("Compost", "compost")]

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


def test_tags_inline_math_and_templater_are_no_prose() -> None:
    """`#compost`, `#garden/compost`, `$Compost$` and Templater's `<% %>`/`<%* %>` (across lines too) are
    markup a link would break; `$5 and $10` is no math, and emphasis (`_Compost_`) is prose."""
    text = ("4. <% tp.file.title %> x <%* tR += \"Compost\" %>\n5. $Compost$ math, $x + Compost$ too\n"
            "6. #compost tag and #garden/compost nested, #project.compost and (#compost)\n"
            "<%*\nconst t = \"Compost\";\n%>\n"
            "7. Compost costs $5 and Compost $10; _Compost_ and __Compost__ and **Compost** and *Compost*\n"
            "8. not_Compost_ nor my_compost_bin, but compost.\n")
    found = [(s.line, s.column, s.text) for s in find_names(text, ["Compost"])]
    assert found == [(7, 4, "Compost"), (7, 25, "Compost"), (7, 39, "Compost"), (7, 54, "Compost"),
                     (7, 70, "Compost"), (7, 85, "Compost"), (8, 41, "compost")], found


@pytest.mark.parametrize("opener", ["<%", "$", "#"])
def test_a_note_of_unclosed_math_and_templater_is_scanned_in_linear_time(opener: str) -> None:
    text = (opener + "Kimchi ") * 100_000
    assert all(a < b for a, b in protected(text))
    find_names(text, ["Kimchi"])


def test_math_never_pairs_across_code() -> None:
    """A `$$` in a fence or a code span paired with a `$$` or `$` in prose: the names between were no
    mentions; math, comments and Templater marks in code open nothing."""
    text = ("```\necho $$\n```\nCompost one.\n`$$` and Compost two.\n$$Compost in math$$\n"
            "`$x` Compost three $y$ and `%%` Compost four %% and `<%` Compost five %>.\n")
    found = [(s.line, s.text) for s in find_names(text, ["Compost"])]
    assert found == [(4, "Compost"), (5, "Compost"), (7, "Compost"), (7, "Compost"), (7, "Compost")], found

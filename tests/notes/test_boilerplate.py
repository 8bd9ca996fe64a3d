"""Boilerplate detection: paragraphs repeated verbatim across many notes."""

from notelink.notes.boilerplate import find_boilerplate, without_boilerplate


def test_repeated_paragraphs_are_boilerplate() -> None:
    footer = ["created", "daily", "template"]
    notes = [[["bread", "flour"], footer], [["stars", "telescope"], footer], [["soil"], footer],
             [["moon"], ["bread", "flour"]]]
    boiler = find_boilerplate(notes, share=0.01)
    assert boiler == {tuple(footer)}  # in 3 notes; ("bread", "flour") only in 2
    assert without_boilerplate(notes[0], boiler) == ["bread", "flour"]


def test_share_raises_the_threshold_on_big_vaults() -> None:
    notes = [[["x"]]] * 3 + [[["y"]]] * 97
    assert find_boilerplate(notes, share=0.05) == {("y",)}

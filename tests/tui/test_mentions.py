"""The mentions list's rows: each mention's number among its target's in its note, and the words around it."""

from notelink.tui.mentions import excerpt, mention_label, mention_number


def test_mention_numbers_count_each_target_in_its_note() -> None:
    from notelink.api import Mention

    ms = [Mention("a.md", "b.md", 1, 1, "b", ""), Mention("a.md", "c.md", 2, 1, "c", ""),
          Mention("a.md", "b.md", 3, 1, "b", "")]
    assert [mention_number(ms, m) for m in ms] == [1, 1, 2]


def test_a_mention_is_shown_with_the_words_around_it() -> None:
    from notelink.api import Mention

    line = "A rule of thumb: sow twice the seed's diameter. Keep the compost moist but never waterlogged."
    at = line.index("compost")
    assert excerpt(line, at, 7) == ("…diameter. Keep the ", " moist but never…")
    assert excerpt("compost here", 0, 7) == ("", " here")
    m = Mention("a/Seeds.md", "b/Compost.md", 3, at + 1, "compost", line)
    names = {"a/Seeds.md": "Seeds", "b/Compost.md": "Compost"}.__getitem__
    shown = mention_label(m, True, names).plain
    assert shown == "→ Compost  3:58  …diameter. Keep the compost moist but never…"
    assert mention_label(m, False, names).plain.startswith("Seeds  3:58  …diameter.")

"""The words a note writes with a capital where no sentence starts (known answers)."""

from __future__ import annotations

from notelink.notes import capitals
from notelink.notes.capitals import capitalised


def test_a_capital_mid_sentence_is_kept_and_one_at_a_sentence_start_is_not() -> None:
    text = "Open it in Canvas. Settings are kept; see Bookmarks! Graph shows it: Search finds it"
    assert capitalised([text], "en") == ["canvas", "bookmarks"]


def test_openings_between_a_sentence_end_and_its_first_word_change_nothing() -> None:
    starts = ['Done. "Canvas" opens. (Settings) too. **Search** here', "  - Sync works"]
    assert capitalised(starts, "en") == []
    assert capitalised(['it opens "Canvas" and (Settings) and **Search**'], "en") == [
        "canvas", "settings", "search"]


def test_a_capital_after_the_first_letter_counts_anywhere_and_lower_case_never() -> None:
    assert capitalised(["iOS and GitHub work. GitHub too", "the canvas, a sync"], "en") == ["ios", "github"]


def test_a_line_start_is_a_sentence_start_and_stop_words_are_no_names() -> None:
    assert capitalised(["first line\nSecond line and The end"], "en") == []


def test_each_word_once_in_order_of_first_use_and_at_most_the_limit(monkeypatch) -> None:
    monkeypatch.setattr(capitals, "CAPITALS_MAX", 2)
    assert capitalised(["see Zotero, then Canvas, then Zotero and Sync"], "en") == ["zotero", "canvas"]


def test_a_language_that_capitalises_every_noun_keeps_its_nouns_as_any_other_its_names() -> None:
    """German nouns are kept as other languages' names are (their mentions count less: naming.NOUN_SHARE)."""
    assert capitalised(["Öffne die Lesezeichen im Menü"], "de") == ["lesezeichen", "menü"]
    assert capitalised(["apri i Segnalibri nel Menu"], "it") == ["segnalibri", "menu"]


def test_a_text_in_title_case_is_a_title_whose_capitals_say_nothing() -> None:
    """A list of titles (`- Getting Started With Sync`, `- Graph View and Canvas`) capitalises every word
    as a heading does: no word there is named by its capital, but one with a capital inside (`iOS`). A
    sentence with a capital or two is no title, nor a menu's path or a list of names."""
    titles = ["Getting Started With Sync", "Graph View and Canvas", "Use iOS and GitHub Sync"]
    assert capitalised(titles, "en") == ["ios", "github"]
    assert capitalised(["Go to Settings", "Open it in Canvas and draw"], "en") == ["settings", "canvas"]
    assert capitalised(["Open Settings → Sync.", "Zotero, Canvas and Publish"], "en") == [
        "settings", "sync", "canvas", "publish"]


def test_a_url_or_code_span_keeps_its_words_written_with_a_capital() -> None:
    from notelink.notes.capitals import capitalised_in_refs

    refs = ["https://github.com/SilentVoid13/Templater", "help.obsidian.md/canvas", "`runAll`"]
    assert capitalised_in_refs(refs, "en") == ["silentvoid13", "templater", "runall"]
    assert capitalised_in_refs(["https://x.com/2022/05/31/post", "issues/12345", "`FOO_BAR`"], "en") == []

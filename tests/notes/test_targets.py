"""Known-answer tests for what a link's target is before a note is looked up (`notes.targets`)."""

from notelink.notes.targets import SCHEME, is_attachment


def test_a_scheme_opens_a_url_not_a_path() -> None:
    assert [bool(SCHEME.match(h)) for h in ("https://x.org", "mailto:a@b", "obsidian://open", "Note.md",
                                            "../sub/Note.md", "#heading", "a b:c")] == [
        True, True, True, False, False, False, False]


def test_the_parser_and_the_app_share_the_one_scheme_rule() -> None:
    """The note parser and the app each had their own copy of the regex (sharing it through `links` made
    an import circle: links -> dialect -> note)."""
    from notelink.notes import inline, plaintext
    from notelink.tui import text

    assert inline.SCHEME is SCHEME and plaintext.SCHEME is SCHEME and text.SCHEME is SCHEME


def test_attachments_by_their_file_type() -> None:
    assert [is_attachment(t) for t in ("img/photo.PNG", "files/report.pdf#page=2", "Note", "Note.md",
                                       "Dr. Who", "diagram.excalidraw")] == [True, True, False, False, False,
                                                                             True]

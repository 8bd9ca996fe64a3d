"""Known-answer tests for cutting a note into pieces that render on their own (`chunks.split_chunks`)."""

from __future__ import annotations

from notelink.tui.chunks import footnote_labels, split_chunks
from notelink.tui.render import ListBlock, Paragraph, parse


def test_a_short_note_is_one_piece() -> None:
    assert split_chunks("# T\n\npara\n") == ["# T\n\npara\n"]
    assert split_chunks("") == [""]


def test_cuts_between_blocks_and_between_items_of_one_long_list() -> None:
    items = "".join(f"- [link {i}](https://example.org/{i}) - a description of it\n" for i in range(400))
    text = "# Links\n\nIntro.\n\n" + items
    pieces = split_chunks(text, first=200, size=1000)
    assert len(pieces) > 10 and "".join(pieces) == text
    assert all(p.startswith(("# Links", "- [link")) for p in pieces)
    assert sum(len(b.items) for p in pieces for b in parse(p) if isinstance(b, ListBlock)) == 400


def test_never_cuts_inside_code_quotes_tables_or_comments() -> None:
    code = "```\n" + "".join(f"- not an item {i}\n\nx\n" for i in range(50)) + "```\n"
    quote = "".join(f"> quoted {i}\n" for i in range(50)) + "\n"
    table = "| a | b |\n|---|---|\n" + "".join(f"| {i} | x |\n" for i in range(50)) + "\n"
    comment = "%%\n" + "".join(f"hidden {i}\n\n" for i in range(50)) + "%%\n\n"
    html = "<!-- ## Why\n\n" + "".join(f"hidden {i}\n\n" for i in range(50)) + "end -->\n\n"
    for block in (code, quote, table, comment, html):
        text = "para\n\n" + block + "\n- after\n\nlast\n"
        pieces = split_chunks(text, first=3, size=3)
        assert "".join(pieces) == text and len(pieces) == 4  # para | the block | - after | last
        assert pieces[1] == block + "\n"


def test_a_huge_block_is_cut_anyway_and_mended() -> None:
    code = "```python\n" + "x = 1\n" * 3000 + "```\n"
    pieces = split_chunks(code, first=100, size=100, force=1000)
    assert len(pieces) > 5
    assert all(p.startswith("```python\n") and p.endswith("```\n") for p in pieces)
    assert sum(p.count("x = 1") for p in pieces) == 3000
    table = "| a | b |\n|---|---|\n" + "".join(f"| {i} | x |\n" for i in range(500))
    pieces = split_chunks(table, first=100, size=100, force=1000)
    assert len(pieces) > 2 and all(p.startswith("| a | b |\n|---|---|\n") for p in pieces)


def test_an_ordered_list_cut_in_two_keeps_counting() -> None:
    text = "".join("1. item\n" for _ in range(300))  # numbered 1. 1. 1. ...: CommonMark counts on
    pieces = split_chunks(text, first=100, size=100)
    starts = [int(p.split(".", 1)[0]) for p in pieces]
    assert starts[0] == 1 and starts == sorted(starts) and len(set(starts)) == len(starts) > 5
    assert sum(p.count("item") for p in pieces) == 300


def test_reference_links_are_copied_into_every_piece() -> None:
    text = "".join(f"Para [ref] {i}.\n\n" for i in range(100)) + "[ref]: https://example.org\n"
    pieces = split_chunks(text, first=100, size=100)
    assert len(pieces) > 3
    for p in pieces:
        first = parse(p)[0]
        assert isinstance(first, Paragraph) and "ref" in first.text.plain and "[ref]" not in first.text.plain


def test_a_footnote_definition_is_shown_once_not_in_every_piece() -> None:
    """`[^1]: text` looked like a reference definition and was copied into every piece: a long note showed
    its footnotes after each piece."""
    text = ("word " * 700 + "[^1]\n\n") * 3 + "[^1]: The source.\n"
    chunks = split_chunks(text)
    assert len(chunks) > 2 and "".join(chunks) == text
    assert footnote_labels(text) == {"1"}  # (what makes the first piece's mark a footnote's: `NoteLayout`)
    assert footnote_labels("```\n[^2]: in code\n```\n  [^a-b]: x\n[^no space]: y\n") == {"a-b"}

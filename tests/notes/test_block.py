"""Known-answer tests for the managed block as text: placement, exact undo, refusals, safe links."""

import codecs

import pytest

from notelink.notes.block import (
    END,
    START,
    BlockError,
    find_block,
    remove,
    render,
    unmanaged_bytes,
    with_block_of,
    without_block,
)
from notelink.notes.blocktext import NoteText
from notelink.notes.links import Resolver, note_link
from notelink.notes.note import parse_note

LINES = ["- [[a]]", "- [[sub/b|B]]"]
BASES = ["", "one line", "ends with newline\n", "two\n\n", "crlf\r\nnote\r\n", "crlf no end\r\nx",
         "---\ntitle: T\n---\nbody\n", f"top\n\n{START}\n{END}\nbottom\n", f"a\r\n{START}\r\n\r\n{END}",
         f"{START}\n\n\n{END}\n"]


@pytest.mark.parametrize("base", BASES)
def test_render_then_remove_is_exact_and_idempotent(base: str) -> None:
    written = render(base, LINES)
    assert written != base and remove(written) == base and without_block(written) == base
    assert render(written, LINES) == written  # current: nothing to change
    rewritten = render(written, ["- [[c]]"])
    assert remove(rewritten) == base and "[[a]]" not in rewritten
    assert remove(base) == base  # nothing of notelink's: unchanged


def test_appended_at_end_with_the_notes_line_breaks() -> None:
    assert render("x", ["- [[a]]"]).startswith("x\n\n<!-- notelink:related:start placed=end sep=2 ")
    assert render("x\n", ["- [[a]]"]).startswith("x\n\n<!-- notelink:related:start placed=end sep=1 ")
    out = render("a\r\nb\r\n", ["- [[a]]"])
    assert out.endswith("\r\n- [[a]]\r\n" + END + "\r\n") and "\n" not in out.replace("\r\n", "")


def test_filled_where_the_user_put_the_markers() -> None:
    base = f"# T\n\nintro\n\n{START}\n{END}\n\n## Later\ntext\n"
    out = render(base, LINES)
    assert out.index("[[a]]") < out.index("## Later") and out.endswith("\n\n## Later\ntext\n")
    assert out.count(END) == 1 and "placed=user" in out


@pytest.mark.parametrize("text, reason", [
    (f"```\n{START}\n{END}\n```\n{START}\n{END}\n", "inside a code block"),
    (f"{START}\n{END}\n{START}\n{END}\n", "duplicated"),
    (f"{START}\nnot mine\n{END}\n", "did not write"),
    (f"x\n{START}\n", "end marker is missing"),
    (f"{END}\n{START}\n", "before the start"),
    ("text <!-- notelink:related:start -->\n", "damaged"),
    ("<!-- notelink:related:start placed=end sha=zz -->\n" + END + "\n", "damaged"),
])
def test_damaged_blocks_are_refused_never_repaired(text: str, reason: str) -> None:
    with pytest.raises(BlockError, match=reason):
        render(text, LINES)
    with pytest.raises(BlockError, match=reason):
        remove(text)
    assert without_block(text) == text


@pytest.mark.parametrize("text", [f"```\n{START}\n{END}\n```\n", f"~~~~md\n{START}\n~~~\n{END}\n~~~~\n"])
def test_markers_in_code_are_refused_for_writing_and_left_alone_by_undo(text: str) -> None:
    with pytest.raises(BlockError, match="inside a code block"):
        render(text, LINES)
    assert remove(text) == text and without_block(text) == text


def test_note_ending_in_an_unclosed_fence_is_refused() -> None:
    with pytest.raises(BlockError, match="never closed"):
        render("text\n```mermaid\ngraph\n", LINES)


def test_markers_after_a_closed_fence_count() -> None:
    base = f"```\ncode\n```\n{START}\n{END}\n"
    assert "placed=user" in render(base, LINES)


def test_edited_block_is_refused() -> None:
    written = render("note\n", LINES)
    for edited in (written.replace("[[a]]", "[[z]]"), written.replace("- [[a]]\n", "")):
        with pytest.raises(BlockError, match="edited by hand"):
            render(edited, LINES)
        with pytest.raises(BlockError, match="edited by hand"):
            remove(edited)


def test_moved_appended_block_is_refused() -> None:
    written = render("note", LINES)  # appended after two line breaks
    with pytest.raises(BlockError, match="around the block"):
        remove(written.replace("note\n\n", "note\n"))
    block_text = written[len("note\n\n"):]
    with pytest.raises(BlockError, match="around the block"):
        remove("x\n" + block_text + "note")


@pytest.mark.parametrize("nl", ["\n", "\r\n"])
def test_a_line_written_after_an_appended_block_keeps_its_place(nl: str) -> None:
    base = f"# Note{nl}my text{nl}"
    written = render(base, LINES)
    later = written + f"a line written after the block{nl}"
    refreshed = render(later, ["- [[b]]", "- [[c]]"])
    assert refreshed.startswith(base) and refreshed.endswith(f"{END}{nl}a line written after the block{nl}")
    assert "- [[b]]" in refreshed and "- [[a]]" not in refreshed
    assert render(refreshed, ["- [[b]]", "- [[c]]"]) == refreshed  # current: nothing to write
    # undo: the block's lines out, the blank line before it kept (else the line would join "my text")
    assert remove(refreshed) == base + f"{nl}a line written after the block{nl}"
    assert find_block(refreshed) is not None and not find_block(refreshed).edited  # type: ignore[union-attr]


@pytest.mark.parametrize(("base", "nl"), [("", "\n"), ("last line, no line break", "\n"),
                                          ("last line\n", "\n"), ("a\r\nlast line\r\n", "\r\n")])
def test_text_written_below_a_block_is_never_joined_to_the_note_by_undo(base: str, nl: str) -> None:
    written = render(base, LINES)
    assert remove(written) == base  # nothing below: exactly the note as it was
    later = written + f"written under the block{nl}"
    undone = remove(later)
    apart = base.rstrip("\r\n") + nl + nl if base else ""  # a blank line after what was there
    assert undone == apart + f"written under the block{nl}"
    assert parse_note(later, "f").paragraphs == parse_note(undone, "f").paragraphs


@pytest.mark.parametrize("nl", ["\n", "\r\n"])
def test_a_line_typed_right_above_an_appended_block_keeps_its_line_break(nl: str) -> None:
    """Undo took the user's line break for notelink's blank line (sep=1 checked one line break, not two):
    the note came back ending in `above the block.` with none."""
    base = f"# Alpha{nl}{nl}Sourdough bread.{nl}"
    written = render(base, LINES)
    start = written.index("<!-- notelink")
    typed = written[:start] + f"My line above the block.{nl}" + written[start:]
    assert remove(typed) == base + f"{nl}My line above the block.{nl}"
    no_blank = written[: start - len(nl)] + written[start:]  # the blank line before the block deleted
    assert remove(no_blank) == base


@pytest.mark.parametrize("nl", ["\n", "\r\n"])
def test_a_paragraph_appended_below_the_block_keeps_one_blank_line(nl: str) -> None:
    """`printf '\\nnew paragraph\\n' >> note` below the block, then undo: one blank line before the
    paragraph (the user's), not two (notelink's left behind)."""
    for base in (f"# Alpha{nl}text{nl}", f"# Alpha{nl}text"):
        later = render(base, LINES) + f"{nl}A new paragraph.{nl}"
        assert remove(later) == f"# Alpha{nl}text{nl}{nl}A new paragraph.{nl}"


def test_block_is_not_parsed_as_the_users_text_or_links() -> None:
    base = "# Title\n\nmy words [[Mine]]\n"
    written = render(base, ["- [[Other note|Other]]"])
    assert parse_note(written, "f") == parse_note(base, "f")
    assert find_block(written) is not None


@pytest.mark.parametrize("data", [
    b"plain\n", codecs.BOM_UTF8 + b"bom\r\n", b"caf\xe9 invalid utf-8", b"no final newline",
    codecs.BOM_UTF16_LE + "utf-16 le\r\n".encode("utf-16-le"),
    codecs.BOM_UTF16_BE + "utf-16 be".encode("utf-16-be"),
])
def test_bytes_outside_the_block_survive(data: bytes) -> None:
    note = NoteText.decode(data)
    written = note.encode(render(note.text, LINES))
    assert written.startswith(data) and written != data
    assert unmanaged_bytes(written) == data and unmanaged_bytes(data) == data
    assert note.encode(remove(NoteText.decode(written).text)) == data


def test_odd_utf16_is_refused() -> None:
    with pytest.raises(BlockError, match="not valid"):
        NoteText.decode(codecs.BOM_UTF16_LE + b"abc")


TITLES = ["a]]b", "x|y", "end --> here", "<!-- notelink:related:end -->", "../../etc/passwd", "a/b\\c",
          "[[nested]]", "line\nbreak", "%%comment%%", "#tag ^block", ""]


@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize("path", ["plain.md", "dir/x]]y.md", "a|b.md", "c --> d.md", "e#f^g.md",
                                  "<!-- notelink:related:end -->.md", "sp  ace.md"])
def test_links_with_hostile_titles_and_paths_stay_in_the_block(title: str, path: str) -> None:
    line = "- " + note_link(path, title)
    written = render("note\n", [line, "- [[safe]]"])
    block = find_block(written)
    assert block is not None and not block.edited and remove(written) == "note\n"
    listing = written[block.gap : block.end]
    assert listing.count("\n") == 2 and END not in listing and "-->" not in listing
    links = parse_note(listing, "x").links
    assert len(links) == 2
    resolver = Resolver([(path, title, []), ("safe.md", "safe", [])])
    if "#" not in path:  # a `#` in a file name reads as a heading link, in Obsidian too
        assert resolver.resolve(links[0].target, "", links[0].kind) == path


def test_with_block_of_moves_only_the_block_between_versions_of_a_note() -> None:
    """A note's own bytes with the block of another version of it: none, appended, or in the user's markers;
    None where that cannot be exact (the user wrote below an appended block)."""
    plain = "# N\n\nwords"
    appended = render(plain, ["- [[A]]"])
    edited = "# N\n\nwords, and more"
    assert with_block_of(edited, appended) == edited + appended[len(plain):]
    assert with_block_of(edited + appended[len(plain):], plain) == edited
    bare = f"# N\n\n{START}\n{END}\n\ntail\n"
    filled = render(bare, ["- [[A]]"])
    assert with_block_of(bare.replace("tail", "tail!"), filled) == filled.replace("tail", "tail!")
    assert with_block_of(filled, bare) == bare
    assert with_block_of(plain, filled) is None  # (no markers to fill)
    assert with_block_of(plain, appended + "below\n") is None

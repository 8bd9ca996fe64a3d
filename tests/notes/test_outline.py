"""notelink's block in a Logseq page: a Logseq block that Logseq's own saves leave findable and undoable.

Each round trip writes the block, lets Logseq save the page (`logseq_save.resave`: what Logseq's source
does to a page's file), finds the block and takes it out: the page must be what Logseq makes of the
user's page alone, byte for byte; without a save in between, the user's very bytes."""

import pytest

from notelink.config import DialectConfig
from notelink.notes import outline
from notelink.notes.block import (
    END,
    START,
    BlockError,
    may_hold_block,
    remove,
    render,
    render_outline,
    unmanaged_bytes,
    with_block_of,
    without_block,
)
from notelink.notes.dialect import parse_in
from notelink.notes.spans import find_names
from tests.notes.logseq_save import resave

LINES = ["- [[Compost]]", "- [[Crop rotation]]"]
OTHER = ["- [[Tomatoes]]"]
PAGES = {
    "bullets": "- Sow [[Tomatoes]] in March\n- Turn the heap\n\t- twice a month\n",
    "bullets, no final line break": "- one\n- two",
    "page properties": "title:: Garden plan\nalias:: Plan\n\n- Beds\n\t- north bed\n- Paths\n",
    "only page properties": "title:: X\n",
    "properties, no line break": "title:: X",
    "empty": "",
    "crlf": "- one\r\n- two\r\n",
    "nested last": "- a\n\t- b\n\t\t- c\n",
    "block properties": "- task\n  id:: 650a1b2c-1d2e-4f50-8a9b-0c1d2e3f4a5b\n  collapsed:: true\n\t- sub\n",
    "two-space outline": "- a\n  - b\n",
    "prose page": "# Heading\n\nSome prose.\n",
}


@pytest.mark.parametrize("page", PAGES.values(), ids=PAGES.keys())
def test_written_then_undone_gives_the_users_bytes(page: str) -> None:
    written = render_outline(page, LINES)
    assert written.startswith(page.rstrip("\r\n")) and "\n- Related notes" in "\n" + written
    assert remove(written) == page and without_block(written) == page
    assert unmanaged_bytes(written.encode()) == page.encode() and may_hold_block(written.encode())
    assert render_outline(written, LINES) == written  # current: not written again
    refreshed = render_outline(written, OTHER)
    assert "[[Compost]]" not in refreshed and remove(refreshed) == page


SAVED = {name: page for name, page in PAGES.items() if name != "prose page"}  # (`resave` reads outlines)


@pytest.mark.parametrize("page", SAVED.values(), ids=SAVED.keys())
@pytest.mark.parametrize("indent", ["\t", "  ", "    "])
def test_a_logseq_save_is_no_edit_and_undo_gives_logseqs_page(page: str, indent: str) -> None:
    saved = resave(render_outline(page, LINES), indent)
    found = outline.find(saved)
    assert found is not None and not found.edited
    assert render_outline(saved, LINES) == saved  # still current
    assert remove(saved) == resave(page, indent) and without_block(saved) == resave(page, indent)
    again = resave(render_outline(saved, OTHER), indent)  # refreshed, saved again
    assert "[[Tomatoes]]" in again and remove(again) == resave(page, indent)


def test_the_block_reads_as_logseq_writes_a_block() -> None:
    """Bullet, property under it indented by two spaces, links as children a tab in: Logseq's own
    layout, so that its save changes nothing but the line break at the end of the file."""
    written = render_outline("- a\n", LINES)
    assert written == ("- a\n- Related notes\n  notelink:: related sha=" + outline.find(written).sha +
                       "\n\t- [[Compost]]\n\t- [[Crop rotation]]\n")
    assert resave(written) == written.rstrip("\n")
    assert render_outline("- a\n  - b\n", LINES).endswith("\n  - [[Compost]]\n  - [[Crop rotation]]\n")


def test_a_folded_block_and_one_saved_with_timestamps_are_no_edit() -> None:
    saved = resave(render_outline("- a\n", LINES), collapsed=("Related notes",))
    assert "  collapsed:: true\n" in saved
    assert render_outline(saved, LINES) == saved and remove(saved) == "- a"
    refreshed = render_outline(saved, OTHER)
    assert "collapsed:: true" in refreshed and remove(refreshed) == "- a"
    stamped = saved.replace("collapsed:: true", "collapsed:: true\n  created-at:: 1700000000000")
    assert remove(stamped) == "- a"


def test_a_block_logseq_gave_an_id_is_not_taken_out() -> None:
    """`id::` means another block may refer to it (`((uuid))`): removing it would break the reference."""
    uuid = "650a1b2c-1d2e-4f50-8a9b-0c1d2e3f4a5b"
    for name in ("Related notes", "[[Compost]]"):
        saved = resave(render_outline("- a\n", LINES), ids={name: uuid})
        assert f"id:: {uuid}" in saved and render_outline(saved, LINES) == saved
        with pytest.raises(BlockError, match="block id"):
            remove(saved)
        assert without_block(saved) == "- a"  # (still not the user's text)
    with pytest.raises(BlockError, match="block id"):  # a link referred to: not replaced either
        render_outline(saved, OTHER)
    titled = resave(render_outline("- a\n", LINES), ids={"Related notes": uuid})
    refreshed = render_outline(titled, OTHER)  # the block's own id stays with it: its links may change
    sha = outline.find(refreshed).sha
    assert f"notelink:: related sha={sha}\n  id:: {uuid}\n\t- [[Tomatoes]]" in refreshed


def test_blocks_written_after_it_stay_and_it_is_refreshed_in_place() -> None:
    written = render_outline("- a\n", LINES)
    later = resave(written + "- written in Logseq after it\n")
    refreshed = render_outline(later, OTHER)
    assert refreshed.endswith("\t- [[Tomatoes]]\n- written in Logseq after it")
    assert remove(refreshed) == "- a\n- written in Logseq after it"


def test_a_block_edited_by_hand_is_refused() -> None:
    written = render_outline("- a\n", LINES)
    for edited in (written.replace("[[Compost]]", "[[Compost]] my note"), written + "\t- [[Mine]]\n",
                   written.replace("Related notes", "Related")):
        for change in (remove, lambda text: render_outline(text, OTHER)):
            with pytest.raises(BlockError, match="edited"):
                change(edited)


@pytest.mark.parametrize(("text", "reason"), [
    ("- a\n  notelink:: related sha=0123456789ab\n- b\n  notelink:: related sha=0123456789ab\n",
     "duplicated"),
    ("- a\n  notelink:: related sha=zz\n", "damaged"),
    ("notelink:: related sha=0123456789ab\n- a\n", "belongs to no block"),
])
def test_doubled_or_damaged_blocks_are_refused(text: str, reason: str) -> None:
    with pytest.raises(BlockError, match=reason):
        remove(text)
    with pytest.raises(BlockError, match=reason):
        render_outline(text, LINES)
    assert without_block(text) == text


def test_the_property_in_code_or_another_value_of_it_is_not_the_block() -> None:
    code = "- how notelink marks it:\n  ```\n  notelink:: related sha=0123456789ab\n  ```\n"
    mine = "- about this tool\n  notelink:: yes\n"
    for page in (code, mine):
        assert outline.find(page) is None and remove(page) == page
        assert remove(render_outline(page, LINES)) == page
    with pytest.raises(BlockError, match="code block"):
        render_outline("- open\n  ```\n  code\n", LINES)


def test_a_block_from_an_earlier_notelink_between_comments_is_replaced_and_undone() -> None:
    page = "- a\n"
    legacy = render(page, LINES)
    assert START[:-4] in legacy
    converted = render_outline(legacy, LINES)
    assert START[:-4] not in converted and outline.find(converted) is not None
    assert remove(converted) == page and remove(legacy) == page
    placed = f"- a\n{START}\n{END}\n- b\n"  # markers the user wrote: filled as they are
    assert "placed=user" in render_outline(placed, LINES) and remove(render_outline(placed, LINES)) == placed


def test_its_links_are_not_the_pages_and_its_title_is_no_mention() -> None:
    dialect = DialectConfig(name="logseq")
    page = "title:: Garden\n\n- Sow [[Tomatoes]] in March\n"
    note = parse_in(render_outline(page, LINES), "pages/Garden.md", dialect)
    assert [ln.target for ln in note.links] == ["Tomatoes"]
    assert find_names(render_outline(page, LINES), ["Related notes"]) == []


def test_a_links_undo_sees_only_the_block_changed() -> None:
    """`link --undo` after a block export refreshed the block: the page as before the link, its block as
    now (`with_block_of`)."""
    before, linked = render_outline("- a\n", LINES), render_outline("- a\n- b\n", LINES)
    now = render_outline(linked, OTHER)
    assert with_block_of(now, before) == linked  # what notelink wrote, found from the page now
    assert with_block_of(before, now) == render_outline("- a\n", OTHER)
    saved = resave(before)  # Logseq saved it: the block at the very end, no line break after it
    assert with_block_of("- a\n- b", saved) == resave(render_outline("- a\n- b\n", LINES))

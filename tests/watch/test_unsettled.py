"""Notes caught mid-save (empty or missing) are held back until they settle; a batch goes on once none is."""

from pathlib import Path

from notelink.watch.unsettled import Unsettled


def test_empty_and_missing_notes_are_held_the_rest_go_on(tmp_path: Path) -> None:
    (tmp_path / "full.md").write_text("# Full\n\nwords\n", encoding="utf-8")
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    notes = Unsettled(tmp_path, settle=60.0)
    assert notes.held(["full.md", "folder/"]) == []
    assert notes.held(["full.md", "empty.md", "gone.md"]) == ["empty.md", "gone.md"]
    first = notes.first_seen["empty.md"]
    assert notes.held(["empty.md"]) == ["empty.md"] and notes.first_seen["empty.md"] == first  # kept
    assert notes.until(["empty.md", "gone.md"]) == min(notes.first_seen.values()) + 60.0
    (tmp_path / "empty.md").write_text("saved\n", encoding="utf-8")
    assert notes.held(["empty.md", "gone.md"]) == ["gone.md"] and "empty.md" not in notes.first_seen


def test_a_note_empty_past_the_settle_time_goes_on_and_is_forgotten(tmp_path: Path) -> None:
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    notes = Unsettled(tmp_path, settle=0.0)
    assert notes.held(["empty.md", "gone.md"]) == []
    assert notes.first_seen == {}

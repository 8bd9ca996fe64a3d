"""A batch in the user's words: renames kept with their batch (chained, a folder's own move only), and the
paths moved, deleted, emptied, new or changed as the disk has them."""

from __future__ import annotations

from pathlib import Path

from notelink.watch.changes import Batch, Moves


def test_moves_are_taken_with_the_batch_that_names_both_paths() -> None:
    moves = Moves()
    moves.add("a.md", "b.md")
    moves.add("c.md", "d.md")
    assert moves.take(["a.md", "b.md"]) == (("a.md", "b.md"),)
    assert moves.take(["a.md", "b.md"]) == ()  # taken once
    assert moves.take(["c.md", "d.md", "e.md"]) == (("c.md", "d.md"),)


def test_moves_chain_and_a_folder_move_stands_for_what_it_holds() -> None:
    moves = Moves()
    for src, dest in [("a.md", "b.md"), ("b.md", "c.md"), ("x.md", "y.md"), ("y.md", "x.md"),
                      ("Garden/", "Yard/"), ("Garden/Beds/", "Yard/Beds/"), ("Garden/Beds/Bed 2.md",
                                                                            "Yard/Beds/Bed 2.md")]:
        moves.add(src, dest)
    batch = ["a.md", "b.md", "c.md", "x.md", "y.md", "Garden/", "Yard/", "Garden/Beds/", "Yard/Beds/",
             "Garden/Beds/Bed 2.md", "Yard/Beds/Bed 2.md"]
    assert moves.take(batch) == (("a.md", "c.md"), ("Garden/", "Yard/"))


def test_a_batch_says_what_each_path_became(tmp_path: Path) -> None:
    (tmp_path / "Yard").mkdir()
    (tmp_path / "Yard/Bed 2.md").write_text("beans")
    (tmp_path / "new name.md").write_text("text")
    (tmp_path / "empty.md").write_text("")
    (tmp_path / "edited.md").write_text("text")
    paths = ["Garden/", "Yard/", "Garden/Bed 2.md", "Yard/Bed 2.md", "old name.md", "new name.md", "gone.md",
             "empty.md", "edited.md"]
    b = Batch.of(tmp_path, paths, (("Garden/", "Yard/"), ("old name.md", "new name.md")))
    assert b.said() == ("moved Garden/ → Yard/; moved old name.md → new name.md; deleted: gone.md; "
                        "empty.md is now empty; changed: edited.md")
    assert b.subject() == "Yard/, new name.md, gone.md and 2 more"
    skipped = b.skipping(["edited.md"]).said(same_words=True)
    assert skipped.endswith("empty.md is now empty; skipped: edited.md")
    assert Batch.of(tmp_path, ["edited.md"]).said(same_words=True) == (
        "no new words in edited.md (links, tags or layout changed)")


def test_a_note_the_index_did_not_have_is_said_new(tmp_path: Path) -> None:
    """A new note was logged `changed: X`: a note with text at a path the live index did not have (neither
    a note nor a skipped file) is `new: X`; without the index's paths, no note is said new."""
    for name in ("fresh.md", "edited.md", "big.md"):
        (tmp_path / name).write_text("text")
    b = Batch.of(tmp_path, ["fresh.md", "edited.md", "big.md", "gone.md"], known={"edited.md", "big.md",
                                                                                  "gone.md"})
    assert b.said() == "deleted: gone.md; new: fresh.md; changed: edited.md, big.md"
    assert b.subject() == "gone.md, fresh.md, edited.md and 1 more"
    assert b.said(same_words=True).startswith("deleted: gone.md; new: fresh.md; no new words in edited.md")
    assert b.skipping(["fresh.md"]).said() == ("deleted: gone.md; changed: edited.md, big.md; "
                                               "skipped: fresh.md")
    assert Batch.of(tmp_path, ["fresh.md"]).said() == "changed: fresh.md"
    assert Batch.of(tmp_path, ["fresh.md"], known=set()).said() == "new: fresh.md"

"""A batch in the user's words: renames kept with their batch (chained, a folder's own move only), and the
paths moved, deleted, emptied, new or changed as the disk has them."""

from __future__ import annotations

from pathlib import Path

from notelink.watch.changes import Batch, Moves, Taken


def test_moves_are_taken_with_the_batch_that_names_both_paths() -> None:
    moves = Moves()
    moves.add("a.md", "b.md")
    moves.add("c.md", "d.md")
    assert moves.take(["a.md", "b.md"]).moves == (("a.md", "b.md"),)
    assert moves.take(["a.md", "b.md"]) == Taken((), (), ())  # taken once
    assert moves.take(["c.md", "d.md", "e.md"]).moves == (("c.md", "d.md"),)


def test_moves_chain_and_a_folder_move_stands_for_what_it_holds() -> None:
    moves = Moves()
    for src, dest in [("a.md", "b.md"), ("b.md", "c.md"), ("x.md", "y.md"), ("y.md", "x.md"),
                      ("Garden/", "Yard/"), ("Garden/Beds/", "Yard/Beds/"), ("Garden/Beds/Bed 2.md",
                                                                            "Yard/Beds/Bed 2.md")]:
        moves.add(src, dest)
    batch = ["a.md", "b.md", "c.md", "x.md", "y.md", "Garden/", "Yard/", "Garden/Beds/", "Yard/Beds/",
             "Garden/Beds/Bed 2.md", "Yard/Beds/Bed 2.md"]
    taken = moves.take(batch)
    assert taken.moves == (("a.md", "c.md"), ("Garden/", "Yard/")) and taken.back == (("x.md", "y.md"),)


def test_a_note_renamed_and_back_is_said_so(tmp_path: Path) -> None:
    """`mv a b; mv b a` in one batch was said "deleted: b.md; changed: a.md" (neither was), and the b of `mv a
    b; mv b c` "deleted"."""
    moves = Moves()
    for src, dest in [("a.md", "b.md"), ("b.md", "a.md"), ("x.md", "y.md"), ("y.md", "x.md"),
                      ("x.md", "z.md"), ("Garden/", "Yard/"), ("Garden/Bed.md", "Yard/Bed.md"),
                      ("Yard/", "Garden/"), ("Yard/Bed.md", "Garden/Bed.md")]:
        moves.add(src, dest)
    batch = ["a.md", "b.md", "x.md", "y.md", "z.md", "Garden/", "Yard/", "Garden/Bed.md", "Yard/Bed.md"]
    taken = moves.take(batch)
    assert taken.moves == (("x.md", "z.md"),) and taken.back == (("a.md", "b.md"), ("Garden/", "Yard/"))
    (tmp_path / "a.md").write_text("text")
    (tmp_path / "z.md").write_text("text")
    (tmp_path / "Garden").mkdir()
    (tmp_path / "Garden/Bed.md").write_text("beans")
    b = Batch.of(tmp_path, batch, taken, {"a.md", "x.md", "Garden/Bed.md"})
    assert b.said() == "moved x.md → z.md; moved a.md → b.md and back; moved Garden/ → Yard/ and back"
    assert b.subject() == "z.md, a.md, Garden/"


def test_a_deleted_folder_is_said_once(tmp_path: Path) -> None:
    """`rm -rf Zoo` was "deleted: Zoo/Mammals/badger.md, ... and 5 more" (its notes and folders, in no
    order)."""
    (tmp_path / "kept.md").write_text("text")
    paths = ["Zoo/Mammals/badger.md", "Zoo/Mammals/", "Zoo/index.md", "Zoo/", "Old/x.md", "kept.md"]
    assert Batch.of(tmp_path, paths).said() == "deleted: Zoo/, Old/x.md; changed: kept.md"


def test_a_batch_says_what_each_path_became(tmp_path: Path) -> None:
    (tmp_path / "Yard").mkdir()
    (tmp_path / "Yard/Bed 2.md").write_text("beans")
    (tmp_path / "new name.md").write_text("text")
    (tmp_path / "empty.md").write_text("")
    (tmp_path / "edited.md").write_text("text")
    paths = ["Garden/", "Yard/", "Garden/Bed 2.md", "Yard/Bed 2.md", "old name.md", "new name.md", "gone.md",
             "empty.md", "edited.md"]
    b = Batch.of(tmp_path, paths, Taken((("Garden/", "Yard/"), ("old name.md", "new name.md"))))
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


def test_a_big_batch_is_brief_in_counts_and_two_names(tmp_path: Path) -> None:
    """A batch of many notes was said in full in the app's toast: 5-9 lines over the panels. Its brief is
    `said` while that is short, else the counts and the first two names ("and N more")."""
    folder = tmp_path / "Projects" / "A rather long folder name"
    folder.mkdir(parents=True)
    changed = [f"Projects/A rather long folder name/Meeting notes {i:02}.md" for i in range(12)]
    for rel in [*changed, "fresh.md"]:
        (tmp_path / rel).write_text("text")
    b = Batch.of(tmp_path, [*changed, "fresh.md", "gone.md", "Old/"],
                 Taken((("x.md", "y.md"),)), known={*changed, "gone.md"})
    assert len(b.said()) > 200
    assert b.brief() == "1 moved, 2 deleted, 1 new, 12 changed: y.md, gone.md and 14 more"
    assert b.brief(same_words=True).endswith("12 changed (no new words): y.md, gone.md and 14 more")
    assert Batch.of(tmp_path, changed[:1]).brief() == f"changed: {changed[0]}"  # (short: as said)
    assert Batch.of(tmp_path, changed[:3]).brief() == (
        "3 changed: Meeting notes 00.md, Meeting notes 01.md and 1 more")
    long_name = "A note with a title far longer than a toast's line.md"
    (tmp_path / long_name).write_text("text")
    assert Batch.of(tmp_path, [long_name, *changed[:2]]).brief() == (
        "3 changed: A note with a title far longe…, Meeting notes 00.md and 1 more")


def test_a_temporary_note_renamed_over_a_note_is_a_save(tmp_path: Path) -> None:
    """An atomic save through a temporary `.md` file (`tempfile.mkstemp(suffix=".md")`, then a rename over
    the note) was said "moved tmpab12.md → note.md"; it is the note changed. A note renamed over another
    is still a move."""
    (tmp_path / "note.md").write_text("# Note\n\nnew text", encoding="utf-8")
    (tmp_path / "b.md").write_text("# B\n\nbread", encoding="utf-8")
    moves = Moves()
    moves.add("tmpab12.md", "note.md")
    moves.add("a.md", "b.md")
    batch = ["tmpab12.md", "note.md", "a.md", "b.md"]
    taken = moves.take(batch).saves({"note.md", "a.md", "b.md"})
    assert taken.moves == (("a.md", "b.md"),)
    b = Batch.of(tmp_path, batch, taken, {"note.md", "a.md", "b.md"})
    assert b.said() == "moved a.md → b.md; changed: note.md"
    assert moves.take(batch).saves(None) == Taken((), (), ())  # (taken once; None: nothing known)


def test_a_symbolic_link_that_leads_nowhere_is_there_not_deleted(tmp_path: Path) -> None:
    """A broken link or a link loop made in the vault was logged "deleted: loop.md" (its target could not be
    read), though the build then skipped it as the file it is: it is new, and skipped once built."""
    (tmp_path / "broken.md").symlink_to("missing.md")
    (tmp_path / "loopA.md").symlink_to("loopB.md")
    (tmp_path / "loopB.md").symlink_to("loopA.md")
    b = Batch.of(tmp_path, ["broken.md", "loopA.md", "loopB.md", "gone.md"], known={"gone.md"})
    assert b.said() == "deleted: gone.md; new: broken.md, loopA.md, loopB.md"
    assert b.skipping(["broken.md", "loopA.md", "loopB.md"]).said() == (
        "deleted: gone.md; skipped: broken.md, loopA.md, loopB.md")


def test_a_folder_whose_exclusion_rules_changed_is_said_so(tmp_path: Path) -> None:
    """`echo Plugins/ >> .gitignore` left 28 notes out, and the watcher said "no new words in ./ (links, tags
    or layout changed)": the folder the edited `.gitignore` governs (`./`, `sub/`), which the batch holds
    so that its notes are looked at again, was taken for a changed note."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "edited.md").write_text("text")
    b = Batch.of(tmp_path, ["./", "sub/", "edited.md"], known={"edited.md"})
    assert b.said(same_words=True) == ("notes looked at again: ./, sub/; "
                                       "no new words in edited.md (links, tags or layout changed)")
    alone = Batch.of(tmp_path, ["./"], known=set())
    assert alone.said() == "notes looked at again: ./"
    assert b.subject() == "./, sub/, edited.md"


def test_a_note_written_again_after_the_batch_found_it_empty_is_said_changed(tmp_path: Path) -> None:
    """An editor that truncated a note and wrote it 2 s later (past the 1.5 s a note seen empty is given):
    the batch, handed on empty, was said "a.md is now empty; related notes already up to date" when the
    build had read the note's text back. Said once built, it is what the disk holds then."""
    (tmp_path / "a.md").write_text("")
    (tmp_path / "b.md").write_text("")
    b = Batch.of(tmp_path, ["a.md", "b.md"], known={"a.md", "b.md"})
    assert b.said() == "now empty: a.md, b.md"
    (tmp_path / "a.md").write_text("text again")
    assert b.refilled(tmp_path).said() == "b.md is now empty; changed: a.md"
    assert b.refilled(tmp_path).refilled(tmp_path) == b.refilled(tmp_path)

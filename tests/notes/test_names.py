"""The names a note's file gives it."""

from notelink.notes.names import file_name, file_names, file_stem


def test_a_notes_file_name_is_without_md_in_any_case() -> None:
    """The scan takes `Canvas.MD` and `Sync.Md` as notes, but their file names kept `.MD`: `Canvas.MD` was
    no one-word name (`capital_referable`), and `Sync.Md`'s names were "Sync Md" and "Md" (any note that
    wrote "md" mentioned it)."""
    assert file_stem("Canvas.MD") == "Canvas" and file_names("sub/Sync.Md") == ["Sync"]
    assert file_name("x/tags.feature.mD") == "tags.feature" and file_stem("notes.txt") == "notes.txt"

"""What a vault leaves out: ignore files (each line that is a pattern), the user's exclude patterns."""

import re

import pytest

from notelink.errors import ArgumentError
from notelink.notes.ignore import Ignore, no_notes


def test_ignore_answers_for_single_paths(make_vault) -> None:
    root = make_vault({".gitignore": "node_modules/\n*.tmp.md\n", "a.md": "x"})
    ignore = Ignore(root, ("drafts/",))
    assert ignore.ignored("node_modules/x/README.md") and ignore.ignored("a.tmp.md")
    assert ignore.ignored("drafts/d.md") and ignore.ignored(".obsidian/x.md") and ignore.ignored("a.txt")
    assert not ignore.ignored("a.md") and not ignore.ignored("sub/b.md")
    (root / ".gitignore").write_text("a.md\n")
    assert not ignore.ignored("a.md")  # read once...
    ignore.forget()
    assert ignore.ignored("a.md")  # ...and again when told it changed


def test_ignore_file_lines_git_cannot_use_are_left_out_and_said(make_vault) -> None:
    """A line of an ignore file that is no pattern (a lone `!`, a lone `\\`, the range `[z-a]`) is skipped, as
    git skips it: the rest of the file applies, and the file's skipped lines are said, one entry a file."""
    from notelink.notes.vault import scan_folders

    root = make_vault({"a.md": "x", "drafts/d.md": "x", "sub/x.md": "x", "sub/y.md": "x",
                       ".gitignore": "drafts/\n!\n", "sub/.notelinkignore": "[z-a]\n\\\nx.md\n"})
    ignore = Ignore(root)
    assert scan_folders(root, ignore) == (["a.md", "sub/y.md"], [])
    bad = dict(ignore.unusable())
    assert set(bad) == {".gitignore", "sub/.notelinkignore"}
    assert bad[".gitignore"].startswith("line 2 ('!') is no gitignore pattern: skipped")
    assert bad["sub/.notelinkignore"].startswith("lines 1 ('[z-a]'), 2 ('\\\\') are no gitignore patterns")
    assert "the rest of the file applies" in bad[".gitignore"]


@pytest.mark.parametrize("pattern", ["!", "\\", "[z-a]"])
def test_an_exclude_pattern_git_cannot_read_is_an_error_naming_it(make_vault, pattern: str) -> None:
    root = make_vault({"a.md": "x"})
    with pytest.raises(ArgumentError, match=re.escape(f"exclude pattern {pattern!r}")):
        Ignore(root, ("drafts/", pattern))


def test_no_notes_says_how_many_were_found_and_what_left_them_out(make_vault) -> None:
    root = make_vault({"a.md": "x", "b.md": "x", "sub/c.md": "x", ".obsidian/d.md": "x", "e.txt": "x",
                       ".gitignore": "*.md\n", "sub/.notelinkignore": "c.md\n"})
    said = no_notes(root, Ignore(root, ("b.md",)))  # (the deepest ignore file decides, as in git)
    assert said.startswith(f"3 notes found in {root}, but every one is left out by .gitignore (1), "
                           "sub/.notelinkignore (1), the exclude patterns ('b.md') (1): ")
    assert "--exclude ''" in said and "`!pattern`" in said
    (root / ".gitignore").unlink()
    (root / "sub" / ".notelinkignore").unlink()
    said = no_notes(root, Ignore(root, ("*",)))
    assert said.startswith(f"3 notes found in {root}, but every one is left out by the exclude patterns "
                           "('*'): ")
    assert "`!pattern`" not in said
    assert no_notes(root / "sub", Ignore(root / "sub", ("*",))).startswith("1 note found in ")
    (root / "sub" / "c.md").unlink()
    assert no_notes(root / "sub", Ignore(root / "sub")) == (f"no notes found in {root / 'sub'}: notelink "
                                                             "indexes *.md files (dot-folders skipped)")

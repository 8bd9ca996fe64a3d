"""What a vault leaves out: ignore files (each line that is a pattern), the user's exclude patterns."""

import re

import pytest

from notelink.errors import ArgumentError
from notelink.notes.ignore import Ignore


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

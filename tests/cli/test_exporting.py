"""`notelink export` end to end: what its lines say of the notes it refuses or skips."""

import os
from pathlib import Path

import pytest

from .test_cli import indexed, run

BAD = "bad\x1b[31mred.md"  # a file name with a terminal escape in it


@pytest.mark.skipif(os.name != "posix", reason="file names with control characters are POSIX")
def test_names_in_refused_and_skipped_lines_are_escaped(capsys, make_vault, tmp_path: Path) -> None:
    """`export --format block` printed `refused: PATH` raw: a note's name with an escape sequence coloured
    the terminal (one with a newline broke the line apart), where `link` and every query escape it."""
    text = "soil compost garden worms\n"
    vault = make_vault({BAD: f"# Bad\n\n{text}", "b.md": f"# B\n\n{text}"})
    ix = indexed(capsys, vault, tmp_path)
    (vault / BAD).chmod(0o444)
    os.mkfifo(vault / "pipe\nname.md")
    code, _, err = run(capsys, "export", str(vault), "--format", "block", "--index-dir", ix)
    assert code == 3 and "refused: bad\\x1b[31mred.md: read-only" in err and "\x1b" not in err
    code, _, err = run(capsys, "export", str(vault), "--format", "block", "--undo", "--index-dir", ix)
    assert "skipped: pipe\\nname.md: not a regular file" in err

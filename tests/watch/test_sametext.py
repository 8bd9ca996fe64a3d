"""Notes whose text is as indexed: the size and mtime first (not read), else the content hash."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from notelink.watch import sametext
from notelink.watch.sametext import no_change, same_text


def _held(path: Path) -> tuple[int, float, str]:
    st = path.stat()
    return st.st_size, st.st_mtime, hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_chmod_is_not_even_read_and_a_touch_is_hashed(tmp_path: Path, monkeypatch) -> None:
    for name in ("a.md", "b.md", "c.md", "d.md"):
        (tmp_path / name).write_text(f"# {name}\n\nbread\n", encoding="utf-8")
    held = {p: _held(tmp_path / p) for p in ("a.md", "b.md", "c.md", "d.md")}
    (tmp_path / "a.md").chmod(0o600)  # size and mtime as indexed
    os.utime(tmp_path / "b.md", ns=(1, 1))  # same bytes, another mtime
    (tmp_path / "c.md").write_text("# c.md\n\nrye\n", encoding="utf-8")  # same size, other text
    (tmp_path / "d.md").unlink()
    (tmp_path / "new.md").write_text("new", encoding="utf-8")
    hashed: list[str] = []
    real = sametext.file_hash
    monkeypatch.setattr(sametext, "file_hash", lambda p: hashed.append(p.name) or real(p))
    paths = ["a.md", "b.md", "c.md", "d.md", "new.md", "folder/"]
    assert same_text(tmp_path, paths, held) == ["a.md", "b.md"]
    assert hashed == ["b.md", "c.md"]  # never a note whose size and mtime are as indexed


def test_a_stop_ends_the_hashing(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("a", encoding="utf-8")
    assert same_text(tmp_path, ["a.md"], {"a.md": _held(tmp_path / "a.md")}, lambda: True) == []


@pytest.mark.parametrize(("same", "said"), [
    (["a.md"], "no change: a.md touched, same text as indexed"),
    ([f"{i}.md" for i in range(2322)], "no change: 2,322 notes touched, same text as indexed"),
])
def test_no_change_is_said_by_name_when_few(same: list[str], said: str) -> None:
    assert no_change(same) == said


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_a_note_made_unreadable_is_a_change(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# a\n\nbread\n", encoding="utf-8")
    held = {"a.md": _held(tmp_path / "a.md")}
    (tmp_path / "a.md").chmod(0o000)  # size and mtime as indexed, but the note cannot be read now
    try:
        assert same_text(tmp_path, ["a.md"], held) == []
    finally:
        (tmp_path / "a.md").chmod(0o600)

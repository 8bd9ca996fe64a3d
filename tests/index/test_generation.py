"""Patching a copy of the previous generation's database: kept rows renumbered without clashes."""

from __future__ import annotations

import sqlite3

import pytest

from notelink.index.generation import _move_notes
from notelink.index.store import SCHEMA


def _db(ids: list[int]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.executescript(SCHEMA)
    db.executemany("INSERT INTO notes (id, path, title, sha256, size, mtime, aliases, headings, tokens) "
                   "VALUES (?, ?, '', '', 0, 0, '[]', '[]', '')", [(i, f"n{i}.md") for i in ids])
    db.executemany("INSERT INTO tags VALUES (?, ?)", [(i, f"t{i}") for i in ids for _ in range(2)])
    return db


@pytest.mark.parametrize(("ids", "moves"), [
    ([1, 2, 3, 4, 5, 6], [(1, 0), (2, 1), (4, 6), (5, 7), (6, 8)]),  # in path order: 0 gone, 2 added at 4
    ([0, 1, 2, 4, 6], [(0, 1), (1, 2), (2, 3), (6, 5)]),  # one added first, one gone after 2
    ([0, 2, 3, 5, 6], [(0, 2), (2, 0), (5, 6), (6, 5)]),  # out of order (swaps): through negative ids
])
def test_kept_rows_and_their_tags_take_their_new_ids(ids: list[int], moves: list[tuple[int, int]]) -> None:
    db = _db(ids)
    _move_notes(db, moves)
    new = dict(moves)  # (rows not in `moves` keep their id)
    assert dict(db.execute("SELECT id, path FROM notes")) == {new.get(i, i): f"n{i}.md" for i in ids}
    tags = sorted(db.execute("SELECT note, tag FROM tags"))
    assert tags == sorted((new.get(i, i), f"t{i}") for i in ids for _ in range(2))

"""Storage round trip, versioning and the atomic switch between generations."""

import json
from pathlib import Path

import numpy as np
import pytest

from notelink.index import store
from notelink.index.store import (
    GenerationWriter,
    IndexFormatError,
    current_generation,
    load_array,
    open_generation,
)


def _write(index_dir: Path, value: float) -> Path:
    w = GenerationWriter(index_dir)
    w.put_meta({"marker": value})
    w.put_array("notes", np.full((2, 3), value))
    return w.commit()


def test_round_trip(tmp_path: Path) -> None:
    gen = _write(tmp_path, 1.5)
    assert current_generation(tmp_path) == gen
    db, meta = open_generation(gen)
    assert meta["marker"] == 1.5 and meta["format_version"] == store.FORMAT_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    arr = load_array(gen, "notes")
    assert arr.dtype == np.float32 and arr.shape == (2, 3) and float(arr[0, 0]) == 1.5


def test_arrays_are_never_unpickled(tmp_path: Path) -> None:
    gen = _write(tmp_path, 1.0)
    np.save(gen / "notes.npy", np.array([{"evil": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError):
        load_array(gen, "notes")


def test_new_generation_switches_and_old_is_collected(tmp_path: Path) -> None:
    g1 = _write(tmp_path, 1.0)
    g2 = _write(tmp_path, 2.0)
    g3 = _write(tmp_path, 3.0)
    assert current_generation(tmp_path) == g3
    assert not g1.exists() and g2.exists()  # the previous one stays for readers still using it
    assert (tmp_path / store.CURRENT).read_text().strip() == g3.name


def test_aborted_generation_leaves_the_live_one(tmp_path: Path) -> None:
    g1 = _write(tmp_path, 1.0)
    w = GenerationWriter(tmp_path)
    w.put_array("notes", np.zeros((1, 1)))
    w.abort()
    assert current_generation(tmp_path) == g1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("gen-")] == [g1.name]


def test_crash_before_switch_leaves_the_live_one(tmp_path: Path) -> None:
    g1 = _write(tmp_path, 1.0)
    w = GenerationWriter(tmp_path)  # a writer that dies before commit (e.g. kill -9)
    w.put_array("notes", np.zeros((1, 1)))
    w.db.close()
    assert current_generation(tmp_path) == g1
    g2 = _write(tmp_path, 2.0)
    assert current_generation(tmp_path) == g2


def test_stale_tmp_of_dead_process_is_removed(tmp_path: Path) -> None:
    _write(tmp_path, 1.0)
    stale = tmp_path / "gen-000099.tmp-999999999"
    stale.mkdir()
    _write(tmp_path, 2.0)
    assert not stale.exists()


def test_wrong_format_version_is_a_clear_error(tmp_path: Path) -> None:
    gen = _write(tmp_path, 1.0)
    import sqlite3
    db = sqlite3.connect(gen / "index.sqlite")
    db.execute("UPDATE meta SET value = ? WHERE key = 'format_version'", (json.dumps(999),))
    db.commit()
    db.close()
    with pytest.raises(IndexFormatError, match="rebuild"):
        open_generation(gen)


def test_damaged_pointer_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / store.CURRENT).write_text("../../etc")
    with pytest.raises(IndexFormatError, match="damaged"):
        current_generation(tmp_path)

"""Storage round trip, versioning and the atomic switch between generations."""

import errno
import json
import multiprocessing
import re
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from notelink.index import store
from notelink.index.arrays import load_array
from notelink.index.store import GenerationWriter, IndexFormatError, current_generation, open_generation


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
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # sealed: readers need no -shm
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


# -- readers during generation switches (issue 15, item 12) ------------------------------------------


@pytest.fixture(scope="module")
def real_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from notelink.index.build import build_index
    from tests.conftest import FAST, SAMPLE

    root = tmp_path_factory.mktemp("real")
    build_index(SAMPLE, root / "index", FAST)
    return root / "index"


def _switch(index_dir: Path) -> Path:
    """A new generation like the live one (what an incremental update switches in, in milliseconds)."""
    gen = current_generation(index_dir)
    assert gen is not None
    _, meta = open_generation(gen)
    w = GenerationWriter(index_dir, base=gen)
    w.put_meta({k: v for k, v in meta.items() if k not in ("format_version", "generation")})
    for path in sorted(gen.glob("*.npy")):
        arr = load_array(gen, path.stem)
        w.put_array(path.stem, arr, arr.dtype.type)
    return w.commit()


def test_a_generation_lives_while_a_reader_holds_it(real_index: Path, tmp_path: Path) -> None:
    from notelink.query.index import Index

    index_dir = tmp_path / "index"
    shutil.copytree(real_index, index_dir)
    held = Index.open(index_dir)
    for _ in range(4):
        _switch(index_dir)
    assert held.gen.exists() and held.similar("notes") and held.related(held.notes[0])  # syn0 read now
    held.close()
    _switch(index_dir)
    assert not held.gen.exists()  # collected once its reader let go
    assert len([p for p in index_dir.iterdir() if p.name.startswith("gen-")]) == 2


def _read_until(index_dir: Path, stop: Callable[[], bool]) -> tuple[int, list[str]]:
    """Opens the index per query, as the CLI does, until `stop`: (queries, errors)."""
    from notelink.query.index import Index

    done, errors = 0, []
    while not stop():
        try:
            index = Index.open(index_dir)
            try:
                index.related(index.notes[done % len(index.notes)])
                index.similar("notes")
            finally:
                index.close()
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        done += 1
    return done, errors


def _reader_process(index_dir: Path, stop: Any, conn: Any) -> None:
    conn.send(_read_until(index_dir, stop.is_set))


def test_readers_never_fail_during_fast_generation_switches(real_index: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(real_index, index_dir)
    ctx = multiprocessing.get_context("fork")
    stop, (recv, send) = ctx.Event(), ctx.Pipe(duplex=False)
    reader = ctx.Process(target=_reader_process, args=(index_dir, stop, send))
    reader.start()
    switched: list[Path] = []
    writer = threading.Thread(target=lambda: switched.extend(_switch(index_dir) for _ in range(150)))
    writer.start()
    here = _read_until(index_dir, lambda: not writer.is_alive())
    writer.join()
    stop.set()
    assert recv.poll(60)
    there = recv.recv()
    reader.join(30)
    assert len(switched) == 150 and here[0] > 0 and there[0] > 0
    assert here[1] == [] and there[1] == [], (here[1][:3], there[1][:3])
    _switch(index_dir)  # (the other process may have held a generation at the last switch: now none)
    leftovers = sorted(p.name for p in index_dir.iterdir() if p.name.startswith("gen-"))
    assert len(leftovers) == 2 and not [n for n in leftovers if "." in n]


# -- a full disk, an unwritable folder (issue 15, items 10 and 11) ------------------------------------


def _no_space(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_while_writing_leaves_the_live_generation(real_index: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from notelink.errors import DiskFull
    from notelink.query.index import Index

    index_dir = tmp_path / "index"
    shutil.copytree(real_index, index_dir)
    live = current_generation(index_dir)
    assert live is not None
    before = {p.name: p.read_bytes() for p in live.iterdir()}
    monkeypatch.setattr(store.np, "save", _no_space)
    with pytest.raises(DiskFull, match=r"no space left on .* for the index at"):
        _switch(index_dir)
    assert current_generation(index_dir) == live
    assert {p.name: p.read_bytes() for p in live.iterdir()} == before
    assert sorted(p.name for p in index_dir.iterdir() if p.name.startswith("gen-")) == [live.name]
    assert Index.open(index_dir).similar("notes")


def test_a_disk_filled_while_writing_is_not_said_to_have_had_room(real_index: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The message gave the estimate beside the space free once the unfinished generation was removed
    ("needed ~1.9 MB, 2.0 MB free"): now only what is known, that more was needed than is free."""
    from notelink.errors import DiskFull

    index_dir = tmp_path / "index"
    shutil.copytree(real_index, index_dir)
    gen = current_generation(index_dir)
    assert gen is not None
    writer = GenerationWriter(index_dir, base=gen, needed=10**6)  # (far below what this disk has free)
    monkeypatch.setattr(store.np, "save", _no_space)
    with pytest.raises(DiskFull) as caught:
        writer.put_array("syn0", np.zeros((4, 4)))
    free = shutil.disk_usage(index_dir).free / 1e6
    assert "needed ~" not in str(caught.value)
    assert re.search(r"\(the new index needs more than the [\d,.]+ MB free\)", str(caught.value))
    said = float(re.findall(r"([\d,.]+) MB free", str(caught.value))[0].replace(",", ""))
    assert said == pytest.approx(free, rel=0.01, abs=1)


def test_a_build_that_cannot_fit_stops_before_writing(real_index: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from notelink.errors import DiskFull
    from notelink.index.build import build_index
    from tests.conftest import FAST, SAMPLE

    index_dir = tmp_path / "index"
    shutil.copytree(real_index, index_dir)
    live = current_generation(index_dir)

    def almost_full(path: object) -> Any:
        return shutil._ntuple_diskusage(10**9, 10**9 - 10**5, 10**5)  # type: ignore[attr-defined]

    monkeypatch.setattr(store.shutil, "disk_usage", almost_full)
    with pytest.raises(DiskFull, match=r"needed ~\d\.\d MB, 0.1 MB free"):
        build_index(SAMPLE, index_dir, FAST, force=True)
    assert current_generation(index_dir) == live
    assert sorted(p.name for p in index_dir.iterdir() if p.name.startswith("gen-")) == [live.name]


def test_an_unwritable_index_folder_names_it_and_the_way_out(real_index: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from notelink.errors import IndexDirError

    index_dir = tmp_path / "index"
    shutil.copytree(real_index, index_dir)

    def denied(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", denied)
    with pytest.raises(IndexDirError, match=f"cannot write the index at {index_dir}: Permission denied; .*"
                                            "--index-dir .*NOTELINK_INDEX_DIR"):
        _switch(index_dir)


def _cli(*argv: str) -> int:
    from notelink.cli.main import main

    return main([*argv, "--dim", "16", "--epochs", "2", "--min-count", "1", "--threads", "1",
                 "--device", "cpu"] if argv[0] == "index" else list(argv))


def _generations(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith("gen-"))


def test_the_first_index_into_a_full_disk_says_so(small_disk, tmp_path: Path, capsys) -> None:
    from tests.conftest import SAMPLE

    disk = small_disk(128 * 1024)
    assert _cli("index", str(SAMPLE), "--index-dir", str(disk / "ix")) == 2
    err = capsys.readouterr().err
    assert f"no space left on tmpfs (mounted at {disk})" in err and "needed ~" in err and "--index-dir" in err
    assert "nothing was written" in err
    assert "Traceback" not in err and _generations(disk / "ix") == []


@pytest.mark.parametrize("when", ["found before writing", "found while writing"])
def test_a_full_disk_keeps_serving_the_live_generation(small_disk, tmp_path: Path, capsys, when: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import SAMPLE, fill

    vault, disk = tmp_path / "vault", small_disk(3 * 1024 * 1024)
    shutil.copytree(SAMPLE, vault)
    ix = disk / "ix"
    assert _cli("index", str(vault), "--index-dir", str(ix)) == 0
    live = current_generation(ix)
    assert live is not None
    before = {p.name: p.read_bytes() for p in live.iterdir()}
    filler = fill(disk)
    if when == "found while writing":
        monkeypatch.setattr("notelink.index.generation.check_space", lambda *a: None)
    with open(next(vault.glob("*.md")), "a", encoding="utf-8") as fh:
        fh.write("\nA new paragraph about quokka marmalade.\n")
    capsys.readouterr()
    assert _cli("index", str(vault), "--index-dir", str(ix)) == 2
    err = capsys.readouterr().err
    need = "needed ~" if when == "found before writing" else "the new index needs more than the"
    assert "no space left on tmpfs" in err and need in err and "unchanged" in err
    assert "Traceback" not in err
    assert current_generation(ix) == live and _generations(ix) == [live.name]
    assert {p.name: p.read_bytes() for p in live.iterdir()} == before
    assert not [p.name for p in ix.iterdir() if ".tmp-" in p.name]
    assert _cli("related", str(vault), "Home", "--index-dir", str(ix)) == 0  # read on the full disk
    assert _cli("similar", str(vault), "notes", "--index-dir", str(ix)) == 0
    filler.unlink()
    assert _cli("index", str(vault), "--index-dir", str(ix)) == 0 and current_generation(ix) != live


def test_a_read_only_index_folder_is_a_clear_error(small_disk, tmp_path: Path, capsys) -> None:
    from tests.conftest import SAMPLE

    disk = small_disk(1024 * 1024, read_only=True)
    assert _cli("index", str(SAMPLE), "--index-dir", str(disk / "ix")) == 2
    err = capsys.readouterr().err
    assert f"cannot write the index at {disk / 'ix'}" in err and "NOTELINK_INDEX_DIR" in err
    assert "Traceback" not in err


def test_an_index_folder_gone_read_only_is_still_served(small_disk, tmp_path: Path, capsys) -> None:
    import subprocess

    from tests.conftest import SAMPLE

    vault, disk = tmp_path / "vault", small_disk(3 * 1024 * 1024)
    shutil.copytree(SAMPLE, vault)
    assert _cli("index", str(vault), "--index-dir", str(disk / "ix")) == 0
    assert subprocess.run(["mount", "-o", "remount,ro", str(disk)]).returncode == 0
    (vault / "New.md").write_text("# New\n\nquokka marmalade\n", encoding="utf-8")
    capsys.readouterr()
    assert _cli("index", str(vault), "--index-dir", str(disk / "ix")) == 2
    err = capsys.readouterr().err
    assert f"cannot write the index at {disk / 'ix'}" in err and "--index-dir" in err
    assert "Traceback" not in err
    assert _cli("related", str(vault), "Home", "--index-dir", str(disk / "ix")) == 0


def test_the_space_estimate_covers_what_a_generation_takes(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """check_space is asked for at least what the written generation occupies (blocks, search data and
    all): an estimate short of it lets a build start on a disk it cannot fit, to fail midway."""
    from notelink.index import generation
    from notelink.index.build import build_index
    from tests.conftest import FAST, SAMPLE

    asked: list[int] = []
    real = generation.check_space
    monkeypatch.setattr(generation, "check_space", lambda d, n: (asked.append(n), real(d, n))[1])
    build_index(SAMPLE, tmp_path / "ix", FAST)
    gen = current_generation(tmp_path / "ix")
    assert gen is not None and len(asked) == 1
    taken = sum(p.stat().st_blocks * 512 for p in gen.iterdir())
    assert asked[0] >= taken, (asked[0], taken)

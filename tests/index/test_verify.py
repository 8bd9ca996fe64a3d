"""A damaged index (issue 15, item 9): every damage the battery made is a message with exit code 2 from a
query, is listed by `notelink check`, and `notelink index` sets the generation aside and rebuilds by
itself (with and without --force)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from notelink.cli.main import main
from notelink.errors import IndexDamaged
from notelink.index.build import build_index
from notelink.index.store import CURRENT, current_generation
from notelink.index.verify import check_generation
from notelink.query.index import Index

from ..conftest import FAST, SAMPLE


def _truncate(gen: Path) -> None:
    path = gen / "syn0.npy"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _header_claims_more(gen: Path) -> None:
    arr = np.load(gen / "syn1neg.npy")
    with open(gen / "syn1neg.npy", "wb") as fh:
        np.lib.format.write_array_header_1_0(fh, {"descr": "<f4", "fortran_order": False,
                                                  "shape": (arr.shape[0] * 2, arr.shape[1])})
        fh.write(arr.tobytes())


def _wrong_length(gen: Path) -> None:
    np.save(gen / "notes_indptr.npy", np.load(gen / "notes_indptr.npy")[:-1])


def _missing(gen: Path) -> None:
    (gen / "notes_data.npy").unlink()


def _pickle(gen: Path) -> None:
    np.save(gen / "notes_data.npy", np.array([{"evil": 1}], dtype=object), allow_pickle=True)


def _random_bytes(gen: Path) -> None:
    (gen / "index.sqlite").write_bytes(np.random.default_rng(1).bytes(64 * 1024))


def _damaged_pages(gen: Path) -> None:
    path = gen / "index.sqlite"
    data = bytearray(path.read_bytes())
    data[4096:] = np.random.default_rng(2).bytes(len(data) - 4096)  # the header page is left whole
    path.write_bytes(bytes(data))


def _dropped_table(gen: Path) -> None:
    db = sqlite3.connect(gen / "index.sqlite")
    db.execute("DROP TABLE links")
    db.commit()
    db.close()


def _indices_out_of_range(gen: Path) -> None:
    arr = np.load(gen / "notes_indices.npy")
    arr[:] = 10**9  # (scipy crashes the process on such a matrix: it must never be built)
    np.save(gen / "notes_indices.npy", arr)


def _truncated_search_array(gen: Path) -> None:
    path = gen / "search_terms_data.npy"
    path.write_bytes(path.read_bytes()[:-40])


def _missing_search_array(gen: Path) -> None:
    (gen / "search_idf.npy").unlink()


def _dangling_current(gen: Path) -> None:
    (gen.parent / CURRENT).write_text("gen-000099\n")


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "truncated npy": (_truncate, "syn0.npy is"),
    "header claims more rows": (_header_claims_more, "syn1neg.npy is"),
    "array of the wrong length": (_wrong_length, "notes_indptr.npy has shape"),
    "missing array": (_missing, "notes_data.npy is missing"),
    "object-dtype npy": (_pickle, "Python objects"),
    "random bytes in index.sqlite": (_random_bytes, "database"),
    "damaged database pages": (_damaged_pages, "database"),
    "dropped table": (_dropped_table, "no links table"),
    "CURRENT names no generation": (_dangling_current, "CURRENT"),
    "note matrix indices out of range": (_indices_out_of_range, "points outside"),
    "truncated search array": (_truncated_search_array, "search_terms_data.npy is"),
    "missing search array": (_missing_search_array, "search_idf.npy is missing"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("built")
    build_index(SAMPLE, root / "index", FAST)
    return root / "index"


@pytest.fixture(params=list(DAMAGE))
def damaged(request: pytest.FixtureRequest, built: Path, tmp_path: Path) -> tuple[Path, str]:
    index = tmp_path / "index"
    shutil.copytree(built, index)
    damage, what = DAMAGE[request.param]
    gen = current_generation(index)
    assert gen is not None
    damage(gen)
    return index, what


def _run(*argv: str) -> int:
    return main([*argv])


def test_a_query_says_the_index_is_damaged(damaged, capsys) -> None:
    index, _ = damaged
    with pytest.raises(IndexDamaged, match="damaged"):
        Index.open(index).similar("notes")
    vault = str(SAMPLE)
    for query in (["related", vault, "Home"], ["similar", vault, "notes"], ["status", vault]):
        assert _run(*query, "--index-dir", str(index)) == 2
        err = capsys.readouterr().err
        assert "damaged" in err and "notelink index" in err and "Traceback" not in err


def test_check_lists_what_is_wrong(damaged, capsys) -> None:
    index, what = damaged
    assert _run("check", str(SAMPLE), "--index-dir", str(index)) == 2
    out = capsys.readouterr()
    assert what in out.out + out.err


@pytest.mark.parametrize("force", [False, True])
def test_index_sets_a_damaged_generation_aside_and_rebuilds(damaged, capsys, force: bool) -> None:
    index, _ = damaged
    assert _run("index", str(SAMPLE), "--index-dir", str(index), "--dim", "16", "--epochs", "2",
                "--min-count", "1", "--threads", "1", "--device", "cpu", *(["--force"] if force else [])) == 0
    out = capsys.readouterr().out
    assert "damaged" in out and "rebuilt" in out
    gen = current_generation(index)
    assert gen is not None and check_generation(gen, thorough=True).problems == []
    assert Index.open(index).similar("notes")
    assert _run("check", str(SAMPLE), "--index-dir", str(index)) == 0


def test_damage_only_a_thorough_check_finds_is_mended_by_index_not_by_an_update(built: Path,
                                                                                tmp_path: Path) -> None:
    """A page in the middle of the database overwritten: `check` finds it (SQLite's integrity_check),
    and so does `notelink index`, which sets the generation aside; the watcher's updates do not look."""
    index = tmp_path / "index"
    shutil.copytree(built, index)
    gen = current_generation(index)
    assert gen is not None
    with open(gen / "index.sqlite", "r+b") as fh:
        fh.seek(8192)
        fh.write(b"\xde\xad" * 2048)
    assert check_generation(gen, thorough=True).problems
    summary = build_index(SAMPLE, index, FAST)
    assert not summary.up_to_date and any("damaged" in w for w in summary.warnings)
    assert check_generation(current_generation(index), thorough=True).problems == []  # type: ignore[arg-type]


def test_a_whole_index_passes_the_check(built: Path, capsys) -> None:
    assert _run("check", str(SAMPLE), "--index-dir", str(built), "--json") == 0
    out = capsys.readouterr().out
    assert '"ok": true' in out and '"integrity_check": "ok"' in out
    gen = current_generation(built)
    assert gen is not None
    check = check_generation(gen, thorough=True)
    assert check.rows["notes"] == len(Index.open(built).notes) and check.arrays["syn0"].dtype == "float32"


def test_word_vectors_that_are_not_finite_are_found_by_check_and_mended_by_index(built: Path, capsys,
                                                                                 tmp_path: Path) -> None:
    """Vectors of a training that diverged (written before notelink refused to): every search found nothing
    and `check` said "whole"; now it names them, and `notelink index` rebuilds."""
    index = tmp_path / "index"
    shutil.copytree(built, index)
    gen = current_generation(index)
    assert gen is not None
    arr = np.load(gen / "syn0.npy")
    arr[3, 5] = np.nan
    np.save(gen / "syn0.npy", arr)
    assert _run("check", str(SAMPLE), "--index-dir", str(index)) == 2
    assert "syn0.npy holds numbers that are not finite" in capsys.readouterr().out
    summary = build_index(SAMPLE, index, FAST)
    assert any("damaged" in w for w in summary.warnings)
    assert check_generation(current_generation(index), thorough=True).problems == []  # type: ignore[arg-type]


def test_check_names_the_generation_as_status_and_index_do(built: Path, capsys) -> None:
    """`check --json` said "generation": "gen-000001" where `status --json` and `index --json` say 1."""
    capsys.readouterr()
    assert _run("check", str(SAMPLE), "--index-dir", str(built), "--json") == 0
    checked = json.loads(capsys.readouterr().out)
    assert _run("status", str(SAMPLE), "--index-dir", str(built), "--json") == 0
    assert checked["generation"] == json.loads(capsys.readouterr().out)["generation"] == 1
    assert _run("check", str(SAMPLE), "--index-dir", str(built)) == 0
    assert capsys.readouterr().out.startswith(f"gen-000001 at {built / 'gen-000001'}: whole")

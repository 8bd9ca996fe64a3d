"""The notes a build parsed, kept until it completes: a build interrupted while training does not leave the
next one to parse them again, and a stale or damaged checkpoint is ignored with a log line."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from notelink.config import IncrementalConfig
from notelink.errors import Cancelled, TrainingDiverged
from notelink.index import checkpoint
from notelink.index.build import build_index
from notelink.index.previous import load_records
from notelink.index.report import IndexEvent, IndexSummary
from notelink.index.store import current_generation
from notelink.index.tokenstore import NAMES, load_paragraphs

from ..conftest import FAST
from .test_build import _topic_vault

TABLES = ("notes", "links", "tags", "files", "vocab")
ARRAYS = ("syn0", "syn1neg", "notes_data", "notes_indices", "tokens_ids", "mentions_count", "named_count")


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the notes parsed (in this process: no parsing children), and a checkpoint kept from
    one parsed note on."""
    from notelink.notes import records

    calls: list[str] = []
    parse = records.record_from_raw

    def counted(raw: Any, cfg: Any) -> Any:
        calls.append(raw.path)
        return parse(raw, cfg)

    monkeypatch.setattr(records, "can_fork_workers", lambda: False)
    monkeypatch.setattr(records, "record_from_raw", counted)
    monkeypatch.setattr(checkpoint, "MIN_PARSED", 1)
    return calls


def _interrupted_while_training(vault: Path, ix: Path, **kwargs: Any) -> None:
    """A build stopped as the CLI's Ctrl-C and the app's cancel stop it, after parsing: training is the first
    stage after it that asks (an update's few passes may end before they ask, and the write asks then)."""
    stages: list[str] = []

    def progress(ev: IndexEvent) -> None:
        stages.append(ev.stage)

    with pytest.raises(Cancelled):
        build_index(vault, ix, FAST, progress=progress, should_stop=lambda: "search" in stages, **kwargs)
    assert "search" in stages


def _contents(ix: Path) -> dict[str, Any]:
    """What the live generation holds: its tables' rows and its arrays (not its number or build time)."""
    gen = current_generation(ix)
    assert gen is not None
    db = sqlite3.connect(gen / "index.sqlite")
    try:
        out: dict[str, Any] = {t: db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}
    finally:
        db.close()
    return out | {a: np.load(gen / f"{a}.npy").tolist() for a in ARRAYS}


def test_a_build_interrupted_while_training_keeps_its_parse_for_the_next(make_vault, tmp_path: Path,
                                                                         parses: list[str]) -> None:
    vault = _topic_vault(make_vault)
    _interrupted_while_training(vault, tmp_path / "ix")  # (a full build: cancelled by training)
    assert len(parses) == 12 and current_generation(tmp_path / "ix") is None  # no index for readers
    assert checkpoint.exists(tmp_path / "ix")
    (vault / "bread/bread 2.md").write_text("# Bread 2\n\nrye levain crumb sourdough", encoding="utf-8")
    (vault / "stars/new.md").write_text("# New\n\ntelescope comet orbit", encoding="utf-8")
    parses.clear()
    resumed = build_index(vault, tmp_path / "ix", FAST)
    assert sorted(parses) == ["bread/bread 2.md", "stars/new.md"]  # only what changed since
    assert (resumed.reparsed, resumed.reused, resumed.resumed) == (2, 11, 11)
    assert not checkpoint.exists(tmp_path / "ix")  # complete: nothing kept
    whole = build_index(vault, tmp_path / "whole", FAST)  # the same vault, never interrupted
    assert whole.reparsed == 13
    assert _contents(tmp_path / "ix") == _contents(tmp_path / "whole")


def test_ctrl_c_while_counting_the_words_keeps_the_parse(make_vault, tmp_path: Path, parses: list[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The ~3 s "words" stage after parsing came before the checkpoint was written: a Ctrl-C there lost the
    parse. It is kept as the build stops (without token arrays: the tokens are read from the text)."""
    from notelink.index import build

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    vault, encode = _topic_vault(make_vault), build.encode_notes
    monkeypatch.setattr(build, "encode_notes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_index(vault, tmp_path / "ix", FAST)
    monkeypatch.setattr(build, "encode_notes", encode)  # (the parse counted by `parses` still)
    assert len(parses) == 12 and checkpoint.exists(tmp_path / "ix")
    assert current_generation(tmp_path / "ix") is None
    assert not (tmp_path / "ix" / checkpoint.FOLDER / "tokens_ids.npy").exists()
    parses.clear()
    s = build_index(vault, tmp_path / "ix", FAST)
    assert parses == [] and (s.reparsed, s.resumed) == (0, 12)
    build_index(vault, tmp_path / "whole", FAST)
    assert _contents(tmp_path / "ix") == _contents(tmp_path / "whole")


def test_a_build_whose_word_count_fails_keeps_the_parse(make_vault, tmp_path: Path, parses: list[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a Ctrl-C or a cancel kept the parse of a build stopped while it counted the words: a failure
    there (a bug, no memory left) left the next build to parse every note again."""
    from notelink.index import build

    def failing(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("counting failed")

    vault, encode = _topic_vault(make_vault), build.encode_notes
    monkeypatch.setattr(build, "encode_notes", failing)
    with pytest.raises(RuntimeError, match="counting failed"):
        build_index(vault, tmp_path / "ix", FAST)
    monkeypatch.setattr(build, "encode_notes", encode)
    assert len(parses) == 12 and checkpoint.exists(tmp_path / "ix")
    parses.clear()
    s = build_index(vault, tmp_path / "ix", FAST)
    assert parses == [] and (s.reparsed, s.resumed) == (0, 12)  # (`notelink index`: "12 reused from an
    # interrupted build's parse")
    build_index(vault, tmp_path / "whole", FAST)
    assert _contents(tmp_path / "ix") == _contents(tmp_path / "whole")


def _killed_while_counting(vault: Path, ix: Path) -> None:
    """In a forked child: a build killed (SIGKILL: nothing of it runs after) as it counts the words."""
    from notelink.index import build

    def killed(*args: Any, **kwargs: Any) -> Any:
        os.kill(os.getpid(), signal.SIGKILL)

    build.encode_notes = killed  # type: ignore[assignment]  (the child's own copy of the module)
    build_index(vault, ix, FAST)


def test_a_build_killed_while_counting_the_words_keeps_the_parse(make_vault, tmp_path: Path,
                                                                parses: list[str]) -> None:
    """The parse was kept only as a build stopped: one killed while counting the words (out of memory, a
    watcher's build ended by force) kept nothing. It is kept before the counting begins."""
    vault = _topic_vault(make_vault)
    child = multiprocessing.get_context("fork").Process(target=_killed_while_counting,
                                                        args=(vault, tmp_path / "ix"))
    child.start()
    child.join()
    assert child.exitcode == -signal.SIGKILL and checkpoint.exists(tmp_path / "ix")
    assert current_generation(tmp_path / "ix") is None
    s = build_index(vault, tmp_path / "ix", FAST)
    assert parses == [] and (s.reparsed, s.resumed) == (0, 12)  # (the child's parse was counted in it)


def test_the_token_arrays_are_kept_once_the_words_are_counted(make_vault, tmp_path: Path,
                                                             parses: list[str]) -> None:
    """The parse is kept before the counting, its token arrays after it: the next build reads them."""
    vault = _topic_vault(make_vault)
    _interrupted_while_training(vault, tmp_path / "ix")
    kept = tmp_path / "ix" / checkpoint.FOLDER
    assert sorted(p.name for p in kept.iterdir()) == ["index.sqlite", *sorted(f"{n}.npy" for n in NAMES)]
    records, _ = load_records(kept)
    assert [p for r in records.values() for p in r.paragraphs] and load_paragraphs(kept, 12) is not None


def test_a_cancel_while_counting_the_words_stops_there_and_keeps_the_parse(make_vault, tmp_path: Path,
                                                                          parses: list[str]) -> None:
    """The app's cancel (`should_stop`) was first asked by training: the counting ran on to its end."""
    stages: list[str] = []
    vault = _topic_vault(make_vault)
    with pytest.raises(Cancelled):
        build_index(vault, tmp_path / "ix", FAST, progress=lambda ev: stages.append(ev.stage),
                    should_stop=lambda: "words" in stages)
    assert stages[-1] == "words" and checkpoint.exists(tmp_path / "ix")  # stopped in it, the parse kept
    parses.clear()
    assert build_index(vault, tmp_path / "ix", FAST).resumed == 12 and parses == []


@pytest.mark.parametrize("incremental", [None, IncrementalConfig()])
def test_an_interrupted_update_keeps_only_what_the_index_lacks(make_vault, tmp_path: Path, parses: list[str],
                                                               incremental: IncrementalConfig | None) -> None:
    """The live generation's records are read from it again next time: the checkpoint has the others."""
    vault = _topic_vault(make_vault)
    build_index(vault, tmp_path / "ix", FAST)
    for i in range(3):
        (vault / f"garden/garden {i}.md").write_text(f"# Garden {i}\n\ncompost worm {i}", encoding="utf-8")
    _interrupted_while_training(vault, tmp_path / "ix", incremental=incremental)
    kept = checkpoint.Checkpoint.load(tmp_path / "ix", vault.resolve(), _index_cfg(tmp_path / "ix", vault))
    assert sorted(kept.records) == [f"garden/garden {i}.md" for i in range(3)]
    parses.clear()
    s: IndexSummary = build_index(vault, tmp_path / "ix", FAST, incremental=incremental)
    assert parses == [] and (s.reparsed, s.resumed, s.generation) == (0, 3, 2)


def _index_cfg(ix: Path, vault: Path) -> Any:
    from notelink.config import IndexConfig
    from notelink.index.previous import settled

    return settled(vault.resolve(), ix, IndexConfig())


def _garbage_database(folder: Path) -> None:
    (folder / "index.sqlite").write_bytes(b"not a database" * 100)


def _meta(key: str, value: str) -> Any:
    def change(folder: Path) -> None:
        db = sqlite3.connect(folder / "index.sqlite")
        db.execute("UPDATE meta SET value = ? WHERE key = ?", (value, key))
        db.commit()
        db.close()
    return change


@pytest.mark.parametrize(("damage", "says"), [
    (_garbage_database, "it cannot be read (file is not a database)"),
    (_meta("tokens_version", '"0"'), "they were parsed with other settings or another tokenizer"),
    (_meta("vault", '"/elsewhere"'), "they were parsed from another vault (/elsewhere)"),
    (_meta("checkpoint", "99"), "it was written by another notelink (checkpoint format 99)"),
])
def test_a_stale_or_damaged_checkpoint_is_ignored_with_a_log_line(make_vault, tmp_path: Path,
                                                                  parses: list[str],
                                                                  caplog: pytest.LogCaptureFixture,
                                                                  damage: Any, says: str) -> None:
    vault = _topic_vault(make_vault)
    _interrupted_while_training(vault, tmp_path / "ix")
    damage(tmp_path / "ix" / checkpoint.FOLDER)
    parses.clear()
    with caplog.at_level(logging.WARNING, logger="notelink.index.checkpoint"):
        s = build_index(vault, tmp_path / "ix", FAST)
    assert len(parses) == 12 and (s.reparsed, s.resumed) == (12, 0)  # parsed again, as without one
    line = next(r.getMessage() for r in caplog.records if r.name == "notelink.index.checkpoint")
    assert line.startswith("the notes parsed by an interrupted build") and f"are not reused: {says}" in line
    assert not checkpoint.exists(tmp_path / "ix")


def test_token_arrays_cut_short_are_read_from_the_text_instead(make_vault, tmp_path: Path,
                                                                parses: list[str]) -> None:
    """As a generation's: its notes table has the tokens too (a sync tool that truncated a file)."""
    vault = _topic_vault(make_vault)
    _interrupted_while_training(vault, tmp_path / "ix")
    ids = tmp_path / "ix" / checkpoint.FOLDER / "tokens_ids.npy"
    ids.write_bytes(ids.read_bytes()[:200])
    parses.clear()
    s = build_index(vault, tmp_path / "ix", FAST)
    assert parses == [] and s.resumed == 12
    build_index(vault, tmp_path / "whole", FAST)
    assert _contents(tmp_path / "ix") == _contents(tmp_path / "whole")


@pytest.mark.parametrize("limit", [("MIN_PARSED", 13), ("ROOM", 10**12)])
def test_few_notes_parsed_or_little_disk_keep_none(make_vault, tmp_path: Path, parses: list[str], limit: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A watcher's update of a note or two writes no checkpoint (`MIN_PARSED`), nor does a build on a disk
    with room for little more than its index (`ROOM`: 12 notes of ~500 bytes beside less than 6 PB free)."""
    monkeypatch.setattr(checkpoint, *limit)
    vault = _topic_vault(make_vault)
    _interrupted_while_training(vault, tmp_path / "ix")
    assert not (tmp_path / "ix" / checkpoint.FOLDER).exists()
    assert [p.name for p in (tmp_path / "ix").iterdir() if p.name.startswith(checkpoint.FOLDER)] == []


def test_what_a_writer_killed_mid_save_left_is_removed(make_vault, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """By the build that completes next, even one that keeps nothing itself."""
    monkeypatch.setattr(checkpoint, "MIN_PARSED", 10**9)
    vault = _topic_vault(make_vault)
    dead = 2**22 + 12345  # above Linux's default pid_max: no such process
    left = [tmp_path / "ix" / f"{checkpoint.FOLDER}.{kind}-{pid}" for kind in ("tmp", "old")
            for pid in (dead, os.getpid())]  # (a container's process may have a dead writer's number)
    for folder in left:
        folder.mkdir(parents=True)
    build_index(vault, tmp_path / "ix", FAST)
    assert not any(p.exists() for p in left)


def test_a_checkpoint_a_completed_build_left_is_not_preferred_to_the_index(make_vault, tmp_path: Path,
                                                                         parses: list[str],
                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                         caplog: pytest.LogCaptureFixture
                                                                         ) -> None:
    """A build that completed but was killed before it removed its checkpoint (or could not remove it):
    the next build reuses the live generation's records, not the checkpoint's older parse."""
    vault = _topic_vault(make_vault)
    _interrupted_while_training(vault, tmp_path / "ix")
    with monkeypatch.context() as m:
        m.setattr(checkpoint, "drop", lambda index_dir: None)  # killed just before it
        build_index(vault, tmp_path / "ix", FAST)
    assert checkpoint.exists(tmp_path / "ix")
    parses.clear()
    with caplog.at_level(logging.WARNING, logger="notelink.index.checkpoint"):
        s = build_index(vault, tmp_path / "ix", FAST)
    assert parses == [] and s.up_to_date and s.resumed == 0
    assert any("a build completed since they were parsed" in r.getMessage() for r in caplog.records)
    assert not checkpoint.exists(tmp_path / "ix")


@pytest.mark.parametrize("kept", [True, False])
def test_a_build_that_fails_after_parsing_says_the_parse_is_kept_when_it_is(
        make_vault, tmp_path: Path, parses: list[str], kept: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Training that diverged (or a full disk while saving) left the parse for the next build, but the
    error did not say so: it ends with a clause saying it, only when a checkpoint is kept."""
    from notelink.index import build

    def diverged(*args: Any, **kwargs: Any) -> Any:
        raise TrainingDiverged("training diverged: the word vectors are not finite numbers")

    if not kept:
        monkeypatch.setattr(checkpoint, "MIN_PARSED", 13)  # (12 notes: none kept)
    monkeypatch.setattr(build, "_train", diverged)
    with pytest.raises(TrainingDiverged) as failed:
        build_index(_topic_vault(make_vault), tmp_path / "ix", FAST)
    said = f"not finite numbers; {checkpoint.KEPT}" if kept else "not finite numbers"
    assert str(failed.value) == f"training diverged: the word vectors are {said}"
    assert checkpoint.exists(tmp_path / "ix") is kept

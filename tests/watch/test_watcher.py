"""The watcher with a real watchdog observer on a temporary vault: every editor save style ends in the
right index, a storm is one or two retrains, failures never stop it, one watcher per index. (Its feed of
changes, OS events or rescans: `test_feed.py`; what the tests share: `helpers.py`, `conftest.py`.)"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from notelink.config import WatchConfig
from notelink.index.lock import WatcherLock, lock_info
from notelink.index.store import current_generation
from notelink.query.index import Index
from notelink.watch.status import read_state, watcher_status
from notelink.watch.watcher import VaultWatcher, WatcherRunning, WatchEvent

from ..conftest import FAST
from ..index.test_update import topic_vault
from .helpers import CFG, NEW, Recorder, in_sync, said_at_last, settle, tokens


# -- editors' save styles ------------------------------------------------------------------------
def in_place(p: Path, text: str) -> None:  # VS Code
    p.write_text(text, encoding="utf-8")


def truncate_pause_write(p: Path, text: str) -> None:
    with open(p, "r+", encoding="utf-8") as fh:
        fh.truncate(0)
    time.sleep(CFG.quiet * 5)  # long enough for a batch: the empty note must not be indexed
    p.write_text(text, encoding="utf-8")


def rename_over(p: Path, text: str) -> None:  # Sublime, gedit, sed -i
    tmp = p.with_name("sedX1b2c3")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, p)


def vim_backup_rename(p: Path, text: str) -> None:
    probe = p.with_name("4913")
    probe.write_text("")
    probe.unlink()
    backup = p.with_name(p.name + "~")
    os.rename(p, backup)
    p.write_text(text, encoding="utf-8")
    backup.unlink()


def jetbrains_safe_write(p: Path, text: str) -> None:
    tmp, old = p.with_name(p.name + "___jb_tmp___"), p.with_name(p.name + "___jb_old___")
    tmp.write_text(text, encoding="utf-8")
    os.rename(p, old)
    os.rename(tmp, p)
    old.unlink()


def delete_and_recreate(p: Path, text: str) -> None:
    p.unlink()
    time.sleep(0.02)
    p.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("save", [in_place, truncate_pause_write, rename_over, vim_backup_rename,
                                  jetbrains_safe_write, delete_and_recreate])
def test_save_styles_end_in_the_new_content(watching, save) -> None:
    vault, ix, rec, _ = watching
    before = len(rec.kinds("indexed"))
    save(vault / "bread/bread 2.md", NEW)
    settle(vault, ix, rec, before)
    assert "quokka" in (tokens(ix, "bread/bread 2.md") or "")
    assert all(t for t in rec.note_tokens), "an empty or missing intermediate state was indexed"
    assert not any(e.kind == "error" for e in rec.events), rec.events


def test_moved_note_and_folder_keep_their_vectors(watching) -> None:
    vault, ix, rec, _ = watching
    before = len(rec.kinds("indexed"))
    (vault / "archive").mkdir()
    os.rename(vault / "bread/bread 2.md", vault / "archive/bread 2 (old).md")
    settle(vault, ix, rec, before)
    assert Index.open(ix).meta["update"]["mode"] == "carried"  # same content: no retraining
    before = len(rec.kinds("indexed"))
    os.rename(vault / "stars", vault / "sky")
    settle(vault, ix, rec, before)
    index = Index.open(ix)
    assert index.meta["update"]["mode"] == "carried" and index.find_note("sky/stars 3.md").title == "Stars 3"


def test_storm_of_a_thousand_notes_is_one_or_two_retrains(make_vault, tmp_path: Path) -> None:
    vault, ix = topic_vault(make_vault), tmp_path / "ix"
    rec = Recorder(ix)
    w = VaultWatcher(vault, ix, FAST, on_event=rec, watch_cfg=WatchConfig())  # default batching
    w.start()
    try:
        rec.wait_for(lambda: bool(rec.kinds("indexed")))
        before = len(rec.kinds("indexing"))
        (vault / "checkout").mkdir()
        for i in range(1000):  # what a `git checkout` does to the working tree
            (vault / f"checkout/n{i:04d}.md").write_text(f"# N{i}\n\nbranch note {i} orbit soil",
                                                         encoding="utf-8")
        settle(vault, ix, rec, len(rec.kinds("indexed")))
        time.sleep(WatchConfig().quiet * 2)  # any straggling batch would have started by now
        assert 1 <= len(rec.kinds("indexing")) - before <= 2
    finally:
        w.stop()


def test_a_failing_file_gets_a_status_and_the_watcher_goes_on(watching_here, monkeypatch, capsys) -> None:
    from notelink.cli.main import main
    from notelink.notes import records

    vault, ix, rec, _ = watching_here
    real = records.record_from_raw

    def flaky(raw, cfg):  # type: ignore[no-untyped-def]
        if "poison" in raw.path:
            raise RuntimeError("parser exploded")
        return real(raw, cfg)

    monkeypatch.setattr(records, "record_from_raw", flaky)
    (vault / "poison.md").write_text("# Poison\n\nwords", encoding="utf-8")
    rec.wait_for(lambda: any(e.kind == "error" and "poison.md" in e.paths for e in rec.events))
    assert "parser exploded" in rec.kinds("error")[-1].message
    assert main(["status", str(vault), "--index-dir", str(ix), "--json", "--files"]) == 0
    data = json.loads(capsys.readouterr().out)
    states = {f["path"]: f for f in data["files"]}
    assert states["poison.md"]["status"] == "error" and "parser exploded" in states["poison.md"]["reason"]
    assert data["watcher"]["running"] and data["watcher"]["pid"] == os.getpid()
    before = len(rec.kinds("indexed"))
    (vault / "bread/bread 2.md").write_text(NEW, encoding="utf-8")  # still watching
    settle(vault, ix, rec, before)


def test_a_listener_that_raises_does_not_stop_the_watcher(make_vault, tmp_path: Path) -> None:
    vault, ix = topic_vault(make_vault), tmp_path / "ix"
    seen: list[str] = []

    def listener(ev: WatchEvent) -> None:
        seen.append(ev.kind)
        raise ValueError("listener bug")

    w = VaultWatcher(vault, ix, FAST, on_event=listener, watch_cfg=CFG)
    w.start()
    try:
        end = time.monotonic() + 120
        while "indexed" not in seen:
            assert time.monotonic() < end
            time.sleep(0.05)
        (vault / "bread/bread 2.md").write_text(NEW, encoding="utf-8")
        while not in_sync(vault, ix):
            assert time.monotonic() < end
            time.sleep(0.05)
    finally:
        w.stop()
    assert seen[-1] == "stopped"


def test_queries_are_answered_from_the_previous_generation_while_training(watching) -> None:
    vault, ix, rec, _ = watching
    live_during_training: list[int] = []
    gen_before = Index.open(ix).meta["generation"]

    def spy(ev: WatchEvent) -> None:
        if ev.kind == "progress" and ev.progress is not None and ev.progress.stage == "train":
            live_during_training.append(Index.open(ix).meta["generation"])

    rec.also = spy
    before = len(rec.kinds("indexed"))
    (vault / "bread/bread 2.md").write_text(NEW, encoding="utf-8")
    settle(vault, ix, rec, before)
    assert live_during_training and set(live_during_training) == {gen_before}


def test_second_watcher_refuses_to_start(watching, capsys) -> None:
    from notelink.cli.main import main

    vault, ix, _, _ = watching
    with pytest.raises(WatcherRunning, match=f"pid {os.getpid()}"):
        VaultWatcher(vault, ix, FAST).start()
    assert main(["watch", str(vault), "--index-dir", str(ix)]) == 2
    assert "another watcher" in capsys.readouterr().err




def test_a_watcher_whose_index_folder_was_deleted_still_keeps_it(watching) -> None:
    """`rm -rf` of the index folder under `notelink watch`: it rebuilt the index at the next save, but its
    lock's file was gone, so `status` said "Watcher: not running" and a second watcher started beside it."""
    vault, ix, rec, _ = watching
    shutil.rmtree(ix)
    before = len(rec.kinds("indexed"))
    (vault / "bread/bread 2.md").write_text(NEW, encoding="utf-8")
    settle(vault, ix, rec, before)
    assert watcher_status(ix)["running"]
    with pytest.raises(WatcherRunning, match=f"pid {os.getpid()}"):
        VaultWatcher(vault, ix, FAST).start()


def test_a_watcher_takes_its_lock_again_at_its_next_round_after_its_index_folder_is_deleted(watching) -> None:
    """Between an `rm -rf` of the index folder and the next build (the next save, or the reconcile up to 10
    minutes later) the lock was nobody's: an app or MCP server waiting to watch (trying every 3 s) started a
    second watcher, and the first ran on beside it; `related` had no index meanwhile. Now the first takes
    it again at its next round (a second or less) and builds the index again at once."""
    vault, ix, rec, _ = watching
    before = len(rec.kinds("indexed"))
    shutil.rmtree(ix)
    rec.wait_for(lambda: lock_info(ix).running, timeout=30)
    with pytest.raises(WatcherRunning, match=f"pid {os.getpid()}"):
        WatcherLock(ix).acquire()
    rec.wait_for(lambda: len(rec.kinds("indexed")) > before and current_generation(ix) is not None)
    assert in_sync(vault, ix)


def test_a_watcher_whose_lock_another_took_stands_by_until_that_one_stops(watching, tmp_path: Path) -> None:
    """Should a waiting app or server take the lock first while the index folder is gone, the first watcher
    warned at each build and kept building beside it. It now says so once, builds nothing and writes no
    status (the other one's) until that one stops; then it takes over again and catches up."""
    vault, ix, rec, w = watching
    other = WatcherLock(tmp_path / "other")
    other.acquire()  # another watcher's lock, in the folder that replaces the index's
    try:
        os.rename(ix, tmp_path / "old")
        os.rename(tmp_path / "other", ix)  # (no index folder for an instant only)
        rec.wait_for(lambda: any("took over the index" in e.message for e in rec.kinds("error")), timeout=30)
        said = next(e.message for e in rec.kinds("error") if "took over the index" in e.message)
        assert said == (f"another watcher (pid {os.getpid()}) took over the index at {ix} while this one's "
                        "lock was gone (the folder or its lock file deleted); this one builds nothing until "
                        "that one stops, then takes over again")
        before, building = len(rec.kinds("indexed")), len(rec.kinds("indexing"))
        (vault / "bread/bread 2.md").write_text(NEW, encoding="utf-8")  # (the other one's to index)
        rec.wait_for(lambda: w.left_to_other > 0, timeout=30)  # the batch seen, and left
        assert (len(rec.kinds("indexed")), len(rec.kinds("indexing"))) == (before, building)
        assert read_state(ix) == {} and current_generation(ix) is None
    finally:
        other.release()
    settle(vault, ix, rec, before)  # taken over again: reconciled
    with pytest.raises(WatcherRunning):
        WatcherLock(ix).acquire()
    assert len(rec.kinds("error")) == 1 and read_state(ix)["state"] in ("idle", "indexing")


def test_startup_reconciles_changes_made_while_stopped(watching) -> None:
    vault, ix, _, w = watching
    w.stop()
    (vault / "bread/bread 2.md").write_text(NEW, encoding="utf-8")
    (vault / "stars/stars 0.md").unlink()
    rec2 = Recorder(ix)
    again = VaultWatcher(vault, ix, FAST, on_event=rec2, watch_cfg=CFG)
    again.start()
    try:
        rec2.wait_for(lambda: bool(rec2.kinds("indexed")))
        assert in_sync(vault, ix)
    finally:
        again.stop()


def test_a_startup_on_an_index_up_to_date_says_no_indexing(watching) -> None:
    """The build checks the index before it reads the notes ("check"): the watcher took that for a build
    under way, and the app showed "Checking the index…" for good when the index was already current."""
    vault, ix, _, w = watching
    w.stop()
    rec2 = Recorder(ix)
    again = VaultWatcher(vault, ix, FAST, on_event=rec2, watch_cfg=CFG)
    again.start()
    try:
        end = time.monotonic() + 120
        while read_state(ix).get("state") != "idle":
            assert time.monotonic() < end, "the watcher never settled"
            time.sleep(0.05)
        assert not rec2.kinds("indexing") and not rec2.kinds("progress")
    finally:
        again.stop()


def test_status_text_and_files_after_the_watcher_stopped(watching, capsys) -> None:
    from notelink.cli.main import main

    vault, ix, _, w = watching
    w.stop()
    assert main(["status", str(vault), "--index-dir", str(ix), "--files"]) == 0
    out = capsys.readouterr().out
    assert "Watcher: not running" in out and "last generation:" in out
    assert "indexed  bread/bread 2.md" in out
    assert main(["status", str(vault), "--index-dir", str(ix), "--json"]) == 0
    watcher = json.loads(capsys.readouterr().out)["watcher"]
    assert watcher["running"] is False and watcher["pid"] is None and watcher["last_generation_at"]


def test_an_empty_vault_is_waited_out_not_reported_as_an_error(tmp_path: Path) -> None:
    vault, ix = tmp_path / "vault", tmp_path / "ix"
    vault.mkdir()
    rec = Recorder(ix, "Bread.md")
    w = VaultWatcher(vault, ix, FAST, on_event=rec, watch_cfg=CFG)
    w.start()
    try:
        rec.wait_for(lambda: bool(rec.kinds("waiting")))
        assert not rec.kinds("error") and "no notes found" in rec.kinds("waiting")[0].message
        (vault / "Bread.md").write_text(NEW, encoding="utf-8")  # the first note starts the first build
        rec.wait_for(lambda: bool(rec.kinds("indexed")))
    finally:
        w.stop()
    assert not rec.kinds("error") and rec.note_tokens[-1] is not None


def test_a_note_turned_binary_is_logged_as_skipped_with_its_reason(watching, caplog) -> None:
    vault, _, rec, _ = watching
    caplog.set_level(logging.INFO, logger="notelink")
    before = len(rec.kinds("indexed"))
    (vault / "bread/bread 2.md").write_bytes(b"\x00\x01 not text any more")
    rec.wait_for(lambda: len(rec.kinds("indexed")) > before)
    said = "skipped bread/bread 2.md: binary: the file is not text (it contains NUL bytes)"
    assert any(r.levelno == logging.WARNING and r.getMessage() == said for r in caplog.records)


def test_a_watcher_on_a_full_disk_waits_for_space_and_retries(make_vault, small_disk) -> None:
    from ..conftest import fill

    vault, disk = topic_vault(make_vault), small_disk(3 * 1024 * 1024)
    ix = disk / "ix"
    ix.mkdir()
    filler = fill(disk)
    rec = Recorder(ix)
    watcher = VaultWatcher(vault, ix, FAST, on_event=rec, watch_cfg=replace(CFG, retry_s=0.2, isolate=False))
    watcher.start()  # its lock, on the full disk
    try:
        rec.wait_for(lambda: any("waiting for disk space" in e.message and "no space left" in e.message
                                 for e in rec.kinds("error")))
        assert current_generation(ix) is None and not list(ix.glob("gen-*"))
        filler.unlink()
        rec.wait_for(lambda: bool(rec.kinds("indexed")), timeout=300)
        assert Index.open(ix).notes
    finally:
        watcher.stop()


def test_an_update_is_said_from_the_moment_it_starts_reading(watching, caplog) -> None:
    """The log said nothing between `changed:` and `indexing` while the build read the live index and the
    notes (a minute on a 10k-note vault, a new user's sweep); `status --json` names the stage."""
    vault, ix, rec, _ = watching
    caplog.set_level(logging.INFO, logger="notelink")
    stages: list[tuple[str, str, list[str]]] = []

    def look(ev: WatchEvent) -> None:
        if ev.kind == "progress" and ev.progress is not None:
            status = watcher_status(ix)
            stages.append((ev.progress.stage, status["stage"], status["pending"]))
    rec.also = look
    before = len(rec.kinds("indexed"))
    (vault / "bread/bread 2.md").write_text(NEW, encoding="utf-8")
    rec.wait_for(lambda: len(rec.kinds("indexed")) > before)
    said = [r.getMessage() for r in caplog.records if r.name.startswith("notelink")]
    reading = said.index("updating the index for bread/bread 2.md: reading the notes")
    assert said.index("changed: bread/bread 2.md") < reading < said.index("indexing bread/bread 2.md")
    assert stages and all(now == shown and pending == ["bread/bread 2.md"] for now, shown, pending in stages)
    assert watcher_status(ix)["stage"] == ""  # idle again


def _said(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith("notelink")]


def test_a_block_written_is_no_change(watching, caplog) -> None:
    """After a block --write the log stopped at "updating the index for ...: reading the notes": the block
    is no edit, so nothing was built, and nothing said so; later "touched, same text as indexed". The block
    is left out of the note's hash: the batch is no change, said once in the log, with no build."""
    from notelink.notes.block import render

    vault, _, rec, _ = watching
    caplog.set_level(logging.INFO, logger="notelink")
    note = vault / "bread/bread 2.md"
    note.write_text(render(note.read_text(encoding="utf-8"), ["- [[bread 3]]"]), encoding="utf-8")
    said_at_last(caplog, "no change: bread/bread 2.md touched, same text as indexed")
    assert not rec.kinds("changed") and not rec.kinds("current") and not rec.kinds("indexing")[1:]
    assert not any("updating the index" in line for line in _said(caplog))


def test_an_update_that_waited_for_another_build_says_who_built_the_index(watching, caplog) -> None:
    """After waiting for a concurrent `notelink index`, which took the change in, the log stopped at the
    update's first line too (with an "indexing" line for a build that never came)."""
    from notelink.index.build import build_index
    from notelink.index.report import IndexEvent

    vault, ix, rec, w = watching
    caplog.set_level(logging.INFO, logger="notelink")
    holding, go = threading.Event(), threading.Event()

    def hold(ev: IndexEvent) -> None:  # the other build holds the build lock until the watcher waits
        if ev.stage == "check" and not holding.is_set():
            holding.set()
            assert go.wait(120)
    other = threading.Thread(target=build_index, args=(vault, ix, FAST), kwargs={"progress": hold})
    other.start()
    try:
        assert holding.wait(120)
        known, before = w.generation, len(rec.kinds("indexed"))
        (vault / "bread/bread 2.md").write_text(NEW, encoding="utf-8")
        rec.wait_for(lambda: any(e.progress is not None and e.progress.stage == "wait"
                                 for e in rec.kinds("progress")))
    finally:
        go.set()
        other.join()
    rec.wait_for(lambda: bool(rec.kinds("current")))
    assert w.generation > known and len(rec.kinds("indexed")) == before and in_sync(vault, ix)
    said = _said(caplog)
    done = f"the index is current: generation {w.generation} was built by another process"
    reading = said.index("updating the index for bread/bread 2.md: reading the notes")
    assert reading < said.index("waiting for another build of the index to finish (a `notelink index`?)") \
        < said.index(done)
    assert "indexing bread/bread 2.md" not in said


@pytest.fixture
def held_fork_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fork server that starts only when the returned gate file is made (as one importing torch on a busy
    machine takes seconds); the usual one again afterwards."""
    from multiprocessing import forkserver

    from notelink.watch import builder

    def fresh() -> None:
        server = forkserver._forkserver  # type: ignore[attr-defined]
        if server._forkserver_pid is not None:
            with contextlib.suppress(OSError):
                server._stop()
        server._forkserver_pid = server._forkserver_alive_fd = server._forkserver_address = None
    gate = tmp_path / "gate"
    monkeypatch.setenv("NOTELINK_TEST_GATE", str(gate))
    monkeypatch.setattr(builder, "PRELOAD", [*builder.PRELOAD, "tests.watch.forkgate"])
    fresh()
    try:
        yield gate
    finally:
        gate.touch()
        fresh()


def test_a_watcher_stops_at_once_while_its_fork_server_is_still_starting(
        make_vault, tmp_path: Path, held_fork_server: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An MCP server with --watch closed just after its watcher started (a takeover) waited for the fork
    server to import torch: past the 2 s its host gives, SIGTERM killed it with the watcher's lock held ("the
    previous watcher did not stop cleanly") and 5 semaphores leaked. The start is abandoned instead: the
    stop ends the worker itself, the gate still shut, without the kill its time limit would fall back to
    (that limit is only a guard against a hang: a stop that waited for the fork server would wait it out)."""
    from notelink.index.lock import lock_info
    from notelink.watch import builder

    killed: list[bool] = []
    monkeypatch.setattr(builder.ChildBuilder, "kill", lambda self: killed.append(True))
    vault, ix = topic_vault(make_vault), tmp_path / "ix"
    rec = Recorder(ix)
    w = VaultWatcher(vault, ix, FAST, on_event=rec, watch_cfg=CFG)
    w.start()
    try:
        end = time.monotonic() + 120  # (a guard: the loop ends when the fork server waits at the gate)
        while not Path(f"{held_fork_server}.waiting").exists():
            assert time.monotonic() < end, "the fork server never started"
            time.sleep(0.01)
    finally:
        w.stop(timeout=120)  # (returns when the worker has ended)
    assert not killed and not Path(held_fork_server).exists()
    assert rec.kinds("stopped") and not lock_info(ix).running and lock_info(ix).pid is None
    assert not rec.kinds("error") and read_state(ix)["state"] == "stopped"

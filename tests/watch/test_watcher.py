"""The watcher with a real watchdog observer on a temporary vault: every editor save style ends in the
right index, a storm is one or two retrains, failures never stop it, one watcher per index."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from notelink.config import WatchConfig
from notelink.index.store import current_generation, open_generation
from notelink.notes.vault import scan
from notelink.query.index import Index
from notelink.watch import observer as observer_mod
from notelink.watch.status import read_state, watcher_status
from notelink.watch.watcher import VaultWatcher, WatcherRunning, WatchEvent

from ..conftest import FAST
from ..index.test_update import topic_vault

CFG = WatchConfig(quiet_ms=60, max_wait_ms=1000, settle_ms=600, rescan_s=0.2)
NEW = "# Bread 2\n\nquokka marmalade sourdough levain crumb oven quokka\n"


class Recorder:
    """Collects WatchEvents; for every new generation, remembers the text of the watched note."""

    def __init__(self, ix: Path, watch_path: str = "bread/bread 2.md") -> None:
        self.ix, self.watch_path = ix, watch_path
        self.events: list[WatchEvent] = []
        self.note_tokens: list[str | None] = []
        self.cond = threading.Condition()
        self.also: Callable[[WatchEvent], None] | None = None  # a test's own look at each event

    def __call__(self, ev: WatchEvent) -> None:
        if self.also is not None:
            self.also(ev)
        if ev.kind == "indexed":
            self.note_tokens.append(_tokens(self.ix, self.watch_path))
        with self.cond:
            self.events.append(ev)
            self.cond.notify_all()

    def kinds(self, kind: str) -> list[WatchEvent]:
        return [e for e in self.events if e.kind == kind]

    def wait_for(self, pred: Callable[[], bool], timeout: float = 120.0) -> None:
        end = time.monotonic() + timeout
        with self.cond:
            while not pred():
                assert time.monotonic() < end, f"timed out; events: {[e.kind for e in self.events]}"
                self.cond.wait(0.05)


def _tokens(ix: Path, path: str) -> str | None:
    db, _ = open_generation(current_generation(ix))  # type: ignore[arg-type]
    try:
        row = db.execute("SELECT tokens FROM notes WHERE path = ?", (path,)).fetchone()
    finally:
        db.close()
    return None if row is None else row[0]


def in_sync(vault: Path, ix: Path) -> bool:
    """The live generation holds exactly the notes on disk with their current content (or skips them)."""
    disk = {p: hashlib.sha256((vault / p).read_bytes()).hexdigest() for p in scan(vault)}
    db, _ = open_generation(current_generation(ix))  # type: ignore[arg-type]
    try:
        notes = dict(db.execute("SELECT path, sha256 FROM notes").fetchall())
        skipped = {p for (p,) in db.execute("SELECT path FROM files WHERE status = 'skipped'")}
    finally:
        db.close()
    return notes == {p: h for p, h in disk.items() if p not in skipped} and skipped <= set(disk)


Watching = tuple[Path, Path, Recorder, VaultWatcher]


def _watch(make_vault, tmp_path: Path, cfg: WatchConfig) -> Iterator[Watching]:
    vault, ix = topic_vault(make_vault, per_topic=6), tmp_path / "ix"
    rec = Recorder(ix)
    w = VaultWatcher(vault, ix, FAST, on_event=rec, watch_cfg=cfg)
    w.start()
    try:
        rec.wait_for(lambda: bool(rec.kinds("indexed")))  # startup: first full index
        yield vault, ix, rec, w
    finally:
        w.stop()


@pytest.fixture
def watching(make_vault, tmp_path: Path) -> Iterator[Watching]:
    """A watcher building in child processes (the default)."""
    yield from _watch(make_vault, tmp_path, CFG)


@pytest.fixture
def watching_here(make_vault, tmp_path: Path) -> Iterator[Watching]:
    """A watcher building in its own process (monkeypatches reach the build)."""
    yield from _watch(make_vault, tmp_path, replace(CFG, isolate=False))


@pytest.fixture
def watching_events_only(make_vault, tmp_path: Path) -> Iterator[Watching]:
    """A watcher whose fallback rescans are too rare to matter: what it sees, it sees by OS events."""
    yield from _watch(make_vault, tmp_path, replace(CFG, rescan_s=3600))


def settle(vault: Path, ix: Path, rec: Recorder, before: int) -> None:
    """Waits for a new generation and then for the index to match the disk."""
    rec.wait_for(lambda: len(rec.kinds("indexed")) > before)
    end = time.monotonic() + 120
    while not in_sync(vault, ix):
        assert time.monotonic() < end, "index never caught up with the disk"
        time.sleep(0.05)


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
    assert "quokka" in (_tokens(ix, "bread/bread 2.md") or "")
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


class Refused:
    """An observer the OS refuses: the inotify watch limit."""

    def schedule(self, *args: object, **kw: object) -> None:
        raise OSError(errno.ENOSPC, "inotify watch limit reached")


def test_watch_limit_falls_back_to_rescans(make_vault, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(observer_mod, "make_observer", Refused)
    vault, ix = topic_vault(make_vault), tmp_path / "ix"
    rec = Recorder(ix)
    w = VaultWatcher(vault, ix, FAST, on_event=rec, watch_cfg=CFG)
    w.start()
    try:
        assert w.mode == "rescan"
        rec.wait_for(lambda: any("max_user_watches" in e.message for e in rec.kinds("error")))
        rec.wait_for(lambda: bool(rec.kinds("indexed")))
        before = len(rec.kinds("indexed"))
        (vault / "bread/bread 2.md").write_text(NEW + "\nlonger now\n", encoding="utf-8")
        settle(vault, ix, rec, before)
    finally:
        w.stop()


def test_watch_limit_is_tried_again_with_backoff_and_said_once(make_vault, tmp_path: Path, monkeypatch,
                                                              caplog) -> None:
    from watchdog.observers import Observer

    tries: list[float] = []

    def limited() -> object:  # refused twice, then the limit was raised
        tries.append(time.monotonic())
        return Refused() if len(tries) <= 2 else Observer()

    monkeypatch.setattr(observer_mod, "make_observer", limited)
    monkeypatch.setattr(observer_mod, "inotify_limits", lambda: (str(time.monotonic()),))  # (raised, again)
    vault, ix = topic_vault(make_vault), tmp_path / "ix"
    rec = Recorder(ix)
    w = VaultWatcher(vault, ix, FAST, on_event=rec, watch_cfg=CFG)
    w.start()
    try:
        rec.wait_for(lambda: bool(rec.kinds("watching")))
        assert w.mode == "events" and len(tries) == 3
        assert tries[2] - tries[1] >= 2 * observer_mod.RETRY_FIRST_S  # the second wait is twice the first
        said = [r for r in caplog.records if "falling back" in r.getMessage()]
        assert len(said) == 1 and len([e for e in rec.kinds("error") if "max_user_watches" in e.message]) == 1
        before = len(rec.kinds("indexed"))
        (vault / "bread/bread 2.md").write_text(NEW, encoding="utf-8")
        settle(vault, ix, rec, before)
    finally:
        w.stop()


def test_a_start_refused_for_a_limit_is_not_tried_again_while_the_limit_is_the_same(
        make_vault, tmp_path: Path, monkeypatch) -> None:
    """Each try costs an inotify instance (watchdog keeps some of its descriptors): while the OS limits
    are the same, the watcher stays on rescans and does not try again."""
    tries: list[float] = []

    def refused() -> object:
        tries.append(time.monotonic())
        return Refused()

    monkeypatch.setattr(observer_mod, "make_observer", refused)
    monkeypatch.setattr(observer_mod, "inotify_limits", lambda: ("8192", "128"))
    vault, ix = topic_vault(make_vault), tmp_path / "ix"
    rec = Recorder(ix)
    w = VaultWatcher(vault, ix, FAST, on_event=rec, watch_cfg=CFG)
    w.start()
    try:
        rec.wait_for(lambda: any("max_user_watches" in e.message for e in rec.kinds("error")))
        rec.wait_for(lambda: w._retry.due())  # the backoff would try again now: it must not
        before = len(rec.kinds("indexed"))
        (vault / "bread/bread 2.md").write_text(NEW, encoding="utf-8")
        settle(vault, ix, rec, before)  # (found by a rescan: the loop ran since the retry was due)
        assert w.mode == "rescan" and len(tries) == 1
    finally:
        w.stop()


def test_event_overflow_is_reported_reconciled_and_watched_again(watching) -> None:
    vault, ix, rec, w = watching
    (vault / "bread/bread 2.md").write_text(NEW, encoding="utf-8")
    logging.getLogger("watchdog.observers.inotify_c").warning("Inotify queue overflowed; events were lost")
    rec.wait_for(lambda: any("overflow" in e.message for e in rec.kinds("error")))
    rec.wait_for(lambda: bool(rec.kinds("watching")))
    assert w.mode == "events"
    rec.wait_for(lambda: in_sync(vault, ix))


def test_a_replaced_vault_folder_is_watched_again(watching_events_only, tmp_path: Path) -> None:
    """A sync tool or a re-clone replaces the vault folder: the watcher falls back to rescans, then watches
    the new folder (OS events again), reconciles, and sees a note created afterwards."""
    vault, ix, rec, w = watching_events_only
    copy = shutil.copytree(vault, tmp_path / "copy")
    (copy / "bread/bread 2.md").write_text(NEW, encoding="utf-8")
    shutil.rmtree(vault)
    shutil.copytree(copy, vault)
    rec.wait_for(lambda: bool(rec.kinds("watching")))
    assert any("the file watcher stopped" in e.message for e in rec.kinds("error"))
    assert w.mode == "events" and watcher_status(ix)["mode"] == "events"
    rec.wait_for(lambda: in_sync(vault, ix))
    (vault / "bread/bread new.md").write_text("# Bread new\n\nlevain crumb oven quokka\n", encoding="utf-8")
    rec.wait_for(lambda: _tokens(ix, "bread/bread new.md") is not None)  # by events, or the reconcile
    assert w.mode == "events" and in_sync(vault, ix)


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


def test_an_update_that_finds_nothing_to_build_says_so(watching, caplog) -> None:
    """After a block --write the log stopped at "updating the index for ...: reading the notes": the block
    is no edit, so nothing was built, and nothing said so."""
    from notelink.notes.block import render

    vault, _, rec, w = watching
    caplog.set_level(logging.INFO, logger="notelink")
    note = vault / "bread/bread 2.md"
    note.write_text(render(note.read_text(encoding="utf-8"), ["- [[bread 3]]"]), encoding="utf-8")
    rec.wait_for(lambda: bool(rec.kinds("current")))
    said = _said(caplog)
    done = f"nothing changed for the index: generation {w.generation} stays live"
    assert said.index("updating the index for bread/bread 2.md: reading the notes") < said.index(done)
    assert rec.kinds("current")[0].paths == ("bread/bread 2.md",) and not rec.kinds("indexing")[1:]


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


def test_a_watcher_stops_at_once_while_its_fork_server_is_still_starting(make_vault, tmp_path: Path,
                                                                        held_fork_server: Path) -> None:
    """An MCP server with --watch closed just after its watcher started (a takeover) waited for the fork
    server to import torch: past the 2 s its host gives, SIGTERM killed it with the watcher's lock held ("the
    previous watcher did not stop cleanly") and 5 semaphores leaked. The start is abandoned instead."""
    from notelink.index.lock import lock_info

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
        w.stop(timeout=1.0)
    assert rec.kinds("stopped") and not lock_info(ix).running and lock_info(ix).pid is None
    assert not rec.kinds("error") and read_state(ix)["state"] == "stopped"

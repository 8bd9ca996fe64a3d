"""Note records: parsing here or in forked processes gives the same records, and a dying parser costs
only speed."""

import errno
import logging
import multiprocessing
import os
import sys
from multiprocessing import context
from typing import Any

import pytest

from notelink.config import IndexConfig
from notelink.errors import Cancelled
from notelink.notes import records
from notelink.notes.records import NoteRecord, Unread, parse_all, read_vault
from notelink.notes.vault import RawNote, Skipped, read_note, scan
from notelink.processes import can_fork_workers

from ..conftest import SAMPLE

needs_fork = pytest.mark.skipif(not can_fork_workers(), reason="parsing processes need Linux and no threads")


def _raws() -> list[RawNote]:
    raws = [r for rel in scan(SAMPLE, ()) if isinstance(r := read_note(SAMPLE, rel, 10**7), RawNote)]
    raws.append(RawNote("broken.md", "---\nkey: [unclosed\n---\ntext", "0" * 64, 30, 0.0))
    return raws


@needs_fork
def test_parsing_in_two_processes_gives_the_same_records() -> None:
    raws = _raws()
    here = parse_all(raws, IndexConfig(), min_parallel=10**9)
    progress: list[int] = []
    forked = parse_all(raws, IndexConfig(), progress.append, min_parallel=1)
    assert forked == here and progress[-1] == len(raws)
    parsed = [r for r in forked if isinstance(r, NoteRecord)]
    assert parsed[-1].path == "broken.md" and parsed[-1].warning  # parsed with a warning, in both
    assert all(sys.intern(t) is t for r in parsed for p in r.paragraphs for t in p)  # one object a word
    calls: list[int] = []
    overlapped = parse_all(raws, IndexConfig(), meanwhile=lambda: calls.append(os.getpid()))
    assert overlapped == here and calls == [os.getpid()]  # a few notes, parsed while `meanwhile` ran here
    assert not multiprocessing.active_children()


@pytest.mark.parametrize("min_parallel", [1, 10**9])  # read and parsed by two processes, or here
def test_new_notes_are_read_where_they_are_parsed(tmp_path: Any, min_parallel: int) -> None:
    (tmp_path / "a.md").write_text("# A\n\nPlain words about apples.\n", encoding="utf-8")
    (tmp_path / "bin.md").write_bytes(b"\x00\x01binary")
    (tmp_path / "big.md").write_text("x" * 2000, encoding="utf-8")
    rels = ["a.md", "bin.md", "big.md", "gone.md"] * 10
    cfg = IndexConfig(max_file_bytes=1000)
    got = parse_all([Unread(tmp_path, rel) for rel in rels], cfg, min_parallel=min_parallel)
    raw = read_note(tmp_path, "a.md", 1000)
    assert isinstance(raw, RawNote) and got[0] == records.record_from_raw(raw, cfg)
    assert [r.reason.split(":")[0] for r in got[1:4] if isinstance(r, Skipped)] == [
        "binary", "too large", "vanished"]
    assert got == got[:4] * 10 and not multiprocessing.active_children()


def test_read_vault_counts_only_notes_parsed_now(tmp_path: Any) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.md").write_text(f"# {name}\n\nwords {name}\n", encoding="utf-8")
    (tmp_path / "bin.md").write_bytes(b"\x00")
    recs, skipped, n = read_vault(tmp_path, IndexConfig(), {})
    assert ([r.path for r in recs], [s.path for s in skipped], n) == (["a.md", "b.md"], ["bin.md"], 2)
    (tmp_path / "b.md").write_text("# b\n\nnew words\n", encoding="utf-8")
    again, _, n = read_vault(tmp_path, IndexConfig(), {r.path: r for r in recs})
    assert again[0] is recs[0] and again[1] != recs[1] and n == 1


@needs_fork
def test_a_parsing_process_that_dies_costs_only_speed(monkeypatch: pytest.MonkeyPatch,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    raws = _raws()
    here = parse_all(raws, IndexConfig(), min_parallel=10**9)
    parent, real = os.getpid(), records._parse_safely

    def dies_in_a_child(raw: RawNote, cfg: IndexConfig) -> NoteRecord | records.Skipped:
        if os.getpid() != parent and raw.path == raws[5].path:
            os._exit(9)  # as if killed for memory, mid-slice
        return real(raw, cfg)

    monkeypatch.setattr(records, "_SLICE", 2)
    monkeypatch.setattr(records, "_parse_safely", dies_in_a_child)
    with caplog.at_level(logging.WARNING, logger="notelink.notes.records"):
        assert parse_all(raws, IndexConfig(), min_parallel=1) == here
    assert "parsing process stopped (exit code 9" in caplog.text  # not None: the child is joined first
    assert not multiprocessing.active_children()


@needs_fork
def test_a_failed_build_leaves_no_parsing_process() -> None:
    def fails() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        parse_all(_raws() * 20, IndexConfig(), min_parallel=1, meanwhile=fails)
    assert not multiprocessing.active_children()


@pytest.mark.parametrize("min_parallel", [1, 10**9])  # parsed by two processes, or here
def test_parsing_stops_when_asked(min_parallel: int) -> None:
    asked: list[int] = []

    def should_stop() -> bool:
        asked.append(1)
        return len(asked) > 5

    with pytest.raises(Cancelled):
        parse_all(_raws() * 20, IndexConfig(), min_parallel=min_parallel, should_stop=should_stop)
    assert len(asked) == 6 and not multiprocessing.active_children()


@needs_fork
def test_a_parsing_process_that_cannot_start_costs_only_speed(monkeypatch: pytest.MonkeyPatch,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    raws = _raws()
    here = parse_all(raws, IndexConfig(), min_parallel=10**9)
    real, started = context.ForkProcess._Popen, []

    def second_fork_fails(process: Any) -> Any:  # as fork() does out of memory or at the process limit
        started.append(process)
        if len(started) == 2:
            raise OSError(errno.EAGAIN, "Resource temporarily unavailable")
        return real(process)

    monkeypatch.setattr(context.ForkProcess, "_Popen", staticmethod(second_fork_fails))
    monkeypatch.setattr(records, "_SLICE", 2)
    with caplog.at_level(logging.WARNING, logger="notelink.notes.records"):
        assert parse_all(raws, IndexConfig(), min_parallel=1) == here
    assert len(started) == 2 and "could not start a note-parsing process" in caplog.text
    assert not multiprocessing.active_children()


def test_n_tokens_counts_the_tokens_of_every_paragraph() -> None:
    from notelink.notes.records import NoteRecord

    r = NoteRecord("a.md", "A", "h", 0, 0.0, [], [], [], [], [["a", "b"], [], ["c"]])
    assert r.n_tokens == len(r.tokens) == 3


def test_a_record_keeps_the_tokens_of_its_refs_as_names_have_them(tmp_path: Any) -> None:
    from notelink.config import IndexConfig
    from notelink.notes.records import record_from_raw
    from notelink.notes.vault import read_note

    (tmp_path / "a.md").write_text("# A\n\nThe plan is at dendron://vault/the.project-plan here.\n",
                                   encoding="utf-8")
    raw = read_note(tmp_path, "a.md", 10**6)
    record = record_from_raw(raw, IndexConfig())  # type: ignore[arg-type]
    assert record.lang == "en" and record.refs == [["dendron", "vault", "project", "plan"]]  # no "the"


def test_numbered_stretches_hold_the_words_near_numbers_once() -> None:
    far = " ".join(f"w{c}ord" for c in "abcdefghijklmnopqrstuvwxyz")  # 26 words without digits
    texts = ["no numbers here at all", f"intro {far} ends 2022 05 31 done", "Daily 2022-06-01"]
    got = records.numbered_stretches(texts, "")
    span = records.NAME_SPAN
    first = got[0]
    assert first[-4:] == ["2022", "05", "31", "done"] and first[0] == "wpord"
    assert first.count("2022") == 1 and len(first) == span + 3 + 1  # 12 words before, 3 numbers, "done"
    assert "intro" not in first  # more than NAME_SPAN words before the first number
    assert got[1] == ["daily", "2022", "06", "01"] and len(got) == 2  # the text without numbers: none


def test_numbered_stretches_stop_at_their_budget() -> None:
    table = " ".join(str(n) for n in range(records.NUMBERED_MAX + 500))
    got = records.numbered_stretches([table, "then 2022 again"], "")
    assert sum(map(len, got)) == records.NUMBERED_MAX and len(got) == 1


def test_a_logseq_graphs_org_pages_are_skipped_and_said(tmp_path: Any) -> None:
    """A Logseq graph's `*.org` pages were left out unsaid; another vault's `.org` files are no pages of
    it. Org pages the vault leaves out (a dot-folder, an ignore file) stay unsaid."""
    from dataclasses import replace

    from notelink.config import DialectConfig
    from notelink.notes.vault import ORG_PAGE

    for rel in ("pages/a.md", "pages/b.org", "journals/2024_01_15.ORG", "pages/old/c.org", ".trash/d.org"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("* a heading\nwords\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("pages/old/\n", encoding="utf-8")
    logseq = replace(IndexConfig(), dialect=DialectConfig("logseq"))
    recs, skipped, _ = read_vault(tmp_path, logseq, {})
    assert [r.path for r in recs] == ["pages/a.md"]
    assert [(s.path, s.reason) for s in skipped] == [("journals/2024_01_15.ORG", ORG_PAGE),
                                                     ("pages/b.org", ORG_PAGE)]
    assert read_vault(tmp_path, IndexConfig(), {})[1] == []

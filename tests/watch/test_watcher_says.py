"""What the watcher's log and events say of a batch (a new user's sweep): a rename is `moved A → B`, a
folder's rename one line, an emptied note "is now empty", a change of links alone no "moves, removals",
a touch "same text", a new note `new: X`, a full retrain for a changed setting or a big change why."""

from __future__ import annotations

import logging
import os
import time

import pytest

from notelink.watch.watcher import WatchEvent

from .helpers import Watching, said_at_last, settle

KEPT = "word vectors kept as they were (no retraining)"


def _said(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith("notelink")]


def _indexed(rec, before: int) -> WatchEvent:  # type: ignore[no-untyped-def]
    rec.wait_for(lambda: len(rec.kinds("indexed")) > before)
    return rec.kinds("indexed")[before]


def test_a_renamed_note_and_folder_are_said_moved(watching: Watching, caplog) -> None:
    vault, ix, rec, _ = watching
    caplog.set_level(logging.INFO, logger="notelink")
    before = len(rec.kinds("indexed"))
    os.rename(vault / "bread/bread 2.md", vault / "bread/bread two.md")
    settle(vault, ix, rec, before)
    moved = "moved bread/bread 2.md → bread/bread two.md"
    assert rec.kinds("changed")[-1].message == moved
    assert rec.kinds("changed")[-1].moves == (("bread/bread 2.md", "bread/bread two.md"),)
    assert moved in _said(caplog)
    assert "updating the index for bread/bread two.md: reading the notes" in _said(caplog)
    assert rec.kinds("indexed")[-1].message.endswith(f"{moved}; {KEPT}")
    before = len(rec.kinds("indexed"))
    os.rename(vault / "stars", vault / "sky")
    settle(vault, ix, rec, before)
    assert rec.kinds("changed")[-1].message == "moved stars/ → sky/"
    assert rec.kinds("indexed")[-1].message.endswith(f"moved stars/ → sky/; {KEPT}")


def test_an_emptied_note_is_said_empty(watching: Watching) -> None:
    vault, ix, rec, _ = watching
    before = len(rec.kinds("indexed"))
    (vault / "bread/bread 2.md").write_text("", encoding="utf-8")  # left empty past the settle time
    settle(vault, ix, rec, before)
    assert rec.kinds("changed")[-1].message == "bread/bread 2.md is now empty"
    assert "bread/bread 2.md is now empty; word vectors kept" in rec.kinds("indexed")[-1].message


def test_a_link_written_is_no_move_or_removal(watching: Watching) -> None:
    """`notelink link --write` adds a link: the words are as they were, so nothing is retrained; the log
    said "only moves, removals or skipped notes"."""
    vault, _, rec, _ = watching
    before = len(rec.kinds("indexed"))
    note = vault / "bread/bread 2.md"
    head, body = note.read_text(encoding="utf-8").split("\n\n", 1)
    word, rest = body.split(" ", 1)
    note.write_text(f"{head}\n\n[[{word}]] {rest}", encoding="utf-8")  # a mention wrapped in a link
    ev = _indexed(rec, before)
    assert rec.kinds("changed")[-1].message == "changed: bread/bread 2.md"
    assert "no new words in bread/bread 2.md (links, tags or layout changed); word vectors kept" in ev.message
    assert "moves" not in ev.message


def test_a_touch_chmod_or_same_bytes_of_every_note_is_no_change(watching: Watching, caplog) -> None:
    """`chmod -R`, a `touch` of every note, a checkout writing the same bytes: was "changed: ... and 17
    more" (the app's toast "18 changed ...; updating related notes…"), then "touched, same text as
    indexed". Now no event, no build, one log line; a real edit in the same burst is the batch alone."""
    vault, ix, rec, w = watching
    caplog.set_level(logging.INFO, logger="notelink")
    notes, live = sorted(vault.rglob("*.md")), w.generation
    for note in notes:
        note.chmod(0o600)
    _no_change_for(caplog, len(notes))
    caplog.clear()
    for note in notes:
        os.utime(note)
    _no_change_for(caplog, len(notes))
    caplog.clear()
    other = vault / "stars/stars 1.md"
    other.write_bytes(other.read_bytes())  # same bytes, written again
    said_at_last(caplog, "no change: stars/stars 1.md touched, same text as indexed")
    assert not rec.kinds("changed") and not rec.kinds("current") and w.generation == live
    before = len(rec.kinds("indexed"))
    for note in notes:
        os.utime(note)
    (vault / "bread/bread 2.md").write_text("# Bread 2\n\nquokka marmalade crumb\n", encoding="utf-8")
    settle(vault, ix, rec, before)
    assert [e.message for e in rec.kinds("changed")] == ["changed: bread/bread 2.md"]
    assert rec.kinds("indexed")[-1].said == "changed: bread/bread 2.md"


def _no_change_for(caplog: pytest.LogCaptureFixture, n: int) -> None:
    """Waits for the log to say `n` notes were no change (in one batch, or several when the burst was
    slow)."""
    def said() -> int:
        lines = [line for line in _said(caplog) if line.startswith("no change: ")]
        whats = [line.removeprefix("no change: ").removesuffix(" touched, same text as indexed")
                 for line in lines]
        return sum(int(w.split()[0]) if w.endswith(" notes") else len(w.split(", ")) for w in whats)
    end = time.monotonic() + 120
    while said() < n:
        assert time.monotonic() < end, f"the log said {said()} notes were no change, not {n}"
        time.sleep(0.05)
    assert said() == n


def test_a_note_renamed_and_back_is_said_so(watching: Watching, caplog) -> None:
    """`mv A B; mv B A` in one batch was "deleted: B; changed: A", then "touched, same text as indexed: A"."""
    vault, _, rec, w = watching
    caplog.set_level(logging.INFO, logger="notelink")
    os.rename(vault / "bread/bread 2.md", vault / "bread/b2.md")
    os.rename(vault / "bread/b2.md", vault / "bread/bread 2.md")
    rec.wait_for(lambda: bool(rec.kinds("current")))
    assert rec.kinds("changed")[-1].message == "moved bread/bread 2.md → bread/b2.md and back"
    done = f"nothing changed for the index: generation {w.generation} stays live"
    assert rec.kinds("current")[0].message == done and done in _said(caplog)
    assert rec.kinds("current")[0].said == "moved bread/bread 2.md → bread/b2.md and back"


def test_a_new_note_is_said_new(watching: Watching, caplog) -> None:
    """A note the index did not have was logged `changed: X`."""
    vault, ix, rec, _ = watching
    caplog.set_level(logging.INFO, logger="notelink")
    before = len(rec.kinds("indexed"))
    (vault / "bread/rye.md").write_text("# Rye\n\nrye sourdough levain crumb oven\n", encoding="utf-8")
    settle(vault, ix, rec, before)
    assert rec.kinds("changed")[-1].message == "new: bread/rye.md" and "new: bread/rye.md" in _said(caplog)
    assert rec.kinds("indexed")[-1].said == "new: bread/rye.md"  # (the app's toast said "after rye changed")
    assert "1 note's new text absorbed by an incremental update (" in rec.kinds("indexed")[-1].message  # (was
    # "1 changed note(s)")
    before = len(rec.kinds("indexed"))
    (vault / "bread/rye.md").write_text("# Rye\n\nrye quokka marmalade crumb oven\n", encoding="utf-8")
    settle(vault, ix, rec, before)
    assert rec.kinds("changed")[-1].message == "changed: bread/rye.md"  # indexed now
    assert rec.kinds("indexed")[-1].said == "changed: bread/rye.md"
    before = len(rec.kinds("indexed"))
    os.rename(vault / "bread/rye.md", vault / "rye.md")
    (vault / "bread/bread 3.md").unlink()
    settle(vault, ix, rec, before)
    assert rec.kinds("indexed")[-1].said == "moved bread/rye.md → rye.md; deleted: bread/bread 3.md"


def test_a_full_retrain_for_a_changed_setting_says_which(make_vault, tmp_path) -> None:
    """A watcher started with another model setting than the index was built with retrains from scratch;
    its log said only "full retrain (...)"."""
    from dataclasses import replace

    from notelink.index.build import build_index
    from notelink.watch.watcher import VaultWatcher

    from ..conftest import FAST
    from ..index.test_update import topic_vault
    from .helpers import CFG, Recorder

    vault, ix = topic_vault(make_vault, per_topic=3), tmp_path / "ix"
    build_index(vault, ix, FAST)
    rec = Recorder(ix)
    w = VaultWatcher(vault, ix, replace(FAST, dim=16, chosen=("dim",)), on_event=rec, watch_cfg=CFG)
    w.start()
    try:
        rec.wait_for(lambda: bool(rec.kinds("indexed")))
    finally:
        w.stop()
    assert "full retrain: settings changed: dim 32 → 16 (" in rec.kinds("indexed")[0].message


def test_a_big_change_retrains_from_scratch_and_says_why(watching: Watching, caplog) -> None:
    """An update given up for a full retrain (here: most of the words changed) said only "full retrain
    (...)" in the log, and nothing in the event the app's toast reads."""
    import re

    vault, ix, rec, _ = watching
    caplog.set_level(logging.INFO, logger="notelink")
    before = len(rec.kinds("indexed"))
    # two thirds of the notes: should the debouncer split them in two batches, one is over a quarter
    for p in [*(vault / "garden").glob("*.md"), *(vault / "stars").glob("*.md")]:
        p.write_text("# New\n\n" + "completely different words there " * 20, encoding="utf-8")
    settle(vault, ix, rec, before)
    rec.wait_for(lambda: any(e.retrain_reason for e in rec.kinds("indexed")[before:]))
    ev = next(e for e in rec.kinds("indexed")[before:] if e.retrain_reason)
    why = r"much of the vault changed: \d+% of its words \(an update takes up to 25%\)"
    assert re.fullmatch(why, ev.retrain_reason), ev.retrain_reason
    assert f"full retrain: {ev.retrain_reason} (" in ev.message and ev.message in _said(caplog)


def test_deletions_spread_over_saves_retrain_from_scratch_and_say_why(watching: Watching, caplog) -> None:
    """A ninth of the vault deleted at each of three saves: each update took less than a quarter, and none
    ever retrained from scratch. What the updates took away since the last full retrain now adds up, and
    the log and the event the app's toast reads say why."""
    import re

    vault, ix, rec, _ = watching
    caplog.set_level(logging.INFO, logger="notelink")
    start = len(rec.kinds("indexed"))
    notes = sorted(vault.rglob("*.md"))
    for i in range(3):
        before = len(rec.kinds("indexed"))
        for p in notes[2 * i:2 * i + 2]:
            p.unlink()
        settle(vault, ix, rec, before)
    full = [e for e in rec.kinds("indexed")[start:] if e.retrain_reason]
    why = (r"much of the vault changed since the last full retrain: 3\d% of the words it was trained on gone "
           r"over \d updates \(they take up to 25% between full retrains\)")
    assert len(full) == 1 and re.fullmatch(why, full[0].retrain_reason), [e.message for e in full]
    assert f"full retrain: {full[0].retrain_reason} (" in full[0].message and full[0].message in _said(caplog)


def test_a_first_build_and_a_forced_one_say_what_they_index(make_vault, tmp_path, caplog) -> None:
    """A new user's first `notelink watch` said "indexing (reconcile)"; `watch --force` too, and its full
    retrain no reason."""
    from notelink.watch.watcher import VaultWatcher

    from ..conftest import FAST
    from ..index.test_update import topic_vault
    from .helpers import CFG, Recorder

    caplog.set_level(logging.INFO, logger="notelink")
    vault, ix = topic_vault(make_vault, per_topic=3), tmp_path / "ix"
    for force in (False, True):
        rec = Recorder(ix)
        w = VaultWatcher(vault, ix, FAST, on_event=rec, watch_cfg=CFG)
        w.force_first = force
        w.start()
        try:
            rec.wait_for(lambda: bool(rec.kinds("indexed")))  # noqa: B023 (waited for here)
        finally:
            w.stop()
    said = _said(caplog)
    assert "indexing every note (no index yet)" in said and "indexing (reconcile)" not in said
    assert "indexing every note (retraining from scratch: --force)" in said
    assert any("full retrain: asked for (--force) (" in line for line in said)


def test_a_generation_another_process_built_is_said(watching: Watching, caplog) -> None:
    """`notelink index` beside an idle watcher switched a generation in: nothing said it, and the app (whose
    watcher it was) kept showing the older one until the next change."""
    from notelink.index.build import build_index

    from ..conftest import FAST

    vault, ix, rec, w = watching
    caplog.set_level(logging.INFO, logger="notelink")
    built = build_index(vault, ix, FAST, force=True)
    rec.wait_for(lambda: any(e.generation == built.generation for e in rec.kinds("current")))
    done = f"the index is current: generation {built.generation} was built by another process"
    assert rec.kinds("current")[-1].message == done and done in _said(caplog)
    assert w.generation == built.generation


def test_notes_of_another_dialect_added_keep_the_dialect_and_say_so(watching: Watching, caplog) -> None:
    """A batch of Dendron notes (`[[alias|target]]`) added to an Obsidian vault flipped the dialect the
    update read every note in ("full retrain: the dialect changed (obsidian → dendron)"): the old notes'
    links then read alias-first. The index keeps its dialect, and the log says why once."""
    vault, ix, rec, _ = watching
    caplog.set_level(logging.INFO, logger="notelink")
    before = len(rec.kinds("indexed"))
    for i in range(40):
        (vault / f"proj.item{i}.md").write_text(
            f"# Item {i}\n\nagenda budget roadmap\n\n[[next|proj.item{(i + 1) % 40}]] "
            f"[[before|proj.item{(i - 1) % 40}]]\n", encoding="utf-8")
    settle(vault, ix, rec, before)
    assert not any("dialect" in e.retrain_reason for e in rec.kinds("indexed"))
    end = time.monotonic() + 120  # (said after the generation is switched in)
    while not (said := [line for line in _said(caplog) if "now look like dendron links" in line]):
        assert time.monotonic() < end, "the log never said the links now look like another dialect's"
        time.sleep(0.05)
    assert len(said) == 1 and said[0].startswith("note: the vault's links now look like dendron links, but "
                                                 "the index keeps reading them as obsidian links")


def test_an_atomic_save_through_a_temporary_note_is_said_changed(watching: Watching) -> None:
    """A save written to a temporary `.md` file and renamed over the note (Python's `tempfile` with
    `suffix=".md"`, some editors' and plugins' atomic saves) was said "moved bread/tmpab12.md → bread/bread
    2.md" (and its toast "Moved ..."): the note changed, nothing moved."""
    import tempfile

    vault, ix, rec, _ = watching
    before = len(rec.kinds("indexed"))
    fd, tmp = tempfile.mkstemp(suffix=".md", dir=vault / "bread")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("# Bread 2\n\nquokka marmalade crumb\n")
    os.replace(tmp, vault / "bread/bread 2.md")
    settle(vault, ix, rec, before)
    assert rec.kinds("changed")[-1].message == "changed: bread/bread 2.md"
    assert rec.kinds("changed")[-1].moves == ()


def test_a_builds_note_is_logged_once_whatever_its_figures(caplog) -> None:
    """In a small vault every save logged "note: small vault: 4,646 training words is below ..." again, the
    count one or two words more each time; a note about other notes (their names) is still logged."""
    from notelink.watch.reports import WatcherReports

    reports = WatcherReports.__new__(WatcherReports)
    reports._noted = set()
    small = "small vault: {} training words is below the ~25,000 where word2vec learns much"
    utf8 = "{} note(s) not valid UTF-8, read with replacement characters ({})"
    with caplog.at_level(logging.WARNING, logger="notelink"):
        reports._notes([small.format("4,646"), utf8.format(1, "a.md")])
        reports._notes([small.format("4,648"), utf8.format(1, "a.md")])
        reports._notes([small.format("4,650"), utf8.format(2, "a.md, b.md")])
        reports._notes([utf8.format(1, "2024-01-05.md")])  # daily notes: names of figures, not counts
        reports._notes([utf8.format(1, "2024-01-06.md"), utf8.format(1, "12345.md")])
    said = [r.getMessage() for r in caplog.records if r.name.startswith("notelink")]
    assert said == ["note: " + small.format("4,646"), "note: " + utf8.format(1, "a.md"),
                    "note: " + utf8.format(2, "a.md, b.md"), "note: " + utf8.format(1, "2024-01-05.md"),
                    "note: " + utf8.format(1, "2024-01-06.md"), "note: " + utf8.format(1, "12345.md")]

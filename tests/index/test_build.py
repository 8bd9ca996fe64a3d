"""Building an index: incremental re-parsing by content hash, bad input, the vault left untouched."""

from dataclasses import replace
from pathlib import Path

import pytest

from notelink.config import DialectConfig, IndexConfig
from notelink.errors import NotFound, VaultError
from notelink.index.build import build_index
from notelink.notes.links import RESOLVER_VERSION
from notelink.query.index import Index

from ..conftest import FAST, snapshot

TOPICS = {
    "bread": "sourdough starter flour water dough knead oven crust loaf yeast ferment rise bake",
    "stars": "telescope planet orbit star galaxy nebula eyepiece lens moon eclipse comet astronomy",
    "garden": "compost soil seed tomato prune water root leaf mulch sprout harvest bed worm",
}


def _topic_vault(make_vault) -> Path:
    files: dict[str, str | bytes] = {}
    for topic, words in TOPICS.items():
        w = words.split()
        for i in range(4):
            body = " ".join(w[(i * 3 + k) % len(w)] for k in range(60))
            link = f"[[{topic} {(i + 1) % 4}]]"
            files[f"{topic}/{topic} {i}.md"] = f"# {topic.title()} {i}\n\n{body}\n\nSee {link}."
    return make_vault(files)


def test_related_notes_share_a_topic(make_vault, tmp_path: Path) -> None:
    vault = _topic_vault(make_vault)
    build_index(vault, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    for topic in TOPICS:
        note = index.find_note(f"{topic} 0")
        top = index.related(note, 3)
        assert all(r.path.startswith(topic + "/") for r in top), top
        assert any(r.linked for r in top)  # [[topic 1]] is linked from topic 0


def test_second_run_reparses_only_the_changed_note(make_vault, tmp_path: Path) -> None:
    vault = _topic_vault(make_vault)
    first = build_index(vault, tmp_path / "ix", FAST)
    assert first.reparsed == 12 and first.generation == 1
    same = build_index(vault, tmp_path / "ix", FAST)
    assert same.up_to_date and same.generation == 1
    (vault / "bread/bread 2.md").write_text("# Bread 2\n\nrye levain crumb", encoding="utf-8")
    second = build_index(vault, tmp_path / "ix", FAST)
    assert (second.reparsed, second.reused, second.generation) == (1, 11, 2)


def test_changed_training_config_retrains(make_vault, tmp_path: Path) -> None:
    vault = _topic_vault(make_vault)
    build_index(vault, tmp_path / "ix", FAST)
    again = build_index(vault, tmp_path / "ix", FAST.__class__(**{**FAST.to_dict(), "dim": 16}))
    assert not again.up_to_date and again.reparsed == 0
    assert again.retrain_reason == "settings changed: dim 32 → 16"


def test_a_full_retrain_says_which_setting_made_it(make_vault, tmp_path: Path) -> None:
    """The log and `notelink index` said only "full retrain (...)" when a setting changed: they say which,
    and nothing when no setting did (a note's edit, the first build)."""
    from notelink.config import IncrementalConfig
    from notelink.index.report import describe_build

    vault, ix = _topic_vault(make_vault), tmp_path / "ix"
    assert build_index(vault, ix, FAST).retrain_reason == ""
    zk = build_index(vault, ix, FAST, IndexConfig(dialect=DialectConfig("zk")))
    assert zk.retrain_reason == "the dialect changed (obsidian → zk)"
    assert "full retrain: the dialect changed (obsidian → zk) (" in describe_build(zk)
    both = build_index(vault, ix, replace(FAST, dim=16, window=3),
                       IndexConfig(dialect=DialectConfig("obsidian"), exclude=("stars/",)))
    assert both.retrain_reason == ("the dialect changed (zk → obsidian); settings changed: dim 32 → 16, "
                                   "window 5 → 3, exclude none → stars/")
    (vault / "bread/bread 2.md").write_text("# Bread 2\n\nrye levain crumb", encoding="utf-8")
    edited = build_index(vault, ix, replace(FAST, dim=16, window=3), incremental=IncrementalConfig())
    assert not edited.up_to_date and edited.retrain_reason == ""
    plain = build_index(vault, ix, replace(FAST, dim=16, window=3), force=True)
    assert plain.mode == "full" and plain.retrain_reason == "" and "full retrain (" in describe_build(plain)


def test_chosen_model_settings_are_kept_by_later_builds(make_vault, tmp_path: Path) -> None:
    vault, ix = _topic_vault(make_vault), tmp_path / "ix"
    build_index(vault, ix, replace(FAST, dim=16, chosen=("dim",)))
    plain = build_index(vault, ix, FAST)  # a later build (watcher, app) that leaves dim to the index
    assert plain.up_to_date and Index.open(ix).meta["model"]["dim"] == 16
    (vault / "bread/bread 2.md").write_text("# Bread 2\n\nrye levain crumb", encoding="utf-8")
    build_index(vault, ix, replace(FAST, seed=3, chosen=("seed",)))  # another choice adds to the first
    meta = Index.open(ix).meta
    assert (meta["model"]["dim"], meta["model"]["seed"]) == (16, 3)
    assert meta["train_chosen"] == {"dim": 16, "seed": 3}
    build_index(vault, ix, replace(FAST, dim=32, chosen=("dim",)))  # until the user chooses again
    assert Index.open(ix).meta["model"]["dim"] == 32


def test_how_a_build_runs_does_not_make_the_index_out_of_date(make_vault, tmp_path: Path) -> None:
    vault = _topic_vault(make_vault)
    build_index(vault, tmp_path / "ix", FAST)
    again = build_index(vault, tmp_path / "ix", replace(FAST, threads=2, chosen=("threads",)))
    assert again.up_to_date and "threads" not in Index.open(tmp_path / "ix").meta["train_chosen"]


BAD = {
    "good one.md": "# Good\n\nplenty of ordinary words about gardens and compost and soil",
    "good two.md": "# Two\n\nmore ordinary words about compost soil and gardens",
    "latin1.md": b"# Caf\xe9\n\nna\xefve text with compost",
    "binary.md": b"\x00\x01\x02\x03PK\x03\x04",
    "empty.md": b"",
    "huge.md": b"compost " * 200_000,
    "broken fm.md": "---\ntitle: [oops\n---\n# Broken\n\nbody about soil survives",
}


def test_bad_input_is_skipped_with_reasons_and_vault_untouched(make_vault, tmp_path: Path) -> None:
    vault = make_vault(BAD)
    before = snapshot(vault)
    s = build_index(vault, tmp_path / "ix", FAST, index_cfg=IndexConfig(max_file_bytes=1_000_000))
    assert snapshot(vault) == before
    assert (s.indexed, s.skipped) == (5, 2)
    index = Index.open(tmp_path / "ix")
    reasons = {r["path"]: r["reason"] for r in index.skipped()}
    assert reasons["binary.md"].startswith("binary")
    assert reasons["huge.md"].startswith("too large")
    assert index.find_note("Broken").path == "broken fm.md"
    assert index.find_note("Caf\ufffd").path == "latin1.md"
    warnings = dict(index.db.execute("SELECT path, warning FROM notes"))
    assert "invalid UTF-8" in warnings["latin1.md"] and "not valid YAML" in warnings["broken fm.md"]
    assert warnings["empty.md"] == "empty note"


def test_empty_and_missing_vaults(make_vault, tmp_path: Path) -> None:
    with pytest.raises(VaultError, match="does not exist"):
        build_index(tmp_path / "missing", tmp_path / "ix", FAST)
    empty = make_vault({"readme.txt": "not a note"})
    with pytest.raises(VaultError, match="no notes"):
        build_index(empty, tmp_path / "ix", FAST)


def test_one_note_vault(make_vault, tmp_path: Path) -> None:
    vault = make_vault({"only.md": "a single lonely note"})
    s = build_index(vault, tmp_path / "ix", FAST)
    assert s.indexed == 1 and s.warnings and "small vault" in s.warnings[0]
    index = Index.open(tmp_path / "ix")
    assert index.related(index.find_note("only"), 5) == []


def test_cancel_keeps_previous_generation(make_vault, tmp_path: Path) -> None:
    from notelink.errors import Cancelled

    vault = _topic_vault(make_vault)
    build_index(vault, tmp_path / "ix", FAST)
    (vault / "stars/stars 1.md").write_text("changed", encoding="utf-8")
    with pytest.raises(Cancelled):
        build_index(vault, tmp_path / "ix", FAST, should_stop=lambda: True)
    assert Index.open(tmp_path / "ix").meta["generation"] == 1


def test_notes_are_parsed_again_when_tokenizing_changed(make_vault, tmp_path: Path, monkeypatch) -> None:
    from notelink.index import previous, summary

    vault = _topic_vault(make_vault)
    build_index(vault, tmp_path / "ix", FAST)
    assert Index.open(tmp_path / "ix").meta["tokens_version"] == summary.TOKENS_VERSION
    changed = summary.TOKENS_VERSION + " changed"
    for module in (summary, previous):  # the version written, and the version a build compares with
        monkeypatch.setattr(module, "TOKENS_VERSION", changed)
    again = build_index(vault, tmp_path / "ix", FAST)  # records of the old tokenizing are not reused
    assert not again.up_to_date and (again.reparsed, again.reused, again.generation) == (12, 0, 2)
    assert build_index(vault, tmp_path / "ix", FAST).up_to_date


def test_an_index_built_by_older_rules_is_rebuilt_once_and_says_so(make_vault, tmp_path: Path,
                                                                   monkeypatch) -> None:
    """A change to how the model or mentions are made (`RULES_VERSION`) retrains an unchanged vault once:
    else an index keeps the old rules until a note changes much (an update keeps the model it builds on)."""
    from notelink.index import build as indexer

    vault = _topic_vault(make_vault)
    build_index(vault, tmp_path / "ix", FAST)
    monkeypatch.setattr(indexer, "RULES_VERSION", indexer.RULES_VERSION + 1)
    again = build_index(vault, tmp_path / "ix", FAST)
    assert not again.up_to_date and again.mode == "full" and again.reparsed == 0
    assert again.retrain_reason == "this notelink builds indexes by newer rules"  # (said once: no note too)
    assert not any("newer rules" in w for w in again.warnings)
    same = build_index(vault, tmp_path / "ix", FAST)
    assert same.up_to_date and same.retrain_reason == ""


def test_index_of_an_older_format_is_rebuilt(make_vault, tmp_path: Path) -> None:
    import sqlite3

    vault = _topic_vault(make_vault)
    first = build_index(vault, tmp_path / "ix", FAST)
    db = sqlite3.connect(tmp_path / "ix" / f"gen-{first.generation:06d}" / "index.sqlite")
    db.execute("UPDATE meta SET value = '1' WHERE key = 'format_version'")
    db.commit()
    db.close()
    again = build_index(vault, tmp_path / "ix", FAST)
    assert again.reparsed == 12 and again.generation == 2
    assert Index.open(tmp_path / "ix").meta["generation"] == 2


def test_a_rebuild_for_a_new_format_keeps_what_the_user_chose(make_vault, tmp_path: Path) -> None:
    """`--exclude` (and the training settings) outlive the rebuild of an index of an older format: it
    indexed the notes the user had kept out."""
    import sqlite3

    vault = _topic_vault(make_vault)
    first = build_index(vault, tmp_path / "ix", FAST, IndexConfig(exclude=("stars/",)))
    chosen = Index.open(tmp_path / "ix").meta["train_chosen"]
    db = sqlite3.connect(tmp_path / "ix" / f"gen-{first.generation:06d}" / "index.sqlite")
    db.execute("UPDATE meta SET value = '5' WHERE key = 'format_version'")
    db.commit()
    db.close()
    build_index(vault, tmp_path / "ix")  # no exclude, no training settings given
    index = Index.open(tmp_path / "ix")
    assert not any(n.path.startswith("stars/") for n in index.notes)
    assert index.meta["index_config"]["exclude"] == ["stars/"] and index.meta["train_chosen"] == chosen
    index.close()


def test_a_build_that_could_index_no_note_keeps_the_previous_index(make_vault, tmp_path: Path) -> None:
    vault = _topic_vault(make_vault)
    first = build_index(vault, tmp_path / "ix", FAST)
    said = (r"none of the 12 files .* could be indexed, so no new index was written \(an index already there "
            r"stays as it was\)\. Skipped: .*too large")
    with pytest.raises(VaultError, match=said):
        build_index(vault, tmp_path / "ix", FAST, index_cfg=IndexConfig(max_file_bytes=1))
    index = Index.open(tmp_path / "ix")
    assert index.meta["generation"] == first.generation and len(index.notes) == 12


def test_excludes_and_ignore_files_are_kept_by_later_builds(make_vault, tmp_path: Path) -> None:
    vault = _topic_vault(make_vault)
    (vault / "node_modules" / "pkg").mkdir(parents=True)
    (vault / "node_modules" / "pkg" / "README.md").write_text("# Package\nnpm install")
    (vault / ".gitignore").write_text("node_modules/\n")
    ix = tmp_path / "ix"

    def paths() -> set[str]:
        index = Index.open(ix)
        try:
            return {n.path for n in index.notes}
        finally:
            index.close()

    build_index(vault, ix, FAST, IndexConfig(exclude=("stars/",)))
    assert not any(p.startswith(("stars/", "node_modules/")) for p in paths())
    build_index(vault, ix, FAST)  # exclude None: the list saved with the index
    assert not any(p.startswith("stars/") for p in paths())
    assert Index.open(ix).meta["index_config"]["exclude"] == ["stars/"]
    (vault / ".notelinkignore").write_text("garden/\n")
    build_index(vault, ix, FAST)
    assert {p.split("/")[0] for p in paths()} == {"bread"}
    build_index(vault, ix, FAST, IndexConfig(exclude=()))  # cleared (`--exclude ''`)
    assert {p.split("/")[0] for p in paths()} == {"bread", "stars"}


def test_links_are_resolved_in_the_vaults_dialect(make_vault, tmp_path: Path) -> None:
    vault = make_vault({"dendron.yml": "version: 5\n", "a.b.md": "# AB\nsee [[the c note|c]]",
                        "c.md": "# C\nx"})
    build_index(vault, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    assert index.meta["index_config"]["dialect"]["name"] == "dendron"
    assert index.linked(index.by_path["a.b.md"].id) == {index.by_path["c.md"].id}


def test_a_named_dialect_is_kept_by_later_builds_until_auto_is_asked_for(make_vault, tmp_path: Path) -> None:
    """`--dialect zk` once holds for the next plain build, the watcher's and the app's (as `--exclude`);
    `--dialect auto` detects it again. Nothing else changed: the kept dialect leaves the index up to date."""
    vault = make_vault({"202301011200 Forgetting curve.md": "# Forgetting curve\nmemory decays",
                        "202301021200 Spacing.md": "# Spacing\nsee [[202301011200]] memory"})
    ix = tmp_path / "ix"

    def dialect() -> str:
        index = Index.open(ix)
        try:
            return str(index.meta["index_config"]["dialect"]["name"])
        finally:
            index.close()

    build_index(vault, ix, FAST, IndexConfig(dialect=DialectConfig("zk")))
    assert dialect() == "zk"
    assert build_index(vault, ix, FAST).up_to_date and dialect() == "zk"  # auto: the one named before
    build_index(vault, ix, FAST, IndexConfig(keep_dialect=False))  # `--dialect auto`
    assert dialect() == "obsidian"
    build_index(vault, ix, FAST)  # detected last time: detected again
    assert dialect() == "obsidian"


def test_an_index_whose_links_an_older_rule_resolved_is_linked_again_vectors_kept(make_vault,
                                                                                 tmp_path: Path) -> None:
    """Links resolved when the note nearest the root won (resolver 1) are resolved again by the next build,
    though no note changed: the word vectors are carried over (no training), the links now reach the note
    nearest the linking one."""
    import sqlite3

    vault = make_vault({"de/Hilfe/Canvas.md": "# Canvas\nleinwand karten", "ca/Canvas.md": "# Canvas\nllenç",
                        "de/Hilfe/Start.md": "# Start\nsiehe [[Canvas]] karten"})
    ix = tmp_path / "ix"
    build_index(vault, ix, FAST)
    index = Index.open(ix)
    start, gen = index.by_path["de/Hilfe/Start.md"].id, index.gen
    assert index.links_from(start) == {index.by_path["de/Hilfe/Canvas.md"].id}
    index.close()
    with sqlite3.connect(gen / "index.sqlite") as db:  # as an older notelink wrote it
        db.execute("UPDATE links SET dst = (SELECT id FROM notes WHERE path = 'ca/Canvas.md')")
        db.execute("DELETE FROM meta WHERE key = 'resolver_version'")
    from notelink.cli.indexing import _index_text

    again = build_index(vault, ix, FAST)
    assert not again.up_to_date and "Word vectors kept as they were" in _index_text(again)
    assert any(w.startswith("links resolved again") for w in again.warnings)
    index = Index.open(ix)
    assert index.links_from(start) == {index.by_path["de/Hilfe/Canvas.md"].id}
    assert index.meta["update"]["mode"] == "carried" and index.meta["resolver_version"] == RESOLVER_VERSION
    index.close()
    assert build_index(vault, ix, FAST).up_to_date


def test_a_hub_of_embeds_is_related_to_what_it_shows(make_vault, tmp_path: Path) -> None:
    vault = _topic_vault(make_vault)
    (vault / "hub.md").write_text("# Hub\n\n![[stars 0]]\n\n![[stars 1]]\n\n![[stars 2#Stars 2]]\n")
    build_index(vault, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    hub = index.by_path["hub.md"]
    related = [r.path for r in index.related(hub, 4)]
    assert len(related) == 4 and all(p.startswith("stars/") for p in related), related
    assert index.db.execute("SELECT tokens FROM notes WHERE path = 'hub.md'").fetchone() == ("hub",)  # trains
    index.close()  # on its own words only


@pytest.mark.skipif(not hasattr(__import__("os"), "symlink"), reason="symbolic links")
def test_symlinks_outside_are_skipped_and_inside_counted_once(make_vault, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("# Secret\nprivate words never indexed")
    vault = _topic_vault(make_vault)
    (vault / "leak.md").symlink_to(secret)
    (vault / "twice.md").symlink_to(vault / "bread" / "bread 0.md")
    build_index(vault, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    skipped = {s["path"]: s["reason"] for s in index.skipped()}
    assert "outside the vault" in skipped["leak.md"] and "indexed under its own name" in skipped["twice.md"]
    assert len(index.notes) == 12 and "private" not in index.word_index
    index.close()


def test_a_min_count_that_leaves_no_word_is_said_and_a_rare_word_named(make_vault, tmp_path: Path) -> None:
    """`--min-count` above every word's count: the build says the vocabulary is empty; and `similar` of a
    word the notes use too rarely says so, instead of 'no such word'."""
    vault = _topic_vault(make_vault)
    summary = build_index(vault, tmp_path / "ix", replace(FAST, min_count=10**6))
    assert summary.vocab == 0 and any("--min-count" in w for w in summary.warnings)
    rare = r"'crust' has no word vector: it occurs in the notes fewer than 1000000"
    with pytest.raises(NotFound, match=rare):
        Index.open(tmp_path / "ix").word_id("crust")
    with pytest.raises(NotFound) as unknown:
        Index.open(tmp_path / "ix").word_id("zzyzx")
    assert "min-count" not in str(unknown.value)


def test_a_kept_setting_a_newer_version_refuses_is_dropped_alone(tmp_path: Path) -> None:
    """An index whose user once chose `--dim 5000` and `--window 7`: this version's bound on dim drops that
    one choice, and the window the user chose is still kept."""
    from notelink.config import TrainConfig
    from notelink.index import previous
    from notelink.index.choices import SavedChoices

    saved = SavedChoices(training={"dim": 5000, "window": 7})
    cfg = previous.settled_training(tmp_path, TrainConfig(), saved)
    assert (cfg.dim, cfg.window, cfg.chosen) == (TrainConfig().dim, 7, ("window",))


def test_a_note_read_only_in_part_is_said_by_the_build(make_vault, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Text past the parsing budget is left out; the build said so only per file, in `status --files`."""
    from notelink.notes import note as note_module

    monkeypatch.setattr(note_module, "MARKDOWN_BUDGET", 50)
    monkeypatch.setattr(note_module, "PLAIN_CHARS", 200)
    vault = make_vault({"long.md": "# Long\n\n" + "river stone water cloud\n\n" * 40 + "capybara\n",
                        "short.md": "# Short\n\nriver stone capybara\n"})
    summary = build_index(vault, tmp_path / "ix", FAST)
    (warning,) = [w for w in summary.warnings if "read only in part" in w]
    assert warning.startswith("1 long note(s) read only in part") and "(long.md)" in warning
    assert warning in Index.open(tmp_path / "ix").meta["warnings"]


def test_a_note_that_is_not_utf8_is_said_by_the_build(make_vault, tmp_path: Path) -> None:
    """A Latin-1 note is read with replacement characters; the build said so only per file (a new user's
    sweep: `status --files` said it, `index` did not, and a search for `café` found nothing)."""
    vault = make_vault({"fine.md": "# Fine\n\nriver stone water\n"})
    (vault / "latin.md").write_bytes("# Latin\n\nun café au lait, river stone\n".encode("latin-1"))
    summary = build_index(vault, tmp_path / "ix", FAST)
    (warning,) = [w for w in summary.warnings if "not valid UTF-8" in w]
    assert warning.startswith("1 note(s) not valid UTF-8, read with replacement characters (latin.md)")
    assert warning in Index.open(tmp_path / "ix").meta["warnings"]
    (latin := vault / "latin.md").write_text(latin.read_bytes().decode("latin-1"), encoding="utf-8")
    assert not [w for w in build_index(vault, tmp_path / "ix", FAST).warnings if "UTF-8" in w]  # now UTF-8


def test_a_build_into_another_vaults_index_is_refused_unless_forced(make_vault, tmp_path: Path) -> None:
    from notelink.errors import OtherVaultsIndex

    first = make_vault({"a.md": "# A\n\nriver stone cloud\n", "b.md": "# B\n\nriver stone water\n"})
    build_index(first, tmp_path / "ix", FAST)
    other = tmp_path / "other"
    other.mkdir()
    (other / "c.md").write_text("# C\n\nriver stone\n", encoding="utf-8")
    with pytest.raises(OtherVaultsIndex, match="--force"):
        build_index(other, tmp_path / "ix", FAST)
    assert [n.path for n in Index.open(tmp_path / "ix").notes] == ["a.md", "b.md"]  # left as it was
    build_index(other, tmp_path / "ix", FAST, force=True)
    assert [n.path for n in Index.open(tmp_path / "ix").notes] == ["c.md"]


def test_every_stage_of_a_build_is_reported_and_the_counted_ones_move(tmp_path: Path) -> None:
    """After "reading notes" nothing was said for minutes (mentions, search data); "note vectors 0%" and
    "saving index 0%" never moved."""
    from notelink.index.report import IndexEvent
    from tests.conftest import SAMPLE

    events: list[IndexEvent] = []
    build_index(SAMPLE, tmp_path / "ix", FAST, progress=events.append)
    stages = list(dict.fromkeys(ev.stage for ev in events))
    assert stages == ["scan", "parse", "words", "mentions", "search", "train", "vectors", "write"]
    for stage in ("vectors", "write"):
        mine = [ev for ev in events if ev.stage == stage]
        assert mine[0].done == 0 and mine[-1].done == mine[-1].total > 1
        assert [ev.done for ev in mine] == sorted(ev.done for ev in mine)
    events.clear()
    build_index(SAMPLE, tmp_path / "ix", FAST, progress=events.append, force=True)
    assert list(dict.fromkeys(ev.stage for ev in events))[:3] == ["check", "scan", "parse"]


def test_a_first_build_says_it_finds_and_reads_notes_before_the_first_is_read(tmp_path: Path) -> None:
    """A first build said "checking index" (there was none) until the first note was parsed, after
    torch's import: 5 s on obsidian-help under load, 15 s on two busy cores."""
    from notelink.index.report import IndexEvent
    from tests.conftest import SAMPLE

    events: list[IndexEvent] = []
    build_index(SAMPLE, tmp_path / "ix", FAST, progress=events.append)
    assert events[0] == IndexEvent("scan") and events[1] == IndexEvent("parse", 0, 42)
    assert next(ev for ev in events if ev.stage == "train") == IndexEvent("train")  # (before torch is set up)


def test_progress_is_posted_at_most_ten_times_a_second_within_a_stage() -> None:
    from notelink.index.report import IndexEvent, throttled

    now, posted = [0.0], []  # a clock moved by hand
    post = throttled(posted.append, lambda: now[0])
    assert post is not None
    for done in range(1, 1001):  # 1000 events over 2 s
        now[0] += 0.002
        post(IndexEvent("parse", done, 1000))
    post(IndexEvent("train", 0, 10, 1, 5))
    assert 15 <= len(posted) <= 23 and posted[-2].done == 1000 and posted[-1].stage == "train"


def test_a_vault_of_two_languages_trains_as_long_as_its_larger_one_alone(make_vault, tmp_path: Path,
                                                                        monkeypatch) -> None:
    """Automatic epochs follow the largest language's words in a vault of several: each language's words
    are trained by its own notes only (obsidian-help: 5 epochs for all 31 languages' words left English
    neighbours a blur, RESULTS.md session 21); a vault in one language is chosen for as before."""
    from notelink.model import cbow

    seen: list[int | None] = []
    train = cbow.train

    def spy(*args, epoch_words: int | None = None, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(epoch_words)
        return train(*args, epoch_words=epoch_words, **kwargs)

    monkeypatch.setattr(cbow, "train", spy)
    english = "starter flour water morning noon crust loaf oven dough knead yeast salt".split()
    german = "Teig Mehl Wasser Morgen Kruste Laib Ofen Hefe Salz Brot".split()

    def note(words: list[str], i: int, glue: str) -> str:  # each note its own words: no repeated paragraph
        return f" {glue} ".join(words[i:i + 6]) + f" {glue}"

    files = {f"en {i}.md": note(english, i, "and the with it is") for i in range(6)} | \
        {f"de {i}.md": note(german, i, "und der die das mit dem ist") for i in range(4)}
    vault = make_vault(files)
    build_index(vault, tmp_path / "ix", FAST)
    ix = Index.open(tmp_path / "ix")
    counts = dict(zip(ix.words, ix.word_counts.tolist(), strict=True))
    ix.close()
    assert seen[-1] == sum(counts.get(w, 0) for w in english) == 36  # the English notes' words
    for german_note in vault.glob("de *.md"):
        german_note.unlink()
    build_index(vault, tmp_path / "one", FAST)
    assert seen[-1] is None  # one language: all words


def test_a_property_link_resolves_like_a_link_in_the_text(make_vault, tmp_path: Path) -> None:
    vault = make_vault({"a.md": '---\nup: "[[study]]"\n---\n# A\n\nbody', "study.md": "# study\n\nthings"})
    build_index(vault, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    rows = index.db.execute("SELECT target, dst FROM links").fetchall()
    index.close()
    assert rows == [("study", 1)]


def test_unset_reading_settings_are_each_index_s_own_at_each_build(make_vault, tmp_path: Path) -> None:
    """`IndexConfig()` leaves `keep_stopwords` and `max_file_bytes` to each build, which reads the index's
    (the review: resolved once by the command line, the app switched from a vault built with
    `--keep-stopwords` to another retrained that one with them; a running watcher undid a later
    `notelink index --max-file-mb 10` at its next build)."""
    big = "# Big\n\n" + "flour water " * 1000  # (12 KB)
    a, b = make_vault({"a/x.md": "# X\n\nthe bread and the flour\n", "a/big.md": big}) / "a", tmp_path / "b"
    b.mkdir()
    (b / "y.md").write_text("# Y\n\nrye and wheat in the field\n", encoding="utf-8")
    build_index(a, tmp_path / "ia", FAST, IndexConfig(keep_stopwords=True, max_file_bytes=20_000))
    build_index(b, tmp_path / "ib", FAST, IndexConfig(max_file_bytes=10_000))
    unset = IndexConfig()  # (the app's, or a watcher's, for its whole life)
    again_a = build_index(a, tmp_path / "ia", FAST, unset)
    again_b = build_index(b, tmp_path / "ib", FAST, unset)
    assert again_a.up_to_date and again_b.up_to_date and again_a.skipped == 0
    assert Index.open(tmp_path / "ib").max_file_bytes() == 10_000
    build_index(a, tmp_path / "ia", FAST, IndexConfig(max_file_bytes=10_000))  # (`index --max-file-mb`)
    assert build_index(a, tmp_path / "ia", FAST, unset).skipped == 1  # (kept by the unset config's build)

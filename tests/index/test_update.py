"""Incremental updates: vectors carried over to a new vocabulary, changed notes found by content."""

import itertools
import json
import os
import re
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from notelink.config import IncrementalConfig
from notelink.index.build import build_index
from notelink.index.previous import Previous, load_records
from notelink.index.store import LAZY_META, current_generation
from notelink.index.update import carry_over, old_rows
from notelink.model.vocab import Vocab
from notelink.notes.records import NoteRecord
from notelink.query.index import Index

from ..conftest import FAST

INC = IncrementalConfig()
TOPICS = {
    "bread": "sourdough starter flour water dough knead oven crust loaf yeast ferment rise bake",
    "stars": "telescope planet orbit star galaxy nebula eyepiece lens moon eclipse comet astronomy",
    "garden": "compost soil seed tomato prune water root leaf mulch sprout harvest bed worm",
}


def topic_vault(make_vault, per_topic: int = 4) -> Path:
    files: dict[str, str | bytes] = {}
    for topic, words in TOPICS.items():
        w = words.split()
        for i in range(per_topic):
            body = " ".join(w[(i * 3 + k) % len(w)] for k in range(60))
            files[f"{topic}/{topic} {i}.md"] = f"# {topic.title()} {i}\n\n{body}\n\nSee [[{topic} {i + 1}]]."
    return make_vault(files)


def _record(path: str, sha: str, tokens: str) -> NoteRecord:
    return NoteRecord(path, path, sha, 0, 0.0, [], [], [], [], tokens.split())


def test_carry_over_keeps_known_rows_and_initialises_new_words() -> None:
    syn0 = np.arange(6, dtype=np.float32).reshape(3, 2)  # words a, b, c
    syn1 = syn0 + 10
    vocab = Vocab(["c", "new", "a"], np.array([3, 2, 1]))
    rows = old_rows(["a", "b", "c"], vocab)
    assert rows.tolist() == [2, -1, 0]
    s0, s1, new = carry_over(syn0, syn1, rows, seed=1)
    assert new == 1 and s0.shape == s1.shape == (3, 2)
    assert s0[0].tolist() == [4, 5] and s0[2].tolist() == [0, 1]  # rows follow their word
    assert s1[0].tolist() == [14, 15] and s1[1].tolist() == [0, 0]  # new output vector: zero
    assert np.all(np.abs(s0[1]) <= 1 / 2) and s0[1].any()  # new input vector: uniform in [-1/D, 1/D)


def test_retrained_notes_ignore_moves_and_find_edits() -> None:
    before = {"a.md": _record("a.md", "h1", "x y"), "b.md": _record("b.md", "h2", "z w")}
    after = [_record("moved/a.md", "h1", "x y"), _record("b.md", "h3", "z w v"),
             _record("renamed.md", "h2", "renamed z w")]  # title from the file name changed: same bytes
    assert Previous(records=before).changes(after).retrained == [1]


def test_removed_words_ignore_moves_and_count_deletions_and_edits() -> None:
    """The words an update takes away: a deleted note's, an edited note's old text; not a moved note's,
    nor one whose bytes changed with its training text (a renamed title)."""
    before = {"a.md": _record("a.md", "h1", "x y"), "b.md": _record("b.md", "h2", "z w"),
              "c.md": _record("c.md", "h4", "p q r"), "d.md": _record("d.md", "h5", "s t")}
    after = [_record("moved/a.md", "h1", "x y"), _record("b.md", "h3", "z w v"),
             _record("d.md", "h6", "s t")]
    assert Previous(records=before).changes(after).removed == 2 + 3  # b's old text, c deleted
    copies = {f"{i}.md": _record(f"{i}.md", "same", "x y") for i in range(10)}
    assert Previous(records=copies).changes([copies["0.md"]]).removed == 9 * 2  # 9 of 10 copies deleted


def test_deleting_most_of_the_vault_retrains_from_scratch(make_vault, tmp_path: Path) -> None:
    """Deleting a note that held most of the vault's words kept the vectors trained on it (an update
    counted only new words): a full retrain now, with why; a small deletion stays an update."""
    vault, ix = topic_vault(make_vault, per_topic=6), tmp_path / "ix"
    big = vault / "big.md"
    big.write_text("# Big\n\n" + " ".join(f"w{i % 300}" for i in range(6000)), encoding="utf-8")
    build_index(vault, ix, FAST, incremental=INC)
    (vault / "garden/garden 0.md").unlink()
    assert build_index(vault, ix, FAST, incremental=INC).mode == "carried"  # (nothing new to train)
    big.unlink()
    full = build_index(vault, ix, FAST, incremental=INC)
    assert full.mode == "full" and re.fullmatch(
        r"much of the vault changed: \d+% of the words it was trained on gone \(an update takes up to 25%\)",
        full.retrain_reason), full.retrain_reason


SINCE = r"much of the vault changed since the last full retrain: "
OVER_3 = r" over 3 updates \(they take up to 25% between full retrains\)"


def _since_full(ix: Path) -> dict[str, Any] | None:
    """The live generation's totals since the last full retrain, with the notes behind them (kept apart:
    an open of the index does not read them)."""
    index = Index.open(ix)
    try:
        assert LAZY_META not in index.meta
        since = index.meta["update"].get("since_full")
    finally:
        index.close()
    _, meta = load_records(current_generation(ix))  # type: ignore[arg-type]
    return None if since is None else {**since, **meta[LAZY_META]}


def test_deletions_spread_over_updates_add_up_to_a_full_retrain(make_vault, tmp_path: Path) -> None:
    """Deleting a tenth of the vault in each of several saves never retrained from scratch: each update took
    less than a quarter, while the vectors drifted from what a fresh training gives. The words gone since
    the last full retrain are kept in each update's meta, and add up."""
    vault, ix = topic_vault(make_vault, per_topic=6), tmp_path / "ix"  # 18 notes of about the same size
    build_index(vault, ix, FAST, incremental=INC)
    notes = sorted(vault.rglob("*.md"))
    modes = []
    for i in range(3):
        for p in notes[2 * i:2 * i + 2]:  # a ninth of the vault's words each time
            p.unlink()
        s = build_index(vault, ix, FAST, incremental=INC)
        modes.append(s.mode)
        if i == 0:
            since = _since_full(ix)
            assert since is not None and since["retrained"] == 0
            assert 0.1 < since["gone"] / since["words"] < 0.12  # (from the full retrain's words)
    assert modes == ["carried", "carried", "full"], modes
    assert re.fullmatch(SINCE + r"3\d% of the words it was trained on gone" + OVER_3, s.retrain_reason), \
        s.retrain_reason
    assert _since_full(ix) is None  # (counted again from this retrain)


def test_rewrites_spread_over_updates_add_up_to_a_full_retrain(make_vault, tmp_path: Path) -> None:
    """The same for notes rewritten a few at a time: the words retrained since the last full retrain add up
    (a generation written before the totals were kept counts from 0)."""
    vault, ix = topic_vault(make_vault, per_topic=6), tmp_path / "ix"
    build_index(vault, ix, FAST, incremental=INC)
    bread = TOPICS["bread"].split()
    modes = []
    for i in range(3):
        for k in range(2):  # a ninth of the vault's words each time, in words it has
            text = " ".join(bread[(i * 5 + k + j) % len(bread)] for j in range(60))
            (vault / f"garden/garden {2 * i + k}.md").write_text(f"# Garden {2 * i + k}\n\n{text}", "utf-8")
        s = build_index(vault, ix, FAST, incremental=INC)
        modes.append(s.mode)
    assert modes == ["incremental", "incremental", "full"], modes
    assert re.fullmatch(SINCE + r"3\d% of its words in notes new or changed" + OVER_3, s.retrain_reason), \
        s.retrain_reason
    (vault / "garden/garden 0.md").write_text("# Garden 0\n\ncompost soil seed", encoding="utf-8")
    build_index(vault, ix, FAST, incremental=INC)
    db = sqlite3.connect(current_generation(ix) / "index.sqlite")  # type: ignore[operator]
    with db:
        update = json.loads(db.execute("SELECT value FROM meta WHERE key = 'update'").fetchone()[0])
        del update["since_full"]  # as an index of session 28 has it
        db.execute("UPDATE meta SET value = ? WHERE key = 'update'", (json.dumps(update),))
        db.execute("DELETE FROM meta WHERE key = ?", (LAZY_META,))
    db.close()
    (vault / "garden/garden 1.md").write_text("# Garden 1\n\ncompost soil seed root", encoding="utf-8")
    assert build_index(vault, ix, FAST, incremental=INC).mode == "incremental"
    since = _since_full(ix)
    assert since is not None and since["retrained"] == 5 and since["words"] > 500  # (this update's only)


def test_one_note_saved_again_and_again_counts_once(make_vault, tmp_path: Path) -> None:
    """A note rewritten at every save (an editor's autosave while its author writes) is one note changed
    since the last full retrain, however often its vectors were updated: counted at each update, a ninth of
    the vault saved three times retrained everything from scratch (a full retrain ~20x an update's time on
    obsidian-help `en`, with nothing to gain: RESULTS-watch.md, session 29)."""
    vault, ix = topic_vault(make_vault, per_topic=6), tmp_path / "ix"
    build_index(vault, ix, FAST, incremental=INC)
    bread = TOPICS["bread"].split()
    for i in range(5):
        text = " ".join(bread[(i + j) % len(bread)] for j in range(120))  # two ninths of the vault's words
        (vault / "garden/garden 0.md").write_text(f"# Garden 0\n\n{text}", "utf-8")
        assert build_index(vault, ix, FAST, incremental=INC).mode == "incremental", i
    since = _since_full(ix)
    assert since is not None and list(since["changed"]) == ["garden/garden 0.md"]
    assert since["retrained"] == since["changed"]["garden/garden 0.md"] > 100
    words = since["retrained"]
    (vault / "garden/garden 0.md").rename(vault / "garden/moved.md")  # moved: its entry goes with it
    assert build_index(vault, ix, FAST, incremental=INC).mode == "carried"
    since = _since_full(ix)
    assert since is not None and since["changed"] == {"garden/moved.md": words} and since["gone"] > 0
    gone = since["gone"]  # (garden 0's text as the full retrain had it)
    (vault / "garden/moved.md").unlink()  # the text gone now is the updates' own, not the full retrain's
    assert build_index(vault, ix, FAST, incremental=INC).mode == "carried"
    since = _since_full(ix)
    assert since is not None and since["changed"] == {} and since["gone"] == gone


def test_build_index_incremental_modes(make_vault, tmp_path: Path) -> None:
    vault, ix = topic_vault(make_vault, per_topic=6), tmp_path / "ix"
    assert build_index(vault, ix, FAST, incremental=INC).mode == "full"  # nothing to continue from
    (vault / "bread/bread 2.md").write_text("# Bread 2\n\nrye levain crumb sourdough oven", encoding="utf-8")
    s = build_index(vault, ix, FAST, incremental=INC)
    assert (s.mode, s.changed, s.epochs, s.generation) == ("incremental", 1, INC.epochs, 2)
    index = Index.open(ix)
    assert {"rye", "levain", "crumb"} <= set(index.words) and index.meta["update"]["chain"] == 1
    index.close()
    same = build_index(vault, ix, FAST, incremental=INC)  # up to date: the model's epochs, not the update's
    assert same.up_to_date and same.epochs == FAST.epochs != INC.epochs
    (vault / "stars").rename(vault / "sky")
    s = build_index(vault, ix, FAST, incremental=INC)
    assert (s.mode, s.changed, s.epochs) == ("carried", 0, 0)
    assert Index.open(ix).find_note("sky/stars 1.md").title == "Stars 1"
    for p in (vault / "garden").glob("*.md"):
        p.write_text("# New\n\n" + "completely different words here " * 20, encoding="utf-8")
    assert build_index(vault, ix, FAST, incremental=INC).mode == "full"  # much changed


def test_incremental_update_keeps_related_notes_sensible(make_vault, tmp_path: Path) -> None:
    vault, ix = topic_vault(make_vault, per_topic=6), tmp_path / "ix"
    build_index(vault, ix, FAST)
    bread = TOPICS["bread"]
    (vault / "garden/garden 0.md").write_text(f"# Garden 0\n\n{bread} {bread} {bread}", encoding="utf-8")
    build_index(vault, ix, FAST, incremental=INC)
    index = Index.open(ix)
    top = index.related(index.find_note("garden/garden 0.md"), 3)
    assert all(r.path.startswith("bread/") for r in top), top


def _tables(ix: Path) -> dict[str, list[tuple[object, ...]]]:
    from notelink.index.store import current_generation, open_generation

    db, _ = open_generation(current_generation(ix))  # type: ignore[arg-type]
    try:
        return {t: db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                for t in ("notes", "links", "tags", "files", "vocab")}
    finally:
        db.close()


def _assert_same_mentions(gen: Path, full: Path) -> None:
    """Two generations hold the same mentions (src, dst, count arrays), of names and of file names."""
    from notelink.index.arrays import load_array

    for kind, part in itertools.product(("mentions", "named"), ("src", "dst", "count")):
        assert np.array_equal(load_array(gen, f"{kind}_{part}"), load_array(full, f"{kind}_{part}"))


def _assert_same_as_full_build(inc: Path, full_ix: Path) -> None:
    """An updated index has the tables and the mentions of a full build of the same vault."""
    from notelink.index.store import current_generation

    assert _tables(inc) == _tables(full_ix)
    gen, full = current_generation(inc), current_generation(full_ix)
    assert gen is not None and full is not None
    _assert_same_mentions(gen, full)


@pytest.mark.parametrize("rename", [False, True])
def test_an_update_writes_the_same_tables_as_a_full_build(make_vault, tmp_path: Path, rename: bool) -> None:
    """Rows patched onto a copy of the last generation are those of a full build, also when a note got
    a new alias that another note's link now resolves to."""
    vault = topic_vault(make_vault, per_topic=6)
    linking = "# Garden 1\n\nsoil [[Crumb notes]] [[stars 1]]"
    (vault / "garden/garden 1.md").write_text(linking, encoding="utf-8")
    build_index(vault, tmp_path / "inc", FAST)
    edited = "# Bread 2\n\nrye levain crumb #baking [[stars 1]]"
    if rename:
        edited = "---\naliases: [Crumb notes]\n---\n" + edited
    (vault / "bread/bread 2.md").write_text(edited, encoding="utf-8")
    s = build_index(vault, tmp_path / "inc", FAST, incremental=INC)
    assert s.mode == "incremental"
    build_index(vault, tmp_path / "full", FAST)
    inc, full = _tables(tmp_path / "inc"), _tables(tmp_path / "full")
    assert inc == full
    resolved = {(src, target): dst for src, target, _, _, dst in full["links"]}
    assert (resolved[(_note_id(full, "garden/garden 1.md"), "Crumb notes")] is not None) == rename


def _note_id(tables: dict[str, list[tuple[object, ...]]], path: str) -> object:
    return next(row[0] for row in tables["notes"] if row[1] == path)


def test_an_update_reuses_mentions_and_the_neighbour_graph(make_vault, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from notelink.index import build as indexer
    from notelink.index.arrays import load_array
    from notelink.index.store import current_generation

    vault, ix = topic_vault(make_vault, per_topic=6), tmp_path / "ix"
    build_index(vault, ix, FAST)
    (vault / "stars/stars 2.md").write_text("# Stars 2\n\nbread 1 and garden 3, telescope", encoding="utf-8")
    made: list[list[list[str]]] = []
    real = indexer.without_boilerplate
    monkeypatch.setattr(indexer, "without_boilerplate", lambda p, b: made.append(p) or real(p, b))
    build_index(vault, ix, FAST, incremental=INC)
    assert len(made) == 1  # the edited note's tokens only: the others' mentions are carried over
    monkeypatch.undo()
    gen = current_generation(ix)
    assert gen is not None
    build_index(vault, tmp_path / "full", FAST)
    full = current_generation(tmp_path / "full")
    assert full is not None
    _assert_same_mentions(gen, full)  # recounted for the edited note only, yet the same as counting all
    assert load_array(gen, "graph_indptr").size == len(_tables(ix)["vocab"]) + 1  # K [V, V] kept


def test_an_update_stores_the_search_data_of_a_full_build(make_vault, tmp_path: Path) -> None:
    """Postings, idf, anchors, names, titles and search words after an edit that adds a new word, a mention
    (anchor text for another note) and a word only that note has, as a full build of the same notes."""
    from notelink.index.arrays import load_array
    from notelink.index.store import current_generation

    vault, ix = topic_vault(make_vault, per_topic=6), tmp_path / "ix"
    build_index(vault, ix, FAST)
    edited = "# Stars 2\n\nquasar near garden 3 telescope lens"
    (vault / "stars/stars 2.md").write_text(edited, encoding="utf-8")
    assert build_index(vault, ix, FAST, incremental=INC).mode == "incremental"
    build_index(vault, tmp_path / "full", FAST)
    gen, full = current_generation(ix), current_generation(tmp_path / "full")
    assert gen is not None and full is not None
    names = sorted(p.name.split(".")[0] for p in full.glob("search_*.npy") if "dense" not in p.name)
    assert "search_anchors_data" in names and "search_words" in names
    for name in names:
        assert np.array_equal(load_array(gen, name), load_array(full, name)), name


def test_an_update_recounts_only_the_mentions_of_a_renamed_note(make_vault, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from notelink.index import naming
    from notelink.index.arrays import load_array
    from notelink.index.store import current_generation

    vault, ix = topic_vault(make_vault, per_topic=6), tmp_path / "ix"
    garden, stars = vault / "garden/garden 1.md", vault / "stars/stars 2.md"
    garden.write_text("# Garden 1\n\ncompost, my orbit notes and soil", encoding="utf-8")
    build_index(vault, ix, FAST)
    new_alias = "---\naliases: [Orbit notes]\n---\n# Stars 2\n\nplanet orbit lens"  # garden 1 mentions it
    stars.write_text(new_alias, encoding="utf-8")
    seen: list[object] = []
    real = naming.mentions_reuse
    monkeypatch.setattr(naming, "mentions_reuse", lambda *a: seen.append(r := real(*a)) or r)
    build_index(vault, ix, FAST, incremental=INC)
    build_index(vault, tmp_path / "full", FAST)
    gen, full = current_generation(ix), current_generation(tmp_path / "full")
    assert gen is not None and full is not None
    _assert_same_mentions(gen, full)
    db = sqlite3.connect(full / "index.sqlite")
    ids = dict(db.execute("SELECT path, id FROM notes"))
    db.close()
    assert seen and seen[0] is not None  # counted again: the renamed note, the note with its new alias, and
    recounted = {path for path, i in ids.items() if i in seen[0][1]}  # type: ignore[index]
    assert {"garden/garden 1.md", "stars/stars 2.md"} <= recounted  # the notes with "stars" (its old name)
    assert not any(path.startswith("bread/") for path in recounted)  # but not every note
    pairs = set(zip(load_array(full, "mentions_src").tolist(), load_array(full, "mentions_dst").tolist(),
                    strict=True))
    assert (ids["garden/garden 1.md"], ids["stars/stars 2.md"]) in pairs  # found by the new alias


def test_unchanged_size_and_mtime_skip_reading(make_vault, tmp_path: Path) -> None:
    vault, ix = topic_vault(make_vault), tmp_path / "ix"
    build_index(vault, ix, FAST)
    note = vault / "bread/bread 1.md"
    st = note.stat()
    note.write_bytes(note.read_bytes().replace(b"flour", b"FLOUR"))  # same size: only the content differs
    os.utime(note, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert build_index(vault, ix, FAST, incremental=INC).up_to_date  # trusted size and mtime: not read
    assert not build_index(vault, ix, FAST, incremental=replace(INC, trust_stat=False)).up_to_date


FOOTER = "shared footer " * 3  # a paragraph in three notes: boilerplate
RENAMES = {  # scenario: (notes written, notes moved); every scenario keeps the same notes in the same order
    "a title another note has": ({"misc/aliased.md": "# Bread 1\n\norbit notes lens planet [[Lens]]"}, {}),
    "renamed and edited": ({"bread/bread 2.md": "# Canvas\n\nrye canvas crumb [[Canvas]] #baking"}, {}),
    "an alias removed": ({"misc/aliased.md": "---\naliases: [Lens]\n---\n# Aliased\n\norbit notes lens"}, {}),
    "a phrase of a longer title": ({"stars/stars 3.md": "# Canvas\n\ntelescope orbit [[Garden 2]]"}, {}),
    "case and unicode": ({"garden/garden 4.md": "# STRASSE\n\nsoil seed straße", "misc/aliased.md":
                          "---\naliases: [ORBIT NOTES, Lens]\n---\n# ALIASED\n\norbit notes lens"}, {}),
    "two renamed at once": ({"bread/bread 1.md": "# Lens\n\nflour water", "garden/garden 5.md":
                             "# Orbit notes\n\nsoil seed"}, {}),
    "boilerplate changed too": ({**{f"stars/stars {i}.md": f"# Stars {i}\n\ncomet moon\n\n{FOOTER}"
                                    for i in (1, 2)},
                                 "bread/bread 4.md": f"# Canvas\n\nloaf\n\n{FOOTER}"}, {}),
    "renamed and moved": ({"misc/aliased.md": "# Canvas\n\norbit notes lens"},
                          {"misc/aliased.md": "other/aliased.md"}),
}
EXTRA = {"misc/canvas plugin.md": "# Canvas plugin\n\ncanvas plugin: stars 1, Straße [[Canvas]] [[Orbit]]",
         "misc/strasse.md": "# Straße\n\nstraße strasse STRASSE, garden 2 and bread 3 [[Lens]] [[Bread 1]]",
         "misc/aliased.md": "---\naliases: [Orbit notes, Lens]\n---\n# Aliased\n\norbit notes lens planet"}


@pytest.mark.parametrize("scenario", list(RENAMES))
def test_a_renamed_note_updates_like_a_full_build(make_vault, tmp_path: Path, scenario: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Mentions recounted for renamed notes and links resolved again on the patched copy: the mentions
    and every table are those of a full build, a moved note's too."""
    from notelink.index import build as indexer
    from notelink.index import naming

    vault = topic_vault(make_vault, per_topic=6)
    for rel, text in EXTRA.items():
        (vault / rel).parent.mkdir(exist_ok=True)
        (vault / rel).write_text(text, encoding="utf-8")
    build_index(vault, tmp_path / "inc", FAST)
    written, moved = RENAMES[scenario]
    for rel, text in written.items():
        (vault / rel).write_text(text, encoding="utf-8")
    for src, dst in moved.items():
        (vault / dst).parent.mkdir(exist_ok=True)
        (vault / src).rename(vault / dst)
    seen: dict[str, object] = {}
    for module, name in ((naming, "mentions_reuse"), (indexer, "patch_for")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, real=real, name=name: seen.setdefault(name, real(*a)))
    assert build_index(vault, tmp_path / "inc", FAST, incremental=INC).mode == "incremental"
    assert seen["patch_for"] is not None  # patched, also when the paths changed
    assert (seen["mentions_reuse"] is None) == ("boilerplate" in scenario)
    assert seen["patch_for"].relink  # type: ignore[attr-defined]  # renamed: every link resolved again
    build_index(vault, tmp_path / "full", FAST)
    _assert_same_as_full_build(tmp_path / "inc", tmp_path / "full")


GERMAN = "Der Sauerteig ist alt und das Brot ist gut, aber der Ofen ist heiß und die Zeit ist knapp."
FRENCH = "La toile est grande et elle est dans le salon, mais les couleurs sont vives et on les aime."
LANGUAGE_CHANGES = {  # scenario: (notes before, the note written, its new text)
    # an empty note is English, so its title is "der sauerteig"; in German it is "sauerteig" (the texts
    # differ from note to note: a paragraph in several notes would be boilerplate, and recount everything)
    "a note starts being German": ({"Der Sauerteig.md": "# Der Sauerteig\n",
                                    **{f"de/brot {i}.md": f"# Brot {i}\n\n{GERMAN} {w}"
                                       for i, w in enumerate(["Roggen", "Weizen", "Dinkel"])}},
                                   "Der Sauerteig.md",
                                   "# Der Sauerteig\n\nEr ist aus Mehl und Wasser, und man füttert ihn."),
    # two notes named Canvas: a German note's "canvas" means the German one until that one turns French
    "a shared name changes language": ({"en/Canvas.md": "# Canvas\n\nThe canvas is a board for cards.",
                                        "de/Canvas.md": f"# Canvas\n\n{GERMAN}",
                                        "de/Karten.md": f"# Karten\n\nDie Canvas ist groß. {GERMAN}"},
                                       "de/Canvas.md", f"# Canvas\n\n{FRENCH}"),
    # an English note renamed to a German note's name (a third "Canvas" would make the title boilerplate)
    "a note takes a German note's name": ({"de/Canvas.md": f"# Canvas\n\n{GERMAN}",
                                           "de/Karten.md": f"# Karten\n\nDie Canvas ist groß. {GERMAN}",
                                           "en/cards.md": "# Cards\n\nCards go on the canvas.",
                                           "en/board.md": "# Board\n\nA board for cards."},
                                          "en/board.md", "# Canvas\n\nA board for cards and lists."),
    # the same, where the German note also has an alias that a French note has as its title
    "a renamed note's group shares an alias": ({"de/Canvas.md": f"---\naliases: [Tafel]\n---\n# Canvas\n\n"
                                                                f"{GERMAN}",
                                                "fr/Tafel.md": f"# Tafel\n\n{FRENCH}",
                                                "fr/atelier.md": f"# Atelier\n\nLa Tafel est là. {FRENCH}",
                                                "en/board.md": "# Board\n\nA board for cards."},
                                               "en/board.md", "# Canvas\n\nA board for cards and lists."),
}


@pytest.mark.parametrize("scenario", list(LANGUAGE_CHANGES))
def test_a_note_that_changes_language_updates_like_a_full_build(make_vault, tmp_path: Path,
                                                                scenario: str) -> None:
    from notelink.index.arrays import load_array
    from notelink.index.store import current_generation

    files, note, text = LANGUAGE_CHANGES[scenario]
    english = {f"en/{t} {i}.md": f"# {t.title()} {i}\n\n{w}" for t, w in TOPICS.items() for i in range(2)}
    vault = make_vault(english | files)
    build_index(vault, tmp_path / "inc", FAST)
    (vault / note).write_text(text, encoding="utf-8")
    assert build_index(vault, tmp_path / "inc", FAST, incremental=INC).mode in ("incremental", "carried")
    build_index(vault, tmp_path / "full", FAST)
    _assert_same_as_full_build(tmp_path / "inc", tmp_path / "full")
    full = current_generation(tmp_path / "full")
    assert full is not None
    assert load_array(full, "mentions_src").size  # the scenario does have mentions to get right


def test_an_update_that_diverges_retrains_from_scratch(make_vault, tmp_path: Path, monkeypatch) -> None:
    """Continuing from the live vectors failed (TrainingDiverged): the build trains from scratch instead,
    once, and says it was a full build; it never writes the diverged vectors nor fails the watcher."""
    from notelink.index import build
    from notelink.model import cbow

    vault, ix = topic_vault(make_vault, per_topic=6), tmp_path / "ix"
    build_index(vault, ix, FAST, incremental=INC)
    (vault / "bread/bread 2.md").write_text("# Bread 2\n\nrye levain crumb sourdough oven", encoding="utf-8")

    def diverged(*args: object, **kw: object) -> cbow.WordVectors:
        raise cbow.TrainingDiverged("training diverged")

    monkeypatch.setattr(build, "train_update", diverged)
    s = build_index(vault, ix, FAST, incremental=INC)
    assert (s.mode, s.epochs, s.generation) == ("full", FAST.epochs, 2)
    assert s.retrain_reason == "the update from the live word vectors diverged"
    index = Index.open(ix)
    assert "levain" in index.words and index.meta["update"] == {"mode": "full", "chain": 0}


PATH_STEPS = {  # step: (notes written, notes moved, notes deleted), applied in this order to one vault
    "a note added whose title an old note names, and that a dead link now reaches":
        ({"misc/orbit lens.md": "# Orbit lens\n\nsourdough and garden 2 [[Bread 1]] #optics"}, {}, []),
    "a linked note deleted, and one whose name another note shares":
        ({}, {}, ["bread/bread 1.md", "misc/strasse.md"]),
    "moved: a folder renamed, a note whose title is its file name": (
        {}, {"stars/stars 3.md": "sky/stars 3.md", "misc/telescope mirror.md": "misc/mirror grinding.md"},
        []),
    "renamed: a title another note has as an alias":
        ({"stars/stars 2.md": "# Lens\n\nplanet orbit comet"}, {}, []),
    "notes added first and last, one deleted, one edited": (
        {"aaa.md": "# Aaa\n\nmirror grinding and orbit lens [[Lens]]", "zzz/last.md": "lens lens orbit notes",
         "garden/garden 0.md": "# Garden 0\n\nsoil and the orbit lens #garden"}, {}, ["garden/garden 3.md"]),
}
OPTICS = {"misc/optics.md": "# Optics\n\nthe orbit lens of a telescope; mirror grinding [[Orbit lens]] #x",
          "misc/telescope mirror.md": "telescope mirror polishing, stars 3 and bread 1"}


def _assert_untrained_same(inc: Path, full_ix: Path) -> None:
    """Tables, mentions, search data (but its trained dense part) and saved tokens of a full build."""
    from notelink.index.arrays import load_array
    from notelink.index.store import current_generation

    _assert_same_as_full_build(inc, full_ix)
    gen, full = current_generation(inc), current_generation(full_ix)
    assert gen is not None and full is not None
    names = sorted(p.name.split(".")[0] for p in full.glob("*.npy")
                   if p.name.startswith(("search_", "tokens_")) and "dense" not in p.name)
    assert {"search_terms_data", "search_anchors_data", "tokens_ids"} <= set(names)
    for name in names:
        assert np.array_equal(load_array(gen, name), load_array(full, name)), name


def test_added_deleted_moved_and_renamed_notes_update_like_a_full_build(
        make_vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each step's update renumbers the previous rows and mentions by path, counts mentions again only
    where a name came or went, and ends with the tables, mentions and search data of a full build."""
    from notelink.index import build as indexer
    from notelink.index import naming

    vault = topic_vault(make_vault, per_topic=6)
    for rel, text in (EXTRA | OPTICS).items():
        (vault / rel).parent.mkdir(exist_ok=True)
        (vault / rel).write_text(text, encoding="utf-8")
    build_index(vault, tmp_path / "inc", FAST)
    seen: dict[str, list[object]] = {"mentions_reuse": [], "patch_for": []}
    for module, name in ((naming, "mentions_reuse"), (indexer, "patch_for")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name,
                            lambda *a, real=real, name=name: seen[name].append(r := real(*a)) or r)
    for step, (written, moved, deleted) in enumerate(PATH_STEPS.values()):
        for rel, text in written.items():
            (vault / rel).parent.mkdir(exist_ok=True)
            (vault / rel).write_text(text, encoding="utf-8")
        for src, dst in moved.items():
            (vault / dst).parent.mkdir(exist_ok=True)
            (vault / src).rename(vault / dst)
        for rel in deleted:
            (vault / rel).unlink()
        assert build_index(vault, tmp_path / "inc", FAST, incremental=INC).mode in ("incremental", "carried")
        assert all(r is not None for r in seen["mentions_reuse"][-2:]), step  # names, file names: reused
        assert seen["patch_for"][-1] is not None, step
        recounted = seen["mentions_reuse"][-1][1]  # type: ignore[index]
        assert len(recounted) < len(list(vault.rglob("*.md"))) // 2, (step, recounted)  # not every note
        build_index(vault, tmp_path / f"full{step}", FAST)
        _assert_untrained_same(tmp_path / "inc", tmp_path / f"full{step}")


def test_a_folder_of_many_notes_moved_counts_every_mention_again(make_vault, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Over 100 names came and went: counting all is cheaper than looking up where they are; the rows
    are still patched, and the index is a full build's."""
    from notelink.index import build as indexer
    from notelink.index import naming

    words = TOPICS["stars"].split()
    vault = make_vault({f"a/note {i}.md": f"# Note {i}\n\n{' '.join(words[i % 7:])} note {(i + 1) % 60}"
                        for i in range(60)} | {"b/other.md": "# Other\n\nnote 3 and note 4, comet"})
    build_index(vault, tmp_path / "inc", FAST)
    (vault / "a").rename(vault / "c")
    seen: dict[str, list[object]] = {"mentions_reuse": [], "patch_for": []}
    for module, name in ((naming, "mentions_reuse"), (indexer, "patch_for")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name,
                            lambda *a, real=real, name=name: seen[name].append(r := real(*a)) or r)
    assert build_index(vault, tmp_path / "inc", FAST, incremental=INC).mode == "carried"
    assert seen["mentions_reuse"] == [None, None] and seen["patch_for"][0] is not None
    build_index(vault, tmp_path / "full", FAST)
    _assert_untrained_same(tmp_path / "inc", tmp_path / "full")


def _edit(vault: Path, words: str = "rye levain crumb sourdough oven") -> None:
    """A small edit, which an update absorbs."""
    (vault / "bread/bread 2.md").write_text(f"# Bread 2\n\n{words}", encoding="utf-8")


def test_each_fallback_to_a_full_retrain_says_why(make_vault, tmp_path: Path, monkeypatch) -> None:
    """An update given up for a full retrain said nothing of why (only a changed setting did): a big change,
    many new words, a long chain of updates, live vectors that cannot be used, `--force`."""
    from notelink.index.update import FORCED

    vault, ix = topic_vault(make_vault, per_topic=6), tmp_path / "ix"
    assert build_index(vault, ix, FAST, incremental=INC).retrain_reason == ""  # a first build: no fallback
    for p in (vault / "garden").glob("*.md"):
        p.write_text("# New\n\n" + "completely different words there " * 20, encoding="utf-8")
    big = build_index(vault, ix, FAST, incremental=INC)
    assert big.mode == "full" and big.retrain_reason == (
        "much of the vault changed: 33% of its words (an update takes up to 25%)")
    _edit(vault, " ".join(f"zyx{i}" for i in range(30)))  # 30 words of ~1,000, half the vocabulary
    new = build_index(vault, ix, FAST, incremental=INC)
    assert new.mode == "full" and new.retrain_reason == (
        "many new words: 55% of the vocabulary (an update takes up to 25%)")
    chain = replace(INC, max_chain=1)
    _edit(vault)
    assert build_index(vault, ix, FAST, incremental=chain).mode == "incremental"
    _edit(vault, "rye levain crumb")
    assert build_index(vault, ix, FAST, incremental=chain).retrain_reason == (
        "1 update in a row since the last full retrain (the most is 1)")
    _edit(vault, "rye crumb")
    monkeypatch.setattr(Previous, "vectors", lambda self: None)
    assert build_index(vault, ix, FAST, incremental=INC).retrain_reason == (
        "the live word vectors could not be read")
    monkeypatch.undo()
    _edit(vault, "rye crumb oven")
    real = Previous.vectors

    def diverged(self: Previous) -> tuple[list[str], np.ndarray, np.ndarray]:
        words, syn0, syn1neg = real(self)  # type: ignore[misc]
        return words, syn0 * np.nan, syn1neg
    monkeypatch.setattr(Previous, "vectors", diverged)
    assert build_index(vault, ix, FAST, incremental=INC).retrain_reason == (
        "the live word vectors are not finite numbers (an earlier training diverged)")
    monkeypatch.undo()
    assert build_index(vault, ix, FAST, incremental=INC, force=True).retrain_reason == FORCED


def test_an_index_an_update_cannot_build_on_says_why(make_vault, tmp_path: Path, monkeypatch) -> None:
    """Another format, notes read by newer rules, a damaged index: retrained from scratch, said why."""
    from notelink.index import previous
    from notelink.index.store import current_generation

    vault, ix = topic_vault(make_vault, per_topic=6), tmp_path / "ix"
    build_index(vault, ix, FAST, incremental=INC)
    gen = current_generation(ix)
    assert gen is not None
    db = sqlite3.connect(gen / "index.sqlite")
    db.execute("UPDATE meta SET value = '1' WHERE key = 'format_version'")
    db.commit()
    db.close()
    _edit(vault)
    assert build_index(vault, ix, FAST, incremental=INC).retrain_reason == previous.OTHER_FORMAT
    monkeypatch.setattr(previous, "TOKENS_VERSION", "another")
    _edit(vault, "rye crumb")
    assert build_index(vault, ix, FAST, incremental=INC).retrain_reason == (
        "this notelink reads notes by newer rules")
    monkeypatch.undo()
    gen = current_generation(ix)
    assert gen is not None
    syn0 = gen / "syn0.npy"
    syn0.write_bytes(syn0.read_bytes()[:-64])  # cut short
    _edit(vault, "rye crumb oven")
    damaged = build_index(vault, ix, FAST, incremental=INC)
    assert damaged.retrain_reason == "the index was damaged" and "damaged" in damaged.warnings[0]

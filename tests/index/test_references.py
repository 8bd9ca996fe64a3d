"""References by file name: the weights (known answers), the bonus, what a build and a query make of them."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from notelink.config import DialectConfig, IncrementalConfig, IndexConfig, NoteVectorConfig
from notelink.index.arrays import load_array
from notelink.index.build import build_index
from notelink.index.references import boosted, by_chance, reference_matrix
from notelink.index.store import current_generation
from notelink.query.index import Index

from ..conftest import FAST


def test_weights_are_the_share_times_how_rare_the_name_is_both_ways() -> None:
    # notes 0 and 1 name note 3 (1 by a name it shares with another note: half), 2 names 0
    r = reference_matrix(np.array([0, 1, 2]), np.array([3, 3, 0]), np.array([1.0, 0.5, 1.0]), 4).toarray()
    idf3, idf0 = math.log(4 / 3) / math.log(4), math.log(4 / 2) / math.log(4)
    want = np.zeros((4, 4))
    want[0, 3] = want[3, 0] = idf3
    want[1, 3] = want[3, 1] = 0.5 * idf3
    want[2, 0] = want[0, 2] = idf0
    assert np.allclose(r, want)


def test_a_name_every_note_writes_is_no_reference() -> None:
    r = reference_matrix(np.array([0, 1, 2]), np.array([3, 3, 3]), np.ones(3), 4)
    assert r.nnz == 0 or float(r.max()) == 0.0  # log(4 / 4) = 0: a common word, not a reference


def test_a_name_nearly_every_note_writes_is_no_reference_either() -> None:
    """998 of 1,000 notes name note 999 (idf 0.0001): under `REFERENCE_FLOOR`, no reference, where it
    would still rank that note above the notes with no score in the lists of notes with little text;
    note 998 named once keeps its weight."""
    src = np.concatenate([np.arange(998), [0]])
    dst = np.concatenate([np.full(998, 999), [998]])
    r = reference_matrix(src, dst, np.ones(999), 1000)
    assert r[5, 999] == 0.0 and r[0, 998] == pytest.approx(math.log(1000 / 2) / math.log(1000))


def test_chance_is_the_share_of_a_names_occurrences_its_words_would_give_by_chance() -> None:
    # 100 words, `plink` and `zorb` 50 each: by chance `plink zorb` 100 * 0.5 * 0.5 = 25 times, found 20;
    # `graph view` (5 each) 0.25 times by chance, found 5 (4 times in note 0 and once in note 3, in shares
    # of the two notes of that name); a number the vocabulary lacks is never chance
    names = [("plink", "zorb"), ("graph", "view"), ("graph", "view"), ("2022",), ()]
    dst, share = np.array([0, 1, 2, 1, 2, 3]), np.array([20.0, 2.0, 2.0, 0.5, 0.5, 1.0])
    got = by_chance(names, dst, share, {"plink": 50, "zorb": 50, "graph": 5, "view": 5}, 100)
    assert np.allclose(got, [1.0, 0.25 / 5, 0.25 / 5, 0.0, 0.0])


def test_a_name_chance_explains_is_no_reference_and_a_rarer_one_counts_less() -> None:
    src, dst, share = np.array([0, 1]), np.array([2, 3]), np.ones(2)
    r = reference_matrix(src, dst, share, 5, chance=np.array([0.0, 0.0, 1.0, 0.25, 0.0])).toarray()
    idf = math.log(5 / 2) / math.log(5)
    assert r[0, 2] == r[2, 0] == 0.0 and np.isclose(r[1, 3], 0.75 * idf) and np.isclose(r[3, 1], 0.75 * idf)


def test_the_bonus_closes_part_of_the_gap_to_one_and_nothing_else() -> None:
    scores = np.array([[0.2, 0.5, 0.9]])
    r = reference_matrix(np.array([0]), np.array([1]), np.ones(1), 3)[[0]]
    got = boosted(scores.copy(), r, 0.5)
    w = r[0, 1]
    assert np.allclose(got, [[0.2, 0.5 + 0.5 * w * 0.5, 0.9]]) and got.max() <= 1.0


VAULT = {
    "project-alpha-plan.md": "# Alpha plan\n\nmilestones budget people timeline review",
    "meeting.md": "# Meeting\n\nproject alpha plan; rain umbrella coffee forecast weather clouds",
    "weather.md": "# Weather\n\nrain umbrella coffee forecast weather clouds",
    "index.md": "# Index\n\nrain index coffee umbrella notes",
    "other.md": "# Other\n\nsee the index for rain and coffee and umbrella",
}


def test_a_note_naming_another_by_its_file_name_ranks_it_first(make_vault, tmp_path: Path) -> None:
    vault = make_vault(VAULT)
    build_index(vault, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    meeting, plan = index.by_path["meeting.md"], index.by_path["project-alpha-plan.md"]
    related = index.related(meeting, 3)
    assert related[0].path == plan.path and related[0].because[0] == "mentions: Alpha plan"
    assert [r.path for r in index.related(plan, 1)] == ["meeting.md"]  # both ways
    assert index.references is not None and index.references[index.by_path["other.md"].id,
                                                              index.by_path["index.md"].id] == 0
    index.reference_weight = 0.0  # one word ("index") is a word, not a reference; off: shared words win
    assert index.related(meeting, 1)[0].path != plan.path
    index.close()


def test_a_file_name_of_words_that_fall_together_by_chance_is_no_reference(make_vault,
                                                                             tmp_path: Path) -> None:
    # `plink` and `zorb` are most of the vault's words: `plink zorb` is written by chance in every note
    chance = {f"n{i}.md": f"# N{i}\n\nplink plink plink plink zorb zorb zorb zorb w{i}" for i in range(10)}
    vault = make_vault({**VAULT, **chance, "plink-zorb.md": "# Plink zorb\n\nhail sleet frost"})
    build_index(vault, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    refs, pz = index.references, index.by_path["plink-zorb.md"].id
    meeting, plan = index.by_path["meeting.md"].id, index.by_path["project-alpha-plan.md"].id
    assert refs is not None and refs[meeting, plan] > 0  # a real name still counts
    assert all(refs[index.by_path[n].id, pz] == 0 for n in chance)
    del index.references
    index.reference_chance = False  # (NoteVectorConfig.reference_chance) without it, all ten were references
    refs = index.references
    assert refs is not None and all(refs[index.by_path[n].id, pz] > 0 for n in chance)
    index.close()


def test_the_build_saves_the_chance_a_query_would_work_out(make_vault, tmp_path: Path) -> None:
    """A query reads `named_chance` (reading every path and the vocabulary for it would cost each query
    process ~2 s at 100k notes); an index from before has none and works it out, to the same values."""
    text = "plink plink plink zorb zorb zorb see project alpha plan"
    chance = {f"n{i}.md": f"# N{i}\n\n{text} w{i}" for i in range(6)}
    vault = make_vault({**VAULT, **chance, "plink-zorb.md": "# Plink zorb\n\nhail sleet frost"})
    build_index(vault, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    assert (index.gen / "named_chance.npy").exists()
    dst, share = (np.asarray(load_array(index.gen, f"named_{p}")) for p in ("dst", "count"))
    saved, worked_out = index._chance(dst, share), index._by_chance(dst, share)
    assert np.allclose(saved, worked_out, atol=1e-6) and saved[index.by_path["plink-zorb.md"].id] > 0.5
    assert saved[index.by_path["project-alpha-plan.md"].id] < 0.5
    index.close()


def _update_and_full_build(vault: Path, note: str, text: str, tmp_path: Path) -> Path:
    """Builds `vault`, writes `note`, updates the index (incrementally) and builds it again from scratch;
    asserts the update's references equal the full build's and returns the full build's generation."""
    build_index(vault, tmp_path / "inc", FAST, vector_cfg=NoteVectorConfig())
    (vault / note).write_text(text, encoding="utf-8")
    inc = IncrementalConfig(full_fraction=1.0)
    assert build_index(vault, tmp_path / "inc", FAST, incremental=inc).mode == "incremental"
    build_index(vault, tmp_path / "full", FAST)
    gen, full = current_generation(tmp_path / "inc"), current_generation(tmp_path / "full")
    assert gen is not None and full is not None
    for part in ("src", "dst", "count"):
        assert np.array_equal(load_array(gen, f"named_{part}"), load_array(full, f"named_{part}"))
    return full


def test_an_update_keeps_the_references_of_a_full_build(make_vault, tmp_path: Path) -> None:
    full = _update_and_full_build(make_vault(VAULT), "weather.md",
                                  "# Weather\n\nrain, see project alpha plan, clouds", tmp_path)
    assert load_array(full, "named_src").size == 2  # meeting and weather name the plan


def test_a_url_or_code_span_naming_a_file_is_a_reference_and_survives_a_reload(make_vault,
                                                                                tmp_path: Path) -> None:
    from notelink.index.previous import load_records

    vault = make_vault({**VAULT, "meeting.md": "# Meeting\n\n`project-alpha-plan`; rain umbrella coffee",
                        "weather.md": "# Weather\n\nsee dendron://vault/project-alpha-plan#budget, rain"})
    build_index(vault, tmp_path / "ix", FAST)
    gen = current_generation(tmp_path / "ix")
    assert gen is not None
    src, dst = load_array(gen, "named_src").tolist(), load_array(gen, "named_dst").tolist()
    named = sorted(zip(src, dst, strict=True))
    index = Index.open(tmp_path / "ix")
    plan = index.by_path["project-alpha-plan.md"].id
    assert named == sorted((index.by_path[p].id, plan) for p in ("meeting.md", "weather.md"))
    index.close()
    records, _ = load_records(gen)
    assert records["weather.md"].refs == [["dendron", "vault", "project", "alpha", "plan", "budget"]]


DATED = {
    "series.2022.05.31.md": "# Reading: excel engine\n\nspreadsheet formulas ray tracing",
    "series.2022.06.07.md": "# Reading: garden tools\n\nspade rake compost soil",
    "series.md": "# Series\n\nweekly reading picks from the community",
    "202101011200.md": "# Zettel on habits\n\nhabits cue routine reward",
    "changelog.md": "# Changelog\n\nsee series.2022.05.31 for this week; habits are in 202101011200 too. "
                    "Also 2022 was busy.",
    "2022.md": "# The year\n\nwhat happened",
    "2022-05-31.md": "# A sunny day\n\nsun and wind",
}


def _named_in(vault: Path, tmp_path: Path, index_cfg: IndexConfig | None = None
              ) -> tuple[Index, dict[str, int], dict[tuple[int, int], float]]:
    """`vault` indexed: the open index, its notes' ids by path and its references (mentioning note,
    named note) -> count, as the build saved them."""
    build_index(vault, tmp_path / "ix", FAST, index_cfg)
    gen = current_generation(tmp_path / "ix")
    assert gen is not None
    index = Index.open(tmp_path / "ix")
    src, dst, count = (load_array(gen, f"named_{p}").tolist() for p in ("src", "dst", "count"))
    pairs = zip(src, dst, strict=True)
    return index, {n.path: n.id for n in index.notes}, dict(zip(pairs, count, strict=True))


def test_a_file_name_with_numbers_is_a_reference_to_that_note_only(make_vault, tmp_path: Path) -> None:
    index, ids, named = _named_in(make_vault(DATED), tmp_path)
    index.close()
    log = ids["changelog.md"]
    # the dated note and the zettel's id, each once; not the other dated note, nor the series
    # ("series" alone is one word), nor the year: `2022` is a four-digit id written once, so it counts;
    # the day and the year inside `series.2022.05.31` are part of that name, not references of their own
    assert named.get((log, ids["series.2022.05.31.md"])) == 1.0
    assert named.get((log, ids["202101011200.md"])) == 1.0
    assert named.get((log, ids["2022.md"])) == 1.0 and (log, ids["2022-05-31.md"]) not in named
    assert (log, ids["series.2022.06.07.md"]) not in named and (log, ids["series.md"]) not in named
    assert set(named) == {(log, ids[p]) for p in ("series.2022.05.31.md", "202101011200.md", "2022.md")}


def test_numbers_are_read_where_the_text_tokens_drop_them_and_survive_a_reload(make_vault,
                                                                              tmp_path: Path) -> None:
    from notelink.index.previous import load_records

    vault = make_vault(DATED)
    build_index(vault, tmp_path / "ix", FAST)
    gen = current_generation(tmp_path / "ix")
    assert gen is not None
    records, _ = load_records(gen)
    log = records["changelog.md"]
    assert "2022" not in log.tokens and "202101011200" not in log.tokens  # not trained on
    assert log.numbered == [["see", "series", "2022", "05", "31", "week", "habits", "202101011200", "2022",
                             "busy"]]  # stop words gone, as in names; one stretch (the numbers are close)
    assert records["series.2022.05.31.md"].file_name() == ["series", "2022", "05", "31"]


def test_an_update_counts_names_with_numbers_as_a_full_build_does(make_vault, tmp_path: Path) -> None:
    full = _update_and_full_build(make_vault(DATED), "series.md",
                                  "# Series\n\nthis week: series.2022.06.07, the plan", tmp_path)
    assert load_array(full, "named_src").size == 4  # changelog: three; the series: the week (its year
    # inside the week's name is not a reference of its own)


NAMED = {
    "Canvas.md": "# Canvas\n\nboards cards arrows drawing space",
    "Sync.md": "# Sync\n\ndevices encryption vaults remote",
    "index.md": "# Index\n\nall the notes listed",
    "plugins.md": "# Plugins\n\nyou can open a board in Canvas and draw; the index lists it",
    "devices.md": "# Devices\n\nCanvas opens on phones. the canvas of a painter; sync is slow",
    "## heading.md": "# Heading\n\n## Using Canvas\n\nwords about nothing",
}


def test_a_one_word_file_name_written_with_its_capital_mid_sentence_is_a_reference(make_vault,
                                                                                     tmp_path: Path) -> None:
    """`Canvas.md` is named by "open a board in Canvas"; not by "canvas", nor by "Canvas" where a sentence
    or a heading starts; a file name without a capital (`index.md`) is a word wherever it is written."""
    index, ids, named = _named_in(make_vault(NAMED), tmp_path)
    assert set(named) == {(ids["plugins.md"], ids["Canvas.md"])}
    assert index._chance(*(np.asarray(load_array(index.gen, f"named_{p}")) for p in ("dst", "count")))[
        ids["Canvas.md"]] == 0.0  # the capital is the evidence: no chance
    assert index.related(index.by_path["plugins.md"], 1)[0].path == "Canvas.md"
    index.close()


def test_a_one_word_file_name_of_an_upper_case_suffix_is_a_reference_as_well(make_vault,
                                                                              tmp_path: Path) -> None:
    """`Canvas.MD` is a note like `Canvas.md` (the scan takes `.MD` files as notes): its name was
    `Canvas.MD`, two words, no one-word name."""
    notes = {("Canvas.MD" if rel == "Canvas.md" else rel): text for rel, text in NAMED.items()}
    index, ids, named = _named_in(make_vault(notes), tmp_path)
    assert set(named) == {(ids["plugins.md"], ids["Canvas.MD"])}
    index.close()


def test_capitalised_words_survive_a_reload_and_an_update_counts_them_as_a_full_build(make_vault,
                                                                                     tmp_path: Path) -> None:
    from notelink.index.previous import load_records

    full = _update_and_full_build(make_vault(NAMED), "devices.md",
                                  "# Devices\n\nphones run Sync and Canvas", tmp_path)
    records, _ = load_records(full)
    assert records["devices.md"].capitals == ["sync", "canvas"] and records["index.md"].capitals == []
    assert load_array(full, "named_src").size == 3


GERMAN = {
    "Lesezeichen.md": "# Lesezeichen\n\nDu kannst eine Seite mit dem Stern markieren und sie später finden.",
    "Suche.md": "# Suche\n\nDie Suche findet jedes Wort in allen Notizen, auch in den Überschriften.",
    "Menü.md": "# Menü\n\nHier ist das Menü mit allen Befehlen, die du in der App hast.",
    "einmal.md": "# Einmal\n\nIch habe die Lesezeichen und das Menü geöffnet, aber nicht mehr.",
    "dreimal.md": "# Dreimal\n\nDie Suche ist schnell. Mit der Suche und nur mit der Suche finde ich es.",
}


def test_in_german_a_capitalised_one_word_name_counts_a_third_a_mention(make_vault, tmp_path: Path) -> None:
    """German capitalises every noun, so a noun that is a one-word file name is weak evidence of a
    reference: it counts a third (`naming.NOUN_SHARE`), however often a note writes it, except where a
    sentence starts (as in English)."""
    index, ids, named = _named_in(make_vault(GERMAN), tmp_path)
    index.close()
    assert named[(ids["einmal.md"], ids["Lesezeichen.md"])] == pytest.approx(1 / 3)
    assert named[(ids["einmal.md"], ids["Menü.md"])] == pytest.approx(1 / 3)
    assert named[(ids["dreimal.md"], ids["Suche.md"])] == pytest.approx(1 / 3)
    assert (ids["Menü.md"], ids["Lesezeichen.md"]) not in named  # (nor names the note's own)


def test_an_update_counts_german_names_as_a_full_build_does(make_vault, tmp_path: Path) -> None:
    _update_and_full_build(make_vault(GERMAN), "einmal.md",
                           "# Einmal\n\nIch habe nur die Lesezeichen geöffnet, die Suche nicht.", tmp_path)


LOGSEQ = {
    "logseq/config.edn": "{:meta/version 1}",
    "pages/type.md": "- the kind of a block, as a property\n- a value of a page",
    "pages/Desktop.md": "- the app for Linux, macOS and Windows\n- downloads and updates",
    "pages/Home recording.md": "- microphones cables rooms",
    "journals/2024_01_15.md": "- set the type of each card\n- type it twice\n- the desktop app synced",
    "pages/notes.md": "- nothing of the others here",
    "pages/apps.md": "- we open it in Desktop daily",
}


def test_in_a_logseq_graph_a_one_word_page_name_in_any_case_counts_a_third(make_vault,
                                                                             tmp_path: Path) -> None:
    """Logseq's page names are words in any case (`[[type]]`, `[[desktop]]`): a note that writes one counts
    a third (`naming.NOUN_SHARE`) however often, and 1 where it writes a name's capital mid-sentence, as in
    any vault."""
    index, ids, named = _named_in(make_vault(LOGSEQ), tmp_path)
    index.close()
    day = ids["journals/2024_01_15.md"]
    assert named == {(day, ids["pages/type.md"]): pytest.approx(1 / 3),
                     (day, ids["pages/Desktop.md"]): pytest.approx(1 / 3),
                     (ids["pages/apps.md"], ids["pages/Desktop.md"]): 1.0}


def test_outside_a_logseq_graph_a_lower_case_one_word_name_is_a_word(make_vault, tmp_path: Path) -> None:
    vault = {p: t for p, t in LOGSEQ.items() if not p.startswith("logseq/")}
    index, ids, named = _named_in(make_vault(vault), tmp_path, IndexConfig(dialect=DialectConfig("obsidian")))
    index.close()
    assert named == {(ids["pages/apps.md"], ids["pages/Desktop.md"]): 1.0}  # only the capital


def test_an_update_counts_a_logseq_graphs_page_words_as_a_full_build_does(make_vault, tmp_path: Path) -> None:
    _update_and_full_build(make_vault(LOGSEQ), "pages/notes.md", "- the type of a desktop", tmp_path)


def test_a_file_name_that_is_one_word_only_without_its_stop_words_is_no_capital_name() -> None:
    from notelink.index.references import capital_referable

    assert capital_referable(["canvas"], "Plugins/Canvas.md") and capital_referable(["ios"], "iOS.md")
    assert not capital_referable(["obsidian"], "About Obsidian.md")  # `about` is a stop word
    assert not capital_referable(["index"], "index.md") and not capital_referable(["2022"], "2022.md")


def test_an_update_that_adds_a_logseq_page_counts_the_notes_that_write_its_name(make_vault,
                                                                                   tmp_path: Path) -> None:
    full = _update_and_full_build(make_vault(LOGSEQ), "pages/card.md", "- a flashcard to review", tmp_path)
    assert load_array(full, "named_src").size == 4  # the journal's "card" now names the new page


HANDLES = {
    "nathonius.md": "# nathonius\n\nauthor of plugins",
    "SilentVoid13.md": "# SilentVoid13\n\nauthor of templates",
    "Canvas Pan.md": "# Canvas Pan\n\nby the author: https://github.com/nathonius/obsidian-canvas-pan, "
                     "![downloads](https://img.shields.io/github/downloads/nathonius/obsidian-canvas-pan/total)",
    "Templater.md": "# Templater\n\nsource: https://github.com/SilentVoid13/Templater and nathonius wrote",
}


def test_a_one_word_file_name_in_a_url_or_code_span_is_a_reference(make_vault, tmp_path: Path) -> None:
    """A community wiki's author page is named by its handle (`nathonius.md`), which the author's plugins
    write in their URLs (`github.com/nathonius/...`): a URL or a code span names it, as it names a file
    name of two words; written in prose (`nathonius wrote`), a lower-case one-word name is still a word."""
    index, ids, named = _named_in(make_vault(HANDLES), tmp_path)
    index.close()
    assert named == {(ids["Canvas Pan.md"], ids["nathonius.md"]): 1.0,
                     (ids["Templater.md"], ids["SilentVoid13.md"]): 1.0}


def test_a_property_s_plain_value_naming_a_file_is_a_reference(make_vault, tmp_path: Path) -> None:
    """`category: study` names `study.md` as a URL would (Dataview fields); a date names no dated note,
    nor does a property read elsewhere (`tags`) or the text around a value."""
    vault = make_vault({"study.md": "# Study\n\nlessons and homework", "2026-05-28.md": "# A day\n\nsun",
                        "exam plan.md": "# Exam\n\ndates and rooms",
                        "task.md": "---\ncategory:\n  - study\nup: exam plan\ncreated: 2026-05-28\n"
                                   "tags: [study]\n---\n# Task\n\nsolve problem nine"})
    index, ids, named = _named_in(vault, tmp_path)
    index.close()
    assert set(named) == {(ids["task.md"], ids["study.md"]), (ids["task.md"], ids["exam plan.md"])}

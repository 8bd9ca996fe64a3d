"""The query commands (`related`, `concepts`, `mentions`, `similar`) where names are hard to tell apart."""

import json
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from notelink.query.index import Index

from ..conftest import SAMPLE
from .test_cli import ARGS, indexed, run

GARDEN = "garden compost mulch soil water seeds " * 3
COFFEE = "coffee beans roast grind brew espresso milk foam " * 3
CAFE_NFC, CAFE_NFD = (unicodedata.normalize(form, "Café.md") for form in ("NFC", "NFD"))
TWINS = {"Plan.md": f"# Garden plan\n\n{GARDEN} spring\n", "plan.md": f"# Work plan\n\n{GARDEN} meetings\n",
         CAFE_NFC: f"# Café one\n\n{COFFEE}\n", CAFE_NFD: f"# Café two\n\n{COFFEE} tea leaves\n",
         "other.md": f"# Other\n\n{GARDEN}\n",
         "Linker.md": f"# Linker\n\nsee Café one and Café two. {COFFEE}\n"}
ASKED = [("Garden plan", "Plan.md"), ("Work plan", "plan.md"), ("Plan.md", "Plan.md"), ("plan.md", "plan.md"),
         ("Café one", CAFE_NFC), ("Café two", CAFE_NFD), (CAFE_NFC, CAFE_NFC), (CAFE_NFD, CAFE_NFD)]


@pytest.fixture
def twins(capsys: pytest.CaptureFixture[str], make_vault, tmp_path: Path) -> tuple[Path, str]:
    """Notes whose paths differ only by case (`Plan.md`, `plan.md`) or by Unicode normalisation."""
    vault = make_vault(TWINS)
    assert len(list(vault.iterdir())) == len(TWINS)  # (a file system that folds names would make one)
    return vault, indexed(capsys, vault, tmp_path)


@pytest.mark.parametrize("name, path", ASKED)
def test_notes_named_alike_are_answered_for_the_note_asked(capsys, twins, name: str, path: str) -> None:
    vault, ix = twins
    index = Index.open(Path(ix))
    note = index.by_path[path]
    asked = ["--index-dir", ix, "--json", "--top", "10"]
    code, out, _ = run(capsys, "related", str(vault), name, *asked)
    related = json.loads(out)
    assert code == 0 and related["note"] == path
    assert related["related"] == [r.__dict__ for r in index.related(note, 10)]
    assert path not in [r["path"] for r in related["related"]]  # never related to itself
    code, out, _ = run(capsys, "concepts", str(vault), name, *asked)
    assert code == 0 and json.loads(out)["concepts"] == [c.__dict__ for c in index.concepts(note, 10)]
    code, out, _ = run(capsys, "mentions", str(vault), name, "--index-dir", ix, "--json")
    assert code == 0 and json.loads(out)["note"] == path
    index.close()


@pytest.mark.parametrize("typed", ["plan.md", "Plan.md", CAFE_NFC, CAFE_NFD])
def test_a_path_typed_exactly_picks_its_note_without_a_notice(capsys, twins, typed: str) -> None:
    vault, ix = twins
    for name in (typed, str(vault / typed)):
        code, out, err = run(capsys, "related", str(vault), name, "--index-dir", ix, "--json")
        assert code == 0 and json.loads(out)["note"] == typed and err == ""


def test_a_name_of_notes_told_apart_only_by_case_says_which_and_how_to_choose(capsys, twins) -> None:
    vault, ix = twins
    code, out, err = run(capsys, "related", str(vault), "PLAN.md", "--index-dir", ix, "--json")
    chosen = json.loads(out)["note"]
    other = ({"Plan.md", "plan.md"} - {chosen}).pop()
    assert code == 0 and f"'PLAN.md' also names {other}; showing {chosen}" in err
    assert "exact path" in err
    said = json.loads(out)  # scripts reading stdout see it too, as MCP clients do
    assert said["also_named"] == [other] and said["warning"] in err
    for command in ("concepts", "mentions"):
        code, out, err = run(capsys, command, str(vault), "PLAN.md", "--index-dir", ix, "--json")
        assert code == 0 and json.loads(out)["also_named"] == [other] and json.loads(out)["warning"] in err
    code, out, _ = run(capsys, "related", str(vault), "plan.md", "--index-dir", ix, "--json")
    assert "also_named" not in json.loads(out)  # an exact path names one note


def test_notes_told_apart_only_by_normalisation_are_shown_escaped(capsys, twins) -> None:
    vault, ix = twins
    code, out, err = run(capsys, "related", str(vault), "café", "--index-dir", ix, "--json")
    assert code == 0 and json.loads(out)["note"] in (CAFE_NFC, CAFE_NFD)
    assert "Caf\\u00e9.md" in err and "Cafe\\u0301.md" in err  # the difference made visible
    assert "exact path" in err and "as your shell completes it" in err


def test_a_path_typed_with_the_vault_folder_or_absolute_finds_a_note_stored_decomposed(
        capsys, make_vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nfc, nfd = (unicodedata.normalize(form, "Résumé.md") for form in ("NFC", "NFD"))
    vault = make_vault({nfd: "# Résumé\n\nriver stone\n", "en/Other.md": "# Other\n\nriver stone\n"})
    ix = indexed(capsys, vault, tmp_path)
    monkeypatch.chdir(vault.parent)
    for name, path in ((nfc, nfd), (f"{vault.name}/{nfc}", nfd), (str(vault / nfc), nfd),
                       ("en//Other.md", "en/Other.md"), ("en/../en/Other.md", "en/Other.md")):
        code, out, err = run(capsys, "related", str(vault), name, "--index-dir", ix, "--json")
        assert code == 0 and json.loads(out)["note"] == path and err == "", name


def test_mentions_of_a_note_deleted_since_indexing_say_so(capsys, make_vault, tmp_path: Path) -> None:
    vault = make_vault({"Canvas.md": "# Canvas\n\nboards of cards; see Mulch\n",
                        "Mulch.md": "# Mulch\n\na Canvas of leaves over the soil\n"})
    ix = indexed(capsys, vault, tmp_path)
    (vault / "Canvas.md").unlink()
    code, out, err = run(capsys, "mentions", str(vault), "Canvas", "--index-dir", ix)
    assert code == 1 and "Other notes Canvas names without linking them: unknown" in out
    assert "Unlinked mentions of Canvas (Canvas.md) in other notes: 1" in out  # still read from the others
    assert "it was deleted or moved since the index was built" in err and "notelink index" in err
    code, out, err = run(capsys, "mentions", str(vault), "Canvas", "--index-dir", ix, "--json")
    data = json.loads(out)
    assert code == 1 and "deleted or moved" in data["unreadable"] and len(data["incoming"]) == 1


def test_similar_without_a_word_asks_for_one(capsys, make_vault, tmp_path: Path) -> None:
    vault = make_vault({"a.md": "# A\n\nbread flour water oven\n", "b.md": "# B\n\nbread flour yeast\n"})
    ix = indexed(capsys, vault, tmp_path)
    for word in ("", "  "):
        code, _, err = run(capsys, "similar", str(vault), word, "--index-dir", ix)
        assert code == 2 and "give a word" in err and "no word named" not in err


def test_an_empty_note_name_asks_for_a_note(capsys, make_vault, tmp_path: Path) -> None:
    """A usage error (exit 2), as an empty word or query is, not "no note named ''"."""
    vault = make_vault({"a.md": "# A\n\nbread flour water oven\n", "b.md": "# B\n\nbread flour yeast\n"})
    ix = indexed(capsys, vault, tmp_path)
    for command, note in (("related", ""), ("concepts", " "), ("mentions", "")):
        code, out, err = run(capsys, command, str(vault), note, "--index-dir", ix, "--json")
        assert code == 2 and "note is empty: give a note's path or title" in err, command
        assert json.loads(out)["exit_code"] == 2


SMALL = {"a.md": "# A\n\n" + "compost mulch roots " * 6 + "worms leaves\n",
         "b.md": "# B\n\n" + "compost mulch roots " * 6 + "soil stones\n"}


def test_similar_with_no_neighbours_says_why(capsys, make_vault, tmp_path: Path) -> None:
    """A frequent word with no similar words printed only its header, exit 0, with no reason."""
    vault = make_vault({"a.md": "# A\n\n" + "compost " * 12 + "worms " * 3 + "leaves soil\n"})
    ix = indexed(capsys, vault, tmp_path)
    code, out, _ = run(capsys, "similar", str(vault), "compost", "--index-dir", ix)
    assert code == 0 and "no other word is seen 10 times or more" in out, out
    code, out, _ = run(capsys, "similar", str(vault), "compost", "--index-dir", ix, "--json")
    data = json.loads(out)
    assert data["similar"] == [] and data["reliable"] and "no other word" in data["reason"]
    code, out, _ = run(capsys, "similar", str(vault), "worms", "--index-dir", ix, "--json")
    assert "too rare to say" in json.loads(out)["reason"]


def test_similar_says_when_no_word_is_used_like_it(make_vault, tmp_path: Path) -> None:
    from notelink.index.build import build_index

    from ..conftest import FAST

    vault = make_vault(SMALL)
    build_index(vault, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    vecs = np.zeros((len(index.words), 2), dtype=np.float32)
    vecs[:, 0] = -1.0
    vecs[index.word_id("compost")] = (1.0, 0.0)  # every other word points the other way: cosine -1
    index.word_vecs = vecs
    found = index.similar_words("compost")
    assert found.similar == [] and "no word seen 10 times or more is used like it" in found.reason
    mulch = index.similar_words("mulch")
    assert [n.word for n in mulch.similar] == ["roots"] and mulch.reason == ""


def test_a_pasted_wikilink_is_the_note_it_links(capsys, twins) -> None:
    vault, ix = twins
    for name, path in [("[[Garden plan]]", "Plan.md"), ("[[plan.md|my plan]]", "plan.md"),
                       ("[[Other#Heading]]", "other.md")]:
        code, out, err = run(capsys, "related", str(vault), name, "--index-dir", ix, "--json")
        assert code == 0 and json.loads(out)["note"] == path, (name, err)


def test_a_name_or_word_typed_without_accents_is_read_as_the_vault_s_and_said_so(capsys, twins) -> None:
    vault, ix = twins
    code, out, err = run(capsys, "related", str(vault), "Cafe one", "--index-dir", ix, "--json")
    assert code == 0 and json.loads(out)["note"] == CAFE_NFC
    said = f"'Cafe one' read as Café one ({CAFE_NFC}): the one note named so with accents aside"
    assert json.loads(out)["warning"] == said and err == f"notelink: {said}\n"
    code, out, err = run(capsys, "similar", str(vault), "cafe", "--index-dir", ix)
    assert code == 0 and "Words similar to café" in out and "'cafe' read as 'café'" in err


@pytest.fixture(scope="module")
def sample_ix(tmp_path_factory: pytest.TempPathFactory) -> str:
    """sample_notes' index, built once for the module."""
    from notelink.cli.main import main

    ix = str(tmp_path_factory.mktemp("ix"))
    assert main(["index", str(SAMPLE), "--index-dir", ix, *ARGS]) == 0
    return ix


def test_health_says_how_many_of_a_list_it_left_out(capsys, sample_ix: str) -> None:
    """`health` listed 20 orphans or one-way links under a count of 57 and said nothing of the rest (the
    list is cut at --limit): one could read the 20 as all of them."""
    code, out, _ = run(capsys, "health", str(SAMPLE), "--index-dir", sample_ix, "--limit", "2")
    data = json.loads(run(capsys, "health", str(SAMPLE), "--index-dir", sample_ix, "--json")[1])
    left = data["counts"]["one_way"] - 2
    assert code == 0 and left > 0 and f"  … and {left} more (--limit {left + 2} lists them all)" in out
    code, out, _ = run(capsys, "health", str(SAMPLE), "--index-dir", sample_ix, "--limit", "500")
    assert code == 0 and "more (--limit" not in out


def test_a_mention_in_a_long_line_is_shown_with_the_words_around_it(capsys, make_vault,
                                                                   tmp_path: Path) -> None:
    """`mentions` printed each mention's whole line: a paragraph of 1,500 characters for one word in it,
    where the app shows the words around the mention. `--json` keeps the whole line."""
    filler = "words of a long paragraph about the garden and its beds " * 12
    vault = make_vault({"Canvas.md": "# Canvas\n\nboards of cards and pins\n",
                        "Mulch.md": f"# Mulch\n\n{filler}then a Canvas of leaves over the soil {filler}\n"})
    ix = indexed(capsys, vault, tmp_path)
    code, out, _ = run(capsys, "mentions", str(vault), "Canvas", "--index-dir", ix)
    (line,) = [x for x in out.splitlines() if x.startswith("  Mulch.md:")]
    shown = " …the garden and its beds then a Canvas of leaves over the soil words…"
    assert code == 0 and line.endswith(shown)
    code, out, _ = run(capsys, "mentions", str(vault), "Canvas", "--index-dir", ix, "--json")
    assert json.loads(out)["incoming"][0]["line_text"].startswith(filler.strip())

"""The Python API: every method on an indexed copy of sample_notes, errors, and generation switches."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import shutil
import sqlite3
from pathlib import Path

import pytest

import notelink
from notelink.api import TRUNCATED_MARK, Vault
from notelink.cli.main import main
from notelink.config import RelatedConfig
from notelink.configfile import UserConfig
from notelink.errors import (
    ArgumentError,
    IndexDamaged,
    IndexFormatError,
    IndexMissing,
    NotelinkError,
    NotFound,
    VaultError,
)
from notelink.index.build import build_index
from notelink.index.store import current_generation
from notelink.notes.block import render

from .conftest import FAST, SAMPLE


def cli_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    capsys.readouterr()
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_open_answers_as_the_cli_does(indexed, capsys) -> None:
    vault, ix = indexed
    with notelink.open(vault, ix) as v:
        related = v.related("Sourdough starter", top=5)
        assert [r.__dict__ for r in related] == cli_json(capsys, "related", str(vault), "Sourdough starter",
                                                         "--index-dir", str(ix), "--top", "5")["related"]
        concepts = v.concepts("cooking/Kimchi.md", top=4)
        assert [c.__dict__ for c in concepts] == cli_json(capsys, "concepts", str(vault), "Kimchi",
                                                          "--index-dir", str(ix), "--top", "4")["concepts"]
        similar = v.similar("telescope", top=3)
        assert [s.__dict__ for s in similar] == cli_json(capsys, "similar", str(vault), "telescope",
                                                         "--index-dir", str(ix), "--top", "3")["similar"]
        assert v.status().to_dict() == cli_json(capsys, "status", str(vault), "--index-dir", str(ix))


def test_related_carries_scores_links_and_because(indexed) -> None:
    vault, ix = indexed
    v = Vault(vault, ix)
    hits = v.related("Sourdough starter", top=5)
    assert len(hits) == 5 and all(0 < h.score <= 1 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert any(h.because for h in hits)
    assert all(not h.linked for h in v.related("Sourdough starter", top=10, unlinked=True))


def test_related_says_which_notes_are_weak(indexed) -> None:
    """`Related.weak`: a score below `RelatedConfig.weak_below`, a long shot; such notes are still listed."""
    vault, ix = indexed
    hits = Vault(vault, ix).related("Compost", top=20)
    assert len(hits) == 20 and [h.weak for h in hits] == [h.score < RelatedConfig().weak_below for h in hits]
    assert {h.weak for h in hits} == {False, True}


def test_related_leaves_out_notes_below_min_score_as_an_export_does(indexed) -> None:
    """`min_score` (the CLI's and the exports' `--min-score`): notes scoring below it are left out of the
    `top`, and `why_none` says so when none is left; it is a number of at most 1, or None."""
    vault, ix = indexed
    v = Vault(vault, ix)
    hits = v.related("Compost", top=20)
    cut = (hits[5].score + hits[6].score) / 2  # (between two shown scores: a score compared unrounded)
    assert hits[5].score > hits[6].score
    assert v.related("Compost", top=20, min_score=cut) == [h for h in hits if h.score >= cut]
    assert v.related("Compost", top=20, min_score=None) == hits == v.related("Compost", 20, False, -1)
    assert v.related("Compost", top=20, min_score=1) == []
    assert v.why_none("Compost", min_score=1) == (f"no related note scores 1 or more: the best scores "
                                                  f"{hits[0].score}")
    assert v.why_none("Compost", min_score=cut) == ""
    for bad in (1.5, float("nan"), "0.2", True):
        with pytest.raises(ArgumentError, match="min_score must be a number of at most 1"):
            v.related("Compost", min_score=bad)  # type: ignore[arg-type]


def test_a_note_is_found_by_title_path_file_and_file_path(indexed, monkeypatch) -> None:
    vault, ix = indexed
    v = Vault(vault, ix)
    by_title = v.find("Kimchi")
    assert by_title.path == "cooking/Kimchi.md"
    assert v.find("cooking/Kimchi.md") == by_title == v.find(str(vault / "cooking/Kimchi.md"))
    monkeypatch.chdir(vault / "cooking")
    assert v.find("Kimchi.md") == by_title  # a shell-completed path from the current folder


def test_a_note_is_named_by_a_path_object_as_by_its_path(indexed, monkeypatch) -> None:
    """`pathlib.Path` (any `os.PathLike`) names a note as the same path in a `str` does: the file's path,
    absolute or from the current folder, or the vault-relative path."""
    vault, ix = indexed
    v = Vault(vault, ix)
    kimchi = v.find("Kimchi")
    for path in (vault / "cooking/Kimchi.md", Path("cooking/Kimchi.md")):
        assert v.find(path) == kimchi and v.also_named(path, kimchi) == []
        assert v.related(path, top=3) == v.related(str(path), top=3)
        assert v.concepts(path) == v.concepts(str(path)) and v.note(path).path == kimchi.path
        assert v.mentions(path).note == kimchi.path
        assert "[[Chicken stock]]" in v.link(path, Path("cooking/Chicken stock.md")).diff  # (a preview)
    monkeypatch.chdir(vault / "cooking")
    assert v.find(Path("Kimchi.md")) == kimchi


def test_note_returns_names_links_and_text_cut_at_max_chars(indexed) -> None:
    vault, ix = indexed
    v = Vault(vault, ix)
    whole = v.note("Sourdough starter")
    assert whole.path == "cooking/Sourdough starter.md" and not whole.truncated
    assert whole.text == (vault / whole.path).read_text(encoding="utf-8")
    assert whole.chars == len(whole.text) and whole.links
    assert {ln.path for ln in whole.links if ln.path} <= {n.path for n in v.index.notes}
    cut = v.note("Sourdough starter", max_chars=40)
    assert cut.truncated and cut.text == whole.text[:40] + TRUNCATED_MARK and cut.chars == whole.chars


def test_note_cuts_each_list_at_max_items_and_counts_them_all(make_vault, tmp_path: Path) -> None:
    vault = make_vault({"a.md": "# A\n\n" + "\n".join(f"## H{i}\n[[b]] #t{i}" for i in range(30)),
                        "b.md": "# B\n\nbread flour"})
    build_index(vault, tmp_path / "ix", FAST)
    v = Vault(vault, tmp_path / "ix")
    whole, cut = v.note("A"), v.note("A", max_items=5)
    assert not whole.lists_truncated and len(whole.links) == 30 and len(whole.tags) == 30
    assert cut.lists_truncated and cut.links == whole.links[:5] and cut.headings == whole.headings[:5]
    assert cut.counts == whole.counts == {"aliases": 0, "tags": 30, "headings": 31, "links": 30}
    assert cut.to_dict()["counts"]["links"] == 30
    with pytest.raises(ArgumentError, match="max_items"):
        v.note("A", max_items=0)


def test_a_draft_s_last_line_end_is_no_part_of_the_query(indexed) -> None:
    v = Vault(*indexed)
    assert v.search("levain bubbly\n\n", syntax=False).query == "levain bubbly"
    assert v.search("levain bubbly\n").query == "levain bubbly\n"  # (a typed query is said back as typed)


def test_a_note_changed_since_indexing_says_so_beside_the_index_s_names(make_vault, tmp_path: Path) -> None:
    """The title, tags, headings and links are the index's, the text is the file's now: when the file
    changed since the build, `changed_since_index` says that they may disagree. notelink's own block
    written into a note is no change."""
    vault = make_vault({"a.md": "# A\n\nbread flour water oven #baking", "b.md": "# B\n\nbread flour yeast"})
    build_index(vault, tmp_path / "ix", FAST)
    v = Vault(vault, tmp_path / "ix")
    assert not v.note("A").changed_since_index and v.note("A").to_dict()["changed_since_index"] is False
    (vault / "b.md").write_text(render("# B\n\nbread flour yeast", ["- [[A]]"]), encoding="utf-8")
    assert not v.note("B").changed_since_index
    (vault / "a.md").write_text("# Rye\n\nrewritten entirely #rye", encoding="utf-8")
    note = v.note("A")
    assert note.changed_since_index and note.title == "A" and note.tags == ["baking"]
    assert note.text.startswith("# Rye") and note.to_dict()["changed_since_index"] is True


def test_a_note_deleted_since_indexing_is_said_to_be_gone_since_then(make_vault, tmp_path: Path) -> None:
    vault = make_vault({"a.md": "# A\n\nbread flour water oven", "b.md": "# B\n\nbread flour yeast oven"})
    build_index(vault, tmp_path / "ix", FAST)
    v = Vault(vault, tmp_path / "ix")
    (vault / "b.md").unlink()
    (vault / "c.md").write_text("# C\n\nbread\n", encoding="utf-8")
    command = shlex.join(["notelink", "index", str(vault), "--index-dir", str(tmp_path / "ix")])
    with pytest.raises(NotFound) as caught:
        v.note("B")
    assert str(caught.value) == ("b.md cannot be read now: it was deleted or moved since the index was built "
                                 f"(`{command}` updates the index)")  # (was `notelink index`: which?)
    assert v.mentions("B").unreadable == str(caught.value)
    with pytest.raises(NotFound, match=f"new since the index was built: run `{re.escape(command)}` to add"):
        v.related("c.md")


def test_mentions_are_not_read_from_a_file_outside_the_vault(indexed, tmp_path: Path) -> None:
    """A note replaced by a link to a file outside the vault since it was indexed: its mentions are not
    read from that file (nor its text shown)."""
    vault, ix = indexed
    source = vault / "gardening" / "Seed starting.md"
    assert Vault(vault, ix).mentions("Compost").incoming  # (it names Compost without linking it)
    outside = tmp_path / "elsewhere.md"
    outside.write_bytes(source.read_bytes())
    saved = source.read_bytes()
    try:
        source.unlink()
        os.symlink(outside, source)
        assert Vault(vault, ix).mentions("Compost").incoming == []
    finally:
        source.unlink()
        source.write_bytes(saved)


def test_a_note_whose_file_now_points_outside_the_vault_is_not_read(indexed, tmp_path: Path) -> None:
    vault, ix = indexed
    outside = tmp_path / "secret.md"
    outside.write_text("secret", encoding="utf-8")
    note = vault / "Home.md"
    saved = note.read_bytes()
    try:
        note.unlink()
        os.symlink(outside, note)
        with pytest.raises(NotFound, match="outside the vault"):
            Vault(vault, ix).note("Home")
    finally:
        note.unlink()
        note.write_bytes(saved)


def test_paths_that_escape_the_vault_name_no_note(indexed) -> None:
    vault, ix = indexed
    v = Vault(vault, ix)
    for name in ("../ix/index.sqlite", "/etc/passwd", str(vault.parent / "x.md"), "../../etc/hosts.md"):
        with pytest.raises(NotFound):
            v.note(name)


@pytest.mark.parametrize("name", ["x" * 300 + ".md", "deep/" * 900 + "x.md", "~nobody-here-at-all/x.md"])
def test_a_name_no_file_can_have_is_not_found(indexed, name: str) -> None:
    v = Vault(*indexed)
    for ask in (v.related, v.concepts, v.note, v.mentions):
        with pytest.raises(NotFound, match="no note named"):
            ask(name)


def test_errors_are_documented_exceptions(indexed, tmp_path: Path) -> None:
    vault, ix = indexed
    with pytest.raises(VaultError):
        Vault(tmp_path / "missing")
    empty = tmp_path / "empty-vault"
    empty.mkdir()
    with pytest.raises(IndexMissing):
        Vault(empty, tmp_path / "no-index")
    v = Vault(vault, ix)
    with pytest.raises(NotFound) as unknown:
        v.related("Sourdough startr")
    assert "Sourdough starter" in unknown.value.suggestions
    with pytest.raises(NotFound):
        v.similar("zzzunknownword")
    assert all(issubclass(e, NotelinkError) for e in (VaultError, IndexMissing, NotFound))


def test_without_an_index_in_the_folder_given_the_error_names_it(indexed, tmp_path: Path) -> None:
    vault, _ = indexed
    wrong = tmp_path / "wrong place"
    with pytest.raises(IndexMissing) as caught:
        notelink.open(vault, wrong)
    assert f"{vault} has no index yet in {wrong}: run `notelink index {vault} --index-dir '{wrong}'` first" \
        == str(caught.value)


def test_without_an_index_in_the_usual_folder_the_error_names_it(make_vault, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    vault = make_vault({"a.md": "# A\n\nbread"})
    monkeypatch.delenv("NOTELINK_INDEX_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    with pytest.raises(IndexMissing) as caught:
        notelink.open(vault)
    usual = UserConfig.load().index_dir(vault)
    assert str(caught.value) == f"{vault} has no index yet (looked for in {usual}): run `notelink index " \
                                f"{vault}` first"


@pytest.mark.parametrize("how", ["damaged", "older"])
@pytest.mark.parametrize("where", ["usual", "given"])
def test_a_damaged_or_older_index_says_which_vault_and_how_to_rebuild_it(
        make_vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str, where: str) -> None:
    """The API's IndexFormatError said "run `notelink index`" without the vault (the CLI and the MCP server
    complete it, the API did not): a script's log did not say which vault's index to rebuild, nor where."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    vault = make_vault({"a.md": "# A\n\nbread flour water oven", "b.md": "# B\n\nbread flour yeast oven"})
    ix = tmp_path / "ix" if where == "given" else UserConfig.load().index_dir(vault)
    build_index(vault, ix, FAST)
    gen = current_generation(ix)
    assert gen is not None
    if how == "damaged":
        (gen / "syn0.npy").write_bytes(b"damaged")
    else:
        with contextlib.closing(sqlite3.connect(gen / "index.sqlite")) as db, db:
            db.execute("UPDATE meta SET value = '1' WHERE key = 'format_version'")
    with pytest.raises(IndexFormatError) as caught:
        Vault(vault, ix if where == "given" else None)
    flag = ["--index-dir", str(ix)] if where == "given" else []
    assert f"run `{shlex.join(['notelink', 'index', str(vault), *flag])}` to rebuild it" in str(caught.value)
    assert isinstance(caught.value, IndexDamaged) == (how == "damaged")


def test_an_index_without_search_data_names_the_vault_in_the_command(make_vault, tmp_path: Path) -> None:
    """`search` on an index from before search said "run `notelink index --force`", no vault named."""
    vault = make_vault({"a.md": "# A\n\nbread flour water oven", "b.md": "# B\n\nbread flour yeast oven"})
    build_index(vault, tmp_path / "ix", FAST)
    v = Vault(vault, tmp_path / "ix")
    for array in (tmp_path / "ix" / "gen-000001").glob("search_*.npy"):
        array.unlink()
    with pytest.raises(IndexFormatError) as caught:
        v.search("bread")
    assert f"run `notelink index {vault} --force --index-dir {tmp_path / 'ix'}`" in str(caught.value)


def test_a_folder_inside_an_indexed_vault_is_said_to_be_inside_it(make_vault, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """No index of its own, but one for a folder above it (looked for upwards, where notelink keeps each
    vault's index): the error names that vault; the folder itself is still not answered for."""
    monkeypatch.delenv("NOTELINK_INDEX_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    vault = make_vault({"a.md": "# A\n\nbread flour water", "sub/deeper/b.md": "# B\n\nbread flour salt"})
    assert main(["index", str(vault), "--dim", "16", "--epochs", "2", "--threads", "1",
                 "--device", "cpu"]) == 0
    with pytest.raises(IndexMissing) as caught:
        notelink.open(vault / "sub" / "deeper")
    assert str(caught.value).startswith(f"{vault / 'sub' / 'deeper'} is inside the indexed vault {vault}: ")
    assert f"`notelink status {vault}`" in str(caught.value)


@pytest.mark.parametrize(("call", "says"), [
    (lambda v: v.search("kimchi", top=0), "top must be"), (lambda v: v.search("kimchi", top=-1), "top"),
    (lambda v: v.related("Kimchi", top=-1), "top must be"), (lambda v: v.concepts("Kimchi", top=-3), "top"),
    (lambda v: v.similar("kimchi", top=0), "top"), (lambda v: v.similar_words("kimchi", top=0), "top"),
    (lambda v: v.health(limit=-1), "limit must be"), (lambda v: v.note("Kimchi", max_chars=0), "max_chars"),
    (lambda v: v.related(None), "note must be text"), (lambda v: v.search(None), "query must be text"),
    (lambda v: v.similar(3), "word must be text"), (lambda v: v.similar_words(" "), "give a word"),
    (lambda v: v.similar(""), "give a word"), (lambda v: v.search(" \n"), "give words to search for"),
    (lambda v: v.related(""), "note is empty: give a note's path or title"),
    (lambda v: v.note(" "), "note is empty"), (lambda v: v.find(""), "note is empty"),
    (lambda v: v.link("Kimchi", "\t"), "note is empty"), (lambda v: v.mentions(""), "note is empty"),
    (lambda v: v.related(5), "note must be text"),
    (lambda v: notelink.open(5), "vault must be a folder's path"),
    (lambda v: notelink.open(v.path, 5), "index_dir must be a folder's path"),
    (lambda v: v.search("dough", exclude=[3]), "exclude must be note paths"),
    (lambda v: v.search("dough", exclude=None), "exclude must be note paths"),
    (lambda v: v.search("dough", snippets="no"), "snippets must be True or False"),
    (lambda v: v.search("dough", syntax=0), "syntax must be True or False"),
    (lambda v: v.search("dou", prefix="yes"), "prefix must be True or False"),
    (lambda v: v.status(files="no"), "files must be True or False"),
    (lambda v: v.health(progress=3), "progress must be a function"),
    (lambda v: v.link("Kimchi", "Sourdough starter", mention=0), "mention must be a whole number of at"),
    (lambda v: v.link("Kimchi", "Sourdough starter", mention="1"), "mention must be a whole number"),
    (lambda v: v.link("Kimchi", "Sourdough starter", mention=True), "mention must be a whole number"),
    (lambda v: v.link("Kimchi", "Sourdough starter", mention=1, append=True), "mention or append=True, not"),
    (lambda v: v.link("Kimchi", "Sourdough starter", append="yes"), "append must be True or False"),
    (lambda v: v.link("Kimchi", "Sourdough starter", expect=3), "expect must be text"),
    (lambda v: v.undo_links(every="x"), "every must be True or False")])
def test_arguments_it_cannot_use_are_a_clear_error(indexed, call, says: str) -> None:
    with pytest.raises(ArgumentError, match=says) as caught:
        call(Vault(*indexed))
    assert isinstance(caught.value, NotelinkError)


@pytest.mark.parametrize("write", ["no", "false", 0, None])
def test_a_write_that_is_not_true_or_false_writes_nothing(indexed, write: object) -> None:
    """`write="no"` is truthy: it wrote the note (and `undo_links(write="no")` put it back)."""
    vault, ix = indexed
    before = {p: p.read_bytes() for p in vault.rglob("*.md")}
    with notelink.open(vault, ix) as v:
        with pytest.raises(ArgumentError, match=f"write must be True or False, not {write!r}"):
            v.link("Kimchi", "Sourdough starter", append=True, write=write)  # type: ignore[arg-type]
        with pytest.raises(ArgumentError, match="write must be True or False"):
            v.undo_links(write=write)  # type: ignore[arg-type]
    assert {p: p.read_bytes() for p in vault.rglob("*.md")} == before


def test_search_leaves_out_one_path_or_several(indexed) -> None:
    with notelink.open(*indexed) as v:
        first = v.search("dough", top=3).hits[0].path
        for exclude in (first, Path(first), [first], (Path(first),)):
            assert first not in [h.path for h in v.search("dough", top=3, exclude=exclude).hits]


def test_a_new_generation_is_picked_up_by_the_next_call(make_vault, tmp_path: Path) -> None:
    vault = make_vault({"a.md": "# A\n\nbread flour water oven", "b.md": "# B\n\nbread flour yeast oven",
                        "c.md": "# C\n\ntelescope star planet"})
    ix = tmp_path / "ix"
    build_index(vault, ix, FAST)
    v = Vault(vault, ix)
    first = v.status().generation
    with pytest.raises(NotFound):
        v.find("D")
    (vault / "d.md").write_text("# D\n\ntelescope star moon", encoding="utf-8")
    build_index(vault, ix, FAST)
    assert v.status().generation == first + 1  # type: ignore[operator]
    assert v.find("D").path == "d.md"


@pytest.mark.parametrize("lost", ["deleted", "damaged"])
def test_an_index_built_again_at_the_same_generation_is_picked_up(make_vault, tmp_path: Path, capsys,
                                                                  lost: str) -> None:
    """A rebuild starts again at gen-000001 when the index folder was deleted, or when `notelink index` set
    a damaged generation aside: the same path, another generation."""
    vault = make_vault({"a.md": "# A\n\nbread flour water oven", "b.md": "# B\n\nbread flour yeast oven"})
    ix = tmp_path / "ix"
    build_index(vault, ix, FAST)
    v = Vault(vault, ix)
    assert v.status().notes == 2
    (vault / "pears.md").write_text("# Pears\n\npears ripen in the oven with bread", encoding="utf-8")
    if lost == "deleted":
        shutil.rmtree(ix)
    else:
        (ix / "gen-000001" / "syn0.npy").write_bytes(b"damaged")
    assert main(["index", str(vault), "--index-dir", str(ix)]) == 0
    assert v.status().generation == 1 and v.status().notes == 3
    assert v.find("Pears").path == "pears.md"


def test_status_of_a_vault_folder_gone_since_it_was_opened_says_so(make_vault, tmp_path: Path) -> None:
    """A script's Vault whose folder was deleted or moved away said every note gone; the CLI says the
    vault is not found, and so does the API now."""
    vault = make_vault({"a.md": "# A\n\nbread flour water oven", "b.md": "# B\n\nbread flour yeast oven"})
    build_index(vault, tmp_path / "ix", FAST)
    v = Vault(vault, tmp_path / "ix")
    vault.rename(tmp_path / "away")
    with pytest.raises(VaultError, match="vault not found"):
        v.status()


def test_vault_names_and_the_index_root_come_from_the_config_file_as_in_the_cli(
        make_vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`[vaults]` names and `[index] index_root`, relative to the config file's folder, mean the same
    vault and index folder to the API as to `notelink index`, from any current folder."""
    make_vault({"a.md": "# A\n\nbread flour water oven", "b.md": "# B\n\nbread flour yeast oven"})
    config = tmp_path / "config.toml"
    config.write_text('[vaults]\nmynotes = "vault"\n[index]\nindex_root = "indexes"\n', encoding="utf-8")
    monkeypatch.setenv("NOTELINK_CONFIG", str(config))
    monkeypatch.delenv("NOTELINK_INDEX_DIR", raising=False)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["index", "mynotes", "--dim", "16", "--epochs", "2", "--threads", "1", "--device", "cpu"]) \
        == 0
    with notelink.open("mynotes") as v:
        assert v.path == (tmp_path / "vault").resolve() and v.status().notes == 2
        assert v.index_dir.parent == tmp_path / "indexes"
    with pytest.raises(VaultError, match="the config file's \\[vaults\\] gone"):
        config.write_text('[vaults]\ngone = "nowhere"\n', encoding="utf-8")
        notelink.open("gone")


def test_the_readme_example_runs(indexed, monkeypatch, capsys) -> None:
    """The README's Python API example, as written, on an indexed copy of sample_notes."""
    vault, ix = indexed
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    example = readme.split("## Use it from a script")[1].split("```python\n")[1].split("```")[0]
    monkeypatch.setenv("NOTELINK_INDEX_DIR", str(ix))
    monkeypatch.chdir(vault.parent)
    (vault.parent / "sample_notes").symlink_to(vault)
    exec(compile(example, "README.md", "exec"), {})
    out = capsys.readouterr().out.splitlines()
    related = "\n".join(out[:3])  # the starter's three related notes: the two notes it links among them
    assert "Bread baking basics" in related and "Fermentation" in related and out[-1].isdigit()


def test_open_says_every_method_of_the_vault() -> None:
    """`help(notelink.open)` lists what a vault answers, every public method of `Vault`."""
    methods = [name for name, value in vars(Vault).items() if callable(value) and not name.startswith("_")]
    assert len(methods) > 10 and [m for m in methods if f"`{m}`" not in (notelink.open.__doc__ or "")] == []


def test_a_word_is_read_without_spaces_around_it_and_several_are_said_to_be_several(indexed) -> None:
    """`" dough "` was no word (a note's name is read without them), and "two words" was 'did you mean:
    toward, wood?'."""
    with notelink.open(*indexed) as v:
        assert v.similar_words(" dough\n", top=3) == v.similar_words("dough", top=3)
        assert v.similar("\tdough ", top=3) == v.similar("dough", top=3)
        said = r"^'sourdough starter' is 2 words: similar words are found for one word at a time \("
        with pytest.raises(NotFound, match=said + r"sourdough, starter\)$") as caught:
            v.similar_words(" sourdough starter")
        assert caught.value.suggestions == ["sourdough", "starter"]


def test_every_answer_type_is_named_in_the_api(indexed) -> None:
    """A typed script names what it gets from `notelink.api`: a search's hits, their because and snippet too
    (`from notelink.api import Hit` was an AttributeError)."""
    import notelink.api as api

    assert [name for name in api.__all__ if not hasattr(api, name)] == []
    with notelink.open(*indexed) as v:
        hit = v.search("sourdough", top=1).hits[0]
    assert isinstance(hit, api.Hit) and isinstance(hit.because, api.Because)
    assert isinstance(hit.snippet, api.Snippet)


def test_search_finds_notes_by_meaning_with_snippets_and_because(indexed) -> None:
    vault, ix = indexed
    with notelink.open(vault, ix) as v:
        found = v.search("sourdough bread zzqx", top=3)
        assert found.hits[0].path in {"cooking/Sourdough starter.md", "cooking/Bread baking basics.md"}
        assert found.unknown == ["zzqx"] and found.hits[0].snippet and found.hits[0].because.words
        assert v.search("#recipe bread", top=20).hits and all(
            "recipe" in v.find(h.path).tags for h in v.search("#recipe bread", top=20).hits)
        assert v.search("sourdough", exclude={found.hits[0].path}).hits[0].path != found.hits[0].path


def test_a_note_the_exclude_patterns_leave_out_is_said_to_be_left_out(make_vault, tmp_path: Path) -> None:
    from notelink.config import IndexConfig

    vault = make_vault({"a.md": "# A\n\nbread flour water oven", "drafts/Plan.md": "# Plan\n\nbread oven",
                        ".notelinkignore": "secret.md\n", "secret.md": "# Secret\n\nbread"})
    build_index(vault, tmp_path / "ix", FAST, IndexConfig(exclude=("drafts/",)))
    v = Vault(vault, tmp_path / "ix")
    cases = [("Plan", "drafts/Plan.md"), ("drafts/Plan.md", "drafts/Plan.md"), ("secret", "secret.md")]
    for name, path in cases:
        with pytest.raises(NotFound, match=f"{path} is not in the index: it is left out by the exclude"):
            v.related(name)
    with pytest.raises(NotFound, match="no note named 'Nothing'"):
        v.find("Nothing")


def test_a_note_in_a_dot_folder_is_said_to_be_in_one(make_vault, tmp_path: Path) -> None:
    vault = make_vault({"a.md": "# A\n\nbread flour water oven", "b.md": "# B\n\nbread oven",
                        ".obsidian/x.md": "# X\n\nbread", "sub/.hidden/y.md": "# Y", ".dot.md": "# Dot"})
    build_index(vault, tmp_path / "ix", FAST)
    v = Vault(vault, tmp_path / "ix")
    with pytest.raises(NotFound, match=r"it is in a dot-folder \(\.obsidian/\), which notelink never index"):
        v.find(".obsidian/x.md")
    with pytest.raises(NotFound, match=r"in a dot-folder \(sub/\.hidden/\)"):
        v.find("y")
    with pytest.raises(NotFound, match="it is a dot-file"):
        v.find(".dot.md")


def test_notes_whose_paths_differ_only_by_case_are_told_apart(make_vault, tmp_path: Path) -> None:
    words = "garden compost mulch soil water seeds " * 3
    vault = make_vault({"Plan.md": f"# Garden plan\n\n{words} spring\n",
                        "plan.md": f"# Work plan\n\n{words}\n", "other.md": f"# Other\n\n{words}\n"})
    build_index(vault, tmp_path / "ix", FAST)
    with Vault(vault, tmp_path / "ix") as v:
        for path, twin in (("Plan.md", "plan.md"), ("plan.md", "Plan.md")):
            found = v.find(path)  # the path as it is wins over the one that differs only by case
            assert found.path == path and v.also_named(path, found) == []
            for asked in (path, found):  # by its path, or as `find` gave it: the same note
                assert v.related(asked)[0].path == twin
                assert v.mentions(asked).note == path and v.note(asked).path == path
        chosen = v.find("PLAN.md")
        assert v.also_named("PLAN.md", chosen) == [({"Plan.md", "plan.md"} - {chosen.path}).pop()]


def test_another_vaults_index_is_refused_not_answered_from(indexed, tmp_path: Path) -> None:
    """`--index-dir` or NOTELINK_INDEX_DIR naming another vault's index: answers came from that vault."""
    from notelink.errors import OtherVaultsIndex

    _, ix = indexed
    other = tmp_path / "other"
    other.mkdir()
    (other / "b.md").write_text("# B\n\nriver stone\n", encoding="utf-8")
    with pytest.raises(OtherVaultsIndex, match=r"was built from .*, not .*other"):
        Vault(other, ix)


def test_a_vault_moved_with_its_index_folder_keeps_its_index(make_vault, tmp_path: Path) -> None:
    """Only another vault that is still there is refused: a vault folder renamed or moved (its index given
    with --index-dir) is answered from its index, which the next build says is the new folder's."""
    first = make_vault({"a.md": "# A\n\nriver stone cloud\n", "b.md": "# B\n\nriver stone water\n"})
    build_index(first, tmp_path / "ix", FAST)
    moved = first.rename(tmp_path / "moved")
    assert [n.path for n in Vault(moved, tmp_path / "ix").index.notes] == ["a.md", "b.md"]


_SHRINK = """
import sys
from pathlib import Path
from notelink.api import Vault
from notelink.errors import IndexDamaged
from notelink.index.store import current_generation
vault = Vault(Path(sys.argv[1]), index_dir=Path(sys.argv[2]))
first = [r.path for r in vault.related("Sourdough starter")]
gen = current_generation(Path(sys.argv[2]))
for name in ("notes_data.npy", "notes_indices.npy", "syn0.npy"):
    with open(gen / name, "r+b") as fh:  # cut short in place, as a sync tool rewriting it would
        fh.truncate(128)
try:
    vault.related("Sourdough starter")
    vault.similar("bread")
except IndexDamaged as exc:
    print("damaged:", exc)
"""


def test_arrays_cut_short_under_an_open_vault_are_a_damaged_index_not_a_crash(tmp_path) -> None:
    """A long-lived Vault (the MCP server's) has the arrays memory-mapped; one shrunk in place under it
    killed the process with SIGBUS on the next question. It is now a damaged-index error (a child process:
    the crash would take the test run with it)."""
    import subprocess
    import sys

    vault, ix = tmp_path / "vault", tmp_path / "ix"
    shutil.copytree(SAMPLE, vault)
    build_index(vault, ix, FAST)
    done = subprocess.run([sys.executable, "-c", _SHRINK, str(vault), str(ix)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert "damaged:" in done.stdout and "(truncated)" in done.stdout


def test_results_have_to_dict_and_unlinked_must_be_a_bool(indexed, capsys) -> None:
    vault, ix = indexed
    common = ["--index-dir", str(ix), "--top", "3"]
    with notelink.open(vault, ix) as v:
        assert [r.to_dict() for r in v.related("Kimchi", top=3)] == cli_json(
            capsys, "related", str(vault), "Kimchi", *common)["related"]
        assert [c.to_dict() for c in v.concepts("Kimchi", top=3)] == cli_json(
            capsys, "concepts", str(vault), "Kimchi", *common)["concepts"]
        assert v.similar_words("telescope", top=3).to_dict() == cli_json(
            capsys, "similar", str(vault), "telescope", *common)
        assert v.similar("telescope", top=3)[0].to_dict().keys() == {"word", "score", "count"}
        for bad in ("yes", 1, None):
            with pytest.raises(ArgumentError, match=f"unlinked must be True or False, not {bad!r}"):
                v.related("Kimchi", unlinked=bad)  # type: ignore[arg-type]


def test_undo_links_with_nothing_to_undo_says_so(indexed) -> None:
    vault, ix = indexed
    with notelink.open(vault, ix) as v:
        undo = v.undo_links()
        assert undo.diff == "" and undo.nothing.startswith("nothing to undo")
        assert undo.preview == "" and "\\x00" not in repr(undo)  # (a readable repr: was preview='\x00')
        shown = v.link("Kimchi", "Chicken stock", append=True)
        assert shown.preview.startswith("sha256:") and len(repr(shown.preview)) < 80
        assert v.link("Kimchi", "Fermentation").nothing == ""


def test_why_none_of_an_unknown_question_is_an_argument_error(indexed) -> None:
    with notelink.open(*indexed) as v:
        with pytest.raises(ArgumentError, match='question must be "related" or "concepts", not \'bogus\''):
            v.why_none("Kimchi", "bogus")
        with pytest.raises(ArgumentError, match="unlinked must be True or False"):
            v.why_none("Kimchi", "related", "yes")  # type: ignore[arg-type]
        assert v.why_none("Kimchi", "concepts") == ""


@pytest.mark.parametrize("dialect", ["obsidian", "dendron"])
def test_a_pasted_wikilink_names_its_target(make_vault, tmp_path: Path, dialect: str) -> None:
    """`[[name]]`, `[[name|label]]` (Dendron: `[[label|name]]`), `[[name#heading]]` and an embed, pasted
    where a note is named, name the note the link reaches (it was "no note named '[[...]]'")."""
    from notelink.config import DialectConfig, IndexConfig

    vault = make_vault({"dendron.topic.links.md": "# Links\n\nbread flour water",
                        "b.md": "# B\n\nbread yeast"})
    build_index(vault, tmp_path / "ix", FAST, IndexConfig(dialect=DialectConfig(dialect)))
    v = Vault(vault, tmp_path / "ix")
    label = ("[[Some label|dendron.topic.links]]" if dialect == "dendron" else
             "[[dendron.topic.links|Some label]]")
    for name in ("[[dendron.topic.links]]", label, "[[dendron.topic.links#Heading]]", " ![[Links]] ",
                 "[[dendron.topic.links.md]]"):
        found, others = v.named(name)
        assert found.path == "dendron.topic.links.md" and others == {}, name
    assert v.related("[[b]]") and v.note("[[B]]").path == "b.md"
    with pytest.raises(NotFound, match="no note named '\\[\\[nowhere\\]\\]'"):
        v.find("[[nowhere]]")


def test_a_note_deleted_since_the_build_is_answered_from_the_index_and_said_gone(capsys, make_vault,
                                                                                  tmp_path: Path) -> None:
    """`related V Kimchi` after Kimchi.md was deleted (no watcher running) answered as if it were there."""
    vault = make_vault({"Kimchi.md": "# Kimchi\n\ncabbage chili garlic ferment\n",
                        "Sauerkraut.md": "# Sauerkraut\n\ncabbage salt ferment\n"})
    build_index(vault, tmp_path / "ix", FAST)
    v = Vault(vault, tmp_path / "ix")
    assert v.named("Kimchi")[1] == {}
    (vault / "Kimchi.md").unlink()
    note, said = v.named("Kimchi")
    assert said["warning"].startswith("Kimchi.md is gone from the vault since the index was built")
    assert [r.path for r in v.related(note)] == ["Sauerkraut.md"]
    capsys.readouterr()
    assert main(["related", str(vault), "Kimchi", "--index-dir", str(tmp_path / "ix"), "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["warning"] == said["warning"] and "is gone from the vault" in err

"""`notelink link`: one link into one note; bytes outside the link kept, compare-and-swap, the undo journal
(written before the note, refusing to undo over a later edit), and the command line."""

from __future__ import annotations

import codecs
import json
import os
import shlex
from pathlib import Path

import pytest

from notelink.api import Vault
from notelink.cli.main import main
from notelink.cli.output import EXIT_REFUSED
from notelink.errors import ArgumentError
from notelink.index.build import build_index
from notelink.notes import block
from notelink.notes.note import parse_note
from notelink.query.index import Index
from notelink.write import journal, linker, notewriter, undo

from ..conftest import FAST, snapshot, without_waiting

NOTES = {
    "Compost.md": "# Compost\n\nCompost feeds the soil. Mulch keeps it moist.\n",
    "Mulch.md": "# Mulch\n\nA layer of mulch over the soil.\n",
    "Soil health.md": ("# Soil health\n\nHealthy soil needs compost and mulch.\n\n## See also\n\n"
                       "- [[Compost]]\n\n## Later\n\nmore text\n"),
    "a/Same.md": "# Same\n\nthe first note named Same\n",
    "b/Same.md": "# Same\n\nthe second note named Same\n",
    "Odd [x] | #1.md": "# Odd [x] | #1\n\na title a wikilink cannot hold\n",
}


@pytest.fixture
def vault(make_vault, tmp_path: Path) -> tuple[Path, Path, Index]:
    root = make_vault(dict(NOTES))
    ix = tmp_path / "ix"
    build_index(root, ix, FAST)
    return root, ix, Index.open(ix)


def _plan(index: Index, root: Path, note: str, target: str, **kw) -> notewriter.Plan:
    return linker.plan_link(index, root, index.find_note(note), index.find_note(target), **kw)


def test_a_mention_is_wrapped_as_written_and_nothing_else_changes(vault) -> None:
    root, _ix, index = vault
    plan = _plan(index, root, "Compost", "Mulch")
    (change,) = plan.changes
    assert change.text_after == "# Compost\n\nCompost feeds the soil. [[Mulch]] keeps it moist.\n"
    plan = _plan(index, root, "Mulch", "Compost")  # no mention: added under "See also"
    assert plan.changes[0].text_after.endswith("over the soil.\n\n## See also\n\n- [[Compost]]\n")


def test_append_goes_to_the_end_of_an_existing_see_also_section(vault) -> None:
    root, _ix, index = vault
    (change,) = _plan(index, root, "Soil health", "Mulch", append=True).changes
    assert "## See also\n\n- [[Compost]]\n- [[Mulch]]\n\n## Later\n" in change.text_after


def test_encoding_bom_crlf_and_missing_final_newline_survive(vault) -> None:
    root, _ix, index = vault
    text = "# Compost\r\n\r\nCompost and mulch, without a final newline"
    for codec, bom in (("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE)):
        (root / "Compost.md").write_bytes(bom + text.encode(codec))
        (change,) = _plan(index, root, "Compost", "Mulch").changes
        assert change.after == bom + text.replace("mulch", "[[mulch]]").encode(codec)
        (change,) = _plan(index, root, "Compost", "Mulch", append=True).changes
        assert change.after == bom + (text + "\r\n\r\n## See also\r\n\r\n- [[Mulch]]\r\n").encode(codec)


def test_links_are_valid_whatever_the_title(vault) -> None:
    root, _ix, index = vault
    (change,) = _plan(index, root, "Mulch", "Odd [x] | #1.md", append=True).changes
    added = change.text_after.rsplit("- ", 1)[1].strip()
    assert added == "[Odd \\[x\\] | #1](Odd%20%5Bx%5D%20%7C%20%231.md)"
    (link,) = parse_note(change.text_after, "Mulch").links
    assert link.target == "Odd [x] | #1.md"
    (change,) = _plan(index, root, "Mulch", "a/Same.md", append=True).changes
    assert change.text_after.endswith("- [[a/Same]]\n")  # the file name alone would be ambiguous


def test_refusals(vault) -> None:
    root, _ix, index = vault
    assert _plan(index, root, "Soil health", "Compost").refused[0].reason.startswith("it already links")
    assert _plan(index, root, "Compost", "Compost").refused
    assert "no mention #3" in _plan(index, root, "Compost", "Mulch", mention=3).refused[0].reason


def test_a_note_edited_after_planning_is_not_written(vault) -> None:
    root, ix, index = vault
    plan = _plan(index, root, "Compost", "Mulch")
    (root / "Compost.md").write_text("# Compost\n\nrewritten by the user; mulch\n", encoding="utf-8")
    report = linker.write(plan, ix, "test")
    assert not report.written and "changed since" in report.refused[0].reason
    assert (root / "Compost.md").read_text(encoding="utf-8") == "# Compost\n\nrewritten by the user; mulch\n"


def test_write_then_undo_all_is_byte_identical(vault) -> None:
    root, ix, index = vault
    before = snapshot(root)
    for note, target in (("Compost", "Mulch"), ("Mulch", "Compost"), ("Compost", "Soil health")):
        index = Index.open(ix)
        assert linker.write(_plan(index, root, note, target), ix, "test").written
        build_index(root, ix, FAST)  # the link is the user's now: the next build sees it
    assert len(journal.entries(ix)) == 3 and snapshot(root) != before
    plan, entries = undo.plan_undo(root, ix, every=True)
    assert len(plan.changes) == 3 and not plan.refused
    assert not undo.undo(plan, entries).refused
    assert snapshot(root) == before and journal.entries(ix) == []


def test_json_counts_notes_already_as_they_should_be_as_block_export_does(vault, capsys) -> None:
    """`link --json` said `unchanged` where `export --format block --json` says `current`: one word now."""
    root, ix, _index = vault
    base = ["link", str(root), "--index-dir", str(ix)]
    was = (root / "Compost.md").read_bytes()
    assert main([*base, "Compost", "Mulch", "--write"]) == 0
    (root / "Compost.md").write_bytes(was)  # the link taken out by hand: nothing left to put back there
    capsys.readouterr()
    assert main([*base, "--undo", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["current"] == 1 and "unchanged" not in data and data["diff"] == ""


def test_undo_refuses_over_a_later_edit_and_keeps_the_entry(vault) -> None:
    root, ix, index = vault
    linker.write(_plan(index, root, "Compost", "Mulch"), ix, "test")
    (root / "Compost.md").write_text("# Compost\n\nthe user's later edit\n", encoding="utf-8")
    plan, entries = undo.plan_undo(root, ix)
    assert "edited since" in plan.refused[0].reason and not plan.changes
    undo.undo(plan, entries)
    assert (root / "Compost.md").read_text(encoding="utf-8") == "# Compost\n\nthe user's later edit\n"
    assert len(journal.entries(ix)) == 1


def test_undo_follows_a_note_moved_since_and_says_when_it_cannot(vault) -> None:
    """A folder renamed after `link --write`: undo said only "unreadable: No such file or directory"."""
    root, ix, index = vault
    linker.write(_plan(index, root, "Compost", "Mulch"), ix, "test")
    (root / "garden").mkdir()
    (root / "Compost.md").rename(root / "garden" / "Compost.md")
    plan, entries = undo.plan_undo(root, ix)
    assert [c.path for c in plan.changes] == ["garden/Compost.md"] and not plan.refused
    assert not undo.undo(plan, entries).refused
    assert (root / "garden" / "Compost.md").read_text(encoding="utf-8") == NOTES["Compost.md"]
    linker.write(_plan(Index.open(ix), root, "Mulch", "Compost"), ix, "test")
    (root / "Mulch.md").unlink()
    plan, _ = undo.plan_undo(root, ix)
    assert "moved, renamed or deleted" in plan.refused[0].reason and not plan.changes


def test_undo_follows_a_note_renamed_since_when_its_bytes_prove_it(vault, capsys) -> None:
    """A note renamed after `link --write` (`202301101700.md` to `202301101700 Reading notes.md`): undo
    looked only for a file of its old name and refused (a new user's sweep). It is found by what it holds,
    and said; two notes holding it, or one holding only what it was before, prove nothing."""
    root, ix, index = vault
    linker.write(_plan(index, root, "Compost", "Mulch"), ix, "test")
    (root / "Compost.md").rename(root / "Compost heap.md")
    plan, _ = undo.plan_undo(root, ix)
    assert [c.path for c in plan.changes] == ["Compost heap.md"]
    assert plan.found == {"Compost.md": "Compost heap.md"}
    (root / "b" / "Heap copy.md").write_bytes((root / "Compost heap.md").read_bytes())
    plan, _ = undo.plan_undo(root, ix)
    assert not plan.changes and "2 notes hold exactly what notelink wrote (Compost heap.md, b/Heap copy.md)" \
        in plan.refused[0].reason
    (root / "b" / "Heap copy.md").write_text(NOTES["Compost.md"], encoding="utf-8")  # as it was: no proof
    assert main(["link", str(root), "--index-dir", str(ix), "--undo", "--write"]) == 0
    out = capsys.readouterr().out
    assert "Compost.md is now Compost heap.md (moved or renamed since" in out and "Put back 1 note(s)" in out
    assert (root / "Compost heap.md").read_text(encoding="utf-8") == NOTES["Compost.md"]
    (root / "Compost heap.md").rename(root / "Compost.md")
    linker.write(_plan(Index.open(ix), root, "Compost", "Mulch"), ix, "test")  # --all: two writes, one note
    linker.write(_plan(Index.open(ix), root, "Compost", "Soil health"), ix, "test")
    (root / "Compost.md").rename(root / "Compost pile.md")
    plan, entries = undo.plan_undo(root, ix, every=True)
    assert [c.path for c in plan.changes] == ["Compost pile.md"] * 2 and not plan.refused
    undo.undo(plan, entries)
    assert (root / "Compost pile.md").read_text(encoding="utf-8") == NOTES["Compost.md"]
    linker.write(_plan(Index.open(ix), root, "Mulch", "Compost"), ix, "test")
    written = (root / "Mulch.md").read_text(encoding="utf-8")
    (root / "Mulch.md").rename(root / "Mulch layer.md")
    (root / "Mulch layer.md").write_text(written + "an edit since\n", encoding="utf-8")
    plan, _ = undo.plan_undo(root, ix)
    assert "no note in the vault holds what notelink wrote" in plan.refused[0].reason and not plan.found


def test_the_journal_is_written_before_the_note(vault, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash after the journal and before the note: the entry's note still holds its old bytes, which
    an undo passes over (and drops the entry)."""
    root, ix, index = vault
    original = (root / "Compost.md").read_bytes()

    def crash(plan: notewriter.Plan) -> notewriter.WriteReport:
        assert journal.entries(ix)  # already durable when the notes are written
        raise KeyboardInterrupt

    monkeypatch.setattr(linker, "apply", crash)
    with pytest.raises(KeyboardInterrupt):
        linker.write(_plan(index, root, "Compost", "Mulch"), ix, "test")
    monkeypatch.undo()
    plan, entries = undo.plan_undo(root, ix)
    assert plan.current == 1 and not plan.changes and not plan.refused
    undo.undo(plan, entries)
    assert journal.entries(ix) == [] and (root / "Compost.md").read_bytes() == original


def test_the_command_line_diff_write_and_undo(vault, capsys) -> None:
    root, ix, _index = vault
    base = [str(root), "--index-dir", str(ix)]
    before = snapshot(root)
    assert main(["link", *base, "Compost", "Mulch"]) == 0
    out = capsys.readouterr().out
    assert "+Compost feeds the soil. [[Mulch]] keeps it moist." in out and snapshot(root) == before
    assert main(["link", *base, "Compost", "Mulch", "--write", "--json"]) == 0
    wrote = json.loads(capsys.readouterr().out)
    assert wrote["written"] == ["Compost.md"]
    assert main(["link", *base, "Mulch", "Compost", "--write"]) == 0
    out = capsys.readouterr().out
    assert wrote["current"] == 0 and "unchanged" not in wrote  # block export's word for it
    undo = shlex.join(["notelink", "link", str(root), "--undo", "--write", "--index-dir", str(ix)])
    assert f"; `{undo}` puts them back." in out  # (it said `notelink link --undo VAULT --write`)
    assert main(["link", *base, "Soil health", "Compost"]) == EXIT_REFUSED
    capsys.readouterr()
    assert main(["link", *base, "Soil health", "Compost", "--json"]) == EXIT_REFUSED
    assert json.loads(capsys.readouterr().out)["refused"] == [  # objects, as every other --json list
        {"path": "Soil health.md", "reason": "it already links to Compost.md"}]
    assert main(["link", *base, "--undo", "--all", "--write"]) == 0
    assert snapshot(root) == before
    assert main(["link", *base, "--all"]) == 2 and "--all goes with --undo" in capsys.readouterr().err
    assert main(["link", *base, "--undo", "--all", "--mention", "2"]) == 2
    assert "--mention apply to a new link, not to --undo" in capsys.readouterr().err


def test_a_name_two_notes_have_is_said_before_a_link_is_written_to_one(vault, capsys) -> None:
    """`link Mulch Same` linked to a/Same.md, one of two notes named Same, without a word, where `related`
    and every other command naming a note say which they took and how to choose."""
    root, ix, _index = vault
    base = ["link", str(root), "--index-dir", str(ix), "Mulch", "Same", "--append"]
    assert main(base) == 0
    err = capsys.readouterr().err
    assert "notelink: 'Same' also names b/Same.md; showing a/Same.md (give the exact path to choose)" in err
    assert main([*base, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["also_named"] == ["b/Same.md"] and "also names b/Same.md" in data["warning"]
    assert main(["link", str(root), "--index-dir", str(ix), "Mulch", "b/Same.md", "--append", "--json"]) == 0
    assert "warning" not in json.loads(capsys.readouterr().out)


def test_a_heading_with_a_mention_is_a_usage_error_not_left_out(vault, capsys) -> None:
    """`link NOTE TARGET --mention 1 --heading H` wrapped the mention and dropped --heading without a word:
    a heading is for --append (the link added under it)."""
    root, ix, _index = vault
    before = snapshot(root)
    argv = ["link", str(root), "--index-dir", str(ix), "Compost", "Mulch", "--mention", "1", "--heading", "H"]
    assert main(argv) == 2 and "--heading goes with --append" in capsys.readouterr().err
    assert main([*argv[:-4], "--append", "--heading", "Links"]) == 0
    assert "+## Links" in capsys.readouterr().out
    assert snapshot(root) == before


@pytest.mark.parametrize(("style", "label", "want"), [
    ("wiki", "mulch", "[[mulch]]"), ("wiki", "the mulches", "[[Mulch|the mulches]]"),
    ("dendron", "the mulches", "[[the mulches|Mulch]]"), ("logseq", "mulch", "[[mulch]]"),
    ("logseq", "the mulches", "[the mulches]([[Mulch]])"), ("markdown", "mulch", "[mulch](../Mulch.md)"),
])
def test_links_are_written_in_the_vaults_style(vault, style: str, label: str, want: str) -> None:
    _root, _ix, index = vault
    assert linker.markup(index, index.find_note("Mulch"), label, "sub/Note.md", style) == want


def test_in_a_logseq_outline_the_link_is_a_child_block_of_see_also(make_vault, tmp_path: Path) -> None:
    root = make_vault({"logseq/config.edn": "{}", "pages/Mulch.md": "- Mulch keeps the soil moist.\n",
                       "pages/Compost.md": "- Compost feeds the soil.\n"})
    build_index(root, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    edit = linker.append_link(index, index.find_note("Mulch"), style="logseq")
    assert edit("- one\n") == "- one\n- ## See also\n\t- [[Mulch]]\n"
    assert edit("- one\n- See also\n\t- [[Compost]]\n- after\n") == \
        "- one\n- See also\n\t- [[Compost]]\n\t- [[Mulch]]\n- after\n"


def test_a_markdown_link_reads_the_notes_title_not_its_path(make_vault, tmp_path: Path) -> None:
    root = make_vault({"guide/index.md": "# Guide\n\nhow to start\n", "My Note.md": "# Mine\n\nwords\n"})
    build_index(root, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    assert linker.markup(index, index.find_note("Guide"), None, "My Note.md", "markdown") == \
        "[Guide](guide/index.md)"


def test_a_logseq_page_whose_file_name_is_no_name_of_it_can_be_linked(make_vault, tmp_path: Path) -> None:
    root = make_vault({"logseq/config.edn": "{}", "pages/Mulch.md": "- Mulch keeps the soil moist.\n",
                       "pages/Projects___Greenhouse.md": "- The greenhouse keeps seedlings warm.\n",
                       "pages/Recipes%2FTomato Soup.md": "- Soup from the greenhouse tomatoes.\n"})
    build_index(root, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    for page in ("Projects/Greenhouse", "Recipes/Tomato Soup"):
        target = index.find_note(page)
        assert linker.markup(index, target, None, style="logseq") == f"[[{page}]]"
        assert linker.link_name(index, target) == target.path[:-3]  # (its file name names no note)


def test_a_note_changed_anywhere_since_its_preview_is_not_written(vault) -> None:
    """The preview's diff shows three lines around the change; an edit below them is a change too."""
    root, ix, _index = vault
    note = root / "Compost.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nmore about compost\n" * 8, encoding="utf-8")
    build_index(root, ix, FAST)
    v = Vault(root, ix)
    shown = v.link("Compost", "Mulch")  # the mention on line 3 wrapped
    assert "+Compost feeds the soil. [[Mulch]] keeps it moist." in shown.diff
    with note.open("a", encoding="utf-8") as fh:
        fh.write("a line added at the end since the preview\n")
    changed = note.read_bytes()
    assert v.link("Compost", "Mulch").diff == shown.diff  # the same diff, from a note not the one seen
    done = v.link("Compost", "Mulch", write=True, expect=shown.preview)
    assert not done.written and "changed since the preview" in done.refused[0][1]
    assert note.read_bytes() == changed
    fresh = v.link("Compost", "Mulch")
    assert v.link("Compost", "Mulch", write=True, expect=fresh.preview).written == ["Compost.md"]


def test_a_link_written_since_the_index_was_built_is_not_offered_again(vault) -> None:
    root, ix, _index = vault
    v = Vault(root, ix)
    assert v.link("Compost", "Mulch", write=True).written == ["Compost.md"]  # no re-index after it
    again = v.link("Compost", "Mulch")
    assert not again.diff and again.refused == [("Compost.md", "it already links to Mulch.md")]
    (root / "Mulch.md").write_text("# Mulch\n\nSee [[Soil health]].\n", encoding="utf-8")  # by hand
    assert "already links" in v.link("Mulch", "Soil health", append=True).refused[0][1]


@pytest.mark.parametrize(("text", "after"), [
    ("# N\n\nSee also\n--------\n\n- [[Compost]]\n", "See also\n--------\n\n- [[Compost]]\n- [[Mulch]]\n"),
    ("# N\n\n### See also ###\n\nSome words.\n\n# Next\n", "Some words.\n\n- [[Mulch]]\n\n# Next\n"),
    ("# N\n\n## See also\n- [[Compost]]\n", "## See also\n- [[Compost]]\n- [[Mulch]]\n"),
])
def test_append_finds_setext_headings_and_keeps_a_list_apart_from_a_paragraph(vault, text: str,
                                                                               after: str) -> None:
    _root, _ix, index = vault
    edit = linker.append_link(index, index.find_note("Mulch"))
    out = edit(text)
    assert out.endswith(after) and out.count("See also") == 1, out


def test_a_heading_is_one_line_of_text_without_its_hashes(vault) -> None:
    root, ix, _index = vault
    v = Vault(root, ix)
    assert "## Refs\n" in v.link("Compost", "Mulch", append=True, heading="## Refs").diff
    assert "## ## Refs" not in v.link("Compost", "Mulch", append=True, heading="## Refs").diff
    for bad in ("", "  ", "#", "Multi\nLine"):
        with pytest.raises(ArgumentError, match="heading must be one line of text"):
            v.link("Compost", "Mulch", append=True, heading=bad)


def test_diffs_show_a_latin1_byte_as_itself_and_never_a_bom(vault) -> None:
    """A byte that is not UTF-8 shows as `\\xe9` (not Python's `\\udce9`), both ways; a UTF-8 BOM is not
    text, in the link's diff nor in its undo's."""
    root, ix, _index = vault
    v = Vault(root, ix)
    (root / "Compost.md").write_bytes(b"# Compost\n\nCaf\xe9 and mulch.\n")
    diff = v.link("Compost", "Mulch").diff
    assert "Caf\\xe9 and [[mulch]]." in diff and "udce9" not in diff
    (root / "Compost.md").write_bytes(codecs.BOM_UTF8 + b"# Compost\n\nCompost and mulch.\n")
    assert "\ufeff" not in v.link("Compost", "Mulch", write=True).diff
    undo = v.undo_links()
    assert "-Compost and [[mulch]]." in undo.diff and "\ufeff" not in undo.diff


@pytest.mark.parametrize(("text", "want"), [
    ("# N\n\n## See also\n\n- [[Compost]]\n\n```bash\n# install\nmake\n```\n",  # `# install` is code
     "# N\n\n## See also\n\n- [[Compost]]\n\n```bash\n# install\nmake\n```\n\n- [[Mulch]]\n"),
    ("# N\n\n~~~md\n## See also\n\n- [[x]]\n~~~\n\nwords\n",  # a "See also" only in code is no section
     "# N\n\n~~~md\n## See also\n\n- [[x]]\n~~~\n\nwords\n\n## See also\n\n- [[Mulch]]\n"),
    ("# N\n\n## See also\n\n- [[Compost]]\n- [[Soil health]]\n---\nFooter.\n",  # a break, no setext line
     "# N\n\n## See also\n\n- [[Compost]]\n- [[Soil health]]\n- [[Mulch]]\n---\nFooter.\n"),
    ("# N\n\n## See also\nNext\n----\n",  # a setext heading right below stays one
     "# N\n\n## See also\n- [[Mulch]]\n\nNext\n----\n"),
    ("---\ntitle: N\n---\n# N\n\n    ## See also\n",  # indented: code; front matter is no Markdown
     "---\ntitle: N\n---\n# N\n\n    ## See also\n\n## See also\n\n- [[Mulch]]\n"),
])
def test_append_reads_headings_and_code_as_commonmark_does(vault, text: str, want: str) -> None:
    _root, _ix, index = vault
    assert linker.append_link(index, index.find_note("Mulch"))(text) == want


def test_a_note_ending_in_an_unclosed_code_block_is_refused(vault) -> None:
    """Everything after an unclosed fence is code: a link appended there would be code, and not a link."""
    root, _ix, index = vault
    (root / "Mulch.md").write_text("# Mulch\n\nwords\n\n```python\nprint('hi')\n", encoding="utf-8")
    (refusal,) = _plan(index, root, "Mulch", "Compost", append=True).refused
    assert "never closed (``` on line 5)" in refusal.reason and "close the code block" in refusal.reason
    (root / "Mulch.md").write_text("# Mulch\n\n## See also\n\n- [[Soil health]]\n\n## Code\n\n~~~\nx\n",
                                   encoding="utf-8")  # a section above the fence still takes links
    (change,) = _plan(index, root, "Mulch", "Compost", append=True).changes
    assert "- [[Soil health]]\n- [[Compost]]\n\n## Code\n\n~~~\nx\n" in change.text_after


def test_a_link_that_would_not_read_as_a_link_is_refused(vault, monkeypatch: pytest.MonkeyPatch) -> None:
    root, _ix, index = vault
    in_code = "\n```\n[[Compost]]\n```\n"
    monkeypatch.setattr(linker, "append_link", lambda *a, **k: lambda text: text + in_code)
    (refusal,) = _plan(index, root, "Mulch", "Compost", append=True).refused
    assert "would not be read as a link" in refusal.reason


def _block_text(text: str) -> str | None:
    found = block.find_block(text)
    return None if found is None else text[found.start : found.stop]


def _set_block(note: Path, how: str) -> None:
    """The block's own changes, as `export --format block --write/--undo` makes them."""
    text = note.read_bytes().decode("utf-8")
    lines = {"write": ["- [[Compost]]"], "refresh": ["- [[Soil health]]", "- [[Compost]]"]}
    note.write_bytes((block.remove(text) if how == "remove" else block.render(text, lines[how])).encode())


@pytest.mark.parametrize(("text", "before_link", "after_link"), [
    ("# Mulch\n\nno final newline", ["write"], ["remove"]),
    ("# Mulch\n\nwords\n", [], ["write"]),
    ("# Mulch\n\nwords\n", ["write"], ["refresh"]),
    ("# Mulch\n\n<!-- notelink:related:start -->\n<!-- notelink:related:end -->\n\nmore\n", ["write"],
     ["remove"]),
    ("# Mulch\n\n<!-- notelink:related:start -->\n<!-- notelink:related:end -->\n\nmore\n", [],
     ["write", "refresh"]),
])
def test_undo_takes_out_the_link_when_only_the_block_changed_since(vault, text: str, before_link: list[str],
                                                                    after_link: list[str]) -> None:
    """The block is notelink's: writing, refreshing or removing it after a link does not block the link's
    undo, which gives back the note's own bytes exactly, with the block as it is now."""
    root, ix, index = vault
    note = root / "Mulch.md"
    note.write_text(text, encoding="utf-8")
    for how in before_link:
        _set_block(note, how)
    assert linker.write(_plan(index, root, "Mulch", "Soil health", append=True), ix, "test").written
    for how in after_link:
        _set_block(note, how)
    block_now = note.read_text(encoding="utf-8")
    plan, entries = undo.plan_undo(root, ix)
    assert not plan.refused and undo.undo(plan, entries).written == ["Mulch.md"]
    undone = note.read_text(encoding="utf-8")
    assert block.without_block(undone) == block.without_block(text)  # the user's bytes, exactly
    assert _block_text(undone) == _block_text(block_now)  # and the block as it is now
    assert journal.entries(ix) == []


def test_undo_over_an_edit_and_a_block_change_says_what_to_do(vault, capsys) -> None:
    root, ix, index = vault
    note = root / "Mulch.md"
    linker.write(_plan(index, root, "Mulch", "Soil health", append=True), ix, "test")
    note.write_text(note.read_text(encoding="utf-8") + "the user's edit\n", encoding="utf-8")
    _set_block(note, "write")
    edited = note.read_bytes()
    plan, _entries = undo.plan_undo(root, ix)
    assert not plan.changes and "take the link out by hand" in plan.refused[0].reason
    assert "`notelink link VAULT --undo --forget --write` drops" in plan.refused[0].reason
    assert main(["link", str(root), "--index-dir", str(ix), "--undo", "--write"]) == EXIT_REFUSED
    assert capsys.readouterr().out.strip() == "Put back no note (refused: see above)."
    assert note.read_bytes() == edited


def test_a_dendron_mention_is_linked_whole(make_vault, tmp_path: Path) -> None:
    vault = make_vault({"dendron.yml": "version: 5\n",
                        "garden.compost.md": "# Compost\n\nworms leaves heat soil garden\n",
                        "garden.soil.md": "# Soil\n\nworms: garden.compost is the key input\n"})
    ix = str(tmp_path / "ix")
    build_index(vault, tmp_path / "ix", FAST)
    assert main(["link", str(vault), "garden.soil", "garden.compost", "--mention", "1", "--write",
                 "--index-dir", ix]) == 0
    assert (vault / "garden.soil.md").read_text() == "# Soil\n\nworms: [[garden.compost]] is the key input\n"


def test_a_note_no_link_can_tell_from_another_is_refused_saying_why(make_vault, tmp_path: Path) -> None:
    import unicodedata

    nfc, nfd = (unicodedata.normalize(form, "Café.md") for form in ("NFC", "NFD"))
    root = make_vault({"Plan.md": "# Garden plan\n\nsoil\n", "plan.md": "# Work plan\n\nmeetings\n",
                       nfc: "# Café one\n\ncoffee\n", nfd: "# Café two\n\ncoffee\n",
                       "Other.md": "# Other\n\nthe Work plan and Café two, soil and coffee\n"})
    build_index(root, tmp_path / "ix", FAST)
    with Vault(root, tmp_path / "ix") as v:
        for target, says in (("plan.md", "reach plan.md alone: links do not tell it from Plan.md"),
                             (nfd, "reach Cafe\\u0301.md alone: links do not tell it from Caf\\u00e9.md")):
            edits = v.link("Other", target)
            assert edits.diff == "" and says in edits.refused[0][1] and "rename one" in edits.refused[0][1]


def test_a_link_undone_since_the_index_was_built_can_be_written_again(vault) -> None:
    """The file as it is now decides whether a note links: the index, built while the link was there,
    refused a second `link` after `link --undo --write` ("it already links") until a re-index."""
    root, ix, index = vault
    assert linker.write(_plan(index, root, "Compost", "Mulch"), ix, "test").written
    build_index(root, ix, FAST)  # the index now holds the link
    plan, entries = undo.plan_undo(root, ix)
    assert undo.undo(plan, entries).written == ["Compost.md"]
    again = _plan(Index.open(ix), root, "Compost", "Mulch")
    assert not again.refused
    assert again.changes[0].text_after == "# Compost\n\nCompost feeds the soil. [[Mulch]] keeps it moist.\n"


@pytest.mark.parametrize("nl", ["\n", "\r\n"])
def test_a_mention_across_a_line_break_keeps_the_users_line_break(make_vault, tmp_path: Path,
                                                                  nl: str) -> None:
    """A wikilink cannot span lines, so such a mention becomes a Markdown link, whose text may (CommonMark):
    the link text was joined onto one line, deleting the user's line break."""
    root = make_vault({"Project Apollo.md": "# Project Apollo\n\nRockets.\n",
                       "Notes.md": f"# Notes{nl}{nl}We discussed Project{nl}Apollo today.{nl}"})
    build_index(root, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    (change,) = _plan(index, root, "Notes", "Project Apollo").changes
    assert change.text_after == (f"# Notes{nl}{nl}We discussed [Project{nl}Apollo](Project%20Apollo.md) "
                                 f"today.{nl}")
    assert linker.markup(index, index.find_note("Project Apollo"), f"project{nl}  apollo", "a/N.md",
                         "markdown") == f"[project{nl}  apollo](../Project%20Apollo.md)"


ZK = {".zk/config.toml": "",
      "202301011230 Spaced repetition.md": "# Spaced repetition\n\nReviews fight [[202301021015]].\n",
      "202301021015 Forgetting curve.md": "# Forgetting curve\n\nMemory fades unless reviewed.\n",
      "202301041200 Flashcards.md": "# Flashcards\n\nCards to review, against the forgetting curve.\n"}


def test_in_a_zk_vault_that_links_by_id_a_link_is_written_by_id(make_vault, tmp_path: Path) -> None:
    """zk reaches `202301021015 Forgetting curve.md` by its id, and this vault's own links use the id:
    `link` wrote the whole file name."""
    root = make_vault(dict(ZK))
    build_index(root, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    target = index.find_note("202301021015")
    assert linker.link_name(index, target) == "202301021015"
    (change,) = _plan(index, root, "Flashcards", "202301021015", append=True).changes
    assert change.text_after.endswith("## See also\n\n- [[202301021015]]\n")
    (change,) = _plan(index, root, "Flashcards", "202301021015").changes
    assert "against the [[202301021015|forgetting curve]].\n" in change.text_after


@pytest.mark.parametrize("files", [
    {"202301011230 Spaced repetition.md": "# Spaced repetition\n\n[[202301021015 Forgetting curve]]\n"},
    {".zk": None, "202301011230 Spaced repetition.md": "# Spaced repetition\n\n[[202301021015]]\n"},
    {"202301011230 Spaced repetition.md": "# Spaced repetition\n\n[[a1b2]]\n", "a1b2 plan.md": "# Plan\n"},
])
def test_a_link_is_written_by_id_only_where_the_vaults_links_use_such_ids(make_vault, tmp_path: Path,
                                                                       files: dict) -> None:
    """By file name in a zk vault whose links use whole file names (or ids of another shape), and in a
    vault that is no zk vault."""
    notes = {**ZK, **{k: v for k, v in files.items() if v is not None}}
    for gone in (k for k, v in files.items() if v is None):
        notes = {k: v for k, v in notes.items() if not k.startswith(gone)}
    root = make_vault(notes)
    build_index(root, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    assert linker.link_name(index, index.find_note("Forgetting curve")) == "202301021015 Forgetting curve"


def test_forget_drops_the_one_write_that_cannot_be_undone_so_older_ones_can_be(vault, capsys) -> None:
    """A write whose note was edited since cannot be undone, and it blocked every older undo until the user
    deleted a file under the index folder by hand: `link --undo --forget --write` drops it."""
    root, ix, index = vault
    before = snapshot(root)
    linker.write(_plan(index, root, "Compost", "Mulch"), ix, "test")
    linker.write(_plan(index, root, "Mulch", "Soil health", append=True), ix, "test")
    note = root / "Mulch.md"
    note.write_text(note.read_text(encoding="utf-8") + "the user's edit\n", encoding="utf-8")
    edited = note.read_bytes()
    base = ["link", str(root), "--index-dir", str(ix), "--undo"]
    assert main([*base, "--write"]) == EXIT_REFUSED
    err = capsys.readouterr().err
    forget = shlex.join(["notelink", "link", str(root), "--undo", "--forget", "--write", "--index-dir",
                         str(ix)])
    assert f"`{forget}`" in err and "delete" not in err  # (it said `notelink link VAULT ...`)
    assert main([*base, "--forget"]) == 0  # a dry run: says what it would drop, drops nothing
    out = capsys.readouterr().out
    assert "Would forget" in out and "Mulch.md" in out and "edited since" in out and "--write" in out
    assert len(journal.entries(ix)) == 2
    assert main([*base, "--forget", "--write", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["forgotten"] is True and data["entry"]["notes"] == ["Mulch.md"]
    assert data["refused"][0]["path"] == "Mulch.md" and "edited since" in data["refused"][0]["reason"]
    assert [e.notes[0].path for e in journal.entries(ix)] == ["Compost.md"] and note.read_bytes() == edited
    assert main([*base, "--write"]) == 0  # the older write is undone now
    assert (root / "Compost.md").read_bytes() == NOTES["Compost.md"].encode() and note.read_bytes() == edited
    assert {k: v for k, v in snapshot(root).items() if k != "Mulch.md"} == \
        {k: v for k, v in before.items() if k != "Mulch.md"}
    assert main([*base, "--forget"]) == 0 and "Nothing to forget" in capsys.readouterr().out
    for flags, says in ((["--forget"], "--forget goes with --undo"), (["--undo", "--forget", "--all"],
                                                                       "--forget drops one write"),
                        (["--undo", "--forget", "Compost"], "--undo takes no NOTE")):
        assert main(["link", str(root), "--index-dir", str(ix), *flags]) == 2
        assert says in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_in_a_linked_notes_place_is_refused_not_waited_on(vault) -> None:
    """`link --undo` read each journalled note (and every file of its name, looking for it moved), a named
    pipe too, and waited forever for a writer; so did `link` into a note replaced by one."""
    root, ix, index = vault
    linker.write(_plan(index, root, "Compost", "Mulch"), ix, "test")
    (root / "Compost.md").rename(root / "Compost.old")
    os.mkfifo(root / "Compost.md")
    plan, entries = without_waiting(lambda: undo.plan_undo(root, ix))
    (refusal,) = plan.refused
    assert refusal.reason.startswith("not a regular file: a named pipe") and not plan.changes
    assert refusal.reason.endswith("not undone")
    undo.undo(plan, entries)
    assert len(journal.entries(ix)) == 1  # kept: nothing was put back
    os.unlink(root / "Compost.md")
    os.mkfifo(root / "a" / "Compost.md")  # looking for the note moved: passed over, not waited on
    (root / "Compost.old").rename(root / "b" / "Compost.md")
    plan, _ = without_waiting(lambda: undo.plan_undo(root, ix))
    assert [c.path for c in plan.changes] == ["b/Compost.md"] and not plan.refused
    (root / "Mulch.md").unlink()
    os.mkfifo(root / "Mulch.md")
    plan = without_waiting(lambda: _plan(index, root, "Mulch", "Compost"))
    assert plan.refused[0].reason.startswith("not a regular file") and not plan.changes and not plan.skipped


def test_a_refusals_command_names_the_vault_as_typed(vault, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    """`link`'s success line names the vault as typed, its refusals named it by its absolute path (a new
    user's sweep): both as typed now."""
    root, ix, index = vault
    linker.write(_plan(index, root, "Compost", "Mulch"), ix, "test")
    (root / "Compost.md").write_text("# Compost\n\nthe user's later edit\n", encoding="utf-8")
    monkeypatch.chdir(ix.parent)
    typed, typed_ix = os.path.relpath(root, ix.parent) + "/", os.path.relpath(ix, ix.parent)
    assert main(["link", typed, "--index-dir", typed_ix, "--undo", "--write"]) == EXIT_REFUSED
    forget = shlex.join(["notelink", "link", typed, "--undo", "--forget", "--write", "--index-dir", typed_ix])
    assert f"`{forget}`" in capsys.readouterr().err
    assert main(["link", typed, "--index-dir", typed_ix, "--undo", "--forget"]) == 0  # (it said `VAULT`)
    assert f"`{forget}`" in capsys.readouterr().out


PT = ("# Jardim\n\nEsta é uma nota sobre o jardim. Eu gosto de plantar tomates no verão, e também de colher "
      "as folhas com a minha família. Não há nada melhor do que isso para mim, mas ela não pode vir.\n")
DE = ("# Garten\n\nDas ist eine Notiz über den Garten. Ich habe die Tomaten mit meiner Familie gepflanzt, "
      "und wir sind sehr froh, dass sie auch im Winter noch da sind.\n")


def test_append_writes_the_heading_of_the_notes_language_or_its_own(make_vault, tmp_path: Path) -> None:
    """`link --append` wrote an English "## See also" into a Portuguese note (a new user's sweep): the
    note's own "see also" heading (any language), else its language's, else English's; `--heading`
    wins."""
    root = make_vault({**NOTES, "Jardim.md": PT, "Garten.md": DE + "\n## See also\n\n- [[Compost]]\n"})
    build_index(root, tmp_path / "ix", FAST)
    v = Vault(root, tmp_path / "ix")
    assert v.index.languages().keys() >= {"pt", "de"}
    assert v.link("Jardim", "Mulch", append=True).diff.endswith("+## Ver também\n+\n+- [[Mulch]]\n")
    assert v.link("Garten", "Mulch", append=True).diff.endswith(" - [[Compost]]\n+- [[Mulch]]\n")
    assert "+## Refs\n" in v.link("Jardim", "Mulch", append=True, heading="Refs").diff
    (root / "Jardim.md").write_text(PT + "\n## Siehe auch\n", encoding="utf-8")  # a "see also" of its own
    assert v.link("Jardim", "Mulch", append=True).diff.endswith(" ## Siehe auch\n+- [[Mulch]]\n")
    assert v.link("Mulch", "Compost", append=True).diff.endswith("+## See also\n+\n+- [[Compost]]\n")
    index = v.index
    edit = linker.append_link(index, index.find_note("Mulch"), style="logseq", lang="de")
    assert edit("- eins\n") == "- eins\n- ## Siehe auch\n\t- [[Mulch]]\n"
    assert edit("- eins\n- ## Related\n- zwei\n") == "- eins\n- ## Related\n\t- [[Mulch]]\n- zwei\n"

"""Export formats read back by real readers (json, csv, networkx's GraphML reader, our own Markdown
parser), deterministic bytes, `--unlinked` and `--min-score`; and the block flow from the command line."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import shutil
from pathlib import Path
from typing import Any, TextIO, cast

import pytest

from notelink.cli.main import main
from notelink.cli.output import EXIT_REFUSED, EXIT_USAGE
from notelink.config import ExportConfig
from notelink.notes.links import Resolver, dialect_of
from notelink.notes.note import parse_note
from notelink.query.index import Index
from notelink.write import export, outfile

from ..conftest import SAMPLE, snapshot, without_waiting

ARGS = ["--dim", "16", "--epochs", "5", "--seed", "3", "--threads", "1", "--device", "cpu"]


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> str:
    d = tmp_path_factory.mktemp("ix")
    assert main(["index", str(SAMPLE), "--index-dir", str(d), *ARGS]) == 0
    return str(d)


def _export(ix: str, *flags: str) -> str:
    out = io.StringIO()
    from contextlib import redirect_stdout
    with redirect_stdout(out):
        assert main(["export", str(SAMPLE), "--index-dir", ix, *flags]) == 0
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["json", "csv", "graphml", "markdown"])
def test_exports_are_deterministic(ix: str, tmp_path: Path, fmt: str) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for f in (a, b):
        assert main(["export", str(SAMPLE), "--index-dir", ix, "--format", fmt, "-o", str(f)]) == 0
    assert a.read_bytes() == b.read_bytes() and a.stat().st_size > 100


def test_csv_reads_back_with_the_csv_module(ix: str) -> None:
    text = _export(ix, "--format", "csv", "--top", "3")
    assert text.startswith("source,target,score,rank,linked,weak\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    index = Index.open(Path(ix))
    assert len(rows) == 3 * len(index.notes)
    home = [r for r in rows if r["source"] == "Home.md"]
    want = index.related(index.find_note("Home"), 3)
    assert [(r["target"], float(r["score"]), int(r["rank"]), r["linked"] == "true") for r in home] == \
        [(h.path, h.score, k, h.linked) for k, h in enumerate(want, 1)]


def test_csv_and_graphml_survive_awkward_paths(make_vault, tmp_path: Path) -> None:
    names = ['a,"quoted".md', "line\nbreak.md", "x & <y>.md", "plain.md"]
    text = "# T{} \x01 & <b>\nshared words about notes number{}\n"  # (not a repeated paragraph: boilerplate)
    vault = make_vault({n: text.format(i, i) for i, n in enumerate(names)})
    assert main(["index", str(vault), "--index-dir", str(tmp_path / "ix"), *ARGS]) == 0
    index = Index.open(tmp_path / "ix")
    out = io.StringIO()
    export.export_csv(index, out, ExportConfig(top=3))
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert len(rows) == 13 and {r[0] for r in rows[1:]} == set(names)
    nx = pytest.importorskip("networkx")
    out = io.StringIO()
    export.export_graphml(index, out, ExportConfig(top=3))
    (tmp_path / "g.graphml").write_text(out.getvalue(), encoding="utf-8")
    g = nx.read_graphml(tmp_path / "g.graphml")
    assert {d["path"] for _, d in g.nodes(data=True)} == set(names)
    assert all("\x01" not in d["title"] and "&" in d["title"] for _, d in g.nodes(data=True))


def test_graphml_escapes_what_xml_cannot_hold_so_a_path_names_its_file(make_vault, tmp_path: Path) -> None:
    nx = pytest.importorskip("networkx")
    vault = make_vault({"ctrl\x01char.md": "# One\n\nshared words about notes\n",
                        "ab.md": "# Two\n\nshared words about notes too\n"})
    assert main(["index", str(vault), "--index-dir", str(tmp_path / "ix"), *ARGS]) == 0
    out = io.StringIO()
    export.export_graphml(Index.open(tmp_path / "ix"), out, ExportConfig(top=3))
    (tmp_path / "g.graphml").write_text(out.getvalue(), encoding="utf-8")
    assert {d["path"] for _, d in nx.read_graphml(tmp_path / "g.graphml").nodes(data=True)} == \
        {"ctrl\\x01char.md", "ab.md"}


def test_graphml_loads_in_networkx(ix: str, tmp_path: Path) -> None:
    nx = pytest.importorskip("networkx")
    out = tmp_path / "g.graphml"
    assert main(["export", str(SAMPLE), "--index-dir", ix, "--format", "graphml", "--top", "4",
                 "-o", str(out)]) == 0
    g = nx.read_graphml(out)
    index = Index.open(Path(ix))
    assert g.is_directed() and g.number_of_nodes() == len(index.notes)
    assert g.number_of_edges() == 4 * len(index.notes)
    node = g.nodes["n0"]
    assert (node["path"], node["title"], node["label"]) == (index.notes[0].path, index.notes[0].title,
                                                            index.notes[0].title)
    assert node["tags"] == ", ".join(index.notes[0].tags)
    weights = [d["weight"] for _, _, d in g.edges(data=True)]
    assert all(isinstance(w, float) and -1 <= w <= 1 for w in weights)
    assert {type(d["linked"]) for _, _, d in g.edges(data=True)} == {bool}


def test_markdown_index_links_resolve_to_the_related_notes(ix: str) -> None:
    text = _export(ix, "--format", "markdown", "--top", "3")
    index = Index.open(Path(ix))
    resolver = Resolver((n.path, n.title, n.aliases) for n in index.notes)
    sections = text.split("\n## ")[1:]
    assert len(sections) == len(index.notes)
    for section in sections:
        links = [resolver.resolve(ln.target, "", ln.kind) for ln in parse_note(section, "x").links]
        assert None not in links and len(links) == 4  # the note itself, then its 3 related notes
        want = [h.path for h in index.related(index.by_path[links[0]], 3)]
        assert links[1:] == want


def test_a_markdown_export_renders_each_title_as_one_link_to_its_note(make_vault, tmp_path: Path) -> None:
    """Read by a CommonMark renderer (markdown-it-py): every heading and list item is one link, to the note,
    reading its title. A title ending in a backslash escaped the `]` and the link was lost."""
    from urllib.parse import unquote

    from markdown_it import MarkdownIt

    titles = ["back\\slash\\", "C:\\Users\\me", "star *one", "a ‹b› & c"]
    words = ["soup salt pepper", "salt pepper spice", "pepper spice soup", "spice soup salt"]
    vault = make_vault({f"n{i}.md": f"---\ntitle: '{t}'\n---\n{w} cream\n"
                        for i, (t, w) in enumerate(zip(titles, words, strict=True))})
    assert main(["index", str(vault), "--index-dir", str(tmp_path / "ix"), *ARGS]) == 0
    index = Index.open(tmp_path / "ix")
    out = io.StringIO()
    export.export_markdown(index, out, ExportConfig(top=3, min_score=-1.0, link_style="markdown"))
    title_of = {n.path: n.title for n in index.notes}
    assert sorted(title_of.values()) == sorted(titles)
    lines = 0
    for token in MarkdownIt("commonmark").parse(out.getvalue()):
        if token.type != "inline" or not token.content.startswith("["):
            continue
        kids = token.children or []
        opened = [k for k, child in enumerate(kids) if child.type == "link_open"]
        assert len(opened) == 1, token.content
        inside = kids[opened[0] + 1:next(k for k, c in enumerate(kids) if c.type == "link_close")]
        path = unquote(str(kids[opened[0]].attrs["href"]))
        shown = "".join(c.content for c in inside)
        assert shown == title_of[path], token.content
        lines += 1
    assert lines == 4 + 4 * 3


def test_unlinked_and_min_score(ix: str) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(ix, "--format", "csv", "--unlinked"), newline="")))
    assert rows and all(r["linked"] == "false" for r in rows)
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True)  # missing links, best first
    data = json.loads(_export(ix, "--format", "json", "--min-score", "0.5"))
    assert set(data) == {"vault", "generated", "model", "notes"}
    assert all(r["score"] >= 0.5 for n in data["notes"] for r in n["related"])
    md = _export(ix, "--format", "markdown", "--unlinked", "--top", "2")
    assert md.startswith("# Missing links") and " · *linked*" not in md


def test_every_export_marks_the_weak_related_notes_as_related_does(ix: str, tmp_path: Path) -> None:
    """JSON `weak`, CSV's `weak` column, GraphML's `weak` edge key and Markdown's *weak*: the notes
    `Index.related` calls weak (a score below `RelatedConfig.weak_below`), none dropped."""
    index = Index.open(Path(ix))
    want = {n.path: [(h.path, h.weak) for h in index.related(n, 5)] for n in index.notes}
    assert {False, True} == {weak for hits in want.values() for _, weak in hits}  # (both kinds listed)
    data = json.loads(_export(ix, "--format", "json", "--top", "5"))
    assert {n["path"]: [(r["path"], r["weak"]) for r in n["related"]] for n in data["notes"]} == want
    rows = list(csv.DictReader(io.StringIO(_export(ix, "--format", "csv", "--top", "5"), newline="")))
    assert [(r["target"], r["weak"] == "true") for r in rows] == [h for hits in want.values() for h in hits]
    md = _export(ix, "--format", "markdown", "--top", "5")
    assert md.count(" · *weak*\n") == sum(weak for hits in want.values() for _, weak in hits)
    assert f"*weak* scores below {index.reading.weak_below}" in md  # (the legend at the top)
    nx = pytest.importorskip("networkx")
    assert main(["export", str(SAMPLE), "--index-dir", ix, "--format", "graphml", "--top", "5",
                 "-o", str(tmp_path / "g.graphml")]) == 0
    g = nx.read_graphml(tmp_path / "g.graphml")
    paths = {node: d["path"] for node, d in g.nodes(data=True)}
    edges = {(paths[a], paths[b]): d["weak"] for a, b, d in g.edges(data=True)}
    assert edges == {(source, path): weak for source, hits in want.items() for path, weak in hits}


def test_usage_errors(ix: str, capsys) -> None:
    assert main(["export", str(SAMPLE), "--index-dir", ix, "--format", "json", "--write"]) == EXIT_USAGE
    assert "--format block" in capsys.readouterr().err
    assert main(["export", str(SAMPLE), "--index-dir", ix, "--top", "0"]) == EXIT_USAGE


def _indexed_with_fenced(tmp_path: Path, capsys) -> tuple[Path, str]:
    """sample_notes plus a note (with words: related notes to list) whose block marker sits in a fenced
    code block, indexed: (vault, index)."""
    vault, ixd = tmp_path / "vault", str(tmp_path / "ix")
    shutil.copytree(SAMPLE, vault)
    fenced = "# F\nbread flour water salt\n```\n<!-- notelink:related:start -->\n```\n"
    (vault / "fenced.md").write_text(fenced, encoding="utf-8")
    assert main(["index", str(vault), "--index-dir", ixd, *ARGS]) == 0
    capsys.readouterr()
    return vault, ixd


def test_block_from_the_command_line(tmp_path: Path, capsys) -> None:
    vault, ixd = _indexed_with_fenced(tmp_path, capsys)
    before = snapshot(vault)
    base = ["export", str(vault), "--index-dir", ixd, "--format", "block", "--top", "3"]
    assert main(base) == EXIT_REFUSED  # a dry run exits as --write would (it exited 0: a new user's sweep)
    out = capsys.readouterr()
    assert out.out.startswith("--- a/") and "+<!-- notelink:related:start" in out.out
    assert "Dry run" in out.err and "refused: fenced.md: a notelink marker is inside a code block" in out.err
    assert "The 1 refused (see above) stay as they are with --write too: exit code 3." in out.err
    assert snapshot(vault) == before
    assert main([*base, "--write"]) == EXIT_REFUSED
    out = capsys.readouterr()
    assert out.out.startswith("Wrote ") and "refused: fenced.md" in out.err
    assert main([*base, "--write"]) == EXIT_REFUSED
    assert "Wrote 0 notes" in capsys.readouterr().out
    assert main(["index", str(vault), "--index-dir", ixd, "--json", *ARGS]) == 0
    assert json.loads(capsys.readouterr().out)["up_to_date"] is True  # the block is not an edit
    capsys.readouterr()
    assert main([*base, "--undo", "--write"]) == 0
    assert snapshot(vault) == before and "had no block" in capsys.readouterr().out  # (not "already current")


def test_block_leaves_notes_with_nothing_to_list_without_a_block(tmp_path: Path, capsys) -> None:
    """A strict --min-score wrote "(no related notes yet)" into every note it left with nothing (731 of
    dendron's 1012): such a note gets no block, and one it had is taken out as --undo would."""
    vault, ixd = tmp_path / "vault", str(tmp_path / "ix")
    shutil.copytree(SAMPLE, vault)
    (vault / "placed.md").write_text("# Placed\nbread\n\n<!-- notelink:related:start -->\n"
                                     "<!-- notelink:related:end -->\n\nmine\n", encoding="utf-8")
    assert main(["index", str(vault), "--index-dir", ixd, *ARGS]) == 0
    capsys.readouterr()
    before = snapshot(vault)
    base = ["export", str(vault), "--index-dir", ixd, "--format", "block", "--top", "2", "--json"]
    assert main([*base, "--write"]) == 0
    assert len(json.loads(capsys.readouterr().out)["written"]) == len(before)
    strict = [*base, "--min-score", "0.999"]
    assert main(strict) == 0
    dry = json.loads(capsys.readouterr().out)
    assert "no related notes" not in dry["diff"] and "+- " not in dry["diff"]
    assert sorted(dry["planned"]) == sorted(before) and dry["refused"] == []
    assert main([*strict, "--write"]) == 0
    capsys.readouterr()
    assert snapshot(vault) == before  # every block taken out, the user's markers bare again
    assert main(strict) == 0
    assert json.loads(capsys.readouterr().out)["planned"] == []  # nothing to write into any note
    assert main([*base, "--write"]) == 0 and main([*base, "--undo", "--write"]) == 0
    assert snapshot(vault) == before


def test_block_refuses_an_index_of_another_vault(ix: str, tmp_path: Path, capsys) -> None:
    shutil.copytree(SAMPLE, tmp_path / "v")
    assert main(["export", str(tmp_path / "v"), "--index-dir", ix, "--format", "block"]) == EXIT_USAGE
    assert "was built from" in capsys.readouterr().err


def _block_lines(vault: Path, ixd: Path, *flags: str) -> dict[str, list[str]]:
    """Each note's listing in the block a dry run would write (links only)."""
    out = io.StringIO()
    from contextlib import redirect_stdout
    with redirect_stdout(out):
        assert main(["export", str(vault), "--index-dir", str(ixd), "--format", "block", "--top", "2",
                     *flags]) == 0
    lines: dict[str, list[str]] = {}
    for part in out.getvalue().split("\n+++ b/")[1:]:
        path, _, body = part.partition("\n")
        if "+  notelink:: related" in body:  # Logseq's: a block, the links its children
            lines[path] = [ln[4:] for ln in body.partition("+  notelink:: related")[2].splitlines()
                           if ln.startswith("+\t- ")]
            continue
        block = body.partition("+<!-- notelink:related:start")[2].partition("+<!-- notelink:related:end")[0]
        lines[path] = [ln[3:] for ln in block.splitlines() if ln.startswith("+- ")]
    return lines


SITE = {"a.md": "# A\nbread flour water", "sub/b.md": "# B\nbread flour salt [c](../c.md)",
        "c.md": "# C\nbread water salt [b](sub/b.md)"}
DENDRON = {"dendron.yml": "version: 5\n", "a.md": "# A\nbread flour water [[see|b]]",
           "b.md": "# B\nbread flour salt", "c.md": "# C\nbread water salt"}
ZK = {".zk/config.toml": "", "a1.md": "# A\nbread flour water [b](b2)",
      "b2.md": "# B\nbread flour salt [c](c3)", "c3.md": "# C\nbread water salt [a](a1)"}
LOGSEQ = {"logseq/config.edn": "{}\n", "pages/A.md": "- bread flour water [[B]]",
          "pages/B.md": "- bread flour salt", "pages/C.md": "- bread water salt"}


@pytest.mark.parametrize(("files", "flags", "pattern"), [
    (SITE, [], r"\[[ABC]\]\((\.\./)?(sub/)?[abc]\.md\)"),  # Markdown links, relative to the note
    (SITE, ["--link-style", "wiki"], r"\[\[(sub/)?[abc]\|[ABC]\]\]"),
    (DENDRON, [], r"\[\[[ABC]\|[abc]\]\]"),  # alias first
    (LOGSEQ, [], r"\[\[[ABC]\]\]"),  # page names
    (ZK, [], r"\[[ABC]\]\([abc][123]\)"),  # the vault's own links leave out `.md` (zk's default)
])
def test_blocks_are_written_in_the_vaults_link_style(make_vault, tmp_path: Path, files: dict[str, str],
                                                     flags: list[str], pattern: str) -> None:
    import re

    vault = make_vault(files)
    assert main(["index", str(vault), "--index-dir", str(tmp_path / "ix"), *ARGS]) == 0
    lines = _block_lines(vault, tmp_path / "ix", *flags)
    assert lines and all(re.fullmatch(pattern, ln) for ls in lines.values() for ln in ls), lines
    index = Index.open(tmp_path / "ix")  # and every link written resolves to the related note
    resolver = Resolver(((n.path, n.title, n.aliases) for n in index.notes), dialect_of(index.meta))
    for path, ls in lines.items():
        parsed = parse_note("\n".join(ls), "x", alias_first="dendron.yml" in files)
        got = [resolver.resolve(ln.target, path, ln.kind) for ln in parsed.links]
        assert got == [h.path for h in index.related(index.by_path[path], 2)]


def test_export_exclude_leaves_notes_out_as_sources_and_targets(ix: str) -> None:
    data = json.loads(_export(ix, "--format", "json", "--exclude", "cooking/"))
    paths = {n["path"] for n in data["notes"]} | {r["path"] for n in data["notes"] for r in n["related"]}
    assert paths and not any(p.startswith("cooking/") for p in paths)
    everything = json.loads(_export(ix, "--format", "json"))
    assert any(n["path"].startswith("cooking/") for n in everything["notes"])


@pytest.mark.parametrize(("fmt", "counts"), [
    ("json", {"notes", "related"}), ("csv", {"notes", "related"}), ("graphml", {"notes", "related"}),
    ("markdown", {"notes", "related"}), ("word2vec", {"words"}),
])
def test_export_json_says_what_was_written_where(ix: str, tmp_path: Path, capsys, fmt: str,
                                                 counts: set[str]) -> None:
    """`export` took no --json (every command does): a script could not read what it wrote."""
    out = tmp_path / f"out.{fmt}"
    assert main(["export", str(SAMPLE), "--index-dir", ix, "--format", fmt, "-o", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == {"format": fmt, "output": str(out), **{k: data[k] for k in counts}}
    assert all(isinstance(data[k], int) and data[k] > 0 for k in counts)
    if fmt == "csv":  # (markdown and csv said only one of notes and related: a script's KeyError)
        with out.open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        assert data["related"] == len(rows) and data["notes"] == len({r["source"] for r in rows})
    if fmt == "markdown":
        text = out.read_text(encoding="utf-8")
        assert data["notes"] == text.count("\n## ") and data["related"] == text.count("\n- ")
    if fmt == "json":
        notes = json.loads(out.read_text(encoding="utf-8"))["notes"]
        assert data["notes"] == len(notes) and data["related"] == sum(len(n["related"]) for n in notes)


def test_export_json_to_standard_output(ix: str, capsys) -> None:
    """The JSON export is its own JSON; any other export on standard output leaves no room for a summary."""
    assert main(["export", str(SAMPLE), "--index-dir", ix, "--json", "--top", "2"]) == 0
    assert set(json.loads(capsys.readouterr().out)) == {"vault", "generated", "model", "notes"}
    assert main(["export", str(SAMPLE), "--index-dir", ix, "--format", "csv", "--json"]) == EXIT_USAGE
    assert "give -o FILE" in capsys.readouterr().err


def test_block_json_lists_what_was_written_and_refused_with_reasons(tmp_path: Path, capsys) -> None:
    vault, ixd = _indexed_with_fenced(tmp_path, capsys)
    base = ["export", str(vault), "--index-dir", ixd, "--format", "block", "--top", "3", "--json"]
    fenced = {"path": "fenced.md", "reason": "a notelink marker is inside a code block"}
    assert main(base) == EXIT_REFUSED  # (as --write exits)
    dry = json.loads(capsys.readouterr().out)
    assert dry["write"] is False and dry["written"] == [] and dry["diff"].startswith("--- a/")
    assert len(dry["planned"]) > 5 and dry["current"] == 0
    assert [r["path"] for r in dry["refused"]] == ["fenced.md"]
    assert dry["refused"][0]["reason"].startswith(fenced["reason"])
    assert main([*base, "--write"]) == EXIT_REFUSED
    wrote = json.loads(capsys.readouterr().out)
    assert wrote["written"] == dry["planned"] and [r["path"] for r in wrote["refused"]] == ["fenced.md"]
    assert "diff" not in wrote and wrote["undo"] is False
    assert main([*base, "--undo", "--write"]) == 0
    undone = json.loads(capsys.readouterr().out)
    assert undone["undo"] is True and undone["written"] == dry["planned"] and undone["refused"] == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_block_undo_says_it_skipped_a_named_pipe_named_like_a_note(tmp_path: Path, capsys) -> None:
    """`export --format block --undo` waited forever on a named pipe called `*.md`; index skips it."""
    vault = tmp_path / "v"
    shutil.copytree(SAMPLE, vault)
    os.mkfifo(vault / "pipe.md")
    base = ["export", str(vault), "--format", "block", "--undo"]
    for command in (base, [*base, "--write"]):
        assert without_waiting(lambda: main(command)) == 0  # noqa: B023 (called at once)
        err = capsys.readouterr().err
        assert "skipped: pipe.md: not a regular file: a named pipe, socket or device is named like" in err
    assert without_waiting(lambda: main([*base, "--json"])) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["skipped"] == [{"path": "pipe.md", "reason": data["skipped"][0]["reason"]}]


class _FullDisk:
    """An output stream on a full disk: every write fails with ENOSPC, as a real one does at its flush."""

    def __init__(self, real: TextIO) -> None:
        self.real = real

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.real.close()


@pytest.mark.parametrize("fmt", ["json", "csv", "graphml", "markdown", "word2vec", "block"])
def test_export_to_a_full_disk_says_so_and_leaves_no_file(ix: str, tmp_path: Path, capsys, fmt: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """`export -o FILE` on a full disk ended in a traceback, exit 1, no JSON even with --json."""
    real = outfile._temp_beside
    monkeypatch.setattr(outfile, "_temp_beside", lambda *a: _full(real(*a)))
    out, old = tmp_path / "new.out", tmp_path / "old.out"
    old.write_text("the last export\n", encoding="utf-8")
    for path, left in ((out, "nothing was written"), (old, f"{old} is unchanged")):
        args = ["export", str(SAMPLE), "--index-dir", ix, "--format", fmt, "-o", str(path), "--json"]
        assert main(args) == EXIT_USAGE
        error = json.loads(capsys.readouterr().out)["error"]
        assert error.startswith(f"cannot write {path}: no space left on its disk (") and left in error
        assert error.endswith("Free some space, or give -o a file on another disk")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.out"]  # (no temporary file left either)
    assert old.read_text(encoding="utf-8") == "the last export\n"


def _full(made: tuple[TextIO, Path]) -> tuple[TextIO, Path]:
    return cast(TextIO, _FullDisk(made[0])), made[1]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="/dev/full is Linux's full disk")
def test_export_to_a_full_device_says_so(ix: str, capsys) -> None:
    args = ["export", str(SAMPLE), "--index-dir", ix, "--format", "csv", "-o", "/dev/full"]
    assert main(args) == EXIT_USAGE
    assert "cannot write /dev/full: no space left on its disk; part of the export may have reached it" in \
        capsys.readouterr().err


def test_csv_writes_a_path_a_spreadsheet_would_run_as_text(make_vault, tmp_path: Path) -> None:
    """A note's path comes from the user's files: one starting with `=`, `+`, `-`, `@`, a tab or CR is a
    formula in a spreadsheet (CSV injection), so CSV writes it with a `'` in front (OWASP); JSON keeps it."""
    names = ["=HYPERLINK(1).md", "+1.md", "-x.md", "@sum.md", "\tt.md", "plain.md"]
    text = "# T{}\nshared words about notes number{}\n"
    vault = make_vault({n: text.format(i, i) for i, n in enumerate(names)})
    assert main(["index", str(vault), "--index-dir", str(tmp_path / "ix"), *ARGS]) == 0
    out = io.StringIO()
    export.export_csv(Index.open(tmp_path / "ix"), out, ExportConfig(top=5))
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert {r[0] for r in rows[1:]} == {"'" + n for n in names[:-1]} | {"plain.md"}
    assert {r[1] for r in rows[1:]} == {r[0] for r in rows[1:]}
    assert export.csv_text("a=b.md") == "a=b.md" and export.csv_text("\rx") == "'\rx"


def test_an_export_to_a_file_says_what_it_wrote(ix: str, tmp_path: Path, capsys) -> None:
    """`export -o FILE` said nothing when it was done (the app says "Exported ... to FILE"): it says how many
    related notes, of how many notes, in which format, or how many word vectors, and where."""
    for fmt, said in [("csv", "related notes of 42 notes (csv) to "), ("word2vec", "word vectors to ")]:
        out = tmp_path / f"x.{fmt}"
        assert main(["export", str(SAMPLE), "--index-dir", ix, "--format", fmt, "-o", str(out)]) == 0
        text = capsys.readouterr().out
        assert text.startswith("Exported ") and text.rstrip("\n").endswith(said + str(out))

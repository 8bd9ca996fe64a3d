"""From arguments to what the commands work on: exclude patterns checked before any work, and the message
for a folder without an index of its own."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from notelink import arguments
from notelink.cli import options
from notelink.cli.main import main
from notelink.cli.output import UserError
from notelink.errors import ArgumentError

from ..conftest import SAMPLE

ARGS = ["--dim", "16", "--epochs", "2", "--threads", "1", "--device", "cpu"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("pattern", ["!", "\\", "[z-a]"])
@pytest.mark.parametrize("command", ["index", "watch", "export"])
def test_an_exclude_pattern_git_cannot_read_is_a_usage_error_naming_it(capsys, make_vault, tmp_path: Path,
                                                                       command: str, pattern: str) -> None:
    """`--exclude` with a line that is no gitignore pattern: exit 2 and a message naming it (with `index
    --json`, the error object on stdout), before anything is built, watched or written."""
    vault = make_vault({"a.md": "# A\n\nalpha beta\n"})
    ix = tmp_path / "ix"
    json_flag = ["--json"] if command == "index" else []  # (watch and export print no JSON)
    code, out, err = run(capsys, command, str(vault), "--index-dir", str(ix), "--exclude", "drafts/",
                         "--exclude", pattern, *json_flag)
    assert code == 2 and f"exclude pattern {pattern!r} (--exclude) is not" in err
    assert not json_flag or (json.loads(out)["exit_code"] == 2 and repr(pattern) in json.loads(out)["error"])
    assert not ix.exists()


def test_an_exclude_pattern_in_the_config_file_git_cannot_read_names_the_file(
        capsys, make_vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[index]\nexclude = ["drafts/", "!"]\n', encoding="utf-8")
    monkeypatch.setenv("NOTELINK_CONFIG", str(config))
    vault = make_vault({"a.md": "# A\n\nalpha beta\n"})
    code, out, err = run(capsys, "index", str(vault), "--index-dir", str(tmp_path / "ix"), "--json")
    assert code == 2 and f"exclude pattern '!' ([index] exclude in {config}) is not" in err
    assert json.loads(out)["exit_code"] == 2


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Indexes where notelink keeps them by default (no --index-dir), in a folder of the test's own."""
    monkeypatch.delenv("NOTELINK_INDEX_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


def test_a_subfolder_of_an_indexed_vault_is_said_to_be_inside_it(capsys, make_vault, data_home: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Asked about a folder inside an indexed vault, the message names the vault and the command that asks
    it, not a second, partial index of the folder (which index a command reads does not change)."""
    vault = make_vault({"a.md": "# A\n\nbread flour water\n", "sub/deeper/b.md": "# B\n\nbread flour salt\n"})
    assert run(capsys, "index", str(vault), *ARGS)[0] == 0
    monkeypatch.chdir(vault / "sub" / "deeper")
    code, out, err = run(capsys, "status", ".")
    assert code == 2 and not out
    assert f"{vault / 'sub' / 'deeper'} is inside the indexed vault {vault}" in err
    assert "`notelink status ../..`" in err and "no index yet" not in err
    code, out, err = run(capsys, "related", str(vault / "sub"), "b", "--json")
    assert code == 2 and f"inside the indexed vault {vault}" in json.loads(out)["error"]
    assert f"`notelink related {vault} …`" in err
    code, _, err = run(capsys, "status", str(SAMPLE))  # a folder with no indexed vault above it: as before
    assert code == 2 and f"{SAMPLE} has no index yet (looked for in " in err
    assert f"): run `notelink index {SAMPLE}` first" in err


def test_the_app_in_a_subfolder_of_an_indexed_vault_points_at_the_vault(
        capsys, make_vault, data_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`notelink` run in a folder of an indexed vault opened that folder alone, and its watcher at once built
    a second index of its few notes (their related notes among themselves only), where every query command
    names the vault. It says so too; with an index of its own, or --index-dir, the folder opens."""
    import notelink.tui

    calls: list[tuple[object, ...]] = []
    monkeypatch.setattr(notelink.tui, "run", lambda *a: calls.append(a) or 0)
    vault = make_vault({"a.md": "# A\n\nbread flour water\n", "sub/b.md": "# B\n\nbread flour salt\n"})
    assert run(capsys, "index", str(vault), *ARGS)[0] == 0
    monkeypatch.chdir(vault / "sub")
    code, _, err = run(capsys)
    assert code == 2 and not calls
    assert f"{vault / 'sub'} is inside the indexed vault {vault}" in err and "`notelink tui ..`" in err
    assert run(capsys, "tui", str(vault / "sub"), "--index-dir", str(data_home / "sub-ix"))[0] == 0
    assert run(capsys, "index", ".", *ARGS)[0] == 0 and run(capsys)[0] == 0  # its own index: opened
    assert len(calls) == 2


def test_no_index_names_the_folder_it_was_looked_for_in(capsys: pytest.CaptureFixture[str], make_vault,
                                                        tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --index-dir too: another environment (an MCP client's, without $XDG_DATA_HOME) looks in
    another folder, and the user sees which."""
    vault = make_vault({"a.md": "# A\n\nbread flour water\n"})
    monkeypatch.delenv("NOTELINK_INDEX_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "elsewhere"))
    code, _, err = run(capsys, "related", str(vault), "A")
    elsewhere = tmp_path / "elsewhere" / "notelink" / "vaults"
    assert code == 2 and f"{vault} has no index yet (looked for in {elsewhere}/" in err


def test_a_folder_with_no_notes_is_said_to_have_none(tmp_path: Path, capsys) -> None:
    """`status` of an empty folder said "run `notelink index EMPTY` first", which then failed: no notes."""
    empty = tmp_path / "empty"
    (empty / ".obsidian").mkdir(parents=True)
    (empty / ".obsidian" / "hidden.md").write_text("# in a dot-folder: no note\n", encoding="utf-8")
    for command in (["status", str(empty)], ["related", str(empty), "x", "--json"]):
        code, _, err = run(capsys, *command)
        assert code == 2 and "run `notelink index" not in err
        assert f"{empty} has no index: no notes found in {empty}: notelink indexes *.md files" in err
    code, _, err = run(capsys, "index", str(empty))
    assert code != 0 and "no notes found" in err


def test_an_index_dir_that_is_a_file_is_said_so_not_suggested(tmp_path: Path, capsys) -> None:
    """`--index-dir /dev/null` with no index said "run `notelink index … --index-dir /dev/null`", which
    cannot work: the index folder is a file."""
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("", encoding="utf-8")
    for given in (a_file, a_file / "below"):
        code, _, err = run(capsys, "status", str(SAMPLE), "--index-dir", str(given))
        assert code == 2 and "run `notelink index" not in err
        assert f"{SAMPLE} has no index in {given}, and none can be built there: it, or a folder above it, " \
               "is a file, not a folder; choose a folder with --index-dir" in err
    code, _, err = run(capsys, "status", str(SAMPLE), "--index-dir", str(tmp_path / "new" / "ix"))
    assert code == 2 and f"run `notelink index {SAMPLE} --index-dir {tmp_path / 'new' / 'ix'}` first" in err


@pytest.mark.parametrize("bad", [1.5, float("nan"), float("inf")])
def test_min_score_is_one_rule_said_with_each_faces_name_for_it(bad: float,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """`--min-score` (CLI) and `min_score` (API, MCP) are checked by one rule (`arguments.min_score`), its
    message naming the argument as each face does; the CLI had its own copy, free to drift apart."""
    def said(value: float) -> tuple[str, str]:
        with pytest.raises(UserError) as cli:
            options.min_score(argparse.Namespace(min_score=value))
        with pytest.raises(ArgumentError) as api:
            arguments.min_score(value)
        assert cli.value.code == 2
        return str(cli.value), str(api.value)

    rule = "a number of at most 1 (a score is 1 at most)"
    assert said(bad) == (f"--min-score must be {rule}, not {bad}", f"min_score must be {rule}, not {bad}")
    monkeypatch.setattr(arguments, "MIN_SCORE", "a changed rule")
    assert said(bad) == (f"--min-score must be a changed rule, not {bad}",
                         f"min_score must be a changed rule, not {bad}")
    assert options.min_score(argparse.Namespace(min_score=1)) == arguments.min_score(1) == 1.0
    assert options.min_score(argparse.Namespace(min_score=None)) is arguments.min_score(None) is None


def test_threads_above_the_cores_are_capped_to_them_with_a_note(capsys,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """`--threads 999` forked 999 workers on 2 cores (training 4x slower), silently: it is capped to the
    cores, said on stderr; 0 (all cores) and a count the machine has are kept, a negative one refused."""
    monkeypatch.setattr(options.os, "cpu_count", lambda: 2)
    assert options.train_config(argparse.Namespace(threads=999)).threads == 2
    said = "threads 999 (--threads or the config file's [train]) is more than the 2 cores here; training with"
    assert said in capsys.readouterr().err
    assert [options.train_config(argparse.Namespace(threads=n)).threads for n in (0, 2)] == [0, 2]
    assert capsys.readouterr().err == ""
    with pytest.raises(UserError, match="threads must be 0"):
        options.train_config(argparse.Namespace(threads=-2))


@pytest.mark.parametrize("value", ["-inf", "-1e-3", "-.5"])
def test_a_negative_min_score_is_read_as_its_value(value: str) -> None:
    """`--min-score -inf` and `--min-score -1e-3` were "expected one argument" (argparse took the value
    for a flag); they are values, checked by the one rule (at most 1: they keep every related note)."""
    from notelink.cli.arguments import parse

    _, args = parse(["related", str(SAMPLE), "Compost", "--min-score", value])
    assert args.min_score == float(value) and options.min_score(args) == float(value)
    _, args = parse(["export", str(SAMPLE), "--min-score", value, "--json"])
    assert args.min_score == float(value) and args.json

"""`notelink index` and `status` on vaults whose ignore files or exclude patterns are odd."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

import pytest

from notelink.api import Vault
from notelink.cli.main import main
from notelink.errors import IndexMissing

ARGS = ["--dim", "16", "--epochs", "2", "--threads", "1", "--device", "cpu"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_gitignore_line_git_cannot_use_is_skipped_not_a_crash(capsys, make_vault, tmp_path: Path) -> None:
    """Git skips such lines; so does notelink, the rest of the file still applying; `status` says which."""
    vault = make_vault({"a.md": "# A\n\nalpha beta\n", "drafts/d.md": "# D\n\ndraft\n",
                        "sub/b.md": "# B\n\nb\n", ".gitignore": "drafts/\n!\n", "sub/.gitignore": "[z-a]\n"})
    ix = str(tmp_path / "ix")
    code, out, err = run(capsys, "index", str(vault), "--index-dir", ix, "--json", *ARGS)
    assert code == 0 and json.loads(out)["indexed"] == 2, err
    _, out, _ = run(capsys, "status", str(vault), "--index-dir", ix, "--json", "--files")
    files = {f["path"]: f for f in json.loads(out)["files"]}
    assert set(files) == {"a.md", "sub/b.md", ".gitignore", "sub/.gitignore"}  # drafts/ still left out
    assert files[".gitignore"]["status"] == "skipped"
    assert files[".gitignore"]["reason"].startswith("line 2 ('!') is no gitignore pattern")
    assert files["sub/.gitignore"]["reason"].startswith("line 1 ('[z-a]') is no gitignore pattern")


@pytest.mark.parametrize(("files", "flags", "says"), [
    ({"a.md": "x", "sub/b.md": "y", ".gitignore": "*.md\n"}, [], "left out by .gitignore"),
    ({"a.md": "x", "sub/b.md": "y", "sub/.notelinkignore": "*\n", ".gitignore": "a.md\n"}, [],
     "left out by .gitignore (1), sub/.notelinkignore (1)"),
    ({"a.md": "x", "sub/b.md": "y"}, ["--exclude", "***"], "left out by the exclude patterns ('***')"),
])
def test_when_every_note_is_left_out_index_says_by_what(capsys, make_vault, tmp_path: Path,
                                                         files: dict[str, str], flags: list[str],
                                                         says: str) -> None:
    vault = make_vault(files)
    code, _, err = run(capsys, "index", str(vault), "--index-dir", str(tmp_path / "ix"), *flags, *ARGS)
    assert code == 2 and f"2 notes found in {vault}, but every one is {says}" in err
    assert "dot-folders skipped" not in err


def test_an_empty_vault_still_says_what_notelink_reads(capsys, make_vault, tmp_path: Path) -> None:
    vault = make_vault({"notes.txt": "x", ".obsidian/a.md": "x"})
    code, _, err = run(capsys, "index", str(vault), "--index-dir", str(tmp_path / "ix"), *ARGS)
    assert code == 2
    assert f"no notes found in {vault}: notelink indexes *.md files (dot-folders skipped)" in err


def test_a_suggested_command_carries_the_index_folder_the_user_gave(capsys, make_vault,
                                                                    tmp_path: Path) -> None:
    """`status` suggested `notelink index VAULT` without the `--index-dir` given: run as said, it built a
    second index in the default folder and left the one in use behind."""
    vault = make_vault({"a.md": "# A\n\nalpha beta gamma\n", "b.md": "# B\n\nbeta gamma delta\n",
                        "bad.md": b"\x00\x01\x02" * 100})
    ix = str(tmp_path / "with space" / "ix")
    code, out, _ = run(capsys, "index", str(vault), "--index-dir", ix, *ARGS)
    flag = f"--index-dir '{ix}'"
    assert code == 0 and f"`notelink status {vault} {flag}`" in out  # (the skipped file's hint)
    (vault / "b.md").unlink()
    code, out, _ = run(capsys, "status", str(vault), "--index-dir", ix)
    assert code == 0 and f"(run `notelink index {vault} {flag}`, or start the watcher)" in out


def test_a_core_message_s_command_is_completed_with_the_vault_and_index_folder() -> None:
    import argparse

    from notelink.cli.output import with_commands

    args = argparse.Namespace(vault="my notes", index_dir="/tmp/i x")
    said = with_commands(args, "damaged; run `notelink index --force` to rebuild (`notelink check` lists it)")
    assert said == ("damaged; run `notelink index 'my notes' --force --index-dir '/tmp/i x'` to rebuild "
                    "(`notelink check 'my notes' --index-dir '/tmp/i x'` lists it)")
    plain = argparse.Namespace(vault="v", index_dir=None)
    assert with_commands(plain, "run `notelink status VAULT --files`") == "run `notelink status v --files`"
    assert with_commands(argparse.Namespace(), "run `notelink index`") == "run `notelink index`"


def _interrupted_while_saving(*args: object, **kwargs: object) -> int:
    raise KeyboardInterrupt


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_an_interrupted_build_says_what_index_is_left(capsys, make_vault, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      json_flag: list[str]) -> None:
    """Ctrl-C on a first build said "the previous index is unchanged" (there was none); with --json it
    printed nothing on stdout, where the README promises an error as JSON."""
    vault = make_vault({"a.md": "# A\n\nalpha beta gamma\n", "b.md": "# B\n\nbeta gamma delta\n"})
    argv = ["index", str(vault), "--index-dir", str(tmp_path / "ix"), *ARGS, *json_flag]
    with monkeypatch.context() as m:
        m.setattr("notelink.index.build.write_generation", _interrupted_while_saving)
        code, out, err = run(capsys, *argv)
    assert code == 130 and "no index was saved" in err and "previous index" not in err
    assert not json_flag or json.loads(out) == {"error": err.strip().removeprefix("notelink: "),
                                                "exit_code": 130, "suggestions": []}
    assert run(capsys, *argv)[0] == 0
    monkeypatch.setattr("notelink.index.build.write_generation", _interrupted_while_saving)
    code, out, err = run(capsys, *argv, "--force")
    assert code == 130 and "the index in use is unchanged" in err
    assert not json_flag or json.loads(out)["exit_code"] == 130


def test_an_interrupted_first_build_keeps_its_parse_and_the_next_says_it_reused_it(
        capsys, make_vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while training threw the parse away: the next `index` parsed every note again (~24 s of a
    10k-note vault's build). `status` and queries still find no index until one is complete."""
    monkeypatch.setattr("notelink.index.checkpoint.MIN_PARSED", 1)
    vault = make_vault({"a.md": "# A\n\nalpha beta gamma\n", "b.md": "# B\n\nbeta gamma delta\n"})
    argv = ["index", str(vault), "--index-dir", str(tmp_path / "ix"), *ARGS]
    with monkeypatch.context() as m:
        m.setattr("notelink.index.build._train", _interrupted_while_saving)
        code, _, err = run(capsys, *argv)
    assert code == 130 and "no index was saved yet, but the notes parsed are kept" in err
    code, _, err = run(capsys, "status", str(vault), "--index-dir", str(tmp_path / "ix"))
    assert code != 0 and "no index yet" in err and "interrupted first build kept the notes it parsed" in err
    with pytest.raises(IndexMissing, match="kept the notes it parsed: run `notelink index"):
        _ = Vault(vault, tmp_path / "ix").index  # (the API says the same)
    code, out, _ = run(capsys, *argv, "--json")
    said = json.loads(out)
    assert code == 0 and (said["reparsed"], said["reused"], said["resumed"]) == (0, 2, 2)
    (vault / "a.md").write_text("# A\n\nalpha beta\n", encoding="utf-8")
    with monkeypatch.context() as m:
        m.setattr("notelink.index.build._train", _interrupted_while_saving)
        code, _, err = run(capsys, *argv)
    assert code == 130 and "index in use is unchanged (the notes parsed are kept" in err
    code, out, _ = run(capsys, *argv)
    assert code == 0 and "(0 parsed, 1 unchanged, 1 reused from an interrupted build's parse)" in out


def test_status_during_a_first_build_says_one_is_running(capsys, make_vault, tmp_path: Path) -> None:
    """A new user's sweep: while the first `index` of a big vault was training, `status` in another terminal
    said "run `notelink index` first", as if none were running (a second one waited, then was up to date)."""
    from notelink.index.lock import build_lock

    vault = make_vault({"a.md": "# A\n\nalpha beta gamma\n"})
    ix = tmp_path / "ix"
    with build_lock(ix):  # (held as a build holds it: the kernel's lock, by another open file)
        code, _, err = run(capsys, "status", str(vault), "--index-dir", str(ix))
        assert code != 0 and "has no index yet" in err and "a build is running now" in err
        with pytest.raises(IndexMissing, match="a build is running now"):
            _ = Vault(vault, ix).index
    code, _, err = run(capsys, "status", str(vault), "--index-dir", str(ix))
    assert "a build is running" not in err and "run `notelink index" in err


@pytest.mark.skipif(os.name != "posix", reason="file names with control characters are POSIX")
def test_a_note_s_name_in_a_warning_is_escaped(capsys, make_vault, tmp_path: Path) -> None:
    """`index` and `status` printed their notes raw: the file name in "not valid UTF-8 (NAME)" coloured
    the terminal when it held an escape sequence, where `skipped:` lines escape it."""
    vault = make_vault({"lat\x1b[7min.md": b"caf\xe9 soil compost garden\n", "b.md": "# B\n\nsoil compost\n"})
    code, out, _ = run(capsys, "index", str(vault), "--index-dir", str(tmp_path / "ix"), *ARGS)
    assert code == 0 and "(lat\\x1b[7min.md)" in out and "\x1b" not in out
    code, out, _ = run(capsys, "status", str(vault), "--index-dir", str(tmp_path / "ix"))
    assert code == 0 and "(lat\\x1b[7min.md)" in out and "\x1b" not in out


@pytest.mark.parametrize("where", ["missing/watch.log", "."])
def test_a_log_file_that_cannot_be_written_is_said_before_watching(capsys, make_vault, tmp_path: Path,
                                                                  where: str) -> None:
    """`watch --log-file` into a missing folder (or at a folder) ended in a FileNotFoundError traceback."""
    vault = make_vault({"a.md": "# A\n\nsoil compost\n"})
    log = tmp_path / where
    ix = str(tmp_path / "ix")
    code, _, err = run(capsys, "watch", str(vault), "--index-dir", ix, "--log-file", str(log))
    assert code == 2 and f"notelink: cannot write the log file {log}: " in err
    assert "give a file in an existing, writable folder" in err and not (tmp_path / "ix").exists()


def test_the_watch_log_keeps_an_entry_on_one_line() -> None:
    """`watch` logged "no change: new\\none.md touched, ..." over two lines for a note named with a line
    break: its formatter escapes control characters in the message; a traceback still gets its lines."""
    from notelink.cli.indexing import OneLine

    formatter = OneLine("%(levelname)s %(message)s")
    record = logging.LogRecord("notelink", logging.INFO, __file__, 1, "new: %s", ("new\none.md",), None)
    assert formatter.format(record) == "INFO new: new\\none.md"
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("notelink", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    assert formatter.format(record).startswith("ERROR failed\nTraceback")


def test_index_json_lists_what_it_skipped_as_status_does(capsys, make_vault, tmp_path: Path) -> None:
    """`index --json`'s `skipped` is a count (documented) where `status --json`'s is the list: index gives
    the list too, as `skipped_files` ({"path", "reason"} as status has them)."""
    vault = make_vault({"a.md": "# A\n\nsoil compost garden\n", "big.md": "# Big\n\n" + "soil " * 400})
    ix = str(tmp_path / "ix")
    code, out, _ = run(capsys, "index", str(vault), "--index-dir", ix, "--max-file-mb", "0.001", "--json",
                       *ARGS)
    data = json.loads(out)
    assert code == 0 and data["skipped"] == 1 and [s["path"] for s in data["skipped_files"]] == ["big.md"]
    code, out, _ = run(capsys, "status", str(vault), "--index-dir", ix, "--json")
    assert code == 0 and json.loads(out)["skipped"] == data["skipped_files"]


def test_one_note_is_counted_as_one_note(capsys, make_vault, tmp_path: Path) -> None:
    vault, ix = make_vault({"a.md": "# A\n\nalpha beta gamma\n"}), str(tmp_path / "ix")
    code, out, err = run(capsys, "index", str(vault), "--index-dir", ix, *ARGS)
    assert code == 0 and out.startswith("Indexed 1 note (1 parsed"), err
    _, out, _ = run(capsys, "index", str(vault), "--index-dir", ix, *ARGS)
    assert out.startswith("Index is up to date: 1 note, generation")
    _, out, _ = run(capsys, "status", str(vault), "--index-dir", ix)
    assert "1 note indexed, 0 skipped" in out

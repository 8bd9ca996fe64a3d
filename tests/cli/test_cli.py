"""The command line end to end on sample_notes/."""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from notelink.cli.main import main
from notelink.cli.queries import BECAUSE, WEAK_LEGEND
from notelink.config import RelatedConfig

from ..conftest import SAMPLE, snapshot

ARGS = ["--dim", "32", "--epochs", "30", "--seed", "3", "--threads", "1", "--device", "cpu"]


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> str:
    d = tmp_path_factory.mktemp("ix")
    before = snapshot(SAMPLE)
    assert main(["index", str(SAMPLE), "--index-dir", str(d), *ARGS]) == 0
    assert snapshot(SAMPLE) == before  # nothing in the vault is ever written
    return str(d)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def indexed(capsys: pytest.CaptureFixture[str], vault: Path, tmp_path: Path) -> str:
    """Indexes a small test vault with the fast training flags; returns its index folder."""
    ix = str(tmp_path / "ix")
    assert run(capsys, "index", str(vault), "--index-dir", ix, *ARGS)[0] == 0
    return ix


def test_index_json_summary(capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "index", str(SAMPLE), "--index-dir", str(tmp_path), "--json", *ARGS)
    data = json.loads(out)
    assert code == 0
    for key in ("notes", "indexed", "skipped", "tokens", "vocab", "epochs", "device", "parse_seconds",
                "train_seconds", "total_seconds", "words_per_second"):
        assert key in data
    assert data["indexed"] == data["notes"] >= 25 and data["epochs"] == 30 and data["device"] == "cpu"
    assert data["words_per_second"] > 0
    code, out, _ = run(capsys, "index", str(SAMPLE), "--index-dir", str(tmp_path), "--json", *ARGS)
    assert json.loads(out)["up_to_date"] is True


def test_an_up_to_date_index_reports_this_run_and_the_last_build_apart(capsys, tmp_path: Path) -> None:
    """`index --json` on an up-to-date index gave the last build's train_seconds beside this run's
    total_seconds (training longer than the whole run)."""
    code, out, _ = run(capsys, "index", str(SAMPLE), "--index-dir", str(tmp_path), "--json", *ARGS)
    built = json.loads(out)
    assert code == 0 and built["last_build"] is None  # (this run built it)
    code, out, _ = run(capsys, "index", str(SAMPLE), "--index-dir", str(tmp_path), "--json", *ARGS)
    same = json.loads(out)
    assert code == 0 and same["up_to_date"] and same["train_seconds"] == same["words_per_second"] == 0
    assert same["parse_seconds"] <= same["total_seconds"]
    last = {k: built[k] for k in ("parse_seconds", "train_seconds", "words_per_second")}
    assert {k: same["last_build"][k] for k in last} == last and same["last_build"]["trained_at"]
    model = ("tokens", "vocab", "epochs")
    assert [same[k] for k in model] == [built[k] for k in model]


def test_training_flags_given_once_are_kept_by_a_plain_index(capsys, tmp_path: Path) -> None:
    ix = indexed(capsys, SAMPLE, tmp_path)
    code, out, _ = run(capsys, "index", str(SAMPLE), "--index-dir", ix, "--json")
    assert code == 0 and json.loads(out)["up_to_date"] is True  # not retrained with the default dim
    code, out, _ = run(capsys, "index", str(SAMPLE), "--index-dir", ix, "--json", "--dim", "16")
    assert code == 0 and json.loads(out)["up_to_date"] is False and json.loads(out)["epochs"] == 30
    assert json.loads(out)["retrain_reason"] == "settings changed: dim 32 → 16"


def test_index_says_why_it_retrained_from_scratch(capsys, tmp_path: Path) -> None:
    """A setting changed (`--dialect`, `--dim`): `notelink index` said only what it trained, not why."""
    ix = indexed(capsys, SAMPLE, tmp_path)
    code, out, _ = run(capsys, "index", str(SAMPLE), "--index-dir", ix, "--dialect", "zk")
    assert code == 0 and "\nFull retrain: the dialect changed (obsidian → zk).\nTrained CBOW" in out
    code, out, _ = run(capsys, "index", str(SAMPLE), "--index-dir", ix, "--json", "--force")
    assert code == 0 and json.loads(out)["retrain_reason"] == ""
    code, out, _ = run(capsys, "index", str(SAMPLE), "--index-dir", ix, "--force")
    assert "Full retrain" not in out


@pytest.mark.parametrize("argv", [["related", str(SAMPLE)], ["search", str(SAMPLE), "kimchi", "--top", "abc"],
                                  ["status"], ["index", str(SAMPLE), "--dim", "abc"]])
def test_with_json_a_usage_error_is_json_on_stdout_too(capsys, argv: list[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([*argv, "--json"])
    out = capsys.readouterr()
    assert done.value.code == 2 and "usage:" in out.err
    assert json.loads(out.out)["exit_code"] == 2 and json.loads(out.out)["error"] in out.err


@pytest.mark.parametrize(("argv", "said", "close"), [
    (["relatd", str(SAMPLE), "Kimchi"], "unknown command 'relatd'; did you mean: related?", ["related"]),
    (["frobnicate"], "unknown command 'frobnicate'", []), ([], "no command given", [])])
def test_with_json_an_unknown_command_is_json_on_stdout_too(capsys, argv: list[str], said: str,
                                                             close: list[str]) -> None:
    code, out, err = run(capsys, *argv, "--json")  # (the app takes no --json: a script meant a command)
    assert code == 2 and said in err and json.loads(out)["error"] in err
    assert json.loads(out)["suggestions"] == close
    assert run(capsys, "relatd", str(SAMPLE))[:2] == (2, "")  # without --json: stderr only, as before


def test_a_plain_word_that_is_no_command_and_no_folder_says_so(capsys, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """`notelink nosuchword` was taken for a vault ("vault not found: nosuchword does not exist"): a word
    with no path in it is an unknown command, and the message says it names no folder or vault either."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "nosuchword")
    assert code == 2 and out == ""
    assert err.startswith("notelink: unknown command 'nosuchword', and no folder") and "--help" in err
    (tmp_path / "notes").mkdir()
    code, _, err = run(capsys, "nosuch/notes")  # a path is still a vault that is not there
    assert code == 2 and "vault not found" in err


def test_related_json_and_text(capsys, ix: str) -> None:
    code, out, _ = run(capsys, "related", str(SAMPLE), "cooking/Sourdough starter.md", "--index-dir", ix,
                       "--json", "--top", "5")
    data = json.loads(out)
    assert code == 0 and data["note"] == "cooking/Sourdough starter.md"
    assert len(data["related"]) == 5
    assert set(data["related"][0]) == {"path", "title", "score", "linked", "because", "weak"}
    scores = [r["score"] for r in data["related"]]
    assert scores == sorted(scores, reverse=True)
    assert all(r["path"] != data["note"] for r in data["related"])
    assert sum(r["path"].startswith("cooking/") for r in data["related"][:3]) >= 2
    code, out, _ = run(capsys, "related", str(SAMPLE), "Sourdough starter", "--index-dir", ix)
    assert code == 0 and out.startswith("Related to ")


def test_related_marks_weak_notes_in_text_and_json_and_keeps_them(capsys, ix: str) -> None:
    """A related note scoring below `RelatedConfig.weak_below` is `[weak]` in text (a line under the list
    says what that means) and `"weak": true` in JSON; it is still listed (`--top` gives as many)."""
    argv = ["related", str(SAMPLE), "Compost", "--index-dir", ix, "--top", "20"]
    code, out, _ = run(capsys, *argv, "--json")
    hits = json.loads(out)["related"]
    assert code == 0 and len(hits) == 20
    assert [h["weak"] for h in hits] == [h["score"] < RelatedConfig().weak_below for h in hits]
    assert {h["weak"] for h in hits} == {False, True}  # (Compost has both: gardening notes, cooking ones)
    code, out, _ = run(capsys, *argv)
    lines = [line for line in out.splitlines() if not line.startswith(BECAUSE)]
    assert code == 0 and [line.endswith("  [weak]") for line in lines[1:21]] == [h["weak"] for h in hits]
    assert lines[21:] == [f"  ({WEAK_LEGEND})"] and "0.05, a long shot" in WEAK_LEGEND
    code, out, _ = run(capsys, *argv[:-1], "1")  # its best note is no long shot: no mark, no legend
    assert code == 0 and "weak" not in out and len(out.splitlines()) == 3  # (head, note, because)


@pytest.mark.parametrize("unlinked", [[], ["--unlinked"]])
def test_related_text_says_why_under_each_note_as_json_does(capsys, ix: str, unlinked: list[str]) -> None:
    """`related` in text showed no reasons, while `--json` has `because` per note (and the app shows it):
    each note has them on a line under it, `because: ...` as `search` prints them, in 80 columns."""
    argv = ["related", str(SAMPLE), "Kimchi", "--index-dir", ix, "--top", "10", *unlinked]
    hits = json.loads(run(capsys, *argv, "--json")[1])["related"]
    code, out, _ = run(capsys, *argv)
    lines = out.splitlines()
    rows = [k for k, line in enumerate(lines) if k and not line.startswith((BECAUSE, "  ("))]
    said = [lines[k + 1] for k in rows]
    assert code == 0 and len(said) == len(hits) == 10 and all(h["because"] for h in hits)
    for hit, line in zip(hits, said, strict=True):
        assert line.startswith(BECAUSE) and len(line) <= 80
        assert line == BECAUSE + ", ".join(hit["because"]) or line.endswith(", …")
    assert any("mentions: " in line for line in said)


def test_related_min_score_leaves_out_notes_below_it_as_export_does(capsys, ix: str) -> None:
    """`related --min-score S` (export had it, related not): notes scoring below S are left out, an empty
    answer says why, and a score above 1 (or NaN) is the usage error export's is."""
    argv = ["related", str(SAMPLE), "Compost", "--index-dir", ix, "--top", "20"]
    hits = json.loads(run(capsys, *argv, "--json")[1])["related"]
    cut = (hits[4]["score"] + hits[5]["score"]) / 2  # (between two shown scores: a score compared unrounded)
    assert hits[4]["score"] > hits[5]["score"]
    code, out, _ = run(capsys, *argv, "--min-score", str(cut), "--json")
    assert code == 0 and json.loads(out)["related"] == [h for h in hits if h["score"] >= cut] == hits[:5]
    code, out, _ = run(capsys, *argv, "--min-score", "1")
    assert code == 0 and f"(no related notes: no related note scores 1 or more: the best scores " \
        f"{hits[0]['score']})" in out
    for bad in ("1.5", "nan"):
        related, export = (run(capsys, command, str(SAMPLE), *rest, "--index-dir", ix, "--min-score", bad)
                           for command, *rest in (["related", "Compost"], ["export"]))
        assert related[0] == export[0] == 2 and related[2] == export[2]
        assert "--min-score must be a number of at most 1 (a score is 1 at most)" in related[2]


def test_related_help_explains_its_marks(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["related", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "[linked] the notes are linked already" in help_text
    assert "[weak] a score below 0.05, a long shot" in help_text

def test_related_unlinked(capsys, ix: str) -> None:
    code, out, _ = run(capsys, "related", str(SAMPLE), "Home", "--index-dir", ix, "--json", "--unlinked")
    assert code == 0 and not any(r["linked"] for r in json.loads(out)["related"])


def test_concepts_and_similar(capsys, ix: str) -> None:
    code, out, _ = run(capsys, "concepts", str(SAMPLE), "cooking/Sourdough starter.md", "--index-dir", ix,
                       "--json")
    data = json.loads(out)
    assert code == 0 and len(data["concepts"]) == 10 and set(data["concepts"][0]) == {"word", "score", "rare"}
    code, out, _ = run(capsys, "similar", str(SAMPLE), "Bread", "--index-dir", ix, "--json", "--top", "3")
    data = json.loads(out)
    assert code == 0 and data["word"] == "bread" and data["reliable"] and len(data["similar"]) == 3
    assert all(hit["count"] >= 10 for hit in data["similar"])  # rare words are nobody's neighbours
    code, out, _ = run(capsys, "similar", str(SAMPLE), "Sourdough", "--index-dir", ix, "--top", "3")
    assert code == 0 and "seen 9 times" in out and "too rare to say" in out  # a word seen 9 times


@pytest.mark.parametrize("argv", [["related", "Home", "--top", "0"], ["concepts", "Home", "--top", "-1"],
                                  ["similar", "bread", "--top", "0"], ["health", "--limit", "0"]])
def test_a_count_of_zero_or_less_is_an_error(capsys, ix: str, argv: list[str]) -> None:
    code, out, err = run(capsys, argv[0], str(SAMPLE), *argv[1:], "--index-dir", ix)
    assert code == 2 and not out and "must be at least 1, not" in err


def test_status(capsys, ix: str) -> None:
    code, out, _ = run(capsys, "status", str(SAMPLE), "--index-dir", ix, "--json")
    data = json.loads(out)
    assert code == 0
    for key in ("generation", "notes", "indexed", "skipped", "vocab", "trained_at", "device"):
        assert key in data
    assert data["skipped"] == []
    # the sample vault is in English, but for "Nuit à Valensole": half French, half English (either)
    assert data["languages"]["en"] >= data["indexed"] - 1 and set(data["languages"]) <= {"en", "fr"}


def test_export_json_schema(capsys, ix: str, tmp_path: Path) -> None:
    out_file = tmp_path / "links.json"
    assert main(["export", str(SAMPLE), "--index-dir", ix, "--format", "json", "--top", "4",
                 "-o", str(out_file)]) == 0
    data = json.loads(out_file.read_text(encoding="utf-8"))
    assert set(data) == {"vault", "generated", "model", "notes"}
    assert data["model"]["dim"] == 32
    note = data["notes"][0]
    assert set(note) == {"path", "title", "related", "concepts"}
    for n in data["notes"]:
        assert "\\" not in n["path"] and n["path"] not in [r["path"] for r in n["related"]]
        assert len(n["related"]) == 4
    assert main(["export", str(SAMPLE), "--index-dir", ix, "--format", "json", "--top", "4",
                 "-o", str(tmp_path / "again.json")]) == 0
    assert (tmp_path / "again.json").read_bytes() == out_file.read_bytes()  # deterministic


def test_export_word2vec_format(ix: str, tmp_path: Path) -> None:
    out_file = tmp_path / "vectors.txt"
    assert main(["export", str(SAMPLE), "--index-dir", ix, "--format", "word2vec", "-o", str(out_file)]) == 0
    lines = out_file.read_text(encoding="utf-8").splitlines()
    v, d = map(int, lines[0].split())
    assert d == 32 and len(lines) == v + 1
    assert all(len(line.split(" ")) == d + 1 for line in lines[1:])
    gensim = pytest.importorskip("gensim")
    kv = gensim.models.KeyedVectors.load_word2vec_format(str(out_file), binary=False)
    assert kv.vector_size == 32 and np.isfinite(kv.vectors).all()


def test_a_min_score_no_note_can_reach_is_an_error(capsys, ix: str) -> None:
    for bad in ("1.5", "nan"):
        code, _, err = run(capsys, "export", str(SAMPLE), "--index-dir", ix, "--format", "csv",
                           "--min-score", bad)
        assert code == 2 and f"--min-score must be a number of at most 1 (a score is 1 at most), not {bad}" \
            in err  # (nan said "must be at most 1, not nan": it is no number)


def test_export_to_standard_output_with_a_dash_or_dev_stdout(ix: str, tmp_path: Path) -> None:
    base = [sys.executable, "-m", "notelink", "export", str(SAMPLE), "--index-dir", ix]
    piped = subprocess.run([*base, "--format", "word2vec", "-o", "-"], capture_output=True, text=True,
                           cwd=tmp_path, check=True)
    assert piped.stdout.split("\n", 1)[0].endswith(" 32") and not (tmp_path / "-").exists()
    via_dev = subprocess.run([*base, "--format", "csv", "-o", "/dev/stdout"], capture_output=True, text=True,
                             check=True)  # (a pipe: written as it is, not replaced)
    assert via_dev.stdout.startswith("source,target,score,rank,linked")


def test_unknown_note_and_word_exit_1_with_suggestions(capsys, ix: str) -> None:
    code, _, err = run(capsys, "related", str(SAMPLE), "Sourdough startr", "--index-dir", ix)
    assert code == 1 and "Sourdough startr" in err and "did you mean" in err
    code, _, err = run(capsys, "similar", str(SAMPLE), "sourdouh", "--index-dir", ix)
    assert code == 1 and "sourdouh" in err


def test_never_indexed_and_missing_vault_exit_2(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "related", str(SAMPLE), "Home", "--index-dir", str(tmp_path / "none"))
    assert code == 2 and f"notelink index {SAMPLE} --index-dir {tmp_path / 'none'}`" in err  # the same folder
    code, _, err = run(capsys, "index", str(tmp_path / "missing"), "--index-dir", str(tmp_path / "i"))
    assert code == 2 and "does not exist" in err
    (tmp_path / "empty").mkdir()
    code, _, err = run(capsys, "index", str(tmp_path / "empty"), "--index-dir", str(tmp_path / "i"))
    assert code == 2 and "no notes" in err


@pytest.mark.parametrize("argv", [["--version", "--json"], ["--json", "--version"]])
def test_version_with_json_is_a_json_object(capsys, argv: list[str]) -> None:
    from notelink import __version__

    code, out, _ = run(capsys, *argv)
    assert code == 0 and json.loads(out) == {"name": "notelink", "version": __version__}


def test_console_script_version_and_help() -> None:
    out = subprocess.run([sys.executable, "-m", "notelink", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("notelink ")
    for cmd in ("index", "related", "concepts", "similar", "status", "export"):
        out = subprocess.run([sys.executable, "-m", "notelink", cmd, "--help"], capture_output=True,
                             text=True)
        assert out.returncode == 0 and "usage" in out.stdout


def test_every_argument_of_every_command_has_help() -> None:
    """`similar --help` listed `word` with nothing said of it (a new user's sweep)."""
    from notelink.cli.arguments import COMMANDS

    for name, (_, add) in COMMANDS.items():
        parser = argparse.ArgumentParser()
        add(parser)
        assert [a.dest for a in parser._actions if not a.help] == [], name


def test_the_command_flushes_its_output_before_its_quick_exit(tmp_path: Path) -> None:
    # `index` imports torch, so the process ends with os._exit: nothing printed may be lost (stdout is a
    # pipe here, so it is block-buffered: PYTHONUNBUFFERED, if the environment sets it, would hide a loss)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    cmd = [sys.executable, "-m", "notelink", "index", str(SAMPLE), "--index-dir", str(tmp_path / "ix"),
           "--json", "--epochs", "1", "--dim", "16"]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert out.returncode == 0 and json.loads(out.stdout)["indexed"] == 42
    failed = subprocess.run([*cmd[:4], str(tmp_path / "missing"), *cmd[5:]], capture_output=True, text=True,
                            env=env)
    assert failed.returncode == 2 and "does not exist" in failed.stderr
    if Path("/dev/full").exists():  # output that cannot be written is an error, not a silent success
        with open("/dev/full", "w") as full:
            lost = subprocess.run([*cmd, "--force"], stdout=full, stderr=subprocess.PIPE, text=True, env=env)
        assert lost.returncode == 120 and "could not write the output" in lost.stderr


@pytest.mark.parametrize(("stream", "usage"), [("stdout", False), ("stderr", False), ("stdout", True)])
def test_an_error_written_to_a_reader_that_went_away_exits_quietly(tmp_path: Path, stream: str,
                                                                    usage: bool) -> None:
    # `notelink related VAULT Kimchee --json | head -1`: the reader is gone before the error is written;
    # unbuffered (PYTHONUNBUFFERED, which some environments set) the write itself fails, in `failed`
    read, write = os.pipe()
    os.close(read)
    cmd = [sys.executable, "-m", "notelink", "related", str(tmp_path / "missing"), "x", "--json",
           *(["--top", "many"] if usage else [])]
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, stream: write}
    done = subprocess.run(cmd, **pipes, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    os.close(write)
    assert done.returncode == 2  # the error's own exit code
    said = done.stderr if stream == "stdout" else done.stdout
    assert b"Traceback" not in said and (b"invalid int value" if usage else b"does not exist") in said


def test_bare_vault_argument_means_tui(monkeypatch: pytest.MonkeyPatch) -> None:
    import notelink.tui

    calls: list[tuple[object, ...]] = []
    monkeypatch.setattr(notelink.tui, "run", lambda *a: calls.append(a) or 0)
    assert main([str(SAMPLE), "--no-watch"]) == 0
    assert main(["tui", str(SAMPLE), "--index-dir", "/tmp/x"]) == 0
    assert calls[0][:3] == (SAMPLE.resolve(), None, False)
    assert calls[1][1:3] == (Path("/tmp/x"), True)
    assert main(["/no/such/vault"]) == 2


def test_an_unwritable_index_folder_is_a_clear_error(capsys, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert main(["index", str(SAMPLE), "--index-dir", str(blocker / "ix")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("notelink: cannot write the index at") and "--index-dir" in err
    assert blocker.read_text() == "not a folder"


def test_unusable_training_flags_are_a_clear_error(capsys, tmp_path: Path) -> None:
    args = ["index", str(SAMPLE), "--index-dir", str(tmp_path / "ix")]
    assert main([*args, "--window", "0", "--lr", "-1"]) == 2
    err = capsys.readouterr().err
    assert "--window must be between 1 and 50, not 0" in err
    assert "--lr must be above 0 and at most 1, not -1" in err
    assert main([*args, "--min-count", "0"]) == 2
    assert "--min-count must be at least 1" in capsys.readouterr().err
    assert main([*args, "--lr", "0"]) == 2
    assert capsys.readouterr().err == "notelink: --lr must be above 0 and at most 1, not 0.0\n"  # (no other)
    assert main([*args, "--dim", "100000", "--lr", "100"]) == 2  # (a huge index, kept for every later build)
    err = capsys.readouterr().err
    assert "--dim must be between 1 and 1000, not 100000" in err
    assert "--lr must be above 0 and at most 1, not 100" in err
    assert main([*args, "--seed", "99999999999999999999", "--negative", "1000000"]) == 2
    err = capsys.readouterr().err  # (the seed overflowed torch's generator: a traceback)
    assert "--seed must be between 0 and 4294967295, not 99999999999999999999" in err
    assert "--negative must be between 1 and 100, not 1000000" in err
    assert not (tmp_path / "ix").exists()  # nothing was started


def test_a_note_given_as_a_path_to_its_file(capsys, ix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Shell completion gives absolute paths, or paths relative to the current folder."""
    absolute = str(SAMPLE / "cooking" / "Kimchi.md")
    code, out, _ = run(capsys, "related", str(SAMPLE), absolute, "--index-dir", ix, "--json")
    assert code == 0 and json.loads(out)["note"] == "cooking/Kimchi.md"
    monkeypatch.chdir(SAMPLE.parent)
    relative = f"{SAMPLE.name}/cooking/Kimchi.md"
    code, out, _ = run(capsys, "concepts", SAMPLE.name, relative, "--index-dir", ix, "--json")
    assert code == 0 and json.loads(out)["note"] == "cooking/Kimchi.md"


def test_a_name_that_several_notes_have_is_reported(capsys, make_vault, tmp_path: Path) -> None:
    vault = make_vault({f"{folder}/Templates.md": f"# Templates\n\n{words} {words}\n" for folder, words in
                        (("plugins", "core plugin inserts snippets"), ("clipper", "web page clips"))}
                       | {"Other.md": "# Other\n\nweb page plugin snippets\n"})
    ix = indexed(capsys, vault, tmp_path)
    code, out, err = run(capsys, "related", str(vault), "Templates", "--index-dir", ix, "--json")
    assert code == 0 and json.loads(out)["note"] == "clipper/Templates.md"  # resolved as a link would be
    assert "also names plugins/Templates.md" in err
    code, out, err = run(capsys, "related", str(vault), "plugins/Templates", "--index-dir", ix, "--json")
    assert code == 0 and json.loads(out)["note"] == "plugins/Templates.md" and err == ""
    given = str(vault / "clipper" / "Templates.md")  # a path to the file names one note: no notice
    code, out, err = run(capsys, "related", str(vault), given, "--index-dir", ix, "--json")
    assert code == 0 and json.loads(out)["note"] == "clipper/Templates.md" and err == ""


@pytest.mark.parametrize(("argv", "said"), [
    (["related", "V", "-x.md"], "the following arguments are required: note"),
    (["link", "V", "Kimchi", "-x.md"], "unrecognized arguments: -x.md"),
    (["related", "V", "-x.md", "--json"], "the following arguments are required: note")])
def test_a_note_name_starting_with_a_dash_is_said_how_to_give(capsys, argv: list[str], said: str) -> None:
    """argparse reads `-x.md` as an option: the usage error says how to give it as a name (exit 2)."""
    with pytest.raises(SystemExit) as done:
        main([str(SAMPLE) if a == "V" else a for a in argv])
    err = capsys.readouterr().err
    assert done.value.code == 2 and said in err
    assert "; -x.md is read as an option, as it starts with '-': for a note or folder of that name, write " \
        "./-x.md, or put -- before it" in err


@pytest.mark.parametrize("argv", [["related", "V"], ["related", "V", "Kimchi", "--topp", "3"],
                                  ["link", "V", "Kimchi", "Home", "extra"]])
def test_other_usage_errors_say_nothing_of_dashes(capsys, argv: list[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([str(SAMPLE) if a == "V" else a for a in argv])
    assert done.value.code == 2 and "starts with '-'" not in capsys.readouterr().err


def test_a_note_whose_name_starts_with_a_dash_as_the_error_says(capsys, make_vault, tmp_path: Path) -> None:
    vault = make_vault({"-x.md": "# Dash\n\nsourdough starter flour water\n",
                        "Bread.md": "# Bread\n\nsourdough flour water oven\n"})
    ix = indexed(capsys, vault, tmp_path)
    for given in (["./-x.md"], ["--", "-x.md"]):
        code, out, _ = run(capsys, "related", str(vault), "--index-dir", ix, "--json", *given)
        assert code == 0 and json.loads(out)["note"] == "-x.md"


def test_a_file_size_limit_that_skips_everything_is_refused(capsys, ix: str) -> None:
    for value in ("0", "-1", "nan"):
        code, _, err = run(capsys, "index", str(SAMPLE), "--index-dir", ix, "--max-file-mb", value)
        assert code == 2 and "--max-file-mb must be above 0" in err
    assert main(["index", str(SAMPLE), "--index-dir", ix, "--max-file-mb", "inf", *ARGS]) == 0  # no limit


def test_asking_for_a_skipped_note_says_why_it_was_skipped(capsys, make_vault, tmp_path: Path) -> None:
    vault = make_vault({"Bread.md": "# Bread\n\nflour water salt levain crumb\n",
                        "Soup.md": "# Soup\n\nstock onion salt water\n", "scan.md": b"\x00\x01binary\x00"})
    ix = indexed(capsys, vault, tmp_path)
    for query in ("scan.md", "scan"):
        code, _, err = run(capsys, "related", str(vault), query, "--index-dir", ix)
        assert code == 1 and "scan.md is not in the index: it was skipped when indexing (binary" in err


def test_an_empty_note_has_no_related_notes_nor_concepts(capsys, make_vault, tmp_path: Path) -> None:
    vault = make_vault({"Bread.md": "# Bread\n\nflour water salt levain crumb\n",
                        "Rye.md": "# Rye\n\nrye flour water salt levain\n", "empty.md": ""})
    ix = indexed(capsys, vault, tmp_path)
    code, out, _ = run(capsys, "related", str(vault), "empty", "--index-dir", ix)
    assert code == 0 and "(no related notes: the note has no word the index learned" in out
    code, out, _ = run(capsys, "concepts", str(vault), "empty.md", "--index-dir", ix)
    assert code == 0 and "(none: the note has no word the index learned" in out
    code, out, _ = run(capsys, "export", str(vault), "--index-dir", ix, "--format", "csv")
    assert code == 0 and "empty.md" not in out and "Bread.md,Rye.md" in out  # cosine 0: not related


def test_an_empty_note_is_related_first_to_the_notes_that_mention_it(capsys, make_vault,
                                                                     tmp_path: Path) -> None:
    vault = make_vault({"Bread.md": "# Bread\n\nflour water salt levain crumb, an empty jar\n",
                        "Rye.md": "# Rye\n\nrye flour water salt levain\n",
                        "Jars.md": "# Jars\n\nempty jars\n", "empty.md": ""})
    ix = indexed(capsys, vault, tmp_path)
    code, out, _ = run(capsys, "related", str(vault), "empty", "--index-dir", ix, "--json")
    related = json.loads(out)["related"]
    assert code == 0 and {r["path"] for r in related[:2]} == {"Bread.md", "Jars.md"}
    assert all("mentions: empty" in r["because"] for r in related[:2])


def test_a_file_name_with_a_newline_stays_on_one_line(capsys, make_vault, tmp_path: Path) -> None:
    vault = make_vault({"new\nline.md": "# NL\n\nflour water salt levain crumb\n",
                        "Bread.md": "# Bread\n\nflour water salt levain\n"})
    ix = indexed(capsys, vault, tmp_path)
    code, out, _ = run(capsys, "related", str(vault), "Bread", "--index-dir", ix)
    assert code == 0 and "  NL (new\\nline.md)" in out
    code, out, _ = run(capsys, "status", str(vault), "--index-dir", ix, "--files")
    assert "indexed  new\\nline.md" in out
    code, out, _ = run(capsys, "related", str(vault), "Bread", "--index-dir", ix, "--json")
    assert json.loads(out)["related"][0]["path"] == "new\nline.md"  # JSON keeps the name as it is


def test_an_export_file_that_cannot_be_written_is_a_clear_error(capsys, ix: str, tmp_path: Path) -> None:
    for out in (tmp_path / "no such folder" / "x.csv", tmp_path):
        code, _, err = run(capsys, "export", str(SAMPLE), "--index-dir", ix, "--format", "csv", "-o",
                           str(out))
        assert code == 2 and f"cannot write {out}: " in err and "Traceback" not in err
    good = tmp_path / "x.csv"
    assert run(capsys, "export", str(SAMPLE), "--index-dir", ix, "--format", "csv", "-o", str(good))[0] == 0
    assert good.read_text(encoding="utf-8").startswith("source,target") and list(tmp_path.iterdir()) == [good]
    assert good.stat().st_mode & 0o777 == 0o666 & ~_umask()


def test_an_export_never_writes_over_a_note(capsys, make_vault, tmp_path: Path) -> None:
    vault = make_vault({"Bread.md": "# Bread\n\nflour water salt levain\n",
                        "sub/Rye.MD": "# Rye\n\nrye flour water salt\n"})
    ix = indexed(capsys, vault, tmp_path)
    (tmp_path / "link.md").symlink_to(vault / "Bread.md")
    before = {p: p.read_bytes() for p in (vault / "Bread.md", vault / "sub/Rye.MD")}
    for fmt, out in [("csv", vault / "Bread.md"), ("word2vec", vault / "sub/Rye.MD"),
                     ("markdown", tmp_path / "link.md"), ("block", vault / "Bread.md")]:
        code, _, err = run(capsys, "export", str(vault), "--index-dir", ix, "--format", fmt, "-o", str(out))
        assert code == 2 and f"refusing to write over {out}: it is a note of the vault" in err, fmt
    assert {p: p.read_bytes() for p in before} == before



def test_a_markdown_export_into_the_vault_is_refused_unless_forced(capsys, make_vault,
                                                                    tmp_path: Path) -> None:
    """It would be indexed as a note, its links counted as the user's: the app refuses, the CLI only warned
    and wrote it."""
    vault = make_vault({"Bread.md": "# Bread\n\nflour water salt levain\n",
                        "sub/Rye.md": "# Rye\n\nrye flour water salt\n"})
    ix = indexed(capsys, vault, tmp_path)
    before = snapshot(vault)
    base = ["export", str(vault), "--index-dir", ix, "--format", "markdown", "-o"]
    for out in (vault / "related.md", vault / "sub" / "new.md"):
        code, _, err = run(capsys, *base, str(out))
        assert code == 2 and f"{out} is inside the vault" in err and "--force" in err
    assert snapshot(vault) == before
    code, _, err = run(capsys, *base, str(vault / "related.md"), "--force")  # asked for: written, with a word
    assert code == 0 and "is inside the vault" in err and (vault / "related.md").exists()
    assert run(capsys, *base, str(tmp_path / "related.md"))[0] == 0  # outside the vault: as ever
    assert run(capsys, "export", str(vault), "--index-dir", ix, "--format", "csv", "-o",
               str(vault / "links.csv"))[0] == 0  # (a CSV file is no note)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_stop_word_is_said_to_be_one(capsys, ix: str) -> None:
    code, _, err = run(capsys, "similar", str(SAMPLE), "The", "--index-dir", ix)
    assert code == 1 and "'the' is a stop word (en" in err
    code, out, _ = run(capsys, "similar", str(SAMPLE), "the", "--index-dir", ix, "--json")
    assert json.loads(out)["suggestions"] == []  # no look-alikes (`theory`) for a word left out on purpose


def test_with_json_an_error_is_json_on_stdout_too(capsys, ix: str) -> None:
    code, out, err = run(capsys, "related", str(SAMPLE), "Kimchee", "--index-dir", ix, "--json")
    data = json.loads(out)
    assert code == 1 and data["exit_code"] == 1 and "Kimchi" in " ".join(data["suggestions"])
    assert data["error"] in err


def test_export_writes_through_symlinks_and_into_pipes(capsys, ix: str, tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    real.chmod(0o640)
    (tmp_path / "link.csv").symlink_to(real)
    assert run(capsys, "export", str(SAMPLE), "--index-dir", ix, "--format", "csv", "-o",
               str(tmp_path / "link.csv"))[0] == 0
    assert (tmp_path / "link.csv").is_symlink() and real.read_text(encoding="utf-8").startswith("source,")
    assert real.stat().st_mode & 0o777 == 0o640  # the file keeps its mode
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    assert run(capsys, "export", str(SAMPLE), "--index-dir", ix, "--format", "csv", "-o", str(fifo))[0] == 0
    assert reader.communicate(timeout=30)[0].startswith(b"source,") and fifo.exists()


def test_a_failed_export_leaves_the_file_as_it_was(capsys, ix: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from notelink.write import export

    out = tmp_path / "x.csv"
    out.write_text("before", encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("export failed midway")

    monkeypatch.setattr(export, "export_csv", broken)
    with pytest.raises(RuntimeError):
        main(["export", str(SAMPLE), "--index-dir", ix, "--format", "csv", "-o", str(out)])
    assert out.read_text(encoding="utf-8") == "before" and [p.name for p in tmp_path.iterdir()] == ["x.csv"]


def test_a_note_stored_decomposed_is_found_and_linked_composed(capsys, make_vault, tmp_path: Path) -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Café")  # as macOS writes file names
    vault = make_vault({f"{nfd}.md": "coffee beans roast grind espresso",  # no heading: named by its file
                        "Menu.md": "# Menu\ncoffee beans at the [[Café]] roast"})
    ix = indexed(capsys, vault, tmp_path)
    code, out, err = run(capsys, "related", str(vault), "Café", "--index-dir", ix, "--json")
    assert code == 0 and json.loads(out)["note"] == f"{nfd}.md", err
    code, out, _ = run(capsys, "related", str(vault), "Menu", "--index-dir", ix, "--json")
    assert json.loads(out)["related"][0]["linked"] is True


def test_status_reports_links_found_resolved_and_missing(capsys, make_vault, tmp_path: Path) -> None:
    vault = make_vault({"a.md": "[[b]] [[b|B]] [[nope]] [[nope]] [[gone]] ![[pic.png]]", "b.md": "x [[a]]"})
    ix = indexed(capsys, vault, tmp_path)
    code, out, _ = run(capsys, "status", str(vault), "--index-dir", ix, "--json")
    links = json.loads(out)["links"]
    assert code == 0
    assert (links["found"], links["resolved"], links["unresolved"], links["attachments"]) == (6, 3, 3, 1)
    assert links["top_unresolved"] == [{"target": "nope", "count": 2}, {"target": "gone", "count": 1}]
    _, text, _ = run(capsys, "status", str(vault), "--index-dir", ix)
    assert "Links (obsidian): 6 to notes, 3 resolved (50%), 3 unresolved; 1 to attachments\n" in text


def test_status_says_how_many_links_reach_a_folder(capsys, make_vault, tmp_path: Path) -> None:
    """A Markdown link to a folder of the vault without an index page is no missing note: said apart."""
    vault = make_vault({"a.md": "[b](b.md) [assets](assets/) ![](assets/pic.png)", "b.md": "x",
                        "assets/pic.png": b"\x89PNG"})
    ix = indexed(capsys, vault, tmp_path)
    _, text, _ = run(capsys, "status", str(vault), "--index-dir", ix)
    assert "Links (markdown): 1 to notes, 1 resolved (100%), 0 unresolved; 1 to attachments; 1 to folders" \
        in text


def test_every_commands_help_fits_a_120_by_35_terminal(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    """`index --help` was 39 lines (its training group's title 180 columns wide) and `watch --help` 43: each
    command's help fits 120 columns by 35 lines (a short usage line where every flag is listed below)."""
    from notelink.cli.arguments import COMMANDS

    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NOTELINK_CONFIG", "/nonexistent/config.toml")  # (no default from a config file)
    for command in ["", *COMMANDS]:
        with pytest.raises(SystemExit):
            main([command, "--help"] if command else ["--help"])
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) <= 35 and max(map(len, lines)) <= 120, command

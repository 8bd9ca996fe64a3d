"""The config file (flag > config file > default), named vaults and `notelink config` (the `config`
fixture: conftest.py)."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from notelink.cli.main import main
from notelink.configfile import SETTINGS, UserConfig
from notelink.errors import ConfigError

from ..conftest import SAMPLE

ARGS = ["--dim", "16", "--epochs", "5", "--threads", "1", "--device", "cpu"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_file_lives_in_xdg_config_home(config, tmp_path: Path) -> None:
    config("")
    assert UserConfig.load().path == tmp_path / "config" / "notelink" / "config.toml"


def test_a_missing_file_sets_nothing(tmp_path: Path) -> None:
    cfg = UserConfig.load(tmp_path / "none.toml")
    assert not cfg.exists and cfg.values == {} and cfg.vaults == {}
    assert all(cfg.value(s) == (s.default, "default") for s in SETTINGS)


def test_a_file_that_notelink_config_names_must_exist(capsys, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A new user's sweep: NOTELINK_CONFIG=/nonexistent.toml left every setting at its default, silently."""
    monkeypatch.setenv("NOTELINK_CONFIG", str(tmp_path / "nonexistent.toml"))
    with pytest.raises(ConfigError, match="the config file that NOTELINK_CONFIG names does not exist: "):
        UserConfig.load()
    code, _, err = run(capsys, "related", str(SAMPLE), "x")
    assert code == 2 and f"does not exist: {tmp_path / 'nonexistent.toml'}; create it, or unset" in err
    assert run(capsys, "config", "--path")[1].strip() == str(tmp_path / "nonexistent.toml")  # (not read)


@pytest.mark.parametrize(("text", "message"), [
    ("[train]\ndim = 'big'\n", "[train] dim must be a whole number, not 'big'"),
    ("[train]\ndimm = 3\n", "unknown setting [train] dimm; did you mean [train] dim?"),
    ("[index]\ndialect = 'roam'\n", "[index] dialect must be one of auto, obsidian"),
    ("[index]\nexclude = 'drafts/'\n", "[index] exclude must be a list of strings"),
    ("[export]\nmin_score = true\n", "[export] min_score must be a number, not true"),
    ("theme = 'dark'\n", "'theme' must be a [table] of settings"),
    ("[train\n", "cannot read the config file"),
    ("[train]\nwindow = 99\ndim = 0\n",
     "[train] dim must be between 1 and 1000, not 0; [train] window must be"),
    ("[train]\nlr = 0\n", "[train] lr must be above 0 and at most 1, not 0"),
    ("[train]\nseed = -1\nnegative = 0\n",
     "[train] negative must be between 1 and 100, not 0; [train] seed must be between 0 and 4294967295"),
    ("[index]\nmax_file_mb = 0\n", "[index] max_file_mb must be above 0, not 0"),
    ("[query]\ntop = 0\n", "[query] top must be at least 1, not 0"),
    ("[export]\nmin_score = 2\n", "[export] min_score must be a number of at most 1, not 2"),
    ("[export]\nmin_score = nan\n", "[export] min_score must be a number of at most 1, not nan"),
    ("[query]\nweak_below = 1\n", "[query] weak_below must be at least 0 and below 1, not 1.0"),
    ("[query]\nweak_below = -0.01\n", "[query] weak_below must be at least 0 and below 1, not -0.01"),
    ("[query]\nweak_below = nan\n", "[query] weak_below must be at least 0 and below 1, not nan"),
    ("[query]\nweak_below = '0.1'\n", "[query] weak_below must be a number, not '0.1'"),
    ('[vaults]\n"" = "/tmp"\n', "[vaults] names a vault '' (= '/tmp'): give it a name"),
    ('[vaults]\n" " = "/tmp"\n', "[vaults] names a vault ' ' (= '/tmp'): give it a name"),
])
def test_bad_settings_are_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=re.escape(message)):
        UserConfig.load(path)


def test_a_bad_file_stops_a_command_with_its_reason(capsys, config) -> None:
    config("[train]\ndim = 'big'\n")
    code, _, err = run(capsys, "related", str(SAMPLE), "x")
    assert code == 2 and "[train] dim must be a whole number" in err
    path = config("[train]\nwindow = 99\n")
    for argv in (["config"], ["index", str(SAMPLE)]):  # the file's key and the file, not a flag
        code, _, err = run(capsys, *argv)
        assert code == 2 and f"{path}: [train] window must be between 1 and 50, not 99" in err


def test_flag_beats_config_file_beats_default(capsys, config, tmp_path: Path) -> None:
    config("[train]\ndim = 24\nepochs = 3\n[query]\ntop = 2\n")
    ix = str(tmp_path / "ix")
    code, out, _ = run(capsys, "index", str(SAMPLE), "--index-dir", ix, "--json", "--epochs", "4",
                       "--threads", "1", "--device", "cpu")
    assert code == 0 and json.loads(out)["epochs"] == 4  # flag
    from notelink.query.index import Index

    index = Index.open(Path(ix))
    assert index.model_info()["dim"] == 24  # config file
    assert index.model_info()["window"] == 5  # default
    index.close()
    _, out, _ = run(capsys, "related", str(SAMPLE), "Sourdough starter", "--index-dir", ix, "--json")
    assert len(json.loads(out)["related"]) == 2  # [query] top
    _, out, _ = run(capsys, "related", str(SAMPLE), "Sourdough starter", "--index-dir", ix, "--json",
                    "--top", "3")
    assert len(json.loads(out)["related"]) == 3


def test_named_vaults_work_wherever_a_vault_is_taken(capsys, config, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    config(f'[vaults]\nsample = "{SAMPLE}"\n')
    monkeypatch.chdir(tmp_path)
    ix = str(tmp_path / "ix")
    assert run(capsys, "index", "sample", "--index-dir", ix, *ARGS)[0] == 0
    code, out, _ = run(capsys, "related", "sample", "Sourdough starter", "--index-dir", ix, "--json")
    assert code == 0 and json.loads(out)["note"] == "cooking/Sourdough starter.md"
    (tmp_path / "sample").mkdir()  # a folder here named like the vault: the folder is meant
    code, _, err = run(capsys, "index", "sample", "--index-dir", str(tmp_path / "ix2"), *ARGS)
    assert code == 2 and "no notes found" in err


def test_a_named_vault_whose_folder_is_gone_names_the_config_entry(capsys, config, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = config(f'[vaults]\nwork = "{tmp_path / "nowhere"}"\n')
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "related", "work", "Home")
    assert code == 2 and "the config file's [vaults] work" in err and str(path) in err


def test_a_named_vault_opens_the_app_and_is_no_typo(config, monkeypatch: pytest.MonkeyPatch) -> None:
    from notelink.cli.arguments import command_line

    config(f'[vaults]\nstatus-notes = "{SAMPLE}"\nwatsh = "{SAMPLE}"\n')
    assert command_line(["watsh"]) == ["tui", "watsh"]  # close to `watch`, but a vault


def test_index_root_places_every_vaults_index(capsys, config, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTELINK_INDEX_DIR", raising=False)
    config(f'[index]\nindex_root = "{tmp_path / "indexes"}"\n')
    assert run(capsys, "index", str(SAMPLE), *ARGS)[0] == 0
    made = list((tmp_path / "indexes").iterdir())
    assert len(made) == 1 and made[0].name.startswith("sample_notes-")


def test_relative_paths_in_the_config_file_are_from_its_folder(capsys, config, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTELINK_INDEX_DIR", raising=False)
    path = config('[vaults]\nrel = "sample"\n[index]\nindex_root = "relidx"\n')
    shutil.copytree(SAMPLE, path.parent / "sample")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert run(capsys, "index", "rel", *ARGS)[0] == 0
    made = list((path.parent / "relidx").iterdir())
    assert len(made) == 1 and made[0].name.startswith("sample-")
    _, out, _ = run(capsys, "config", "--json")
    assert json.loads(out)["settings"]["index.index_root"]["value"] == str(path.parent / "relidx")


def test_config_command_shows_values_and_sources(capsys, config) -> None:
    path = config('[vaults]\nwork = "~/notes/work"\n[export]\nlink_style = "markdown"\n')
    code, out, _ = run(capsys, "config", "--json")
    data = json.loads(out)
    assert code == 0 and data["path"] == str(path) and data["exists"]
    assert data["vaults"] == {"work": str(Path.home() / "notes" / "work")}
    assert data["settings"]["export.link_style"] == {"value": "markdown", "source": f"config file ({path})",
                                                      "help": "how links are written"}
    assert data["settings"]["train.dim"]["source"] == "default, unless an index keeps another it was given"
    assert data["settings"]["train.threads"]["source"] == "default"
    if sys.platform.startswith("linux") and not os.environ.get("NOTELINK_INDEX_DIR"):
        assert data["index_dir"]["value"].startswith(os.environ.get("XDG_DATA_HOME") or str(Path.home()))
    _, text, _ = run(capsys, "config")
    assert 'link_style = "markdown"' in text and "[vaults]" in text
    assert run(capsys, "config", "--path")[1].strip() == str(path)
    assert run(capsys, "config", "--vault-names")[1].split() == ["work"]


def test_config_says_what_a_setting_of_0_stands_for(capsys, config) -> None:
    """`epochs = 0  # default` where the README says `auto` (a new user's sweep)."""
    config("[train]\nthreads = 2\n")
    _, text, _ = run(capsys, "config")
    lines = {line.split("=")[0].strip(): line for line in text.splitlines() if " = " in line}
    assert "# 0: automatic; default, unless an index keeps another" in lines["epochs"]
    assert lines["threads"].endswith("# config file (" + str(UserConfig.load().path) + ")")  # (2: no note)
    assert lines["dim"].split("#")[1].strip().startswith("default")


def test_config_says_a_theme_the_app_does_not_have(capsys, config) -> None:
    """`[tui] theme = "solarized-nope"` passed `notelink config`; only the app said so, when opened."""
    config('[tui]\ntheme = "solarized-nope"\n')
    code, text, _ = run(capsys, "config")
    assert code == 0 and "note: [tui] theme 'solarized-nope' is no theme of the app; did you mean " \
        "'solarized-dark'? (themes: dark, light, ansi-dark" in text
    assert json.loads(run(capsys, "config", "--json")[1])["warnings"][0].startswith("[tui] theme 'solar")
    config('[tui]\ntheme = "nord"\n')
    assert json.loads(run(capsys, "config", "--json")[1])["warnings"] == []


def test_the_config_files_themes_are_the_apps() -> None:
    """`THEMES` is said without importing textual (only the app does): the same names as Textual's."""
    from textual.theme import BUILTIN_THEMES

    from notelink.configfile import THEMES
    from notelink.tui.actions import THEMES as SHORT

    assert set(THEMES) == set(BUILTIN_THEMES) | set(SHORT)


def test_config_path_is_printed_even_when_the_file_does_not_parse(capsys, config) -> None:
    path = config("[train\n")  # that is when its path is wanted
    assert run(capsys, "config", "--path") == (0, f"{path}\n", "")
    assert json.loads(run(capsys, "config", "--path", "--json")[1]) == {"path": str(path)}
    code, _, err = run(capsys, "config")
    assert code == 2 and f"cannot read the config file {path}" in err


def test_help_shows_the_defaults_the_config_file_sets(capsys, config) -> None:
    def help_of(command: str) -> str:
        with pytest.raises(SystemExit):
            main([command, "--help"])
        return " ".join(capsys.readouterr().out.split())  # argparse's line breaks left out

    assert "how many (default 10)" in help_of("related")
    assert "[index] index_root" in help_of("related")  # --index-dir's default names it too
    config("[query]\ntop = 3\n[train]\ndim = 50\n")
    assert "how many (default 10; 3 from the config file's [query] top)" in help_of("related")
    assert "(default 100; 50 from the config file's [train] dim)" in help_of("index")
    config("[query\n")  # a file that does not parse: the help still shows, the command says why
    assert "how many (default 10)" in help_of("related")


def test_exclude_from_flag_config_and_the_index(capsys, config, make_vault, tmp_path: Path) -> None:
    vault = make_vault({"a.md": "# A\nbread flour", "drafts/b.md": "# B\nbread water",
                        "t/c.md": "# C\nflour"})
    ix = str(tmp_path / "ix")

    def indexed() -> set[str]:
        assert run(capsys, "index", str(vault), "--index-dir", ix, *ARGS)[0] == 0
        _, out, _ = run(capsys, "status", str(vault), "--index-dir", ix, "--json", "--files")
        return {f["path"] for f in json.loads(out)["files"] if f["status"] == "indexed"}

    config('[index]\nexclude = ["drafts/"]\n')
    assert indexed() == {"a.md", "t/c.md"}  # config file
    assert run(capsys, "index", str(vault), "--index-dir", ix, "--exclude", "t/", *ARGS)[0] == 0
    _, out, _ = run(capsys, "status", str(vault), "--index-dir", ix, "--json")
    assert json.loads(out)["exclude"] == ["t/"]  # the flag beats the config file
    config("")
    assert indexed() == {"a.md", "drafts/b.md"}  # no flag, no config: the list saved with the index


def test_dialect_from_flag_config_and_the_index(capsys, config, make_vault, tmp_path: Path) -> None:
    """`--dialect zk` once is kept by the next plain `index` (and the watcher and the app, which build the
    same way); the config file's name beats it; `--dialect auto` detects the dialect again."""
    vault = make_vault({"202301011200 Forgetting curve.md": "# Forgetting curve\nmemory decays",
                        "202301021200 Spacing.md": "# Spacing\nsee [[202301011200]] memory"})
    ix = str(tmp_path / "ix")

    def links(*flags: str) -> str:
        code, _, err = run(capsys, "index", str(vault), "--index-dir", ix, *flags, *ARGS)
        assert code == 0, err
        ln = json.loads(run(capsys, "status", str(vault), "--index-dir", ix, "--json")[1])["links"]
        return f"{ln['dialect']} {ln['resolved']}"

    assert links("--dialect", "zk") == "zk 1"
    assert links() == "zk 1"  # kept with the index
    config("[index]\ndialect = 'obsidian'\n")
    assert links() == "obsidian 0"
    config("[index]\ndialect = 'auto'\n")  # (as the example file has it: leaves it to the index)
    assert links("--dialect", "zk") == "zk 1" and links() == "zk 1"
    assert links("--dialect", "auto") == "obsidian 0" and links() == "obsidian 0"


def test_max_file_mb_and_keep_stopwords_are_kept_with_the_index(capsys, config, make_vault, tmp_path: Path
                                                                ) -> None:
    """`--max-file-mb` and `--keep-stopwords` once are kept by the next plain `index` (and the watcher and
    the app, which build the same way), as `--exclude` is: a plain build dropped the note the larger cap
    had let in and retrained without stop words ('settings changed: keep_stopwords True → False'). The
    config file's value beats the index's; `--no-keep-stopwords` turns it off."""
    vault = make_vault({"a.md": "# A\nthe bread and the flour", "big.md": "# Big\n" + "flour water " * 1000})
    ix = str(tmp_path / "ix")

    def build(*flags: str) -> dict[str, object]:
        code, out, err = run(capsys, "index", str(vault), "--index-dir", ix, "--json", *flags, *ARGS)
        assert code == 0, err
        return dict(json.loads(out))

    assert build("--max-file-mb", "0.02", "--keep-stopwords")["skipped"] == 0  # (big.md: 12 KB)
    again = build()
    assert (again["skipped"], again["up_to_date"], again["retrain_reason"]) == (0, True, "")
    assert build("--max-file-mb", "0.01")["skipped"] == 1 and build()["skipped"] == 1
    assert "keep_stopwords True → False" in str(build("--no-keep-stopwords")["retrain_reason"])
    assert build()["up_to_date"]
    config("[index]\nmax_file_mb = 1.0\nkeep_stopwords = true\n")
    by_config = build()  # the config file's values beat the index's
    assert by_config["skipped"] == 0 and "keep_stopwords False → True" in str(by_config["retrain_reason"])


def test_the_app_builds_and_watches_with_the_settings_index_takes(config, monkeypatch: pytest.MonkeyPatch
                                                                  ) -> None:
    """`notelink tui` takes --exclude and --dialect, and the config file's [index] and [train] settings, for
    the app's own builds and its watcher (as `notelink index` and `watch` would build)."""
    import notelink.tui
    from notelink.config import DialectConfig, ExportConfig, IndexConfig, TrainConfig

    calls: list[tuple[object, ...]] = []
    monkeypatch.setattr(notelink.tui, "run", lambda *a: calls.append(a) or 0)
    assert main(["tui", str(SAMPLE), "--no-watch"]) == 0
    assert calls[-1][3:5] == (TrainConfig(), IndexConfig())  # exclude None: the list saved with the index
    config("[index]\nexclude = ['music/']\ndialect = 'obsidian'\nmax_file_mb = 1.0\n[train]\ndim = 24\n")
    assert main(["tui", str(SAMPLE)]) == 0
    train, index = calls[-1][3:5]
    assert isinstance(train, TrainConfig) and isinstance(index, IndexConfig)
    assert (train.dim, index.exclude, index.dialect, index.max_file_bytes) == (
        24, ("music/",), DialectConfig("obsidian"), 1_000_000)
    assert main(["tui", str(SAMPLE), "--exclude", "drafts/", "--dialect", "dendron"]) == 0  # flags win
    assert calls[-1][4] == IndexConfig(exclude=("drafts/",), dialect=DialectConfig("dendron"),
                                       max_file_bytes=1_000_000)
    assert calls[-1][5] == ""  # no [tui] theme: the one chosen last in the app
    config("[tui]\ntheme = 'light'\n")
    assert main(["tui", str(SAMPLE)]) == 0 and calls[-1][5] == "light"
    assert calls[-1][7] == ExportConfig(top=10, min_score=None)  # the app's exports: [export], as the CLI's
    config("[export]\ntop = 3\nmin_score = 0.2\nlink_style = 'markdown'\n")
    assert main(["tui", str(SAMPLE)]) == 0
    assert calls[-1][7] == ExportConfig(top=3, min_score=0.2, link_style="markdown")


def test_weak_below_is_set_by_the_config_file_for_every_answer(capsys, config, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """`RelatedConfig.weak_below` was the one setting the config file could not set: `[query] weak_below`
    now sets it, `notelink config` shows it and where it came from, and related (text, --json, --help), the
    exports, the Python API, the app and the MCP tool's description mark and say the notes below it."""
    import notelink.tui
    from notelink.api import Vault
    from notelink.cli.queries import weak_legend
    from notelink.config import RelatedConfig

    ix = str(tmp_path / "ix")
    assert run(capsys, "index", str(SAMPLE), "--index-dir", ix, *ARGS)[0] == 0
    argv = ["related", str(SAMPLE), "Compost", "--index-dir", ix, "--top", "20"]
    scores = [h["score"] for h in json.loads(run(capsys, *argv, "--json")[1])["related"]]
    cut = round(scores[3] + 0.0001, 4)  # (the fourth note's score and below: weak)
    path = config(f"[query]\nweak_below = {cut}\n")
    setting = json.loads(run(capsys, "config", "--json")[1])["settings"]["query.weak_below"]
    assert setting["value"] == cut and setting["source"] == f"config file ({path})"
    assert f"weak_below = {cut}" in run(capsys, "config")[1]
    hits = json.loads(run(capsys, *argv, "--json")[1])["related"]
    assert [h["weak"] for h in hits] == [k >= 3 for k in range(20)]
    code, out, _ = run(capsys, *argv)
    assert code == 0 and out.splitlines()[-1] == f"  ({weak_legend(cut)})" and f"below {cut}, a long" in out
    assert [h.weak for h in Vault(SAMPLE, ix).related("Compost", top=20)] == [k >= 3 for k in range(20)]
    code, out, _ = run(capsys, "export", str(SAMPLE), "--index-dir", ix, "--format", "csv")
    assert code == 0 and sum(line.endswith(",true") for line in out.splitlines()) > 0
    with pytest.raises(SystemExit):
        main(["related", "--help"])
    assert f"[weak] a score below {cut}" in " ".join(capsys.readouterr().out.split())
    calls: list[tuple[object, ...]] = []
    monkeypatch.setattr(notelink.tui, "run", lambda *a: calls.append(a) or 0)
    assert main(["tui", str(SAMPLE), "--no-watch"]) == 0 and calls[-1][6] == RelatedConfig(cut)
    pytest.importorskip("mcp")
    from notelink.agents.server import build_server

    tool = build_server(SAMPLE, Path(ix))._tool_manager.get_tool("related")  # type: ignore[attr-defined]
    assert tool is not None and f"weak (score below {cut}: a long shot" in tool.description

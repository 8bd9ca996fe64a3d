"""`notelink completions`: the scripts name every command and flag, parse, and complete in bash and fish
(names with spaces whole, a vault's notes for NOTE; skipped where the shell is missing)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from notelink.cli.main import main

from ..conftest import SAMPLE

ARGS = ["--dim", "16", "--epochs", "5", "--threads", "1", "--device", "cpu"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _commands_and_flags() -> list[tuple[str, list[str]]]:
    from notelink.cli.completions import _commands

    return [(name, [f[0] for f in flags]) for name, _, flags, _ in _commands()]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completions_name_every_command_and_flag(capsys, shell: str) -> None:
    code, script, _ = run(capsys, "completions", shell)
    assert code == 0
    for name, flags in _commands_and_flags():
        assert name in script
        for flag in flags:
            assert (f"-l {flag[2:]} " if shell == "fish" else flag) in script
    checker = {"bash": ["bash", "-n"], "zsh": ["zsh", "-n"], "fish": ["fish", "--no-execute"]}[shell]
    if shutil.which(checker[0]):
        done = subprocess.run([*checker, "-c", script] if shell != "bash" else [*checker],
                              input=script if shell == "bash" else None, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr


@pytest.mark.skipif(not shutil.which("bash"), reason="bash")
def test_bash_completes_commands_flags_choices_and_named_vaults(capsys, config, tmp_path: Path) -> None:
    config(f'[vaults]\nmyvault = "{SAMPLE}"\n')
    _, script, _ = run(capsys, "completions", "bash")
    notelink = tmp_path / "bin" / "notelink"  # the script asks `notelink config --vault-names`
    notelink.parent.mkdir()
    notelink.write_text("#!/bin/sh\necho myvault\n")
    notelink.chmod(0o755)

    def complete(*words: str) -> list[str]:
        return bash_completes(script, words, tmp_path, {"PATH": f"{notelink.parent}:/usr/bin:/bin"})

    assert "related" in complete("rel") and "myvault" in complete("my")
    assert complete("export", "x", "--link-s") == ["--link-style"]
    assert complete("export", "x", "--link-style", "") == ["auto", "wiki", "markdown"]
    assert "myvault" in complete("related", "")
    assert complete("completions", "") == ["bash", "zsh", "fish"]


def bash_completes(script: str, words: tuple[str, ...], cwd: Path, env: dict[str, str]) -> list[str]:
    """What bash's completion function offers for `notelink WORDS...`, each word as typed (escapes too; the
    last one is being completed), one candidate a line."""
    probe = (f'{script}\nCOMP_WORDS=(notelink {" ".join(map(shlex.quote, words))}); '
             f'COMP_CWORD={len(words)}; _notelink; printf "%s\\n" "${{COMPREPLY[@]}}"')
    done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, cwd=cwd, env=env)
    assert done.stderr == ""
    return [line for line in done.stdout.splitlines() if line]


@pytest.fixture
def completing(capsys, config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Vaults `my notes` and `work` (indexed) in the config file, folders `My Vault` and `other` where the
    shell runs, and a `notelink` command for the scripts to ask: (that folder, the environment)."""
    monkeypatch.delenv("NOTELINK_INDEX_DIR", raising=False)
    config(f'[vaults]\n"my notes" = "{SAMPLE}"\nwork = "{SAMPLE}"\n[index]\nindex_root = "{tmp_path}"\n')
    assert run(capsys, "index", "work", *ARGS)[0] == 0
    notelink = tmp_path / "bin" / "notelink"  # the scripts ask `notelink config --vault-names`, --note-names
    notelink.parent.mkdir()
    notelink.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m notelink "$@"\n')
    notelink.chmod(0o755)
    here = tmp_path / "here"
    (here / "My Vault").mkdir(parents=True)
    (here / "other").mkdir()
    return here, {**os.environ, "PATH": f"{notelink.parent}:{os.environ['PATH']}"}


@pytest.mark.skipif(not shutil.which("bash"), reason="bash")
def test_bash_keeps_names_with_spaces_whole_and_completes_a_vaults_notes(capsys, completing) -> None:
    _, script, _ = run(capsys, "completions", "bash")

    def complete(*words: str) -> list[str]:
        return sorted(bash_completes(script, words, *completing))

    assert complete("related", "M") == ["My Vault"]  # not `My` and `Vault`
    assert complete("related", "") == ["My Vault", "my notes", "other", "work"]
    assert complete("related", "My\\ V") == complete("related", '"My V') == ["My Vault"]  # as typed
    assert complete("related", "my\\ n") == ["my notes"]
    assert complete("related", "my\\ notes", "cooking/S") == ["cooking/Sourdough starter.md"]  # NOTE
    assert complete("related", "work", "Pi") == ["cooking/Pizza dough.md"]  # by its file name too
    assert len(complete("related", "work", "")) == 42  # every note of the index
    assert complete("related", "--top", "3", "work", "Pi") == complete("related", "--top", "=", "3", "work",
                                                                       "Pi") == ["cooking/Pizza dough.md"]
    assert complete("link", "work", "Kimchi", "Fer") == ["cooking/Fermentation.md"]  # TARGET
    assert complete("related", "work", "Kimchi", "") == complete("related", "--top", "") == []
    assert complete("related", "other", "") == []  # no index: no notes, and no error
    assert complete("--") == ["--help", "--version"]


@pytest.mark.skipif(not shutil.which("fish"), reason="fish")
def test_fish_completes_a_vaults_notes_after_the_vault(capsys, completing) -> None:
    _, script, _ = run(capsys, "completions", "fish")
    here, env = completing
    (here / "notelink.fish").write_text(script, encoding="utf-8")

    def complete(line: str) -> list[str]:
        done = subprocess.run(["fish", "--no-config", "-c", "source notelink.fish; complete -C $argv[1]",
                               line], capture_output=True, text=True, cwd=here, env=env)
        assert done.stderr == ""
        return sorted(c.split("\t")[0] for c in done.stdout.splitlines())

    assert complete("notelink related ") == ["My Vault/", "my notes", "other/", "work"]
    assert complete("notelink related my\\ notes cooking/S") == ["cooking/Sourdough starter.md"]
    assert complete("notelink link --mention 2 work Kimchi cooking/Fer") == ["cooking/Fermentation.md"]
    assert complete("notelink related work Kimchi ") == complete("notelink similar work ") == []


def _index_elsewhere(here: Path) -> Path:
    """A copy of `work`'s index in a folder with a space in its name, where the shell runs: the index an
    `--index-dir` names (the vault `other` has none of its own)."""
    built = next(here.parent.glob("*/CURRENT")).parent
    copy = here / "my index"
    shutil.copytree(built, copy)
    return copy


@pytest.mark.skipif(not shutil.which("bash"), reason="bash")
def test_bash_completes_notes_from_the_index_dir_given(capsys, completing) -> None:
    _, script, _ = run(capsys, "completions", "bash")
    here, env = completing
    copy = _index_elsewhere(here)

    def complete(*words: str, **extra: str) -> list[str]:
        return sorted(bash_completes(script, words, here, {**env, **extra}))

    pizza = ["cooking/Pizza dough.md"]
    assert complete("related", "other", "Pi") == []  # no index of its own
    assert complete("related", "--index-dir", "my\\ index", "other", "Pi") == pizza
    assert complete("related", "other", "--index-dir", "=", '"my index"', "Pi") == pizza
    fermentation = ["cooking/Fermentation.md"]
    assert complete("link", "other", "--index-dir", shlex.quote(str(copy)), "Kimchi", "Fer") == fermentation
    assert complete("related", "other", "Pi", NOTELINK_INDEX_DIR=str(copy)) == pizza


@pytest.mark.skipif(not shutil.which("fish"), reason="fish")
def test_fish_completes_notes_from_the_index_dir_given(capsys, completing) -> None:
    _, script, _ = run(capsys, "completions", "fish")
    here, env = completing
    copy = _index_elsewhere(here)
    (here / "notelink.fish").write_text(script, encoding="utf-8")

    def complete(line: str, **extra: str) -> list[str]:
        done = subprocess.run(["fish", "--no-config", "-c", "source notelink.fish; complete -C $argv[1]",
                               line], capture_output=True, text=True, cwd=here, env={**env, **extra})
        assert done.stderr == ""
        return sorted(c.split("\t")[0] for c in done.stdout.splitlines())

    pizza = ["cooking/Pizza dough.md"]
    assert complete("notelink related other Pi") == []
    assert complete("notelink related --index-dir my\\ index other Pi") == pizza
    assert complete("notelink related other --index-dir='my index' Pi") == pizza
    fermentation = ["cooking/Fermentation.md"]
    assert complete(f"notelink link other --index-dir '{copy}' Kimchi cooking/Fer") == fermentation
    assert complete("notelink related other Pi", NOTELINK_INDEX_DIR=str(copy)) == pizza


@pytest.mark.skipif(not shutil.which("zsh"), reason="zsh")
def test_zsh_asks_for_the_notes_of_the_index_dir_given(capsys, completing) -> None:
    """zsh's `_notelink_notes` as `_arguments` calls it (`line`, `opt_args` set), its `_multi_parts` stubbed
    to print the candidates."""
    _, script, _ = run(capsys, "completions", "zsh")
    here, env = completing
    _index_elsewhere(here)
    functions = script.rsplit("\n_notelink ", 1)[0]

    def complete(index_dir: str | None) -> list[str]:
        given = f"opt_args=([--index-dir]={shlex.quote(index_dir)}); " if index_dir is not None else ""
        probe = (f"{functions}\n_multi_parts() {{ print -l -- ${{(P)2}}; }}\n"
                 f"typeset -A opt_args; line=(other Pi); {given}_notelink_notes")
        done = subprocess.run(["zsh", "-f", "-c", probe], capture_output=True, text=True, cwd=here, env=env)
        assert done.stderr == ""
        return [line for line in done.stdout.splitlines() if line]

    assert complete(None) == []
    for typed in ("my\\\\ index", '"my index"'):  # (typed `my\ index`, zsh's opt_args hold `my\\ index`)
        assert "cooking/Pizza dough.md" in complete(typed)


def test_names_with_a_line_break_are_left_out_of_the_lists_the_scripts_read(capsys, config, make_vault,
                                                                            tmp_path: Path) -> None:
    """The scripts read one name a line: a note's path or a vault's name with a line break (possible on
    Linux) would come out as two names, neither of them one: it is left out, the others offered."""
    vault = make_vault({"line\nbreak.md": "# A\n\nalpha beta gamma\n", "cr\rname.md": "# C\n\nalpha beta\n",
                        "plain.md": "# B\n\nalpha beta delta\n"})
    config(f'[vaults]\n"two\\nlines" = "{vault}"\nok = "{vault}"\n')
    ix = str(tmp_path / "ix")
    assert run(capsys, "index", str(vault), "--index-dir", ix, *ARGS)[0] == 0
    assert run(capsys, "config", "--note-names", str(vault), "--index-dir", ix)[1] == "plain.md\n"
    assert run(capsys, "config", "--vault-names")[1] == "ok\n"

"""The core runs headless and starts fast: torch and textual load only where they are needed, at run time."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize("argv", [["--help"], ["related", "--help"], ["index", "--help"], ["relatd", "x"],
                                  ["related"]])
def test_help_and_argument_errors_import_no_numpy_scipy_or_torch(argv: list[str]) -> None:
    """`notelink --help` starts fast: the heavy libraries load only when a command runs (the package
    layers and who may import torch and textual are checked by `lint-imports`, pyproject.toml)."""
    code = ("import sys, contextlib, io\n"
            "from notelink.cli.main import main\n"
            "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()), "
            "contextlib.redirect_stderr(io.StringIO()):\n"
            f"    main({argv!r})\n"
            "bad = [m for m in ('numpy', 'scipy', 'torch', 'textual') if m in sys.modules]\n"
            "print(bad); sys.exit(bool(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_queries_do_not_import_torch_or_textual() -> None:
    code = ("import sys, notelink.cli.main, notelink.query.index, notelink.write.export, "
            "notelink.index.build; "
            "bad = [m for m in ('torch', 'textual') if m in sys.modules]; print(bad); sys.exit(bool(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_watcher_process_stays_small() -> None:
    # `notelink watch` builds in children of a fork server; the watcher itself needs neither the indexer
    # nor scipy, markdown-it or PyYAML (~20 MB): its idle memory counts toward the watcher's budget
    heavy = "('torch', 'scipy', 'markdown_it', 'yaml', 'notelink.index.build')"
    code = ("import sys, notelink.cli.main, notelink.watch.watcher; "
            f"bad = [m for m in {heavy} if m in sys.modules]; print(bad); sys.exit(bool(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr

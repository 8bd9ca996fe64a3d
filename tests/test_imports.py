"""The core runs headless and starts fast: torch and textual load only where they are needed, at run time."""

import json
import subprocess
import sys
from pathlib import Path

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


PARSER = ("yaml", "markdown_it", "notelink.notes.note", "notelink.notes.inline", "notelink.notes.block")
"""What reading and parsing notes needs, and no query does: 0.1-0.2 s of a query's start on a busy machine."""


def _imported_by(code: str) -> list[str]:
    """The heavy modules a fresh interpreter holds after running `code` (which ends by naming them)."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(out.stdout.splitlines()[-1])


HEAVY = ("scipy", "torch", "textual", *PARSER, "notelink.query.search", "notelink.query.health",
         "notelink.query.ranking", "urllib.request")
_NAMED = f"import json, sys; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"


def test_importing_the_api_loads_no_heavy_module() -> None:
    """`import notelink.api` was 1.2 s of every query on 10k notes: scipy, the search tables, the health
    report and the note parser were imported whatever the question. (sys.modules, not a clock: a busy
    machine cannot make it flaky.)"""
    assert _imported_by(f"import notelink.api; {_NAMED}") == []


@pytest.mark.parametrize(("argv", "allowed"), [
    (["related", "Sourdough starter"], {"scipy"}),  # (its scores are a sparse product)
    (["concepts", "Sourdough starter"], set()), (["similar", "flour"], set()),
    # mentions reads notes (their hash leaves notelink's block out) and ranks them by related's cosine:
    (["mentions", "Sourdough starter"], {"notelink.notes.block", "scipy"}), (["status"], set()),
    (["search", "flour"], {"scipy", "notelink.query.search", "notelink.notes.block"})])
def test_a_query_command_loads_only_what_it_uses(indexed: tuple[Path, Path], argv: list[str],
                                                 allowed: set[str]) -> None:
    vault, ix = indexed
    command = [argv[0], str(vault), *argv[1:], "--index-dir", str(ix), "--json"]
    code = ("import contextlib, io\nfrom notelink.cli.main import main\n"
            f"with contextlib.redirect_stdout(io.StringIO()):\n    assert main({command!r}) == 0\n{_NAMED}")
    assert set(_imported_by(code)) - allowed == set()

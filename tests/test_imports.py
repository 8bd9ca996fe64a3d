"""The core runs headless and starts fast: torch only in the training module, textual only in the TUI."""

import ast
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "notelink"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_tui_imports_textual_and_only_cbow_imports_torch() -> None:
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG).as_posix()
        found = _imports(path)
        if not rel.startswith("tui/"):
            assert "textual" not in found, rel
        if rel != "model/cbow.py":
            assert "torch" not in found, rel


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

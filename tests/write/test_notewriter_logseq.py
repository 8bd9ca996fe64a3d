"""The block in a Logseq graph (`tests/vaults/logseq`): written as a Logseq block into every page, still
current after Logseq saves every page, and undone to the pages as Logseq saves them."""

from __future__ import annotations

import shutil
from pathlib import Path

from notelink.config import ExportConfig
from notelink.index.build import build_index
from notelink.notes import outline
from notelink.query.index import Index
from notelink.write import linker, notewriter

from ..conftest import FAST, snapshot
from ..notes.logseq_save import resave

GRAPH = Path(__file__).resolve().parents[1] / "vaults" / "logseq"


def _graph(tmp_path: Path) -> Path:
    root = tmp_path / "graph"
    shutil.copytree(GRAPH, root)
    for path in root.rglob("*"):
        path.chmod(path.stat().st_mode | 0o200)
    return root


def _save_all(root: Path) -> None:
    """Logseq saving every page (an edit anywhere in a page makes it write the whole page)."""
    for path in root.rglob("*.md"):
        path.write_text(resave(path.read_text(encoding="utf-8")), encoding="utf-8")


def test_the_block_is_a_logseq_block_and_undo_gives_the_bytes_back(tmp_path: Path) -> None:
    root = _graph(tmp_path)
    before = snapshot(root)
    build_index(root, tmp_path / "ix", FAST)
    report = notewriter.apply(notewriter.plan_blocks(Index.open(tmp_path / "ix"), root, ExportConfig(top=3)))
    assert report.written and not report.refused
    for rel in report.written:
        text = (root / rel).read_text(encoding="utf-8")
        assert "<!--" not in text and outline.find(text) is not None
        assert "\n- Related notes\n  notelink:: related sha=" in "\n" + text
    assert not notewriter.apply(notewriter.plan_undo(root)).refused
    assert snapshot(root) == before


def test_logseq_saving_every_page_leaves_the_blocks_current_and_undoable(tmp_path: Path) -> None:
    root = _graph(tmp_path)
    pages = {p: p.read_text(encoding="utf-8") for p in root.rglob("*.md")}
    build_index(root, tmp_path / "ix", FAST)
    assert notewriter.apply(notewriter.plan_blocks(Index.open(tmp_path / "ix"), root, ExportConfig())).written
    _save_all(root)
    build_index(root, tmp_path / "ix", FAST)  # (Logseq's save changed the user's own lines: a new index)
    again = notewriter.plan_blocks(Index.open(tmp_path / "ix"), root, ExportConfig())
    assert not again.changes and not again.refused and again.current == len(pages)
    undone = notewriter.apply(notewriter.plan_undo(root))
    assert len(undone.written) == len(pages) and not undone.refused
    assert {p: p.read_text(encoding="utf-8") for p in pages} == {p: resave(t) for p, t in pages.items()}


def test_a_see_also_link_goes_above_the_block_even_after_a_logseq_save(tmp_path: Path) -> None:
    root = _graph(tmp_path)
    build_index(root, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    notewriter.apply(notewriter.plan_blocks(index, root, ExportConfig(top=2)))
    _save_all(root)
    text = (root / "pages" / "Compost.md").read_text(encoding="utf-8")
    edit = linker.append_link(index, index.find_note("Hobbies"), style="logseq")
    linked = edit(text)
    block = outline.find(linked)
    assert block is not None and not block.edited
    assert linked.index("- ## See also\n\t- [[Hobbies]]\n") < block.start
    assert linked[block.start :] == text[outline.find(text).start :]  # (the block's bytes unchanged)
    later = text + "\n- written in Logseq after the block"  # (then the block is no "see also" of the page)
    linked = edit(later)
    assert linked.endswith("- written in Logseq after the block\n- ## See also\n\t- [[Hobbies]]\n")
    assert not outline.find(linked).edited

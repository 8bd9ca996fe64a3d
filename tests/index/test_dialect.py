"""The dialect a build reads a vault in: named, the app's marker, else kept with the index once detected
from the links (notes of another dialect added later do not flip it; a full rebuild detects it again)."""

from __future__ import annotations

from pathlib import Path

from notelink.config import DialectConfig, IndexConfig
from notelink.index.build import build_index
from notelink.index.dialect import reading
from notelink.query.index import Index

from ..conftest import FAST

TOPICS = ("Bread", "Garden", "Stars", "Rivers", "Music", "Chess")
WORDS = "sourdough levain crumb oven compost soil seed orbit comet delta melody rhythm gambit pawn".split()


def _obsidian(make_vault) -> Path:  # type: ignore[no-untyped-def]
    """Six notes linking `[[target|alias]]`, no app's marker: detected obsidian from the links."""
    return make_vault({f"{t}.md": f"# {t}\n\n{' '.join(WORDS[i:] + WORDS[:i])}\n\nSee [[{TOPICS[i - 1]}|the "
                       f"{TOPICS[i - 1].lower()} note]].\n" for i, t in enumerate(TOPICS)})


def _add_dendron(vault: Path) -> None:
    """Twelve notes imported from a Dendron workspace: `[[alias|target]]`, hierarchical names."""
    for i in range(12):
        (vault / f"proj.item{i}.md").write_text(
            f"# Item {i}\n\nagenda budget roadmap sprint\n\n[[next|proj.item{(i + 1) % 12}]] "
            f"[[before|proj.item{(i - 1) % 12}]]\n", encoding="utf-8")


def _built(ix: Path) -> tuple[str, int]:
    """The index's dialect and how many of its links reach a note."""
    index = Index.open(ix)
    try:
        (resolved,) = index.db.execute("SELECT COUNT(*) FROM links WHERE dst IS NOT NULL").fetchone()
        return str(index.meta["index_config"]["dialect"]["name"]), int(resolved)
    finally:
        index.close()


def test_notes_of_another_dialect_added_do_not_flip_the_detected_one(make_vault, tmp_path: Path) -> None:
    """12 Dendron notes added to 6 Obsidian ones made the next build read the vault as Dendron: "full
    retrain: the dialect changed (obsidian → dendron)", and the old notes' 6 links dead ("the garden
    note"). The dialect detected is kept, and the build says the links now suggest another."""
    vault, ix = _obsidian(make_vault), tmp_path / "ix"
    build_index(vault, ix, FAST)
    assert _built(ix) == ("obsidian", 6)
    _add_dendron(vault)
    s = build_index(vault, ix, FAST)
    assert s.retrain_reason == "" or "dialect" not in s.retrain_reason
    assert _built(ix)[0] == "obsidian" and _built(ix)[1] >= 6  # the old notes' links still reach theirs
    assert any(w.startswith("the vault's links now look like dendron links, but the index keeps reading them "
                            "as obsidian links") for w in s.warnings)
    forced = build_index(vault, ix, FAST, force=True)  # a full rebuild detects it again, and says so
    assert _built(ix)[0] == "dendron" and forced.retrain_reason == "the dialect changed (obsidian → dendron)"
    assert not any("now look like" in w for w in forced.warnings)


def test_dialect_auto_detects_again_and_a_marker_decides(make_vault, tmp_path: Path) -> None:
    vault, ix = _obsidian(make_vault), tmp_path / "ix"
    build_index(vault, ix, FAST)
    _add_dendron(vault)
    assert reading(vault, ix, IndexConfig()).dialect == DialectConfig("obsidian")  # kept
    assert reading(vault, ix, IndexConfig(keep_dialect=False)).dialect.name == "dendron"  # `--dialect auto`
    assert reading(vault, ix, IndexConfig(), redetect=True).dialect.name == "dendron"  # `--force`
    assert reading(vault, ix, IndexConfig(dialect=DialectConfig("zk"))) == (DialectConfig("zk"), "")
    (vault / "dendron.yml").write_text("version: 5\n", encoding="utf-8")  # the app's own file: deliberate
    assert reading(vault, ix, IndexConfig()) == (DialectConfig("dendron"), "")


def test_a_build_reads_the_saved_choices_once_and_detects_the_dialect_once(make_vault, tmp_path: Path,
                                                                           monkeypatch) -> None:
    """A build asks the index's saved choices (exclude, dialects, training) in several places: the live
    generation's meta was opened for each (four times), and the kept dialect detected beside the links'
    (twice). Both now once."""
    from notelink.index import choices, dialect

    vault, ix = _obsidian(make_vault), tmp_path / "ix"
    build_index(vault, ix, FAST)
    reads, detects = [], []
    read, detect = choices.SavedChoices.read.__func__, dialect.detect  # type: ignore[attr-defined]
    monkeypatch.setattr(choices.SavedChoices, "read",
                        classmethod(lambda cls, index_dir: reads.append(index_dir) or read(cls, index_dir)))
    monkeypatch.setattr(dialect, "detect", lambda *a: detects.append(a) or detect(*a))
    build_index(vault, ix, FAST)
    assert len(reads) == 1 and len(detects) == 1

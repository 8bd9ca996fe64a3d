"""Empty notes (no text but their title): found, and every related pair with one is weak, in every face."""

import json
import shutil
from pathlib import Path

import pytest

import notelink
from notelink.cli.main import main
from notelink.cli.queries import EMPTY_CONCEPTS, EMPTY_RELATED, RARE_LEGEND
from notelink.index.build import build_index
from notelink.query.index import Index
from notelink.write.export import export_json

from ..conftest import FAST, SAMPLE

EMPTY = {"cooking/Fermentation.md": "---\ntitle: Fermentation\ntags: [cooking]\n---\n",
         "astronomy/Telescope mirrors.md": "# Telescope mirrors\n"}


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """sample_notes with two empty notes (front matter only; a title only) and a note of one word."""
    root = tmp_path_factory.mktemp("empty")
    vault, ix = root / "vault", root / "ix"
    shutil.copytree(SAMPLE, vault)
    for path, text in {**EMPTY, "Todo.md": "# Todo\n\nsourdough\n"}.items():
        (vault / path).write_text(text)
    build_index(vault, ix, FAST)
    return vault, ix


def test_empty_notes_are_found_and_each_of_their_pairs_is_weak(vault: tuple[Path, Path]) -> None:
    """An empty note's related notes scored as a note's with text (up to 0.39 on dendron-site), though
    three times fewer of them were linked: each is weak, and so is an empty note in another's list."""
    index = Index.open(vault[1])
    empty = {n.path for n in index.notes if n.id in index.empty}
    assert empty == set(EMPTY)
    fermentation = index.by_path["cooking/Fermentation.md"]
    hits = index.related(fermentation, 5)
    assert hits and all(h.weak for h in hits) and max(h.score for h in hits) > 0.05
    bread = index.related(index.by_path["cooking/Bread baking basics.md"], len(index.notes))
    listed = {h.path: h for h in bread}
    assert listed["cooking/Fermentation.md"].weak and not all(h.weak for h in bread)
    exported = {n["path"]: n for n in export_json(index)["notes"]}
    assert all(r["weak"] for r in exported["cooking/Fermentation.md"]["related"])


def test_the_faces_say_a_note_is_empty(vault: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    path, ix = (str(p) for p in vault)
    assert notelink.open(path, ix).empty("Fermentation") and not notelink.open(path, ix).empty("Todo")
    assert main(["related", path, "Fermentation", "--index-dir", ix, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["empty"] is True
    assert main(["related", path, "Fermentation", "--index-dir", ix]) == 0
    assert f"  ({EMPTY_RELATED})" in capsys.readouterr().out.splitlines()
    assert main(["concepts", path, "Telescope mirrors", "--index-dir", ix]) == 0
    assert f"  ({EMPTY_CONCEPTS})" in capsys.readouterr().out.splitlines()
    assert main(["concepts", path, "Kimchi", "--index-dir", ix, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["empty"] is False


def test_the_faces_mark_a_rare_concept(vault: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    """`concepts` (text and `--json`), the API and the app's panel say which concepts are rare."""
    from notelink.query.answers import Concept
    from notelink.tui.concepts import compact_prompt, scored_prompt

    path, ix = (str(p) for p in vault)
    concepts = notelink.open(path, ix).concepts("Kimchi", 10)
    rare = [c.word for c in concepts if c.rare]
    assert rare and len(rare) < len(concepts)
    assert main(["concepts", path, "Kimchi", "--index-dir", ix, "--json"]) == 0
    assert [c["word"] for c in json.loads(capsys.readouterr().out)["concepts"] if c["rare"]] == rare
    assert main(["concepts", path, "Kimchi", "--index-dir", ix]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in lines if line.endswith("[rare]")] == rare
    assert lines[-1] == f"  ({RARE_LEGEND})"
    for prompt in (scored_prompt, compact_prompt):
        assert prompt(Concept("thx", 0.3, True)).plain.endswith("thx rare")
        assert prompt(Concept("kimchi", 0.3)).plain.endswith(" kimchi")

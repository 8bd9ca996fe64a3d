"""Notes' tokens saved as word ids: read back exactly as from the database's text, and the text is read
instead when the arrays are missing or do not fit."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from notelink.config import IncrementalConfig
from notelink.index import previous as previous_mod
from notelink.index.build import build_index
from notelink.index.previous import load_records
from notelink.index.store import current_generation
from notelink.index.tokenstore import NAMES, load_paragraphs

from ..conftest import FAST

ROOT = Path(__file__).resolve().parents[2]
ODD = {
    "odd/Empty.md": "",
    "odd/Only front matter.md": "---\naliases: [Nothing here]\n---\n",
    "odd/Deutsch.md": "# Brot backen\n\nDer Teig muss über Nacht im Kühlschrank gehen, dann wird das Brot "
                      "viel besser und die Kruste knuspriger.\n",
    "odd/Mixed.md": "# Mixed\n\n- a list item\n- [[Home]]\n\n```\ncode block text\n```\n\n"
                    "| a | b |\n|---|---|\n| sourdough | 2022-05-31 |\n\n"
                    "See https://example.org/a-b_c and `inline code`.\n",
}


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    vault = tmp_path / "vault"
    shutil.copytree(ROOT / "sample_notes", vault)
    for rel, text in ODD.items():
        (vault / rel).parent.mkdir(parents=True, exist_ok=True)
        (vault / rel).write_text(text, encoding="utf-8")
    ix = tmp_path / "ix"
    build_index(vault, ix, FAST)
    return vault, ix


def _from_text(gen: Path) -> dict[str, list[list[str]]]:
    real = previous_mod._saved_paragraphs
    try:
        previous_mod._saved_paragraphs = lambda *a: None  # type: ignore[assignment]
        return {p: r.paragraphs for p, r in load_records(gen)[0].items()}
    finally:
        previous_mod._saved_paragraphs = real  # type: ignore[assignment]


def test_records_read_from_the_arrays_equal_those_read_from_the_text(built: tuple[Path, Path]) -> None:
    vault, ix = built
    gen = current_generation(ix)
    assert gen is not None and all((gen / f"{name}.npy").exists() for name in NAMES)
    from_arrays = load_records(gen)[0]
    assert {p: r.paragraphs for p, r in from_arrays.items()} == _from_text(gen)
    assert any(len(r.paragraphs) > 3 for r in from_arrays.values())
    (vault / "odd/Mixed.md").write_text("# Mixed\n\nnow about rye bread\n", encoding="utf-8")
    assert build_index(vault, ix, FAST, incremental=IncrementalConfig()).mode == "incremental"
    gen = current_generation(ix)
    assert gen is not None
    assert {p: r.paragraphs for p, r in load_records(gen)[0].items()} == _from_text(gen)  # (after an update)


@pytest.mark.parametrize("damage", ["missing", "short", "out of range"])
def test_arrays_that_do_not_fit_are_passed_over_for_the_text(built: tuple[Path, Path], damage: str) -> None:
    _, ix = built
    gen = current_generation(ix)
    assert gen is not None
    expected = _from_text(gen)
    if damage == "missing":
        (gen / "tokens_ids.npy").unlink()
    elif damage == "short":
        notes = np.load(gen / "tokens_notes.npy")
        np.save(gen / "tokens_notes.npy", notes[:-1])
    else:
        ids = np.load(gen / "tokens_ids.npy")
        ids[0] = 10**9
        np.save(gen / "tokens_ids.npy", ids)
    n = len(expected)
    assert load_paragraphs(gen, n) is None
    assert {p: r.paragraphs for p, r in load_records(gen)[0].items()} == expected


def test_empty_paragraphs_are_left_out_as_the_text_leaves_them_out(tmp_path: Path) -> None:
    from notelink.index.lexicon import encode_notes
    from notelink.index.tokenstore import token_arrays
    from notelink.notes.records import NoteRecord

    notes = [[["a", "b"], [], ["c"]], [[""], ["", ""], ["a"]], [], [[]]]
    records = [NoteRecord(f"n{i}.md", "t", "0", 0, 0.0, [], [], [], [], p) for i, p in enumerate(notes)]
    encoded = encode_notes(records, set(), 1)
    for name, (array, dtype) in token_arrays(records, encoded.words, encoded.lex).items():
        np.save(tmp_path / f"{name}.npy", np.asarray(array, dtype=dtype))
    as_text = [previous_mod._lines("\n".join(" ".join(p) for p in paragraphs)) for paragraphs in notes]
    assert as_text == [[["a", "b"], ["c"]], [["", ""], ["a"]], [], []]
    assert load_paragraphs(tmp_path, len(notes)) == as_text

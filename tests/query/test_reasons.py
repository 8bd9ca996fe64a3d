"""Why `related` and `concepts` are empty, said by the API, `--json` and the text output alike."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from notelink.api import Vault
from notelink.cli.main import main
from notelink.index.build import build_index
from notelink.query import reasons

from ..conftest import FAST, SAMPLE

WORDS = "bread flour water oven starter dough crumb crust " * 4


def asked(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert main([*argv, "--json"]) == 0
    return dict(json.loads(capsys.readouterr().out))


def test_a_vault_that_learned_no_words_says_so(capsys, make_vault, tmp_path: Path) -> None:
    vault = make_vault({"A.md": "# A\n\nshort one", "B.md": "# B\n\nanother short"})
    build_index(vault, tmp_path / "ix", dataclasses.replace(FAST, min_count=5))
    with Vault(vault, tmp_path / "ix") as v:
        assert v.related("A") == [] and "learned no words" in v.why_none("A")
        assert v.concepts("A") == [] and "learned no words" in v.why_none("A", "concepts")
    common = [str(vault), "A", "--index-dir", str(tmp_path / "ix")]
    assert "learned no words" in str(asked(capsys, "related", *common)["reason"])
    assert "learned no words" in str(asked(capsys, "concepts", *common)["reason"])
    assert main(["related", *common]) == 0
    assert "(no related notes: the index learned" in capsys.readouterr().out


def test_the_only_note_and_the_unlinked_ones_say_why(make_vault, tmp_path: Path) -> None:
    vault = make_vault({"only.md": f"# Only\n\n{WORDS}"})
    build_index(vault, tmp_path / "ix", FAST)
    with Vault(vault, tmp_path / "ix") as v:
        assert v.related("only") == [] and "the only note" in v.why_none("only")
    (vault / "only.md").unlink()  # (the same folder: make_vault has one)
    vault = make_vault({"a.md": f"# A\n\n{WORDS} [[b]]", "b.md": f"# B\n\nmore {WORDS}"})
    build_index(vault, tmp_path / "ix2", FAST)
    with Vault(vault, tmp_path / "ix2") as v:
        assert v.related("a", unlinked=True) == []
        assert "linked with it already" in v.why_none("a", unlinked=True)
        assert v.why_none("a") == ""  # not empty: no reason


def test_an_answer_with_results_has_an_empty_reason_as_similar_has(capsys, tmp_path: Path) -> None:
    """`related --json` and `concepts --json` had `reason` only when empty, `similar --json` always (""
    when not empty): a script read `data["reason"]` of one and failed on the other."""
    build_index(SAMPLE, tmp_path / "ix", FAST)
    common = [str(SAMPLE), "Kimchi", "--index-dir", str(tmp_path / "ix")]
    for command in ("related", "concepts"):
        answer = asked(capsys, command, *common)
        assert answer[command] and answer["reason"] == ""
    answer = asked(capsys, "similar", str(SAMPLE), "flour", "--index-dir", str(tmp_path / "ix"))
    assert answer["similar"] and answer["reason"] == ""


def test_every_short_reason_fits_a_side_panel_line() -> None:
    """The app's side panels cut a line at their width: a short reason is said whole there."""
    shorts = [r.short for r in vars(reasons).values() if isinstance(r, reasons.Reason)]
    assert len(shorts) >= 5 and all(0 < len(s) <= reasons.SHORT for s in shorts)


def test_a_search_says_the_numbers_it_left_out() -> None:
    """Numbers are `ignored` as stop words are, and said apart: search leaves them out."""
    assert reasons.no_words(["the"]).full == "no words to search for: the is a stop word, left out"
    said = "no words to search for: the is a stop word and 2022 is a number, left out"
    assert reasons.no_words(["2022", "the"]).full == f"{said} - {reasons.NUMBERS_WHY}"
    assert reasons.no_words(["2022"]).short == "no words to search for (numbers are left out)"
    said = reasons.search_notes([], numbers=reasons.numbers_of(["2022", "the"]))
    assert [r.full for r in said] == [f"left out: 2022 - {reasons.NUMBERS_WHY}"]


def test_an_unknown_word_is_said_with_the_close_words_the_vault_has() -> None:
    said = reasons.unknown_words(["fermentaton", "zzyzx"], {"fermentaton": ["fermentation", "ferment"]})
    assert said.full.startswith("not in any note's searched text: fermentaton (did you mean fermentation, "
                                "ferment?), zzyzx - search leaves out")
    assert said.short == "not in any note's text (code aside): fermentaton (fermentation?), zzyzx"

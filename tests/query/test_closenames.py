"""Close names: the same answers as difflib.get_close_matches, which compared every name with every word."""

from __future__ import annotations

import difflib
import random

import pytest

from notelink.query import closenames
from notelink.query.closenames import CloseNames


def _names(rng: random.Random, count: int) -> list[str]:
    letters = "aeioustrnl" + "bcdfg" + "éü文字 -/#"  # common, rarer, and characters beyond the alphabet
    return list(dict.fromkeys("".join(rng.choice(letters) for _ in range(rng.randrange(0, 14)))
                              for _ in range(count)))


@pytest.mark.parametrize("alphabet", [0, 4, 48])  # nothing counted; a few characters; all of them
@pytest.mark.parametrize("cutoff", [0.0, 0.6, 0.75, 1.0])
def test_close_names_are_difflibs(monkeypatch: pytest.MonkeyPatch, alphabet: int, cutoff: float) -> None:
    monkeypatch.setattr(closenames, "ALPHABET", alphabet)
    rng = random.Random(alphabet * 10 + int(cutoff * 4))
    names = _names(rng, 400)
    known = CloseNames(names)
    for word in [*_names(rng, 150), "", names[3], names[7] + "x"]:
        assert known.matches(word, 3, cutoff) == difflib.get_close_matches(word, names, 3, cutoff), word


def test_names_that_cannot_be_close_are_not_compared(monkeypatch: pytest.MonkeyPatch) -> None:
    """difflib sees only the names that share enough characters with the word (it compared all 4,600
    names of obsidian-help with each of 1,037 dead links: 8 s)."""
    seen: list[list[str]] = []
    match = difflib.get_close_matches
    monkeypatch.setattr(difflib, "get_close_matches",
                        lambda word, names, *a: seen.append(list(names)) or match(word, names, *a))
    known = CloseNames(["Sourdough starter", "Compost", "Telescope", "Sourdough"])
    assert known.matches("Sourdough starer", 3, 0.75) == ["Sourdough starter"]
    assert seen == [["Sourdough starter"]]  # ("Sourdough" shares 9 of 25 characters: 0.72)


def test_names_with_undecodable_bytes_are_counted_too() -> None:
    """A file name that is not valid UTF-8 holds surrogates (surrogateescape): counted as characters."""
    names = ["caf\udce9 notes", "cafe notes", "compost"]
    expected = difflib.get_close_matches("cafe note", names, 3, 0.6)
    assert CloseNames(names).matches("cafe note", 3, 0.6) == expected and len(expected) == 2

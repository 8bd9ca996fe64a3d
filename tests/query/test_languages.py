"""The languages a vault's words are used in, and what search brings into a query in a vault of several."""

import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from notelink.config import SearchConfig
from notelink.index.build import build_index
from notelink.query.expansion import Expanded
from notelink.query.index import Index
from notelink.query.languages import WordLanguages
from notelink.query.search import Searcher

from ..conftest import FAST

EN = ("the alert fired when latency rose and the outage hit every server so we checked the dashboard "
      "panel and the metrics").split()
DE = ("der Alarm kam als die Verzögerung stieg und der Ausfall traf jeden Rechner also prüften wir die "
      "Übersicht und die Messwerte").split()


@pytest.fixture(scope="module")
def two_languages(tmp_path_factory: pytest.TempPathFactory) -> Index:
    """Incident notes in English and German naming `grafana` or `prometheus`, in every German paragraph and
    in two of three English ones: paragraphs of the same words shuffled."""
    root = tmp_path_factory.mktemp("languages")
    (root / "v").mkdir()
    rng = random.Random(1)

    def paragraphs(words: list[str], skip: int) -> str:
        name = rng.choice(["grafana", "prometheus"])
        out = []
        for k in range(3):
            w = rng.sample(words, len(words))
            if k >= skip:
                w.insert(rng.randrange(len(w)), name)
            out.append(" ".join(w) + ".")
        return " ".join(out)
    for i in range(8):
        (root / "v" / f"incident {i}.md").write_text(f"# Incident {i}\n\n{paragraphs(EN, 1)}\n")
        (root / "v" / f"störung {i}.md").write_text(f"# Störung {i}\n\n{paragraphs(DE, 0)}\n")
    build_index(root / "v", root / "ix", FAST)
    return Index.open(root / "ix")


def _expand(s: Searcher, words: str, lang: str | None = None) -> Expanded:
    """The expansion of a query of these words (each once, at one weight)."""
    ids = np.array([s.index.word_index[w] for w in words.split()])
    return s.expansion.expand(ids, np.full(ids.size, 1 / np.sqrt(ids.size)), ids, lang)


def _foreign(s: Searcher, got: Expanded, language: str) -> tuple[list[str], list[str]]:
    """The words brought in that are not used in their query word's language (neighbours), and those not
    used in the query's `language` (predicted)."""
    table = s.index.word_languages
    assert table is not None
    return ([s.words[e] for e, w in got.source.items() if not table.used_in(table.of(w))[e]],
            [s.words[p] for p in got.predicted if not table.used_in(language)[p]])


def _searcher(index: Index, blind: bool = False) -> Searcher:
    """A searcher of the index (its own expansion: neighbours are kept once found); `blind`: to languages,
    as search was before it knew them."""
    s = Searcher(index, replace(SearchConfig(), predict_k=5))
    if blind:
        s.expansion.__dict__["_languages"] = None
    return s


def test_a_query_brings_in_only_words_of_its_language(two_languages: Index) -> None:
    """A German query (its words say so, or its stop words too) brought in English words as its German
    words' neighbours and as predicted; now only words used in German notes (names used in both too)."""
    assert two_languages.layout.languages == 2
    s = _searcher(two_languages, blind=True)
    before = _expand(s, "alarm ausfall rechner")
    assert all(_foreign(s, before, "de"))  # (`metrics` <- alarm, `latency` <- rechner; `checked` predicted)
    s = _searcher(two_languages)
    for lang in (None, "de"):
        got = _expand(s, "alarm ausfall rechner", lang)
        assert len(got.source) >= 5 and _foreign(s, got, "de") == ([], [])
    similar = two_languages.similar_words("alarm")  # (the same table: `similar` lists German words too)
    assert similar.language == "de" and similar.similar
    assert all(s.index.word_languages.used_in("de")[s.index.word_index[n.word]] for n in similar.similar)


def test_in_a_vault_of_one_language_nothing_changes(tmp_path: Path) -> None:
    """In a vault of English notes, the same words at the same weights as blind to languages, and as
    with a table of its one language."""
    (tmp_path / "v").mkdir()
    rng = random.Random(2)
    for i in range(12):
        text = " ".join(" ".join(rng.sample(EN, len(EN))) + "." for _ in range(3))
        (tmp_path / "v" / f"incident {i}.md").write_text(f"# Incident {i}\n\n{text}\n")
    build_index(tmp_path / "v", tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    assert index.word_languages is None
    table = WordLanguages.count(index.db, index.word_index)
    assert table.names == ["en"]
    predicted = set()
    queries = ("alert latency server", "outage dashboard", "metrics panel checked every", "fired rose hit")
    for query in queries:
        want = _expand(_searcher(index, blind=True), query)
        predicted |= want.predicted
        counted = _searcher(index)
        counted.expansion.__dict__["_languages"] = table
        for got in (_expand(_searcher(index), query), _expand(counted, query)):
            assert got.ids.tolist() == want.ids.tolist() and got.source == want.source
            assert got.predicted == want.predicted
            np.testing.assert_array_equal(got.weights, want.weights)
    assert predicted  # (words were predicted: the rule had words to leave out)
    index.close()


def test_a_words_language_is_where_most_of_its_uses_are_and_a_querys_where_its_words_are() -> None:
    table = WordLanguages(["de", "en"], np.array([[0.9, 0.1], [0.3, 0.7], [0.0, 1.0], [0.2, 0.8]]))
    assert [table.of(i) for i in range(4)] == ["de", "en", "en", "en"]
    assert table.used_in("de").tolist() == [True, True, False, False]
    assert table.of_words(np.array([0, 1])) == "de"  # 1.2 against 0.8: a name used in both weighs little
    assert table.of_words(np.array([0, 2, 2])) == "en"  # repeats count
    assert table.family_of("de") == "de" and table.family_of("fr") is None and table.family_of(None) is None

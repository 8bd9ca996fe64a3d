"""Known-answer tests for finding notes' titles and aliases in other notes' text."""

from notelink.mentions import count_mentions, recount_mentions, title_phrases
from notelink.tokenizer import tokenize


def test_phrases_are_found_on_token_sequences() -> None:
    names = [["Sourdough starter", "Levain"], ["Bread"], ["Notes on bread"]]
    phrases = title_phrases(names, tokenize)
    docs = [["bread", "bread"], ["feed", "sourdough", "starter", "levain", "daily"], ["sourdough", "bread"]]
    src, dst, count = count_mentions(docs, phrases)
    found = {(int(a), int(b)): float(c) for a, b, c in zip(src, dst, count, strict=True)}
    # note 0 mentions note 1 ("bread") twice; its own title is not counted; "notes on bread" -> notes, bread
    assert found == {(0, 1): 2.0, (1, 0): 2.0, (2, 1): 1.0}


def test_no_mentions() -> None:
    src, dst, count = count_mentions([["a"]], title_phrases([["Zebra"]], tokenize))
    assert src.size == dst.size == count.size == 0


def test_recounting_changed_notes_equals_counting_all() -> None:
    phrases = title_phrases([["Bread"], ["Oven"], ["Flour"]], tokenize)
    before = [["bread", "oven"], ["flour", "flour"], ["oven"]]
    after = [["bread", "oven"], ["bread"], ["oven", "bread", "flour"]]
    recounted = recount_mentions(count_mentions(before, phrases), after, phrases, [1, 2])
    for got, want in zip(recounted, count_mentions(after, phrases), strict=True):
        assert got.tolist() == want.tolist()

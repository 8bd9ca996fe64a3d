"""A query's terms: unknown words said as the query has them (a Chinese or Japanese run, not its bigrams)."""

from notelink.query.terms import _as_typed


def test_a_run_none_of_whose_bigrams_is_found_is_said_as_typed() -> None:
    assert _as_typed(["日本", "本語"], "日本語") == ["日本語"]
    assert _as_typed(["zzq", "日本", "本語"], "zzq 日本語 日本語") == ["zzq", "日本語"]


def test_a_bigram_between_two_found_ones_is_no_word_typed() -> None:
    """`音階練習` (scale practice): `音階` and `練習` found, `階練` was said to be in no note."""
    assert _as_typed(["階練"], "音階練習") == []
    assert _as_typed(["本語"], "日本語") == ["本語"]  # (at the run's end: it may be a word)


def test_other_words_are_said_as_they_are() -> None:
    assert _as_typed(["ok", "ko", "タワー"], "ok-ko 東京タワー") == ["ok", "ko", "タワー"]

"""Query parsing: words, "phrases", #tags and path: filters, as a search box reads them."""

from notelink.query.syntax import Query, parse_query, plain


def test_words_phrases_tags_and_paths_are_told_apart() -> None:
    q = parse_query('k8s rollout "blue green" #ops path:projects/')
    assert q == Query("k8s rollout blue green", ["blue green"], ["ops"], ["projects/"])
    assert q.filtered


def test_quoted_paths_tag_prefix_and_case() -> None:
    q = parse_query('path:"Work Notes" tag:#Ops/OnCall tag:home SYNC')
    assert q.paths == ["work notes"] and q.tags == ["ops/oncall", "home"] and q.text == "SYNC"


def test_what_is_not_an_operator_stays_a_word() -> None:
    # a '#' inside a word, a number, a quote left open and an empty phrase are ordinary text
    for text in ('C# notes #2024 "unclosed phrase', 'an "" empty phrase'):
        q = parse_query(text)
        assert q == Query(text)
        assert not q.filtered


def test_only_filters_leaves_no_words() -> None:
    q = parse_query("#reading path:books")
    assert q.text == "" and q.tags == ["reading"] and q.paths == ["books"]


def test_a_draft_is_taken_as_it_is() -> None:
    draft = 'I said "hello" on #slack, see path:x'
    assert plain(draft) == Query(draft)


def test_a_filter_still_being_typed_filters_nothing_and_is_no_word() -> None:
    assert parse_query("telescope path:") == Query("telescope")
    assert parse_query("tag: kimchi tag:#") == Query("kimchi")
    assert parse_query('path:"" comet') == Query("comet")
    assert parse_query("footpath: walks") == Query("footpath: walks")  # (inside a word: no filter)


def test_a_minus_word_is_a_word_to_leave_out_not_one_to_search_for() -> None:
    """`-mobile` was searched for as `mobile`; a minus inside a word, or a phrase, is no operator."""
    q = parse_query('sync -Mobile -two-factor well-known "a -b" - x')
    assert q == Query("sync well-known a -b - x", ["a -b"], without=["mobile", "two-factor"])
    assert q.filtered and parse_query("-draft").text == ""

"""Front matter read directly: known answers for the split, the YAML, the list fields and the alias guard."""

from notelink.notes.frontmatter import FRONT_MATTER_VALUES, as_list, load_front_matter, split_front_matter


def test_split_takes_the_yaml_between_the_first_two_fences() -> None:
    assert split_front_matter("---\na: 1\n---\nbody\n---\nmore") == ("a: 1\n", "body\n---\nmore")
    assert split_front_matter("---\na: 1\n...\nbody") == ("a: 1\n", "body")


def test_split_leaves_text_without_an_opening_fence_whole() -> None:
    for text in ("body", "--- a title\nx\n---\n", "---", "---\nno close"):
        assert split_front_matter(text) == ("", text)


def test_dates_stay_as_written_even_when_impossible() -> None:
    data, warning = load_front_matter("date: 2026-02-30\nwhen: 2026-01-02\n")
    assert data == {"date": "2026-02-30", "when": "2026-01-02"} and warning == ""


def test_invalid_yaml_says_which_line_of_the_note() -> None:
    data, warning = load_front_matter("title: ok\nbad: [unclosed\n")
    assert data == {} and "not valid YAML" in warning and "(line " in warning


def test_a_list_or_scalar_is_no_mapping() -> None:
    assert load_front_matter("- a\n- b\n") == ({}, "front matter is not a key: value mapping; body indexed "
                                                   "without it")
    assert load_front_matter("   \n") == ({}, "")


def test_aliases_that_expand_past_the_limit_are_dropped() -> None:
    levels = ['l0: &l0 ["x","x","x","x","x","x","x","x","x","x"]']
    levels += [f"l{i}: &l{i} [{','.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 5)]  # 10^5 values
    data, warning = load_front_matter("\n".join(levels) + "\n")
    assert data == {} and "expands to over" in warning and f"{FRONT_MATTER_VALUES:,}" in warning


def test_as_list_reads_lists_and_comma_or_line_separated_text() -> None:
    assert as_list(["a", " b ", 3, None, {"x": 1}, ""]) == ["a", "b", "3"]
    assert as_list("a, b\nc") == ["a", "b", "c"]
    assert as_list({"a": 1}) == [] and as_list(None) == []

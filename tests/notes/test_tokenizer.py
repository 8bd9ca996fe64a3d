"""Known-answer tests for tokenizing."""

import pytest

from notelink.notes.tokenizer import STOPWORDS, is_number, tokenize


def test_lowercase_numbers_and_stopwords_dropped() -> None:
    assert tokenize("The Quick brown fox jumped 42 times in 2024") == ["quick", "brown", "fox", "jumped",
                                                                       "times"]


def test_keep_stopwords() -> None:
    assert tokenize("The fox and the hen", keep_stopwords=True) == ["the", "fox", "and", "the", "hen"]


def test_accented_latin_cyrillic_greek_arabic() -> None:
    assert tokenize("Café crème brûlée") == ["café", "crème", "brûlée"]
    assert tokenize("Привет мир") == ["привет", "мир"]
    assert tokenize("Ελληνικά κείμενα") == ["ελληνικά", "κείμενα"]
    assert tokenize("مرحبا بالعالم") == ["مرحبا", "بالعالم"]


def test_indic_vowel_signs_stay_inside_words() -> None:
    assert tokenize("বাংলা ভাষা") == ["বাংলা", "ভাষা"]
    assert tokenize("हिन्दी भाषा") == ["हिन्दी", "भाषा"]


def test_cjk_becomes_bigrams_not_one_token() -> None:
    assert tokenize("日本語です") == ["日本", "本語", "語で", "です"]
    assert tokenize("中文") == ["中文"]
    assert tokenize("Obsidian的笔记") == ["obsidian", "的笔", "笔记"]


def test_korean_uses_spaces() -> None:
    assert tokenize("한국어 문서") == ["한국어", "문서"]


def test_possessive_apostrophes_and_underscores() -> None:
    assert tokenize("Obsidian's vault_name don't") == ["obsidian", "vault_name"]
    assert tokenize("it’s Ada’s") == ["ada"]


def test_mixed_alphanumerics_kept_single_letters_dropped() -> None:
    assert tokenize("mp3 h264 x y 3d") == ["mp3", "h264", "3d"]


def test_stopwords_are_lowercase() -> None:
    assert all(w == w.lower() for w in STOPWORDS)


def test_remembered_words_keep_each_stop_word_mode_apart() -> None:
    # a word's tokens are remembered per mode: the second call of each mode must not see the other's
    for _ in range(2):
        assert tokenize("The theory of the thing") == ["theory", "thing"]
        kept = tokenize("The theory of the thing", keep_stopwords=True)
        assert kept == ["the", "theory", "of", "the", "thing"]


def test_a_scripts_own_full_stop_ends_the_word() -> None:
    assert tokenize("यह एक परीक्षण है। नमस्ते", keep_stopwords=True) == ["यह", "एक", "परीक्षण", "है", "नमस्ते"]
    assert tokenize("আমি বলি। করুন॥", keep_stopwords=True) == ["আমি", "বলি", "করুন"]  # danda, double danda
    assert "។" not in "".join(tokenize("សួស្តី។ សួស្តី", keep_stopwords=True))  # Khmer khan


def test_no_space_bigrams_are_of_whole_characters() -> None:
    # a Khmer character is a consonant with its vowel signs and the consonant stacked under it (coeng)
    assert tokenize("ខ្ញុំស្រឡាញ់", keep_stopwords=True) == ["ខ្ញុំស្រ", "ស្រឡា", "ឡាញ់"]
    assert tokenize("東京中央") == ["東京", "京中", "中央"]  # no marks: code points


def test_myanmar_and_thai_bigrams_keep_vowel_signs_with_their_letters() -> None:
    assert tokenize("မြန်မာစာ။ နောက်", keep_stopwords=True) == ["မြန်", "န်မာ", "မာစာ", "နောက်"]
    # Thai vowels written after (า) or before (ไ) their consonant stay with it: ภา ษา ไท ย
    assert tokenize("ภาษาไทย", keep_stopwords=True) == ["ภาษา", "ษาไท", "ไทย"]
    assert tokenize("ที่นี่", keep_stopwords=True) == ["ที่นี่"]  # two letters, each with its marks


def test_katakana_words_stay_whole() -> None:
    assert tokenize("東京タワーのサイト") == ["東京", "タワー", "の", "サイト"]
    assert tokenize("東京タワー") == ["東京", "タワー"]
    assert tokenize("サイトを見る") == ["サイト", "を見", "見る"]
    assert tokenize("すごーい", keep_stopwords=True) == ["すご", "ごー", "ーい"]  # ー after hiragana: kana


def test_nfkc_ligatures_and_full_width() -> None:
    assert tokenize("veriﬁcation ＦＵＬＬ ｗｉｄｔｈ") == ["verification", "full", "width"]


@pytest.mark.parametrize(("text", "kept"), [
    ("ev8p1l5p0izdgjas a08a34a 07736d97 650a1b2c funnym0nk3y bfvlb8by4nlb 43b02a h1toh2", []),  # ids
    ("3k 10k 300px 2rem 5min 100ms 30am 2nd 15th 3º 2e 8b 4k 50mb", []),  # quantities, ordinals
    ("mp3 h264 3d 2fa 11ty k8s i18n base64 x86 v2 python3 covid19 iso27001 deadbeef",
     ["mp3", "h264", "3d", "2fa", "11ty", "k8s", "i18n", "base64", "x86", "v2", "python3", "covid19",
      "iso27001", "deadbeef"]),
])
def test_ids_hashes_and_quantities_are_no_words(text: str, kept: list[str]) -> None:
    assert tokenize(text) == kept


def test_handles_are_no_words() -> None:
    assert tokenize("bug catchers: @Oli916#5867 @ric03uec#5826, mail bob@example.com") == [
        "bug", "catchers", "mail", "bob", "example", "com"]


def test_bigrams_inside_words_are_fragments() -> None:
    from notelink.notes.tokenizer import is_fragment

    assert is_fragment("ษาไท") and is_fragment("語で") and is_fragment("ខ្ញុំស្រ")
    assert not is_fragment("東京") and not is_fragment("サイト") and not is_fragment("bread")


def test_numbers_mode_keeps_what_file_names_are_made_of_and_the_default_drops_it() -> None:
    text = "reading-series.2022.05.31, zettel 202101011200, 300px and ev8p1l5p0izdgjas, mp3"
    assert tokenize(text, numbers=True) == ["reading", "series", "2022", "05", "31", "zettel", "202101011200",
                                            "300px", "ev8p1l5p0izdgjas", "mp3"]
    assert tokenize(text) == ["reading", "series", "zettel", "mp3"]
    assert tokenize("chapter 5", numbers=True) == ["chapter", "5"]  # one digit: still a number
    assert [is_number(t) for t in ("2022", "300px", "mp3", "v2", "word")] == [True, True, False, False, False]


def test_a_version_is_one_number() -> None:
    """A new user's sweep: `v0.14.2` gave the word `v0` (a concept, a search word)."""
    assert tokenize("Release v0.14.2 fixes sync; Python 3.11 and 192.168.1.1 too") == [
        "release", "fixes", "sync", "python"]
    assert tokenize("see v0.14.2, or V1.2", numbers=True) == ["see", "v0.14.2", "v1.2"]
    assert is_number("v0.14.2") and is_number("3.11") and not is_number("v2")
    assert tokenize("api v2 and v2.0-beta") == ["api", "v2", "beta"]  # (no dots: a word, as `mp3` is)


def test_scripts_written_without_spaces() -> None:
    from notelink.notes.tokenizer import without_spaces

    assert [without_spaces(c) for c in "链かカไ a한,"] == [True, True, True, True, False, False, False, False]

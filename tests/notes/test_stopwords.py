"""Known-answer tests for each note's language and its stop words."""

import pytest

from notelink.config import IndexConfig
from notelink.notes.records import record_from_raw
from notelink.notes.stopwords import (
    ENGLISH,
    LISTS,
    language_of,
    main_languages,
    several_languages,
    without_stopwords,
)
from notelink.notes.tokenizer import tokenize
from notelink.notes.vault import RawNote


def _lang(text: str) -> str:
    return language_of([tokenize(text, keep_stopwords=True)])


def test_language_is_the_one_whose_stop_words_the_note_uses_most() -> None:
    assert _lang("The telescope is on the roof and it is cold") == "en"
    assert _lang("Das Teleskop steht auf dem Dach und es ist kalt") == "de"
    assert _lang("Le télescope est sur le toit et il fait froid") == "fr"
    assert _lang("El telescopio está en el tejado y hace frío") == "es"
    assert _lang("Teleskopet står på taket och det är kallt") == "sv"


def test_a_short_english_note_with_a_few_foreign_looking_words_stays_english() -> None:
    assert _lang("Civil War\n\nReading list on the war: war diaries, war photographs") == ENGLISH  # de "war"
    assert _lang("Men's shoes: mine are worn out at the end") == ENGLISH  # da "men", "mine"


def test_too_few_stop_words_keep_english() -> None:
    assert _lang("Canvas") == ENGLISH  # none at all
    names = " ".join(f"Plugin{i} Vault{i} Canvas{i}" for i in range(25))  # 75 names, 2 chance Italian hits
    assert _lang(f"ai di {names}") == ENGLISH
    assert _lang("东京タワーに行った obsidian") == ENGLISH  # no-space scripts have no list


def test_only_the_notes_language_loses_its_stop_words() -> None:
    # "die" and "war" are German function words but English content words
    assert without_stopwords([["the", "war", "and", "die", "hard"]], "en") == [["war", "die", "hard"]]
    assert without_stopwords([["die", "katze", "war", "und", "the"]], "de") == [["katze", "the"]]


def test_elided_articles_are_split_off_in_french() -> None:
    tokens = tokenize("L'application et l'interface d'une note", keep_stopwords=True)
    assert without_stopwords([tokens], "fr") == [["application", "interface", "note"]]
    assert without_stopwords([["o'neil"]], "en") == [["o'neil"]]  # English words keep their apostrophes
    assert without_stopwords([["jusqu'à", "n'y", "l'arbre"]], "fr") == [["arbre"]]  # "à", "y": gone
    assert without_stopwords([["c'è", "quest'anno", "dell'arte"]], "it") == [["anno", "arte"]]


def test_every_list_is_lowercase_words_the_tokenizer_can_produce() -> None:
    for words in (w for lang, w in LISTS.items() if lang != ENGLISH):  # English has "it's": never a token
        assert all(w == w.lower() and tokenize(w, keep_stopwords=True) == [w] for w in words if len(w) > 1)


def test_a_german_note_is_tokenized_without_german_stop_words() -> None:
    text = "# Sauerteig\n\nDer Sauerteig ist eine Mischung aus Mehl und Wasser, die man füttern muss.\n"
    raw = RawNote("Sauerteig.md", text, "h", len(text), 0.0)
    record = record_from_raw(raw, IndexConfig())
    assert record.lang == "de"
    assert record.tokens == ["sauerteig", "sauerteig", "mischung", "mehl", "wasser", "füttern"]
    kept = record_from_raw(raw, IndexConfig(keep_stopwords=True))
    assert kept.lang == "" and "und" in kept.tokens


def test_a_long_paragraph_in_another_language_loses_that_languages_stop_words() -> None:
    english = ("A weekend on the plateau with the telescope. The sky was dark all night, and the Milky Way "
               "rose over the fields; we ended lying on a blanket counting the meteors of the Perseids.")
    french = ("Nous sommes arrivés au plateau vers vingt heures, juste après le coucher du soleil. Le ciel "
              "était d'une transparence incroyable et la galaxie d'Andromède remplissait le champ.")
    text = f"# Nuit à Valensole\n\n{english}\n\n{french}\n\nLe ciel.\n"
    record = record_from_raw(RawNote("n.md", text, "h", len(text), 0.0), IndexConfig())
    assert record.lang == "en"
    assert "the" not in record.paragraphs[1] and "plateau" in record.paragraphs[1]
    assert {"andromède", "transparence", "galaxie", "plateau"} <= set(record.paragraphs[2])
    assert not {"nous", "le", "la", "du", "et", "de", "une"} & set(record.paragraphs[2])  # French ones gone
    assert record.paragraphs[3] == ["le", "ciel"]  # too short to be told apart: the note's language


def test_kindred_languages_do_not_switch_a_paragraph() -> None:
    from notelink.notes.stopwords import paragraph_languages

    danish = tokenize("Hvis du er på standardabonnementet skal du også slette din fjernboks før du "
                      "fortsætter med at synkronisere dine noter til den nye region", keep_stopwords=True)
    english = tokenize("The acts of the mind wherein it exerts its power over simple ideas are chiefly these "
                       "three", keep_stopwords=True)
    assert paragraph_languages([danish, english, ["kort"]], "da") == ["da", "en", "da"]


def test_japanese_loses_its_hiragana_grammar_and_korean_its_function_words() -> None:
    ja = "サイトの説明を設定してください。画像を参照してください。"
    record = record_from_raw(RawNote("ja.md", ja, "h", len(ja), 0.0), IndexConfig())
    assert record.lang == "ja"
    assert {"説明", "設定", "画像", "参照"} <= set(record.tokens)
    assert not {"して", "くだ", "ださ", "さい"} & set(record.tokens)
    ko = "사이트 설명을 설정할 수 있어요. 또한 이미지를 참고하세요. 공유 링크가 있어요."
    record = record_from_raw(RawNote("ko.md", ko, "h", len(ko), 0.0), IndexConfig())
    assert record.lang == "ko" and "이미지를" in record.tokens
    assert not {"있어요", "또한", "참고하세요"} & set(record.tokens)


def test_a_paragraph_and_a_note_get_the_same_language_on_ties() -> None:
    from notelink.notes.stopwords import paragraph_languages

    # words that are stop words in Spanish and in Portuguese alike ("de", "se", "que", "para", "no", "o"...)
    tokens = tokenize("O sistema de arquivos se organiza para que o usuário no encontre nada "
                      "de errado se for para o servidor que", keep_stopwords=True)
    assert paragraph_languages([tokens], "en") == [language_of([tokens])]


@pytest.mark.parametrize(("lang", "text", "left"), [
    ("el", "Για να δημιουργήσετε μια νέα σημείωση, κάντε κλικ στο κουμπί και το αρχείο θα ανοίξει",
     ["δημιουργήσετε", "νέα", "σημείωση", "κάντε", "κλικ", "κουμπί", "αρχείο", "ανοίξει"]),
    ("vi", "Bạn có thể tạo các ghi chú và liên kết chúng với nhau trong kho của bạn",
     ["tạo", "ghi", "chú", "liên", "kết", "nhau", "kho"]),
    ("bn", "আপনি একটি নতুন নোট তৈরি করতে পারেন এবং এটি আপনার ভল্টে সংরক্ষণ করুন",
     ["নতুন", "নোট", "তৈরি", "ভল্টে", "সংরক্ষণ"]),
    ("uk", "Ви можете створити нову нотатку, і вона буде збережена у вашому сховищі, якщо це потрібно",
     ["ви", "можете", "створити", "нову", "нотатку", "буде", "збережена", "вашому", "сховищі", "потрібно"]),
])
def test_languages_that_had_no_list(lang: str, text: str, left: list[str]) -> None:
    tokens = tokenize(text, keep_stopwords=True)
    assert language_of([tokens]) == lang
    assert without_stopwords([tokens], lang)[0] == left


def test_bengali_stop_words_match_however_the_nukta_is_written() -> None:
    composed, decomposed = "হয়", "হয\u09bc"  # U+09DF or U+09AF U+09BC: one word
    assert without_stopwords([tokenize(composed, keep_stopwords=True)], "bn") == [[]]
    assert without_stopwords([tokenize(decomposed, keep_stopwords=True)], "bn") == [[]]


def test_a_note_in_a_script_without_stop_words_has_that_scripts_language() -> None:
    """Chinese, Thai and Khmer notes were counted as English (no stop words to tell them by), and a Chinese
    word's similar words then included Thai ones."""
    for text, lang in (("同步您的笔记到所有设备，使用同步服务。", "zh"), ("ซิงค์โน้ตของคุณในทุกอุปกรณ์", "th"),
                       ("ធ្វើសមកាលកម្មកំណត់ចំណាំរបស់អ្នក", "km"), ("Obsidian 同步 Obsidian Sync notes", "en"),
                       ("同期するには設定を開いてください。", "ja")):
        assert language_of([tokenize(text, keep_stopwords=True)]) == lang, text


def test_a_vaults_main_languages_are_the_largest_and_any_of_a_quarter_of_its_notes() -> None:
    assert main_languages({"en": 584, "id": 173, "pt": 172, "da": 117}) == {"en"}  # obsidian-help's shape
    assert main_languages({"en": 40, "de": 35, "fr": 25}) == {"en", "de", "fr"}
    assert main_languages({"da": 3, "en": 3}) == {"da", "en"} and main_languages({"": 9}) == {""}
    assert main_languages({}) == frozenset()


def test_a_vault_is_of_several_languages_when_none_has_the_share_of_one() -> None:
    """One test of a vault of several languages (no language family has `one_language_share` of the
    notes), for the note vectors' language part and search's language boost alike."""
    assert not several_languages([], 0.95)
    assert not several_languages(["en"] * 96 + ["de"] * 4, 0.95)
    assert not several_languages(["en"] * 95 + ["de"] * 5, 0.95)  # (exactly the share: one language)
    assert several_languages(["en"] * 94 + ["de"] * 6, 0.95)
    assert not several_languages(["no"] * 90 + ["da"] * 10, 0.95)  # written alike: one family
    assert several_languages(["en", "de"], 0.95) and not several_languages(["en", "de"], 0.5)


def test_vs_and_versus_are_english_stop_words() -> None:
    """"wikilink vs markdown link": the rare "vs" outweighed the words it compares."""
    assert tokenize("Wikilink vs. Markdown link, v.s. embeds versus VS links") == [
        "wikilink", "markdown", "link", "embeds", "links"]

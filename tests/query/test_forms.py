"""Word forms: a word's plural or singular and other inflections the vault has, found by search."""

from dataclasses import replace
from pathlib import Path

from notelink.config import SearchConfig
from notelink.index.build import build_index
from notelink.query.forms import WordForms, forms_of
from notelink.query.index import Index
from notelink.query.search import Searcher

from ..conftest import FAST

VAULT = {"tomato", "tomatoes", "berry", "berries", "box", "boxes", "link", "links", "linked", "linking",
         "bake", "baked", "baking", "us", "uses", "use", "news", "bus", "buses", "hund", "hunde", "libro",
         "libri", "note", "notes", "notas", "nota"}


def forms(word: str, lang: str = "en") -> list[str]:
    return forms_of(word, lang, VAULT.__contains__)


def test_english_plural_and_singular_by_the_vaults_own_words() -> None:
    assert forms("tomato") == ["tomatoes"] and forms("tomatoes") == ["tomato"]
    assert forms("berry") == ["berries"] and forms("berries") == ["berry"]
    assert forms("box") == ["boxes"] and forms("bus") == ["buses"] and forms("buses") == ["bus"]
    assert forms("notes") == ["note"]


def test_english_verb_forms_and_no_stem_too_short() -> None:
    assert set(forms("link")) == {"links", "linked", "linking"}
    assert set(forms("baking")) == {"bake", "baked"}
    assert forms("uses") == ["use"]  # not `us`: a stem keeps three letters
    assert forms("zzz") == [] and forms("bakes") == ["bake", "baked", "baking"]  # the vault has no `bakes`


def test_each_language_by_its_own_rules_and_none_without_rules() -> None:
    assert forms("hund", "de") == ["hunde"] and forms("libro", "it") == ["libri"]
    assert forms("nota", "es") == ["notas"] and forms("tomato", "ru") == []
    assert forms("libro", "en") == []  # (English rules: no `i` plural)


def test_word_forms_are_ids_of_the_vaults_words() -> None:
    assert WordForms({"tomato": 3, "tomatoes": 7}).of("tomato", "en") == [7]


NOTES = {
    "Growing tomatoes.md": "# Growing tomatoes\n\nTomatoes need sun, water and tomatoes feed weekly. "
                           "Tomatoes ripen in summer.\n",
    "Chicken stock.md": "# Chicken stock\n\nRoast bones, onions and a spoon of tomato paste; simmer.\n",
    "Compost.md": "# Compost\n\nLeaves, peelings and grass clippings rot into compost over the winter.\n",
    "Bread.md": "# Bread\n\nFlour, water, salt and a lively starter make a loaf.\n",
}


def test_a_word_finds_the_note_about_its_plural_first_and_says_why(tmp_path: Path) -> None:
    """A new user's sweep: `tomato` found Chicken stock and Compost but not `Growing tomatoes`."""
    for rel, text in NOTES.items():
        (tmp_path / "v" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "v" / rel).write_text(text, encoding="utf-8")
    build_index(tmp_path / "v", tmp_path / "ix", replace(FAST, min_count=1))
    searcher = Searcher(Index.open(tmp_path / "ix"))
    found = searcher.search("tomato")
    assert [h.path for h in found.hits][:2] == ["Growing tomatoes.md", "Chicken stock.md"]
    why = found.hits[0].because  # a form, by a spelling rule: said apart from the model's neighbours
    assert ("tomatoes", "tomato") in why.forms and ("tomatoes", "tomato") not in why.expanded
    assert "tomatoes (form of tomato)" in why.lines() and "tomatoes ← tomato" not in why.lines()
    data = found.to_dict()["hits"][0]["because"]
    assert {"word": "tomatoes", "from": "tomato"} in data["forms"]
    assert {"word": "tomatoes", "from": "tomato"} not in data["expanded"]
    assert found.hits[1].because.words == ["tomato"]
    snip = found.hits[0].snippet
    assert snip is not None and "tomatoes" in [snip.text[a:b].lower() for a, b in snip.spans]
    without = Searcher(Index.open(tmp_path / "ix"), SearchConfig(w_forms=0.0)).search("tomato")
    assert "Growing tomatoes.md" not in [h.path for h in without.hits]


def test_a_word_the_vault_has_only_in_another_form_is_searched_as_that_form(tmp_path: Path) -> None:
    (tmp_path / "v").mkdir()
    (tmp_path / "v" / "Boxes.md").write_text("# Boxes\n\nCardboard boxes stack in the shed.\n", "utf-8")
    (tmp_path / "v" / "Shed.md").write_text("# Shed\n\nThe shed holds tools and a ladder.\n", "utf-8")
    build_index(tmp_path / "v", tmp_path / "ix", replace(FAST, min_count=1))
    found = Searcher(Index.open(tmp_path / "ix")).search("box")
    assert found.unknown == [] and found.words == ["boxes"] and [h.path for h in found.hits] == ["Boxes.md"]


ARABIC = {"المزامنة", "والمزامنة", "مزامنة", "ملاحظات", "الملاحظات", "ملاحظة", "له", "الله", "تزام"}


def test_arabic_article_and_particles_take_turns_as_endings_do() -> None:
    def ar(word: str, lang: str = "ar") -> list[str]:
        return forms_of(word, lang, ARABIC.__contains__)

    assert ar("مزامنة") == ["المزامنة", "والمزامنة"] and ar("والمزامنة") == ["مزامنة", "المزامنة"]
    assert ar("ملاحظة") == ["ملاحظات", "الملاحظات"]  # the plural, and it with the article
    assert ar("الملاحظة") == ["الملاحظات", "ملاحظة", "ملاحظات"]
    assert ar("الله") == []  # `له` is no form of it: two letters are left, a stem keeps three
    assert ar("مزامنة", "en") == ["المزامنة", "والمزامنة"]  # an Arabic word in a vault mostly in English
    assert ar("مزامنة", "fa") == []  # Persian writes in Arabic script, without Arabic's article
    assert forms_of("tomato", "ar", VAULT.__contains__) == []


def test_an_arabic_word_finds_the_note_that_writes_it_with_the_article(tmp_path: Path) -> None:
    """A new user's sweep: `مزامنة` (sync) was in no note's text, though the Arabic note has `المزامنة`."""
    (tmp_path / "v" / "ar").mkdir(parents=True)
    arabic = "# Obsidian\n\nتدعم خدمة المزامنة جميع الأجهزة.\n"
    (tmp_path / "v" / "ar" / "Obsidian.md").write_text(arabic, "utf-8")
    for rel, text in NOTES.items():
        (tmp_path / "v" / rel).write_text(text, encoding="utf-8")
    build_index(tmp_path / "v", tmp_path / "ix", replace(FAST, min_count=1))
    found = Searcher(Index.open(tmp_path / "ix")).search("مزامنة")
    assert found.unknown == [] and found.words == ["المزامنة"]
    assert [h.path for h in found.hits] == ["ar/Obsidian.md"]

"""Search on a small vault: ranking by words and titles, unknown words, filters, phrases, because."""

import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from threadpoolctl import ThreadpoolController

from notelink.config import NoteVectorConfig, SearchConfig
from notelink.errors import IndexFormatError
from notelink.index.build import build_index
from notelink.query import search as search_module
from notelink.query.index import Index
from notelink.query.reasons import UNKNOWN_WHY
from notelink.query.search import Searcher
from notelink.query.words import RELIABLE_COUNT

from ..conftest import FAST

NOTES = {
    "Kubernetes deployments.md": "---\ntags: [ops/oncall]\n---\n# Kubernetes deployments\n\nRolling out a "
                                 "new version on the kubernetes cluster replaces the pods one by one.\n",
    "Cluster log.md": "# Cluster log\n\nToday the k8s cluster paged me twice; k8s pods restarted. #ops\n\n"
                      "```sh\nkubectl rollout restart\n```\n",
    "Sourdough.md": "# Sourdough\n\nFeed the starter, then bake the bread when it doubles. #food\n",
    "Bread.md": "# Bread\n\nA loaf needs flour, water, salt and a lively sourdough starter. #food\n",
    "projects/Garden plan.md": "# Garden plan\n\nCompost the beds in autumn, mulch in spring.\n",
    "projects/Out rolling.md": "# Out rolling\n\nThe dough goes out, rolling pins ready, version two.\n",
}


def _built(root: Path, notes: dict[str, str], min_count: int) -> Path:
    """`notes` written into root/v and indexed into root/ix; root."""
    for rel, text in notes.items():
        (root / "v" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "v" / rel).write_text(text, encoding="utf-8")
    build_index(root / "v", root / "ix", replace(FAST, min_count=min_count))
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _built(tmp_path_factory.mktemp("search"), NOTES, 2)


@pytest.fixture
def searcher(built: Path) -> Searcher:
    return Searcher(Index.open(built / "ix"))


def paths(results) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.path for h in results.hits]


def test_the_note_about_it_comes_first_title_and_words(searcher: Searcher) -> None:
    assert paths(searcher.search("sourdough"))[:2] == ["Sourdough.md", "Bread.md"]
    assert paths(searcher.search("kubernetes deployments"))[0] == "Kubernetes deployments.md"


def test_unknown_and_stop_words_are_reported(searcher: Searcher) -> None:
    r = searcher.search("the zzyzx sourdough and")
    assert r.unknown == ["zzyzx"] and r.ignored == ["and", "the"] and r.words == ["sourdough"]
    assert paths(r)[0] == "Sourdough.md"
    nothing = searcher.search("zzyzx")
    assert nothing.hits == [] and nothing.unknown == ["zzyzx"] and nothing.words == []


def test_a_minus_word_leaves_out_the_notes_that_hold_it_or_another_form_of_it(searcher: Searcher) -> None:
    """`-word` (as a search box's minus): notes with the word in their text or name, or another form of it
    (`-pod`: `pods`), are left out; a word no note has leaves out none; alone, it lists the others."""
    assert "Bread.md" in paths(searcher.search("starter"))
    assert paths(searcher.search("starter -loaf")) == ["Sourdough.md"]
    assert {"Cluster log.md", "Kubernetes deployments.md"} <= set(paths(searcher.search("cluster")))
    assert not {"Cluster log.md", "Kubernetes deployments.md"} & set(paths(searcher.search("cluster -pod")))
    assert "projects/Garden plan.md" in paths(searcher.search("compost"))
    assert "projects/Garden plan.md" not in paths(searcher.search("compost -plan"))  # (its title's word)
    assert paths(searcher.search("starter -zzyzx")) == paths(searcher.search("starter"))
    r = searcher.search("-kubernetes")
    assert r.words == [] and "Kubernetes deployments.md" not in paths(r) and "Cluster log.md" in paths(r)


def test_a_last_word_being_typed_stands_for_the_words_it_starts(searcher: Searcher) -> None:
    """`prefix` (search as you type): `sourd` is `sourdough` not typed out yet, only as the last word, and
    only while it is in no note; typed out, or followed by a space, it is a word like any."""
    typing = searcher.search("kubernetes sourd", prefix=True)
    assert "sourdough" in typing.words and typing.unknown == [] and "Sourdough.md" in paths(typing)
    assert searcher.search("kubernetes sourd").unknown == ["sourd"]  # (not typing: the CLI's search)
    assert searcher.search("sourd kubernetes", prefix=True).unknown == ["sourd"]
    assert searcher.search("kubernetes sourd ", prefix=True).unknown == ["sourd"]
    assert searcher.search("kubernetes s", prefix=True).unknown == []  # (a letter: too short, left out)
    assert searcher.search("kubernetes s", prefix=True).words == ["kubernetes"]


def test_one_letter_stop_words_are_said_to_be_left_out(searcher: Searcher) -> None:
    """The tokenizer drops one-letter words before stop words: `a` was left out with nothing said."""
    assert searcher.search("a").ignored == ["a"] and searcher.search("I x").ignored == ["i"]
    assert searcher.search("x").ignored == []  # no stop word: left out, but not as one
    assert searcher.search("I'm a baker").ignored == ["a", "i'm"]


def test_numbers_are_said_to_be_left_out(searcher: Searcher) -> None:
    """A new user's sweep: `2022` had `words`, `unknown` and `ignored` all empty, and `office hours 2022`
    never said 2022 was not searched. The tokenizer drops numbers, ids and quantities from the notes'
    words, so search has none: they are left out, said in `ignored`."""
    r = searcher.search("2022")
    assert (r.words, r.unknown, r.ignored) == ([], [], ["2022"])
    r = searcher.search("sourdough 2022 10kg the")
    assert (r.words, r.unknown, r.ignored) == (["sourdough"], [], ["10kg", "2022", "the"])
    r = searcher.search("sourdough v0.14.2")  # a version is a number, as the notes' tokens have it (not `v0`)
    assert (r.words, r.unknown, r.ignored) == (["sourdough"], [], ["v0.14.2"])


def test_an_unknown_word_of_a_typed_query_gets_close_vault_words(searcher: Searcher) -> None:
    """A new user's sweep: `fermentaton` found nothing and blamed code, URLs and front matter, while
    `similar` offered `fermentation`. A draft (`--stdin`, `--batch`) is not offered any."""
    r = searcher.search("sourdogh zzyzx")
    assert r.unknown == ["sourdogh", "zzyzx"] and r.suggestions == {"sourdogh": ["sourdough"]}
    assert r.to_dict()["suggestions"] == {"sourdogh": ["sourdough"]}
    assert searcher.search("sourdogh", syntax=False).suggestions == {}
    assert searcher.search("sourdough").suggestions == {}


def test_a_word_only_in_code_is_said_to_be_outside_what_search_reads(searcher: Searcher) -> None:
    """`kubectl` is in Cluster log.md, in a code block, which search does not read: the results said that
    no note uses it, which the user who wrote it there knows to be false."""
    r = searcher.search("kubectl")
    assert r.hits == [] and r.unknown == ["kubectl"]
    assert r.to_dict()["unknown_reason"] == UNKNOWN_WHY and "code" in UNKNOWN_WHY
    assert searcher.search("sourdough").to_dict()["unknown_reason"] == ""  # said only with unknown words


def test_a_word_seen_once_is_still_found(searcher: Searcher) -> None:
    r = searcher.search("autumn")  # once in the vault: below min_count, not in the CBOW vocabulary
    assert r.unknown == [] and paths(r) == ["projects/Garden plan.md"]
    assert r.hits[0].because.words == ["autumn"]


def test_phrase_in_order_only(searcher: Searcher) -> None:
    assert paths(searcher.search('"kubernetes cluster"')) == ["Kubernetes deployments.md"]
    assert paths(searcher.search('"cluster kubernetes"')) == []
    assert paths(searcher.search('cluster "pods restarted"')) == ["Cluster log.md"]
    # stop words are not in the index: "rolling out" is the phrase "rolling"
    assert set(paths(searcher.search('"rolling out"'))) == {"Kubernetes deployments.md",
                                                             "projects/Out rolling.md"}
    assert searcher.search('"rolling zzyzx"').hits == []


def test_tag_path_and_exclude_filters(searcher: Searcher) -> None:
    assert set(paths(searcher.search("cluster pods #ops"))) == {"Kubernetes deployments.md", "Cluster log.md"}
    assert paths(searcher.search("cluster pods #ops/oncall")) == ["Kubernetes deployments.md"]
    assert set(paths(searcher.search("cluster #food"))) <= {"Sourdough.md", "Bread.md"}  # (CBOW neighbours)
    assert set(paths(searcher.search("version path:PROJECTS/"))) == {"projects/Out rolling.md"}
    excluded = searcher.search("sourdough", exclude={"Sourdough.md"})
    assert "Sourdough.md" not in paths(excluded) and paths(excluded)[0] == "Bread.md"


def test_filters_and_phrases_that_match_no_note_are_said(searcher: Searcher) -> None:
    found = searcher.search('cluster #nosuchtag path:nowhere/ "cluster zebra" #ops path:projects/')
    assert found.hits == [] and found.unmatched == ["#nosuchtag", "path:nowhere/", '"cluster zebra"']
    assert found.to_dict()["unmatched"] == found.unmatched
    assert searcher.search("cluster #ops").unmatched == []


def test_filters_alone_list_their_notes(searcher: Searcher) -> None:
    assert paths(searcher.search("#food")) == ["Bread.md", "Sourdough.md"]
    assert searcher.search("").hits == []


def test_because_and_snippet_of_a_hit(searcher: Searcher) -> None:
    hit = searcher.search("starter bread").hits[0]
    assert hit.path == "Bread.md" and set(hit.because.words) == {"starter", "bread"}
    assert hit.snippet is not None and hit.snippet.line == 3
    marked = {hit.snippet.text[a:b].lower() for a, b in hit.snippet.spans}
    assert "starter" in marked and marked <= {*hit.because.words, *(w for w, _ in hit.because.expanded)}
    assert -1 < hit.because.title_fit < 1
    assert searcher.search("starter bread", snippets=False).hits[0].snippet is None


def test_title_fit_is_the_lift_over_an_average_context(searcher: Searcher) -> None:
    """The title fit is how much better a context predicts a note's title words than an average context:
    0 for every note at the average context itself, above 0 for the note whose title word it predicts."""
    h0 = np.asarray(searcher.syn0, dtype=np.float64).mean(axis=0).astype(np.float32)
    assert np.allclose(searcher._title_fit(h0), 0.0, atol=1e-6)
    bread = searcher.index.by_path["Bread.md"].id
    u = np.asarray(searcher.syn1neg[searcher.index.word_index["bread"]], dtype=np.float32)
    fit = searcher._title_fit(h0 + 5 * u / float(u @ u))  # sigmoid's argument raised by 5 for `bread`
    assert fit[bread] > 0.1


def test_the_title_fit_leaves_out_the_query_s_own_words_and_their_forms(searcher: Searcher) -> None:
    """A context predicts its own words, so their fit was the title field again: it pushed out the note a
    draft links, whose name is not in it (link suggestion `de` and `it`, RESULTS.md session 24)."""
    h0 = np.asarray(searcher.syn0, dtype=np.float64).mean(axis=0).astype(np.float32)
    bread, ix = searcher.index.by_path["Bread.md"].id, searcher.index.word_index["bread"]
    u = np.asarray(searcher.syn1neg[ix], dtype=np.float32)
    h = h0 + 5 * u / float(u @ u)  # a context that predicts `bread`
    assert searcher._title_fit(h)[bread] > 0.1
    assert searcher._title_fit(h, np.array([ix]))[bread] == 0.0


def test_the_search_s_title_fit_leaves_out_its_words_and_forms(searcher: Searcher,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(searcher.expansion, "is_context", lambda tokens: True)
    bread, sourdough = (searcher.index.by_path[p].id for p in ("Bread.md", "Sourdough.md"))
    terms = searcher._terms("bread starter flour water")
    expanded = searcher.expansion.expand(terms.ids, terms.q, terms.tokens)
    assert searcher._score(terms, expanded, None)[1]["fit"][bread] == 0.0
    word = searcher.index.word_index
    terms = searcher._terms("starter flour water loaf")
    forms = {word["starter"]: [word["sourdough"]]}  # as if `sourdough` were a form of `starter`
    expanded = searcher.expansion.expand(terms.ids, terms.q, terms.tokens, forms=forms, w_forms=0.5)
    assert word["sourdough"] in expanded.forms
    assert searcher._score(terms, expanded, None)[1]["fit"][sourdough] == 0.0


def _alike(built: Path, kube_count: int) -> Index:
    """The index with word vectors where k8s and kubernetes are alike (set here: a known answer), and
    kubernetes seen `kube_count` times."""
    index = Index.open(built / "ix")
    E = np.eye(len(index.words), dtype=np.float32)
    k8s, kube = index.word_index["k8s"], index.word_index["kubernetes"]
    E[k8s] = E[kube] = np.sqrt(0.5)
    E[k8s, k8s], E[kube, k8s] = np.sqrt(0.5), np.sqrt(0.5)
    index.__dict__["word_vecs"] = E  # (cached properties)
    index.__dict__["word_counts"] = np.full(len(index.words), 50)
    index.word_counts[kube] = kube_count
    return index


def test_cbow_neighbours_bring_in_the_vaults_synonym(built: Path) -> None:
    """The query `kubernetes` finds the note that only says k8s, and says why."""
    index = _alike(built, RELIABLE_COUNT)
    r = Searcher(index).search("kubernetes", top=3)
    log = next(h for h in r.hits if h.path == "Cluster log.md")
    assert ("k8s", "kubernetes") in log.because.expanded and "k8s ← kubernetes" in log.because.lines()
    no_cbow = SearchConfig(expand_beta=0, predict_beta=0, w_dense=0, w_title_fit=0)
    lexical = Searcher(index, no_cbow).search("kubernetes")
    assert "Cluster log.md" not in paths(lexical)


def test_a_word_too_rare_to_trust_brings_no_neighbours_in(built: Path) -> None:
    """As `similar` says of it: its vector is too rare to have reliable neighbours."""
    r = Searcher(_alike(built, RELIABLE_COUNT - 1)).search("kubernetes", top=3)
    assert "Cluster log.md" not in paths(r) and not any(h.because.expanded for h in r.hits)


def test_a_draft_brings_no_neighbours_in(built: Path) -> None:
    """A draft's words are its context (the predicted words bring what is missing from it); its words'
    neighbours matched a little in every note of its topic and cost link suggestion on every vault."""
    index = _alike(built, RELIABLE_COUNT)
    assert "Cluster log.md" in paths(Searcher(index).search("kubernetes", top=3))  # a typed query's do
    draft = Searcher(index).search("kubernetes", top=3, syntax=False)
    assert "Cluster log.md" not in paths(draft) and not any(h.because.expanded for h in draft.hits)


def test_results_are_json(searcher: Searcher) -> None:
    data = json.loads(searcher.search("bread zzyzx").to_json())
    assert data["unknown"] == ["zzyzx"] and data["hits"][0]["path"] in ("Bread.md", "Sourdough.md")
    assert set(data["hits"][0]) == {"path", "title", "score", "snippet", "because"}
    assert set(data["hits"][0]["snippet"]) == {"text", "spans", "line"}


def test_an_index_without_search_data_says_to_rebuild(built: Path, tmp_path: Path) -> None:
    shutil.copytree(built / "ix", tmp_path / "ix")
    gen = next(p for p in (tmp_path / "ix").iterdir() if p.name.startswith("gen-"))
    (gen / "search_anchors_data.npy").unlink()  # one of them gone: damage, which `notelink index` mends
    with pytest.raises(IndexFormatError, match=r"search_anchors_data\.npy is missing"):
        Searcher(Index.open(tmp_path / "ix"))
    for array in gen.glob("search_*.npy"):  # none at all: an index from before search
        array.unlink()
    with pytest.raises(IndexFormatError, match="notelink index --force"):
        Searcher(Index.open(tmp_path / "ix"))


def _matrix(parts: tuple[np.ndarray, np.ndarray, np.ndarray], N: int) -> np.ndarray:
    indptr, indices, data = parts
    return sp.csr_matrix((data, indices, indptr), shape=(indptr.size - 1, N)).toarray()  # [S, N]


def test_because_names_the_words_each_hit_holds(searcher: Searcher) -> None:
    terms = _matrix(searcher.terms, searcher.N)
    r = searcher.search("bread starter kubernetes cluster dough")
    assert r.hits
    for hit in r.hits:
        j = searcher.index.by_path[hit.path].id
        held = {searcher.words[w] for w in np.flatnonzero(terms[:, j])}
        assert set(hit.because.words) == held & set(r.words)
        assert {w for w, _ in hit.because.expanded} <= held


def test_a_search_leaves_blas_threads_as_they_were(searcher: Searcher) -> None:
    before = [lib["num_threads"] for lib in ThreadpoolController().info()]
    searcher.search("bread starter")
    assert [lib["num_threads"] for lib in ThreadpoolController().info()] == before


def test_a_query_word_the_vault_has_only_with_accents_finds_it(make_vault, tmp_path: Path) -> None:
    vault = make_vault({"Ünïcode post.md": "# Ünïcode post\n\nÜnïcode normalisation in a café.\n",
                        "Other.md": "# Other\n\nnothing about text encodings here\n"})
    build_index(vault, tmp_path / "ix", FAST)
    found = Searcher(Index.open(tmp_path / "ix")).search("unicode cafe")
    assert paths(found) == ["Ünïcode post.md"] and not found.unknown
    assert set(found.hits[0].because.words) == {"ünïcode", "café"}
    assert Searcher(Index.open(tmp_path / "ix")).search("नमस्ते").unknown == ["नमस्ते"]  # (other scripts)


def test_another_languages_stop_word_no_note_has_is_left_out_not_unknown(make_vault, tmp_path: Path) -> None:
    """A new user's sweep: `die` in obsidian-help (122 German notes, which drop it) was "not in any note's
    searched text" and `unknown`; it is a stop word there, left out as `the` is. Where an English note has
    it as a word, it is searched."""
    german = "# Garten\n\nDie Pflanzen und die Blumen wachsen in dem Garten, aber der Boden ist trocken.\n"
    vault = make_vault({"Garten.md": german, "Winter.md": "# Winter\n\nTender plants die in frost.\n",
                        "Other.md": "# Other\n\nNothing about gardens here.\n"})
    build_index(vault, tmp_path / "ix", FAST)
    searcher = Searcher(Index.open(tmp_path / "ix"))
    r = searcher.search("und der")
    assert (r.unknown, r.ignored, r.words) == ([], ["der", "und"], [])
    r = searcher.search("und zzyzx")
    assert (r.unknown, r.ignored) == (["zzyzx"], ["und"])
    r = searcher.search("die")
    assert (r.words, r.unknown, paths(r)) == (["die"], [], ["Winter.md"])


def test_a_paragraph_repeated_in_many_notes_is_still_found(tmp_path: Path) -> None:
    """Boilerplate (a paragraph in 3+ notes) is left out of training, not out of search: a weekly meeting's
    line in daily notes is found, and never reported as in no note."""
    vault = tmp_path / "v"
    vault.mkdir()
    for rel, text in NOTES.items():
        (vault / rel).parent.mkdir(parents=True, exist_ok=True)
        (vault / rel).write_text(text, encoding="utf-8")
    for i in range(3):
        (vault / f"meet{i}.md").write_text(f"# Meeting {i}\n\nItem {i} discussed.\n\nZorblax project sync, "
                                           "weekly.\n", encoding="utf-8")
    build_index(vault, tmp_path / "ix", replace(FAST, min_count=2))
    r = Searcher(Index.open(tmp_path / "ix")).search("zorblax")
    assert r.unknown == [] and sorted(paths(r)) == ["meet0.md", "meet1.md", "meet2.md"]


def test_a_word_in_the_paragraph_after_a_mention_finds_the_note_that_has_it_first(tmp_path: Path) -> None:
    """A new user's sweep: a rare word added in its own paragraph to Kimchi, whose paragraph before ends with
    `see [[Knife skills]]`, ranked Knife skills (only named there) above Kimchi (which has the word)."""
    vault = tmp_path / "v"
    shutil.copytree(Path(__file__).parents[2] / "sample_notes", vault)
    with open(vault / "cooking" / "Kimchi.md", "a", encoding="utf-8") as f:
        f.write("\nAdded gochugarublast flakes.\n")
    build_index(vault, tmp_path / "ix", FAST)
    assert paths(Searcher(Index.open(tmp_path / "ix")).search("gochugarublast"))[0] == "cooking/Kimchi.md"


def test_a_rare_word_finds_the_note_that_has_it_before_notes_only_named_next_to_it(tmp_path: Path) -> None:
    """A user's sweep: `quokka`, written once at the end of a long note, in the paragraph that links three
    short notes, ranked those three (only named near it) above the one note that contains it."""
    vault = tmp_path / "v"
    vault.mkdir()
    rng = np.random.default_rng(0)
    words = ["".join(rng.choice(["ka", "lo", "mi", "ra", "te", "su", "no", "vi"], 3)) for _ in range(300)]
    body = "\n\n".join(" ".join(rng.choice(words, 40)) + "." for _ in range(10))
    links = "See also [[Marsupials]], [[Island trip]], [[Rottnest]]."
    (vault / "Field notes.md").write_text(f"# Field notes\n\n{body}\n\n{links}\n"
                                          "Extra sentence about quokka kangaroo wombat.\n")
    for title, text in [("Marsupials", "Pouched mammals."), ("Island trip", "Ferry times and bikes."),
                        ("Rottnest", "An island off Perth.")]:
        (vault / f"{title}.md").write_text(f"# {title}\n\n{text}\n")
    build_index(vault, tmp_path / "ix", FAST)
    found = Searcher(Index.open(tmp_path / "ix")).search("quokka", snippets=False)
    assert paths(found)[0] == "Field notes.md"
    assert len(found.hits) > 1 and all(h.because.anchors == ["quokka"] for h in found.hits[1:])


def test_a_long_note_with_every_query_word_ranks_above_short_notes_with_one(tmp_path: Path) -> None:
    """A user's sweep: a long note that holds every word of the query (a sentence about a telescope, its
    eyepiece and Jupiter at the end of a recipe) ranked below short notes that hold one of them: its unit
    TF-IDF row gives each word little. The share of the query a note holds (`SearchConfig.coverage`)."""
    vault = tmp_path / "v"
    vault.mkdir()
    rng = np.random.default_rng(1)
    words = ["".join(rng.choice(["ka", "lo", "mi", "ra", "te", "su", "no", "vi"], 3)) for _ in range(300)]
    body = "\n\n".join(" ".join(rng.choice(words, 40)) + "." for _ in range(8))
    (vault / "Kimchi.md").write_text(f"# Kimchi\n\n{body}\n\nLast night the telescope with a wide "
                                     "eyepiece showed Jupiter.\n")
    for title, text in [("Optics", "A telescope gathers light."), ("Lenses", "Clean each eyepiece."),
                        ("Planets", "Jupiter rises late."), ("Mounts", "A telescope needs a steady mount."),
                        ("Gas giants", "Jupiter and Saturn are gas giants.")]:
        (vault / f"{title}.md").write_text(f"# {title}\n\n{text}\n")
    build_index(vault, tmp_path / "ix", FAST)
    index = Index.open(tmp_path / "ix")
    found = Searcher(index).search("telescope eyepiece jupiter", snippets=False)
    assert paths(found)[0] == "Kimchi.md"
    alone = Searcher(index, SearchConfig(coverage=0.0)).search("telescope eyepiece jupiter", snippets=False)
    assert paths(alone).index("Kimchi.md") > 0  # without it: below the short notes
    draft = Searcher(index).search("telescope eyepiece jupiter", syntax=False, snippets=False)
    assert paths(draft) == paths(alone)  # a draft's words are its context: ranked as before


def test_words_predicted_by_the_whole_query_are_said_so_not_given_a_query_word() -> None:
    """A word the query predicts as CBOW's context is no one query word's neighbour: `because` lists it
    as predicted (text and --json), not as `word ← query word`."""
    from notelink.query.results import Because, Hit, SearchResults

    why = Because(["cabbage"], [("weeks", "cabbage")], [], 0.1, ["brine", "jar"])
    assert why.lines() == ["cabbage", "weeks ← cabbage", "predicted: brine, jar"]
    found = SearchResults("cabbage", [Hit("k.md", "Kimchi", 0.5, None, why)], ["cabbage"])
    assert found.to_dict()["hits"][0]["because"]["predicted"] == ["brine", "jar"]


def test_predicted_words_rank_the_notes_the_query_reaches_and_add_none(searcher: Searcher,
                                                                       monkeypatch: pytest.MonkeyPatch
                                                                       ) -> None:
    """A word the query predicts raises the notes that hold the query's own words (or their neighbours),
    and brings no note of its own: a rare word's search listed 125 notes of its predicted words above the
    8 notes that had the word (a new user's sweep, `rigmarole`)."""
    from notelink.query.expansion import Expanded

    real = searcher.expansion.expand
    bread = searcher.lookup["bread"]

    def with_bread(ids: np.ndarray, q: np.ndarray, tokens: np.ndarray, lang: str | None,
                   *forms: Any) -> Expanded:
        e = real(ids, q, tokens, lang, *forms)
        return Expanded(np.append(e.ids, bread), np.append(e.weights, 0.5), e.source, {bread}, e.h, e.forms)

    monkeypatch.setattr(searcher.expansion, "expand", with_bread)
    found = searcher.search("starter", snippets=False)
    assert "Sourdough.md" in paths(found) and "Bread.md" in paths(found)  # both have "starter"
    found = searcher.search("kubernetes", snippets=False)
    assert "Bread.md" not in paths(found) and "Kubernetes deployments.md" in paths(found)
    assert searcher.search("kubernetes", snippets=False).hits[0].because.predicted == []


NAMED = {
    "Links.md": "# Links\n\nSee the list of pages.\n",
    "Wikilinks.md": "# Wikilinks\n\nLinks, links and more links: wiki links are links between notes.\n",
    "ops.runbook.md": "# Runbook\n\nRestart the ops service, then check the ops dashboard.\n",
    "Dashboard.md": "# Dashboard\n\nThe ops runbook and the ops dashboard, ops all day: ops runbook.\n",
}


@pytest.fixture(scope="module")
def named(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    root = _built(tmp_path_factory.mktemp("named"), NAMED, 1)
    return Searcher(Index.open(root / "ix"), replace(SearchConfig(), w_title=0.0))


def test_a_query_that_is_a_notes_name_puts_that_note_first(named: Searcher) -> None:
    """`links` is the note titled Links, though Wikilinks says `links` five times (a user's dendron-site
    search put two notes titled Links 3rd and 4th); a file name counts as a name too."""
    r = named.search("links")
    assert paths(r)[0] == "Links.md" and r.hits[0].because.named and "its name" in r.hits[0].because.lines()
    assert not r.hits[1].because.named and r.hits[1].score > r.hits[0].score  # (scores stay their own)
    assert paths(named.search("ops.runbook"))[0] == "ops.runbook.md"
    assert paths(named.search("LINKS"))[0] == "Links.md"
    assert json.loads(r.to_json())["hits"][0]["because"]["named"] is True


def test_a_name_that_a_filter_or_a_phrase_rules_out_is_not_put_first(named: Searcher) -> None:
    assert "Links.md" not in paths(named.search("links path:Wiki"))
    assert not any(h.because.named for h in named.search('"links"').hits)


def test_the_title_fit_needs_a_context_and_a_vault_of_one_language(searcher: Searcher,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A query of a word or two names what it wants (the fit put `Mulch` above `Compost` for `compost`);
    in the multilingual obsidian-help vault the fit cost link suggestion 0.05 recall@10 (RESULTS.md)."""
    terms = searcher._terms("kubernetes deployments pods cluster")
    monkeypatch.setattr(searcher.expansion, "is_context", lambda tokens: False)
    assert not searcher._fits(terms)
    monkeypatch.setattr(searcher.expansion, "is_context", lambda tokens: True)
    assert searcher._fits(terms)
    monkeypatch.setattr(searcher, "multilingual", True)
    assert not searcher._fits(terms)
    expanded = searcher.expansion.expand(terms.ids, terms.q, terms.tokens)
    assert not searcher._score(terms, expanded, None)[1]["fit"].any()


def test_search_tells_a_vault_of_several_languages_as_the_note_vectors_do(
        built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Search's language boost and the note vectors' language part ask one test (`several_languages`),
    with the notes' languages and the same share."""
    asked: list[tuple[list[str], float]] = []

    def several(langs: list[str], share: float) -> bool:
        asked.append((list(langs), share))
        return True

    monkeypatch.setattr(search_module, "several_languages", several)
    searcher = Searcher(Index.open(built / "ix"))
    assert searcher.multilingual and [(len(langs), share) for langs, share in asked] == [
        (len(NOTES), NoteVectorConfig().one_language_share)]

"""`notelink search` end to end on sample_notes/: a query, --json, --stdin, --batch, and mistakes."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from notelink.cli.main import main
from notelink.cli.search import NAMED_LEGEND, render
from notelink.query.search import Because, Hit, SearchResults
from notelink.query.snippets import Snippet

from ..conftest import SAMPLE, snapshot
from .test_cli import ARGS, run


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> str:
    d = tmp_path_factory.mktemp("ix")
    before = snapshot(SAMPLE)
    assert main(["index", str(SAMPLE), "--index-dir", str(d), *ARGS]) == 0
    assert snapshot(SAMPLE) == before
    return str(d)


def test_query_text(capsys: pytest.CaptureFixture[str], ix: str) -> None:
    code, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "compost", "heap", "--top", "3")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "Search: compost heap"
    assert "Compost (gardening/Compost.md)" in lines[1]
    assert "(line " in lines[2] and lines[3].strip().startswith("because: ")


def test_query_json_reports_unknown_words_and_filters(capsys: pytest.CaptureFixture[str], ix: str) -> None:
    code, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "--json", "telescope", "qwxz",
                       "path:astronomy/", "--top", "20")
    data = json.loads(out)
    assert code == 0 and data["unknown"] == ["qwxz"] and data["words"] == ["telescope"]
    assert data["hits"] and all(h["path"].startswith("astronomy/") for h in data["hits"])
    snip = data["hits"][0]["snippet"]
    assert any(snip["text"][a:b].lower().startswith("telescope") for a, b in snip["spans"])


def test_a_word_only_in_code_is_not_said_to_be_in_no_note(capsys: pytest.CaptureFixture[str],
                                                           ix: str) -> None:
    """Logging.md writes `getLogger` in a code block only: "not in any note" was false."""
    code, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "getLogger")
    assert code == 0 and "not in any note: " not in out
    assert out.splitlines()[0] == ("Search: getLogger  (not in any note's searched text: getlogger (did you "
                                   "mean logger?) - search leaves out code, URLs and front matter; no words "
                                   "to search for)")
    _, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "getLogger", "--json")
    assert json.loads(out)["unknown_reason"].startswith("search reads the notes' prose")


def test_stdin_draft_is_plain_text(capsys: pytest.CaptureFixture[str], ix: str,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    draft = "Fed the starter twice today, the levain is bubbly; #bread tomorrow with a wetter dough.\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(draft))
    code, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "--stdin", "--json",
                       "--exclude", "cooking/Sourdough starter.md")
    data = json.loads(out)
    paths = [h["path"] for h in data["hits"]]
    assert code == 0 and paths and all(p.startswith("cooking/") for p in paths[:3])
    assert "cooking/Sourdough starter.md" not in paths  # excluded; and #bread was no filter:
    assert any(p != "cooking/Bread baking basics.md" for p in paths)
    assert data["query"] == draft.rstrip("\n")  # the line's end is no part of the query said back


def test_batch_answers_each_line(capsys: pytest.CaptureFixture[str], ix: str,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ['{"id": 1, "text": "guitar chords and scales"}', "not json",
             '{"id": "b", "text": "compost", "top": 1, "exclude": "gardening/Compost.md"}',
             '{"id": 3}', '{"id": 4, "text": "x", "top": 0}', '{"id": 5, "text": "x", "exclude": [["a"]]}',
             '{"id": 6, "text": "x", "top": true}', '{"id": 7, "text": "compost", "exclude": ["Nope"]}']
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    code, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "--batch", "--no-snippets")
    answers = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [a["id"] for a in answers] == [1, None, "b", 3, 4, 5, 6, 7]
    assert answers[0]["results"][0]["path"].startswith("music/") and answers[0]["unknown"] == []
    assert answers[0]["results"][0]["snippet"] is None
    assert len(answers[2]["results"]) == 1 and answers[2]["results"][0]["path"] != "gardening/Compost.md"
    assert "not JSON" in answers[1]["error"] and "text" in answers[3]["error"]
    assert "top" in answers[4]["error"] and "exclude" in answers[5]["error"] and "top" in answers[6]["error"]
    assert answers[7]["unknown_notes"] == ["Nope"] and answers[7]["results"]  # the line after a bad one


def test_batch_in_one_process_through_a_pipe(ix: str) -> None:
    queries = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(["moon", "soil", "git"]))
    done = subprocess.run([sys.executable, "-m", "notelink", "search", str(SAMPLE), "--index-dir", ix,
                           "--batch"], input=queries, capture_output=True, text=True, timeout=120)
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 0 and [a["id"] for a in answers] == [0, 1, 2]
    assert [a["results"][0]["path"].split("/")[0] for a in answers] == ["astronomy", "gardening",
                                                                        "programming"]


@pytest.mark.parametrize("argv, message", [
    ([], "give a query"),
    ([""], "the query is empty: give words to search for"),
    (["  ", ""], "the query is empty: give words to search for"),
    (["moon", "--stdin"], "one of them"),
    (["moon", "--top", "0"], "--top must be at least 1"),
])
def test_mistakes_get_a_message(capsys: pytest.CaptureFixture[str], ix: str, argv: list[str],
                                message: str) -> None:
    code, _, err = run(capsys, "search", str(SAMPLE), "--index-dir", ix, *argv)
    assert code == 2 and message in err


def test_no_index_yet(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "search", str(SAMPLE), "--index-dir", str(tmp_path / "none"), "moon")
    assert code == 2 and "no index yet" in err


def test_render_marks_matches_on_a_terminal_and_escapes_names() -> None:
    hit = Hit("a\nb.md", "T", 0.5, Snippet("find the moon here", [(9, 13)], 4), Because(["moon"]))
    results = SearchResults("moon", [hit], ["moon"], ["qq"])
    plain = render(results)
    assert "a\\nb.md" in plain and "find the moon here  (line 4)" in plain
    assert "not in any note's searched text: qq - search leaves out code, URLs and front matter" in plain
    assert "find the \x1b[1mmoon\x1b[0m here" in render(results, color=True)
    nothing = render(SearchResults("moon #nope", [], ["moon"], unmatched=["#nope"]))
    assert "no note matches: #nope" in nothing and "(no notes found)" in nothing


def test_a_draft_is_said_back_on_one_short_line() -> None:
    """A draft from --stdin (a paragraph or more) is not repeated whole over its results."""
    draft = "The moon rose over the ridge.\n\n" + "We watched it for an hour, " * 20
    head = render(SearchResults(draft, [], ["moon"])).splitlines()[0]
    assert head.startswith("Search: The moon rose over the ridge. We watched") and len(head) < 120
    assert "\u2026" in head


def test_exclude_takes_a_note_as_related_does_and_says_which_name_no_note(
        capsys: pytest.CaptureFixture[str], ix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    target = "cooking/Bread baking basics.md"
    code, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "bread", "--json")
    assert json.loads(out)["hits"][0]["path"] == target
    monkeypatch.chdir(SAMPLE.parent)
    for name in (str(SAMPLE / target), f"{SAMPLE.name}/{target}", "Bread baking basics", target):
        code, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "bread", "--json", "--exclude",
                           name, "--exclude", "No such note")
        data = json.loads(out)
        assert code == 0 and target not in [h["path"] for h in data["hits"]], name
        assert data["unknown_notes"] == ["No such note"]
    code, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "bread", "--exclude", "No such note")
    assert "(not a note, so not left out: No such note)" in out.splitlines()[0]


def test_a_blank_draft_on_stdin_is_a_usage_error(capsys: pytest.CaptureFixture[str], ix: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(" \n\n"))
    code, _, err = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "--stdin")
    assert code == 2 and "standard input has no text to search for" in err


def test_a_blank_line_of_a_batch_is_answered_with_an_error(capsys: pytest.CaptureFixture[str], ix: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # every line in gets one line out: a client waiting for an answer per line written never hangs
    lines = ['{"id": 1, "text": " "}', "", " \t ", '{"id": 2, "text": "compost"}']
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    code, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "--batch", "--no-snippets")
    first, blank, spaces, last = (json.loads(line) for line in out.splitlines())
    assert code == 0 and first == {"id": 1, "error": 'line 1: "text" is empty: give words to search for'}
    assert blank == {"id": None, "error": 'line 2 is blank: give {"id": ..., "text": ...}'}
    assert spaces == {"id": None, "error": 'line 3 is blank: give {"id": ..., "text": ...}'}
    assert last["id"] == 2 and last["results"]


def test_a_query_of_stop_words_only_says_they_were_left_out(capsys: pytest.CaptureFixture[str],
                                                            ix: str) -> None:
    code, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "the", "and", "of")
    said = "no words to search for: and, of, the are stop words, left out"
    assert code == 0 and said in out.splitlines()[0]
    _, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "a")  # one letter: said too
    assert out.splitlines()[0] == "Search: a  (no words to search for: a is a stop word, left out)"


def test_a_query_says_its_numbers_were_left_out(capsys: pytest.CaptureFixture[str], ix: str) -> None:
    """`search dend 2022` said "no words to search for" with nothing left out; `office hours 2022` did not
    say 2022 was not searched."""
    code, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "2022")
    assert code == 0 and "no words to search for: 2022 is a number, left out - search leaves out numbers" \
        in out.splitlines()[0]
    _, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "compost", "2022", "--top", "1")
    assert "(left out: 2022 - search leaves out numbers" in out.splitlines()[0]
    _, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "--json", "compost", "2022")
    assert json.loads(out)["ignored"] == ["2022"]


def test_an_unknown_word_is_said_with_did_you_mean(capsys: pytest.CaptureFixture[str], ix: str) -> None:
    """`search samp fermentaton` said "(no notes found)" and blamed code, URLs and front matter; `similar`
    offered `fermentation`."""
    code, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "kimchee")
    assert code == 0 and "kimchee (did you mean kimchi?)" in out.splitlines()[0]
    _, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "--json", "fermentaton")
    assert json.loads(out)["suggestions"]["fermentaton"][0] == "fermentation"


def test_a_batch_line_of_stop_words_only_says_they_were_left_out(
        capsys: pytest.CaptureFixture[str], ix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ['{"id": 1, "text": "the of"}', '{"id": 2, "text": "the compost"}']
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    code, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "--batch", "--no-snippets")
    stop, some = (json.loads(line) for line in out.splitlines())
    assert code == 0 and stop["results"] == [] and stop["words"] == [] and stop["ignored"] == ["of", "the"]
    assert some["words"] == ["compost"] and some["ignored"] == ["the"] and some["results"]


def test_notes_the_query_names_are_marked_and_said_to_come_first_whatever_their_score() -> None:
    """A note whose name the query is comes first (`because: its name`), even below the next note's score
    (dendron-site `links`: 0.476, 0.386, then 0.572): the text marks it `[named]` and says why once."""
    named = Hit("Links.md", "Links", 0.476, None, Because(["links"], named=True))
    other = Hit("Wikilinks.md", "Wikilinks", 0.572, None, Because(["links"]))
    lines = render(SearchResults("links", [named, other], ["links"])).splitlines()
    assert lines[1:3] == ["   0.476  Links (Links.md)  [named]", "          because: its name, links"]
    assert lines[3] == "   0.572  Wikilinks (Wikilinks.md)" and lines[-1] == f"  ({NAMED_LEGEND})"
    assert len(lines[-1]) <= 80 and "comes first, whatever its score" in NAMED_LEGEND
    plain = render(SearchResults("links", [other], ["links"]))
    assert "[named]" not in plain  # no note named: no mark, no legend


def test_search_help_explains_its_mark(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["search", "--help"])
    said = " ".join(capsys.readouterr().out.split())
    assert "[named] the query is the note's name" in said
    assert '"tomatoes (form of tomato)" another form of a query word' in said
    assert '"kubernetes ← k8s" a word the vault\'s model brought in' in said


def test_a_form_of_a_query_word_is_told_apart_from_a_word_the_model_brought_in() -> None:
    """`tomatoes` came by a spelling rule, `kubernetes` by the vault's CBOW: the text says which is which."""
    why = Because(["tomato"], [("kubernetes", "k8s")], forms=[("tomatoes", "tomato")])
    lines = render(SearchResults("tomato k8s", [Hit("t.md", "T", 0.5, None, why)], ["tomato"])).splitlines()
    assert lines[2] == "          because: tomato, tomatoes (form of tomato), kubernetes ← k8s"


def test_json_has_the_forms_apart_from_the_expanded_words(capsys: pytest.CaptureFixture[str],
                                                         ix: str) -> None:
    code, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "--json", "tomato", "--top", "20")
    hits = json.loads(out)["hits"]
    grown = next(h for h in hits if h["path"] == "gardening/Growing tomatoes.md")["because"]
    assert code == 0 and {"word": "tomatoes", "from": "tomato"} in grown["forms"]
    assert all(e["word"] != "tomatoes" for h in hits for e in h["because"]["expanded"])
    assert all(set(e) == {"word", "from"} for h in hits for e in h["because"]["expanded"])


def test_a_minus_word_leaves_notes_out_and_a_bare_one_says_to_put_dashes_first(
        capsys: pytest.CaptureFixture[str], ix: str) -> None:
    """`-word` after `--` (argparse reads it as a flag before): the notes holding the word are left out;
    without `--` the usage error says how to write it, not to write `./-mulch` as for a note."""
    code, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "--json", "compost")
    assert code == 0 and "gardening/Mulch.md" in [h["path"] for h in json.loads(out)["hits"]]
    code, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "--json", "--", "compost", "-mulch")
    data = json.loads(out)
    assert code == 0 and data["words"] == ["compost"] and data["hits"]
    assert not any("mulch" in (h["snippet"] or {}).get("text", "").lower() for h in data["hits"])
    assert "gardening/Mulch.md" not in [h["path"] for h in data["hits"]]
    with pytest.raises(SystemExit) as done:
        main(["search", str(SAMPLE), "--index-dir", ix, "compost", "-mulch"])
    assert done.value.code == 2 and "to leave out the notes with a word, put -- before the query (search " \
        "VAULT -- WORDS -mulch)" in capsys.readouterr().err


def test_a_japanese_query_is_not_said_to_hold_a_word_it_does_not(capsys: pytest.CaptureFixture[str],
                                                                  ix: str) -> None:
    """`音階練習` is searched as its bigrams: `音階` and `練習` are in 音階.md, and `階練`, between them,
    was said to be in no note."""
    code, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "--json", "音階練習")
    data = json.loads(out)
    assert code == 0 and data["unknown"] == [] and data["words"] == ["音階", "練習"]
    assert data["hits"][0]["path"] == "music/音階.md"
    _, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "--json", "中華料理")
    assert json.loads(out)["unknown"] == ["中華料理"]


def test_a_batch_line_s_mistake_is_said_key_by_key(capsys: pytest.CaptureFixture[str], ix: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad "top" was said as '"top" must be a positive number and "exclude" a path...' whichever was
    wrong, an array as having no "text", and a misspelt key ("limit", as the MCP tool calls it) was left
    out silently: the answer came with the default number of results."""
    lines = ['{"id": 1, "text": "x", "top": 0}', '{"id": 2, "text": "x", "exclude": [["a"]]}', "[1, 2]",
             '{"id": 4, "text": "compost", "limit": 1}', '{"id": 5, "text": "compost", "top": 1}']
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    code, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "--batch", "--no-snippets")
    top, exclude, array, limit, fine = (json.loads(line) for line in out.splitlines())
    assert code == 0 and top["error"] == 'line 1: "top" must be a whole number of at least 1, not 0'
    assert exclude["error"] == 'line 2: "exclude" must be a path or a list of paths, not [["a"]]'
    assert array == {"id": None, "error": 'line 3 is not a JSON object: give {"id": ..., "text": ...}'}
    assert limit == {"id": 4,
                     "error": 'line 4: unknown key "limit"; a line takes only id, text, top, exclude'}
    assert fine["id"] == 5 and len(fine["results"]) == 1


def test_a_batch_answer_names_its_keys_as_search_json_does(capsys: pytest.CaptureFixture[str], ix: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """`--batch` left out `unmatched`: it has the keys `--json` has, `hits` named `results` (issue 18's
    batch format), written once."""
    monkeypatch.setattr(sys, "stdin", io.StringIO('{"id": 1, "text": "compost"}\n'))
    code, out, _ = run(capsys, "search", str(SAMPLE), "--index-dir", ix, "--batch", "--no-snippets")
    batch = json.loads(out)
    code2, out, _ = run(capsys, "search", str(SAMPLE), "compost", "--index-dir", ix, "--json",
                        "--no-snippets")
    single = json.loads(out)
    assert code == code2 == 0 and "hits" not in batch
    assert batch["results"] and set(batch["results"][0]) == set(single["hits"][0])  # (a draft: no neighbours)
    assert set(single) - {"query", "suggestions", "hits"} <= set(batch)  # (a draft gets no suggestions)

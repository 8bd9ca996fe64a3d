"""`notelink mcp`: a real MCP client session over stdio (the SDK's own client) against an indexed copy of
sample_notes: the tools, their answers against the CLI's `--json`, bad arguments, escapes, new generations."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest

pytest.importorskip("mcp")

from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

from notelink.agents.arguments import MAX_LIMIT
from notelink.agents.server import MAX_REASONS, MAX_SNIPPET, _cut
from notelink.cli.main import main
from notelink.config import RelatedConfig
from notelink.index.build import build_index
from notelink.query.index import Index

from ..conftest import FAST, SAMPLE

TOOLS = {"search", "related", "concepts", "similar_words", "read_note", "status"}


@contextlib.asynccontextmanager
async def connected(vault: Path, ix: Path, *flags: str,
                    env: dict[str, str] | None = None) -> AsyncIterator[ClientSession]:
    """`notelink mcp` started as a client starts it, in an initialised session."""
    params = StdioServerParameters(command=sys.executable, env=env,
                                   args=["-m", "notelink", "mcp", str(vault), "--index-dir", str(ix), *flags])
    async with stdio_client(params) as (read, write), ClientSession(read, write) as s:
        await s.initialize()
        yield s


def session(vault: Path, ix: Path, body: Callable[[ClientSession], Awaitable[None]], *flags: str,
            env: dict[str, str] | None = None) -> None:
    """Starts `notelink mcp` as a client would and runs `body` in an initialised session."""
    async def run() -> None:
        async with connected(vault, ix, *flags, env=env) as s:
            await body(s)

    anyio.run(run)


async def until(s: ClientSession, tool: str, done: Callable[[Any], bool], seconds: float = 120,
                **arguments: Any) -> Any:
    """The first answer of `tool` that is not an error and is `done`, asked again until then (the time is
    only a guard: the loop ends when the condition holds)."""
    with anyio.fail_after(seconds):
        while (answer := await call(s, tool, **arguments))[0] or not done(answer[1]):
            await anyio.sleep(0.1)
    return answer[1]


async def call(s: ClientSession, tool: str, **arguments: Any) -> tuple[bool, Any]:
    """(is_error, the JSON result or the error text)."""
    res = await s.call_tool(tool, arguments)
    text = res.content[0].text  # type: ignore[union-attr]
    if res.is_error:
        return True, text
    assert json.loads(text) == res.structured_content  # the text and the structured result agree
    return False, res.structured_content


def cli_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    capsys.readouterr()
    main([*argv, "--json"])
    return json.loads(capsys.readouterr().out)


def test_tools_are_few_read_only_and_idempotent(indexed) -> None:
    async def body(s: ClientSession) -> None:
        tools = (await s.list_tools()).tools
        assert {t.name for t in tools} == TOOLS
        for t in tools:
            hints = t.annotations
            assert hints is not None and hints.read_only_hint and hints.idempotent_hint
            assert not hints.destructive_hint and t.description
        outputs = {t.name: t.output_schema for t in tools}  # an agent knows the fields before calling
        assert set(outputs["related"]["required"]) == {"note", "related", "reason", "empty"}  # ("": found)
        assert set(outputs["concepts"]["required"]) == {"note", "concepts", "reason", "empty"}
        assert {"also_named", "warning"} <= outputs["related"]["properties"].keys()
        assert {"count", "reliable", "language", "reason"} <= set(outputs["similar_words"]["required"])
        assert "this_server" in outputs["status"]["required"]
        assert all(outputs[name] and outputs[name]["type"] == "object" for name in TOOLS)
    session(*indexed, body)


def test_search_says_a_words_forms_apart_from_the_words_the_model_brought_in(indexed) -> None:
    """`forms` beside `expanded` in `because`: in the search tool's output schema, its description and its
    answer (`tomatoes` for `tomato`: a spelling rule's, not the model's)."""
    got: dict[str, Any] = {}

    async def body(s: ClientSession) -> None:
        got["tool"] = next(t for t in (await s.list_tools()).tools if t.name == "search")
        got["answer"] = await call(s, "search", query="tomato", limit=20)
    session(*indexed, body)
    because = got["tool"].output_schema["$defs"]["Because"]
    assert {"forms", "expanded"} <= set(because["required"])
    assert "forms: {word, from}" in (got["tool"].description or "")
    error, answer = got["answer"]
    hits = [h for h in answer["hits"] if h["path"] == "gardening/Growing tomatoes.md"]
    assert not error and {"word": "tomatoes", "from": "tomato"} in hits[0]["because"]["forms"]
    assert all(e["word"] != "tomatoes" for h in answer["hits"] for e in h["because"]["expanded"])


def test_every_argument_of_every_tool_is_described(indexed) -> None:
    """An agent sees what each argument is for, not only its type."""
    schemas: dict[str, Any] = {}

    async def body(s: ClientSession) -> None:
        schemas.update({t.name: t.input_schema for t in (await s.list_tools()).tools})
    session(*indexed, body)
    bare = [f"{tool}.{name}" for tool, schema in schemas.items()
            for name, arg in schema.get("properties", {}).items() if not arg.get("description")]
    assert bare == []


def test_answers_match_the_cli(indexed, capsys) -> None:
    vault, ix = indexed
    common = ["--index-dir", str(ix)]
    expected = {
        "related": cli_json(capsys, "related", str(vault), "Kimchi", "--top", "4", *common),
        "related_above": cli_json(capsys, "related", str(vault), "Kimchi", "--min-score", "0.1", *common),
        "related_none": cli_json(capsys, "related", str(vault), "Kimchi", "--min-score", "0.9", *common),
        "concepts": cli_json(capsys, "concepts", str(vault), "Kimchi", "--top", "4", *common),
        "similar_words": cli_json(capsys, "similar", str(vault), "telescope", "--top", "4", *common),
        "status": cli_json(capsys, "status", str(vault), *common),
    }
    got: dict[str, Any] = {}

    async def body(s: ClientSession) -> None:
        got["related"] = await call(s, "related", note="Kimchi", limit=4)
        got["related_above"] = await call(s, "related", note="Kimchi", min_score=0.1)
        got["related_none"] = await call(s, "related", note="Kimchi", min_score=0.9)
        got["concepts"] = await call(s, "concepts", note="Kimchi", limit=4)
        got["similar_words"] = await call(s, "similar_words", word="telescope", limit=4)
        got["status"] = await call(s, "status")
        got["read_note"] = await call(s, "read_note", note="cooking/Kimchi.md", max_chars=50)
    session(vault, ix, body)
    this_server = got["status"][1].pop("this_server")
    assert got["status"][1].pop("lists_truncated") is False
    for tool, answer in expected.items():
        assert got[tool] == (False, answer), tool
    assert 0 < len(got["related_above"][1]["related"]) < 10 and got["related_none"][1]["reason"]
    assert this_server["watch"] is False and this_server["watching"] is False
    assert this_server["message"].startswith("no watcher keeps the index current")
    error, note = got["read_note"]
    assert not error and note["path"] == "cooking/Kimchi.md" and note["truncated"]
    assert note["text"].startswith((vault / "cooking/Kimchi.md").read_text(encoding="utf-8")[:50])


def test_bad_arguments_and_escapes_are_tool_errors_worded_as_the_cli(indexed, capsys) -> None:
    vault, ix = indexed
    main(["related", str(vault), "Kimchee", "--index-dir", str(ix)])
    cli_error = capsys.readouterr().err.strip().removeprefix("notelink: ")
    got: list[tuple[bool, Any]] = []

    async def body(s: ClientSession) -> None:
        got.append(await call(s, "related", note="Kimchee"))
        got.append(await call(s, "related", note="Kimchi", limit=500))
        got.append(await call(s, "similar_words", word="zzzz-no-such-word"))
        for escape in ("../ix/index.sqlite", "/etc/passwd", "../../../etc/hosts.md", str(ix / "CURRENT"),
                       "x" * 300 + ".md"):  # (a name too long for a file: not found either)
            got.append(await call(s, "read_note", note=escape))
    session(vault, ix, body)
    assert got[0] == (True, cli_error) and "did you mean: Kimchi" in cli_error
    assert all(error for error, _ in got)
    assert got[1][1] == "limit must be between 1 and 50, not 500"
    assert all("no note named" in text for _, text in got[3:])


def test_read_note_says_when_the_file_changed_since_the_index_was_built(indexed) -> None:
    vault, ix = indexed
    seen: list[tuple[bool, Any]] = []

    async def body(s: ClientSession) -> None:
        seen.append(await call(s, "read_note", note="Kimchi"))
        (vault / "cooking/Kimchi.md").write_text("---\ntitle: Gimchi recipe\n---\n# Gimchi\n\nRewritten.\n",
                                                 encoding="utf-8")
        seen.append(await call(s, "read_note", note="Kimchi"))
    session(vault, ix, body)
    (_, before), (error, after) = seen
    assert before["changed_since_index"] is False
    assert not error and after["changed_since_index"] is True and after["title"] == "Kimchi"
    assert after["text"].startswith("---\ntitle: Gimchi recipe")


def test_read_note_bounds_every_list_not_only_the_text(make_vault, tmp_path: Path) -> None:
    """A note of 2,000 links, tags and headings read with max_chars 100 was 1.8 MB (the sweep's 20k-line
    note): each list is now cut at max_items (default 100, each entry at 200 characters), and counts and
    lists_truncated say how long the lists are."""
    lines = [f"# Heading {i}\n- [[Kimchi]] [[nowhere{i}]] #tag{i}" for i in range(2000)]
    vault = make_vault({"Kimchi.md": "# Kimchi\n\ncabbage chili garlic",
                        "links.md": "# Links\n\n" + "\n".join(lines) + "\n\n# " + "h" * 5000})
    build_index(vault, tmp_path / "ix", FAST)
    got: list[tuple[bool, Any]] = []

    async def body(s: ClientSession) -> None:
        got.append(await call(s, "read_note", note="links", max_chars=100))
        got.append(await call(s, "read_note", note="links", max_chars=100, max_items=3))
        got.append(await call(s, "read_note", note="Kimchi"))
        got.append(await call(s, "read_note", note="links", max_items=501))
    session(vault, tmp_path / "ix", body)
    (_, default), (_, three), (_, small), (error, too_many) = got
    assert default["counts"] == {"aliases": 0, "tags": 2000, "headings": 2002, "links": 4000}
    assert default["lists_truncated"] and len(default["links"]) == len(default["tags"]) == 100
    assert len(json.dumps(default)) < 30_000
    assert three["links"] == [{"target": "Kimchi", "path": "Kimchi.md"}, {"target": "nowhere0", "path": None},
                              {"target": "Kimchi", "path": "Kimchi.md"}] and len(three["headings"]) == 3
    assert not small["lists_truncated"] and small["counts"]["headings"] == len(small["headings"]) == 1
    assert error and too_many == "max_items must be between 1 and 500, not 501"


def test_read_note_cuts_a_long_heading_at_200_characters(make_vault, tmp_path: Path) -> None:
    vault = make_vault({"a.md": "# " + "h" * 5000 + "\n\nbread", "b.md": "# B\n\nbread"})
    build_index(vault, tmp_path / "ix", FAST)
    got: list[tuple[bool, Any]] = []

    async def body(s: ClientSession) -> None:
        got.append(await call(s, "read_note", note="a.md"))
    session(vault, tmp_path / "ix", body)
    (_, note), = got
    assert note["headings"] == ["h" * 199 + "\u2026"] and not note["lists_truncated"]


def test_a_draft_is_said_back_as_the_cli_s_stdin_says_it(indexed, capsys, monkeypatch) -> None:
    """The draft's last line end is no part of the query said back, in the tool as in `search --stdin`."""
    vault, ix = indexed
    draft = "Fed the starter twice today, the levain is bubbly.\r\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(draft))
    cli = cli_json(capsys, "search", str(vault), "--stdin", "--top", "3", "--index-dir", str(ix))
    got: list[tuple[bool, Any]] = []

    async def body(s: ClientSession) -> None:
        got.append(await call(s, "search", query=draft, limit=3, draft=True))
    session(vault, ix, body)
    (error, answer), = got
    assert not error and answer["query"] == cli["query"] == draft.rstrip("\r\n")
    assert [h["path"] for h in answer["hits"]] == [h["path"] for h in cli["hits"]]


def test_a_pasted_wikilink_names_its_note(indexed) -> None:
    got: list[tuple[bool, Any]] = []

    async def body(s: ClientSession) -> None:
        got.append(await call(s, "related", note="[[Kimchi|the recipe]]", limit=2))
        got.append(await call(s, "read_note", note="[[Kimchi#Method]]", max_chars=10))
    session(*indexed, body)
    (error, related), (_, note) = got
    assert not error and related["note"] == note["path"] == "cooking/Kimchi.md"


def test_a_name_typed_without_accents_is_read_as_the_note_s_and_said_so(indexed) -> None:
    vault, ix = indexed
    got: list[tuple[bool, Any]] = []

    async def body(s: ClientSession) -> None:
        got.append(await call(s, "related", note="Nuit a Valensole", limit=2))
    session(vault, ix, body)
    (error, related), = got
    assert not error and related["note"] == "astronomy/Nuit à Valensole.md"
    assert related["warning"].startswith("'Nuit a Valensole' read as Nuit à Valensole")


def test_a_new_generation_is_seen_by_the_next_call(indexed) -> None:
    vault, ix = indexed
    seen: list[tuple[bool, Any]] = []

    async def body(s: ClientSession) -> None:
        seen.append(await call(s, "read_note", note="Comets"))
        (vault / "astronomy/Comets.md").write_text("# Comets\n\nA comet's tail points away from the sun; "
                                                   "see [[Eclipses]].", encoding="utf-8")
        await anyio.to_thread.run_sync(lambda: build_index(vault, ix, FAST))
        seen.append(await call(s, "read_note", note="Comets"))
        seen.append(await call(s, "status"))
    session(vault, ix, body)
    assert seen[0][0] and "no note named 'Comets'" in seen[0][1]
    assert not seen[1][0] and seen[1][1]["links"] == [{"target": "Eclipses", "path": "astronomy/Eclipses.md"}]
    assert seen[2][1]["generation"] == 2


def test_search_answers_as_the_cli_does(indexed, capsys) -> None:
    vault, ix = indexed
    cli = cli_json(capsys, "search", str(vault), "sourdough", "bread", "--top", "3", "--index-dir", str(ix))
    got: list[tuple[bool, Any]] = []

    async def body(s: ClientSession) -> None:
        got.append(await call(s, "search", query="sourdough bread", limit=3))
        got.append(await call(s, "search", query="zzqx sourdough", limit=3))
    session(vault, ix, body)
    (error, answer), (_, unknown) = got
    assert not error and [h["path"] for h in answer["hits"]] == [h["path"] for h in cli["hits"]]
    assert answer["hits"] == cli["hits"]  # one hit object: the snippet's line and spans, because's parts
    assert all(h["snippet"]["line"] >= 1 and h["because"]["words"] for h in answer["hits"])
    assert unknown["unknown"] == ["zzqx"] and unknown["suggestions"] == {}


def test_a_long_draft_s_lists_are_bounded_and_said_cut(indexed) -> None:
    """A whole note as a draft: hundreds of words searched, each hit's because listing most of them (5 kB a
    hit on the dev vault); the answer lists 50 words and 20 reasons a hit, and says a list was cut."""
    vault, _ = indexed
    draft = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(vault.rglob("*.md")))
    got: list[tuple[bool, Any]] = []

    async def body(s: ClientSession) -> None:
        got.append(await call(s, "search", query=draft, limit=5, draft=True))
        got.append(await call(s, "search", query="sourdough bread", limit=5))
    session(*indexed, body)
    (error, long), (_, short) = got
    assert not error and long["hits"] and long["lists_truncated"] is True
    assert len(long["words"]) == MAX_LIMIT and len(long["ignored"]) <= MAX_LIMIT
    assert all(len(h["because"][k]) <= MAX_REASONS for h in long["hits"] for k in ("words", "anchors"))
    assert any(len(h["because"]["words"]) == MAX_REASONS for h in long["hits"])
    assert short["lists_truncated"] is False and short["words"] == ["sourdough", "bread"]


def test_a_snippet_cut_keeps_only_the_spans_inside_the_text_kept() -> None:
    text = "w" * 395 + " dough and more"
    spans = [[0, 3], [396, 400], [396, 401]]
    hit = {"snippet": {"text": text, "spans": spans, "line": 1}, "because": {"words": [], "anchors": []}}
    cut = _cut(hit)["snippet"]
    assert cut["text"] == text[:MAX_SNIPPET - 1] + "\u2026" and len(cut["text"]) == MAX_SNIPPET
    assert cut["spans"] == [[0, 3]]  # (a span ending at 400 took in the `…`)


def test_a_query_of_stop_words_only_says_they_were_left_out(indexed, capsys) -> None:
    """Nothing searchable is told apart from nothing found: the words searched for and the stop words left
    out, as `search --json` has them."""
    vault, ix = indexed
    cli = cli_json(capsys, "search", str(vault), "the", "and", "of", "--index-dir", str(ix))
    got: list[tuple[bool, Any]] = []

    async def body(s: ClientSession) -> None:
        got.append(await call(s, "search", query="the and of"))
        got.append(await call(s, "search", query="the compost"))
    session(vault, ix, body)
    (error, stop), (_, some) = got
    assert not error and stop["hits"] == [] and stop["words"] == [] == cli["words"]
    assert stop["ignored"] == cli["ignored"] == ["and", "of", "the"]
    assert some["words"] == ["compost"] and some["ignored"] == ["the"] and some["hits"]


def test_without_an_index_the_error_says_how_to_build_the_one_asked_for(tmp_path: Path) -> None:
    vault, ix = tmp_path / "vault", tmp_path / "my index"
    shutil.copytree(SAMPLE, vault)
    got: list[tuple[bool, Any]] = []

    async def body(s: ClientSession) -> None:
        got.append(await call(s, "status"))
    session(vault, ix, body)
    assert got[0][0] and f"run `notelink index {vault} --index-dir '{ix}'`" in got[0][1]


def test_watch_builds_with_the_config_files_settings(tmp_path: Path) -> None:
    vault, ix, config = tmp_path / "vault", tmp_path / "ix", tmp_path / "config.toml"
    shutil.copytree(SAMPLE, vault)
    config.write_text('[train]\ndim = 16\nepochs = 2\nthreads = 1\n[index]\nexclude = ["music/"]\n',
                      encoding="utf-8")
    env = {**os.environ, "NOTELINK_CONFIG": str(config)}
    seen: list[tuple[bool, Any]] = []

    async def body(s: ClientSession) -> None:
        seen.append(await call(s, "status"))  # (before the watcher's first build is done, or after)
        with anyio.fail_after(300):  # a guard: the loop ends when the index is there
            while (answer := await call(s, "status"))[0]:
                assert "it is being built (--watch)" in answer[1]
                await anyio.sleep(0.1)
        seen.append(answer)
    session(vault, ix, body, "--watch", env=env)
    assert not seen[-1][0] and seen[-1][1]["notes"] > 0
    meta = Index.open(ix).meta
    assert meta["model"]["dim"] == 16 and meta["index_config"]["exclude"] == ["music/"]
    assert not any(n.path.startswith("music/") for n in Index.open(ix).notes)


def test_a_second_watching_server_takes_over_when_the_first_stops(indexed) -> None:
    """Two clients start `notelink mcp VAULT --watch`: the second serves while the first watches, says so in
    its status, and keeps the index current itself once the first one is gone."""
    vault, ix = indexed
    seen: dict[str, Any] = {}

    async def first(up: anyio.Event, close: anyio.Event) -> None:
        async with connected(vault, ix, "--watch") as a:
            seen["a"] = await until(a, "status", lambda st: st["this_server"]["watching"])
            up.set()
            await close.wait()

    async def run() -> None:
        up, close = anyio.Event(), anyio.Event()
        async with anyio.create_task_group() as group:
            group.start_soon(first, up, close)
            await up.wait()
            async with connected(vault, ix, "--watch") as b:
                seen["b"] = (await call(b, "status"))[1]["this_server"]
                close.set()  # the first client goes: its server stops, and its watcher with it
                seen["b after"] = await until(b, "status", lambda st: st["this_server"]["watching"])
                (vault / "Quokka habits.md").write_text("# Quokka habits\n\nThe quokka, a small marsupial, "
                                                         "smiles at tourists.\n", encoding="utf-8")
                seen["found"] = await until(b, "search", lambda r: r["hits"], query="quokka marsupial")

    anyio.run(run)
    pid = seen["a"]["watcher"]["pid"]
    assert seen["a"]["this_server"]["message"] == "this server keeps the index current (--watch)"
    assert seen["b"]["watch"] and not seen["b"]["watching"]
    assert f"another watcher (pid {pid}) keeps the index" in seen["b"]["message"]
    assert "this server takes over watching when it stops" in seen["b"]["message"]
    assert seen["b after"]["watcher"]["pid"] not in (None, pid)
    assert seen["found"]["hits"][0]["path"] == "Quokka habits.md"


def test_a_server_that_took_over_watching_and_is_closed_at_once_stops_cleanly(tmp_path: Path) -> None:
    """The sweep: a server that had just taken over watching, closed at once, still waited for its fork
    server to import torch, and its host's SIGTERM 2 s after closing stdin killed it: "5 leaked semaphore
    objects", and the next watcher said the previous one "did not stop cleanly". It now stops by itself."""
    from notelink.index.lock import WatcherLock, lock_info

    vault, ix, err = tmp_path / "vault", tmp_path / "ix", tmp_path / "server.err"
    shutil.copytree(SAMPLE, vault)
    build_index(vault, ix, FAST)
    other = WatcherLock(ix)  # another watcher (here: this process) keeps the index
    other.acquire()

    async def run() -> None:
        args = ["-m", "notelink", "mcp", str(vault), "--index-dir", str(ix), "--watch"]
        params = StdioServerParameters(command=sys.executable, args=args)
        with open(err, "w", encoding="utf-8") as errlog:
            async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as s:
                await s.initialize()
                assert not (await call(s, "status"))[1]["this_server"]["watching"]
                other.release()  # the other watcher stops: the server takes over
                await until(s, "status", lambda st: st["this_server"]["watching"])
            # (closed at once: stdin shut, then SIGTERM if the server has not exited within 2 s)

    try:
        anyio.run(run)
    finally:
        other.release()
    said = err.read_text(encoding="utf-8")
    assert "now keeps the index" in said and "notelink: stopped" in said, said
    assert "leaked" not in said and "SIGTERM" not in said, said
    assert lock_info(ix).pid is None  # released: no "did not stop cleanly" next time


def test_watching_a_vault_without_notes_says_so_instead_of_ask_again(tmp_path: Path) -> None:
    vault, ix = tmp_path / "empty vault", tmp_path / "ix"
    vault.mkdir()
    seen: list[tuple[bool, Any]] = []

    async def body(s: ClientSession) -> None:
        with anyio.fail_after(120):  # a guard: the loop ends when the watcher's first build has given up
            while "it is being built" in (answer := await call(s, "related", note="Kimchi"))[1]:
                await anyio.sleep(0.1)
        seen.append(answer)
    session(vault, ix, body, "--watch")
    error, text = seen[0]
    assert error and f"no notes found in {vault}" in text and "ask again" not in text


def test_a_name_several_notes_have_is_said_in_the_answer(tmp_path: Path) -> None:
    vault, ix = tmp_path / "vault", tmp_path / "ix"
    for folder in ("a", "b", "c"):
        (vault / folder).mkdir(parents=True)
        (vault / folder / "Notes.md").write_text(f"# Notes\n\n{folder} bread flour oven", encoding="utf-8")
    build_index(vault, ix, FAST)
    got: dict[str, tuple[bool, Any]] = {}

    async def body(s: ClientSession) -> None:
        for tool in ("related", "concepts", "read_note"):
            got[tool] = await call(s, tool, note="Notes")
        got["path"] = await call(s, "related", note="b/Notes.md")
    session(vault, ix, body)
    every = {"a/Notes.md", "b/Notes.md", "c/Notes.md"}
    for tool in ("related", "concepts", "read_note"):
        error, answer = got[tool]
        chosen = answer["note" if tool != "read_note" else "path"]
        assert not error and answer["also_named"] == sorted(every - {chosen})
        warning = answer["warning"]
        assert warning.startswith("'Notes' also names ") and f"showing {chosen}" in warning
    assert "also_named" not in got["path"][1]  # a path names one note


def test_notes_whose_paths_differ_only_by_case_are_answered_for_the_one_asked(tmp_path: Path) -> None:
    vault, ix = tmp_path / "vault", tmp_path / "ix"
    vault.mkdir()
    words = "garden compost mulch soil water seeds " * 3
    for path, title in (("Plan.md", "Garden plan"), ("plan.md", "Work plan"), ("other.md", "Other")):
        (vault / path).write_text(f"# {title}\n\n{words}\n", encoding="utf-8")
    build_index(vault, ix, FAST)
    got: dict[str, tuple[bool, Any]] = {}

    async def body(s: ClientSession) -> None:
        for note in ("Plan.md", "plan.md", "Work plan", "PLAN.md"):
            got[note] = await call(s, "related", note=note)
        got["read"] = await call(s, "read_note", note="plan.md")
    session(vault, ix, body)
    for note, path, twin in (("Plan.md", "Plan.md", "plan.md"), ("plan.md", "plan.md", "Plan.md"),
                             ("Work plan", "plan.md", "Plan.md")):
        error, answer = got[note]
        assert not error and answer["note"] == path and answer["related"][0]["path"] == twin
        assert "also_named" not in answer
    error, answer = got["PLAN.md"]
    assert not error and answer["also_named"] == [({"Plan.md", "plan.md"} - {answer["note"]}).pop()]
    assert "give the exact path to choose" in answer["warning"]
    assert got["read"][1]["title"] == "Work plan"


WRONG = [
    ("search", {}, 'query is missing: it must be text (what to look for, in words: "a phrase" in quotes, '
                   "#tag and path:folder filter, -word leaves out the notes that have the word)"),
    ("related", {}, "note is missing: it must be text (a note's title, alias, file name or vault-relative "
                    "path)"),
    ("search", {"query": "bread", "limit": "3"}, 'limit must be a whole number, not "3"'),
    ("search", {"query": "bread", "limit": True}, "limit must be a whole number, not true"),
    ("read_note", {"note": "Kimchi", "max_chars": 2.5}, "max_chars must be a whole number, not 2.5"),
    ("related", {"note": "Kimchi", "unlinked": "yes"}, 'unlinked must be true or false, not "yes"'),
    ("related", {"note": "Kimchi", "min_score": "0.3"}, 'min_score must be a number or null, not "0.3"'),
    ("related", {"note": "Kimchi", "min_score": 2},
     "min_score must be a number of at most 1 (a score is 1 at most), not 2.0"),
    ("similar_words", {"word": 42}, "word must be text, not 42"),
    ("similar_words", {"word": ""}, "word is empty: give a word"),
    ("related", {"note": ""}, "note is empty: give a note's path or title"),
    ("read_note", {"note": " "}, "note is empty: give a note's path or title"),
    ("search", {"query": "  "}, "query is empty: give words to search for"),
    ("search", {"query": "bread", "bogus": 1}, "search takes no argument 'bogus'; it takes: query, limit, "
                                               "draft"),
    ("status", {"x": 1}, "status takes no argument 'x'; it takes none")]


def test_wrong_arguments_are_said_plainly(indexed) -> None:
    """A missing argument, or one of the wrong JSON type (no "3" for a number, no "yes" for a boolean), or one
    a tool does not take: the argument and what it must be, not a validation library's report."""
    got: list[tuple[bool, Any]] = []

    async def body(s: ClientSession) -> None:
        for tool, arguments, _ in WRONG:
            got.append(await call(s, tool, **arguments))
    session(*indexed, body)
    assert got == [(True, says) for _, _, says in WRONG]


def test_what_is_said_back_is_cut(indexed: tuple[Path, Path]) -> None:
    got: dict[str, tuple[bool, Any]] = {}

    async def body(s: ClientSession) -> None:
        got["search"] = await call(s, "search", query="q" * 100_000)
        got["related"] = await call(s, "related", note="x" * 100_000)
        got["similar_words"] = await call(s, "similar_words", word="y" * 100_000)
    session(*indexed, body)
    error, answer = got["search"]
    assert not error and answer["query"] == "q" * 199 + "…" and answer["unknown"] == ["q" * 199 + "…"]
    for tool in ("related", "similar_words"):
        error, text = got[tool]
        assert error and len(text) < 400 and "…" in text


def test_a_damaged_then_missing_index_is_said_with_the_vault_and_status_answers(
        indexed: tuple[Path, Path]) -> None:
    from notelink.index.store import current_generation

    vault, ix = indexed
    got: dict[str, tuple[bool, Any]] = {}

    async def body(s: ClientSession) -> None:
        assert not (await call(s, "related", note="Kimchi"))[0]
        gen = current_generation(ix)
        assert gen is not None
        with open(gen / "syn0.npy", "r+b") as f:  # cut short in place, under the running server
            f.truncate(200)
        got["damaged related"] = await call(s, "related", note="Kimchi")
        got["damaged status"] = await call(s, "status")
        shutil.rmtree(ix)
        got["missing"] = await call(s, "related", note="Kimchi")
    session(vault, ix, body)
    rebuild = f"`notelink index {vault} --index-dir {ix}`"
    error, text = got["damaged related"]
    assert error and "damaged" in text and rebuild in text
    error, status = got["damaged status"]
    assert not error and status["damaged"] is True and rebuild in status["error"]
    assert status["problems"] and "this_server" in status
    error, text = got["missing"]
    assert error and "has no index yet" in text and "(or start the server with --watch)" in text


def test_no_index_names_the_folder_it_was_looked_for_in(indexed, tmp_path: Path) -> None:
    """An MCP client's reduced environment (the SDK's default: no $XDG_DATA_HOME) looks for the index in
    another folder than the user's shell: the error names the folder, so that the mismatch shows."""
    vault, _ = indexed
    home = tmp_path / "home"
    got: list[tuple[bool, Any]] = []

    async def body() -> None:
        params = StdioServerParameters(command=sys.executable, args=["-m", "notelink", "mcp", str(vault)],
                                       env={"HOME": str(home), "PATH": os.environ.get("PATH", "")})
        async with stdio_client(params) as (read, write), ClientSession(read, write) as s:
            await s.initialize()
            got.append(await call(s, "related", note="Kimchi"))
    anyio.run(body)
    (error, text), = got
    assert error and f"{vault} has no index yet (looked for in {home}/.local/share/notelink/vaults/" in text


def test_an_empty_answer_says_why(tmp_path: Path) -> None:
    import dataclasses

    vault, ix = tmp_path / "vault", tmp_path / "ix"
    vault.mkdir()
    (vault / "A.md").write_text("# A\n\nshort one", encoding="utf-8")
    (vault / "B.md").write_text("# B\n\nanother short", encoding="utf-8")
    build_index(vault, ix, dataclasses.replace(FAST, min_count=5))
    got: dict[str, tuple[bool, Any]] = {}

    async def body(s: ClientSession) -> None:
        got["related"] = await call(s, "related", note="A")
        got["concepts"] = await call(s, "concepts", note="A")
    session(vault, ix, body)
    for tool in ("related", "concepts"):
        error, answer = got[tool]
        assert not error and answer[tool] == [] and "learned no words" in answer["reason"]


def test_related_says_which_notes_are_weak_in_its_schema_and_answers(indexed) -> None:
    """The related tool's output schema has `weak` (a boolean every related note carries), its description
    says what it means at the configured cut, and its answers mark the notes below it."""
    got: dict[str, Any] = {}

    async def body(s: ClientSession) -> None:
        got["tool"] = next(t for t in (await s.list_tools()).tools if t.name == "related")
        got["answer"] = await call(s, "related", note="Compost", limit=20)
    session(*indexed, body)
    schema = got["tool"].output_schema
    item = schema["$defs"]["RelatedNote"]
    assert item["properties"]["weak"]["type"] == "boolean" and "weak" in item["required"]
    assert f"weak (score below {RelatedConfig().weak_below}: a long shot" in got["tool"].description
    error, answer = got["answer"]
    hits = answer["related"]
    assert not error and [h["weak"] for h in hits] == [h["score"] < RelatedConfig().weak_below for h in hits]
    assert {h["weak"] for h in hits} == {False, True}


def test_every_field_an_answer_has_is_in_its_tool_s_output_schema(indexed) -> None:
    """`status` answered `device`, `index_dir`, `model`, `links` and `exclude`, which its published output
    schema left out: an agent reading the schema could not know them."""
    asks = {"search": {"query": "compost"}, "related": {"note": "Compost"}, "concepts": {"note": "Compost"},
            "similar_words": {"word": "soil"}, "read_note": {"note": "Compost"}, "status": {}}

    async def body(s: ClientSession) -> None:
        schemas = {t.name: t.output_schema or {} for t in (await s.list_tools()).tools}
        for tool, arguments in asks.items():
            failed, answer = await call(s, tool, **arguments)
            assert not failed, answer
            unknown = set(answer) - set(schemas[tool]["properties"])
            assert not unknown, (tool, unknown)
    session(*indexed, body)


def test_status_says_when_its_list_of_skipped_files_was_cut(make_vault, tmp_path: Path) -> None:
    """status lists the first 50 skipped files; a vault with more had them cut with nothing said, where
    the other tools say `lists_truncated`: status says it too."""
    from notelink.config import IndexConfig

    vault = make_vault({"a.md": "# A\n\nsoil compost\n", **{f"big{i}.md": "word " * 300 for i in range(52)}})
    build_index(vault, tmp_path / "ix", FAST, IndexConfig(max_file_bytes=1000))
    got: list[Any] = []

    async def body(s: ClientSession) -> None:
        got.append(await call(s, "status"))
    session(vault, tmp_path / "ix", body)
    error, status = got[0]
    assert not error and len(status["skipped"]) == MAX_LIMIT and status["lists_truncated"] is True

"""The health report, known answers on a small vault built for each finding."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from notelink.cli.main import main
from notelink.index.build import build_index
from notelink.index.report import IndexEvent
from notelink.query import health as health_mod
from notelink.query.health import health
from notelink.query.index import Index

from ..conftest import FAST, SAMPLE

TOPICS = {
    "bread": "sourdough starter flour water dough knead oven crust loaf yeast ferment rise bake",
    "stars": "telescope planet orbit star galaxy nebula eyepiece lens moon eclipse comet astronomy",
    "garden": "compost soil seed tomato prune water root leaf mulch sprout harvest bed worm",
}
SHARED = ("A long shared paragraph about kneading dough by hand for ten minutes until smooth and elastic, "
          "then resting it covered in a warm kitchen.")


def _vault(make_vault) -> Path:
    files: dict[str, str | bytes] = {}
    for topic, words in TOPICS.items():
        w = words.split()
        for i in range(8):
            body = " ".join(w[(i + k) % len(w)] for k in range(50))  # 8 distinct rotations
            link = f"[[{topic} {(i + 1) % 8}]]"  # a ring: every note links one way to the next
            tags = f"\n\n#{topic}" if i < 6 else ""  # the last two of each topic lack the topic's tag
            files[f"{topic}/{topic} {i}.md"] = f"# {topic} {i}\n\n{body}\n\n{link}{tags}"
    files["bread/bread 0.md"] += "\n\nSee [[Bread 9]] and [[Sourdough starer]]."  # two dead links
    files["bread/bread 1.md"] += "\n\nAlso [[stars 3]]."  # a link between unrelated notes: stale
    files["Sourdough starter.md"] = f"# Sourdough starter\n\n{SHARED}\n\nflour water starter"
    files["Starter copy.md"] = f"# Starter copy\n\n{SHARED}\n\nflour water starter"
    files["lonely.md"] = "# Lonely\n\nA note that links nowhere, the longest orphan: " + "word " * 30
    return make_vault(files)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    root = tmp_path_factory.mktemp("health")

    def make_vault(files: dict[str, str | bytes]) -> Path:
        for rel, text in files.items():
            (root / "vault" / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / "vault" / rel).write_text(str(text), encoding="utf-8")
        return root / "vault"

    vault = _vault(make_vault)
    build_index(vault, root / "ix", FAST)
    return Index.open(root / "ix")


def test_dead_links_are_grouped_by_target_with_what_they_may_mean(index: Index) -> None:
    dead = {d.target: d for d in health_mod.dead_links(index)}
    assert set(dead) == {"Bread 9", "Sourdough starer"}
    assert dead["Sourdough starer"].sources == ["bread/bread 0.md"] and dead["Sourdough starer"].count == 1
    assert dead["Sourdough starer"].suggestions[0] == "Sourdough starter.md"


def test_orphans_are_notes_without_links_longest_first(index: Index) -> None:
    assert health_mod.orphans(index) == ["lonely.md", "Sourdough starter.md", "Starter copy.md"]


def test_one_way_links_are_those_not_linked_back(index: Index) -> None:
    one_way = health_mod.one_way(index)
    assert ("bread/bread 0.md", "bread/bread 1.md") in {(p.a, p.b) for p in one_way}
    assert [p.score for p in one_way] == sorted((p.score for p in one_way), reverse=True)


def test_a_link_between_unrelated_notes_is_stale(index: Index) -> None:
    stale = health_mod.stale_links(index)
    assert stale and (stale[0].a, stale[0].b) == ("bread/bread 1.md", "stars/stars 3.md")


def test_notes_sharing_paragraphs_are_near_duplicates(index: Index) -> None:
    dups = health(index).duplicates
    assert [(p.a, p.b) for p in dups] == [("Sourdough starter.md", "Starter copy.md")]
    assert dups[0].overlap == 1.0


def test_tags_of_related_notes_are_suggested(index: Index) -> None:
    tags = {s.path: s.tags for s in health(index).tags}
    assert tags.get("garden/garden 7.md") == ["garden"] and tags.get("stars/stars 6.md") == ["stars"]
    assert "garden/garden 1.md" not in tags  # it has its tag


def test_lists_are_cut_at_limit_and_counted_before(index: Index) -> None:
    report = health(index, limit=1)
    assert len(report.one_way) == 1 and report.counts["one_way"] > 1


def test_health_command_prints_text_and_json(index: Index, capsys) -> None:
    vault, ix = index.meta["vault"], str(index.gen.parent)
    assert main(["health", vault, "--index-dir", ix, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["dead_links"] == 2 and data["duplicates"][0]["overlap"] == 1.0
    assert all(p["source"] == p["a"] and p["target"] == p["b"] for p in data["one_way"])  # a links to b
    assert data["one_way"] and {"source", "target"} <= data["one_way"][0].keys()
    assert main(["health", vault, "--index-dir", ix]) == 0
    assert "[[Sourdough starer]] from bread/bread 0.md" in capsys.readouterr().out


def test_a_dead_link_written_with_a_path_suggests_the_note_of_that_name(tmp_path: Path) -> None:
    """After a folder rename, a link written with a path (`../gardening/Compost.md`, `[[Old folder/Tags]]`)
    is dead; the note of that file name, in its new folder, is what it meant (it got no suggestion)."""
    vault = tmp_path / "vault"
    notes = {"garden-notes/Compost.md": "# Compost\n\nKitchen scraps and leaves rot into soil.",
             "garden-notes/Mulch.md": "# Mulch\n\nStraw keeps soil moist. "
                                      "See [compost](../gardening/Compost.md).",
             "Formatting/Tags.md": "# Tags\n\nTags group notes.",
             "Formatting/Properties.md": "# Properties\n\nSee [[Editing and formatting/Tags#Nested tags]]."}
    for rel, text in notes.items():
        (vault / rel).parent.mkdir(parents=True, exist_ok=True)
        (vault / rel).write_text(text, encoding="utf-8")
    build_index(vault, tmp_path / "ix", FAST)
    dead = {d.target: d.suggestions for d in health_mod.dead_links(Index.open(tmp_path / "ix"))}
    assert dead == {"../gardening/Compost.md": ["garden-notes/Compost.md"],
                    "Editing and formatting/Tags": ["Formatting/Tags.md"]}, dead


def test_a_dead_link_gets_suggestions_in_its_own_language_or_folder(tmp_path: Path) -> None:
    """In a vault of translations, German `[[Einstellungen]]` did not mean Dutch `Instellingen`: a note in
    another language and another top folder is no suggestion; of those left, the nearest the linking note
    first (a same-language note in another folder still counts)."""
    de = "Die Ansicht ist nicht nur für eine Notiz, sondern auch für die anderen und wir können sie öffnen."
    nl = "De weergave is niet alleen voor een notitie, maar ook voor de andere en wij kunnen het openen."
    en = "The view is not only for one note but also for the others and we can open it from there."
    index = _index_of(tmp_path, {
        "de/Erweiterungen/Graph.md": f"# Graph\n\n{de} Siehe [[Einstellungen]] und [[Gruppen]].",
        "nl/Gebruikersinterface/Instellingen.md": f"# Instellingen\n\n{nl}",
        "de/Oberfläche/Gruppe.md": f"# Gruppe\n\n{de}", "nl/Gruppe.md": f"# Gruppe\n\n{nl}",
        "en/Groups.md": f"# Groups\n\n{en} See [[Grouping]].", "notes/Groupings.md": f"# Groupings\n\n{en}",
        "en/Deep/Groupings.md": f"# Groupings\n\n{en}"})
    dead = {d.target: d.suggestions for d in health_mod.dead_links(index)}
    assert dead == {"Einstellungen": [], "Gruppen": ["de/Oberfläche/Gruppe.md"],
                    "Grouping": ["en/Deep/Groupings.md", "notes/Groupings.md"]}, dead


def test_zk_ids_read_as_obsidian_get_their_note_and_a_hint(tmp_path: Path, capsys) -> None:
    """`[[202301011200]]` in a vault read as Obsidian is dead; the one note whose file name it starts is
    what it meant (difflib found it for 1 of 7 ids), and the report says to try `--dialect zk`."""
    from notelink.config import DialectConfig, IndexConfig

    vault = tmp_path / "vault"
    vault.mkdir()
    for i, name in enumerate(["Forgetting curve", "Spaced repetition", "Active recall", "Anki"]):
        (vault / f"2023010{i}1200 {name}.md").write_text(
            f"# {name}\n\nMemory and review, see [[2023010{(i + 1) % 4}1200]] and [[2023-01-0{i}]].")
    build_index(vault, tmp_path / "ix", FAST, IndexConfig(dialect=DialectConfig("obsidian")))
    report = health(Index.open(tmp_path / "ix"))
    dead = {d.target: d.suggestions for d in report.dead_links}
    assert dead["202301001200"] == ["202301001200 Forgetting curve.md"]
    assert dead["202301031200"] == ["202301031200 Anki.md"]
    assert dead["2023-01-00"] == []  # (starts no file name)
    assert report.hint.startswith("4 dead links are ids that start one note's file name") and (
        "--dialect zk" in report.hint)
    assert main(["health", str(vault), "--index-dir", str(tmp_path / "ix")]) == 0
    assert "index it with --dialect zk)" in capsys.readouterr().out
    build_index(vault, tmp_path / "ix", FAST, IndexConfig(dialect=DialectConfig("zk")))
    report = health(Index.open(tmp_path / "ix"))
    assert report.hint == "" and {d.target for d in report.dead_links} == {f"2023-01-0{i}" for i in range(4)}


def _index_of(tmp_path: Path, notes: dict[str, str]) -> Index:
    """The index of a vault of `notes` (path: text; a path ending in `/` is an empty folder)."""
    for rel, text in notes.items():
        (tmp_path / "vault" / rel).parent.mkdir(parents=True, exist_ok=True)
        if not rel.endswith("/"):
            (tmp_path / "vault" / rel).write_text(text, encoding="utf-8")
    build_index(tmp_path / "vault", tmp_path / "ix", FAST)
    return Index.open(tmp_path / "ix")


def test_a_dead_link_with_a_dot_in_its_name_is_dead_and_an_attachment_is_not(tmp_path: Path) -> None:
    """Only a real attachment's suffix leaves a link out: `Release 1.5`, `v2.0 plan` and Dendron's
    `project.missing.note` are notes' names, as `status` counts them."""
    index = _index_of(tmp_path, {
        ".obsidian/": "",
        "Source.md": "# Source\n\n[[Release 1.5]] and [[v2.0 plan]] and [[Nonexistent note]] "
                     "and ![[photo.png]] and [[paper.pdf]] and [[Target]].",
        "Target.md": "# Target\n\nHere."})
    dead = {d.target for d in health_mod.dead_links(index)}
    assert dead == {"Release 1.5", "v2.0 plan", "Nonexistent note"}
    assert len(dead) == index.link_report["unresolved"]


def test_markdown_links_to_files_and_folders_are_no_dead_links(tmp_path: Path) -> None:
    """Markdown images and links to attachments count as attachments (missing or not), as `![[photo.png]]`
    does; a link to a file that is no note (`files/Makefile`) or to a folder without an index page is no
    dead link; a folder with one reaches it; a missing folder or note is dead."""
    index = _index_of(tmp_path, {
        ".obsidian/": "", "img/photo.png": "", "files/Makefile": "all:", "Empty/data.txt": "x",
        "Plugins/index.md": "# Plugins\n\nAll of them.",
        "sub/Source.md": "# Source\n\n![](../img/photo.png) ![](../img/missing.png) [pdf](../files/r.pdf) "
                         "[make](../files/Makefile) [[files/Makefile]] [plugins](../Plugins/) [e](../Empty/) "
                         "[e2](../Empty) [nope](../Nope/) [[Nowhere]] [[Empty]]"})
    assert {d.target for d in health_mod.dead_links(index)} == {"../Nope/", "Nowhere", "Empty"}
    report = index.link_report
    assert (report["unresolved"], report["resolved"]) == (3, 1)
    assert (report["attachments"], report["folders"]) == (5, 2)


def test_dendron_dead_links_are_listed_and_a_tag_without_its_note_is_not(tmp_path: Path) -> None:
    index = _index_of(tmp_path, {
        "dendron.yml": "version: 5\nworkspace:\n  vaults:\n    - fsPath: notes\n",
        "notes/daily.journal.2024.01.15.md": "# Today\n\n[[project.missing.note]] and [[Alias|project.gone]] "
                                             "and [[Garden|project.garden]], #feature.",
        "notes/project.garden.md": "# Garden\n\nBeds."})
    assert {d.target for d in health_mod.dead_links(index)} == {"project.missing.note", "project.gone"}
    assert index.link_report["unresolved"] == 2


HIERARCHY = {"tutorial.main.md": "# Main\n\nThe tutorial.", "tutorial.main.conclusion.md": "# End\n\nDone.",
             "garden.beds.raised.md": "# Raised\n\nBeds.", "garden.md": "# Garden\n\nSoil.",
             "scratch.md": "# Scratch\n\nAlone.", "user.example.md": "# Example\n\nNobody above.",
             "root.md": "# Root\n\nThe top.", "lost.md": "# Lost\n\nSee [[nowhere]] and [[gone.away]]."}


@pytest.mark.parametrize(("marker", "alone"), [
    ("dendron.yml", ["notes/lost.md", "notes/scratch.md", "notes/user.example.md"]),  # the rest sit in a
    # hierarchy; root.md is the top of every one
    (".obsidian/", sorted(f"notes/{rel}" for rel in HIERARCHY))])  # a dot in a name is no hierarchy there
def test_dendron_notes_in_a_hierarchy_are_no_orphans(tmp_path: Path, capsys, marker: str,
                                                     alone: list[str]) -> None:
    """Health listed 254 of dendron's notes as orphans, `tutorial.main.conclusion` among them, whose parent
    `tutorial.main` exists: Dendron's tree reaches a note with a note above it (`garden.beds.raised` under
    `garden`, through the stub `garden.beds`) or below it, and root.md is above every top-level note. Other
    dialects keep only links. A note whose links are all dead is one too, and said so."""
    config = "version: 5\nworkspace:\n  vaults:\n    - fsPath: notes\n" if marker == "dendron.yml" else ""
    index = _index_of(tmp_path, {marker: config, **{f"notes/{rel}": text for rel, text in HIERARCHY.items()}})
    assert sorted(health_mod.orphans(index)) == alone
    assert main(["health", index.meta["vault"], "--index-dir", str(index.gen.parent)]) == 0
    tree = ", nor a note above or below" if marker == "dendron.yml" else ""
    out = capsys.readouterr().out
    assert f"Orphans (no links in or out{tree}; dead links aside): {len(alone)}\n" in out
    assert "  notes/lost.md  (its links are all dead)\n" in out and "  notes/scratch.md\n" in out


def test_a_dead_link_is_shown_in_the_syntax_it_was_written_in(tmp_path: Path, capsys) -> None:
    """`[broken](missing.md)` is no `[[missing.md]]`: the user looks for what they wrote."""
    index = _index_of(tmp_path, {
        ".obsidian/": "",
        "docs/other note.md": "# Other\n\n[broken](missing.md), [ok](../Target.md), ![[Gone picture note]] "
                              "and [[Lost]], ![](../Target.md) and ![](Gone%20note.md).",
        "Target.md": "# Target\n\nHere."})
    kinds = {d.target: d.kind for d in health_mod.dead_links(index)}
    assert kinds == {"missing.md": "markdown", "Gone picture note": "embed", "Lost": "wiki",
                     "Gone note.md": "markdown-embed"}
    assert main(["health", index.meta["vault"], "--index-dir", str(index.gen.parent)]) == 0
    out = capsys.readouterr().out
    assert "  […](missing.md) from docs/other note.md" in out and "[[missing.md]]" not in out
    assert "  ![…](Gone%20note.md) from docs/other note.md" in out
    assert "  ![[Gone picture note]] from" in out and "  [[Lost]] from" in out


def test_logseq_status_and_health_name_the_same_pages_without_a_file(tmp_path: Path, capsys) -> None:
    """In Logseq a linked page exists (empty) before it has a file, so it is no dead link: both commands
    list it as a page with no file, and neither counts a tag (`tags:: space`) without one."""
    index = _index_of(tmp_path, {
        "logseq/config.edn": "{:file/name-format :triple-lowbar}",
        "pages/Deep Space.md": "- Telescopes look at deep space.",
        "pages/Probe.md": "tags:: space, [[Deep Space]]\n\n- A probe flies to [[Deep Space]].",
        "journals/2024_01_15.md": "- Looked at [[Missing Page]] about the #probe"})
    assert [d.target for d in health_mod.dead_links(index)] == ["Missing Page"]
    vault, ix = index.meta["vault"], str(index.gen.parent)
    assert main(["status", vault, "--index-dir", ix]) == 0
    status = capsys.readouterr().out
    assert "1 to pages with no file" in status
    assert "most linked pages with no file: Missing Page (1)" in status
    assert main(["health", vault, "--index-dir", ix]) == 0
    report = capsys.readouterr().out
    assert "Pages linked but with no file (Logseq shows them empty): 1\n  [[Missing Page]] from" in report
    assert "Dead links" not in report and "[[space]]" not in report


def test_a_tag_page_is_not_suggested_its_own_tag_nor_the_one_above(tmp_path: Path) -> None:
    """Dendron's `tags.feature` is the `#feature` note, `tags.feature.beds` sits under it: neither lacks
    `#feature`. A note like them that is no tag page still gets it suggested."""
    notes = {"dendron.yml": "version: 5\nworkspace:\n  vaults:\n    - fsPath: notes\n"}
    for topic, tag in (("garden", "feature"), ("stars", "role")):
        w = TOPICS[topic].split()
        for i in range(8):
            body = " ".join(w[(i + k) % len(w)] for k in range(50))
            name = {6: f"tags.{tag}", 7: f"tags.{tag}.beds"}.get(i, f"{topic}.n{i}") if topic == "garden" \
                else f"{topic}.n{i}"
            notes[f"notes/{name}.md"] = f"# {topic} {i}\n\n{body}" + (f"\n\n#{tag}" if i < 5 else "")
    tags = {s.path: s.tags for s in health(_index_of(tmp_path, notes), limit=100).tags}
    assert tags.get("notes/garden.n5.md") == ["feature"], tags
    assert "notes/tags.feature.md" not in tags and "notes/tags.feature.beds.md" not in tags, tags


def _generated(tmp_path: Path) -> Index:
    """A vault drawn at random (seeded): 240 notes on 12 topics, most tagged with one or two topics' tags,
    a fifth untagged, and a few notes copying a paragraph of another (near-duplicates)."""
    rng = random.Random(18)
    words = [f"{a}{b}{c}" for a in "bdgkmp" for b in "aeiou" for c in "lnrst"]  # 150 words
    topics = [rng.sample(words, 20) for _ in range(12)]
    notes: dict[str, str] = {}
    for i in range(240):
        t, u = rng.randrange(12), rng.randrange(12)
        paras = [" ".join(rng.choice(topics[t] if rng.random() < 0.6 else words) for _ in range(30))
                 for _ in range(3)]
        if i % 40 == 39:  # a copy of the first paragraph of an earlier note
            paras[0] = notes[f"n{i - 20:03d}.md"].split("\n\n")[1]
        tags = "" if i % 5 == 0 else f"\n\n#topic{t}" + (f" #topic{u}" if i % 3 == 0 else "")
        notes[f"n{i:03d}.md"] = f"# n{i:03d}\n\n" + "\n\n".join(paras) + tags
    return _index_of(tmp_path, notes)


def _every_note_ranked(index: Index, limit: int) -> health_mod.Health:
    """The report as notelink computed it before session 18: every note's related notes, in one pass."""
    neighbours = dict(health_mod.related_all(index, health_mod.TAG_NEIGHBOURS))
    shared = health_mod.shared_paragraphs(index)
    parts = {"duplicates": health_mod.duplicates(index, shared, neighbours),
             "tags": health_mod.tag_suggestions(index, neighbours)}
    report = health(index, limit)
    for name, found in parts.items():
        setattr(report, name, found[:limit])
        report.counts[name] = len(found)
    return report


@pytest.mark.parametrize("one_at_a_time", [0, 10**9])  # each note alone; every pair in one pass
@pytest.mark.parametrize("vault", ["sample", "generated"])
def test_ranking_only_the_notes_that_need_it_gives_the_same_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, vault: str, one_at_a_time: int) -> None:
    """Known answer: the report is the one from every note's related notes, however they are ranked."""
    if vault == "sample":
        build_index(SAMPLE, tmp_path / "ix", FAST)
        index = Index.open(tmp_path / "ix")
    else:
        index = _generated(tmp_path)
    want = _every_note_ranked(index, 1000)
    monkeypatch.setattr(health_mod, "ONE_AT_A_TIME", one_at_a_time)
    got = health(index, 1000)
    assert got == want
    assert vault == "sample" or (got.counts["tags"] > 0 and got.counts["duplicates"] > 0), got.counts


def test_a_vault_without_tags_ranks_only_the_near_duplicates(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """No tag can be suggested: the pass over every pair (N², 24 s at 10k notes) is not made; the two
    notes sharing a paragraph are ranked alone."""
    notes = {f"{topic} {i}.md": f"# {topic} {i}\n\n" + " ".join(w.split()[(i + k) % 12] for k in range(40))
             for topic, w in TOPICS.items() for i in range(6)}
    notes |= {"a.md": f"# A\n\n{SHARED}\n\nflour water", "b.md": f"# B\n\n{SHARED}\n\nflour starter"}
    index = _index_of(tmp_path, notes)
    monkeypatch.setattr(health_mod, "ONE_AT_A_TIME", 5)  # (20 notes: 2 of them are few enough)
    monkeypatch.setattr(health_mod, "related_all", lambda *_a, **_k: pytest.fail("every pair ranked"))
    ranked: list[int] = []
    rank = index.rank
    monkeypatch.setattr(index, "rank", lambda i, *a, **k: ranked.append(i) or rank(i, *a, **k))
    report = health(index)
    assert [(p.a, p.b) for p in report.duplicates] == [("a.md", "b.md")] and report.tags == []
    assert sorted(index.notes[i].path for i in ranked) == ["a.md", "b.md"]


def test_the_pass_over_every_pair_tells_its_progress(index: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health_mod, "ONE_AT_A_TIME", 10**9)
    events: list[IndexEvent] = []
    health(index, progress=events.append)
    n = len(index.notes)
    assert events and {e.stage for e in events} == {"related"}
    assert events[-1].done == events[-1].total == n * (n + 1) // 2
    assert [e.done for e in events] == sorted(e.done for e in events)


def test_a_copy_of_the_same_text_comes_first_and_says_so(tmp_path: Path, capsys) -> None:
    """A sync tool's conflicted copy scores well below 1 (each note's own name weighs in its vector): the
    report lists it first as `identical`, and related notes say `same text`."""
    notes = {f"{topic} {i}.md": f"# {topic} {i}\n\n" + " ".join(w.split()[(i + k) % 12] for k in range(40))
             for topic, w in TOPICS.items() for i in range(6)}
    a = f"# A\n\n{SHARED}\n\nflour water"
    notes |= {"a.md": a, "a (conflicted copy).md": a, "b.md": f"# B\n\n{SHARED}\n\nflour starter"}
    index = _index_of(tmp_path, notes)
    dups = health(index).duplicates
    assert (dups[0].a, dups[0].b, dups[0].identical) == ("a (conflicted copy).md", "a.md", True)
    assert not any(p.identical for p in dups[1:]) and len(dups) == 3
    ids = {n.path: n.id for n in index.notes}
    i, j, b = ids["a.md"], ids["a (conflicted copy).md"], ids["b.md"]
    assert index.because(i, j)[0] == "same text" and "same text" not in index.because(i, b)
    from notelink.cli.queries import _health_text
    assert "  identical, " in _health_text(health(index))


def test_json_lists_every_note_linking_to_a_dead_link_up_to_the_limit(make_vault, tmp_path: Path,
                                                                        capsys) -> None:
    """`health --json --limit 100000` cut each dead link's `sources` at 5 (a new user's sweep): up to
    `--limit` now; the text still names 5 and says how many more."""
    notes = {f"n{i}.md": f"# N{i}\n\nsoil water compost number {i}, see [[Nowhere]]" for i in range(8)}
    vault = make_vault(notes)
    build_index(vault, tmp_path / "ix", FAST)
    base = ["health", str(vault), "--index-dir", str(tmp_path / "ix")]
    for limit, listed in (("100000", 8), ("3", 3)):
        assert main([*base, "--json", "--limit", limit]) == 0
        (dead,) = json.loads(capsys.readouterr().out)["dead_links"]
        assert dead["count"] == 8 and dead["sources"] == [f"n{i}.md" for i in range(listed)]
    assert main([*base, "--limit", "100"]) == 0
    assert "[[Nowhere]] from n0.md, n1.md, n2.md, n3.md, n4.md and 3 more" in capsys.readouterr().out

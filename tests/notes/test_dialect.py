"""Dialects: each app's vault detected and its links resolved as that app resolves them.

The vaults in tests/vaults/ were written for these tests from each app's documentation (Dendron's links and
note references, Logseq's pages, properties, journals and file-name formats, Foam's wikilinks and reference
definitions, zk's ids, a static site's relative Markdown links)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from notelink.config import DialectConfig, IndexConfig
from notelink.notes.dialect import detect, parse_in
from notelink.notes.links import Resolver
from notelink.notes.logseq import format_date, page_name
from notelink.notes.records import read_vault

VAULTS = Path(__file__).resolve().parents[1] / "vaults"


def resolved(vault: Path) -> list[tuple[str, str, str, str | None]]:
    """(source, target, kind, resolved path) of every link of a vault, read in its detected dialect."""
    cfg = IndexConfig(dialect=detect(vault))
    records, skipped, _ = read_vault(vault, cfg, {})
    assert not skipped
    resolver = Resolver(((r.path, r.title, r.aliases) for r in records), cfg.dialect)
    return [(r.path, ln.target, ln.kind, resolver.resolve(ln.target, r.path, ln.kind))
            for r in records for ln in r.links]


@pytest.mark.parametrize(("vault", "dialect"), [("dendron", "dendron"), ("logseq", "logseq"),
                                                ("foam", "foam"), ("zk", "zk"), ("markdown", "markdown")])
def test_each_vault_is_detected(vault: str, dialect: str) -> None:
    assert detect(VAULTS / vault).name == dialect


def test_a_dendron_vault_inside_its_workspace_is_dendron() -> None:
    assert detect(VAULTS / "dendron" / "notes").name == "dendron"  # dendron.yml is one folder up


@pytest.mark.parametrize(("vault", "unresolved"), [
    ("dendron", {"recipes.chinese.dumplings"}),  # a link to a note not written yet
    ("logseq", {"companion planting"}),  # a page that has no file yet
    ("foam", set()), ("zk", set()), ("markdown", {"missing.md"}),
])
def test_every_link_to_an_existing_note_resolves(vault: str, unresolved: set[str]) -> None:
    links = resolved(VAULTS / vault)
    assert {target for _, target, kind, hit in links if hit is None and kind != "tag"} == unresolved
    # (a tag without its page is no missing note: link_report counts tags apart)


def test_dendron_links_alias_first_scheme_headings_and_references() -> None:
    links = {(src, target, kind): hit for src, target, kind, hit in resolved(VAULTS / "dendron")}
    n = "notes/"
    assert links[(n + "root.md", "recipes", "wiki")] == n + "recipes.md"  # [[Recipes|recipes]]
    assert links[(n + "recipes.italian.md", "dendron://garden/recipes", "wiki")] == n + "recipes.md"
    assert links[(n + "recipes.md", "recipes.italian", "embed")] == n + "recipes.italian.md"  # #desserts,1:#*
    assert links[(n + "dendron.topic.links.md", "recipes.italian.*", "embed")] == n + "recipes.italian.md"
    assert links[(n + "recipes.md", "tags.dessert", "tag")] == n + "tags.dessert.md"  # #dessert


def test_dendron_alias_is_the_prose_and_the_range_leaves_the_heading() -> None:
    dendron = DialectConfig("dendron")
    note = parse_in("See [[the Italian page|recipes.italian#desserts,1:#*]].\n", "a.md", dendron)
    assert note.paragraphs == ["See the Italian page."]
    assert [(ln.target, ln.heading) for ln in note.links] == [("recipes.italian", "desserts")]
    obsidian = parse_in("See [[recipes.italian|the Italian page]].\n", "a.md", DialectConfig("obsidian"))
    assert obsidian.paragraphs == ["See the Italian page."] and obsidian.links[0].target == "recipes.italian"


def test_logseq_pages_journals_properties_and_namespaces() -> None:
    links = {(src, target): hit for src, target, _, hit in resolved(VAULTS / "logseq")}
    assert links[("pages/Gardening.md", "Projects/Garden plan")] == "pages/Projects___Garden plan.md"
    assert links[("pages/Gardening.md", "Jan 15th, 2024")] == "journals/2024_01_15.md"
    assert links[("pages/Gardening.md", "how to start?")] == "pages/how to start%3F.md"
    assert links[("pages/Tomatoes.md", "garden")] == "pages/Gardening.md"  # alias:: Garden
    assert links[("pages/Gardening.md", "[[Compost]]")] == "pages/Compost.md"  # [label]([[Compost]])
    assert links[("journals/2024_01_15.md", "Reading list/2024")] == "pages/Reading list.md"  # title::


def test_logseq_markup_is_no_prose() -> None:
    text = ("alias:: Garden\ntags:: [[Hobbies]], outdoors\n\n- TODO sow [[Tomatoes]]\n  id:: 650a1b2c-1d2e-"
            "4f50-8a9b-0c1d2e3f4a5b\n  collapsed:: true\n- see ((650a1b2c-1d2e-4f50-8a9b-0c1d2e3f4a5b))\n"
            "- {{embed [[Compost]]}}\n- {{query (and [[x]])}}\n- #[[Crop rotation]] and #weeds\n")
    note = parse_in(text, "pages/Gardening.md", DialectConfig("logseq", "MMM do, yyyy"))
    assert note.title == "Gardening" and note.aliases == ["Garden"]
    assert {"Hobbies", "outdoors", "weeds"} <= set(note.tags)
    links = [(ln.target, ln.kind) for ln in note.links]
    assert links[:4] == [("Hobbies", "wiki"), ("Tomatoes", "wiki"), ("Compost", "embed"),
                         ("Crop rotation", "wiki")]
    assert set(links[4:]) == {("outdoors", "tag"), ("weeds", "tag")}  # (references to those pages)
    prose = " ".join(note.paragraphs).lower()
    for junk in ("todo", "650a1b2c", "collapsed", "true", "alias", "query", "tags::"):
        assert junk not in prose


LOGSEQ = DialectConfig("logseq", "MMM do, yyyy")


def test_logseq_nested_blocks_are_never_indented_code() -> None:
    """Logseq indents child blocks with tabs; its docs' glossary (pages/Glossary.md) lists its terms under
    a heading with no bullet of its own, which CommonMark reads as one indented code block: its links were
    no links and its words no words."""
    text = ("- #+BEGIN_NOTE\n  Credits and special thanks to [[Cobblebot]] for this!\n  #+END_NOTE\n"
            "## Basic terms\n\t- [[term/graph]]\n\t- [[term/block]]\n## Links\n"
            "\t- [[term/page reference]]\n"
            "\t\t- ![SingleObject.mp4](../assets/SingleObject_1669387043865_0.mp4)\n")
    note = parse_in(text, "pages/Glossary.md", LOGSEQ)
    assert [ln.target for ln in note.links if ln.kind == "wiki"] == [
        "Cobblebot", "term/graph", "term/block", "term/page reference"]
    assert "term/block" in note.paragraphs
    assert parse_in("# A\n\n    code\n", "a.md", DialectConfig("obsidian")).paragraphs == ["A"]  # (code)


def test_a_logseq_block_ends_where_the_next_one_starts() -> None:
    """pages/changelog_06.md of Logseq's docs: a block of HTML (a Loom video), as Markdown, ran on to the
    next blank line, 20 lines later: `[[Mar 8th, 2021]]` and `[[Westofer]]` were no links."""
    text = ("\t\t\t- **Gif**\n\t\t\t  id:: 60acbe13-f12d-451a-9793-56201f858074\n"
            "\t\t\t  <div style=\"position: relative; padding-bottom: 56.25%; height: 0; \"><iframe src=\"https://"
            "www.loom.com/embed/cdc\"></iframe></div>\n\t\t\t-\n"
            "\t\t- Desktop app add AppImage format for linux\n- [[Mar 8th, 2021]]\n  **Version 0.0.11**\n"
            "\t- [[Thanks]]\n\t\t- [[Westofer]] made an archlinux aur package\n")
    note = parse_in(text, "pages/changelog_06.md", LOGSEQ)
    assert [ln.target for ln in note.links] == ["Mar 8th, 2021", "Thanks", "Westofer"]
    assert "Desktop app add AppImage format for linux" in note.paragraphs


def test_logseq_org_code_blocks_are_no_prose_and_their_other_blocks_are() -> None:
    """`#+BEGIN_QUERY`, `_SRC`, `_EXAMPLE` hold code (pages/Advanced Queries.md, pages/Queries.md);
    `#+BEGIN_NOTE`, `_TIP`, `_QUOTE` hold prose; a block never closed stays text."""
    text = ("- **Query Tips**\n  updated-at:: 1609244703085\n  #+BEGIN_EXAMPLE\n"
            "  {:title  [:h2 \"Your query title\"]\n   :collapsed? true}\n  #+END_EXAMPLE\n"
            "\t- #+BEGIN_QUERY\n\t  {:title \"Query: \\\"alias\\\"\"\n"
            "\t  :query \"alias\"}\n\t  #+END_QUERY\n"
            "  #+BEGIN_TIP\n  Page names are stored as lower case in the database.\n  #+END_TIP\n"
            "  #+BEGIN_SRC clojure\n  (println \"WOOT!\")\n- unclosed ends\n"
            "\t- ```clojure\n\t  (println \"fenced\")\n\t  ```\n\t- after the fence\n")
    prose = " ".join(parse_in(text, "pages/Advanced Queries.md", LOGSEQ).paragraphs).lower()
    assert "database" in prose and "tips" in prose and "woot" in prose and "unclosed" in prose
    assert "fenced" not in prose and "after the fence" in prose
    for code in ("title", "collapsed", "true", "alias", "begin", "example", "1609244703085"):
        assert code not in prose.split(), code


def test_logseq_cloze_is_its_answer_and_macros_and_image_sizes_no_text() -> None:
    """`{{cloze answer \\\\ cue}}` (pages/Cloze.md) shows its answer; other macros and an image's size
    (pages/Assets alias.md) are no text."""
    text = ("- For example, {{cloze something}}, you can click it to reveal its content.\n"
            "\t\t\t- Most apples are {{cloze red \\\\ color}}.\n- {{video https://youtu.be/x}} and "
            "{{embed ((60ab6f5b-a01f-44eb-8d4a-fb8ca1893dcf))}}\n"
            "\t  ![CleanShot 2022-10-12 at 15.38.03@2x.png](../assets/CleanShot_2022-10-12_at_15.38.03@2x_"
            "1665560368311_0.png){:height 224, :width 441}\n")
    words = " ".join(parse_in(text, "pages/Cloze.md", LOGSEQ).paragraphs).split()
    assert "something," in words and "red." in words
    assert not {"cloze", "color", "video", "embed", "60ab6f5b"} & set(words)
    assert "height" not in " ".join(words) and "width" not in " ".join(words)


def test_logseq_built_in_properties_are_no_words() -> None:
    """Logseq hides its built-in properties ("Built-in Properties" in its docs): `number` of
    `logseq.order-list-type:: number` (16 blocks of its docs) and a query table's columns were words."""
    text = ("- To review all cards\n\t\t  logseq.order-list-type:: number\n"
            "- {{query (property type feature)}}\n"
            "  query-properties:: [:page :type :platforms :description :initial-version :tags]\n"
            "  query-sort-by:: page\n  type:: [[Feature]]\n")
    note = parse_in(text, "pages/Flashcards.md", LOGSEQ)
    assert " ".join(note.paragraphs).split() == ["To", "review", "all", "cards", "Feature"]


def test_a_logseq_pages_front_matter_title_names_it(make_vault) -> None:
    """Logseq reads YAML front matter as page properties: Logseq's docs name `pages/how_to_take_notes.md`
    "How to Take Notes" so (`[[How to Take Notes]]` in pages/tutorial.md reached no page); `title::` wins."""
    root = make_vault({
        "logseq/config.edn": "{:file/name-format :triple-lowbar}\n",
        "pages/how_to_take_notes.md": "---\ntitle: How to Take Notes\n---\n- ## Hello, I'm a block!\n",
        "pages/tutorial.md": "- **1. Let's create a page** - called [[How to Take Notes]].\n",
        "pages/both.md": "---\ntitle: From front matter\n---\ntitle:: From its property\n\n- text\n",
        "pages/heading.md": "# Not a title in Logseq\n"})
    links = {(src, target): hit for src, target, _, hit in resolved(root)}
    assert links[("pages/tutorial.md", "How to Take Notes")] == "pages/how_to_take_notes.md"
    assert parse_in("---\ntitle: From front matter\n---\ntitle:: From its property\n\n- text\n",
                    "pages/both.md", LOGSEQ).title == "From its property"
    assert parse_in("# Not a title in Logseq\n", "pages/heading.md", LOGSEQ).title == "heading"


def test_a_logseq_multi_word_tag_is_a_tag_and_a_link() -> None:
    """`#[[Snap to grid]]` (pages/Changelog.md of Logseq's docs) is a tag as `#docs` is; one in code
    (pages/Properties.md) is neither."""
    text = ("\t\t- Whiteboards: #[[Snap to grid]] [#9654](https://github.com/logseq/logseq/pull/9654)\n"
            "\t- TODO Go through this miscellaneous list of pages to create or revamp #docs\n"
            "\t\t  ```\n\t\t  description:: [[Logseq]] is the fastest #triples #[[text editor]]\n\t\t  ```\n")
    note = parse_in(text, "pages/Changelog.md", LOGSEQ)
    assert note.tags == ["docs", "Snap to grid"]
    assert [(ln.target, ln.kind) for ln in note.links] == [("Snap to grid", "wiki"), ("docs", "tag")]


def test_logseq_page_names_in_both_file_name_formats() -> None:
    new, legacy = DialectConfig("logseq", "MMM do, yyyy"), DialectConfig("logseq", "yyyy-MM-dd", True)
    assert page_name("pages/a___b.md", new) == "a/b"
    assert page_name("pages/a%2Fb%3F.md", new) == "a/b?"
    assert page_name("pages/a.b.md", new) == "a.b"
    assert page_name("pages/a.b.md", legacy) == "a/b"
    assert page_name("journals/2024_03_01.md", new) == "Mar 1st, 2024"
    assert page_name("journals/2024_03_01.md", legacy) == "2024-03-01"
    assert page_name("pages/2024_03_01.md", new) == "2024_03_01"  # only journals are dated


def test_logseq_settings_come_from_config_edn(tmp_path: Path) -> None:
    (tmp_path / "logseq").mkdir()
    (tmp_path / "logseq" / "config.edn").write_text('{:journal/page-title-format "EEE, dd.MM.yyyy"}\n')
    found = detect(tmp_path)
    assert found == DialectConfig("logseq", "EEE, dd.MM.yyyy", legacy_names=True)  # no name format: legacy
    assert detect(tmp_path, DialectConfig("logseq", "yyyy")).journal_title == "yyyy"  # given beats the vault


@pytest.mark.parametrize(("pattern", "text"), [
    ("MMM do, yyyy", "Jan 2nd, 2024"), ("yyyy-MM-dd", "2024-01-02"), ("EEEE, MMMM d", "Tuesday, January 2"),
    ("do MMM yy", "2nd Jan 24"), ("yyyy/MM/dd 'w'", "2024/01/02 w")])
def test_journal_dates_in_date_fns_patterns(pattern: str, text: str) -> None:
    assert format_date(dt.date(2024, 1, 2), pattern) == text


def test_ordinals() -> None:
    days = [format_date(dt.date(2024, 1, d), "do") for d in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31)]
    assert days == ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"]


def test_zk_ids_reach_their_notes() -> None:
    links = {(src, target): hit for src, target, _, hit in resolved(VAULTS / "zk")}
    assert links[("a1b2-sourdough-starter.md", "c3d4")] == "c3d4-baking-day.md"  # [[c3d4]]
    assert links[("a1b2-sourdough-starter.md", "c3d4-baking-day")] == "c3d4-baking-day.md"  # [..](c3d4-...)
    assert links[("journal/2024-01-15.md", "../c3d4-baking-day.md")] == "c3d4-baking-day.md"


def test_zk_prefix_must_name_one_note() -> None:
    r = Resolver([("ab12-one.md", "One", []), ("ab13-two.md", "Two", [])], DialectConfig("zk"))
    assert r.resolve("ab12") == "ab12-one.md"
    assert r.resolve("ab1") is None  # two notes start with it
    assert Resolver([("ab12-one.md", "One", [])]).resolve("ab12") is None  # only zk reads ids


def test_markdown_links_relative_encoded_and_to_folders() -> None:
    links = {(src, target): hit for src, target, _, hit in resolved(VAULTS / "markdown")}
    assert links[("index.md", "guide/Configure it.md")] == "guide/Configure it.md"  # %20 decoded
    assert links[("index.md", "guide/")] == "guide/index.md"
    assert links[("index.md", "faq page.md")] == "faq page.md"  # <faq page.md>
    assert links[("guide/install.md", "/faq page.md")] == "faq page.md"  # from the vault's root
    assert links[("guide/index.md", "./Configure it.md")] == "guide/Configure it.md"


def test_foam_reference_definitions_are_not_prose_or_links() -> None:
    links = resolved(VAULTS / "foam")
    assert [(t, hit) for src, t, _, hit in links if src == "inbox.md"] == [
        ("project-ideas", "project-ideas.md"), ("reading/book-notes", "reading/book-notes.md"),
        ("Project Ideas", "project-ideas.md"), ("weekly-review", "weekly-review.md")]


def test_without_markers_the_links_decide(make_vault) -> None:
    alias_first = {f"n{i}.md": f"see [[note {i}|n{i + 1}]]" for i in range(8)}
    assert detect(make_vault(alias_first)).name == "dendron"


def test_id_links_make_a_zk_vault_without_its_folder(tmp_path: Path) -> None:
    """`[[202301011200]]` reaching `202301011200 Forgetting curve.md` (the start of one file name, not a
    whole one), more often than links name whole file names: zk, though there is no `.zk/` folder."""
    notes = {f"2023010{i}1200 Note {i}.md": f"see [[2023010{i + 1}1200]] and [[2023010{i + 2}1200|x]]"
             for i in range(6)}
    dated = {f"2023-01-0{i} Log.md": f"see [[2023-01-0{i + 1} Log]] and [[2023-01]]" for i in range(1, 7)}
    few = {"2023 Plan.md": "[[2023]]", "2024 Plan.md": "[[2024]]", "Home.md": "[[Home]]"}
    for name, files, dialect in (("zk", notes, "zk"), ("dated", dated, "obsidian"), ("few", few, "obsidian")):
        for rel, text in files.items():  # (dated: whole names, and `2023-01` starts six; few: too few)
            (tmp_path / name).mkdir(exist_ok=True)
            (tmp_path / name / rel).write_text(text, encoding="utf-8")
        assert detect(tmp_path / name).name == dialect, name


def test_markdown_only_vault_is_markdown(make_vault) -> None:
    assert detect(make_vault({"a.md": "[b](b.md)", "b.md": "[a](a.md)"})).name == "markdown"
    assert detect(make_vault({"a.md": "[[b|B]]", "b.md": "x"})).name == "obsidian"


def test_a_given_dialect_wins(make_vault) -> None:
    root = make_vault({"a.md": "[b](b.md)", "dendron.yml": "version: 5\n"})
    assert detect(root).name == "dendron"
    assert detect(root, DialectConfig("obsidian")).name == "obsidian"


def test_template_variables_and_block_ids_are_no_prose() -> None:
    note = parse_in("The {{fm.desc}} goes here. ^Ev8p1L5P0IzDGjAs\n", "a.md", DialectConfig("obsidian"))
    assert note.paragraphs == ["The   goes here."]


def test_a_block_id_alone_on_its_line_is_no_prose() -> None:
    """Obsidian's "Internal links": a callout's id goes on the line after it
    (`^callout-internal-links-link-text` was five words of the note); ids are Latin letters, digits and
    dashes, at the end of a line."""
    text = ("> [!tip] Tip\n> Use aliases.\n^callout-internal-links-link-text\n\n"
            "| a |\n|---|\n| b |\n\n^table-1\n\n- item ^list-2\n\nx^2 and ^not_an_id\n")
    note = parse_in(text, "a.md", DialectConfig("obsidian"))
    words = " ".join(note.paragraphs).split()
    assert not {"callout-internal-links-link-text", "^table-1", "table", "list"} & set(words)
    assert "^not_an_id" in words and "x^2" in words

"""Known-answer tests for the TUI's pure helpers (`text`, `notefilter`): filtering, wikilinks, bars, reasons,
history."""

from __future__ import annotations

import random
import re

import pytest

from notelink.notes.dialect import alias_first
from notelink.query.answers import NoteInfo
from notelink.tui.history import START, History
from notelink.tui.notefilter import NoteFilter, filter_notes, fold, home_note
from notelink.tui.text import (
    MARKDOWN_LINK,
    app_links,
    as_shown,
    because,
    because_line,
    dendron_titles,
    heading_key,
    href_target,
    is_attachment,
    local_href,
    logseq_shown,
    note_body,
    score_bar,
    shown_markdown,
)


def _note(i: int, path: str, title: str, tags: list[str] | None = None) -> NoteInfo:
    return NoteInfo(i, path, title, [], tags or [])


NOTES = [_note(0, "b/Zebra.md", "Zebra", ["animal"]), _note(1, "a/apple pie.md", "Apple pie", ["recipe"]),
         _note(2, "a/音階.md", "音階"), _note(3, "x/Pie charts.md", "Pie charts")]


def test_filter_sorts_by_title_and_ranks_prefix_first() -> None:
    assert [n.title for n in filter_notes(NOTES, "")] == ["Apple pie", "Pie charts", "Zebra", "音階"]
    assert [n.title for n in filter_notes(NOTES, "pie")] == ["Pie charts", "Apple pie"]
    assert [n.title for n in filter_notes(NOTES, "#recipe")] == ["Apple pie"]
    assert [n.title for n in filter_notes(NOTES, "b/")] == ["Zebra"]
    assert [n.title for n in filter_notes(NOTES, "音")] == ["音階"]


def test_sort_is_natural_and_accent_blind() -> None:
    notes = [_note(i, f"{t}.md", t) for i, t in enumerate(["1.10.0", "Day 10", "émile", "1.3.5", "Day 9",
                                                            "Zoe", "Eve", "1.10"])]
    assert [n.title for n in filter_notes(notes, "")] == ["1.3.5", "1.10", "1.10.0", "Day 9", "Day 10",
                                                          "émile", "Eve", "Zoe"]


def test_sort_takes_any_digit_run_and_orders_as_numbers_would() -> None:
    huge = "3." + "14159" * 1000  # a note of pi's digits: 5,000 digits is over int()'s limit
    notes = [_note(0, "pi.md", huge), _note(1, "b.md", "3.2"), _note(2, "c.md", "3.10")]
    assert [n.path for n in filter_notes(notes, "")] == ["b.md", "c.md", "pi.md"]
    rng = random.Random(0)

    def as_numbers(text: str) -> tuple[str | int, ...]:  # the meaning: text and numbers alternating
        return tuple(int(p) if i % 2 else p for i, p in enumerate(re.split(r"([0-9]+)", fold(text))))

    titles = ["".join(rng.choice("0012 9a.-/Bé") for _ in range(rng.randint(0, 8))) for _ in range(400)]
    notes = [_note(i, "same.md", t) for i, t in enumerate(titles)]
    got = [as_numbers(n.title) for n in filter_notes(notes, "")]
    assert got == sorted(got)


def test_filter_ignores_accents_and_width_but_keeps_other_scripts() -> None:
    notes = [_note(0, "Émile Zola.md", "Émile Zola"), _note(1, "Ｆｕｌｌ.md", "Ｆｕｌｌ"),
             _note(2, "が.md", "が"), _note(3, "Cafe.md", "Café")]
    assert [n.title for n in filter_notes(notes, "emile")] == ["Émile Zola"]
    assert [n.title for n in filter_notes(notes, "ÉMILE")] == ["Émile Zola"]
    assert [n.title for n in filter_notes(notes, "full")] == ["Ｆｕｌｌ"]
    assert [n.title for n in filter_notes(notes, "cafe")] == ["Café"]
    assert [n.title for n in filter_notes(notes, "か")] == []  # dakuten is part of the letter
    assert [n.title for n in filter_notes(notes, "が")] == ["が"]


def test_one_note_filter_answers_every_keystroke_as_a_fresh_one() -> None:
    notes = [*NOTES, _note(4, "pie/Pi.md", "Pi"), _note(5, "Pie.md", "Pie", ["pie"])]
    keep = NoteFilter(notes)
    for query in ["", "p", "pi", "pie", "pie ", "#pie", "x/", "zz", "  "]:
        assert keep(query) == filter_notes(notes, query) == NoteFilter(list(reversed(notes)))(query)
    assert [n.title for n in keep("pie")] == ["Pie", "Pie charts", "Apple pie", "Pi"]


def test_a_name_several_folders_share_lists_the_nearest_to_the_note_shown_first() -> None:
    """obsidian-help's translations share one title: Enter on it opened `ca/`'s (the first by path)
    whatever note was shown. Of the notes the query names, the one nearest the note shown comes first, as
    a link written there would resolve; other matches keep display order."""
    notes = [_note(i, f"{lang}/Editing/Formatting.md", "Formatting")
             for i, lang in enumerate(["ca", "de", "en"])]
    notes.append(_note(3, "ca/Editing/Formatting tables.md", "Formatting tables"))
    assert [n.path[:2] for n in filter_notes(notes, "formatting")] == ["ca", "de", "en", "ca"]
    near = "en/Editing/Tables.md"
    assert [n.path for n in filter_notes(notes, "formatting", near)] == [
        "en/Editing/Formatting.md", "ca/Editing/Formatting.md", "de/Editing/Formatting.md",
        "ca/Editing/Formatting tables.md"]
    assert [n.path[:2] for n in filter_notes(notes, "Formatting.md", "de/x.md")] == ["de", "ca", "en"]
    assert [n.title for n in filter_notes(notes, "tables", near)] == ["Formatting tables"]
    assert filter_notes(notes, "format", near) == filter_notes(notes, "format")  # no note named so


def test_wikilinks_become_app_links_outside_code() -> None:
    text = "See [[Note A]], [[B#Part|the b]] and ![[img]].\n```\n[[kept]]\n```\n"
    out = shown_markdown(text)
    assert "[Note A](notelink:Note%20A)" in out
    assert "[the b](notelink:B%23Part)" in out
    assert "↳ [img](notelink:img)" in out
    assert "[[kept]]" in out
    assert href_target("notelink:Note A") == "Note A"
    assert href_target("https://x.org") is None


def test_front_matter_is_not_shown() -> None:
    assert shown_markdown("---\ntitle: X\ntags: [a]\n---\n# X\nbody\n") == "# X\nbody\n"
    assert shown_markdown("no front matter\n---\n") == "no front matter\n---\n"


@pytest.mark.parametrize("text, body", [
    ("---\r\ntitle: Crlf Tag\r\ntags: [zzcrlf]\r\n---\r\n# Crlf Tag\r\n\r\nBody.\r\n",
     "# Crlf Tag\r\n\r\nBody.\r\n"),
    ("\ufeff---\ntitle: Bom Tag\n---\n# Bom Tag\n\nBody.\n", "# Bom Tag\n\nBody.\n"),
    ("\ufeff---\r\ntitle: Both\r\n...\r\nBody.\r\n", "Body.\r\n"),
    ("---  \ntitle: Spaces\n---\t\nBody.", "Body."),
])
def test_front_matter_is_not_shown_whatever_the_line_ends(text: str, body: str) -> None:
    """As the indexer reads it (`notes.frontmatter.split_front_matter`): saved with CRLF, after a BOM."""
    assert note_body(text) == body


def test_huge_notes_are_cut_with_a_note() -> None:
    out = shown_markdown("line\n" * 50_000, limit=1000)
    assert len(out) < 1500 and "Showing the first 1,000" in out
    out = shown_markdown("# Title\n" + "word " * 10_000, limit=1000)  # one long line: cut at a space in it
    assert out.count("word") > 150 and "Showing the first 1,000" in out


def test_score_bar_and_because() -> None:
    assert score_bar(1.0, 4) == "████"
    assert score_bar(-0.3, 4) == "    "
    assert because(["dough", "yeast", "salt"], ["salt", "dough"]) == "because: dough, salt"
    assert because(["a"], ["b"], lambda x, y: 0.5) == "because: a ≈ b (0.50)"


def test_the_indexs_reasons_read_as_words_not_a_list() -> None:
    assert because_line(["sync", "mentions: Headless Sync", "vault"]) == \
        "because: sync, vault; mentions Headless Sync"
    assert because_line(["mentions: A", "mentions: B"]) == "because: mentions A, B"
    assert because_line([]) == "because: similar wording overall"


def test_home_note_is_a_home_name_nearest_the_top() -> None:
    notes = [_note(0, "0.md", "0"), _note(1, "en/Home.md", "Home"), _note(2, "README.md", "Obsidian Help"),
             _note(3, "de/Home.md", "Home")]
    def home(notes: list[NoteInfo], vault: str = "") -> str | None:
        found = home_note(notes, vault)
        return found.path if found else None

    assert home(notes) == "README.md"  # the top folder's first
    assert home(notes[:2] + notes[3:]) == "de/Home.md"  # then by title and path
    assert home([_note(0, "0.md", "0"), _note(1, "root.md", "Root")]) == "root.md"  # Dendron's
    assert home([_note(0, "a.md", "A"), _note(1, "x/My vault.md", "My vault")], "My vault") == "x/My vault.md"
    assert home([_note(0, "a.md", "A")]) is None


def test_history_back_forward_and_browsing() -> None:
    h = History()
    for p in ("a", "b", "c"):
        h.visit(p)
    assert h.back() == "b" and h.back() == "a" and h.back() is None
    assert h.forward() == "b"
    h.visit("d")
    assert h.forward() is None and h.back() == "b"
    h.visit("e")
    h.visit("f", replace=True)
    assert h.current == "f" and h.back() == "b"
    h.retain({"a", "f"})  # "b", the current note, deleted: the one before it is current (as after `[`)
    assert h.current == "a" and h.forward() == "f"


def test_history_keeps_where_each_note_was_read() -> None:
    h = History()
    h.visit("a")
    h.leave((4, 0.5))  # read half way into its 5th piece, then a link followed
    h.visit("b")
    h.leave((0, 0.25))
    assert h.back() == "a" and h.place == (4, 0.5)  # back where "a" was being read, not at its top
    assert h.forward() == "b" and h.place == (0, 0.25)
    h.visit("c", replace=True)  # browsing the list: the entry is another note, from its top
    assert h.current == "c" and h.place == START
    h.retain({"a", "c"})
    assert h.back() == "a" and h.place == (4, 0.5)


def test_dendron_wikilinks_name_the_alias_first() -> None:
    text = "Read [[Intro|docs.intro]], [[the guide|dendron://vault/docs.guide#Setup]] and [[docs.faq]].\n"
    out = shown_markdown(text, alias_first=True)
    assert app_links(out) == [("Intro", "docs.intro"), ("the guide", "dendron://vault/docs.guide#Setup"),
                              ("docs.faq", "docs.faq")]
    assert app_links(shown_markdown(text))[0] == ("docs.intro", "Intro")  # Obsidian's order: target first
    ref = shown_markdown("![[dendron://vault/docs.links#summary,1:#*]]\n", alias_first=True)
    assert app_links(ref) == [("docs.links › summary", "dendron://vault/docs.links#summary")]  # no range
    assert alias_first("dendron") and not any(map(alias_first, ["obsidian", "foam", "zk", "logseq"]))


def test_a_dendron_link_without_a_label_shows_its_notes_title() -> None:
    """Dendron shows `[[dendron.topic.links.wiki-link]]` as "Wiki Link" (`enableNoteTitleForLink`, on by
    default); the app showed the dotted name. A name no note has is shown as written."""
    titles = dendron_titles([("vault/docs.faq.md", "FAQ"), ("vault/docs.links.md", "Links [all]")])
    text = "See [[docs.faq]], [[docs.links#summary]], [[Read it|docs.faq]] and [[docs.gone]].\n"
    out = as_shown(text, alias_first=True, titles=titles)
    assert app_links(out) == [("FAQ", "docs.faq"), ("Links (all) › summary", "docs.links#summary"),
                              ("docs.gone", "docs.gone")]
    assert "[Read it](" in out  # (a label of its own stays)
    assert app_links(as_shown("![[dendron://vault/docs.faq]]", alias_first=True, titles=titles)) == [
        ("FAQ", "dendron://vault/docs.faq")]


def test_app_links_lists_each_wikilink_target_once() -> None:
    md = shown_markdown("See [[Canvas]], [[Graph view#Filters|filters]] and [[Canvas]].\n\n`[[not]]`\n"
                        "```\n[[Code]]\n```\n[web](https://example.org)")
    assert app_links(md) == [("Canvas", "Canvas"), ("filters", "Graph view#Filters")]


def test_markdown_links_into_the_vault_are_app_links_too() -> None:
    """A Foam / zk / VS Code vault links with `[text](path)`: those are offered beside wikilinks, in order,
    their paths unquoted and marked to be read relative to the note; URLs, images and code are not."""
    md = shown_markdown("See [[Canvas]], [the heap](../Compost%20heap.md#turning), [home](<Home.md>),\n"
                        "[top](#tips), [web](https://example.org), [mail](mailto:a@b.c), ![](pic.png),\n"
                        "[ref][r], `[code](x.md)` and [again](../Compost%20heap.md#turning).\n\n"
                        "| a |\n|---|\n| [cell](sub/Cell.md) |\n\n[r]: Ref%20note.md\n")
    assert app_links(md) == [("Canvas", "Canvas"),
                             ("the heap", MARKDOWN_LINK + "../Compost heap.md#turning"),
                             ("home", MARKDOWN_LINK + "Home.md"), ("top", MARKDOWN_LINK + "#tips"),
                             ("ref", MARKDOWN_LINK + "Ref note.md"), ("cell", MARKDOWN_LINK + "sub/Cell.md")]
    assert local_href("../A note.md") == MARKDOWN_LINK + "../A note.md"
    assert local_href("https://example.org") is local_href("//host/x") is local_href("mailto:a@b.c") is None


def test_links_to_attachments_are_not_offered_as_notes() -> None:
    md = shown_markdown("![[diagram.PNG]] [[#Tips]] [[docs/a.pdf#page=2]] [[Version 1.5]] [[Canvas]]")
    assert app_links(md) == [("Tips", "#Tips"), ("Version 1.5", "Version 1.5"), ("Canvas", "Canvas")]
    assert is_attachment("img/x.png") and is_attachment("a.pdf#page=2") and not is_attachment("Notes 2.0")
    assert heading_key("Tips & Tricks:") == heading_key("tips  &  tricks") != heading_key("Tips")


def test_obsidian_syntax_reads_as_in_its_reading_view() -> None:
    from notelink.tui.text import reading_view

    text = ("> [!hint]- Click to expand\n> Body line ^b15695\n\nPara %%a secret%% text\n\n"
            "- item\n^list-id\n\n```\n> [!note] in code ^keep %%kept%%\n```\n> > [!warning]\n")
    assert reading_view(text) == ("> **Click to expand**  \n> Body line\n\nPara  text\n\n- item\n\n\n"
                                  "```\n> [!note] in code ^keep %%kept%%\n```\n> > **Warning**  \n")


def test_html_comments_are_hidden_as_obsidians_are() -> None:
    """Dendron's site keeps drafts in them: `<!-- ## Why Use Schemas ... -->` was shown raw, cut midword."""
    from notelink.tui.text import reading_view

    text = ("Intro <!-- a note to self --> text.\n\n<!-- ## Why Use Schemas\n\nSchemas help you.  -->\n\n"
            "## Features\n\n`<!-- code -->` stays\n")
    assert reading_view(text) == "Intro  text.\n\n\n\n## Features\n\n`<!-- code -->` stays\n"


def test_a_callouts_title_stands_on_its_own_line() -> None:
    """Its body ran on from it: "▌ Contribute Most of the documentation existed"."""
    from notelink.tui.render import lay_out, parse

    md = shown_markdown("> [!tip]- Contribute\n> Most of the documentation came first.\n>\n> Then this.\n")
    assert [line.plain.rstrip() for line in lay_out(parse(md), 60).lines] == [
        "▌ Contribute", "▌ Most of the documentation came first.", "▌", "▌ Then this."]
    bare = shown_markdown("> [!warning]\n> Back up first.\n")
    assert [line.plain.rstrip() for line in lay_out(parse(bare), 60).lines] == [
        "▌ Warning", "▌ Back up first."]


def test_property_lines_are_each_on_their_line_and_block_ids_hidden_in_logseq() -> None:
    """Logseq's `id::` is hidden in a Logseq graph only: in an Obsidian vault `id:: 42` is a Dataview
    field, the note's words (it was hidden in every vault)."""
    text = "title:: Gardening\ntags:: hobby\n\n- sow [[Tomatoes]]\n  id:: 650a1b2c-1d2e\n- a colon: not one\n"
    assert as_shown(logseq_shown(text)) == ("**title**: Gardening  \n**tags**: hobby  \n\n"
                                            "- sow [Tomatoes](notelink:Tomatoes)\n- a colon: not one\n")
    assert as_shown(text) == ("**title**: Gardening  \n**tags**: hobby  \n\n"
                              "- sow [Tomatoes](notelink:Tomatoes)\n  **id**: 650a1b2c-1d2e  \n"
                              "- a colon: not one\n")


def test_filter_ranks_an_exact_name_first_then_prefixes_then_the_rest() -> None:
    """Every note below matches `dendron.topic.lookup` by its path; ranked by title alone, "Creating Notes"
    (`dendron.topic.lookup.create.md`) came first and Enter opened it."""
    notes = [_note(0, "dendron.topic.lookup.create.md", "Creating Notes"),
             _note(1, "dendron.topic.lookup.md", "Lookup"), _note(2, "dendron.topic.md", "Topics"),
             _note(3, "a/dendron.topic.lookup.md", "About lookups"), _note(4, "Lookup bar.md", "Lookup bar")]
    assert [n.path for n in filter_notes(notes, "dendron.topic.lookup")] == [
        "dendron.topic.lookup.md", "a/dendron.topic.lookup.md", "dendron.topic.lookup.create.md"]
    assert filter_notes(notes, "Dendron.Topic.Lookup.md")[0].path == "dendron.topic.lookup.md"
    assert filter_notes(notes, "a/dendron.topic.lookup")[0].path == "a/dendron.topic.lookup.md"
    assert [n.path for n in filter_notes(notes, "lookup")] == [  # the title, then titles starting so
        "dendron.topic.lookup.md", "Lookup bar.md", "a/dendron.topic.lookup.md",
        "dendron.topic.lookup.create.md"]


def test_a_logseq_outline_nests_as_in_logseq_not_as_indented_code() -> None:
    """The glossary of Logseq's docs (pages/Glossary.md): a heading with no bullet, then its blocks indented
    by a tab, was one code block in the note view, its links shown as `[term/graph](notelink:term/graph)`."""
    from notelink.tui.render import Code, ListBlock, parse

    text = ("## Basic terms\n\t- [[term/graph]]\n\t- [[term/block]]\n\t\t- the smallest unit\n"
            "\t\t  ```clojure\n\t\t  (println \"WOOT!\")\n\t\t  ```\n")
    assert isinstance(parse(as_shown(text))[1], Code)  # (as Markdown reads it)
    shown = logseq_shown(text)
    assert shown.startswith("## Basic terms\n  - [[term/graph]]\n  - [[term/block]]\n    - the smallest")
    blocks = parse(as_shown(shown))
    assert not any(isinstance(b, Code) for b in blocks) and isinstance(blocks[1], ListBlock)
    inner = blocks[1].items[1][1]
    assert isinstance(inner[-1], ListBlock) and isinstance(inner[-1].items[0][1][-1], Code)  # the fence


def test_a_logseq_pages_org_blocks_and_hidden_properties_show_as_in_logseq() -> None:
    """Lines of pages/Advanced Queries.md: `#+BEGIN_NOTE` showed as written, an example's query as prose
    (`:collapsed? true`), `updated-at:: 1609246099894` as a property, `{{embed [[page]]}}` as written (pages/
    Page and block references.md); a block of code never closed stays text."""
    text = ("- ## Intro\n\t- #+BEGIN_NOTE\n\t  [[Learn Datalog Today]] is a great first reference.\n"
            "\t  #+END_NOTE\n\t- An advanced query looks like this:\n\t  updated-at:: 1609246099894\n"
            "\t  collapsed:: true\n\t  #+BEGIN_EXAMPLE\n\t  {:title  [:h2 \"Your query title\"]\n"
            "\t   :collapsed? true}\n\t  #+END_EXAMPLE\n\t  type:: [[Feature]]\n\t- #+BEGIN_SRC clojure\n"
            "\t\t- {{embed [[term/page reference]]}}\n")
    assert logseq_shown(text) == (
        "- ## Intro\n  - **Note**  \n    [[Learn Datalog Today]] is a great first reference.\n"
        "  - An advanced query looks like this:\n    ```\n    {:title  [:h2 \"Your query title\"]\n"
        "     :collapsed? true}\n    ```\n    type:: [[Feature]]\n  - #+BEGIN_SRC clojure\n"
        "    - ![[term/page reference]]\n")


def test_an_inline_footnote_shows_its_text_in_parentheses() -> None:
    """`^[text]` (Obsidian's, Pandoc's inline footnote) showed with its marks; its links still open."""
    assert as_shown("Compost heats up.^[Turning helps, see [[Garden]].] Done.") == (
        "Compost heats up. (Turning helps, see [Garden](notelink:Garden).) Done.")

"""Known-answer tests for parsing one note."""

from notelink.notes.frontmatter import split_front_matter
from notelink.notes.note import parse_note
from notelink.notes.parsednote import MARKDOWN_EMBED, Link


def test_front_matter_title_aliases_tags() -> None:
    n = parse_note("---\ntitle: My Title\naliases: [One, Two]\ntags: [a, '#b']\n---\n# Heading\nBody", "file")
    assert n.title == "My Title"
    assert n.aliases == ["One", "Two"]
    assert n.tags == ["a", "b"]
    assert n.paragraphs == ["Heading", "Body"]


def test_front_matter_of_a_note_saved_with_crlf_line_ends() -> None:
    text = "---\r\ntitle: Crlf Only\r\ntags: [crlftag]\r\n---\r\n# Heading\r\nBody\r\n"
    n = parse_note(text, "file")
    assert (n.title, n.tags, n.paragraphs) == ("Crlf Only", ["crlftag"], ["Heading", "Body"])
    assert split_front_matter(text)[1] == "# Heading\r\nBody\r\n"


def test_string_fields_in_front_matter() -> None:
    n = parse_note("---\nalias: Solo\ntags: x, y\n---\ntext", "file")
    assert n.aliases == ["Solo"]
    assert n.tags == ["x", "y"]


def test_title_falls_back_to_h1_then_file_name() -> None:
    assert parse_note("## Sub\n# Top\ntext", "f").title == "Top"
    assert parse_note("just text", "file name").title == "file name"


def test_wikilink_forms() -> None:
    n = parse_note("See [[Plain]], [[Target|shown]], [[Page#Section]] and ![[embed.png]].", "f")
    assert n.links == [Link("Plain"), Link("Target"), Link("Page", heading="Section"),
                       Link("embed.png", kind="embed")]
    assert n.paragraphs == ["See Plain, shown, Page and ."]


def test_markdown_links_to_notes_only() -> None:
    text = "[a](sub/Note%20B.md#h) [b](other) [w](https://x.org/a.md) [m](mailto:x@y) [c](#local)"
    n = parse_note(text, "f")
    assert n.links == [Link("sub/Note B.md", "markdown", "h"), Link("other", "markdown")]


def test_a_markdown_image_of_a_note_is_an_embed() -> None:
    """Obsidian with wikilinks off writes `![[Note]]` as `![](Note.md)`: a link to the note, read as a
    Markdown link's path; an image of a picture is a link to an attachment (as `![[pic.png]]` is), of the
    web no link."""
    text = "![](sub/Note%20B.md#Setup) ![alt](<Other note>) ![](pic.png) ![](https://x.org/a.md) [t](c.md)"
    n = parse_note(text, "f")
    assert n.links == [Link("sub/Note B.md", MARKDOWN_EMBED, "Setup"), Link("Other note", MARKDOWN_EMBED),
                       Link("pic.png", MARKDOWN_EMBED), Link("c.md", "markdown")]
    assert n.refs == []  # (an image's URL is no reference to a note by name)


def test_markdown_links_to_attachments_are_kept_as_wikilinks_to_them_are() -> None:
    """`![](img/photo.png)` and `[the PDF](files/report.pdf)` were dropped, so status and health never
    counted them as attachments, where `![[photo.png]]` was; a file of a type no attachment is still left
    out (`[data](x.yaml)`), a path without one kept (it may be a note's, or a folder)."""
    text = ("![](img/photo.png) [the PDF](files/report%20v2.pdf#page=2) [data](x.yaml) [make](files/Makefile)"
            "\n\nMore text.")
    assert parse_note(text, "f").links == [Link("img/photo.png", MARKDOWN_EMBED),
                                           Link("files/report v2.pdf", "markdown", "page=2"),
                                           Link("files/Makefile", "markdown")]


def test_inline_and_front_matter_tags() -> None:
    n = parse_note("---\ntags:\n  - project\n---\nText #idea and #area/work, not#this nor #123.", "f")
    assert n.tags == ["project", "idea", "area/work"]
    assert n.text == "Text idea and area work, not#this nor #123."


def test_code_urls_html_comments_excluded() -> None:
    text = ("Prose here `inline code` and https://example.org/path?q=1 <span>kept</span>\n\n"
            "```python\ndef secret(): pass\n```\n\n    indented code\n\n<div>\nblock html\n</div>\n\n"
            "%%hidden comment%%\n\n$$x^2$$\n\nEnd.")
    n = parse_note(text, "f")
    joined = n.text
    for gone in ("inline", "example", "secret", "indented", "block html", "hidden", "x^2"):
        assert gone not in joined
    assert "Prose here" in joined and "kept" in joined and "End." in joined


def test_code_does_not_produce_links_or_tags() -> None:
    n = parse_note("```\n[[NotALink]] #nottag\n```\n`[[Nope]]`", "f")
    assert n.links == [] and n.tags == []


def test_broken_front_matter_keeps_body() -> None:
    n = parse_note("---\ntitle: [unclosed\n---\n# Real\nbody words", "f")
    assert n.title == "Real"
    assert "body words" in n.text
    assert "not valid YAML" in n.warning


def test_unclosed_front_matter_is_body() -> None:
    assert split_front_matter("---\nnot closed\ntext") == ("", "---\nnot closed\ntext")


def test_front_matter_must_be_a_mapping() -> None:
    n = parse_note("---\n- a list\n---\nbody", "f")
    assert "mapping" in n.warning and n.text == "body"


def test_a_title_from_a_heading_keeps_code_html_and_tags_as_written() -> None:
    assert parse_note("# C++ `std::vector` tips\n\nbody", "f").title == "C++ std::vector tips"
    assert parse_note("# The <details> element\n", "f").title == "The <details> element"
    assert parse_note("# Week #12 review\n", "f").title == "Week #12 review"
    assert parse_note("# **Bold** [[Target|alias]] and [md](x.md)\n", "f").title == "Bold alias and md"
    assert parse_note("# ![[pic.png]]\n\n# Second\n", "f").title == "Second"  # (nothing to read: the next)


def test_bom_and_cjk_title() -> None:
    n = parse_note("\ufeff# 音階の練習\n日本語の本文", "f")
    assert n.title == "音階の練習"


def test_notelinks_block_is_not_text_or_links() -> None:
    from notelink.notes.block import render

    text = render("# T\nmine [[Real]]\n", ["- [[Suggested|Shown]]"])
    n = parse_note(text, "f")
    assert n.links == [Link("Real")] and "Shown" not in n.text and "Suggested" not in n.text


def test_urls_and_code_spans_are_kept_as_refs_not_prose() -> None:
    text = ("# T\n\nSee dendron://site/area.topic-x#part and `careers.mission`, [docs](https://a.b/my%20note)"
            " or <https://x.y/z>.\n\n```\nfenced code is no ref\n```\n")
    note = parse_note(text, "t")
    assert set(note.refs) == {"dendron://site/area.topic-x#part", "careers.mission", "https://a.b/my note",
                              "https://x.y/z"}  # (an autolink is both a link and a URL in the text)
    assert "careers" not in note.text and "dendron" not in note.text and "docs" in note.text


def test_past_the_markdown_budget_code_spans_and_urls_are_refs_too() -> None:
    from notelink.notes.note import MARKDOWN_BUDGET

    text = "# T\n\n" + "filler words here\n\n" * (MARKDOWN_BUDGET // 18) + "use `area.topic` and https://a.b/c\n"
    note = parse_note(text, "t")
    assert note.refs[-2:] == ["area.topic", "https://a.b/c"] and "long note" in note.warning


def test_a_comment_mark_in_code_starts_no_comment() -> None:
    """Obsidian's "Basic formatting syntax": "`%%`" in prose and `%%` in a fence started a comment that hid
    the prose up to the next `%%` ("Comments are only visible in Editing view") and read the example code."""
    text = ("You can add comments by wrapping text with `%%`. Comments are only visible in Editing view.\n\n"
            "```md\nThis is an %%inline%% comment.\n\n%%\nThis is a block comment.\n%%\n```\n\n"
            "~~~\n%%\n~~~\n\nAfter %%a hidden\n\nblock%% the end. ``a %% b`` and `%%` too.")
    words = parse_note(text, "f").text.split()
    assert words == ["You", "can", "add", "comments", "by", "wrapping", "text", "with", ".",
                     "Comments", "are", "only", "visible", "in", "Editing", "view.", "After", "the", "end.",
                     "and", "too."]


def test_an_unclosed_comment_mark_is_text() -> None:
    assert parse_note("Up 5%% today", "f").paragraphs == ["Up 5%% today"]


def test_math_marks_in_code_pair_with_none_in_prose() -> None:
    """A `$$` in a fence and one in a code span hid the prose between them as math, then the fence's close
    with it (everything after read as code); `$x + y$` was read as prose, prices are not math."""
    text = ("Intro.\n\n```\necho $$\n```\n\nCompost matters.\n\nThen `$$` again.\n\n"
            "$$x^2 + \\frac{a}{b}$$\n\n"
            "After math, inline $\\alpha + \\beta$ too; `$HOME` and $5 and $10 prices.")
    assert parse_note(text, "f").paragraphs == [
        "Intro.", "Compost matters.", "Then   again.",
        "After math, inline  alpha beta  too;   and $5 and $10 prices."]


def test_a_formula_reads_as_its_commands_words_not_its_layout() -> None:
    """`\\partial`, `\\circ`, `\\mathbb` say what a note of mathematics is about; `\\left`, `\\frac`,
    `\\begin` only lay a formula out (and `left`, `end` are English words); letters are no words."""
    text = ("Then $f \\circ g$ and\n\n"
            "$$\\left( \\frac{\\partial u}{\\partial x} \\right) \\in \\mathbb{R}$$\n\nend.")
    assert parse_note(text, "f").paragraphs == ["Then  circ  and", "partial partial in mathbb", "end."]


def test_footnotes_read_as_their_text() -> None:
    """`[^1]` and the `[^note]:` opening a definition are no words (`note` was one); a one-word definition
    was a link reference definition and lost its word."""
    text = ("Compost needs air[^1] and water[^note].\n\n[^1]: Turning weekly helps.\n\n[^note]: Rainwater\n\n"
            "> [^q]: quoted footnote\n\nCode `[^kept]` stays code.")
    note = parse_note(text, "f")
    assert note.paragraphs == ["Compost needs air and water.", "Turning weekly helps.", "Rainwater",
                               "quoted footnote", "Code   stays code."]
    assert note.refs == ["[^kept]"]


def test_a_callouts_type_is_no_text() -> None:
    """`> [!tip]` gave the word `tip` (`info`, `warning`, `note`: 2,300 tokens of the help vaults, English in
    every language's vault); its title and body are text."""
    text = "> [!tip] Keep notes small\n> Split them.\n\n> [!warning]-\n> Backups matter.\n\n>> [!info]+ Deep"
    assert parse_note(text, "f").paragraphs == ["Keep notes small Split them.", "Backups matter.", "Deep"]


def test_a_footnotes_later_paragraphs_are_its_text_not_code() -> None:
    """Obsidian and Pandoc write a footnote's later paragraphs indented after a blank line: they read as
    indented code, their words lost to search and training. An indented code block elsewhere stays code."""
    text = ("Compost needs air.[^1]\n\n[^1]: Turning weekly helps.\n\n    Worms like it damp.\n"
            "    Lanterns too.\n\n\tA tabbed third one.\n\nBack in the note.\n\n    real_code = 1\n")
    note = parse_note(text, "f")
    assert note.paragraphs == ["Compost needs air.", "Turning weekly helps.", "Worms like it damp. Lanterns "
                               "too.", "A tabbed third one.", "Back in the note."]


def test_an_inline_footnotes_words_and_links_are_the_notes() -> None:
    """`^[text]` (Obsidian's, Pandoc's inline footnote), over a line break too: its words are prose and its
    links links, as the snippets and the app read them."""
    note = parse_note("Compost^[heats quickly] then^[see [log](log.md) and\n[[Garden]]] ok.", "f")
    assert note.paragraphs == ["Compost^[heats quickly] then^[see log and Garden] ok."]
    assert [ln.target for ln in note.links] == ["log.md", "Garden"]


def test_a_markup_edge_between_cjk_characters_is_a_word_boundary() -> None:
    """A link's text and emphasis start and end words: `参见[[描述]]` gave the bigram `见描`, of two words
    (`见图`, `和社` among the Chinese help's concepts). Between letters of spaced scripts nothing changes."""
    text = "参见[[自定义分享链接#图片|图片]]和**重要**的[链接](a.md)。See [[Note]]s and **bold**ly."
    assert parse_note(text, "f").paragraphs == ["参见 图片 和 重要 的 链接。See Notes and boldly."]


def test_a_property_s_wikilinks_are_links_and_its_text_is_no_prose() -> None:
    """Obsidian's properties link notes (`up: "[[Parent]]"`, a list of them, nested too): its backlinks
    and graph count them, so they are the note's links; a property's other text is not read."""
    text = ('---\nup: "[[Parent#Part|the parent]]"\nrelated:\n  - "[[A]]"\n  - see [[B]] too\n'
            'count: 3\nnested: {deep: ["[[C]]"]}\naliases: [Other]\n---\n# Note\n\nbody [[D]]\n')
    note = parse_note(text, "note")
    assert [(link.target, link.heading) for link in note.links] == [
        ("D", ""), ("Parent", "Part"), ("A", ""), ("B", ""), ("C", "")]
    assert note.paragraphs == ["Note", "body D"] and note.aliases == ["Other"]


def test_a_property_s_plain_values_are_refs_not_prose() -> None:
    """A property's plain values (`category: study`, a list's items) are read for the notes they name, as
    URLs are; not its dates, wikilinks, ids, title, aliases or tags, nor a value too long for a name."""
    text = ('---\ncategory:\n  - study\n  - Work\nup: Parent note\ncreated: 2026-05-28T00:44:03+03:00\n'
            f'id: x1y2\ncount: 3\ndone: true\nrel: "[[A]]"\ntags: [t]\nlong: {"word " * 50}\n---\nbody\n')
    note = parse_note(text, "note")
    assert note.refs == ["study", "Work", "Parent note"]
    assert note.paragraphs == ["body"]


def test_a_property_s_dates_in_other_forms_and_nested_names_are_no_refs() -> None:
    """Dates with a spaced zone, slashes or dots named the daily note of that day, and a nested mapping's
    title and aliases were read (the review of session 27); a zettel id that YAML reads as a number is
    read as its digits, a year or Dendron's epoch milliseconds are not."""
    text = ('---\ncreated: "2026-05-28 14:03:22 +0300"\nupdated: 2026/05/28\nseen: 28.05.2026\n'
            'meta:\n  title: Graph View\n  aliases: [Foo Bar]\n  area: Garden\nup: 202305281403\n'
            'year: 2023\ncreated: 1642564062835\n---\nbody\n')
    assert parse_note(text, "note").refs == ["Garden", "202305281403"]

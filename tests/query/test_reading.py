"""A note's text as its reader sees it: code spans found as CommonMark finds them."""

from notelink.query.reading import as_read, code_spans


def test_a_code_span_runs_to_the_next_run_of_as_many_backticks_on_its_line() -> None:
    text = "a `` ``` `` b `x` ``open\nnext` line`"
    assert [text[a:b] for a, b, _ in code_spans(text)] == ["`` ``` ``", "`x`", "` line`"]
    assert as_read("`**kept**` **read** `` a`b `` ``none") == "**kept** read  a`b  ``none"


def test_runs_that_close_nothing_are_read_in_one_pass() -> None:
    """Runs of 1 to 1,999 backticks, none closing: each opening searched the rest of the line for its
    closing run (a regex's lazy search: n^1.5, seconds for an 80 kB line); now the runs are counted once."""
    line = "".join("`" * n + "a" for n in range(1, 2000))
    assert code_spans(line) == [] and as_read(line) == line


def test_a_footnote_reads_as_its_text() -> None:
    """A snippet showed a footnote's definition with its `[^1]:` (and kept a mark followed by a colon)."""
    from notelink.query.reading import blocks

    text = "Air[^1]: needed.\n\n[^1]: Turning weekly helps.\n> [^note]: Quoted one."
    assert [as_read(b) for _, b, _ in blocks(text)] == ["Air: needed.", "Turning weekly helps. Quoted one."]


def test_an_embedded_image_reads_as_nothing() -> None:
    """A snippet showed `![[lucide-trash-2.svg#icon]]` as "lucide-trash-2.svg#icon" (5,000 times in the
    help vaults); an embedded note still reads as its name."""
    text = "Select the trash icon ![[lucide-trash-2.svg#icon]] or ![[map.png|300]] beside ![[Other note]]."
    assert as_read(text) == "Select the trash icon  or  beside Other note."


def test_a_dendron_note_reference_reads_as_its_note() -> None:
    """A search snippet on dendron-site showed `dendron://dendron.dendron-site/dendron.topic.sidebar
    .calendar-view#summary,1:#*` (a note reference: vault, note, heading and range; found by the TUI
    sweep)."""
    text = "![[dendron://dendron.dendron-site/area.calendar-view#summary,1:#*]] and [[a.b#^start:#^end]]"
    assert as_read(text) == "area.calendar-view#summary and a.b#^start"
    assert as_read("[[C#, F# notes|lang.c]]", alias_first=True) == "C#, F# notes"
    assert as_read("![[area.daily-journal#summary,1]]", alias_first=True) == "area.daily-journal#summary"
    assert as_read("[[Meeting#Q1: goals, risks]] [[Setup#Step 1: install]]") == (
        "Meeting#Q1: goals, risks Setup#Step 1: install")  # (a heading is no range)


def test_logseq_markup_reads_as_logseq_shows_it() -> None:
    """Snippets of Logseq's own docs showed `id:: 6380d3bb-…`, `collapsed:: true`,
    `logseq.order-list-type:: number`, `#+BEGIN_EXAMPLE` and its query, `{{cloze clozes}}`, a block's
    heading as `• ## Usage`, `{{embed ((60ab6f5b-…))}}` and an image's `{:height 224, :width 441}` (lines of
    pages/Whiteboard___Action Bar.md, Queries.md, Cloze.md, Assets alias.md)."""
    from notelink.query.reading import blocks

    text = ("- ## Usage\n\t\t- [[Collapse toggle]]\n\t\t  id:: 6380d3bb-9b07-4f56-9767-e31c7edc3b11\n"
            "\t\t  collapsed:: true\n\t\t  updated-at:: 1609244703085\n"
            "\t\t  logseq.order-list-type:: number\n"
            "\t  #+BEGIN_EXAMPLE\n\t  {{query Something you're looking for}}\n\t  #+END_EXAMPLE\n"
            "\t  #+BEGIN_TIP\n\t  Page names are stored as lower case.\n\t  #+END_TIP\n"
            "\t- You can have multiple {{cloze clozes}} in a block too, {{cloze red \\\\ color}}.\n"
            "\t  {{embed ((60ab6f5b-a01f-44eb-8d4a-fb8ca1893dcf))}} {{embed [[term/page]]}} see "
            "[apple](((60a78e9e-59dc-40ab-9a01-5317dc09365f)))\n"
            "\t  ![shot.png](../assets/shot.png){:height 224, :width 441} {{date}}\n"
            "\t  #+BEGIN_SRC clojure\n\t  (never closed)\n")
    shown = " ".join(as_read(b, logseq=True) for _, b, _ in blocks(text, logseq=True))
    assert shown == ("Usage • Collapse toggle Page names are stored as lower case. • You can have multiple "
                     "clozes in a block too, red.  term/page see apple shot.png {{date}} (never closed)"
                     )


def test_logseq_markup_is_the_notes_words_in_other_vaults() -> None:
    """A Dataview field `due:: 2024-05-01` in an Obsidian vault was hidden from snippets as Logseq's
    property of no words (the index reads `due` as a word there); `((…))`, `{{embed …}}`, `{{cloze …}}`
    and `#+BEGIN_SRC` are text as written outside Logseq, as the index reads them."""
    from notelink.query.reading import blocks

    text = ("due:: 2024-05-01\nid:: 42\n\n#+BEGIN_SRC python\nprint(1)\n#+END_SRC\n\n"
            "See ((6018cc98-1234-1234-1234-123456789012)) and {{cloze red}} {{embed [[Page]]}}.")
    assert [as_read(b) for _, b, _ in blocks(text)] == [
        "due:: 2024-05-01 id:: 42", "#+BEGIN_SRC python print(1) #+END_SRC",
        "See ((6018cc98-1234-1234-1234-123456789012)) and {{cloze red}} {{embed Page}}."]
    assert [as_read(b, logseq=True) for _, b, _ in blocks(text, logseq=True)] == ["See  and red Page."]


def test_an_inline_footnote_reads_as_its_text_in_parentheses() -> None:
    """A snippet showed `up.^[Turning it weekly helps, see [[Garden]].]` with its marks (Obsidian's and
    Pandoc's inline footnotes); the index reads its words. In code it stays as written."""
    assert as_read("Compost heats up.^[Turning it **weekly** helps, see [[Garden]] and [log](log.md).] "
                   "Next^[] `a^[b]`") == (
        "Compost heats up. (Turning it weekly helps, see Garden and log.) Next a^[b]")


def test_an_unclosed_inline_footnote_before_many_links_is_read_at_once() -> None:
    """`[b](c)` reads as a link or as characters: an unclosed `^[` before 30 of them tried every split
    (2^30) before giving up. Its text stays as written; the regex is possessive (no timing asserted: a
    hang is the failure)."""
    from notelink.query.reading import INLINE_FOOTNOTE

    line = "^[" + " ".join("[a](b c)" for _ in range(40))
    assert INLINE_FOOTNOTE.search(line) is None
    assert INLINE_FOOTNOTE.sub("x", "^[see [[a]] and [b](c) too] end") == "x end"

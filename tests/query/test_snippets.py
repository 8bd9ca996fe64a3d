"""Snippets: the best passage of a note, cut around its matches, with the matched words marked."""

import math
import random
from pathlib import Path

from notelink.query.snippets import WIDTH, _densest, read_snippet, snippet

NOTE = """---
title: Sync
tags: [sync]
---
# Syncing my vault

Some intro that says nothing much.

```
sync sync sync vault vault in a code block
```

Syncing the vault between my phone and the desktop: Sync's settings
decide which files travel.

Another paragraph about the phone only.
"""


def test_best_block_wins_and_words_are_marked_as_tokenized() -> None:
    s = snippet(NOTE, {"vault": 1.0, "phone": 1.0, "desktop": 0.5})
    assert s is not None and s.line == 13
    assert s.text == ("Syncing the vault between my phone and the desktop: Sync's settings decide which "
                      "files travel.")
    assert [s.text[a:b] for a, b in s.spans] == ["vault", "phone", "desktop"]


def test_a_tie_goes_to_prose_over_a_heading() -> None:
    text = "# Bread\n\nA loaf needs flour, water and a lively sourdough starter.\n"
    got = snippet(text, {"bread": 1.0, "starter": 1.0})
    assert got is not None and got.line == 3 and "starter" in got.text
    assert snippet(text, {"bread": 1.0, "starter": 0.5}).line == 1  # type: ignore[union-attr]


def test_code_and_front_matter_are_never_the_passage() -> None:
    s = snippet(NOTE, {"code": 1.0, "tags": 1.0})
    assert s is not None and s.spans == [] and s.line == 5 and s.text == "Syncing my vault"


def test_long_block_is_cut_around_the_densest_matches() -> None:
    filler = " ".join(f"word{i}" for i in range(80))
    text = f"{filler} alpha beta alpha {filler}\n"
    s = snippet(text, {"alpha": 1.0, "beta": 1.0})
    assert s is not None and len(s.text) <= WIDTH + 2
    assert s.text.startswith("…") and s.text.endswith("…")
    assert [s.text[a:b] for a, b in s.spans] == ["alpha", "beta", "alpha"]


def test_a_phrase_prefers_the_block_that_has_it() -> None:
    text = "green blue here\n\nblue green there\n"
    assert snippet(text, {"blue": 1.0, "green": 1.0}).line == 1  # type: ignore[union-attr]
    assert snippet(text, {"blue": 1.0, "green": 1.0}, [["blue", "green"]]).line == 3  # type: ignore[union-attr]


def test_empty_and_missing_notes(tmp_path: Path) -> None:
    assert snippet("", {"x": 1.0}) is None
    assert read_snippet(tmp_path, "gone.md", 10**6, {"x": 1.0}) is None


def test_a_note_that_now_points_outside_the_vault_gives_no_snippet(tmp_path: Path) -> None:
    """Replaced by a link to a file outside the vault since it was indexed: its text is never shown."""
    (tmp_path / "vault").mkdir()
    (tmp_path / "secret.txt").write_text("root:x:0:0 secret words\n", encoding="utf-8")
    (tmp_path / "vault" / "note.md").symlink_to(tmp_path / "secret.txt")
    assert read_snippet(tmp_path / "vault", "note.md", 10**6, {"secret": 1.0}) is None


def test_front_matter_after_a_bom_or_with_crlf_is_left_out(tmp_path: Path) -> None:
    (tmp_path / "bom.md").write_bytes(b"\xef\xbb\xbf---\ntitle: Bom\n---\n# Bom\n\nBody text.\n")
    (tmp_path / "crlf.md").write_bytes(b"---\r\ntitle: Crlf\r\n---\r\n# Crlf\r\n\r\nBody text.\r\n")
    for name in ("bom.md", "crlf.md"):
        snip = read_snippet(tmp_path, name, 10**6, {"body": 1.0})
        assert snip is not None and snip.text == "Body text." and snip.line == 6, (name, snip)


def test_blocks_of_equal_weight_tie_to_the_first_whatever_the_order_of_summing() -> None:
    """A block's weight is an exact sum (0.1 + 0.2 + 0.3 summed in another order differs in the last bit),
    so equal blocks tie and the first wins, in every process (set order follows PYTHONHASHSEED)."""
    words = ["alpha", "beta", "gamma", "delta"]
    for shift in range(4):
        weights = {w: 0.1 * (1 + (k + shift) % 4) for k, w in enumerate(words)}
        s = snippet("gamma beta alpha delta\n\nbeta delta alpha gamma\n\ndelta alpha gamma beta\n", weights)
        assert s is not None and s.line == 1


def test_an_edited_note_gets_its_new_passage() -> None:
    before = snippet(NOTE, {"paragraph": 1.0})
    after = snippet(NOTE.replace("the phone only.", "the phone only, truly."), {"paragraph": 1.0})
    assert before is not None and before.text == "Another paragraph about the phone only."
    assert after is not None and after.text == "Another paragraph about the phone only, truly."
    assert snippet(NOTE, {"paragraph": 1.0}) == before


def _densest_by_definition(matches: list[tuple[int, int, str]], weights: dict[str, float], width: int) -> int:
    """The first match whose window [a - width // 5, a - width // 5 + width] holds the most distinct
    weight."""
    def weight(k: int) -> float:
        lo = matches[k][0] - width // 5
        return math.fsum(weights[t] for t in {t for a, b, t in matches if lo <= a and b <= lo + width})
    return max(range(len(matches)), key=lambda k: (round(weight(k), 9), -k))


def test_the_densest_window_is_the_one_the_definition_gives() -> None:
    rng = random.Random(7)
    for _ in range(200):
        weights = {t: rng.choice([0.5, 1.0, 0.25, 0.3]) for t in "abcdef"}
        b, matches = 0, []  # words in text order, apart; a word may be several tokens (one span)
        for _ in range(rng.randint(1, 60)):
            a = b + rng.randint(1, 30)
            b = a + rng.randint(1, 12)
            matches += [(a, b, t) for t in rng.sample("abcdef", rng.choice([1, 1, 1, 2]))]
        width = rng.choice([40, 80, 200])
        assert _densest(matches, weights, width) == _densest_by_definition(matches, weights, width)


def test_a_huge_one_line_paragraph_gets_its_snippet() -> None:
    """A 2 MB paragraph of 200,000 matches (its window was once searched in quadratic time: hours) is
    ranked in pieces; the best piece is the one with the rare word."""
    text = "x " * 1000 + "sourdough flour water " * 50_000 + "levain " + "sourdough flour water " * 50_000
    s = snippet(text, {"sourdough": 1.0, "water": 0.5, "levain": 3.0})
    assert s is not None and len(s.text) <= WIDTH + 2 and "levain" in s.text
    assert s.text.startswith("…") and s.spans


def test_front_matter_with_crlf_line_ends_is_never_the_passage() -> None:
    s = snippet("---\r\ntitle: Sync\r\ntags: [vault]\r\n---\r\n\r\nThe phone syncs.\r\n", {"vault": 1.0})
    assert s is not None and s.text == "The phone syncs." and s.line == 6


def test_a_snippet_reads_the_note_without_hashing_it(tmp_path: Path, monkeypatch) -> None:
    """The content hash is the indexer's (about 20 us a note): a snippet never needs it."""
    from notelink.notes import vault

    def no_hash(data: bytes) -> object:
        raise AssertionError("a snippet hashed its note")

    (tmp_path / "note.md").write_text(NOTE, encoding="utf-8")
    monkeypatch.setattr(vault.hashlib, "sha256", no_hash)
    snip = read_snippet(tmp_path, "note.md", 10**6, {"vault": 1.0, "phone": 1.0})
    assert snip is not None and snip.line == 13


def test_links_read_as_their_text_and_the_matched_words_in_them_are_marked() -> None:
    text = "Feed the [[Sourdough starter|starter]] before [[Bread baking basics]]; see [the log](log.md)."
    s = snippet(text, {"starter": 1.0, "bread": 1.0, "log": 0.5})
    assert s is not None and s.text == "Feed the starter before Bread baking basics; see the log."
    assert [s.text[a:b] for a, b in s.spans] == ["starter", "Bread", "log"]
    dendron = snippet("Feed the [[starter|cooking.sourdough-starter]] daily.", {"feed": 1.0},
                      dialect="dendron")
    assert dendron is not None and dendron.text == "Feed the starter daily."


TABLE = f"""# Headless Sync

Run it on a server.

| Option                | Description {' ' * 180}|
| --------------------- | {'-' * 200} |
| `--path`              | Local vault path (default: current directory) {' ' * 150}|
| `--mode`              | Sync mode: `bidirectional` (default), `pull-only` or `mirror-remote` {' ' * 120}|
"""


def test_a_tables_rule_row_is_never_the_passage() -> None:
    """The passage was the table's `| --- | --- |` row, with no matched word (a long rule moved the cut
    window off the words, onto the dashes)."""
    s = snippet(TABLE, {"sync": 1.0, "vault": 1.0, "desktop": 0.5})
    assert s is not None and s.line == 7 and "---" not in s.text, s
    assert [s.text[a:b] for a, b in s.spans] == ["vault", "Sync"]


def test_a_word_longer_than_the_window_before_a_match_keeps_the_match_in_the_snippet() -> None:
    text = "x" * 300 + " the vault is here\n"
    s = snippet(text, {"vault": 1.0})
    assert s is not None and [s.text[a:b] for a, b in s.spans] == ["vault"]


MARKED = """# Sourdough notes

## Feeding the *starter* ##

> [!tip] Feed it **twice** a day
> - Discard half, then add flour and water.
> - [ ] Keep the jar <b>warm</b>: 24\\*C is ~~too~~ ==fine==.

1. Use `**raw**` flour, _not_ snake_case_names, see https://example.org/a_b_c_d.
"""


def test_a_snippet_reads_as_the_note_does_not_as_its_markdown() -> None:
    """A new user's sweep: snippets showed `## Documentation`, `**bold**`, `> ` quotes and list bullets."""
    head = snippet(MARKED, {"feeding": 1.0})
    assert head is not None and head.text == "Feeding the starter" and head.line == 3
    quote = snippet(MARKED, {"feed": 1.0, "jar": 1.0, "discard": 1.0})
    assert quote is not None and quote.line == 5
    assert quote.text == ("Feed it twice a day • Discard half, then add flour and water. • Keep the jar "
                          "warm: 24*C is too fine.")
    assert [quote.text[a:b] for a, b in quote.spans] == ["Feed", "Discard", "jar"]
    code = snippet(MARKED, {"flour": 1.0, "raw": 1.0, "snake_case_names": 1.0})
    assert code is not None and code.line == 9
    assert code.text == "1. Use **raw** flour, not snake_case_names, see https://example.org/a_b_c_d."


def test_every_character_a_snippet_shows_is_the_notes_own_in_order() -> None:
    """Marks are left out, nothing is added (but a list item's `•`): the words quoted are the note's."""
    for words in ({"feeding": 1.0}, {"feed": 1.0, "jar": 1.0}, {"flour": 1.0}):
        s = snippet(MARKED, words)
        assert s is not None
        rest = iter(MARKED)
        assert all(ch in rest for ch in s.text.replace("• ", "") if ch != " ")


PRICES = r"""# Market

| Fruit | Colour | Note |
| :--- | :-: | ---: |
| Apple | red | `a\|b` crisp |
| [[fruit/pear\|Pears]] | green | soft |

> [!tip] Winter
> | Item | Price |
> |------|-------|
> | Quince | 3 |

Odd | even is no table: no delimiter row under it.
"""


def test_a_tables_rows_read_as_their_cells_without_pipes_or_delimiter_rows() -> None:
    """A snippet showed a table as Markdown (`| Apple | red |`, `|---|---|`): a row reads as its cells
    between `·`, its rows after `—`, an escaped pipe as a pipe of its cell, a link in a cell as its text."""
    s = snippet(PRICES, {"crisp": 1.0, "soft": 1.0})
    assert s is not None and s.line == 5
    assert s.text == "Apple · red · a|b crisp — Pears · green · soft"
    assert [s.text[a:b] for a, b in s.spans] == ["crisp", "soft"]
    header = snippet(PRICES, {"colour": 1.0})
    assert header is not None and (header.text, header.line) == ("Fruit · Colour · Note", 3)


def test_a_table_in_a_callout_reads_as_its_cells_and_a_pipe_in_prose_stays() -> None:
    quoted = snippet(PRICES, {"quince": 1.0})
    assert quoted is not None and (quoted.text, quoted.line) == ("Quince · 3", 11)
    header = snippet(PRICES, {"item": 1.0})  # (the callout's title and the table's header: one block)
    assert header is not None and (header.text, header.line) == ("Winter — Item · Price", 8)
    prose = snippet(PRICES, {"odd": 1.0})
    assert prose is not None and prose.text.startswith("Odd | even")


HIDDEN = """# Apples

Crisp %%a private note on apples%% apples keep for months. ^keep-1

%%
Pears, a hidden paragraph: reading view shows none of it.
%%

Apples store cold <!-- not pears --> in a cellar, and `%%` in code starts no comment.
^cellar

The orchard: ![](https://example.com/orchard.gif) and [the map](https://example.com/map "Orchard map").
"""


def test_comments_and_block_ids_read_as_reading_view_shows_them() -> None:
    """A snippet showed `%%comments%%`, `<!-- comments -->` (which the index leaves out) and `^block-ids`:
    reading view hides them; the lines after them keep their numbers."""
    crisp = snippet(HIDDEN, {"crisp": 1.0})
    assert crisp is not None and (crisp.text, crisp.line) == ("Crisp apples keep for months.", 3)
    assert snippet(HIDDEN, {"pears": 1.0}) == snippet(HIDDEN, {"nothing": 1.0})  # (no pears to be seen)
    cellar = snippet(HIDDEN, {"cellar": 1.0})
    assert cellar is not None and cellar.line == 9
    assert cellar.text == "Apples store cold in a cellar, and %% in code starts no comment."


def test_an_image_without_alt_text_reads_as_nothing_and_a_link_with_a_title_as_its_text() -> None:
    """`![](url)` showed its URL in a snippet (dendron-site's `Copy Note Reference`)."""
    s = snippet(HIDDEN, {"orchard": 1.0})
    assert s is not None and s.text == "The orchard: and the map."


def test_a_fence_in_a_callout_is_code_and_a_code_span_closes_on_a_run_of_its_own_length() -> None:
    """obsidian-help's snippets showed a callout's ```md fence and the code in it (the index reads it as
    code), and a table with `` ``` `` in a cell as `[[…|Completed task]]`: its code span paired with the
    next row's backtick."""
    callout = "> [!note] Vertical bars\n> Escape the bar.\n>\n> ```md\n> First | Second\n> -- | --\n> ```\n"
    s = snippet(callout, {"first": 1.0, "escape": 0.5})
    assert s is not None and s.text == "Vertical bars Escape the bar." and s.spans == [(14, 20)]
    table = ("| Syntax | Description |\n| --- | --- |\n| `` ``` `` | [[Code blocks]] |\n"
             "| `- [x]` | [[Basic formatting syntax#Task lists\\|Completed task]] |\n")
    row = snippet(table, {"completed": 1.0})
    assert row is not None and row.text == "``` · Code blocks — - [x] · Completed task"


def test_links_read_as_their_text_with_code_in_it_a_badge_in_it_or_parentheses_in_the_target() -> None:
    """dendron-site's snippets showed these raw: a code span in a link's text split the link, a badge (an
    image in a link) left the outer link, and `Cache_(computing)` ended the target early."""
    text = ("Follow [Dendron on Twitter (`@dendronhq`)](https://link.dendron.so/twitter) and "
            "[![dendronhq on Twitter](https://img.shields.io/x?style=social)](https://link.dendron.so/t), a "
            "[cache](https://en.wikipedia.org/wiki/Cache_(computing)) &lt;of notes&gt; &amp; `[[code]]`.\n")
    s = snippet(text, {"cache": 1.0})
    assert s is not None and s.text == ("Follow Dendron on Twitter (@dendronhq) and dendronhq on Twitter, a "
                                        "cache <of notes> & [[code]].")


def test_dendrons_template_variables_read_as_its_preview_shows_them() -> None:
    """`{{fm.title}} is a command` (171 notes of dendron-site say `{{fm.desc}}`): the front matter's value;
    another `{{…}}` (a helper, a comment) as nothing, as the index reads it; in code, as written. Other
    dialects show `{{…}}` as written (an Obsidian template's `{{date}}`)."""
    text = ("---\nid: x\ntitle: Open Link\ndesc: 'Open a link under the cursor'\n---\n"
            "{{fm.title}} is a command. {{! a comment }}Summary: {{ fm.desc }}; `{{ VARIABLE }}`.\n")
    s = snippet(text, {"command": 1.0}, dialect="dendron")
    assert s is not None and s.line == 6
    assert s.text == "Open Link is a command. Summary: Open a link under the cursor; {{ VARIABLE }}."
    plain = snippet(text, {"command": 1.0})
    assert plain is not None and plain.text.startswith("{{fm.title}} is a command. {{! a comment }}")


def test_a_line_opening_with_a_badge_keeps_it_and_tags_and_footnote_marks_are_hidden() -> None:
    """dendron-site's snippets: `[![alt](image)](link)` at a line's start lost `[![alt]` as if it were a
    callout's `[!type]` (the rest showed as URLs); an `<img src="https://…">` tag showed, its URL cut out
    of it; a footnote's `[^upgrade]` showed in the sentence."""
    text = ('[![dendronhq on Twitter](https://img.shields.io/x?style=social)](https://link.dendron.so/t)\n\n'
            '<img style="max-width:250px" src="https://example.com/joe.png"/> Joe builds[^upgrade] it.\n\n'
            "> [!tip] Keep `<b>` as code\n")
    assert getattr(snippet(text, {"twitter": 1.0}), "text", "") == "dendronhq on Twitter"
    assert getattr(snippet(text, {"joe": 1.0}), "text", "") == "Joe builds it."
    assert getattr(snippet(text, {"code": 1.0}), "text", "") == "Keep <b> as code"


def test_a_chinese_word_is_marked_where_it_is_in_its_run() -> None:
    """A Chinese run of characters is read as overlapping pairs; a search for 链接 marked the whole
    run 永久链接和图片来自定义页面元数据 (16 characters) in obsidian-help's zh/SEO note (found by the
    TUI sweep)."""
    text = "# SEO\n\n你还可以通过描述、永久链接和图片来自定义页面元数据。\n"
    s = snippet(text, {"链接": 1.0})
    assert s is not None and [s.text[a:b] for a, b in s.spans] == ["链接"]
    s = snippet(text, {"链接": 1.0, "图片": 1.0})
    assert s is not None and [s.text[a:b] for a, b in s.spans] == ["链接", "图片"]


def test_link_reference_definitions_are_hidden_as_reading_view_hides_them() -> None:
    """A note's `[heap]: compost-heap.md` lines (reference links, Foam's autogenerated link references)
    showed as its snippet, and a reference link as `[the heap][heap]`; a footnote's text, and a line like a
    definition inside a paragraph, still show."""
    text = ("# Heap\n\nSee [the heap][heap] and [[Deep note]].[^1]\n\n[^1]: A compost footnote.\n\n"
            '[heap]: compost-heap.md "Compost heap"\n[deep]: <sub/Deep note.md>\n'
            '[//begin]: # "Autogenerated link references"\n\n'
            "Compost words run on\n[not]: a definition inside a paragraph\n")
    heap = snippet(text, {"heap": 1.0})
    assert heap is not None and heap.text == "See the heap and Deep note." and heap.line == 3
    assert getattr(snippet(text, {"autogenerated": 1.0}), "text", "") != 'Autogenerated link references'
    assert getattr(snippet(text, {"footnote": 1.0}), "text", "") == "A compost footnote."
    assert getattr(snippet(text, {"definition": 1.0}), "text", "") == (
        "Compost words run on [not]: a definition inside a paragraph")


def test_html_tags_between_words_read_as_a_space() -> None:
    """`<span>compost</span><span>heap</span>` read `compostheap`: the snippet glued the words, and the
    matched word (the index reads two words) was not marked."""
    text = "<span>Compost</span><span>heap</span> notes, a<br>b, <div>x</div><div>y</div> and <b>warm</b>.\n"
    found = snippet(text, {"compost": 1.0})
    assert found is not None and found.text == "Compost heap notes, a b, x y and warm."
    assert found.spans == [(0, 7)]

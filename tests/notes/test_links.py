"""Resolving link targets to notes."""

from notelink.notes.links import Resolver
from notelink.notes.note import parse_note

NOTES = [("Home.md", "Home", []), ("cooking/Bread.md", "Bread", ["Loaf"]),
         ("garden/Bread.md", "Garden bread", []), ("a/b/Deep note.md", "Deep", [])]


def test_by_file_name_shortest_path_wins() -> None:
    r = Resolver(NOTES)
    assert r.resolve("Bread") == "cooking/Bread.md"
    assert r.resolve("bread.md") == "cooking/Bread.md"
    assert r.resolve("Deep note") == "a/b/Deep note.md"


def test_by_path_title_and_alias() -> None:
    r = Resolver(NOTES)
    assert r.resolve("garden/Bread") == "garden/Bread.md"
    assert r.resolve("Garden bread") == "garden/Bread.md"
    assert r.resolve("loaf") == "cooking/Bread.md"
    assert r.resolve("Missing") is None


def test_a_path_reaches_the_note_whose_path_it_ends() -> None:
    """Obsidian's partial paths: `sub/Nested` reaches `deep/sub/Nested.md` (at a folder, not inside a
    name); of several, the one nearest the vault's root, then the first in order. Not in Logseq, whose
    `a/b` is a page's name, nor for a path from the root (`/sub/Nested`) or relative (`../`)."""
    from notelink.config import DialectConfig

    notes = [*NOTES, ("deep/sub/Nested.md", "Nested", []), ("x/y/sub/Nested.md", "Other", []),
             ("b/z/sub/Nested.md", "Third", []), ("a/z/sub/Nested.md", "Fourth", []),
             ("en/Obsidian Sync/Security and privacy.md", "Security", []), ("ab/Sub/Nested.md", "Ab", [])]
    r = Resolver(notes)
    assert r.resolve("sub/Nested") == "ab/Sub/Nested.md"  # (case aside: ab/Sub is nearest the root)
    assert r.resolve("deep/sub/Nested.md") == "deep/sub/Nested.md"
    assert r.resolve("z/sub/nested") == "a/z/sub/Nested.md"
    assert r.resolve("y/sub/Nested") == "x/y/sub/Nested.md"
    assert r.resolve("Obsidian Sync/Security and privacy") == "en/Obsidian Sync/Security and privacy.md"
    assert r.resolve("Sync/Security and privacy") is None  # (inside a folder's name)
    assert r.resolve("b/Deep note") == "a/b/Deep note.md"
    assert r.resolve("/sub/Nested") is None and r.resolve("../sub/Nested", "a/n.md") is None
    assert Resolver(notes, DialectConfig("logseq")).resolve("sub/Nested") is None


def test_of_several_notes_of_a_name_the_one_nearest_the_linking_note_wins() -> None:
    """As Obsidian resolves a link from its note: one in the linking note's folder first, else the one
    sharing the most folders with it (a vault of translations: its own language's), then the one nearest
    the root, then the first in order; without a linking note, the one nearest the root. In every
    dialect, for file names, titles and aliases, and the ends of paths. A whole path from the root still
    comes first (`[[Canvas]]` is `Canvas.md` at the root, from anywhere)."""
    from notelink.config import DIALECTS, DialectConfig

    notes = [("ca/Connectors/Canvas.md", "Canvas", ["Llenç"]), ("id/Plugin/Canvas.md", "Canvas", ["Llenç"]),
             ("id/Plugin/sub/Canvas.md", "Canvas", []),
             ("no/Hjelp/Kjerne/Canvas.md", "Canvas", []), ("no/Hjelp/Om.md", "Om", []),
             ("da/Kjerne/Canvas.md", "Canvas", [])]
    for name in [d for d in DIALECTS if d not in ("auto", "dendron")]:
        r = Resolver(notes, DialectConfig(name))
        assert r.resolve("Canvas") == "ca/Connectors/Canvas.md", name  # typed by a user: nearest the root
        assert r.resolve("Canvas", "ca/Other.md") == "ca/Connectors/Canvas.md", name
        assert r.resolve("Canvas", "id/Plugin inti/Sematkan file.md") == "id/Plugin/Canvas.md", name
        assert r.resolve("Canvas", "id/Plugin/sub/x.md") == "id/Plugin/sub/Canvas.md", name  # its folder
        assert r.resolve("Canvas", "id/Plugin/x.md") == "id/Plugin/Canvas.md", name
        assert r.resolve("Canvas", "no/Om.md") == "no/Hjelp/Kjerne/Canvas.md", name  # not da/: nearer
        assert r.resolve("Canvas", "fr/x.md") == "ca/Connectors/Canvas.md", name  # none nearer
        assert Resolver([*notes, ("Canvas.md", "C", [])], DialectConfig(name)).resolve(
            "Canvas", "id/Plugin/x.md") == "Canvas.md"  # its path from the root
        assert r.resolve("Llenç", "id/x.md") == "id/Plugin/Canvas.md", name  # an alias
        if name != "logseq":
            assert r.resolve("Kjerne/Canvas", "no/Hjelp/Om.md") == "no/Hjelp/Kjerne/Canvas.md", name
    dendron = Resolver([("vault1/a.b.md", "B", []), ("vault2/a.b.md", "B", [])], DialectConfig("dendron"))
    assert dendron.resolve("a.b", "vault2/c.md") == "vault2/a.b.md"  # the note in its own vault
    assert dendron.resolve("a.b") == "vault1/a.b.md"


def test_markdown_links_are_relative_to_the_source() -> None:
    r = Resolver(NOTES)
    assert r.resolve("../garden/Bread.md", "cooking/Bread.md", "markdown") == "garden/Bread.md"
    assert r.resolve("Deep note.md", "a/b/x.md", "markdown") == "a/b/Deep note.md"
    assert r.resolve("../../outside.md", "a.md", "markdown") is None


def test_a_climbing_markdown_link_that_misses_finds_the_one_note_of_its_name() -> None:
    """A `../` path that reaches no note from its folder (a note moved, a link copied from another vault) is
    found as Obsidian finds it then: by its path from the root, its path's end, or its file name, when one
    note has it; of several, none (which was meant is not known)."""
    r = Resolver([("deep/sub/Other note.md", "Other note", []), ("deep/Twin.md", "T", []),
                  ("deep/sub/Twin.md", "T", []), ("Plugins/index.md", "Plugins", [])])
    assert r.resolve("../../Other note.md", "a.md", "markdown") == "deep/sub/Other note.md"
    assert r.resolve("../sub/Other note.md", "x/y.md", "markdown") == "deep/sub/Other note.md"
    assert r.resolve("../../Plugins/", "a/b/c.md", "markdown") == "Plugins/index.md"
    assert r.resolve("../Twin.md", "a/b.md", "markdown") is None  # two notes are called so
    assert r.resolve("../sub/Twin.md", "a/b.md", "markdown") == "deep/sub/Twin.md"
    assert r.resolve("../Nothing.md", "a/b.md", "markdown") is None


def test_named_lists_every_note_a_bare_name_could_mean() -> None:
    from notelink.notes.links import Resolver

    r = Resolver([("b/Templates.md", "Templates", []), ("a/Templates.md", "Templates", []),
                  ("Tpl.md", "Other", ["templates"]), ("c.md", "C", [])])
    assert r.find("Templates") == "a/Templates.md"  # file name before alias; shallow path, then order
    assert sorted(r.named("templates.md")) == ["Tpl.md", "a/Templates.md", "b/Templates.md"]
    assert r.named("nothing") == []


def test_names_compare_under_one_unicode_normalisation() -> None:
    import unicodedata

    stored = unicodedata.normalize("NFD", "Café.md")  # as macOS writes file names
    r = Resolver([(stored, unicodedata.normalize("NFD", "Café"), [])])
    assert stored != "Café.md"
    assert r.resolve("Café") == stored  # typed composed
    assert r.find(unicodedata.normalize("NFD", "café")) == stored
    assert r.named("CAFÉ") == [stored]


def test_dendron_scheme_is_dropped_in_every_dialect() -> None:
    r = Resolver(NOTES)
    assert r.resolve("dendron://vault/Home") == "Home.md"


def test_attachments_are_no_notes() -> None:
    from notelink.notes.links import is_attachment

    assert is_attachment("image.PNG") and is_attachment("docs/paper.pdf#page=2")
    assert not is_attachment("recipes.italian") and not is_attachment("Note.md") and not is_attachment("x")


def test_link_report_counts_and_top_unresolved() -> None:
    from notelink.notes.links import link_report

    rows = [("a", "wiki", 1), ("b", "wiki", None), ("b", "embed", None), ("c", "markdown", None),
            ("pic.png", "embed", None), ("d", "wiki", 4)]
    report = link_report(rows, "obsidian", top=1)
    assert (report["found"], report["resolved"], report["unresolved"], report["attachments"]) == (5, 2, 3, 1)
    assert report["rate"] == 0.4 and report["top_unresolved"] == [{"target": "b", "count": 2}]
    assert report["by_kind"] == {"embed": 1, "markdown": 1, "wiki": 3}


def test_a_missing_note_is_one_whatever_folder_a_markdown_link_climbs_from() -> None:
    """`status` listed one missing note as `compost-heap (6), ../compost-heap.md (3), ./compost-heap.md (1)`
    (found by the Markdown-link vault sweep); a folder that is named stays apart."""
    from notelink.notes.links import link_report

    rows = [("compost-heap", "wiki", None)] * 6 + [("../compost-heap.md", "markdown", None)] * 3 + [
        ("./compost-heap.md", "markdown", None), ("../garden/compost-heap.md", "markdown", None),
        (".hidden/x.md", "markdown", None)]
    assert link_report(rows)["top_unresolved"] == [
        {"target": "compost-heap", "count": 10}, {"target": "../garden/compost-heap.md", "count": 1},
        {"target": ".hidden/x.md", "count": 1}]


def test_note_link_in_each_style() -> None:
    from notelink.notes.links import note_link

    assert note_link("a/Bread.md", "Bread") == "[[a/Bread|Bread]]"
    assert note_link("recipes.italian.md", "Italian", "dendron") == "[[Italian|recipes.italian]]"
    # (Dendron names a note by its file name, whatever vault folder holds it)
    assert note_link("vault/tags.feature.md", "Feature", "dendron") == "[[Feature|tags.feature]]"
    assert note_link("notes/project.garden.md", "project.garden", "dendron") == "[[project.garden]]"
    assert note_link("pages/Projects___Plan.md", "Projects/Plan", "logseq") == "[[Projects/Plan]]"
    assert note_link("pages/Recipes%2FSoup.md", "Recipes/Soup", "logseq") == "[[Recipes/Soup]]"  # (% in path)
    assert note_link("pages/x.md", "A [weird] title", "logseq") == "[[pages/x|A ［weird］ title]]"
    assert note_link("guide/My note.md", "Mine", "markdown") == "[Mine](guide/My%20note.md)"
    assert note_link("guide/My note.md", "Mine", "markdown", "guide/index.md") == "[Mine](My%20note.md)"
    assert note_link("a.md", "A", "markdown", "deep/er/n.md") == "[A](../../a.md)"
    assert note_link("odd#name.md", "Odd", "wiki", "sub/n.md") == "[Odd](../odd%23name.md)"
    assert note_link("n.md", "back\\slash\\", "markdown") == "[back\\\\slash\\\\](n.md)"  # (a `\]` is no end)


def test_link_style_follows_the_vault() -> None:
    from notelink.notes.links import link_style

    assert link_style("auto", "obsidian", 100, 3) == "wiki"
    assert link_style("auto", "obsidian", 1, 2168) == "markdown"  # a static-site vault's own links
    assert link_style("auto", "markdown", 0, 0) == "markdown"
    assert link_style("auto", "dendron", 50, 0) == "dendron"
    assert link_style("auto", "logseq", 50, 0) == "logseq"
    assert link_style("wiki", "markdown", 0, 9) == "wiki"
    assert link_style("wiki", "dendron", 0, 0) == "dendron"
    assert link_style("markdown", "dendron", 9, 0) == "markdown"
    assert link_style("auto", "zk", 0, 9, drops_extension=True) == "markdown-bare"  # zk's `[x](id)`
    assert link_style("wiki", "zk", 0, 9, drops_extension=True) == "wiki"
    assert link_style("markdown", "zk", 0, 9, drops_extension=True) == "markdown"  # asked for: with `.md`


def test_a_markdown_link_leaves_out_md_where_the_vault_does() -> None:
    """In a zk vault, `link` and the block wrote `[Forgetting curve](a1b2c3.md)` where the vault's own
    links are `[Spaced repetition](d4e5f6)` (found by the Markdown-link vault sweep)."""
    from notelink.notes.links import note_link

    assert note_link("notes/a1b2c3.md", "Forgetting curve", "markdown-bare", "202301.md") == (
        "[Forgetting curve](notes/a1b2c3)")
    assert note_link("My note.md", "Mine", "markdown-bare", "sub/n.md") == "[Mine](../My%20note)"
    for dotted in ("notes/2024.01.15.md", "Dr. Who.md", "v1.2 release.md"):  # (`.15` would be a file type)
        link = note_link(dotted, "D", "markdown-bare")
        assert link.endswith(".md)") and [x.target for x in parse_note(f"See {link}.", "n").links] == [
            dotted]


def test_tag_links_are_reported_apart() -> None:
    from notelink.notes.links import link_report

    report = link_report([("a", "wiki", 1), ("tags.x", "tag", 2), ("tags.y", "tag", None)], "dendron")
    assert (report["found"], report["resolved"], report["tags"]) == (1, 1, {"found": 2, "resolved": 1})


def test_unresolved_targets_are_counted_by_name() -> None:
    from notelink.notes.links import link_report

    rows = [("Fixed issues", "wiki", None), ("Fixed Issues", "wiki", None), ("dendron://v/x", "wiki", None),
            ("x", "wiki", None), ("x.md", "markdown", None)]
    assert link_report(rows)["top_unresolved"] == [{"target": "dendron://v/x", "count": 3},
                                                   {"target": "Fixed issues", "count": 2}]


def test_the_path_a_link_names_as_a_file() -> None:
    """A Markdown link's path is from its note's folder (from the root with `/`), a wikilink's from the root;
    one climbing out of the vault names none."""
    from notelink.notes.links import linked_path

    assert linked_path("../img/a.png", "notes/x.md", "markdown-embed") == "img/a.png"
    assert linked_path("files/Makefile", "notes/x.md", "markdown") == "notes/files/Makefile"
    assert linked_path("/files/Makefile", "notes/x.md", "markdown") == "files/Makefile"
    assert linked_path("files/Makefile", "notes/x.md", "wiki") == "files/Makefile"
    assert linked_path("../Plugins/", "a/b.md", "markdown") == "Plugins"
    assert linked_path("../../x.pdf", "a.md", "markdown") is None


def test_links_to_files_and_folders_count_apart_from_notes() -> None:
    from notelink.notes.links import link_report
    from notelink.notes.targets import FILE, FOLDER

    rows = [("a", "wiki", 1), ("gone", "wiki", None), ("Makefile", FILE, None), ("pic.png", "markdown", None),
            ("assets", FOLDER, None)]
    report = link_report(rows)
    assert (report["found"], report["unresolved"], report["attachments"], report["folders"]) == (2, 1, 2, 1)

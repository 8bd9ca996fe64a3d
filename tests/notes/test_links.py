"""Resolving link targets to notes."""

from notelink.notes.links import Resolver

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


def test_markdown_links_are_relative_to_the_source() -> None:
    r = Resolver(NOTES)
    assert r.resolve("../garden/Bread.md", "cooking/Bread.md", "markdown") == "garden/Bread.md"
    assert r.resolve("Deep note.md", "a/b/x.md", "markdown") == "a/b/Deep note.md"
    assert r.resolve("../../outside.md", "a.md", "markdown") is None


def test_named_lists_every_note_a_bare_name_could_mean() -> None:
    from notelink.notes.links import Resolver

    r = Resolver([("b/Templates.md", "Templates", []), ("a/Templates.md", "Templates", []),
                  ("Tpl.md", "Other", ["templates"]), ("c.md", "C", [])])
    assert r.find("Templates") == "a/Templates.md"  # file name before alias; shallow path, then order
    assert sorted(r.named("templates.md")) == ["Tpl.md", "a/Templates.md", "b/Templates.md"]
    assert r.named("nothing") == []

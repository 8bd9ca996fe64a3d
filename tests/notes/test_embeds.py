"""What a note embeds: the notes and sections it shows, as tokens."""


def test_embedded_notes_and_sections() -> None:
    from notelink.notes.embeds import embedded
    from notelink.notes.parsednote import Link
    from notelink.notes.records import NoteRecord

    def rec(path: str, paragraphs: list[list[str]], headings: list[str], links: list[Link]) -> NoteRecord:
        return NoteRecord(path, path[:-3], "h", 1, 0.0, [], headings, [], links, paragraphs, "", "en")

    doc = rec("doc.md", [["doc"], ["intro", "words"], ["setup"], ["install", "steps"], ["usage"], ["run"]],
              ["Setup", "Usage"], [])
    hub = rec("hub.md", [["hub"]], [], [Link("doc", "embed"), Link("doc", "embed", "Setup"),
                                        Link("doc", "embed", "^block1"), Link("doc", "wiki"),
                                        Link("missing", "embed"), Link("hub", "embed")])
    parts = embedded([doc, hub])
    assert parts[0] == []
    assert parts[1] == [*doc.paragraphs, ["setup"], ["install", "steps"]]


def test_markdown_embeds_are_read_from_their_notes_folder() -> None:
    """`![](../doc.md#Setup)` embeds doc's section as `![[doc#Setup]]` does, its path relative to the note
    that writes it (a `doc.md` beside that note is not it), and counts as a link to doc."""
    from notelink.notes.embeds import embedded
    from notelink.notes.links import Resolver
    from notelink.notes.parsednote import MARKDOWN_EMBED, Link
    from notelink.notes.records import NoteRecord

    def rec(path: str, paragraphs: list[list[str]], headings: list[str], links: list[Link]) -> NoteRecord:
        return NoteRecord(path, path[:-3], "h", 1, 0.0, [], headings, [], links, paragraphs, "", "en")

    doc = rec("doc.md", [["doc"], ["setup"], ["install", "steps"], ["usage"]], ["Setup", "Usage"], [])
    other = rec("sub/doc.md", [["other"], ["words"]], [], [])
    hub = rec("sub/hub.md", [["hub"]], [], [Link("../doc.md", MARKDOWN_EMBED, "Setup")])
    assert embedded([doc, other, hub])[2] == [["setup"], ["install", "steps"]]
    resolver = Resolver((r.path, r.title, []) for r in (doc, other, hub))
    assert resolver.resolve("../doc.md", "sub/hub.md", MARKDOWN_EMBED) == "doc.md"
    assert resolver.resolve("doc.md", "sub/hub.md", MARKDOWN_EMBED) == "sub/doc.md"
    from notelink.notes import links
    assert links.MARKDOWN_EMBED is MARKDOWN_EMBED  # (one home, `parsednote`, which loads no parser)

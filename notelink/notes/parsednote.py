"""What the parser knows of one note (`ParsedNote`) and its links as written (`Link`). Light: no Markdown
parser is imported, so the index and queries can name these types without loading it."""

from __future__ import annotations

from dataclasses import dataclass, field

MARKDOWN_EMBED = "markdown-embed"
"""The kind of a Markdown image's link (`![](Note.md)`, `![](pic.png)`): a path relative to its note, as a
Markdown link's; of a note, an embed (Obsidian writes `![[Note]]` so with wikilinks turned off)."""

MAX_REFS = 1_000
"""URLs and code spans kept per note at most (`ParsedNote.refs`)."""


@dataclass(frozen=True)
class Link:
    """A link as written: `target` is a note name or relative path; `kind` is wiki, embed, markdown or
    `MARKDOWN_EMBED`."""

    target: str
    kind: str = "wiki"
    heading: str = ""


@dataclass
class ParsedNote:
    """What notelink knows about one note's text."""

    title: str
    aliases: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    warning: str = ""
    """Non-fatal problem, such as front matter that is not valid YAML (the body is still used)."""
    refs: list[str] = field(default_factory=list)
    """URLs, code spans and plain property values (`category: study`: `frontmatter.property_values`), never
    trained on: read only for the notes they name by file name (`dendron://vault/area.topic`,
    `` `insert-images.md` ``, notelink/index/references.py). At most `MAX_REFS`."""

    @property
    def text(self) -> str:
        """The prose used for training: headings and paragraphs, code/URLs/HTML/front matter left out."""
        return "\n".join(self.paragraphs)

    def add_ref(self, text: str) -> None:
        """Keeps a URL or code span among `refs`, up to `MAX_REFS`."""
        if len(self.refs) < MAX_REFS:
            self.refs.append(text)

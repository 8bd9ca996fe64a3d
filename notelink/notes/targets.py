"""What a link's target is before any note is looked up: a URL (it has a scheme) or an attachment (a file
type that is no note). Low in `notes/`, importing nothing of notelink: the note parser, the link resolver
and the app all ask it (`links` imports the dialect, which knows the parser: no circle)."""

from __future__ import annotations

import posixpath
import re

SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
"""A URL's scheme opening a link's target (`https:`, `mailto:`, `obsidian:`), not a path's."""

ATTACHMENT_SUFFIXES = frozenset(
    "png jpg jpeg gif svg webp bmp avif tif tiff ico heic pdf mp3 wav ogg m4a flac webm mp4 mov mkv avi "
    "canvas excalidraw base csv json txt zip html htm xml epub docx xlsx pptx".split())
"""File types that links embed or point to but that are no notes (images, PDFs, media, canvases)."""


FILE, FOLDER = "file", "folder"
"""What a link that reaches no note reaches on disk, when it is no dead link: a file that is no note
(`[make](files/Makefile)`) or a folder without an index page (`[assets](assets/)`). The kind an index's
reader gives such a link (`notes.vault.on_disk`), never stored."""


def without_md(name: str) -> str:
    """A file name or path without a note's suffix, `.md` in any case (`Canvas.MD` → `Canvas`): the vault's
    scan takes `.MD` and `.Md` files as notes, so their names must read as `.md` ones' everywhere."""
    return name[:-3] if name[-3:].lower() == ".md" else name


def is_attachment(target: str) -> bool:
    """True for a link to a file that is no note (`image.png`, `paper.pdf`): such a link is not unresolved."""
    suffix = posixpath.splitext(target.partition("#")[0].strip())[1].lower().lstrip(".")
    return suffix in ATTACHMENT_SUFFIXES

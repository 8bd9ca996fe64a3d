"""What both forms of notelink's block share (`block.py`: between HTML comments; `outline.py`: a Logseq
block): the error that leaves a note alone, a note's line break, and the hash of what notelink wrote."""

from __future__ import annotations

import hashlib


class BlockError(ValueError):
    """A note notelink will not write into, with the reason for people."""


def newline_of(text: str) -> str:
    """The note's line break: CRLF if it has any, else LF."""
    return "\r\n" if "\r\n" in text else "\n"


def listing_hash(listing: str) -> str:
    """Short hash of a listing, independent of its line breaks."""
    return hashlib.sha256(listing.replace("\r\n", "\n").encode("utf-8", "surrogatepass")).hexdigest()[:12]

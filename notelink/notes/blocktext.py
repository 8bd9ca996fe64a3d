"""What both forms of notelink's block share (`block.py`: between HTML comments; `outline.py`: a Logseq
block): the error that leaves a note alone, a note's line break, the hash of what notelink wrote, and
`NoteText`, which maps a file's bytes to text and back exactly (UTF-8 with or without BOM, invalid UTF-8,
UTF-16 with BOM), so that bytes outside the block are never changed."""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass


class BlockError(ValueError):
    """A note notelink will not write into, with the reason for people."""


def newline_of(text: str) -> str:
    """The note's line break: CRLF if it has any, else LF."""
    return "\r\n" if "\r\n" in text else "\n"


def listing_hash(listing: str) -> str:
    """Short hash of a listing, independent of its line breaks."""
    return hashlib.sha256(listing.replace("\r\n", "\n").encode("utf-8", "surrogatepass")).hexdigest()[:12]


@dataclass(frozen=True)
class NoteText:
    """A note file's bytes as text, and back to the very same bytes."""

    text: str
    bom: bytes = b""
    codec: str = "utf-8"
    errors: str = "surrogateescape"

    @classmethod
    def decode(cls, data: bytes) -> NoteText:
        """Exact decoding; BlockError when the bytes would not survive the round trip."""
        bom, codec, errors = b"", "utf-8", "surrogateescape"
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            bom, errors = data[:2], "surrogatepass"
            codec = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
        elif data.startswith(codecs.BOM_UTF8):
            bom = data[:3]
        try:
            note = cls(data[len(bom) :].decode(codec, errors), bom, codec, errors)
        except UnicodeDecodeError:
            raise BlockError(f"not valid {codec.upper()} text; notelink does not write into it") from None
        if note.encode(note.text) != data:
            raise BlockError("its bytes do not survive decoding; notelink does not write into it")
        return note

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.codec, self.errors)

    def mixes_encodings(self, text: str) -> bool:
        """Whether `text`, as this note's new text, adds letters beyond ASCII to a note whose bytes are not
        UTF-8 (Latin-1, say): written as UTF-8 among them, the file would hold two encodings and show one
        of them wrongly in any editor. ASCII is the same bytes in both, so it may be added."""
        if self.codec != "utf-8" or not any("\udc80" <= c <= "\udcff" for c in self.text):
            return False
        return _wide(text) > _wide(self.text)


def _wide(text: str) -> int:
    """Characters beyond ASCII that are text, not undecodable bytes (surrogate escapes)."""
    return sum(1 for c in text if c > "\x7f" and not "\udc80" <= c <= "\udcff")

"""What an index was made by: the versions of the rules it was built by, saved in its meta, and why the
next build redoes an index made by older ones. Light (no parsing, no arrays), so `notelink status` can say
it without loading what builds an index."""

from __future__ import annotations

import unicodedata
from typing import Any

TOKENS_VERSION = f"16, Unicode {unicodedata.unidata_version}"
"""How notes become tokens (parsing, tokenizing, stop words); saved in each generation's meta. A build whose
previous generation has another one parses every note again instead of reusing records by content hash. 2: a
long paragraph in another language than its note loses that language's stop words; more French ones; a
script's own full stop (danda, khan) ends a word; no-space scripts' bigrams are of whole characters;
Japanese and Korean stop words; English number words. 3: NFKC; ids, hashes, quantities and @handles dropped;
katakana words whole, Thai and Lao vowels with their consonants; stop words of Greek, Vietnamese, Bengali,
Hindi, Arabic, Persian, Hebrew, Ukrainian; English discourse words; parsing in the vault's dialect. 4: URLs
and code spans kept as `refs`. 5: numbers kept in file names and `refs`, and the text around numbers kept as
`numbered`. 6: front matter of notes saved with CRLF line ends. 7: a title from a heading keeps its code
spans, inline HTML and `#tags`; Logseq's tags are references to their pages. 8: a note in a script with no
stop-word list (Chinese, Thai, Khmer...) has that script's language, not English. 9: a version or dotted
number (`v0.14.2`, `3.11`) is one number token, dropped as numbers are (it gave the word `v0`). 10: an
Obsidian block id alone on its line (`^callout-name`) is no text; a `%%` in code starts no comment; "vs" and
"versus" are English stop words. 11: math (`$$...$$`, `$x$`) never opens or closes in code, and inline math
is no text; a footnote's mark (`[^1]`, `[^note]:`) is no text, and a one-word footnote keeps its word; a
callout's `[!type]` is no text; a Markdown image of a note (`![](Note.md)`: Obsidian's embed with wikilinks
off) is an embed of it. 12: the same as 11 (its two changes were merged one after the other, so an
index built between them had only one). 13: a footnote's later paragraphs (indented after a blank line)
are its text, not code; a link's or emphasis's edge between two characters of a script written without
spaces is a word boundary (no bigram across it); Markdown links and images to attachments are kept as links;
Logseq's indented blocks are never indented code (a tab-indented list under a heading was a code block), its
org-mode code blocks (`#+BEGIN_QUERY`, `_SRC`, `_EXAMPLE`), its built-in properties
(`logseq.order-list-type:: number`) and an image's `{:height 224, :width 441}` no text, a `{{cloze answer}}`
its answer; a Logseq page's front matter `title:` its name, a `#[[multi word tag]]` a tag. 14: the words a
note writes with a capital mid-sentence are kept (`capitals`) for one-word file names with a capital (all
session 25). 15: a paragraph, list item or table cell in Title Case keeps no capitals but inner ones
(`- Getting Started With Sync`); a `.MD` or `.Md` note's names are without the suffix, as a `.md` one's
(`Sync.Md` was named "Sync Md" and "Md"); German and Luxembourgish notes keep their capitals too, and
the capitalised words of URLs and code spans are kept with them; a formula reads as its commands' words
(`\\partial`); a property's wikilinks are links (`up: "[[Parent]]"`; all session 26). With it, references
by one-word file names changed (`naming`: German nouns, a Logseq graph's page words, names in URLs and
code spans): the saved records go, so no update mixes the rules. 16: a property's plain values
(`category: study`) are read for file names as URLs and code spans are (session 27). The Unicode
version is part of it: which characters are letters or marks decides where words end."""

SEARCH_VERSION = 3
"""Saved in the build's config: an index from before search (or another version) is rebuilt once. 2: the
postings hold boilerplate paragraphs too (a line repeated in many notes is still found by search). 3: a
mention's words after it stop at its paragraph's end (`ANCHOR_OWN_WORDS`)."""

OTHER_FORMAT = "the index was written by another version of notelink"
OTHER_TOKENS = "this notelink reads notes by newer rules"
NEWER_RULES = "this notelink builds indexes by newer rules"

RULES_VERSION = 2
"""How the model and the mentions are made, saved in the build's config as `SEARCH_VERSION` is: an index
built by other rules is rebuilt once, with a full retrain (an unchanged vault would else keep them, and an
update keeps the model it builds on). 2: a vault of several languages trains with the epochs of its
largest language; a name inside a longer wikilink is no mention (session 21)."""


def older_rules(meta: dict[str, Any]) -> str:
    """Why the next build of the index whose meta this is reads every note again and retrains, whatever
    changed: it was made by older rules than this notelink's (`OTHER_TOKENS`, `NEWER_RULES`); "" when not.
    `notelink status` says it, so an index that is up to date with the vault is not said to be current."""
    if not meta:
        return ""
    if meta.get("tokens_version") != TOKENS_VERSION:
        return OTHER_TOKENS
    config = meta.get("config") or {}
    same = (config.get("rules"), config.get("search")) == (RULES_VERSION, SEARCH_VERSION)
    return "" if same else NEWER_RULES

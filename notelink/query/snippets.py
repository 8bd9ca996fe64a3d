"""The passage of a note that best matches a query, shortened, with the matched words marked.

A note's text is split into blocks (paragraphs, list items, headings: runs of non-blank lines), each as a
reader of the note sees it (`reading`: no heading, quote or list marks, emphasis or link syntax, a table's
row as its cells; the characters shown are the note's own, in its order). Blocks are first ranked by a
cheap substring test of the matched words, then the best few are tokenized as the index tokenizes (so
`Kubernetes'` matches `kubernetes`), and the one with the most matched weight (each word once; an exact
phrase doubles it) is cut to `width` characters around its densest part.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from notelink.notes.dialect import alias_first
from notelink.notes.spans import merged
from notelink.notes.tokenizer import VERSION, tokenize
from notelink.notes.vault import Skipped, read_inside
from notelink.query.reading import URL, as_read, blocks, variables

WIDTH = 200
"""Characters of a snippet, at most (plus the ellipses)."""
_PRESELECT = 4  # blocks tokenized after the substring test
_WORD = re.compile(rf"{VERSION}|[\w'’]+")  # (a version is one number, as the index reads it)


@dataclass(frozen=True)
class Snippet:
    text: str
    """One passage of the note, whitespace collapsed, cut at word boundaries ('…' where cut)."""
    spans: list[tuple[int, int]] = field(default_factory=list)
    """[start, end) character ranges of the matched words in `text`."""
    line: int = 1
    """The note's line (1-based) where the passage starts: where an editor should open it."""


def read_snippet(root: Path, rel: str, max_bytes: int, weights: Mapping[str, float],
                 phrases: Sequence[Sequence[str]] = (), width: int = WIDTH,
                 dialect: str = "obsidian") -> Snippet | None:
    """`snippet` of the note `rel` of the vault at `root`, read and decoded as the indexer reads it (a BOM
    left out); None when it cannot be read now (moved, no longer a file, a link out of the vault)."""
    raw = read_inside(root, rel, max_bytes)
    return None if isinstance(raw, Skipped) else snippet(raw.text, weights, phrases, width, dialect)


def snippet(text: str, weights: Mapping[str, float], phrases: Sequence[Sequence[str]] = (),
            width: int = WIDTH, dialect: str = "obsidian") -> Snippet | None:
    """The best block of `text` for words weighted by `weights` (tokens, as the index has them) and the
    token `phrases`; None for a note with no text. A note with no match gives its first block. Links
    read as their text (`as_read`), as the vault's `dialect` writes them (Dendron's `[[label|target]]`,
    Logseq's markup)."""
    passages = _passages(text, dialect)
    if not passages:
        return None
    rough = sorted(range(len(passages)), key=lambda i: -_rough(passages[i][2], weights))[:_PRESELECT]
    scored = [(*_exact(passages[i][1], weights, phrases), i) for i in sorted(rough)]
    # a tie goes to prose over a heading (more context around the same words), then to the earlier block
    best, matches, i = max(scored, key=lambda s: (s[0], not passages[s[2]][3], -s[2]))
    line, block, _, _ = passages[i if best > 0 else 0]
    if best <= 0:
        matches = []
    return _cut(block, matches, weights, line, width)


@functools.lru_cache(maxsize=256)
def _passages(text: str, dialect: str = "obsidian") -> tuple[tuple[int, str, str, bool], ...]:
    """`reading.blocks` of a note's text as read in its `dialect` (`as_read`; a Dendron note's template
    variables read too, `reading.variables`; Logseq's markup only in Logseq), each with its text lowercased
    and whether it starts with a heading; remembered for the notes found most (keyed by the whole text: an
    edited note is split again)."""
    dendron, logseq = alias_first(dialect), dialect == "logseq"
    values = variables(text) if dendron else None
    return tuple((line, shown, shown.lower(), heading) for line, block, heading in blocks(text, logseq)
                 if (shown := " ".join(as_read(block, dendron, values, logseq).split())))


def _rough(lower: str, weights: Mapping[str, float]) -> float:
    return sum(w for word, w in weights.items() if word in lower)


def _exact(block: str, weights: Mapping[str, float], phrases: Sequence[Sequence[str]]
           ) -> tuple[float, list[tuple[int, int, str]]]:
    """(matched weight, [(start, end, token) of each matching word]) of one block; words in URLs, which
    the index leaves out, do not count."""
    words, joined = _block_words(block)
    matches = [word for word in words if word[2] in weights]
    total = math.fsum(weights[t] for t in {t for _, _, t in matches})  # exact: the same in any set order
    total *= 2 if phrases and any(f" {' '.join(p)} " in joined for p in phrases) else 1
    return total, matches


@functools.lru_cache(maxsize=4096)
def _block_words(block: str) -> tuple[tuple[tuple[int, int, str], ...], str]:
    """((start, end, token) of each token of the block's words outside URLs, " the tokens joined "),
    remembered: the same passages come up for query after query."""
    urls = [m.span() for m in URL.finditer(block)]
    words: list[tuple[int, int, str]] = []
    for m in _WORD.finditer(block):
        if not any(a <= m.start() < b for a, b in urls):
            words += _token_places(m.start(), m.group(), _word_tokens(m.group()))
    return tuple(words), f" {' '.join(t for _, _, t in words)} "


def _token_places(start: int, word: str, tokens: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(start, end, token) of each token of a word at `start`: a word of several tokens (a run of Chinese
    characters, read as overlapping pairs) marks each where it is, in order (`链接` in 永久链接和图片 is two
    characters, not the run); else, or when a token is not found as written, the whole word."""
    lower, at, out = word.lower(), 0, []
    if len(tokens) > 1 and len(lower) == len(word):
        for token in tokens:
            if (i := lower.find(token, at)) < 0:
                break
            out.append((start + i, start + i + len(token), token))
            at = i + 1
        else:
            return out
    return [(start, start + len(word), token) for token in tokens]


@functools.lru_cache(maxsize=1 << 16)
def _word_tokens(word: str) -> tuple[str, ...]:
    """`tokenize` of one word of a note, remembered: the words of a vault's passages repeat (a `--batch`
    of 807 drafts tokenized 1.2M words, 14 times fewer distinct ones)."""
    return tuple(tokenize(word))


def _cut(block: str, matches: list[tuple[int, int, str]], weights: Mapping[str, float], line: int,
         width: int) -> Snippet:
    """`block` shortened to `width` characters: the window (starting a fifth of it before a match) whose
    distinct matched words weigh most."""
    if len(block) <= width:
        return Snippet(block, merged([(a, b) for a, b, _ in matches]), line)
    start = 0
    if matches:
        inner = width - width // 10  # what the matches must fit in: the rest absorbs the cut to whole words
        first = matches[_densest(matches, weights, inner)][0]
        start = max(0, first - inner // 5)
        word = block.rfind(" ", 0, start) + 1 if start else 0
        start = word if first - word < inner else start  # (a word longer than the window: cut in it)
    end = min(len(block), start + width)
    if end < len(block) and block[end] != " " and (space := block.rfind(" ", start, end)) > start:
        end = space
    head, tail = ("…" if start else ""), ("…" if end < len(block) else "")
    shift = len(head) - start
    spans = [(a + shift, b + shift) for a, b, _ in matches if a >= start and b <= end]
    return Snippet(head + block[start:end] + tail, merged(spans), line)


def _densest(matches: list[tuple[int, int, str]], weights: Mapping[str, float], width: int) -> int:
    """The first match whose window (from a fifth of `width` before it, `width` long) holds the most
    distinct matched weight. One pass: matches are in text order, so the windows' ends only move right;
    each match enters and leaves the running count once (a 4 MB one-line note has ~600k matches)."""
    held: dict[str, int] = {}  # token -> matches of it in the window
    total, best, best_total = 0.0, 0, -1.0
    i = j = 0
    for k, (a, _, _) in enumerate(matches):
        lo = a - width // 5
        while j < len(matches) and matches[j][1] <= lo + width:  # enters
            t = matches[j][2]
            held[t] = held.get(t, 0) + 1
            total += weights[t] if held[t] == 1 else 0.0
            j += 1
        while i < j and matches[i][0] < lo:  # leaves
            t = matches[i][2]
            held[t] -= 1
            total -= weights[t] if held[t] == 0 else 0.0
            i += 1
        if total > best_total + 1e-9 * max(1.0, abs(best_total)):  # ties: the first window
            best, best_total = k, total
    return best

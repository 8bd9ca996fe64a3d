"""The query commands: related notes, concepts, similar words."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import TYPE_CHECKING

from notelink.cli.options import at_least_one, find_note, min_score, open_vault
from notelink.cli.output import EXIT_NOT_FOUND, EXIT_OK, emit, one_line, shown
from notelink.config import RelatedConfig

if TYPE_CHECKING:
    from notelink.query.answers import Related
    from notelink.query.health import Duplicate, Health
    from notelink.query.unlinked import Mention, Mentions


def cmd_related(args: argparse.Namespace) -> int:
    at_least_one("--top", args.top)
    lowest = min_score(args)
    vault = open_vault(args)
    note, others = find_note(vault, args)
    hits = vault.related(note, args.top, unlinked=args.unlinked, min_score=lowest)
    reason = "" if hits else vault.why_none(note, "related", args.unlinked, lowest)
    empty = vault.empty(note)
    data = {"note": note.path, **others, "related": [h.__dict__ for h in hits], "reason": reason,
            "empty": empty}
    lines = [f"Related to {shown(note.title)} ({shown(note.path)}):"]
    for h in hits:
        lines += [f"  {h.score:6.3f}  {shown(h.title)} ({shown(h.path)}){_marks(h)}", *_because(h)]
    if empty and hits:
        lines.append(f"  ({EMPTY_RELATED})")
    elif any(h.weak for h in hits):
        below = vault.index.reading.weak_below
        lines.append(f"  ({weak_legend(below, any(h.weak and h.score >= below for h in hits))})")
    emit(args, data, lambda: "\n".join(lines if hits else [*lines, f"  (no related notes: {reason})"]))
    return EXIT_OK


def weak_legend(below: float = RelatedConfig().weak_below, empty: bool = False) -> str:
    """The line under a related list that shows a weak note (`related --help` says it too), at the cut in
    use (the config file's `[query] weak_below`); `empty`: a note listed is weak for being empty."""
    why = f"a score below {below:g}" + (", or an empty note (no text but its title)" if empty else "")
    return f"[weak]: {why}, a long shot: few notes that far apart are linked"


WEAK_LEGEND = weak_legend()
"""The line at the built-in cut."""
EMPTY_RELATED = ("empty note: no text but its title, so it is related by its title alone: each [weak], a "
                 "long shot")
"""The line under the related notes of a note with no text of its own (`Vault.empty`)."""
EMPTY_CONCEPTS = "empty note: no text but its title, so these are its title's words and words used like them"
"""The line under the concepts of a note with no text of its own."""
RARE_LEGEND = "[rare]: seen only once or twice in the vault, often filler or a name"
"""The line under concepts that list a rare word (`Concept.rare`)."""


def _marks(hit: Related) -> str:
    """A related note's marks in text: `[linked]` (linked either way), `[weak]` (a long shot)."""
    return ("  [linked]" if hit.linked else "") + ("  [weak]" if hit.weak else "")


BECAUSE = " " * 10 + "because: "
"""What leads a related note's reasons, under its title as `notelink search` has them."""


def _because(hit: Related) -> list[str]:
    """A related note's reasons (`because`: shared concepts, `mentions: Title`) as a line under it, cut to
    80 columns; none without reasons."""
    return [one_line(BECAUSE, [shown(b) for b in hit.because])] if hit.because else []


def cmd_concepts(args: argparse.Namespace) -> int:
    at_least_one("--top", args.top)
    vault = open_vault(args)
    note, others = find_note(vault, args)
    hits = vault.concepts(note, args.top)
    reason = "" if hits else vault.why_none(note, "concepts")
    empty = vault.empty(note)
    data = {"note": note.path, **others, "concepts": [h.__dict__ for h in hits], "reason": reason,
            "empty": empty}
    lines = [f"Concepts of {shown(note.title)} ({shown(note.path)}):"]
    lines += [f"  {h.score:6.3f}  {h.word}{'  [rare]' if h.rare else ''}" for h in hits]
    lines += [f"  ({EMPTY_CONCEPTS})"] if empty and hits else []
    lines += [f"  ({RARE_LEGEND})"] if any(h.rare for h in hits) else []
    emit(args, data, lambda: "\n".join(lines if hits else [*lines, f"  (none: {reason})"]))
    return EXIT_OK


def cmd_similar(args: argparse.Namespace) -> int:
    at_least_one("--top", args.top)
    found = open_vault(args).similar_words(args.word, args.top)
    if found.warning:  # (the word asked was read as another: said as a note's resolution is)
        print(f"notelink: {shown(found.warning)}", file=sys.stderr)
    where = f" ({found.language} words)" if found.language else ""
    lines = [f"Words similar to {found.word}, seen {found.count} times{where}:"]
    lines += [f"  {h.score:6.3f}  {h.word}  ({h.count})" for h in found.similar]
    if found.reason:  # (none: why, as `--json` says in `reason`)
        lines.append(f"  ({found.reason})")
    emit(args, dataclasses.asdict(found), lambda: "\n".join(lines))
    return EXIT_OK


def cmd_mentions(args: argparse.Namespace) -> int:
    vault = open_vault(args)
    note, others = find_note(vault, args)
    found = vault.mentions(note)
    emit(args, {**found.to_dict(), **others}, lambda: _mentions_text(note.title, found))
    if found.unreadable:  # an answer in part: its outgoing half is unknown, not empty
        print(f"notelink: {shown(found.unreadable)}", file=sys.stderr)
        return EXIT_NOT_FOUND
    return EXIT_OK


SHOWN_PER_NOTE = 3
"""The incoming mentions `mentions`' text shows from one note (then "and N more in it"; `--json` has all)."""


def _around(m: Mention) -> str:
    """A mention with the words around it in its line, as the app lists it (a line may be a paragraph of
    thousands of characters; `--json` has it whole)."""
    from notelink.query.unlinked import excerpt

    before, after = excerpt(m.line_text, m.column - 1, len(m.text), around=AROUND)
    return shown(f"{before}{m.text}{after}".strip())


AROUND = 32
"""Characters of a mention's line `mentions`' text shows on each side of it, cut between words."""


def _mentions_text(title: str, m: Mentions) -> str:
    notes = list(dict.fromkeys(x.source for x in m.incoming))  # (most related to NOTE first)
    where = f" (in {len(notes)} notes, the most related first)" if len(notes) > 1 else ""
    lines = [f"Unlinked mentions of {shown(title)} ({shown(m.note)}) in other notes: {len(m.incoming)}"
             f"{where}"]
    for source in notes:
        found = [x for x in m.incoming if x.source == source]
        lines += [f"  {shown(x.source)}:{x.line}:{x.column}  {_around(x)}" for x in found[:SHOWN_PER_NOTE]]
        if len(found) > SHOWN_PER_NOTE:
            lines.append(f"  {shown(source)}: and {len(found) - SHOWN_PER_NOTE} more in it")
    count = "unknown (its file cannot be read now)" if m.unreadable else len(m.outgoing)
    lines.append(f"Other notes {shown(title)} names without linking them: {count}")
    lines += [f"  {x.line}:{x.column}  {shown(x.text)} → {shown(x.target)}" for x in m.outgoing]
    return "\n".join(lines)


def cmd_health(args: argparse.Namespace) -> int:
    from notelink.cli.progress import ProgressBar

    at_least_one("--limit", args.limit)
    with ProgressBar.of_command(args) as bar:
        report = open_vault(args).health(args.limit, bar)
    emit(args, report.to_dict(), lambda: _health_text(report))
    return EXIT_OK


def _health_text(h: Health) -> str:
    from notelink.query.health import SHOWN_SOURCES

    c = h.counts
    lines = [("Pages linked but with no file (Logseq shows them empty)" if h.dialect == "logseq" else
              "Dead links (targets no note has)") + f": {c['dead_links']}"]
    for d in h.dead_links:
        named = d.sources[:SHOWN_SOURCES]
        more = f" and {d.count - len(named)} more" if d.count > len(named) else ""
        lines.append(f"  {shown(d.written())} from {shown(', '.join(named))}{more}"
                     + (f"  (did you mean {shown(', '.join(d.suggestions))}?)" if d.suggestions else ""))
    lines += _rest(c["dead_links"], len(h.dead_links))
    lines += [f"  ({h.hint})"] if h.hint else []
    tree = ", nor a note above or below" if h.dialect == "dendron" else ""
    lines.append(f"Orphans (no links in or out{tree}; dead links aside): {c['orphans']}")
    lines += [f"  {shown(p)}" + ("  (its links are all dead)" if p in h.dead_ends else "") for p in h.orphans]
    lines += _rest(c["orphans"], len(h.orphans))
    lines.append(f"One-way links (the target does not link back; most related first): {c['one_way']}")
    lines += [f"  {p.score:6.3f}  {shown(p.a)} → {shown(p.b)}" for p in h.one_way]
    lines += _rest(c["one_way"], len(h.one_way))
    lines.append(f"Stale links (linked, but the notes have drifted apart; least related first): "
                 f"{c['stale_links']}")
    lines += [f"  {p.score:6.3f}  {shown(p.a)} ↔ {shown(p.b)}" for p in h.stale_links]
    lines += _rest(c["stale_links"], len(h.stale_links))
    lines.append(f"Near-duplicates (shared paragraphs, high similarity; never merged): {c['duplicates']}")
    lines += [f"  {_shared(p)}, {p.score:5.3f}  {shown(p.a)} ≈ {shown(p.b)}" for p in h.duplicates]
    lines += _rest(c["duplicates"], len(h.duplicates))
    lines.append(f"Tag suggestions (from the tags of related notes): {c['tags']}")
    lines += [f"  {shown(s.path)}: {' '.join('#' + shown(t) for t in s.tags)}  "
              f"({s.support:.0%} of its related notes)" for s in h.tags]
    return "\n".join(lines + _rest(c["tags"], len(h.tags)))


def _rest(count: int, listed: int) -> list[str]:
    """The line saying how many of a list --limit left out (none when it lists them all)."""
    return [f"  … and {count - listed} more (--limit {count} lists them all)"] if count > listed else []


def _shared(p: Duplicate) -> str:
    """`100% shared`, or `identical` for a copy of the same text, right-aligned as the shares are."""
    return f"{'identical' if p.identical else f'{p.overlap:.0%} shared':>11}"

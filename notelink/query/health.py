"""A vault's health: dead links, orphans, one-way links, stale links, near-duplicates and tag suggestions.

Each list is sorted by usefulness and cut at `limit`; `counts` says how many there were in all. Stale links
and near-duplicates are what only a model of the vault's own notes can find: linked notes whose vectors
have drifted apart (the bottom few percent of all links' cosines), and pairs of notes that share whole
paragraphs and score high. Nothing is ever merged or changed: this is a report.
"""

from __future__ import annotations

import bisect
import posixpath
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import unquote

import numpy as np

from notelink.config import DialectConfig
from notelink.index.report import IndexEvent, Progress, throttled
from notelink.notes.dialect import below, tag_page
from notelink.notes.links import MARKDOWN_KINDS, dialect_of, shared_folders, to_a_note
from notelink.notes.logseq import page_name
from notelink.notes.targets import without_md
from notelink.query.answers import NoteInfo
from notelink.query.closenames import CloseNames
from notelink.query.index import Index
from notelink.query.ranking import related_all

STALE_SHARE = 0.05
"""Linked pairs whose cosine is in this bottom share of all links' cosines are reported as stale."""
DUPLICATE_OVERLAP = 0.3
"""...nor those sharing less than this share of the shorter note's paragraphs (verbatim, 5+ words)."""
COMMON_PARAGRAPH = 5
"""A paragraph found in more notes than this is boilerplate (a template, a footer), not duplication."""
SHOWN_SOURCES = 5
"""The notes linking to a dead link that `health`'s text names (then "and N more"); `--json` has `--limit`."""
HUB_LINKS = 15
"""A note linking to this many notes or more is a hub (a home page, a reading list, a map of content): its
links are navigation, not claims that the notes are alike, so they are never called stale."""
TAG_NEIGHBOURS = 10
"""Related notes whose tags vote for a note's tag suggestions."""
ONE_AT_A_TIME = 50
"""Up to one note in this many needing related notes, each is ranked alone (`Index.rank`, as `related`
does); more, and every pair is scored once, in blocks (`related_all`): a pass over all N² pairs."""


@dataclass(frozen=True)
class DeadLink:
    target: str  # as written
    count: int  # notes that link to it (`status` counts the links)
    sources: list[str]  # the notes that link to it, cut at health's `limit` (text shows `SHOWN_SOURCES`)
    suggestions: list[str]  # notes it may have meant, those beside the linking note first
    kind: str = "wiki"  # how it is written (the most of its links): wiki, embed, markdown, markdown-embed
    by_id: bool = False  # an id (with a digit) that starts exactly one note's file name, as zk links

    def written(self) -> str:
        """The link in the syntax it was written in (`[[t]]`, `![[t]]`, `[…](t)`): what the user looks for."""
        if self.kind in MARKDOWN_KINDS:  # (its target is stored decoded: `My Note.md` was `My%20Note.md`)
            return f"{'!' if self.kind != 'markdown' else ''}[…]({self.target.replace(' ', '%20')})"
        return f"{'!' if self.kind == 'embed' else ''}[[{self.target}]]"


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    score: float  # cosine of the two notes
    overlap: float = 0.0  # near-duplicates: shared paragraphs / the shorter note's paragraphs


@dataclass(frozen=True)
class Duplicate(Pair):
    identical: bool = False  # the same text byte for byte (a sync tool's conflicted copy), listed first


@dataclass(frozen=True)
class TagSuggestion:
    path: str
    tags: list[str]
    support: float  # share of the note's related notes (by score) that carry the first tag


@dataclass
class Health:
    dead_links: list[DeadLink] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    one_way: list[Pair] = field(default_factory=list)
    stale_links: list[Pair] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    tags: list[TagSuggestion] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    dialect: str = ""  # the vault's (Logseq: a dead link is a page with no file yet, shown empty)
    hint: str = ""  # what to try when the dead links look like another dialect's (zk's ids)
    dead_ends: list[str] = field(default_factory=list)  # the orphans listed whose links are all dead

    def to_dict(self) -> dict[str, Any]:
        """As `health --json` prints it; a one-way link also says which way it goes (`source` links to
        `target`, which does not link back; `a` and `b` are kept for scripts that read them)."""
        data = asdict(self)
        for pair in data["one_way"]:
            pair.update(source=pair["a"], target=pair["b"])
        return data


def health(index: Index, limit: int = 20, progress: Progress | None = None) -> Health:
    """The whole report; every list cut at `limit`, `counts` before the cut. Related notes are ranked only
    for the notes that need them (`needing_neighbours`); when that is most of the vault, the pass over
    every pair posts IndexEvent("related", pairs done, pairs in all) to `progress`."""
    shared = shared_paragraphs(index)
    neighbours = related_notes(index, needing_neighbours(index, shared), progress)
    parts: dict[str, list[Any]] = {
        "dead_links": dead_links(index, limit), "orphans": orphans(index), "one_way": one_way(index),
        "stale_links": stale_links(index), "duplicates": duplicates(index, shared, neighbours),
        "tags": tag_suggestions(index, neighbours)}
    dialect = dialect_of(index.meta).name
    dead_ends = _dead_ends(index, parts["orphans"][:limit])
    return Health(**{k: v[:limit] for k, v in parts.items()}, counts={k: len(v) for k, v in parts.items()},
                  dialect=dialect, hint=_zk_hint(parts["dead_links"], dialect), dead_ends=dead_ends)


def _dead_ends(index: Index, orphans: list[str]) -> list[str]:
    """Those of `orphans` that have links out, every one dead (to no note): no note links with them."""
    dead = {index.notes[src].path for src, target, kind in index.unresolved_links if to_a_note(target, kind)}
    return [p for p in orphans if p in dead]


def _zk_hint(dead: list[DeadLink], dialect: str) -> str:
    """A hint when dead links are zk ids (`[[202301011200]]`, the start of one note's file name) and the
    vault is not read as zk (it has no `.zk/` folder, and its links said otherwise)."""
    ids = sum(d.count for d in dead if d.by_id)
    if dialect == "zk" or ids < 2:
        return ""
    return (f"{ids} dead links are ids that start one note's file name, as zk writes links: if this is a zk "
            "notebook, index it with --dialect zk")


def needing_neighbours(index: Index, shared: dict[tuple[int, int], float]) -> set[int]:
    """The notes whose related notes the report reads: both notes of each pair sharing paragraphs (is one
    among the other's related notes?) and each note that could get a tag suggestion, which takes a tag
    at least two other notes carry, that it lacks and is not the page of. (A vault without tags needs no
    pass over every pair.)"""
    carriers = Counter(t for n in index.notes for t in set(n.tags))
    common = [t for t, c in sorted(carriers.items()) if c >= 2]
    dialect = dialect_of(index.meta)
    taggable = {n.id for n in index.notes if any(
        t not in n.tags and not _own_tag(n, t, dialect) for t in common)} if common else set()
    return taggable | {i for pair in shared for i in pair}


def related_notes(index: Index, wanted: set[int],
                  progress: Progress | None = None) -> dict[int, list[tuple[int, float]]]:
    """The `TAG_NEIGHBOURS` related notes of each wanted note (note id -> [(other id, score)...]), as
    `related` lists them: a few notes one at a time, many in one pass over every pair (`ONE_AT_A_TIME`)."""
    n = len(index.notes)
    if len(wanted) * ONE_AT_A_TIME <= n:
        return {i: index.rank(i, index.scores(index.notes[i]), TAG_NEIGHBOURS) for i in sorted(wanted)}
    post, pairs, done = throttled(progress), n * (n + 1) // 2, 0
    out: dict[int, list[tuple[int, float]]] = {}
    for i, hits in related_all(index, TAG_NEIGHBOURS):
        if i in wanted:
            out[i] = hits
        done += n - i  # (note i's row holds its pairs with notes i.., scored with its block)
        if post is not None:
            post(IndexEvent("related", done, pairs))
    return out


def dead_links(index: Index, limit: int = 20) -> list[DeadLink]:
    """Targets of links that reach no note, with the notes that link to each (the first `limit`, by path)
    and the notes it may have meant (an id's note, as zk resolves it, else close names); most linked-to
    first. The links are those `status` counts unresolved (`links.to_a_note`: no tag, no attachment, no file
    or folder of the vault that is no note: `Index.unresolved_links`)."""
    sources, kinds = _unresolved(index)
    names: dict[str, list[str]] = defaultdict(list)
    for n in index.notes:
        for name in {n.title, posixpath.basename(n.path)[:-3]}:
            names[name].append(n.path)
    out, known = [], CloseNames(list(names))
    langs: dict[str, str] = dict(index.db.execute("SELECT path, lang FROM notes"))
    files = sorted((posixpath.basename(n.path).casefold(), n.path) for n in index.notes)
    for target, linking in sorted(sources.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        paths = sorted(linking)
        meant = started = _started_by(target, files)  # an id: its note, not others with like digits
        if not started:
            meant = _meant({p for c in _close_names(target, known) for p in names[c]}, paths, langs)
        kind = min(kinds[target].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        out.append(DeadLink(target, len(paths), paths[:limit], meant[:3], kind, bool(started)))
    return out


def _started_by(target: str, files: list[tuple[str, str]]) -> list[str]:
    """The one note whose file name (`files`: folded, sorted, with paths) starts with `target`, when it
    is an id (has a digit) and starts exactly one: what zk would link it to (`[[202301011200]]`)."""
    key = target.strip().casefold()
    if not any(c.isdigit() for c in key) or "/" in key:
        return []
    at = bisect.bisect_left(files, (key, ""))
    starts = [path for name, path in files[at:at + 2] if name.startswith(key)]
    return starts if len(starts) == 1 else []


def _meant(candidates: set[str], linking: list[str], langs: dict[str, str]) -> list[str]:
    """The notes a dead link may have meant, nearest its first linking note first (`shared_folders`),
    then by path; a note in another language than every linking note's and in another top folder left
    out (in a vault of translations, German `[[Einstellungen]]` did not mean Dutch `Instellingen`)."""
    own, tops = {langs.get(p) for p in linking}, {_top(p) for p in linking}
    kept = [p for p in candidates if langs.get(p) in own or _top(p) in tops]
    return sorted(kept, key=lambda p: (-shared_folders(linking[0], p), p))


def _top(path: str) -> str:
    """A note's top folder ("" at the root): its language in a vault of translations, or its project."""
    return path.split("/")[0] if "/" in path else ""


def _unresolved(index: Index) -> tuple[dict[str, set[str]], dict[str, Counter[str]]]:
    """Each dead target's linking notes, and how many of its links are written in each syntax."""
    sources: dict[str, set[str]] = defaultdict(set)
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    for src, target, kind in index.unresolved_links:
        if to_a_note(target, kind):
            sources[target].add(index.notes[src].path)
            kinds[target][kind] += 1
    return sources, kinds


def _close_names(target: str, names: CloseNames) -> list[str]:
    """Names close to a dead link's target, and to its file name alone: a link written with a path
    (`../gardening/Compost.md`, `Editing and formatting/Tags`) went dead when a folder was renamed, and
    the whole path is never close to a note's title or file name."""
    stem = without_md(unquote(posixpath.basename(target.split("#")[0].rstrip("/"))))
    close = names.matches(target, n=3, cutoff=0.75)
    if stem and stem != target:
        close += names.matches(stem, n=3, cutoff=0.75)
    return list(dict.fromkeys(close))


def orphans(index: Index) -> list[str]:
    """Notes that no note links to and that link to none (dead links aside: `Health.dead_ends`), nor
    (Dendron) sit in a hierarchy with another note (`in_hierarchy`); the longest (most worth linking)
    first."""
    placed = in_hierarchy(index)
    lonely = [n for n in index.notes if not index.linked(n.id) and n.id not in placed]
    size = dict(index.db.execute("SELECT id, length(tokens) FROM notes"))
    return [n.path for n in sorted(lonely, key=lambda n: (-size.get(n.id, 0), n.path))]


def in_hierarchy(index: Index) -> set[int]:
    """Dendron notes reachable through the hierarchy, as its tree shows it: those with a note above them
    (`a.b` under `a`, or under `a` through a stub `a.b` that has no file) or below them, and `root`, above
    every top-level note. Other dialects have no hierarchy of names: none."""
    dialect = dialect_of(index.meta)
    if dialect.name != "dendron":
        return set()
    names = {n.id: page_name(n.path, dialect).casefold() for n in index.notes}
    ancestors = {i: _ancestors(name) for i, name in names.items()}
    present, parents = set(names.values()), {a for above in ancestors.values() for a in above}
    return {i for i, name in names.items() if name in parents or not present.isdisjoint(ancestors[i])
            or (name == "root" and len(names) > 1)}  # (the top of every hierarchy: its tree's root)


def _ancestors(name: str) -> list[str]:
    """Every hierarchy name above a Dendron note's (`a.b.c` → `a`, `a.b`)."""
    parts = name.split(".")
    return [".".join(parts[:k]) for k in range(1, len(parts))]


def _resolved_links(index: Index) -> set[tuple[int, int]]:
    rows = index.db.execute("SELECT DISTINCT src, dst FROM links WHERE dst IS NOT NULL AND src != dst")
    return {(int(a), int(b)) for a, b in rows}


def _cosines(index: Index, pairs: list[tuple[int, int]]) -> np.ndarray:
    """[P] cosine of each pair of notes (unit rows: the dot product)."""
    if not pairs:
        return np.zeros(0)
    a, b = (np.array(side) for side in zip(*pairs, strict=True))
    X = index.note_vecs
    return np.asarray(X[a].multiply(X[b]).sum(axis=1)).ravel()


def one_way(index: Index) -> list[Pair]:
    """Links whose target does not link back, the most related pairs first (the likeliest to mirror)."""
    links = _resolved_links(index)
    pairs = sorted((a, b) for a, b in links if (b, a) not in links)
    cos = _cosines(index, pairs)
    order = sorted(range(len(pairs)), key=lambda k: (-cos[k], pairs[k]))
    return [Pair(index.notes[pairs[k][0]].path, index.notes[pairs[k][1]].path, round(float(cos[k]), 4))
            for k in order]


def stale_links(index: Index) -> list[Pair]:
    """Linked pairs (either way, hubs' links left out) whose cosine is in the bottom `STALE_SHARE` of all
    links', lowest first."""
    links = _resolved_links(index)
    hubs = {a for a, n in Counter(a for a, _ in links).items() if n >= HUB_LINKS}
    pairs = sorted({(min(a, b), max(a, b)) for a, b in links if a not in hubs and b not in hubs})
    if len(pairs) < 20:  # too few links to say what is unusually low
        return []
    cos = _cosines(index, pairs)
    floor = float(np.quantile(cos, STALE_SHARE))
    order = sorted((k for k in range(len(pairs)) if cos[k] <= floor), key=lambda k: (cos[k], pairs[k]))
    return [Pair(index.notes[pairs[k][0]].path, index.notes[pairs[k][1]].path, round(float(cos[k]), 4))
            for k in order]


def _paragraphs(index: Index) -> dict[int, set[str]]:
    """Each note's paragraphs of 5+ training words, less those found in many notes (boilerplate)."""
    notes: dict[int, set[str]] = {}
    for i, tokens in index.db.execute("SELECT id, tokens FROM notes"):
        notes[i] = {p for p in tokens.split("\n") if p.count(" ") >= 4}
    seen = Counter(p for ps in notes.values() for p in ps)
    return {i: {p for p in ps if seen[p] <= COMMON_PARAGRAPH} for i, ps in notes.items()}


def shared_paragraphs(index: Index) -> dict[tuple[int, int], float]:
    """Pairs of notes (a < b) sharing at least `DUPLICATE_OVERLAP` of the shorter note's paragraphs: the
    share they share."""
    paragraphs = _paragraphs(index)
    holders: dict[str, list[int]] = defaultdict(list)
    for i, ps in paragraphs.items():
        for para in ps:
            holders[para].append(i)
    shared = Counter((a, b) for ids in holders.values() for a in ids for b in ids if a < b)
    overlaps = {(a, b): n / min(len(paragraphs[a]), len(paragraphs[b])) for (a, b), n in shared.items()}
    return {pair: share for pair, share in overlaps.items() if share >= DUPLICATE_OVERLAP}


def duplicates(index: Index, shared: dict[tuple[int, int], float],
               neighbours: dict[int, list[tuple[int, float]]]) -> list[Duplicate]:
    """Pairs of notes that share whole paragraphs (`shared_paragraphs`) and where one is among the other's
    most related notes; copies of the same text first, then most shared. Never merged: the user decides.
    (Rank, not an absolute cosine, is the test of "high": cosines' scale depends on the vault. A copy
    scores well below 1, since each note's own name weighs in its vector: a conflicted copy of a note came
    after two different notes that share paragraphs once numbers are left out.)"""
    close = {(min(i, j), max(i, j)): s for i, hits in neighbours.items() for j, s in hits}
    sha = dict(index.db.execute("SELECT id, sha256 FROM notes")) if shared else {}
    found = [Duplicate(index.notes[a].path, index.notes[b].path, round(close[(a, b)], 4), round(overlap, 4),
                       sha[a] == sha[b])
             for (a, b), overlap in shared.items() if (a, b) in close]
    return sorted(found, key=lambda p: (not p.identical, -p.overlap, -p.score, p.a, p.b))


def tag_suggestions(index: Index, neighbours: dict[int, list[tuple[int, float]]]) -> list[TagSuggestion]:
    """Tags that most of a note's related notes carry (weighted by score, at least two of them) and the
    note lacks, nor is the page of (`_own_tag`); the best supported first."""
    out = []
    dialect = dialect_of(index.meta)
    for i, hits in neighbours.items():
        votes: dict[str, float] = defaultdict(float)
        carriers: Counter[str] = Counter()
        for j, score in hits:
            for tag in set(index.notes[j].tags):
                votes[tag] += score
                carriers[tag] += 1
        total = sum(score for _, score in hits)
        own = set(index.notes[i].tags)
        tags = sorted((t for t in votes if t not in own and carriers[t] >= 2 and votes[t] >= 0.5 * total
                       and not _own_tag(index.notes[i], t, dialect)), key=lambda t: (-votes[t], t))
        if tags:
            out.append(TagSuggestion(index.notes[i].path, tags[:3], round(votes[tags[0]] / total, 4)))
    return sorted(out, key=lambda s: (-s.support, s.path))


def _own_tag(note: NoteInfo, tag: str, dialect: DialectConfig) -> bool:
    """Whether `note` is the page of `tag` or of a tag below it (Dendron's `tags.role` and `tags.role.
    taxonomist` are `#role`'s; Logseq's page `role`): a tag page never lacks its own tag."""
    page = tag_page(tag, dialect.name)
    return page is not None and any(below(name, page, dialect.name)
                                    for name in (page_name(note.path, dialect), note.title))

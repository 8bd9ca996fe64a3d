"""Note records: each note read from disk, parsed and tokenized, or reused unchanged from the last index.

Parsing is the first stage of every build and the slowest part of a large vault's, so it runs in forked
worker processes where that is safe: children inherit the notes already read (nothing is sent to them),
send their records back on a pipe in slices, and the parent takes them in order. A child that dies
(killed for memory, say) costs only speed: the parent parses its remaining slices itself.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import re
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path

from notelink.config import IndexConfig
from notelink.errors import Cancelled, NoNotes, VaultError
from notelink.notes.capitals import CAPITALS_MAX, capitalised, capitalised_in_refs
from notelink.notes.dialect import parse_in
from notelink.notes.ignore import Ignore, no_notes
from notelink.notes.names import file_name_tokens, file_names
from notelink.notes.parsednote import Link
from notelink.notes.spans import merged
from notelink.notes.stopwords import language_of, name_tokens, paragraph_languages, without_stopwords
from notelink.notes.tokenizer import is_number, tokenize
from notelink.notes.vault import RawNote, Skipped, read_note, scan_folders
from notelink.processes import can_fork_workers, die_with_parent

log = logging.getLogger(__name__)

PARALLEL_PARSE_NOTES = 64
"""Notes to parse from which two processes parse them: forking costs ~10 ms a process and parsing ~2 ms a
note (173 notes with torch already imported, as in the watcher's builds: 1.44 s with one process, 1.33 s
with two)."""
PARALLEL_PARSE_WITH_IMPORT = 200
"""The same while this process imports torch (`meanwhile`, a core's work for ~0.8 s): below it one parsing
process finishes first anyway, and a second one only slows the import (173 notes: 0.98-1.01 s to read and
parse with two, 0.79-0.86 s with one)."""

_SLICE = 16  # notes a child parses and sends back at a time
_PIPE_BYTES = 1 << 20  # a child's pipe buffer (Linux default 64 KB): ~3 KB a pickled record


@dataclass
class NoteRecord:
    """A parsed note as stored in the index."""

    path: str
    title: str
    sha256: str
    size: int
    mtime: float
    aliases: list[str]
    headings: list[str]
    tags: list[str]
    links: list[Link]
    paragraphs: list[list[str]]
    """Training tokens, one list per paragraph (title, aliases, headings and prose blocks)."""
    warning: str = ""
    lang: str = ""
    """The language whose stop words were dropped from `paragraphs` ("" with stop words kept)."""
    refs: list[list[str]] = field(default_factory=list)
    """The tokens of each URL, code span and plain property value (`ParsedNote.refs`), as names have them:
    never trained on, read for the notes they name by file name (`find_references` in
    notelink/index/naming.py)."""
    numbered: list[list[str]] = field(default_factory=list)
    """Stretches of the note's text around numbers, numbers kept (`numbered_stretches`): where a file name
    with a number in it (`2022-05-31`, `reading-series.2022.05.31`, a zettel's id) can be written, as the
    training tokens drop numbers. Never trained on."""
    capitals: list[str] = field(default_factory=list)
    """The name tokens of the words the note's prose writes with a capital not at a sentence's start
    (`capitals.capitalised`): where a one-word file name with a capital is a reference. Never trained on."""
    _names: list[list[str]] | None = field(default=None, init=False, repr=False, compare=False)
    _n_tokens: int | None = field(default=None, init=False, repr=False, compare=False)

    def names(self) -> list[list[str]]:
        """The tokens of the title, each alias and the file name, as the note's text has them (its
        language's stop words dropped): the phrases by which other notes mention it. Made once per record
        (an update asks for them twice: the shared-name check and `find_mentions`; a kept record across
        watcher updates)."""
        if self._names is None:
            names = [name_tokens(n, self.lang) for n in (self.title, *self.aliases)]
            names += [mention_tokens(n, self.lang) for n in file_names(self.path)]
            self._names = [n for i, n in enumerate(names) if n and n not in names[:i]]
        return self._names

    def file_name(self) -> list[str]:
        """The tokens of the whole file name (`area.topic.leaf` → area topic leaf), as `names` has them: the
        name by which a note is referred to as a file (`find_references` in notelink/index/naming.py)."""
        return file_name_tokens(self.path, self.lang)

    @property
    def tokens(self) -> list[str]:
        return [t for p in self.paragraphs for t in p]

    @property
    def n_tokens(self) -> int:
        """How many training tokens; counted once per record (a build asks for every note's twice: its
        vocabulary, and the share of the vault an update changed, ~55 ms each on 100k notes)."""
        if self._n_tokens is None:
            self._n_tokens = sum(map(len, self.paragraphs))
        return self._n_tokens


def mention_tokens(name: str, lang: str) -> list[str]:
    """`name_tokens` of a file name, or none when it has a number: its numbers are what tell the note apart,
    and the words left name another note or every note of a series. The note titled "Reading: bread
    science" in `reading.2022.05.31.md` is not mentioned by every note that uses the word `reading`, nor
    the one titled "10" in `community.events.reading-series.2021.10.md` by every link to the series, whose
    note `community.events.reading-series.md` that name is (the whole file name, numbers and all, is a
    reference: `NoteRecord.file_name`). A title is kept as it is: "Badakizo 2", one of a wiki's pages on
    "badakizo", shares that word's mentions with them (generated wiki shape, link text removed: recall@10
    0.319 with it, 0.280 without)."""
    if any(map(is_number, name_tokens(name, lang, numbers=True))):
        return []
    return name_tokens(name, lang)


Parsed = NoteRecord | Skipped


@dataclass(frozen=True)
class Unread:
    """A note with no earlier record to compare with (a new path), read where it is parsed: a first index
    reads its files in the parsing processes, in parallel with parsing, not all in this process first
    (100k notes: 15 s of reading before the first note was parsed)."""

    root: Path
    path: str


ToParse = RawNote | Unread


def record_from_raw(raw: RawNote, cfg: IndexConfig) -> NoteRecord:
    """Parses and tokenizes one note read from disk."""
    parsed = parse_in(raw.text, raw.path, cfg.dialect)
    lead = [] if parsed.paragraphs[:1] == [parsed.title] else [parsed.title]
    texts = lead + parsed.aliases + parsed.paragraphs
    tokens = [tokenize(t, keep_stopwords=True) for t in texts]
    lang = "" if cfg.keeps_stopwords else language_of(tokens)
    if lang:  # a long paragraph in another language loses that language's stop words
        tokens = without_stopwords(tokens, paragraph_languages(tokens, lang))
    # interned: one str object per distinct word, not per token (50M tokens would be ~3 GB of str objects)
    paragraphs = [list(map(sys.intern, p)) for p in tokens if p]
    warning = "; ".join(w for w in (raw.warning, parsed.warning) if w)
    refs = [list(map(sys.intern, t)) for ref in parsed.refs
            if (t := name_tokens(_spaced(ref), lang, numbers=True))]
    headings = set(parsed.headings)
    prose = [p for p in parsed.paragraphs if p not in headings]
    return NoteRecord(raw.path, parsed.title, raw.sha256, raw.size, raw.mtime, parsed.aliases,
                      parsed.headings, parsed.tags, parsed.links, paragraphs, warning, lang, refs,
                      numbered_stretches(texts, lang),
                      list(dict.fromkeys(capitalised(prose, lang)
                                         + capitalised_in_refs(parsed.refs, lang)))[:CAPITALS_MAX])


NAME_SPAN = 12
"""Tokens kept on each side of a number in `numbered_stretches`: a file name with a number is found when
it has at most this many words on either side of each of its numbers."""
NUMBERED_MAX = 20_000
"""Tokens of `numbered` stretches kept per note at most: a table of a million numbers is no list of names."""
_DIGIT = re.compile(r"\d")


def numbered_stretches(texts: list[str], lang: str) -> list[list[str]]:
    """The stretches of `texts` (tokens as names have them, numbers kept) within `NAME_SPAN` tokens of a
    number, overlapping stretches merged: each token at most once, so a name is counted once; at most
    `NUMBERED_MAX` tokens in all."""
    out: list[list[str]] = []
    left = NUMBERED_MAX
    for text in texts:
        if left <= 0:
            break
        if not _DIGIT.search(text):
            continue
        tokens = name_tokens(text, lang, numbers=True)
        at = [i for i, t in enumerate(tokens) if is_number(t)]
        for a, b in merged([(max(0, i - NAME_SPAN), i + NAME_SPAN + 1) for i in at]):
            out.append(list(map(sys.intern, tokens[a : min(b, a + left)])))
            left -= len(out[-1])
            if left <= 0:
                break
    return out


def _spaced(ref: str) -> str:
    """A URL or code span with its separators as spaces (`dendron://v/area.topic-x` → dendron v area topic x),
    as `file_names` splits a file name."""
    return re.sub(r"[\W_]+", " ", ref)


def read_vault(vault: Path, cfg: IndexConfig, previous: dict[str, NoteRecord],
               report: Callable[[int, int], None] | None = None, trust_stat: bool = False,
               meanwhile: Callable[[], None] | None = None, should_stop: Callable[[], bool] | None = None
               ) -> tuple[list[NoteRecord], list[Skipped], int]:
    """Reads every note; unchanged ones (same path and hash) reuse their parsed record. With `trust_stat`,
    a note with the size and mtime of its record is not even read. The others are parsed, by forked
    processes where possible (`parse_all`); `meanwhile` runs here while they parse. `report(done, total)`
    follows the notes done.

    Returns (records, skipped, number of records parsed now); skipped lists, besides the files, the ignore
    files with lines that are no pattern (`Ignore.unusable`)."""
    ignore = Ignore(vault, cfg.exclude)
    paths, unlisted = scan_folders(vault, ignore, org_pages=cfg.dialect.name == "logseq")
    if not paths and not unlisted:
        raise NoNotes(no_notes(vault, ignore))
    if report is not None:  # found: said before the first note is read (until then: "finding notes")
        report(0, len(paths))
    items = [_read_one(vault, rel, cfg, old, trust_stat) if (old := previous.get(rel)) else Unread(vault, rel)
             for rel in paths]
    to_parse = [x for x in items if isinstance(x, RawNote | Unread)]
    reused = len(paths) - len(to_parse)
    on_parsed = None if report is None else (lambda n: report(reused + n, len(paths)))
    parsed = iter(parse_all(to_parse, cfg, on_parsed, meanwhile=meanwhile if to_parse else None,
                            should_stop=should_stop))
    records: list[NoteRecord] = []
    skipped: list[Skipped] = [*unlisted, *(Skipped(path, why) for path, why in ignore.unusable())]
    for item in items:
        done = next(parsed) if isinstance(item, RawNote | Unread) else item
        if isinstance(done, Skipped):
            skipped.append(done)
        else:
            records.append(done)
    if not records:  # an index of nothing would replace a good one (a wrong flag, a vault gone unreadable)
        raise VaultError(_none_indexed(vault, skipped))
    return records, skipped, len(records) - sum(isinstance(x, NoteRecord) for x in items)  # minus reused


def _none_indexed(vault: Path, skipped: list[Skipped]) -> str:
    reasons = "; ".join(f"{s.path}: {s.reason}" for s in skipped[:3])
    more = f"; and {len(skipped) - 3} more" if len(skipped) > 3 else ""
    return (f"none of the {len(skipped)} files in {vault} could be indexed, so no new index was written "
            f"(an index already there stays as it was). Skipped: {reasons}{more}")


def _read_one(vault: Path, rel: str, cfg: IndexConfig, old: NoteRecord | None,
              trust_stat: bool) -> Parsed | RawNote:
    """The previous record when the note is unchanged, a Skipped, or the RawNote to parse."""
    if old is not None and trust_stat and _same_stat(vault / rel, old):
        return old
    raw = read_note(vault, rel, cfg.size_cap)
    if isinstance(raw, Skipped) or old is None or old.sha256 != raw.sha256:
        return raw
    return old if (old.size, old.mtime) == (raw.size, raw.mtime) else replace(old, size=raw.size,
                                                                             mtime=raw.mtime)


def _same_stat(path: Path, record: NoteRecord) -> bool:
    try:
        st = path.stat()
    except OSError:
        return False
    return st.st_size == record.size and st.st_mtime == record.mtime


def parse_all(raws: list[ToParse], cfg: IndexConfig, report: Callable[[int], None] | None = None,
              min_parallel: int = PARALLEL_PARSE_NOTES,
              meanwhile: Callable[[], None] | None = None,
              should_stop: Callable[[], bool] | None = None) -> list[Parsed]:
    """Each note parsed, in order: by two forked processes from `min_parallel` notes on (where forking
    is safe: `processes.can_fork_workers`), else here. Records coming back from a process are re-interned.

    `meanwhile` (importing torch for training, ~0.7 s) runs in this process while the notes are parsed:
    with it, even a few notes are parsed by one forked process, so the two overlap on two cores, and two
    processes parse only from PARALLEL_PARSE_WITH_IMPORT notes on. `should_stop` is asked after each note:
    True raises Cancelled (a long parse is as cancellable as training)."""
    if not can_fork_workers() or (len(raws) < min_parallel and meanwhile is None):
        if meanwhile is not None:
            meanwhile()
        return _collect((_parse_safely(raw, cfg) for raw in raws), report, len(raws), should_stop=should_stop)
    two_from = min_parallel if meanwhile is None else max(min_parallel, PARALLEL_PARSE_WITH_IMPORT)
    n = 2 if len(raws) >= two_from else 1
    workers: list[_ParseChild] = []
    try:  # appended one by one: a failure starting the second still reaps the first
        for w in range(n):
            workers.append(_ParseChild(raws, cfg, w, n))
        if meanwhile is not None:
            meanwhile()
        return _collect(_in_order(raws, cfg, workers), report, len(raws), reintern=True,
                        should_stop=should_stop)
    finally:
        for child in workers:
            child.reap()


def _in_order(raws: list[ToParse], cfg: IndexConfig, workers: list[_ParseChild]) -> Iterator[Parsed]:
    """The children's records, slice by slice in note order (slice k comes from worker k mod n); the
    slices of a child that died are parsed here."""
    for k, start in enumerate(range(0, len(raws), _SLICE)):
        got = workers[k % len(workers)].next_slice()
        yield from got if got is not None else (_parse_safely(r, cfg) for r in raws[start:start + _SLICE])


class _ParseChild:
    """A forked process parsing slices w, w + n, w + 2n, ... of the notes, sending each back on a pipe.
    One that could not be forked (out of memory, process limit) is dead from the start."""

    def __init__(self, raws: list[ToParse], cfg: IndexConfig, worker: int, workers: int) -> None:
        ctx = multiprocessing.get_context("fork")
        self.recv, send = ctx.Pipe(duplex=False)
        with contextlib.suppress(ImportError, OSError, AttributeError):  # room for ~300 records while
            import fcntl  # `meanwhile` runs (Linux only, like the fork)

            fcntl.fcntl(send.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
        self.proc = ctx.Process(target=_parse_main, args=(raws, cfg, worker, workers, send, os.getpid()),
                                name=f"notelink-parse-{worker}", daemon=True)
        self.dead = False
        try:
            self.proc.start()
        except OSError as exc:
            self.dead = True
            log.warning("could not start a note-parsing process (%s); parsing its notes here", exc)
        finally:
            send.close()

    def next_slice(self) -> list[Parsed] | None:
        """The child's next slice of records, or None once it has died (the caller parses it)."""
        if not self.dead:
            try:
                return list(self.recv.recv())
            except (EOFError, OSError):
                self.dead = True
                self.proc.join(timeout=1)  # its end of the pipe closed as it exited: the exit code is due
                log.warning("a note-parsing process stopped (exit code %s, out of memory?); "
                            "parsing its notes here", self.proc.exitcode)
        return None

    def reap(self) -> None:
        """Kills the child if it is still running (the build failed or was cancelled) and waits for it."""
        if self.proc.pid is not None:  # it was started
            if self.proc.is_alive():
                self.proc.kill()
            self.proc.join()
        self.recv.close()


def _parse_main(raws: list[ToParse], cfg: IndexConfig, worker: int, workers: int, send: Connection,
                parent: int) -> None:
    """A forked parsing child: dies with its parent, ignores Ctrl-C (the parent kills it)."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for start in range(worker * _SLICE, len(raws), workers * _SLICE):
        send.send([_parse_safely(raw, cfg) for raw in raws[start:start + _SLICE]])
    send.close()


def _collect(parsed: Iterable[Parsed], report: Callable[[int], None] | None, total: int,
             reintern: bool = False, should_stop: Callable[[], bool] | None = None) -> list[Parsed]:
    out: list[Parsed] = []
    for rec in parsed:
        if should_stop is not None and should_stop():
            raise Cancelled()
        if reintern and isinstance(rec, NoteRecord):  # unpickled: one str object per token again
            rec.paragraphs = [list(map(sys.intern, p)) for p in rec.paragraphs]
        out.append(rec)
        if report is not None and (len(out) % 50 == 1 or len(out) == total):
            report(len(out))
    return out


def _parse_safely(item: ToParse, cfg: IndexConfig) -> Parsed:
    """Reads (if `Unread`) and parses one note; an unexpected failure skips it with the reason instead of
    stopping the build."""
    try:
        raw = read_note(item.root, item.path, cfg.size_cap) if isinstance(item, Unread) else item
        return raw if isinstance(raw, Skipped) else record_from_raw(raw, cfg)
    except Exception as exc:  # one bad note must never stop an index (or the watcher)
        return Skipped(item.path, f"failed to parse: {type(exc).__name__}: {exc}")

"""Building an index generation: scan, parse what changed, train CBOW, note vectors, switch atomically."""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from notelink import __version__, cbow
from notelink.boilerplate import find_boilerplate, without_boilerplate
from notelink.config import IncrementalConfig, IndexConfig, NoteVectorConfig, TrainConfig
from notelink.generation import Mentions, write_generation
from notelink.hogwild import can_fork_workers
from notelink.lock import BuildCancelled, build_lock
from notelink.mentions import count_mentions, recount_mentions, title_phrases
from notelink.note import Link, parse_note
from notelink.notevectors import Layout, note_vectors
from notelink.store import IndexFormatError, current_generation, open_generation
from notelink.tokenizer import tokenize
from notelink.update import UpdatePlan, graph_for, mentions_reuse, patch_for, plan_update, train_update
from notelink.vault import RawNote, Skipped, VaultError, check_vault, read_note, scan
from notelink.vocab import Vocab

PARALLEL_PARSE_NOTES = 200
"""Notes to parse from which two processes parse them (forking costs ~10 ms a process; Markdown parsing
~1-2 ms a note)."""

SMALL_VAULT_TOKENS = 25_000
"""Training words below which the CBOW parts add nothing measurable to related notes: on random subsets of
the dev vault the gain was -0.008 at 9k words, +0.003 ± 0.030 at 18k, +0.012 ± 0.012 at 30k
(benchmarks/small_vault.py, RESULTS.md). `index` and `status` say so below it."""


@dataclass(frozen=True)
class IndexEvent:
    """Progress of an index build, posted to whoever is watching (CLI bar, TUI, watcher log)."""

    stage: str  # wait | scan | parse | train | vectors | write
    done: int = 0
    total: int = 0
    epoch: int = 0
    epochs: int = 0
    words_per_second: float = 0.0


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

    @property
    def tokens(self) -> list[str]:
        return [t for p in self.paragraphs for t in p]


@dataclass
class IndexSummary:
    """What `notelink index` reports (`--json` prints these fields)."""

    notes: int = 0
    indexed: int = 0
    skipped: int = 0
    reparsed: int = 0
    reused: int = 0
    tokens: int = 0
    vocab: int = 0
    epochs: int = 0
    device: str = ""
    parse_seconds: float = 0.0
    train_seconds: float = 0.0
    total_seconds: float = 0.0
    words_per_second: float = 0.0
    generation: int = 0
    up_to_date: bool = False
    mode: str = "full"  # full | incremental | carried (vectors kept as they were: no training text changed)
    changed: int = 0  # notes whose training text changed (incremental and carried updates)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


Progress = Callable[[IndexEvent], None]


def record_from_raw(raw: RawNote, cfg: IndexConfig) -> NoteRecord:
    """Parses and tokenizes one note read from disk."""
    stem = raw.path.rsplit("/", 1)[-1][: -len(".md")]
    parsed = parse_note(raw.text, stem)
    lead = [] if parsed.paragraphs[:1] == [parsed.title] else [parsed.title]
    texts = lead + parsed.aliases + parsed.paragraphs
    # interned: one str object per distinct word, not per token (50M tokens would be ~3 GB of str objects)
    paragraphs = [list(map(sys.intern, p)) for p in (tokenize(t, keep_stopwords=cfg.keep_stopwords)
                                                     for t in texts) if p]
    warning = "; ".join(w for w in (raw.warning, parsed.warning) if w)
    return NoteRecord(raw.path, parsed.title, raw.sha256, raw.size, raw.mtime, parsed.aliases,
                      parsed.headings, parsed.tags, parsed.links, paragraphs, warning)


def load_records(gen: Path) -> tuple[dict[str, NoteRecord], dict[str, Any]]:
    """Every note record of a generation, by path, and its meta (for reuse by content hash)."""
    db, meta = open_generation(gen)
    try:
        tags: dict[int, list[str]] = {}
        for note, tag in db.execute("SELECT note, tag FROM tags ORDER BY rowid"):
            tags.setdefault(note, []).append(tag)
        links: dict[int, list[Link]] = {}
        for src, target, kind, heading in db.execute(
                "SELECT src, target, kind, heading FROM links ORDER BY rowid"):
            links.setdefault(src, []).append(Link(target, kind, heading))
        records = {}
        for row in db.execute("SELECT id, path, title, sha256, size, mtime, aliases, headings, tokens, "
                              "warning FROM notes"):
            i, path, title, sha, size, mtime, aliases, headings, tokens, warning = row
            records[path] = NoteRecord(path, title, sha, size, mtime, _json_list(aliases),
                                       _json_list(headings), tags.get(i, []), links.get(i, []),
                                       [list(map(sys.intern, p.split(" "))) for p in tokens.split("\n") if p],
                                       warning)
        return records, meta
    finally:
        db.close()


def _json_list(text: str) -> list[str]:
    return [] if text == "[]" else list(json.loads(text))  # most notes have no aliases: skip the parser


def _previous(index_dir: Path) -> tuple[Path | None, dict[str, NoteRecord], dict[str, Any]]:
    """The live generation, its records and meta; an unreadable or older-format index is rebuilt."""
    try:
        gen = current_generation(index_dir)
        return (gen, *load_records(gen)) if gen is not None else (None, {}, {})
    except IndexFormatError:
        return None, {}, {}


def read_vault(vault: Path, cfg: IndexConfig, previous: dict[str, NoteRecord],
               progress: Progress | None = None, trust_stat: bool = False,
               meanwhile: Callable[[], None] | None = None) -> tuple[list[NoteRecord], list[Skipped], int]:
    """Reads every note; unchanged ones (same path and hash) reuse their parsed record. With `trust_stat`,
    a note with the size and mtime of its record is not even read. The others are parsed, by two
    processes when there are many (`parse_all`); `meanwhile` runs here while they parse.

    Returns (records, skipped, number re-parsed)."""
    paths = scan(vault, cfg.exclude)
    if not paths:
        raise VaultError(f"no notes found in {vault}: notelink indexes *.md files (dot-folders skipped)")
    items = [_read_one(vault, rel, cfg, previous.get(rel), trust_stat) for rel in paths]
    to_parse = [x for x in items if isinstance(x, RawNote)]
    report = _parse_progress(progress, len(paths), len(paths) - len(to_parse))
    parsed = iter(parse_all(to_parse, cfg, report, meanwhile=meanwhile if to_parse else None))
    records: list[NoteRecord] = []
    skipped: list[Skipped] = []
    for item in items:
        done = next(parsed) if isinstance(item, RawNote) else item
        if isinstance(done, Skipped):
            skipped.append(done)
        else:
            records.append(done)
    return records, skipped, len(to_parse)


def _read_one(vault: Path, rel: str, cfg: IndexConfig, old: NoteRecord | None,
              trust_stat: bool) -> NoteRecord | Skipped | RawNote:
    """The previous record when the note is unchanged, a Skipped, or the RawNote to parse."""
    if old is not None and trust_stat and _same_stat(vault / rel, old):
        return old
    raw = read_note(vault, rel, cfg.max_file_bytes)
    if isinstance(raw, Skipped) or old is None or old.sha256 != raw.sha256:
        return raw
    return old if (old.size, old.mtime) == (raw.size, raw.mtime) else replace(old, size=raw.size,
                                                                             mtime=raw.mtime)


def _parse_progress(progress: Progress | None, total: int, reused: int) -> Callable[[int], None]:
    def report(parsed: int) -> None:
        if progress is not None:
            progress(IndexEvent("parse", reused + parsed, total))
    return report


def parse_all(raws: list[RawNote], cfg: IndexConfig, report: Callable[[int], None] | None = None,
              min_parallel: int = PARALLEL_PARSE_NOTES,
              meanwhile: Callable[[], None] | None = None) -> list[NoteRecord | Skipped]:
    """Each note parsed, in order: with two forked processes from `min_parallel` notes on (where forking
    is safe: `hogwild.can_fork_workers`), else here. Records coming back from a process are re-interned.

    `meanwhile` (importing torch for training, ~0.7 s) runs in this process while the notes are parsed:
    with it, even a few notes are parsed by a forked process, so the two overlap on two cores."""
    forking = can_fork_workers()
    if not forking or (len(raws) < min_parallel and meanwhile is None):
        if meanwhile is not None:
            meanwhile()
        return _collect((_parse_safely(raw, cfg) for raw in raws), report, len(raws))
    workers = 2 if len(raws) >= min_parallel else 1
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        parsed = pool.imap(functools.partial(_parse_safely, cfg=cfg), raws, chunksize=16)
        if meanwhile is not None:
            meanwhile()
        return _collect(parsed, report, len(raws), reintern=True)


def _collect(parsed: Iterable[NoteRecord | Skipped], report: Callable[[int], None] | None, total: int,
             reintern: bool = False) -> list[NoteRecord | Skipped]:
    out: list[NoteRecord | Skipped] = []
    for rec in parsed:
        if reintern and isinstance(rec, NoteRecord):  # unpickled: one str object per token again
            rec.paragraphs = [list(map(sys.intern, p)) for p in rec.paragraphs]
        out.append(rec)
        if report is not None and (len(out) % 50 == 1 or len(out) == total):
            report(len(out))
    return out


def _same_stat(path: Path, record: NoteRecord) -> bool:
    try:
        st = path.stat()
    except OSError:
        return False
    return st.st_size == record.size and st.st_mtime == record.mtime


def _parse_safely(raw: RawNote, cfg: IndexConfig) -> NoteRecord | Skipped:
    """Parses one note; an unexpected failure skips it with the reason instead of stopping the build."""
    try:
        return record_from_raw(raw, cfg)
    except Exception as exc:  # one bad note must never stop an index (or the watcher)
        return Skipped(raw.path, f"failed to parse: {type(exc).__name__}: {exc}")


def _unchanged(records: list[NoteRecord], skipped: list[Skipped], previous: dict[str, NoteRecord],
               meta: dict[str, Any], config: dict[str, Any]) -> bool:
    """True when nothing that the index depends on differs from the live generation."""
    same_notes = {r.path: r.sha256 for r in records} == {p: r.sha256 for p, r in previous.items()}
    same_skips = _as_json(sorted((s.path, s.reason) for s in skipped)) == meta.get("skipped_files")
    return same_notes and same_skips and meta.get("config") == config


def _as_json(value: Any) -> Any:
    """The value as it reads back from the index's JSON meta (tuples become lists)."""
    return json.loads(json.dumps(value))


def clean_tokens(records: list[NoteRecord], share: float) -> list[list[str]]:
    """Each note's tokens without boilerplate paragraphs (repeated verbatim across many notes)."""
    return clean_tokens_keyed(records, share)[0]


def clean_tokens_keyed(records: list[NoteRecord], share: float) -> tuple[list[list[str]], str]:
    """`clean_tokens`, and a digest of the boilerplate found (an update compares it with the last one)."""
    boiler = find_boilerplate([r.paragraphs for r in records], share)
    digest = hashlib.sha256("\n".join(sorted(" ".join(p) for p in boiler)).encode()).hexdigest()
    return [without_boilerplate(r.paragraphs, boiler) for r in records], digest


def _corpus(tokens: list[list[str]], vocab: Vocab) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """The flat training corpus, ids [N] and note index [N] (int32), and each note's ids as a view of it."""
    docs = [vocab.encode(t) for t in tokens]
    lengths = np.array([d.size for d in docs], dtype=np.int64)  # [notes]
    ids = np.concatenate(docs) if docs else np.zeros(0, dtype=np.int32)  # [N]
    owner = np.repeat(np.arange(len(docs), dtype=np.int32), lengths)  # [N]
    return (np.split(ids, np.cumsum(lengths)[:-1]) if docs else []), ids, owner


def vectorize(records: list[NoteRecord], tokens: list[list[str]], docs: list[np.ndarray],
              syn1neg: np.ndarray, index_cfg: IndexConfig, cfg: NoteVectorConfig,
              K: sp.csr_matrix | None = None, mentions: Mentions | None = None
              ) -> tuple[sp.csr_matrix, Layout]:
    """Note vectors from trained word vectors, with title/alias mentions found in the notes' text."""
    if mentions is None:
        mentions = find_mentions(records, tokens, index_cfg)
    return note_vectors(docs, mentions, syn1neg, cfg, K)


def find_mentions(records: list[NoteRecord], tokens: list[list[str]], index_cfg: IndexConfig,
                  reuse: tuple[Mentions, list[int]] | None = None) -> Mentions:
    """Where notes name other notes; with `reuse` = (previous mentions, changed notes), only the changed
    notes are counted again."""
    names = [[r.title, *r.aliases] for r in records]
    phrases = title_phrases(names, lambda s: tokenize(s, keep_stopwords=index_cfg.keep_stopwords))
    return count_mentions(tokens, phrases) if reuse is None else recount_mentions(reuse[0], tokens, phrases,
                                                                                   reuse[1])


def build_index(vault: Path, index_dir: Path, train_cfg: TrainConfig | None = None,
                index_cfg: IndexConfig | None = None, progress: Progress | None = None,
                should_stop: Callable[[], bool] | None = None, force: bool = False,
                incremental: IncrementalConfig | None = None,
                vector_cfg: NoteVectorConfig | None = None) -> IndexSummary:
    """Brings the index of `vault` up to date; a new generation is switched in only when complete.

    With `incremental`, a change continues training from the live generation's vectors (`notelink.update`)
    and falls back to a full retrain when much of the vault changed; without it, every change retrains.
    Builds of one index folder run one at a time: a second one waits, then usually finds it up to date."""
    vault = check_vault(vault)
    on_wait = None if progress is None else (lambda: progress(IndexEvent("wait")))
    try:
        with build_lock(index_dir, on_wait, should_stop):
            return _build_index(vault, index_dir, train_cfg, index_cfg, progress, should_stop, force,
                                incremental, vector_cfg)
    except BuildCancelled:
        raise cbow.Cancelled() from None


def _build_index(vault: Path, index_dir: Path, train_cfg: TrainConfig | None,
                 index_cfg: IndexConfig | None, progress: Progress | None,
                 should_stop: Callable[[], bool] | None, force: bool,
                 incremental: IncrementalConfig | None, vector_cfg: NoteVectorConfig | None) -> IndexSummary:
    train_cfg, index_cfg = train_cfg or TrainConfig(), index_cfg or IndexConfig()
    vector_cfg = vector_cfg or NoteVectorConfig()
    t0 = time.perf_counter()
    gen, previous, prev_meta = _previous(index_dir)
    if prev_meta.get("index_config") != _as_json(index_cfg.to_dict()):
        previous = {}  # tokenizing changed: every note is parsed again
    trust_stat = incremental is not None and incremental.trust_stat
    records, skipped, reparsed = read_vault(vault, index_cfg, previous, progress, trust_stat, cbow.warm_up)
    config = _as_json({"train": train_cfg.to_dict(), "index": index_cfg.to_dict(),
                       "vectors": vector_cfg.to_dict()})
    summary = IndexSummary(notes=len(records) + len(skipped), indexed=len(records), skipped=len(skipped),
                           reparsed=reparsed, reused=len(records) - reparsed,
                           parse_seconds=round(time.perf_counter() - t0, 3))
    if not force and prev_meta and _unchanged(records, skipped, previous, prev_meta, config):
        return _up_to_date(summary, prev_meta, t0)
    tokens, boiler = clean_tokens_keyed(records, vector_cfg.boilerplate_share)
    vocab = Vocab.build(tokens, train_cfg.min_count)
    docs, ids, owner = _corpus(tokens, vocab)
    plan = None
    if incremental is not None and gen is not None and not force and prev_meta.get("config") == config:
        plan = plan_update(gen, records, previous, prev_meta, vocab, train_cfg, incremental)
    same_boiler = boiler == prev_meta.get("boilerplate")
    mentions = find_mentions(records, tokens, index_cfg,
                             mentions_reuse(gen, records, previous, same_boiler) if plan else None)
    del tokens  # a list slot per token (0.4 GB at 50M tokens); training and vectors need only the ids
    on_train = _train_progress(progress)
    if plan is None or incremental is None:
        wv = cbow.train(ids, owner, vocab, train_cfg, on_train, should_stop)
    else:
        wv = train_update(plan, docs, vocab, train_cfg, incremental, on_train, should_stop)
    n_tokens = int(ids.size)
    del owner  # 4 bytes a token, not needed after training (ids stays: `docs` are views of it)
    if progress is not None:
        progress(IndexEvent("vectors", 0, len(records)))
    K = graph_for(wv.syn1neg, vector_cfg, gen, plan, incremental.moved_cosine if incremental else 1.0)
    notes, layout = note_vectors(docs, mentions, wv.syn1neg, vector_cfg, K)
    _summarise(summary, wv, n_tokens, len(vocab), plan)
    if progress is not None:
        progress(IndexEvent("write", 0, 1))
    meta = _meta(vault, config, index_cfg, train_cfg, wv, skipped, summary, plan, prev_meta)
    meta["layout"], meta["boilerplate"] = asdict(layout), boiler
    summary.generation = write_generation(index_dir, records, skipped, vocab, wv, notes, meta, should_stop,
                                          K, mentions, patch_for(gen, records, previous) if plan else None)
    summary.total_seconds = round(time.perf_counter() - t0, 3)
    return summary


def _train_progress(progress: Progress | None) -> Callable[[cbow.TrainProgress], None]:
    def on_train(p: cbow.TrainProgress) -> None:
        if progress is not None:
            progress(IndexEvent("train", p.words_done, p.words_total, p.epoch, p.epochs, p.words_per_second))
    return on_train


def _summarise(summary: IndexSummary, wv: cbow.WordVectors, tokens: int, vocab_size: int,
               plan: UpdatePlan | None) -> None:
    """Fills in what training did; an update reports the epochs it ran over the words it trained on."""
    summary.tokens, summary.vocab = tokens, vocab_size
    summary.epochs, summary.device = wv.epochs, wv.device
    summary.train_seconds = round(wv.seconds, 3)
    summary.words_per_second = round(wv.tokens * wv.epochs / wv.seconds, 1) if wv.seconds else 0.0
    if plan is not None:
        summary.mode = "incremental" if wv.epochs else "carried"
        summary.changed = len(plan.changed)
    if tokens < SMALL_VAULT_TOKENS:
        summary.warnings.append(
            f"small vault: {tokens:,} training words is below the ~{SMALL_VAULT_TOKENS:,} where word2vec "
            "learns much; related notes lean on shared words until the vault grows")


def _meta(vault: Path, config: dict[str, Any], index_cfg: IndexConfig, train_cfg: TrainConfig,
          wv: cbow.WordVectors, skipped: list[Skipped], summary: IndexSummary, plan: UpdatePlan | None,
          prev_meta: dict[str, Any]) -> dict[str, Any]:
    """The generation's self-description; an update keeps the model of the full retrain it builds on."""
    model = {**train_cfg.to_dict(), "epochs": wv.epochs, "device": wv.device}
    update: dict[str, Any] = {"mode": "full", "chain": 0}
    if plan is not None:
        model = prev_meta.get("model", model)
        update = {"mode": summary.mode, "chain": plan.chain, "base_generation": plan.base_generation,
                  "changed_notes": len(plan.changed), "new_words": plan.new_words,
                  "trained_tokens": wv.tokens, "epochs": wv.epochs}
    return {"vault": str(vault), "config": config, "index_config": index_cfg.to_dict(), "model": model,
            "update": update, "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "device": wv.device, "notelink_version": __version__,
            "skipped_files": sorted((s.path, s.reason) for s in skipped),
            "summary": {k: v for k, v in summary.to_dict().items() if k != "warnings"},
            "warnings": summary.warnings}


def _up_to_date(summary: IndexSummary, meta: dict[str, Any], t0: float) -> IndexSummary:
    prev = meta.get("summary", {})
    for key in ("tokens", "vocab", "epochs", "device", "train_seconds", "words_per_second"):
        setattr(summary, key, prev.get(key, getattr(summary, key)))
    summary.generation, summary.up_to_date = int(meta.get("generation", 0)), True
    summary.warnings = list(meta.get("warnings", []))
    summary.total_seconds = round(time.perf_counter() - t0, 3)
    return summary

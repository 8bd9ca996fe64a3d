"""Building an index generation: scan, parse what changed, train CBOW, note vectors, switch atomically."""

from __future__ import annotations

import hashlib
import os
import shlex
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from notelink import __version__
from notelink.config import IncrementalConfig, IndexConfig, NoteVectorConfig, TrainConfig
from notelink.errors import Cancelled, IndexDamaged, IndexFormatError, NotelinkError, OtherVaultsIndex
from notelink.index import checkpoint
from notelink.index.generation import Mentions, write_generation
from notelink.index.lazy import Lazy
from notelink.index.lexicon import Encoded, encode_notes
from notelink.index.lock import build_lock
from notelink.index.naming import find_mentions, mentions_of
from notelink.index.notevectors import NOTE_STEPS, Layout, largest_language, note_vectors
from notelink.index.owner import other_vault, other_vaults_index
from notelink.index.previous import (
    Previous,
    as_json,
    named_dialect,
    settled,
    settled_training,
)
from notelink.index.references import chance_of
from notelink.index.report import IndexEvent, IndexSummary, Progress, throttled, ticker
from notelink.index.searchdata import SearchData, search_data
from notelink.index.store import CURRENT, current_generation
from notelink.index.tokenstore import TOKEN_ARRAYS, token_arrays
from notelink.index.update import UpdatePlan, graph_for, patch_for, plan_update, train_update, why_full
from notelink.index.verify import check_generation
from notelink.index.versions import OTHER_FORMAT, RULES_VERSION, SEARCH_VERSION, TOKENS_VERSION
from notelink.model import cbow
from notelink.model.vocab import Vocab
from notelink.notes.boilerplate import Paragraph, find_boilerplate, without_boilerplate
from notelink.notes.links import RESOLVER_VERSION, embedded
from notelink.notes.note import PLAIN_CHARS, read_in_part
from notelink.notes.records import NoteRecord, read_vault
from notelink.notes.vault import Skipped, check_vault, read_with_replacements

SMALL_VAULT_TOKENS = 25_000
"""Training words below which the CBOW parts add nothing measurable to related notes: on random subsets of
the dev vault the gain was -0.008 at 9k words, +0.003 ± 0.030 at 18k, +0.012 ± 0.012 at 30k
(benchmarks/small_vault.py, RESULTS.md). `index` and `status` say so below it."""

GRAPH_STEPS = 20
"""The word neighbour graph's share of the "vectors" stage's steps, told as it goes (the stage sat at 0%
for 13 s on obsidian-help, under load, while the graph was made)."""


def clean_tokens(records: list[NoteRecord], share: float) -> list[list[str]]:
    """Each note's tokens without boilerplate paragraphs (repeated verbatim across many notes)."""
    boiler, _ = boilerplate(records, share)
    return [without_boilerplate(r.paragraphs, boiler) for r in records]


def boilerplate(records: list[NoteRecord], share: float) -> tuple[set[Paragraph], str]:
    """The boilerplate paragraphs (`find_boilerplate`) and their digest (an update compares it with the
    last one)."""
    boiler = find_boilerplate([r.paragraphs for r in records], share)
    return boiler, hashlib.sha256("\n".join(sorted(" ".join(p) for p in boiler)).encode()).hexdigest()


def _file_warnings(records: list[NoteRecord], vault: Path) -> list[str]:
    """One warning per kind of note read other than whole, which `status --files` says per file only: long
    notes read in part (a 21 MB note under a raised --max-file-mb looked whole), notes not valid UTF-8 (a
    Latin-1 note's `café` was silently in no index, and a search found nothing)."""
    status = f"`notelink status {shlex.quote(str(vault))} --files`"
    out = []
    if cut := _named_by(records, read_in_part):
        n, names = cut
        out.append(f"{n} long note(s) read only in part: text past the first {PLAIN_CHARS / 1e6:.0f} million "
                   f"characters is left out, which bounds each note's parsing time and memory ({names}); "
                   f"{status} says how each was read")
    if bad := _named_by(records, read_with_replacements):
        n, names = bad
        out.append(f"{n} note(s) not valid UTF-8, read with replacement characters ({names}): their words "
                   f"with the bad bytes are in no index; save them as UTF-8 ({status} says where each goes "
                   "wrong)")
    return out


def _named_by(records: list[NoteRecord], said: Callable[[str], bool]) -> tuple[int, str] | None:
    """How many notes' warnings `said` is true of, and the first three of them named ("a.md, b.md, ...");
    None for none."""
    paths = [r.path for r in records if said(r.warning)]
    return (len(paths), ", ".join(paths[:3]) + (", ..." if len(paths) > 3 else "")) if paths else None


def _search_data(records: list[NoteRecord], encoded: Encoded) -> SearchData:
    """What search reads, from every paragraph of each note, boilerplate too: a line repeated in many notes
    (a weekly meeting's name) is left out of training and note vectors, but a search for its words must
    find the notes that have it (link suggestion on both dev vaults unchanged by it: RESULTS.md, session
    14)."""
    return search_data(encoded.search, encoded.extra, encoded.vocab, [r.names() for r in records],
                       [r.lang for r in records], [[len(p) for p in r.paragraphs] for r in records])


def vectorize(records: list[NoteRecord], tokens: list[list[str]], docs: list[np.ndarray],
              syn0: np.ndarray, cfg: NoteVectorConfig,
              K: sp.csr_matrix | None = None, mentions: Mentions | None = None
              ) -> tuple[sp.csr_matrix, Layout]:
    """Note vectors from trained word vectors, with title/alias mentions found in the notes' text."""
    if mentions is None:
        mentions = find_mentions(records, tokens)
    return note_vectors(docs, mentions, syn0, cfg, K, [r.lang for r in records])


def with_embeds(records: list[NoteRecord], docs: list[np.ndarray], vocab: Vocab, index_cfg: IndexConfig
                ) -> list[np.ndarray]:
    """Each note's word ids [n] with those of the notes and sections it embeds (`links.embedded`): what
    its vector is made of, so that a hub of `![[embeds]]` is related to what it shows. Training sees each
    note's own words once."""
    out = list(docs)
    for i, parts in enumerate(embedded(records, index_cfg.dialect)):
        if parts:
            out[i] = np.concatenate([docs[i], vocab.encode(t for p in parts for t in p)])
    return out


def build_index(vault: Path, index_dir: Path, train_cfg: TrainConfig | None = None,
                index_cfg: IndexConfig | None = None, progress: Progress | None = None,
                should_stop: Callable[[], bool] | None = None, force: bool = False,
                incremental: IncrementalConfig | None = None,
                vector_cfg: NoteVectorConfig | None = None) -> IndexSummary:
    """Brings the index of `vault` up to date; a new generation is switched in only when complete.

    With `incremental`, a change continues training from the live generation's vectors
    (`notelink.index.update`) and falls back to a full retrain when much of the vault changed; without it,
    every change retrains.
    Builds of one index folder run one at a time: a second one waits, then usually finds it up to date."""
    vault = check_vault(vault)
    progress = throttled(progress)
    on_wait = None if progress is None else (lambda: progress(IndexEvent("wait")))
    with build_lock(index_dir, on_wait, should_stop):
        try:
            summary = _build_index(vault, index_dir, train_cfg, index_cfg, progress, should_stop, force,
                                   incremental, vector_cfg)
        except NotelinkError as exc:
            _say_parse_kept(exc, index_dir)
            raise
        checkpoint.drop(index_dir)  # complete: the live generation has every record it kept
        return summary


def _say_parse_kept(exc: NotelinkError, index_dir: Path) -> None:
    """A failed build's error (training diverged, a full disk...) ends saying that the notes parsed are kept
    for the next build, when they are (`checkpoint`). A stop says it where it is said (the CLI's
    `interrupted`); another vault's index is not built on."""
    if not isinstance(exc, (Cancelled, OtherVaultsIndex)) and checkpoint.exists(index_dir):
        exc.args = (f"{exc}; {checkpoint.KEPT}", *exc.args[1:])


def _build_index(vault: Path, index_dir: Path, train_cfg: TrainConfig | None,
                 index_cfg: IndexConfig | None, progress: Progress | None,
                 should_stop: Callable[[], bool] | None, force: bool,
                 incremental: IncrementalConfig | None, vector_cfg: NoteVectorConfig | None) -> IndexSummary:
    """The pipeline, one stage a line: notes → corpus → word vectors → mentions, graph → note vectors →
    generation. `plan` is the previous generation as an update's base (None: a full build); each stage
    takes from it what it may reuse."""
    train_cfg = settled_training(index_dir, train_cfg or TrainConfig())
    dialect_named = named_dialect(index_dir, index_cfg or IndexConfig())  # kept with the index
    index_cfg = settled(vault, index_dir, index_cfg or IndexConfig())
    vector_cfg = vector_cfg or NoteVectorConfig()
    t0 = time.perf_counter()
    stage = _stages(progress)
    if (index_dir / CURRENT).exists():  # (the first build has no index to check)
        stage("check")
    previous, damage = _previous(index_dir, index_cfg, thorough=incremental is None)
    if not force and (built := other_vault(previous.meta, vault)) is not None:
        raise other_vaults_index(index_dir, built, vault, force_to_replace=True)
    resume = checkpoint.Checkpoint.load(index_dir, vault, index_cfg)  # what an interrupted build parsed
    records, skipped, summary = _read(vault, index_cfg, resume.offered(previous.records), incremental,
                                      progress, should_stop)
    summary.resumed = resume.resumed(records, previous.records)
    summary.warnings += [damage] if damage else []
    summary.warnings += _file_warnings(records, vault)
    config = as_json({"train": train_cfg.model_dict(), "index": index_cfg.to_dict(),
                       "vectors": vector_cfg.to_dict(), "search": SEARCH_VERSION, "rules": RULES_VERSION})
    relink = bool(previous.meta) and previous.meta.get("resolver_version", 1) != RESOLVER_VERSION
    if not force and previous.unchanged(records, skipped, config):
        if not relink:
            return _up_to_date(summary, previous.meta, t0)
        incremental = incremental or IncrementalConfig()  # only links to resolve again: vectors carried
        summary.warnings.append("links resolved again: of several notes a name could mean, the one nearest "
                                "the linking note is now taken (word vectors kept)")
    stage("words")
    kept = checkpoint.save(index_dir, vault, index_cfg, records, previous.records, summary.reparsed)  # the
    # parse, for the next build should this one stop, fail or be killed from here on
    boiler_set, boiler = boilerplate(records, vector_cfg.boilerplate_share)
    _stop_if(should_stop)
    encoded = encode_notes(records, boiler_set, train_cfg.min_count)  # one lookup a token (`lexicon`)
    _stop_if(should_stop)
    texts = token_arrays(records, encoded.words, encoded.lex)  # the next build reads the notes from them
    if kept:
        checkpoint.save_arrays(index_dir, records, previous.records, texts)
    tokens = Lazy(len(records), lambda i: without_boilerplate(records[i].paragraphs, boiler_set))  # what
    # mentions are found in: made for the notes read (an update: those that changed, `mentions_reuse`)
    vocab, docs, ids, owner = encoded.vocab, encoded.docs, encoded.ids, encoded.owner
    planned: UpdatePlan | str = ""  # an update, or why not
    if incremental is not None and not force and previous.meta.get("config") == config:
        planned = plan_update(previous, records, vocab, train_cfg, incremental)
    plan = planned if isinstance(planned, UpdatePlan) else None
    same_boilerplate = boiler == previous.meta.get("boilerplate")
    stage("mentions")
    mentions, named = mentions_of(records, tokens, encoded, plan, same_boilerplate)
    del tokens  # a list slot per token (0.4 GB at 50M tokens); training and vectors need only the ids
    stage("search")
    search = _search_data(records, encoded)
    del encoded  # its search ids: search has what it needs
    shown = with_embeds(records, docs, vocab, index_cfg)  # note vectors, not training: embeds count once
    epoch_words = largest_language([r.lang for r in records], [d.size for d in docs],
                                   vector_cfg.one_language_share)
    wv, plan = _train(ids, owner, docs, vocab, train_cfg, plan, incremental, progress, should_stop,
                      epoch_words)
    del owner  # 4 bytes a token, not needed after training (ids stays: `docs` are views of it)
    step = ticker(progress, "vectors", GRAPH_STEPS + NOTE_STEPS)  # the word graph, then the notes' vectors
    step(0)
    K = graph_for(wv.syn0, vector_cfg, plan, incremental.moved_cosine if incremental else 1.0,
                  lambda share: step(int(share * GRAPH_STEPS)))
    step(GRAPH_STEPS)
    notes, layout = note_vectors(shown, mentions, wv.syn0, vector_cfg, K, [r.lang for r in records],
                                 lambda done: step(GRAPH_STEPS + done))
    search.add_dense(wv.syn1neg)
    _summarise(summary, wv, int(ids.size), len(vocab), plan)
    summary.retrain_reason = why_full(previous, config, incremental, force, planned) if plan is None else ""
    meta = _meta(vault, config, index_cfg, train_cfg, wv, skipped, summary, plan, previous.meta)
    meta["dialect_named"], meta["resolver_version"] = dialect_named, RESOLVER_VERSION
    meta["layout"], meta["boilerplate"], meta["token_arrays"] = asdict(layout), boiler, TOKEN_ARRAYS
    patch = None if relink else patch_for(plan, records)  # (links resolved again: every row written)
    summary.generation = write_generation(index_dir, records, skipped, vocab, wv, notes, meta, should_stop,
                                          K, mentions, patch, search, named, _steps(progress, "write"), texts,
                                          {"named_chance": (_chance(records, named, vocab), np.float32)})
    summary.total_seconds = round(time.perf_counter() - t0, 3)
    return summary


def _chance(records: list[NoteRecord], named: Mentions, vocab: Vocab) -> np.ndarray:
    """[N] the share of each named note's file-name occurrences that chance explains (`chance_of`)."""
    _, dst, share = named
    return chance_of(len(records), lambda j: records[j].file_name(), dst, share, vocab.words,
                     vocab.counts).astype(np.float32)


def _stop_if(should_stop: Callable[[], bool] | None) -> None:
    """Cancelled when the build is asked to stop (between the steps of a stage that has no other ask)."""
    if should_stop is not None and should_stop():
        raise Cancelled()


def _stages(progress: Progress | None) -> Callable[[str], None]:
    """Says that a stage without a count began (its name and time on the bar)."""
    return lambda stage: None if progress is None else progress(IndexEvent(stage))


def _steps(progress: Progress | None, stage: str) -> Callable[[int, int], None] | None:
    """Posts a stage's few steps as they are done (no more than a few dozen)."""
    return None if progress is None else (lambda done, total: progress(IndexEvent(stage, done, total)))


def _previous(index_dir: Path, index_cfg: IndexConfig, thorough: bool) -> tuple[Previous, str]:
    """The live generation to build on, and a warning when it was damaged: then it is set aside (renamed
    `gen-N.damaged-TIME`, CURRENT removed) and the index rebuilt from the notes. `thorough` (a build the
    user asked for, `notelink index`; not the watcher's updates) checks it as `notelink check` does, so
    that whatever `check` finds, `index` mends."""
    try:
        gen = current_generation(index_dir)
        problems = [] if gen is None else check_generation(gen, thorough).problems
        if not problems:
            return Previous.load(index_dir, index_cfg), ""
    except (IndexDamaged, sqlite3.DatabaseError, OSError, ValueError) as exc:
        gen, problems = _named_in_current(index_dir), [str(exc).split("; run")[0]]
    except IndexFormatError:  # another format version: rebuilt, as Previous.load says nothing is reusable
        return Previous(unusable=OTHER_FORMAT), ""
    return Previous(unusable="the index was damaged"), _set_aside(index_dir, gen, problems[0])


def _named_in_current(index_dir: Path) -> Path | None:
    try:
        path = index_dir / (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return path if path.is_dir() and path.parent == index_dir else None


def _set_aside(index_dir: Path, gen: Path | None, problem: str) -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = None if gen is None else gen.with_name(f"{gen.name}.damaged-{stamp}")
    if gen is not None and aside is not None:
        os.rename(gen, aside)
    (index_dir / CURRENT).unlink(missing_ok=True)
    where = f"; it was set aside as {aside} (delete it when you like)" if aside else ""
    return f"the index was damaged ({problem}) and was rebuilt from the notes{where}"


def _read(vault: Path, index_cfg: IndexConfig, previous: dict[str, NoteRecord],
          incremental: IncrementalConfig | None, progress: Progress | None,
          should_stop: Callable[[], bool] | None) -> tuple[list[NoteRecord], list[Skipped], IndexSummary]:
    """Reads and parses the notes (those of `previous`, by path, reused when their hash is the same),
    importing torch meanwhile."""
    t0 = time.perf_counter()
    trust_stat = incremental is not None and incremental.trust_stat
    report = None if progress is None else (lambda done, total: progress(IndexEvent("parse", done, total)))
    if progress is not None:
        progress(IndexEvent("scan"))
    warm_up = None if cbow.torch_loaded() else cbow.warm_up  # overlap importing torch with parsing
    records, skipped, reparsed = read_vault(vault, index_cfg, previous, report, trust_stat, warm_up,
                                            should_stop)
    summary = IndexSummary(notes=len(records) + len(skipped), indexed=len(records), skipped=len(skipped),
                           reparsed=reparsed, reused=len(records) - reparsed,
                           parse_seconds=round(time.perf_counter() - t0, 3))
    return records, skipped, summary


def _train(ids: np.ndarray, owner: np.ndarray, docs: list[np.ndarray], vocab: Vocab, train_cfg: TrainConfig,
           plan: UpdatePlan | None, incremental: IncrementalConfig | None, progress: Progress | None,
           should_stop: Callable[[], bool] | None,
           epoch_words: int | None = None) -> tuple[cbow.WordVectors, UpdatePlan | None]:
    """Word vectors: trained from scratch, or continued from the previous generation's (`plan`); and the
    plan they were continued by (None: from scratch, also when continuing diverged: not tried again).
    `epoch_words`: what a full training's automatic epochs are chosen for (its largest language's words
    in a vault of several)."""
    on_train = _train_progress(progress)
    if plan is not None and incremental is not None:
        try:
            return train_update(plan, docs, vocab, train_cfg, incremental, on_train, should_stop), plan
        except cbow.TrainingDiverged:
            pass
    if progress is not None:  # said before torch's import and the trainer's set-up (8 s under load, when
        progress(IndexEvent("train"))  # no parse overlapped the import: said as "building search data")
    return cbow.train(ids, owner, vocab, train_cfg, on_train, should_stop, epoch_words=epoch_words), None


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
    if vocab_size == 0:
        summary.warnings.append(
            "no word occurs often enough for the vocabulary (--min-count): related notes, concepts and "
            "similar words have no word vectors to use; lower --min-count")
    elif tokens < SMALL_VAULT_TOKENS:
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
    return {"vault": str(vault), "config": config, "index_config": index_cfg.to_dict(),
            "tokens_version": TOKENS_VERSION, "model": model,
            "update": update, "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "device": wv.device, "notelink_version": __version__,
            "train_chosen": {k: getattr(train_cfg, k) for k in train_cfg.chosen},
            "skipped_files": sorted((s.path, s.reason) for s in skipped),
            "summary": {k: v for k, v in summary.to_dict().items() if k not in ("warnings", "last_build")},
            "warnings": summary.warnings}


_LAST_BUILD = ("parse_seconds", "train_seconds", "words_per_second")  # (its total is known after meta)


def _up_to_date(summary: IndexSummary, meta: dict[str, Any], t0: float) -> IndexSummary:
    """What this run found (the index's words and model; no training), and the last build's figures apart."""
    prev = meta.get("summary", {})
    for key in ("tokens", "vocab", "epochs", "device"):
        setattr(summary, key, prev.get(key, getattr(summary, key)))
    last = {k: prev.get(k, 0.0) for k in _LAST_BUILD}
    summary.last_build = {"trained_at": meta.get("trained_at", ""), **last}
    summary.epochs = meta.get("model", {}).get("epochs", summary.epochs)  # the model's, as `status` says
    # (the last build may have been an update's few passes over the changed notes)
    summary.generation, summary.up_to_date = int(meta.get("generation", 0)), True
    summary.warnings = list(meta.get("warnings", []))
    summary.total_seconds = round(time.perf_counter() - t0, 3)
    return summary

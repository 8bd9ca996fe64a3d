"""Building an index generation: scan, parse what changed, train CBOW, note vectors, switch atomically."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from notelink.config import IncrementalConfig, IndexConfig, NoteVectorConfig, TrainConfig
from notelink.errors import Cancelled, NotelinkError, OtherVaultsIndex
from notelink.index import checkpoint
from notelink.index.choices import SavedChoices
from notelink.index.dialect import named_dialect, reading
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
    found,
    settled,
    settled_training,
)
from notelink.index.references import chance_of
from notelink.index.report import IndexEvent, IndexSummary, Progress, throttled, ticker
from notelink.index.searchdata import SearchData, search_data
from notelink.index.store import CURRENT
from notelink.index.summary import file_warnings, meta_of, summarise, up_to_date
from notelink.index.tokenstore import TOKEN_ARRAYS, token_arrays
from notelink.index.update import UpdatePlan, graph_for, patch_for, plan_update, train_update, why_full
from notelink.index.versions import RULES_VERSION, SEARCH_VERSION
from notelink.model import cbow
from notelink.model.vocab import Vocab
from notelink.notes.boilerplate import Paragraph, find_boilerplate, without_boilerplate
from notelink.notes.embeds import embedded
from notelink.notes.links import RESOLVER_VERSION
from notelink.notes.records import NoteRecord, read_vault
from notelink.notes.vault import Skipped, check_vault

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
    """The pipeline, one stage a line: notes → corpus (words, mentions, search data) → word vectors → note
    vectors → generation. An update builds on the previous generation (its `UpdatePlan`); each stage takes
    from it what it may reuse."""
    run = _Build.settle(vault, index_dir, train_cfg, index_cfg, vector_cfg, progress, should_stop, force,
                        incremental)
    previous, records, skipped, summary = run.read()
    relink = bool(previous.meta) and previous.meta.get("resolver_version", 1) != RESOLVER_VERSION
    if not force and previous.unchanged(records, skipped, run.config):
        if not relink:
            return up_to_date(summary, previous.meta, run.t0)
        run.relink_only(summary)
    corpus = run.corpus(records, previous, summary)
    wv, plan = run.word_vectors(records, corpus)
    notes, K, layout = run.note_vectors(records, corpus, wv, plan)
    summarise(summary, wv, int(corpus.ids.size), len(corpus.vocab), plan)
    summary.retrain_reason = "" if plan is not None else why_full(previous, run.config, run.incremental,
                                                                  force, corpus.planned)
    meta = meta_of(vault, run.config, run.index, run.train, wv, skipped, summary, plan, previous.meta)
    meta["dialect_named"], meta["resolver_version"] = run.dialect_named, RESOLVER_VERSION
    meta["layout"], meta["boilerplate"], meta["token_arrays"] = asdict(layout), corpus.boiler, TOKEN_ARRAYS
    patch = None if relink else patch_for(plan, records)  # (links resolved again: every row written)
    summary.generation = write_generation(index_dir, records, skipped, corpus.vocab, wv, notes, meta,
                                          should_stop, K, corpus.mentions, patch, corpus.search,
                                          corpus.named, _steps(progress, "write"), corpus.texts,
                                          {"named_chance": (_chance(records, corpus.named, corpus.vocab),
                                                            np.float32)})
    summary.total_seconds = round(time.perf_counter() - run.t0, 3)
    return summary


@dataclass
class _Corpus:
    """What the corpus stage hands on: the vocabulary and each note's word ids, the update's plan (or why
    none), mentions, search data and the token arrays kept beside the generation."""

    vocab: Vocab
    docs: list[np.ndarray]  # each note's training ids, views of `ids`
    ids: np.ndarray  # [N] the training ids in corpus order
    owner: np.ndarray | None  # [N] each token's note (training only: dropped once it has run)
    boiler: str  # the boilerplate's digest (an update compares it with the last one)
    texts: dict[str, tuple[np.ndarray, type]]  # the token arrays kept beside the generation
    planned: UpdatePlan | str
    mentions: Mentions
    named: Mentions
    search: SearchData

    @property
    def plan(self) -> UpdatePlan | None:
        return _plan(self.planned)


@dataclass
class _Build:
    """One build's settings and callbacks, as its stages (`_build_index`) share them."""

    vault: Path
    index_dir: Path
    train: TrainConfig
    index: IndexConfig
    vectors: NoteVectorConfig
    dialect_named: str | None  # the dialect the user named for this index (kept with it)
    progress: Progress | None
    should_stop: Callable[[], bool] | None
    force: bool
    incremental: IncrementalConfig | None
    dialect_drift: str = ""  # the dialect kept with the index is not the one the links now suggest: why
    t0: float = field(default_factory=time.perf_counter)

    @classmethod
    def settle(cls, vault: Path, index_dir: Path, train_cfg: TrainConfig | None,
               index_cfg: IndexConfig | None, vector_cfg: NoteVectorConfig | None, progress: Progress | None,
               should_stop: Callable[[], bool] | None, force: bool,
               incremental: IncrementalConfig | None) -> _Build:
        """The settings with what they leave to the index (kept training settings, the dialect and
        exclude patterns of the last build) and the vault (its dialect: `index.dialect`; `force` detects it
        again)."""
        index_cfg, saved = index_cfg or IndexConfig(), SavedChoices.read(index_dir)  # (the meta read once)
        how = reading(vault, index_dir, index_cfg, redetect=force, saved=saved)
        return cls(vault, index_dir, settled_training(index_dir, train_cfg or TrainConfig(), saved),
                   settled(vault, index_dir, index_cfg, how.dialect, saved), vector_cfg or NoteVectorConfig(),
                   named_dialect(index_dir, index_cfg, saved), progress, should_stop, force, incremental,
                   how.drift)

    @property
    def config(self) -> dict[str, Any]:
        """What the index depends on besides the notes (`Previous.unchanged`, `why_full`)."""
        return as_json({"train": self.train.model_dict(), "index": self.index.to_dict(),
                        "vectors": self.vectors.to_dict(), "search": SEARCH_VERSION, "rules": RULES_VERSION})

    def stage(self, name: str) -> None:
        """Says that a stage without a count began (its name and time on the bar)."""
        if self.progress is not None:
            self.progress(IndexEvent(name))

    def read(self) -> tuple[Previous, list[NoteRecord], list[Skipped], IndexSummary]:
        """The previous generation (checked, set aside when damaged; another vault's refused) and the notes,
        unchanged ones' records reused from it or from an interrupted build's parse."""
        if (self.index_dir / CURRENT).exists():  # (the first build has no index to check)
            self.stage("check")
        previous, damage = found(self.index_dir, self.index, thorough=self.incremental is None)
        if not self.force and (built := other_vault(previous.meta, self.vault)) is not None:
            raise other_vaults_index(self.index_dir, built, self.vault, force_to_replace=True)
        resume = checkpoint.Checkpoint.load(self.index_dir, self.vault, self.index)
        records, skipped, summary = _read(self.vault, self.index, resume.offered(previous.records),
                                          self.incremental, self.progress, self.should_stop)
        summary.resumed = resume.resumed(records, previous.records)
        summary.warnings += [damage] if damage else []
        summary.warnings += [self.dialect_drift] if self.dialect_drift else []
        summary.warnings += file_warnings(records, self.vault)
        return previous, records, skipped, summary

    def relink_only(self, summary: IndexSummary) -> None:
        """Nothing changed but the link resolver's rules: an update that carries the vectors over."""
        self.incremental = self.incremental or IncrementalConfig()
        summary.warnings.append("links resolved again by this notelink's rules (word vectors kept)")

    def corpus(self, records: list[NoteRecord], previous: Previous, summary: IndexSummary) -> _Corpus:
        """The parse kept for the next build (should this one stop, fail or be killed from here on), the
        words without boilerplate, the update's plan, mentions and search data."""
        self.stage("words")
        kept = checkpoint.save(self.index_dir, self.vault, self.index, records, previous.records,
                               summary.reparsed)
        boiler_set, boiler = boilerplate(records, self.vectors.boilerplate_share)
        _stop_if(self.should_stop)
        encoded = encode_notes(records, boiler_set, self.train.min_count)  # one lookup a token (`lexicon`)
        _stop_if(self.should_stop)
        texts = token_arrays(records, encoded.words, encoded.lex)  # the next build reads the notes from them
        if kept:
            checkpoint.save_arrays(self.index_dir, records, previous.records, texts)
        planned: UpdatePlan | str = ""  # an update, or why not
        if self.incremental is not None and not self.force and previous.meta.get("config") == self.config:
            planned = plan_update(previous, records, encoded.vocab, self.train, self.incremental)
        self.stage("mentions")
        mentions, named = _mentions(records, encoded, boiler_set, _plan(planned),
                                    boiler == previous.meta.get("boilerplate"), self.index.dialect.name)
        self.stage("search")
        return _Corpus(encoded.vocab, encoded.docs, encoded.ids, encoded.owner, boiler, texts, planned,
                       mentions, named, _search_data(records, encoded))

    def word_vectors(self, records: list[NoteRecord], corpus: _Corpus
                     ) -> tuple[cbow.WordVectors, UpdatePlan | None]:
        """Trained from scratch, or continued by the update's plan (`_train`); each token's note is dropped
        after it (4 bytes a token)."""
        epoch_words = largest_language([r.lang for r in records], [d.size for d in corpus.docs],
                                       self.vectors.one_language_share)
        owner, corpus.owner = corpus.owner, None
        assert owner is not None
        return _train(corpus.ids, owner, corpus.docs, corpus.vocab, self.train, corpus.plan,
                      self.incremental, self.progress, self.should_stop, epoch_words)

    def note_vectors(self, records: list[NoteRecord], corpus: _Corpus, wv: cbow.WordVectors,
                     plan: UpdatePlan | None) -> tuple[sp.csr_matrix, sp.csr_matrix, Layout]:
        """The word neighbour graph K (after an update, only moved words searched again), each note's vector
        from its words and the notes it embeds, and the search's dense rows; told as steps of "vectors"."""
        step = ticker(self.progress, "vectors", GRAPH_STEPS + NOTE_STEPS)  # the graph, then the notes
        step(0)
        moved = self.incremental.moved_cosine if self.incremental else 1.0
        K = graph_for(wv.syn0, self.vectors, plan, moved, lambda share: step(int(share * GRAPH_STEPS)))
        step(GRAPH_STEPS)
        shown = with_embeds(records, corpus.docs, corpus.vocab, self.index)  # embeds count once, in vectors
        notes, layout = note_vectors(shown, corpus.mentions, wv.syn0, self.vectors, K,
                                     [r.lang for r in records], lambda done: step(GRAPH_STEPS + done))
        corpus.search.add_dense(wv.syn1neg)
        return notes, K, layout


def _plan(planned: UpdatePlan | str) -> UpdatePlan | None:
    """The update `plan_update` planned, or None when it gave the reason for none."""
    return planned if isinstance(planned, UpdatePlan) else None


def _mentions(records: list[NoteRecord], encoded: Encoded, boiler_set: set[Paragraph],
              plan: UpdatePlan | None, same_boilerplate: bool, dialect: str) -> tuple[Mentions, Mentions]:
    """Mentions of names and of whole file names (`mentions_of`; a Logseq graph's page names are words),
    found in each note's tokens without boilerplate, made for the notes read (an update: those that
    changed) and freed on return (a list slot per token: 0.4 GB at 50M tokens)."""
    tokens = Lazy(len(records), lambda i: without_boilerplate(records[i].paragraphs, boiler_set))
    return mentions_of(records, tokens, encoded, plan, same_boilerplate, page_words=dialect == "logseq")


def _chance(records: list[NoteRecord], named: Mentions, vocab: Vocab) -> np.ndarray:
    """[N] the share of each named note's file-name occurrences that chance explains (`chance_of`)."""
    _, dst, share = named
    return chance_of(len(records), lambda j: records[j].file_name(), dst, share, vocab.words,
                     vocab.counts).astype(np.float32)


def _stop_if(should_stop: Callable[[], bool] | None) -> None:
    """Cancelled when the build is asked to stop (between the steps of a stage that has no other ask)."""
    if should_stop is not None and should_stop():
        raise Cancelled()


def _steps(progress: Progress | None, stage: str) -> Callable[[int, int], None] | None:
    """Posts a stage's few steps as they are done (no more than a few dozen)."""
    return None if progress is None else (lambda done, total: progress(IndexEvent(stage, done, total)))


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

"""Typed configuration with documented defaults; CLI flags map onto these fields one to one."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from notelink.locations import default_index_dir

Device = Literal["auto", "cpu", "cuda"]

MAX_WINDOW = 50
MAX_DIM = 1000
"""Largest vector size: word2vec's vectors are 50-300 wide; a 100,000-wide model of 42 notes took 880 MB
of disk and stayed the vault's setting for every later build (kept training settings)."""
MAX_LR = 1.0
"""Largest starting learning rate: word2vec's is 0.025-0.05; at 100 a build ran for minutes at 1.7 GB."""
MAX_NEGATIVE = 100
"""Most negative samples per word: word2vec uses 5-20; a million would hold [B/G, G, K] scores per step."""
MAX_SEED = 2**32 - 1
"""Largest seed: each chunk's generator is seeded from it (seed x 1,000,003 + ...), within torch's 64 bits."""


class SettingsError(ValueError):
    """Settings that cannot be used: `problems` holds (field, rule, value) for each; the message names them
    as flags (`--window must be between 1 and 50, not 99`), the config file names them as its keys."""

    def __init__(self, problems: list[tuple[str, str, Any]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"--{name.replace('_', '-')} must be {rule}, not {value}"
                                   for name, rule, value in problems))


@dataclass(frozen=True)
class TrainConfig:
    """CBOW word2vec hyperparameters, tuned for personal vaults (10k to a few million words).

    Defaults differ from gensim's where small corpora need it: `min_count` 2 keeps the rare names and
    jargon that make a vault personal, and `epochs` is chosen from the corpus size (see `epochs_for`).
    """

    dim: int = 100
    """Vector size (`--dim`)."""
    window: int = 5
    """Maximum context half-width; each centre word samples its own width from 1..window (`--window`)."""
    negative: int = 5
    """Negative samples per centre word, drawn from unigram^0.75 (`--negative`)."""
    epochs: int = 0
    """Passes over the corpus; 0 means automatic: more passes for smaller vaults, and in a vault of several
    languages as many as its largest language alone would get (`epochs_for`; `--epochs`)."""
    min_count: int = 2
    """Words seen fewer times are left out of the vocabulary (`--min-count`)."""
    sample: float = 1e-3
    """Frequent-word subsampling threshold t; keep prob (sqrt(f/t)+1)*t/f (`--sample`, 0 disables)."""
    lr: float = 0.05
    """Starting learning rate, decayed linearly to `min_lr` over all epochs (`--lr`). word2vec.c's CBOW
    default; gensim's 0.025 (its default for both architectures) scores lower for both trainers on
    bench-dev (WS353 ~0.22 vs ~0.34, analogies ~0.02 vs ~0.04, 3 seeds) and on obsidian-help's neighbour
    reproducibility (RESULTS-speed.md, issue 17)."""
    min_lr: float = 1e-4
    """Learning-rate floor reached at the end of training (`lr` itself when that is lower)."""
    batch: int = 2048
    """Most centre words updated together in one closed-form step on the CPU (see `batch_for`); a row's
    summed update is scaled to what sequential steps would add up to (`rowscale.RowScale`), which keeps
    large batches safe. 2048 rather than 1024: ~9% less CPU per word (the ~55 small torch calls of a step
    are shared by twice the words), bench-dev scores unchanged (RESULTS-speed.md, session 10)."""
    cuda_batch: int = 2048
    """Most centre words per step on a GPU. Bigger keeps a GPU busier; unmeasured on a GPU so far."""
    neg_share: int = 8
    """Centre words of a batch that share one draw of `negative` negatives (1 draws per word as word2vec.c
    does); sharing turns the output-layer work into small matrix products. The centres of a group are far
    apart in the batch (`cbow._Trainer._grouped`): groups of consecutive centres, whose windows overlap,
    made a context word meet the same negatives G times, which cost neighbour reproducibility (overlap@10
    between seeds on obsidian-help 0.158 at G = 4 vs 0.239 at G = 1) and analogies; spread out, G = 4 / 8 /
    16 give 0.233 / 0.226 / 0.206 and bench-dev scores level with gensim (RESULTS-speed.md, issue 17)."""
    chunk: int = 262144
    """Corpus words prepared at once (subsampling, windows, negatives drawn in bulk); bounds memory."""
    seed: int = 1
    """Random seed; training is deterministic for a given seed on the CPU with one thread (`--seed`)."""
    threads: int = 0
    """CPU training workers sharing the matrices (Hogwild), each running single-threaded torch ops;
    0 means all available cores (`--threads`). More than one is faster but not bit-reproducible."""
    device: Device = "auto"
    """`auto` uses CUDA when available, else the CPU (`--device`)."""
    chosen: tuple[str, ...] = ()
    """The model settings the user chose (a flag or the config file). A build saves them with the index,
    and a later build that leaves one unset keeps the index's value (`index.previous.settled_training`):
    `notelink index --dim 50` once, then the watcher, the app and plain `notelink index` keep dim 50."""

    def __post_init__(self) -> None:
        """Refuses values training cannot use, with the flag to fix (the CLI shows the message)."""
        problems = [(name, rule, getattr(self, name)) for name, ok, rule in self._rules() if not ok]
        if problems:
            raise SettingsError(problems)

    def _rules(self) -> list[tuple[str, bool, str]]:
        return [("dim", 1 <= self.dim <= MAX_DIM, f"between 1 and {MAX_DIM}"),
                ("window", 1 <= self.window <= MAX_WINDOW, f"between 1 and {MAX_WINDOW}"),
                ("negative", 1 <= self.negative <= MAX_NEGATIVE, f"between 1 and {MAX_NEGATIVE}"),
                ("epochs", self.epochs >= 0, "0 (automatic) or more"),
                ("min_count", self.min_count >= 1, "at least 1"),
                ("sample", self.sample >= 0, "0 (off) or more"),
                ("lr", 0 < self.lr <= MAX_LR, f"above 0 and at most {MAX_LR:g}"),
                ("min_lr", self.min_lr >= 0, "0 or more"),
                ("threads", self.threads >= 0, "0 (all cores) or more"),
                ("batch", self.batch >= 1 and self.cuda_batch >= 1, "at least 1"),
                ("neg_share", self.neg_share >= 1, "at least 1"),
                ("chunk", self.chunk >= 1, "at least 1"),
                ("seed", 0 <= self.seed <= MAX_SEED, f"between 0 and {MAX_SEED}")]

    def epochs_for(self, tokens: int) -> int:
        """Epochs to run on a corpus of `tokens` words: the fixed value, or ~3M word-updates, in 5..40. A
        word is trained by the contexts it occurs in, so in a vault of several languages `tokens` is its
        largest language's words (`notevectors.largest_language`): on the whole obsidian-help vault (2,322
        notes, 31 languages, English 15% of the words) 5 epochs left the English words' neighbours a blur
        of filler at cosine 0.95 (`graph`: shows, first, next; gensim alike), 32 gave `graph`: nodes
        (benchmarks/RESULTS.md, session 21)."""
        if self.epochs > 0:
            return self.epochs
        return int(min(40, max(5, math.ceil(3_000_000 / max(tokens, 1)))))

    def batch_for(self, vocab_size: int, device: str = "cpu") -> int:
        """Batch size for a vocabulary: a batch should rarely hold one word many times, since updates
        computed from the same starting point are summed; so small vocabularies get small batches."""
        most = self.cuda_batch if device == "cuda" else self.batch
        return int(min(most, max(16, vocab_size // 4)))

    def chunk_for(self, device: str = "cpu") -> int:
        """Corpus words prepared at once: a GPU gets at least 64 of its batches per chunk."""
        return max(self.chunk, 64 * self.cuda_batch) if device == "cuda" else self.chunk

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def model_dict(self) -> dict[str, Any]:
        """The settings that shape the trained model: all but how this run trains (`RUN_SETTINGS`)."""
        return {k: v for k, v in asdict(self).items() if k not in RUN_SETTINGS}


RUN_SETTINGS = ("threads", "device", "chosen")
"""TrainConfig fields that say how a build runs, not what it trains: changing one does not make an index
out of date, and they are not kept with the index."""


@dataclass(frozen=True)
class NoteVectorConfig:
    """How one vector per note is assembled (notelink/notevectors.py); measured in benchmarks/RESULTS.md."""

    expand_k: int = 5
    """Each word's CBOW nearest neighbours (cosine of input vectors less their mean) that its TF-IDF weight
    spreads to."""
    expand_beta: float = 0.3
    """Weight of the CBOW-expanded words relative to the note's own words."""
    expand_vocab: int = 30_000
    """Only the most frequent words take part in expansion (rare words have unreliable vectors)."""
    max_expansion: int = 256
    """Expansion terms kept per note (the strongest), bounding index size on large vaults."""
    title_self: float = 12.0
    """Weight of a note's own title dimension, relative to one mention of another note's title."""
    w_lex: float = 1.0
    """Weight of the lexical part (TF-IDF words + CBOW expansion)."""
    w_title: float = 2.0
    """Weight of the title part (the note's own title, and titles/aliases of notes it mentions)."""
    w_cbow: float = 0.3
    """Weight of the dense part (TF-IDF-weighted mean of CBOW vectors)."""
    w_reference: float = 0.3
    """How much a note naming another by its whole file name raises that pair's related-note score, from
    cosine s to s + w * r * (1 - s), r in [0, 1] by how rare the name is (notelink/index/references.py)."""
    reference_chance: bool = True
    """Lower a file name's reference weight by the share of its occurrences that its words would give by
    chance (notelink/index/references.py): in a generated wiki of short notes, two-word names of common
    words (`pifafe pifafe`) were in 100-531 related lists of 10,000 each, with 3-8 links (benchmarks/
    hubness.py). Applied when related notes are ranked, to any index."""
    evidence_tokens: float = 5.0
    """A note with fewer words than this (after stop words and boilerplate) has its word parts scaled by
    words / evidence_tokens, its own title dimension taking the rest: one or two words are too thin a
    profile to compare, and unscaled they made near-empty notes everyone's neighbour (generated wiki, link
    text removed: empty notes in 90-155 related lists of 10,000, none after). 0 turns it off."""
    w_language: float = 0.2
    """In a vault written in several languages (each note's detected from its stop words, see
    notelink/stopwords.py), weight of the note's language next to its unit vector: notes in one language
    gain w^2 / (1 + w^2) = 0.038 of cosine. Whole obsidian-help vault (30+ languages, links within a
    language), recall@10 at 0 / 0.1 / 0.2 / 0.3 / 0.5: 0.679 / 0.686 / 0.699 / 0.699 / 0.701 (shared names
    resolved in the mentioning note's language); the smallest weight that gets there. Unused when one
    language has `one_language_share` of the notes."""
    one_language_share: float = 0.95
    """Share of notes in its main language from which a vault counts as written in one language."""
    boilerplate_share: float = 0.05
    """A paragraph repeated verbatim in this share of notes (and at least 3) is boilerplate: ignored.
    (0.01 measured 0.793 recall@10, 0.05 measured 0.812 on the dev vault: real notes repeat some prose.)"""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


DIALECTS = ("auto", "obsidian", "dendron", "logseq", "foam", "zk", "markdown")
"""The notes apps whose link syntax notelink reads (`notelink/notes/dialect.py`); `auto` detects it."""


@dataclass(frozen=True)
class DialectConfig:
    """How a vault's links are written and resolved: which app wrote it, and that app's settings that
    change what a link names. A build resolves `auto` to one of DIALECTS (markers such as `dendron.yml`,
    `logseq/config.edn`, `.zk`, `.foam`, else the links themselves) and saves it with the index."""

    name: str = "auto"
    """`auto`, or one of DIALECTS (`--dialect`, config `[index] dialect`)."""
    journal_title: str = ""
    """Logseq: how journal pages are titled (`:journal/page-title-format`, default `MMM do, yyyy`)."""
    legacy_names: bool = False
    """Logseq: file names in the `:legacy` format, where `.` in a file name stands for `/` in a page name."""

    def __post_init__(self) -> None:
        if self.name not in DIALECTS:
            raise ValueError(f"--dialect must be one of {', '.join(DIALECTS)}, not {self.name!r}")


@dataclass(frozen=True)
class IndexConfig:
    """What the indexer reads and how it tokenizes."""

    keep_stopwords: bool = False
    """Keep stop words in the training text (`--keep-stopwords`); by default each note loses those of its
    language (notelink/stopwords.py)."""
    max_file_bytes: int = 5_000_000
    """Notes larger than this are skipped with a reason (`--max-file-mb`)."""
    exclude: tuple[str, ...] | None = None
    """Paths to leave out, in gitignore syntax (`--exclude`, config `[index] exclude`), besides dot-folders
    and the vault's `.gitignore` and `.notelinkignore` files. None: the list saved with the index by the
    build before (so `notelink index --exclude X` once is kept by later builds, the watcher and the app)."""
    dialect: DialectConfig = field(default_factory=DialectConfig)
    """The vault's link dialect (`--dialect`); `auto` is resolved by each build."""
    keep_dialect: bool = True
    """With dialect `auto`: a dialect named for the index's last build (`--dialect zk` once) is kept by later
    builds, the watcher and the app; False (`--dialect auto`) detects it again. Not saved with the index."""

    @property
    def patterns(self) -> tuple[str, ...]:
        """The exclude patterns, none when unset."""
        return self.exclude or ()

    def to_dict(self) -> dict[str, Any]:
        """What the index is built with (saved with it): all but `keep_dialect`, how it was chosen."""
        return {k: v for k, v in asdict(self).items() if k != "keep_dialect"}


@dataclass(frozen=True)
class ExportConfig:
    """Which related notes an export lists (`notelink export`); the same choice for every format."""

    top: int = 10
    """Related notes per note (`--top`)."""
    min_score: float | None = None
    """Leave out related notes whose cosine similarity is below this (`--min-score`); None keeps all."""
    unlinked: bool = False
    """Only related notes not linked yet in either direction: the missing links (`--unlinked`)."""
    link_style: str = "auto"
    """How the Markdown export and the block write links (`--link-style`): `wiki`, `markdown`, or `auto`,
    the vault's own style (its dialect; Markdown links when most of its links are)."""
    exclude: tuple[str, ...] = ()
    """Notes to leave out of this export, as sources and as related notes (`--exclude`, gitignore syntax),
    besides those the index already leaves out."""


@dataclass(frozen=True)
class RelatedConfig:
    """How a related note's score is read: strong, or a long shot. Every face shows it (`[weak]`, `"weak":
    true`, a dim row in the app, a column in exports); no note is left out for it (`--min-score` does)."""

    weak_below: float = 0.05
    """A related note scoring below this is weak. On both dev vaults, live and with links hidden
    (benchmarks/weak_related.py, RESULTS.md session 21), 1-4% of the notes listed below 0.05 were linked
    by the author (10% in obsidian-help with link text removed) against 7-43% of those at or above; every
    band below it stays near or under 1 in 10, the band above it does not. The score alone told linked
    from not better than its share of the note's best score (ROC AUC 0.71-0.89 against 0.65-0.89). The
    config file's `[query] weak_below` sets it (0 marks none)."""

    def __post_init__(self) -> None:
        if not 0 <= self.weak_below < 1:  # (NaN too)
            raise ValueError(f"weak_below must be at least 0 and below 1, not {self.weak_below}")

    def is_weak(self, score: float) -> bool:
        """Whether a score, as shown (to 4 places), is below `weak_below`."""
        return round(score, 4) < self.weak_below


@dataclass(frozen=True)
class SearchConfig:
    """How `notelink search` scores a note for a query (notelink/query/scoring.py): one sum of parts,

        score = (lex + w_anchor * anchor + w_title * title + w_dense * dense + w_title_fit * title_fit)
                * cover^coverage * (1 + w_language)

    dense and title_fit only for notes that share a word with the query (expanded), the coverage only for a
    typed query (not a draft), the language factor only in a vault of several languages for notes in the
    query's language. The CBOW parts are the expansion
    (`expand_beta`, `predict_beta`), `dense` and `title_fit`; with all four at 0 the search is lexical (the
    ablation in benchmarks/RESULTS.md, session 8). Weights measured on obsidian-help (en and all languages)
    and dendron-site link-suggestion queries, held-out folds; not tuned per vault."""

    expand_beta: float = 0.3
    """Weight of the query words' CBOW neighbours next to the words themselves."""
    expand_k: int = 5
    """Neighbours of each query word (cosine of input vectors less their mean; among the
    `NoteVectorConfig.expand_vocab` most frequent words, and in a vault of several languages among the words
    used in the query word's language, as `similar`'s: `query/languages.py`)."""
    predict_beta: float = 0.2
    """Weight of the words the query as a whole predicts as CBOW's context (by lift over an average
    context; `query/expansion.py`), next to the words themselves: from a query of `MIN_CONTEXT` reliable
    words or more, and only ranking the notes the query's own words reach. Link suggestion recall@10,
    seeds 1-3, plain / held-out, against none (the same indexes): dendron-site +0.015 / +0.040, `de` +0.006
    / -0.003, `it` +0.001 / -0.002, `en` -0.004 / 0.000 (RESULTS.md, session 19)."""
    predict_k: int = 10
    """Predicted words brought in: those with the largest positive lift, among the words seen
    `RELIABLE_COUNT` times or more (in a vault of several languages, and used in the query's language: the
    one its stop words show, else the one its words are most used in; with neighbours kept in their word's
    language too, link suggestion on the whole obsidian-help vault, seed 1: recall@10 0.673 -> 0.678,
    held-out 0.565 -> 0.575; `en` unchanged; RESULTS.md, session 20)."""
    w_anchor: float = 0.5
    """Weight of the words other notes write around their mentions of a note (anchor text)."""
    rare_notes: int = 3
    """A query word that at most this many notes hold counts as anchor text (`w_anchor`) in a note only up
    to the word's best value in the notes that have it: a note only named near a rare word ranks below the
    note with the word (a user's `quokka`). Link suggestion recall@10, seeds 1-3, plain / held-out, against
    no cap: `en` -0.001 / 0.000, `de` -0.001 / -0.001, `it` -0.001 / 0.000, dendron-site -0.002 / 0.000; the
    cap for every word: `it` -0.007 plain, `en` -0.003 (RESULTS.md, session 18). 0 turns it off."""
    w_title: float = 0.2
    """Weight of the query's cosine with the note's title and aliases (idf-weighted words): what a short
    query names first. Costs the link-suggestion benchmark (drafts, the link's own words removed) 0.005
    recall@10 and 0.01-0.02 MRR at 0.2; 0 ranked `Mulch` above `Compost` for the query `compost`."""
    w_dense: float = 0.1
    """Weight of the cosine of TF-IDF-weighted means of CBOW output vectors (query and note). 0.1 since the
    trainer was made robust (issue 17): against 0.2, link suggestion recall@10 +0.007 to +0.016 on
    obsidian-help `en` (3 seeds), +0.005 `it`, level `de` (+0.007 held-out), +0.007 to +0.014 dendron-site,
    level on the whole multilingual vault (-0.001); RESULTS.md, session 11."""
    w_title_fit: float = 0.2
    """Weight of how much better CBOW predicts the note's title words from the query as their context than
    from an average context: the mean over the title's words of sigmoid(h . u_w) - sigmoid(h0 . u_w), h the
    mean input vector of the query's words, h0 the vocabulary's. Against sigmoid(h . u_w) alone at 0.1, link
    suggestion recall@10 plain / held-out (3 seeds): obsidian-help `en` +0.011 / +0.004, dendron-site +0.013 /
    +0.015, `de` +0.005 / -0.003, `it` -0.002 / -0.007 (RESULTS.md, session 14). Only for a query of
    `expansion.MIN_CONTEXT` reliable words or more (a word or two name what they want), and not in a vault
    of several languages, where it cost 0.05 recall@10 (RESULTS.md, session 20)."""
    coverage: float = 3.0
    """Exponent of the share of a query a note holds, which multiplies its score: the query's own words'
    squared TF-IDF weights summed over those in the note's text, anchor text or title (1 for all of them;
    `search.Searcher._coverage`). A long note with every word asked for ranks above short notes with one of
    them (its unit TF-IDF row gives each word little). Typed queries only, not drafts: on link suggestion
    (drafts) it cost held-out recall@10 0.02-0.12 (dendron-site 0.458 -> 0.338). Known-item queries (3
    words only one note holds together, 124-150 a vault, seeds 1-3), MRR against 0: `en` 0.626 -> 0.886,
    dendron-site 0.647 -> 0.841, `de` 0.668 -> 0.919, `it` 0.642 -> 0.910; 2 gave 0.872 / 0.848 / 0.922 /
    0.897 and left a user's `flour water salt yeast` book note below a note with two of the words
    (RESULTS.md, session 21). 0 turns it off."""
    coverage_neighbour: float = 0.25
    """A query word a note holds only through a CBOW neighbour the word brought in (`kubernetes` for
    `k8s`) counts this much of its share (0.5: the MRR above 0.001-0.008 lower on each vault)."""
    w_forms: float = 0.5
    """Weight of a query word's other forms in the vault (its plural or singular, other inflections:
    `query/forms.py`) next to the word itself, `tomatoes ← tomato` in `because`; a note with a form covers
    the word as one with the word does (`coverage`). 0 turns them off. Known-item queries (a title word in
    the other number, alone or with the title's next word; `benchmarks/word_forms.py`, seeds 1-3) MRR
    without -> with: sample 0.43 -> 0.98, `en` 0.38 -> 0.86, dendron-site 0.23 -> 0.80 (where the vault
    has the changed word too: 0.79 -> 0.96, 0.55 -> 0.77, 0.24 -> 0.62; 0.7 gave 0.01-0.02 more). Link
    suggestion (drafts), mean of seeds 1-3, recall@10 / MRR / held-out recall@10 / held-out MRR: `en`
    0.824 0.417 0.711 0.348 -> 0.820 0.419 0.717 0.351, dendron-site 0.503 0.236 0.455 0.205 -> 0.507
    0.238 0.463 0.212; at 0.7 `en` recall@10 lost 0.009 (0.007-0.011 a seed; the seeds' spread 0.008)."""
    w_language: float = 0.2
    """In a vault of several languages, the boost of notes in the query's language (when the query shows
    it: at least two of that language's stop words)."""
    top: int = 10
    """Notes returned (`--top`)."""
    completions: int = 3
    """With `prefix` (search as you type), a last word in no note stands for at most this many of the vault's
    words it starts (the most used first): `dou` searches `dough` before the word is typed out."""
    min_prefix: int = 2
    """Letters a last word needs before it is completed."""


@dataclass(frozen=True)
class IncrementalConfig:
    """How an index update continues from the live vectors instead of training from scratch.

    Known words keep their rows, new words start like in a fresh model (small uniform input vector, zero
    output vector), removed words are dropped; then a few passes over the changed notes absorb the change."""

    epochs: int = 5
    """Passes over the changed notes (and the replayed sample of unchanged ones)."""
    lr: float = 0.025
    """Starting learning rate of an update, decayed linearly to `TrainConfig.min_lr` (half the full
    default: the vectors are already trained)."""
    replay_tokens: int = 5_000
    """Words of unchanged notes, picked at random, trained alongside the changed ones, so that shared
    words are not pulled towards the few edited notes."""
    full_fraction: float = 0.25
    """Retrain from scratch when more than this fraction of the training words, or of the vocabulary,
    is new."""
    max_chain: int = 200
    """After this many updates in a row without a full retrain, the next change retrains from scratch."""
    moved_cosine: float = 0.99
    """A word whose (input) vector's cosine to its vector before the update is below this gets its CBOW
    neighbours searched again; the others keep theirs (cosines refreshed), which makes an update's note
    vectors fast. The next full retrain searches every word again. (An edit moves ~700 of 30,000 words
    below 0.99 on obsidian-help, ~2,700 below 0.999.)"""
    trust_stat: bool = True
    """A note whose size and modification time match the live generation's record is not read again. The
    watcher turns this off for its periodic and startup reconciles, which hash every note."""


@dataclass(frozen=True)
class WatchConfig:
    """The background watcher (`notelink watch`, and the TUI in-process): batching and resilience."""

    quiet_ms: int = 300
    """A batch of changes is handed on after this long without a new event (`--quiet-ms`)."""
    max_wait_ms: int = 2000
    """...or this long after its first event, whichever comes first, as watchfiles does (`--max-wait-ms`)."""
    settle_ms: int = 1500
    """A note seen empty or missing is held back this long for the save to finish, so that an editor's
    intermediate state (truncate, then write) is never indexed as the note."""
    rescan_s: float = 10.0
    """Interval of the stat rescan used instead of OS events when those fail (watch limit, overflow)."""
    reconcile_s: float = 600.0
    """A hash-based reconcile of the whole vault runs this often, to catch anything missed."""
    retry_s: float = 30.0
    """After an indexing error, the vault is reconciled again this soon."""
    exclude: tuple[str, ...] = ()
    """More paths to ignore (gitignore syntax, vault-relative), added to `IndexConfig.exclude`; the CLI
    gives `--exclude` to `IndexConfig`, which saves it with the index."""
    incremental: IncrementalConfig = field(default_factory=IncrementalConfig)
    """Incremental retraining and when to fall back to a full retrain."""
    isolate: bool = True
    """Run each build in a child process forked from a warm server (`notelink/builder.py`): the watcher's
    memory stays flat over any number of builds and it never imports torch. False (and Windows, which has
    no fork server) builds in-process."""

    def __post_init__(self) -> None:
        """Refuses timings the debouncer cannot use, with the flag to fix."""
        if self.quiet_ms < 0:
            raise ValueError(f"--quiet-ms must be 0 or more, not {self.quiet_ms}")
        if self.max_wait_ms < max(1, self.quiet_ms):
            raise ValueError(f"--max-wait-ms must be at least --quiet-ms ({self.quiet_ms}) and above 0, "
                             f"not {self.max_wait_ms}")

    @property
    def quiet(self) -> float:
        return self.quiet_ms / 1000

    @property
    def max_wait(self) -> float:
        return self.max_wait_ms / 1000

    @property
    def settle(self) -> float:
        return self.settle_ms / 1000


@dataclass(frozen=True)
class TuiConfig:
    """What `notelink tui` was asked to open (flags map onto these fields)."""

    vault: Path
    """The folder of notes (`VAULT`, default: the current directory)."""
    index_dir: Path | None = None
    """Where the index lives (`--index-dir`); None: the vault's default index folder."""
    watch: bool = True
    """Watch the vault and refresh when notes change (`--no-watch` turns it off)."""
    top: int = 12
    """Related notes and concepts shown per note."""
    train: TrainConfig = field(default_factory=TrainConfig)
    """Training settings used when the app (re)builds the index."""
    index: IndexConfig = field(default_factory=IndexConfig)
    theme: str = ""
    """The theme to open in (config `[tui] theme`: `dark`, `light` or a Textual theme's name); "": the one
    chosen last with `t`."""
    related: RelatedConfig = field(default_factory=RelatedConfig)
    """Which related notes are shown dim, weak (config `[query] weak_below`)."""

    def resolved_index_dir(self) -> Path:
        return self.index_dir if self.index_dir is not None else default_index_dir(self.vault)

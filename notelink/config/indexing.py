"""How a vault is read and indexed: which app wrote it (`DialectConfig`), what is read and tokenized
(`IndexConfig`), and how one vector per note is assembled (`NoteVectorConfig`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class NoteVectorConfig:
    """How one vector per note is assembled (notelink/index/notevectors.py); measured in
    benchmarks/RESULTS.md."""

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
    notelink/notes/stopwords.py), weight of the note's language next to its unit vector: notes in one language
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


MAX_FILE_BYTES = 5_000_000
"""Notes larger than this are skipped unless `--max-file-mb` says otherwise."""


@dataclass(frozen=True)
class IndexConfig:
    """What the indexer reads and how it tokenizes."""

    keep_stopwords: bool | None = None
    """Keep stop words in the training text (`--keep-stopwords`); by default each note loses those of its
    language (notelink/notes/stopwords.py). None: as the index's last build did (so `--keep-stopwords` once
    is kept by later builds, the watcher and the app; settled by the build, `index.previous.settled`)."""
    max_file_bytes: int | None = None
    """Notes larger than this are skipped with a reason (`--max-file-mb`). None: the index's last build's
    cap, else `MAX_FILE_BYTES` (settled by the build, as `keep_stopwords`)."""
    exclude: tuple[str, ...] | None = None
    """Paths to leave out, in gitignore syntax (`--exclude`, config `[index] exclude`), besides dot-folders
    and the vault's `.gitignore` and `.notelinkignore` files. None: the list saved with the index by the
    build before (so `notelink index --exclude X` once is kept by later builds, the watcher and the app)."""
    dialect: DialectConfig = field(default_factory=DialectConfig)
    """The vault's link dialect (`--dialect`); `auto`: the app's marker files, else the dialect the index was
    built in, detected from the links by its first build (or `--force`) and kept (`index/dialect.py`)."""
    keep_dialect: bool = True
    """With dialect `auto`: a dialect named for the index's last build (`--dialect zk` once) is kept by later
    builds, the watcher and the app; False (`--dialect auto`) detects it again. Not saved with the index."""

    @property
    def keeps_stopwords(self) -> bool:
        """Whether stop words stay in the training text (unset: no)."""
        return bool(self.keep_stopwords)

    @property
    def size_cap(self) -> int:
        """The size over which a note is skipped (unset: `MAX_FILE_BYTES`)."""
        return MAX_FILE_BYTES if self.max_file_bytes is None else self.max_file_bytes

    @property
    def patterns(self) -> tuple[str, ...]:
        """The exclude patterns, none when unset."""
        return self.exclude or ()

    def to_dict(self) -> dict[str, Any]:
        """What the index is built with (saved with it): all but `keep_dialect`, how it was chosen."""
        return {k: v for k, v in asdict(self).items() if k != "keep_dialect"}

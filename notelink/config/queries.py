"""How questions are answered: related notes (`RelatedConfig`), concepts (`ConceptsConfig`), search
(`SearchConfig`), and which related notes an export lists (`ExportConfig`)."""

from __future__ import annotations

from dataclasses import dataclass


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
class ConceptsConfig:
    """How a note's concepts are ranked (`notelink concepts`, the app's concepts panel, exports, the MCP
    tool): of the `candidates` words weighing most in the note's vector, by weight * burstiness^`burstiness`,
    a word's burstiness being its occurrences in the vault over the notes holding it. A subject is repeated
    within the few notes about it (`recording` 2.5 uses a note); filler is written once here and once there
    (`written` 1.17), however often: by weight alone, a hub note's link text lost to its filler."""

    burstiness: float = 0.5
    """The power of burstiness in the ranking; 0 ranks by weight alone (as before session 23). On a judged
    set (benchmarks/concepts_judged.py, RESULTS.md session 23: 60 notes, their words graded 0-2 before any
    scoring), nDCG@10 by weight alone -> 0.5: obsidian-help `en` 0.727 -> 0.820, dendron-site 0.595 ->
    0.667, hub notes and others alike; on the 20 of them held out from the choice of power (0.25, 0.5,
    0.75, 1 tried on the other 40) 0.787 -> 0.886 and 0.619 -> 0.674. Power 1 lifted words common
    everywhere (`note`, `file`, `vault`) and lost on `en`'s other notes."""
    candidates: int = 60
    """How many of the note's heaviest words are ranked by burstiness (at least the number asked for)."""
    rare_below: int = 3
    """A concept seen fewer times than this in the vault is marked rare (`Concept.rare`, `[rare]`): seen
    once or twice, it topped the concepts of 4% of dendron-site's notes (`hikchoi`, `thx`, `selvitelle`),
    and of such concepts in the judged set 10 of 16 were filler (grade 0) against 32% of those seen 10
    times or more; those seen 3-9 times, 36%, are not marked (`similar`'s `RELIABLE_COUNT`, 10, would
    have marked most concepts of a small vault). Ranking rare words lower (weight x (count / 10)^a, a 0.25
    to 1) lost 0.018-0.031 of dendron-site's judged nDCG@10, so they are marked, not moved."""

    def __post_init__(self) -> None:
        if not 0 <= self.burstiness <= 4:  # (NaN too)
            raise ValueError(f"burstiness must be between 0 and 4, not {self.burstiness}")
        if self.candidates < 1:
            raise ValueError(f"candidates must be at least 1, not {self.candidates}")
        if self.rare_below < 0:
            raise ValueError(f"rare_below must be at least 0, not {self.rare_below}")


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
    """Weight of the query words' CBOW neighbours next to the words themselves; a typed query's only, not a
    draft's (`--stdin`, `--batch`: its words are its context, and their neighbours cost link suggestion
    recall@10 on every vault, `en` 0.009; RESULTS.md, session 25)."""
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
    of several languages, where it cost 0.05 recall@10 (RESULTS.md, session 20). The query's own words and
    their forms count 0 in the mean (a context predicts its own words: that was the title field again):
    against them in it, recall@10 plain / held-out (seeds 1-3) `en` +0.011 / +0.005, dendron-site +0.020 /
    +0.002, `de` +0.008 / +0.005, `it` +0.008 / +0.010 (RESULTS.md, session 24)."""
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

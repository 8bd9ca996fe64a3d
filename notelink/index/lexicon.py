"""One pass from the notes' tokens to word ids: the vocabulary, the training corpus and the search ids.

A build looked every token up three times (counting the vocabulary, encoding the training corpus, giving
search ids: 4.4 s of a 20 s update on a 10k-note vault, 5.3M tokens). Here each token is looked up once,
in a dict that numbers every distinct word by the corpus position where it first appears (in C:
`dict.setdefault` with a running count); the rest is array work. The results are exactly those of
`Vocab.build` over the notes' tokens without boilerplate, `Vocab.encode` of them, and
`searchdata.search_ids` over all their tokens (tests/index/test_lexicon.py).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from notelink.model.vocab import Vocab
from notelink.notes.boilerplate import Paragraph
from notelink.notes.records import NoteRecord


@dataclass
class Encoded:
    """The vocabulary and each note's ids, training and search."""

    vocab: Vocab
    ids: np.ndarray  # [N_train] int32: training ids of all notes end to end (boilerplate and rare words out)
    docs: list[np.ndarray]  # each note's training ids [n], views of `ids`
    search: list[np.ndarray]  # each note's search ids [n] int32, every token: vocabulary ids, then extras
    extra: list[str]  # the words with search ids V, V+1, ... in order of first appearance
    words: list[str]  # every distinct word, in order of first appearance
    lex: np.ndarray  # [T] int32 every token as its number in `words` (saved: `tokenstore`)

    @property
    def owner(self) -> np.ndarray:
        """[N_train] int32 the note of each training id."""
        lengths = np.array([d.size for d in self.docs], dtype=np.int64)
        return np.repeat(np.arange(len(self.docs), dtype=np.int32), lengths)

    def notes_with(self, names: Iterable[Sequence[str]], more: Sequence[Sequence[Sequence[str]]] = ()
                   ) -> set[int]:
        """The notes whose tokens, or `more` of theirs (more[i]: note i's other token runs, URLs...), have
        every word of one of `names`: those where a name may be found, without reading the others'
        tokens (an update counts mentions again in these only: `update.mentions_reuse`)."""
        phrases = {tuple(n) for n in names if n}
        wanted = {t for n in phrases for t in n}
        if not wanted:
            return set()
        having = self._notes_having(wanted)
        for i, runs in enumerate(more):
            for run in runs:
                for t in wanted.intersection(run):
                    having.setdefault(t, set()).add(i)
        found: set[int] = set()
        for n in phrases:
            found |= set.intersection(*(having.get(t, set()) for t in n))
        return found

    def _notes_having(self, words: set[str]) -> dict[str, set[int]]:
        """Each of `words` that the notes' tokens have -> the notes that have it (a pass over `lex`)."""
        number = dict(zip(self.words, range(len(self.words)), strict=True))
        ids = np.array([number[w] for w in words if w in number], dtype=np.int64)
        where = np.flatnonzero(np.isin(self.lex, ids))  # [h] the positions of those words
        ends = np.cumsum([s.size for s in self.search], dtype=np.int64)  # [N] where each note's tokens end
        n = max(len(self.search), 1)
        pairs = np.unique(self.lex[where].astype(np.int64) * n + np.searchsorted(ends, where, side="right"))
        word, note = np.divmod(pairs, n)  # sorted by word
        cuts = np.flatnonzero(np.diff(word)) + 1
        return {self.words[int(w[0])]: set(part.tolist())
                for w, part in zip(np.split(word, cuts), np.split(note, cuts), strict=True) if w.size}


def encode_notes(records: Sequence[NoteRecord], boiler: set[Paragraph], min_count: int) -> Encoded:
    """The vocabulary of the notes' tokens outside `boiler` paragraphs (words seen at least `min_count`
    times, by descending count then word), their training ids, and every token's search id."""
    first, sizes, parts = _first_positions(records, boiler)
    words, at = list(first), np.fromiter(first.values(), dtype=np.int64, count=len(first))  # [L]
    rank = np.zeros(int(at[-1]) + 1 if at.size else 0, dtype=np.int32)  # position -> word number
    rank[at] = np.arange(at.size)
    lex = rank[np.concatenate([ids for ids, _ in parts])] if parts else np.zeros(0, np.int32)  # [T]
    mask = np.concatenate([m for _, m in parts]) if parts else np.zeros(0, bool)  # [T] outside boilerplate
    vocab, to_vocab = _vocab(words, np.bincount(lex[mask], minlength=len(words)), min_count)
    return _encoded(vocab, to_vocab, lex, mask, sizes, words)


def _first_positions(records: Sequence[NoteRecord], boiler: set[Paragraph]
                     ) -> tuple[dict[str, int], list[int], list[tuple[np.ndarray, np.ndarray]]]:
    """(word -> corpus position of its first appearance, tokens per note, per note: (each token's first
    position [n], whether it is outside a boilerplate paragraph [n]))."""
    first: dict[str, int] = {}
    position = itertools.count()  # advanced by every token: a new word gets the position it appears at
    out, sizes = [], []
    for r in records:
        n = r.n_tokens
        ids = np.fromiter(map(first.setdefault, itertools.chain.from_iterable(r.paragraphs), position),
                          dtype=np.int64, count=n)
        out.append((ids, _outside(r.paragraphs, boiler, n)))
        sizes.append(n)
    return first, sizes, out


def _outside(paragraphs: Sequence[Sequence[str]], boiler: set[Paragraph], n: int) -> np.ndarray:
    """[n] True for the tokens of paragraphs that are not boilerplate (as `without_boilerplate`)."""
    if not boiler:
        return np.ones(n, dtype=bool)
    keep = [tuple(p) not in boiler for p in paragraphs]
    return np.repeat(np.array(keep, dtype=bool), [len(p) for p in paragraphs]) if paragraphs else \
        np.ones(0, dtype=bool)


def _vocab(words: list[str], counts: np.ndarray, min_count: int) -> tuple[Vocab, np.ndarray]:
    """The vocabulary as `Vocab.build` sorts it, and [L] each word's vocabulary id or -1."""
    keep = np.flatnonzero((counts >= min_count) & (counts > 0)).tolist()
    order = [i for _, _, i in sorted(zip((-counts[keep]).tolist(), [words[i] for i in keep], keep,
                                         strict=True))]  # (the words are distinct: no ties left)
    to_vocab = np.full(len(words), -1, dtype=np.int64)
    to_vocab[order] = np.arange(len(order))
    return Vocab([words[i] for i in order], counts[order].astype(np.int64)), to_vocab


def _encoded(vocab: Vocab, to_vocab: np.ndarray, lex: np.ndarray, mask: np.ndarray, sizes: list[int],
             words: list[str]) -> Encoded:
    """Training ids (vocabulary words outside boilerplate) and search ids (extras after the vocabulary,
    in order of first appearance, as `search_ids` numbers them) of every token `lex` [T]."""
    owner = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)  # [T]
    trained = to_vocab[lex]  # [T]
    use = mask & (trained >= 0)
    ids = trained[use].astype(np.int32)
    docs = np.split(ids, np.cumsum(np.bincount(owner[use], minlength=len(sizes)))[:-1]) if sizes else []
    extras = np.flatnonzero(to_vocab < 0)  # [E] in order of first appearance
    to_search = to_vocab.copy()
    to_search[extras] = len(vocab) + np.arange(extras.size)
    flat = to_search[lex].astype(np.int32)
    search = np.split(flat, np.cumsum(sizes)[:-1]) if sizes else []
    return Encoded(vocab, ids, docs, search, [words[i] for i in extras.tolist()], words, lex)

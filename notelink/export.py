"""Exporting an index: every note's related notes as JSON, word vectors in word2vec text format."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import numpy as np

from notelink.index import Index, _top
from notelink.store import load_array

_BLOCK = 256


def related_all(index: Index, top: int) -> Iterator[tuple[int, list[tuple[int, float]]]]:
    """(note id, [(other id, score)...]) for every note, best first, computed in blocks of notes."""
    vecs = index.note_vecs  # [N, V+N+D] sparse unit rows
    for start in range(0, len(index.notes), _BLOCK):
        block = (vecs[start : start + _BLOCK] @ vecs.T).toarray()  # [b, N]
        for r, scores in enumerate(block):
            i = start + r
            scores[i] = -np.inf
            yield i, [(j, float(scores[j])) for j in _top(scores, top)]


def export_json(index: Index, top: int = 10, concepts: int = 10) -> dict[str, Any]:
    """The foundation's export schema; deterministic for a given index ("generated" is its build time)."""
    notes = []
    for i, hits in related_all(index, top):
        note = index.notes[i]
        links = index.linked(i)
        notes.append({
            "path": note.path,
            "title": note.title,
            "related": [{"path": index.notes[j].path, "score": round(s, 4), "linked": j in links}
                        for j, s in hits],
            "concepts": [{"word": c.word, "score": c.score} for c in index.concepts(note, concepts)],
        })
    return {"vault": index.meta.get("vault"), "generated": index.meta.get("trained_at"),
            "model": index.model_info(), "notes": notes}


def export_word2vec(index: Index, out: IO[str]) -> int:
    """Writes the input word vectors in word2vec text format (gensim's load_word2vec_format reads it)."""
    syn0 = np.asarray(load_array(index.gen, "syn0"))
    out.write(f"{syn0.shape[0]} {syn0.shape[1]}\n")
    for word, vec in zip(index.words, syn0, strict=True):
        out.write(word + " " + " ".join(f"{x:.6g}" for x in vec) + "\n")
    return int(syn0.shape[0])

"""Exporting an index: related notes as JSON, CSV, GraphML or a Markdown index note; word vectors in
word2vec text format. Every export is deterministic: the same index gives the same bytes."""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np

from notelink.config import ExportConfig
from notelink.index.arrays import load_array
from notelink.notes.links import dialect_of, link_style, note_link
from notelink.query.index import Index
from notelink.query.ranking import related_all

_GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def vault_link_style(index: Index, requested: str = "auto") -> str:
    """The link style to write into this vault (`links.link_style`): from its dialect and its own links."""
    kinds = dict(index.db.execute("SELECT kind, COUNT(*) FROM links GROUP BY kind").fetchall())
    bare, whole = index.db.execute(  # the vault's own Markdown links to notes: without `.md`, with it
        "SELECT COALESCE(SUM(lower(target) NOT LIKE '%.md'), 0), COALESCE(SUM(lower(target) LIKE '%.md'), 0) "
        "FROM links WHERE kind = 'markdown' AND dst IS NOT NULL").fetchone()
    return link_style(requested, dialect_of(index.meta).name, kinds.get("wiki", 0), kinds.get("markdown", 0),
                      drops_extension=bare > whole)


@dataclass(frozen=True)
class Edge:
    """One suggestion: `target` is related to `source` with cosine `score`, `rank` 1 being the best; `weak`:
    a long shot (`RelatedConfig.weak_below`)."""

    source: int
    target: int
    score: float
    rank: int
    linked: bool
    weak: bool


def edges(index: Index, cfg: ExportConfig) -> list[Edge]:
    """Every note's related notes as edges; by note, best first; with `unlinked`, all best first."""
    out = [Edge(i, j, round(s, 4), rank, j in index.linked(i), index.is_weak(i, j, s))
           for i, hits in related_all(index, cfg.top, cfg.unlinked, cfg.min_score, cfg.exclude)
           for rank, (j, s) in enumerate(hits, 1)]
    if cfg.unlinked:
        out.sort(key=lambda e: (-e.score, index.notes[e.source].path, index.notes[e.target].path))
    return out


def export_json(index: Index, top: int = 10, concepts: int = 10, unlinked: bool = False,
                min_score: float | None = None, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """The foundation's export schema; deterministic for a given index ("generated" is its build time)."""
    notes = []
    for i, hits in related_all(index, top, unlinked, min_score, exclude):
        note = index.notes[i]
        links = index.linked(i)
        notes.append({
            "path": note.path,
            "title": note.title,
            "related": [{"path": index.notes[j].path, "score": round(s, 4), "linked": j in links,
                         "weak": index.is_weak(i, j, s)} for j, s in hits],
            "concepts": [{"word": c.word, "score": c.score} for c in index.concepts(note, concepts)],
        })
    return {"vault": index.meta.get("vault"), "generated": index.meta.get("trained_at"),
            "model": index.model_info(), "notes": notes}


def export_csv(index: Index, out: IO[str], cfg: ExportConfig) -> tuple[int, int]:
    """`source,target,score,rank,linked,weak` rows of note paths, RFC 4180 (CRLF, quotes where needed), a
    path a spreadsheet would run as a formula written as text (`csv_text`); (notes listed as a source, rows)
    written."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["source", "target", "score", "rank", "linked", "weak"])
    rows = edges(index, cfg)
    for e in rows:
        writer.writerow([csv_text(index.notes[e.source].path), csv_text(index.notes[e.target].path),
                         f"{e.score:.4f}", e.rank, _bool(e.linked), _bool(e.weak)])
    return len({e.source for e in rows}), len(rows)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet takes a cell starting with for a formula (OWASP's CSV injection list)."""


def csv_text(text: str) -> str:
    """A CSV cell of text from the user's files (a note's path) that a spreadsheet shows as text: one
    starting with `FORMULA_STARTS` (`=HYPERLINK(...).md`, `-x.md`) gets a `'` in front, as OWASP advises, so
    opening the export cannot run it."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def inside_vault(path: Path, vault: Path, fmt: str) -> str | None:
    """Why a Markdown export saved at `path` needs a word (it becomes a note of `vault`, its links counted
    as the user's own), or None: what `notelink export` and the app both say."""
    if fmt == "markdown" and path.expanduser().resolve().is_relative_to(vault.resolve()):
        return ("is inside the vault, so it will be indexed as a note and its links counted as yours; keep "
                "it outside the vault")
    return None


def _xml_text(text: str) -> str:
    """Text XML 1.0 can hold: a control character or lone surrogate, which it cannot, is written as its
    escape (`\\x01`, `\\udc80`), as `notelink` shows such names elsewhere, so that the path still says which
    file it is (dropped, `a\\x01b.md` would read as `ab.md`, another file)."""
    return _XML_BAD.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode(), text)


def _graphml_root() -> ET.Element:
    root = ET.Element("graphml", {"xmlns": _GRAPHML_NS, "xmlns:xsi": _XSI, "xsi:schemaLocation":
                                  f"{_GRAPHML_NS} {_GRAPHML_NS}/1.0/graphml.xsd"})
    for key, kind, typ in (("label", "node", "string"), ("title", "node", "string"),
                           ("path", "node", "string"), ("tags", "node", "string"),
                           ("weight", "edge", "double"), ("rank", "edge", "int"),
                           ("linked", "edge", "boolean"), ("weak", "edge", "boolean")):
        ET.SubElement(root, "key", {"id": key, "for": kind, "attr.name": key, "attr.type": typ})
    return root


def _data(parent: ET.Element, key: str, value: str) -> None:
    ET.SubElement(parent, "data", {"key": key}).text = _xml_text(value)


def export_graphml(index: Index, out: IO[str], cfg: ExportConfig) -> int:
    """A directed graph: one node per note (label, title, path, tags), one edge per related note with its
    cosine as `weight`. Standard GraphML keys, read by Gephi, networkx, yEd, Cytoscape."""
    root = _graphml_root()
    graph = ET.SubElement(root, "graph", {"id": "notelink", "edgedefault": "directed"})
    for note in index.notes:
        node = ET.SubElement(graph, "node", {"id": f"n{note.id}"})
        for key, value in (("label", note.title), ("title", note.title), ("path", note.path),
                           ("tags", ", ".join(note.tags))):
            _data(node, key, value)
    rows = edges(index, cfg)
    for k, e in enumerate(rows):
        edge = ET.SubElement(graph, "edge", {"id": f"e{k}", "source": f"n{e.source}",
                                             "target": f"n{e.target}"})
        for key, value in (("weight", f"{e.score:.4f}"), ("rank", str(e.rank)), ("linked", _bool(e.linked)),
                           ("weak", _bool(e.weak))):
            _data(edge, key, value)
    ET.indent(root, space="  ")
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n")
    return len(rows)


def export_markdown(index: Index, out: IO[str], cfg: ExportConfig) -> tuple[int, int]:
    """One index note: a section per note, linking to its related notes, best first, with their scores,
    in the vault's link style (paths from the vault's root); (sections, related notes) written."""
    what = "Missing links: related notes not linked yet" if cfg.unlinked else "Related notes"
    style = vault_link_style(index, cfg.link_style)
    out.write(f"# {what}\n\nMade by notelink from the index of `{index.meta.get('vault')}` (trained "
              f"{index.meta.get('trained_at')}). Scores are cosine similarities; *linked* marks notes "
              f"already linked, *weak* scores below {index.reading.weak_below} and empty notes' (no text but "
              "their title; long shots: few notes that far apart are linked). Keep this file outside the "
              "vault, or its links count as yours when the vault is indexed again.\n")
    sections = listed = 0
    for i, hits in related_all(index, cfg.top, cfg.unlinked, cfg.min_score, cfg.exclude):
        if not hits:
            continue
        note, links = index.notes[i], index.linked(i)
        out.write(f"\n## {note_link(note.path, note.title, style)}\n\n")
        for j, s in hits:
            other = index.notes[j]
            mark = (" · *linked*" if j in links else "") + (" · *weak*" if index.is_weak(i, j, s) else "")
            out.write(f"- {note_link(other.path, other.title, style)} · {s:.4f}{mark}\n")
        sections, listed = sections + 1, listed + len(hits)
    return sections, listed


def _bool(value: bool) -> str:
    """A boolean as CSV and GraphML write it."""
    return "true" if value else "false"


def export_word2vec(index: Index, out: IO[str]) -> int:
    """Writes the input word vectors in word2vec text format (gensim's load_word2vec_format reads it)."""
    syn0 = np.asarray(load_array(index.gen, "syn0"))
    out.write(f"{syn0.shape[0]} {syn0.shape[1]}\n")
    for word, vec in zip(index.words, syn0, strict=True):
        out.write(word + " " + " ".join(f"{x:.6g}" for x in vec) + "\n")
    return int(syn0.shape[0])


def write_format(index: Index, fmt: str, cfg: ExportConfig, out: IO[str]) -> dict[str, int]:
    """Writes the export of format `fmt` (not `block`: the notes' own blocks) to `out`, the related notes
    `cfg` lists; what it holds, counted (notes, related notes, words). `notelink export` and the app's
    exports both write through it."""
    if fmt == "word2vec":
        return {"words": export_word2vec(index, out)}
    if fmt in ("csv", "markdown"):  # (notes: those listed, with a related note)
        notes, related = (export_csv if fmt == "csv" else export_markdown)(index, out, cfg)
        return {"notes": notes, "related": related}
    if fmt == "graphml":
        return {"notes": len(index.notes), "related": export_graphml(index, out, cfg)}
    data = export_json(index, cfg.top, unlinked=cfg.unlinked, min_score=cfg.min_score, exclude=cfg.exclude)
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return {"notes": len(data["notes"]), "related": sum(len(n["related"]) for n in data["notes"])}

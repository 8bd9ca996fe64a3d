"""What a build says of itself: the summary it returns (training figures; warnings of a small vault, of
notes read in part or with replacement characters), an up-to-date run's summary, and the meta its
generation stores (its self-description)."""

from __future__ import annotations

import shlex
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notelink import __version__
from notelink.config import IndexConfig, TrainConfig
from notelink.index.report import IndexSummary
from notelink.index.store import LAZY_META
from notelink.index.versions import TOKENS_VERSION
from notelink.notes.note import PLAIN_CHARS, read_in_part
from notelink.notes.records import NoteRecord
from notelink.notes.vault import Skipped, read_with_replacements

if TYPE_CHECKING:
    from notelink.index.update import UpdatePlan
    from notelink.model.cbow import WordVectors

SMALL_VAULT_TOKENS = 25_000
"""Training words below which the CBOW parts add nothing measurable to related notes: on random subsets of
the dev vault the gain was -0.008 at 9k words, +0.003 ± 0.030 at 18k, +0.012 ± 0.012 at 30k
(benchmarks/small_vault.py, RESULTS.md). `index` and `status` say so below it."""


def file_warnings(records: list[NoteRecord], vault: Path) -> list[str]:
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


def summarise(summary: IndexSummary, wv: WordVectors, tokens: int, vocab_size: int,
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


def meta_of(vault: Path, config: dict[str, Any], index_cfg: IndexConfig, train_cfg: TrainConfig,
          wv: WordVectors, skipped: list[Skipped], summary: IndexSummary, plan: UpdatePlan | None,
          prev_meta: dict[str, Any]) -> dict[str, Any]:
    """The generation's self-description; an update keeps the model of the full retrain it builds on."""
    model = {**train_cfg.to_dict(), "epochs": wv.epochs, "device": wv.device}
    update: dict[str, Any] = {"mode": "full", "chain": 0}
    lazy = {} if plan is None else {LAZY_META: plan.since_full.paths()}  # (read by the next build only)
    if plan is not None:
        model = prev_meta.get("model", model)
        update = {"mode": summary.mode, "chain": plan.chain, "base_generation": plan.base_generation,
                  "changed_notes": len(plan.changed), "new_words": plan.new_words,
                  "trained_tokens": wv.tokens, "epochs": wv.epochs, "since_full": plan.since_full.to_dict()}
    return {"vault": str(vault), "config": config, "index_config": index_cfg.to_dict(),
            "tokens_version": TOKENS_VERSION, "model": model,
            "update": update, "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "device": wv.device, "notelink_version": __version__,
            "train_chosen": {k: getattr(train_cfg, k) for k in train_cfg.chosen},
            "skipped_files": sorted((s.path, s.reason) for s in skipped),
            "summary": {k: v for k, v in summary.to_dict().items() if k not in ("warnings", "last_build")},
            "warnings": summary.warnings, **lazy}


_LAST_BUILD = ("parse_seconds", "train_seconds", "words_per_second")  # (its total is known after meta)


def up_to_date(summary: IndexSummary, meta: dict[str, Any], t0: float) -> IndexSummary:
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

"""What `notelink status` reports (`Status`): what the index holds and what it skipped, the watcher, and the
notes changed, new and gone since the build. The API's `Vault.status` and the CLI print it; made here from
one loaded generation (`status_of`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from notelink.index.versions import older_rules
from notelink.query.freshness import freshness
from notelink.query.index import Index
from notelink.watch.status import file_states, watcher_status


@dataclass(frozen=True)
class Status:
    """What the index holds (`notelink status --json` prints these fields)."""

    generation: int | None
    notes: int | None
    indexed: int
    skipped: list[dict[str, str]]
    vocab: int
    trained_at: str | None
    device: str | None
    index_dir: str
    model: dict[str, Any]
    warnings: list[str]
    languages: dict[str, int]
    watcher: dict[str, Any]
    links: dict[str, Any]  # found, resolved, unresolved (top targets), attachments, tags
    exclude: list[str]  # the exclusion patterns saved with the index
    since_index: dict[str, Any]  # notes changed, new and gone since the index was built (`Freshness`)
    older_rules: str  # why the next build reads every note again and retrains (`previous.older_rules`), or ""
    files: list[dict[str, str]] | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.files is None:
            del data["files"]
        return data


def status_of(index: Index, vault: Path, files: bool = False) -> Status:
    """The status of `vault` (its folder, resolved) from its loaded generation `index`; `files`: every
    file's state too (indexed, skipped, changed, new, gone, or being indexed by the watcher)."""
    m = index.meta
    index_dir = index.gen.parent
    fresh = freshness(index, vault)
    states = file_states(index.files(), index_dir, fresh.states()) if files else None
    return Status(m.get("generation"), m.get("summary", {}).get("notes"), len(index.notes),
                  index.skipped(), len(index.words), m.get("trained_at"), m.get("device"), str(index_dir),
                  index.model_info(), list(m.get("warnings", [])), index.languages(),
                  watcher_status(index_dir), index.link_report, list(index.exclude()),
                  fresh.to_dict(), older_rules(m), states)

"""What the faces around the index run with: the watcher (`WatchConfig`) and the terminal app
(`TuiConfig`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from notelink.config.indexing import IndexConfig
from notelink.config.queries import ExportConfig, RelatedConfig
from notelink.config.training import IncrementalConfig, TrainConfig
from notelink.locations import default_index_dir


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
    """Run each build in a child process forked from a warm server (`notelink/watch/builder.py`): the
    watcher's memory stays flat over any number of builds and it never imports torch. False (and Windows,
    which has no fork server) builds in-process."""

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
    export: ExportConfig = field(default_factory=ExportConfig)
    """Which related notes the app's exports list (config `[export]` top, min_score, link_style), as
    `notelink export` does."""

    def resolved_index_dir(self) -> Path:
        return self.index_dir if self.index_dir is not None else default_index_dir(self.vault)

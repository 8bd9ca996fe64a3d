"""What the user chose for the live generation's build, saved in its meta: the exclude patterns, the dialect
named, the dialect read in, the model settings, whether stop words were kept and the note size cap. A later
build, the watcher and the app keep them where they are not chosen again.

A build asks several of them: `SavedChoices.read` opens the live generation's meta once, and the build hands
the one reading down (`index.dialect.reading`, `index.previous.settled`, `settled_training`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from notelink.config.indexing import MAX_FILE_BYTES
from notelink.errors import IndexFormatError
from notelink.index.store import current_generation, read_meta


@dataclass(frozen=True)
class SavedChoices:
    """The choices kept with the live generation (none without an index)."""

    exclude: tuple[str, ...] = ()
    """The exclude patterns the live generation was built with."""
    dialect_named: str | None = None
    """The dialect named for its build (`--dialect`, or kept from a build before); None when detected."""
    dialect_built: str | None = None
    """The dialect it read the vault in (named or detected)."""
    training: dict[str, Any] = field(default_factory=dict)
    """The model settings the user chose for it (`TrainConfig.chosen`; none for an index built before they
    were kept)."""
    keep_stopwords: bool = False
    """Whether it kept stop words in the training text (`--keep-stopwords`)."""
    max_file_bytes: int = MAX_FILE_BYTES
    """The size over which it skipped a note (`--max-file-mb`)."""

    @classmethod
    def read(cls, index_dir: Path) -> SavedChoices:
        """The choices of the live generation in `index_dir`, its meta opened once."""
        return cls.of(_live_meta(index_dir))

    @classmethod
    def of(cls, meta: dict[str, Any]) -> SavedChoices:
        """The choices a generation's `meta` keeps."""
        index_config = meta.get("index_config") or {}
        named, chosen = meta.get("dialect_named"), meta.get("train_chosen")
        built = (index_config.get("dialect") or {}).get("name")
        keep, size = index_config.get("keep_stopwords"), index_config.get("max_file_bytes")
        size = size if isinstance(size, int) and size > 0 else MAX_FILE_BYTES
        return cls(exclude=tuple(index_config.get("exclude") or ()),
                   dialect_named=named if isinstance(named, str) else None,
                   dialect_built=built if isinstance(built, str) else None,
                   training=dict(chosen) if isinstance(chosen, dict) else {},
                   keep_stopwords=keep is True,
                   max_file_bytes=size)


def _live_meta(index_dir: Path) -> dict[str, Any]:
    """The live generation's meta ({} without one, or a damaged one), of any format: what the user chose
    (`--exclude`, the training settings, a dialect) outlives a rebuild for a new format; it was dropped, so
    the rebuild indexed the notes `--exclude` kept out."""
    try:
        gen = current_generation(index_dir)
        return {} if gen is None else read_meta(gen)
    except IndexFormatError:  # (damaged, or changing while it is opened)
        return {}

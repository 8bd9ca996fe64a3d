"""The terminal app (Textual). The only package that imports textual; the command line imports it lazily."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from notelink.config import ExportConfig, IndexConfig, RelatedConfig, TrainConfig


def run(vault: Path, index_dir: Path | None = None, watch: bool = True, train: TrainConfig | None = None,
        index: IndexConfig | None = None, theme: str = "", related: RelatedConfig | None = None,
        export: ExportConfig | None = None) -> int:
    """Opens the app on a vault and returns the exit status when it quits: 0 for the user's quitting, 128 +
    the signal's number for SIGTERM or SIGHUP (`signals`). Its builds and watcher use `train` and `index`, and
    it opens in `theme`, marks weak related notes by `related` and exports by `export` (the command line's
    and config file's settings)."""
    from notelink.config import ExportConfig, IndexConfig, RelatedConfig, TrainConfig
    from notelink.tui.app import NotelinkApp, TuiConfig

    app = NotelinkApp(TuiConfig(vault=vault, index_dir=index_dir, watch=watch, train=train or TrainConfig(),
                                index=index or IndexConfig(), theme=theme,
                                related=related or RelatedConfig(), export=export or ExportConfig()))
    app.run()
    return app.return_code or 0

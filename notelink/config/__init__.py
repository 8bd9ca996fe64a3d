"""Typed configuration with documented defaults; CLI flags and the config file (`configfile.py`) map onto
these fields one to one. One module per stage of the pipeline:

    training  TrainConfig, IncrementalConfig, the settings' limits, SettingsError
    indexing  DialectConfig, IndexConfig, NoteVectorConfig
    queries   RelatedConfig, ConceptsConfig, SearchConfig, ExportConfig
    faces     WatchConfig, TuiConfig

Every name is importable from `notelink.config` itself.
"""

from notelink.config.faces import TuiConfig, WatchConfig
from notelink.config.indexing import DIALECTS, DialectConfig, IndexConfig, NoteVectorConfig
from notelink.config.queries import ConceptsConfig, ExportConfig, RelatedConfig, SearchConfig
from notelink.config.training import (
    MAX_DIM,
    MAX_LR,
    MAX_NEGATIVE,
    MAX_SEED,
    MAX_WINDOW,
    RUN_SETTINGS,
    Device,
    IncrementalConfig,
    SettingsError,
    TrainConfig,
)

__all__ = ["DIALECTS", "MAX_DIM", "MAX_LR", "MAX_NEGATIVE", "MAX_SEED", "MAX_WINDOW", "RUN_SETTINGS",
           "ConceptsConfig", "Device", "DialectConfig", "ExportConfig", "IncrementalConfig", "IndexConfig",
           "NoteVectorConfig", "RelatedConfig", "SearchConfig", "SettingsError", "TrainConfig", "TuiConfig",
           "WatchConfig"]

"""config: one module per stage, every setting importable from the package itself."""

import dataclasses
import importlib

import notelink.config

STAGES = ("training", "indexing", "queries", "faces")


def test_every_config_class_of_a_stage_is_importable_from_the_package() -> None:
    for stage in STAGES:
        module = importlib.import_module(f"notelink.config.{stage}")
        classes = [name for name, value in vars(module).items()
                   if dataclasses.is_dataclass(value) and value.__module__ == module.__name__]
        assert classes, stage
        for name in classes:
            assert name in notelink.config.__all__, f"{stage}.{name} is not re-exported"
            assert getattr(notelink.config, name) is getattr(module, name)


def test_the_package_exports_only_names_it_has() -> None:
    for name in notelink.config.__all__:
        assert hasattr(notelink.config, name), name

"""The folders show the architecture, and the paths from before the folders keep working."""

from __future__ import annotations

import importlib
from pathlib import Path

import establishment
from establishment.moved import MOVED

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = {"model", "engine", "operations", "io", "tables", "register", "organogram", "report",
           "cli", "reading"}


def test_every_old_path_is_the_module_at_its_new_path():
    for old, new in MOVED.items():
        assert importlib.import_module(old) is importlib.import_module(new), old


def test_documented_old_paths_keep_working():
    from establishment.staffing import staffing

    from establishment.io.changes_file import load_changes  # noqa: F401 - unchanged path

    assert staffing is establishment.staffing
    from establishment.costing import cost

    assert cost is establishment.cost


def test_the_package_root_holds_only_the_edges_of_the_layout():
    """A newcomer finds the model, the engine and the operations by folder, not among dozens
    of modules side by side."""
    top = {p.stem for p in (ROOT / "establishment").glob("*.py")}
    assert top <= {"__init__", "__main__", "errors", "lazy", "moved", "cells"}, top
    folders = {p.name for p in (ROOT / "establishment").iterdir()
               if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == FOLDERS


def test_no_new_path_is_moved_again():
    """An old path points at a module that exists, not at another old path."""
    assert not set(MOVED.values()) & set(MOVED)

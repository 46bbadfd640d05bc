"""Module paths from before the package had folders, kept working.

Until 0.1 every module sat directly in ``establishment/`` (``establishment.costing``,
``establishment.staffing``...). The modules now live in folders that show the architecture
(``model/``, ``engine/``, ``operations/``, ``io/``, ``tables/``, ``cli/``: see
docs/architecture.md). Scripts written against the old paths keep working: importing an old
path gives the very module at the new one (the same object, so ``isinstance`` and monkeypatching
behave), through a finder on ``sys.meta_path`` that knows only the names in :data:`MOVED`. The
library's own code uses the new paths (a test checks it).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types

#: old dotted path -> the module's path now
MOVED: dict[str, str] = {
    f"establishment.{old}": f"establishment.{new}" for old, new in {
        "post": "model.post", "structure": "model.structure", "assignment": "model.assignment",
        "pay_basis": "model.pay_basis", "funding": "model.funding",
        "vocabulary": "model.vocabulary", "money": "model.money", "rates": "model.rates",
        "parse": "model.parse", "validation": "model.validation", "grades": "model.grades",
        "vacancy": "model.vacancy",
        "costing": "engine.costing", "frame": "model.frame",
        "levy_allowance": "engine.levy_allowance", "matching": "engine.matching",
        "unpriced": "engine.unpriced",
        "changes": "operations.changes", "diff": "operations.diff",
        "compare": "operations.compare", "projection": "operations.projection",
        "budget": "operations.budget", "staffing": "operations.staffing",
        "check": "operations.check", "explain": "operations.explain",
        "charts": "tables.charts", "style": "model.style",
        "terminal": "tables.terminal", "progress": "cli.progress",
    }.items()
}


class _Alias(importlib.abc.Loader):
    """Loads an old path as the module at its new path (imported once, shared)."""

    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = importlib.import_module(self.target)
        self.spec = module.__spec__  # the import system sets the alias's spec on it next
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        """Nothing to run (the module at the new path has run already); it keeps its own
        spec, so its name, reloads and pickles are the new path's."""
        module.__spec__ = self.spec


class MovedFinder(importlib.abc.MetaPathFinder):
    """Finds the old paths of :data:`MOVED`, and nothing else."""

    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001 - importlib protocol
        new = MOVED.get(fullname)
        if new is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _Alias(new))


def install() -> None:
    """Put the finder on ``sys.meta_path`` once."""
    if not any(isinstance(f, MovedFinder) for f in sys.meta_path):
        sys.meta_path.append(MovedFinder())

"""Lazy package names (PEP 562): a package lists which module defines each name it exports and
imports that module on first use, so ``establishment --help`` starts without pandas.

Importing a submodule binds it as an attribute of its package. Where an exported name is also
a submodule's name (``establishment.diff`` the function and the module, ``tables.render``),
the exported name wins, as it did when the packages imported everything eagerly.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Mapping
from typing import Any


class LazyPackage(types.ModuleType):
    """A package module whose exported names win over its same-named submodules."""

    def __setattr__(self, name: str, value: Any) -> None:
        exports = self.__dict__.get("EXPORTS", {})
        if (isinstance(value, types.ModuleType) and exports.get(name) == value.__name__
                and hasattr(value, name)):
            value = getattr(value, name)
        super().__setattr__(name, value)


def lazy_package(package: str, exports: Mapping[str, str]
                 ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package`` (whose module dict holds
    ``EXPORTS``); a name not exported may be a submodule not yet imported."""
    module = sys.modules[package]
    module.__class__ = LazyPackage

    def getattr_(name: str) -> Any:
        source = exports.get(name)
        if source is None:
            try:
                return importlib.import_module(f"{package}.{name}")
            except ModuleNotFoundError as err:
                if err.name != f"{package}.{name}":
                    raise
                raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(source), name)
        module.__dict__[name] = value
        return value

    def dir_() -> list[str]:
        return sorted({*module.__dict__, *exports})

    return getattr_, dir_

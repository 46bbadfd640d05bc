"""The layering of the three packages, checked on the source (ast): no import cycle between
modules, ``pay_scales`` never imports ``establishment``, and only the command line
(``establishment/cli``) imports ``scenarios``.

Every import counts, including one inside a function and a dynamic one whose name is a literal
(``importlib.import_module("establishment.x")``, ``__import__("establishment.x")``), which a
cycle could otherwise hide behind; two kinds do not: a package
``__init__`` importing its own submodules (re-exporting them) and imports under
``if TYPE_CHECKING:`` (annotations only, never run).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("pay_scales", "establishment", "scenarios")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                skipped.update(id(n) for n in ast.walk(child))
    return skipped


DYNAMIC = {"import_module", "__import__"}


def _dynamic_target(node: ast.AST) -> list[str]:
    """``importlib.import_module("a.b")`` / ``import_module("a.b")`` / ``__import__("a.b")``
    with a literal name: an import like any other."""
    if not isinstance(node, ast.Call) or not node.args:
        return []
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    first = node.args[0]
    if name in DYNAMIC and isinstance(first, ast.Constant) and isinstance(first.value, str):
        return [first.value]
    return []


def _targets(node: ast.AST, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Call):
        return _dynamic_target(node)
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        base = module.split(".")
        base = base[: len(base) - node.level + (1 if is_package else 0)]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    # "from package import name" may name a submodule: count both
    return [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]


def imports_of(module: str, path: Path, known: set[str]) -> set[str]:
    """The modules of ours that ``module`` imports (resolved to known module names)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_nodes(tree)
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        for target in _targets(node, module, is_package):
            while target and target not in known:
                target = target.rpartition(".")[0]
            if not target or target == module:
                continue
            if is_package and target.startswith(module + "."):
                continue  # a package re-exporting its own submodules
            found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = all_modules()
    known = set(modules)
    return {name: imports_of(name, path, known) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of modules, or None (iterative depth-first search)."""
    state: dict[str, int] = {}
    for start in sorted(graph):
        if state.get(start):
            continue
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                return path[path.index(child):] + [child]
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(graph.get(child, ())))))
    return None


def test_no_import_cycle_between_modules():
    assert find_cycle(import_graph()) is None


def folder(module: str, packages: set[str]) -> str:
    """The folder a module belongs to: its sub-package (``establishment.io``), else itself.
    Importing any module of a sub-package runs the sub-package's ``__init__``, so two
    sub-packages importing each other are a cycle even when their modules are not."""
    parts = module.split(".")
    if len(parts) >= 3 or (module in packages and len(parts) == 2):
        return ".".join(parts[:2])
    return module


def test_no_import_cycle_between_sub_packages():
    packages = {name for name, path in all_modules().items() if path.name == "__init__.py"}
    folders: dict[str, set[str]] = {}
    for module, imports in import_graph().items():
        if module in PACKAGES:
            continue  # a top-level package re-exports its whole API
        source = folder(module, packages)
        targets = {folder(t, packages) for t in imports if t not in PACKAGES}
        folders.setdefault(source, set()).update(targets - {source})
    assert find_cycle(folders) is None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_pay_scales_never_imports_establishment_or_scenarios():
    bad = {m: sorted(i for i in deps if not i.startswith("pay_scales"))
           for m, deps in import_graph().items() if m.startswith("pay_scales")}
    assert {m: d for m, d in bad.items() if d} == {}


def test_only_the_command_line_imports_scenarios():
    bad = {m: sorted(i for i in deps if i.startswith("scenarios"))
           for m, deps in import_graph().items()
           if m.startswith("establishment") and not m.startswith("establishment.cli")}
    assert {m: d for m, d in bad.items() if d} == {}


def test_function_level_imports_count():
    source = "def f():\n    from establishment.operations.diff import Diff\n"
    path = ROOT / "tests" / "_probe_module.py"
    path.write_text(source, encoding="utf-8")
    try:
        known = {"establishment.operations.diff", "establishment"}
        assert imports_of("tests._probe_module", path, known) == {"establishment.operations.diff"}
    finally:
        path.unlink()


def test_dynamic_imports_with_a_literal_name_count():
    source = ("import importlib\n"
              "def f():\n    return importlib.import_module('establishment.io.dataframe')\n"
              "def g():\n    return __import__('establishment.operations.diff')\n"
              "def h(name):\n    return importlib.import_module(name)\n")
    path = ROOT / "tests" / "_probe_dynamic.py"
    path.write_text(source, encoding="utf-8")
    try:
        known = {"establishment.io.dataframe", "establishment.operations.diff", "establishment"}
        assert imports_of("tests._probe_dynamic", path, known) == {
            "establishment.io.dataframe", "establishment.operations.diff"}
    finally:
        path.unlink()


def test_type_checking_imports_do_not_count(tmp_path):
    path = tmp_path / "probe.py"
    path.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                    "    from establishment.operations.diff import Diff\n", encoding="utf-8")
    assert imports_of("probe", path, {"establishment.diff"}) == set()


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_imports(path: Path, module: str = "") -> list[str]:
    """``from <our module> import _name`` (and ``import <ours>._module``) in one file: a
    private name is its module's own business, so a name shared between modules is public."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = node.module or ""
            ours = node.level > 0 or source.split(".")[0] in PACKAGES
            names = [a.name for a in node.names if _is_private(a.name)]
            names += [part for part in source.split(".") if _is_private(part)]
            if ours and names:
                found.append(f"{module or path.name}:{node.lineno} from "
                             f"{'.' * node.level}{source} import {', '.join(names)}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] in PACKAGES and any(_is_private(p) for p in parts):
                    found.append(f"{module or path.name}:{node.lineno} import {alias.name}")
    return found


def test_no_private_name_is_imported_across_modules():
    files = [p for package in (*PACKAGES, "tests", "benchmarks")
             for p in (ROOT / package).rglob("*.py") if "cache" not in p.parts]
    found = [line for p in sorted(files)
             for line in private_imports(p, str(p.relative_to(ROOT)))]
    assert found == []


def test_the_private_import_check_sees_one(tmp_path):
    path = tmp_path / "probe.py"
    path.write_text("from establishment.model.post import Post, _date_or_none\n"
                    "from .tabular import _Bad\nimport establishment._hidden\n"
                    "from collections import _private_elsewhere\n"
                    "def f():\n    from pay_scales.x import _y\n", encoding="utf-8")
    assert private_imports(path, "probe") == [
        "probe:1 from establishment.model.post import _date_or_none",
        "probe:2 from .tabular import _Bad", "probe:3 import establishment._hidden",
        "probe:6 from pay_scales.x import _y"]


BROAD = {"Exception", "BaseException"}
# the one catch-all: the command line's entry point turns a bug into one line and exit 70
CATCH_ALL = "establishment/cli/main.py"


def broad_handlers(path: Path, module: str = "") -> list[str]:
    """Every ``except:``, ``except Exception`` and ``except BaseException`` (alone or in a
    tuple, by any dotted name) in one file: each hides errors the code does not expect."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ExceptHandler):
            continue
        kinds = [] if node.type is None else (
            node.type.elts if isinstance(node.type, ast.Tuple) else [node.type])
        if node.type is None or {ast.unparse(k).rsplit(".", 1)[-1] for k in kinds} & BROAD:
            shown = "" if node.type is None else " " + ast.unparse(node.type)
            found.append(f"{module or path.name}:{node.lineno} except{shown}")
    return found


def test_one_catch_all_only_at_the_command_line_entry_point():
    files = sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))
    found = [line for p in files for line in broad_handlers(p, p.relative_to(ROOT).as_posix())]
    assert [line for line in found if not line.startswith(f"{CATCH_ALL}:")] == []
    assert len(found) == 1, found  # and the entry point has exactly one


def test_the_catch_all_check_sees_every_form(tmp_path):
    path = tmp_path / "probe.py"
    path.write_text("try:\n    pass\nexcept:\n    pass\n"
                    "try:\n    pass\nexcept (KeyError, builtins.Exception):\n    pass\n"
                    "try:\n    pass\nexcept BaseException as err:\n    raise\n"
                    "try:\n    pass\nexcept (KeyError, ExceptionGroup):\n    pass\n",
                    encoding="utf-8")
    assert broad_handlers(path, "probe") == [
        "probe:3 except", "probe:7 except (KeyError, builtins.Exception)",
        "probe:11 except BaseException"]

"""Mutation testing of the core modules with mutmut (the ``mutation`` extra; not run in CI).

Each module is mutated on its own, in a scratch copy of the repository (the working tree is
never touched), against only the test files that exercise it, one mutant at a time at the
lowest CPU priority, for at most ``--minutes`` each: the development machine is small and
shared. Prints, per module, mutmut's count of killed and surviving mutants and the score, and
writes every survivor's diff to ``--out`` (default ``mutation-survivors/``) to be killed by a
test or explained as equivalent.

    python benchmarks/mutation.py                       # every module below
    python benchmarks/mutation.py "register/store.py register/integrity.py"  # a key of MODULES
    python benchmarks/mutation.py "register/store.py register/integrity.py" \
        --only '*chain_problems__mutmut_*' --only '*ǁorder__mutmut_*'   # some functions
    python benchmarks/mutation.py --list

Requires ``pip install -e .[mutation]`` (mutmut 3.8.1).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# module (under establishment/) -> the test files that exercise it, slow ones left out
MODULES: dict[str, list[str]] = {
    "engine/costing.py": ["tests/test_costing.py", "tests/test_engine.py",
                          "tests/test_rounding_unit.py", "tests/test_ni_per_person.py"],
    "model/money.py": ["tests/test_costing.py", "tests/test_rounding_unit.py",
                       "tests/test_mutants_money.py"],
    "model/funding.py": ["tests/test_changes.py", "tests/test_diff.py",
                         "tests/test_mutants_funding.py"],
    "model/frame.py": ["tests/test_engine.py", "tests/test_costing.py", "tests/test_hours.py"],
    "operations/diff.py": ["tests/test_diff.py"],
    "engine/matching.py": ["tests/test_changes.py", "tests/test_diff.py",
                           "tests/test_register_matching.py"],
    "operations/changes.py": ["tests/test_changes.py", "tests/test_changes_file.py"],
    "register/store.py register/integrity.py": [
        "tests/test_register.py", "tests/test_register_integrity.py",
                          "tests/test_register_migrate.py", "tests/test_register_basis.py",
                          "tests/test_register_hours.py", "tests/test_register_matching.py",
                          "tests/test_mutants_register.py"],
}
# tests too slow to run once per mutant (writers in subprocesses, the demo register)
SLOW = "not concurrent and not killed and not demo and not docs"
COPIED = ("establishment", "pay_scales", "scenarios", "tests", "docs", "benchmarks",
          "pyproject.toml", "README.md", "CHANGELOG.md")


def scratch_copy(module: str, tests: list[str], folder: Path) -> Path:
    """The repository's files in ``folder``, with mutmut told to mutate ``module`` alone and
    to run ``tests`` (those that exist) by pytest."""
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns(
                "__pycache__", "*.pyc", "*.db"))
        elif source.exists():
            shutil.copy2(source, folder / name)
    for fixture in (ROOT / "tests" / "fixtures").rglob("*.db"):  # registers the tests open
        target = folder / fixture.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(fixture, target)
    present = [t for t in tests if (ROOT / t).exists()]
    pyproject = folder / "pyproject.toml"
    selection = ", ".join(f'"{t}"' for t in present)
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + f"""
[tool.mutmut]
source_paths = ["establishment"]
only_mutate = [{", ".join(f'"establishment/{m}"' for m in module.split())}]
also_copy = ["pay_scales", "scenarios", "docs", "benchmarks", "README.md", "CHANGELOG.md"]
pytest_add_cli_args_test_selection = [{selection}]
pytest_add_cli_args = ["-p", "no:cacheprovider", "-x", "-q", "-k", "{SLOW}"]
""", encoding="utf-8")
    return folder


def run_one(module: str, minutes: float, out: Path, only: list[str]
            ) -> tuple[int, int, int]:
    """Mutate one module (its mutants matching the fnmatch patterns ``only``, when given);
    (killed, survived, other) and the survivors' diffs in ``out``."""
    mutmut = shutil.which("mutmut") or str(Path(sys.executable).parent / "mutmut")
    with tempfile.TemporaryDirectory(prefix="mutation-") as name:
        folder = scratch_copy(module, MODULES[module], Path(name))
        environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        try:
            subprocess.run(["nice", "-n", "19", mutmut, "run", "--max-children", "1", *only],
                           cwd=folder, env=environment, timeout=minutes * 60, check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            print(f"{module}: stopped after {minutes:g} minutes (results so far)")
        results = subprocess.run([mutmut, "results", "--all", "true"], cwd=folder,
                                 env=environment, capture_output=True, text=True).stdout
        counts = {"killed": 0, "survived": 0, "other": 0}
        survivors = []
        for line in results.splitlines():
            found = re.match(r"\s*(\S+): (\w[\w ]*)$", line)
            if not found:
                continue
            status = found.group(2).strip()
            key = status if status in counts else "other"
            counts[key] += 1
            if status == "survived":
                survivors.append(found.group(1))
        out.mkdir(parents=True, exist_ok=True)
        with open(out / (module.replace("/", "_") + ".diff"), "w", encoding="utf-8") as diffs:
            for mutant in survivors:
                shown = subprocess.run([mutmut, "show", mutant], cwd=folder, env=environment,
                                       capture_output=True, text=True).stdout
                diffs.write(f"# {mutant}\n{shown}\n")
    return counts["killed"], counts["survived"], counts["other"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="keys of MODULES (default: all)")
    parser.add_argument("--minutes", type=float, default=30, help="at most this long a module")
    parser.add_argument("--out", default="mutation-survivors", help="survivors' diffs here")
    parser.add_argument("--list", action="store_true", help="list the modules and tests")
    parser.add_argument("--only", action="append", default=[], metavar="PATTERN",
                        help="only the mutants whose names match (fnmatch, e.g. "
                        "'*verify__mutmut_*'); repeatable")
    args = parser.parse_args()
    if args.list:
        for module, tests in MODULES.items():
            print(f"{module}: {' '.join(tests)}")
        return
    for module in args.modules or list(MODULES):
        killed, survived, other = run_one(module, args.minutes, Path(args.out), args.only)
        tested = killed + survived
        score = f"{100 * killed / tested:.0f}%" if tested else "-"
        print(f"{module}: {killed} killed, {survived} survived, {other} not run or other; "
              f"score {score}", flush=True)


if __name__ == "__main__":
    main()

"""Mutation testing of the core: does the suite notice when the code is wrong?

mutmut makes many small wrong versions of a module (an operator flipped, a constant changed,
a branch dropped) and runs the tests that exercise it against each; a mutant the tests do not
notice ("survived") is either equivalent (it changes nothing a user can see) or a gap in the
tests. Not run in CI: a module takes minutes to an hour.

    python -m pip install '.[mutation]'
    python benchmarks/mutation.py funding                # one module, its own tests
    python benchmarks/mutation.py funding money --children 2
    python benchmarks/mutation.py --all --json benchmarks/results/mutation-DATE.json

Each run works in a copy of the tracked files (under a temporary folder), so the checkout is
never touched. For each module, TARGETS names the source file and the test files that
exercise it (fast, focused files: a mutant is run against those only). The summary counts
killed, survived, timed out and "no tests" (code the chosen tests never reach: counted against
the score like a survivor), and lists every survivor, for the closing note of the work that
asked for it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = [sys.executable, "-m", "mutmut"]

# the register's fast test files (tests/test_register.py's writers in subprocesses and the
# demo in tests/test_register_cli.py take minutes a mutant); the store's focused file first
REGISTER_TESTS = ["tests/test_mutants_store.py", "tests/test_register_integrity.py",
                  "tests/test_mutants_register.py", "tests/test_register_migrate.py",
                  "tests/test_register_basis.py", "tests/test_register_hours.py",
                  "tests/test_register_matching.py"]

#: module -> (source file, the test files that exercise it). Each module has a focused file,
#: tests/test_mutants_<module>.py, of fast exact assertions about its rules: mutmut runs the
#: tests that reach a mutated function once per mutant, so a slow file makes a run take hours.
TARGETS: dict[str, tuple[str, list[str]]] = {
    "funding": ("establishment/model/funding.py", ["tests/test_funding_rules.py"]),
    "money": ("establishment/model/money.py",
              ["tests/test_mutants_money.py", "tests/test_money_mutants.py"]),
    "matching": ("establishment/engine/matching.py", ["tests/test_mutants_matching.py"]),
    "frame": ("establishment/model/frame.py", ["tests/test_mutants_frame.py"]),
    "costing": ("establishment/engine/costing.py", ["tests/test_mutants_costing.py"]),
    "diff": ("establishment/operations/diff.py", ["tests/test_mutants_diff.py"]),
    "changes": ("establishment/operations/changes.py", ["tests/test_mutants_changes.py"]),
    "store": ("establishment/register/store.py", REGISTER_TESTS),
    "integrity": ("establishment/register/integrity.py", REGISTER_TESTS),
}

STATUS = re.compile(r"^\s*(\S+): (.+)$")


def tracked_copy(into: Path) -> None:
    """The checkout's tracked files (and untracked, not ignored ones) copied into ``into``."""
    names = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                           check=True, capture_output=True, text=True).stdout.split("\n")
    for name in filter(None, names):
        source = ROOT / name
        if source.is_file():
            target = into / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def configure(folder: Path, source: str, tests: list[str]) -> None:
    """mutmut's settings for one module, appended to the copy's pyproject.toml."""
    present = [t for t in tests if (folder / t).exists()]
    quoted = ", ".join(f'"{t}"' for t in present)
    with open(folder / "pyproject.toml", "a", encoding="utf-8") as file:
        file.write("\n[tool.mutmut]\n"
                   f'source_paths = ["{source}"]\n'
                   'also_copy = ["pay_scales/", "scenarios/", "establishment/", "tests/"]\n'
                   f"pytest_add_cli_args_test_selection = [{quoted}]\n"
                   'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q"]\n')


def _diff(mutant: str, folder: Path, env: dict[str, str]) -> str:
    """The changed lines of one mutant (``mutmut show``), for a person to judge it."""
    shown = subprocess.run([*MUTMUT, "show", mutant], cwd=folder, env=env,
                           capture_output=True, text=True, check=False).stdout
    return "\n".join(line for line in shown.splitlines()
                     if line.startswith(("-", "+")) and not line.startswith(("---", "+++")))


def run_module(name: str, children: int) -> dict:
    source, tests = TARGETS[name]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"mutation-{name}-") as temp:
        folder = Path(temp)
        tracked_copy(folder)
        configure(folder, source, tests)
        env = {**os.environ, "PYTHONPATH": str(folder)}
        ran = subprocess.run([*MUTMUT, "run", "--max-children", str(children)], cwd=folder,
                             env=env, capture_output=True, text=True, check=False)
        rate = re.search(r"([\d.]+) mutations/second", ran.stdout)
        listed = subprocess.run([*MUTMUT, "results", "--all", "true"], cwd=folder, env=env,
                                capture_output=True, text=True, check=False).stdout
        statuses: dict[str, str] = {}
        for line in listed.splitlines():
            match = STATUS.match(line)
            if match:
                statuses[match.group(1)] = match.group(2).strip()
        shown = {name: _diff(name, folder, env) for name, status in statuses.items()
                 if status in ("survived", "no tests")}
    counts: dict[str, int] = {}
    for status in statuses.values():
        counts[status] = counts.get(status, 0) + 1
    # "no tests" (code the chosen tests never reach) counts against the score like a survivor
    total = sum(counts.values())
    killed = counts.get("killed", 0) + counts.get("timeout", 0)
    return {"module": name, "source": source, "tests": tests, "counts": counts,
            "score": round(killed / total, 3) if total else None,
            "survivors": shown,
            "status": {k: statuses[k] for k in shown},
            "mutants_per_second": float(rate.group(1)) if rate else None,
            "seconds": round(time.perf_counter() - started, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", metavar="MODULE",
                        help=f"one or more of {', '.join(TARGETS)}")
    parser.add_argument("--all", action="store_true", help="every module in TARGETS")
    parser.add_argument("--children", type=int, default=1, help="mutants run at once")
    parser.add_argument("--json", type=Path, help="write the results here too")
    args = parser.parse_args(argv)
    names = list(TARGETS) if args.all else args.modules
    if not names:
        parser.error("name a module, or --all")
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        parser.error(f"unknown module {', '.join(unknown)}: one of {', '.join(TARGETS)}")
    results = []
    for name in names:
        result = run_module(name, args.children)
        results.append(result)
        print(f"{name}: {result['counts']} score {result['score']} ({result['seconds']} s)")
        for survivor, diff in result["survivors"].items():
            print(f"  {result['status'][survivor]}: {survivor}")
            print("    " + diff.replace("\n", "\n    "))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

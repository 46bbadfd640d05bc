"""Mutation fuzz (issue 17): damaged TOML, CSV, XLSX and organogram files run through the
command line's ``main(argv)`` in process, with a fixed seed so a failure reproduces.

For every mutant the exit is 0, 1 or 2 (never 70, never a traceback) and an exit 2 is
explained by located messages (``file:line`` or ``file:``). ``FUZZ_MUTANTS`` sets how many
mutants per format (default 200); ``FUZZ_SEED`` the seed.
"""

from __future__ import annotations

import io
import os
import random
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from establishment.cli.main import main
from establishment.io import read_structure, structure_to_csv, structure_to_xlsx
from tests.mutators import mutate_text, mutate_xlsx

FIXTURES = Path(__file__).parent / "fixtures"
STRUCTURE = FIXTURES / "short-breaks-2018.toml"
SYNTHETIC = FIXTURES / "organograms" / "synthetic"
MUTANTS = int(os.environ.get("FUZZ_MUTANTS", "200"))
SEED = int(os.environ.get("FUZZ_SEED", "17"))


def _run(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:  # argparse
            code = int(exit_.code or 0)
    return code, out.getvalue() + err.getvalue()


def _located(said: str, paths: list[str]) -> bool:
    """At least one message names one of ``paths`` (``file:line`` or ``file:``), and no error
    line leaves its file out (summary lines around the problems are allowed)."""
    lines = [line.removeprefix("establishment: ") for line in said.splitlines()]
    named = [line for line in lines if any(line.startswith(f"{p}:") for p in paths)]
    errors = [line for line in lines if line.startswith(("error:", "internal error"))]
    return bool(named) and all(any(f"{p}:" in line for p in paths) for line in errors)


def _seeds(folder: Path) -> dict[str, tuple[bytes, str]]:
    structure = read_structure(STRUCTURE).structure
    return {"toml": (STRUCTURE.read_bytes(), "toml"),
            "csv": (structure_to_csv(structure).encode(), "csv"),
            "xlsx": (structure_to_xlsx(structure), "xlsx")}


def _check(code: int, said: str, paths: list[str], label: str) -> None:
    assert code in (0, 1, 2), f"{label}: exit {code}\n{said[-2000:]}"
    assert "Traceback" not in said, f"{label}: {said[-2000:]}"
    if code == 2:
        assert _located(said, paths), f"{label}: exit 2 without a located message:\n{said}"


@pytest.mark.parametrize("fmt", ["toml", "csv", "xlsx"])
def test_structure_mutants_exit_0_1_or_2_with_located_messages(fmt, tmp_path):
    data, kind = _seeds(tmp_path)[fmt]
    rng = random.Random(f"{SEED}-{fmt}")
    path = tmp_path / f"mutant.{kind}"
    for number in range(MUTANTS):
        mutant = mutate_xlsx(data, rng) if fmt == "xlsx" else mutate_text(data, rng)
        path.write_bytes(mutant)
        argv = ["cost", str(path), "--format", "csv"] if number % 2 else ["check", str(path)]
        code, said = _run(argv)
        _check(code, said, [str(path)], f"{fmt} mutant {number} (seed {SEED})")


def test_organogram_mutants_exit_0_1_or_2_with_located_messages(tmp_path):
    senior = (SYNTHETIC / "agency-2013-09-30-senior.csv").read_bytes()
    junior = (SYNTHETIC / "agency-2013-09-30-junior.csv").read_bytes()
    rng = random.Random(f"{SEED}-organogram")
    paths = [tmp_path / "agency-2013-09-30-senior.csv", tmp_path / "agency-2013-09-30-junior.csv"]
    for number in range(MUTANTS):
        which = rng.randrange(2)
        paths[which].write_bytes(mutate_text((senior, junior)[which], rng))
        paths[1 - which].write_bytes((senior, junior)[1 - which])
        code, said = _run(["import", "organogram", str(paths[0]), str(paths[1]),
                           "--output", str(tmp_path / "out.toml")])
        _check(code, said, [str(p) for p in paths] + [str(tmp_path / "out.toml")],
               f"organogram mutant {number} (seed {SEED})")


if __name__ == "__main__":  # pragma: no cover - FUZZ_MUTANTS=5000 python tests/test_fuzz.py
    sys.exit(pytest.main([__file__, "-q", "-x"]))

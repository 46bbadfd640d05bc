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
import re
import shutil
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


# --- the ten commands (issue 27) ------------------------------------------------------------

COMMAND_MUTANTS = int(os.environ.get("FUZZ_COMMAND_MUTANTS", "9"))
BASIS = ["--employer", "nottinghamshire", "--pay-year", "2018/19"]
CHANGES = (b'[[change]]\nkind = "change-fte"\ntarget = "RO"\nfte = 3\n\n[[change]]\n'
           b'kind = "establish"\npost = { reference = "NEW", title = "Officer", fte = 1, '
           b'grade = "Hay Band A", scp = 34, team = "ICDS" }\n')
SEED_POSTS = (b'[[post]]\nreference = "RO"\ntitle = "Reviewing Officer"\nfte = 2\n'
              b'grade = "Hay Band A"\nscp = 34\nteam = "ICDS"\n')
HOSTILE_DATES = ["2018-W27-1", "20190101", "9999-12-31", "1899-12-31", "31/02/2019",
                 "２０１９-０１-０１", "2019-04-01T10:00", "", "Mar 2019", "01/04/19", "2019-13-01"]
# an exception's name in a message is a library talking, not the program (XmlError,
# CalamineError, BadZipFile, ValueError ...)
INTERNAL_NAME = re.compile(r"\b(?:[A-Z][a-z]+){1,4}(?:Error|Exception)\b|\bBadZipFile\b")
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]+|FILE\.db@DATE")


@pytest.fixture(scope="module")
def seed_register(tmp_path_factory) -> Path:
    """A register of one post on the 2018/19 NJC basis that costs cleanly."""
    folder = tmp_path_factory.mktemp("fuzz-register")
    (folder / "posts.toml").write_bytes(SEED_POSTS)
    path = folder / "seed.db"
    code, said = _run(["register", "init", str(path), *BASIS, "--rule", "njc", "--from",
                       str(folder / "posts.toml"), "--on", "2018-04-01"])
    assert code == 0, said
    code, said = _run(["register", "cost", str(path), "--from", "2018-04-01", "--to",
                       "2019-03-31", "--format", "csv"])
    assert code == 0 and "Traceback" not in said, said
    return path


def _named(said: str, paths: list[str]) -> bool:
    """Some message names one of ``paths`` or an option, and no line shows an exception's
    name (the library's words, not the user's)."""
    if INTERNAL_NAME.search(said):
        return False
    return any(p in said for p in paths) or bool(OPTION.search(said))


def _mutant_structure(fmt: str, seeds: dict[str, tuple[bytes, str]], rng: random.Random,
                      folder: Path) -> Path:
    data, kind = seeds[fmt]
    path = folder / f"mutant.{kind}"
    path.write_bytes(mutate_xlsx(data, rng) if fmt == "xlsx" else mutate_text(data, rng))
    return path


def _argv(command: str, mutant: Path, folder: Path, register: Path, rng: random.Random
          ) -> tuple[list[str], list[str]]:
    """The command line of one run of ``command`` on ``mutant`` and the paths it may name."""
    seed, output = str(STRUCTURE), str(folder / "out")
    day = rng.choice(HOSTILE_DATES) if rng.random() < 0.3 else "2018-10-01"
    runs = {
        "cost": ["cost", str(mutant), "--format", "csv"],
        "check": ["check", str(mutant)],
        "diff": ["diff", seed, str(mutant), "--format", "csv"],
        "compare": ["compare", seed, str(mutant), "--format", "csv"],
        "project": ["project", str(mutant), "--from", "2018-04", "--months", "3", "--format",
                    "csv"],
        "report": ["report", str(mutant), "--output", output + ".html", *BASIS],
        "staffing": ["staffing", str(mutant), "--format", "csv"],
        "register record": ["register", "record", str(register), str(mutant), "--effective",
                            day, "--approved", "2018-06-18", "--approved-by", "Committee",
                            "--reference", "R1"],
        "register cost": ["register", "cost", str(register), "--from", day, "--to",
                          "2019-03-31", "--format", "csv"],
        "import organogram": ["import", "organogram", str(folder / "senior.csv"),
                              str(folder / "junior.csv"), "--output", output + ".toml"],
    }
    return runs[command], [str(mutant), seed, str(register), output,
                           str(folder / "senior.csv"), str(folder / "junior.csv")]


def _mutant_return(rng: random.Random, folder: Path) -> Path:
    """A published return with one of its two files damaged; the damaged one's path."""
    files = [SYNTHETIC / "agency-2013-09-30-senior.csv",
             SYNTHETIC / "agency-2013-09-30-junior.csv"]
    paths = [folder / "senior.csv", folder / "junior.csv"]
    which = rng.randrange(2)
    for index, (source, path) in enumerate(zip(files, paths)):
        data = source.read_bytes()
        path.write_bytes(mutate_text(data, rng) if index == which else data)
    return paths[which]


@pytest.mark.parametrize("command", ["cost", "check", "diff", "compare", "project", "report",
                                     "staffing", "import organogram", "register record",
                                     "register cost"])
def test_every_command_exits_0_or_2_naming_a_file_or_option(command, seed_register, tmp_path):
    """Mutated inputs through each command (with a register that costs cleanly): exit 0 or 2
    (1 for check's own finding), never 70, and every exit 2 names a file or an option in
    the user's words."""
    rng = random.Random(f"{SEED}-{command}")
    seeds = _seeds(tmp_path)
    for number in range(COMMAND_MUTANTS):
        register = tmp_path / "r.db"
        shutil.copyfile(seed_register, register)
        if command == "register record":
            mutant = tmp_path / "changes.toml"
            mutant.write_bytes(mutate_text(CHANGES, rng))
        elif command == "import organogram":
            mutant = _mutant_return(rng, tmp_path)
        elif command == "register cost" and number % 2:
            mutant = register
            register.write_bytes(mutate_db(register.read_bytes(), rng))
        else:
            mutant = _mutant_structure(("toml", "csv", "xlsx")[number % 3], seeds, rng,
                                       tmp_path)
        argv, paths = _argv(command, mutant, tmp_path, register, rng)
        code, said = _run(argv)
        label = f"{command} mutant {number} (seed {SEED}): {' '.join(argv)}"
        allowed = (0, 1, 2) if command == "check" else (0, 2)
        assert code in allowed and "Traceback" not in said, f"{label}: exit {code}\n{said}"
        if code == 2:
            assert _named(said, paths), f"{label}: exit 2 not in the user's words:\n{said}"


@pytest.mark.parametrize("day", HOSTILE_DATES)
def test_a_register_source_on_any_date_exits_0_or_2_naming_it(day, seed_register):
    code, said = _run(["cost", f"{seed_register}@{day}", "--format", "csv"])
    assert code in (0, 2) and "Traceback" not in said, said
    if code == 2:
        assert _named(said, [str(seed_register)]), said


def mutate_db(data: bytes, rng: random.Random) -> bytes:
    """A damaged register: bytes flipped past the header, or the file cut short."""
    if rng.random() < 0.5:
        return data[:rng.randrange(len(data))]
    out = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        at = rng.randrange(len(out))
        out[at] ^= 1 << rng.randrange(8)
    return bytes(out)

"""Start-up: help and argument errors answer without importing pandas or numpy (PEP 562 lazy
package names; command modules imported when their command is given)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, sys
from establishment.cli.main import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit_:
    code = exit_.code
heavy = sorted(m for m in ("pandas", "numpy", "pyarrow", "tabulate", "openpyxl")
               if m in sys.modules)
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


def probe(*args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=60)
    return json.loads(done.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [("--help",), (), ("no-such-command",), ("cost",),
                                  ("cost", "--help"), ("diff", "a.csv"), ("check",),
                                  ("compare", "--help"), ("project", "x.toml"),
                                  ("cost", "x.csv", "--format", "odt")])
def test_help_and_argument_errors_load_no_pandas(args):
    found = probe(*args)
    assert found["code"] in (0, 2)
    assert found["heavy"] == []


def test_the_package_imports_names_on_first_use():
    code = ("import sys, establishment, pay_scales\n"
            "assert 'pandas' not in sys.modules\n"
            "from establishment import Structure, diff, projection\n"
            "import establishment.diff, establishment.projection\n"
            "assert callable(diff) and callable(establishment.diff), establishment.diff\n"
            "assert callable(establishment.projection)\n"
            "import establishment.tables.render\n"
            "assert callable(establishment.tables.render), establishment.tables.render\n"
            "assert establishment.io.load_structure is establishment.load_structure\n"
            "assert pay_scales.load_employer('nottinghamshire')\n"
            "print(sorted(set(establishment.__all__) - set(dir(establishment))))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_every_exported_name_resolves():
    import establishment
    import pay_scales
    from establishment import tables

    for package in (establishment, pay_scales, tables):
        for name in package.__all__:
            assert getattr(package, name) is not None, name


def test_command_table_help_matches_each_command():
    """main.COMMANDS repeats each command's one-line help for the fast top-level --help; it
    must say what the command's own register() says."""
    from establishment.cli.main import COMMANDS, build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    helps = {choice.dest: choice.help for choice in sub._choices_actions}
    assert helps == {name: summary for name, (_, summary) in COMMANDS.items()}

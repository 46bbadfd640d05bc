"""Entry point: parse arguments, run a command, map errors to exit codes.

Exit status: 0 ok; 1 a reconciliation or budget check failed; 2 bad input (a file, an argument,
data that cannot be costed), with one clear message per problem and never a traceback.
A command module exposes ``register(subparsers)`` and sets ``run`` (args -> exit status).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from establishment.cli import (
    cmd_check,
    cmd_compare,
    cmd_cost,
    cmd_diff,
    cmd_import,
    cmd_project,
    cmd_register,
    cmd_scenario,
)
from establishment.cli.options import CliError
from establishment.errors import EstablishmentError, LoadError
from pay_scales.errors import PayScaleError

COMMANDS = [cmd_cost, cmd_check, cmd_scenario, cmd_import, cmd_project, cmd_diff, cmd_compare,
            cmd_register]

EPILOG = """examples:
  establishment scenario list
  establishment scenario run 2018-short-breaks --format github
  establishment cost posts.toml --pay-year 2018/19 --from 2018-07-01 --to 2019-03-31
  establishment check hr-export.csv
  establishment cost hr-export.xlsx --output committee.xlsx
  establishment project posts.toml --from 2018-04 --months 60 --award 2% --by team
  establishment import organogram SENIOR.csv JUNIOR.csv --output return.toml --lenient
  establishment diff current.toml proposed.toml --format github
  establishment compare current.toml option-a.toml option-b.toml --chart options.png
  establishment register expiring council.db --on 2018-10-01 --within 6m
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="establishment", description="Cost, compare and report UK public-sector staffing "
        "establishments.", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except LoadError as err:
        for problem in err.problems:
            print(f"establishment: {problem}", file=sys.stderr)
        return 2
    except (EstablishmentError, PayScaleError, CliError) as err:
        print(f"establishment: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("establishment: interrupted", file=sys.stderr)
        return 130


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())

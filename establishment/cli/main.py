"""Entry point: parse arguments, run a command, map errors to exit codes.

Exit status: 0 ok; 1 a reconciliation or budget check failed; 2 bad input (a file, an argument,
data that cannot be costed), with one clear message per problem and never a traceback.
A command module exposes ``register(subparsers)`` and sets ``run`` (args -> exit status). It is
listed in :data:`COMMANDS` with its one-line help and imported only when its command is given,
so ``establishment --help`` and a mistyped command answer without loading pandas.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# command -> (its module, its one-line help: the words its register() gives)
COMMANDS: dict[str, tuple[str, str]] = {
    "cost": ("establishment.cli.cmd_cost", "cost a structure file"),
    "check": ("establishment.cli.cmd_check", "check a structure file and list its problems"),
    "scenario": ("establishment.cli.cmd_scenario", "list or run committee scenarios"),
    "import": ("establishment.cli.cmd_import", "import a published return as a structure file"),
    "project": ("establishment.cli.cmd_project", "month-by-month cost projection"),
    "diff": ("establishment.cli.cmd_diff", "list and cost the changes between two structures"),
    "compare": ("establishment.cli.cmd_compare", "compare options side by side"),
    "register": ("establishment.cli.cmd_register", "the establishment register: decisions over "
                 "time"),
    "staffing": ("establishment.cli.cmd_staffing",
                 "establishment against staff in post, per team"),
}

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
  establishment staffing hr-export.csv --columns map.toml --pay-year 2018/19
"""


def no_abbreviations(parser: argparse.ArgumentParser) -> None:
    """Refuse abbreviated long options on ``parser`` and every subparser below it: with
    abbreviations, a typo such as ``--form 2020-07-01`` (for ``--from``) was taken as
    ``--format``."""
    parser.allow_abbrev = False
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                no_abbreviations(child)


def command_of(argv: Sequence[str]) -> str | None:
    """The command an argument list names (its first word that is not an option), if any."""
    return next((word for word in argv if not word.startswith("-")), None)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser, with the full options of the command ``argv`` names (every command when
    ``argv`` is None) and only the name and help line of the others."""
    from establishment import __version__

    chosen = command_of(argv) if argv is not None else None
    parser = argparse.ArgumentParser(
        prog="establishment", description="Cost, compare and report UK public-sector staffing "
        "establishments.", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, (module, summary) in COMMANDS.items():
        if argv is None or name == chosen:
            importlib.import_module(module).register(sub)
        else:
            sub.add_parser(name, help=summary)
    no_abbreviations(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(words).parse_args(words)
    from establishment.cli.options import CliError
    from establishment.errors import EstablishmentError, LoadError
    from pay_scales.errors import PayScaleError

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

"""Entry point: parse arguments, run a command, map errors to exit codes.

Exit status (docs/exit-codes-and-limits.md):

- 0 ok; 1 a reconciliation or budget check failed (never a crash);
- 2 bad input (a file, an argument, an output path that cannot be written, data that cannot
  be costed), with one clear located message per problem and never a traceback;
- 74 an output that could not be written (a full disk): one line;
- 70 anything unexpected (a bug): one line, and the traceback only with ``--debug``;
- 143 terminated by SIGTERM (turned into a normal exit, so temporary files are removed).

:func:`main` holds the one catch-all of the package: every other handler names what it catches.
A command module exposes ``register(subparsers)`` and sets ``run`` (args -> exit status). It is
listed in :data:`COMMANDS` with its one-line help and imported only when its command is given,
so ``establishment --help`` and a mistyped command answer without loading pandas.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import signal
import sys
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NoReturn

# command -> (its module, its one-line help: the words its register() gives)
COMMANDS: dict[str, tuple[str, str]] = {
    "cost": ("establishment.cli.cmd_cost", "cost a structure file"),
    "check": ("establishment.cli.cmd_check", "check a structure file and list its problems"),
    "scenario": ("establishment.cli.cmd_scenario", "list or run committee scenarios"),
    "import": ("establishment.cli.cmd_import", "import a published return as a structure file"),
    "project": ("establishment.cli.cmd_project", "month-by-month cost projection"),
    "diff": ("establishment.cli.cmd_diff", "list and cost the changes between two structures"),
    "compare": ("establishment.cli.cmd_compare", "compare options side by side"),
    "report": ("establishment.cli.cmd_report", "write the costing section of a committee report"),
    "register": ("establishment.cli.cmd_register", "the establishment register: decisions over "
                 "time"),
    "staffing": ("establishment.cli.cmd_staffing",
                 "establishment against staff in post, per team"),
    "read": ("establishment.cli.cmd_read",
             "read a committee report (.txt, .docx, .pdf) into a scenario file"),
    "audit": ("establishment.cli.cmd_audit",
              "read a committee report and check every figure it publishes"),
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
  establishment report 2018-short-breaks --output report.html
  establishment register expiring council.db --on 2018-10-01 --within 6m
  establishment staffing hr-export.csv --columns map.toml --pay-year 2018/19
"""


class Parser(argparse.ArgumentParser):
    """argparse with "did you mean" for a mistyped command, choice or option (argparse
    suggests only from Python 3.14; the project supports 3.11, so :mod:`difflib` here). An
    option the command does not know is reported with that command's usage, not the
    top-level one."""

    chosen: argparse.ArgumentParser | None = None  # the parser of the command given

    def error(self, message: str) -> NoReturn:
        target = self
        if message.startswith("unrecognized arguments:") and self.chosen is not None:
            target = self.chosen
        argparse.ArgumentParser.error(target, message + did_you_mean(message, target))


def _options(parser: argparse.ArgumentParser) -> list[str]:
    return [name for action in parser._actions for name in action.option_strings
            if name.startswith("--")]


def did_you_mean(message: str, parser: argparse.ArgumentParser) -> str:
    """The closest known words to those an argparse ``message`` refuses (an invalid choice,
    unrecognized options), as ``"; did you mean ...?"``, or "" when none is close."""
    if "did you mean" in message or "maybe you meant" in message:
        return ""
    wanted: list[tuple[str, list[str]]] = []
    if "invalid choice:" in message and "(choose from " in message:
        given = message.split("invalid choice:", 1)[1].split("(choose from ", 1)
        choices = [c.strip().strip("'\"") for c in given[1].rstrip(")").split(",")]
        wanted.append((given[0].strip().strip("'\""), choices))
    elif message.startswith("unrecognized arguments:"):
        options = _options(parser)
        wanted += [(word.split("=", 1)[0], options)
                   for word in message.split(":", 1)[1].split() if word.startswith("-")]
    found = [match[0] for word, known in wanted
             if (match := difflib.get_close_matches(word, known, n=1, cutoff=0.6))]
    return f"; did you mean {' '.join(found)}?" if found else ""


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
    parser = Parser(
        prog="establishment", description="Cost, compare and report UK public-sector staffing "
        "establishments.", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show the traceback of an internal error (exit 70)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, (module, summary) in COMMANDS.items():
        if argv is None or name == chosen:
            importlib.import_module(module).register(sub)
        else:
            sub.add_parser(name, help=summary)
    if chosen in sub.choices:
        parser.chosen = sub.choices[chosen]
    no_abbreviations(parser)
    return parser


EX_OK, EX_CHECK, EX_INPUT, EX_SOFTWARE, EX_IOERR, EX_INTERRUPTED, EX_TERM = (
    0, 1, 2, 70, 74, 130, 143)


@contextmanager
def _sigterm_exits() -> Iterator[None]:
    """SIGTERM raises SystemExit while a command runs, so ``finally`` blocks and the atomic
    writer's clean-up run: a terminated write leaves no temporary file behind."""
    def stop(signum: int, frame: object) -> None:
        raise SystemExit(EX_TERM)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _say(message: str) -> None:
    print(f"establishment: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in words  # anywhere on the line, as users put it
    words = [w for w in words if w != "--debug"]
    args = build_parser(words).parse_args(words)
    with _sigterm_exits():
        try:
            return _run(args)
        except Exception as err:  # the one catch-all: a bug, reported in one line
            if debug:
                traceback.print_exc()
            detail = " ".join(str(err).split())[:200]
            _say(f"internal error ({type(err).__name__}{': ' + detail if detail else ''}); "
                 "this is a bug in establishment" + ("" if debug else
                                                     ": rerun with --debug for the traceback"))
            return EX_SOFTWARE


def _run(args: argparse.Namespace) -> int:
    """Run the command; map the errors a user can cause to their exit codes."""
    from establishment.cli.options import CliError
    from establishment.errors import EstablishmentError, LoadError, OutputError
    from pay_scales.errors import PayScaleError

    try:
        return int(args.run(args))
    except LoadError as err:
        for problem in err.problems:
            _say(str(problem))
        return EX_INPUT
    except (EstablishmentError, PayScaleError, CliError) as err:
        _say(f"error: {err}")
        return EX_INPUT
    except BrokenPipeError:
        return EX_OK
    except OutputError as err:
        _say(f"error: {err}")
        return EX_IOERR
    except KeyboardInterrupt:
        _say("interrupted")
        return EX_INTERRUPTED


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())

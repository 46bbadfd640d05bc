"""``establishment import organogram SENIOR.csv JUNIOR.csv --output FILE``: a published UK
government organogram return as a structure file.

Strict by default: any problem in the return fails with every problem located
(``file:line: message``, exit 2) and nothing written. ``--lenient`` loads the sound rows,
writes the file, and reports the counts and each skipped row on standard error. ``--tables``
also prints the return costed by unit and by grade, and each senior post's reporting tree
beside the published "Salary Cost of Reports".
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from establishment.cli.options import CliError, cli_date, emit_tables
from establishment.io import load_structure_file
from establishment.model.vocabulary import RANGE_POINTS
from establishment.operations.diff import diff
from establishment.organogram import EMPLOYER, basis_line, import_organogram
from establishment.organogram.returns import ImportReport, ReturnLoadError
from establishment.organogram.tables import diff_unit_table, organogram_tables
from pay_scales.dates import parse_pay_year

EXAMPLES = """examples:
  establishment import organogram ne-2011-09-30-senior.csv ne-2011-09-30-junior.csv \\
      --output ne-2011-09.toml
  establishment import organogram dfid-2013-03-31-senior.csv dfid-2013-03-31-junior.csv \\
      --output dfid-2013-03.toml --lenient --tables --format github
  establishment import organogram ne-2011-09-30-senior.csv ne-2011-09-30-junior.csv \\
      --output ne-2011-09.toml --since ne-2011-03.toml
"""

NOTES_SHOWN = 20


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("import", help="import a published return as a structure file",
                            description="Import published data as a structure file.")
    kinds = parser.add_subparsers(dest="kind", metavar="KIND")
    kinds.required = True
    org = kinds.add_parser(
        "organogram", help="a UK government organogram return (senior and junior CSV)",
        description="Read an organogram return's senior and junior CSV files, check every "
        "row, and write the posts as a structure file (TOML) with its pay basis.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    org.add_argument("senior", help="the return's senior CSV")
    org.add_argument("junior", help="the return's junior CSV")
    org.add_argument("--output", "-o", required=True, metavar="FILE",
                     help="structure file to write (.toml, written atomically)")
    org.add_argument("--lenient", action="store_true",
                     help="load the sound rows and report each skipped row, instead of "
                     "failing on the first bad return")
    org.add_argument("--date", help="the return's date (ISO), when the file names do not "
                     "give it")
    org.add_argument("--range-point", choices=RANGE_POINTS, default="midpoint",
                     help="where in each pay range to cost (default: midpoint)")
    org.add_argument("--pay-year", help="pay year to cost in (default: the pay year of the "
                     "return's date: 31 March 2016 is in 2015/16)")
    org.add_argument("--rule", help="the employer's on-cost rule (default: the employer's "
                     "default, 'pcsps' for the civil service: rates and bands by date)")
    org.add_argument("--employer", default=EMPLOYER,
                     help=f"employer key or folder for the on-cost rules (default: {EMPLOYER})")
    org.add_argument("--tables", action="store_true",
                     help="print the return costed by unit and grade, and each senior post's "
                     "reporting tree beside the published salary cost of reports")
    org.add_argument("--since", metavar="EARLIER.toml",
                     help="also print what changed since an earlier return of the same "
                     "organisation (a structure file this command wrote), by unit, costed on "
                     "this return's basis")
    org.add_argument("--verbose", "-v", action="count", default=0,
                     help="list every problem and note (by default the first 20 of each)")
    fmt = org.add_argument_group("tables output (with --tables or --since)")
    fmt.add_argument("--format", "-f", default="plain",
                     choices=("plain", "github", "html", "latex", "csv"),
                     help="format of the tables on standard output (default: plain)")
    org.set_defaults(run=run)


def _date(text: str | None) -> dt.date | None:
    """``--date``, read as every date a user types is (:func:`cli_date`)."""
    return cli_date(text, "--date") if text else None


def _shown(items: tuple, what: str, verbose: int, prefix: str) -> None:
    """The first ``NOTES_SHOWN`` items (all with -v), then how many more there are."""
    shown = items if verbose else items[:NOTES_SHOWN]
    for item in shown:
        print(f"establishment: {prefix}{item}", file=sys.stderr)
    if len(shown) < len(items):
        print(f"establishment: ... and {len(items) - len(shown)} more {what} (--verbose "
              f"lists them all)", file=sys.stderr)


def _summary(report: ImportReport, head: str) -> None:
    print(f"establishment: {head}: {report.counts()}", file=sys.stderr)
    for line in report.summary():
        print(f"establishment:   {line}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from establishment.engine.costing import cost
    pay_year = None
    if args.pay_year:
        try:
            pay_year = parse_pay_year(args.pay_year)
        except ValueError as err:
            raise CliError(f"--pay-year: {err}") from None
    try:
        imported = import_organogram(args.senior, args.junior, strict=not args.lenient,
                                     output=args.output, date=_date(args.date),
                                     range_point=args.range_point, employer=args.employer,
                                     pay_year=pay_year, rule=args.rule)
    except ReturnLoadError as err:  # strict: every problem found and counted, nothing written
        _summary(err.report, "not written (strict; --lenient skips the rows with problems)")
        _shown(tuple(err.problems), "problems", args.verbose, "")
        return 2
    report = imported.report
    _summary(report, f"wrote {args.output}: {imported.structure.name}")
    print(f"establishment: {basis_line(imported.basis, imported.organogram.date)}",
          file=sys.stderr)
    _shown(report.problems, "problems", args.verbose, "skipped: ")
    _shown(report.notes, "notes", args.verbose, "note: ")
    tables = []
    if args.tables:
        costing = cost(imported.structure, imported.basis)
        tables += organogram_tables(imported.organogram, costing)
    if args.since:
        earlier = load_structure_file(args.since)
        found = diff(earlier.structure, imported.structure, imported.basis)
        tables.append(diff_unit_table(found, f"Changes by unit from {earlier.structure.name} "
                                             f"to {imported.structure.name}"))
    if tables:
        args.output = None  # the tables go to standard output
        args.format_given = True
        emit_tables(args, tables)
    return 0

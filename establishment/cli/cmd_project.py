"""``establishment project FILE``: month-by-month costs over several years.

Prints the cost of each month (by team, grade or funding source when asked) with its
components, then each pay year's totals (the sums of its months), and the assumptions behind
any approximate figure.
"""

from __future__ import annotations

import argparse
from decimal import Decimal

from establishment.cli.options import (
    CliError,
    add_format,
    add_input,
    add_verbose,
    basis_from_args,
    emit_tables,
    load_from_args,
)
from establishment.errors import ValidationError
from pay_scales.employer import POINTS

EXAMPLES = """examples:
  establishment project posts.toml --from 2018-04 --months 60
  establishment project posts.toml --from 2024-04 --months 36 --award 2% --by team
  establishment project posts.toml --from 2019-04 --months 12 --vacancy-factor 3% --format csv
"""


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "project", help="month-by-month cost projection",
        description="Project a structure's cost month by month: increments each April (or "
        "each post's increment date) to the top of its grade, agreed pay awards from the pay "
        "data, an assumed award for years without data (figures marked approximate), "
        "vacancy and temporary end dates. A pay year's total is the sum of its months.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_input(parser)
    parser.add_argument("--from", dest="start", required=True, metavar="MONTH",
                        help="first month, e.g. 2018-04")
    parser.add_argument("--months", type=int, default=12, help="number of months (default 12)")
    parser.add_argument("--award", help="pay award assumed for years with no pay data, e.g. 2%%")
    parser.add_argument("--vacancy-factor", default="0",
                        help="share of post costs expected to go unspent, e.g. 3%% (default 0)")
    parser.add_argument("--vacant", choices=("cost", "exclude"), default="cost",
                        help="cost vacant posts like filled ones (default) or leave them out")
    parser.add_argument("--by", choices=("team", "grade", "funding"),
                        help="one row per team, grade or funding source and month")
    parser.add_argument("--years-only", action="store_true",
                        help="print only the pay-year totals, not every month")
    group = parser.add_argument_group("pay basis (defaults: the file's [basis], else the "
                                      "employer's default rule)")
    group.add_argument("--employer", help="bundled employer key or employer folder")
    group.add_argument("--basis", choices=POINTS, dest="point",
                       help="cost at each post's scp (actual, increments) or every grade's top "
                       "or bottom (no increments)")
    group.add_argument("--rule", help="the employer's on-cost rule (see its employer.toml)")
    add_format(parser)
    add_verbose(parser)
    parser.set_defaults(run=run, pay_year=None)


def run(args: argparse.Namespace) -> int:
    from establishment.projection import parse_month, parse_rate, projection
    from establishment.tables.projection import projection_tables

    try:
        start = parse_month(args.start)
        award = parse_rate(args.award, "--award")
        factor = parse_rate(args.vacancy_factor, "--vacancy-factor")
    except ValidationError as err:  # name the option the user typed, not the parameter
        option = "--from" if err.field == "start" else err.field
        raise CliError(f"{option}: expected {err.expected}, got {err.found!r}") from None
    text = args.start.strip()
    if len(text) > 7 and text[8:10] != "01":
        # a projection runs in whole months: 2018-04-15 would silently start on 1 April
        raise CliError(f"--from: a projection starts at the beginning of a month; give the "
                       f"month, such as {text[:7]} (got {args.start!r})")
    if args.months < 1 or args.months > 1200:
        raise CliError(f"--months must be between 1 and 1200 (got {args.months})")
    loaded = load_from_args(args, check=False)
    args.pay_year = str(start.year if start.month >= 4 else start.year - 1)  # the first month's
    basis = basis_from_args(args, loaded.basis)
    result = projection(loaded.structure, basis, start, args.months, award=award,
                        vacancy_factor=factor or Decimal(0), vacant=args.vacant)
    emit_tables(args, projection_tables(result, args.by, years_only=args.years_only))
    return 0

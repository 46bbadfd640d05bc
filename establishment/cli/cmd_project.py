"""``establishment project FILE``: month-by-month costs over several years.

Prints the cost of each month (by team, grade or funding source when asked) with its
components, then each pay year's totals (the sums of its months), and the assumptions behind
any figure marked [a]. ``--profile`` shares each pay year across its months in twelfths or by
working days instead of calendar days (the budget profile).
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any

from establishment.cli.options import (
    CliError,
    add_basis,
    emit_tables,
    read_with_basis,
    structure_command,
)
from establishment.errors import ValidationError

EXAMPLES = """examples:
  establishment project posts.toml --from 2018-04 --months 60
  establishment project posts.toml --from 2026-04 --months 24 --award 2026/27=3.2% \\
      --award 2027/28=2.5% --by team
  establishment project posts.toml --from 2019-04 --months 12 --vacancy-factor 3% --format csv
  establishment project posts.toml --from 2026-04 --award 3% --profile working-days
"""
PROFILES = ("days", "twelfths", "working-days")


def register(sub: argparse._SubParsersAction) -> None:
    parser = structure_command(
        sub, "project", summary="month-by-month cost projection", run=run, basis=False,
        description="Project a structure's cost month by month: increments each April (or "
        "each post's increment date) to the top of its grade, agreed pay awards from the pay "
        "data, an assumed award for years without data (--award 2026/27=3.2%%, or a bare "
        "--award 3.2%% for every year after the data; figures marked [a]), "
        "vacancy and temporary end dates. A pay year's total is the sum of its months.",
        examples=EXAMPLES)
    add_projection_options(parser)
    parser.add_argument("--years-only", action="store_true",
                        help="print only the pay-year totals, not every month")


def add_projection_options(parser: argparse.ArgumentParser, *, profile_default: str = "days",
                           groups: tuple[str, ...] = ("team", "grade", "funding")) -> None:
    """The options of a projection (``project``, ``monitor``): the window, the vacancy
    factor, vacant posts, the grouping, the profile and the pay basis with ``--award``."""
    parser.add_argument("--from", dest="start", required=True, metavar="MONTH",
                        help="first month, e.g. 2018-04")
    parser.add_argument("--months", type=int, default=12, help="number of months (default 12)")
    parser.add_argument("--vacancy-factor", default="0",
                        help="share of post costs expected to go unspent, e.g. 3%% (default 0)")
    parser.add_argument("--vacant", choices=("cost", "exclude"), default="cost",
                        help="cost vacant posts like filled ones (default) or leave them out")
    parser.add_argument("--by", choices=groups,
                        help=f"one row per {', '.join(groups)} (funding: cost centre)")
    parser.add_argument("--profile", choices=PROFILES, default=profile_default,
                        help="share each pay year across its months by calendar days, in "
                        "twelfths, or by working days (England and Wales bank holidays, or "
                        f"--calendar; default {profile_default})")
    parser.add_argument("--calendar", metavar="CSV",
                        help="holidays for --profile working-days: a CSV of date,name "
                        "(default: England and Wales bank holidays)")
    add_basis(parser, pay_year=False, period=False)  # --from is the first month
    parser.set_defaults(pay_year=None)


def projection_from_args(args: argparse.Namespace) -> tuple[Any, Any]:
    """The projection the options ask for, and the calendar of a working-days profile."""
    from pathlib import Path

    from establishment.operations.projection import parse_month, parse_rate, projection
    from pay_scales.calendar import load_calendar

    try:
        start = parse_month(args.start)
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
    calendar = load_calendar(Path(args.calendar)) if args.calendar else None
    if calendar is not None and args.profile != "working-days":
        raise CliError("--calendar goes with --profile working-days")
    args.pay_year = str(start.year if start.month >= 4 else start.year - 1)  # the first month's
    loaded, basis = read_with_basis(args, check=False)
    result = projection(loaded.structure, basis, start, args.months,
                        vacancy_factor=factor or Decimal(0), vacant=args.vacant)
    return result, calendar


def run(args: argparse.Namespace) -> int:
    from establishment.tables.projection import projection_tables

    result, calendar = projection_from_args(args)
    emit_tables(args, projection_tables(result, args.by, years_only=args.years_only,
                                        profile=args.profile, calendar=calendar))
    return 0

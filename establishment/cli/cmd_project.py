"""``establishment project FILE``: month-by-month costs over several years.

Prints the cost of each month (by team, grade or funding source when asked) with its
components, then each pay year's totals (the sums of its months), and the assumptions behind
any approximate figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from establishment.cli.options import (
    CliError,
    add_basis,
    emit_tables,
    read_with_basis,
    structure_command,
)
from establishment.errors import ValidationError
from establishment.style import format_month
from establishment.tables.table import Column, Table

if TYPE_CHECKING:
    from establishment.projection import Projection

EXAMPLES = """examples:
  establishment project posts.toml --from 2018-04 --months 60
  establishment project posts.toml --from 2024-04 --months 36 --award 2% --by team
  establishment project posts.toml --from 2019-04 --months 12 --vacancy-factor 3% --format csv
"""
LABELS = {"team": "Team", "grade": "Grade", "funding": "Funding source", None: "Group"}


def register(sub: argparse._SubParsersAction) -> None:
    parser = structure_command(
        sub, "project", summary="month-by-month cost projection", run=run, basis=False,
        description="Project a structure's cost month by month: increments each April (or "
        "each post's increment date) to the top of its grade, agreed pay awards from the pay "
        "data, an assumed award for years without data (figures marked approximate), "
        "vacancy and temporary end dates. A pay year's total is the sum of its months.",
        examples=EXAMPLES)
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
    add_basis(parser, pay_year=False, period=False)  # --from is the first month
    parser.set_defaults(pay_year=None)


def run(args: argparse.Namespace) -> int:
    from establishment.projection import parse_month, parse_rate, projection

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
    args.pay_year = str(start.year if start.month >= 4 else start.year - 1)  # the first month's
    loaded, basis = read_with_basis(args, check=False)
    result = projection(loaded.structure, basis, start, args.months, award=award,
                        vacancy_factor=factor or Decimal(0), vacant=args.vacant)
    tables = [] if args.years_only else [monthly_table(result, args.by)]
    tables.append(yearly_table(result, args.by))
    emit_tables(args, tables)
    return 0


def _notes(result: Projection) -> list[str]:
    notes = [f"Basis: {result.basis.describe()}",
             "Each line's pay-year cost is rounded to £1 once and shared across its months "
             "(largest remainder), so a pay year is the sum of its months."]
    if result.vacancy_factor:
        notes.append(f"Vacancy factor {(result.vacancy_factor * 100).normalize():f}% on "
                     f"post costs.")
    notes += [f"Assumption: {a}" for a in result.assumptions]
    if result.approximate.any():
        notes.append("'approximate' marks figures that rest on an assumption above.")
    return notes


def _value_columns(frame, skip: tuple[str, ...]) -> list[str]:
    return [c for c in frame.columns if c not in skip]


def monthly_table(result: Projection, by: str | None) -> Table:
    """One row per month (and group): components, total, and whether it is approximate."""
    frame = result.monthly(by)
    group = frame.columns[0]
    values = _value_columns(frame, (group, "month", "approximate"))
    kind = "money"
    columns = [Column("Month", "month")] + ([Column(LABELS[by])] if by else [])
    columns += [Column(v[0].upper() + v[1:] if v != "total" else "Total (month)", kind)
                for v in values]
    columns.append(Column("Figures"))
    rows = []
    for data in frame.to_dict("records"):
        row = [_day(data["month"])] + ([data[group]] if by else [])
        row += [data[v] for v in values]
        row.append("approximate" if data["approximate"] else "agreed")
        rows.append(row)
    total = ["Total"] + ([""] if by else []) + [sum(frame[v], Decimal(0)) for v in values]
    total.append("")
    first, last = result.months[0], result.months[-1]
    title = f"Monthly cost {format_month(first)} to {format_month(last)}"
    return Table(columns, rows, title, total, _notes(result), name="monthly")


def yearly_table(result: Projection, by: str | None) -> Table:
    """One row per pay year (and group): the sums of its months."""
    frame = result.yearly(by)
    group = frame.columns[0]
    values = _value_columns(frame, (group, "pay_year", "months", "approximate"))
    kind = "money"
    columns = [Column("Pay year")] + ([Column(LABELS[by])] if by else [])
    columns += [Column("Months", "number")]
    columns += [Column(v[0].upper() + v[1:] if v != "total" else "Total (pay year)", kind)
                for v in values]
    columns.append(Column("Figures"))
    rows = []
    for data in frame.to_dict("records"):
        row = [data["pay_year"]] + ([data[group]] if by else []) + [int(data["months"])]
        row += [data[v] for v in values]
        row.append("approximate" if data["approximate"] else "agreed")
        rows.append(row)
    total = ["Total"] + ([""] if by else []) + [None]
    total += [sum(frame[v], Decimal(0)) for v in values] + [""]
    return Table(columns, rows, "Cost by pay year (sum of its months)", total, _notes(result),
                 name="yearly")


def _day(value: object) -> dt.date:
    """A month of the projection as the date of its first day (XLSX shows it "Apr 2018")."""
    import pandas as pd

    return value if type(value) is dt.date else pd.Timestamp(value).date()

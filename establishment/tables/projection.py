"""A projection's tables: one row per month (and group), then one per pay year.

Built from a :class:`~establishment.operations.projection.Projection`'s roll-ups
(``monthly(by)``, ``yearly(by)``) with the notes that say what the figures rest on (the
basis, the rounding, the vacancy factor and every assumption).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs
import pandas as pd

from establishment.model.money import pence_to_pounds
from establishment.model.style import format_month
from establishment.tables.markers import MARKERS
from establishment.tables.table import Column, Table

if TYPE_CHECKING:
    from establishment.operations.projection import Projection
    from pay_scales.calendar import Calendar

ASSUMED = "[a]"  # the one marker of a figure resting on an assumption, as cost tables show it
# the grouping a projection's tables can be split by, and its column heading
GROUP_LABELS = {"team": "Team", "grade": "Grade", "funding": "Funding source", None: "Group"}


def projection_notes(result: Projection) -> list[str]:
    """What a projection's figures rest on: the basis, the rounding, the vacancy factor and
    each assumption."""
    notes = [f"Basis: {result.basis.describe()}",
             f"Each line's pay-year cost is rounded to {result.basis.unit.words} once and shared "
             "across its months (largest remainder), so a pay year is the sum of its months."]
    if result.vacancy_factor:
        notes.append(f"Vacancy factor {(result.vacancy_factor * 100).normalize():f}% on "
                     f"post costs.")
    notes += [f"Assumption: {a}" for a in result.assumptions]
    if result.approximate.any():
        notes.append(f"[a] {MARKERS['assumed'].text}")
    return notes


def _money_columns(values: list[str], total_heading: str, kind: str = "money"
                   ) -> list[Column]:
    """The money columns, shown in whole pounds (``money``) or pounds and pence (``pence``:
    a basis with ``round_to = "penny"``)."""
    return [Column(v[0].upper() + v[1:] if v != "total" else total_heading, kind)
            for v in values]


def _kind(result: Projection) -> str:
    return result.unit.kind


def _rows(frame: pd.DataFrame, by: str | None, values: list[str],
          first: Callable[[dict[str, Any]], Any],
          counts: Callable[[dict[str, Any]], list[Any]] = lambda data: []) -> list[list[Any]]:
    """One row per line of a roll-up: its ``first`` cell, the group (when split), any
    ``counts``, the money columns and the marker ``[a]`` when a figure rests on an assumption."""
    group = frame.columns[0]
    rows = []
    for data in frame.to_dict("records"):
        row = [first(data)] + ([data[group]] if by else []) + counts(data)
        row += [data[v] for v in values]
        row.append(ASSUMED if data["approximate"] else "")
        rows.append(row)
    return rows


def monthly_table(result: Projection, by: str | None = None) -> Table:
    """One row per month (and group): components, total, and whether it is approximate."""
    frame = result.monthly(by)
    values = [c for c in frame.columns if c not in (frame.columns[0], "month", "approximate")]
    columns = [Column("Month", "month")] + ([Column(GROUP_LABELS[by])] if by else [])
    columns += _money_columns(values, "Total (month)", _kind(result)) + [Column("Figures")]
    rows = _rows(frame, by, values, lambda data: first_day(data["month"]))
    total = ["Total"] + ([""] if by else []) + [sum(frame[v], Decimal(0)) for v in values]
    total.append("")
    first, last = result.months[0], result.months[-1]
    title = f"Monthly cost {format_month(first)} to {format_month(last)}"
    return Table(columns, rows, title, total, projection_notes(result), name="monthly")


def yearly_table(result: Projection, by: str | None = None) -> Table:
    """One row per pay year (and group): the sums of its months."""
    frame = result.yearly(by)
    values = [c for c in frame.columns
              if c not in (frame.columns[0], "pay_year", "months", "approximate")]
    columns = [Column("Pay year")] + ([Column(GROUP_LABELS[by])] if by else [])
    columns += [Column("Months", "number")]
    columns += _money_columns(values, "Total (pay year)", _kind(result)) + [
        Column("Figures")]
    rows = _rows(frame, by, values, lambda data: data["pay_year"],
                 lambda data: [int(data["months"])])
    total = ["Total"] + ([""] if by else []) + [None]
    total += [sum(frame[v], Decimal(0)) for v in values] + [""]
    return Table(columns, rows, "Cost by pay year (sum of its months)", total,
                 projection_notes(result), name="yearly")


def projection_tables(result: Projection, by: str | None = None, *,
                      years_only: bool = False, profile: str = "days",
                      calendar: Calendar | None = None) -> list[Table]:
    """The monthly table (unless ``years_only``; profiled by ``profile``) and the pay-year
    table, each naming the profile."""
    from establishment.operations.profile import describe_profile

    named = describe_profile(profile, calendar)
    tables = []
    if not years_only:
        tables.append(monthly_table(result, by) if profile == "days"
                      else profiled_table(result, by, profile, calendar))
    tables.append(yearly_table(result, by))
    return [attrs.evolve(t, notes=(*t.notes, f"Months: {named}.")) for t in tables]


def profiled_table(result: Projection, by: str | None, profile: str,
                   calendar: Calendar | None = None) -> Table:
    """One row per month (and group): the month's total under a budget profile (each pay
    year shared across its months in twelfths or by working days; the pay years' totals are
    the projection's)."""
    from establishment.operations.profile import describe_profile, profile_amounts

    names, pence = result.roll_up(profile_amounts(result, profile, calendar), by)
    approx = result.monthly(by)["approximate"].tolist()
    kind = _kind(result)
    rows = []
    for g, name in enumerate(names):
        for j, month in enumerate(result.months):
            rows.append([month] + ([name] if by else [])
                        + [pence_to_pounds(pence[g, j]),
                           ASSUMED if approx[g * len(result.months) + j] else ""])
    columns = [Column("Month", "month")] + ([Column(GROUP_LABELS[by])] if by else [])
    columns += [Column("Total (month)", kind), Column("Figures")]
    total = ["Total"] + ([""] if by else []) + [pence_to_pounds(pence.sum()), ""]
    first, last = result.months[0], result.months[-1]
    title = (f"Monthly cost {format_month(first)} to {format_month(last)} "
             f"({describe_profile(profile, calendar)})")
    return Table(columns, rows, title, total, projection_notes(result), name="monthly")


def first_day(value: object) -> dt.date:
    """A month of the projection as the date of its first day (XLSX shows it "Apr 2018")."""
    return value if type(value) is dt.date else pd.Timestamp(value).date()

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

import pandas as pd

from establishment.model.style import format_month
from establishment.tables.table import Column, Table

if TYPE_CHECKING:
    from establishment.operations.projection import Projection

# the grouping a projection's tables can be split by, and its column heading
GROUP_LABELS = {"team": "Team", "grade": "Grade", "funding": "Funding source", None: "Group"}


def projection_notes(result: Projection) -> list[str]:
    """What a projection's figures rest on: the basis, the rounding, the vacancy factor and
    each assumption."""
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
    ``counts``, the money columns and whether the figures are agreed or approximate."""
    group = frame.columns[0]
    rows = []
    for data in frame.to_dict("records"):
        row = [first(data)] + ([data[group]] if by else []) + counts(data)
        row += [data[v] for v in values]
        row.append("approximate" if data["approximate"] else "agreed")
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
                      years_only: bool = False) -> list[Table]:
    """The monthly table (unless ``years_only``) and the pay-year table."""
    tables = [] if years_only else [monthly_table(result, by)]
    tables.append(yearly_table(result, by))
    return tables


def first_day(value: object) -> dt.date:
    """A month of the projection as the date of its first day (XLSX shows it "Apr 2018")."""
    return value if type(value) is dt.date else pd.Timestamp(value).date()

"""The budget monitor's tables: month by month, then the forecast outturn by group.

Each names its profile in its title and notes (a budget profiled in twelfths and one by
working days differ month by month, never in the year's total).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from establishment.model.money import pence_to_pounds
from establishment.model.style import format_month
from establishment.tables.markers import MARKERS
from establishment.tables.table import Column, Table

if TYPE_CHECKING:
    from establishment.operations.monitor import Monitor

GROUP_LABELS = {"team": "Team", "funding": "Cost centre"}


def monitor_notes(result: Monitor) -> list[str]:
    """The basis, the profile, the vacancy factor, the months to date and the sign rule."""
    projection = result.projection
    notes = [f"Basis: {projection.basis.describe()}",
             f"Budget {result.profile_text}: each line's pay-year cost (rounded to "
             f"{projection.basis.unit.words} once) "
             f"shared across its months by largest remainder."]
    if projection.vacancy_factor:
        notes.append(f"Vacancy factor {(projection.vacancy_factor * 100).normalize():f}% on "
                     f"post costs, as project applies it.")
    if result.to_date:
        notes.append(f"To date: {format_month(result.months[0])} to "
                     f"{format_month(result.months[result.to_date - 1])} (the last month "
                     f"with actuals); forecast outturn = actuals to date + the budget of the "
                     f"months after.")
    else:
        notes.append("No actuals yet: the forecast outturn is the budget.")
    notes.append("Variance = actual - budget: positive is an overspend.")
    notes += [f"Assumption: {a}" for a in projection.assumptions]
    if projection.approximate.any():
        notes.append(f"[a] {MARKERS['assumed'].text}")
    return notes


def _group_columns(result: Monitor) -> list[Column]:
    return [Column(GROUP_LABELS[result.by])] if result.by else []


def monthly_monitor_table(result: Monitor) -> Table:
    """One row per month (and group): budget, actual, variance, forecast."""
    forecast = result.forecast()
    rows = []
    for g, name in enumerate(result.groups):
        for j, month in enumerate(result.months):
            done = j < result.to_date
            actual = pence_to_pounds(result.actual[g, j]) if done else None
            variance = pence_to_pounds(result.actual[g, j] - result.budget[g, j]) if done else None
            rows.append([month] + ([name] if result.by else [])
                        + [pence_to_pounds(result.budget[g, j]), actual, variance,
                           pence_to_pounds(forecast[g, j])])
    columns = [Column("Month", "month"), *_group_columns(result), Column("Budget", "pence"),
               Column("Actual", "pence"), Column("Variance", "pence"),
               Column("Forecast", "pence")]
    done = slice(0, result.to_date)
    total = (["Total"] + ([""] if result.by else [])
             + [pence_to_pounds(result.budget.sum()), pence_to_pounds(result.actual[:, done].sum()),
                pence_to_pounds(result.actual[:, done].sum() - result.budget[:, done].sum()),
                pence_to_pounds(forecast.sum())])
    title = (f"Budget monitor {format_month(result.months[0])} to "
             f"{format_month(result.months[-1])} ({result.profile_text})")
    return Table(columns, rows, title, total, monitor_notes(result), name="monitor")


def outturn_table(result: Monitor) -> Table:
    """One row per group: the year's budget, to date, and the forecast outturn."""
    year, budget, actual, outturn = (result.budget_year(), result.budget_to_date(),
                                     result.actual_to_date(), result.outturn())
    values = [year, budget, actual, actual - budget, outturn, outturn - year]
    rows = [([name] if result.by else ["All"]) + [pence_to_pounds(v[g]) for v in values]
            for g, name in enumerate(result.groups)]
    label = GROUP_LABELS[result.by] if result.by else "Budget"
    columns = [Column(label), Column("Budget (year)", "pence"),
               Column("Budget to date", "pence"), Column("Actual to date", "pence"),
               Column("Variance to date", "pence"), Column("Forecast outturn", "pence"),
               Column("Outturn variance", "pence")]
    total = ["Total"] + [pence_to_pounds(v.sum()) for v in values]
    return Table(columns, rows, f"Forecast outturn ({result.profile_text})", total,
                 monitor_notes(result), name="outturn")


def monitor_tables(result: Monitor) -> list[Table]:
    return [monthly_monitor_table(result), outturn_table(result)]

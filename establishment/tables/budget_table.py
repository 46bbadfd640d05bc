"""The budget table: cost against budget, one column per budget (rendering only; the
comparison itself is :func:`establishment.operations.budget.compare_budget`)."""

from __future__ import annotations

from typing import Any

from establishment.operations.budget import BudgetComparison
from establishment.tables.table import Column, Table


def budget_table(comparisons: list[BudgetComparison], title: str = "Budget comparison") -> Table:
    """Cost, vacancy lines, budget (with its temporary part), and the shortfall or surplus,
    one row per item (a figure per column per budget), so nothing is netted out of sight."""
    columns = [Column("Item")] + [Column(c.budget.name, c.unit.kind) for c in comparisons]
    rows: list[list[Any]] = [["Cost (full year)"] + [c.cost for c in comparisons]]
    labels = list(dict.fromkeys(label for c in comparisons for label, _ in c.vacancy))
    for label in labels:
        rows.append([label] + [dict(c.vacancy).get(label) for c in comparisons])
    if labels:
        rows.append(["Cost after vacancy factor"] + [c.net_cost for c in comparisons])
    rows.append(["Budget"] + [c.budget.amount for c in comparisons])
    rows.append(["  of which temporary funding"] + [c.budget.temporary for c in comparisons])
    rows.append(["  permanent budget"] + [c.budget.permanent for c in comparisons])
    rows.append(["Shortfall (cost above budget)"] + [c.shortfall for c in comparisons])
    rows.append(["Surplus (budget above cost)"] + [c.surplus for c in comparisons])
    rows.append(["Shortfall once temporary funding ends"]
                + [c.shortfall_without_temporary for c in comparisons])
    notes = [f"{c.budget.name}: cost is {c.cost_source}" for c in comparisons]
    return Table(columns, rows, title, None, notes)

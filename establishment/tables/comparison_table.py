"""A comparison of options side by side: one row per option (the base first).

Columns: fte, full-year cost and its change against the base, in-period cost and its change
(when a period was asked), then the full-year cost paid by each funding source. Each option's
sources are split in whole pounds by largest remainder, so a row's sources add up to its cost.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from establishment.engine.costing import Costing
from establishment.model.style import format_period
from establishment.operations.compare import Comparison
from establishment.tables.markers import Mark, labels
from establishment.tables.table import Column, Table


def comparison_table(options: list[tuple[str, Costing]], title: str = "Options compared",
                     vacancy: dict[str, list[tuple[str, Decimal]]] | None = None,
                     notes: list[str] | None = None) -> Table:
    """``options``: (name, costing) pairs, the first being the base every delta is against.
    ``vacancy``: per option name, vacancy lines (label, negative amount) shown in their own
    column, never netted into the cost."""
    if not options:
        raise ValueError("a comparison needs at least one option")
    period = options[0][1].period
    funding = [c.by_funding() for _, c in options]
    sources = list(dict.fromkeys(name for frame in funding for name in frame.index))
    base = options[0][1]
    money = base.unit.kind  # one basis for every option: its unit (pounds or pence)
    columns = [Column("Option"), Column("fte", "fte"), Column("Full-year cost", money),
               Column("Change vs base (full year)", money)]
    if period is not None:
        label = format_period(*period)
        columns += [Column(f"Cost {label}", money), Column(f"Change vs base ({label})",
                                                           money)]
    if vacancy:
        columns.append(Column("Vacancy factor (full year)", money))
    columns += [Column(f"Paid by {source} (full year)", money) for source in sources]
    # an option whose figures rest on an assumed pay award is marked [a], as a cost line is
    marks = [(Mark("assumed"),) if _assumed(costing) else () for _, costing in options]
    shown, legend = labels(marks)
    rows: list[list[Any]] = []
    for (name, costing), by_source, label in zip(options, funding, shown):
        row: list[Any] = [f"{name} [{label}]" if label else name, costing.fte, costing.full_year,
                          costing.full_year - base.full_year]
        if period is not None:
            row += [costing.period_total, costing.period_total - base.period_total]
        if vacancy:
            lines = vacancy.get(name, [])
            row.append(sum((a for _, a in lines), Decimal(0)) if lines else None)
        row += [by_source["full_year"].get(source, Decimal(0)) for source in sources]
        rows.append(row)
    all_notes = [f"Base: {options[0][0]}. Basis: {base.basis.describe()}"]
    all_notes += notes or []
    all_notes += legend
    return Table(columns, rows, title, None, all_notes)


def _assumed(costing: Costing) -> bool:
    """Whether any of the option's figures rests on an assumed pay award (or rates carried
    forward past the data)."""
    return any(unit.assumed for unit in costing.units.for_year(costing.basis.pay_year))


def options_table(comparison: Comparison) -> Table:
    """The table of a :class:`~establishment.operations.compare.Comparison`: each option's
    costing side by side, with its vacancy lines."""
    vacancy = {o.name: list(o.vacancy) for o in comparison.options if o.vacancy}
    return comparison_table([(o.name, o.costing) for o in comparison.options], comparison.title,
                            vacancy=vacancy or None)

"""The committee table: the cost table a report to committee carries.

Columns: Post details, fte, Pay band (grade and scp), cost per fte and cost per annum, then a
total row. Full-year and period figures are separate columns with their own headers, so they
are never confused.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from establishment.engine.costing import Costing, unit_money
from establishment.engine.levy_allowance import LABEL as LEVY_LABEL
from establishment.engine.unpriced import unpriced_note
from establishment.model.frame import FTE_SCALE, NONE
from establishment.model.money import format_money
from establishment.model.style import format_day, format_period
from establishment.operations.explain import Explanation
from establishment.tables.markers import Mark
from establishment.tables.table import Column, Table
from pay_scales.dates import pay_year_label


def pay_band(grade: str, scp: int | None) -> str:
    return f"{grade} scp {scp}" if scp not in (None, NONE) else grade


def period_label(costing: Costing) -> str:
    return f"Cost {format_period(*costing.period)}"


def committee_table(costing: Costing, title: str = "") -> Table:
    """One row per post and payment: what the committee is asked to approve, and its cost.
    Vacant and temporary posts, lines not in force and lines costed on inferred pay data are
    marked; the legend says what each marker means."""
    year = pay_year_label(costing.basis.pay_year)
    money = costing.money_kind
    columns = [Column("Post details"), Column("fte", "fte"), Column("Pay band"),
               Column("Cost per fte (full year)", money),
               Column(f"Cost per annum ({year})", money)]
    if costing.period is not None:
        columns.append(Column(period_label(costing), money))
    rows = [_committee_row(costing, index, line)
            for index, line in enumerate(costing.lines.itertuples(index=False))]
    marks = [line_marks(costing, index, line)
             for index, line in enumerate(costing.lines.itertuples(index=False))]
    allowance = allowance_row(costing, [None, "whole pay bill", None])
    if allowance:
        rows.append(allowance)
        marks.append(())
    total = ["Total", costing.fte, "", None, costing.full_year]
    if costing.period is not None:
        total.append(costing.period_total)
    notes = [f"Basis: {costing.basis.describe()}"]
    unpriced = unpriced_note(costing.lines)
    if unpriced:
        notes.append(unpriced)
    if costing.not_in_force:
        notes.append(not_in_force_note(costing))
    if costing.levy_allowance is not None:
        notes.append(f"{LEVY_LABEL}: the structure is the employer's whole pay bill; "
                     f"{costing.levy_allowance.full_year_formula}.")
    return Table(columns, rows, title, total, notes, marks, name="committee")


def _add_allowance(rows: list, costing: Costing, middle: list) -> None:
    row = allowance_row(costing, middle)
    if row:
        rows.append(row)


def allowance_row(costing: Costing, middle: list) -> list | None:
    """The structure-level levy allowance row (None unless the basis declares the whole pay
    bill): label, ``middle`` cells, the full-year amount and the period amount."""
    allowance = costing.levy_allowance
    if allowance is None:
        return None
    row = [LEVY_LABEL, *middle, allowance.full_year]
    if costing.period is not None:
        row.append(allowance.period)
    return row


def not_in_force_note(costing: Costing) -> str:
    """The note under a table whose lines include some wholly outside the pay year."""
    count = costing.not_in_force
    year = pay_year_label(costing.basis.pay_year)
    return (f"{count} line{'s' if count != 1 else ''} not in force in {year}: "
            f"{costing.unit.format(0)} in its cost per annum, fte left out of its total.")


def line_marks(costing: Costing, index: int, line: Any) -> tuple[Mark, ...]:
    """The markers of a committee line: vacant, temporary until its end date, not in force in
    the pay year, pay not disclosed or none published, resting on inferred pay data, and
    resting on an assumed pay award."""
    import pandas as pd

    marks = []
    if line.kind == "post" and line.status == "vacant":
        marks.append(Mark("vacant"))
    if line.kind == "post" and not pd.isna(line.end):
        marks.append(Mark("temporary", format_day(pd.Timestamp(line.end).date())))
    if not line.in_force:
        marks.append(Mark("not-in-force", pay_year_label(costing.basis.pay_year)))
    unpriced = getattr(line, "unpriced", None)
    if unpriced:
        marks.append(Mark({"not disclosed": "undisclosed"}.get(unpriced, "no-pay")))
    if line.kind == "post" and costing.unit_cost(index).inferred:
        marks.append(Mark("inferred"))
    if line.kind == "post" and costing.unit_cost(index).assumed:
        marks.append(Mark("assumed"))
    return tuple(marks)


def _committee_row(costing: Costing, index: int, line: Any) -> list:
    unit = costing.unit_cost(index)
    title = line.title
    if line.kind == "payment":
        band = "lump sum" if line.per == "total" else "per year"
        row = [title, None, band, None, unit_money(int(line.full_year), costing.basis)]
    else:
        fte = Decimal(int(line.fte_e4)) / FTE_SCALE if line.in_force else None
        row = [title, fte, pay_band(unit.grade or line.grade, unit.scp), unit.cost,
               unit_money(int(line.full_year), costing.basis)]
    if costing.period is not None:
        row.append(unit_money(int(line.period), costing.basis))
    return row


def structure_table(costing: Costing, by: str = "team") -> Table:
    """fte and cost grouped by ``team``, ``grade`` or ``funding`` source."""
    if by == "funding":
        frame = costing.by_funding()
        columns = [Column("Funding source"), Column("Cost per annum", costing.money_kind)]
        rows = [[name, row["full_year"]] for name, row in frame.iterrows()]
        total = ["Total", costing.full_year]
        if costing.period is not None:
            columns.append(Column(period_label(costing), costing.money_kind))
            for row, (_, values) in zip(rows, frame.iterrows()):
                row.append(values["period"])
            total.append(costing.period_total)
        _add_allowance(rows, costing, [])
        return Table(columns, rows, "Cost by funding source", total,
                     [n for n in (unpriced_note(costing.lines),) if n])
    frame = costing.by(by)
    columns = [Column(by.capitalize() or "Group"), Column("fte", "fte"),
               Column("Cost per annum", costing.money_kind)]
    rows = [[name or "(none)", row["fte"], row["full_year"]] for name, row in frame.iterrows()]
    total = ["Total", costing.fte, costing.full_year]
    if costing.period is not None:
        columns.append(Column(period_label(costing), costing.money_kind))
        for row, (_, values) in zip(rows, frame.iterrows()):
            row.append(values["period"])
        total.append(costing.period_total)
    _add_allowance(rows, costing, [None])
    return Table(columns, rows, f"Cost by {by}", total,
                 [n for n in (unpriced_note(costing.lines),) if n])


def explanation_table(explanation: Explanation) -> Table:
    """A figure's explanation as a table: one row per step (salary, each on-cost, the cost per
    fte, the line, each period segment), amounts to the penny with their formulas.

    The steps are not addends (the cost per fte is the rounded sum of the lines above it), so
    the table has no total row; the figure explained is its last line and its title says so.
    """
    columns = [Column("Item"), Column("Amount", "pence"), Column("How it is worked out")]
    rows = [[line.label, line.amount, line.formula] for line in explanation.lines]
    result = explanation.result
    notes = [f"Result: {format_money(result, pence=result != result.to_integral_value())}"]
    notes.extend(f"Warning: {w}" for w in explanation.warnings)
    return Table(columns, rows, explanation.title, None, notes)


def totals_table(costing: Costing) -> Table:
    """The totals a committee needs side by side, each labelled: the full-year cost (a whole
    pay year) and, with a period, the cost of the dates the posts actually run."""
    year = pay_year_label(costing.basis.pay_year)
    columns = [Column(""), Column(f"Full-year cost ({year})", costing.money_kind)]
    rows = [["Posts", costing.posts_full_year], ["Other payments", costing.payments_full_year]]
    total = ["Total", costing.full_year]
    if costing.period is not None:
        columns.append(Column(period_label(costing), costing.money_kind))
        rows[0].append(costing.posts_period)
        rows[1].append(costing.payments_period)
        total.append(costing.period_total)
    _add_allowance(rows, costing, [])
    notes = ["Full-year cost: the posts and payments over a whole pay year. "
             + ("Period cost: over the dates they run, prorated by days within each pay year."
                if costing.period is not None else "")]
    return Table(columns, rows, "Totals", total, [n.strip() for n in notes], name="totals")

"""Tables of a diff: every change with its cost effect, totals by kind, and by funding source.

The effect columns are labelled full year or in-period; the total row is the net change, which
equals cost(after) - cost(before) (a note says both totals so a reader can check it).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from establishment.engine.levy_allowance import LABEL
from establishment.engine.unpriced import unpriced_diff_note
from establishment.model.style import format_period
from establishment.operations.diff import Diff
from establishment.tables.table import Column, Table


def _period_label(diff: Diff) -> str:
    start, end = diff.period
    return f"Effect {format_period(start, end)}"


def _allowance_row(diff: Diff, head: list[Any]) -> list[list[Any]]:
    """The levy allowance's change as a row of its own (``head`` its first cells; whole pay
    bill only), so the rows add up to the net change."""
    if not any(diff.allowances):
        return []
    row = [*head, diff.allowance_change()]
    if diff.period is not None:
        row.append(diff.allowance_change("period"))
    return [row] if any(row[len(head):]) else []


def diff_table(diff: Diff, title: str = "") -> Table:
    """One row per change: kind, post, what changes, full-year (and in-period) effect, in
    pounds at the basis's unit (:attr:`Diff.unit`)."""
    unit = diff.unit
    columns = [Column("Change"), Column("Post"), Column("What changes"),
               Column("Full-year effect", unit.kind)]
    if diff.period is not None:
        columns.append(Column(_period_label(diff), unit.kind))
    effects = [diff.frame["full_year"].to_numpy()]
    if diff.period is not None:
        effects.append(diff.frame["period"].to_numpy())
    rows: list[list[Any]] = [[*texts, *(unit.pounds(e) for e in values)]
                             for texts, *values in zip(diff.described(), *effects)]
    rows += _allowance_row(diff, ["levy allowance", "", LABEL])
    total: list[Any] = ["Net change", "", "", diff.net_full_year]
    if diff.period is not None:
        total.append(diff.net_period)
    notes = [f"Full-year cost before {unit.format(diff.before_full_year)}, after "
             f"{unit.format(diff.after_full_year)}: net {unit.format(diff.net_full_year)}; "
             f"fte change {diff.fte_change.normalize():f}.",
             f"Basis: {diff.basis.describe()}",
             "Posts are matched by reference where they have one, else by team and title; "
             "several effects of one post are taken in order (regrade at the old fte, then the "
             "fte change, then dates), so they add up."]
    return Table(columns, rows, title or "Changes", total, notes)


def diff_summary_table(diff: Diff) -> Table:
    """Number of changes and their effect by kind, in order of first appearance. Kinds come
    from :meth:`Diff.kinds`, so the labels match the change table whatever the diff's size
    (moves were labelled "move" only above 50,000 changes)."""
    unit = diff.unit
    columns = [Column("Change"), Column("Count", "number"),
               Column("Full-year effect", unit.kind)]
    if diff.period is not None:
        columns.append(Column(_period_label(diff), unit.kind))
    frame = diff.frame
    effects = ["full_year"] + (["period"] if diff.period is not None else [])
    sums = frame[effects].groupby(np.asarray(diff.kinds(), dtype=object), sort=False)
    rows = [[kind, len(group), *(unit.total(group[c]) for c in effects)]
            for kind, group in sums]
    rows += _allowance_row(diff, ["levy allowance", None])
    total: list[Any] = ["Net change", len(frame), diff.net_full_year]
    if diff.period is not None:
        total.append(diff.net_period)
    unpriced = unpriced_diff_note(diff.before_lines, diff.after_lines)
    return Table(columns, rows, "Changes by kind", total, [unpriced] if unpriced else [])


def diff_funding_table(diff: Diff) -> Table:
    """Change in full-year cost per funding source (pennies reconcile to the net total; the
    levy allowance, no source's, is its own row)."""
    frame = diff.by_funding()
    rows: list[list[Any]] = [[name, value] for name, value in frame["full_year"].items()]
    if diff.allowance_change():
        rows.append([LABEL, diff.allowance_change()])
    return Table([Column("Funding source"), Column("Full-year effect", diff.unit.kind)], rows,
                 "Change by funding source", ["Net change", diff.net_full_year])

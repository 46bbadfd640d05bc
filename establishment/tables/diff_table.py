"""Tables of a diff: every change with its cost effect, totals by kind, and by funding source.

The effect columns are labelled full year or in-period; the total row is the net change, which
equals cost(after) - cost(before) (a note says both totals so a reader can check it).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np

from establishment.engine.unpriced import unpriced_diff_note
from establishment.model.style import format_period
from establishment.operations.diff import Diff
from establishment.tables.table import Column, Table


def _period_label(diff: Diff) -> str:
    start, end = diff.period
    return f"Effect {format_period(start, end)}"


def diff_table(diff: Diff, title: str = "") -> Table:
    """One row per change: kind, post, what changes, full-year (and in-period) effect."""
    columns = [Column("Change"), Column("Post"), Column("What changes"),
               Column("Full-year effect", "money")]
    if diff.period is not None:
        columns.append(Column(_period_label(diff), "money"))
    effects = [diff.frame["full_year"].to_numpy()]
    if diff.period is not None:
        effects.append(diff.frame["period"].to_numpy())
    rows: list[list[Any]] = [[*texts, *(Decimal(int(e)) for e in values)]
                             for texts, *values in zip(diff.described(), *effects)]
    total: list[Any] = ["Net change", "", "", diff.net_full_year]
    if diff.period is not None:
        total.append(diff.net_period)
    notes = [f"Full-year cost before {_money(diff.before_full_year)}, after "
             f"{_money(diff.after_full_year)}: net {_money(diff.net_full_year)}; fte change "
             f"{diff.fte_change.normalize():f}.",
             f"Basis: {diff.basis.describe()}",
             "Posts are matched by reference where they have one, else by team and title; "
             "several effects of one post are taken in order (regrade at the old fte, then the "
             "fte change, then dates), so they add up."]
    return Table(columns, rows, title or "Changes", total, notes)


def diff_summary_table(diff: Diff) -> Table:
    """Number of changes and their effect by kind, in order of first appearance. Kinds come
    from :meth:`Diff.kinds`, so the labels match the change table whatever the diff's size
    (moves were labelled "move" only above 50,000 changes)."""
    columns = [Column("Change"), Column("Count", "number"), Column("Full-year effect", "money")]
    if diff.period is not None:
        columns.append(Column(_period_label(diff), "money"))
    frame = diff.frame
    effects = ["full_year"] + (["period"] if diff.period is not None else [])
    sums = frame[effects].groupby(np.asarray(diff.kinds(), dtype=object), sort=False)
    rows = [[kind, len(group), *(Decimal(int(group[c].sum())) for c in effects)]
            for kind, group in sums]
    total: list[Any] = ["Net change", len(frame), diff.net_full_year]
    if diff.period is not None:
        total.append(diff.net_period)
    unpriced = unpriced_diff_note(diff.before_lines, diff.after_lines)
    return Table(columns, rows, "Changes by kind", total, [unpriced] if unpriced else [])


def diff_funding_table(diff: Diff) -> Table:
    """Change in full-year cost per funding source (pennies reconcile to the net total)."""
    frame = diff.by_funding()
    rows = [[name, value] for name, value in frame["full_year"].items()]
    return Table([Column("Funding source"), Column("Full-year effect", "money")], rows,
                 "Change by funding source", ["Net change", diff.net_full_year])


def _money(value: Decimal) -> str:
    from establishment.model.money import format_money

    return format_money(value)

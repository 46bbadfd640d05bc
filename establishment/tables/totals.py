"""The rounding and total policy of every table: what a table shows adds up.

1. Each line's figures are whole pounds, rounded once from the exact value (half up; see
   :mod:`establishment.model.money`), and are shown as they are held: a renderer never rounds again.
2. A total row's money and fte cells are the sums of the lines *as shown* (so a reader adding
   the column with a pencil gets the total), never a separately rounded grand figure.
3. A column whose lines are not addends (a cost per fte, a rate) has a blank total cell.
4. Columns of exact amounts to the penny (``pence``: explanation lines) are shown to the penny,
   so their sums hold too.

:func:`totals_mismatches` checks a table against the policy; tests run it over every table
kind, and a table that must break the rule (a total of unrounded figures) has to say so in a
note.
"""

from __future__ import annotations

from decimal import Decimal

from establishment.tables.table import Table

SUMMED_KINDS = ("money", "pence", "fte")


def totals_mismatches(table: Table) -> list[str]:
    """Where the total row is not the sum of the shown lines: ``[]`` when it adds up."""
    if table.total is None:
        return []
    problems = []
    for index, column in enumerate(table.columns):
        if column.kind not in SUMMED_KINDS:
            continue
        stated = table.total[index] if index < len(table.total) else None
        if stated in (None, ""):
            continue
        shown = sum((Decimal(r[index]) for r in table.rows if r[index] not in (None, "")),
                    Decimal(0))
        if Decimal(stated) != shown:
            problems.append(f"{column.name}: total {stated} but the lines add up to {shown}")
    return problems


def adds_up(table: Table) -> bool:
    return not totals_mismatches(table)

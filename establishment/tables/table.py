"""The table model every output format is rendered from.

A table holds typed cells (text, Decimal money, Decimal fte, int) so each format decides how
to show them: text formats print money as ``£1,234,567``, CSV and XLSX keep it a number. The
total row is the sum of the shown lines (they are whole pounds), so what a table shows adds up.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from attrs import field, frozen

KINDS = ("text", "money", "fte", "number", "percent")


@frozen
class Column:
    """A column: its header and the kind of its cells (decides format and alignment)."""

    name: str
    kind: str = "text"

    @property
    def align(self) -> str:
        return "left" if self.kind == "text" else "right"


@frozen
class Table:
    """Rows of cells under typed columns, with an optional total row and notes."""

    columns: tuple[Column, ...] = field(converter=tuple)
    rows: tuple[tuple[Any, ...], ...] = field(converter=lambda rows: tuple(tuple(r) for r in rows))
    title: str = ""
    total: tuple[Any, ...] | None = field(default=None,
                                          converter=lambda r: None if r is None else tuple(r))
    notes: tuple[str, ...] = field(default=(), converter=tuple)

    def column_total(self, index: int) -> Decimal:
        """Sum of a money/fte column's shown cells (blank cells count as nothing)."""
        return sum((Decimal(r[index]) for r in self.rows if r[index] not in (None, "")),
                   Decimal(0))

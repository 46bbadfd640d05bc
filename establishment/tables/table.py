"""The table model every output format is rendered from.

A table holds typed cells (text, Decimal money, Decimal fte, int) so each format decides how
to show them: text formats print money as ``£1,234,567``, CSV and XLSX keep it a number. The
total row is the sum of the shown lines (they are whole pounds), so what a table shows adds up.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
from attrs import field, frozen

from establishment.tables.markers import Mark, labels

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
    #: per row, the markers it carries (empty: no row is marked); see tables.markers
    marks: tuple[tuple[Mark, ...], ...] = field(
        default=(), converter=lambda rows: tuple(tuple(r) for r in rows))
    #: a short name for choosing the table (``--table NAME``) and naming its file
    name: str = ""

    @property
    def key(self) -> str:
        """The table's short name: ``name``, else its title in lower case with dashes."""
        text = self.name or self.title or "table"
        words = "".join(ch.lower() if ch.isalnum() else " " for ch in text).split()
        return "-".join(words)[:60] or "table"

    def marked(self) -> Table:
        """This table as text formats show it: each marked row's first cell followed by its
        labels (``Reviewing Officer [t, i]``) and the legend after the notes."""
        if not any(self.marks):
            return attrs.evolve(self, marks=())
        row_labels, legend = labels(self.marks)
        rows = []
        for row, label in zip(self.rows, row_labels):
            first = f"{row[0]} [{label}]" if label else row[0]
            rows.append((first, *row[1:]))
        return attrs.evolve(self, rows=rows, notes=(*self.notes, *legend), marks=())

    def __attrs_post_init__(self) -> None:
        if self.marks and len(self.marks) != len(self.rows):
            raise ValueError(f"a table of {len(self.rows)} rows has marks for "
                             f"{len(self.marks)}")

    def column_total(self, index: int) -> Decimal:
        """Sum of a money/fte column's shown cells (blank cells count as nothing)."""
        return sum((Decimal(r[index]) for r in self.rows if r[index] not in (None, "")),
                   Decimal(0))

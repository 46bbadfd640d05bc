"""Large tables written directly: the committee table of a costing as CSV text, built from the
costing's columns without a Python pass over its cells.

The slow path (:func:`establishment.tables.committee.committee_table`, then
:func:`establishment.tables.render.render_csv`) makes a Python row per line and formats every
cell; at a million lines that is most of the time a user waits. Here every cell is formatted
once per *distinct* value of its column (an export has few distinct titles, bands, fte and
costs; references are not shown) and spread to the rows by index, and the lines are joined by
numpy. The output is byte for byte what the slow path writes (``tests/test_fast_output.py``
compares them); the command line uses it for tables of :data:`LARGE` lines or more.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from establishment.cells import neutralise
from establishment.frame import FTE_SCALE, NONE
from establishment.style import format_day
from establishment.tables.committee import pay_band, period_label
from establishment.tables.markers import Mark, describe
from pay_scales.dates import pay_year_label
from pay_scales.rounding import round_pounds

if TYPE_CHECKING:
    from establishment.costing import Costing

LARGE = 2_000  # lines: below this the ordinary table is as quick and richer in formats


def _csv_line(cells: Sequence[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)  # as render_csv: quoting follows it
    return out.getvalue()[:-1]


class LineColumns:
    """A costing's lines read column by column without copying them (``Costing.column``)."""

    def __init__(self, costing: Costing) -> None:
        self.costing = costing

    def __getitem__(self, name: str) -> pd.Series:
        return pd.Series(self.costing.column(name), copy=False)

    def __contains__(self, name: str) -> bool:
        try:
            self.costing.column(name)
        except KeyError:
            return False
        return True

    def __len__(self) -> int:
        return len(self.costing)


class Coded:
    """A column of cells as ``codes`` into a ``table`` of distinct CSV fields."""

    def __init__(self, codes: np.ndarray, table: list[str]) -> None:
        self.codes, self.table = codes, table


def per_value(values: np.ndarray, show: Callable[[Any], str]) -> Coded:
    """``show`` of every value, run once per distinct value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return Coded(codes, [show(None if _missing(v) else v) for v in uniques])


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _fte_text(value: Any) -> str:
    return "" if value is None or value == NONE else \
        f"{(Decimal(int(value)) / FTE_SCALE).normalize():f}"


def _text(value: Any) -> str:
    """A text cell as the csv module writes it (neutralised, quoted when it must be)."""
    return "" if value is None or value == "" else _csv_line([neutralise(str(value))])


def _money(value: Any) -> str:
    return "" if value is None or value == NONE else str(int(value))


def _bands(costing: Costing, lines: LineColumns, payment: np.ndarray) -> Coded:
    """Each line's pay band from its unit cost (one per distinct unit and grade), or a
    payment's basis."""
    codes = np.asarray(costing.units.codes, dtype=np.int64)
    units = costing.units.for_year(costing.basis.pay_year)
    grade_codes, grades = pd.factorize(lines["grade"].to_numpy(dtype=object))
    total = payment & (lines["per"].to_numpy(dtype=object) == "total")
    key = np.where(payment, -1 - total.astype(np.int64), codes * (len(grades) + 1) + grade_codes)
    band_codes, keys = pd.factorize(key)
    table = []
    for value in keys.tolist():
        if value < 0:
            table.append("lump sum" if value == -2 else "per year")
        else:
            unit = units[value // (len(grades) + 1)]
            table.append(_text(pay_band(unit.grade or grades[value % (len(grades) + 1)],
                                        unit.scp)))
    return Coded(band_codes, table)


def _marks(costing: Costing, lines: LineColumns, payment: np.ndarray, in_force: np.ndarray
           ) -> Coded | None:
    """Each line's markers in words (the Marks column), as ``line_marks`` gives them: once per
    distinct (vacant, temporary until, not in force, inferred); None when no line has one."""
    post = ~payment
    vacant = post & (lines["status"].to_numpy(dtype=object) == "vacant")
    ends = lines["end"].to_numpy().astype("datetime64[D]")
    temporary = post & ~np.isnat(ends)
    days = np.where(temporary, ends.astype(np.int64), 0)
    inferred_unit = np.array([u.inferred for u in costing.units.for_year(
        costing.basis.pay_year)], dtype=bool)
    codes = np.asarray(costing.units.codes, dtype=np.int64)
    inferred = post & (inferred_unit[codes] if len(codes) else codes.astype(bool))
    flags = vacant * 1 + temporary * 2 + (~in_force) * 4 + inferred * 8
    key_codes, keys = pd.factorize(days * 16 + flags)
    year = pay_year_label(costing.basis.pay_year)
    texts = []
    for key in keys.tolist():
        day, flag = divmod(key, 16)
        marks = [Mark("vacant")] if flag & 1 else []
        if flag & 2:
            marks.append(Mark("temporary", format_day(
                np.datetime64(int(day), "D").astype(object))))
        if flag & 4:
            marks.append(Mark("not-in-force", year))
        if flag & 8:
            marks.append(Mark("inferred"))
        texts.append(_text(describe(marks)))
    return Coded(key_codes, texts) if any(texts) else None


def committee_cells(costing: Costing, lines: LineColumns) -> list[Coded]:
    """The committee table's cells as CSV fields, by column (the Marks column last when any
    line is marked)."""
    payment = lines["kind"].to_numpy(dtype=object) == "payment"
    in_force = lines["in_force"].to_numpy(dtype=bool) if "in_force" in lines \
        else np.ones(len(lines), dtype=bool)
    fte = np.where(payment | ~in_force, NONE, lines["fte_e4"].to_numpy())
    codes = np.asarray(costing.units.codes, dtype=np.int64)
    units = costing.units.for_year(costing.basis.pay_year)
    cost = Coded(np.where(payment, len(units), codes),
                 [str(round_pounds(u.cost)) for u in units] + [""])
    cells = [per_value(lines["title"].to_numpy(dtype=object), _text), per_value(fte, _fte_text),
             _bands(costing, lines, payment), cost,
             per_value(lines["full_year"].to_numpy(), _money)]
    if costing.period is not None:
        cells.append(per_value(lines["period"].to_numpy(), _money))
    marks = _marks(costing, lines, payment, in_force) if len(lines) else None
    if marks is not None:
        cells.append(marks)
    return cells


def body_lines(cells: list[Coded], rows: int) -> list[str]:
    """Every line's text: each distinct combination of cells joined once, then spread."""
    key = np.zeros(rows, dtype=np.int64)
    for column in cells:
        key = pd.factorize(key * (len(column.table) + 1) + column.codes)[0].astype(np.int64)
    distinct = int(key.max()) + 1 if rows else 0
    first = np.zeros(distinct, dtype=np.int64)
    first[key[::-1]] = np.arange(rows - 1, -1, -1)
    table = np.empty(distinct, dtype=object)
    table[:] = [",".join(c.table[c.codes[i]] for c in cells) for i in first.tolist()]
    return table[key].tolist()


def committee_csv(costing: Costing) -> str:
    """The committee table of ``costing`` as CSV text (header, lines, total; no title or
    notes), exactly as ``render(committee_table(costing), "csv")`` writes it."""
    year = pay_year_label(costing.basis.pay_year)
    header = ["Post details", "fte", "Pay band", "Cost per fte (full year)",
              f"Cost per annum ({year})"]
    if costing.period is not None:
        header.append(period_label(costing))
    lines = LineColumns(costing)
    cells = committee_cells(costing, lines)
    if len(cells) > len(header):
        header.append("Marks")
    total = ["Total", _fte_text(int(costing.fte * FTE_SCALE)), "", "",
             str(int(costing.full_year))]
    if costing.period is not None:
        total.append(str(int(costing.period_total)))
    total += [""] * (len(header) - len(total))
    parts = [_csv_line([neutralise(h) for h in header]),
             *body_lines(cells, len(lines)), _csv_line(total)]
    return "\n".join(parts)

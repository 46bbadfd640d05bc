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


def per_value(values: np.ndarray, show: Callable[[Any], str]) -> np.ndarray:
    """``show`` of every value, run once per distinct value (object array of str)."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    table = np.empty(len(uniques), dtype=object)
    table[:] = [show(None if _missing(v) else v) for v in uniques]
    return table[codes] if len(codes) else np.empty(0, dtype=object)


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


def _bands(costing: Costing, payment: np.ndarray) -> np.ndarray:
    """Each line's pay band from its unit cost (one per distinct unit and grade), or a
    payment's basis."""
    lines = costing.lines
    codes = np.asarray(costing.units.codes)
    units = costing.units.for_year(costing.basis.pay_year)
    grades = lines["grade"].to_numpy(dtype=object)
    key = pd.Series(codes).astype(str) + "\x00" + pd.Series(grades, dtype=object).astype(str)
    band_codes = pd.factorize(key)[0]
    firsts = pd.Series(np.arange(len(codes))).groupby(band_codes).first().to_numpy()
    table = np.empty(len(firsts), dtype=object)
    table[:] = [_text(pay_band(units[codes[i]].grade or grades[i], units[codes[i]].scp))
                for i in firsts.tolist()]
    bands = table[band_codes] if len(band_codes) else np.empty(0, dtype=object)
    per = np.where(lines["per"].to_numpy(dtype=object) == "total", "lump sum", "per year")
    return np.where(payment, per, bands).astype(object)


def _marks(costing: Costing, payment: np.ndarray, in_force: np.ndarray) -> np.ndarray | None:
    """Each line's markers in words (the Marks column), as ``line_marks`` gives them: once per
    distinct (vacant, temporary until, not in force, inferred); None when no line has one."""
    lines = costing.lines
    post = ~payment
    vacant = post & (lines["status"].to_numpy(dtype=object) == "vacant")
    ends = lines["end"].to_numpy().astype("datetime64[D]")
    ends = np.where(post, ends, np.datetime64("NaT"))
    units = costing.units.for_year(costing.basis.pay_year)
    inferred_unit = np.array([u.inferred for u in units], dtype=bool)
    codes = np.asarray(costing.units.codes)
    inferred = post & (inferred_unit[codes] if len(codes) else codes.astype(bool))
    key = pd.DataFrame({"v": vacant, "e": ends, "n": ~in_force, "i": inferred})
    groups = key.groupby(["v", "e", "n", "i"], sort=False, dropna=False).ngroup().to_numpy()
    firsts = pd.Series(np.arange(len(groups))).groupby(groups).first().to_numpy()
    year = pay_year_label(costing.basis.pay_year)
    texts = []
    for row in firsts.tolist():
        marks = []
        if vacant[row]:
            marks.append(Mark("vacant"))
        if not np.isnat(ends[row]):
            marks.append(Mark("temporary", format_day(ends[row].astype(object))))
        if not in_force[row]:
            marks.append(Mark("not-in-force", year))
        if inferred[row]:
            marks.append(Mark("inferred"))
        texts.append(_text(describe(marks)))
    if not any(texts):
        return None
    table = np.empty(len(texts), dtype=object)
    table[:] = texts
    return table[groups]


def committee_cells(costing: Costing) -> list[np.ndarray]:
    """The committee table's cells as CSV fields, one object array per column (the Marks
    column last when any line is marked)."""
    lines = costing.lines
    payment = lines["kind"].to_numpy(dtype=object) == "payment"
    in_force = lines["in_force"].to_numpy(dtype=bool) if "in_force" in lines \
        else np.ones(len(lines), dtype=bool)
    fte = np.where(payment | ~in_force, NONE, lines["fte_e4"].to_numpy())
    codes = np.asarray(costing.units.codes)
    units = costing.units.for_year(costing.basis.pay_year)
    unit_cost = np.empty(len(units), dtype=object)
    unit_cost[:] = [str(round_pounds(u.cost)) for u in units]
    cost = unit_cost[codes] if len(codes) else np.empty(0, dtype=object)
    cost = np.where(payment, "", cost).astype(object)
    cells = [per_value(lines["title"].to_numpy(dtype=object), _text), per_value(fte, _fte_text),
             _bands(costing, payment), cost, per_value(lines["full_year"].to_numpy(), _money)]
    if costing.period is not None:
        cells.append(per_value(lines["period"].to_numpy(), _money))
    marks = _marks(costing, payment, in_force) if len(lines) else None
    if marks is not None:
        cells.append(marks)
    return cells


def committee_csv(costing: Costing) -> str:
    """The committee table of ``costing`` as CSV text (header, lines, total; no title or
    notes), exactly as ``render(committee_table(costing), "csv")`` writes it."""
    year = pay_year_label(costing.basis.pay_year)
    header = ["Post details", "fte", "Pay band", "Cost per fte (full year)",
              f"Cost per annum ({year})"]
    if costing.period is not None:
        header.append(period_label(costing))
    cells = committee_cells(costing)
    if len(cells) > len(header):
        header.append("Marks")
    body = cells[0]
    for column in cells[1:]:
        body = body + "," + column
    total = ["Total", _fte_text(int(costing.fte * FTE_SCALE)), "", "",
             str(int(costing.full_year))]
    if costing.period is not None:
        total.append(str(int(costing.period_total)))
    total += [""] * (len(header) - len(total))
    parts = [_csv_line([neutralise(h) for h in header]), *body.tolist(), _csv_line(total)]
    return "\n".join(parts)

"""The costing engine: full-year and period costs of a frame of lines, vectorised.

How a figure is made (the one rule, see :mod:`establishment.money`):

1. Each distinct (grade, point, explicit cost/salary/range) of the frame gets a cost per fte for
   each pay year involved, from pay data, exactly, rounded to whole pounds
   (:meth:`pay_scales.Employer.unit_cost`). There are few distinct keys, so this is cheap.
2. Full-year cost of a line = fte x cost per fte, rounded to whole pounds half up.
3. Period cost of a line = sum over the pay years the period touches of
   fte x cost per fte of that year x days of the line inside the period and year / days in that
   pay year, exact, then rounded to whole pounds half up once. Rates switch on 1 April.
   A payment ``per="total"`` takes the share of its own days that fall in the period.
4. Totals are sums of rounded lines: a table adds up.

Steps 2-4 are int64 arithmetic on the whole frame (pence, fte in ten-thousandths); Python
integers are used instead when a product could overflow int64.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from decimal import Decimal

import numpy as np
import pandas as pd

import pay_scales
from establishment.errors import CostingError
from establishment.frame import FTE_SCALE, NONE
from establishment.pay_basis import PayBasis
from pay_scales.dates import days_in_pay_year, pay_year_end, pay_year_of, pay_year_start

KEY_COLUMNS = ["grade", "scp", "cost_per_fte_pence", "salary_pence", "salary_min_pence",
               "salary_max_pence"]
INT64_SAFE = 2 ** 62


def round_div(numerator: np.ndarray, denominator: int | np.ndarray) -> np.ndarray:
    """Integer division rounding half away from zero, elementwise (int64 or object)."""
    sign = np.where(numerator < 0, -1, 1)
    magnitude = numerator * sign
    return sign * ((magnitude * 2 + denominator) // (denominator * 2))


def range_salary(low: int, high: int, where: str) -> int:
    """The salary (pence) at the basis's point of a pay range; a midpoint's half penny is
    rounded up (the one rule, at penny scale)."""
    if where == "floor":
        return low
    if where == "ceiling":
        return high
    return (low + high + 1) // 2


def unit_cost_for_key(employer: pay_scales.Employer, basis: PayBasis, key: tuple,
                      pay_year: int) -> pay_scales.UnitCost:
    """The cost per fte of one distinct line key in one pay year (the object path)."""
    grade, scp, cost_pence, salary_pence, low, high = key
    year_basis = basis.for_pay_year(pay_year)
    if cost_pence != NONE:
        amount = Decimal(int(cost_pence)) / 100
        return pay_scales.UnitCost(grade, None if scp == NONE else scp, pay_year, "explicit",
                                   amount, "explicit cost per fte given on the post (with "
                                   "on-costs)", (), amount, False,
                                   (pay_scales.Provenance("structure", "stated", "post"),))
    if salary_pence == NONE and low != NONE and high != NONE:
        salary_pence = range_salary(low, high, basis.range_point)
        formula = (f"pay range £{low / 100:,.2f}-£{high / 100:,.2f} at its "
                   f"{basis.range_point}")
    else:
        formula = ""
    if salary_pence != NONE:
        salary = Decimal(int(salary_pence)) / 100
        return employer.cost_of_salary(salary, pay_year, rule=basis.rule, grade=grade,
                                       salary_formula=formula or f"salary £{salary:,}")
    return employer.unit_cost(grade, None if scp == NONE else int(scp), pay_year,
                              point=basis.point, rule=basis.rule,
                              rates_on=year_basis.rates_on, costed_rates=basis.costed_rates)


class UnitCosts:
    """Cost per fte of every distinct key of a frame, per pay year, computed once."""

    def __init__(self, frame: pd.DataFrame, basis: PayBasis) -> None:
        self.basis = basis
        self.employer = basis.load_employer()
        keys = frame[KEY_COLUMNS]
        if len(frame):
            self.codes = keys.groupby(KEY_COLUMNS, sort=False, dropna=False).ngroup().to_numpy()
            first = pd.Series(np.arange(len(frame))).groupby(self.codes).first()
            self.keys = [tuple(keys.iloc[i]) for i in first.to_numpy()]
            self.first_row = first.to_numpy()
        else:
            self.codes = np.zeros(0, dtype=np.int64)
            self.keys, self.first_row = [], np.zeros(0, dtype=np.int64)
        self.frame = frame
        self.by_year: dict[int, list[pay_scales.UnitCost]] = {}

    def for_year(self, pay_year: int) -> list[pay_scales.UnitCost]:
        """Unit costs of every key in ``pay_year``; every failure reported together."""
        if pay_year in self.by_year:
            return self.by_year[pay_year]
        results, problems = [], []
        for index, key in enumerate(self.keys):
            try:
                results.append(unit_cost_for_key(self.employer, self.basis, key, pay_year))
            except pay_scales.PayScaleError as err:
                rows = np.flatnonzero(self.codes == index)
                labels = [self._label(r) for r in rows[:3]]
                more = f" and {len(rows) - 3} more" if len(rows) > 3 else ""
                problems.append(f"{', '.join(labels)}{more}: {err}")
        if problems:
            raise CostingError("cannot cost on this basis:\n  " + "\n  ".join(problems))
        self.by_year[pay_year] = results
        return results

    def _label(self, row: int) -> str:
        line = self.frame.iloc[row]
        if line["reference"]:
            return f"post {line['reference']}"
        return f"{line['kind']} {line['team'] + ' / ' if line['team'] else ''}{line['title']}"

    def pence(self, pay_year: int) -> np.ndarray:
        """Cost per fte in pence of every row, for ``pay_year``."""
        table = np.array([int(u.cost * 100) for u in self.for_year(pay_year)], dtype=np.int64)
        return table[self.codes] if len(table) else np.zeros(0, dtype=np.int64)


def _is_total_payment(frame: pd.DataFrame) -> np.ndarray:
    return ((frame["kind"] == "payment") & (frame["per"] == "total")).to_numpy()


def full_year_pounds(frame: pd.DataFrame, unit_pence: np.ndarray) -> np.ndarray:
    """Full-year cost of every line in whole pounds (fte x cost per fte, rounded)."""
    fte = frame["fte_e4"].to_numpy(dtype=np.int64)
    product = fte * unit_pence
    if len(product) and (np.abs(unit_pence).max() > INT64_SAFE // max(int(fte.max()), 1)):
        product = fte.astype(object) * unit_pence.astype(object)
    return round_div(product, FTE_SCALE * 100)


def _day_numbers(values: pd.Series, fill: dt.date) -> np.ndarray:
    days = values.to_numpy(dtype="datetime64[D]")
    filled = np.where(np.isnat(days), np.datetime64(fill, "D"), days)
    return filled.astype(np.int64)


def period_segments(start: dt.date, end: dt.date) -> list[tuple[int, dt.date, dt.date]]:
    """The pay-year pieces of a period: (pay year, first day, last day)."""
    if end < start:
        raise CostingError(f"period end {end.isoformat()} is before its start "
                           f"{start.isoformat()}")
    pieces = []
    for year in range(pay_year_of(start), pay_year_of(end) + 1):
        pieces.append((year, max(start, pay_year_start(year)), min(end, pay_year_end(year))))
    return pieces


def line_days(frame: pd.DataFrame, first: dt.date, last: dt.date) -> np.ndarray:
    """Days of each line (between its start and end) inside ``first``-``last`` inclusive."""
    lo = np.maximum(_day_numbers(frame["start"], first), np.datetime64(first, "D").astype(np.int64))
    hi = np.minimum(_day_numbers(frame["end"], last), np.datetime64(last, "D").astype(np.int64))
    return np.maximum(hi - lo + 1, 0)


def period_pounds(frame: pd.DataFrame, units: UnitCosts, start: dt.date,
                  end: dt.date) -> np.ndarray:
    """Cost of every line for ``start``-``end`` inclusive, in whole pounds (rule step 3)."""
    segments = period_segments(start, end)
    fte = frame["fte_e4"].to_numpy(dtype=np.int64)
    lengths = {days_in_pay_year(year) for year, _, _ in segments}
    common = int(np.lcm.reduce(list(lengths)))
    per_total = _is_total_payment(frame)
    widest = max(int(np.abs(units.pence(y)).max(initial=0)) for y, _, _ in segments)
    safe = widest * max(int(fte.max(initial=1)), 1) * 366 * common * len(segments) < INT64_SAFE
    numerator = np.zeros(len(frame), dtype=np.int64 if safe else object)
    for year, first, last in segments:
        days = line_days(frame, first, last)
        unit = units.pence(year)
        if not safe:
            days, unit, fte_used = days.astype(object), unit.astype(object), fte.astype(object)
        else:
            fte_used = fte
        numerator = numerator + fte_used * unit * days * (common // days_in_pay_year(year))
    result = round_div(numerator, FTE_SCALE * 100 * common)
    if per_total.any():
        whole = frame.loc[per_total]
        span = _day_numbers(whole["end"], end) - _day_numbers(whole["start"], start) + 1
        inside = line_days(whole, start, end)
        amount = whole["cost_per_fte_pence"].to_numpy(dtype=np.int64).astype(object)
        result = np.array(result, dtype=object)
        result[per_total] = round_div(amount * inside.astype(object), span.astype(object) * 100)
        result = result.astype(np.int64) if safe else result
    return result


def cost_frame(frame: pd.DataFrame, basis: PayBasis, *, period: tuple[dt.date, dt.date] | None
               = None, units: UnitCosts | None = None) -> tuple[pd.DataFrame, UnitCosts]:
    """Cost every line of ``frame``: adds ``unit_pence``, ``full_year`` and (with a period)
    ``period`` columns (whole pounds, int64). Returns the costed frame and the unit costs
    (kept for explanations)."""
    units = units or UnitCosts(frame, basis)
    unit = units.pence(basis.pay_year)
    costed = frame.copy()
    costed["unit_pence"] = unit
    fy = full_year_pounds(frame, unit)
    total_payments = _is_total_payment(frame)
    if total_payments.any():  # a lump sum's full-year cost is the sum itself
        fy = np.where(total_payments, round_div(frame["cost_per_fte_pence"].to_numpy(), 100), fy)
    costed["full_year"] = fy
    if period is not None:
        costed["period"] = period_pounds(frame, units, *period)
    return costed, units


def totals_by(costed: pd.DataFrame, column: Hashable) -> pd.DataFrame:
    """fte and cost summed by a column of the costed frame (team, grade, ...), in order."""
    value_columns = [c for c in ("fte_e4", "full_year", "period") if c in costed]
    return costed.groupby(column, sort=False)[value_columns].sum()

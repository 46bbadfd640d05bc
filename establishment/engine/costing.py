"""The costing engine: full-year and period costs of a frame of lines, vectorised.

How a figure is made (the one rule, see :mod:`establishment.model.money`):

1. Each distinct (grade, point, explicit cost/salary/range) of the frame gets a cost per fte for
   each pay year involved, from pay data, exactly, rounded to whole pounds
   (:meth:`pay_scales.Employer.unit_cost`). There are few distinct keys, so this is cheap.
2. Full-year cost of a line = fte x cost per fte, rounded to whole pounds half up.
3. Period cost of a line = sum over the pay years the period touches of
   fte x cost per fte of that year x days of the line inside the period and year / days in that
   pay year, exact, then rounded to whole pounds half up once. Rates switch on 1 April.
   A payment ``per="total"`` takes the share of its own days that fall in the period.
4. Totals are sums of rounded lines: a table adds up.

Steps 2-4 are int64 arithmetic on the whole frame: money in pence, and each line's fte exact,
an integer numerator ``fte_num`` over the frame's denominator ``fte_den`` (the lcm of 10**4
and the denominators present: 20 hours of 37 is 20/37, not 0.5405; see
:mod:`establishment.model.frame`). Python integers are used instead when a product could
overflow int64 (the bound is checked on the frame's actual values).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs
import numpy as np
import pandas as pd
from attrs import frozen

import pay_scales
from establishment.engine.levy_allowance import LevyAllowance, levy_allowance
from establishment.errors import CostingError, Problem, ValidationError
from establishment.model.frame import FTE_SCALE, NONE, exact_fte, fte_fraction, resolve_hours
from establishment.model.funding import add_lines_by_source
from establishment.model.grades import canonical_grades
from establishment.model.hours import hourly_cost_per_fte
from establishment.model.money import MoneyUnit, format_money, pence_to_pounds
from establishment.model.pay_basis import PayBasis, resolve_basis
from pay_scales.dates import days_in_pay_year, pay_year_end, pay_year_of, pay_year_start
from pay_scales.rounding import round_to_unit

if TYPE_CHECKING:
    from establishment.model.structure import Structure

KEY_COLUMNS = ["grade", "scp", "cost_per_fte_pence", "salary_pence", "salary_min_pence",
               "salary_max_pence"]
INT64_SAFE = 2 ** 62
INT64_MAX = int(np.iinfo(np.int64).max)


def range_salary(low: int, high: int, where: str) -> int:
    """The salary (pence) at the basis's point of a pay range; a midpoint's half penny is
    rounded up (the one rule, at penny scale)."""
    if where == "floor":
        return low
    if where == "ceiling":
        return high
    return (low + high + 1) // 2


def cost_per_fte(employer: pay_scales.Employer, basis: PayBasis, key: tuple, pay_year: int,
                 *, at_scp: int | None = None, ni_tax_year: int | None = None
                 ) -> pay_scales.UnitCost:
    """The cost per fte of one line key (``KEY_COLUMNS``) in one pay year: the one pricing
    function every figure comes from (costing, periods, projections, explanations).

    ``at_scp``: cost at this point of ``pay_year``'s spine instead of the key's own (a
    projection's incremented point); ``ni_tax_year``: take employer NI from this tax year (a
    projection beyond the NI data says so). Explicit costs, salaries and pay ranges on the key
    win over grade and point."""
    found = _cost_per_fte(employer, basis, key, pay_year, at_scp, ni_tax_year)
    exact = found.unrounded
    if employer.rule(basis.rule).hourly_rate_rounding == "penny":  # the hourly convention
        exact = hourly_cost_per_fte(exact, employer.annual_hours(basis.rule))
    cost = round_to_unit(exact, basis.rounding())
    return found if cost == found.cost else attrs.evolve(found, cost=cost)


def _cost_per_fte(employer: pay_scales.Employer, basis: PayBasis, key: tuple, pay_year: int,
                  at_scp: int | None, ni_tax_year: int | None) -> pay_scales.UnitCost:
    """:func:`cost_per_fte` before the basis's rounding unit is applied (a typed cost per fte
    is rounded like every other)."""
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
        # pence shown to two places (£15,000.50, never £15,000.5), whole pounds without
        shown = format_money(salary, pence=int(salary_pence) % 100 != 0)
        return employer.cost_of_salary(salary, pay_year, rule=basis.rule, grade=grade,
                                       salary_formula=formula or f"salary {shown}",
                                       ni_tax_year=ni_tax_year)
    point = None if scp == NONE else int(scp)
    how = basis.point
    if at_scp is not None:
        point, how = at_scp, "actual"
    elif point is not None and pay_year != basis.pay_year and basis.point == "actual":
        point = employer.carry_scp(point, basis.pay_year, pay_year)  # 2019 spine restructure
    return employer.unit_cost(grade, point, pay_year, point=how, rule=basis.rule,
                              rates_on=year_basis.rates_on, costed_rates=basis.costed_rates,
                              ni_tax_year=ni_tax_year)


def unit_cost_for_key(employer: pay_scales.Employer, basis: PayBasis, key: tuple,
                      pay_year: int) -> pay_scales.UnitCost:
    """The cost per fte of one distinct line key in one pay year (see :func:`cost_per_fte`)."""
    return cost_per_fte(employer, basis, key, pay_year)


_UNIT_CACHE: dict[tuple, pay_scales.UnitCost] = {}
_UNIT_CACHE_LIMIT = 100_000


def cached_unit_cost(employer: pay_scales.Employer, basis: PayBasis, key: tuple,
                     pay_year: int, *, at_scp: int | None = None,
                     ni_tax_year: int | None = None) -> pay_scales.UnitCost:
    """:func:`cost_per_fte`, remembered: a cost per fte is a pure function of the pay
    basis, the key and the pay year (employers are loaded once and never change), so repeated
    costings skip the exact Fraction arithmetic. The employer's folder is part of the key: an
    employer is loaded from its folder, once (``pay_scales.load_employer`` remembers it)."""
    cache_key = (employer.folder, employer.assumptions, basis, key, pay_year, at_scp,
                 ni_tax_year)
    found = _UNIT_CACHE.get(cache_key)
    if found is None:
        found = cost_per_fte(employer, basis, key, pay_year, at_scp=at_scp,
                             ni_tax_year=ni_tax_year)
        if len(_UNIT_CACHE) >= _UNIT_CACHE_LIMIT:
            _UNIT_CACHE.clear()
        _UNIT_CACHE[cache_key] = found
    return found


class PreparedFrame:
    """A frame of lines with what the engine finds once and reuses: each row's key slot.

    Costing the same lines again (another basis, a period, a projection, a diff step) with the
    same ``PreparedFrame`` skips finding the keys (the slow part of a repeated costing). The
    cache belongs to this object, so it lives and dies with the caller's reference to it;
    the frame must not be changed while it is prepared (pandas copy-on-write: a changed frame
    is a new frame, prepare it again).
    """

    __slots__ = ("frame", "_key_slots", "_in_force")

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self._key_slots: tuple[np.ndarray, np.ndarray, list[tuple]] | None = None
        self._in_force: dict[int, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def key_slots(self) -> tuple[np.ndarray, np.ndarray, list[tuple]]:
        """:func:`key_slots` of the frame, found on first use (arrays read-only: shared)."""
        if self._key_slots is None:
            result = key_slots(self.frame)
            for array in result[:2]:
                array.flags.writeable = False
            self._key_slots = result
        return self._key_slots

    def in_force(self, pay_year: int) -> np.ndarray:
        """:func:`lines_in_force` of the frame in ``pay_year``, found on first use and kept
        (read-only): reading two date columns is most of a repeated full-year costing."""
        found = self._in_force.get(pay_year)
        if found is None:
            found = lines_in_force(self.frame, pay_year)
            found.flags.writeable = False
            self._in_force[pay_year] = found
        return found


def prepared(lines: pd.DataFrame | PreparedFrame) -> PreparedFrame:
    """``lines`` as a :class:`PreparedFrame` (itself when it already is one)."""
    return lines if isinstance(lines, PreparedFrame) else PreparedFrame(lines)


class UnitCosts:
    """Cost per fte of every distinct key of a frame, per pay year, computed once.

    ``codes[i]`` is the index of row ``i``'s key in ``keys``. Keys are found with integer
    arithmetic (categorical codes or a factorised grade, combined with the integer key
    columns), not a groupby over object columns, so a million rows take milliseconds.
    """

    def __init__(self, lines: pd.DataFrame | PreparedFrame, basis: PayBasis) -> None:
        ready = prepared(lines)
        frame = ready.frame
        self.basis = basis
        self.employer = basis.load_employer()
        self._slots, self._slot_key, self.keys = ready.key_slots
        self._codes: np.ndarray | None = None
        self.explicit_costs = any(key[2] != NONE for key in self.keys)
        self.frame = frame
        self.by_year: dict[int, list[pay_scales.UnitCost]] = {}
        self._pence: dict[int, np.ndarray] = {}
        self._payments: np.ndarray | None = None

    @property
    def codes(self) -> np.ndarray:
        """``codes[i]``: the index in ``keys`` of row ``i``'s key (computed on first use)."""
        if self._codes is None:
            self._codes = self._slot_key[self._slots] if len(self._slots) else np.zeros(
                0, dtype=np.int64)
        return self._codes

    @property
    def first_row(self) -> np.ndarray:
        """The first row of each key."""
        if not len(self.codes):
            return np.zeros(0, dtype=np.int64)
        first = np.full(len(self.keys), len(self.codes), dtype=np.int64)
        np.minimum.at(first, self.codes, np.arange(len(self.codes), dtype=np.int64))
        return first

    def for_year(self, pay_year: int) -> list[pay_scales.UnitCost]:
        """Unit costs of every key in ``pay_year``; every failure reported together."""
        if pay_year in self.by_year:
            return self.by_year[pay_year]
        employer = (self.basis.load_employer(pay_year)
                    if self.basis.pay_year is not None and pay_year > self.basis.pay_year
                    else self.employer)  # a period into the next year: awards reach it
        results = []
        failed: dict[str, tuple[pay_scales.PayScaleError, list[int]]] = {}
        for index, key in enumerate(self.keys):
            try:
                results.append(cached_unit_cost(employer, self.basis, key, pay_year))
            except pay_scales.PayScaleError as err:
                # one problem per distinct cause (a missing year of data is one problem, not
                # one per post), naming the lines it stops
                failed.setdefault(str(err), (err, []))[1].append(index)
        if failed:
            raise CostingError([self._problem(err, indexes) for err, indexes in
                                failed.values()], "cannot cost on this basis")
        self.by_year[pay_year] = results
        return results

    def _problem(self, err: pay_scales.PayScaleError, indexes: list[int]) -> Problem:
        """One problem for every line whose key fails with ``err``: the first three named."""
        rows = np.flatnonzero(np.isin(self.codes, indexes))
        labels = [self._label(r) for r in rows[:3]]
        more = f" and {len(rows) - 3} more" if len(rows) > 3 else ""
        expected = None if err.expected is None else str(err.expected)
        return Problem(f"{', '.join(labels)}{more}", None, str(err), err.field,
                       expected=expected, found=err.found)

    def _label(self, row: int) -> str:
        return _line_label(self.frame, row)

    def table(self, pay_year: int) -> np.ndarray:
        """Cost per fte in pence of every key (not row), for ``pay_year``."""
        if pay_year not in self._pence:
            self._pence[pay_year] = np.array(
                [int(u.cost * 100) for u in self.for_year(pay_year)], dtype=np.int64)
        return self._pence[pay_year]

    def pence(self, pay_year: int) -> np.ndarray:
        """Cost per fte in pence of every row, for ``pay_year``. A payment's is its amount as
        given: it is not a cost per fte, so it is not rounded before its line is."""
        table = self.table(pay_year)
        if not len(table):
            return np.zeros(0, dtype=np.int64)
        by_slot = np.zeros(len(self._slot_key), dtype=np.int64)
        present = self._slot_key >= 0
        by_slot[present] = table[self._slot_key[present]]
        result = by_slot[self._slots]
        if self.explicit_costs:
            payments = self.payment_rows
            if len(payments):
                result[payments] = self.frame["cost_per_fte_pence"].to_numpy(
                    dtype=np.int64)[payments]
        return result

    @property
    def payment_rows(self) -> np.ndarray:
        """Row numbers of the payments (found once)."""
        if self._payments is None:
            self._payments = np.flatnonzero(
                self.frame["kind"].to_numpy(dtype=object) == "payment")
        return self._payments

    def row_pence(self, row: int, pay_year: int) -> int:
        """:meth:`pence` of one row."""
        if self.explicit_costs and self.frame["kind"].iloc[row] == "payment":
            return int(self.frame["cost_per_fte_pence"].iloc[row])
        return int(self.table(pay_year)[int(self.codes[row])])


def _codes_of(column: pd.Series) -> tuple[np.ndarray, list]:
    """Integer codes of a column and the values they stand for (categoricals are free)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.array.codes
        values = list(column.cat.categories)
        if (codes < 0).any():  # a missing value is its own key, as groupby(dropna=False) does
            codes = np.where(codes < 0, len(values), codes.astype(np.int64))
            values.append(None)
        return codes, values
    codes, uniques = pd.factorize(column.to_numpy(dtype=object), use_na_sentinel=False)
    return codes.astype(np.int64), list(uniques)


def _integer_codes(values: np.ndarray) -> tuple[np.ndarray | None, list[int]]:
    """Small integer codes of an integer key column and the values they stand for (None
    codes: the column holds one value throughout). ``NONE`` is the smallest int64, so a column
    whose largest value is ``NONE`` is ``NONE`` throughout: one pass decides it."""
    high = int(values.max())
    if high == NONE:
        return None, [NONE]
    low = int(values.min())
    if low == high:
        return None, [low]
    if low == NONE:  # missing values and a few real ones: NONE gets code 0
        real = values[values != NONE]
        low = int(real.min())
        if high - low < 4096:
            codes = np.where(values == NONE, 0, values - (low - 1)).astype(np.int32)
            return codes, [NONE, *range(low, high + 1)]
    elif high - low < 4096:
        # in int64, then narrowed: ``low`` itself may not fit int32 (a cost of £2bn in pence)
        codes = (values - low).astype(np.int32)
        return codes, list(range(low, high + 1))
    codes, uniques = pd.factorize(values)
    return codes.astype(np.int64), [int(v) for v in uniques]


def key_codes(frame: pd.DataFrame) -> tuple[np.ndarray, list[tuple]]:
    """The distinct keys (``KEY_COLUMNS``) of a frame and each row's index into them."""
    slots, slot_key, keys = key_slots(frame)
    return (slot_key[slots] if len(slots) else np.zeros(0, dtype=np.int64)), keys


def key_slots(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, list[tuple]]:
    """Each row's key slot, the key index of every slot (-1: no row has it) and the keys.

    Each key column becomes small integer codes (an integer column whose every value is
    ``NONE`` is skipped); the codes are combined in mixed radix into one int64 slot number, so
    finding the keys of a million rows is a few passes of integer arithmetic.
    """
    rows = len(frame)
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), []
    parts: list[tuple[np.ndarray | None, list]] = []  # (codes, values) of each column
    grade_codes, grade_values = _codes_of(frame["grade"])
    parts.append((grade_codes, grade_values))
    for column in KEY_COLUMNS[1:]:
        parts.append(_integer_codes(frame[column].to_numpy(dtype=np.int64)))
    space = 1
    for _, values in parts:
        space *= max(len(values), 1)
    if space >= INT64_SAFE:
        return _key_slots_grouped(frame)
    radix = 1
    combined: np.ndarray | None = None
    for codes, values in parts:
        if codes is not None and len(values) > 1:
            if combined is None:  # every column before it has one value: radix is 1
                combined = codes.astype(np.int64, copy=True)
            else:
                term = codes.astype(np.int64, copy=True)
                term *= radix
                combined += term
        radix *= max(len(values), 1)
    if combined is None:
        combined = np.zeros(rows, dtype=np.int64)
    if radix <= max(4 * rows, 1 << 16):
        present = np.zeros(radix, dtype=bool)
        present[combined] = True
        distinct = np.flatnonzero(present)
        slot_key = np.full(radix, -1, dtype=np.int64)
        slot_key[distinct] = np.arange(len(distinct))
        slots = combined
    else:
        slots, distinct = pd.factorize(combined, sort=True)
        slots = slots.astype(np.int64)
        slot_key = np.arange(len(distinct), dtype=np.int64)
    return slots, slot_key, _decode_keys(distinct, [values for _, values in parts])


def _decode_keys(distinct: np.ndarray, columns: list[list]) -> list[tuple]:
    """The key tuples of mixed-radix slot numbers (first column least significant)."""
    keys = []
    for value in distinct.tolist():
        key = []
        for values in columns:
            size = max(len(values), 1)
            key.append(values[value % size])
            value //= size
        keys.append(tuple(key))
    return keys


def _key_slots_grouped(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, list[tuple]]:
    keys = frame[KEY_COLUMNS]
    codes = keys.groupby(KEY_COLUMNS, sort=True, dropna=False).ngroup().to_numpy()
    first = pd.Series(np.arange(len(frame))).groupby(codes).first().to_numpy()
    return (codes.astype(np.int64), np.arange(len(first), dtype=np.int64),
            [tuple(keys.iloc[i]) for i in first])


def _is_total_payment(frame: pd.DataFrame) -> np.ndarray:
    """Lump-sum payments (``per="total"``). Only lines with an explicit amount can be one, so
    the text columns are compared on those rows alone (a post-only frame costs no string
    comparison at all)."""
    candidates = frame["cost_per_fte_pence"].to_numpy(dtype=np.int64) != NONE
    result = np.zeros(len(frame), dtype=bool)
    if candidates.any():
        rows = np.flatnonzero(candidates)
        kind = frame["kind"].to_numpy(dtype=object)[rows]
        per = frame["per"].to_numpy(dtype=object)[rows]
        result[rows] = (kind == "payment") & (per == "total")
    return result


def round_div(numerator: np.ndarray, denominator: int | np.ndarray) -> np.ndarray:
    """Integer division rounding half away from zero, elementwise (int64 or object)."""
    if numerator.dtype != object and len(numerator) and numerator.min() >= 0:
        return (numerator * 2 + denominator) // (denominator * 2)
    sign = np.where(numerator < 0, -1, 1)
    magnitude = numerator * sign
    return sign * ((magnitude * 2 + denominator) // (denominator * 2))


def full_year_pounds(frame: pd.DataFrame, unit_pence: np.ndarray, *,
                     pence_per_unit: int = 100) -> np.ndarray:
    """Full-year cost of every line in whole units (fte x cost per fte, rounded): pounds, or
    pence with ``pence_per_unit=1``."""
    fte, fte_den = exact_fte(frame)
    return _full_year(fte, unit_pence, unit_pence, pence_per_unit, fte_den)


def _full_year(fte: np.ndarray, unit_pence: np.ndarray, unit_table: np.ndarray,
               pence_per_unit: int = 100, fte_den: int = FTE_SCALE) -> np.ndarray:
    """fte (numerators over ``fte_den``) x unit rounded to whole units (pounds, or pence);
    ``unit_table`` (the distinct unit costs) decides overflow and sign without a pass over
    the rows."""
    if not len(fte):
        return np.zeros(0, dtype=np.int64)
    high, low = int(fte.max()), int(fte.min())
    widest = int(np.abs(unit_table).max(initial=0))
    scale = fte_den * pence_per_unit
    if widest * max(abs(high), abs(low), 1) * 2 >= INT64_SAFE:
        product = fte.astype(object) * unit_pence.astype(object)
        return round_div(product, scale)
    product = fte * unit_pence
    if low >= 0 and int(unit_table.min(initial=0)) >= 0:
        product += scale // 2  # non-negative: half up is floor((x + scale/2) / scale)
        product //= scale
        return product
    return round_div(product, scale)


def day_numbers(values: pd.Series, fill: dt.date) -> np.ndarray:
    """Day numbers (days since 1970-01-01) of a date column, ``fill`` where it is empty."""
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


def _day(day: dt.date) -> int:
    return int(np.datetime64(day, "D").astype(np.int64))


def _days_inside(starts: np.ndarray, ends: np.ndarray, first: dt.date, last: dt.date
                 ) -> np.ndarray:
    lo = np.maximum(starts, _day(first))
    hi = np.minimum(ends, _day(last))
    return np.maximum(hi - lo + 1, 0)


def line_days(frame: pd.DataFrame, first: dt.date, last: dt.date) -> np.ndarray:
    """Days of each line (between its start and end) inside ``first``-``last`` inclusive."""
    return _days_inside(day_numbers(frame["start"], first), day_numbers(frame["end"], last),
                        first, last)


def int64_rounds(bound: int, denominator: int) -> bool:
    """True when :func:`round_div` of any integer of magnitude at most ``bound`` by a
    denominator of at most ``denominator`` stays inside int64 (it forms 2|x| + denominator
    and divides by 2 x denominator)."""
    return 2 * bound + denominator <= INT64_MAX and 2 * denominator <= INT64_MAX


def _widest(values: np.ndarray) -> int:
    """The largest magnitude in an int64 array (0 when empty), as a Python integer."""
    if not len(values):
        return 0
    return max(abs(int(values.max())), abs(int(values.min())))


def _fte_of(frame: pd.DataFrame) -> tuple[np.ndarray, int]:
    """Each line's fte as an integer numerator and the frame's denominator (exact:
    :func:`establishment.model.frame.exact_fte`)."""
    return exact_fte(frame)


@frozen
class PeriodPlan:
    """How a period is costed on a frame: for each pay year it touches (and some line is in
    force in), the days of every line inside it, every line's cost per fte (pence,
    :meth:`UnitCosts.pence`) and the pay year's share of the common denominator (the least
    common multiple of the pay years' lengths). ``bound`` is the largest magnitude the exact
    numerator of any line can take, from the frame's actual widest fte, cost per fte and day
    counts (not the worst case), so ``int64`` says whether the exact sums fit."""

    fte: np.ndarray
    denominator: int
    pieces: tuple[tuple[np.ndarray, np.ndarray, int], ...]
    bound: int
    negative: bool  # some fte or cost per fte is below 0

    @property
    def int64(self) -> bool:
        """True when every line's exact sum, and its rounding, fit int64."""
        return int64_rounds(self.bound, self.denominator)


def period_plan(frame: pd.DataFrame, units: UnitCosts, starts: np.ndarray, ends: np.ndarray,
                segments: list[tuple[int, dt.date, dt.date]], pence_per_unit: int = 100
                ) -> PeriodPlan:
    """The :class:`PeriodPlan` of ``frame`` for ``segments`` (:func:`period_segments`);
    ``starts`` and ``ends``: the lines' day numbers, filled with the period's own ends;
    figures in whole pounds (``pence_per_unit`` 100) or pence (1)."""
    fte, fte_den = _fte_of(frame)
    common = int(np.lcm.reduce([days_in_pay_year(year) for year, _, _ in segments]))
    pieces, widest = [], 0
    negative = bool(len(fte)) and int(fte.min()) < 0
    for year, first, last in segments:
        units.table(year)  # every pay year is priced (its errors reported) ...
        days = _days_inside(starts, ends, first, last)
        most = int(days.max(initial=0))
        if most:  # ... but only one some line is in force in is computed
            unit = units.pence(year)
            weight = common // days_in_pay_year(year)
            pieces.append((days, unit, weight))
            widest += _widest(unit) * weight * most
            negative = negative or int(unit.min()) < 0
    return PeriodPlan(fte, fte_den * pence_per_unit * common, tuple(pieces),
                      widest * _widest(fte), negative)


def period_numerators(plan: PeriodPlan, exact: type) -> np.ndarray:
    """Each line's exact period cost x ``plan.denominator`` (pence x fte denominator x common
    days), in ``exact`` arithmetic (``np.int64``, only when ``plan.int64``, or ``object``:
    Python integers)."""
    total = np.zeros(len(plan.fte), dtype=exact)
    for days, unit, weight in plan.pieces:
        term = unit.astype(exact)
        term *= days if exact is not object else days.astype(object)
        if weight != 1:
            term *= weight
        total += term
    total *= plan.fte if exact is not object else plan.fte.astype(object)
    return total


def period_pounds(frame: pd.DataFrame, units: UnitCosts, start: dt.date, end: dt.date, *,
                  pence_per_unit: int = 100, exact: type | None = None) -> np.ndarray:
    """Cost of every line for ``start``-``end`` inclusive, in whole pounds (rule step 3); in
    pence with ``pence_per_unit=1``.

    Each line's exact sum over the pay years is formed over a common denominator in int64
    when :class:`PeriodPlan` proves it fits (the frame's actual widest fte, cost per fte and
    days), in Python integers otherwise; the two give identical figures. ``exact`` forces
    ``object`` (Python integers) or ``np.int64`` (refused when it would not fit): for tests.
    """
    segments = period_segments(start, end)
    starts = day_numbers(frame["start"], start)
    ends = day_numbers(frame["end"], end)
    plan = period_plan(frame, units, starts, ends, segments, pence_per_unit)
    if exact is None:
        exact = np.int64 if plan.int64 else object
    elif exact is not object and not plan.int64:
        raise ValueError(f"period figures up to {plan.bound} do not fit int64")
    numerator = period_numerators(plan, exact)
    if exact is not object and not plan.negative:
        numerator *= 2  # non-negative: half up is floor((2x + d) / 2d)
        numerator += plan.denominator
        numerator //= 2 * plan.denominator
        result = numerator
    else:
        result = _as_int64(round_div(numerator, plan.denominator))
    per_total = _is_total_payment(frame)
    if per_total.any():
        result[per_total] = _lump_sums(frame, per_total, starts, ends, start, end,
                                       pence_per_unit)
    return result


def _as_int64(values: np.ndarray) -> np.ndarray:
    """Python-integer results as int64 when every one fits (whole pounds always do in
    practice), else left as they are."""
    if values.dtype != object or not len(values):
        return values
    if -INT64_MAX <= min(values) and max(values) <= INT64_MAX:
        return values.astype(np.int64)
    return values


def _lump_sums(frame: pd.DataFrame, rows: np.ndarray, starts: np.ndarray, ends: np.ndarray,
               start: dt.date, end: dt.date, pence_per_unit: int) -> np.ndarray:
    """Period cost of the lump-sum payments ``rows``: the share of the sum for the days of
    its own span inside the period, rounded once."""
    span = (ends - starts + 1)[rows]
    inside = _days_inside(starts[rows], ends[rows], start, end)
    amount = frame["cost_per_fte_pence"].to_numpy(dtype=np.int64)[rows]
    if int64_rounds(_widest(amount) * int(inside.max()), int(span.max()) * pence_per_unit):
        return round_div(amount * inside, span * pence_per_unit)
    return _as_int64(round_div(amount.astype(object) * inside.astype(object),
                               span.astype(object) * pence_per_unit))


@frozen
class PeriodTerm:
    """One exact piece of a line's period cost: fte x cost per fte of ``pay_year`` x ``days``
    of the line inside the piece / ``of_days`` (the pay year's days; for a lump sum, its own
    span, with ``fte`` 1 and the sum as the unit)."""

    pay_year: int
    first: dt.date
    last: dt.date
    days: int
    of_days: int
    unit_pence: int
    fte: Fraction
    lump_sum: bool = False

    @property
    def exact(self) -> Fraction:
        """The piece in pounds, exact."""
        return self.fte * Fraction(self.unit_pence, 100) * self.days / self.of_days


def line_period_terms(frame: pd.DataFrame, units: UnitCosts, index: int, start: dt.date,
                      end: dt.date) -> list[PeriodTerm]:
    """The exact pieces of line ``index``'s cost for ``start``-``end`` (rule step 3), whose
    sum rounded once is :func:`period_pounds`'s figure for the line."""
    row = frame.iloc[[index]]
    first_day = int(day_numbers(row["start"], start)[0])
    last_day = int(day_numbers(row["end"], end)[0])
    if bool(_is_total_payment(row)[0]):
        inside = int(_days_inside(np.array([first_day]), np.array([last_day]), start, end)[0])
        return [PeriodTerm(pay_year_of(start), start, end, inside, last_day - first_day + 1,
                           int(row["cost_per_fte_pence"].iloc[0]), Fraction(1), True)]
    fte = fte_fraction(frame, index)
    return [PeriodTerm(year, first, last, int(line_days(row, first, last)[0]),
                       days_in_pay_year(year), units.row_pence(index, year), fte)
            for year, first, last in period_segments(start, end)]


def lines_in_force(frame: pd.DataFrame, pay_year: int) -> np.ndarray:
    """True for each line in force at some time in ``pay_year`` (its start-end overlaps 1 April
    to 31 March). A full-year cost for the pay year counts only these; the others show £0."""
    first, last = pay_year_start(pay_year), pay_year_end(pay_year)
    return line_days(frame, first, last) > 0


def _line_label(frame: pd.DataFrame, row: int) -> str:
    line = frame.iloc[row]
    if line["reference"]:
        return f"post {line['reference']}"
    return f"{line['kind']} {line['team'] + ' / ' if line['team'] else ''}{line['title']}"


def resolved_frame(frame: pd.DataFrame, basis: PayBasis) -> pd.DataFrame:
    """``frame`` with every post given in hours at its exact fte (hours / the basis's
    full-time hours; :func:`establishment.model.frame.resolve_hours`). A typed fte that disagrees
    with its hours, or hours under an employer that states no full-time hours, is a
    :class:`CostingError` naming each line."""
    try:
        resolved, conflicts = resolve_hours(frame, basis.full_time_hours,
                                            lambda: basis.load_employer().annual_hours(
                                                basis.rule))
    except pay_scales.PayScaleError as err:
        field = "annual_hours" if err.field == "annual_hours" else "hours"
        hours = frame[f"{field}_e6"].to_numpy(dtype=np.int64) != NONE
        raise CostingError([Problem(_line_label(frame, int(row)), None, str(err), field)
                            for row in np.flatnonzero(hours)[:20]],
                           "cannot find the fte of posts given in hours") from None
    if conflicts:
        ft = basis.full_time_hours()
        raise CostingError([Problem(
            _line_label(frame, row), None,
            f"fte {_fte_text(stated)} and hours {_fte_text(hours * Fraction(ft))} disagree: "
            f"hours / "
            f"{ft:f} full-time hours is {fraction_text(hours)} fte", "fte",
            expected=f"{fraction_text(hours)} to the fte's decimal places",
            found=_fte_text(stated)) for row, stated, hours in conflicts],
            "fte and hours disagree")
    return resolved


def _fte_text(value: Fraction) -> str:
    return f"{(Decimal(value.numerator) / Decimal(value.denominator)).normalize():f}"


def fraction_text(value: Fraction) -> str:
    """An exact fte for explanations: ``20/37 = 0.540541`` (six places, half up), or the
    decimal itself when it has at most six places."""
    scale = 10 ** 6
    shown = Fraction((value.numerator * 2 * scale + value.denominator)
                     // (2 * value.denominator), scale)
    text = _fte_text(shown)
    if shown == value:
        return text
    return f"{value.numerator}/{value.denominator} = {text}"


def cost_frame(lines: pd.DataFrame | PreparedFrame, basis: PayBasis, *,
               period: tuple[dt.date, dt.date] | None = None, units: UnitCosts | None = None
               ) -> tuple[pd.DataFrame, UnitCosts]:
    """Cost every line of ``lines`` (a frame, or a :class:`PreparedFrame` to reuse its keys):
    adds ``unit_pence``, ``full_year``, ``in_force`` (the line is in force at some time in the
    basis's pay year; ``full_year`` is 0 when it is not) and (with a period) ``period`` columns
    (whole pounds, int64). Returns the costed frame and the unit costs (kept for
    explanations). The input frame is not modified (a shallow copy gets the new columns;
    pandas copy-on-write keeps the two apart)."""
    ready = prepared(lines)
    frame = resolved_frame(ready.frame, basis)
    units = units or UnitCosts(ready, basis)
    table = units.table(basis.pay_year)
    unit = units.pence(basis.pay_year)
    fte, fte_den = exact_fte(frame)
    scale = basis.pence_per_unit
    # a payment's fte is 1 and its unit its amount as given, so a lump sum's full-year cost
    # is the sum itself, rounded once like every line
    fy = _full_year(fte, unit, table, scale, fte_den)
    in_force = ready.in_force(basis.pay_year)  # resolving hours leaves the dates as they are
    if not in_force.all():  # a line wholly outside the pay year costs nothing in it
        fy = np.where(in_force, fy, 0)
    columns = {"unit_pence": unit, "full_year": fy, "in_force": in_force}
    if period is not None:
        columns["period"] = period_pounds(frame, units, *period, pence_per_unit=scale)
    if basis.ni_convention() == "person":
        columns.update(per_person_columns(frame, units, basis, period, columns))
    costed = frame.copy(deep=False)
    for name, values in columns.items():
        costed[name] = values
    return costed, units


NI_COMPONENTS = ("employer NI", "contracted-out NI rebate")


@frozen
class PersonCost:
    """One person's cost under ``ni_basis = "person"``: their ``share`` of full time, their
    pay, their own employer NI (on that pay above the whole threshold) and their cost, exact
    and rounded to the rule's unit (``pence``)."""

    share: Fraction
    pay: Fraction
    ni: Fraction
    exact: Fraction
    pence: int


def person_cost(employer: pay_scales.Employer, basis: PayBasis, unit: pay_scales.UnitCost,
                share: Fraction) -> PersonCost:
    """The cost of one person working ``share`` of full time: the salary-proportional part
    (salary, pension, levy: at the full-time salary's band) x share, plus employer NI (and any
    contracted-out rebate) on the person's own pay. A cost with no NI of its own (an explicit
    cost, a costed rate) is share x the cost per fte."""
    pay = Fraction(unit.salary) * share
    if not any(c.name in NI_COMPONENTS for c in unit.components):
        exact, ni = unit.unrounded * share, Fraction(0)
    else:
        linear = unit.unrounded - sum((c.amount for c in unit.components
                                       if c.name in NI_COMPONENTS), Fraction(0))
        own = employer.cost_of_salary(pay, unit.pay_year, rule=basis.rule, grade=unit.grade,
                                      scp=unit.scp, salary_formula="a person's own pay")
        ni = sum((c.amount for c in own.components if c.name in NI_COMPONENTS), Fraction(0))
        exact = linear * share + ni
    rounded = round_to_unit(exact, basis.rounding())
    return PersonCost(share, pay, ni, exact, int(rounded * 100))


def _headcounts(frame: pd.DataFrame, fte: list[Fraction]) -> list[int]:
    """Each post's headcount: given, else 1 for fte <= 1; a located error otherwise."""
    given = frame["headcount"].to_numpy(dtype=np.int64) if "headcount" in frame else \
        np.full(len(frame), NONE, dtype=np.int64)
    missing = [row for row, value in enumerate(fte) if given[row] == NONE and value > 1]
    if missing:
        raise CostingError([Problem(_line_label(frame, row), None, "an fte over 1 under "
                                    "ni_basis = \"person\" needs the people in the line",
                                    "headcount", expected="headcount (a whole number >= 1)",
                                    found=None) for row in missing],
                           "headcount needed for NI per person")
    return [1 if value == NONE else int(value) for value in given.tolist()]


def person_line_pence(frame: pd.DataFrame, units: UnitCosts, basis: PayBasis,
                      pay_year: int) -> np.ndarray:
    """Each line's exact full-year pence in ``pay_year`` under NI per person: a post's is
    headcount x its person cost (already at the rule's unit); a payment's its amount."""
    result = units.pence(pay_year).astype(object)
    posts = np.flatnonzero(frame["kind"].to_numpy(dtype=object) == "post")
    fte = [fte_fraction(frame, int(row)) for row in posts]
    heads = _headcounts(frame.iloc[posts], fte)
    table = units.for_year(pay_year)
    found: dict[tuple[int, Fraction], int] = {}
    for row, value, count in zip(posts.tolist(), fte, heads):
        key = (int(units.codes[row]), value / count)
        if key not in found:
            found[key] = person_cost(units.employer, basis, table[key[0]], key[1]).pence
        result[row] = count * found[key]
    return result


def per_person_columns(frame: pd.DataFrame, units: UnitCosts, basis: PayBasis,
                       period: tuple[dt.date, dt.date] | None, columns: dict
                       ) -> dict[str, np.ndarray]:
    """The figures under ``ni_basis = "person"``: each line is headcount x its person cost
    (rounded to the rule's unit), a period line that year by year x its days / the pay year's
    days, rounded once; the cost per fte shown is line / fte (derived). Lump sums keep their
    figures."""
    scale = basis.pence_per_unit
    lump = _is_total_payment(frame)
    year = person_line_pence(frame, units, basis, basis.pay_year)
    fy = np.where(lump | ~columns["in_force"], columns["full_year"],
                  round_div(year, scale)).astype(np.int64)
    fte, den = exact_fte(frame)
    derived = round_div(year * den, np.maximum(np.asarray(fte, dtype=object), 1))
    unit = np.where(frame["kind"].to_numpy(dtype=object) == "post", derived,
                    columns["unit_pence"]).astype(np.int64)
    result = {"unit_pence": unit, "full_year": fy}
    if period is not None:
        start, end = period
        starts = day_numbers(frame["start"], start)
        ends = day_numbers(frame["end"], end)
        total = np.zeros(len(frame), dtype=object)
        common = 1
        segments = period_segments(start, end)
        for year_of, _, _ in segments:
            common = common * days_in_pay_year(year_of) // math.gcd(
                common, days_in_pay_year(year_of))
        for year_of, first, last in segments:
            days = _days_inside(starts, ends, first, last).astype(object)
            total = total + person_line_pence(frame, units, basis, year_of) * days * (
                common // days_in_pay_year(year_of))
        result["period"] = np.where(lump, columns["period"],
                                    round_div(total, scale * common)).astype(np.int64)
    return result


def totals_by(costed: pd.DataFrame, column: Hashable) -> pd.DataFrame:
    """fte and cost summed by a column of the costed frame (team, grade, ...), in order."""
    value_columns = [c for c in ("fte_e4", "full_year", "period") if c in costed]
    return costed.groupby(column, sort=False, observed=True)[value_columns].sum()


def allowance_line(costed: pd.DataFrame, units: UnitCosts, basis: PayBasis,
                   period: tuple[dt.date, dt.date] | None) -> LevyAllowance | None:
    """The levy allowance line of costed lines when the basis declares the whole pay bill
    (None otherwise): one definition for a costing and a diff's two sides."""
    return levy_allowance(costed, units, basis, period, line_days) if basis.whole_pay_bill \
        else None


def unit_money(value: int, basis: PayBasis) -> Decimal:
    """One engine figure (an int in the basis's unit: whole pounds or pence) as Decimal
    pounds (:class:`~establishment.model.money.MoneyUnit`, the one conversion)."""
    return basis.unit.pounds(value)


def _read_only(values: np.ndarray) -> np.ndarray:
    view = values.view()
    view.flags.writeable = False
    return view


@attrs.define(frozen=True, eq=False)
class Costing:
    """The costed lines of a structure on one basis (and optionally one period).

    One line per post then per payment. The figures are read-only int64 arrays, one value per
    line: ``unit_pence`` (cost per fte), ``full_year_lines`` and ``period_lines`` (whole
    pounds); :meth:`to_frame` gives every column as a new DataFrame (a copy: changing it never
    changes this costing). Full-year and period figures are separate attributes and never
    mixed.
    """

    structure: Structure
    basis: PayBasis
    period: tuple[dt.date, dt.date] | None
    _lines: pd.DataFrame = attrs.field(alias="lines")
    units: UnitCosts
    levy_allowance: LevyAllowance | None = None  # the basis declares the whole pay bill

    @classmethod
    def compute(cls, structure: Structure, basis: PayBasis,
                period: tuple[dt.date, dt.date] | None = None, *,
                lines: PreparedFrame | None = None) -> Costing:
        """Cost ``structure`` (``lines``: its frame already prepared, to reuse its keys)."""
        costed, units = cost_frame(lines if lines is not None else structure.to_frame(), basis,
                                   period=period)
        # grades by canonical name in every grouping and table ("Band D" is "Hay Band D")
        costed["grade"] = pd.Series(canonical_grades(costed["grade"], basis), dtype=object,
                                    index=costed.index, copy=False)  # object, as every text
        return cls(structure, basis, period, costed, units,
                   allowance_line(costed, units, basis, period))

    @property
    def pence_per_unit(self) -> int:
        """Pence in one unit of the line figures: 100 (whole pounds) or 1 (``round_to =
        "penny"``)."""
        return self.basis.pence_per_unit

    @property
    def unit(self) -> MoneyUnit:
        """The unit of its line figures (whole pounds or pence): the one conversion to Decimal
        pounds and how they are shown."""
        return self.basis.unit

    @property
    def money_kind(self) -> str:
        """The table column kind its money is shown in: ``money`` (whole pounds) or
        ``pence``."""
        return self.unit.kind

    def to_frame(self) -> pd.DataFrame:
        """Every line with its figures (``unit_pence``, ``full_year``, ``period``), as a new
        frame: a copy, so changing it never changes this costing."""
        return self._lines.copy(deep=True)

    @property
    def lines(self) -> pd.DataFrame:
        """The same as :meth:`to_frame` (a copy)."""
        return self.to_frame()

    def __len__(self) -> int:
        return len(self._lines)

    def column(self, name: str) -> np.ndarray:
        """One column of the lines as a read-only array (no copy)."""
        return _read_only(self._lines[name].to_numpy())

    @property
    def unit_pence(self) -> np.ndarray:
        """Cost per fte of every line in pence (read-only int64)."""
        return self.column("unit_pence")

    @property
    def full_year_lines(self) -> np.ndarray:
        """Full-year cost of every line in whole pounds, or pence under ``round_to = "penny"``
        (:attr:`pence_per_unit`; read-only int64)."""
        return self.column("full_year")

    @property
    def period_lines(self) -> np.ndarray:
        """Period cost of every line in whole pounds or pence (:attr:`pence_per_unit`;
        read-only int64); an error when no
        period was asked."""
        self._need_period()
        return self.column("period")

    @property
    def fte_lines(self) -> np.ndarray:
        """fte of every line in ten-thousandths (read-only int64; a payment's is 1 fte)."""
        return self.column("fte_e4")

    def _is_post(self) -> np.ndarray:
        return self._lines["kind"].to_numpy(dtype=object) == "post"

    @property
    def full_year(self) -> Decimal:
        """Full-year cost of every line, in pounds (whole, or to the penny), with the levy
        allowance line when the basis declares the whole pay bill."""
        allowance = self.levy_allowance.full_year if self.levy_allowance else 0
        return self.unit.total(self.full_year_lines) + allowance

    @property
    def posts_full_year(self) -> Decimal:
        return self.unit.total(self.full_year_lines[self._is_post()])

    @property
    def payments_full_year(self) -> Decimal:
        return self.unit.total(self.full_year_lines[~self._is_post()])

    def _need_period(self) -> None:
        if self.period is None:
            raise ValidationError("period", "given when costing (cost(basis, period=(start, "
                                  "end)))", None)

    @property
    def period_total(self) -> Decimal:
        """The cost of the period asked for (with the levy allowance line, as
        :attr:`full_year`); an error when none was."""
        allowance = self.levy_allowance.period if self.levy_allowance else None
        return self.unit.total(self.period_lines) + (allowance or 0)

    @property
    def posts_period(self) -> Decimal:
        return self.unit.total(self.period_lines[self._is_post()])

    @property
    def payments_period(self) -> Decimal:
        return self.unit.total(self.period_lines[~self._is_post()])

    def _in_force(self) -> np.ndarray:
        return self._lines["in_force"].to_numpy(dtype=bool)

    @property
    def fte(self) -> Decimal:
        """fte of the posts in force in the basis's pay year (posts wholly outside it are
        left out, as their full-year cost is)."""
        return Decimal(int(self.fte_lines[self._is_post() & self._in_force()].sum())) / FTE_SCALE

    @property
    def not_in_force(self) -> int:
        """Number of lines wholly outside the basis's pay year (shown at £0)."""
        return int((~self._in_force()).sum())

    def unit_cost(self, index: int, pay_year: int | None = None) -> pay_scales.UnitCost:
        """The cost per fte (with its components) behind line ``index``."""
        year = self.basis.pay_year if pay_year is None else pay_year
        return self.units.for_year(year)[int(self.units.codes[index])]

    @property
    def inferred(self) -> bool:
        """True when any figure rests on an inferred pay value."""
        return any(u.inferred for u in self.units.for_year(self.basis.pay_year))

    def by(self, column: str) -> pd.DataFrame:
        """fte, full-year (and period) cost by ``team``, ``grade``, ``status``... in first-seen
        order, as Decimals."""
        lines = self._lines.assign(
            fte_e4=np.where(self._is_post() & self._in_force(), self.fte_lines, 0))
        groups = lines.groupby(column, sort=False)
        result = pd.DataFrame({
            "fte": groups["fte_e4"].sum().map(lambda v: Decimal(int(v)) / FTE_SCALE),
            "full_year": groups["full_year"].sum().map(self._pounds),
        })
        if self.period is not None:
            result["period"] = groups["period"].sum().map(self._pounds)
        return result

    def _pounds(self, value: int) -> Decimal:
        return self.unit.pounds(value)

    def by_funding(self) -> pd.DataFrame:
        """Cost per funding source: each line split across its shares by largest remainder,
        in whole pounds, so the sources add up to the total exactly. Unfunded lines count under
        ``(unfunded)``."""
        columns = ["full_year"] + (["period"] if self.period is not None else [])
        per_column: dict[str, dict[str, int]] = {column: {} for column in columns}
        for column in columns:
            add_lines_by_source(per_column[column], self._lines["funding"],
                                self._lines[column], pence_per_unit=self.pence_per_unit)
        totals = {name: {column: per_column[column].get(name, 0) for column in columns}
                  for name in per_column[columns[0]]}
        frame = pd.DataFrame.from_dict(totals, orient="index", columns=columns)
        return frame.map(pence_to_pounds) if len(frame) else frame

    def line_costs(self) -> np.ndarray:
        """The same as ``full_year_lines``."""
        return self.full_year_lines


def cost(structure: Structure, basis: PayBasis | None = None, *,
         period: tuple[dt.date, dt.date] | None = None) -> Costing:
    """Cost every line of ``structure`` on ``basis`` (an employer must be named; without a pay
    year, the pay year in force today when the data cover it: :func:`resolve_basis`), with period
    costs when ``period`` (first and last day, inclusive) is given."""
    return Costing.compute(structure, resolve_basis(basis), period)

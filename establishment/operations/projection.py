"""Projection: what a structure costs month by month over several years.

Finance plans three to five years ahead and month by month. A projection costs every line of a
structure in every calendar month of a window, with

* **increments**: a post costed at its own scp (basis point ``actual`` with an scp) moves up one
  point on each anniversary of its increment day (``Post.increment_date``'s month and day,
  default 1 April) that falls after the later of the projection start and the post's start,
  until the top of its grade. Costing at ``top`` or ``bottom`` (or a post without an scp) does
  not increment. Where the spine itself changes (the NJC old spine became the new spine on
  1 April 2019) the post first takes that day's increment on the old spine, then moves to its
  assimilated new point (``pay_scales/data/old_to_new_spine.csv``). A grade with no known top
  does not increment (and says so).
* **pay awards**: each pay year is costed on that year's pay data (the spine table in force on
  1 April), so agreed awards come from the data. A pay year with no data uses the explicit
  ``award`` the caller passes (e.g. ``Decimal("0.02")``): the last known salary is uplifted by
  it once a year, rounded to £1 each year (the one rule), with the last known NI rates and grade
  ranges. Explicit costs and salaries on posts are taken as stated for the first pay year of the
  window and uplifted by ``award`` (held flat without one) after it. Every figure that rests on
  such an assumption is flagged ``approximate``, line by line and month by month.
* **vacancy**: ``vacant="cost"`` costs vacant posts like filled ones (the establishment budget),
  ``vacant="exclude"`` costs them at nothing; a ``vacancy_factor`` (e.g. 3%) is a separate,
  negative component on every post line that is costed.
* **dates**: a line costs only on the days between its start and end (temporary posts stop at
  their end date); a partial month is prorated by days.

Rounding (the one rule, whole pounds half up (pence with
``round_to = "penny"``), see :mod:`establishment.model.money`), designed so a
pay year is exactly the sum of its months:

1. For each line and pay year (the part of the pay year inside the window) the exact amount is
   the sum over days of fte x cost per fte (rounded to £1, as in every costing) / days in the
   pay year, x (1 - vacancy factor). It is rounded to whole pounds once: this is the same figure
   :func:`establishment.engine.costing.period_pounds` gives for that pay year.
2. That whole-pound amount is allocated to the line's months by largest remainder (each month
   gets its exact share rounded down, the pounds left over go to the months with the largest
   remainders, earlier months first on ties). So a full pay year is the sum of its 12 months
   exactly, for every line and therefore every total.
3. Each line-month is split into components (salary, each on-cost, vacancy factor) in
   proportion to the components of its cost per fte (in pence, weighted by days), again by
   largest remainder, so components add up to the month exactly. The salary component carries
   the cost per fte's own rounding to £1.
4. Roll-ups (by team, grade, funding) are sums of line-months; a funding split of each
   line-month uses :func:`establishment.model.funding.split_pence`'s rule (largest remainder, whole
   pounds).

All arithmetic is int64 on arrays of lines x months (Python integers if a product could
overflow), with a small table of unit costs per (cost key, scp, pay year) computed once.

Memory and speed (a million lines x 60 months): post lines that cost alike (same unit costs
month by month, same fte x (1 - vacancy factor)) form a group whose months are computed once
and copied to every line of it in the pay years the line's dates cover whole; a line is
computed on its own only in the pay years its start or end cuts, payments everywhere
(``group_lines=False`` computes every line-month on its own: the same figures, slower).
Line-months are held in int32 when every figure provably fits (else int64); components are
computed on demand (:attr:`Projection.components`), and roll-ups (:meth:`Projection.monthly`,
:meth:`Projection.yearly`) add a group's months once per roll-up group (times its lines)
and the rest a chunk of lines at a time, never holding them all.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import pandas as pd

import pay_scales
from establishment.engine.costing import (
    INT64_SAFE,
    UnitCosts,
    cached_unit_cost,
    day_numbers,
    range_salary,
    resolved_frame,
    round_div,
)
from establishment.errors import CostingError, Problem, ValidationError
from establishment.model.frame import FTE_SCALE, NONE, exact_fte
from establishment.model.funding import split_pence_array
from establishment.model.grades import canonical_grades
from establishment.model.money import POUNDS, MoneyUnit, pence_to_pounds
from establishment.model.parse import parse_iso_date
from establishment.model.pay_basis import PayBasis, resolve_basis
from establishment.model.rates import parse_rate
from establishment.model.structure import Structure
from establishment.model.vacancy import VacancyFactor
from pay_scales.awards import award_for
from pay_scales.dates import days_in_pay_year, pay_year_label, pay_year_of, pay_year_start
from pay_scales.rounding import round_pounds

VACANT_CHOICES = ("cost", "exclude")
GROUPINGS = ("team", "grade", "funding", "status", "kind")
EPOCH = dt.date(1970, 1, 1)
VACANCY = "vacancy factor"
PAYMENT = -(2 ** 40)  # combo code of payment lines


LAST_MONTH = dt.date(9998, 12, 1)
LAST_MONTH_INDEX = LAST_MONTH.year * 12 + LAST_MONTH.month


def parse_month(value: str | dt.date) -> dt.date:
    """``"2018-04"``, ``"2018-04-01"`` or a date -> the first day of that month."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = str(value).strip()
    try:  # the calendar dates of model.parse (no week dates, no 20180401)
        return parse_iso_date(text + "-01" if len(text) == 7 else text).replace(day=1)
    except ValueError:
        raise ValidationError("start", "a month such as 2018-04 (or an ISO date)", value) from None


def _add_months(day: dt.date, count: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def _day(day: dt.date) -> int:
    return (day - EPOCH).days


def _anniversary(year: int, month: int, day: int) -> dt.date:
    """(month, day) in ``year``; 29 February falls on 28 February in other years."""
    if month == 2 and day == 29:
        try:
            return dt.date(year, 2, 29)
        except ValueError:
            return dt.date(year, 2, 28)
    return dt.date(year, month, day)


@attrs.frozen
class _Unit:
    """One cost per fte: total pence and its components in pence (summing to the total)."""

    pence: int
    weights: tuple[tuple[str, int], ...]
    approximate: bool


def _unit_from_cost(unit: pay_scales.UnitCost, approximate: bool) -> _Unit:
    total = int(unit.cost * 100)
    if unit.costed_rate:
        return _Unit(total, (("costed rate", total),), approximate)
    if unit.rule == "explicit":
        return _Unit(total, (("explicit cost", total),), approximate)
    parts = []
    for component in unit.components:
        exact = component.amount * 100
        parts.append((component.name, int(round_pounds(exact))))
    salary = total - sum(p for _, p in parts)  # carries the cost per fte's rounding to £1
    return _Unit(total, (("salary", salary), *parts), approximate)


class _Prices:
    """A projection's unit costs by (line key, scp, pay year): the engine's one pricing
    function (:func:`establishment.engine.costing.cost_per_fte`) for every year, on the
    employer's pay data extended to the window's last pay year by the basis's award
    assumptions (:meth:`pay_scales.Employer.with_awards`: the same extension ``cost`` uses,
    employer NI carried forward past the data), noting every assumption it rests on."""

    def __init__(self, basis: PayBasis, first_year: int, last_year: int) -> None:
        self.basis = basis
        self.employer = basis.base_employer().with_awards(basis.awards, last_year,
                                                          carry_ni=True)
        self.rule = self.employer.rule(basis.rule)
        self.first_year = first_year
        spine = self.employer.spine
        self.last_year = pay_year_of(spine.effective_dates[-1]) if spine else None
        self.cache: dict[tuple, _Unit] = {}
        self.notes: dict[str, None] = {}

    # -- assumptions -------------------------------------------------------------------------
    def _need_award(self, year: int, what: str) -> None:
        raise CostingError(
            f"no pay data for {pay_year_label(year)} ({what}) and no assumed award for it; "
            f"state one (awards=(\"{pay_year_label(year)}=2%\",) on the basis in Python, "
            f"--award {pay_year_label(year)}=2% or a bare --award 2% for every year after the "
            f"data on the command line)")

    def _note_assumptions(self, year: int) -> None:
        """The employer's assumptions (awards chained, NI carried forward) once a figure of a
        year beyond the published data is costed."""
        if self.employer.assumptions or self.employer.award_notes:
            for text in (*self.employer.assumptions, *self.employer.award_notes):
                self.notes[text] = None

    def _explicit_note(self, awards: list[pay_scales.Award | None]) -> None:
        used = [a for a in awards if a is not None]
        if not used:
            self.notes["explicit costs and salaries on posts are held flat after "
                       f"{pay_year_label(self.first_year)} (no award given) [a]"] = None
        else:
            said = ", ".join(dict.fromkeys(a.describe() for a in used))
            self.notes[f"explicit costs and salaries on posts are moved by the award "
                       f"({said}) after {pay_year_label(self.first_year)} [a]"] = None

    def _uplift(self, pence: int, year: int) -> int:
        """An explicit amount of the window's first year moved to ``year`` by each later
        year's award (a rate or flat amount; held flat in a year without one)."""
        amount = pence_to_pounds(pence)
        used = []
        for later in range(self.first_year + 1, year + 1):
            award = award_for(self.basis.awards, later)
            used.append(award)
            if award is not None and (award.rate is not None or award.flat is not None):
                amount = award.salary(-1, amount)
        self._explicit_note(used)
        return int(amount * 100)

    # -- grades and spines (data lookups, not pricing) -------------------------------------
    def data_year(self, year: int) -> int:
        return min(year, self.last_year) if self.last_year is not None else year

    def spine_name(self, year: int) -> str:
        return self.employer.spine.spine_on(pay_year_start(self.data_year(year)))

    def top(self, grade: str, year: int) -> int | None:
        day = pay_year_start(self.data_year(year))
        salary_day = (pay_year_start(self.rule.spine_pay_year)
                      if self.rule.spine_pay_year is not None else day)
        return self.employer.grade_range(grade, day, salary_day).scp_max

    def carry(self, scp: int, from_year: int, to_year: int) -> int:
        """An incremented point carried across a spine change (the employer's published
        assimilation, as the engine carries a post's own point)."""
        try:
            return self.employer.carry_scp(scp, self.data_year(from_year),
                                           self.data_year(to_year))
        except pay_scales.PayScaleError as err:
            raise CostingError(str(err)) from None

    # -- unit costs -------------------------------------------------------------------------
    def unit(self, key: tuple, scp: int | None, year: int) -> _Unit:
        """The cost per fte of ``key`` at ``scp`` (a point of ``year``'s spine; None: the
        basis's point, as the engine costs it) in ``year``."""
        cached = self.cache.get((key, scp, year))
        if cached is None:
            try:
                cached = self._compute(key, scp, year)
            except pay_scales.PayScaleError as err:
                what = key[0] or "explicit cost"
                where = f" scp {scp}" if scp is not None else ""
                raise CostingError(f"{what}{where} in {pay_year_label(year)}: {err}") from None
            self.cache[(key, scp, year)] = cached
        return cached

    def _engine(self, key: tuple, year: int, scp: int | None) -> tuple[pay_scales.UnitCost,
                                                                         bool]:
        unit = cached_unit_cost(self.employer, self.basis, key, year, at_scp=scp)
        if unit.assumed:
            self._note_assumptions(year)
        return unit, unit.assumed

    def _explicit_key(self, key: tuple, later: int, year: int) -> tuple:
        """An explicit cost, salary or pay range ``later`` years after the window's first
        year: moved by each later year's award (held flat without one)."""
        grade, scp, cost, salary, low, high = key
        if later <= 0:
            return key
        if cost != NONE:
            return (grade, scp, self._uplift(cost, year), NONE, NONE, NONE)
        if salary == NONE:
            salary = range_salary(int(low), int(high), self.basis.range_point)
        return (grade, scp, NONE, self._uplift(salary, year), NONE, NONE)

    def _compute(self, key: tuple, scp: int | None, year: int) -> _Unit:
        grade, _, cost, salary, low, high = key
        later = year - self.first_year
        if cost != NONE or salary != NONE or (low != NONE and high != NONE):
            unit, approximate = self._engine(self._explicit_key(key, later, year), year, None)
            return _unit_from_cost(unit, approximate or later > 0)
        if (self.last_year is not None and year > self.last_year
                and self.rule.spine_pay_year is None):
            self._need_award(year, f"{grade} scp {scp}")
        unit, approximate = self._engine(key, year, scp)
        return _unit_from_cost(unit, approximate)


@attrs.define(frozen=True, eq=False)
class Projection:
    """Month-by-month costs of every line of a structure.

    ``amounts[i, j]``: whole pounds (pence on a penny basis) of line ``i`` in month ``j``
    (``months[j]`` is its first day), held in the narrowest integer type that provably holds
    every figure (int32 unless a line-month could reach £2.1 billion, else int64; sums over
    it are int64);
    ``approximate[i, j]`` is True where the figure rests on an assumption (``assumptions``
    says which). ``components[name][i, j]`` split each line-month (they add up to it exactly):
    computed on demand, when first read (a million lines x 60 months is 480 MB per component),
    while :meth:`monthly` and :meth:`yearly` sum them a chunk of lines at a time and never
    hold them all.
    """

    lines: pd.DataFrame
    basis: PayBasis
    months: tuple[dt.date, ...]
    amounts: np.ndarray
    approximate: np.ndarray
    assumptions: tuple[str, ...]
    award: Decimal | None
    vacancy_factor: Decimal
    _layout: _Layout = attrs.field(alias="layout", repr=False)
    _with_components: bool = attrs.field(default=True, alias="with_components", repr=False)
    _cache: dict = attrs.field(factory=dict, init=False, repr=False)

    @property
    def pence_per_unit(self) -> int:
        """Pence in one unit of ``amounts``: 100 (whole pounds) or 1 (a basis with
        ``round_to = "penny"``)."""
        return self.unit.pence

    @property
    def unit(self) -> MoneyUnit:
        """The unit of ``amounts`` (the basis's): the one conversion to pounds."""
        return self.basis.unit

    def money(self, value: int) -> Decimal:
        """One figure of ``amounts`` (whole units of the basis) as Decimal pounds."""
        return self.unit.pounds(value)

    @property
    def components(self) -> dict[str, np.ndarray]:
        """Each component's line-months (int64 arrays, lines x months), computed on first use
        and kept (empty when the projection was made with ``components=False``)."""
        if "components" not in self._cache:
            n, m = self.amounts.shape
            parts = {label: np.empty((n, m), dtype=np.int64) for label in self._labels()}
            for rows, _, chunk in self._component_chunks():
                for label, values in chunk.items():
                    parts[label][rows] = values
            self._cache["components"] = parts
        return self._cache["components"]

    def _labels(self) -> list[str]:
        return self._layout.labels() if self._with_components else []

    def _group_cells(self, components: bool) -> tuple:
        key = ("group_cells", components)
        if key not in self._cache:
            self._cache[key] = self._layout.group_cells(components)
        return self._cache[key]

    def _sums(self, codes: np.ndarray, add) -> None:
        """Call ``add(codes, counts, columns, arrays)`` for every piece a roll-up by
        ``codes`` adds up (:meth:`_Layout.weighted_rows`)."""
        components = self._with_components
        for piece in self._layout.weighted_rows(codes, self._group_cells(components),
                                                components):
            add(*piece)

    def _component_chunks(self):
        """(rows, amounts, components) of successive chunks of lines: components computed
        for those lines only (the working memory is a chunk's)."""
        n, m = self.amounts.shape
        if not self._with_components or not n:
            return
        cells = self._group_cells(True)
        step = max(ROLL_UP_CELLS // max(m, 1), 1)
        for begin in range(0, n, step):
            rows = slice(begin, min(begin + step, n))
            amounts, _, parts = self._layout.cells(rows, np.int64, cells, True)
            yield rows, amounts, parts

    @property
    def pay_years(self) -> list[int]:
        return sorted({pay_year_of(m) for m in self.months})

    @property
    def total(self) -> Decimal:
        """The whole window's cost, whole pounds."""
        return self.money(self.amounts.sum(dtype=object))

    def pay_year_total(self, pay_year: int) -> Decimal:
        """The cost of one pay year inside the window: the sum of its months."""
        columns = [j for j, m in enumerate(self.months) if pay_year_of(m) == pay_year]
        return self.money(self.amounts[:, columns].sum(dtype=object))

    def _groups(self, by: str | None) -> tuple[list[str], np.ndarray]:
        if by is None:
            return ["All"], np.zeros(len(self.lines), dtype=np.int64)
        if by not in self.lines:
            raise ValidationError("by", " | ".join(GROUPINGS), by)
        column = self.lines[by].astype(object)
        if by == "grade":  # "Band D", "HB D" and "Hay Band D" are one grade
            column = pd.Series(canonical_grades(column, self.basis), dtype=object)
        codes, names = pd.factorize(column, sort=False)
        return [str(n) if n != "" else "(none)" for n in names], codes.astype(np.int64)

    def monthly(self, by: str | None = None) -> pd.DataFrame:
        """One row per group and month: each component, ``total`` and ``approximate``.

        ``by``: None (one group), ``team``, ``grade``, ``status`` or ``funding`` (each line
        split across its funding shares by largest remainder; money then in pounds and pence).
        Each grouping is summed once and kept (a copy is returned).
        """
        key = ("monthly", by)
        if key not in self._cache:
            self._cache[key] = self._by_funding() if by == "funding" else self._monthly(by)
        return self._cache[key].copy()

    def _monthly(self, by: str | None) -> pd.DataFrame:
        names, codes = self._groups(by)
        summed = {label: np.zeros((len(names), len(self.months)), dtype=np.int64)
                  for label in self._labels()}

        def add(sub_codes, counts, columns, arrays) -> None:
            for label, values in arrays.items():
                if label != "total":
                    weighted = values if counts is None else values * counts[:, None]
                    summed[label][:, columns] += _group_sum(weighted, sub_codes, len(names))

        if summed:
            self._sums(codes, add)
        summed["total"] = _group_sum(self.amounts, codes, len(names))
        approx = _group_any(self.approximate, codes, len(names))
        return _long(names, self.months, summed, approx, by or "group",
                     self.money)

    def _funding_sources(self) -> tuple[np.ndarray, Any, dict[str, int]]:
        """Each line's code into its distinct funding combinations, the combinations, and
        every funding source ("(unfunded)" for lines with none) in order of appearance."""
        funding = self.lines["funding"].map(lambda f: tuple(f) if f else ())
        codes, combos = pd.factorize(funding, sort=False)
        sources: dict[str, int] = {}
        for combo in combos:
            for share in combo or ():
                sources.setdefault(share.source, len(sources))
        if any(not combo for combo in combos):
            sources.setdefault("(unfunded)", len(sources))
        return codes, combos, sources

    def _by_funding(self) -> pd.DataFrame:
        codes, combos, sources = self._funding_sources()
        summed = {k: np.zeros((len(sources), len(self.months)), dtype=np.int64)
                  for k in [*self._labels(), "total"]}
        approx = np.zeros((len(sources), len(self.months)), dtype=bool)

        def add(sub_codes, counts, columns, arrays) -> None:
            self._split_by_funding(arrays, sub_codes, counts, combos, sources,
                                   {name: values[:, columns] for name, values in summed.items()},
                                   self.unit)

        self._sums(codes.astype(np.int64), add)
        for index, combo in enumerate(combos):
            mask = self.approximate[codes == index].any(axis=0)
            for share in list(combo) or [_Share("(unfunded)")]:
                approx[sources[share.source]] |= mask
        return _long(list(sources), self.months, summed, approx, "funding",
                     pence_to_pounds)

    @staticmethod
    def _split_by_funding(arrays: dict[str, np.ndarray], codes: np.ndarray,
                          counts: np.ndarray | None, combos, sources: dict[str, int],
                          summed: dict[str, np.ndarray], unit: MoneyUnit = POUNDS) -> None:
        """Add each row's split across its funding shares (x its count) into ``summed``
        (views of the months the rows cover), in pence."""
        for index, combo in enumerate(combos):
            rows = np.flatnonzero(codes == index)
            if not len(rows):
                continue
            shares = list(combo) or [_Share("(unfunded)")]
            percents = [s.percent for s in shares]
            weight = None if counts is None else counts[rows][:, None]
            for name, values in arrays.items():
                # whole units per line-month and source (kept in pence)
                parts = [unit.to_pence(p) for p in split_pence_array(
                    values[rows].astype(np.int64, copy=False), percents)]
                for share, part in zip(shares, parts):
                    if weight is not None:
                        part = part * weight
                    summed[name][sources[share.source]] += part.sum(axis=0)

    def roll_up(self, amounts: np.ndarray, by: str | None = None
                ) -> tuple[list[str], np.ndarray]:
        """Line-months ``amounts`` (lines x months, in this projection's unit: a budget
        profile's) summed by ``by`` as :meth:`monthly` sums its own (the same groups in the
        same order; ``funding`` split by each line's shares in whole units), in pence."""
        if by != "funding":
            names, codes = self._groups(by)
            return names, self.unit.to_pence(_group_sum(amounts, codes, len(names)))
        codes, combos, sources = self._funding_sources()
        summed = {"total": np.zeros((len(sources), len(self.months)), dtype=np.int64)}
        self._split_by_funding({"total": amounts}, codes.astype(np.int64), None, combos,
                               sources, summed, self.unit)
        return list(sources), summed["total"]

    def yearly(self, by: str | None = None) -> pd.DataFrame:
        """One row per group and pay year: the sums of the monthly rows (whole pay years are
        the sum of their 12 months by construction)."""
        monthly = self.monthly(by)
        group = monthly.columns[0]
        monthly = monthly.assign(pay_year=[pay_year_label(pay_year_of(m))
                                           for m in monthly["month"]])
        values = [c for c in monthly.columns if c not in (group, "month", "pay_year",
                                                          "approximate")]
        grouped = monthly.groupby([group, "pay_year"], sort=False)
        result = grouped[values].sum()
        result["months"] = grouped["month"].count()
        result["approximate"] = grouped["approximate"].any()
        return result.reset_index()


@attrs.frozen
class _Share:
    source: str
    percent: Decimal = Decimal(100)


def _group_sum(values: np.ndarray, codes: np.ndarray, count: int) -> np.ndarray:
    """Sums of the rows of ``values`` by group code, int64 whatever the values' type."""
    out = np.zeros((count, values.shape[1]), dtype=np.int64)
    if not len(values):
        return out
    if count == 1:
        out[0] = values.sum(axis=0, dtype=np.int64)
        return out
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    starts = np.searchsorted(sorted_codes, np.arange(count))
    present = np.bincount(codes, minlength=count) > 0
    out[present] = np.add.reduceat(values[order], starts[present], axis=0, dtype=np.int64)
    return out


def _group_any(values: np.ndarray, codes: np.ndarray, count: int) -> np.ndarray:
    """Whether any row of each group is True, month by month."""
    out = np.zeros((count, values.shape[1]), dtype=bool)
    if not len(values):
        return out
    if count == 1:
        out[0] = values.any(axis=0)
        return out
    order = np.argsort(codes, kind="stable")
    starts = np.searchsorted(codes[order], np.arange(count))
    present = np.bincount(codes, minlength=count) > 0
    out[present] = np.logical_or.reduceat(values[order], starts[present], axis=0)
    return out


def _long(names: list[str], months: tuple[dt.date, ...], summed: dict[str, np.ndarray],
          approx: np.ndarray, group: str, money) -> pd.DataFrame:
    """One row per group and month (groups in order, months within), built a column at a
    time."""
    header = [group, "month", *summed, "approximate"]
    if not names or not months:
        return pd.DataFrame([], columns=header)
    columns: dict[str, list] = {
        group: [name for name in names for _ in months],
        "month": list(months) * len(names),
    }
    for key, values in summed.items():
        columns[key] = [money(v) for v in values.ravel().tolist()]
    columns["approximate"] = approx.ravel().tolist()
    return pd.DataFrame(columns, columns=header)


def _largest_remainder(num: np.ndarray, den: np.ndarray, target: np.ndarray,
                       axis: int) -> np.ndarray:
    """Integers ``floor(num/den)`` plus one for the ``target - sum(floor)`` cells with the
    largest remainders along ``axis`` (earlier first on ties)."""
    floor, rem = _divmod_exact(num, den)
    extra = target - floor.sum(axis=axis)
    order = np.argsort(-rem, axis=axis, kind="stable")
    rank = np.empty(order.shape, dtype=np.int64)
    shape = [-1 if a == axis % num.ndim else 1 for a in range(num.ndim)]
    np.put_along_axis(rank, order, np.arange(num.shape[axis]).reshape(shape), axis=axis)
    return floor + (rank < np.expand_dims(extra, axis))


def projection(structure: Structure | pd.DataFrame, basis: PayBasis | None = None,
               start: str | dt.date = "2018-04", months: int = 12, *,
               award: str | Decimal | None = None,
               vacancy_factor: str | Decimal | VacancyFactor = Decimal(0),
               vacant: str = "cost", components: bool = True,
               increments: bool = True, group_lines: bool = True) -> Projection:
    """Cost every line of ``structure`` (a :class:`Structure` or its frame) in each of
    ``months`` calendar months from ``start`` (``"2018-04"``), on ``basis``.

    ``award``: the pay award assumed for pay years with no pay data (``"2%"``); without it a
    year with no data is an error. ``vacancy_factor``: share of each post line's cost expected
    to go unspent (``"3%"``, or a whole-structure :class:`VacancyFactor`), shown as its own
    negative component. ``vacant``: ``"cost"`` vacant posts like filled ones, or ``"exclude"``
    them. ``increments=False`` holds every post at the point the engine costs it at (no
    anniversaries). ``components=False``: no component split (``components`` is empty,
    roll-ups give totals only). ``group_lines=False`` computes every line-month on its own
    instead of once per group of lines that cost alike (slower; the same figures). See the
    module docstring for the rounding, and :class:`Projection` for what is held in memory.
    """
    basis = resolve_basis(basis)
    first = parse_month(start)
    _check_window(first, months, vacant)
    basis = _with_award(basis, award)
    factor = _vacancy_rate(vacancy_factor)
    frame = structure.to_frame() if isinstance(structure, Structure) else structure
    window = _Window.of(first, months)
    prices = _Prices(basis, pay_year_of(first), int(window.years.max()))
    n = len(frame)
    is_post = _equals(frame["kind"], "post")
    per_total = (~is_post) & _equals(frame["per"], "total")
    if basis.ni_convention() == "person":
        raise ValidationError("ni_basis", "'fte' for a projection (NI per person is costed "
                              "by cost and explain, not projected yet)", "person")
    frame = resolved_frame(frame, basis)  # posts given in hours at their exact fte
    fte, fte_den = exact_fte(frame)
    start_day = day_numbers(frame["start"], first)
    end_day = day_numbers(frame["end"], window.end)
    groups, combo_of = _line_groups(frame, basis, prices, window, start_day, is_post,
                                    increments)
    tables_in = _combo_states(groups, prices, window)

    keep = Fraction(1) - Fraction(factor)
    costed = np.ones(n, dtype=bool)
    if vacant == "exclude":
        costed &= ~(is_post & _equals(frame["status"], "vacant"))
    lines = _Lines(start_day, end_day, combo_of, is_post, per_total,
                   np.where(per_total, 1, fte),
                   np.where(is_post, keep.numerator, keep.denominator) * costed,
                   frame["cost_per_fte_pence"].to_numpy(dtype=np.int64),
                   np.where(per_total, end_day - start_day + 1, 1))
    tables = _Tables(window.first_day, window.last_day, window.years, window.year_days,
                     *tables_in, keep.denominator, Fraction(factor), basis.unit)
    tables.fte_den = fte_den
    layout = _Layout.of(lines, tables, group_lines)
    amounts, approx, _ = layout.cells(slice(0, n), layout.amount_dtype(),
                                      layout.group_cells(False), False)
    return Projection(frame, basis, tuple(window.month_first), amounts, approx,
                      tuple(prices.notes), _bare_rate(basis), factor, layout=layout,
                      with_components=components)


def _with_award(basis: PayBasis, award: str | Decimal | None) -> PayBasis:
    """The basis with ``award`` (the old ``award=`` argument: a rate for every year after the
    data) as one more award assumption, the same mechanism as ``PayBasis(awards=...)``."""
    rate = parse_rate(award, "award")
    if rate is None:
        return basis
    bare = pay_scales.Award(None, rate=rate)
    return basis.evolve(awards=(*[a for a in basis.awards if a.pay_year is not None], bare))


def _bare_rate(basis: PayBasis) -> Decimal | None:
    """The rate of the basis's award for every year after the data (None: none)."""
    bare = award_for(tuple(a for a in basis.awards if a.pay_year is None), 0)
    return bare.rate if bare is not None else None


def _equals(column: pd.Series, value: str) -> np.ndarray:
    """``column == value`` as a bool array (a categorical compares its codes, not a million
    strings)."""
    return column.eq(value).to_numpy(dtype=bool, na_value=False)


def _check_window(first: dt.date, months: int, vacant: str) -> None:
    if not isinstance(months, int) or isinstance(months, bool) or months < 1:
        raise ValidationError("months", "a whole number of months >= 1", months)
    # the last pay year touched must end (31 March) inside Python's calendar (year 9999)
    if first.year * 12 + first.month - 1 + months > LAST_MONTH_INDEX:
        raise ValidationError("months", f"a projection ending by {LAST_MONTH.isoformat()[:7]} "
                              f"(from {first.isoformat()[:7]})", months)
    if vacant not in VACANT_CHOICES:
        raise ValidationError("vacant", " or ".join(VACANT_CHOICES), vacant)


def _vacancy_rate(vacancy_factor: str | Decimal | VacancyFactor) -> Decimal:
    if hasattr(vacancy_factor, "percent"):  # an establishment.VacancyFactor
        if getattr(vacancy_factor, "team", None):
            raise ValidationError("vacancy_factor", "a factor for the whole structure (a "
                                  "team's factor is not supported in a projection)",
                                  vacancy_factor.team)
        vacancy_factor = vacancy_factor.rate
    return parse_rate(vacancy_factor, "vacancy_factor") or Decimal(0)


@attrs.frozen
class _Window:
    """The months of a projection: first and last day numbers, pay year and its length."""

    month_first: list[dt.date]
    end: dt.date
    first_day: np.ndarray
    last_day: np.ndarray
    years: np.ndarray
    year_days: np.ndarray

    @classmethod
    def of(cls, first: dt.date, months: int) -> _Window:
        month_first = [_add_months(first, j) for j in range(months)]
        month_last = [_add_months(first, j + 1) - dt.timedelta(days=1) for j in range(months)]
        years = np.array([pay_year_of(d) for d in month_first], dtype=np.int64)
        return cls(month_first, month_last[-1],
                   np.array([_day(d) for d in month_first], dtype=np.int64),
                   np.array([_day(d) for d in month_last], dtype=np.int64), years,
                   np.array([days_in_pay_year(int(y)) for y in years], dtype=np.int64))


# kinds of line group
GROUP_PAYMENT, GROUP_FIXED, GROUP_INCREMENTING = 0, 1, 2


@attrs.frozen
class _Groups:
    """The distinct line groups of a projection: ``rows[g]`` = (kind, key code, increment
    day code, increments skipped) of group ``g``, with the keys and the increment days."""

    rows: np.ndarray
    keys: list[tuple]
    anniversaries: dict[int, np.ndarray]


def distinct_rows(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of stacked non-negative integer columns (sorted) and each row's index
    into them. The columns are combined in a mixed radix sized from their actual largest
    values (never fixed bit widths); when that radix would not fit int64, ``np.unique`` runs
    over the stacked columns instead."""
    count = len(columns[0]) if columns else 0
    sizes = [int(c.max(initial=0)) + 1 for c in columns]
    space = 1
    for size in sizes:
        space *= size
    if not count:
        return np.zeros((0, len(columns)), dtype=np.int64), np.zeros(0, dtype=np.int64)
    if space >= INT64_SAFE:
        stacked = np.stack([c.astype(np.int64) for c in columns], axis=1)
        rows, inverse = np.unique(stacked, axis=0, return_inverse=True)
        return rows, inverse.reshape(-1).astype(np.int64)
    combined = np.zeros(count, dtype=np.int64)
    for column, size in zip(columns, sizes):
        combined *= size
        combined += column
    if space <= max(4 * count, 1 << 16):  # a presence table: linear, no sort
        present = np.zeros(space, dtype=bool)
        present[combined] = True
        values = np.flatnonzero(present)
        position = np.cumsum(present) - 1
        inverse = position[combined]
    else:
        values, inverse = np.unique(combined, return_inverse=True)
    rows = np.zeros((len(values), len(columns)), dtype=np.int64)
    rest = values.copy()
    for k in range(len(columns) - 1, -1, -1):
        rows[:, k] = rest % sizes[k]
        rest //= sizes[k]
    return rows, inverse.reshape(-1).astype(np.int64)


def _line_groups(frame: pd.DataFrame, basis: PayBasis, prices: _Prices, window: _Window,
                 start_day: np.ndarray, is_post: np.ndarray, increments: bool
                 ) -> tuple[_Groups, np.ndarray]:
    """Group the lines that cost alike in every month: payments; posts held at one point;
    incrementing posts by (key, increment day, increments skipped before their start)."""
    n = len(frame)
    units = UnitCosts(frame, basis)
    keys, codes = units.keys, units.codes.astype(np.int64)
    has_spine = prices.employer.spine is not None  # no spine, no points to move up
    incrementing_key = np.array([
        increments and has_spine and basis.point == "actual" and k[1] != NONE
        and k[2] == NONE and k[3] == NONE and not (k[4] != NONE and k[5] != NONE)
        for k in keys], dtype=bool)
    incrementing = is_post & (incrementing_key[codes] if len(keys) else np.zeros(n, bool))
    md_codes, md_values = _increment_days(frame)
    anniversaries = {index: _anniversary_days(month, day, window)
                     for index, (month, day) in enumerate(md_values)}
    skip = np.zeros(n, dtype=np.int64)
    for index, days in anniversaries.items():
        rows = incrementing & (md_codes == index)
        skip[rows] = np.searchsorted(days, start_day[rows], side="right")
    kind = np.where(is_post, np.where(incrementing, GROUP_INCREMENTING, GROUP_FIXED),
                    GROUP_PAYMENT)
    columns = [kind, np.where(is_post, codes, 0), np.where(incrementing, md_codes, 0),
               np.where(incrementing, skip, 0)]
    rows, combo_of = distinct_rows(columns)
    return _Groups(rows, keys, anniversaries), combo_of


def _anniversary_days(month: int, day: int, window: _Window) -> np.ndarray:
    first = window.month_first[0]
    found = []
    for year in range(first.year, window.end.year + 1):
        when = _anniversary(year, month, day)
        if first < when <= window.end:
            found.append(_day(when))
    return np.array(found, dtype=np.int64)


def _combo_states(groups: _Groups, prices: _Prices, window: _Window) -> tuple:
    """Per group and month: the unit cost at the month's start (``state1``), a possible change
    day inside the month and the unit cost after it (``state2``); the unit costs themselves
    and their component names. Every problem is reported together."""
    m = len(window.month_first)
    c = len(groups.rows)
    change = np.tile(window.first_day, (c, 1))
    state1 = np.zeros((c, m), dtype=np.int64)
    state2 = np.zeros((c, m), dtype=np.int64)
    table = _UnitTable()
    problems: dict[str, None] = {}
    for ci, (kind, code, md, skipped) in enumerate(groups.rows.tolist()):
        try:
            if kind == GROUP_FIXED:
                _fixed_states(ci, groups.keys[code], prices, window, table, state1, state2)
            elif kind == GROUP_INCREMENTING:
                timeline = _scp_timeline(prices, groups.keys[code],
                                         groups.anniversaries[md][skipped:],
                                         window.month_first[0], window.years,
                                         window.month_first)
                for j, ((_, s1), (d2, s2)) in enumerate(timeline):
                    year = int(window.years[j])
                    state1[ci, j] = table.index(prices.unit(groups.keys[code], s1, year))
                    state2[ci, j] = table.index(prices.unit(groups.keys[code], s2, year))
                    change[ci, j] = d2
        except (CostingError, pay_scales.PayScaleError) as err:
            problems[str(err)] = None
    if problems:
        raise CostingError([Problem("", None, text) for text in problems],
                           "cannot project on this basis")
    return change, state1, state2, table.units, table.names


def _fixed_states(ci: int, key: tuple, prices: _Prices, window: _Window, table: _UnitTable,
                  state1: np.ndarray, state2: np.ndarray) -> None:
    by_year: dict[int, int] = {}
    for j, year in enumerate(window.years.tolist()):
        if year not in by_year:
            by_year[year] = table.index(prices.unit(key, None, year))
        state1[ci, j] = state2[ci, j] = by_year[year]


class _UnitTable:
    """The distinct unit costs a projection uses, numbered, and their component names."""

    def __init__(self) -> None:
        self.units: list[_Unit] = []
        self.names: dict[str, int] = {}
        self._index: dict[int, int] = {}

    def index(self, unit: _Unit) -> int:
        ident = id(unit)
        if ident not in self._index:
            self._index[ident] = len(self.units)
            self.units.append(unit)
            for name, _ in unit.weights:
                self.names.setdefault(name, len(self.names))
        return self._index[ident]


def _compute_cells(lines: _Lines, tables: _Tables, components: bool
                   ) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
    """Amounts, components (by label) and approximate flags of every line-month of
    ``lines``, each computed on its own, a chunk of lines at a time (bounds the working
    memory)."""
    n, m = len(lines.fte), len(tables.years)
    amounts = np.zeros((n, m), dtype=np.int64)
    approx = np.zeros((n, m), dtype=bool)
    labels = tables.labels(bool((~lines.is_post).any())) if components else []
    parts = {label: np.zeros((n, m), dtype=np.int64) for label in labels}
    step = max(CHUNK_CELLS // max(m, 1), 1)
    for begin in range(0, n, step):
        rows = slice(begin, min(begin + step, n))
        chunk_amounts, chunk_approx, chunk_parts = _chunk(lines.take(rows), tables, components)
        amounts[rows] = chunk_amounts
        approx[rows] = chunk_approx
        for label, values in chunk_parts.items():
            parts[label][rows] = values
    return amounts, parts, approx


CHUNK_CELLS = 1 << 19  # line-months computed at once: bounds memory, keeps arrays in cache
ROLL_UP_CELLS = 1 << 21  # line-months whose components a roll-up holds at once


@attrs.frozen
class _Layout:
    """How a projection finds its line-months without computing each one on its own.

    A post line whose dates cover a whole pay year of the window costs, in that pay year's
    months, exactly what any other post of its group costs there: same unit costs month by
    month (``combo``) and same fte x (1 - vacancy factor) (each pay year is rounded and shared
    across its months on its own, so pay years are independent). So each group's months are
    computed once (``group_cells``, on a line with open dates) and copied; a line is computed
    on its own only in the pay years its start or end cuts (at most two), and payments
    everywhere. Lines outside a pay year are 0 in it."""

    lines: _Lines
    tables: _Tables
    group: np.ndarray  # each line's group; -1: a payment, computed on its own
    reps: _Lines  # one line per group, dates open
    spans: tuple[tuple[int, int], ...]  # each pay year's month columns [lo, hi)

    @classmethod
    def of(cls, lines: _Lines, tables: _Tables, grouped: bool = True) -> _Layout:
        n = len(lines.fte)
        weight = lines.fte * lines.scale
        if grouped and n:
            weight_codes = pd.factorize(weight)[0].astype(np.int64)
            posts = np.flatnonzero(lines.is_post)
            _, codes = distinct_rows([lines.combo[posts], weight_codes[posts]])
            group = np.full(n, -1, dtype=np.int64)
            group[posts] = codes
            count = int(codes.max(initial=-1)) + 1
            first = np.full(count, n, dtype=np.int64)
            np.minimum.at(first, codes, posts)
            reps = lines.take(first)
            reps = attrs.evolve(reps, start=np.full(count, tables.first_day[0] - 1),
                                end=np.full(count, tables.last_day[-1] + 1))
        else:
            group = np.full(n, -1, dtype=np.int64)
            reps = lines.take(slice(0, 0))
        spans = tuple((int(block[0]), int(block[-1]) + 1) for block in tables.blocks)
        return cls(lines, tables, group, reps, spans)

    def labels(self) -> list[str]:
        """The component names of the whole projection."""
        return self.tables.labels(bool((~self.lines.is_post).any()))

    def cells(self, rows: slice, dtype: type, group_cells: tuple, components: bool
              ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """Amounts (of ``dtype``), approximate flags and (with ``components``) components of
        the line-months of lines ``rows``."""
        lines, group = self.lines.take(rows), self.group[rows]
        g_amounts, g_parts, g_approx = group_cells
        index = np.maximum(group, 0)
        shape = (len(group), len(self.tables.years))
        labels = self.labels() if components else []

        def gathered(table: np.ndarray | None, kind: type) -> np.ndarray:
            if table is None or not len(table):
                return np.zeros(shape, dtype=kind)
            return np.take(table.astype(kind, copy=False), index, axis=0)

        amounts = gathered(g_amounts, dtype)
        approx = gathered(g_approx, bool)
        parts = {label: gathered(g_parts.get(label), np.int64) for label in labels}
        self._fill(lines, group, amounts, approx, parts if components else None)
        return amounts, approx, parts

    def _fill(self, lines: _Lines, group: np.ndarray, amounts: np.ndarray, approx: np.ndarray,
              parts: dict[str, np.ndarray] | None) -> None:
        """Overwrite the line-months the group tables do not give: payments, and the pay
        years a line's dates cut or miss."""
        grouped = group >= 0
        alone = np.flatnonzero(~grouped)
        if len(alone):
            self._put(alone, slice(None), _compute_cells(lines.take(alone), self.tables,
                                                         parts is not None),
                      amounts, approx, parts)
        for lo, hi in self.spans:
            outside, cut = self._block_masks(lines, grouped, lo, hi)
            columns = slice(lo, hi)
            if outside.any():
                where = np.flatnonzero(outside)
                amounts[where, columns] = 0
                approx[where, columns] = False
                for values in (parts or {}).values():
                    values[where, columns] = 0
            if cut.any():
                where = np.flatnonzero(cut)
                cells = _compute_cells(lines.take(where), self.tables.columns(lo, hi),
                                       parts is not None)
                self._put(where, columns, cells, amounts, approx, parts)

    def _block_masks(self, lines: _Lines, grouped: np.ndarray, lo: int, hi: int
                     ) -> tuple[np.ndarray, np.ndarray]:
        """Grouped lines wholly outside the pay year of months ``lo``-``hi`` - 1, and those
        whose start or end cuts it (the rest cover it whole)."""
        first, last = self.tables.first_day[lo], self.tables.last_day[hi - 1]
        outside = grouped & ((lines.end < first) | (lines.start > last))
        cut = grouped & ~outside & ((lines.start > first) | (lines.end < last))
        return outside, cut

    def weighted_rows(self, codes: np.ndarray, group_cells: tuple, components: bool):
        """Everything a roll-up by ``codes`` (a non-negative group code per line) adds up, as
        (codes, counts or None, month columns, {component or "total": rows}): the lines that
        cover a pay year whole as one group row per (code, group) with its count of lines,
        the pay years lines cut and the payments line by line, a chunk at a time. Summing
        ``counts x rows`` by code gives what summing every line-month gives."""
        lines, group, tables = self.lines, self.group, self.tables
        grouped = group >= 0
        g_amounts, g_parts, _ = group_cells
        step = max(ROLL_UP_CELLS // max(len(tables.years), 1), 1)
        alone = np.flatnonzero(~grouped)
        for begin in range(0, len(alone), step):
            rows = alone[begin:begin + step]
            amounts, parts, _ = _compute_cells(lines.take(rows), tables, components)
            yield codes[rows], None, slice(None), {**parts, "total": amounts}
        for lo, hi in self.spans:
            outside, cut = self._block_masks(lines, grouped, lo, hi)
            full = np.flatnonzero(grouped & ~outside & ~cut)
            if len(full):
                pairs, inverse = distinct_rows([codes[full], group[full]])
                arrays = {label: values[pairs[:, 1], lo:hi] for label, values in g_parts.items()}
                arrays["total"] = g_amounts[pairs[:, 1], lo:hi]
                yield (pairs[:, 0], np.bincount(inverse, minlength=len(pairs)), slice(lo, hi),
                       arrays)
            where = np.flatnonzero(cut)
            for begin in range(0, len(where), step * 4):
                rows = where[begin:begin + step * 4]
                amounts, parts, _ = _compute_cells(lines.take(rows), tables.columns(lo, hi),
                                                   components)
                yield codes[rows], None, slice(lo, hi), {**parts, "total": amounts}

    @staticmethod
    def _put(where: np.ndarray, columns: slice, cells: tuple, amounts: np.ndarray,
             approx: np.ndarray, parts: dict[str, np.ndarray] | None) -> None:
        cell_amounts, cell_parts, cell_approx = cells
        amounts[where, columns] = cell_amounts
        approx[where, columns] = cell_approx
        for label, values in (parts or {}).items():
            values[where, columns] = cell_parts.get(label, 0)

    def group_cells(self, components: bool) -> tuple:
        """Amounts, components and flags of every group's line with open dates."""
        return _compute_cells(self.reps, self.tables, components)

    def amount_dtype(self) -> type:
        """int32 when every line-month provably fits it (whole pounds: fte x (1 - vacancy
        factor) x the widest cost per fte x 31 days / 365, or a lump sum, plus the pound a
        largest remainder adds), else int64."""
        lines, tables = self.lines, self.tables
        if not len(lines.fte):
            return np.int32
        weight = int(np.abs(lines.fte * lines.scale).max())
        pence = max(int(np.abs(tables.pence).max(initial=0)),
                    int(np.abs(lines.amount[~lines.is_post]).max(initial=0)))
        unit = tables.unit
        month = weight * pence * 31 // unit.denominator(tables.fte_den * tables.keep_den * 365) + 2
        lump = unit.of_pence(int(np.abs(lines.amount[lines.per_total]).max(initial=0))) + 2
        return np.int32 if max(month, lump) < 2 ** 31 - 1 else np.int64


@attrs.frozen
class _Lines:
    """Per-line inputs of the month arithmetic (a chunk of rows)."""

    start: np.ndarray
    end: np.ndarray
    combo: np.ndarray
    is_post: np.ndarray
    per_total: np.ndarray
    fte: np.ndarray  # fte numerators over the frame's denominator (1 for lump sums)
    scale: np.ndarray  # (1 - vacancy factor) numerator for posts; 0 when not costed
    amount: np.ndarray  # pence of payments
    span: np.ndarray  # days of a lump sum's own span

    def take(self, rows: slice | np.ndarray) -> _Lines:
        return _Lines(*(getattr(self, f.name)[rows] for f in attrs.fields(_Lines)))


class _Tables:
    """Per-combo and per-unit-cost tables shared by every chunk."""

    def __init__(self, first_day, last_day, years, year_days, change, state1, state2,
                 units: list[_Unit], names: dict[str, int], keep_den: int,
                 factor: Fraction, money_unit: MoneyUnit = POUNDS) -> None:
        self.first_day, self.last_day = first_day, last_day
        self.years, self.year_days = years, year_days
        self.change, self.state1, self.state2 = change, state1, state2
        self.pence = np.array([u.pence for u in units] or [0], dtype=np.int64)
        self.approx = np.array([u.approximate for u in units] or [False], dtype=bool)
        self.weights = np.zeros((len(units) or 1, len(names)), dtype=np.int64)
        for index, unit in enumerate(units):
            for name, pence in unit.weights:
                self.weights[index, names[name]] += pence
        self.names = list(names)
        self.keep_den = keep_den
        self.unit = money_unit  # amounts in whole pounds or pence
        self.fte_den = FTE_SCALE  # fte numerators are over this (the frame's denominator)
        self.factor = factor
        self.blocks = np.split(np.arange(len(years)), np.flatnonzero(np.diff(years)) + 1)

    def columns(self, lo: int, hi: int) -> _Tables:
        """The same tables for months ``lo`` to ``hi`` - 1 only."""
        view = copy.copy(self)
        view.first_day, view.last_day = self.first_day[lo:hi], self.last_day[lo:hi]
        view.years, view.year_days = self.years[lo:hi], self.year_days[lo:hi]
        view.change = self.change[:, lo:hi]
        view.state1, view.state2 = self.state1[:, lo:hi], self.state2[:, lo:hi]
        view.blocks = np.split(np.arange(hi - lo), np.flatnonzero(np.diff(view.years)) + 1)
        return view

    def split_table(self, payments: bool) -> tuple[np.ndarray, np.ndarray]:
        """Integer weights of each label for a cell costed at one unit all month (a row per
        unit cost, plus a last row for payments) and their row totals (never zero)."""
        p = self.factor
        units = len(self.pence)
        labels = self.labels(payments)
        table = np.zeros((units + 1, len(labels)), dtype=np.int64)
        table[:units, :len(self.names)] = self.weights * p.denominator
        if payments:
            table[units, len(self.names)] = 1
        if p:
            table[:units, -1] = -self.pence * p.numerator
        totals = table.sum(axis=1)
        return table, np.where(totals == 0, 1, totals)

    def labels(self, payments: bool) -> list[str]:
        return self.names + (["payment"] if payments else []) + (
            [VACANCY] if self.factor else [])


def _chunk(lines: _Lines, tables: _Tables, components: bool
           ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    lo = np.maximum(lines.start[:, None], tables.first_day[None, :])
    hi = np.minimum(lines.end[:, None], tables.last_day[None, :])
    x = tables.change[lines.combo]
    days1 = np.maximum(np.minimum(hi, x - 1) - lo + 1, 0)
    days2 = np.maximum(hi - np.maximum(lo, x) + 1, 0)
    del lo, hi, x
    s1 = tables.state1[lines.combo]
    s2 = tables.state2[lines.combo]
    payment = ~lines.is_post
    u1 = np.where(payment[:, None], lines.amount[:, None], tables.pence[s1])
    u2 = np.where(payment[:, None], lines.amount[:, None], tables.pence[s2])
    widest = int(max(np.abs(u1).max(initial=0), np.abs(u2).max(initial=0)))
    weight = lines.fte * lines.scale
    bound = widest * int(np.abs(weight).max(initial=1)) * 31 * 12 * 4
    exact = np.int64 if bound < INT64_SAFE else object
    num = weight[:, None].astype(exact, copy=False) * (u1.astype(exact, copy=False) * days1
                                                        + u2.astype(exact, copy=False) * days2)
    del u1, u2
    post_den = tables.unit.denominator(tables.fte_den * tables.keep_den)
    amounts = np.zeros(num.shape, dtype=exact)
    for block in tables.blocks:
        den = np.where(lines.per_total[:, None],
                       tables.unit.denominator(lines.span * tables.keep_den)[:, None],
                       post_den * int(tables.year_days[block[0]]))
        den = np.broadcast_to(den, (len(lines.fte), len(block))).astype(exact, copy=False)
        sub = num[:, block]
        total = round_div(sub.sum(axis=1), den[:, 0])
        amounts[:, block] = _largest_remainder(sub, den, total, axis=1)
    amounts = amounts.astype(np.int64, copy=False)
    approx = ((tables.approx[s1] & (days1 > 0)) | (tables.approx[s2] & (days2 > 0)))
    approx &= lines.is_post[:, None]
    parts: dict[str, np.ndarray] = {}
    if components:
        payments = bool((~lines.is_post).any())
        parts = dict(zip(tables.labels(payments),
                         _split_components(amounts, tables, s1, s2, days1, days2, lines)))
    return amounts, approx, parts


def _split_components(amounts: np.ndarray, tables: _Tables, s1: np.ndarray, s2: np.ndarray,
                      days1: np.ndarray, days2: np.ndarray, lines: _Lines) -> list[np.ndarray]:
    """Split each line-month into components in proportion to its day-weighted component
    pence, largest remainder (components add up to the month exactly).

    Almost every cell is costed at one unit cost all month, so its weights are that unit's row
    of a small table; the few cells with an increment inside the month are split by the
    general day-weighted rule."""
    payments = bool((~lines.is_post).any())
    table, totals = tables.split_table(payments)
    single = np.where(days2 > 0, s2, s1)
    if payments:
        single = np.where(lines.is_post[:, None], single, len(totals) - 1)
    widest = int(np.abs(table).max(initial=0))
    exact = np.int64 if widest * int(np.abs(amounts).max(initial=1)) * 4 < INT64_SAFE \
        else object
    den = totals[single].astype(exact, copy=False)
    base = amounts.astype(exact, copy=False)
    nums = [base * table[:, k].astype(exact)[single] for k in range(table.shape[1])]
    parts = _largest_remainder_list(nums, den, amounts)
    mixed = (days1 > 0) & (days2 > 0) & lines.is_post[:, None]
    if mixed.any():
        where = np.nonzero(mixed)
        general = _split_general(amounts[where], tables, s1[where], s2[where], days1[where],
                                 days2[where], payments)
        for part, values in zip(parts, general):
            part[where] = values
    return parts


def _split_general(amounts: np.ndarray, tables: _Tables, s1: np.ndarray, s2: np.ndarray,
                   days1: np.ndarray, days2: np.ndarray, payments: bool) -> list[np.ndarray]:
    """The day-weighted split of post cells (any shape) whose month has two unit costs."""
    common = tables.factor.denominator
    weights = []
    for k in range(len(tables.names)):
        w = tables.weights[s1, k] * days1 + tables.weights[s2, k] * days2
        weights.append(w * common if common != 1 else w)
    if payments:
        weights.append(np.zeros(amounts.shape, dtype=np.int64))
    if tables.factor:
        whole = sum(weights[:len(tables.names)]) // common
        weights.append(-whole * tables.factor.numerator)
    total = sum(weights)
    total = np.where(total == 0, 1, total)
    widest = max(int(np.abs(w).max(initial=0)) for w in weights)
    exact = np.int64 if widest * int(np.abs(amounts).max(initial=1)) * 4 < INT64_SAFE \
        else object
    nums = [w.astype(exact, copy=False) * amounts.astype(exact, copy=False) for w in weights]
    return _largest_remainder_list(nums, total.astype(exact, copy=False), amounts)


FLOAT_EXACT = 2 ** 53


def _divmod_exact(num: np.ndarray, den: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Floor quotient and remainder of integer arrays, exactly, fast.

    When |num| and den are below 2**53 both are exact as float64 and the float quotient is
    correctly rounded; a non-integer quotient is at least 1/den from any integer while the
    rounding error is below q x 2**-53 < 1/den (as |num| < 2**53), so the float floor is the
    true floor. Otherwise (or for Python-integer arrays) integer division is used."""
    if num.dtype != object and den.dtype != object and len(num.reshape(-1)):
        if (int(np.abs(num).max()) < FLOAT_EXACT and int(den.max()) < FLOAT_EXACT
                and int(den.min()) > 0):
            quotient = np.floor(num / den).astype(np.int64)
            return quotient, num - quotient * den
    quotient = num // den
    return quotient, num - quotient * den


def _largest_remainder_list(nums: list[np.ndarray], den: np.ndarray, target: np.ndarray
                            ) -> list[np.ndarray]:
    """``floor(num_k / den)`` plus one for the ``target - sum(floor)`` k with the largest
    remainders in each cell, earlier k first on ties (k is small: pairwise ranks)."""
    pairs = [_divmod_exact(num, den) for num in nums]
    floors = [q for q, _ in pairs]
    rems = [r for _, r in pairs]
    extra = target - sum(floors)
    out = []
    for k, floor in enumerate(floors):
        rank = np.zeros(floor.shape, dtype=np.int64)
        for other in range(len(floors)):
            if other < k:
                rank += rems[other] >= rems[k]
            elif other > k:
                rank += rems[other] > rems[k]
        out.append((floor + (rank < extra)).astype(np.int64, copy=False))
    return out


def _increment_days(frame: pd.DataFrame) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Each line's increment (month, day) as a code into the list of distinct ones."""
    if "increment_date" not in frame:
        return np.zeros(len(frame), dtype=np.int64), [(4, 1)]
    dates = pd.to_datetime(frame["increment_date"])
    month = dates.dt.month.fillna(4).to_numpy(dtype=np.int64)
    day = dates.dt.day.fillna(1).to_numpy(dtype=np.int64)
    combined = month * 100 + day
    values, codes = np.unique(combined, return_inverse=True)
    return codes.astype(np.int64), [divmod(int(v), 100) for v in values]  # (month, day)


def _scp_timeline(pricer: _Prices, key: tuple, increments: np.ndarray, first: dt.date,
                  years: np.ndarray, month_first: list[dt.date]) -> list[tuple]:
    """For each month: ((first day, scp), (change day, scp after)) of an incrementing post."""
    grade = pricer.employer.grades.resolve(key[0])
    scp = int(key[1])
    year = pay_year_of(first)
    spine = pricer.spine_name(year)
    pending = list(int(d) for d in increments)
    out = []

    def step(current: int, in_year: int) -> int:
        top = pricer.top(grade, in_year)
        if top is None:
            pricer.notes[f"{grade} has no known top point: its posts do not increment"] = None
            return current
        return min(current + 1, max(top, current))

    for j, month in enumerate(month_first):
        month_year = int(years[j])
        month_day = _day(month)
        next_month = _day(_add_months(month, 1))
        if month_year != year:
            new_spine = pricer.spine_name(month_year)
            if pending and pending[0] == month_day:
                scp = step(scp, year)  # the increment of the day the spine changes, on the old
                pending.pop(0)
            if new_spine != spine:
                scp = pricer.carry(scp, year, month_year)
            year, spine = month_year, new_spine
        while pending and pending[0] <= month_day:
            scp = step(scp, year)
            pending.pop(0)
        before = scp
        change = month_day
        if pending and pending[0] < next_month:
            change = pending.pop(0)
            scp = step(scp, year)
        out.append(((month_day, before), (change, scp)))
    return out


# public for the tests of the exact division, and for budget profiles (the same rule)
divmod_exact = _divmod_exact
largest_remainder = _largest_remainder

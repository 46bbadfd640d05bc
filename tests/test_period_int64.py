"""Period costing in int64 whenever the figures provably fit, Python integers otherwise.

:func:`establishment.engine.costing.period_pounds` forms each line's exact period sum over a common
denominator (the least common multiple of the pay years' lengths: 133,590 across a leap year).
Its overflow guard (:class:`establishment.engine.costing.PeriodPlan`) is a bound from the
frame's own
widest fte, cost per fte and day counts. These tests put lines right at that bound (int64 must
be chosen, and exact) and one step past it (Python integers must be chosen), and cost a frame
that truly needs Python integers; every figure is checked against a per-line Fraction oracle
and against the Python-integer path.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from establishment import PayBasis, Payment, Post, Structure
from establishment.engine.costing import (
    INT64_MAX,
    UnitCosts,
    cost_frame,
    day_numbers,
    period_plan,
    period_pounds,
    period_segments,
)
from establishment.model.frame import FTE_SCALE
from pay_scales.dates import days_in_pay_year, pay_year_end, pay_year_of, pay_year_start
from pay_scales.rounding import round_pounds

BASIS = PayBasis("nottinghamshire", pay_year=2019, rule="njc")
MAX_PENCE = 10 ** 14  # Post/Payment validation: at most £10**12


def _days(start: dt.date | None, end: dt.date | None, first: dt.date, last: dt.date) -> int:
    lo = max(start or first, first)
    hi = min(end or last, last)
    return max((hi - lo).days + 1, 0)


def oracle(structure: Structure, units: UnitCosts, start: dt.date, end: dt.date) -> list[int]:
    """Each line's period cost, exact with Fractions, from the unit cost the engine priced
    (:meth:`UnitCosts.row_pence`: the pricing is not under test here, the period arithmetic
    is)."""
    lines = [(p.fte, p.start, p.end, None) for p in structure.posts]
    lines += [(Fraction(1), p.start, p.end, p) for p in structure.payments]
    result = []
    for index, (fte, first_day, last_day, payment) in enumerate(lines):
        if payment is not None and payment.per == "total":
            span = (payment.end - payment.start).days + 1
            inside = _days(payment.start, payment.end, start, end)
            result.append(int(round_pounds(Fraction(payment.amount) * inside / span)))
            continue
        exact = Fraction(0)
        for year in range(pay_year_of(start), pay_year_of(end) + 1):
            first, last = max(start, pay_year_start(year)), min(end, pay_year_end(year))
            unit = Fraction(units.row_pence(index, year), 100)
            exact += (Fraction(fte) * unit * _days(first_day, last_day, first, last)
                      / days_in_pay_year(year))
        result.append(int(round_pounds(exact)))
    return result


def _weighted_days(start: dt.date, end: dt.date) -> tuple[int, int]:
    """(sum over pay years of days inside x common / days of the year, common)."""
    segments = period_segments(start, end)
    common = int(np.lcm.reduce([days_in_pay_year(y) for y, _, _ in segments]))
    return sum(((last - first).days + 1) * (common // days_in_pay_year(year))
               for year, first, last in segments), common


def _cost(structure: Structure, start: dt.date, end: dt.date):
    frame = structure.to_frame()
    units = UnitCosts(frame, BASIS)
    plan = period_plan(frame, units, day_numbers(frame["start"], start),
                       day_numbers(frame["end"], end), period_segments(start, end))
    chosen = period_pounds(frame, units, start, end)
    python = period_pounds(frame, units, start, end, exact=object)
    return plan, chosen, python, units


def _pounds(pence: int) -> Decimal:
    return Decimal(pence) / 100


@st.composite
def near_the_bound(draw: st.DrawFn) -> tuple[Structure, dt.date, dt.date, int]:
    """A period (often across 1 April, sometimes several pay years) and a structure whose
    widest line sits exactly at the int64 bound: fte F x cost C x weighted days is the
    largest that still rounds in int64. Returns the structure, the period and F."""
    start = draw(st.dates(dt.date(2018, 1, 1), dt.date(2026, 12, 31)))
    end = start + dt.timedelta(days=draw(st.integers(30, 1200)))
    weighted, common = _weighted_days(start, end)
    denominator = FTE_SCALE * 100 * common
    limit = (INT64_MAX - denominator) // 2
    cost = draw(st.integers(10_000, MAX_PENCE // 100)) * 100  # whole pounds: any unit
    fte = limit // (cost * weighted)
    assume(1 <= fte <= 10 ** 10)
    widest = Post("Widest", Decimal(fte) / FTE_SCALE, "", cost_per_fte=_pounds(cost),
                  reference="W")
    others = []
    for index in range(draw(st.integers(0, 6))):
        first = draw(st.one_of(st.none(), st.dates(start - dt.timedelta(days=400), end)))
        last = draw(st.one_of(st.none(), st.dates(first or start, end + dt.timedelta(400))))
        others.append(Post(f"P{index}", Decimal(draw(st.integers(1, fte))) / FTE_SCALE, "",
                           cost_per_fte=_pounds(draw(st.integers(0, cost // 100)) * 100),
                           start=first, end=last, reference=f"P{index}"))
    payments = []
    if fte >= FTE_SCALE:  # a payment counts as 1 fte: it must not widen the frame's fte
        for index in range(draw(st.integers(0, 3))):
            first = draw(st.dates(start - dt.timedelta(days=400), end))
            last = draw(st.dates(first, end + dt.timedelta(days=400)))
            amount = _pounds(draw(st.integers(-cost // 100, cost // 100)) * 100)
            payments.append(Payment(f"Pay{index}", amount, per=draw(st.sampled_from(
                ["year", "total"])), start=first, end=last, reference=f"Y{index}"))
    order = draw(st.permutations([widest, *others]))
    return Structure("bound", order, payments), start, end, fte


@settings(max_examples=60, deadline=None)
@given(near_the_bound())
def test_figures_at_the_int64_bound_take_int64_and_are_exact(case):
    structure, start, end, _ = case
    plan, chosen, python, units = _cost(structure, start, end)
    assert plan.int64
    assert plan.bound * 2 + plan.denominator > INT64_MAX // 2  # genuinely near the limit
    assert chosen.dtype == np.int64
    expected = oracle(structure, units, start, end)
    assert chosen.tolist() == expected
    assert python.tolist() == expected


@settings(max_examples=30, deadline=None)
@given(near_the_bound())
def test_one_step_past_the_bound_takes_python_integers_and_is_exact(case):
    structure, start, end, fte = case
    posts = [p.evolve(fte=Decimal(fte + 1) / FTE_SCALE) if p.reference == "W" else p
             for p in structure.posts]
    assume(fte + 1 <= 10 ** 10)
    wider = Structure("past", posts, structure.payments)
    plan, chosen, python, units = _cost(wider, start, end)
    assert not plan.int64
    expected = oracle(wider, units, start, end)
    assert chosen.tolist() == python.tolist() == expected


def test_a_frame_that_needs_python_integers():
    """A national body's aggregated line: 150,000 fte at £61,234.57 a year, costed for a year
    from 1 October 2019 (across 1 April 2020, a 366-day pay year: common denominator 133,590).
    Its exact numerator is about 1.2e21, past int64: the figures come from Python integers
    and are exact."""
    start, end = dt.date(2019, 10, 1), dt.date(2020, 9, 30)
    structure = Structure("national", [
        Post("Nurses", Decimal(150_000), "", cost_per_fte=Decimal("61234.57"), reference="N"),
        Post("Leads", Decimal("0.5"), "", cost_per_fte=Decimal("80000"), reference="L",
             end=dt.date(2020, 5, 31)),
    ], [Payment("Rebate", Decimal("-1234.56"), start=dt.date(2019, 12, 1), reference="R"),
        Payment("Project", Decimal("100000"), per="total", start=dt.date(2019, 1, 1),
                end=dt.date(2021, 12, 31), reference="T")])
    plan, chosen, python, units = _cost(structure, start, end)
    assert not plan.int64 and plan.bound > 10 ** 20
    expected = oracle(structure, units, start, end)
    assert chosen.tolist() == python.tolist() == expected
    assert chosen.dtype == np.int64  # whole pounds fit int64 even when the sums did not
    with pytest.raises(ValueError, match="do not fit int64"):
        period_pounds(structure.to_frame(), units, start, end, exact=np.int64)
    # the same line as 1 fte fits int64 and costs 1/150,000 of it, to the pound
    small = Structure("one", [structure.posts[0].evolve(fte=Decimal(1))])
    plan_one, chosen_one, _, units_one = _cost(small, start, end)
    assert plan_one.int64
    assert chosen_one.tolist() == oracle(small, units_one, start, end)


def test_the_bound_comes_from_the_frame_not_the_worst_case():
    """A year from 1 October across 1 April at 1 fte and £80,000 a year: the exact sum of a
    line is at most 1 fte x 8,000,000 pence x the weighted days, far inside int64 (the old
    guard took 366 days x the common denominator x the number of pay years, and fell back to
    Python integers)."""
    start, end = dt.date(2019, 10, 1), dt.date(2020, 9, 30)
    structure = Structure("team", [Post("Officer", 1, "", cost_per_fte=Decimal(80_000)),
                                   Post("Officer", Decimal("0.5"), "", cost_per_fte=Decimal(1))])
    plan, chosen, _, _ = _cost(structure, start, end)
    weighted, common = _weighted_days(start, end)
    assert plan.bound == FTE_SCALE * 8_000_000 * weighted
    assert plan.denominator == FTE_SCALE * 100 * common
    assert plan.int64 and chosen.dtype == np.int64
    # 183 of the 366 days of 2019/20 and 183 of the 365 of 2020/21: £40,000 + £40,109.59
    assert chosen.tolist() == [80_110, 1]


def test_a_pay_year_no_line_is_in_force_in_is_still_priced_not_computed():
    """Lines that all end before 1 April: the second pay year adds nothing (no piece), the
    figures are those of the first."""
    start, end = dt.date(2019, 10, 1), dt.date(2020, 9, 30)
    structure = Structure("s", [Post("A", 1, "Grade 5", 20, end=dt.date(2020, 1, 31))])
    frame = structure.to_frame()
    units = UnitCosts(frame, BASIS)
    plan = period_plan(frame, units, day_numbers(frame["start"], start),
                       day_numbers(frame["end"], end), period_segments(start, end))
    assert len(plan.pieces) == 1
    costed, _ = cost_frame(frame, BASIS, period=(start, end))
    assert costed["period"].tolist() == oracle(structure, units, start, end)

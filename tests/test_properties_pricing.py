"""One pricing path, shown on what users have (issue 10): every bundled employer, rule and
grade, both NJC spines, explicit costs, salaries, pay ranges, ``rates_on``, credits, exact fte,
0 to 200 distinct increment days and structures of up to 300 posts (tests/strategies.py).

(a) a pay year of a projection with no award, no increments and no vacancy factor is the
    engine's period cost of that year, line by line;
(b) ``explain_line`` gives the engine's figure for every line, full year and period, and its
    arithmetic adds up to it;
(c) the engine equals an independent per-post Fraction oracle written here from the documented
    rule (cost per fte from pay data, rounded; line = fte x cost rounded half up; period =
    sum over pay years of fte x cost x days / days in the year, rounded once);
(d) a post's projected cost does not depend on the other posts of its structure.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction

from attrs import frozen
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from establishment import PayBasis, Post, Structure
from establishment.engine.costing import cost
from establishment.errors import CostingError
from establishment.operations.explain import explain_line
from establishment.operations.projection import projection
from pay_scales.dates import days_in_pay_year, pay_year_end, pay_year_of, pay_year_start
from tests.strategies import (
    Market,
    carried_point,
    markets,
    priced_structures,
    spine_employers,
)


def examples(count: int) -> settings:
    """``count`` examples, no deadline (a 300-post structure on a loaded machine)."""
    return settings(max_examples=count, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# -- the oracle: the documented rule, post by post, in Fractions ------------------------------

def half_up(value: Fraction, unit: Fraction = Fraction(1)) -> Fraction:
    """``value`` rounded to a multiple of ``unit``, halves away from zero (the one rule)."""
    steps = abs(value) / unit
    whole = (steps.numerator * 2 + steps.denominator) // (steps.denominator * 2)
    return (-1 if value < 0 else 1) * whole * unit


def range_salary(post: Post, where: str) -> Fraction:
    low, high = Fraction(post.salary_min), Fraction(post.salary_max)
    if where == "floor":
        return low
    if where == "ceiling":
        return high
    return half_up((low + high) / 2, Fraction(1, 100))  # a midpoint's half penny rounds up


def unit_of(market: Market) -> Fraction:
    """The rounding unit of the market's basis, in pounds: £1, or a penny (``round_to``)."""
    return Fraction(1, 100) if market.basis.rounding() == "penny" else Fraction(1)


def oracle_unit(post: Post, market: Market, year: int) -> Fraction:
    """Cost per fte of ``post`` in ``year``: from the pay data (pay_scales lookups give the
    salary and on-costs, exact), rounded to the basis's unit half up; a typed cost per fte is
    rounded the same way."""
    basis, employer, unit = market.basis, market.employer, unit_of(market)
    if post.unpriced:
        return Fraction(0)
    if post.cost_per_fte is not None:
        return half_up(Fraction(post.cost_per_fte), unit)
    salary = post.salary
    if salary is None and post.salary_min is not None and post.salary_max is not None:
        salary = Decimal(range_salary(post, basis.range_point).numerator) / \
            range_salary(post, basis.range_point).denominator
    if salary is not None:
        exact = employer.cost_of_salary(Decimal(salary), year, rule=basis.rule).unrounded
        return half_up(exact, unit)
    scp = carried_point(employer, post.scp, basis.pay_year, year, basis.point)
    found = employer.unit_cost(post.grade, scp, year, point=basis.point, rule=basis.rule,
                               rates_on=basis.rates_on if year == basis.pay_year else None,
                               costed_rates=basis.costed_rates)
    return half_up(found.unrounded, unit)


def days_inside(start: dt.date | None, end: dt.date | None, first: dt.date,
                last: dt.date) -> int:
    low, high = max(start or first, first), min(end or last, last)
    return max((high - low).days + 1, 0)


def oracle_lines(structure: Structure, market: Market, period: tuple[dt.date, dt.date]
                 ) -> tuple[list[int], list[int]]:
    """Full-year and period cost of every line (posts, then payments), in whole units of the
    basis (pounds, or pence under ``round_to = "penny"``)."""
    year, unit = market.basis.pay_year, unit_of(market)
    year_first, year_last = pay_year_start(year), pay_year_end(year)
    start, end = period
    pieces = [(y, max(start, pay_year_start(y)), min(end, pay_year_end(y)))
              for y in range(pay_year_of(start), pay_year_of(end) + 1)]

    def units(exact: Fraction) -> int:
        return int(half_up(exact, unit) / unit)

    def prorated(start: dt.date | None, end: dt.date | None, per_fte) -> Fraction:
        return sum((per_fte(y) * days_inside(start, end, first, last) / days_in_pay_year(y)
                    for y, first, last in pieces), Fraction(0))

    full, part = [], []
    for post in structure.posts:
        in_force = days_inside(post.start, post.end, year_first, year_last) > 0
        fte = Fraction(post.fte) if post.fte is not None else \
            Fraction(post.hours) / Fraction(market.full_time_hours)  # exact hours / full
        full.append(units(fte * oracle_unit(post, market, year)) if in_force else 0)
        part.append(units(prorated(post.start, post.end,
                                   lambda y, p=post, f=fte: f * oracle_unit(p, market, y))))
    for payment in structure.payments:
        amount = Fraction(payment.amount)
        in_force = days_inside(payment.start, payment.end, year_first, year_last) > 0
        if payment.per == "total":  # a lump sum: its share of its own days, never prorated
            full.append(units(amount) if in_force else 0)
            span = (payment.end - payment.start).days + 1
            part.append(units(amount * days_inside(payment.start, payment.end, start, end)
                              / span))
        else:  # an amount a year, as typed (not a cost per fte: never rounded first)
            full.append(units(amount) if in_force else 0)
            part.append(units(prorated(payment.start, payment.end, lambda y, a=amount: a)))
    return full, part


# -- draws ------------------------------------------------------------------------------------

@st.composite
def periods(draw: st.DrawFn, market: Market) -> tuple[dt.date, dt.date]:
    """A period inside the market's pay years (often a whole pay year)."""
    if draw(st.booleans()):
        year = draw(st.sampled_from(market.years))
        return pay_year_start(year), pay_year_end(year)
    start = draw(st.dates(market.first_day, market.last_day))
    return start, draw(st.dates(start, market.last_day))


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


@st.composite
def windows(draw: st.DrawFn, market: Market) -> tuple[dt.date, int]:
    """A projection window (first month, months) inside the market's pay years (often all
    of them)."""
    if draw(st.booleans()):
        return market.first_day, 12 * len(market.years)
    first = draw(st.dates(market.first_day, market.last_day)).replace(day=1)
    last = draw(st.dates(first, market.last_day))
    return first, month_index(last) - month_index(first) + 1


@frozen
class Case:
    """A market, a structure costable on it, a period and a projection window inside it."""

    market: Market
    structure: Structure
    period: tuple[dt.date, dt.date]
    window: tuple[dt.date, int]


@st.composite
def cases(draw: st.DrawFn, max_posts: int = 300, max_years: int = 3, incrementing: bool = False
          ) -> Case:
    """``incrementing``: mostly an employer with a spine, costed at each post's own point, and
    posts at a grade with a point (so posts move up points on their increment days)."""
    if incrementing and draw(st.integers(0, 3)):
        market = draw(markets(max_years=max_years, employers=spine_employers(),
                              points=("actual",)))
        structure = draw(priced_structures(market, max_posts=max_posts, graded=12))
    else:
        market = draw(markets(max_years=max_years))
        structure = draw(priced_structures(market, max_posts=max_posts))
    return Case(market, structure, draw(periods(market)), draw(windows(market)))


def short_breaks_case() -> Case:
    """The 2015 report's basis (2014/15 at the rates in force on 12 January 2015: a spine table
    that starts inside the pay year), its three grades at their tops, into 2015/16."""
    basis = PayBasis("nottinghamshire", pay_year=2014, rule="salary-only", point="top",
                     rates_on=dt.date(2015, 1, 12))
    market = Market.of(basis, (2014, 2015))
    posts = [Post(title=grade, fte=fte, grade=grade, reference=f"P{i}")
             for i, (grade, fte) in enumerate([("Scale 5", "6"), ("Hay Band B", "1.5"),
                                               ("Hay Band D", "0.3333")])]
    structure = Structure("short breaks", posts)
    return Case(market, structure, (dt.date(2014, 10, 1), dt.date(2015, 9, 30)),
                (dt.date(2014, 4, 1), 24))


# -- (c) the engine equals the oracle ---------------------------------------------------------

@examples(60)
@given(cases())
@example(short_breaks_case())
def test_engine_equals_the_per_post_fraction_oracle(case):
    market, structure, period = case.market, case.structure, case.period
    costing = cost(structure, market.basis, period=period)
    full, part = oracle_lines(structure, market, period)
    assert costing.full_year_lines.tolist() == full
    assert costing.period_lines.tolist() == part


# -- (a) a projection's pay year is the engine's period cost of it ----------------------------

@examples(40)
@given(cases())
@example(short_breaks_case())
def test_a_projected_pay_year_is_the_engines_period_cost(case):
    market, structure, (first, months) = case.market, case.structure, case.window
    result = projection(structure, market.basis, first, months, increments=False)
    window_end = result.months[-1].replace(day=28) + dt.timedelta(days=4)
    window_end -= dt.timedelta(days=window_end.day)  # the window's last day
    for year in sorted({pay_year_of(m) for m in result.months}):
        columns = [j for j, m in enumerate(result.months) if pay_year_of(m) == year]
        period = (max(first, pay_year_start(year)), min(window_end, pay_year_end(year)))
        costing = cost(structure, market.basis, period=period)
        assert result.amounts[:, columns].sum(axis=1).tolist() == \
            costing.period_lines.tolist(), (year, period)


# -- (b) explanations give the engine's figures -----------------------------------------------

MONEY = re.compile(r"-?£[\d,]+(?:\.\d+)?")


def _pounds(text: str) -> Decimal:
    return Decimal(text.replace("£", "").replace(",", ""))


@examples(30)
@given(cases(max_posts=40))
@example(short_breaks_case())
def test_explain_line_gives_the_engines_figure_for_every_line(case):
    market, structure, period = case.market, case.structure, case.period
    costing = cost(structure, market.basis, period=period)
    money = 100 // costing.pence_per_unit  # engine figures are whole units: pounds or pence
    full = [Decimal(v) / money for v in costing.full_year_lines.tolist()]
    part = [Decimal(v) / money for v in costing.period_lines.tolist()]
    posts = len(structure.posts)
    for index in range(len(costing)):
        year = explain_line(costing, index)
        assert year.result == full[index]
        by_label = {line.label: line for line in year.lines}
        if index < posts:
            assert by_label["cost per fte"].amount * 100 == int(costing.unit_pence[index])
            assert by_label["full-year cost"].amount == full[index]
        else:
            assert by_label["amount"].amount == structure.payments[index - posts].amount
        spell = explain_line(costing, index, period=True)
        assert spell.result == part[index]
        assert spell.lines[-1].amount == part[index]
        segments = [line for line in spell.lines
                    if line.label.endswith(" segment") or line.label.startswith("share of")]
        assert segments, spell
        # the shown pieces (each to the penny) add up to the period cost before its rounding
        shown = sum((line.amount for line in segments), Decimal(0))
        slack = Decimal("0.005") * len(segments) + Decimal(1) / money / 2
        assert abs(shown - part[index]) <= slack, str(spell)


# -- (d) a post's projection does not depend on the other posts -------------------------------

@examples(15)
@given(cases(max_years=3, incrementing=True), st.sampled_from([None, "2%", "0.035"]),
       st.data())
def test_a_posts_projection_does_not_depend_on_the_others(case, award, data):
    market, structure, (first, months) = case.market, case.structure, case.window
    extra = data.draw(st.integers(0, 24)) if award else 0  # beyond the window's data: awards
    def alone(post: Post):
        return projection(Structure("one", [post]), market.basis, first, months + extra,
                          award=award)

    try:
        together = projection(structure, market.basis, first, months + extra, award=award)
    except CostingError:  # then some post cannot be projected on its own either
        failing = 0
        for post in structure.posts:
            try:
                alone(post)
            except CostingError:
                failing += 1
                break
        assert failing
        return
    count = len(structure.posts)
    sample = data.draw(st.lists(st.integers(0, max(count - 1, 0)), max_size=min(count, 20),
                                unique=True)) if count else []
    for index in sample:
        single = alone(structure.posts[index])
        assert together.amounts[index].tolist() == single.amounts[0].tolist(), index
        assert together.approximate[index].tolist() == single.approximate[0].tolist()
        for name, values in single.components.items():
            assert together.components[name][index].tolist() == values[0].tolist(), name

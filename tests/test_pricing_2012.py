"""Issue 10's named case: a 20-hour post at NJC SCP 20 in 2012/13 (before the bundled data
once started), in pence, per fte and per person.

SCP 20 in 2012/13 is £18,453 (pay freeze 2010-2013 at the 2009/10 value; see
pay_scales/data/njc_pay_spine.csv for its sources); the 2012/13 employer NI row is 13.8%
above a secondary threshold of £144 a week, £7,488 a year (52 weeks)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from establishment import PayBasis, Post, Structure
from establishment.engine.costing import cost

SALARY = Fraction(18_453)
RATE, THRESHOLD, PENSION = Fraction("0.138"), Fraction(7_488), Fraction("0.222")
SHARE = Fraction(20, 37)


def pence(value: Fraction) -> Decimal:
    """Half up to the penny, the library's one rule at penny scale."""
    whole = (value * 100 * 2 + 1) // 2
    return Decimal(int(whole)) / 100


def post() -> Post:
    return Post("Clerk", hours=20, grade="Hay Band C", scp=20)


def basis(rule: str, ni_basis: str = "fte") -> PayBasis:
    return PayBasis(pay_year=2012, employer="nottinghamshire", rule=rule, round_to="penny",
                    ni_basis=ni_basis)


def test_salary_only_costs_salary_x_20_37_to_the_penny():
    costing = cost(Structure("s", [post()]), basis("salary-only"))
    assert costing.full_year == pence(SALARY * SHARE) == Decimal("9974.59")


def test_per_person_ni_is_the_rate_on_own_pay_above_the_whole_threshold():
    person = cost(Structure("s", [post()]), basis("njc", "person"))
    pay = SALARY * SHARE
    own_ni = RATE * (pay - THRESHOLD)  # £343.15: on £9,974.59 less the whole £7,488
    assert person.full_year == pence(pay * (1 + PENSION) + own_ni)
    per_fte = cost(Structure("s", [post()]), basis("njc", "fte"))
    # per fte: the NI of a full-time salary x 20/37, so the threshold is cut to 20/37 of it
    unit = SALARY * (1 + PENSION) + RATE * (SALARY - THRESHOLD)
    assert per_fte.full_year == pence(Fraction(pence(unit)) * SHARE)
    # the per-fte convention overstates this person's NI by the rate x 17/37 of the threshold
    # (£474.78), give or take the two roundings to the penny
    overstated = RATE * THRESHOLD * (1 - SHARE)
    assert abs(Fraction(per_fte.full_year - person.full_year) - overstated) <= Fraction(2, 100)

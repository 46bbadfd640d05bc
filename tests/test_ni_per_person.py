"""ni_basis = "person": each person's NI on their own pay above the whole threshold."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from establishment import CostingError, PayBasis, Post, Structure
from establishment.engine.costing import cost

PERSON = PayBasis("nottinghamshire", 2019, rule="njc", ni_basis="person", round_to="penny")
SALARY = Fraction(25295)  # NJC new spine scp 20, 2019/20
RATE, THRESHOLD, OTHER = Fraction("0.138"), Fraction(8632), Fraction("0.222")


def person(share: Fraction) -> Fraction:
    pay = SALARY * share
    return pay * (1 + OTHER) + RATE * max(Fraction(0), pay - THRESHOLD)


def test_a_twenty_hour_person_pays_ni_on_their_own_pay():
    costing = cost(Structure("s", [Post("Clerk", hours=20, grade="Grade 5", scp=20)]), PERSON)
    exact = person(Fraction(20, 37))
    assert costing.full_year == Decimal("17404.03") == round(exact * 100) / Decimal(100)
    per_fte = cost(Structure("s", [Post("Clerk", hours=20, grade="Grade 5", scp=20)]),
        PERSON.evolve(ni_basis="fte"))
    # per fte overstates NI by the rate x 17/37 of the threshold: £547.31
    assert per_fte.full_year - costing.full_year == Decimal("547.31")
    assert "NI per person" in PERSON.describe()
    # the per-fte figure shown is line / fte: £17,404.03 x 37/20
    assert costing.unit_pence[0] == round(Fraction(1740403) * Fraction(37, 20))


def test_pay_below_the_threshold_has_no_ni_and_headcount_splits_the_line():
    low = cost(Structure("s", [Post("Clerk", "0.2", "Grade 5", 20)]), PERSON)
    assert low.full_year == Decimal("6182.10")  # 0.2 x £25,295 x 1.222, NI 0 (below £8,632)
    shared = cost(Structure("s", [Post("Clerks", 2, "Grade 5", 20, headcount=4)]), PERSON)
    each = round(person(Fraction(1, 2)) * 100)
    assert shared.full_year_lines[0] == 4 * each


def test_headcount_is_required_over_one_fte():
    with pytest.raises(CostingError, match="headcount") as info:
        cost(Structure("s", [Post("Clerks", 2, "Grade 5", 20, reference="C")]), PERSON)
    assert info.value.problems[0].file == "post C"
    # not needed per fte
    assert cost(Structure("s", [Post("Clerks", 2, "Grade 5", 20)]),
        PERSON.evolve(ni_basis="fte")).full_year > 0


def test_a_period_under_person_prorates_the_rounded_line_once():
    period = (dt.date(2019, 4, 1), dt.date(2019, 4, 30))
    costing = cost(Structure("s", [Post("Clerk", hours=20, grade="Grade 5", scp=20)]),
        PERSON, period=period)
    assert costing.period_lines[0] == round(Fraction(1740403) * 30 / 366)


def test_explanations_name_the_convention_and_projections_refuse_it():
    from establishment import ValidationError
    from establishment.operations.explain import explain_line
    from establishment.operations.projection import projection

    structure = Structure("s", [Post("Clerk", hours=20, grade="Grade 5", scp=20)])
    formula = explain_line(cost(structure, PERSON), 0).lines[-1].formula
    assert "NI per person" in formula and "own employer NI £695.65" in formula
    with pytest.raises(ValidationError, match="ni_basis"):
        projection(structure, PERSON, "2019-04", 3)

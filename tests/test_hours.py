"""Hours and exact fte: a post in contracted hours is hours / the employer's full-time hours
fte, exactly; a typed fte is exact to any decimal places."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from establishment import CostingError, PayBasis, Post, Structure, ValidationError
from establishment.engine.costing import cost, cost_frame
from establishment.io.toml_file import parse_structure_text, structure_to_toml
from establishment.model.frame import exact_fte, lines_frame, posts_from_frame
from establishment.operations.diff import diff
from establishment.operations.explain import explain_line
from establishment.operations.projection import projection

SALARY_ONLY = PayBasis("nottinghamshire", 2019, rule="salary-only")
PENNY = SALARY_ONLY.evolve(round_to="penny")
SCP20 = Fraction(25295)  # NJC new spine scp 20, 2019/20


def clerk(**fields) -> Post:
    return Post("Clerk", grade="Grade 5", scp=20, reference="C", **fields)


def test_twenty_of_thirty_seven_hours_costs_salary_x_20_37_exactly():
    costing = cost(Structure("s", [clerk(hours=20)]), PENNY)
    exact = SCP20 * Fraction(20, 37)  # £13,672.972...
    assert costing.full_year == Decimal("13672.97")
    assert abs(Fraction(costing.full_year) - exact) < Fraction(1, 200)
    pound = cost(Structure("s", [clerk(hours=20)]), SALARY_ONLY)
    assert pound.full_year == 13673
    # the same post typed as 0.5405 fte costs 0.5405 x £25,295 = £13,671.9475 -> £13,671.95
    typed = cost(Structure("s", [clerk(fte="0.5405")]), PENNY)
    assert typed.full_year == Decimal("13671.95")


def test_a_typed_fte_is_exact_to_six_and_more_places():
    costing = cost(Structure("s", [clerk(fte="0.123456789")]), PENNY)
    assert costing.full_year_lines[0] == 312284  # 0.123456789 x £25,295 = £3,122.8447...
    num, den = exact_fte(lines_frame([clerk(fte="0.123456789"), clerk(fte="0.5")]))
    assert (list(num), den) == ([123456789, 500000000], 10 ** 9)


def test_fte_and_hours_must_agree_to_the_fte_s_places():
    agree = cost(Structure("s", [clerk(fte="0.540541", hours=20)]), PENNY)
    assert agree.full_year == Decimal("13672.97")  # costed at the exact 20/37
    assert cost(Structure("s", [clerk(fte="0.54", hours=20)]), PENNY).full_year == \
        Decimal("13672.97")
    # 0.5 states one place: 20/37 = 0.54 rounds to 0.5 there, so it agrees
    assert cost(Structure("s", [clerk(fte="0.5", hours=20)]), PENNY).full_year == \
        Decimal("13672.97")
    with pytest.raises(CostingError) as info:
        cost(Structure("s", [clerk(fte="0.6", hours=20),
                        clerk(fte="0.55", hours=20).evolve(reference="D")]), PENNY)
    problems = info.value.problems
    assert [p.file for p in problems] == ["post C", "post D"]
    assert "20/37 = 0.540541" in str(info.value)
    assert "disagree" in problems[0].message


def test_hours_need_the_employer_s_full_time_hours():
    basis = PayBasis("civil-service", 2019, rule="salary-only")
    post = Post("Analyst", hours=18, salary=30000, reference="A")
    with pytest.raises(CostingError, match="post A.*full-time hours"):
        cost(Structure("s", [post]), basis)
    with pytest.raises(ValidationError, match="an fte or contracted hours"):
        Post("Clerk", grade="Grade 5")
    with pytest.raises(ValidationError, match="hours"):
        clerk(hours=0)
    with pytest.raises(ValidationError, match="hours"):
        clerk(hours="1.0000001")


def test_periods_projections_and_explanations_use_the_exact_fte():
    period = (dt.date(2019, 4, 1), dt.date(2019, 9, 30))
    costing = cost(Structure("s", [clerk(hours=20)]), PENNY, period=period)
    days = (dt.date(2019, 9, 30) - dt.date(2019, 4, 1)).days + 1
    exact = SCP20 * Fraction(20, 37) * days / 366
    assert abs(Fraction(costing.period_total) - exact) <= Fraction(1, 200)
    assert costing.period_lines[0] == round(exact * 100)
    explanation = explain_line(costing, "C", period=True)
    assert any("20/37 = 0.540541 fte" in line.formula for line in explanation.lines)
    pounds = cost(Structure("s", [clerk(hours=20)]), SALARY_ONLY, period=period)
    result = projection(Structure("s", [clerk(hours=20)]), SALARY_ONLY, "2019-04", 6)
    assert int(result.amounts.sum()) == int(pounds.period_total)


def test_hours_in_toml_round_trip_and_diff():
    text = ('name = "s"\n[[post]]\nreference = "C"\ntitle = "Clerk"\nhours = 20\n'
            'grade = "Grade 5"\nscp = 20\nheadcount = 1\n')
    loaded = parse_structure_text(text).structure
    assert loaded.posts[0].hours == 20 and loaded.posts[0].fte is None
    assert parse_structure_text(structure_to_toml(loaded)).structure == loaded
    assert posts_from_frame(lines_frame(loaded.posts))[0] == list(loaded.posts)
    more = Structure("s", [clerk(hours="18.5")])
    change = diff(loaded, more, SALARY_ONLY)
    assert [c.kind for c in change.changes] == ["change fte"]
    assert change.net_full_year == 12648 - 13673  # 0.5 x £25,295 = £12,647.50 -> £12,648
    same = Structure("s", [clerk(fte="0.5")])
    # 18.5/37 is 0.5: the record changes (hours to fte), the cost does not
    assert diff(more, same, SALARY_ONLY).net_full_year == 0


def test_a_frame_of_many_denominators_costs_each_line_exactly():
    posts = [clerk(fte="0.5").evolve(reference=None), clerk(hours=20).evolve(reference=None),
             clerk(fte="0.333333333").evolve(reference=None), clerk(fte=2).evolve(
                 reference=None)]
    frame = lines_frame(posts[:2])
    other = lines_frame(posts[2:])
    import pandas as pd

    joined = pd.concat([frame, other], ignore_index=True)
    costed, _ = cost_frame(joined, PENNY)
    expected = [SCP20 / 2, SCP20 * Fraction(20, 37), SCP20 * Fraction("0.333333333"),
                SCP20 * 2]
    assert list(costed["full_year"]) == [round(e * 100) for e in expected]


def test_toml_hours_problems_are_located(tmp_path: Path):
    text = ('name = "s"\n[[post]]\ntitle = "Clerk"\ngrade = "Grade 5"\n'
            '[[post]]\ntitle = "Clerk"\nhours = -3\ngrade = "Grade 5"\n')
    with pytest.raises(Exception) as info:
        parse_structure_text(text)
    message = str(info.value)
    assert "<string>:2" in message and "fte" in message
    assert "<string>:5" in message and "hours" in message

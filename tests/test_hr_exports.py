"""HR exports as they really come (issue 24): full-time hours from the pay data only, a
two-decimal post fte against the hours of the people in it, column mapping said out loud,
person rows read as people, and positions and people in two files."""

from __future__ import annotations

from fractions import Fraction

import pytest

from establishment import PayBasis, Post, Structure
from establishment.errors import CostingError, Location
from establishment.model.assignment import Assignment
from establishment.operations.staffing import staffing

BASIS = PayBasis(employer="nottinghamshire", rule="council-2018", pay_year=2018)
HAY_A_34 = 40702  # cost per fte, 2018/19, council-2018, Hay Band A point 34 (whole pounds)


def pounds(exact: Fraction) -> int:
    """Whole pounds, half up (the one rounding rule)."""
    return int((Fraction(exact) + Fraction(1, 2)) // 1)


def post_of(fte: str, *people: Assignment) -> Structure:
    post = Post("Officer", fte, "Hay Band A", 34, reference="P1", team="T")
    return Structure("s", [post], assignments=people)


# -- full-time hours: the basis's, never 37 ---------------------------------------------------

def test_people_in_hours_need_the_pay_datas_full_time_hours():
    civil = PayBasis("civil-service", 2019, rule="salary-only")  # states no full-time hours
    post = Post("Analyst", 1, salary=30000, reference="A", team="T")
    person = Assignment(post="A", person="E1", hours="18",
                        source=Location("people.csv", 7))
    with pytest.raises(CostingError) as err:
        staffing(Structure("s", [post], assignments=[person]), civil)
    [problem] = err.value.problems
    assert (problem.file, problem.line, problem.field) == ("people.csv", 7, "hours")
    assert "states no full-time hours" in problem.message
    assert "37 is not assumed" in problem.message
    # people in fte need no full-time hours at all
    in_fte = Assignment(post="A", person="E1", fte="0.5")
    figures = staffing(Structure("s", [post], assignments=[in_fte]), civil).by_team.loc["T"]
    assert (figures["in_post"], figures["vacancy"]) == (15000, 15000)


# -- a two-decimal post fte against its people's hours ----------------------------------------

def test_a_two_decimal_post_fte_is_the_exact_fte_of_its_peoples_hours():
    # 0.61 is 22.5 hours of 37 (45/74 = 0.6081...) written to two places
    result = staffing(post_of("0.61", Assignment(post="P1", person="E1", hours="22.5")),
                      BASIS)
    figures = result.by_team.loc["T"]
    exact = pounds(Fraction(45, 74) * HAY_A_34)
    assert exact == 24751 and pounds(Fraction("0.61") * HAY_A_34) == 24828  # £77 apart
    assert (figures["establishment"], figures["in_post"]) == (exact, exact)
    assert figures["vacancy"] == figures["hours"] == figures["pay_point"] == 0
    assert result.posts["state"].tolist() == ["filled"]
    assert result.posts["vacant_fte"].tolist() == [0] and not result.warnings
    assert result.notes == ("1 post(s) read at the exact fte of the hours of the people in "
                            "them over 37 full-time hours, which their stated fte rounds: "
                            "P1 0.61 as 45/74 = 0.608108",)


def test_a_rounding_above_the_post_fte_is_not_over_establishment():
    # 22.6 hours of 37 = 0.6108..., which is 0.61 to two places: not 0.0008 over
    result = staffing(post_of("0.61", Assignment(post="P1", person="E1", hours="22.6")),
                      BASIS)
    assert result.posts["state"].tolist() == ["filled"] and not result.warnings
    figures = result.by_team.loc["T"]
    assert figures["establishment"] == figures["in_post"] == pounds(
        Fraction(226, 370) * HAY_A_34)


def test_a_post_fte_its_people_do_not_round_to_keeps_its_vacancy():
    # 20 hours of 37 = 0.5405...: not 0.61, so 0.61 - 20/37 is vacant
    result = staffing(post_of("0.61", Assignment(post="P1", person="E1", hours="20")), BASIS)
    assert result.posts["state"].tolist() == ["part vacant"] and not result.notes
    figures = result.by_team.loc["T"]
    assert figures["establishment"] == pounds(Fraction("0.61") * HAY_A_34)
    assert figures["vacancy"] == pounds((Fraction("0.61") - Fraction(20, 37)) * HAY_A_34)
    # a whole-number fte states no rounding: 36 hours leave 1/37 of a 1 fte post vacant
    whole = staffing(post_of("1", Assignment(post="P1", person="E1", hours="36")), BASIS)
    assert whole.posts["state"].tolist() == ["part vacant"] and not whole.notes
    assert whole.by_team.loc["T", "vacancy"] == pounds(Fraction(1, 37) * HAY_A_34)

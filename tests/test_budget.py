"""Budgets (with temporary funding) and vacancy factors, each shown as its own line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from establishment import PayBasis, Post, Structure
from establishment.engine.costing import cost
from establishment.errors import ValidationError
from establishment.model.vacancy import VacancyFactor, vacancy_lines
from establishment.operations.budget import Budget, compare_budget
from establishment.tables.budget_table import budget_table

BASIS = PayBasis(employer="nottinghamshire", pay_year="2019/20")


def structure() -> Structure:
    return Structure("Group", [Post("Manager", 1, "Band D", team="A"),
                               Post("Assistant", 4, "Grade 3", team="B")])


def test_the_2019_budget_comparison_from_an_input_cost():
    # May 2019 report, para 13: cost £1,131,750, budget £1,084,761 incl. £49,800 temporary
    comparison = compare_budget(Budget("Staffing", 1084761, temporary=49800), 1131750)
    assert comparison.shortfall == Decimal(46989)
    assert comparison.surplus == 0 and comparison.status == "shortfall"
    assert comparison.budget.permanent == Decimal(1034961)
    assert comparison.shortfall_without_temporary == Decimal(96789)
    assert comparison.cost_source.startswith("input")


def test_computed_cost_of_a_team_against_its_budget():
    costing = cost(structure(), BASIS)
    team_b = costing.by("team").loc["B", "full_year"]
    comparison = compare_budget(Budget("B budget", 200000, team="B"), costing)
    assert comparison.cost == team_b == Decimal(4 * 25402)
    assert comparison.surplus == Decimal(200000) - team_b
    assert "computed" in comparison.cost_source
    with pytest.raises(ValidationError, match="a team of the structure"):
        compare_budget(Budget("X", 1, team="Z"), costing)


def test_vacancy_factor_is_its_own_line():
    costing = cost(structure(), BASIS)
    factor = VacancyFactor("2.5%")
    comparison = compare_budget(Budget("All", 150000), costing, vacancy=factor)
    assert comparison.cost == costing.full_year  # post costs are untouched
    (label, amount), = comparison.vacancy
    assert label == "Vacancy factor 2.5%"
    assert amount == -(costing.full_year * Decimal("0.025")).quantize(Decimal(1),
                                                                      rounding="ROUND_HALF_UP")
    assert comparison.net_cost == costing.full_year + amount
    table = budget_table([comparison])
    labels = [row[0] for row in table.rows]
    assert "Vacancy factor 2.5%" in labels and "Cost after vacancy factor" in labels


def test_team_vacancy_factor_and_bad_factors():
    costing = cost(structure(), BASIS)
    lines = vacancy_lines(costing, [VacancyFactor("10%", team="A")])
    assert lines == [("Vacancy factor 10% (A)", Decimal(-5819))]  # 10% of £58,189
    with pytest.raises(ValidationError, match=r"from 0% up to \(not including\) 100%"):
        VacancyFactor("100%")
    with pytest.raises(ValidationError, match="at most one per team"):
        vacancy_lines(costing, [VacancyFactor("1%"), VacancyFactor("2%")])
    with pytest.raises(ValidationError, match="a team of the structure"):
        VacancyFactor("1%", team="Nope").amount(costing)


def test_budget_validation():
    with pytest.raises(ValidationError, match="temporary"):
        Budget("B", 100, temporary=200)
    with pytest.raises(ValidationError, match="never a float"):
        Budget("B", 100.5)


def test_a_vacancy_factor_on_a_team_budget_applies_to_that_team_only():
    # a whole-structure factor used to take 2% of every team's posts off team B's cost
    costing = cost(structure(), BASIS)
    comparison = compare_budget(Budget("B budget", 200000, team="B"), costing,
                                vacancy=VacancyFactor("2%"))
    (label, amount), = comparison.vacancy
    assert label == "Vacancy factor 2% (B)"
    assert amount == -Decimal(2032)  # 2% of 4 x £25,402 = £2,032.16
    assert comparison.net_cost == Decimal(4 * 25402 - 2032)
    with pytest.raises(ValidationError, match="the budget's team"):
        compare_budget(Budget("B budget", 200000, team="B"), costing,
                       vacancy=VacancyFactor("2%", team="A"))


def test_a_bad_budget_figure_names_its_field():
    # both fields used to be reported as 'budget', so a scenario file did not say which
    with pytest.raises(ValidationError) as caught:
        Budget("B", None)
    assert caught.value.field == "amount"
    with pytest.raises(ValidationError) as caught:
        Budget("B", 100, temporary="lots")
    assert caught.value.field == "temporary"

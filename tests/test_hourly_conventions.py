"""Hourly conventions as rule data (issue 22): an annual hours basis (``weeks_a_year``), the
hourly rate rounded to the penny before it is multiplied (``hourly_rate_rounding``), and posts
given in hours a year (``annual_hours``; ``hours`` stays hours a week).

The clerk case: £24,000 at 500 hours a year on the 1,924-hour basis (37 x 52).
* NALC/SLCC convention: £24,000 / 1,924 = £12.4740... -> £12.47; x 500 = £6,235.00.
* The fte method: fte = 500 / 1,924; £24,000 x 500 / 1,924 = £6,237.006... -> £6,237.01.
On an NJC point by its scp (2025/26 scp 23, £34,434): £34,434 / 1,924 = £17.8971... ->
£17.90 x 500 = £8,950.00; the fte method: 34,434 x 500 / 1,924 = £8,948.5447 -> £8,948.54.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

import pay_scales
from establishment import PayBasis, Post, Structure
from establishment.engine.costing import cost
from establishment.errors import CostingError, ValidationError
from establishment.model.hours import (
    annual_hours_basis,
    fte_of_annual_hours,
    hourly_cost_per_fte,
    hourly_rate,
)
from tests.cli_run import run

RULES = '''
[rules.nalc]
description = "NALC/SLCC hourly convention: salary only"
ni = false
oncosts = []
weeks_a_year = "52"
hourly_rate_rounding = "penny"
round_to = "penny"
basis = "stated"
source = "NALC/SLCC National Salary Award guidance: hourly rates from annual salaries / 1,924"

[rules.fte-method]
description = "salary only; hours a year as a share of a 1,924-hour year (the fte method)"
ni = false
oncosts = []
weeks_a_year = "52"
round_to = "penny"
basis = "stated"
source = "the fte method, for comparison"
'''


def test_the_hand_calculation():
    basis = annual_hours_basis(37, 52)
    assert basis == 1924
    assert hourly_rate(24000, basis) == Fraction("12.47")
    assert hourly_rate(24000, basis, to_penny=False) == Fraction(24000, 1924)
    assert hourly_cost_per_fte(24000, basis) * fte_of_annual_hours(500, basis) == 6235
    assert hourly_rate(34434, basis) == Fraction("17.90")


@pytest.fixture
def council(tmp_path) -> Path:
    folder = tmp_path / "council"
    shutil.copytree(Path(pay_scales.__file__).parent / "data" / "employers" / "nottinghamshire",
                    folder)
    with (folder / "employer.toml").open("a", encoding="utf-8") as handle:
        handle.write(RULES)
    return folder


def clerk(**pay) -> Structure:
    return Structure("Parish", [Post("Clerk", grade=pay.pop("grade", ""), annual_hours=500,
                                     reference="C1", **pay)])


@pytest.mark.parametrize(("rule", "expected"), [("nalc", Decimal("6235.00")),
                                                ("fte-method", Decimal("6237.01"))])
def test_the_clerk_on_a_salary(council, rule, expected):
    basis = PayBasis(str(council), pay_year=2025, rule=rule)
    costing = cost(clerk(salary=24000), basis)
    assert costing.full_year == expected
    assert costing.fte == Decimal("0.2599")  # 500 / 1,924 = 0.25987... (display)


@pytest.mark.parametrize(("rule", "expected"), [("nalc", Decimal("8950.00")),
                                                ("fte-method", Decimal("8948.54"))])
def test_the_clerk_on_an_njc_point(council, rule, expected):
    basis = PayBasis(str(council), pay_year=2025, rule=rule)
    assert cost(clerk(grade="Hay Band A", scp=23), basis).full_year == expected


def test_each_names_its_convention(capsys, council, tmp_path):
    path = tmp_path / "clerk.csv"
    path.write_text("reference,title,salary,hours a year\nC1,Clerk,24000,500\n",
                    encoding="utf-8")
    code, out, err = run(capsys, "cost", str(path), "--employer", str(council),
                         "--pay-year", "2025/26", "--rule", "nalc")
    assert code == 0, err
    assert "£6,235.00" in out
    assert "hourly rate = cost per fte / 1,924-hour year, rounded to the penny, x hours" in out
    code, out, err = run(capsys, "cost", str(path), "--employer", str(council),
                         "--pay-year", "2025/26", "--rule", "fte-method")
    assert code == 0, err
    assert "£6,237.01" in out and "hours a year as fte of a 1,924-hour year (the fte method)" \
        in out


def test_hours_a_year_need_the_rules_weeks(council):
    with pytest.raises(CostingError, match="states no weeks_a_year"):
        cost(clerk(salary=24000), PayBasis(str(council), pay_year=2025, rule="njc"))


def test_hours_a_year_and_a_week_are_not_both_given():
    with pytest.raises(ValidationError, match="annual_hours"):
        Post("Clerk", salary=24000, hours=10, annual_hours=500)
    with pytest.raises(ValidationError, match="annual_hours"):
        Post("Clerk", salary=24000, annual_hours=9000)
    assert Post("Clerk", salary=24000, annual_hours=500).fte is None


def test_a_toml_post_in_hours_a_year(council, tmp_path):
    from establishment.io import load_structure_file

    path = tmp_path / "parish.toml"
    path.write_text('[[post]]\ntitle = "Clerk"\nsalary = 24000\nannual_hours = 500\n',
                    encoding="utf-8")
    loaded = load_structure_file(path)
    assert loaded.structure.posts[0].annual_hours == 500
    basis = PayBasis(str(council), pay_year=2025, rule="nalc")
    assert cost(loaded.structure, basis).full_year == Decimal("6235.00")


def test_hours_a_year_are_a_number_not_money():
    """'£1,500' is not hours: annual hours are read by the number rule (a comma between
    thousands is fine, as a clerk's contract writes 1,924)."""
    import pytest

    from establishment import Post
    from establishment.errors import ValidationError

    assert Post("Clerk", None, "Grade 5", 20, annual_hours="1,924").annual_hours == 1924
    with pytest.raises(ValidationError, match="'annual_hours' must be a number such as"):
        Post("Clerk", None, "Grade 5", 20, annual_hours="£1,500")

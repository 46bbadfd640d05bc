"""The rounding unit as rule data (``round_to = "pound" | "penny"``): one rule, at that unit,
for every cost per fte (typed ones too), every line and every period line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

import pay_scales
from establishment import PayBasis, Payment, Post, Structure, ValidationError
from establishment.cli.main import main
from establishment.engine.costing import cost
from establishment.io.toml_file import parse_structure_text
from establishment.operations.explain import explain_line
from establishment.tables import committee_table
from establishment.tables.render import render

POUND = PayBasis("nottinghamshire", 2019, rule="salary-only")
PENNY = POUND.evolve(round_to="penny")


def test_a_typed_cost_per_fte_is_rounded_to_the_unit_like_every_other():
    posts = [Post("Adviser", 3, "", cost_per_fte="30000.40")]
    pound = cost(Structure("s", posts), POUND)
    assert pound.unit_pence[0] == 3_000_000  # £30,000.40 -> £30,000
    assert pound.full_year == 90_000  # 3 x £30,000, not £90,001 beside "£30,000"
    penny = cost(Structure("s", posts), PENNY)
    assert penny.unit_pence[0] == 3_000_040
    assert penny.full_year == Decimal("90001.20")


def test_penny_rounds_each_cost_per_fte_and_line_to_the_penny():
    post = Post("Clerk", "0.5", "", salary="25000.55")
    pound = cost(Structure("s", [post]), POUND)
    assert pound.unit_pence[0] == 2_500_100  # £25,001
    assert pound.full_year == 12_501  # 0.5 x £25,001 = £12,500.50 -> £12,501
    penny = cost(Structure("s", [post]), PENNY)
    assert penny.unit_pence[0] == 2_500_055
    assert penny.full_year_lines[0] == 1_250_028  # pence: 0.5 x £25,000.55 = £12,500.275
    assert penny.full_year == Decimal("12500.28")


def test_penny_with_on_costs_rounds_the_exact_cost_per_fte_once():
    basis = PayBasis("nottinghamshire", 2019, rule="njc", round_to="penny")
    costing = cost(Structure("s", [Post("Officer", 1, "", salary=30000)]), basis)
    # 2019/20: NI 13.8% above £8,632, 22.2% other on-costs
    exact = 30000 + Fraction("0.138") * (30000 - 8632) + Fraction("0.222") * 30000
    assert exact == Fraction("39608.784")
    assert costing.full_year == Decimal("39608.78")
    pound = cost(Structure("s", [Post("Officer", 1, "", salary=30000)]), basis.evolve(
        round_to="pound"))
    assert pound.full_year == 39609


def test_a_period_line_is_rounded_once_to_the_penny():
    post = Post("Clerk", 1, "", salary="36500")
    period = (dt.date(2019, 4, 1), dt.date(2019, 4, 10))
    penny = cost(Structure("s", [post]), PENNY, period=period)
    # 2019/20 has 366 days (29 February 2020): £36,500 x 10 / 366 = £997.2677...
    assert penny.period_total == Decimal("997.27")
    assert cost(Structure("s", [post]), POUND, period=period).period_total == 997


def test_lump_sums_and_funding_split_to_the_penny():
    payment = Payment("Grant", "100.01", per="total", start=dt.date(2019, 4, 1),
                      end=dt.date(2019, 4, 3))
    post = Post("Clerk", 1, "", salary="1000.01", funding={"A": 50, "B": 50})
    costing = cost(Structure("s", [post], [payment]),
        PENNY, period=(dt.date(2019, 4, 1), dt.date(2019, 4, 1)))
    assert list(costing.full_year_lines) == [100_001, 10_001]
    assert costing.period_lines[1] == 3334  # £100.01 x 1/3 = £33.336... -> £33.34
    funding = costing.by_funding()["full_year"]
    assert sum(funding) == costing.full_year == Decimal("1100.02")


def test_tables_explanations_and_the_basis_line_show_the_unit():
    costing = cost(Structure("s", [Post("Clerk", "0.5", "", salary="25000.55")]), PENNY)
    text = render(committee_table(costing), "plain")
    assert "£25,000.55" in text and "£12,500.28" in text
    assert "rounded to the penny" in costing.basis.describe()
    explanation = explain_line(costing, 0)
    assert explanation.result == Decimal("12500.28")
    assert any("rounded to the penny" in line.formula for line in explanation.lines)
    assert "penny" not in POUND.describe()


def test_round_to_comes_from_the_rule_and_a_basis_overrides_it(tmp_path: Path):
    folder = tmp_path / "parish"
    folder.mkdir()
    (folder / "grades.csv").write_text(
        "grade,spine,scp_min,scp_max,valid_from,valid_to,basis,evidence\n", encoding="utf-8")
    (folder / "employer.toml").write_text(
        'name = "A parish"\nspine = "njc"\ndefault_rule = "pay"\nfull_time_hours = 37\n'
        '[rules.pay]\nni = false\nround_to = "penny"\n', encoding="utf-8")
    basis = PayBasis(str(folder), 2019)
    assert basis.rounding() == "penny"
    costing = cost(Structure("s", [Post("Clerk", "0.5", "", salary="25000.55")]), basis)
    assert costing.full_year == Decimal("12500.28")
    assert basis.evolve(round_to="pound").rounding() == "pound"


def test_a_bad_unit_is_refused_where_it_is_given(tmp_path: Path):
    with pytest.raises(ValidationError, match="round_to"):
        PayBasis("nottinghamshire", 2019, round_to="pence")
    with pytest.raises(ValidationError, match="ni_basis"):
        PayBasis("nottinghamshire", 2019, ni_basis="people")
    with pytest.raises(pay_scales.PayScaleError, match="round_to"):
        pay_scales.rules.parse_rule("r", {"round_to": "cent"}, "employer.toml")
    with pytest.raises(pay_scales.PayScaleError, match="ni_basis"):
        pay_scales.rules.parse_rule("r", {"ni_basis": "head"}, "employer.toml")
    text = ('name = "s"\n[basis]\nemployer = "nottinghamshire"\nround_to = "cent"\n'
            '[[post]]\ntitle = "A"\nfte = 1\ngrade = "Grade 5"\n')
    with pytest.raises(Exception, match=r"<string>:2.*round_to") as info:
        parse_structure_text(text)
    assert "pound | penny" in str(info.value)


def test_the_command_line_rounds_to_the_penny(tmp_path: Path, capsys):
    path = tmp_path / "s.toml"
    path.write_text('name = "s"\n[[post]]\ntitle = "Clerk"\nfte = 0.5\nsalary = "25000.55"\n'
                    'grade = ""\n', encoding="utf-8")
    code = main(["cost", str(path), "--employer", "nottinghamshire", "--pay-year", "2019",
                 "--rule", "salary-only", "--round-to", "penny"])
    out = capsys.readouterr().out
    assert code == 0
    assert "£12,500.28" in out and "rounded to the penny" in out

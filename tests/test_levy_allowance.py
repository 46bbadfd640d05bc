"""The apprenticeship levy allowance: one structure-level line, only for a whole pay bill."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from establishment import PayBasis, Post, Structure, ValidationError
from establishment.engine.costing import cost
from establishment.operations.explain import explain_line
from establishment.tables.committee import committee_table, totals_table


@pytest.fixture
def employer(tmp_path):
    """A small employer whose one rule is salary plus the levy (no NI, no pension)."""
    folder = tmp_path / "small-trust"
    folder.mkdir()
    (folder / "employer.toml").write_text(
        'name = "Small Trust"\nspine = ""\ndefault_rule = "levy"\n'
        '[rules.levy]\nni = false\nlevy = \"when in force\"\noncosts = []\n', encoding="utf-8")
    (folder / "grades.csv").write_text(
        "grade,spine,scp_min,scp_max,valid_from,valid_to,basis,evidence\n", encoding="utf-8")
    return str(folder)


def structure(fte: int, salary: int) -> Structure:
    return Structure("trust", [Post("Officer", fte, "Officer", salary=Decimal(salary),
                                    reference="A"),
                               Post("Assistant", 1, "Officer", salary=Decimal(20000),
                                    reference="B")])


def test_off_by_default_the_levy_stays_marginal(employer):
    costing = cost(structure(1, 20000), PayBasis(employer=employer, pay_year=2018))
    assert costing.levy_allowance is None
    assert costing.full_year == 2 * 20100   # each line keeps its 0.5%


def test_a_small_pay_bill_pays_no_levy(employer):
    basis = PayBasis(employer=employer, pay_year=2018, whole_pay_bill=True)
    costing = cost(structure(1, 20000), basis)
    # levy in the lines 2 x £100 = £200, less than the £15,000 allowance: all of it comes off
    assert costing.levy_allowance.full_year == -200
    assert costing.full_year == 40000
    table = committee_table(costing)
    assert table.rows[-1][0] == "Apprenticeship Levy allowance"
    assert table.rows[-1][-1] == -200 and table.total[-1] == 40000
    assert "whole pay bill (levy allowance applied)" in basis.describe()
    assert list(totals_table(costing).rows[-1]) == ["Apprenticeship Levy allowance", -200]


def test_a_large_pay_bill_gets_the_whole_allowance(employer):
    costing = cost(structure(100, 40000), PayBasis(employer=employer, pay_year=2018,
                                                  whole_pay_bill=True))
    # levy 100 x £200 + £100 = £20,100 > £15,000: the allowance is £15,000
    assert costing.levy_allowance.full_year == -15000
    assert costing.full_year == 100 * 40200 + 20100 - 15000
    explanation = explain_line(costing, "Apprenticeship Levy allowance")
    assert explanation.result == -15000
    assert "-min(levy in the posts' full-year costs (2018/19) £20,100, allowance £15,000)" in str(
        explanation)


def test_the_period_allowance_accrues_by_days(employer):
    basis = PayBasis(employer=employer, pay_year=2018, whole_pay_bill=True)
    period = (dt.date(2018, 4, 1), dt.date(2018, 9, 30))   # 183 of 365 days
    costing = cost(structure(100, 40000), basis, period=period)
    # levy £20,100 x 183/365 = £10,077.53; allowance £15,000 x 183/365 = £7,520.55 -> £7,521
    assert costing.levy_allowance.period == -7521
    assert costing.period_total == sum(costing.period_lines.tolist()) - 7521
    small = cost(structure(1, 20000), basis, period=period)
    assert small.levy_allowance.period == -100   # £200 x 183/365 = £100.27


def test_no_levy_before_2017_means_no_allowance(employer):
    costing = cost(structure(1, 20000), PayBasis(employer=employer, pay_year=2016,
                                                whole_pay_bill=True, rule=None))
    assert costing.levy_allowance.full_year == 0


def test_the_basis_key_is_checked():
    with pytest.raises(ValidationError, match="whole_pay_bill"):
        PayBasis(employer="nottinghamshire", pay_year=2018, whole_pay_bill="yes")


def test_the_command_line_shows_the_line(employer, tmp_path, capsys):
    from establishment.cli import main

    path = tmp_path / "trust.toml"
    path.write_text(f'name = "Trust"\n[basis]\nemployer = "{employer}"\npay_year = "2018/19"\n'
                    'whole_pay_bill = true\n[[post]]\ntitle = "Officer"\nfte = 1\n'
                    'grade = "Officer"\nsalary = 20000\n', encoding="utf-8")
    assert main(["cost", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Apprenticeship Levy allowance" in out and "-£100" in out.replace("−", "-")
    assert main(["cost", str(path), "--explain", "Apprenticeship Levy allowance"]) == 0
    assert "-min(levy in the posts' full-year costs (2018/19) £100" in capsys.readouterr().out


def test_the_allowance_is_rounded_at_the_basis_unit(employer):
    # levy £20,001 x 0.5% + £20,000 x 0.5% = £200.005
    pounds = cost(structure(1, 20001), PayBasis(employer=employer, pay_year=2018,
                                               whole_pay_bill=True))
    assert pounds.levy_allowance.full_year == -200
    pence = cost(structure(1, 20001), PayBasis(employer=employer, pay_year=2018,
                                              whole_pay_bill=True, round_to="penny"))
    assert pence.levy_allowance.full_year == Decimal("-200.01")
    # £20,101.005 -> £20,101.01, plus £20,100.00, less £200.01
    assert pence.full_year == Decimal("40001.00")

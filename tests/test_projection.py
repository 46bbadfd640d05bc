"""Projection: months add up to pay years exactly, and every rule (increments, awards, vacancy,
dates) gives the figure a hand computation from the pay data gives."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pay_scales
from establishment import PayBasis, Payment, Post, Structure
from establishment.cli.main import main
from establishment.engine.costing import cost
from establishment.errors import CostingError, ValidationError
from establishment.operations.projection import parse_month, parse_rate, projection
from pay_scales.dates import days_in_pay_year, pay_year_end, pay_year_of, pay_year_start
from pay_scales.rounding import round_pounds
from tests.strategies import projected_structures, structures

EMPLOYER = pay_scales.load_employer("nottinghamshire")
NJC = PayBasis("nottinghamshire", pay_year=2019, rule="njc")


def unit(grade: str, scp: int | None, year: int, point: str = "actual") -> Fraction:
    return Fraction(EMPLOYER.unit_cost(grade, scp, year, point=point).cost)


def year_columns(result, year: int) -> list[int]:
    return [j for j, m in enumerate(result.months) if pay_year_of(m) == year]


# -- properties -------------------------------------------------------------------------------

@settings(max_examples=30, deadline=None)
@given(projected_structures(), st.sampled_from(["0", "3%", "0.125"]),
       st.sampled_from(["cost", "exclude"]), st.sampled_from(["actual", "top"]))
def test_months_components_and_groups_add_up_exactly(structure, factor, vacant, point):
    result = projection(structure, NJC.evolve(point=point), "2019-04", 24,
                        vacancy_factor=factor, vacant=vacant)
    amounts = result.amounts
    # components add up to every line-month exactly
    total = sum(result.components.values())
    assert np.array_equal(total, amounts) if len(amounts) else True
    # a full pay year is the sum of its 12 months, per line and in total
    for year in (2019, 2020):
        columns = year_columns(result, year)
        assert len(columns) == 12
        assert result.pay_year_total(year) == sum(int(v) for v in amounts[:, columns].sum(1))
    assert result.total == result.pay_year_total(2019) + result.pay_year_total(2020)
    # roll-ups: teams and funding sources add up to the whole, month by month
    by_team = result.monthly("team")
    assert sum(by_team["total"], Decimal(0)) == result.total
    by_funding = result.monthly("funding")
    assert sum(by_funding["total"], Decimal(0)) == result.total
    yearly = result.yearly("grade")
    assert sum(yearly["total"], Decimal(0)) == result.total


@settings(max_examples=30, deadline=None)
@given(structures(max_posts=8))
def test_first_pay_year_equals_the_engines_period_cost(structure):
    """Without increments in the year (1 April increment days) and without assumptions, a
    projection's pay year per line is the engine's period cost for that pay year."""
    basis = PayBasis("nottinghamshire", pay_year=2018, rule="njc")
    result = projection(structure, basis, "2018-04", 12)
    costing = cost(structure, basis, period=(dt.date(2018, 4, 1), dt.date(2019, 3, 31)))
    assert result.amounts.sum(axis=1).tolist() == costing.lines["period"].tolist()
    assert not result.approximate.any()


def _oracle_year(structure: Structure, year: int, factor: Fraction) -> list[int]:
    first, last = pay_year_start(year), pay_year_end(year)
    lines = []
    for post in structure.posts:
        lo, hi = max(post.start or first, first), min(post.end or last, last)
        days = max((hi - lo).days + 1, 0)
        exact = (Fraction(post.fte) * unit(post.grade, None, year, "top") * days
                 / days_in_pay_year(year) * (1 - factor))
        lines.append(int(round_pounds(exact)))
    for payment in structure.payments:
        lo, hi = max(payment.start, first), min(payment.end, last)
        days = max((hi - lo).days + 1, 0)
        if payment.per == "total":
            span = (payment.end - payment.start).days + 1
            exact = Fraction(payment.amount) * days / span
        else:
            exact = Fraction(payment.amount) * days / days_in_pay_year(year)
        lines.append(int(round_pounds(exact)))
    return lines


@settings(max_examples=30, deadline=None)
@given(projected_structures(), st.sampled_from([Fraction(0), Fraction(3, 100),
                                                Fraction(1, 8)]))
def test_each_line_year_is_the_exact_amount_rounded_once(structure, factor):
    basis = NJC.evolve(point="top")
    result = projection(structure, basis, "2019-04", 24,
                        vacancy_factor=Decimal(factor.numerator) / factor.denominator)
    for year in (2019, 2020):
        got = result.amounts[:, year_columns(result, year)].sum(axis=1).tolist()
        assert got == _oracle_year(structure, year, factor)


# -- increments --------------------------------------------------------------------------------

def test_increments_each_april_with_the_2019_assimilation():
    structure = Structure("s", [Post("Officer", 1, "Hay Band A", 31)])
    result = projection(structure, PayBasis("nottinghamshire", pay_year=2018), "2018-04", 36)
    years = [int(result.pay_year_total(y)) for y in (2018, 2019, 2020)]
    # 2018/19 old scp 31; 1 Apr 2019: increment to old 32, assimilated to new 26; then 27
    assert years == [int(round_pounds(unit("Hay Band A", 31, 2018))),
                     int(round_pounds(unit("Hay Band A", 26, 2019))),
                     int(round_pounds(unit("Hay Band A", 27, 2020)))]


def test_increments_stop_at_the_top_of_the_grade():
    structure = Structure("s", [Post("Officer", 1, "Hay Band A", 34)])
    result = projection(structure, PayBasis("nottinghamshire", pay_year=2018), "2018-04", 36)
    assert [int(result.pay_year_total(y)) for y in (2019, 2020)] == [
        int(unit("Hay Band A", 28, 2019)), int(unit("Hay Band A", 28, 2020))]


def test_costing_at_top_does_not_increment():
    structure = Structure("s", [Post("Officer", 1, "Hay Band A", 24)])
    result = projection(structure, PayBasis("nottinghamshire", pay_year=2019, point="top"),
                        "2019-04", 24)
    assert [int(result.pay_year_total(y)) for y in (2019, 2020)] == [
        int(unit("Hay Band A", None, 2019, "top")), int(unit("Hay Band A", None, 2020, "top"))]
    actual = projection(structure, PayBasis("nottinghamshire", pay_year=2019), "2019-04", 24)
    assert int(actual.pay_year_total(2020)) == int(unit("Hay Band A", 25, 2020))


def test_a_post_increment_date_splits_the_year_by_days():
    structure = Structure("s", [Post("Officer", 1, "Hay Band A", 24,
                                     increment_date=dt.date(2010, 10, 1))])
    result = projection(structure, NJC, "2019-04", 12)
    # April-September at scp 24 (183 days), October-March at scp 25 (183 days) of 366
    exact = (unit("Hay Band A", 24, 2019) * 183 + unit("Hay Band A", 25, 2019) * 183) / 366
    assert result.pay_year_total(2019) == round_pounds(exact)
    assert result.amounts[0, 5] < result.amounts[0, 6]  # September < October


def test_a_post_starting_later_skips_increments_before_it_starts():
    structure = Structure("s", [Post("Officer", 1, "Hay Band A", 24,
                                     start=dt.date(2020, 7, 1))])
    result = projection(structure, NJC, "2019-04", 36)
    assert result.pay_year_total(2019) == 0
    assert result.pay_year_total(2020) == round_pounds(unit("Hay Band A", 24, 2020) * 274 / 365)
    assert result.pay_year_total(2021) == unit("Hay Band A", 25, 2021)


# -- awards ------------------------------------------------------------------------------------

def test_years_without_pay_data_need_an_explicit_award():
    structure = Structure("s", [Post("Officer", 1, "Hay Band A", 28)])
    with pytest.raises(CostingError, match="no assumed award for it"):
        projection(structure, NJC, "2025-04", 24)


def test_an_assumed_award_is_applied_and_flagged_approximate():
    structure = Structure("s", [Post("Officer", 1, "Hay Band A", 28)])
    result = projection(structure, NJC, "2025-04", 24, award="2%")
    known = EMPLOYER.unit_cost("Hay Band A", 28, 2025)
    salary = round_pounds(Fraction(known.salary) * Fraction(102, 100))
    assumed = EMPLOYER.cost_of_salary(salary, 2025).cost  # NI of 2025/26, assumed unchanged
    assert result.pay_year_total(2025) == known.cost
    assert result.pay_year_total(2026) == assumed
    assert not result.approximate[:, year_columns(result, 2025)].any()
    assert result.approximate[:, year_columns(result, 2026)].all()
    assert any("2% a year after the data (assumed) award on the 2025/26 NJC spine [a]" in note
               for note in result.assumptions)
    yearly = result.yearly()
    assert list(yearly["approximate"]) == [False, True]


def test_agreed_awards_come_from_the_pay_data():
    structure = Structure("s", [Post("Officer", 1, "Hay Band A", 28)])
    result = projection(structure, NJC, "2019-04", 36, award="5%")
    # every year has data: the assumed award is not used and nothing is approximate
    assert [result.pay_year_total(y) for y in (2019, 2020, 2021)] == [
        unit("Hay Band A", 28, y) for y in (2019, 2020, 2021)]
    assert not result.approximate.any() and not result.assumptions


# -- vacancy and dates -------------------------------------------------------------------------

def test_vacancy_factor_is_a_negative_component():
    structure = Structure("s", [Post("Officer", 2, "Hay Band A", 28)])
    result = projection(structure, NJC, "2019-04", 12, vacancy_factor="5%")
    full = 2 * unit("Hay Band A", 28, 2019)
    assert result.pay_year_total(2019) == round_pounds(full * Fraction(95, 100))
    vacancy = int(result.components["vacancy factor"].sum())
    assert vacancy < 0 and abs(vacancy + round_pounds(full * Fraction(5, 100))) <= 12


def test_vacant_posts_cost_or_are_excluded():
    structure = Structure("s", [Post("Officer", 1, "Hay Band A", 28, status="vacant"),
                                Post("Officer", 1, "Hay Band A", 28)])
    costed = projection(structure, NJC, "2019-04", 12)
    excluded = projection(structure, NJC, "2019-04", 12, vacant="exclude")
    assert costed.total == 2 * unit("Hay Band A", 28, 2019)
    assert excluded.total == unit("Hay Band A", 28, 2019)
    assert excluded.amounts[0].sum() == 0


def test_temporary_post_stops_at_its_end_date_prorated_by_days():
    structure = Structure("s", [Post("Officer", 1, "Hay Band A", 28,
                                     end=dt.date(2019, 6, 15))])
    result = projection(structure, NJC, "2019-04", 12)
    assert result.amounts[0, 3:].sum() == 0  # nothing from July
    assert result.pay_year_total(2019) == round_pounds(unit("Hay Band A", 28, 2019) * 76 / 366)
    assert result.amounts[0, 2] < result.amounts[0, 1]  # half of June


def test_payments_in_a_projection():
    lump = Payment("Honorarium", 3161, per="total", start=dt.date(2019, 7, 1),
                   end=dt.date(2020, 3, 31))
    result = projection(Structure("s", [], [lump]), NJC, "2019-04", 12)
    assert result.total == 3161 and result.amounts[0, :3].sum() == 0
    assert int(result.components["payment"].sum()) == 3161


# -- inputs ------------------------------------------------------------------------------------

def test_bad_arguments_name_the_field():
    structure = Structure("s", [Post("Officer", 1, "Hay Band A", 28)])
    with pytest.raises(ValidationError, match="months"):
        projection(structure, NJC, "2019-04", 0)
    with pytest.raises(ValidationError, match="vacant"):
        projection(structure, NJC, "2019-04", 12, vacant="maybe")
    with pytest.raises(ValidationError, match="never a float"):
        projection(structure, NJC, "2019-04", 12, award=0.02)
    with pytest.raises(ValidationError, match="start"):
        parse_month("April 2019")
    assert parse_rate("2%", "award") == Decimal("0.02") == parse_rate("0.02", "award")
    assert parse_month("2019-04") == parse_month(dt.date(2019, 4, 17)) == dt.date(2019, 4, 1)


def test_a_projection_past_the_calendar_is_a_field_error_not_a_traceback():
    """From 9999-01 the month arithmetic reached year 10000 (a bare ValueError)."""
    structure = Structure("s", [Post("Officer", 1, "", salary=30000)])
    with pytest.raises(ValidationError, match="a projection ending by 9998-12 .from 9999-01."):
        projection(structure, NJC, "9999-01", 24, award="2%")
    with pytest.raises(ValidationError, match="months"):
        projection(structure, NJC, "9998-01", 13, award="2%")
    assert len(projection(structure, NJC, "9998-01", 12, award="2%").months) == 12


TOML = """name = "Team"
[basis]
employer = "nottinghamshire"

[[post]]
title = "Reviewing Officer"
fte = 2
grade = "Hay Band A"
scp = 25
team = "ICDS"
funding = { "Core budget" = 60, Grant = 40 }
[[post]]
title = "Assessment Officer"
fte = 1.5
grade = "Grade 5"
scp = 20
team = "Placements"
end = 2020-09-30
"""


def test_cli_project_prints_months_and_pay_years(tmp_path, capsys):
    path = tmp_path / "team.toml"
    path.write_text(TOML, encoding="utf-8")
    status = main(["project", str(path), "--from", "2024-04", "--months", "36", "--award", "2%",
                   "--by", "team", "--format", "csv"])
    out = capsys.readouterr().out
    assert status == 0
    # CSV holds one table (the months; a month is an ISO date), --table names another
    assert "Month,Team,Salary,Employer NI" in out and "\n2027-03-01,Placements" in out
    assert ",[a]\n" in out and "2026/27" not in out
    assert main(["project", str(path), "--from", "2024-04", "--months", "36", "--award", "2%",
                 "--by", "team", "--format", "csv", "--table", "yearly"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Pay year,Team,Months,") and "2026/27,ICDS,12," in out
    status = main(["project", str(path), "--from", "2019-04", "--months", "12", "--years-only",
                   "--by", "funding"])
    out = capsys.readouterr().out
    assert status == 0 and "Core budget" in out and "Grant" in out


def test_cli_project_bad_input_exits_2_with_a_message(tmp_path, capsys):
    path = tmp_path / "team.toml"
    path.write_text(TOML, encoding="utf-8")
    assert main(["project", str(path), "--from", "2019-04", "--award", "two"]) == 2
    assert "--award" in capsys.readouterr().err
    assert main(["project", str(path), "--from", "2024-04", "--months", "36"]) == 2
    assert "assumed award" in capsys.readouterr().err
    assert main(["project", str(path), "--from", "2019-13"]) == 2
    assert capsys.readouterr().err == ("establishment: error: --from: expected a month such as "
                                       "2018-04 (or an ISO date), got '2019-13'\n")
    assert main(["project", str(path), "--from", "2019-04-15"]) == 2
    assert capsys.readouterr().err == ("establishment: error: --from: a projection starts at the "
                                       "beginning of a month; give the month, such as 2019-04 "
                                       "(got '2019-04-15')\n")
    assert main(["project", str(path), "--from", "2019-04-01"]) == 0


@given(st.lists(st.tuples(st.integers(-(2 ** 60), 2 ** 60), st.integers(1, 2 ** 40)),
                min_size=1, max_size=40))
def test_exact_divmod_matches_python_integers(pairs):
    from establishment.operations.projection import divmod_exact

    num = np.array([a for a, _ in pairs], dtype=np.int64)
    den = np.array([b for _, b in pairs], dtype=np.int64)
    quotient, remainder = divmod_exact(num, den)
    assert quotient.tolist() == [a // b for a, b in pairs]
    assert remainder.tolist() == [a % b for a, b in pairs]
    small = num // 4096  # below 2**53: the float path
    quotient, remainder = divmod_exact(small, den)
    assert quotient.tolist() == [int(a) // b for a, b in zip(small, den.tolist())]


def test_explicit_salaries_are_uplifted_by_the_award_and_flagged():
    structure = Structure("s", [Post("Analyst", 1, "", salary=Decimal(30000))])
    result = projection(structure, NJC, "2019-04", 24, award="2%")
    assert result.pay_year_total(2019) == EMPLOYER.cost_of_salary(Decimal(30000), 2019).cost
    assert result.pay_year_total(2020) == EMPLOYER.cost_of_salary(Decimal(30600), 2020).cost
    assert not result.approximate[:, :12].any() and result.approximate[:, 12:].all()


def test_a_grade_without_a_known_top_does_not_increment_and_says_so():
    structure = Structure("s", [Post("Solicitor", 1, "Hay Band E", 42)])
    result = projection(structure, NJC, "2019-04", 24)
    assert result.pay_year_total(2020) == unit("Hay Band E", 42, 2020)
    assert any("no known top" in note for note in result.assumptions)


def test_a_vacancy_factor_record_for_the_whole_structure():
    from establishment import VacancyFactor

    structure = Structure("s", [Post("Officer", 1, "Hay Band A", 28)])
    result = projection(structure, NJC, "2019-04", 12, vacancy_factor=VacancyFactor("10%"))
    assert result.total == round_pounds(unit("Hay Band A", 28, 2019) * Fraction(9, 10))
    with pytest.raises(ValidationError, match="team"):
        projection(structure, NJC, "2019-04", 12, vacancy_factor=VacancyFactor("10%", "ICDS"))


def test_projection_tables_are_built_in_tables_and_add_up():
    """The command line only calls ``projection_tables``: the monthly table's total row is
    the pay-year table's, split by team when asked, each row marked agreed."""
    from establishment.tables.projection import projection_tables

    posts = [Post("Officer", 1, "Hay Band A", 28, team="A"),
             Post("Assistant", "0.5", "Hay Band A", 24, team="B")]
    result = projection(Structure("s", posts), NJC, "2019-04", 12)
    monthly, yearly = projection_tables(result, "team")
    assert [c.name for c in monthly.columns][:2] == ["Month", "Team"]
    assert len(monthly.rows) == 24 and {r[-1] for r in monthly.rows} == {""}
    assert monthly.rows[0][0] == dt.date(2019, 4, 1)
    assert monthly.total[-2] == yearly.total[-2] == result.total
    assert [list(r[:3]) for r in yearly.rows] == [["2019/20", "A", 12], ["2019/20", "B", 12]]
    assert len(projection_tables(result, years_only=True)) == 1

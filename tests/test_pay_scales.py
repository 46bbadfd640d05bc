"""Pay data lookups: dated, sourced, and never a silent fallback."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from fractions import Fraction

import pytest

import pay_scales
from pay_scales import PayScaleError, load_employer


@pytest.fixture(scope="module")
def council() -> pay_scales.Employer:
    return load_employer("nottinghamshire")


class TestDates:
    def test_pay_year_starts_on_1_april(self):
        assert pay_scales.pay_year_of(dt.date(2019, 3, 31)) == 2018
        assert pay_scales.pay_year_of(dt.date(2019, 4, 1)) == 2019

    def test_leap_pay_year_has_366_days(self):
        assert pay_scales.days_in_pay_year(2018) == 365
        assert pay_scales.days_in_pay_year(2019) == 366  # contains 29 Feb 2020

    @pytest.mark.parametrize("text", ["2018", "2018/19", "2018-19", 2018])
    def test_parse_pay_year(self, text):
        assert pay_scales.parse_pay_year(text) == 2018

    @pytest.mark.parametrize("text", ["18/19", "2018/20", "twenty", ""])
    def test_parse_pay_year_rejects(self, text):
        with pytest.raises(ValueError, match="pay year must look like 2018 or 2018/19"):
            pay_scales.parse_pay_year(text)


class TestSpine:
    def test_salary_in_force_on_a_date(self, council):
        spine = council.spine
        assert spine.point(34, dt.date(2018, 4, 1)).salary == Decimal(30756)
        # the 1 January 2015 award: the 2013 rates run to 31 December 2014
        assert spine.point(47, dt.date(2014, 12, 31)).salary == Decimal(40254)
        assert spine.point(47, dt.date(2015, 1, 1)).salary == Decimal(41140)

    def test_old_spine_to_2018_new_spine_from_2019(self, council):
        assert council.spine.spine_on(dt.date(2019, 3, 31)) == "old"
        assert council.spine.spine_on(dt.date(2019, 4, 1)) == "new"

    def test_every_value_carries_its_basis_and_source(self, council):
        point = council.spine.point(18, dt.date(2017, 4, 1))
        assert point.provenance.basis == "inferred"
        assert point.provenance.inferred
        assert "reconstruction" in point.provenance.source
        published = council.spine.point(1, dt.date(2019, 4, 1))
        assert published.provenance.basis == "published" and not published.provenance.inferred

    def test_date_after_the_data_names_the_years_available(self, council):
        with pytest.raises(PayScaleError, match=r"no NJC pay spine for 2026-04-01: the data "
                           r"cover 2008-04-01 to 2026-03-31 \(pay years 2008/09 to 2025/26\)"):
            council.spine.point(20, dt.date(2026, 4, 1))

    def test_date_before_the_data(self, council):
        with pytest.raises(PayScaleError, match="no NJC pay spine for 2008-03-31"):
            council.spine.point(20, dt.date(2008, 3, 31))

    def test_missing_point_names_the_years_it_exists(self, council):
        with pytest.raises(PayScaleError, match=r"no NJC salary for scp 14 on 2013-04-01 .*"
                           r"scp 14 has values for 2016/17, 2017/18, 2018/19"):
            council.spine.point(14, dt.date(2013, 4, 1))


class TestEmployerNI:
    def test_threshold_forms(self):
        periods = pay_scales.load_employer_ni().for_tax_year(2017)
        assert len(periods) == 1
        period = periods[0]
        assert period.threshold_annual == 8164
        assert pay_scales.rules.ni_threshold(period, "monthly") == 680 * 12
        assert pay_scales.rules.ni_threshold(period, "weekly") == 157 * 52

    def test_2022_has_two_rate_periods(self):
        first, second = pay_scales.load_employer_ni().for_tax_year(2022)
        assert (first.rate, first.until) == (Decimal("0.1505"), dt.date(2022, 11, 5))
        assert (second.rate, second.effective_from) == (Decimal("0.138"), dt.date(2022, 11, 6))
        assert first.days + second.days == 365

    def test_missing_tax_year_names_nearest(self):
        with pytest.raises(PayScaleError, match=r"no employer NI data for tax year 2030/31; "
                           r"data cover 2008/09 to 2026/27 \(nearest: 2025/26, 2026/27\)"):
            pay_scales.load_employer_ni().for_tax_year(2030)


class TestGrades:
    @pytest.mark.parametrize("name", ["Hay Band A", "Band A", "band a", "  BAND   A ", "HB A"])
    def test_aliases(self, council, name):
        assert council.grades.resolve(name) == "Hay Band A"

    def test_unknown_grade_did_you_mean(self, council):
        with pytest.raises(PayScaleError, match=r"unknown grade 'Grade 6' for Nottinghamshire "
                           r"County Council; did you mean 'Grade 5'"):
            council.grades.resolve("Grade 6")

    def test_scp_outside_grade(self, council):
        with pytest.raises(PayScaleError, match=r"scp 35 is outside Hay Band A \(old spine scp "
                           r"29-34"):
            council.unit_cost("Hay Band A", 35, 2018)

    def test_unknown_bottom_is_an_error_not_a_guess(self, council):
        with pytest.raises(PayScaleError, match="Grade 3 has no known bottom point"):
            council.unit_cost("Grade 3", None, 2018, point="bottom")

    def test_grade_without_a_range(self, council):
        with pytest.raises(PayScaleError, match="Grade 1 has no scp range on the new spine"):
            council.unit_cost("Grade 1", None, 2020)

    def test_top_and_bottom(self, council):
        assert council.point("Band A", None, "top", dt.date(2018, 4, 1)) == 34
        assert council.point("Band A", None, "bottom", dt.date(2018, 4, 1)) == 29
        assert council.point("Band A", None, "top", dt.date(2019, 4, 1)) == 28


class TestUnitCost:
    """The June 2018 prices, written as the arithmetic that derives them."""

    @pytest.mark.parametrize("grade, scp, salary_2017, published", [
        ("Hay Band A", 34, 30153, 40702),
        ("Grade 5", 28, 24964, 33504),
        ("Grade 4", 23, 21268, 28376),
        ("Grade 3", 18, 18070, 23940),
    ])
    def test_council_rule_reproduces_the_report(self, council, grade, scp, salary_2017,
                                                published):
        cost = council.unit_cost(grade, scp, 2018, rule="council-2018")
        salary = Fraction(pay_scales.round_pounds(Fraction(salary_2017) * Fraction("1.02")))
        exact = salary + Fraction("0.138") * (salary - 680 * 12) + Fraction("0.222") * salary
        assert cost.salary == salary
        assert cost.cost == pay_scales.round_pounds(exact) == published
        assert [c.name for c in cost.components] == ["employer NI",
                                                     "pension and other on-costs"]

    @pytest.mark.parametrize("grade, scp, salary_2018, difference", [
        ("Hay Band A", 34, 30756, -36),
        ("Grade 5", 28, 25463, -37),
        ("Grade 4", 23, 21693, -36),
        ("Grade 3", 18, 18870, 561),
    ])
    def test_correct_2018_basis(self, council, grade, scp, salary_2018, difference):
        correct = council.unit_cost(grade, scp, 2018, rule="njc")
        exact = (Fraction(salary_2018) + Fraction("0.138") * (salary_2018 - 8424)
                 + Fraction("0.222") * salary_2018)
        assert correct.cost == pay_scales.round_pounds(exact)
        council_cost = council.unit_cost(grade, scp, 2018, rule="council-2018").cost
        assert correct.cost - council_cost == difference

    def test_2015_salaries_at_top_of_scale(self, council):
        def top(grade: str) -> Decimal:
            return council.unit_cost(grade, None, 2014, point="top", rule="salary-only",
                                     rates_on=dt.date(2015, 1, 12)).cost
        assert top("Band D") == 41140
        assert top("Scale 5") * 4 == 97888
        assert top("Band B") * 2 == 67714  # the report says 67,708: see the 2015 scenario

    def test_2022_ni_is_weighted_by_days(self, council):
        cost = council.unit_cost("Hay Band A", 28, 2022)
        ni = cost.components[0]
        s = Fraction(cost.salary)
        expected = (Fraction("0.1505") * (s - 9100) * 214 / 365
                    + Fraction("0.138") * (s - 9100) * 151 / 365)
        assert ni.amount == expected
        assert "214/365 days" in ni.formula

    def test_rule_for_another_year_is_refused(self, council):
        with pytest.raises(PayScaleError, match=r"on-cost rule 'council-2018' is for pay year "
                           r"2018/19 only, not 2019/20"):
            council.unit_cost("Band A", None, 2019, rule="council-2018")

    def test_unknown_rule(self, council):
        with pytest.raises(PayScaleError, match="unknown on-cost rule 'nope'.*rules: "
                           "council-2018, njc, salary-only"):
            council.unit_cost("Band A", None, 2018, rule="nope")

    def test_inferred_data_is_flagged(self, council):
        assert council.unit_cost("Grade 3", 18, 2018).inferred


class TestEmployerAsData:
    def copy(self, tmp_path):
        folder = tmp_path / "my-council"
        shutil.copytree(pay_scales.sources.data_dir() / "employers" / "nottinghamshire", folder)
        return folder

    def test_costed_rates_override_the_rule_and_are_labelled(self, tmp_path):
        folder = self.copy(tmp_path)
        (folder / "costed_rates.csv").write_text(
            "pay_year,grade,scp,cost,basis,source\n"
            "2018/19,Band A,34,41000,published,example rate card\n")
        employer = load_employer(folder)
        cost = employer.unit_cost("Hay Band A", 34, 2018)
        assert cost.costed_rate and cost.cost == 41000
        assert "employer-published costed rate" in cost.salary_formula
        assert not employer.unit_cost("Hay Band A", 34, 2018, costed_rates=False).costed_rate

    def test_a_rule_float_is_refused(self, tmp_path):
        folder = self.copy(tmp_path)
        text = (folder / "employer.toml").read_text()
        (folder / "employer.toml").write_text(text + '\n[rules.bad]\nni_rate = 0.02\n')
        with pytest.raises(PayScaleError, match="'ni_rate' must be a quoted decimal"):
            load_employer(folder)

    def test_unknown_rule_key(self, tmp_path):
        folder = self.copy(tmp_path)
        text = (folder / "employer.toml").read_text()
        (folder / "employer.toml").write_text(text + '\n[rules.bad]\nni_treshold = "1"\n')
        with pytest.raises(PayScaleError, match="unknown key\\(s\\) ni_treshold"):
            load_employer(folder)

    def test_unknown_employer(self):
        with pytest.raises(PayScaleError, match="unknown employer 'nowhere'; bundled "
                           "employers: .*nottinghamshire"):
            load_employer("nowhere")

    def test_folder_without_employer_file(self, tmp_path):
        with pytest.raises(PayScaleError, match="is not an employer folder"):
            load_employer(tmp_path)


def test_a_salary_formula_shows_pence_to_two_places():
    from decimal import Decimal

    import pay_scales

    employer = pay_scales.load_employer("nottinghamshire")
    assert employer.cost_of_salary(Decimal("15000.5"), 2018).salary_formula == \
        "salary £15,000.50"
    assert employer.cost_of_salary(Decimal("15000"), 2018).salary_formula == "salary £15,000"

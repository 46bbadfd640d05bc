"""Pay data before 2013/14: the NJC spine and employer NI back to 2008/09, by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import pay_scales
from pay_scales import PayScaleError, load_employer


@pytest.fixture(scope="module")
def council():
    return load_employer("nottinghamshire")


class TestSpineBefore2013:
    def test_published_anchors(self, council):
        spine = council.spine
        # rbcunison (Oct 2009): 2009/10 SCP 4 £12,145 and SCP 23 £20,198
        assert spine.point(4, dt.date(2009, 4, 1)).salary == 12145
        assert spine.point(23, dt.date(2009, 4, 1)).provenance.basis == "published"
        # the employers' 2014 offer lists the 2013/14 rates of SCP 5-11 and 49
        assert spine.point(5, dt.date(2013, 4, 1)).salary == 12435
        assert spine.point(49, dt.date(2013, 4, 1)).salary == 42032
        assert spine.point(49, dt.date(2013, 4, 1)).provenance.basis == "published"

    def test_the_freeze_keeps_2009_values_to_march_2013(self, council):
        spine = council.spine
        for year in (2009, 2010, 2011, 2012):
            assert spine.point(20, dt.date(year, 4, 1)).salary == 18453
            assert spine.point(49, dt.date(year + 1, 3, 31)).salary == 41616
        # 2013/14 is 1% on every point: £18,453 x 1.01 = £18,637.53 -> £18,638
        assert spine.point(20, dt.date(2013, 4, 1)).salary == 18638

    def test_2008_is_the_final_award_under_the_2009_award(self, council):
        spine = council.spine
        # 2009/10 = 2008/09 x 1.0125 on SCP 4-10, x 1.01 on SCP 11-49, rounded to £1
        assert spine.point(4, dt.date(2008, 4, 1)).salary == 11995    # x 1.0125 = 12,144.94
        assert spine.point(49, dt.date(2008, 4, 1)).salary == 41204   # x 1.01 = 41,616.04
        assert spine.point(20, dt.date(2008, 4, 1)).provenance.inferred

    def test_a_gap_in_a_table_is_named(self, council):
        with pytest.raises(PayScaleError, match=r"holds scp 4-11, 18-49\)"):
            council.spine.point(14, dt.date(2012, 4, 1))


class TestEmployerNIBefore2013:
    @pytest.mark.parametrize(("year", "rate", "annual", "weekly"), [
        (2008, "0.128", 5435, 105), (2009, "0.128", 5715, 110), (2010, "0.128", 5715, 110),
        (2011, "0.138", 7072, 136), (2012, "0.138", 7488, 144)])
    def test_rows(self, year, rate, annual, weekly):
        (period,) = pay_scales.load_employer_ni().for_tax_year(year)
        assert (period.rate, period.threshold_annual, period.threshold_weekly) == (
            Decimal(rate), annual, weekly)
        assert period.provenance.source

    def test_scp_20_in_2012_by_hand(self, council):
        cost = council.cost_of_salary(Decimal(18453), 2012, rule="njc")
        # 13.8% x (18,453 - 7,488) = 1,513.17; 22.2% x 18,453 = 4,096.566
        assert cost.components[0].amount == Decimal("1513.17")
        assert cost.cost == 24063   # 24,062.736 rounded
        salary_only = council.cost_of_salary(Decimal(18453), 2012, rule="salary-only")
        assert salary_only.cost == 18453

    def test_civil_service_needs_no_folder_ni_rows_any_more(self):
        civil = load_employer("civil-service")
        assert not (civil.folder / "employer_ni.csv").exists()
        assert civil.employer_ni.for_tax_year(2010)[0].rate == Decimal("0.128")


def employer_folder(tmp_path, rules: str, spine: str | None = None, grades: str = ""):
    """A small employer folder of one's own: NJC spine, one grade, the given rules."""
    folder = tmp_path / "my-council"
    folder.mkdir()
    (folder / "employer.toml").write_text(
        f'name = "My Council"\nspine = "njc"\ndefault_rule = "main"\n{rules}', encoding="utf-8")
    (folder / "grades.csv").write_text(
        "grade,spine,scp_min,scp_max,valid_from,valid_to,basis,evidence\n"
        "Scale 4,old,18,23,,2019-03-31,stated,test\n"
        f"Scale 9,new,40,45,2019-04-01,,stated,test\n{grades}", encoding="utf-8")
    if spine is not None:
        (folder / "spine.csv").write_text(
            "pay_year_start,spine,scp,annual_salary,source,basis\n" + spine, encoding="utf-8")
    return folder


class TestContractedOutRebate:
    RULES = ('[rules.main]\nni_contracted_out = true\noncosts = []\n'
             '[rules.plain]\noncosts = []\n')

    def test_2012_scp_20_by_hand(self, tmp_path):
        employer = load_employer(employer_folder(tmp_path, self.RULES))
        cost = employer.unit_cost("Scale 4", 20, 2012)
        ni, rebate = cost.components
        # 13.8% x (18,453 - 7,488) = 1,513.17; 3.4% x (18,453 - 5,564 LEL) = 438.226
        assert ni.amount == Decimal("1513.17")
        assert rebate.name == "contracted-out NI rebate"
        assert rebate.amount == Decimal("-438.226")
        assert "-3.4% x (£18,453 - £5,564)" in rebate.formula
        assert rebate.provenance[0].file == "contracted_out_rebate.csv"
        assert cost.cost == 19528    # 19,527.944
        assert employer.unit_cost("Scale 4", 20, 2012, rule="plain").cost == 19966

    def test_band_stops_at_the_upper_accrual_point(self, tmp_path):
        employer = load_employer(employer_folder(tmp_path, self.RULES))
        cost = employer.cost_of_salary(Decimal(45000), 2010)
        # 12.8% x (45,000 - 5,715) = 5,028.48; rebate 3.7% x (40,040 - 5,044) = 1,294.852
        assert [c.amount for c in cost.components] == [Decimal("5028.48"), Decimal("-1294.852")]
        assert cost.cost == 48734

    def test_no_rebate_from_2016(self, tmp_path):
        employer = load_employer(employer_folder(tmp_path, self.RULES))
        assert [c.name for c in employer.cost_of_salary(Decimal(30000), 2016).components] == [
            "employer NI"]
        assert len(employer.cost_of_salary(Decimal(30000), 2015).components) == 2

    def test_a_year_without_rebate_data_is_an_error(self, tmp_path):
        rules = ('[rules.main]\nni_contracted_out = true\nni_rate = "0.128"\n'
                 'ni_threshold = "5000"\noncosts = []\n')
        employer = load_employer(employer_folder(tmp_path, rules))
        with pytest.raises(PayScaleError, match="no contracted-out rebate data for tax year "
                           "2007/08 .*ni_contracted_out = false"):
            employer.cost_of_salary(Decimal(20000), 2007)

    def test_key_must_be_a_boolean(self, tmp_path):
        with pytest.raises(PayScaleError, match="'ni_contracted_out' must be true or false"):
            load_employer(employer_folder(tmp_path, '[rules.main]\nni_contracted_out = "yes"\n'))

    def test_the_basis_line_says_when_ni_ignores_the_rebate(self, tmp_path):
        from establishment import PayBasis

        folder = str(employer_folder(tmp_path, self.RULES))
        plain = PayBasis(employer=folder, pay_year=2012, rule="plain").describe()
        assert "the rule does not declare ni_contracted_out, so the contracted-out rebate" in plain
        assert "ni_contracted_out" not in PayBasis(employer=folder, pay_year=2016,
                                                   rule="plain").describe()
        assert "less the contracted-out rebate" in PayBasis(employer=folder,
                                                            pay_year=2012).describe()


class TestRuleWithItsOwnNI:
    def test_needs_no_ni_table_row(self, tmp_path):
        rules = '[rules.main]\nni_rate = "0.128"\nni_threshold = "5000"\noncosts = []\n'
        employer = load_employer(employer_folder(tmp_path, rules))
        cost = employer.cost_of_salary(Decimal(20000), 2005)
        # 12.8% x (20,000 - 5,000) = 1,920: no NI table row for 2005/06 needed
        assert cost.cost == 21920
        assert cost.components[0].provenance[0].file == "employer rule main"

    def test_a_rate_alone_still_needs_the_table(self, tmp_path):
        rules = '[rules.main]\nni_rate = "0.128"\noncosts = []\n'
        employer = load_employer(employer_folder(tmp_path, rules))
        with pytest.raises(PayScaleError, match="no employer NI data for tax year 2005/06"):
            employer.cost_of_salary(Decimal(20000), 2005)


class TestEmployerSpine:
    RULES = '[rules.main]\nni = false\noncosts = []\n'

    def test_a_row_replaces_the_national_value_and_says_where_it_came_from(self, tmp_path):
        spine = "2012-04-01,old,20,18500,local pay agreement 2012,published\n"
        employer = load_employer(employer_folder(tmp_path, self.RULES, spine))
        cost = employer.unit_cost("Scale 4", 20, 2012)
        assert cost.cost == 18500
        assert "(my-council/spine.csv): £18,500" in cost.salary_formula
        national = employer.unit_cost("Scale 4", 21, 2012)
        assert national.cost == 19126 and "(njc_pay_spine.csv)" in national.salary_formula
        assert load_employer("nottinghamshire").spine.point(
            20, dt.date(2012, 4, 1)).salary == 18453   # the national spine is unchanged

    def test_local_points_above_the_maximum_and_years_before_2008(self, tmp_path):
        spine = ("2025-04-01,new,44,58000,local scale L1,published\n"
                 "2025-04-01,new,45,59500,local scale L2,published\n"
                 "2007-04-01,old,20,17782,2007/08 pay scales of my council,published\n")
        employer = load_employer(employer_folder(tmp_path, self.RULES, spine))
        assert employer.unit_cost("Scale 9", 45, 2025).cost == 59500
        assert employer.unit_cost("Scale 9", 43, 2025).cost == employer.spine.point(
            43, dt.date(2025, 4, 1)).salary   # national points stay
        assert employer.unit_cost("Scale 4", 20, 2007).cost == 17782
        with pytest.raises(PayScaleError, match=r"no NJC salary for scp 21 on 2007-04-01 "
                           r"\(table of 2007-04-01, old spine, holds scp 20\)"):
            employer.unit_cost("Scale 4", 21, 2007)

    def test_a_row_naming_the_wrong_spine_is_located(self, tmp_path):
        spine = "2012-04-01,old,20,18500,x,published\n2019-04-01,old,44,50000,x,published\n"
        folder = employer_folder(tmp_path, self.RULES, spine)
        with pytest.raises(PayScaleError, match="national table of 2019-04-01 is the 'new' "
                           "spine, not 'old'") as caught:
            load_employer(folder)
        assert str(caught.value.source).endswith("spine.csv:3")

    def test_duplicate_rows_are_located(self, tmp_path):
        spine = "2012-04-01,old,20,18500,x,published\n2012-04-01,old,20,18600,x,published\n"
        with pytest.raises(PayScaleError, match="duplicate scp 20 for 2012-04-01"):
            load_employer(employer_folder(tmp_path, self.RULES, spine))

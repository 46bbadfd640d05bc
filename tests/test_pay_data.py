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

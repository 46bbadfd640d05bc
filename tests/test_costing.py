"""Costing: seed figures exactly, period proration, and the properties costs must keep."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pay_scales
from establishment import CostingError, PayBasis, Payment, Post, Structure, ValidationError
from establishment.engine.costing import cost
from tests.strategies import posts, structures

COUNCIL = PayBasis(employer="nottinghamshire", pay_year="2018/19", rule="council-2018")
CORRECT = PayBasis(employer="nottinghamshire", pay_year="2018/19", rule="njc")
JULY, MARCH = dt.date(2018, 7, 1), dt.date(2019, 3, 31)
FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def decision_2018() -> Structure:
    """The posts of the June 2018 report, paragraph 6, and the honorarium of paragraph 7."""
    dates = {"start": JULY, "end": MARCH}
    return Structure("2018", [
        Post("Reviewing Officer", 2, "Hay Band A", 34, reference="RO", **dates),
        Post("Assessment Officer", 2, "Grade 5", 28, reference="AO", **dates),
        Post("Service Organiser", 2, "Grade 4", 23, reference="SO", **dates),
        Post("Commissioning Officer", 1, "Hay Band A", 34, reference="CO", **dates),
        Post("Commissioning Assistant", "1.5", "Grade 3", 18, reference="CA", **dates),
    ], [Payment("Honorarium", 3161, per="total", reference="HON", **dates)])


class TestSeed2018:
    def test_line_figures_and_totals(self):
        costing = cost(decision_2018(), COUNCIL)
        assert list(costing.lines["full_year"]) == [81404, 67008, 56752, 40702, 35910, 3161]
        assert costing.posts_full_year == 281776
        assert costing.payments_full_year == 3161
        assert costing.full_year == 284937
        assert costing.fte == Decimal("8.5")

    def test_period_is_274_of_365_days(self):
        costing = cost(decision_2018(), COUNCIL, period=(JULY, MARCH))
        for index, line in enumerate(costing.lines.itertuples()):
            if line.kind == "post":
                exact = Fraction(line.fte_e4, 10_000) * int(costing.unit_cost(index).cost) \
                    * 274 / 365
                assert line.period == pay_scales.round_pounds(exact)
        assert costing.posts_period == 211525  # 281,776 x 274/365 = 211,524.997 on the total
        assert costing.period_total == 211525 + 3161

    def test_full_year_and_period_are_separate_figures(self):
        costing = cost(decision_2018(), COUNCIL)
        with pytest.raises(Exception, match="'period' must be given when costing"):
            costing.period_total  # noqa: B018

    def test_correct_basis_differs_from_the_published_prices(self):
        council = cost(decision_2018(), COUNCIL)
        correct = cost(decision_2018(), CORRECT)
        differences = [int(correct.unit_cost(i).cost - council.unit_cost(i).cost)
                       for i in range(5)]
        assert differences == [-36, -37, -36, -36, 561]
        grade_3_line = pay_scales.round_pounds(Fraction(3, 2) * 24501) - 35910  # 36,751.5 -> 36,752
        assert correct.full_year - council.full_year == (2 * -36 + 2 * -37 + 2 * -36 - 36
                                                         + grade_3_line) == 588


class TestPeriods:
    def test_period_across_1_april_uses_both_years_rates(self):
        structure = Structure("s", [Post("Officer", 1, "Hay Band A", 34)])
        start, end = dt.date(2018, 10, 1), dt.date(2019, 9, 30)
        costing = cost(structure, CORRECT, period=(start, end))
        old = int(pay_scales.load_employer().unit_cost("Hay Band A", 34, 2018).cost)
        # on 1 April 2019 old scp 34 assimilated to new scp 28 (the published mapping)
        new = int(pay_scales.load_employer().unit_cost("Hay Band A", 28, 2019).cost)
        assert old != new
        exact = Fraction(old * 182, 365) + Fraction(new * 183, 366)
        assert costing.period_total == pay_scales.round_pounds(exact)

    def test_a_new_spine_point_cannot_be_carried_back(self):
        structure = Structure("s", [Post("Officer", 1, "Hay Band A", 28)])
        basis = CORRECT.evolve(pay_year=2019)
        with pytest.raises(CostingError, match="scp 28 of the new spine \\(2019/20\\) has no "
                           "published point on the old spine \\(2018/19\\)"):
            cost(structure, basis, period=(dt.date(2019, 3, 1), dt.date(2019, 4, 30)))

    def test_whole_pay_year_period_equals_full_year(self):
        structure = decision_2018().evolve(payments=())
        structure = structure.with_posts(p.evolve(start=None, end=None) for p in structure.posts)
        costing = cost(structure, COUNCIL, period=(dt.date(2018, 4, 1), dt.date(2019, 3, 31)))
        assert list(costing.lines["period"]) == list(costing.lines["full_year"])

    def test_post_outside_period_costs_nothing(self):
        structure = Structure("s", [Post("Officer", 1, "Grade 4", 23, end="2018-06-30")])
        assert cost(structure, CORRECT, period=(JULY, MARCH)).period_total == 0

    def test_period_beyond_a_one_year_rule_is_an_error(self):
        with pytest.raises(CostingError, match="is for pay year 2018/19 only, not 2019/20"):
            cost(decision_2018(), COUNCIL, period=(JULY, dt.date(2019, 6, 30)))

    def test_period_end_before_start(self):
        with pytest.raises(CostingError, match="period end 2018-06-30 is before its start"):
            cost(decision_2018(), COUNCIL, period=(JULY, dt.date(2018, 6, 30)))

    def test_annual_payment_prorates_and_lump_sum_splits_by_its_own_days(self):
        structure = Structure("s", payments=[
            Payment("Allowance", 3650, per="year"),
            Payment("Project fee", 1000, per="total", start="2018-03-01", end="2018-04-29"),
        ])
        costing = cost(structure, CORRECT, period=(dt.date(2018, 4, 1), dt.date(2018, 4, 10)))
        assert list(costing.lines["period"]) == [100, 167]  # 3650 x 10/365; 1000 x 10/60
        assert list(costing.lines["full_year"]) == [3650, 1000]


class TestCostingErrors:
    def test_every_uncostable_line_is_reported_with_its_post(self):
        structure = Structure("s", [
            Post("A", 1, "Hay Band A", 40, reference="A1"),
            Post("B", 1, "Band Q", reference="B1"),
            Post("C", 1, "Grade 4", 23),
        ])
        with pytest.raises(CostingError) as info:
            cost(structure, CORRECT)
        message = str(info.value)
        assert "post A1: [scp] scp 40 is outside Hay Band A" in message
        assert "post B1: [grade] unknown grade 'Band Q'" in message
        assert "post C" not in message
        # the problems are values: where, which field, what was found
        found = {(p.file, p.field, p.found) for p in info.value.problems}
        assert found == {("post A1", "scp", 40), ("post B1", "grade", "Band Q")}

    def test_explicit_costs(self):
        structure = Structure("s", [Post("Adviser", 2, "", cost_per_fte="45000.50"),
                                    Post("Analyst", 1, "G7", salary=40000)])
        costing = cost(structure, CORRECT)
        salary = Fraction(40000)
        analyst = salary + Fraction("0.138") * (salary - 8424) + Fraction("0.222") * salary
        # a typed cost per fte is rounded to £1 like every other (£45,000.50 -> £45,001), then
        # x 2 fte: £90,002, not 2 x £45,000.50 = £90,001
        assert list(costing.lines["full_year"]) == [90002, pay_scales.round_pounds(analyst)]
        assert costing.unit_pence[0] == 4500100


def _alone(post: Post, basis: PayBasis) -> Decimal:
    return cost(Structure("one", [post]), basis).full_year


class TestProperties:
    @FAST
    @given(structures(max_posts=6))
    def test_structure_cost_is_the_sum_of_its_lines(self, structure):
        costing = cost(structure, CORRECT)
        alone = sum((_alone(p, CORRECT) for p in structure.posts), Decimal(0))
        alone += sum((cost(Structure("one", payments=[p]), CORRECT).full_year
                      for p in structure.payments), Decimal(0))
        assert costing.full_year == alone

    @FAST
    @given(structures(max_posts=6), st.randoms(use_true_random=False))
    def test_order_of_posts_does_not_matter(self, structure, rng):
        shuffled = list(structure.posts)
        rng.shuffle(shuffled)
        period = (JULY, MARCH)
        one = cost(structure, CORRECT, period=period)
        two = cost(structure.with_posts(shuffled), CORRECT, period=period)
        assert (one.full_year, one.period_total) == (two.full_year, two.period_total)
        assert one.by("team").sort_index().equals(two.by("team").sort_index())

    @FAST
    @given(posts(), st.integers(min_value=1, max_value=8))
    def test_cost_scales_linearly_with_fte(self, post, factor):
        unit = _alone(post.evolve(fte=1), CORRECT)
        scaled = _alone(post.evolve(fte=post.fte * factor), CORRECT)
        assert scaled == pay_scales.round_pounds(Fraction(post.fte * factor) * Fraction(unit))
        whole = post.evolve(fte=factor)
        assert _alone(whole, CORRECT) == factor * unit

    @FAST
    @given(structures(max_posts=6), st.dates(dt.date(2018, 4, 1), dt.date(2019, 3, 31)),
           st.integers(min_value=0, max_value=364))
    def test_period_cost_never_exceeds_full_year(self, structure, start, length):
        end = min(start + dt.timedelta(days=length), dt.date(2019, 3, 31))
        costing = cost(structure, CORRECT, period=(start, end))
        assert all(p <= f for p, f in zip(costing.lines["period"], costing.lines["full_year"]))
        assert costing.period_total <= costing.full_year

    @FAST
    @given(structures(max_posts=6))
    def test_funding_splits_add_up_to_the_total(self, structure):
        costing = cost(structure, CORRECT, period=(JULY, MARCH))
        by_funding = costing.by_funding()
        assert sum(by_funding["full_year"], Decimal(0)) == costing.full_year
        assert sum(by_funding["period"], Decimal(0)) == costing.period_total


class TestCostingIsAValue:
    def costing(self):
        return cost(Structure("s", [Post("A", 1, "Grade 4", 23), Post("B", 2, "Grade 5", 28)]),
            PayBasis("nottinghamshire", pay_year=2018, rule="council-2018"))

    def test_changing_its_frame_never_changes_the_costing(self):
        costing = self.costing()
        before = costing.full_year
        frame = costing.to_frame()
        frame.loc[0, "full_year"] = 1
        lines = costing.lines
        lines.loc[0, "full_year"] = 1
        assert costing.full_year == before
        assert costing.to_frame()["full_year"].tolist() == costing.full_year_lines.tolist()

    def test_its_arrays_are_read_only_int64(self):
        costing = self.costing()
        for values in (costing.full_year_lines, costing.unit_pence, costing.fte_lines):
            assert values.dtype == np.int64 and not values.flags.writeable
            with pytest.raises(ValueError, match="read-only"):
                values[0] = 1
        assert sum(costing.full_year_lines.tolist()) == costing.full_year

    def test_period_lines_without_a_period_is_an_error(self):
        with pytest.raises(ValidationError, match="'period' must be given when costing"):
            self.costing().period_lines  # noqa: B018

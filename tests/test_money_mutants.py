"""Tests that kill three mutants issue 21's mutation run left alive: each asserts the real
figure a wrong rule would change."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from establishment import PayBasis, Post, Structure, cost
from establishment.engine.costing import range_salary
from establishment.model.funding import (
    add_lines_by_source,
    split_pence,
    split_pence_array,
    to_funding,
)
from establishment.operations.diff import diff

PENNY = PayBasis("nottinghamshire", 2018, rule="council-2018", round_to="penny")


def test_a_pay_range_midpoint_rounds_its_half_penny_up():
    """£20,000.00 to £20,000.01 has its midpoint at £20,000.005: the one rule (half up) makes it
    £20,000.01, never £20,000.00."""
    assert range_salary(2_000_000, 2_000_001, "midpoint") == 2_000_001
    assert range_salary(2_000_000, 2_000_002, "midpoint") == 2_000_001
    assert range_salary(-3, 0, "midpoint") == -1  # -1.5 rounds up to -1 (toward +inf)
    even = Post("Officer", 1, "Range", salary_min="20000", salary_max="20000.02")
    odd = Post("Officer", 1, "Range", salary_min="20000", salary_max="20000.01")
    basis = PayBasis("civil-service", 2018, round_to="penny", range_point="midpoint")
    costed = [cost(Structure("s", [p]), basis).unit_pence[0] for p in (even, odd)]
    assert costed[0] == costed[1]  # both midpoints are £20,000.01


def test_a_tie_in_the_largest_remainder_goes_to_the_earlier_share():
    assert split_pence(1, [Decimal(50), Decimal(50)]) == [1, 0]
    assert split_pence(-1, [Decimal(50), Decimal(50)]) == [-1, 0]
    assert split_pence(100_001, [Decimal(50), Decimal(50)]) == [50_001, 50_000]
    assert split_pence(2, [Decimal(25)] * 4) == [1, 1, 0, 0]
    parts = split_pence_array(np.array([1, 3, -1]), [Decimal(50), Decimal(50)])
    assert [p.tolist() for p in parts] == [[1, 2, -1], [0, 1, 0]]
    totals: dict[str, int] = {}
    add_lines_by_source(totals, [to_funding({"A": 50, "B": 50})], [100_001])
    assert totals == {"A": 5_000_100, "B": 5_000_000}


def test_a_post_in_hours_is_not_a_change_when_another_line_changes_the_denominator():
    """Two frames with different fte denominators (after holds an fte to seven places): the
    unchanged post in hours is compared as a fraction, not by numerator."""
    hours = Post("Part-timer", None, "Hay Band A", 34, team="T", hours=Decimal("18.5"),
                 reference="P")
    before = Structure("b", [hours])
    after = Structure("a", [hours, Post("Other", Decimal("0.1234567"), "Grade 5", 28,
                                        team="T", reference="O")])
    result = diff(before, after, PENNY)
    assert [c.kind for c in result.changes] == ["establish"]
    assert result.net_full_year == cost(after, PENNY).full_year - cost(before, PENNY).full_year

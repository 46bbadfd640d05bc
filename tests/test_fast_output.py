"""Large tables written directly (establishment.tables.fast) are byte for byte what the
ordinary table and renderer write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from establishment import PayBasis, Payment, Post, Structure
from establishment.tables import committee_table, render
from establishment.tables.fast import committee_csv

BASIS = PayBasis("nottinghamshire", pay_year="2018/19", rule="council-2018")


def structure() -> Structure:
    posts = [
        Post("Reviewing Officer", 2, "Hay Band A", scp=34, reference="R1"),
        Post('Officer, "senior"', Decimal("0.5"), "Grade 5", scp=22, status="vacant"),
        Post("=HYPERLINK(x)", Decimal("1.5"), "Hay Band B", team="ICDS",
             end=dt.date(2019, 1, 31)),
        Post("Team Manager", 1, "Hay Band D", start=dt.date(2019, 6, 1)),  # not in force
        Post("Consultant", 1, "", cost_per_fte=Decimal("50000.50")),
        Post("Top of grade", 1, "Grade 4"),
        Post("Line\nbreak", Decimal("0.25"), "Grade 3", scp=16, funding="Core 60%; Grant 40%"),
    ]
    payments = [Payment("Honorarium", Decimal("1200"), per="total", start=dt.date(2018, 7, 1),
                        end=dt.date(2018, 12, 31)),
                Payment("Allowance", Decimal("-300.50"))]
    return Structure("Team", posts, payments)


@pytest.mark.parametrize("period", [None, (dt.date(2018, 7, 1), dt.date(2019, 3, 31))])
@pytest.mark.parametrize("point", ["actual", "top"])
def test_the_fast_committee_csv_is_the_ordinary_one(period, point):
    costing = structure().cost(BASIS.evolve(point=point), period=period)
    assert committee_csv(costing) == render(committee_table(costing, "Team"), "csv")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B, c", "'x", "-1"]),
                          st.sampled_from(["1", "0.5", "0.3333", "2"]),
                          st.sampled_from([("Hay Band A", 30), ("Grade 5", None),
                                           ("Grade 4", 20)])), min_size=1, max_size=30))
def test_generated_costings_write_the_same_csv_both_ways(rows):
    posts = [Post(title, Decimal(fte), grade, scp=scp) for title, fte, (grade, scp) in rows]
    costing = Structure("S", posts).cost(BASIS)
    assert committee_csv(costing) == render(committee_table(costing), "csv")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([(), ("Core", 100), ("Core", 60, "Grant", 40),
                                           ("Grant", 33.33, "Core", 66.67), ("Grant", 100)]),
                          st.integers(-10**6, 10**6)), max_size=40), st.sampled_from([1, -1]))
def test_funding_totals_of_many_lines_are_those_of_each_line(lines, sign):
    """add_lines_by_source (grouped, vectorised) == add_by_source line by line: the same
    pence per source, in the same order."""
    from establishment.funding import add_by_source, add_lines_by_source, to_funding

    def funding(spec):
        return to_funding([(spec[i], Decimal(str(spec[i + 1]))) for i in range(0, len(spec), 2)])

    fundings = [funding(spec) for spec, _ in lines]
    amounts = [amount for _, amount in lines]
    one: dict[str, int] = {}
    for shares, amount in zip(fundings, amounts):
        add_by_source(one, shares, amount, sign)
    two: dict[str, int] = {}
    add_lines_by_source(two, fundings, amounts, sign)
    assert list(one.items()) == list(two.items())

"""The vectorised engine agrees with a plain per-post Decimal computation.

The oracle here does not use the engine: each post's cost per fte comes from
``Employer.unit_cost`` (the object path) and the line arithmetic is done with Fractions, post by
post, with the one rounding rule. Structures are generated (hypothesis), so the engine's
integer key slots, caching and int64 shortcuts are checked against it on many shapes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pay_scales
from establishment import PayBasis, Post, Structure
from establishment.engine.costing import (
    PreparedFrame,
    UnitCosts,
    cost,
    cost_frame,
    full_year_pounds,
    key_codes,
    round_div,
    totals_by,
)
from establishment.io.dataframe import structure_from_frame
from establishment.model.frame import FTE_SCALE
from pay_scales.dates import days_in_pay_year, pay_year_end, pay_year_of, pay_year_start
from pay_scales.rounding import round_pounds
from tests.strategies import structures

EMPLOYER = pay_scales.load_employer("nottinghamshire")
BASES = [PayBasis("nottinghamshire", pay_year=2018, rule="njc"),
         PayBasis("nottinghamshire", pay_year=2018, rule="council-2018"),
         PayBasis("nottinghamshire", pay_year=2018, point="top"),
         PayBasis("nottinghamshire", pay_year=2018, rule="salary-only")]


def oracle_unit(post: Post, basis: PayBasis, year: int) -> Fraction:
    point = basis.point
    return Fraction(EMPLOYER.unit_cost(post.grade, post.scp, year, point=point,
                                       rule=basis.rule).cost)


def oracle_full_year(structure: Structure, basis: PayBasis) -> list[int]:
    lines = []
    for post in structure.posts:
        lines.append(int(round_pounds(Fraction(post.fte) * oracle_unit(post, basis,
                                                                       basis.pay_year))))
    for payment in structure.payments:
        lines.append(int(round_pounds(payment.amount)))
    return lines


def _days(start: dt.date | None, end: dt.date | None, first: dt.date, last: dt.date) -> int:
    lo = max(start or first, first)
    hi = min(end or last, last)
    return max((hi - lo).days + 1, 0)


def oracle_period(structure: Structure, basis: PayBasis, start: dt.date, end: dt.date
                  ) -> list[int]:
    lines = []
    for post in structure.posts:
        exact = Fraction(0)
        for year in range(pay_year_of(start), pay_year_of(end) + 1):
            first, last = max(start, pay_year_start(year)), min(end, pay_year_end(year))
            days = _days(post.start, post.end, first, last)
            exact += (Fraction(post.fte) * oracle_unit(post, basis, year) * days
                      / days_in_pay_year(year))
        lines.append(int(round_pounds(exact)))
    for payment in structure.payments:
        if payment.per == "total":
            span = (payment.end - payment.start).days + 1
            inside = _days(payment.start, payment.end, start, end)
            lines.append(int(round_pounds(Fraction(payment.amount) * inside / span)))
        else:
            exact = Fraction(0)
            for year in range(pay_year_of(start), pay_year_of(end) + 1):
                first, last = max(start, pay_year_start(year)), min(end, pay_year_end(year))
                days = _days(payment.start, payment.end, first, last)
                exact += Fraction(payment.amount) * days / days_in_pay_year(year)
            lines.append(int(round_pounds(exact)))
    return lines


@settings(max_examples=40, deadline=None)
@given(structures(max_posts=12), st.sampled_from(BASES))
def test_full_year_agrees_with_per_post_decimal(structure, basis):
    costing = cost(structure, basis)
    assert list(costing.lines["full_year"]) == oracle_full_year(structure, basis)
    assert costing.full_year == sum(oracle_full_year(structure, basis))


@settings(max_examples=40, deadline=None)
@given(structures(max_posts=10), st.dates(dt.date(2018, 4, 1), dt.date(2019, 3, 31)),
       st.integers(0, 364))
def test_period_agrees_with_per_post_fractions(structure, start, length):
    basis = PayBasis("nottinghamshire", pay_year=2018, rule="njc")
    end = min(start + dt.timedelta(days=length), dt.date(2019, 3, 31))
    costing = cost(structure, basis, period=(start, end))
    assert list(costing.lines["period"]) == oracle_period(structure, basis, start, end)


@settings(max_examples=25, deadline=None)
@given(structures(max_posts=12, with_payments=False))
def test_categorical_columns_cost_the_same(structure):
    basis = PayBasis("nottinghamshire", pay_year=2018)
    frame = structure.to_frame()
    plain, _ = cost_frame(frame, basis)
    categorical = frame.copy()
    for column in ("kind", "grade", "team", "title", "status"):
        categorical[column] = categorical[column].astype("category")
    coded, _ = cost_frame(categorical, basis)
    assert list(coded["full_year"]) == list(plain["full_year"])
    assert list(coded["unit_pence"]) == list(plain["unit_pence"])
    by_team = totals_by(coded, "team")["full_year"]
    assert by_team.sum() == plain["full_year"].sum()


@settings(max_examples=40, deadline=None)
@given(structures(max_posts=15))
def test_key_codes_partition_rows_like_groupby(structure):
    frame = structure.to_frame()
    codes, keys = key_codes(frame)
    columns = ["grade", "scp", "cost_per_fte_pence", "salary_pence", "salary_min_pence",
               "salary_max_pence"]
    expected = frame.groupby(columns, dropna=False, sort=False).ngroup().to_numpy()
    assert len(keys) == len(set(expected.tolist()))
    # same partition: two rows share a code exactly when they share a key
    pairs = set(zip(codes.tolist(), expected.tolist()))
    assert len(pairs) == len(keys)
    for row, code in enumerate(codes):
        assert keys[code] == tuple(frame.loc[row, columns])


def test_explicit_salaries_and_wide_money_columns_use_the_factorised_path():
    posts = [Post("Analyst", 1, "", salary=Decimal(20_000 + 7919 * i)) for i in range(30)]
    posts += [Post("Lead", "0.5", "", cost_per_fte=Decimal("91234.56"))]
    structure = Structure("s", posts)
    basis = PayBasis("nottinghamshire", pay_year=2019)
    costing = cost(structure, basis)
    for index, post in enumerate(posts[:-1]):
        unit = EMPLOYER.cost_of_salary(post.salary, 2019).cost
        assert costing.lines["full_year"][index] == int(round_pounds(Fraction(unit)))
    # the typed £91,234.56 is rounded to £91,235 like every cost per fte: 0.5 x it = £45,617.50
    assert costing.lines["full_year"].iloc[-1] == 45618


def test_unit_costs_cache_returns_the_same_figures_twice():
    structure = Structure("s", [Post("Officer", 1, "Hay Band A", 34)])
    first = cost(structure, PayBasis("nottinghamshire", pay_year=2018)).full_year
    second = cost(structure, PayBasis("nottinghamshire", pay_year=2018)).full_year
    other = cost(structure,
                 PayBasis("nottinghamshire", pay_year=2018, rule="salary-only")).full_year
    # £30,756 + 13.8% x (£30,756 - £8,424) + 22.2% x £30,756 = £40,665.65
    assert first == second == 40666
    assert other == 30756


def test_uncostable_rows_are_all_reported_with_their_posts():
    structure = Structure("s", [Post("A", 1, "Hay Band A", 40, reference="A1"),
                                Post("B", 1, "Grade 4", 2, reference="B1")])
    from establishment.errors import CostingError

    with pytest.raises(CostingError) as caught:
        cost(structure, PayBasis("nottinghamshire", pay_year=2018))
    assert "post A1" in str(caught.value) and "post B1" in str(caught.value)


@given(st.lists(st.integers(-10**15, 10**15), min_size=1, max_size=30),
       st.integers(1, 10**7))
def test_round_div_is_half_away_from_zero(values, denominator):
    result = round_div(np.array(values, dtype=np.int64), denominator)
    for value, got in zip(values, result):
        assert got == int(round_pounds(Fraction(value, denominator)))


def test_full_year_pounds_falls_back_to_python_integers_on_overflow():
    frame = pd.DataFrame({"fte_e4": np.array([3 * 10**9, FTE_SCALE], dtype=np.int64)})
    unit = np.array([4 * 10**9, 12345], dtype=np.int64)
    result = full_year_pounds(frame, unit)
    assert int(result[0]) == (3 * 10**9 * 4 * 10**9 + 500_000) // 1_000_000
    assert int(result[1]) == 123  # £123.45 rounds down


def test_unit_costs_codes_and_first_rows():
    structure = Structure("s", [Post("A", 1, "Grade 4", 23), Post("B", 2, "Grade 5", 28),
                                Post("C", 1, "Grade 4", 23)])
    units = UnitCosts(structure.to_frame(), PayBasis("nottinghamshire", pay_year=2018))
    assert units.codes[0] == units.codes[2] != units.codes[1]
    assert sorted(units.first_row.tolist()) == [0, 1]


@settings(max_examples=20, deadline=None)
@given(structures(max_posts=10, with_payments=False), st.data())
def test_a_frame_changed_in_place_is_costed_afresh(structure, data):
    """A frame changed in place after a costing is costed on its new values."""
    basis = PayBasis("nottinghamshire", pay_year=2018, point="top")
    frame = structure.to_frame()
    cost_frame(frame, basis)  # remembered
    if len(frame):
        row = data.draw(st.integers(0, len(frame) - 1))
        frame.loc[row, "grade"] = data.draw(st.sampled_from(["Grade 4", "Hay Band D"]))
        frame.loc[row, "fte_e4"] = 5_000
    again, _ = cost_frame(frame, basis)
    fresh, _ = cost_frame(frame.copy(deep=True), basis)
    expected = cost(structure_from_frame(frame), basis).lines["full_year"].tolist()
    assert again["full_year"].tolist() == fresh["full_year"].tolist() == expected


def test_a_prepared_frame_finds_its_keys_once_and_shares_them_read_only():
    frame = Structure("s", [Post("A", 1, "Grade 4", 23), Post("B", 1, "Grade 5", 28)]).to_frame()
    lines = PreparedFrame(frame)
    first = UnitCosts(lines, PayBasis("nottinghamshire", pay_year=2018))
    second = UnitCosts(lines, PayBasis("nottinghamshire", pay_year=2018, rule="salary-only"))
    slots = lines.key_slots[0]
    assert lines.key_slots is lines.key_slots and not slots.flags.writeable
    assert first.codes.tolist() == second.codes.tolist() == [0, 1]
    # a plain frame is prepared afresh each time: nothing is remembered between calls
    assert UnitCosts(frame, PayBasis("nottinghamshire", pay_year=2018)).codes is not first.codes


def test_the_engine_keeps_no_module_level_frame_cache():
    import establishment.engine.costing as engine

    caches = [name for name, value in vars(engine).items()
              if isinstance(value, dict) and "SLOT" in name.upper()]
    assert caches == []

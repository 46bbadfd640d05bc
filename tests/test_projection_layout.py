"""How a projection finds its line-months, and what it holds in memory: the same figures.

A projection computes the months of each group of post lines that cost alike (same unit costs
month by month, same fte x (1 - vacancy factor)) once, copies them to every line of the group
in the pay years the line's dates cover whole, and computes a line on its own only in the pay
years its start or end cuts (and payments everywhere). ``group_lines=False`` computes every
line-month on its own: both must give identical amounts, flags, components and roll-ups.
Line-months are held in int32 when every figure provably fits, components are computed on
demand, and roll-ups sum them a chunk of lines at a time.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from establishment import PayBasis, Payment, Post, Structure
from establishment.operations.projection import projection
from tests.strategies import NEW_SPINE_GRADES, TEAMS, fundings

NJC = PayBasis("nottinghamshire", pay_year=2019, rule="njc")


@st.composite
def templates(draw: st.DrawFn) -> tuple:
    grade = draw(st.sampled_from(sorted(NEW_SPINE_GRADES)))
    scp = draw(st.one_of(st.none(), st.sampled_from(NEW_SPINE_GRADES[grade])))
    fte = Decimal(draw(st.sampled_from([1, 2, 3, 4]))) / 4
    increment = draw(st.one_of(st.none(), st.dates(dt.date(2000, 1, 1),
                                                   dt.date(2000, 12, 31))))
    return grade, scp, fte, increment


@st.composite
def look_alike_structures(draw: st.DrawFn) -> Structure:
    """Many posts from a few templates (so groups hold several lines), with dates open,
    cutting a pay year, or outside the window; sometimes payments of both kinds."""
    kinds = draw(st.lists(templates(), min_size=1, max_size=3))
    posts = []
    for index in range(draw(st.integers(1, 14))):
        grade, scp, fte, increment = draw(st.sampled_from(kinds))
        start = draw(st.one_of(st.none(), st.dates(dt.date(2018, 6, 1), dt.date(2022, 6, 1))))
        end = draw(st.one_of(st.none(), st.dates(start or dt.date(2018, 6, 1),
                                                 dt.date(2023, 1, 1))))
        posts.append(Post(f"Post {index}", fte, grade, scp, team=draw(st.sampled_from(TEAMS)),
                          funding=draw(fundings()), start=start, end=end,
                          status=draw(st.sampled_from(["filled", "vacant"])),
                          increment_date=increment))
    payments = []
    for index in range(draw(st.integers(0, 2))):
        start = dt.date(2019, 4, 1) + dt.timedelta(days=draw(st.integers(0, 600)))
        end = start + dt.timedelta(days=draw(st.integers(0, 500)))
        payments.append(Payment(f"Payment {index}",
                                Decimal(draw(st.integers(-500_000, 900_000))) / 100,
                                per=draw(st.sampled_from(["year", "total"])), start=start,
                                end=end, funding=draw(fundings())))
    return Structure("alike", posts, payments)


def assert_same(one, two) -> None:
    assert np.array_equal(one.amounts, two.amounts)
    assert np.array_equal(one.approximate, two.approximate)
    assert list(one.components) == list(two.components)
    for name, values in one.components.items():
        assert np.array_equal(values, two.components[name]), name
    for by in (None, "team", "funding"):
        assert one.monthly(by).equals(two.monthly(by)), by


@settings(max_examples=60, deadline=None)
@given(look_alike_structures(), st.sampled_from(["0", "3%", "0.125"]),
       st.sampled_from(["cost", "exclude"]), st.sampled_from(["actual", "top"]),
       st.sampled_from([("2019-04", 36), ("2019-10", 30), ("2020-02", 13), ("2019-04", 1)]))
def test_grouped_lines_give_the_figures_of_lines_computed_alone(structure, factor, vacant,
                                                                point, window):
    basis = NJC.evolve(point=point)
    start, months = window
    options = dict(vacancy_factor=factor, vacant=vacant, award="2%")
    grouped = projection(structure, basis, start, months, **options)
    alone = projection(structure, basis, start, months, group_lines=False, **options)
    assert_same(grouped, alone)
    # and each line costs what it costs in a structure of its own
    for index, post in enumerate(structure.posts[:3]):
        single = projection(Structure("one", [post]), basis, start, months, **options)
        assert np.array_equal(grouped.amounts[index], single.amounts[0])


def test_components_of_every_chunk_keep_their_names():
    """10,000 posts and a payment with a vacancy factor: the lines are split into chunks of
    which only the last holds the payment. Each component keeps its own name in every chunk
    (the vacancy factor of the first chunks was once added up under "payment")."""
    posts = [Post(f"P{i}", 1, "Grade 5", 20, reference=f"P{i}") for i in range(10_000)]
    structure = Structure("big", posts, [Payment("Honorarium", Decimal(1200), reference="H")])
    result = projection(structure, NJC, "2019-04", 60, vacancy_factor="3%")
    sums = {name: int(values.sum()) for name, values in result.components.items()}
    assert sums["payment"] == 5 * 1200
    one = projection(Structure("one", posts[:1]), NJC, "2019-04", 60, vacancy_factor="3%")
    assert sums["vacancy factor"] == 10_000 * int(one.components["vacancy factor"].sum())
    assert sum(sums.values()) == int(result.amounts.sum())
    monthly = result.monthly()
    assert sum(monthly["payment"], Decimal(0)) == 6000
    assert sum(monthly["vacancy factor"], Decimal(0)) == sums["vacancy factor"]


def test_line_months_are_int32_when_they_fit_and_int64_when_they_might_not():
    team = Structure("team", [Post("Officer", 2, "Grade 5", 20)])
    small = projection(team, NJC, "2019-04", 24)
    assert small.amounts.dtype == np.int32
    # 900,000 fte at £1bn a year: about £76bn a month, past int32
    huge = Structure("huge", [Post("Bulk", 900_000, "", cost_per_fte=Decimal(10) ** 9),
                              Post("Officer", 2, "Grade 5", 20)])
    big = projection(huge, NJC, "2019-04", 24)
    assert big.amounts.dtype == np.int64
    assert np.array_equal(big.amounts[1], small.amounts[0])
    assert int(big.amounts[0, :12].sum()) == 900_000 * 10 ** 9  # a whole pay year, exact
    assert big.pay_year_total(2019) == 900_000 * 10 ** 9 + int(small.amounts[0, :12].sum())
    # sums over int32 line-months are int64: a million lines of £3,000 a month add up
    assert small.monthly()["total"].iloc[0] == int(small.amounts[0, 0])


def test_roll_ups_never_hold_every_component_and_components_come_on_request():
    structure = Structure("s", [Post(f"P{i}", 1, "Grade 5", 20 + i % 3, team=f"T{i % 4}")
                                for i in range(50)])
    result = projection(structure, NJC, "2019-04", 24, vacancy_factor="3%")
    by_team = result.monthly("team")
    yearly = result.yearly("funding")
    assert "components" not in result._cache  # roll-ups summed chunk by chunk
    again = result.monthly("team")  # summed once, kept; each caller gets its own copy
    again.loc[0, "total"] = Decimal(-1)
    assert result.monthly("team").equals(by_team)
    components = result.components
    assert result.components is components  # computed once, then kept
    for name, values in components.items():
        expected = sum(int(values[[i for i in range(50) if i % 4 == t]].sum())
                       for t in range(4))
        assert sum(by_team[name], Decimal(0)) == expected
    assert sum(yearly["total"], Decimal(0)) == result.total
    bare = projection(structure, NJC, "2019-04", 24, vacancy_factor="3%", components=False)
    assert bare.components == {}
    assert list(bare.monthly("team").columns) == ["team", "month", "total", "approximate"]
    assert np.array_equal(bare.amounts, result.amounts)

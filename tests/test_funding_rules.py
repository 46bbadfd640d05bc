"""Funding shares and the one splitting rule (largest remainder), exactly.

Written to kill mutants that survived the rest of the suite (benchmarks/mutation.py funding):
every branch of reading and checking shares, the split's tie-break and sign, and the
vectorised split agreeing with the scalar one.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from establishment.errors import ValidationError
from establishment.model.funding import (
    UNFUNDED,
    FundingShare,
    add_by_source,
    add_lines_by_source,
    check_funding,
    split_pence,
    split_pence_array,
    to_funding,
)

D = Decimal


def test_a_share_reads_as_its_source_alone_at_100_percent():
    assert str(FundingShare("Core", D(100))) == "Core"
    assert str(FundingShare("Grant", D("40.5"))) == "Grant 40.5%"


@pytest.mark.parametrize("empty", [None, "", ()])
def test_no_funding_is_no_shares(empty):
    assert to_funding(empty) == ()


def test_every_way_of_writing_funding_gives_the_same_shares():
    core = (FundingShare("Core", D(100)),)
    assert to_funding("  Core ") == core
    split = (FundingShare("Core", D(60)), FundingShare("Grant", D(40)))
    assert to_funding({"Core": 60, " Grant": "40"}) == split
    assert to_funding([("Core", 60), ["Grant", D(40)]]) == split
    assert to_funding(list(split)) == split


def test_a_share_that_is_not_a_pair_is_refused_naming_funding():
    with pytest.raises(ValidationError, match="funding") as caught:
        to_funding([("Core", 60, "extra")])
    assert caught.value.field == "funding"


@pytest.mark.parametrize(("shares", "expected"), [
    ([("", 100)], "named sources"),
    ([("Core", 50), ("Core", 50)], "each source named once"),
    ([("Core", 0), ("Grant", 100)], "percentages > 0"),
    ([("Core", -10), ("Grant", 110)], "percentages > 0"),
    ([("Core", "33.333"), ("Grant", "66.667")], "at most 2 decimal places"),
    ([("Core", 60), ("Grant", 30)], "summing to 100"),
])
def test_bad_shares_are_refused_with_the_rule_they_break(shares, expected):
    with pytest.raises(ValidationError, match=expected) as caught:
        check_funding(to_funding(shares), record="post RO")
    assert caught.value.field == "funding"
    assert "RO" in str(caught.value)


def test_the_sum_that_is_not_100_is_shown_as_the_user_wrote_it():
    with pytest.raises(ValidationError, match=r"60 \+ 30 = 90"):
        check_funding(to_funding({"Core": 60, "Grant": 30}))


def test_good_shares_and_none_pass():
    check_funding(())
    check_funding(to_funding({"Core": "33.33", "Grant": "33.33", "Levy": "33.34"}))


def test_split_gives_the_pennies_left_to_the_largest_remainders():
    assert split_pence(100001, [D(50), D(50)]) == [50001, 50000]  # tie: the earlier share
    assert split_pence(1, [D("33.33"), D("33.33"), D("33.34")]) == [0, 0, 1]
    assert split_pence(2, [D("33.33"), D("33.33"), D("33.34")]) == [1, 0, 1]
    assert split_pence(10, [D(25), D(75)]) == [3, 7]  # 2.5 and 7.5: the tie to the first
    assert split_pence(-100001, [D(50), D(50)]) == [-50001, -50000]  # the sign is kept
    assert split_pence(0, [D(60), D(40)]) == [0, 0]


PERCENTS = st.lists(st.integers(1, 9999), min_size=1, max_size=5).map(
    lambda xs: [D(x) / 100 for x in xs]).filter(lambda ps: sum(ps) < 100).map(
    lambda ps: [*ps, D(100) - sum(ps)])


@settings(max_examples=60, deadline=None)
@given(st.integers(-10**12, 10**12), PERCENTS)
def test_split_sums_exactly_and_each_part_is_its_share_within_a_penny(amount, percents):
    parts = split_pence(amount, percents)
    assert sum(parts) == amount
    for part, percent in zip(parts, percents):
        exact = D(amount) * percent / 100
        assert abs(D(part) - exact) < 1
    vector = split_pence_array(np.array([amount, -amount, 0], dtype=np.int64), percents)
    assert [int(v[0]) for v in vector] == parts
    assert [int(v[1]) for v in vector] == [-p for p in parts]
    assert [int(v[2]) for v in vector] == [0] * len(parts)


def test_the_vectorised_split_breaks_ties_as_the_scalar_one():
    percents = [D(25), D(25), D(25), D(25)]
    values = np.array([1, 2, 3, 5, -3], dtype=np.int64)
    columns = split_pence_array(values, percents)
    for row, value in enumerate(values.tolist()):
        assert [int(c[row]) for c in columns] == split_pence(value, percents)
    assert [int(c[0]) for c in columns] == [1, 0, 0, 0]


def test_adding_a_line_by_source_in_pence_and_unfunded():
    totals: dict[str, int] = {}
    add_by_source(totals, to_funding({"Core": 50, "Grant": 50}), 100001)
    add_by_source(totals, (), 7)
    add_by_source(totals, to_funding("Core"), 1, sign=-1)
    assert totals == {"Core": 5000000, "Grant": 5000000, UNFUNDED: 700}


def test_adding_many_lines_at_once_equals_adding_them_one_by_one():
    fundings = [to_funding({"Core": 50, "Grant": 50}), (), to_funding("Core"),
                to_funding({"Core": 50, "Grant": 50})]
    amounts = [100001, 7, 3, 1]
    one_by_one: dict[str, int] = {}
    for funding, amount in zip(fundings, amounts):
        add_by_source(one_by_one, funding, amount, sign=-1)
    at_once: dict[str, int] = {}
    add_lines_by_source(at_once, fundings, amounts, sign=-1)
    assert at_once == one_by_one
    assert list(at_once) == ["Core", "Grant", UNFUNDED]
    pence: dict[str, int] = {}
    add_lines_by_source(pence, fundings, amounts, pence_per_unit=1)
    assert pence == {k: -v // 100 for k, v in one_by_one.items()}


@pytest.mark.parametrize(("make", "message"), [
    (lambda: to_funding([("a", 1, 2)]),
     "'funding' must be a source name, {source: percent} or (source, percent) pairs "
     "(got [('a', 1, 2)])"),
    (lambda: check_funding(to_funding([("", 100)])), "'funding' must be named sources (got [''])"),
    (lambda: check_funding(to_funding([("a", 50), ("a", 50)])),
     "'funding' must be each source named once (got ['a', 'a'])"),
    (lambda: check_funding(to_funding([("a", 0), ("b", 100)])),
     "'funding' must be percentages > 0 with at most 2 decimal places (got 'a 0%')"),
    (lambda: check_funding(to_funding({"a": 60, "b": 30})),
     "'funding' must be percentages summing to 100 (got '60 + 30 = 90')"),
])
def test_each_funding_message_in_full(make, message):
    """The whole message, so a reworded or emptied part is noticed (no record named)."""
    with pytest.raises(ValidationError) as caught:
        make()
    assert str(caught.value) == message


def test_a_percentage_that_is_not_a_number_names_funding():
    with pytest.raises(ValidationError) as caught:
        to_funding({"Core": "x"})
    assert caught.value.field == "funding"
    assert caught.value.found == "x"


def test_a_share_under_one_percent_is_a_share():
    shares = to_funding({"Core": "99.5", "Grant": "0.5"})
    check_funding(shares)
    assert split_pence(1000, [s.percent for s in shares]) == [995, 5]


def test_the_vectorised_split_stays_in_whole_pence():
    columns = split_pence_array(np.array([7, -7], dtype=np.int64), [D(50), D(50)])
    assert all(c.dtype == np.int64 for c in columns)
    assert [c.tolist() for c in columns] == [[4, -4], [3, -3]]


def test_a_funding_percentage_is_a_number_not_money():
    """'£60' is not a percentage: funding shares are read by the number rule, not money's."""
    with pytest.raises(ValidationError, match="a number such as") as caught:
        to_funding({"Core": "£60", "Grant": 40})
    assert caught.value.field == "funding"


@pytest.mark.parametrize("name", [1.5, True, None, ["Core"]])
def test_a_source_that_is_not_a_name_is_refused_in_full(name):
    """A bool is not a name (True would read as a source called "True")."""
    with pytest.raises(ValidationError) as caught:
        FundingShare(name, 100)
    assert str(caught.value) == f"'funding' must be a source name (text) (got {name!r})"


def test_a_number_or_a_decimal_is_a_source_name_as_written():
    assert FundingShare(2019, 100).source == "2019"
    assert FundingShare(D("7.5"), 100).source == "7.5"
    assert FundingShare("  Core ", 100).source == "Core"


@pytest.mark.parametrize("value", [5, 1.5, D(100), {"Core"}])
def test_funding_of_no_known_shape_is_refused_in_full(value):
    with pytest.raises(ValidationError) as caught:
        to_funding(value)
    assert str(caught.value) == ("'funding' must be a source name, {source: percent} or "
                                 f"(source, percent) pairs (got {value!r})")


def test_a_refused_funding_names_the_record_and_where_it_was_read():
    from establishment.errors import Location

    where = Location("posts.toml", 12, 3)
    with pytest.raises(ValidationError) as caught:
        check_funding(to_funding({"a": 60, "b": 30}), "post RO", where)
    assert caught.value.source == where and caught.value.record == "post RO"
    assert str(caught.value) == ("posts.toml:12:3: post RO: 'funding' must be percentages "
                                 "summing to 100 (got '60 + 30 = 90')")

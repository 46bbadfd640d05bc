"""The costing engine's rules, stated exactly (establishment.engine.costing): the focused file
the mutation run uses for that module (``benchmarks/mutation.py costing``). Every figure is
worked by hand from the pay data (pay_scales/data/njc_pay_spine.csv, employer_ni.csv) and the
module's documented rule; every function of the module is reached on tiny structures, so
the whole file runs in a few seconds.

Pay data used (NJC spine, salary-only unless said):
* 2018/19 old spine: scp 23 £21,693, scp 28 £25,463 (Grade 5's top), scp 29 £26,470, scp 34
  £30,756 (Hay Band A's top); 2019/20 new spine: scp 22 £26,317 (old 28 moves to new 22;
  Grade 5's top), scp 28 £31,371.
* 2018/19 has 365 days, 2019/20 366 (29 February 2020).
* 2019/20 employer NI 13.8% above £8,632 (2017/18: above £8,164); rule ``njc`` adds 22.2%.
"""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import pay_scales
from establishment import PayBasis, Payment, Post, Structure
from establishment.engine import costing
from establishment.engine.costing import (
    NONE,
    Costing,
    PeriodTerm,
    PreparedFrame,
    UnitCosts,
    cached_unit_cost,
    cost,
    cost_frame,
    cost_per_fte,
    day_numbers,
    fraction_text,
    full_year_pounds,
    int64_rounds,
    key_codes,
    key_slots,
    line_days,
    line_period_terms,
    lines_in_force,
    period_plan,
    period_pounds,
    period_segments,
    person_cost,
    prepared,
    range_salary,
    resolved_frame,
    round_div,
    totals_by,
    unit_cost_for_key,
    unit_money,
)
from establishment.errors import CostingError, ValidationError
from establishment.model.frame import lines_frame

SALARY_ONLY = PayBasis("nottinghamshire", 2018, rule="salary-only")
NJC19 = PayBasis("nottinghamshire", 2019, rule="njc")
PENNY = SALARY_ONLY.evolve(round_to="penny")
ACROSS_APRIL = (dt.date(2019, 3, 1), dt.date(2019, 4, 30))  # 31 days of 2018/19, 30 of 2019/20

RULES = '''
[rules.nalc]
description = "salary only, the hourly rate rounded to the penny"
ni = false
oncosts = []
weeks_a_year = "52"
hourly_rate_rounding = "penny"
round_to = "penny"
basis = "stated"
source = "test"

[rules.ni-only]
description = "salary and employer NI"
oncosts = []
basis = "stated"
source = "test"

[rules.levy]
description = "salary and the apprenticeship levy"
ni = false
levy = "when in force"
oncosts = []
basis = "stated"
source = "test"
'''


@pytest.fixture(autouse=True)
def _no_remembered_costs(monkeypatch):
    """Each test prices from scratch: a cost per fte remembered by an earlier test (or by the
    process a mutation run forks from) would hide the pricing under test."""
    monkeypatch.setattr(costing, "_UNIT_CACHE", {})


@pytest.fixture(scope="module")
def council(tmp_path_factory) -> str:
    """Nottinghamshire's data with three more rules, its ``njc`` rule at 10% other on-costs
    instead of 22.2% (so the same basis on this employer gives another figure) and one
    published costed rate (Hay Band A scp 34 in 2018/19: £41,000)."""
    folder = tmp_path_factory.mktemp("employers") / "council"
    shutil.copytree(Path(pay_scales.__file__).parent / "data" / "employers" / "nottinghamshire",
                    folder)
    toml = folder / "employer.toml"
    text = toml.read_text(encoding="utf-8").replace('rate = "0.222"', 'rate = "0.1"', 1)
    toml.write_text(text + RULES, encoding="utf-8")
    (folder / "costed_rates.csv").write_text(
        "pay_year,grade,scp,cost,basis,source\n"
        "2018/19,Hay Band A,34,41000,published,a test rate card\n", encoding="utf-8")
    return str(folder)


def key(grade="", scp=NONE, cost_pence=NONE, salary=NONE, low=NONE, high=NONE) -> tuple:
    return (grade, scp, cost_pence, salary, low, high)


def one(post: Post, basis: PayBasis = SALARY_ONLY, **kwargs) -> Costing:
    return cost(Structure("s", [post]), basis, **kwargs)


# ---------------------------------------------------------------- pay ranges and cost per fte

def test_a_range_midpoint_rounds_its_half_penny_up():
    assert range_salary(100, 201, "midpoint") == 151  # 150.5p -> 151p
    assert range_salary(100, 200, "midpoint") == 150
    assert range_salary(100, 201, "floor") == 100
    assert range_salary(100, 201, "ceiling") == 201


def test_a_pay_range_is_costed_at_its_point_to_the_penny():
    basis = PayBasis("civil-service", 2018, rule="salary-only", round_to="penny")
    employer = basis.load_employer()
    found = cost_per_fte(employer, basis, key("SCS1", low=2_000_000, high=2_000_101), 2018)
    assert found.cost == Decimal("20000.51")  # (£20,000.00 + £20,001.01) / 2 = £20,000.505
    assert found.salary_formula == "pay range £20,000.00-£20,001.01 at its midpoint"
    assert found.grade == "SCS1"
    pound = cost_per_fte(employer, basis.evolve(round_to="pound"),
                         key("SCS1", low=2_000_000, high=2_000_101), 2018)
    assert pound.cost == 20001
    floor = cost_per_fte(employer, basis.evolve(range_point="floor"),
                         key("SCS1", low=2_000_000, high=2_000_101), 2018)
    assert floor.cost == 20000
    assert floor.salary_formula == "pay range £20,000.00-£20,001.01 at its floor"
    # a range with only one end is no range: the salary, when given, wins
    salary = cost_per_fte(employer, basis, key("SCS1", salary=1_500_050, low=2_000_000,
                                               high=2_000_101), 2018)
    assert salary.cost == Decimal("15000.50")
    assert salary.salary_formula == "salary £15,000.50"


def test_an_explicit_cost_per_fte_is_taken_as_given_and_rounded_to_the_unit():
    employer = SALARY_ONLY.load_employer()
    found = cost_per_fte(employer, SALARY_ONLY, key("Grade 5", 28, cost_pence=3_000_040),
                         2019)
    explicit = Decimal("30000.40")
    assert found == pay_scales.UnitCost(
        "Grade 5", 28, 2019, "explicit", explicit,
        "explicit cost per fte given on the post (with on-costs)", (), Decimal(30000), False,
        (pay_scales.Provenance("structure", "stated", "post"),))
    assert found.unrounded == explicit
    penny = cost_per_fte(employer, PENNY, key(cost_pence=3_000_040), 2019)
    assert penny.cost == explicit and penny.scp is None and penny.grade == ""


def test_a_salary_takes_the_rules_on_costs_and_the_tax_year_asked_for():
    employer = NJC19.load_employer()
    found = cost_per_fte(employer, NJC19, key("Grade 5", salary=3_000_000), 2019)
    # £30,000 + 13.8% x (£30,000 - £8,632) + 22.2% x £30,000 = £39,608.784
    assert found.unrounded == Fraction("39608.784") and found.cost == 39609
    assert found.salary_formula == "salary £30,000" and found.rule == "njc"
    assert found.grade == "Grade 5"
    older_ni = cost_per_fte(employer, NJC19, key(salary=3_000_000), 2019, ni_tax_year=2017)
    # 2017/18 threshold £8,164: 13.8% x £21,836 = £3,013.368
    assert older_ni.unrounded == Fraction("39673.368") and older_ni.cost == 39673
    assert unit_cost_for_key(employer, NJC19, key("Grade 5", salary=3_000_000), 2019) == found


def test_a_point_is_carried_across_the_2019_spine_and_at_scp_wins():
    employer = SALARY_ONLY.load_employer()
    grade5 = key("Grade 5", 28)
    assert cost_per_fte(employer, SALARY_ONLY, grade5, 2018).cost == 25463
    assert cost_per_fte(employer, SALARY_ONLY, grade5, 2019).cost == 26317  # old 28 = new 22
    at = cost_per_fte(employer, SALARY_ONLY, grade5, 2018, at_scp=23)
    assert at.cost == 21693 and at.scp == 23
    # at_scp is the point itself, whatever the basis's point
    top = SALARY_ONLY.evolve(point="top")
    assert cost_per_fte(employer, top, key("Hay Band A", 29), 2018).cost == 30756
    assert cost_per_fte(employer, top, key("Hay Band A", 34), 2018, at_scp=29).cost == 26470
    bottom = SALARY_ONLY.evolve(point="bottom")
    assert cost_per_fte(employer, bottom, key("Hay Band A", 34), 2018).cost == 26470
    # a top-of-grade basis is not carried: the grade's own top in 2019 (new 28)
    assert cost_per_fte(employer, top, key("Hay Band A", 34), 2019).cost == 31371
    # a basis of 2019 costs its own year's points as they are
    assert cost_per_fte(employer, SALARY_ONLY.evolve(pay_year=2019), key("Hay Band A", 28),
                        2019).cost == 31371


def test_rates_on_applies_in_its_own_pay_year_only():
    january = PayBasis("nottinghamshire", 2014, rule="salary-only",
                       rates_on=dt.date(2015, 1, 12))
    costed = one(Post("Officer", 1, "Scale 5", 28), january,
                 period=(dt.date(2015, 3, 31), dt.date(2015, 4, 1)))
    assert costed.full_year == 24472  # scp 28 at the 1 January 2015 rates
    assert costed.period_total == 134  # £24,472 x (1/365 + 1/366)


def test_the_hourly_convention_rounds_the_hourly_rate_to_the_penny(council):
    basis = PayBasis(council, 2019, rule="nalc")
    found = cost_per_fte(basis.load_employer(), basis, key(salary=2_400_000), 2019)
    # £24,000 / 1,924 hours = £12.4740... -> £12.47 x 1,924 = £23,992.28
    assert found.cost == Decimal("23992.28")
    pound = basis.evolve(round_to="pound")
    assert cost_per_fte(basis.load_employer(), pound, key(salary=2_400_000), 2019).cost == 23992


# ---------------------------------------------------------------- the cache of costs per fte

def test_the_cache_key_holds_everything_a_cost_depends_on(council):
    notts = NJC19.load_employer()
    other = PayBasis(council, 2019).load_employer()
    salary = key(salary=3_000_000)
    first = cached_unit_cost(notts, NJC19, salary, 2019)
    assert cached_unit_cost(notts, NJC19, salary, 2019) is first  # remembered
    assert first.cost == 39609
    # another employer's folder: 10% other on-costs, £30,000 + £2,948.784 + £3,000
    assert cached_unit_cost(other, NJC19, salary, 2019).cost == 35949
    assert cached_unit_cost(notts, NJC19, salary, 2019, ni_tax_year=2017).cost == 39673
    assert cached_unit_cost(notts, SALARY_ONLY, key("Grade 5", 28), 2018).cost == 25463
    assert cached_unit_cost(notts, SALARY_ONLY, key("Grade 5", 28), 2018,
                            at_scp=23).cost == 21693
    assert cached_unit_cost(notts, SALARY_ONLY, key("Grade 5", 28), 2019).cost == 26317
    assert cached_unit_cost(notts, PENNY, key(salary=2_500_055), 2018).cost == Decimal(
        "25000.55")
    assert cached_unit_cost(notts, SALARY_ONLY, key(salary=2_500_055), 2018).cost == 25001


def test_the_cache_key_holds_the_employers_assumptions():
    base = PayBasis("nottinghamshire", 2025, rule="salary-only")
    three = base.evolve(awards="2026/27=3%").load_employer(2026)
    five = base.evolve(awards="2026/27=5%").load_employer(2026)
    grade5 = key("Grade 5")
    # top of Grade 5 (new 22) in 2025/26 is £33,699: x 1.03 = £34,709.97, x 1.05 = £35,383.95
    assert cached_unit_cost(three, base, grade5, 2026).cost == 34710
    assert cached_unit_cost(five, base, grade5, 2026).cost == 35384


def test_the_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(costing, "_UNIT_CACHE", {})
    monkeypatch.setattr(costing, "_UNIT_CACHE_LIMIT", 2)
    notts = SALARY_ONLY.load_employer()
    for pence in (1_000_000, 2_000_000, 3_000_000):
        cached_unit_cost(notts, SALARY_ONLY, key(salary=pence), 2018)
    assert len(costing._UNIT_CACHE) == 1  # full at two: cleared, then the third kept
    assert cached_unit_cost(notts, SALARY_ONLY, key(salary=3_000_000), 2018).cost == 30000


# ---------------------------------------------------------------- prepared frames and keys

def test_a_prepared_frame_finds_its_keys_and_lines_in_force_once_read_only():
    frame = lines_frame([Post("A", 1, "Grade 5", 28), Post("B", 1, "Grade 4"),
                         Post("C", 1, "Grade 5", 28, end=dt.date(2018, 3, 31))])
    ready = PreparedFrame(frame)
    assert len(ready) == 3 and prepared(ready) is ready and prepared(frame).frame is frame
    slots, slot_key, keys = ready.key_slots
    assert ready.key_slots[0] is slots
    assert not slots.flags.writeable and not slot_key.flags.writeable
    assert list(slot_key[slots]) == [keys.index(key("Grade 5", 28)),
                                     keys.index(key("Grade 4")),
                                     keys.index(key("Grade 5", 28))]
    in_force = ready.in_force(2018)
    assert list(in_force) == [True, True, False]
    assert ready.in_force(2018) is in_force and not in_force.flags.writeable
    assert list(ready.in_force(2017)) == [True, True, True]


def test_key_codes_give_each_distinct_key_once_in_row_order():
    frame = lines_frame([Post("A", 1, "Grade 5", 28), Post("B", 1, "Grade 4", salary=20000),
                         Post("C", 1, "Grade 5", 28), Post("D", 1, "Grade 4", 23)])
    codes, keys = key_codes(frame)
    assert [keys[c] for c in codes] == [key("Grade 5", 28), key("Grade 4", salary=2_000_000),
                                        key("Grade 5", 28), key("Grade 4", 23)]
    assert len(keys) == 3
    empty_codes, empty_keys = key_codes(frame.iloc[:0])
    assert len(empty_codes) == 0 and empty_keys == []


def test_integer_key_columns_code_every_shape():
    codes, values = costing._integer_codes(np.array([NONE, NONE], dtype=np.int64))
    assert codes is None and values == [NONE]
    codes, values = costing._integer_codes(np.array([7, 7], dtype=np.int64))
    assert codes is None and values == [7]
    codes, values = costing._integer_codes(np.array([NONE, 5, 7], dtype=np.int64))
    assert list(codes) == [0, 1, 3] and values == [NONE, 5, 6, 7]
    codes, values = costing._integer_codes(np.array([9, 5, 7], dtype=np.int64))
    assert list(codes) == [4, 0, 2] and values == [5, 6, 7, 8, 9]
    wide = np.array([5, 5 + 4095, 5], dtype=np.int64)
    codes, values = costing._integer_codes(wide)
    assert [values[c] for c in codes] == [5, 4100, 5] and len(values) == 4096
    wider = np.array([5, 5 + 4096, 5], dtype=np.int64)
    codes, values = costing._integer_codes(wider)
    assert list(codes) == [0, 1, 0] and values == [5, 4101]
    mixed = np.array([NONE, 10, 10 + 4096], dtype=np.int64)
    codes, values = costing._integer_codes(mixed)
    assert list(codes) == [0, 1, 2] and values == [NONE, 10, 4106]
    codes, values = costing._integer_codes(np.array([NONE, 10, 10 + 4095], dtype=np.int64))
    assert [values[c] for c in codes] == [NONE, 10, 4105]


def test_categorical_grades_with_a_missing_value_are_their_own_key():
    column = pd.Series(["Grade 5", None, "Grade 4", "Grade 5"], dtype="category")
    codes, values = costing._codes_of(column)
    assert [values[c] for c in codes] == ["Grade 5", None, "Grade 4", "Grade 5"]
    plain = pd.Series(["Grade 5", None, "Grade 4", "Grade 5"], dtype=object)
    codes, values = costing._codes_of(plain)
    assert list(codes) == [0, 1, 2, 0] and values[0::2] == ["Grade 5", "Grade 4"]
    assert pd.isna(values[1])
    assert codes.dtype == np.int64
    full = pd.Series(["B", "A", "B"], dtype="category")
    codes, values = costing._codes_of(full)
    assert list(codes) == [1, 0, 1] and values == ["A", "B"]


def test_many_keys_are_found_by_factorising_and_by_grouping(monkeypatch):
    # 300 grades x 300 salaries: 90,000 slots, more than 65,536 and 4 x 300 rows
    frame = pd.DataFrame({"grade": [f"G{i}" for i in range(300)],
                          "scp": NONE, "cost_per_fte_pence": NONE,
                          "salary_pence": [1_000_000 + 5000 * i for i in range(300)],
                          "salary_min_pence": NONE, "salary_max_pence": NONE})
    expected = [key(f"G{i}", salary=1_000_000 + 5000 * i) for i in range(300)]
    slots, slot_key, keys = key_slots(frame)
    assert [keys[k] for k in slot_key[slots]] == expected
    assert list(slot_key) == list(range(300))  # the slots factorised: one per key
    monkeypatch.setattr(costing, "INT64_SAFE", 2)  # too many slots: grouped instead
    slots, slot_key, keys = key_slots(frame)
    assert [keys[k] for k in slot_key[slots]] == expected
    assert list(slot_key) == list(range(300))


def test_a_small_key_space_keeps_its_slots():
    frame = lines_frame([Post("A", 1, "Grade 4", 23), Post("B", 1, "Grade 5", 28),
                         Post("C", 1, "Grade 4", 23)])
    slots, slot_key, keys = key_slots(frame)
    # grade codes x scp codes (23..28): 2 x 6 slots, two of them used
    assert len(slot_key) == 12 and sorted(slot_key.tolist()).count(-1) == 10
    assert [keys[k] for k in slot_key[slots]] == [key("Grade 4", 23), key("Grade 5", 28),
                                                  key("Grade 4", 23)]
    assert costing._decode_keys(np.array([0, 7]), [["a", "b"], [1, 2, 3, 4, 5, 6]]) == [
        ("a", 1), ("b", 4)]


# ---------------------------------------------------------------- unit costs of a frame

def test_unit_costs_price_each_key_once_and_payments_as_given():
    structure = Structure("s", [Post("A", "0.5", "Grade 5", 28), Post("B", 1, "Grade 4"),
                                Post("C", 1, "Grade 5", 28)],
                          [Payment("Grant", "1000.50")])
    units = UnitCosts(structure.to_frame(), SALARY_ONLY)
    assert units.explicit_costs  # the payment's amount
    year = units.for_year(2018)
    assert [year[c].cost for c in units.codes] == [25463, 21693, 25463, 1001]
    table = units.table(2018)
    assert sorted(table.tolist()) == [100100, 2169300, 2546300]
    assert list(units.pence(2018)) == [2546300, 2169300, 2546300, 100050]  # not rounded
    assert [units.row_pence(i, 2018) for i in range(4)] == [2546300, 2169300, 2546300, 100050]
    assert list(units.payment_rows) == [3]
    first = units.first_row
    assert sorted(first.tolist()) == [0, 1, 3]
    assert [int(units.codes[row]) for row in first] == list(range(len(units.keys)))
    assert units.for_year(2018) is units.for_year(2018)
    assert units.table(2018) is table
    assert list(units.pence(2019)) == [2631700, 2246200, 2631700, 100050]


def test_unit_costs_of_posts_only_have_no_explicit_costs():
    units = UnitCosts(lines_frame([Post("A", 1, "Grade 5", 28)]), SALARY_ONLY)
    assert not units.explicit_costs
    assert list(units.pence(2018)) == [2546300] and units.row_pence(0, 2018) == 2546300
    empty = UnitCosts(lines_frame([]), SALARY_ONLY)
    assert len(empty.codes) == 0 and len(empty.first_row) == 0 and len(empty.pence(2018)) == 0


def test_a_period_into_a_later_year_uses_the_award_assumed_for_it():
    basis = PayBasis("nottinghamshire", 2025, rule="salary-only", awards="2026/27=3%")
    costed = one(Post("A", 1, "Grade 5"), basis, period=(dt.date(2026, 3, 31),
                                                         dt.date(2026, 4, 1)))
    # £33,699 / 365 + £34,710 / 365 (2026/27 has no 29 February) = £187.42
    assert costed.period_total == 187
    assert costed.unit_cost(0, 2026).cost == 34710


def _costing_error(structure: Structure, basis: PayBasis = SALARY_ONLY, **kwargs
                   ) -> CostingError:
    with pytest.raises(CostingError) as caught:
        cost(structure, basis, **kwargs)
    return caught.value


def test_lines_that_cannot_be_costed_are_named_together_by_cause():
    error = _costing_error(Structure("s", [
        Post("Clerk", 1, "Nope", reference="R1"), Post("Officer", 1, "Nope", team="East"),
        Post("Aide", 1, "Nope"), Post("Other", 1, "Nope"), Post("Fine", 1, "Grade 5")]))
    assert str(error).startswith("cannot cost on this basis:\n  post R1, post East / "
                                 "Officer, post Aide and 1 more: [grade] unknown grade 'Nope'")
    (problem,) = error.problems
    assert problem.file == "post R1, post East / Officer, post Aide and 1 more"
    assert problem.field == "grade" and problem.found == "Nope"
    assert problem.expected.startswith("['Grade 1', 'Grade 2'")
    assert problem.line is None


def test_three_failing_lines_are_all_named_and_each_cause_is_one_problem():
    error = _costing_error(Structure("s", [
        Post("A", 1, "Nope"), Post("B", 1, "Nope"), Post("C", 1, "Nope"),
        Post("D", 1, "Hay Band A", 29, reference="D1")]), SALARY_ONLY.evolve(pay_year=2019))
    first, second = error.problems
    assert first.file == "post A, post B, post C"
    assert second.file == "post D1" and second.field == "scp"
    assert second.found == 29 and second.expected is not None


def test_an_error_without_an_expected_value_says_none():
    # a new-spine point cannot be carried back to the old spine (old 6 and 7 both became 1)
    error = _costing_error(Structure("s", [Post("A", 1, "Grade 5", 20, reference="A1")]),
                           SALARY_ONLY.evolve(pay_year=2019), period=ACROSS_APRIL)
    (problem,) = error.problems
    assert problem.expected is None and problem.found == 20
    assert problem.file == "post A1" and problem.field == "scp"
    error = _costing_error(Structure("s", [Post("A", 1, "Grade 5", reference="A1")]),
                           SALARY_ONLY.evolve(point="bottom"))
    assert error.problems[0].expected == "a known bottom of Grade 5"


# ---------------------------------------------------------------- hours to fte

def test_a_typed_fte_that_disagrees_with_its_hours_is_named():
    error = _costing_error(Structure("s", [
        Post("A", "0.55", "Grade 5", hours=20, reference="H1"),
        Post("B", "0.6", "Grade 5", hours="18.5", team="T"),
        Post("C", "0.5", "Grade 5", hours="18.75")]))  # 0.5068 to one place is 0.5: agrees
    assert str(error).startswith("fte and hours disagree:\n")
    first, second = error.problems
    assert first.file == "post H1" and first.field == "fte" and first.line is None
    assert first.message == ("fte 0.55 and hours 20 disagree: hours / 37 full-time hours is "
                             "20/37 = 0.540541 fte")
    assert first.expected == "20/37 = 0.540541 to the fte's decimal places"
    assert first.found == "0.55"
    assert second.file == "post T / B"
    assert second.message == ("fte 0.6 and hours 18.5 disagree: hours / 37 full-time hours "
                              "is 0.5 fte")
    assert second.expected == "0.5 to the fte's decimal places" and second.found == "0.6"


def test_hours_become_their_exact_fte():
    frame = resolved_frame(lines_frame([Post("A", grade="Grade 5", hours=20),
                                        Post("B", "0.5", "Grade 5")]), SALARY_ONLY)
    assert [Fraction(int(n), int(d)) for n, d in zip(frame["fte_num"], frame["fte_den"])] == [
        Fraction(20, 37), Fraction(1, 2)]
    costed = one(Post("A", grade="Grade 5", scp=28, hours=20))
    assert costed.full_year == 13764  # £25,463 x 20/37 = £13,763.78
    plain = lines_frame([Post("A", 1, "Grade 5")])
    assert resolved_frame(plain, SALARY_ONLY) is plain


def test_hours_without_full_time_hours_name_each_line_and_the_field():
    basis = PayBasis("civil-service", 2018, rule="salary-only")
    posts = [Post("A", grade="SCS1", hours=20, salary=20000, reference="H1"),
             Post("B", 1, "SCS1", salary=20000),
             *(Post(f"P{i}", grade="SCS1", hours=20, salary=20000, team="T")
               for i in range(21))]
    error = _costing_error(Structure("s", posts), basis)
    assert str(error).startswith("cannot find the fte of posts given in hours:\n  post H1: "
                                 "[hours] UK civil service states no full-time hours")
    assert len(error.problems) == 20  # the first twenty lines given in hours
    assert [p.file for p in error.problems[:3]] == ["post H1", "post T / P0", "post T / P1"]
    assert {p.field for p in error.problems} == {"hours"}
    yearly = _costing_error(Structure("s", [Post("A", grade="Grade 5", annual_hours=500,
                                                 reference="Y1")]))
    (problem,) = yearly.problems
    assert problem.file == "post Y1" and problem.field == "annual_hours"
    assert problem.message.startswith("rule 'salary-only' of Nottinghamshire County Council "
                                      "states no weeks_a_year")


@pytest.mark.parametrize(("value", "text"), [
    (Fraction(1, 2), "0.5"), (Fraction(20, 37), "20/37 = 0.540541"),
    (Fraction(2, 3), "2/3 = 0.666667"), (Fraction(1, 2_000_000), "1/2000000 = 0.000001"),
    (Fraction(1, 3_000_000), "1/3000000 = 0"), (Fraction(10), "10"),
    (Fraction(123456, 10**6), "0.123456")])
def test_an_exact_fte_is_written_to_six_places_half_up(value, text):
    assert fraction_text(value) == text


# ---------------------------------------------------------------- full-year figures

def test_round_div_rounds_halves_away_from_zero():
    assert list(round_div(np.array([5, 15, 14, 0]), 10)) == [1, 2, 1, 0]
    assert list(round_div(np.array([-5, -15, -14, 4]), 10)) == [-1, -2, -1, 0]
    assert list(round_div(np.array([-5, 25], dtype=object), 10)) == [-1, 3]
    assert list(round_div(np.array([7, -7]), np.array([2, 2]))) == [4, -4]
    assert len(round_div(np.array([], dtype=np.int64), 10)) == 0


def test_a_full_year_line_is_fte_times_cost_per_fte_rounded_half_up_once():
    structure = Structure("s", [Post("A", "0.5", "Grade 5", 28), Post("B", 1, "Grade 4"),
                                Post("C", "0.25", "Grade 5", 28)],
                          [Payment("Grant", "1000.50"), Payment("Credit", "-1000.50")])
    costed = cost(structure, SALARY_ONLY)
    # 0.5 x £25,463 = £12,731.50 -> £12,732; 0.25 x £25,463 = £6,365.75 -> £6,366
    assert list(costed.full_year_lines) == [12732, 21693, 6366, 1001, -1001]
    assert costed.full_year == 12732 + 21693 + 6366
    penny = cost(structure, PENNY)
    assert list(penny.full_year_lines) == [1273150, 2169300, 636575, 100050, -100050]
    assert penny.full_year == Decimal("40790.25")  # £12,731.50 + £21,693 + £6,365.75
    frame = structure.to_frame()
    units = UnitCosts(frame, SALARY_ONLY)
    assert list(full_year_pounds(frame, units.pence(2018))) == [12732, 21693, 6366, 1001,
                                                                 -1001]
    assert list(full_year_pounds(frame, units.pence(2018), pence_per_unit=1)) == [
        1273150, 2169300, 636575, 100050, -100050]


def test_full_year_products_too_wide_for_int64_are_exact():
    top = 2 ** 63 - 1  # with the half added, int64 would overflow
    wide = costing._full_year(np.array([1]), np.array([top]), np.array([top]), 100, 10_000)
    assert wide.tolist() == [(top * 2 + 10**6) // (2 * 10**6)]
    near = costing._full_year(np.array([2 ** 40]), np.array([2 ** 22]), np.array([2 ** 22]))
    assert near.tolist() == [4611686018427]  # 2**62 / 10**6 = 4,611,686,018,427.39
    negative = costing._full_year(np.array([5000, 5000]), np.array([-100100, 100100]),
                                  np.array([-100100, 100100]))
    assert negative.tolist() == [-501, 501]  # -£500.50 -> -£501: away from zero
    low = costing._full_year(np.array([-5000]), np.array([100100]), np.array([100100]))
    assert low.tolist() == [-501]
    assert len(costing._full_year(np.array([], dtype=np.int64), np.array([]), np.array([]))) == 0


def test_a_line_outside_the_pay_year_costs_nothing_in_it():
    structure = Structure("s", [Post("A", 1, "Grade 5", 28, end=dt.date(2018, 3, 31)),
                                Post("B", 1, "Grade 5", 28, start=dt.date(2019, 3, 31)),
                                Post("C", 1, "Grade 5", 28, start=dt.date(2019, 4, 1))])
    costed = cost(structure, SALARY_ONLY)
    assert list(costed.full_year_lines) == [0, 25463, 0]
    assert list(costed.column("in_force")) == [False, True, False]
    assert costed.not_in_force == 2 and costed.fte == 1
    assert list(lines_in_force(structure.to_frame(), 2019)) == [False, True, True]


def test_a_lump_sum_costs_its_amount_in_the_full_year():
    grant = Payment("Grant", "100.50", per="total", start=dt.date(2018, 4, 1),
                    end=dt.date(2018, 4, 3))
    costed = cost(Structure("s", [], [grant, Payment("Fee", "10.50")]), SALARY_ONLY)
    assert list(costed.full_year_lines) == [101, 11]
    assert list(cost(Structure("s", [], [grant]), PENNY).full_year_lines) == [10050]


# ---------------------------------------------------------------- periods

def test_a_period_is_cut_at_each_1_april():
    assert period_segments(*ACROSS_APRIL) == [
        (2018, dt.date(2019, 3, 1), dt.date(2019, 3, 31)),
        (2019, dt.date(2019, 4, 1), dt.date(2019, 4, 30))]
    assert period_segments(dt.date(2019, 4, 1), dt.date(2019, 4, 1)) == [
        (2019, dt.date(2019, 4, 1), dt.date(2019, 4, 1))]
    assert [piece[0] for piece in period_segments(dt.date(2018, 1, 1),
                                                  dt.date(2020, 12, 31))] == [2017, 2018,
                                                                              2019, 2020]
    with pytest.raises(CostingError) as caught:
        period_segments(dt.date(2019, 4, 2), dt.date(2019, 4, 1))
    assert str(caught.value) == "period end 2019-04-01 is before its start 2019-04-02"


def test_days_of_lines_inside_a_period():
    frame = lines_frame([Post("A", 1, "Grade 5", start=dt.date(2019, 3, 15)),
                         Post("B", 1, "Grade 5", end=dt.date(2019, 3, 2)),
                         Post("C", 1, "Grade 5", end=dt.date(2019, 2, 28)),
                         Post("D", 1, "Grade 5")])
    assert list(line_days(frame, *ACROSS_APRIL)) == [47, 2, 0, 61]
    first = day_numbers(frame["start"], dt.date(1970, 1, 11))
    assert list(first) == [(dt.date(2019, 3, 15) - dt.date(1970, 1, 1)).days, 10, 10, 10]


def test_a_period_line_sums_each_pay_years_rate_by_days_and_rounds_once():
    structure = Structure("s", [Post("A", "0.5", "Grade 5", 28, reference="A1"),
                                Post("B", 1, "Grade 5", team="T")],
                          [Payment("Grant", "1000.50")])
    costed = cost(structure, SALARY_ONLY, period=ACROSS_APRIL)
    # A: 0.5 x (£25,463 x 31/365 + £26,317 x 30/366) = 0.5 x £4,319.74 = £2,159.87
    # B: £4,319.74; the grant £1,000.50 x (31/365 + 30/366) = £166.98
    assert list(costed.period_lines) == [2160, 4320, 167]
    assert costed.period_total == 6647
    assert costed.posts_period == 6480 and costed.payments_period == 167
    penny = cost(structure, PENNY, period=ACROSS_APRIL)
    assert list(penny.period_lines) == [215987, 431974, 16698]
    frame = structure.to_frame()
    units = UnitCosts(frame, SALARY_ONLY)
    for exact in (object, np.int64):
        assert list(period_pounds(frame, units, *ACROSS_APRIL, exact=exact)) == [2160, 4320,
                                                                                  167]


def test_the_period_plan_holds_each_pay_years_days_units_and_weights():
    frame = lines_frame([Post("A", "0.5", "Grade 5", 28)])
    units = UnitCosts(frame, SALARY_ONLY)
    start, end = ACROSS_APRIL
    segments = period_segments(start, end)
    plan = period_plan(frame, units, day_numbers(frame["start"], start),
                       day_numbers(frame["end"], end), segments)
    assert plan.denominator == 10_000 * 100 * 133_590  # lcm(365, 366) = 133,590
    (days18, unit18, weight18), (days19, unit19, weight19) = plan.pieces
    assert (list(days18), list(unit18), weight18) == ([31], [2546300], 366)
    assert (list(days19), list(unit19), weight19) == ([30], [2631700], 365)
    assert plan.bound == (2546300 * 366 * 31 + 2631700 * 365 * 30) * 5000
    assert plan.int64 and not plan.negative
    assert list(costing.period_numerators(plan, object)) == [
        (2546300 * 366 * 31 + 2631700 * 365 * 30) * 5000]
    one_year = period_plan(frame, units, day_numbers(frame["start"], start),
                           day_numbers(frame["end"], start), period_segments(start, start),
                           pence_per_unit=1)
    assert one_year.denominator == 10_000 * 365 and len(one_year.pieces) == 1
    assert one_year.pieces[0][2] == 1


def test_a_pay_year_no_line_is_in_is_priced_but_not_summed():
    frame = lines_frame([Post("A", 1, "Grade 5", 28, start=dt.date(2019, 4, 1))])
    units = UnitCosts(frame, SALARY_ONLY)
    start, end = ACROSS_APRIL
    plan = period_plan(frame, units, day_numbers(frame["start"], start),
                       day_numbers(frame["end"], end), period_segments(start, end))
    (piece,) = plan.pieces
    assert list(piece[0]) == [30] and piece[2] == 365
    assert plan.bound == 2631700 * 365 * 30 * 10_000
    # the 2018 prices are still asked for: a line that cannot be priced there is an error
    error = _costing_error(Structure("s", [Post("A", 1, "Grade 5", 20, reference="N",
                                                start=dt.date(2019, 4, 1))]),
                           SALARY_ONLY.evolve(pay_year=2019), period=ACROSS_APRIL)
    assert error.problems[0].file == "post N"


def test_credits_in_a_period_round_away_from_zero():
    day = (dt.date(2018, 4, 1), dt.date(2018, 4, 1))
    structure = Structure("s", [], [Payment("Credit", "-182.50"), Payment("Fee", "182.50"),
                                    Payment("Late", "-547.50")])
    costed = cost(structure, SALARY_ONLY, period=day)
    assert list(costed.period_lines) == [-1, 1, -2]  # -£0.50, £0.50, -£1.50 for one day
    frame = structure.to_frame()
    units = UnitCosts(frame, SALARY_ONLY)
    assert list(period_pounds(frame, units, *day, exact=object)) == [-1, 1, -2]
    assert list(period_pounds(frame, units, *day, exact=np.int64)) == [-1, 1, -2]


def test_a_period_too_wide_for_int64_is_exact_and_int64_is_refused():
    structure = Structure("s", [Post("Big", 1, "", cost_per_fte="1000000000000")])
    year = (dt.date(2018, 4, 1), dt.date(2019, 3, 31))
    costed = cost(structure, SALARY_ONLY, period=year)
    assert list(costed.period_lines) == [10 ** 12]
    assert costed.period_lines.dtype == np.int64
    frame = structure.to_frame()
    units = UnitCosts(frame, SALARY_ONLY)
    with pytest.raises(ValueError) as caught:
        period_pounds(frame, units, *year, exact=np.int64)
    # 10**14 pence x 365 days x 1 (weight) x 10,000 (fte numerator)
    assert str(caught.value) == "period figures up to 365000000000000000000 do not fit int64"


def test_python_integer_results_are_int64_when_they_fit():
    assert costing._as_int64(np.array([1, -2], dtype=object)).dtype == np.int64
    big = np.array([2 ** 63, 1], dtype=object)
    assert costing._as_int64(big) is big
    small = np.array([-(2 ** 63) + 1, 2 ** 63 - 1], dtype=object)
    assert costing._as_int64(small).dtype == np.int64
    below = np.array([-(2 ** 63)], dtype=object)
    assert costing._as_int64(below).dtype == object
    empty = np.array([], dtype=object)
    assert costing._as_int64(empty) is empty
    ints = np.array([3])
    assert costing._as_int64(ints) is ints


def test_a_lump_sum_in_a_period_takes_the_share_of_its_own_days():
    grant = Payment("Grant", "3.00", per="total", start=dt.date(2019, 4, 1),
                    end=dt.date(2019, 4, 2))
    back = Payment("Back", "-3.00", per="total", start=dt.date(2019, 4, 1),
                   end=dt.date(2019, 4, 2))
    day = (dt.date(2019, 4, 2), dt.date(2019, 4, 5))
    costed = cost(Structure("s", [Post("A", 1, "Grade 5")], [grant, back]), SALARY_ONLY,
                  period=day)
    assert list(costed.period_lines)[1:] == [2, -2]  # half of £3 is £1.50: away from zero
    penny = cost(Structure("s", [], [grant]), PENNY, period=day)
    assert list(penny.period_lines) == [150]


def test_huge_lump_sums_are_shared_with_python_integers():
    frame = pd.DataFrame({"cost_per_fte_pence": [10 ** 14, 3]})
    starts, ends = np.array([0, 0]), np.array([99_999, 1])
    rows = np.array([0, 1])
    start, end = dt.date(1970, 1, 1), dt.date(2243, 10, 16)  # days 0 to 99,999
    result = costing._lump_sums(frame, rows, starts, ends, start, end, 100)
    assert result.tolist() == [10 ** 12, 0]  # all of it; 3p is £0.03 -> £0
    half = costing._lump_sums(frame, rows, starts, ends, start, dt.date(1970, 1, 1), 1)
    assert half.tolist() == [10 ** 9, 2]  # one day of 100,000; 3p x 1/2 = 1.5p -> 2p


def test_the_pieces_of_a_period_line_explain_its_figure():
    structure = Structure("s", [Post("A", "0.5", "Grade 5", 28)],
                          [Payment("Grant", "3.00", per="total", start=dt.date(2019, 4, 1),
                                   end=dt.date(2019, 4, 2))])
    frame = structure.to_frame()
    units = UnitCosts(frame, SALARY_ONLY)
    terms = line_period_terms(frame, units, 0, *ACROSS_APRIL)
    assert terms == [
        PeriodTerm(2018, dt.date(2019, 3, 1), dt.date(2019, 3, 31), 31, 365, 2546300,
                   Fraction(1, 2)),
        PeriodTerm(2019, dt.date(2019, 4, 1), dt.date(2019, 4, 30), 30, 366, 2631700,
                   Fraction(1, 2))]
    assert terms[0].exact == Fraction(25463 * 31, 2 * 365) and not terms[0].lump_sum
    (lump,) = line_period_terms(frame, units, 1, dt.date(2019, 4, 2), dt.date(2019, 4, 9))
    assert lump == PeriodTerm(2019, dt.date(2019, 4, 2), dt.date(2019, 4, 9), 1, 2, 300,
                              Fraction(1), True)
    assert lump.exact == Fraction(3, 2)


# ---------------------------------------------------------------- NI per person

PERSON = NJC19.evolve(ni_basis="person", round_to="penny")
# Grade 5 scp 20, 2019/20: £25,295; per fte £25,295 x 1.222 + 13.8% x (£25,295 - £8,632)
SCP20 = key("Grade 5", 20)


def test_a_person_pays_ni_on_their_own_pay():
    employer = PERSON.load_employer()
    unit = cost_per_fte(employer, PERSON, SCP20, 2019)
    assert unit.unrounded == Fraction("33209.984")
    half = person_cost(employer, PERSON, unit, Fraction(1, 2))
    # pay £12,647.50; NI 13.8% x (£12,647.50 - £8,632) = £554.139; £30,910.49 / 2 + NI
    assert half == costing.PersonCost(Fraction(1, 2), Fraction("12647.5"),
                                      Fraction("554.139"), Fraction("16009.384"), 1600938)
    low = person_cost(employer, PERSON, unit, Fraction(1, 5))  # £5,059 pay: no NI
    assert low.ni == 0 and low.pence == 618210  # 0.2 x £30,910.49 = £6,182.098
    pound = person_cost(employer, PERSON.evolve(round_to="pound"), unit, Fraction(1, 2))
    assert pound.pence == 1600900
    explicit = cost_per_fte(employer, PERSON, key(cost_pence=3_000_040), 2019)
    shared = person_cost(employer, PERSON, explicit, Fraction(1, 2))
    assert (shared.exact, shared.ni, shared.pence) == (Fraction("15000.20"), 0, 1500020)


def test_a_line_of_several_people_is_headcount_times_each_persons_cost():
    structure = Structure("s", [Post("Clerks", 2, "Grade 5", 20, headcount=4),
                                Post("Clerk", "0.5", "Grade 5", 20),
                                Post("Other", "0.5", "Grade 5", 20, end=dt.date(2019, 3, 31))],
                          [Payment("Grant", "100.01"),
                           Payment("Lump", "3.00", per="total", start=dt.date(2019, 4, 1),
                                   end=dt.date(2019, 4, 2))])
    costed = cost(structure, PERSON)
    # each clerk works half time: 4 x £16,009.38; the lone half-timer £16,009.38
    assert list(costed.full_year_lines) == [6403752, 1600938, 0, 10001, 300]
    assert list(costed.unit_pence) == [3201876, 3201876, 3201876, 10001, 300]
    frame = resolved_frame(structure.to_frame(), PERSON)
    units = UnitCosts(frame, PERSON)
    assert list(costing.person_line_pence(frame, units, PERSON, 2019)) == [
        6403752, 1600938, 1600938, 10001, 300]
    fte = cost(structure, PERSON.evolve(ni_basis="fte"))
    assert fte.full_year_lines[1] == round(Fraction("33209.984") * 50)  # per fte, halved


def test_a_period_under_ni_per_person_prorates_each_years_line_once():
    post = Post("Clerk", "0.5", "", salary=25295)
    period = (dt.date(2020, 3, 31), dt.date(2020, 4, 1))
    costed = one(post, PERSON, period=period)
    # 2019/20 (366 days): £16,009.384 -> £16,009.38; 2020/21 (365 days) NI above £8,788:
    # £15,455.245 + 13.8% x £3,859.50 = £15,987.856 -> £15,987.86
    year19, year20 = Fraction("16009.38"), Fraction("15987.86")
    exact = year19 / 366 + year20 / 365
    assert costed.period_lines[0] == round(exact * 100)  # pence: £87.54
    assert costed.period_lines[0] == 8754
    pound = one(post, PERSON.evolve(round_to="pound"), period=period)
    assert pound.period_lines[0] == 88  # £16,009 / 366 + £15,988 / 365
    lump = Payment("Lump", "3.00", per="total", start=dt.date(2020, 4, 1),
                   end=dt.date(2020, 4, 2))
    both = cost(Structure("s", [post], [lump]), PERSON, period=period)
    assert both.period_lines[1] == 150


def test_ni_per_person_needs_the_people_of_a_line_over_one_fte():
    error = _costing_error(Structure("s", [Post("Clerks", 2, "Grade 5", 20, reference="C"),
                                           Post("One", 1, "Grade 5", 20),
                                           Post("Many", "1.5", "Grade 5", 20, team="T")]),
                           PERSON)
    assert str(error).startswith("headcount needed for NI per person:\n  post C: [headcount] "
                                 "an fte over 1 under ni_basis = \"person\" needs the people "
                                 "in the line")
    first, second = error.problems
    assert (first.file, second.file) == ("post C", "post T / Many")
    assert first.field == "headcount" and first.expected == "headcount (a whole number >= 1)"
    assert first.found is None and first.line is None


def test_a_tiny_fte_shows_its_line_over_its_fte():
    costed = one(Post("Tiny", "0.0001", "Grade 5", 20), PERSON)
    # 0.0001 x £30,910.49 = £3.09 (no NI): per fte shown £3.09 / 0.0001 = £30,900
    assert costed.full_year_lines[0] == 309 and costed.unit_pence[0] == 3_090_000


# ---------------------------------------------------------------- the costing and its totals

def test_a_costing_keeps_its_unit_and_its_lines_read_only():
    structure = Structure("s", [Post("A", "0.5", "Band D", team="East", reference="A1"),
                                Post("B", 1, "Grade 5", 28, team="West")],
                          [Payment("Grant", "1000.50", team="East")])
    costed = cost(structure, SALARY_ONLY)
    assert len(costed) == 3 and costed.pence_per_unit == 100
    assert costed.unit.pence == 100 and costed.money_kind == "money"
    penny = cost(structure, PENNY)
    assert penny.pence_per_unit == 1 and penny.money_kind == "pence"
    assert penny.unit.pounds(12345) == Decimal("123.45")
    frame = costed.to_frame()
    assert list(frame["grade"]) == ["Hay Band D", "Grade 5", ""]  # canonical grade names
    assert frame["grade"].dtype == object
    frame.loc[0, "full_year"] = 0
    assert costed.full_year_lines[0] != 0 and costed.lines["full_year"][0] != 0
    assert not costed.unit_pence.flags.writeable and not costed.fte_lines.flags.writeable
    assert list(costed.fte_lines) == [5000, 10000, 10000]
    assert list(costed.line_costs()) == list(costed.full_year_lines)
    assert costed.unit_cost(1).cost == 25463 and costed.unit_cost(1, 2019).cost == 26317
    assert costed.posts_full_year + costed.payments_full_year == costed.full_year
    assert costed.payments_full_year == 1001


def test_without_a_period_there_is_no_period_figure():
    costed = one(Post("A", 1, "Grade 5"))
    message = ("'period' must be given when costing (cost(basis, period=(start, end))) "
               "(got None)")
    for name in ("period_lines", "period_total", "posts_period", "payments_period"):
        with pytest.raises(ValidationError) as caught:
            getattr(costed, name)
        assert str(caught.value) == message
    assert "period" not in costed.by("team")


def test_fte_counts_posts_in_force_only():
    structure = Structure("s", [Post("A", "0.5", "Grade 5", team="East"),
                                Post("B", "0.25", "Grade 5", team="East",
                                     end=dt.date(2018, 3, 31)),
                                Post("C", 1, "Grade 5", team="West")],
                          [Payment("Grant", "100", team="East")])
    costed = cost(structure, SALARY_ONLY, period=ACROSS_APRIL)
    assert costed.fte == Decimal("1.5") and costed.not_in_force == 1
    by_team = costed.by("team")
    assert list(by_team.index) == ["East", "West"]
    assert list(by_team["fte"]) == [Decimal("0.5"), Decimal(1)]
    # East: 0.5 x £25,463 = £12,731.50 -> £12,732, and £100; West £25,463
    assert list(by_team["full_year"]) == [Decimal(12832), Decimal(25463)]
    # periods: 0.5 x £4,319.74 -> £2,160 and £100 x (31/365 + 30/366) = £16.69 -> £17
    assert list(by_team["period"]) == [Decimal(2177), Decimal(4320)]
    penny = cost(structure, PENNY).by("team")
    assert list(penny["full_year"]) == [Decimal("12831.50"), Decimal(25463)]
    totals = totals_by(costed.to_frame(), "team")
    assert list(totals.columns) == ["fte_e4", "full_year", "period"]
    assert totals.loc["East"].tolist() == [5000 + 2500 + 10000, 12832, 2177]


def test_inferred_says_when_a_figure_rests_on_inferred_pay_data():
    assert one(Post("A", 1, "Grade 5")).inferred  # Nottinghamshire's grades are inferred
    assert not one(Post("A", 1, "", cost_per_fte=30000)).inferred


def test_funding_splits_each_line_and_the_rest_is_unfunded():
    structure = Structure("s", [Post("A", 1, "", salary="1000.01",
                                     funding={"Grant": 50, "Core": 50}),
                                Post("B", 1, "", salary=500)])
    costed = cost(structure, PENNY, period=(dt.date(2018, 4, 1), dt.date(2018, 4, 1)))
    funding = costed.by_funding()
    assert list(funding.index) == ["Grant", "Core", "(unfunded)"]
    assert list(funding.columns) == ["full_year", "period"]
    assert sum(funding["full_year"]) == Decimal("1500.01")
    assert sorted(funding["full_year"][:2]) == [Decimal("500.00"), Decimal("500.01")]
    assert funding.loc["(unfunded)", "full_year"] == Decimal(500)
    # one day of 365: £1,000.01 -> £2.74 (1p to one source), £500 -> £1.37
    assert funding.loc["(unfunded)", "period"] == Decimal("1.37")
    assert sum(funding["period"]) == Decimal("4.11")
    pound = cost(structure, SALARY_ONLY).by_funding()
    assert list(pound.columns) == ["full_year"]
    assert pound.loc["(unfunded)", "full_year"] == Decimal(500)
    assert len(cost(Structure("s", []), SALARY_ONLY).by_funding()) == 0


def test_an_engine_figure_is_shown_in_the_bases_unit():
    assert unit_money(12345, SALARY_ONLY) == Decimal(12345)
    assert unit_money(12345, PENNY) == Decimal("123.45")


def test_the_levy_allowance_line_only_for_the_whole_pay_bill(council):
    basis = PayBasis(council, 2018, rule="levy")
    structure = Structure("s", [Post("A", 1, "", salary=20000)])
    marginal = cost(structure, basis)
    assert marginal.levy_allowance is None and marginal.full_year == 20100  # 0.5% levy
    whole = cost(structure, basis.evolve(whole_pay_bill=True), period=ACROSS_APRIL)
    assert whole.levy_allowance.full_year == -100
    assert whole.full_year == 20000 and whole.posts_full_year == 20100
    # the period: £20,100 x (31/365 + 30/366) = £3,354.66 -> £3,355, of which levy
    # £100 x (31/365 + 30/366) = £16.69 -> £17, all of it allowed
    assert list(whole.period_lines) == [3355]
    assert whole.levy_allowance.period == -17 and whole.period_total == 3338


def test_int64_rounding_is_proved_to_fit_to_the_last_value():
    top = 2 ** 63 - 1
    assert int64_rounds((top - 1) // 2, 1)  # 2 x (2**62 - 1) + 1 = 2**63 - 1
    assert not int64_rounds(2 ** 62, 1)
    assert int64_rounds(0, 2 ** 62 - 1) and not int64_rounds(0, 2 ** 62)
    assert int64_rounds(2 ** 61, 2 ** 62 - 1)  # 2**62 + 2**62 - 1: the last that fits
    assert not int64_rounds(2 ** 61 + 1, 2 ** 62 - 1)


def test_cost_frame_reuses_the_unit_costs_it_is_given():
    frame = lines_frame([Post("A", "0.5", "Grade 5", 28)])
    units = UnitCosts(frame, SALARY_ONLY)
    costed, again = cost_frame(PreparedFrame(frame), SALARY_ONLY, units=units)
    assert again is units and list(costed["full_year"]) == [12732]
    assert "full_year" not in frame and "period" not in costed
    assert list(costed.columns[-3:]) == ["unit_pence", "full_year", "in_force"]


# ---------------------------------------------------------------- found by the mutation run

def test_a_grade_point_takes_employer_ni_from_the_tax_year_asked_for():
    employer = NJC19.load_employer()
    # Grade 5 scp 20 (£25,295): 2019/20 NI above £8,632, 2017/18 above £8,164
    own = cost_per_fte(employer, NJC19, SCP20, 2019)
    older = cost_per_fte(employer, NJC19, SCP20, 2019, ni_tax_year=2017)
    assert own.unrounded == Fraction("33209.984")
    assert older.unrounded - own.unrounded == Fraction("0.138") * (8632 - 8164)


def test_published_costed_rates_are_used_unless_the_basis_declines_them(council):
    basis = PayBasis(council, 2018, rule="salary-only")
    employer = basis.load_employer()
    assert cost_per_fte(employer, basis, key("Hay Band A", 34), 2018).cost == 41000
    declined = basis.evolve(costed_rates=False)
    assert cost_per_fte(employer, declined, key("Hay Band A", 34), 2018).cost == 30756


def test_a_top_of_grade_basis_does_not_carry_points_back_across_the_restructure():
    top = SALARY_ONLY.evolve(pay_year=2019, point="top")
    costed = one(Post("A", 1, "Grade 5", 20), top, period=ACROSS_APRIL)
    # 2018/19 top of Grade 5 (old 28) £25,463 x 31/365; 2019/20 top (new 22) £26,317 x 30/366
    assert costed.period_total == 4320


def test_every_figure_is_int64_even_for_no_lines():
    empty = cost(Structure("s", []), SALARY_ONLY, period=ACROSS_APRIL)
    for figures in (empty.unit_pence, empty.full_year_lines, empty.period_lines):
        assert figures.dtype == np.int64 and len(figures) == 0
    assert empty.full_year == 0 and empty.period_total == 0
    frame = lines_frame([])
    slots, slot_key, keys = key_slots(frame)
    assert (slots.dtype, slot_key.dtype, len(slot_key), keys) == (np.int64, np.int64, 0, [])
    assert key_codes(frame)[0].dtype == np.int64
    costed = cost(Structure("s", [Post("A", "0.5", "Grade 5")], [Payment("G", 10)]),
                  SALARY_ONLY, period=ACROSS_APRIL)
    for figures in (costed.unit_pence, costed.full_year_lines, costed.period_lines):
        assert figures.dtype == np.int64
    units = UnitCosts(lines_frame([Post("A", 1, "Grade 5")]), SALARY_ONLY)
    assert units.pence(2018).dtype == np.int64 and units.table(2018).dtype == np.int64
    person = cost(Structure("s", [Post("A", "0.5", "Grade 5", 20)]), PERSON,
                  period=ACROSS_APRIL[1:] * 2)
    for figures in (person.unit_pence, person.full_year_lines, person.period_lines):
        assert figures.dtype == np.int64


def test_a_missing_categorical_grade_keeps_its_own_points():
    frame = pd.DataFrame({"grade": pd.Series([None, "A", None], dtype="category"),
                          "scp": [5, 6, 7], "cost_per_fte_pence": NONE, "salary_pence": NONE,
                          "salary_min_pence": NONE, "salary_max_pence": NONE})
    slots, slot_key, keys = key_slots(frame)
    assert [keys[k] for k in slot_key[slots]] == [(None, 5, NONE, NONE, NONE, NONE),
                                                  ("A", 6, NONE, NONE, NONE, NONE),
                                                  (None, 7, NONE, NONE, NONE, NONE)]


def test_integer_codes_are_int64_offsets_from_the_lowest_value():
    codes, values = costing._integer_codes(np.array([NONE, 10, 10 + 4095], dtype=np.int64))
    assert list(codes) == [0, 1, 4096] and len(values) == 4097
    codes, _ = costing._integer_codes(np.array([5, 5 + 5000], dtype=np.int64))
    assert codes.dtype == np.int64


def test_a_key_space_wider_than_int64_is_grouped():
    # 17 grades and five columns of 4,095 values each (0 to 4,094): 1.96e19 slots, more than
    # int64 holds (mixed radix of sizes that are not powers of two would wrap wrongly)
    rows = range(17)
    points = [i * 4094 // 16 for i in rows]
    frame = pd.DataFrame({"grade": [f"G{i:02}" for i in rows],
                          **{column: points for column in costing.KEY_COLUMNS[1:]}})
    slots, slot_key, keys = key_slots(frame)
    assert [keys[k] for k in slot_key[slots]] == [(f"G{i:02}", *[points[i]] * 5) for i in rows]


def test_grouped_keys_keep_a_missing_grade():
    frame = pd.DataFrame({"grade": [None, "A", None], "scp": [5, 5, 5],
                          "cost_per_fte_pence": NONE, "salary_pence": NONE,
                          "salary_min_pence": NONE, "salary_max_pence": NONE})
    slots, slot_key, keys = costing._key_slots_grouped(frame)
    found = [keys[k] for k in slot_key[slots]]
    assert found[1] == ("A", 5, NONE, NONE, NONE, NONE)
    assert found[0] == found[2] and pd.isna(found[0][0]) and len(keys) == 2


def test_full_year_of_posts_in_hours_uses_their_exact_denominator():
    frame = resolved_frame(lines_frame([Post("A", grade="Grade 5", scp=28, hours=20)]),
                           SALARY_ONLY)
    units = UnitCosts(frame, SALARY_ONLY)
    # £25,463 x 20/37 = £13,763.78
    assert list(full_year_pounds(frame, units.pence(2018))) == [13764]
    assert list(full_year_pounds(frame, units.pence(2018), pence_per_unit=1)) == [1376378]


def test_a_line_starting_before_the_period_counts_from_the_periods_first_day():
    frame = lines_frame([Post("A", 1, "Grade 5", start=dt.date(2019, 2, 1),
                              end=dt.date(2019, 3, 10))])
    assert list(line_days(frame, *ACROSS_APRIL)) == [10]


def test_a_line_without_reference_or_team_is_named_by_its_title():
    error = _costing_error(Structure("s", [Post("Clerk", "0.55", "Grade 5", hours=20)]))
    assert error.problems[0].file == "post Clerk"
    error = _costing_error(Structure("s", [Post("Clerks", 2, "Grade 5", 20)]), PERSON)
    assert error.problems[0].file == "post Clerks"


def test_round_div_is_exact_beyond_float_precision():
    big = 10 ** 18 + 15  # not a float: 1e18 + 15 is 1e18 + 16 as a float
    assert round_div(np.array([-big], dtype=np.int64), 10).tolist() == [-(10 ** 17) - 2]
    huge = 10 ** 30 + 15
    assert round_div(np.array([-huge], dtype=object), 10).tolist() == [-(10 ** 29) - 2]


def test_full_year_products_too_wide_for_int64_are_exact_whatever_their_shape():
    # with the half (500,000) added, 2**63 - 500,000 would overflow int64
    edge = 2 ** 63 - 500_000
    assert costing._full_year(np.array([1]), np.array([edge]), np.array([edge])).tolist() == [
        (edge + 500_000) // 10 ** 6]
    wide = np.array([2 ** 23])
    # 2**40 x 2**23 = 2**63: £9,223,372,036,854.78 -> £9,223,372,036,855
    assert costing._full_year(np.array([2 ** 40]), wide, wide).tolist() == [9223372036855]
    assert costing._full_year(np.array([1, 2 ** 40]), np.array([2 ** 23, 2 ** 23]),
                              wide).tolist() == [8, 9223372036855]  # 2**23 = £8.39
    assert costing._full_year(np.array([-(2 ** 40), 1]), np.array([2 ** 23, 2 ** 23]),
                              wide).tolist() == [-9223372036855, 8]
    # an odd product beyond float precision: 3 x (2**61 + 1) = 6,917,529,027,641,081,859
    odd = np.array([2 ** 61 + 1])
    assert costing._full_year(np.array([3]), odd, odd, 1, 1).tolist() == [
        6917529027641081859]


def test_a_negative_fte_in_a_period_rounds_away_from_zero():
    frame = lines_frame([Post("A", "0.5", "", salary=365)])
    frame["fte_num"] = -frame["fte_num"]
    units = UnitCosts(frame, SALARY_ONLY)
    day = (dt.date(2018, 4, 1), dt.date(2018, 4, 1))
    assert list(period_pounds(frame, units, *day)) == [-1]  # -0.5 x £365 / 365 = -£0.50


def test_the_exact_period_numerators_never_pass_through_int64_or_float():
    plan = costing.PeriodPlan(
        np.array([1, 2 ** 30, 3]), 1,
        ((np.array([2 ** 30, 2 ** 20, 1]), np.array([2 ** 40, 2 ** 20, 2 ** 53 + 1]), 2),),
        0, False)
    assert costing.period_numerators(plan, object).tolist() == [
        2 ** 71, 2 ** 71, 3 * 2 * (2 ** 53 + 1)]
    single = costing.PeriodPlan(np.array([5]), 1, ((np.array([7]), np.array([3]), 1),), 0,
                                False)
    assert costing.period_numerators(single, np.int64).tolist() == [105]


def test_lump_sums_are_shared_exactly_at_every_size():
    # one day of 100,000, in pounds: int64 would overflow forming 2 x amount + 100,000 x 100
    amount = (2 ** 63 - 1 - 10 ** 6) // 2
    frame = pd.DataFrame({"cost_per_fte_pence": [amount]})
    days = np.array([0]), np.array([99_999])
    first = dt.date(1970, 1, 1)
    assert costing._lump_sums(frame, np.array([0]), *days, first, first, 100).tolist() == [
        (2 * amount + 10 ** 7) // (2 * 10 ** 7)]
    # past float precision: 2**53 + 1 pence over 2,048 days, all inside
    odd = pd.DataFrame({"cost_per_fte_pence": [2 ** 53 + 1]})
    span = np.array([0]), np.array([2047])
    assert costing._lump_sums(odd, np.array([0]), *span, first, dt.date(1975, 8, 10),
                              1).tolist() == [2 ** 53 + 1]
    # two days of three: £2
    three = pd.DataFrame({"cost_per_fte_pence": [300]})
    assert costing._lump_sums(three, np.array([0]), np.array([0]), np.array([2]), first,
                              dt.date(1970, 1, 2), 100).tolist() == [2]


def test_ni_per_person_under_a_rule_of_ni_alone_or_its_own_ni_year(council):
    basis = PayBasis(council, 2019, rule="ni-only", ni_basis="person", round_to="penny")
    employer = basis.load_employer()
    unit = cost_per_fte(employer, basis, key(salary=2_529_500), 2019)
    half = person_cost(employer, basis, unit, Fraction(1, 2))
    # £12,647.50 + 13.8% x (£12,647.50 - £8,632) = £13,201.639
    assert half.exact == Fraction("13201.639") and half.pence == 1320164
    model = PayBasis("nottinghamshire", 2018, rule="council-2018", ni_basis="person",
                     round_to="penny")
    unit = cost_per_fte(model.load_employer(), model, key(salary=2_000_000), 2018)
    half = person_cost(model.load_employer(), model, unit, Fraction(1, 2))
    # the rule's NI: 13.8% above £8,160 (2017/18, monthly x 12) on £10,000 = £253.92
    assert half.ni == Fraction("253.92") and half.exact == Fraction("12473.92")


def test_headcount_defaults_to_one_when_the_frame_has_no_column():
    frame = lines_frame([Post("A", "0.5", "Grade 5", reference="A")]).drop(columns="headcount")
    assert costing._headcounts(frame, [Fraction(1, 2)]) == [1]
    with pytest.raises(CostingError) as caught:
        costing._headcounts(frame, [Fraction(3, 2)])
    assert caught.value.problems[0].file == "post A"


def test_a_huge_line_per_person_is_exact():
    post = Post("Big", grade="", cost_per_fte="10000000000", hours=37)  # £10bn, 37/37 fte
    costed = one(post, PERSON, period=ACROSS_APRIL[1:] * 2)
    assert list(costed.full_year_lines) == [10 ** 12] and list(costed.unit_pence) == [10 ** 12]
    # one day of 2019/20: £10bn / 366 = £27,322,404.371...
    assert list(costed.period_lines) == [2732240437]


def test_totals_keep_first_seen_order_and_only_groups_present():
    structure = Structure("s", [Post("A", 1, "Grade 5", team="West"),
                                Post("B", "0.5", "Grade 5", team="East")])
    costed = cost(structure, SALARY_ONLY)
    assert list(costed.by("team").index) == ["West", "East"]
    frame = costed.to_frame()
    assert list(totals_by(frame, "team").index) == ["West", "East"]
    frame["team"] = pd.Categorical(frame["team"], categories=["North", "West", "East"])
    totals = totals_by(frame, "team")
    assert list(totals.index) == ["West", "East"]
    assert totals["full_year"].tolist() == [25463, 12732]


def test_a_costing_of_prepared_lines_keeps_their_rows_and_its_structure():
    structure = Structure("s", [Post("A", 1, "Band D"), Post("B", 1, "Grade 5")])
    frame = structure.to_frame()
    frame.index = [10, 11]
    costed = Costing.compute(structure, SALARY_ONLY, lines=PreparedFrame(frame))
    assert costed.structure is structure
    assert list(costed.to_frame()["grade"]) == ["Hay Band D", "Grade 5"]


def test_a_period_per_person_is_exact_beyond_float_precision():
    pence = 99_999_999_974_503  # £999,999,999,745.03, the largest order a cost may have
    costed = one(Post("Big", 1, "", cost_per_fte=Decimal(pence) / 100), PERSON,
                 period=ACROSS_APRIL)
    # x (31/365 + 30/366) = 16,689,871,992,151.5000224...: up to the penny, not down
    exact = Fraction(pence) * (Fraction(31, 365) + Fraction(30, 366))
    assert exact - 16_689_871_992_151 > Fraction(1, 2)
    assert list(costed.period_lines) == [16_689_871_992_152]

"""diff's rules, stated exactly (establishment.operations.diff): the focused file the mutation
run uses for that module (``benchmarks/mutation.py diff``). Each assertion is a rule a user
relies on: which change a difference is (and in what order), which lines match, the cost
effect of each step adding up to cost(after) - cost(before) at the basis's unit, funding
sources, and the messages in full. Everything is costed on a tiny employer of our own
(salary only: no NI, no on-costs, 40 full-time hours) so every figure can be checked by hand.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from establishment import PayBasis, Payment, Post, Structure
from establishment.errors import ValidationError
from establishment.model.frame import lines_frame
from establishment.operations.changes import (
    AddPayment,
    Amend,
    ChangeEnd,
    ChangeFte,
    ChangeFunding,
    ChangePayment,
    Disestablish,
    Establish,
    MakePermanent,
    Move,
    Regrade,
    RemovePayment,
    Target,
)
from establishment.operations.diff import diff, regrade_kind

D = Decimal
# 1 Oct 2018 to 31 Mar 2019: 182 of the pay year's 365 days
PERIOD = (dt.date(2018, 10, 1), dt.date(2019, 3, 31))
NOTTS = PayBasis(employer="nottinghamshire", pay_year="2018/19")


@pytest.fixture(scope="module")
def employer(tmp_path_factory) -> str:
    """An employer whose cost is the salary itself (rule ``plain``), or the salary plus the
    0.5% apprenticeship levy (rule ``levy``); a full-time week is 40 hours."""
    folder = tmp_path_factory.mktemp("employers") / "plain"
    folder.mkdir()
    (folder / "employer.toml").write_text(
        'name = "Plain"\nspine = ""\ndefault_rule = "plain"\nfull_time_hours = 40\n'
        '[rules.plain]\nni = false\noncosts = []\n'
        '[rules.levy]\nni = false\nlevy = true\noncosts = []\n', encoding="utf-8")
    (folder / "grades.csv").write_text(
        "grade,spine,scp_min,scp_max,valid_from,valid_to,basis,evidence\n", encoding="utf-8")
    return str(folder)


@pytest.fixture(scope="module")
def pound(employer) -> PayBasis:
    return PayBasis(employer=employer, pay_year=2018)


@pytest.fixture(scope="module")
def penny(employer) -> PayBasis:
    return PayBasis(employer=employer, pay_year=2018, round_to="penny")


def post(title: str, salary: str, fte=1, **fields) -> Post:
    return Post(title, fte, fields.pop("grade", "G1"), salary=D(salary), **fields)


# one of every kind of change, costed by hand below
BEFORE = Structure("before", [
    post("Officer", "20000.50", reference="X", team="T", funding="Core"),
    Post("Clerk", hours=20, grade="G1", salary=D("10000"), team="T"),
    post("Gone", "1000.25", team="T", funding={"Core": 50, "Grant": 50}),
], [Payment("Honorarium", 100, reference="H")], description="the old one")
AFTER = Structure("after", [
    post("Officer", "30000.75", D("0.5"), grade="G2", reference="X", team="U",
         funding="Grant"),
    post("Clerk", "10000", D("0.5"), team="T", hours=20),
    post("New", "500.33", team="T"),
], [Payment("Honorarium", 150, reference="H"), Payment("Bonus", 7)], description="the new one")


def test_every_kind_of_change_is_found_named_and_costed_in_pounds(pound):
    result = diff(BEFORE, AFTER, pound, period=PERIOD)
    assert result.kinds() == ["regrade", "change fte", "move team", "change funding",
                              "change fte", "disestablish", "change payment", "establish",
                              "add payment"]
    assert result.frame["kind"].tolist() == [
        "regrade", "change fte", "move", "change funding", "change fte", "disestablish",
        "change payment", "establish", "add payment"]
    assert result.frame["before"].tolist() == [0, 0, 0, 0, 1, 2, 3, -1, -1]
    assert result.frame["after"].tolist() == [0, 0, 0, 0, 1, -1, 3, 2, 4]
    # the regrade at the old fte (£20,000.50 -> £30,000.75, whole pounds: 20,001 -> 30,001),
    # then the fte at the new grade (0.5 x 30,001 = 15,000.50 -> 15,001), the rest moves no
    # money
    assert result.frame["full_year"].tolist() == [10000, -15000, 0, 0, 0, -1000, 50, 500, 7]
    assert result.frame["period"].tolist() == [4986, -7479, 0, 0, 0, -499, 25, 249, 3]
    assert [e.full_year for e in result.effects] == [D(10000), D(-15000), 0, 0, 0, D(-1000),
                                                     D(50), D(500), D(7)]
    assert result.net_full_year == D(-5443) == result.after_full_year - result.before_full_year
    assert (result.before_full_year, result.after_full_year) == (D(26101), D(20658))
    assert result.net_period == D(-2715)
    assert result.fte_change == D("-0.5")
    assert result.counts() == {"regrade": 1, "change fte": 2, "move": 1, "change funding": 1,
                               "disestablish": 1, "change payment": 1, "establish": 1,
                               "add payment": 1}
    assert len(result) == 9 and bool(result)
    assert repr(result) == "<Diff 9 changes, net full year -5443>"
    assert list(result) == list(result.changes)


def test_the_change_records_say_exactly_what_changes(pound):
    result = diff(BEFORE, AFTER, pound, period=PERIOD)
    x, clerk = Target("X"), Target(None, "T", "Clerk", 0)
    assert result.changes == (
        Regrade(x, "G2", None, None, D("30000.75"), None, None, unpriced="", kind="regrade"),
        ChangeFte(x, D("0.5"), hours=None),
        Move(x, "U", None),
        ChangeFunding(x, "Grant"),
        ChangeFte(clerk, D("0.5"), hours=D(20)),
        Disestablish(Target(None, "T", "Gone", 0)),
        ChangePayment(Target("H"), Payment("Honorarium", 150, reference="H")),
        Establish(post("New", "500.33", team="T")),
        AddPayment(Payment("Bonus", 7)),
    )
    assert result.described() == [
        ("regrade", "X", "regrade Officer (X) to G2"),
        ("change fte", "X", "change fte of Officer (X) to 0.5"),
        ("move team", "X", "move Officer (X) to team U"),
        ("change funding", "X", "fund Officer (X) from Grant"),
        ("change fte", "T / Clerk", "change hours of T / Clerk to 20 a week"),
        ("disestablish", "T / Gone", "disestablish T / Gone"),
        ("change payment", "H", "change payment Honorarium (H) to £150 per year"),
        ("establish", "T / New", "establish 1 fte New (G1)"),
        ("add payment", "Bonus", "add payment Bonus (£7 per year)"),
    ]


def test_under_round_to_penny_every_figure_is_in_pence_shown_as_pounds(penny):
    result = diff(BEFORE, AFTER, penny, period=PERIOD)
    assert result.unit.pence == 1
    assert result.frame["full_year"].tolist() == [1000025, -1500037, 0, 0, 0, -100025, 5000,
                                                  50033, 700]
    assert [e.full_year for e in result.effects] == [
        D("10000.25"), D("-15000.37"), 0, 0, 0, D("-1000.25"), D(50), D("500.33"), D(7)]
    assert [e.period for e in result.effects] == [
        D("4986.43"), D("-7479.64"), 0, 0, 0, D("-498.75"), D("24.93"), D("249.48"),
        D("3.49")]
    assert result.before_full_year == D("26100.75")
    assert result.after_full_year == D("20657.71")
    assert result.net_full_year == D("-5443.04")
    assert result.net_period == D("-2714.06")
    assert repr(result) == "<Diff 9 changes, net full year -5443.04>"
    by_source = result.by_funding()["full_year"]
    assert by_source.to_dict() == {"Core": D("-20500.63"), "(unfunded)": D("557.33"),
                                   "Grant": D("14500.26")}
    assert sum(by_source, D(0)) == result.net_full_year


def test_by_funding_in_whole_pounds(pound):
    result = diff(BEFORE, AFTER, pound)
    # before: Officer 20,001 Core; Clerk 5,000 unfunded; Gone 1,000 half Core half Grant;
    # Honorarium 100 unfunded. after: Officer 15,000 Grant; Clerk 5,000; New 500; 150 + 7
    assert result.by_funding()["full_year"].to_dict() == {
        "Core": D(-20501), "(unfunded)": D(557), "Grant": D(14501)}
    assert "period" not in result.frame
    assert result.unit.pence == 100


def test_net_period_without_a_period_is_an_error_not_zero(pound):
    result = diff(BEFORE, AFTER, pound)
    with pytest.raises(ValidationError) as caught:
        result.net_period  # noqa: B018
    assert str(caught.value) == ("'period' must be given to diff() (diff(before, after, basis, "
                                 "period=(start, end))) (got None)")
    assert [e.period for e in result.effects] == [None] * 9


def test_an_empty_diff_is_false_and_costs_nothing(pound):
    result = diff(BEFORE, BEFORE, pound, period=PERIOD)
    assert not result and len(result) == 0 and list(result) == []
    assert result.net_full_year == 0 and result.net_period == 0
    assert result.frame.columns.tolist() == ["kind", "before", "after", "full_year", "period"]
    assert [str(t) for t in result.frame.dtypes] == ["object", "int64", "int64", "int64",
                                                     "int64"]
    assert result.counts() == {} and result.kinds() == [] and result.described() == []
    assert repr(result) == "<Diff 0 changes, net full year 0>"


def test_apply_to_gives_after_in_its_order_with_its_name(pound):
    result = diff(BEFORE, AFTER, pound)
    applied = result.apply_to(BEFORE)
    assert applied == AFTER
    assert applied.name == "after" and applied.description == "the new one"
    assert [p.title for p in applied.posts] == ["Officer", "Clerk", "New"]
    assert [p.title for p in applied.payments] == ["Honorarium", "Bonus"]
    # after given as a frame: no name to take, before's stays
    on_frame = diff(BEFORE, AFTER.to_frame(), pound).apply_to(BEFORE)
    assert on_frame.name == "before" and on_frame.posts == AFTER.posts


def test_apply_to_puts_lines_in_after_order_not_before_order(pound):
    before = Structure("b", [post("A", "100", reference="A"), post("B", "200", reference="B"),
                             post("C", "300", reference="C")],
                       [Payment("P", 1, reference="P"), Payment("Q", 2, reference="Q")])
    after = Structure("a", [post("C", "300", reference="C"), post("N", "5", reference="N"),
                            post("A", "100", reference="A"), post("B", "201", reference="B")],
                      [Payment("Q", 2, reference="Q"), Payment("R", 3), Payment("P", 1,
                                                                             reference="P")])
    result = diff(before, after, pound)
    assert result.kinds() == ["pay range", "establish", "add payment"]
    applied = result.apply_to(before)
    assert [p.reference for p in applied.posts] == ["C", "N", "A", "B"]
    assert [p.title for p in applied.payments] == ["Q", "R", "P"]
    assert applied == after


# --- matching --------------------------------------------------------------------------

def test_a_reference_matches_across_team_and_title_and_only_the_moved_part_is_named(pound):
    before = Structure("b", [post("Officer", "100", reference="A", team="T"),
                             post("Officer", "100", reference="B", team="T"),
                             post("Officer", "100", reference="C", team="T")])
    after = Structure("a", [post("Officer", "100", reference="A", team="U"),
                            post("Lead", "100", reference="B", team="T"),
                            post("Lead", "100", reference="C", team="U")])
    result = diff(before, after, pound)
    assert result.kinds() == ["move team", "retitle", "move team and retitle"]
    assert result.changes == (Move(Target("A"), "U", None), Move(Target("B"), None, "Lead"),
                              Move(Target("C"), "U", "Lead"))
    assert result.net_full_year == 0
    # a post is named by its title unless the text already has it (the new title)
    assert [d[2] for d in result.described()] == [
        "move Officer (A) to team U", "move B retitled Lead", "move C to team U and retitled Lead"]


def test_unreferenced_lines_match_by_team_title_and_occurrence(pound):
    before = Structure("b", [post("Clerk", "100", team="T"), post("Clerk", "200", team="T"),
                             post("Clerk", "300", team="U")])
    after = Structure("a", [post("Clerk", "100", team="T"), post("Clerk", "250", team="U"),
                            post("Clerk", "300", team="U")])
    result = diff(before, after, pound)
    # T's second Clerk is gone; U's first Clerk (300 -> 250) is re-priced; U's second is new
    assert result.kinds() == ["disestablish", "pay range", "establish"]
    assert [str(c.target) for c in result.changes[:2]] == ["T / Clerk (#2)", "U / Clerk"]
    assert result.changes[1].salary == D(250)
    assert result.frame["full_year"].tolist() == [-200, -50, 300]
    assert result.net_full_year == D(50)


def test_payments_match_by_reference_then_title_and_any_field_is_a_change(pound):
    before = Structure("b", [], [
        Payment("A", 10, reference="A"), Payment("B", 10, team="T"), Payment("C", 10),
        Payment("D", 10, funding="Core"),
        Payment("E", 10, start="2018-04-01", end="2018-09-30"), Payment("F", 10), Payment("G", 10),
        Payment("H", 10), Payment("I", 10)])
    after = Structure("a", [], [
        Payment("A2", 10, reference="A"), Payment("B", 10, team="T"), Payment("C", 12),
        Payment("D", 10, funding="Grant"),
        Payment("E", 10, per="total", start="2018-04-01", end="2018-09-30"),
        Payment("F", 10, start="2018-06-01"), Payment("G", 10, end="2019-01-31"),
        Payment("H", 10, notes="why"), Payment("I", 10)])
    result = diff(before, after, pound)
    assert result.kinds() == ["change payment"] * 7
    assert [str(c.target) for c in result.changes] == ["A", "C", "D", "E", "F", "G", "H"]
    assert result.frame["full_year"].tolist() == [0, 2, 0, 0, 0, 0, 0]


def test_a_payment_gone_is_removed_and_its_cost_taken_off(pound):
    before = Structure("b", [post("Officer", "100")], [Payment("Honorarium", 40, team="T")])
    after = Structure("a", [post("Officer", "100")], [Payment("Honorarium", 40, team="U")])
    result = diff(before, after, pound, period=PERIOD)
    assert result.kinds() == ["remove payment", "add payment"]
    assert result.changes == (RemovePayment(Target(None, "T", "Honorarium", 0)),
                              AddPayment(Payment("Honorarium", 40, team="U")))
    assert result.frame["full_year"].tolist() == [-40, 40]
    assert result.frame["period"].tolist() == [-20, 20]


def test_references_shared_by_two_lines_are_refused_naming_the_side(pound):
    shared = lines_frame([], [Payment("Honorarium", 100, reference="H"),
                              Payment("Allowance", 200, reference="H")])
    other = Structure("y", [post("Officer", "100")], [Payment("Bonus", 1, reference="B")])
    with pytest.raises(ValidationError) as caught:
        diff(shared, other, pound)
    assert str(caught.value) == ("diff: before: 'reference' must be unique among the payment "
                                 "lines of each structure, to match lines by it (got 'H')")
    with pytest.raises(ValidationError) as caught:
        diff(other, shared, pound)
    assert str(caught.value) == ("diff: after: 'reference' must be unique among the payment "
                                 "lines of each structure, to match lines by it (got 'H')")


def test_a_diff_of_something_that_is_not_a_structure_is_refused(pound):
    with pytest.raises(ValidationError) as caught:
        diff(BEFORE, [1, 2], pound)
    assert str(caught.value) == ("'structure' must be a Structure or a frame of its lines "
                                 "(to_frame()) (got 'list')")


# --- fte and hours ---------------------------------------------------------------------

def test_hours_that_give_the_same_exact_fte_are_no_change(pound):
    # 20 hours of a 40-hour week is exactly 0.5; 7 hours 7/40: the sides' frames have
    # different fte denominators, and the same fte is still the same
    before = Structure("b", [Post("Clerk", hours=20, grade="G1", salary=D(10000),
                                  reference="C"),
                             post("Officer", "100", reference="O")])
    after = Structure("a", [Post("Clerk", hours=20, grade="G1", salary=D(10000),
                                 reference="C"),
                            post("Officer", "100", reference="O"),
                            Post("Aide", hours=7, grade="G1", salary=D(4000), reference="A")])
    result = diff(before, after, pound)
    assert result.kinds() == ["establish"]
    assert result.frame["full_year"].tolist() == [700]
    assert result.fte_change == D("0.175")


def test_hours_that_change_the_fte_are_a_change_fte_costed_exactly(pound):
    before = Structure("b", [Post("Clerk", hours=20, grade="G1", salary=D(10000),
                                  reference="C")])
    after = Structure("a", [Post("Clerk", hours=30, grade="G1", salary=D(10000),
                                 reference="C")])
    result = diff(before, after, pound)
    assert result.changes == (ChangeFte(Target("C"), None, hours=D(30)),)
    assert result.frame["full_year"].tolist() == [2500]
    assert result.described()[0][2] == "change hours of Clerk (C) to 30 a week"


def test_fte_change_counts_posts_in_force_only(pound):
    before = Structure("b", [post("A", "100", reference="A"),
                             post("B", "100", D("0.5"), reference="B", end="2018-03-31")])
    after = Structure("a", [post("A", "100", D("0.25"), reference="A"),
                            post("B", "100", 2, reference="B", end="2018-03-31")],
                      [Payment("P", 5)])
    result = diff(before, after, pound)
    assert result.fte_change == D("-0.75")


# --- regrades ---------------------------------------------------------------------------

def test_regrade_kind_names_a_change_of_grade_or_point_a_regrade():
    assert regrade_kind("G1", "G1") == "pay range"
    assert regrade_kind("G1", "G2") == "regrade"
    assert regrade_kind("G1", "G1", 3, 4) == "regrade"
    assert regrade_kind("G1", "G1", 3, 3) == "pay range"
    assert regrade_kind("Band D", "Hay Band D") == "regrade"  # spelled differently
    assert regrade_kind("Band D", "Hay Band D", basis=NOTTS) == "pay range"
    assert regrade_kind("Hay Band D", "Band D", 47, 47, NOTTS) == "pay range"
    assert regrade_kind("Band D", "Band E", basis=NOTTS) == "regrade"
    assert regrade_kind("Nowhere", "Elsewhere", basis=NOTTS) == "regrade"
    assert regrade_kind("Band D", "Hay Band D", 46, 47, NOTTS) == "regrade"


def test_a_respelt_grade_is_no_change_and_a_new_point_is_a_regrade():
    before = Structure("b", [Post("Manager", 1, "Band D", scp=47, reference="M"),
                             Post("Lead", 1, "Band D", scp=47, reference="L")])
    after = Structure("a", [Post("Manager", 1, "Hay Band D", scp=47, reference="M"),
                            Post("Lead", 1, "Hay Band D", scp=46, reference="L")])
    result = diff(before, after, NOTTS)
    assert result.kinds() == ["regrade"]
    assert result.changes == (Regrade(Target("L"), "Hay Band D", 46, kind="regrade"),)
    assert result.frame["before"].tolist() == [1]


def test_a_new_salary_on_the_same_grade_is_a_pay_range_change(pound):
    before = Structure("b", [post("Officer", "100", reference="X"),
                             Post("Adviser", 1, "G1", cost_per_fte=D(300), reference="Y"),
                             Post("Aide", 1, "G1", salary_min=D(10), salary_max=D(20),
                                  reference="Z"),
                             Post("Lead", 1, "G1", salary_min=D(10), salary_max=D(20),
                                  reference="W")])
    after = Structure("a", [post("Officer", "100", reference="X", grade="G9"),
                            Post("Adviser", 1, "G1", cost_per_fte=D(350), reference="Y"),
                            Post("Aide", 1, "G1", salary_min=D(12), salary_max=D(20),
                                 reference="Z"),
                            Post("Lead", 1, "G1", salary_min=D(10), salary_max=D(30),
                                 reference="W")])
    result = diff(before, after, pound)
    assert result.kinds() == ["regrade", "pay range", "pay range", "pay range"]
    assert [c.kind for c in result.changes] == result.kinds()
    assert result.frame["full_year"].tolist() == [0, 50, 1, 5]


def test_pay_becoming_undisclosed_is_a_pay_range_change(pound):
    before = Structure("b", [post("Officer", "100", reference="X")])
    after = Structure("a", [Post("Officer", 1, "G1", reference="X", unpriced="not disclosed")])
    result = diff(before, after, pound)
    assert result.kinds() == ["pay range"]
    assert result.changes[0].unpriced == "not disclosed"
    assert result.frame["full_year"].tolist() == [-100]


# --- end dates and amendments -----------------------------------------------------------

def test_end_dates_are_made_permanent_extended_shortened_or_made_temporary(pound):
    before = Structure("b", [post("A", "3650", reference="A", end="2018-12-31"),
                             post("B", "3650", reference="B", end="2018-12-31"),
                             post("C", "3650", reference="C"),
                             post("P", "3650", reference="P", end="2018-12-31"),
                             post("S", "3650", reference="S", end="2018-12-31")])
    after = Structure("a", [post("A", "3650", reference="A", end="2019-01-30"),
                            post("B", "3650", reference="B", end="2018-12-01"),
                            post("C", "3650", reference="C", end="2019-01-30"),
                            post("P", "3650", reference="P"),
                            post("S", "3650", reference="S", end="2018-12-31")])
    result = diff(before, after, pound, period=PERIOD)
    assert result.kinds() == ["extend temporary", "shorten temporary", "make temporary",
                              "make permanent"]
    assert result.changes == (ChangeEnd(Target("A"), dt.date(2019, 1, 30),
                                        kind="extend temporary"),
                              ChangeEnd(Target("B"), dt.date(2018, 12, 1),
                                        kind="shorten temporary"),
                              ChangeEnd(Target("C"), dt.date(2019, 1, 30),
                                        kind="make temporary"),
                              MakePermanent(Target("P")))
    # £10 a day: 30 more days, 30 fewer, 60 fewer (Jan 31 to Mar 31), 90 more
    assert result.frame["period"].tolist() == [300, -300, -600, 900]
    assert result.frame["full_year"].tolist() == [0, 0, 0, 0]


def test_an_amendment_names_only_the_fields_that_changed_and_costs_a_later_start(pound):
    before = Structure("b", [post("A", "3650", reference="A", status="vacant", notes="x",
                                  reports_to="B", increment_date="2018-09-01"),
                             post("B", "3650", reference="B")])
    after = Structure("a", [post("A", "3650", reference="A", status="filled", notes="x",
                                 reports_to="B", increment_date="2018-09-01",
                                 start="2018-11-01"),
                            post("B", "3650", reference="B", notes="y", reports_to="A",
                                 increment_date="2018-10-01")])
    result = diff(before, after, pound, period=PERIOD)
    assert result.changes == (
        Amend(Target("A"), {"start": dt.date(2018, 11, 1), "status": "filled"}),
        Amend(Target("B"), {"reports_to": "A", "increment_date": dt.date(2018, 10, 1),
                            "notes": "y"}))
    # A starts a month into the period: October's 31 days at £10 a day are not paid
    assert result.frame["period"].tolist() == [-310, 0]
    assert result.frame["full_year"].tolist() == [0, 0]


def test_several_aspects_of_one_post_are_costed_step_by_step_in_order(pound):
    before = Structure("b", [post("A", "3650", 2, reference="A", team="T", end="2018-12-31")])
    after = Structure("a", [post("A", "7300", 1, reference="A", team="U", start="2018-11-01",
                                 funding="Grant")])
    result = diff(before, after, pound, period=PERIOD)
    assert result.kinds() == ["pay range", "change fte", "make permanent", "amend",
                              "move team", "change funding"]
    # 2 x 3650 -> 2 x 7300 (+7300); -> 1 x 7300 (-7300); the end goes: Jan-Mar at £20 a day
    # (90 days, +1,800 in the period); the start moves to November: -31 days x £20
    assert result.frame["full_year"].tolist() == [7300, -7300, 0, 0, 0, 0]
    assert result.frame["period"].tolist() == [1840, -1840, 1800, -620, 0, 0]
    assert result.net_period == D(1180)


# --- the whole pay bill: the levy allowance line ---------------------------------------

def test_the_levy_allowance_line_is_part_of_each_side_and_of_the_net(employer):
    basis = PayBasis(employer=employer, pay_year=2018, rule="levy", whole_pay_bill=True)
    before = Structure("b", [post("A", "20000", reference="A")])
    after = Structure("a", [post("A", "20000", reference="A"), post("B", "40000")])
    result = diff(before, after, basis, period=PERIOD)
    # each post pays 0.5% levy, which the allowance (up to £15,000) takes back: the lines
    # are 20,100 and 40,200, the allowance -100 before and -300 after
    assert result.frame["full_year"].tolist() == [40200]
    assert result.before_full_year == D(20000) and result.after_full_year == D(60000)
    assert result.allowance_change() == D(-200)
    assert result.net_full_year == D(40000)
    # 182 days of the year: the new line 20,045; levy 182/365 of 300 and of 100
    assert result.frame["period"].tolist() == [20045]
    assert result.allowance_change("period") == D(-100)
    assert result.net_period == D(19945)
    # the allowance is the whole bill's, no funding source's
    assert result.by_funding()["full_year"].to_dict() == {"(unfunded)": D(40200)}


def test_without_the_whole_pay_bill_there_is_no_allowance_change(employer):
    basis = PayBasis(employer=employer, pay_year=2018, rule="levy")
    before = Structure("b", [post("A", "20000", reference="A")])
    after = Structure("a", [post("A", "20000", reference="A"), post("B", "40000")])
    result = diff(before, after, basis, period=PERIOD)
    assert result.allowances == (None, None)
    assert result.allowance_change() == 0 and result.allowance_change("period") == 0
    assert result.net_full_year == D(40200) == result.after_full_year - D(20100)


# --- frames, frame-backed structures and categorical columns ---------------------------

def _stored(structure: Structure) -> pd.DataFrame:
    """A structure's frame with text held as a large file's loader holds it: categories,
    and pandas' string dtype for the reference, reports_to and unpriced."""
    out = structure.to_frame()
    for column in ("kind", "title", "team", "grade", "status", "notes", "per"):
        out[column] = out[column].astype("category")
    for column in ("reference", "reports_to", "unpriced"):
        out[column] = out[column].astype("str")
    return out


@pytest.mark.parametrize("sides", ["both", "before", "after"])
def test_categorical_frames_give_the_same_diff_as_the_structures(pound, sides):
    expected = diff(BEFORE, AFTER, pound, period=PERIOD)
    before = _stored(BEFORE) if sides in ("both", "before") else BEFORE.to_frame()
    after = _stored(AFTER) if sides in ("both", "after") else AFTER.to_frame()
    result = diff(before, after, pound, period=PERIOD)
    assert result.frame.to_dict("list") == expected.frame.to_dict("list")
    assert result.changes == expected.changes
    assert result.kinds() == expected.kinds()
    assert result.described() == expected.described()
    assert result.before_structure is None and result.after_structure is None


def test_a_regrade_between_categorical_frames_with_different_grades_is_costed(pound):
    before = Structure("b", [post("A", "100", reference="A", grade="G1", team="T"),
                             post("B", "100", reference="B", grade="G1")])
    after = Structure("a", [post("A", "300", reference="A", grade="G7", team="U"),
                            post("B", "100", D(2), reference="B", grade="G1", notes="n")])
    result = diff(_stored(before), _stored(after), pound)
    assert result.kinds() == ["regrade", "move team", "change fte", "amend"]
    assert result.frame["full_year"].tolist() == [200, 0, 100, 0]
    # a missing reference on one side only is a difference, on both is none
    left = _stored(Structure("b", [post("A", "100", team="T")]))
    right = _stored(Structure("a", [post("A", "100", team="T")]))
    assert len(diff(left, right, pound)) == 0


def test_frame_backed_structures_build_the_changed_records_only(pound):
    before = Structure.from_lines(BEFORE.to_frame(), "b")
    after = Structure.from_lines(AFTER.to_frame(), "a")
    result = diff(before, after, pound, period=PERIOD)
    expected = diff(BEFORE, AFTER, pound, period=PERIOD)
    assert result.described() == expected.described()
    assert before.frame_backed and after.frame_backed  # the table made no record
    assert result.changes == expected.changes
    assert result.before_structure is before


def test_records_are_found_among_lines_of_their_own_kind(pound):
    # the second post and the second payment: a payment's position counts payments only
    before = Structure("b", [post("A", "100", reference="A"), post("B", "100", reference="B")],
                       [Payment("P", 1, reference="P"), Payment("Q", 2, reference="Q")])
    after = Structure("a", [post("A", "100", reference="A"), post("B", "200", reference="B")],
                      [Payment("P", 1, reference="P"), Payment("Q", 3, reference="Q")])
    for left, right in ((before, after), (before.to_frame(), after.to_frame()),
                        (Structure.from_lines(before.to_frame()),
                         Structure.from_lines(after.to_frame()))):
        result = diff(left, right, pound)
        assert result.changes == (
            Regrade(Target("B"), "G1", None, None, D(200), None, None, kind="pay range"),
            ChangePayment(Target("Q"), Payment("Q", 3, reference="Q")))
        assert [d[2] for d in result.described()] == [
            "change the pay of B within G1 to salary £200", "change payment Q to £3 per year"]


def test_a_missing_text_held_in_a_string_dtype_is_no_change(pound):
    # pandas' "str" dtype holds a missing value as NaN, which differs from itself: a frame
    # diffed with itself showed an "amend" for every post without a reports_to
    frame = BEFORE.to_frame()
    for column in ("reports_to", "notes", "reference"):
        frame[column] = frame[column].astype("str")
    assert diff(frame, frame, pound).frame["kind"].tolist() == []
    other = AFTER.to_frame().astype({"reports_to": "str"})
    other.loc[1, "reports_to"] = "X"
    assert diff(frame, other, pound).kinds() == [
        "regrade", "change fte", "move team", "change funding", "change fte", "amend",
        "disestablish", "change payment", "establish", "add payment"]
    assert diff(frame, other, pound).changes[5] == Amend(Target(None, "T", "Clerk", 0),
                                                         {"reports_to": "X"})


# --- exact fte in frames ----------------------------------------------------------------

def _fte_frames(before: tuple[int, int], after: tuple[int, int]) -> tuple[pd.DataFrame, ...]:
    """One post's line with its exact fte set as numerator / denominator on each side."""
    frames = []
    for num, den in (before, after):
        frame = Structure("x", [post("A", "100", reference="A")]).to_frame()
        frame["fte_num"], frame["fte_den"] = num, den
        frames.append(frame)
    return tuple(frames)


def test_an_fte_differing_past_four_places_is_a_change(pound):
    before = Structure("b", [post("A", "30000", D("0.33331"), reference="A")])
    after = Structure("a", [post("A", "30000", D("0.33332"), reference="A")])
    result = diff(before, after, pound)
    assert result.changes == (ChangeFte(Target("A"), D("0.33332")),)
    assert result.frame["full_year"].tolist() == [1]  # 9,999.30 -> 9,999; 9,999.60 -> 10,000


def test_exact_fte_with_huge_denominators_is_compared_exactly(pound):
    n = 2 ** 36
    # n / (2n + 1) and (n + 1) / (2n + 3) differ by 1 / ((2n + 1)(2n + 3)): cross products
    # past 2 ** 63 differ by one, which a float cannot see
    before, after = _fte_frames((n, 2 * n + 1), (n + 1, 2 * n + 3))
    assert diff(before, after, pound).frame["kind"].tolist() == ["change fte"]
    # the same fraction written twice over is no change (n + 1: cross products of 75
    # significant bits, which a float would round apart)
    m = n + 1
    before, after = _fte_frames((m, 2 * m + 1), (2 * m, 4 * m + 2))
    assert diff(before, after, pound).frame["kind"].tolist() == []
    # 2 ** 40 / 2 ** 41 and (2 ** 40 - 2 ** 23) / 2 ** 41: cross products 2 ** 64 apart,
    # equal in int64's wrapped arithmetic
    before, after = _fte_frames((2 ** 40, 2 ** 41), (2 ** 40 - 2 ** 23, 2 ** 41))
    assert diff(before, after, pound).frame["kind"].tolist() == ["change fte"]


def test_a_new_headcount_or_hours_at_the_same_fte_is_a_change_fte(pound):
    before = Structure("b", [post("A", "100", 2, reference="A", headcount=2),
                             post("B", "100", D("0.5"), reference="B", hours=20),
                             post("C", "100", D("0.5"), reference="C")])
    after = Structure("a", [post("A", "100", 2, reference="A", headcount=3),
                            post("B", "100", D("0.5"), reference="B"),
                            post("C", "100", D("0.5"), reference="C", hours=20)])
    result = diff(before, after, pound)
    assert result.kinds() == ["change fte"] * 3
    assert result.frame["full_year"].tolist() == [0, 0, 0]


# --- the records and texts of changes ---------------------------------------------------

def test_each_regrade_and_end_change_carries_its_kind(pound):
    before = Structure("b", [post("A", "100", reference="A", end="2018-12-31"),
                             post("B", "100", reference="B", end="2018-12-31"),
                             post("C", "100", reference="C"),
                             post("D", "100", reference="D")])
    after = Structure("a", [post("A", "100", reference="A", end="2019-01-31"),
                            post("B", "100", reference="B", end="2018-11-30"),
                            post("C", "100", reference="C", end="2019-01-31"),
                            post("D", "200", reference="D")])
    result = diff(before, after, pound)
    assert [c.kind for c in result.changes] == ["extend temporary", "shorten temporary",
                                                "make temporary", "pay range"]
    assert [d[2] for d in result.described()] == [
        "extend temporary A to 2019-01-31", "shorten temporary B to 2018-11-30",
        "make temporary C to 2019-01-31", "change the pay of D within G1 to salary £200"]


def test_a_respelt_grade_with_new_pay_is_a_pay_range_change_not_a_regrade():
    before = Structure("b", [Post("Manager", 1, "Band D", scp=47, reference="M")])
    after = Structure("a", [Post("Manager", 1, "Hay Band D", scp=47, reference="M",
                                 cost_per_fte=D(60000))])
    result = diff(before, after, NOTTS)
    assert result.kinds() == ["pay range"]
    assert result.changes == (Regrade(Target("M"), "Hay Band D", 47, D(60000)),)
    assert result.changes[0].kind == "pay range"


def test_the_regrade_record_carries_every_pay_field_of_the_new_line(pound):
    before = Structure("b", [Post("Adviser", 1, "G1", cost_per_fte=D(300), reference="Y"),
                             Post("Aide", 1, "G1", salary_min=D(10), salary_max=D(20),
                                  reference="Z")])
    after = Structure("a", [Post("Adviser", 1, "G1", cost_per_fte=D(350), reference="Y"),
                            Post("Aide", 1, "G1", salary_min=D(12), salary_max=D(22),
                                 reference="Z")])
    assert diff(before, after, pound).changes == (
        Regrade(Target("Y"), "G1", None, D(350)),
        Regrade(Target("Z"), "G1", None, None, None, D(12), D(22)))


def test_a_post_is_named_by_title_once_even_when_its_reference_recurs(pound):
    # reference "G" is part of the new grade "G2": only the post's own mention is expanded
    before = Structure("b", [post("Officer", "100", reference="G")])
    after = Structure("a", [post("Officer", "100", reference="G", grade="G2")])
    assert diff(before, after, pound).described() == [
        ("regrade", "G", "regrade Officer (G) to G2")]


def test_a_retitled_first_line_is_named_by_its_new_title(pound):
    before = Structure("b", [post("Officer", "100", reference="B")])
    after = Structure("a", [post("Lead", "100", reference="B")])
    assert diff(before, after, pound).described() == [
        ("retitle", "B", "move B retitled Lead")]
    before = Structure("b", [post("Officer", "100", reference="B", team="T")])
    after = Structure("a", [post("Officer", "100", reference="B", team="U")])
    assert diff(before, after, pound).described() == [
        ("move team", "B", "move Officer (B) to team U")]


def test_the_first_unreferenced_line_is_targeted_as_occurrence_zero(pound):
    before = Structure("b", [post("Clerk", "100", team="T")])
    after = Structure("a", [post("Clerk", "200", team="T")])
    result = diff(before, after, pound)
    assert result.changes[0].target == Target(None, "T", "Clerk", 0)
    assert result.changes[0].target.occurrence == 0


def test_a_diff_with_an_empty_side_builds_its_changes(pound):
    empty = Structure("e")
    one = Structure("o", [post("Clerk", "100", team="T")], [Payment("P", 5)])
    gone = diff(one, empty, pound)
    assert gone.changes == (Disestablish(Target(None, "T", "Clerk", 0)),
                            RemovePayment(Target(None, "", "P", 0)))
    assert gone.net_full_year == D(-105)
    new = diff(empty, one, pound)
    assert new.changes == (Establish(post("Clerk", "100", team="T")), AddPayment(Payment("P", 5)))
    assert new.net_full_year == D(105)


def test_a_payment_is_matched_as_a_payment_whatever_the_other_side_holds(pound):
    before = Structure("b", [], [Payment("P", 1, reference="P")])
    after = Structure("a", [post("A", "100", reference="A"), post("B", "100", reference="B")],
                      [Payment("P", 2, reference="P")])
    result = diff(before, after, pound)
    assert result.kinds() == ["change payment", "establish", "establish"]
    assert result.frame["full_year"].tolist() == [1, 100, 100]


def test_counts_are_in_the_order_kinds_first_appear(pound):
    result = diff(BEFORE, AFTER, pound)
    assert list(result.counts().items()) == [
        ("regrade", 1), ("change fte", 2), ("move", 1), ("change funding", 1),
        ("disestablish", 1), ("change payment", 1), ("establish", 1), ("add payment", 1)]


def test_a_diff_of_one_change_is_true(pound):
    before = Structure("b", [post("A", "100", reference="A")])
    after = Structure("a", [post("A", "101", reference="A")])
    result = diff(before, after, pound)
    assert bool(result) and len(result) == 1
    assert repr(result) == "<Diff 1 changes, net full year 1>"


def test_apply_to_another_structure_keeps_its_own_lines_after_afters_in_order(pound):
    before = Structure("b", [post("A", "100", reference="A")])
    after = Structure("a", [post("N", "5", reference="N"), post("A", "150", reference="A")])
    result = diff(before, after, pound)
    other = Structure("o", [post("A", "100", reference="A"), post("Y", "1", reference="Y"),
                            post("Z", "2", reference="Z")])
    applied = result.apply_to(other)
    assert [p.reference for p in applied.posts] == ["N", "A", "Y", "Z"]
    assert applied.posts[1].salary == D(150)


def test_diff_refuses_what_is_not_a_structure_or_a_frame(pound):
    with pytest.raises(ValidationError) as caught:
        diff(BEFORE, pd.Series([1.0]), pound)  # a Series has to_frame, but no posts
    assert str(caught.value) == ("'structure' must be a Structure or a frame of its lines "
                                 "(to_frame()) (got 'Series')")


def test_a_frame_with_its_own_index_is_diffed_by_position(pound):
    before, after = BEFORE.to_frame(), AFTER.to_frame()
    before.index, after.index = [10, 11, 12, 13], [7, 5, 3, 1, 0]
    result = diff(before, after, pound, period=PERIOD)
    expected = diff(BEFORE, AFTER, pound, period=PERIOD)
    assert result.frame.to_dict("list") == expected.frame.to_dict("list")
    assert result.changes == expected.changes
    assert result.apply_to(BEFORE) == AFTER.evolve(name="before", description="the old one")


def test_the_shared_reference_named_is_the_one_shared(pound):
    shared = lines_frame([post("Officer", "1", reference="P")],
                         [Payment("A", 1, reference="H"), Payment("B", 2, reference="K"),
                          Payment("C", 3, reference="H")])
    for before, after, side in ((shared, BEFORE, "before"), (AFTER, shared, "after")):
        with pytest.raises(ValidationError) as caught:
            diff(before, after, pound)
        assert str(caught.value) == (
            f"diff: {side}: 'reference' must be unique among the payment lines of each "
            "structure, to match lines by it (got 'H')")


def test_a_title_that_reads_like_a_grade_is_compared_as_written(pound):
    # grades are compared by canonical name ("Band D" is "Hay Band D"); titles are not
    before = Structure("b", [Post("Band D", 1, "Band D", scp=47, reference="M")])
    after = Structure("a", [Post("Hay Band D", 1, "Band D", scp=47, reference="M")])
    stored = [_stored(s) for s in (before, after)]
    assert diff(*stored, NOTTS).kinds() == ["retitle"]
    assert diff(before, after, NOTTS).kinds() == ["retitle"]


def test_the_change_table_of_frame_backed_structures_builds_no_post(pound, monkeypatch):
    before = Structure.from_lines(BEFORE.to_frame(), "b")
    after = Structure.from_lines(AFTER.to_frame(), "a")
    result = diff(before, after, pound)
    made = []
    real = Post.__attrs_post_init__
    monkeypatch.setattr(Post, "__attrs_post_init__", lambda self: (made.append(1), real(self)))
    assert [d[1] for d in result.described()] == ["X", "X", "X", "X", "T / Clerk", "T / Gone",
                                                   "H", "T / New", "Bonus"]
    assert made == []
    assert len(result.changes) == 9 and len(made) == 6  # each side's three changed posts, once


def test_the_allowance_of_an_empty_side_is_zero(employer):
    basis = PayBasis(employer=employer, pay_year=2018, rule="levy", whole_pay_bill=True)
    result = diff(Structure("e"), Structure("a", [post("A", "20000", reference="A")]), basis,
                  period=PERIOD)
    # the empty side's allowance line is £0; after's takes back the post's £100 levy
    assert result.allowance_change() == D(-100)
    assert result.net_full_year == D(20000) == result.after_full_year
    assert result.before_full_year == 0


def test_categorical_frames_of_posts_costed_by_grade_and_point():
    # the rows of a step are costed with the grade of their line: a categorical grade must
    # reach the costing whether or not it changes
    before = Structure("b", [Post("Officer", 1, "Band A", scp=34, reference="A"),
                             Post("Clerk", 1, "Grade 3", scp=18, reference="C")])
    after = Structure("a", [Post("Officer", 2, "Band A", scp=34, reference="A"),
                            Post("Clerk", 1, "Grade 4", scp=23, reference="C")])
    expected = diff(before, after, NOTTS)
    result = diff(_stored(before), _stored(after), NOTTS)
    assert result.kinds() == ["change fte", "regrade"]
    assert result.frame.to_dict("list") == expected.frame.to_dict("list")
    assert result.frame["full_year"].tolist()[0] == 40666  # a second Band A scp 34


def test_a_changed_text_held_in_a_string_dtype_is_a_change(pound):
    before = Structure("b", [post("A", "1", reference="A", reports_to="X", notes="n")])
    after = Structure("a", [post("A", "1", reference="A", reports_to="Y", notes="n")])
    for dtype in ("str", "string"):
        frames = [s.to_frame().astype({"reports_to": dtype, "notes": dtype})
                  for s in (before, after)]
        assert diff(*frames, pound).frame["kind"].tolist() == ["amend"]
        assert diff(frames[0], after, pound).frame["kind"].tolist() == ["amend"]
        assert diff(frames[0], before, pound).frame["kind"].tolist() == []


@pytest.mark.parametrize("framed", ["before", "after"])
def test_a_structure_diffed_with_a_frame_takes_each_sides_records_from_its_own(pound, framed):
    before = BEFORE.to_frame() if framed == "before" else BEFORE
    after = AFTER.to_frame() if framed == "after" else AFTER
    result = diff(before, after, pound)
    expected = diff(BEFORE, AFTER, pound)
    assert result.changes == expected.changes
    assert result.described() == expected.described()


def test_a_kind_the_diff_does_not_know_is_refused_not_guessed(pound):
    result = diff(Structure("b"), Structure("a", [post("A", "1")]), pound)
    result.frame = result.frame.assign(kind=["teleport"])
    with pytest.raises(ValueError) as caught:
        result.changes  # noqa: B018
    assert str(caught.value) == "unknown change kind 'teleport'"

"""Changes' rules, stated exactly (establishment.operations.changes): the focused file the
mutation run uses for that module (``benchmarks/mutation.py changes``). Each assertion is a
rule a user or a caller relies on: what each kind of change does to a structure, every
message of a change that does not fit (in full), how a change reads in a table, and each
change's cost effect (taken in order so the effects add up; at the basis's unit; posts in
hours at the rule's full-time hours). Tiny structures, the Python API only: fast."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import attrs
import pytest

from establishment import PayBasis, Payment, Post, Structure
from establishment.engine.costing import cost
from establishment.errors import ValidationError
from establishment.model.funding import FundingShare
from establishment.operations.changes import (
    AddPayment,
    Amend,
    Change,
    ChangeEffect,
    ChangeEnd,
    ChangeError,
    ChangeFte,
    ChangeFunding,
    ChangePayment,
    Disestablish,
    Establish,
    MakePermanent,
    Move,
    Regrade,
    RemovePayment,
    Step,
    Target,
    apply_changes,
    change_from_mapping,
    cost_changes,
    end_kind,
    to_target,
)

# the NJC rule (37 full-time hours) in 2018/19, in pence and in pounds
PENNY = PayBasis("nottinghamshire", 2018, rule="njc", round_to="penny")
POUND = PayBasis("nottinghamshire", 2018, rule="njc")
D = Decimal


def _post(title="Officer", fte=1, cost_per_fte="30000.01", **kw) -> Post:
    """A post at an explicit cost per fte, so every effect is simple arithmetic."""
    return Post(title, fte, "X", cost_per_fte=None if cost_per_fte is None else D(cost_per_fte),
                **kw)


def _team() -> Structure:
    return Structure("Team", [
        _post("Manager", 1, "40000", reference="M", team="A"),
        _post("Assistant", 3, "20000", team="A"),
        _post("Officer", 1, "30000", reference="O", team="B", end="2019-03-31",
              funding={"Core": 60, "Grant": 40}),
    ], [Payment("Honorarium", 1000, reference="H")])


def _refused(structure, changes) -> list[tuple[int, str]]:
    with pytest.raises(ChangeError) as caught:
        apply_changes(structure, changes)
    return caught.value.numbered


def _message(make) -> str:
    with pytest.raises(ValidationError) as caught:
        make()
    return str(caught.value)


# --- ChangeError --------------------------------------------------------------------------

def test_a_change_error_keeps_numbers_problems_and_says_nothing_was_applied():
    err = ChangeError([(2, "b"), (0, "a")])
    assert err.numbered == [(2, "b"), (0, "a")]
    assert err.numbers == [2, 0]
    assert [(p.file, p.line, p.message) for p in err.problems] == [
        ("change 2", None, "b"), ("change 0", None, "a")]
    assert str(err) == ("the changes do not fit the structure; nothing was applied:\n"
                        "  change 2: b\n  change 0: a")


# --- targets ------------------------------------------------------------------------------

def test_a_target_needs_a_reference_or_a_title():
    for kw in ({}, {"team": "T"}, {"reference": ""}):
        with pytest.raises(ValidationError) as caught:
            Target(**kw)
        assert caught.value.field == "target"
        assert caught.value.expected == "a reference, or a title (with its team)"
        assert caught.value.found == {"reference": kw.get("reference"),
                                      "team": kw.get("team", ""), "title": "",
                                      "occurrence": None}
    assert Target(reference="R").title == ""
    assert Target(title="A").team == ""


def test_a_target_reads_as_its_reference_else_team_title_and_its_occurrence():
    assert str(Target("R")) == "R"
    assert str(Target("R", "T", "A", 2)) == "R"
    assert str(Target(team="T", title="A")) == "T / A"
    assert str(Target(title="A")) == "A"
    assert str(Target(team="T", title="A", occurrence=0)) == "T / A"
    assert str(Target(team="T", title="A", occurrence=1)) == "T / A (#2)"
    assert str(Target(team="T", title="A", occurrence=2)) == "T / A (#3)"


def test_a_target_of_a_post_or_payment():
    assert Target.of(_post(reference="Z", team="T")) == Target(reference="Z")
    assert Target.of(_post(team="T"), 1) == Target(None, "T", "Officer", 1)
    assert Target.of(_post(team="T")) == Target(None, "T", "Officer", None)
    assert Target.of(Payment("H", 1, team="T")) == Target(None, "T", "H")
    assert Target.of(_post(reference="Z"), 3) == Target(reference="Z")


def test_to_target_from_every_form():
    target = Target(team="T", title="A")
    assert to_target(target) is target
    assert to_target(" R ") == Target(reference="R")
    assert to_target(("T", "A")) == Target(None, "T", "A")
    assert to_target(["T", "A", 1]) == Target(None, "T", "A", 1)
    assert to_target({"title": "A", "occurrence": 0}) == Target(None, "", "A", 0)
    assert to_target({"reference": "R"}) == Target("R")
    assert to_target(_post(team="T")) == Target(None, "T", "Officer")
    assert to_target(Payment("H", 1, reference="P")) == Target("P")


@pytest.mark.parametrize("value", [5, None, ("A",), ("T", "A", 0, 1), "".join, 1.5])
def test_to_target_refuses_anything_else(value):
    assert _message(lambda: to_target(value)) == (
        f"'target' must be a reference, (team, title) or a Target (got {value!r})")


def test_to_target_refuses_an_unknown_key_naming_every_one():
    assert _message(lambda: to_target({"title": "A", "zz": 1, "colour": 2})) == (
        "'target' must be a table of reference, team, title, occurrence (got ['colour', 'zz'])")


def test_an_occurrence_is_a_whole_number_from_zero():
    assert Target(title="A", occurrence=2).occurrence == 2
    with pytest.raises(ValidationError):
        Target(title="A", occurrence=-1)


# --- the change records -------------------------------------------------------------------

def test_each_change_describes_itself_as_a_committee_writes_it():
    cases = [
        (Establish(_post("SO", D("2.50"), team="T", reference="")), "establish", "T / SO",
         "establish 2.5 fte SO (X)"),
        (Establish(Post("SO", 1, "Grade 4", 12, end="2020-03-31")), "establish", "SO",
         "establish 1 fte SO (Grade 4 scp 12), temporary to 2020-03-31"),
        (Establish(Post("SO", None, "Grade 4", hours=D("18.50"), reference="S")), "establish",
         "S", "establish SO, 18.5 hours a week (Grade 4)"),
        (Establish(Post("SO", None, "Grade 4", hours=20, end="2020-01-31")), "establish", "SO",
         "establish SO, 20 hours a week (Grade 4), temporary to 2020-01-31"),
        (Disestablish("R"), "disestablish", "R", "disestablish R"),
        (Disestablish("R", "0.50"), "disestablish", "R", "disestablish 0.5 fte of R"),
        (Disestablish(("T", "A"), 10), "disestablish", "T / A", "disestablish 10 fte of T / A"),
        (Regrade("R", "Band A", 28), "regrade", "R", "regrade R to Band A scp 28"),
        (Regrade("R", "Band A"), "regrade", "R", "regrade R to Band A"),
        (ChangeFte("R", "0.50"), "change fte", "R", "change fte of R to 0.5"),
        (ChangeFte("R", None, hours="20.0"), "change fte", "R",
         "change hours of R to 20 a week"),
        (ChangeFte("R", 1, hours="18.5"), "change fte", "R",
         "change hours of R to 18.5 a week"),
        (MakePermanent("R"), "make permanent", "R", "make R permanent"),
        (ChangeEnd("R", "2021-03-31"), "change end", "R", "change end R to 2021-03-31"),
        (ChangeEnd("R", dt.date(2021, 3, 31), kind="extend temporary"), "extend temporary",
         "R", "extend temporary R to 2021-03-31"),
        (Move("R", team="U"), "move team", "R", "move R to team U"),
        (Move("R", title="Boss"), "retitle", "R", "move R retitled Boss"),
        (Move("R", "U", "Boss"), "move team and retitle", "R",
         "move R to team U and retitled Boss"),
        (ChangeFunding("R", {"Core": 60, "Grant": 40}), "change funding", "R",
         "fund R from Core 60%, Grant 40%"),
        (ChangeFunding("R", ()), "change funding", "R", "fund R from (unfunded)"),
        (Amend("R", {"status": "vacant", "start": "2019-04-01"}), "amend", "R",
         "amend R: start = 2019-04-01, status = vacant"),
        (AddPayment(Payment("Allowance", D("500.40"), team="T")), "add payment", "T / Allowance",
         "add payment Allowance (£500 per year)"),
        (RemovePayment("H"), "remove payment", "H", "remove payment H"),
        (ChangePayment("H", Payment("H", 2000)), "change payment", "H",
         "change payment H to £2,000 per year"),
    ]
    for change, kind, label, text in cases:
        assert (change.kind, change.label, change.describe()) == (kind, label, text)
    assert Change().label == ""


def test_a_pay_range_change_says_what_the_pay_becomes():
    def text(**kw):
        return Regrade("R", "Band A", kind="pay range", **kw).describe()

    start = "change the pay of R within Band A to "
    assert text() == start + "its grade's pay"
    assert text(scp=3) == start + "scp 3"
    assert text(salary=20000) == start + "salary £20,000"
    assert text(salary=20000, scp=3) == start + "salary £20,000"
    assert text(cost_per_fte="30000.5") == start + "£30,000.50 per fte"
    assert text(salary=1, cost_per_fte=2) == start + "salary £1"
    assert text(salary_min=1000, salary_max=2000) == start + "£1,000-£2,000"
    assert text(salary_min=1000, salary_max=2000, salary=5) == start + "£1,000-£2,000"
    assert text(salary_min=1000) == start + "its grade's pay"
    assert text(salary_max=1000) == start + "its grade's pay"
    assert text(salary_max=1000, salary=7) == start + "salary £7"
    assert text(unpriced="not disclosed", salary=5) == start + "pay not disclosed"
    assert text(unpriced="none") == start + "no pay"


def test_a_regrade_holds_the_whole_pay_definition():
    change = Regrade("R", "Band A", "28", "1.5", 2, 3, 4, unpriced="none")
    assert change.pay() == {"grade": "Band A", "scp": 28, "cost_per_fte": D("1.5"),
                            "salary": D(2), "salary_min": D(3), "salary_max": D(4),
                            "unpriced": "none"}
    assert Regrade("R").pay() == {"grade": "", "scp": None, "cost_per_fte": None,
                                  "salary": None, "salary_min": None, "salary_max": None,
                                  "unpriced": ""}
    assert Regrade("R", "A", kind="pay range") == Regrade("R", "A")  # kind is not equality
    for name in ("cost_per_fte", "salary", "salary_min", "salary_max"):
        with pytest.raises(ValidationError) as caught:
            Regrade("R", "A", **{name: "lots"})
        assert caught.value.field == name


def test_change_fte_needs_an_fte_or_hours():
    assert _message(lambda: ChangeFte("R", None)) == (
        "'fte' must be a new fte or contracted hours (hours) (got None)")
    assert ChangeFte("R", "0.5").hours is None
    assert ChangeFte("R", None, hours=20).hours == D(20)
    with pytest.raises(ValidationError) as caught:
        ChangeFte("R", None, hours="x")
    assert caught.value.field == "hours"
    with pytest.raises(ValidationError) as caught:
        ChangeFte("R", "x")
    assert caught.value.field == "fte"


def test_a_disestablished_part_must_be_positive():
    for part in (0, -1, "-0.5"):
        assert _message(lambda part=part: Disestablish("R", part)) == (
            f"'fte' must be > 0 (the part of the row to disestablish) (got {D(part)!r})")
    assert Disestablish("R", "0.01").fte == D("0.01")
    assert Disestablish("R").fte is None
    with pytest.raises(ValidationError) as caught:
        Disestablish("R", "half")
    assert caught.value.field == "fte"


def test_a_new_end_date_names_its_field():
    assert ChangeEnd("R", "2020-01-31").end == dt.date(2020, 1, 31)
    with pytest.raises(ValidationError) as caught:
        ChangeEnd("R", "soon")
    assert caught.value.field == "end"
    assert caught.value.found == "soon"
    assert caught.value.expected == "an ISO date such as 2019-03-31"
    assert _message(lambda: ChangeEnd("R", None)) == (
        "'end' must be a date (MakePermanent removes an end date) (got None)")
    assert _message(lambda: ChangeEnd("R", "")) == (
        "'end' must be a date (MakePermanent removes an end date) (got '')")


def test_amend_fields_are_converted_sorted_and_only_the_amendable_ones():
    assert Amend("R", {"status": "vacant", "start": "2019-04-01"}).fields == (
        ("start", dt.date(2019, 4, 1)), ("status", "vacant"))
    assert Amend("R", [("notes", "x"), ["reports_to", "M"]]).fields == (
        ("notes", "x"), ("reports_to", "M"))
    assert Amend("R", ()).fields == ()
    assert _message(lambda: Amend("R", {"fte": 2})) == (
        "'fields' must be some of start, status, reports_to, increment_date, notes (use "
        "Regrade, ChangeFte, ChangeEnd, Move or ChangeFunding for the others) (got 'fte')")
    for bad in ("status", [("status",)], [("a", "b", "c")], 5, [5]):
        assert _message(lambda bad=bad: Amend("R", bad)) == (
            f"'fields' must be a table of field = new value (got {bad!r})")
    with pytest.raises(ValidationError) as caught:
        Amend("R", {"start": "soon"})
    assert caught.value.field == "start"


def test_end_kind_reads_the_old_and_new_end():
    day = dt.date(2020, 1, 31)
    assert end_kind(day, None) == "make permanent"
    assert end_kind(None, None) == "make permanent"
    assert end_kind(None, day) == "make temporary"
    assert end_kind(day, day + dt.timedelta(1)) == "extend temporary"
    assert end_kind(day, day) == "shorten temporary"
    assert end_kind(day, day - dt.timedelta(1)) == "shorten temporary"


def test_a_change_effect_reads_as_its_change():
    effect = ChangeEffect(Move("R", team="U"), D(5))
    assert (effect.kind, effect.label, effect.describe(), effect.period) == (
        "move team", "R", "move R to team U", None)


# --- applying -----------------------------------------------------------------------------

def test_establish_adds_the_post_at_the_end_and_a_later_change_finds_it():
    post = _post("New", 2, team="A")
    after = apply_changes(_team(), [Establish(post), ChangeFte(("A", "New"), 3)])
    assert after.posts[-1] == post.evolve(fte=D(3))
    assert [p.title for p in after.posts] == ["Manager", "Assistant", "Officer", "New"]


def test_establishing_a_reference_already_there_is_refused():
    assert _refused(_team(), [Establish(_post("Dup", reference="M"))]) == [
        (1, "a post with reference 'M' already exists")]
    # a reference freed earlier in the list can be used again
    after = apply_changes(_team(), [Disestablish("M"), Establish(_post("New", reference="M"))])
    assert [p.title for p in after.posts] == ["Assistant", "Officer", "New"]


def test_establish_needs_a_post():
    with pytest.raises(ValidationError):
        Establish(Payment("H", 1))
    # a read-only view of a post (a diff's change table) describes, but is not applied
    post = _post("View", reference="V")
    view = SimpleNamespace(**{f.name: getattr(post, f.name) for f in attrs.fields(Post)})
    assert Establish(view).describe() == "establish 1 fte View (X)"
    with pytest.raises(TypeError) as caught:
        apply_changes(_team(), [Establish(view)])
    assert str(caught.value) == "establish needs a Post, not SimpleNamespace"


def test_disestablish_a_whole_row_or_part_of_it():
    after = apply_changes(_team(), [Disestablish("M"), Disestablish(("A", "Assistant"), 1)])
    assert [(p.title, p.fte) for p in after.posts] == [("Assistant", D(2)), ("Officer", D(1))]
    # taking exactly the row's fte removes the row
    assert [p.title for p in apply_changes(_team(), [Disestablish(("A", "Assistant"), 3)])
            .posts] == ["Manager", "Officer"]
    # parts add up: 3 - 1 - 2 takes the row
    gone = apply_changes(_team(), [Disestablish(("A", "Assistant"), 1),
                                   Disestablish(("A", "Assistant"), 2)])
    assert [p.title for p in gone.posts] == ["Manager", "Officer"]


def test_taking_more_fte_than_the_row_holds_is_refused_in_full():
    assert _refused(_team(), [Disestablish(("A", "Assistant"), "3.5")]) == [
        (1, "cannot take 3.5 fte from a row of 3 fte (post A / Assistant)")]
    # the row as the list so far leaves it
    assert _refused(_team(), [ChangeFte("M", "0.5"), Disestablish("M", 1)]) == [
        (2, "cannot take 1 fte from a row of 0.5 fte (post M)")]


def test_taking_fte_from_a_row_in_hours_is_refused_naming_its_hours():
    structure = Structure("x", [Post("H", None, "X", cost_per_fte=1, hours=D("18.50"),
                                     reference="H")])
    assert _refused(structure, [Disestablish("H", "0.25")]) == [
        (1, "cannot take 0.25 fte from a row given in hours (18.5 a week, post H): change "
            "its hours instead (change fte with hours = the hours left)")]
    # the hours as the list leaves them
    assert _refused(structure, [ChangeFte("H", None, hours=20), Disestablish("H", 1)]) == [
        (2, "cannot take 1 fte from a row given in hours (20 a week, post H): change its "
            "hours instead (change fte with hours = the hours left)")]
    # the whole row can go
    assert apply_changes(structure, [Disestablish("H")]).posts == ()
    # a row given in both: all of its fte removes it, a part needs its hours changed
    both = Structure("x", [Post("B", 1, "X", cost_per_fte=1, hours=37, reference="B")])
    assert apply_changes(both, [Disestablish("B", 1)]).posts == ()
    assert _refused(both, [Disestablish("B", "0.5")]) == [
        (1, "cannot take 0.5 fte from a row given in hours (37 a week, post B): change its "
            "hours instead (change fte with hours = the hours left)")]
    # a row put into fte can then be split
    split = apply_changes(structure, [ChangeFte("H", 2, hours=None), Disestablish("H", 1)])
    assert [(p.fte, p.hours) for p in split.posts] == [(D(1), None)]


def test_regrade_replaces_the_pay_definition_and_clears_what_it_does_not_give():
    structure = Structure("x", [Post("A", 1, "Grade 3", 10, reference="A",
                                     salary=D(20000))])
    post = apply_changes(structure, [Regrade("A", "Grade 4", 12)]).posts[0]
    assert (post.grade, post.scp, post.salary, post.cost_per_fte) == ("Grade 4", 12, None,
                                                                     None)
    post = apply_changes(structure, [Regrade("A", "X", cost_per_fte=5)]).posts[0]
    assert (post.grade, post.scp, post.cost_per_fte) == ("X", None, D(5))


def test_change_fte_sets_fte_and_hours_together():
    structure = Structure("x", [Post("H", None, "X", cost_per_fte=1, hours=D("18.5"),
                                     reference="H")])
    post = apply_changes(structure, [ChangeFte("H", None, hours=20)]).posts[0]
    assert (post.fte, post.hours) == (None, D(20))
    post = apply_changes(_team(), [ChangeFte("M", "0.5")]).posts[0]
    assert (post.fte, post.hours) == (D("0.5"), None)


def test_make_permanent_and_change_end():
    after = apply_changes(_team(), [MakePermanent("O"), ChangeEnd("M", "2020-01-31")])
    assert (after.posts[2].end, after.posts[0].end) == (None, dt.date(2020, 1, 31))
    assert _refused(_team(), [MakePermanent("M")]) == [
        (1, "post M is already permanent (it has no end date)")]
    # permanent as the list so far leaves it
    assert _refused(_team(), [MakePermanent("O"), MakePermanent("O")]) == [
        (2, "post O is already permanent (it has no end date)")]
    assert apply_changes(_team(), [ChangeEnd("M", "2020-01-31"), MakePermanent("M")]
                         ).posts[0].end is None


def test_move_and_retitle_keep_the_post():
    after = apply_changes(_team(), [Move("M", team="C"), Move("O", title="Lead"),
                                    Move(("A", "Assistant"), "C", "Aide")])
    assert [(p.team, p.title, p.reference) for p in after.posts] == [
        ("C", "Manager", "M"), ("C", "Aide", None), ("B", "Lead", "O")]


def test_change_funding_and_amend():
    after = apply_changes(_team(), [ChangeFunding("O", "Grant"),
                                    Amend("M", {"status": "vacant", "notes": "n"})])
    assert after.posts[2].funding == (FundingShare("Grant", D(100)),)
    assert (after.posts[0].status, after.posts[0].notes) == ("vacant", "n")


def test_payments_add_change_and_remove():
    structure = _team()
    added = apply_changes(structure, [AddPayment(Payment("Allowance", 500))])
    assert [p.title for p in added.payments] == ["Honorarium", "Allowance"]
    new = Payment("Honorarium", 2000, reference="H")
    assert apply_changes(structure, [ChangePayment("H", new)]).payments == (new,)
    assert apply_changes(structure, [RemovePayment("H")]).payments == ()
    assert _refused(structure, [RemovePayment("X")]) == [
        (1, "no payment with reference 'X'")]
    assert _refused(structure, [RemovePayment("H"), RemovePayment("H")]) == [
        (2, "payment H was already removed by an earlier change")]
    # a payment's target is a payment, not a post
    assert _refused(structure, [RemovePayment("M")]) == [(1, "no payment with reference 'M'")]


def test_unknown_and_ambiguous_targets_are_refused_in_full():
    two = Structure("x", [_post(team="T"), _post(fte=2, team="T")])
    assert _refused(two, [Disestablish(("T", "Officer"))]) == [
        (1, "2 posts are titled 'Officer' in team 'T'; give occurrence (0 = first) or a "
            "reference")]
    assert _refused(two, [Disestablish(Target(None, "T", "Officer", 2))]) == [
        (1, "post T / Officer (#3) not found: only 2 such rows")]
    assert _refused(two, [Disestablish(("U", "Officer"))]) == [
        (1, "no post titled 'Officer' in team 'U' (without a reference)")]
    assert _refused(_team(), [Move("XX", team="C")]) == [(1, "no post with reference 'XX'")]
    assert _refused(_team(), [Disestablish("M"), ChangeFte("M", 2)]) == [
        (2, "post M was already removed by an earlier change")]
    second = apply_changes(two, [Disestablish(Target(None, "T", "Officer", 1))])
    assert [p.fte for p in second.posts] == [D(1)]


def test_every_problem_is_reported_at_once_in_change_order_and_nothing_is_applied():
    structure = _team()
    found = _refused(structure, [
        ChangeFte("M", "0.5"),
        Disestablish("XX"),
        ChangeFte("O", 0),  # the post refuses it when the list's updates are applied
        MakePermanent("M"),
        Establish(_post("Dup", reference="O")),
    ])
    assert found == [
        (2, "no post with reference 'XX'"),
        (3, "change fte of O to 0: post O: 'fte' must be > 0 (got Decimal('0'))"),
        (4, "post M is already permanent (it has no end date)"),
        (5, "a post with reference 'O' already exists"),
    ]
    assert structure == _team()


def test_a_change_whose_updates_make_a_bad_post_is_named_by_its_number():
    # several updates to one post are combined and validated once: the last change named
    found = _refused(_team(), [ChangeEnd("M", "2020-01-31"),
                               Amend("M", {"start": "2020-06-01"})])
    assert [n for n, _ in found] == [2]
    assert found[0][1].startswith("amend M: start = 2020-06-01: post M: ")


def test_a_result_that_is_not_a_valid_structure_is_refused():
    # a payment's reference is checked when the structure is made
    found = _refused(_team(), [AddPayment(Payment("Other", 5, reference="H"))])
    assert found == [(0, "the result is not a valid structure: Team: 'reference' must be "
                         "unique among the payments of a structure (got 'H')")]


def test_apply_changes_needs_a_structure_and_changes():
    assert _message(lambda: apply_changes([_post()], [])) == (
        "'structure' must be a Structure (got 'list')")
    assert _message(lambda: apply_changes(Payment("H", 1), [])) == (
        "'structure' must be a Structure (got 'Payment')")
    with pytest.raises(TypeError, match="not a change: 5"):
        apply_changes(_team(), [5])
    assert apply_changes(_team(), []) == _team()


def test_a_change_to_a_post_that_is_not_one_is_a_type_error():
    from establishment.operations import changes as module

    with pytest.raises(TypeError, match="^Change is not a change to a post$"):
        module._post_fields(_post(), {}, Change())


def test_a_diff_applies_itself_and_costed_changes_apply_their_change():
    from establishment.operations.diff import diff

    before = _team()
    after = apply_changes(before, [Disestablish("M"), Establish(_post("New", team="A"))])
    assert apply_changes(before, diff(before, after, POUND)) == after
    # a diff gives the lines in the order of its after side, and after's name
    reordered = Structure("Renamed", [after.posts[-1], *after.posts[:-1]], after.payments)
    applied = apply_changes(before, diff(before, reordered, POUND))
    assert applied == reordered
    assert [p.title for p in applied.posts] == ["New", "Assistant", "Officer"]
    effects = [ChangeEffect(Disestablish("M"), D(-1))]
    assert apply_changes(before, effects) == apply_changes(before, [Disestablish("M")])


def test_several_changes_to_one_post_are_combined_and_the_post_validated_once(monkeypatch):
    made: list[str] = []
    real = Post.evolve

    def counting(self, **changes):
        made.append(self.title)
        return real(self, **changes)

    monkeypatch.setattr(Post, "evolve", counting)
    after = apply_changes(_team(), [ChangeFte("M", 2), ChangeEnd("M", "2020-01-31"),
                                    Move("M", team="C"), Regrade("O", "X", cost_per_fte=1)])
    assert sorted(made) == ["Manager", "Officer"]
    assert (after.posts[0].fte, after.posts[0].team) == (D(2), "C")


def test_apply_reads_any_iterable_once():
    after = apply_changes(_team(), iter([Disestablish("M"), Disestablish("O")]))
    assert [p.title for p in after.posts] == ["Assistant"]


# --- costing ------------------------------------------------------------------------------

def _effects(structure, changes, basis=POUND, period=None):
    return [(c.full_year, c.period) for c in cost_changes(structure, changes, basis, period)]


def test_each_effect_at_the_basis_unit_pence_under_penny():
    structure = Structure("x", [_post("A", 1, "30000.01", reference="A")])
    assert _effects(structure, [Disestablish("A")], PENNY) == [(D("-30000.01"), None)]
    assert _effects(structure, [Disestablish("A")], POUND) == [(D(-30000), None)]
    assert _effects(structure, [ChangeFte("A", 3)], PENNY) == [(D("60000.02"), None)]
    assert _effects(structure, [Establish(_post("B", 2, "0.50"))], PENNY) == [(D(1), None)]
    assert _effects(structure, [AddPayment(Payment("P", D("10.25")))], PENNY) == [
        (D("10.25"), None)]
    assert _effects(structure, [AddPayment(Payment("P", D("10.75")))], POUND) == [
        (D(11), None)]


def test_effects_are_taken_in_order_regrade_at_the_old_fte_then_fte_then_dates():
    structure = Structure("x", [_post("A", 2, "10000", reference="A")])
    changes = [Regrade("A", "X", cost_per_fte="15000"), ChangeFte("A", 3),
               ChangeEnd("A", "2018-09-30")]
    period = (dt.date(2018, 4, 1), dt.date(2019, 3, 31))
    costed = cost_changes(structure, changes, PENNY, period)
    # 2 x 5,000 at the old fte; one more fte at the new grade; the dates change no full year
    assert [c.full_year for c in costed] == [D(10000), D(15000), D(0)]
    whole = cost(structure, PENNY, period=period).period_total
    after = apply_changes(structure, changes)
    half = cost(after, PENNY, period=period).period_total
    assert [c.period for c in costed][:2] == [D(10000), D(15000)]
    assert costed[2].period == half - D(45000)
    assert costed[2].period < 0
    assert sum(c.period for c in costed) == half - whole
    assert costed[2].kind == "make temporary"
    # the same changes in another order share the difference otherwise, to the same total
    other = cost_changes(structure, [changes[1], changes[0], changes[2]], PENNY, period)
    assert [c.full_year for c in other] == [D(10000), D(15000), D(0)]
    assert [c.change for c in other] == [changes[1], changes[0], changes[2]]


def test_a_change_end_comes_back_with_its_kind_and_others_unchanged():
    structure = _team()
    costed = cost_changes(structure, [ChangeEnd("O", "2020-03-31"), ChangeEnd("O", "2019-01-31"),
                                      ChangeEnd("M", "2019-01-31"), MakePermanent("O")], POUND)
    assert [c.kind for c in costed] == ["extend temporary", "shorten temporary",
                                        "make temporary", "make permanent"]
    assert costed[0].change == ChangeEnd("O", "2020-03-31")
    assert costed[0].change.kind == "extend temporary"
    assert costed[3].change == MakePermanent("O")


def test_posts_in_hours_are_costed_at_the_rules_full_time_hours():
    structure = Structure("x", [Post("H", None, "X", cost_per_fte=D(37000), hours=D("18.5"),
                                     reference="H")])
    assert _effects(structure, [Disestablish("H")], PENNY) == [(D(-18500), None)]
    assert _effects(structure, [ChangeFte("H", None, hours=37)], PENNY) == [(D(18500), None)]
    assert _effects(structure, [Establish(Post("N", None, "X", cost_per_fte=D(37000),
                                               hours=D("3.7")))], PENNY) == [(D(3700), None)]


def test_effects_of_every_kind_add_up_to_the_difference():
    structure = _team()
    changes = [Disestablish("M"), Establish(_post("New", 2, "1000", team="A")),
               Disestablish(("A", "Assistant"), 1), Move("O", team="C"),
               ChangeFunding("O", "Grant"), Amend(("A", "Assistant"), {"status": "vacant"}),
               ChangePayment("H", Payment("Honorarium", 1500, reference="H")),
               RemovePayment("H"), AddPayment(Payment("Bonus", 300))]
    costed = cost_changes(structure, changes, POUND)
    assert [c.full_year for c in costed] == [D(-40000), D(2000), D(-20000), 0, 0, 0,
                                             D(500), D(-1500), D(300)]
    assert [c.change for c in costed] == changes
    assert sum(c.full_year for c in costed) == (cost(apply_changes(structure, changes), POUND)
                                                .full_year - cost(structure, POUND).full_year)
    assert cost_changes(structure, [], POUND) == []
    assert cost_changes(structure, [], POUND, (dt.date(2018, 4, 1), dt.date(2018, 9, 30))) == []


def test_payment_and_post_effects_are_not_crossed_whatever_their_order():
    # the engine costs posts before payments: each effect must come back to its own line
    structure = _team()
    changes = [AddPayment(Payment("Bonus", 300)), Establish(_post("New", 2, "1000")),
               ChangePayment("H", Payment("Honorarium", 1700, reference="H")),
               Disestablish("O")]
    assert _effects(structure, changes) == [(D(300), None), (D(2000), None), (D(700), None),
                                            (D(-30000), None)]


def test_a_period_effect_is_the_cost_in_the_period_only():
    structure = Structure("x", [_post("A", 1, "36500", reference="A")])
    period = (dt.date(2018, 4, 1), dt.date(2018, 9, 30))
    costed = cost_changes(structure, [Disestablish("A")], POUND, period)
    assert costed[0].full_year == D(-36500)
    assert costed[0].period == -cost(structure, POUND, period=period).period_total
    assert costed[0].period != costed[0].full_year


def test_a_list_that_does_not_fit_is_refused_before_anything_is_costed():
    with pytest.raises(ChangeError) as caught:
        cost_changes(_team(), [Disestablish("M"), Disestablish("XX")], POUND)
    assert caught.value.numbered == [(2, "no post with reference 'XX'")]


def test_a_step_that_is_not_a_valid_post_is_refused_saying_why():
    structure = Structure("x", [_post("A", reference="A", start="2019-09-01",
                                      end="2019-12-31")])
    changes = [ChangeEnd("A", "2019-05-31"), Amend("A", {"start": "2019-04-01"}),
               ChangeFte("A", 2)]
    assert apply_changes(structure, changes).posts[0].fte == D(2)  # fits as a whole
    with pytest.raises(ChangeError) as caught:
        cost_changes(structure, changes, POUND)
    assert caught.value.numbers == [1]
    message = caught.value.numbered[0][1]
    assert message.startswith("change end A to 2019-05-31: post A: ")
    assert message.endswith(" (after change 1; cost effects are taken change by change, so "
                            "each step must be a valid structure)")


def test_a_removed_post_later_re_established_is_costed_as_the_new_post():
    structure = Structure("x", [_post("A", 1, "100", reference="A")])
    changes = [Disestablish("A"), Establish(_post("A", 1, "300", reference="A")),
               ChangeFte("A", 2)]
    assert _effects(structure, changes) == [(D(-100), None), (D(300), None), (D(300), None)]


def test_several_changes_to_one_post_cost_from_where_the_last_left_it():
    structure = Structure("x", [_post("A", 1, "100", reference="A")])
    changes = [ChangeFte("A", 2), ChangeFte("A", 5), Disestablish("A", 1), Disestablish("A")]
    assert _effects(structure, changes) == [(D(100), None), (D(300), None), (D(-100), None),
                                            (D(-400), None)]


def test_a_step_holds_the_line_before_and_after():
    step = Step(None, _post())
    assert (step.before, step.after) == (None, _post())


# --- reading a change table ---------------------------------------------------------------

def test_change_from_mapping_reads_every_kind():
    post = {"title": "SO", "fte": 4, "grade": "Grade 4"}
    payment = {"title": "H", "amount": 5}
    cases = [
        ({"kind": "establish", "post": post}, Establish(Post("SO", 4, "Grade 4"))),
        ({"kind": "add-payment", "payment": payment}, AddPayment(Payment("H", 5))),
        ({"kind": "disestablish", "target": "R"}, Disestablish("R")),
        ({"kind": "disestablish", "target": {"team": "T", "title": "A"}, "fte": 1},
         Disestablish(("T", "A"), 1)),
        ({"kind": "regrade", "target": "R", "grade": "G", "scp": 3, "cost_per_fte": 1,
          "salary": 2, "salary_min": 3, "salary_max": 4},
         Regrade("R", "G", 3, 1, 2, 3, 4)),
        ({"kind": "change-fte", "target": "R", "fte": "0.5"}, ChangeFte("R", "0.5")),
        ({"kind": "make-permanent", "target": "R"}, MakePermanent("R")),
        ({"kind": "change-end", "target": "R", "end": "2020-01-31"},
         ChangeEnd("R", dt.date(2020, 1, 31))),
        ({"kind": "move", "target": "R", "team": "U"}, Move("R", "U", None)),
        ({"kind": "move", "target": "R", "title": "B"}, Move("R", None, "B")),
        ({"kind": "move", "target": "R", "team": "U", "title": "B"}, Move("R", "U", "B")),
        ({"kind": "change-funding", "target": "R", "funding": "Grant"},
         ChangeFunding("R", "Grant")),
        ({"kind": "amend", "target": "R", "fields": {"notes": "x"}}, Amend("R", {"notes": "x"})),
        ({"kind": "remove-payment", "target": "H"}, RemovePayment("H")),
        ({"kind": "change-payment", "target": "H", "payment": payment},
         ChangePayment("H", Payment("H", 5))),
    ]
    for table, change in cases:
        read = change_from_mapping(table)
        assert read == change and type(read) is type(change)
        assert read.source is None


def test_change_from_mapping_keeps_where_the_table_was_read():
    from establishment.errors import Location

    where = Location("x.toml", 3)
    read = change_from_mapping({"kind": "make-permanent", "target": "R"}, where)
    assert read.source == where and read == MakePermanent("R")


def _field_error(table) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        change_from_mapping(table)
    return caught.value


def test_change_from_mapping_names_each_bad_field():
    keys = ("cost_per_fte, end, fields, fte, funding, grade, id, kind, note, payment, post, "
            "salary, salary_max, salary_min, scp, target, team, title")
    assert str(_field_error({"kind": "move", "target": "R", "zz": 1, "colour": 2})) == (
        f"'change' must be fields among {keys} (got ['colour', 'zz'])")
    assert str(_field_error(["kind"])) == "'change' must be a table of fields (got ['kind'])"
    assert str(_field_error({"kind": "abolish"})) == (
        "'kind' must be establish | disestablish | regrade | change-fte | make-permanent | "
        "change-end | move | change-funding | amend | add-payment | remove-payment | "
        "change-payment (got 'abolish')")
    assert str(_field_error({"target": "R"})).startswith("'kind' must be establish | ")
    assert str(_field_error({"kind": "change-fte", "target": "R"})) == (
        "'fte' must be given for a change-fte change (got None)")
    assert str(_field_error({"kind": "regrade", "target": "R"})) == (
        "'grade' must be given for a regrade change (got None)")
    assert str(_field_error({"kind": "disestablish"})) == (
        "'target' must be given for a disestablish change (got None)")
    assert str(_field_error({"kind": "change-end", "target": "R"})) == (
        "'end' must be given for a change-end change (got None)")
    assert str(_field_error({"kind": "change-funding", "target": "R"})) == (
        "'funding' must be given for a change-funding change (got None)")
    assert str(_field_error({"kind": "move", "target": "R"})) == (
        "'team' must be a new team and/or title for a move (got None)")
    assert str(_field_error({"kind": "amend", "target": "R"})) == (
        "'fields' must be given for a amend change (got None)")
    assert str(_field_error({"kind": "amend", "target": "R", "fields": [("notes", "x")]})) \
        == "'fields' must be a table of field = new value (got [('notes', 'x')])"
    assert str(_field_error({"kind": "establish"})) == (
        "'post' must be given for a establish change (got None)")
    assert str(_field_error({"kind": "establish", "post": "SO"})) == (
        "'post' must be a table of post fields (got 'SO')")
    assert str(_field_error({"kind": "add-payment", "payment": {"title": "H", "amont": 5,
                                                                "zz": 1}})) == (
        "'payment' must be fields among amount, end, funding, notes, per, reference, start, "
        "team, title (got ['amont', 'zz'])")
    assert str(_field_error({"kind": "change-payment", "target": "H"})) == (
        "'payment' must be given for a change-payment change (got None)")
    assert _field_error({"kind": "remove-payment"}).field == "target"
    assert _field_error({"kind": "make-permanent"}).field == "target"

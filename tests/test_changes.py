"""Changes: each kind applied, targets by the matching rule, and apply all-or-nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest

from establishment import PayBasis, Payment, Post, Structure
from establishment.engine.costing import cost
from establishment.errors import ValidationError
from establishment.model.funding import FundingShare
from establishment.operations.changes import (
    AddPayment,
    Amend,
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
    Target,
    apply_changes,
    change_from_mapping,
    cost_changes,
)

BASIS = PayBasis(employer="nottinghamshire", pay_year="2019/20")


def team() -> Structure:
    return Structure("Team", [
        Post("Team Manager", 1, "Band D", reference="TM", team="Commissioning"),
        Post("Commissioning Assistant", 4, "Grade 3", team="Commissioning"),
        Post("Officer", 1, "Band B", reference="CO", team="Short Breaks",
             end="2020-03-31", funding={"Core": 60, "Grant": 40}),
    ], [Payment("Honorarium", 1000, reference="HON")])


def test_establish_adds_the_post_at_the_end():
    post = Post("Service Organiser", 4, "Grade 4", team="Commissioning")
    after = apply_changes(team(), [Establish(post)])
    assert after.posts[-1] == post and len(after.posts) == 4


def test_disestablish_whole_row_and_part_of_a_row():
    after = apply_changes(team(), [Disestablish("TM"), Disestablish(("Commissioning",
                                                           "Commissioning Assistant"), 1)])
    assert [p.title for p in after.posts] == ["Commissioning Assistant", "Officer"]
    assert after.posts[0].fte == Decimal(3)


def test_regrade_sets_the_whole_pay_definition():
    structure = apply_changes(team(), [Regrade("CO", "Band A", 28)])
    post = structure.posts[2]
    assert (post.grade, post.scp) == ("Band A", 28)
    cleared = apply_changes(structure, [Regrade("CO", "Grade 5")]).posts[2]
    assert (cleared.grade, cleared.scp) == ("Grade 5", None)


def test_change_fte_make_permanent_change_end_move_funding_amend():
    after = apply_changes(team(), [
        ChangeFte("TM", "0.5"), MakePermanent("CO"), Move("TM", team="Placements",
                                                           title="Group Manager"),
        ChangeFunding("CO", "Grant"), Amend("TM", {"status": "vacant"}),
    ])
    tm, officer = after.posts[0], after.posts[2]
    assert tm.fte == Decimal("0.5") and tm.team == "Placements" and tm.title == "Group Manager"
    assert tm.status == "vacant" and tm.reference == "TM"
    assert officer.end is None and officer.funding == (FundingShare("Grant", Decimal(100)),)
    extended = apply_changes(team(), [ChangeEnd("CO", dt.date(2021, 3, 31))])
    assert extended.posts[2].end == dt.date(2021, 3, 31)


def test_payments_add_change_remove():
    structure = team()
    added = apply_changes(structure, [AddPayment(Payment("Allowance", 500))])
    assert [p.title for p in added.payments] == ["Honorarium", "Allowance"]
    changed = apply_changes(structure, [ChangePayment("HON", Payment("Honorarium", 2000,
                                                             reference="HON"))])
    assert changed.payments[0].amount == Decimal(2000)
    assert apply_changes(structure, [RemovePayment("HON")]).payments == ()


def test_end_kinds_come_from_the_post():
    structure = team()
    later = cost_changes(structure, [ChangeEnd("CO", dt.date(2021, 3, 31))], BASIS)
    sooner = cost_changes(structure, [ChangeEnd("CO", dt.date(2019, 12, 31))], BASIS)
    temporary = cost_changes(structure, [ChangeEnd("TM", dt.date(2019, 12, 31))], BASIS)
    assert [c[0].kind for c in (later, sooner, temporary)] == [
        "extend temporary", "shorten temporary", "make temporary"]


def test_cost_effects_add_up_to_the_difference():
    structure = team()
    changes = [Disestablish("TM"), Establish(Post("Team Manager", 1, "Band C")),
               ChangeFte(("Commissioning", "Commissioning Assistant"), 2),
               Regrade(("Commissioning", "Commissioning Assistant"), "Grade 4")]
    period = (dt.date(2019, 10, 1), dt.date(2020, 9, 30))
    costed = cost_changes(structure, changes, BASIS, period)
    after = apply_changes(structure, changes)
    assert sum(c.full_year for c in costed) == (cost(after, BASIS).full_year
                                                - cost(structure, BASIS).full_year)
    assert sum(c.period for c in costed) == (cost(after, BASIS, period=period).period_total
                                             - cost(structure, BASIS, period=period).period_total)
    # 2019/20 Band D top (scp 41) with on-costs, from the pay data
    assert costed[0].full_year == Decimal(-58189)


def test_a_change_record_holds_no_money_and_its_cost_is_the_operations():
    """Change records are only what they do (issue 25): cost_changes returns each with its
    effect as a separate value, and a costed change still applies."""
    assert not any(f.name in ("full_year", "period")
                   for cls in (Disestablish, ChangeFte, Move, ChangeEnd)
                   for f in attrs.fields(cls))
    structure = Structure("x", [Post("Officer", 1, "Grade 3", team="T", reference="O")])
    costed = cost_changes(structure, [Disestablish("O")], BASIS)
    assert costed == [ChangeEffect(Disestablish("O"), -cost(structure, BASIS).full_year)]
    assert (costed[0].kind, costed[0].label) == ("disestablish", "O")
    assert apply_changes(structure, costed) == apply_changes(structure, [Disestablish("O")])


# --- errors: all or nothing -------------------------------------------------------------

def test_disestablish_a_post_that_is_not_there():
    structure = team()
    with pytest.raises(ChangeError, match="no post with reference 'XX'"):
        apply_changes(structure, [Disestablish("XX")])
    assert structure == team()


def test_taking_more_fte_than_a_row_holds_is_an_error_and_nothing_is_applied():
    structure = team()
    with pytest.raises(ChangeError) as caught:
        apply_changes(structure, [Disestablish("TM"), Disestablish("CO", 2)])
    assert "cannot take 2 fte from a row of 1 fte" in str(caught.value)
    assert "nothing was applied" in str(caught.value)
    assert caught.value.numbers == [2]
    assert structure == team()


def test_every_problem_is_reported_together():
    with pytest.raises(ChangeError) as caught:
        apply_changes(team(), [Disestablish("XX"), ChangeFte("TM", 0), MakePermanent("TM"),
                      Establish(Post("Dup", 1, "Band A", reference="CO"))])
    numbers = caught.value.numbers
    assert numbers == [1, 2, 3, 4]
    text = str(caught.value)
    assert "'fte' must be > 0" in text and "already permanent" in text
    assert "reference 'CO' already exists" in text


def test_ambiguous_team_and_title_needs_an_occurrence():
    structure = Structure("x", [Post("Officer", 1, "Band A", team="T"),
                                Post("Officer", 2, "Band B", team="T")])
    with pytest.raises(ChangeError, match="2 posts are titled 'Officer'"):
        apply_changes(structure, [Disestablish(("T", "Officer"))])
    second = apply_changes(
        structure, [Disestablish(Target(team="T", title="Officer", occurrence=1))])
    assert [p.fte for p in second.posts] == [Decimal(1)]


def test_a_removed_post_cannot_be_changed_again():
    with pytest.raises(ChangeError, match="already removed"):
        apply_changes(team(), [Disestablish("TM"), ChangeFte("TM", 2)])


def test_start_and_end_can_move_together_in_either_order():
    structure = Structure("x", [Post("A", 1, "Band A", reference="A", start="2019-09-01",
                                     end="2019-12-31")])
    moved = apply_changes(structure, [ChangeEnd("A", dt.date(2019, 5, 31)),
                             Amend("A", {"start": dt.date(2019, 4, 1)})])
    assert (moved.posts[0].start, moved.posts[0].end) == (dt.date(2019, 4, 1),
                                                          dt.date(2019, 5, 31))


def test_change_from_mapping_reads_every_kind_and_names_bad_fields():
    assert change_from_mapping({"kind": "make-permanent", "target": "CO"}) == MakePermanent("CO")
    made = change_from_mapping({"kind": "establish", "post": {"title": "SO", "fte": 4,
                                                               "grade": "Grade 4"}})
    assert made == Establish(Post("SO", 4, "Grade 4"))
    assert change_from_mapping({"kind": "disestablish", "target": {"team": "T", "title": "A"},
                                "fte": 1}) == Disestablish(Target(team="T", title="A"), 1)
    with pytest.raises(ValidationError, match="'kind' must be"):
        change_from_mapping({"kind": "abolish", "target": "CO"})
    with pytest.raises(ValidationError, match="'fte' must be given"):
        change_from_mapping({"kind": "change-fte", "target": "CO"})
    with pytest.raises(ValidationError, match="fields among"):
        change_from_mapping({"kind": "move", "target": "CO", "colour": "red"})


@pytest.mark.parametrize("part", [-1, 0])
def test_disestablishing_a_negative_or_zero_part_is_refused(part):
    # a negative part used to add fte to the row under a change that says it removes some
    with pytest.raises(ValidationError, match="'fte' must be > 0"):
        Disestablish("CO", part)
    with pytest.raises(ValidationError, match="'fte' must be > 0"):
        change_from_mapping({"kind": "disestablish", "target": "CO", "fte": part})


@pytest.mark.parametrize(("table", "field"), [
    ({"kind": "establish", "post": {"title": "SO", "ftee": 4, "grade": "Grade 4"}}, "post"),
    ({"kind": "add-payment", "payment": "Honorarium"}, "payment"),
    ({"kind": "change-payment", "target": "HON", "payment": {"title": "H", "amont": 5}},
     "payment"),
    ({"kind": "amend", "target": "CO", "fields": 5}, "fields"),
    ({"kind": "move", "target": {"team": "T", "titel": "A"}, "team": "U"}, "target"),
])
def test_a_mistyped_change_table_is_a_field_error_not_a_python_error(table, field):
    # these used to raise TypeError ("unexpected keyword argument", "not iterable"), which
    # a scenario file reported without naming the field
    with pytest.raises(ValidationError) as caught:
        change_from_mapping(table)
    assert caught.value.field == field


def test_cost_changes_resolves_targets_as_apply_does():
    # cost_changes used to apply each change to the result of the last, so a target naming
    # the second of two same-titled rows (after the first went), or a post moved earlier in
    # the list, was "not found" although the list applies
    two = Structure("x", [Post("Officer", 1, "Grade 3", team="T"),
                          Post("Officer", 2, "Grade 3", team="T")])
    changes = [Disestablish(Target(team="T", title="Officer", occurrence=0)),
               ChangeFte(Target(team="T", title="Officer", occurrence=1), 1)]
    costed = cost_changes(two, changes, BASIS)
    one_fte = cost(Structure("x", [Post("Officer", 1, "Grade 3", team="T")]), BASIS).full_year
    assert [c.full_year for c in costed] == [-one_fte, -one_fte]
    moved = [Move(("T", "Officer"), team="U"), ChangeFte(("T", "Officer"), 2),
             ChangeEnd(("T", "Officer"), dt.date(2020, 3, 31))]
    single = Structure("x", [Post("Officer", 1, "Grade 3", team="T")])
    costed = cost_changes(single, moved, BASIS)
    assert [c.full_year for c in costed] == [0, one_fte, 0]
    assert costed[2].kind == "make temporary"
    assert sum(c.full_year for c in costed) == (cost(apply_changes(single, moved), BASIS).full_year
                                                - one_fte)


def test_cost_changes_says_why_a_list_cannot_be_costed_step_by_step():
    structure = Structure("x", [Post("A", 1, "Band A", reference="A", start="2019-09-01",
                                     end="2019-12-31")])
    changes = [ChangeEnd("A", dt.date(2019, 5, 31)), Amend("A", {"start": dt.date(2019, 4, 1)})]
    apply_changes(structure, changes)  # the list fits as a whole
    with pytest.raises(ChangeError, match="each step must be a valid structure"):
        cost_changes(structure, changes, BASIS)


def test_a_reference_re_established_in_the_list_names_the_new_post():
    # the reference kept pointing at the removed post: "already removed by an earlier change"
    structure = Structure("x", [Post("Manager", 1, "Band D", reference="TM")])
    changes = [Disestablish("TM"), Establish(Post("Manager", 1, "Band C", reference="TM")),
               ChangeFte("TM", 2)]
    after = apply_changes(structure, changes)
    assert [(p.grade, p.fte) for p in after.posts] == [("Band C", Decimal(2))]
    costed = cost_changes(structure, changes, BASIS)
    assert sum(c.full_year for c in costed) == (cost(after, BASIS).full_year
                                                - cost(structure, BASIS).full_year)


def test_a_bad_new_end_or_pay_figure_names_its_field():
    # they said 'date' and 'money'; ChangeEnd with no date failed later, in describe()
    for table, field in (({"kind": "change-end", "target": "CO", "end": "soon"}, "end"),
                         ({"kind": "regrade", "target": "CO", "grade": "Band B",
                           "salary": "lots"}, "salary"),
                         ({"kind": "regrade", "target": "CO", "grade": "Band B",
                           "cost_per_fte": "x"}, "cost_per_fte")):
        with pytest.raises(ValidationError) as caught:
            change_from_mapping(table)
        assert caught.value.field == field
    with pytest.raises(ValidationError, match="MakePermanent"):
        ChangeEnd("CO", None)


def _many(posts: int, changes: int) -> tuple[Structure, list]:
    structure = Structure("s", [Post(f"Officer {i}", 1, "Grade 5", 20, team=f"T{i % 7}",
                                     reference=f"R{i}") for i in range(posts)],
                          [Payment("Honorarium", 1000, team="T0", reference="H")])
    kinds = [lambda r, j: ChangeFte(r, 2), lambda r, j: Disestablish(r),
             lambda r, j: Regrade(r, "Grade 4", 12),
             lambda r, j: ChangeEnd(r, dt.date(2020, 1, 31)),
             lambda r, j: Establish(Post(f"New {j}", 1, "Grade 4", 10, reference=f"N{j}")),
             lambda r, j: AddPayment(Payment(f"Allowance {j}", 120, per="year"))]
    return structure, [kinds[j % len(kinds)](f"R{j}", j) for j in range(changes)]


def test_cost_changes_is_linear_counting_lines_costed_and_structures_built(monkeypatch):
    """It applied and costed every prefix of the list (100 changes on 500 posts: 100 costings
    of 500 lines, 2.2 s). Now the engine is called once, on the lines the changes touch (at
    most two per change), and one structure is built (the whole list's result), however large
    the structure: counted, not timed."""
    import establishment.engine.costing as costing

    lines_costed: list[int] = []
    real_cost = costing.cost_frame

    def counting_cost(lines, *args, **kwargs):
        lines_costed.append(len(lines))
        return real_cost(lines, *args, **kwargs)

    built: list[int] = []
    real_init = Structure.__init__

    def counting_init(self, *args, **kwargs):
        built.append(len(args[1]) if len(args) > 1 else 0)
        real_init(self, *args, **kwargs)

    for posts, count in ((50, 10), (500, 100), (2000, 100)):
        structure, changes = _many(posts, count)
        monkeypatch.setattr(costing, "cost_frame", counting_cost)
        monkeypatch.setattr(Structure, "__init__", counting_init)
        lines_costed.clear()
        built.clear()
        costed = cost_changes(structure, changes, BASIS, (dt.date(2019, 10, 1),
                                                          dt.date(2020, 3, 31)))
        monkeypatch.undo()
        assert len(lines_costed) == 1 and lines_costed[0] <= 2 * count
        assert len(built) == 1
        after = apply_changes(structure, changes)
        assert sum(c.full_year for c in costed) == (cost(after, BASIS).full_year
                                                    - cost(structure, BASIS).full_year)
        period = (dt.date(2019, 10, 1), dt.date(2020, 3, 31))
        assert sum(c.period for c in costed) == (cost(after, BASIS, period=period).period_total
                                                 - cost(structure, BASIS, period=period)
                                                 .period_total)
        assert [c.kind for c in costed][3] == "make temporary"


def test_a_post_in_hours_through_cost_changes_and_apply():
    """fte resolved once (issue 21): a post given only in hours is costed at hours / the
    rule's full-time hours by cost_changes; taking part of its fte, which needs that basis,
    is a located ChangeError (never a TypeError)."""
    pence = PayBasis("nottinghamshire", 2018, rule="njc", round_to="penny")
    hours = Structure("x", [Post("A", None, "Hay Band A", 34, team="T",
                                 hours=Decimal("18.5"), reference="A")])
    whole = cost(hours, pence).full_year  # 18.5 of 37 hours
    assert [c.full_year for c in cost_changes(hours, [Disestablish("A")], pence)] == [-whole]
    twenty = cost_changes(hours, [ChangeFte("A", None, hours=20)], pence)
    assert twenty[0].full_year == cost(apply_changes(hours, [ChangeFte("A", None, hours=20)]),
                                       pence).full_year - whole
    with pytest.raises(ChangeError, match=r"given in hours \(18.5 a week, post A\)"):
        apply_changes(hours, [Disestablish("A", Decimal("0.25"))])


def test_a_stated_pay_with_pence_is_described_to_two_places():
    """£15,000.50, never £15,000.5 (a Decimal's own text)."""
    from decimal import Decimal

    from establishment.operations.changes import Regrade

    assert Regrade("A", "G", salary_min=Decimal("1000.5"), salary_max=Decimal(2000),
                   kind="pay range").describe() == \
        "change the pay of A within G to £1,000.50-£2,000"
    assert Regrade("A", "G", salary=Decimal("15000.5"), kind="pay range").describe() == \
        "change the pay of A within G to salary £15,000.50"
    assert Regrade("A", "G", cost_per_fte=Decimal("40702.1"), kind="pay range").describe() == \
        "change the pay of A within G to £40,702.10 per fte"

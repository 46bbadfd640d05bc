"""diff(before, after): matching rules, classification, cost effects, and properties."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from establishment import PayBasis, Payment, Post, Structure
from establishment.cli.main import main
from establishment.engine.costing import cost
from establishment.errors import ValidationError
from establishment.model.frame import lines_frame
from establishment.operations.changes import (
    ChangeFunding,
    Disestablish,
    Establish,
    MakePermanent,
    Move,
    Regrade,
    apply_changes,
)
from establishment.operations.diff import diff
from establishment.tables.diff_table import diff_funding_table, diff_summary_table, diff_table
from tests.strategies import structure_pairs, structures

BASIS = PayBasis(employer="nottinghamshire", pay_year="2018/19")
PERIOD = (dt.date(2018, 7, 1), dt.date(2019, 3, 31))
EXAMPLES = int(os.environ.get("DIFF_EXAMPLES", 60))  # raise it for a longer search
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def kinds(result) -> list[str]:
    return [c.kind for c in result.changes]


def test_a_renamed_post_with_the_same_reference_is_a_move_not_a_new_post():
    before = Structure("b", [Post("Officer", 1, "Band A", reference="X", team="Old")])
    after = Structure("a", [Post("Senior Officer", 1, "Band A", reference="X", team="New")])
    result = diff(before, after, BASIS)
    assert kinds(result) == ["move team and retitle"]
    assert result.changes[0] == Move("X", "New", "Senior Officer")
    assert result.net_full_year == 0


def test_without_a_reference_a_new_title_is_disestablish_and_establish():
    before = Structure("b", [Post("Officer", 1, "Band A", team="T")])
    after = Structure("a", [Post("Senior Officer", 1, "Band A", team="T")])
    assert kinds(diff(before, after, BASIS)) == ["disestablish", "establish"]


def test_a_reference_matches_across_teams_and_unreferenced_rows_match_in_order():
    before = Structure("b", [Post("Officer", 1, "Band A", team="T"),
                             Post("Officer", 2, "Band A", team="T")])
    after = Structure("a", [Post("Officer", 1, "Band A", team="T")])
    result = diff(before, after, BASIS)
    assert kinds(result) == ["disestablish"]
    assert str(result.changes[0].target) == "T / Officer (#2)"


def test_each_kind_is_classified_with_its_cost_effect():
    before = Structure("b", [
        Post("Manager", 1, "Band D", scp=47, reference="M"),
        Post("Assistant", 4, "Grade 3", scp=18, team="C"),
        Post("Officer", 1, "Band B", reference="O", end="2018-09-30", funding="Core"),
        Post("Gone", 1, "Grade 4", reference="G"),
    ])
    after = Structure("a", [
        Post("Manager", 1, "Band D", scp=46, reference="M"),
        Post("Assistant", 2, "Grade 4", scp=23, team="C"),
        Post("Officer", 1, "Band B", reference="O", funding={"Core": 50, "Grant": 50}),
        Post("New", 1, "Grade 5", scp=28, reference="N"),
    ])
    result = diff(before, after, BASIS, period=PERIOD)
    assert kinds(result) == ["regrade", "regrade", "change fte", "make permanent",
                             "change funding", "disestablish", "establish"]
    assert isinstance(result.changes[0], Regrade) and result.changes[0].scp == 46
    assert isinstance(result.changes[3], MakePermanent)
    assert isinstance(result.changes[4], ChangeFunding)
    assert isinstance(result.changes[5], Disestablish)
    assert isinstance(result.changes[6], Establish)
    # 4 x Grade 3 scp 18 -> 4 x Grade 4 scp 23 at the old fte, then 4 -> 2 fte at Grade 4
    unit3 = cost(before, BASIS).unit_cost(1).cost
    unit4 = cost(after, BASIS).unit_cost(1).cost
    assert result.effects[1].full_year == 4 * (unit4 - unit3)
    assert result.effects[2].full_year == -2 * unit4
    # making permanent changes no full-year cost, but costs October-March in the period
    assert result.effects[3].full_year == 0 and result.effects[3].period > 0
    assert [e.change for e in result.effects] == list(result.changes)
    assert result.net_full_year == cost(after, BASIS).full_year - cost(before, BASIS).full_year


def test_end_date_kinds():
    before = Structure("b", [Post("A", 1, "Band A", reference="A", end="2018-12-31"),
                             Post("B", 1, "Band A", reference="B", end="2018-12-31"),
                             Post("C", 1, "Band A", reference="C")])
    after = Structure("a", [Post("A", 1, "Band A", reference="A", end="2019-03-31"),
                            Post("B", 1, "Band A", reference="B", end="2018-10-31"),
                            Post("C", 1, "Band A", reference="C", end="2018-10-31")])
    result = diff(before, after, BASIS, period=PERIOD)
    assert kinds(result) == ["extend temporary", "shorten temporary", "make temporary"]
    assert result.effects[0].period > 0 > result.effects[1].period
    assert apply_changes(before, result) == after


def test_payments_are_diffed_too():
    before = Structure("b", [], [Payment("Honorarium", 1000, reference="H")])
    after = Structure("a", [], [Payment("Honorarium", 1500, reference="H"),
                                Payment("Allowance", 200)])
    result = diff(before, after, BASIS)
    assert kinds(result) == ["change payment", "add payment"]
    assert [c.full_year for c in result.effects] == [Decimal(500), Decimal(200)]


def test_diff_tables_add_up_and_say_what_they_are():
    before = Structure("b", [Post("Officer", 1, "Band A", scp=34, reference="X")])
    after = Structure("a", [Post("Officer", 2, "Band A", scp=34, reference="X")])
    result = diff(before, after, BASIS, period=PERIOD)
    table = diff_table(result)
    assert table.total[3] == result.net_full_year == table.column_total(3)
    assert [c.name for c in table.columns][3:5] == ["Full-year effect",
                                                     "Effect 1 Jul 2018 to 31 Mar 2019"]
    assert diff_summary_table(result).total[2] == result.net_full_year
    assert diff_funding_table(result).column_total(1) == result.net_full_year


def test_diff_works_on_frames_as_well_as_structures():
    before = Structure("b", [Post("Officer", 1, "Band A", reference="X")])
    after = Structure("a", [Post("Officer", 3, "Band A", reference="X")])
    on_frames = diff(before.to_frame(), after.to_frame(), BASIS)
    assert on_frames.changes == diff(before, after, BASIS).changes


# --- properties -------------------------------------------------------------------------

@SETTINGS
@given(structure_pairs())
def test_apply_of_diff_gives_after(pair):
    before, after = pair
    assert apply_changes(before, diff(before, after, BASIS)) == after


@SETTINGS
@given(structures(), structures())
def test_apply_of_diff_gives_after_for_unrelated_structures(before, after):
    result = diff(before, after, BASIS, period=PERIOD)
    assert apply_changes(before, result) == after
    assert result.net_period == (cost(after, BASIS, period=PERIOD).period_total
                                 - cost(before, BASIS, period=PERIOD).period_total)


@SETTINGS
@given(structures())
def test_diff_of_a_structure_with_itself_is_empty(structure):
    result = diff(structure, structure, BASIS, period=PERIOD)
    assert len(result) == 0 and result.net_full_year == 0 and result.net_period == 0


@SETTINGS
@given(structure_pairs())
def test_net_cost_of_a_diff_is_the_difference_of_the_costs(pair):
    before, after = pair
    result = diff(before, after, BASIS, period=PERIOD)
    b, a = cost(before, BASIS, period=PERIOD), cost(after, BASIS, period=PERIOD)
    assert result.net_full_year == a.full_year - b.full_year
    assert result.net_period == a.period_total - b.period_total
    assert sum(c.full_year for c in result.effects) == result.net_full_year
    assert sum(c.period for c in result.effects) == result.net_period


@SETTINGS
@given(structure_pairs())
def test_funding_splits_of_a_diff_reconcile_to_the_penny(pair):
    before, after = pair
    result = diff(before, after, BASIS)
    by_source = result.by_funding()["full_year"]
    assert sum(by_source, Decimal(0)) == result.net_full_year
    for value in by_source:
        assert value == value.quantize(Decimal("0.01"))


def test_the_summary_names_kinds_as_the_change_table_does_without_building_changes():
    # it built every Change below 50,000 changes and fell back to the frame's bare "move"
    # above, so the same diff was labelled two ways by size
    before = Structure("b", [Post("Officer", 1, "Band A", reference="X", team="Old"),
                             Post("Clerk", 1, "Grade 3", reference="Y", team="Old"),
                             Post("Aide", 1, "Grade 3", reference="Z", team="Old")])
    after = Structure("a", [Post("Officer", 1, "Band A", reference="X", team="New"),
                            Post("Senior Clerk", 2, "Grade 3", reference="Y", team="Old"),
                            Post("Aide", 1, "Grade 3", reference="Z", team="New")])
    result = diff(before, after, BASIS, period=PERIOD)
    summary = diff_summary_table(result)
    assert "changes" not in vars(result)  # no Change object was needed
    assert [list(row[:2]) for row in summary.rows] == [["move team", 2], ["change fte", 1],
                                                      ["retitle", 1]]
    assert result.kinds() == kinds(result)
    assert summary.column_total(2) == result.net_full_year == summary.total[2]
    assert summary.column_total(3) == result.net_period


@SETTINGS
@given(structure_pairs())
def test_diff_kinds_are_the_change_kinds(pair):
    result = diff(*pair, BASIS)
    assert result.kinds() == kinds(result)


def test_payments_sharing_a_reference_are_refused_not_cross_matched():
    # each matched both lines of the other side: a diff of the structure with itself had two
    # changes, and a removed payment's cost went missing from the net effect
    # a Structure refuses them when made; a frame (diff's other input) can still hold them
    payments = [Payment("Honorarium", 100, reference="H"), Payment("Allowance", 200,
                                                                     reference="H")]
    with pytest.raises(ValidationError, match="'reference' must be unique"):
        Structure("x", [], payments)
    shared = lines_frame([], payments)
    for before, after in ((shared, shared), (shared, Structure("y").to_frame())):
        with pytest.raises(ValidationError, match="'reference' must be unique") as caught:
            diff(before, after, BASIS)
        assert caught.value.found == "H"


def test_the_diff_command_refuses_shared_references_with_exit_2(tmp_path, capsys):
    path = tmp_path / "shared.toml"
    path.write_text('[[payment]]\nreference = "H"\ntitle = "A"\namount = 100\n'
                    '[[payment]]\nreference = "H"\ntitle = "B"\namount = 200\n')
    assert main(["diff", str(path), str(path)]) == 2
    assert "'reference' must be unique" in capsys.readouterr().err


def _stored(frame, categorical: bool):
    """A structure's frame with its text held as a large frame holds it: categories (and
    pandas' string dtype for the reference and unpriced columns)."""
    out = frame.copy()
    if categorical:
        for column in ("kind", "title", "team", "grade", "status", "notes", "per"):
            out[column] = out[column].astype("category")
        for column in ("reference", "unpriced"):
            out[column] = out[column].astype("str")
    return out


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(structure_pairs(), st.sampled_from([(True, True), (True, False), (False, True)]))
def test_a_diff_of_categorical_frames_is_the_diff_of_the_structures(pair, stored):
    """The fast path compares categorical and string columns through codes: the same
    changes, rows, kinds and effects as the object columns of Structures."""
    before, after = pair
    expected = diff(before, after, BASIS, period=PERIOD)
    result = diff(_stored(before.to_frame(), stored[0]), _stored(after.to_frame(), stored[1]),
                  BASIS, period=PERIOD)
    assert result.frame.to_dict("list") == expected.frame.to_dict("list")
    assert result.kinds() == expected.kinds()
    assert result.changes == expected.changes


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(structure_pairs(), st.booleans())
def test_the_change_table_texts_are_the_changes_own(pair, on_frames):
    """``described()`` reads light views of the lines (no Post is validated for the table):
    each text is the one the Change objects give."""
    before, after = pair
    if on_frames:
        before, after = before.to_frame(), after.to_frame()
    result = diff(before, after, BASIS, period=PERIOD)
    described = result.described()
    assert [d[:2] for d in described] == [(c.kind, c.label) for c in result.changes]
    for (_, label, text), change in zip(described, result.changes):
        own = change.describe()  # the change's own words, its post named by title too
        head, _, tail = own.partition(label)
        assert text == own or (text.startswith(head) and text.endswith(f" ({label}){tail}"))
    table = diff_table(result)
    assert [list(row[:3]) for row in table.rows] == [list(t) for t in result.described()]
    assert [list(row[3:]) for row in table.rows] == [[c.full_year, c.period]
                                                     for c in result.effects]


def test_the_change_table_of_a_frame_backed_diff_builds_no_post(tmp_path, monkeypatch):
    """Two CSV files loaded column-wise: the table's rows come without a Post being made."""
    from establishment.io import load_structure

    before = Structure("b", [Post("Officer", 1, "Band A", reference="X"),
                             Post("Clerk", 1, "Grade 3", reference="Y")])
    after = Structure("a", [Post("Officer", 2, "Band A", reference="X"),
                            Post("Adviser", 1, "Grade 3", reference="Z")])
    paths = []
    for structure in (before, after):
        path = tmp_path / f"{structure.name}.csv"
        path.write_text("reference,title,fte,grade\n" + "".join(
            f"{p.reference},{p.title},{p.fte},{p.grade}\n" for p in structure.posts),
            encoding="utf-8")
        paths.append(load_structure(path))
    assert all(s.frame_backed for s in paths)
    made = []
    real = Post.__attrs_post_init__
    monkeypatch.setattr(Post, "__attrs_post_init__", lambda self: (made.append(1), real(self)))
    rows = diff_table(diff(*paths, BASIS)).rows
    assert made == []
    assert [list(row[:2]) for row in rows] == [["change fte", "X"], ["disestablish", "Y"],
                                         ["establish", "Z"]]

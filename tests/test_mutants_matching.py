"""The one matching rule, stated exactly (establishment.engine.matching): the focused file the
mutation run uses for that module (``benchmarks/mutation.py matching``). A line is named by
its reference first, else by its kind, team, title and occurrence (0 for the first such
unreferenced line); a name that fits no single line is an error naming what there is, in
full."""

from __future__ import annotations

from itertools import combinations
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from establishment.engine.matching import (
    DoesNotFit,
    Keys,
    LineIndex,
    find_line,
    line_keys,
    occurrences,
    records_frame,
    shared_codes,
)
from establishment.errors import EstablishmentError
from establishment.operations.changes import Target


def lines(kind, reference, team, title) -> pd.DataFrame:
    return pd.DataFrame({"kind": pd.Series(kind, dtype=object),
                         "reference": pd.Series(reference, dtype=object),
                         "team": pd.Series(team, dtype=object),
                         "title": pd.Series(title, dtype=object)})


def same_groups(keys: np.ndarray, groups: list) -> None:
    """Two lines have equal keys exactly when ``groups`` puts them together."""
    assert len(keys) == len(groups)
    for i, j in combinations(range(len(keys)), 2):
        assert (keys[i] == keys[j]) == (groups[i] == groups[j]), (i, j, keys)


def record(title, team="A", reference=None) -> SimpleNamespace:
    return SimpleNamespace(title=title, team=team, reference=reference)


def refused(call, *args) -> str:
    with pytest.raises(DoesNotFit) as caught:
        call(*args)
    return str(caught.value)


# --- find_line: by index, reference, else a title only one line has --------------------------

COSTED = lines(["post"] * 4 + ["payment"], ["R1", None, "", "R2", "R3"],
               ["A", "A", "B", "B", "A"], ["Clerk", "Assistant", "Clerk", "R1", "Hon"])


def test_an_index_is_the_line_itself():
    assert find_line(COSTED, 0) == 0
    assert find_line(COSTED, 4) == 4
    found = find_line(COSTED, np.int64(3))
    assert found == 3 and type(found) is int


@pytest.mark.parametrize(("line", "what", "message"), [
    (5, "line", "no line 5: there are 5 lines (0 to 4)"),
    (-1, "line", "no line -1: there are 5 lines (0 to 4)"),
    (np.int64(9), "post", "no post 9: there are 5 lines (0 to 4)")])
def test_an_index_out_of_range_is_refused_in_full(line, what, message):
    with pytest.raises(EstablishmentError) as caught:
        find_line(COSTED, line, what=what)
    assert str(caught.value) == message


def test_a_reference_first_then_a_title_only_one_line_has():
    assert find_line(COSTED, "R2") == 3
    assert find_line(COSTED, "R1") == 0  # a reference before another line's title "R1"
    assert find_line(COSTED, "Assistant") == 1
    assert find_line(COSTED, "Hon") == 4
    found = find_line(COSTED, "R3")
    assert found == 4 and type(found) is int


@pytest.mark.parametrize(("line", "titles", "what", "message"), [
    ("Clerk", True, "line", "no single line with reference or title 'Clerk'; references: "
                            "R1, R2, R3"),
    ("Nobody", True, "post", "no single post with reference or title 'Nobody'; references: "
                             "R1, R2, R3"),
    ("Assistant", False, "line", "no single line with reference 'Assistant'; references: "
                                 "R1, R2, R3"),
    (True, True, "line", "no single line with reference or title True; references: "
                         "R1, R2, R3")])
def test_a_name_that_fits_no_single_line_is_refused_naming_the_references(
        line, titles, what, message):
    with pytest.raises(EstablishmentError) as caught:
        find_line(COSTED, line, titles=titles, what=what)
    assert str(caught.value) == message


def test_a_costing_without_references_says_none():
    plain = lines(["post", "post"], [None, ""], ["A", "A"], ["Clerk", "Clerk"])
    with pytest.raises(EstablishmentError) as caught:
        find_line(plain, "Clerk")
    assert str(caught.value) == ("no single line with reference or title 'Clerk'; "
                                 "references: (none)")
    assert find_line(plain, 1) == 1


def test_twice_the_same_reference_is_no_single_line():
    twice = lines(["post", "post"], ["R1", "R1"], ["A", "A"], ["Clerk", "Other"])
    with pytest.raises(EstablishmentError) as caught:
        find_line(twice, "R1")
    assert str(caught.value) == ("no single line with reference or title 'R1'; "
                                 "references: R1, R1")


# --- occurrences and shared codes ------------------------------------------------------------

def test_occurrences_count_earlier_positions_of_the_same_group():
    found = occurrences(np.array([3, 1, 3, 3, 1, 2]))
    assert found.tolist() == [0, 0, 1, 2, 1, 0] and found.dtype == np.int64
    assert occurrences(np.array([7, 7, 7, 7])).tolist() == [0, 1, 2, 3]
    assert occurrences(np.array([5])).tolist() == [0]
    empty = occurrences(np.array([], dtype=np.int64))
    assert len(empty) == 0 and empty.dtype == np.int64


def test_occurrences_of_many_groups_in_order():
    groups = np.array([2, 0, 1, 0, 2, 2, 1, 0, 3])
    assert occurrences(groups).tolist() == [0, 0, 0, 1, 1, 2, 1, 2, 0]


def test_shared_codes_put_equal_values_at_equal_codes_and_missing_at_minus_one():
    codes, values = shared_codes([pd.Series(["a", "b", None], dtype=object),
                                  pd.Series(["b", "c", "a"], dtype=object)])
    assert [c.tolist() for c in codes] == [[0, 1, -1], [1, 2, 0]]
    assert list(values) == ["a", "b", "c"]
    assert all(c.dtype == np.int64 for c in codes)


def test_shared_codes_of_three_columns():
    codes, values = shared_codes([pd.Series(["x"], dtype=object),
                                  pd.Series(["y", "x"], dtype=object),
                                  pd.Series(["z", "y", None], dtype=object)])
    assert [c.tolist() for c in codes] == [[0], [1, 0], [2, 1, -1]]
    assert list(values) == ["x", "y", "z"]


@pytest.mark.parametrize("kinds", [("category", "category"), ("category", object),
                                   (object, "category"), ("str", object)])
def test_shared_codes_across_categoricals_and_other_dtypes(kinds):
    first = pd.Series(["b", None, "a", "b"], dtype=kinds[0])
    second = pd.Series(["c", "a", None], dtype=kinds[1])
    codes, values = shared_codes([first, second])
    names = list(values)
    assert sorted(names) == ["a", "b", "c"]
    decoded = [[names[c] if c >= 0 else None for c in part] for part in codes]
    assert decoded == [["b", None, "a", "b"], ["c", "a", None]]
    assert all(c.dtype == np.int64 for c in codes)


def test_a_categorical_with_unused_categories():
    first = pd.Series(pd.Categorical(["b", "b"], categories=["z", "b"]))
    codes, values = shared_codes([first, pd.Series(["z", "q"], dtype=object)])
    names = list(values)
    assert [[names[c] for c in part] for part in codes] == [["b", "b"], ["z", "q"]]


def test_a_transform_makes_values_it_equates_one_code():
    def lower(values):
        return np.array([v.lower() for v in values], dtype=object)
    codes, values = shared_codes([pd.Series(["A", "b", None], dtype=object),
                                  pd.Series(["B", "a", "c"], dtype=object)], lower)
    assert [c.tolist() for c in codes] == [[0, 1, -1], [1, 0, 2]]
    assert list(values) == ["a", "b", "c"]
    codes, values = shared_codes([pd.Series(["A", "b"], dtype="category"),
                                  pd.Series(["B", None], dtype=object)], lower)
    names = list(values)
    assert sorted(names) == ["a", "b"]
    assert [[names[c] if c >= 0 else None for c in part] for part in codes] == [
        ["a", "b"], ["b", None]]


# --- Keys: the rule as integers --------------------------------------------------------------

ONE = lines(["post", "post", "payment", "post", "post", "post"],
            ["R1", None, "R1", "", None, "R2"],
            ["A", "A", "A", "A", "B", "A"],
            ["Clerk", "Clerk", "Clerk", "Clerk", "Clerk", "Clerk"])


def test_keys_of_one_frame():
    keys = line_keys(ONE)
    assert isinstance(keys, Keys)
    assert keys.kind.tolist() == [0, 0, 1, 0, 0, 0]
    assert keys.has_ref.tolist() == [True, False, True, False, False, True]
    assert keys.occ.tolist() == [0, 0, 0, 1, 0, 0] and keys.occ.dtype == np.int64
    assert keys.side.tolist() == [0] * 6
    assert keys.sizes == [6]
    # a reference and a kind; or a kind, team, title and occurrence
    same_groups(keys.key, ["post R1", "A/Clerk 0", "payment R1", "A/Clerk 1", "B/Clerk 0",
                           "post R2"])
    assert keys.key.min() >= 0 and keys.key.max() < keys.size
    assert keys.key.dtype == np.int64


def test_the_size_of_the_key_space():
    keys = line_keys(lines(["post", "payment"], ["R1", "R1"], ["A", "A"], ["x", "x"]))
    assert keys.key.tolist() == [0, 1] and keys.size == 2
    keys = line_keys(lines(["post", "post"], [None, None], ["A", "A"], ["x", "x"]))
    assert keys.key.tolist() == [0, 1] and keys.size == 2  # no reference: no reference keys
    assert keys.occ.tolist() == [0, 1]


def test_an_unreferenced_line_matches_by_kind_team_title_and_occurrence():
    keys = line_keys(lines(["post", "payment", "post", "post", "post", "post"],
                           [None] * 6, ["A", "A", "A", "B", "", "A"],
                           ["x", "x", "y", "x", "x", "x"]))
    assert keys.has_ref.tolist() == [False] * 6
    assert keys.kind.tolist() == [0, 1, 0, 0, 0, 0]
    assert keys.occ.tolist() == [0, 0, 0, 0, 0, 1]
    same_groups(keys.key, [1, 2, 3, 4, 5, 6])


def test_a_team_missing_and_a_title_missing_are_their_own_names():
    keys = line_keys(lines(["post"] * 4, [None] * 4, [None, "A", None, "A"],
                           ["x", None, "x", None]))
    assert keys.occ.tolist() == [0, 0, 1, 1]
    same_groups(keys.key, [1, 2, 3, 4])


def test_only_payments_and_only_posts():
    assert line_keys(lines(["payment"] * 2, ["P", None], ["A"] * 2, ["x"] * 2)
                     ).kind.tolist() == [1, 1]
    assert line_keys(lines(["post"] * 2, ["P", "Q"], ["A"] * 2, ["x"] * 2)
                     ).has_ref.tolist() == [True, True]


def test_keys_of_two_frames_match_lines_across_them():
    before = ONE
    after = lines(["post", "post", "post", "payment"], [None, "R1", None, None],
                  ["A", "A", "A", "A"], ["Clerk", "Clerk", "Clerk", "Clerk"])
    keys = line_keys(before, after)
    assert keys.sizes == [6, 4]
    assert keys.side.tolist() == [0] * 6 + [1] * 4
    assert keys.occ.tolist() == [0, 0, 0, 1, 0, 0, 0, 0, 1, 0]
    assert keys.part(keys.occ, 1).tolist() == [0, 0, 1, 0]
    assert keys.part(keys.kind, 0).tolist() == [0, 0, 1, 0, 0, 0]
    assert keys.part(keys.kind, 1).tolist() == [0, 0, 0, 1]
    assert keys.match(0, 1).tolist() == [1, 0, -1, 2, -1, -1]
    assert keys.match(1, 0).tolist() == [1, 0, 3, -1]
    assert keys.shared_reference() is None


def test_three_frames_and_the_part_of_each():
    frames = [lines(["post"], ["R"], ["A"], ["x"]),
              lines(["post", "post"], [None, "R"], ["A", "A"], ["x", "x"]),
              lines(["post"] * 3, [None, None, "R"], ["A"] * 3, ["x"] * 3)]
    keys = line_keys(*frames)
    assert keys.side.tolist() == [0, 1, 1, 2, 2, 2]
    assert keys.part(keys.side, 2).tolist() == [2, 2, 2]
    assert keys.part(keys.occ, 2).tolist() == [0, 1, 0]
    assert keys.match(2, 1).tolist() == [0, -1, 1]
    assert keys.match(1, 2).tolist() == [0, 2]
    assert keys.match(0, 2).tolist() == [2]


def test_occurrences_are_counted_in_each_frame_alone():
    # two groups (x, y) over three frames: the third frame's x is its first x, whatever the
    # first frame's y
    frames = [lines(["post", "post"], [None, None], ["A", "A"], ["x", "y"]),
              lines(["post"], [None], ["A"], ["x"]),
              lines(["post", "post"], [None, None], ["A", "A"], ["x", "x"])]
    keys = line_keys(*frames)
    assert keys.occ.tolist() == [0, 0, 0, 0, 1]
    assert keys.match(2, 0).tolist() == [0, -1]
    assert keys.match(0, 2).tolist() == [0, -1]


def test_categorical_frames_key_as_text_frames_do():
    text = line_keys(ONE)
    categorical = line_keys(ONE.astype("category"))
    assert categorical.kind.tolist() == text.kind.tolist()
    assert categorical.has_ref.tolist() == text.has_ref.tolist()
    assert categorical.occ.tolist() == text.occ.tolist()
    same_groups(categorical.key, text.key.tolist())
    mixed = line_keys(ONE.astype("category"), ONE)
    assert mixed.match(0, 1).tolist() == list(range(6))


@pytest.mark.parametrize(("references", "first"), [
    (["R1", "R2", "R1"], 2), (["R1", "R1", "R1"], 1), (["R2", "R1", "R1", "R2"], 2),
    (["R1", None, "", ""], None), (["R1", "R2"], None), (["A", "B", "C", "B"], 3)])
def test_the_first_line_whose_reference_an_earlier_line_holds(references, first):
    n = len(references)
    keys = line_keys(lines(["post"] * n, references, ["A"] * n, ["x"] * n))
    assert keys.shared_reference() == first


def test_a_reference_shared_by_a_post_and_a_payment_or_by_two_frames_is_not_shared():
    keys = line_keys(lines(["post", "payment"], ["R1", "R1"], ["A", "A"], ["x", "x"]))
    assert keys.shared_reference() is None
    keys = line_keys(lines(["post"], ["R1"], ["A"], ["x"]),
                     lines(["post", "post"], ["R2", "R1"], ["A", "A"], ["x", "x"]))
    assert keys.shared_reference() is None
    keys = line_keys(lines(["post"], ["R1"], ["A"], ["x"]),
                     lines(["post", "post"], ["R1", "R1"], ["A", "A"], ["x", "x"]))
    assert keys.shared_reference() == 2


def test_records_frame():
    frame = records_frame([record("Clerk", "A", "R1"), record("Hon", "", None)])
    assert list(frame.columns) == ["kind", "reference", "team", "title"]
    assert frame["kind"].tolist() == ["post", "post"]
    assert frame["reference"][0] == "R1" and pd.isna(frame["reference"][1])
    assert frame["team"].tolist() == ["A", ""]
    assert frame["title"].tolist() == ["Clerk", "Hon"]
    assert len(records_frame([])) == 0


# --- LineIndex: a target finds its record ----------------------------------------------------

def index() -> LineIndex:
    return LineIndex([record("Clerk", "A", "R1"), record("Clerk"), record("Clerk", "B"),
                      record("Clerk", "A", ""), record("Aide", "A", "R2"),
                      record("Clerk", "A", "R1")])


def test_a_reference_names_its_first_holder():
    found = index()
    assert found.refs == {"R1": 0, "R2": 4}
    assert found.names == {("A", "Clerk"): [1, 3], ("B", "Clerk"): [2]}
    assert found.find(Target(reference="R1"), "post") == 0
    assert found.find(Target(reference="R2"), "post") == 4


def test_team_title_and_occurrence():
    found = index()
    assert found.find(Target(team="A", title="Clerk", occurrence=0), "post") == 1
    assert found.find(Target(team="A", title="Clerk", occurrence=1), "post") == 3
    assert found.find(Target(team="B", title="Clerk"), "post") == 2
    assert found.find(Target(team="B", title="Clerk", occurrence=0), "post") == 2


def test_an_index_of_nothing():
    empty = LineIndex([])
    assert empty.rows == [] and empty.refs == {} and empty.names == {}
    assert empty.live() == []
    assert refused(empty.find, Target(reference="R1"), "post") == \
        "no post with reference 'R1'"


def test_what_a_target_that_fits_no_line_is_told_in_full():
    found = index()
    assert refused(found.find, Target(reference="R9"), "post") == \
        "no post with reference 'R9'"
    assert refused(found.find, Target(team="C", title="Clerk"), "payment") == \
        "no payment titled 'Clerk' in team 'C' (without a reference)"
    assert refused(found.find, Target(team="A", title="Aide"), "post") == \
        "no post titled 'Aide' in team 'A' (without a reference)"
    assert refused(found.find, Target(team="A", title="Clerk"), "post") == \
        ("2 posts are titled 'Clerk' in team 'A'; give occurrence (0 = first) or a "
         "reference")
    assert refused(found.find, Target(team="A", title="Clerk", occurrence=2), "post") == \
        "post A / Clerk (#3) not found: only 2 such rows"
    assert refused(found.find, Target(team="B", title="Clerk", occurrence=1), "post") == \
        "post B / Clerk (#2) not found: only 1 such rows"
    below = SimpleNamespace(reference=None, team="A", title="Clerk", occurrence=-1)
    assert refused(found.find, below, "post").endswith("not found: only 2 such rows")


def test_a_removed_record_is_not_found_again():
    found = index()
    found.rows[0] = None
    found.rows[3] = None
    assert refused(found.find, Target(reference="R1"), "post") == \
        "post R1 was already removed by an earlier change"
    assert refused(found.find, Target(team="A", title="Clerk", occurrence=1), "post") == \
        "post A / Clerk (#2) was already removed by an earlier change"
    assert found.find(Target(team="A", title="Clerk", occurrence=0), "post") == 1
    assert found.live() == [found.rows[1], found.rows[2], found.rows[4], found.rows[5]]


def test_a_record_added_is_found_by_the_same_rule():
    found = index()
    assert found.add(record("Clerk")) == 6
    assert found.find(Target(team="A", title="Clerk", occurrence=2), "post") == 6
    assert found.add(record("New", "C")) == 7
    assert found.find(Target(team="C", title="New"), "post") == 7
    assert found.add(record("Other", "A", "R2")) == 8  # R2 is live: it keeps its holder
    assert found.find(Target(reference="R2"), "post") == 4
    found.rows[4] = None
    assert found.add(record("Again", "A", "R2")) == 9  # its holder was removed
    assert found.find(Target(reference="R2"), "post") == 9
    assert found.add(record("Third", "A", "R3")) == 10
    assert found.find(Target(reference="R3"), "post") == 10
    assert found.names[("A", "Clerk")] == [1, 3, 6]
    assert len(found.live()) == 10


def test_a_reference_is_live_while_its_record_is():
    found = index()
    assert found.live_reference("R1") is True
    assert found.live_reference("R9") is False
    assert found.live_reference(None) is False
    assert found.live_reference("") is False
    found.rows[0] = None
    assert found.live_reference("R1") is False


def test_an_index_keeps_its_own_list():
    records = [record("Clerk", "A", "R1")]
    found = LineIndex(records)
    found.add(record("Aide"))
    assert len(records) == 1 and len(found.rows) == 2

"""One error hierarchy: every error a user can cause is an EstablishmentError carrying
Problem values (location, field, expected, found, message), based in pay_scales.errors."""

from __future__ import annotations

import pytest

import establishment
import pay_scales
from establishment import (
    ChangeError,
    ChangeFte,
    CostingError,
    Disestablish,
    EstablishmentError,
    PayBasis,
    Post,
    Problem,
    Structure,
    ValidationError,
    diff,
)
from establishment.engine.costing import cost
from establishment.errors import Location
from establishment.operations.changes import apply_changes
from pay_scales import errors as base


def test_one_base_lives_in_pay_scales_and_is_re_exported():
    assert establishment.EstablishmentError is base.EstablishmentError
    assert establishment.Problem is base.Problem
    for error in (pay_scales.PayScaleError, ValidationError, CostingError, ChangeError,
                  establishment.LoadError):
        assert issubclass(error, EstablishmentError)
    assert not issubclass(pay_scales.PayScaleError, LookupError)


def test_a_problem_is_a_value_with_its_fields():
    problem = Problem("posts.csv", 3, "'fte' must be > 0", "fte", expected="> 0", found="-1")
    assert str(problem) == "posts.csv:3: [fte] 'fte' must be > 0"
    assert (problem.location.file, problem.location.line) == ("posts.csv", 3)
    assert str(problem.location) == "posts.csv:3"
    assert problem.field == "fte" and problem.column is None
    assert (problem.expected, problem.found) == ("> 0", "-1")


def test_a_problem_knows_its_character_column_when_its_source_does():
    located = Problem.at(Location("changes.toml", 7, 3), "'occurrence' must be ...", "occurrence")
    assert (located.file, located.line, located.column) == ("changes.toml", 7, 3)
    assert str(located) == "changes.toml:7:3: [occurrence] 'occurrence' must be ..."
    assert located.location == Location("changes.toml", 7, 3)
    assert str(Problem.at(None, "no place")) == "no place"


def test_pay_data_errors_carry_their_field_and_value():
    with pytest.raises(CostingError) as caught:
        cost(Structure("s", [Post("B", 1, "Band Q")]), PayBasis("nottinghamshire", pay_year=2018))
    (problem,) = caught.value.problems
    assert problem.file == "post B" and (problem.field, problem.found) == ("grade", "Band Q")


def test_a_pay_scale_error_is_one_problem():
    with pytest.raises(pay_scales.PayScaleError) as caught:
        pay_scales.load_employer("no-such-employer")
    (problem,) = caught.value.problems
    assert problem.message == caught.value.message


def test_a_validation_error_is_one_problem():
    with pytest.raises(ValidationError) as caught:
        Post("A", -1, "Grade 4")
    (problem,) = caught.value.problems
    assert (problem.field, problem.expected, str(problem.found)) == ("fte", "> 0", "-1")


def test_a_change_error_carries_numbered_problems():
    structure = Structure("s", [Post("A", 1, "Grade 4", 23, reference="A")])
    with pytest.raises(ChangeError) as caught:
        apply_changes(structure, [ChangeFte("A", 2), Disestablish("B")])
    assert caught.value.numbers == [2]
    (problem,) = caught.value.problems
    assert problem.file == "change 2" and problem.message == "no post with reference 'B'"


def test_a_bug_in_a_change_list_is_not_turned_into_a_user_problem():
    """Only a change that does not fit is a user problem; something that is not a change at
    all is a programming error and raised as such (was collected as 'change 1: ...')."""
    structure = Structure("s", [Post("A", 1, "Grade 4", 23, reference="A")])
    with pytest.raises(TypeError, match="not a change: 'A'"):
        apply_changes(structure, ["A"])


def test_net_period_without_a_period_is_a_validation_error():
    a = Structure("a", [Post("A", 1, "Grade 4", 23)])
    with pytest.raises(ValidationError, match="'period' must be given to diff"):
        diff(a, a, PayBasis("nottinghamshire", pay_year=2018)).net_period  # noqa: B018


def test_a_costing_error_made_from_a_message_holds_it():
    error = CostingError("period end 2018-06-30 is before its start 2018-07-01")
    assert [p.message for p in error.problems] == [str(error)]

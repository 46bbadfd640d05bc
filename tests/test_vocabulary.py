"""The closed vocabularies are Literal types, and the validators accept exactly their words
(the words files and tables hold: typing them changed no format)."""

from __future__ import annotations

import datetime as dt
import typing

import attrs
import pytest

from establishment import PayBasis, Payment, Post, Structure
from establishment.errors import ValidationError
from establishment.model.vocabulary import (
    CHANGE_KIND_NAMES,
    CHANGE_KINDS,
    END_KINDS,
    PAYMENT_BASES,
    POINTS,
    REGRADE_KINDS,
    STATUSES,
    ChangeKind,
    CostingPoint,
    PaymentPer,
    PostStatus,
)
from establishment.operations.changes import ChangeEnd, Regrade, change_from_mapping
from establishment.operations.diff import diff

BASIS = PayBasis("nottinghamshire", pay_year=2019)


def test_the_records_are_annotated_with_the_vocabularies():
    assert typing.get_type_hints(Post)["status"] == PostStatus
    assert typing.get_type_hints(Payment)["per"] == PaymentPer
    assert typing.get_type_hints(PayBasis)["point"] == CostingPoint
    assert typing.get_args(PostStatus) == STATUSES == ("filled", "vacant")
    assert PAYMENT_BASES == ("year", "total") and POINTS == ("top", "bottom", "actual")


def test_the_validators_accept_exactly_the_words():
    for status in STATUSES:
        assert Post("A", 1, "Grade 3", status=status).status == status
    with pytest.raises(ValidationError, match=r"'status' must be 'filled' or 'vacant' "
                       r"\(got 'open'\)"):
        Post("A", 1, "Grade 3", status="open")
    for per in PAYMENT_BASES:
        assert Payment("Honorarium", 100, per=per, start="2019-04-01",
                       end="2019-09-30").per == per
    with pytest.raises(ValidationError, match=r"'per' must be 'year' or 'total'"):
        Payment("Honorarium", 100, per="month")
    with pytest.raises(ValidationError, match=r"'point' must be top \| bottom \| actual"):
        PayBasis("nottinghamshire", pay_year=2019, point="middle")
    with pytest.raises(ValidationError, match="'kind' must be " + " \\| ".join(CHANGE_KINDS)):
        change_from_mapping({"kind": "promote", "target": "A"})


def test_a_change_kind_outside_its_vocabulary_is_refused():
    assert Regrade("A", "Grade 4", kind="pay range").kind in REGRADE_KINDS
    with pytest.raises(ValidationError, match="'kind' must be 'regrade' or 'pay range'"):
        Regrade("A", "Grade 4", kind="promotion")
    assert ChangeEnd("A", dt.date(2020, 3, 31), kind="extend temporary").kind in END_KINDS
    with pytest.raises(ValidationError, match="'kind' must be 'make permanent' or"):
        ChangeEnd("A", dt.date(2020, 3, 31), kind="prolong")


def test_every_kind_a_diff_names_is_a_change_kind():
    before = Structure("b", [Post("Officer", 1, "Grade 3", 6, reference="A"),
                             Post("Clerk", 1, "Grade 3", 5, reference="B", end="2020-01-31"),
                             Post("Lead", 1, "Grade 5", 18, reference="C")],
                       [Payment("Honorarium", 100, reference="H")])
    after = Structure("a", [Post("Officer", 2, "Grade 4", 10, reference="A", team="New"),
                            Post("Clerk", 1, "Grade 3", 5, reference="B"),
                            Post("Adviser", 1, "Grade 3", 6, reference="D")],
                      [Payment("Honorarium", 200, reference="H")])
    result = diff(before, after, BASIS)
    assert set(result.kinds()) <= set(CHANGE_KIND_NAMES)
    assert [c.kind for c in result.changes] == result.kinds()
    assert set(typing.get_args(ChangeKind)) >= {"disestablish", "establish", "regrade",
                                                 "change fte", "make permanent", "move team",
                                                 "change payment"}
    assert all(a.name != "kind" or a.validator is not None
               for cls in (Regrade, ChangeEnd) for a in attrs.fields(cls))

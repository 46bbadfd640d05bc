"""The closed vocabularies: each a ``Literal`` type (for annotations and type checkers) and the
tuple of its words (for validation and messages), made from that one definition.

The words are what files and tables hold, so typing them changes no file format and no
output: a post's ``status`` is still the text ``"vacant"``.
"""

from __future__ import annotations

from typing import Literal, get_args

from pay_scales.vocabulary import (
    NI_BASES,
    POINTS,
    ROUND_TO,
    THRESHOLD_FORMS,
    CostingPoint,
    NiBasis,
    RoundTo,
    ThresholdForm,
)

PostStatus = Literal["filled", "vacant"]
"""Whether a post is filled (someone is in it) or vacant."""
STATUSES: tuple[PostStatus, ...] = get_args(PostStatus)

PaymentPer = Literal["year", "total"]
"""A payment's amount is per year (an allowance) or a lump sum (``total``)."""
PAYMENT_BASES: tuple[PaymentPer, ...] = get_args(PaymentPer)

ChangeFileKind = Literal["establish", "disestablish", "regrade", "change-fte", "make-permanent",
                         "change-end", "move", "change-funding", "amend", "add-payment",
                         "remove-payment", "change-payment"]
"""The ``kind`` of a ``[[change]]`` table in a scenario or changes file."""
CHANGE_KINDS: tuple[ChangeFileKind, ...] = get_args(ChangeFileKind)

EndKind = Literal["make permanent", "make temporary", "extend temporary", "shorten temporary"]
"""How a change of end date reads (from the old and new end dates)."""
END_KINDS: tuple[EndKind, ...] = get_args(EndKind)

RegradeKind = Literal["regrade", "pay range"]
"""A regrade proper (grade or point changes), or a change of pay within the grade."""
REGRADE_KINDS: tuple[RegradeKind, ...] = get_args(RegradeKind)

RangePoint = Literal["floor", "midpoint", "ceiling"]
"""Where a salary range (a published band's minimum and maximum) is costed."""
RANGE_POINTS: tuple[RangePoint, ...] = get_args(RangePoint)

AssignmentKind = Literal["substantive", "fixed-term", "acting", "secondment-out"]
"""How a person holds a post (:mod:`establishment.model.assignment` says what each means)."""
ASSIGNMENT_KINDS: tuple[AssignmentKind, ...] = get_args(AssignmentKind)

MoveKind = Literal["move team", "retitle", "move team and retitle"]
MOVE_KINDS: tuple[MoveKind, ...] = get_args(MoveKind)

ChangeKind = Literal["establish", "disestablish", "regrade", "pay range", "change fte",
                     "make permanent", "make temporary", "extend temporary",
                     "shorten temporary", "change end", "move team", "retitle",
                     "move team and retitle", "amend", "change funding", "add payment",
                     "remove payment", "change payment"]
"""A change's ``kind`` as tables show it (``Change.kind``, ``Diff.kinds()``)."""
CHANGE_KIND_NAMES: tuple[ChangeKind, ...] = get_args(ChangeKind)

__all__ = ["ASSIGNMENT_KINDS", "CHANGE_KINDS", "CHANGE_KIND_NAMES", "END_KINDS", "MOVE_KINDS",
           "NI_BASES", "PAYMENT_BASES", "POINTS", "RANGE_POINTS", "REGRADE_KINDS", "ROUND_TO",
           "STATUSES", "THRESHOLD_FORMS", "AssignmentKind", "ChangeFileKind", "ChangeKind",
           "CostingPoint", "EndKind", "MoveKind", "NiBasis", "PaymentPer", "PostStatus",
           "RangePoint", "RegradeKind", "RoundTo", "ThresholdForm"]

"""The closed vocabularies: each a ``Literal`` type (for annotations and type checkers) and the
tuple of its words (for validation and messages), made from that one definition.

The words are what files and tables hold, so typing them changes no file format and no
output: a post's ``status`` is still the text ``"vacant"``.
"""

from __future__ import annotations

from typing import Literal, get_args

from pay_scales.employer import POINTS, CostingPoint

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

MoveKind = Literal["move team", "retitle", "move team and retitle"]
MOVE_KINDS: tuple[MoveKind, ...] = get_args(MoveKind)

ChangeKind = Literal["establish", "disestablish", "regrade", "pay range", "change fte",
                     "make permanent", "make temporary", "extend temporary",
                     "shorten temporary", "change end", "move team", "retitle",
                     "move team and retitle", "amend", "change funding", "add payment",
                     "remove payment", "change payment"]
"""A change's ``kind`` as tables show it (``Change.kind``, ``Diff.kinds()``)."""
CHANGE_KIND_NAMES: tuple[ChangeKind, ...] = get_args(ChangeKind)

__all__ = ["CHANGE_KINDS", "CHANGE_KIND_NAMES", "END_KINDS", "MOVE_KINDS", "PAYMENT_BASES",
           "POINTS", "REGRADE_KINDS", "STATUSES", "ChangeFileKind", "ChangeKind",
           "CostingPoint", "EndKind", "MoveKind", "PaymentPer", "PostStatus", "RegradeKind"]

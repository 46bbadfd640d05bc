"""Assignments: the people in posts (data only; the operations are in
:mod:`establishment.operations.staffing`).

Posts are the establishment; assignments are the staff in post. An :class:`Assignment` puts
one person (a reference, never a name unless one is given and asked for) in one post, for some
hours or an fte, at their own spinal column point, between two dates, as one of four kinds:

=================  ==================  ======================================  ====================
kind               headcount           occupies the post                       in-post cost
=================  ==================  ======================================  ====================
``substantive``    1                   yes, at its fte                         own scp and hours
``fixed-term``     1                   yes, at its fte (until its end date)    own scp and hours
``acting``         at the substantive  the acted post; the person's            paid in the acted
                   post (once)         substantive post shows as "held"        post only
``secondment-out`` 1                   no: the post shows as "held"            none (unless a
                                                                               ``recharge``)
=================  ==================  ======================================  ====================

A job share is two assignments to one post.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
from attrs import field, frozen

from establishment.errors import Location, ValidationError, source_field
from establishment.model.money import to_decimal
from establishment.model.post import (
    FTE_PLACES,
    MAX_FTE,
    MAX_MONEY,
    date_of,
    scp_or_none,
    text_of,
)
from establishment.model.vocabulary import ASSIGNMENT_KINDS, AssignmentKind

KINDS = ASSIGNMENT_KINDS
Kind = AssignmentKind
MAX_HOURS = Decimal(168)


def _decimal_or_none(value: Any, name: str) -> Decimal | None:
    return None if value is None or value == "" else to_decimal(value, field=name)


@frozen
class Assignment:
    """One person in one post. ``post`` is the post's reference; ``person`` the person's
    (an employee or assignment number); ``name`` is optional and never written to outputs
    unless asked. Give ``fte`` or ``hours`` (a week's contracted hours; converted to fte at
    the full-time hours when costed); ``scp`` is the person's own point (None: the post's).
    ``recharge`` is a yearly amount a seconded-out post still costs."""

    post: str = field(converter=text_of("post"))
    person: str = field(converter=text_of("person"))
    fte: Decimal | None = field(default=None, converter=lambda v: _decimal_or_none(v, "fte"))
    hours: Decimal | None = field(default=None,
                                  converter=lambda v: _decimal_or_none(v, "hours"))
    scp: int | None = field(default=None, converter=scp_or_none)
    start: dt.date | None = field(default=None, converter=date_of("start"))
    end: dt.date | None = field(default=None, converter=date_of("end"))
    kind: str = field(default="substantive", converter=text_of("kind"))
    name: str = field(default="", converter=text_of("name"))
    recharge: Decimal | None = field(default=None,
                                     converter=lambda v: _decimal_or_none(v, "recharge"))
    source: Location | None = source_field()  # where it was read; not part of equality

    def __attrs_post_init__(self) -> None:
        problem = self._problem()
        if problem is not None:
            field_name, expected, found = problem
            raise ValidationError(field_name, expected, found, source=self.source,
                                  record=f"assignment {self.person or '?'} in post "
                                  f"{self.post or '?'}")

    def _problem(self) -> tuple[str, str, Any] | None:
        """The first rule the (converted) fields break: (field, expected, found)."""
        if not self.post:
            return "post", "the reference of a post", self.post
        if not self.person:
            return "person", "a person reference", self.person
        if self.kind not in KINDS:
            return "kind", " or ".join(repr(k) for k in KINDS), self.kind
        if self.fte is None and self.hours is None:
            return "fte", "an fte or hours", None
        if self.fte is not None and not (0 < self.fte <= MAX_FTE):
            return "fte", "> 0", self.fte
        if self.fte is not None and self.fte.as_tuple().exponent < -FTE_PLACES:
            return "fte", f"a number with at most {FTE_PLACES} decimal places", self.fte
        if self.hours is not None and not (0 < self.hours <= MAX_HOURS):
            return "hours", f"> 0 and at most {MAX_HOURS} a week", self.hours
        if self.start and self.end and self.end < self.start:
            return "end", f"on or after start ({self.start.isoformat()})", self.end.isoformat()
        if self.recharge is not None and not (0 <= self.recharge <= MAX_MONEY):
            return "recharge", ">= 0", self.recharge
        return None

    @property
    def label(self) -> str:
        return f"{self.person} in post {self.post}"

    def active_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def evolve(self, **changes: Any) -> Assignment:
        return attrs.evolve(self, **changes)

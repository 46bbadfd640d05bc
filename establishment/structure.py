"""A structure: a named set of posts and payments, and what it costs on a pay basis.

``Structure`` is an immutable value (attrs, frozen): changing it gives a new one. Costing it
returns a :class:`Costing`, which holds one row per line with its cost per fte, full-year cost
and (when a period was asked) period cost, so totals by team, grade or funding, tables and
explanations all come from one computation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pandas as pd
from attrs import field, frozen

import pay_scales
from establishment.assignment import Assignment
from establishment.costing import UnitCosts, cost_frame
from establishment.errors import ValidationError
from establishment.frame import FTE_SCALE, lines_frame, posts_from_frame
from establishment.funding import add_by_source
from establishment.pay_basis import PayBasis, resolve_basis
from establishment.post import Payment, Post


def _posts(value: Iterable[Post]) -> tuple[Post, ...]:
    posts = tuple(value)
    for item in posts:
        if not isinstance(item, Post):
            raise ValidationError("posts", "Post records", type(item).__name__)
    return posts


def _payments(value: Iterable[Payment]) -> tuple[Payment, ...]:
    payments = tuple(value)
    for item in payments:
        if not isinstance(item, Payment):
            raise ValidationError("payments", "Payment records", type(item).__name__)
    return payments


def _assignments(value: Iterable[Assignment]) -> tuple[Assignment, ...]:
    assignments = tuple(value)
    for item in assignments:
        if not isinstance(item, Assignment):
            raise ValidationError("assignments", "Assignment records", type(item).__name__)
    return assignments


@frozen
class Structure:
    """A named establishment: posts (grouped in teams by their ``team``) and payments, and
    optionally the staff in post (``assignments``: people in posts, by post reference; see
    :mod:`establishment.staffing`)."""

    name: str = ""
    posts: tuple[Post, ...] = field(default=(), converter=_posts)
    payments: tuple[Payment, ...] = field(default=(), converter=_payments)
    description: str = ""
    assignments: tuple[Assignment, ...] = field(default=(), converter=_assignments)

    def __attrs_post_init__(self) -> None:
        # a reference names one line, so a change or diff can find it: unique per kind
        for kind, records in (("post", self.posts), ("payment", self.payments)):
            seen: set[str] = set()
            for record in records:
                if record.reference:
                    if record.reference in seen:
                        raise ValidationError("reference", f"unique among the {kind}s of a "
                                              "structure", record.reference,
                                              record=self.name or "structure")
                    seen.add(record.reference)
        references = {p.reference for p in self.posts if p.reference}
        for assignment in self.assignments:
            if assignment.post not in references:
                raise ValidationError("post", "the reference of a post of the structure",
                                      assignment.post, record=f"assignment {assignment.label}")

    @property
    def fte(self) -> Decimal:
        return sum((p.fte for p in self.posts), Decimal(0))

    @property
    def teams(self) -> list[str]:
        return list(dict.fromkeys(p.team for p in self.posts))

    def as_of(self, day: dt.date) -> Structure:
        """The posts and payments in force on ``day`` (temporary posts drop out after their
        end, posts not yet started are left out)."""
        posts = [p for p in self.posts if p.active_on(day)]
        payments = [p for p in self.payments
                    if (p.start is None or p.start <= day) and (p.end is None or day <= p.end)]
        references = {p.reference for p in posts}
        assignments = [a for a in self.assignments if a.active_on(day) and a.post in references]
        return attrs.evolve(self, posts=posts, payments=payments, assignments=assignments)

    def with_posts(self, posts: Iterable[Post]) -> Structure:
        return self.evolve(posts=tuple(posts))

    def evolve(self, **changes: Any) -> Structure:
        """A copy with some fields changed; new ``posts`` keep the assignments of the posts
        that remain (a disestablished post's people leave with it)."""
        if "posts" in changes and "assignments" not in changes and self.assignments:
            changes["posts"] = tuple(changes["posts"])
            references = {p.reference for p in changes["posts"] if p.reference}
            changes["assignments"] = tuple(a for a in self.assignments if a.post in references)
        return attrs.evolve(self, **changes)

    def apply(self, changes: Any) -> Structure:
        """The structure after a list of changes (or a :class:`~establishment.diff.Diff`),
        all or nothing: see :func:`establishment.changes.apply_changes`. Applying
        ``diff(a, b)`` to ``a`` gives ``b``, lines in ``b``'s order."""
        from establishment.changes import apply_changes
        from establishment.diff import Diff

        if isinstance(changes, Diff):
            return changes.apply_to(self)
        return apply_changes(self, changes)

    def to_frame(self) -> pd.DataFrame:
        """One row per post and payment, in exact integer units (see ``establishment.frame``)."""
        return lines_frame(self.posts, self.payments)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, name: str = "", description: str = "") -> Structure:
        posts, payments = posts_from_frame(frame)
        return cls(name, posts, payments, description)

    def cost(self, basis: PayBasis | None = None, *, period: tuple[dt.date, dt.date] | None
             = None) -> Costing:
        """Cost every line on ``basis`` (an employer must be named; without a pay year, the
        pay year in force today when the data cover it: :meth:`PayBasis.resolved`)."""
        return Costing.compute(self, resolve_basis(basis), period)

    def full_year_cost(self, basis: PayBasis | None = None) -> Decimal:
        return self.cost(basis).full_year

    def period_cost(self, basis: PayBasis, start: dt.date, end: dt.date) -> Decimal:
        return self.cost(basis, period=(start, end)).period_total


def _money(values: Iterable[int]) -> Decimal:
    return Decimal(int(sum(int(v) for v in values)))


@attrs.define(frozen=True, eq=False)
class Costing:
    """The costed lines of a structure on one basis (and optionally one period).

    ``lines`` has one row per post then per payment with ``unit_pence`` (cost per fte),
    ``full_year`` and ``period`` (whole pounds). Full-year and period figures are separate
    attributes and never mixed.
    """

    structure: Structure
    basis: PayBasis
    period: tuple[dt.date, dt.date] | None
    lines: pd.DataFrame
    units: UnitCosts

    @classmethod
    def compute(cls, structure: Structure, basis: PayBasis,
                period: tuple[dt.date, dt.date] | None = None) -> Costing:
        frame = structure.to_frame()
        costed, units = cost_frame(frame, basis, period=period)
        return cls(structure, basis, period, costed, units)

    @property
    def full_year(self) -> Decimal:
        """Full-year cost of every line, in whole pounds."""
        return _money(self.lines["full_year"])

    @property
    def posts_full_year(self) -> Decimal:
        return _money(self.lines.loc[self.lines["kind"] == "post", "full_year"])

    @property
    def payments_full_year(self) -> Decimal:
        return _money(self.lines.loc[self.lines["kind"] == "payment", "full_year"])

    @property
    def period_total(self) -> Decimal:
        """The cost of the period asked for; an error when none was."""
        if self.period is None:
            raise ValidationError("period", "given when costing (cost(basis, period=(start, "
                                  "end)))", None)
        return _money(self.lines["period"])

    @property
    def posts_period(self) -> Decimal:
        self.period_total  # noqa: B018 - raises when there is no period
        return _money(self.lines.loc[self.lines["kind"] == "post", "period"])

    @property
    def payments_period(self) -> Decimal:
        self.period_total  # noqa: B018
        return _money(self.lines.loc[self.lines["kind"] == "payment", "period"])

    @property
    def fte(self) -> Decimal:
        """fte of the posts in force in the basis's pay year (posts wholly outside it are
        left out, as their full-year cost is)."""
        posts = (self.lines["kind"] == "post") & self.lines["in_force"]
        return Decimal(int(self.lines.loc[posts, "fte_e4"].sum())) / FTE_SCALE

    @property
    def not_in_force(self) -> int:
        """Number of lines wholly outside the basis's pay year (shown at £0)."""
        return int((~self.lines["in_force"]).sum())

    def unit_cost(self, index: int, pay_year: int | None = None) -> pay_scales.UnitCost:
        """The cost per fte (with its components) behind line ``index``."""
        year = self.basis.pay_year if pay_year is None else pay_year
        return self.units.for_year(year)[int(self.units.codes[index])]

    @property
    def inferred(self) -> bool:
        """True when any figure rests on an inferred pay value."""
        return any(u.inferred for u in self.units.for_year(self.basis.pay_year))

    def by(self, column: str) -> pd.DataFrame:
        """fte, full-year (and period) cost by ``team``, ``grade``, ``status``... in first-seen
        order, as Decimals."""
        lines = self.lines.assign(
            fte_e4=self.lines["fte_e4"].where((self.lines["kind"] == "post")
                                              & self.lines["in_force"], 0))
        groups = lines.groupby(column, sort=False)
        result = pd.DataFrame({
            "fte": groups["fte_e4"].sum().map(lambda v: Decimal(int(v)) / FTE_SCALE),
            "full_year": groups["full_year"].sum().map(lambda v: Decimal(int(v))),
        })
        if self.period is not None:
            result["period"] = groups["period"].sum().map(lambda v: Decimal(int(v)))
        return result

    def by_funding(self) -> pd.DataFrame:
        """Cost per funding source: each line split across its shares by largest remainder,
        in pence, so the sources add up to the total exactly. Unfunded lines count under
        ``(unfunded)``."""
        columns = ["full_year"] + (["period"] if self.period is not None else [])
        per_column: dict[str, dict[str, int]] = {column: {} for column in columns}
        for funding, *amounts in self.lines[["funding", *columns]].itertuples(index=False):
            for column, amount in zip(columns, amounts):
                add_by_source(per_column[column], funding, amount)
        totals = {name: {column: per_column[column].get(name, 0) for column in columns}
                  for name in per_column[columns[0]]}
        frame = pd.DataFrame.from_dict(totals, orient="index", columns=columns)
        return frame.map(lambda v: Decimal(int(v)) / 100) if len(frame) else frame

    def line_costs(self) -> np.ndarray:
        return self.lines["full_year"].to_numpy()

"""Vacancy factor: the saving a budget assumes because some posts will be vacant for a while.

A factor is a percentage of the full-year cost of posts, for the whole structure or one team.
It is always its own line (a negative amount, rounded half up to the basis's unit: whole pounds,
or the penny under ``round_to = "penny"``), never folded
into post costs, so a reader sees both the establishment's cost and the assumption.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from attrs import field, frozen

from establishment.errors import ValidationError
from establishment.model import checks
from establishment.model.rates import parse_rate
from pay_scales.rounding import round_to_unit


def _rate(value: Any) -> Decimal:
    """The one rate syntax (:mod:`establishment.model.rates`): ``"3%"`` or ``Decimal("0.03")``;
    a bare ``3`` is refused as ambiguous."""
    rate = parse_rate(value, "vacancy factor")
    if rate is None:
        raise ValidationError("vacancy factor", "a rate such as 3% or 0.03", value)
    return rate


@frozen
class VacancyFactor:
    """A vacancy factor of ``rate`` (``"3%"`` or ``Decimal("0.03")``) of the posts' cost of
    ``team`` (None: the whole structure)."""

    rate: Decimal = field(converter=_rate)
    team: str | None = field(default=None, validator=checks.optional_text)

    @property
    def percent(self) -> Decimal:
        """The rate as a percentage (``Decimal("3")`` for 3%)."""
        return self.rate * 100

    @property
    def label(self) -> str:
        scope = f" ({self.team})" if self.team else ""
        return f"Vacancy factor {self.percent.normalize():f}%{scope}"

    def base(self, costing: Any, column: str = "full_year") -> Decimal:
        """The posts' cost the factor applies to (full year, or ``period``)."""
        lines = costing.lines
        mask = lines["kind"] == "post"
        if self.team is not None:
            mask &= lines["team"] == self.team
            if not mask.any():
                raise ValidationError("vacancy factor team", "a team of the structure "
                                      f"({', '.join(costing.structure.teams)})", self.team)
        return costing.unit.total(lines.loc[mask, column].to_numpy())

    def amount(self, costing: Any, column: str = "full_year") -> Decimal:
        """The (negative) vacancy line: -percent x the posts' cost, half up to the basis's unit
        (whole pounds, or the penny)."""
        return -round_to_unit(self.base(costing, column) * self.rate, costing.unit.round_to)


def vacancy_lines(costing: Any, factors: list[VacancyFactor] | tuple[VacancyFactor, ...],
                  column: str = "full_year") -> list[tuple[str, Decimal]]:
    """One (label, amount) line per factor; two factors on the same scope are an error."""
    scopes = [f.team for f in factors]
    if len(set(scopes)) != len(scopes):
        raise ValidationError("vacancy factors", "at most one per team and one for the "
                              "whole structure", [f.label for f in factors])
    return [(f.label, f.amount(costing, column)) for f in factors]

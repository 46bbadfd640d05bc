"""Position control: limits per team and pay year (fte, headcount, budget), and breaches.

A team's figures on a day are those of the establishment in force that day (posts started and
not ended): fte, headcount (:func:`~establishment.register.state.headcount`) and full-year
cost on the register's pay basis for that pay year, compared with the budget as
:func:`establishment.operations.budget.compare_budget` does (the temporary part shown apart).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from attrs import field, frozen

from establishment.engine.costing import cost
from establishment.errors import ValidationError
from establishment.model import checks
from establishment.model.money import format_money, to_decimal
from establishment.model.pay_basis import PayBasis
from establishment.model.structure import Structure
from establishment.operations.budget import Budget, BudgetComparison, compare_budget
from establishment.register.state import exact_ftes, headcount, shown_fte
from pay_scales.dates import pay_year_label


def _decimal_or_none(name: str) -> Callable[[Any], Decimal | None]:
    def convert(value: Any) -> Decimal | None:
        return None if value is None or value == "" else to_decimal(value, field=name)
    return convert


def _int_or_none(value: Any) -> int | None:
    """A headcount limit: a whole number of people, or none (validated: never int() of
    anything, which would take 2.7 as 2 or fail with a TypeError)."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError("headcount", "a whole number of people >= 0", value)
    return value


@frozen
class Limit:
    """A team's limits in one pay year; a limit left as None is not controlled."""

    team: str = field(validator=checks.text)
    pay_year: int = field(validator=checks.whole(1, 9998))
    fte: Decimal | None = field(default=None, converter=_decimal_or_none("fte"))
    headcount: int | None = field(default=None, converter=_int_or_none)
    budget: Decimal | None = field(default=None, converter=_decimal_or_none("budget"))
    temporary: Decimal = field(default=Decimal(0), converter=lambda v: to_decimal(
        v or 0, field="temporary"))

    def as_budget(self) -> Budget:
        return Budget(f"{self.team} budget", self.budget or Decimal(0), self.temporary,
                      team=self.team)


@frozen
class TeamFigures:
    """A team's figures: ``fte`` as tables show it (each post's to 4 places), ``exact`` the
    exact fte a limit is compared with (a post in hours at hours / full-time hours)."""

    fte: Decimal
    headcount: int
    posts: tuple[Any, ...]
    exact: Fraction


def team_figures(structure: Structure, team: str, basis: Callable[[], PayBasis]
                 ) -> TeamFigures:
    """The team's fte and headcount; ``basis`` is asked for only when a post gives hours
    (its full-time hours)."""
    posts = tuple(p for p in structure.posts if p.team == team)
    ftes = exact_ftes(posts, basis)
    return TeamFigures(shown_fte(ftes), sum(headcount(p, f) for p, f in zip(posts, ftes)),
                       posts, sum(ftes, Fraction(0)))


def team_budget(structure: Structure, limit: Limit, basis: PayBasis) -> BudgetComparison:
    """The team's full-year cost against its budget (with its temporary part)."""
    team = Structure(structure.name, [p for p in structure.posts if p.team == limit.team])
    if not team.posts:
        return compare_budget(limit.as_budget(), Decimal(0),
                              cost_source="computed: no posts in force")
    return compare_budget(limit.as_budget(), cost(team, basis))


@frozen
class Breach:
    """One limit broken: which, the figure, the limit and by how much."""

    team: str
    pay_year: int
    what: str  # fte | headcount | budget
    figure: Decimal
    limit: Decimal

    @property
    def excess(self) -> Decimal:
        return self.figure - self.limit

    def __str__(self) -> str:
        if self.what == "budget":
            return (f"team {self.team!r}: budget limit {format_money(self.limit)} in "
                    f"{pay_year_label(self.pay_year)}, full-year cost "
                    f"{format_money(self.figure)}: over by {format_money(self.excess)}")
        return (f"team {self.team!r}: {self.what} limit {_num(self.limit)} in "
                f"{pay_year_label(self.pay_year)}, {self.what} "
                f"{_num(self.figure)}: over by {_num(self.excess)}")


def _num(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def breaches(structure: Structure, limit: Limit, basis: Callable[[], PayBasis]
             ) -> list[Breach]:
    """Every limit of ``limit`` that ``structure`` (in force on a day of its pay year)
    breaks; ``basis`` is asked for only when a post gives hours or there is a budget to
    cost against."""
    return standing(structure, limit, basis)[2]


def standing(structure: Structure, limit: Limit, basis: Callable[[], PayBasis]
             ) -> tuple[TeamFigures, BudgetComparison | None, list[Breach]]:
    """The team's figures, its budget comparison (None without a budget limit) and the
    breaches they make: each worked out once, for a query that shows all three."""
    figures = team_figures(structure, limit.team, basis)
    comparison = team_budget(structure, limit, basis()) if limit.budget is not None else None
    found = []
    if limit.fte is not None and figures.exact > limit.fte:
        found.append(Breach(limit.team, limit.pay_year, "fte", figures.fte, limit.fte))
    if limit.headcount is not None and figures.headcount > limit.headcount:
        found.append(Breach(limit.team, limit.pay_year, "headcount",
                            Decimal(figures.headcount), Decimal(limit.headcount)))
    if comparison is not None and comparison.shortfall:
        found.append(Breach(limit.team, limit.pay_year, "budget", comparison.net_cost,
                            limit.budget))
    return figures, comparison, found

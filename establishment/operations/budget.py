"""Budgets: does a structure (or a team of it) fit the money it has?

A :class:`Budget` is an amount, of which ``temporary`` is funding that ends (a committee
report's "a staffing budget of £1,084,761 which includes £49,800 temporary funding"). Comparing
a cost with it gives the shortfall or surplus against the whole budget, and against the
permanent part alone, since temporary money hides a gap that will come back.

The cost compared is either computed (a costing's full-year cost, of one team or the whole
structure, less any vacancy factor, shown as its own line) or an input figure taken as given
(when a report states a cost whose workings are not available); the comparison says which.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
from attrs import field, frozen

from establishment.engine.costing import Costing
from establishment.errors import ValidationError
from establishment.model import checks
from establishment.model.money import PENCE, POUNDS, MoneyUnit, to_decimal
from establishment.model.vacancy import VacancyFactor


def _amount(value: Any) -> Decimal:
    return to_decimal(value, field="amount")


def _temporary(value: Any) -> Decimal:
    return to_decimal(value, field="temporary")


@frozen
class Budget:
    """Money for a structure or one of its teams (``team``), from one source (``source``)."""

    name: str = field(validator=checks.text)
    amount: Decimal = field(converter=_amount)
    temporary: Decimal = field(default=Decimal(0), converter=_temporary)
    team: str | None = field(default=None, validator=checks.optional_text)
    source: str = field(default="", validator=checks.text)

    def __attrs_post_init__(self) -> None:
        if self.amount < 0:
            raise ValidationError("amount", ">= 0", self.amount, record=f"budget {self.name}")
        if not Decimal(0) <= self.temporary <= self.amount:
            raise ValidationError("temporary", f"from 0 to the amount ({self.amount})",
                                  self.temporary, record=f"budget {self.name}")

    @property
    def permanent(self) -> Decimal:
        """The part that recurs: what is left to pay for the posts once temporary money ends."""
        return self.amount - self.temporary


@frozen
class BudgetComparison:
    """A cost against a budget. ``vacancy`` lines are negative amounts, each shown apart."""

    budget: Budget
    cost: Decimal
    cost_source: str
    vacancy: tuple[tuple[str, Decimal], ...] = ()
    unit: MoneyUnit = POUNDS  # the cost's unit (a costing's basis), which a table shows


    @property
    def net_cost(self) -> Decimal:
        return self.cost + sum((amount for _, amount in self.vacancy), Decimal(0))

    @property
    def shortfall(self) -> Decimal:
        """Cost above the budget (0 when it fits)."""
        return max(self.net_cost - self.budget.amount, Decimal(0))

    @property
    def surplus(self) -> Decimal:
        """Budget left over (0 when the cost exceeds it): a separate figure from the shortfall,
        so a table never shows a negative shortfall that reads as a saving."""
        return max(self.budget.amount - self.net_cost, Decimal(0))

    @property
    def shortfall_without_temporary(self) -> Decimal:
        """Cost above the permanent part of the budget: the gap once temporary money ends."""
        return max(self.net_cost - self.budget.permanent, Decimal(0))

    @property
    def status(self) -> str:
        if self.shortfall:
            return "shortfall"
        return "surplus" if self.surplus else "balanced"


def compare_budget(budget: Budget, cost: Any, *, vacancy: VacancyFactor | None = None,
                   cost_source: str = "") -> BudgetComparison:
    """``cost`` is a :class:`~establishment.engine.costing.Costing` (its full-year cost, or its
    team's when the budget names one) or a figure taken as an input (Decimal/int)."""
    if isinstance(cost, Costing):
        if budget.team is not None:
            teams = cost.by("team")
            if budget.team not in teams.index:
                raise ValidationError("team", "a team of the structure "
                                      f"({', '.join(map(str, teams.index))})", budget.team,
                                      record=f"budget {budget.name}")
            amount = teams.loc[budget.team, "full_year"]
        else:
            amount = cost.full_year
        if vacancy is not None and budget.team is not None and vacancy.team != budget.team:
            # a factor on another scope would net the whole structure's vacancy saving (or
            # another team's) off one team's cost; a team's own factor within a whole-structure
            # budget is fine (its label names the team)
            if vacancy.team is not None:
                raise ValidationError("vacancy factor team", f"the budget's team "
                                      f"({budget.team})", vacancy.team,
                                      record=f"budget {budget.name}")
            vacancy = attrs.evolve(vacancy, team=budget.team)
        lines = ((vacancy.label, vacancy.amount(cost)),) if vacancy else ()
        source = cost_source or "computed: full-year cost of the structure" + (
            f" (team {budget.team})" if budget.team else "")
        return BudgetComparison(budget, Decimal(amount), source, lines, cost.unit)
    if vacancy is not None:
        raise ValidationError("vacancy", "a costed structure to apply a vacancy factor to",
                              "an input cost figure")
    amount = to_decimal(cost, field="cost")
    return BudgetComparison(budget, amount, cost_source or "input: figure taken as given",
                            unit=POUNDS if amount == amount.to_integral_value() else PENCE)

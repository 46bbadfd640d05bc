"""Reconciliation: each published figure beside the library's figure, and whether they agree.

A figure the scenario claims to reproduce (``expect = "match"``) must agree to the pound; a
``known-difference`` is shown with its difference and its explanation, never hidden; an
``input`` is a figure the model takes as given (shown so a reader sees it was not derived);
a ``not-derivable`` figure is shown with the reason the text does not allow deriving it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from attrs import frozen

from establishment.engine.costing import Costing
from establishment.engine.matching import find_line
from establishment.errors import EstablishmentError
from scenarios.scenario import BUDGET_METRICS, CHANGE_METRICS, PublishedFigure, Scenario


@frozen
class Reconciliation:
    figure: PublishedFigure
    ours: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        return None if self.ours is None else self.ours - self.figure.amount

    @property
    def status(self) -> str:
        expect = self.figure.expect
        if expect == "not-derivable":
            return "not derivable from the text"
        if expect == "input":
            return "input (taken as given)" if self.difference == 0 else "INPUT MISMATCH"
        if self.difference == 0:
            return "match"
        if expect == "known-difference":
            return "known difference"
        return "MISMATCH"

    @property
    def failed(self) -> bool:
        """A figure claimed to match (or an input the model holds wrongly) that does not."""
        return self.figure.expect in ("match", "input") and self.difference != 0


def _row(costing: Costing, reference: str | None) -> int:
    """The line a published figure names, by reference (the one matching rule's lookup)."""
    if reference is None:
        raise EstablishmentError("published figure: a line figure names no line reference")
    return find_line(costing.lines, reference, titles=False, what="line in the costed structure")


def metric(costing: Costing, name: str, line: str | None = None) -> Decimal:
    """The library's value of a named metric on a costing."""
    if name == "unit_cost":
        return costing.unit_cost(_row(costing, line)).cost
    if name == "line_full_year":
        return Decimal(int(costing.lines["full_year"].iloc[_row(costing, line)]))
    if name == "line_period":
        return Decimal(int(costing.lines["period"].iloc[_row(costing, line)]))
    if name == "fte":
        return costing.fte
    return {
        "full_year": lambda: costing.full_year,
        "posts_full_year": lambda: costing.posts_full_year,
        "payments_full_year": lambda: costing.payments_full_year,
        "period": lambda: costing.period_total,
        "posts_period": lambda: costing.posts_period,
    }[name]()


def result_metric(result: Any, figure: PublishedFigure) -> Decimal | None:
    """A figure's value from a run scenario (costings, changes, budgets)."""
    if figure.expect == "not-derivable":
        return None
    name, line = figure.metric, figure.line
    if name in CHANGE_METRICS:
        costed = result.changes_on(figure.basis)
        if name == "changes_full_year":
            return sum((c.full_year for c in costed if c.full_year is not None), Decimal(0))
        if name == "changes_period":
            return sum((c.period for c in costed if c.period is not None), Decimal(0))
        found = next(c for c in costed if c.id == line)
        return found.full_year if name == "change_full_year" else found.period
    if name in BUDGET_METRICS:
        comparison = result.budget(line)
        if name == "budget_amount":
            return comparison.budget.amount
        if name == "budget_temporary":
            return comparison.budget.temporary
        if comparison.cost is None:
            return None
        return {"budget_cost": comparison.cost, "budget_shortfall": comparison.shortfall,
                "budget_surplus": comparison.surplus,
                "budget_shortfall_without_temporary": comparison.shortfall_without_temporary,
                }[name]
    return metric(result.costing_of(figure.of, figure.basis), name, line)


def reconcile(scenario: Scenario, result: Any) -> list[Reconciliation]:
    """Every published figure of ``scenario`` against a run ``result`` (or, as before, a
    mapping of basis name to the decided structure's costing)."""
    if isinstance(result, dict):
        return [Reconciliation(f, metric(result[f.basis], f.metric, f.line))
                for f in scenario.published]
    return [Reconciliation(f, result_metric(result, f)) for f in scenario.published]

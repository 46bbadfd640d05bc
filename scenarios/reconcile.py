"""Reconciliation: each published figure beside the library's figure, and whether they agree.

A figure the scenario claims to reproduce (``expect = "match"``) must agree to the pound; a
``known-difference`` is shown with its difference and its explanation, never hidden.
"""

from __future__ import annotations

from decimal import Decimal

from attrs import frozen

from establishment.structure import Costing
from scenarios.scenario import PublishedFigure, Scenario


@frozen
class Reconciliation:
    figure: PublishedFigure
    ours: Decimal

    @property
    def difference(self) -> Decimal:
        return self.ours - self.figure.amount

    @property
    def status(self) -> str:
        if self.difference == 0:
            return "match"
        if self.figure.expect == "known-difference":
            return "known difference"
        return "MISMATCH"

    @property
    def failed(self) -> bool:
        """A figure claimed to match that does not."""
        return self.figure.expect == "match" and self.difference != 0


def _line_index(costing: Costing, reference: str) -> int:
    refs = list(costing.lines["reference"])
    return refs.index(reference)


def metric(costing: Costing, name: str, line: str | None = None) -> Decimal:
    """The library's value of a named metric on a costing."""
    if name == "unit_cost":
        return costing.unit_cost(_line_index(costing, line)).cost
    if name == "line_full_year":
        return Decimal(int(costing.lines["full_year"].iloc[_line_index(costing, line)]))
    if name == "line_period":
        return Decimal(int(costing.lines["period"].iloc[_line_index(costing, line)]))
    if name == "fte":
        return costing.fte
    return {
        "full_year": lambda: costing.full_year,
        "posts_full_year": lambda: costing.posts_full_year,
        "payments_full_year": lambda: costing.payments_full_year,
        "period": lambda: costing.period_total,
        "posts_period": lambda: costing.posts_period,
    }[name]()


def reconcile(scenario: Scenario, costings: dict[str, Costing]) -> list[Reconciliation]:
    """Every published figure of ``scenario`` against ``costings`` (one per basis name)."""
    return [Reconciliation(f, metric(costings[f.basis], f.metric, f.line))
            for f in scenario.published]

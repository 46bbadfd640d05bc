"""Committee decisions as data: load, run, reconcile against published figures.

>>> import scenarios
>>> result = scenarios.run_scenario("2018-short-breaks")
>>> result.primary.full_year
Decimal('284937')
"""

from establishment.operations.compare import Comparison, OptionResult, compare
from scenarios.reconcile import Reconciliation, metric, reconcile
from scenarios.run import ScenarioResult, run_scenario
from scenarios.scenario import PublishedFigure, Scenario, list_scenarios, load_scenario

__all__ = ["Comparison", "OptionResult", "compare",
           "PublishedFigure", "Reconciliation", "Scenario", "ScenarioResult", "list_scenarios",
           "load_scenario", "metric", "reconcile", "run_scenario"]

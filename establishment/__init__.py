"""Model, cost, compare and report UK public-sector staffing establishments.

>>> from establishment import Post, Structure, PayBasis
>>> team = Structure("ICDS", [Post("Reviewing Officer", 2, "Hay Band A", scp=34)])
>>> team.cost(PayBasis("nottinghamshire", "2018/19", rule="council-2018")).full_year
Decimal('81404')

Money is exact (Decimal, whole pounds by one rule: see :mod:`establishment.model.money`); full-year
and period costs are separate figures; every figure can be explained line by line
(:func:`explain_line`).
"""

from __future__ import annotations

from establishment import moved
from establishment.lazy import lazy_package

moved.install()

__version__ = "0.1.0"

# name -> the module that defines it. The package imports nothing until a name is asked for
# (PEP 562, :mod:`establishment.lazy`), so ``establishment --help`` and argument errors never
# load pandas or numpy; a name's module is imported on first use, then bound here.
EXPORTS: dict[str, str] = {
    # establishment.model.assignment
    "Assignment": "establishment.model.assignment",
    # establishment.operations.budget
    "Budget": "establishment.operations.budget",
    "BudgetComparison": "establishment.operations.budget",
    "compare_budget": "establishment.operations.budget",
    # establishment.operations.changes
    "AddPayment": "establishment.operations.changes",
    "Amend": "establishment.operations.changes",
    "Change": "establishment.operations.changes",
    "ChangeEnd": "establishment.operations.changes",
    "ChangeError": "establishment.operations.changes",
    "ChangeEffect": "establishment.operations.changes",
    "ChangeFte": "establishment.operations.changes",
    "ChangeFunding": "establishment.operations.changes",
    "ChangePayment": "establishment.operations.changes",
    "Disestablish": "establishment.operations.changes",
    "Establish": "establishment.operations.changes",
    "MakePermanent": "establishment.operations.changes",
    "Move": "establishment.operations.changes",
    "Regrade": "establishment.operations.changes",
    "RemovePayment": "establishment.operations.changes",
    "Target": "establishment.operations.changes",
    "apply_changes": "establishment.operations.changes",
    "cost_changes": "establishment.operations.changes",
    "MoneyUnit": "establishment.model.money",
    # establishment.reading (a committee report read into records: docs/audit.md)
    "read_report": "establishment.reading.report",
    # establishment.operations.check
    "check_structure": "establishment.operations.check",
    # establishment.operations.compare
    "Comparison": "establishment.operations.compare",
    "OptionResult": "establishment.operations.compare",
    "compare": "establishment.operations.compare",
    # establishment.engine.costing
    "Costing": "establishment.engine.costing",
    "cost": "establishment.engine.costing",
    # establishment.operations.diff
    "Diff": "establishment.operations.diff",
    "diff": "establishment.operations.diff",
    # establishment.errors
    "CostingError": "establishment.errors",
    "EstablishmentError": "establishment.errors",
    "LoadError": "establishment.errors",
    "Problem": "establishment.errors",
    "ValidationError": "establishment.errors",
    # establishment.operations.explain
    "Explanation": "establishment.operations.explain",
    "explain_line": "establishment.operations.explain",
    # establishment.model.funding
    "FundingShare": "establishment.model.funding",
    "split_pence": "establishment.model.funding",
    # establishment.io
    "LoadCounts": "establishment.io",
    "load_structure": "establishment.io",
    "load_structure_file": "establishment.io",
    "read_structure": "establishment.io",
    "write_structure": "establishment.io",
    # establishment.io.dataframe
    "structure_from_frame": "establishment.io.dataframe",
    # establishment.model.money
    "D": "establishment.model.money",
    "format_money": "establishment.model.money",
    "round_pounds": "establishment.model.money",
    # establishment.model.pay_basis
    "PayBasis": "establishment.model.pay_basis",
    # establishment.model.post
    "Payment": "establishment.model.post",
    "Post": "establishment.model.post",
    # establishment.operations.projection
    "Projection": "establishment.operations.projection",
    "projection": "establishment.operations.projection",
    # establishment.model.rates
    "parse_rate": "establishment.model.rates",
    # establishment.operations.staffing
    "Staffing": "establishment.operations.staffing",
    "occupancy": "establishment.operations.staffing",
    "staffing": "establishment.operations.staffing",
    # establishment.model.structure
    "Structure": "establishment.model.structure",
    # establishment.tables
    "Column": "establishment.tables",
    "Table": "establishment.tables",
    "committee_table": "establishment.tables",
    "explanation_table": "establishment.tables",
    "render": "establishment.tables",
    "structure_table": "establishment.tables",
    "tables_bytes": "establishment.tables",
    "to_frame": "establishment.tables",
    "write_tables": "establishment.tables",
    # establishment.tables.budget_table
    "budget_table": "establishment.tables.budget_table",
    # establishment.tables.comparison_table
    "options_table": "establishment.tables.comparison_table",
    "comparison_table": "establishment.tables.comparison_table",
    # establishment.tables.diff_table
    "diff_table": "establishment.tables.diff_table",
    # establishment.model.vacancy
    "VacancyFactor": "establishment.model.vacancy",
}


__getattr__, __dir__ = lazy_package(__name__, EXPORTS)

__all__ = [
    "Column", "Costing", "CostingError", "D", "EstablishmentError", "Explanation",
    "FundingShare", "LoadError", "PayBasis", "Payment", "Post", "Problem", "Structure", "Table",
    "ValidationError", "committee_table", "explain_line", "format_money", "load_structure",
    "load_structure_file", "render", "round_pounds", "split_pence", "structure_table",
    "write_structure",
    "LoadCounts", "check_structure", "explanation_table", "read_structure", "tables_bytes",
    "to_frame", "write_tables",
    "AddPayment", "Amend", "Budget", "BudgetComparison", "Change", "ChangeEnd", "ChangeError",
    "ChangeFte", "ChangeFunding", "ChangePayment", "Diff", "Disestablish", "Establish",
    "MakePermanent", "Move", "Regrade", "RemovePayment", "Target", "VacancyFactor",
    "apply_changes", "budget_table", "compare_budget", "comparison_table", "cost_changes",
    "diff", "diff_table",
    "Projection", "projection",
    "Comparison", "OptionResult", "compare",
    "Assignment", "Staffing", "occupancy", "parse_rate", "staffing",
    "cost", "structure_from_frame", "options_table",
    "ChangeEffect", "MoneyUnit",
    "read_report",
]

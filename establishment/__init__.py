"""Model, cost, compare and report UK public-sector staffing establishments.

>>> from establishment import Post, Structure, PayBasis
>>> team = Structure("ICDS", [Post("Reviewing Officer", 2, "Hay Band A", scp=34)])
>>> team.cost(PayBasis("nottinghamshire", "2018/19", rule="council-2018")).full_year
Decimal('81404')

Money is exact (Decimal, whole pounds by one rule: see :mod:`establishment.money`); full-year
and period costs are separate figures; every figure can be explained line by line
(:func:`explain_line`).
"""

from __future__ import annotations

from establishment.lazy import lazy_package

__version__ = "0.1.0"

# name -> the module that defines it. The package imports nothing until a name is asked for
# (PEP 562, :mod:`establishment.lazy`), so ``establishment --help`` and argument errors never
# load pandas or numpy; a name's module is imported on first use, then bound here.
EXPORTS: dict[str, str] = {
    # establishment.assignment
    "Assignment": "establishment.assignment",
    # establishment.budget
    "Budget": "establishment.budget",
    "BudgetComparison": "establishment.budget",
    "budget_table": "establishment.budget",
    "compare_budget": "establishment.budget",
    # establishment.changes
    "AddPayment": "establishment.changes",
    "Amend": "establishment.changes",
    "Change": "establishment.changes",
    "ChangeEnd": "establishment.changes",
    "ChangeError": "establishment.changes",
    "ChangeFte": "establishment.changes",
    "ChangeFunding": "establishment.changes",
    "ChangePayment": "establishment.changes",
    "Disestablish": "establishment.changes",
    "Establish": "establishment.changes",
    "MakePermanent": "establishment.changes",
    "Move": "establishment.changes",
    "Regrade": "establishment.changes",
    "RemovePayment": "establishment.changes",
    "Target": "establishment.changes",
    "apply_changes": "establishment.changes",
    "cost_changes": "establishment.changes",
    # establishment.check
    "check_structure": "establishment.check",
    # establishment.compare
    "Comparison": "establishment.compare",
    "OptionResult": "establishment.compare",
    "compare": "establishment.compare",
    # establishment.costing
    "Costing": "establishment.costing",
    # establishment.diff
    "Diff": "establishment.diff",
    "diff": "establishment.diff",
    # establishment.errors
    "CostingError": "establishment.errors",
    "EstablishmentError": "establishment.errors",
    "LoadError": "establishment.errors",
    "Problem": "establishment.errors",
    "ValidationError": "establishment.errors",
    # establishment.explain
    "Explanation": "establishment.explain",
    "explain_line": "establishment.explain",
    # establishment.funding
    "FundingShare": "establishment.funding",
    "split_pence": "establishment.funding",
    # establishment.io
    "LoadCounts": "establishment.io",
    "load_structure": "establishment.io",
    "load_structure_file": "establishment.io",
    "read_structure": "establishment.io",
    "write_structure": "establishment.io",
    # establishment.money
    "D": "establishment.money",
    "format_money": "establishment.money",
    "round_pounds": "establishment.money",
    # establishment.pay_basis
    "PayBasis": "establishment.pay_basis",
    # establishment.post
    "Payment": "establishment.post",
    "Post": "establishment.post",
    # establishment.projection
    "Projection": "establishment.projection",
    "projection": "establishment.projection",
    # establishment.rates
    "parse_rate": "establishment.rates",
    # establishment.staffing
    "Staffing": "establishment.staffing",
    "occupancy": "establishment.staffing",
    "staffing": "establishment.staffing",
    # establishment.structure
    "Structure": "establishment.structure",
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
    # establishment.tables.comparison_table
    "comparison_table": "establishment.tables.comparison_table",
    # establishment.tables.diff_table
    "diff_table": "establishment.tables.diff_table",
    # establishment.vacancy
    "VacancyFactor": "establishment.vacancy",
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
]

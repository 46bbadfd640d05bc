"""Model, cost, compare and report UK public-sector staffing establishments.

>>> from establishment import Post, Structure, PayBasis
>>> team = Structure("ICDS", [Post("Reviewing Officer", 2, "Hay Band A", scp=34)])
>>> team.cost(PayBasis(pay_year="2018/19", rule="council-2018")).full_year
Decimal('81404')

Money is exact (Decimal, whole pounds by one rule: see :mod:`establishment.money`); full-year
and period costs are separate figures; every figure can be explained line by line
(:func:`explain_line`).
"""

from establishment.budget import Budget, BudgetComparison, budget_table, compare_budget
from establishment.changes import (
    AddPayment,
    Amend,
    Change,
    ChangeEnd,
    ChangeError,
    ChangeFte,
    ChangeFunding,
    ChangePayment,
    Disestablish,
    Establish,
    MakePermanent,
    Move,
    Regrade,
    RemovePayment,
    Target,
    apply_changes,
    cost_changes,
)
from establishment.check import check_structure
from establishment.compare import Comparison, OptionResult, compare
from establishment.costing import Costing
from establishment.diff import Diff, diff
from establishment.errors import (
    CostingError,
    EstablishmentError,
    LoadError,
    Problem,
    ValidationError,
)
from establishment.explain import Explanation, explain_line
from establishment.funding import FundingShare, split_pence
from establishment.io import (
    LoadCounts,
    load_structure,
    load_structure_file,
    read_structure,
    write_structure,
)
from establishment.money import D, format_money, round_pounds
from establishment.pay_basis import PayBasis
from establishment.post import Payment, Post
from establishment.projection import Projection, projection
from establishment.structure import Structure
from establishment.tables import (
    Column,
    Table,
    committee_table,
    explanation_table,
    render,
    structure_table,
    tables_bytes,
    to_frame,
    write_tables,
)
from establishment.tables.comparison_table import comparison_table
from establishment.tables.diff_table import diff_table
from establishment.vacancy import VacancyFactor

__version__ = "0.1.0"

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
]

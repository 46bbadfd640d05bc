"""Reading a committee report: its staffing statements and figures, out of the text.

:func:`read_report` reads a report (text, Word or PDF) into a :class:`Reading` (records, each
with the paragraph, line and words it came from); :func:`scenario_toml` writes it as a scenario
file; :func:`summary` lists what was read and what was not. Running and auditing the scenario
is the ``scenarios`` package's (:func:`scenarios.audit.audit_report`): this package does not
import it (docs/audit.md, docs/architecture.md).
"""

from establishment.reading.records import (
    BudgetItem,
    FigureItem,
    MoneyItem,
    Note,
    PaymentItem,
    PostItem,
    Reading,
    Source,
)
from establishment.reading.report import read_report
from establishment.reading.scenario_text import scenario_toml
from establishment.reading.summary import counts, summary

__all__ = ["BudgetItem", "FigureItem", "MoneyItem", "Note", "PaymentItem", "PostItem",
           "Reading", "Source", "counts", "read_report", "scenario_toml", "summary"]

"""Tables: one model (:class:`Table`) rendered to every output format.

Names are imported on first use (PEP 562), so reading the output formats (the command line's
``--format`` choices) does not load pandas.
"""

from __future__ import annotations

from establishment.lazy import lazy_package

EXPORTS: dict[str, str] = {
    "committee_table": "establishment.tables.committee",
    "explanation_table": "establishment.tables.committee",
    "structure_table": "establishment.tables.committee",
    "totals_table": "establishment.tables.committee",
    "FORMATS": "establishment.tables.render",
    "TEXT_FORMATS": "establishment.tables.render",
    "format_for_path": "establishment.tables.render",
    "render": "establishment.tables.render",
    "tables_bytes": "establishment.tables.output",
    "to_frame": "establishment.tables.render",
    "write_tables": "establishment.tables.output",
    "Column": "establishment.tables.table",
    "Table": "establishment.tables.table",
    "adds_up": "establishment.tables.totals",
    "totals_mismatches": "establishment.tables.totals",
}


__getattr__, __dir__ = lazy_package(__name__, EXPORTS)

__all__ = ["FORMATS", "TEXT_FORMATS", "Column", "Table", "adds_up", "committee_table",
           "explanation_table", "format_for_path", "render", "structure_table", "tables_bytes",
           "to_frame", "totals_mismatches", "totals_table", "write_tables"]

"""Tables: one model (:class:`Table`) rendered to every output format."""

from establishment.tables.committee import committee_table, explanation_table, structure_table
from establishment.tables.render import (
    FORMATS,
    TEXT_FORMATS,
    format_for_path,
    render,
    tables_bytes,
    to_frame,
    write_tables,
)
from establishment.tables.table import Column, Table
from establishment.tables.totals import adds_up, totals_mismatches

__all__ = ["FORMATS", "TEXT_FORMATS", "Column", "Table", "adds_up", "committee_table",
           "explanation_table", "format_for_path", "render", "structure_table", "tables_bytes",
           "to_frame", "totals_mismatches", "write_tables"]

"""Tables: one model (:class:`Table`) rendered to every output format."""

from establishment.tables.committee import committee_table, structure_table
from establishment.tables.render import FORMATS, render
from establishment.tables.table import Column, Table

__all__ = ["FORMATS", "Column", "Table", "committee_table", "render", "structure_table"]

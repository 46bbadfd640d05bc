"""Structures in XLSX (Excel): HR exports in, spreadsheet-safe workbooks out.

Reading (:mod:`establishment.io.xlsx_read`: bounded before anything is allocated, values by
python-calamine, saved results of formulas; a formula with none is reported):
the first worksheet, or the one named "Posts" when there is one (the others are listed in the
load counts as not read); the first non-blank row is the header; problems are located by sheet
row number (``file.xlsx:12: [FTE] ...``). Numbers, dates and text cells are taken as typed; a
date typed as text is read like a CSV date.

Writing: a "Posts" sheet with our own columns, a bold header row, money as numbers with a £
format, dates as dates, text cells stored as text (never formulas: see
:mod:`establishment.cells`), written atomically.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from establishment.cells import CellTextTooLong, set_text_cell
from establishment.errors import EstablishmentError, LoadError, Problem
from establishment.io import columnar
from establishment.io.atomic import atomic_write
from establishment.io.tabular import (
    MONEY_FIELDS,
    Checker,
    CountedLoadError,
    LoadCounts,
    Loaded,
    Progress,
    Uncomputed,
    load_table,
    structure_rows,
)
from establishment.io.xlsx_read import Sheet, XlsxLimits, XlsxRefused, read_sheet
from establishment.model.structure import Structure

SHEET = "Posts"


def _fail(where: str, message: str) -> CountedLoadError:
    return CountedLoadError([Problem(where, None, message)], LoadCounts(problems=1))


def parse_xlsx_bytes(data: bytes, where: str = "<bytes>", *, name: str = "",
                     columns: Mapping[str, str] | None = None, dayfirst: bool | None = True,
                     progress: Progress | None = None, checker: Checker | None = None,
                     limits: XlsxLimits | None = None) -> Loaded:
    """A structure from XLSX bytes, or a :class:`CountedLoadError` with every problem.
    ``limits`` bound what the workbook may unpack to (:mod:`establishment.io.xlsx_read`)."""
    sheet = _sheet(data, where, limits)
    options = {"name": name or Path(where).stem, "dayfirst": dayfirst, "progress": progress,
               "checker": checker}
    # posts on another sheet are not read: say so in the counts, never drop them unseen
    others = sheet.others
    try:
        table = sheet_columns(sheet)
        if table is not None:  # the sheet a column at a time, straight from calamine's rows
            header_line, header, cells, lines = table
            loaded = columnar.columns_to_structure(header, cells, lines, where,
                                                   columns_map=columns,
                                                   header_line=header_line, **options)
        else:
            errors: list[Problem] = []
            loaded = load_table(_rows(sheet, where, errors), errors, where,
                                f"sheet {sheet.title!r} is empty: expected a header row "
                                "(title, fte, grade, ...) and posts", columns=columns,
                                load=columnar.rows_column_wise, **options)
    except CountedLoadError as err:
        raise CountedLoadError(err.problems, attrs.evolve(err.counts, ignored_sheets=others)
                               ) from None
    return attrs.evolve(loaded, counts=attrs.evolve(loaded.counts, ignored_sheets=others))


def _blank(cell: Any) -> bool:
    return cell is None or cell == "" or (isinstance(cell, str) and not cell.strip())


def sheet_columns(sheet: Sheet) -> tuple[int, list[Any], list[np.ndarray], np.ndarray] | None:
    """The sheet as (header row number, header cells, one array of cells per column below
    it, each row's number), taken from calamine's rows without a Python pass per row; None
    when the row reader must read it (a formula with no saved result, rows of different
    widths, no header row)."""
    values = sheet.values
    if sheet.uncomputed or not values or len({len(row) for row in values}) != 1:
        return None
    at = next((i for i, row in enumerate(values) if not all(_blank(c) for c in row)), None)
    if at is None:
        return None
    header = [None if c == "" else c for c in values[at]]
    while header and header[-1] is None:  # as the row reader drops trailing empty cells
        header.pop()
    body = values[at + 1:]
    table = np.empty((len(body), len(values[at])), dtype=object)
    if body:
        table[:] = body
    columns = []
    for index in range(table.shape[1]):
        column = table[:, index].copy()
        column[column == ""] = None  # an empty cell, as the row reader gives it
        columns.append(column)
    return at + 1, header, columns, np.arange(at + 2, len(values) + 1, dtype=np.int64)


def _sheet(data: bytes, where: str, limits: XlsxLimits | None) -> Sheet:
    if not data.startswith(b"PK"):
        raise _fail(where, "is not an XLSX workbook (an .xlsx file is a zip archive; save the "
                    "sheet as 'Excel Workbook (.xlsx)' or as CSV UTF-8)")
    try:
        return read_sheet(data, SHEET, limits)
    except XlsxRefused as err:
        raise _fail(where, str(err)) from None


def _rows(sheet: Sheet, where: str, errors: list[Problem]) -> Iterator[tuple[int, list[Any]]]:
    """Each sheet row's saved values; an empty value whose cell holds a formula becomes
    :class:`Uncomputed`; a row that cannot be read ends the sheet with a located problem."""
    from python_calamine import CalamineError

    by_row: dict[int, list[tuple[int, str]]] = {}
    for (row, column), formula in sheet.uncomputed.items():
        by_row.setdefault(row, []).append((column, formula))
    line = 0
    try:
        for line, cells in sheet.rows:
            for column, formula in by_row.get(line, ()):
                cells.extend([None] * (column - len(cells)))
                if cells[column - 1] is None:
                    cells[column - 1] = Uncomputed(formula)
            yield line, cells
    except (CalamineError, ValueError, OSError):  # a damaged sheet part
        errors.append(Problem(where, line + 1, "unreadable sheet row: the sheet's XML is "
                              "damaged here; open the workbook in Excel and save it again"))


def structure_workbook(structure: Structure, where: str = "<xlsx>") -> Any:
    """The structure as a workbook that reads back to the same structure: typed cells (money
    and fte as numbers, dates as dates) so a user can sum and filter them, text never stored
    as a formula. Text longer than a cell holds is a :class:`LoadError` naming every such
    cell by row and field (``where``: the file being written), never cut short."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils.exceptions import IllegalCharacterError

    header, rows = structure_rows(structure)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    bold = Font(bold=True)
    for col, name in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=col, value=name)
        cell.font = bold
    too_long: list[Problem] = []
    for r, row in enumerate(rows, start=2):
        for col, (field, value) in enumerate(zip(header, row), start=1):
            if value is None or value == "":
                continue
            cell = sheet.cell(row=r, column=col)
            try:
                if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
                    cell.value = value
                    if field in MONEY_FIELDS:
                        cell.number_format = '"£"#,##0.00;-"£"#,##0.00'
                elif isinstance(value, dt.date):
                    cell.value = value
                    cell.number_format = "yyyy-mm-dd"
                else:
                    set_text_cell(cell, str(value))
            except CellTextTooLong as err:
                too_long.append(Problem(where, r, str(err), field))
            except IllegalCharacterError:
                raise EstablishmentError(f"row {r} column {field!r} holds a control character "
                                         "that an XLSX file cannot store") from None
    if too_long:
        raise LoadError(too_long)
    sheet.freeze_panes = "A2"
    return book


def structure_to_xlsx(structure: Structure, where: str = "<xlsx>") -> bytes:
    buffer = io.BytesIO()
    structure_workbook(structure, where).save(buffer)
    return buffer.getvalue()


def write_structure_xlsx(structure: Structure, path: str | Path) -> None:
    """Write a structure as an XLSX workbook, atomically (built whole first: a refusal
    leaves no file and an old file as it was)."""
    data = structure_to_xlsx(structure, str(path))
    with atomic_write(path, "wb") as handle:
        handle.write(data)


def sheet_rows(data: bytes, where: str, errors: list[Problem],
               limits: XlsxLimits | None = None) -> Iterator[tuple[int, list[Any]]]:
    """The ``(line, cells)`` rows of a workbook's first sheet, as the structure reader reads
    them: for tables that are not posts (:mod:`establishment.io.staff`)."""
    return _rows(_sheet(data, where, limits), where, errors)

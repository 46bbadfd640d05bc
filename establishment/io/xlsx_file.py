"""Structures in XLSX (Excel): HR exports in, spreadsheet-safe workbooks out.

Reading (openpyxl, read-only, cached values of formulas): the first worksheet, or the one
named "Posts" when there is one; the first non-blank row is the header; problems are located
by sheet row number (``file.xlsx:12: [FTE] ...``). Numbers, dates and text cells are taken as
typed; a date typed as text is read like a CSV date.

Writing: a "Posts" sheet with our own columns, a bold header row, money as numbers with a £
format, dates as dates, text cells stored as text (never formulas: see
:mod:`establishment.tables.export`), written atomically.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from establishment.errors import EstablishmentError, Problem
from establishment.io.atomic import atomic_write
from establishment.io.tabular import (
    MONEY_FIELDS,
    Checker,
    CountedLoadError,
    LoadCounts,
    Loaded,
    Progress,
    load_table,
    structure_rows,
)
from establishment.structure import Structure
from establishment.tables.export import set_text_cell

SHEET = "Posts"


def _fail(where: str, message: str) -> CountedLoadError:
    return CountedLoadError([Problem(where, None, message)], LoadCounts(problems=1))


def _open(data: bytes, where: str) -> Any:
    from openpyxl import load_workbook

    if not data.startswith(b"PK"):
        raise _fail(where, "is not an XLSX workbook (an .xlsx file is a zip archive; save the "
                    "sheet as 'Excel Workbook (.xlsx)' or as CSV UTF-8)")
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError,
            AttributeError, IndexError) as err:
        raise _fail(where, f"is not a readable XLSX workbook ({type(err).__name__}: "
                    f"{str(err)[:120]})") from None
    except Exception as err:  # openpyxl raises many types for damaged workbooks
        raise _fail(where, f"is not a readable XLSX workbook ({type(err).__name__})") from None


def parse_xlsx_bytes(data: bytes, where: str = "<bytes>", *, name: str = "",
                     columns: Mapping[str, str] | None = None, dayfirst: bool | None = True,
                     progress: Progress | None = None, checker: Checker | None = None) -> Loaded:
    """A structure from XLSX bytes, or a :class:`CountedLoadError` with every problem."""
    book = _open(data, where)
    try:
        sheets = book.worksheets  # worksheets only, not chart sheets
        if not sheets:
            raise _fail(where, "has no worksheets")
        sheet = next((w for w in sheets if w.title == SHEET), sheets[0])
        errors: list[Problem] = []
        return load_table(_rows(sheet, where, errors), errors, where,
                          f"sheet {sheet.title!r} is empty: expected a header row (title, fte, "
                          "grade, ...) and posts", name=name or Path(where).stem,
                          columns=columns, dayfirst=dayfirst, progress=progress,
                          checker=checker)
    finally:
        book.close()


def _rows(sheet: Any, where: str, errors: list[Problem]) -> Iterator[tuple[int, list[Any]]]:
    line = 0
    iterator = sheet.iter_rows(values_only=True)
    while True:
        try:
            values = next(iterator)
        except StopIteration:
            return
        except Exception as err:  # a damaged sheet part
            errors.append(Problem(where, line + 1, f"unreadable sheet row "
                                  f"({type(err).__name__})"))
            return
        line += 1
        cells = list(values)
        while cells and cells[-1] in (None, ""):
            cells.pop()
        yield line, cells


def structure_workbook(structure: Structure) -> Any:
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
            except IllegalCharacterError:
                raise EstablishmentError(f"row {r} column {field!r} holds a control character "
                                         "that an XLSX file cannot store") from None
    sheet.freeze_panes = "A2"
    return book


def structure_to_xlsx(structure: Structure) -> bytes:
    buffer = io.BytesIO()
    structure_workbook(structure).save(buffer)
    return buffer.getvalue()


def write_structure_xlsx(structure: Structure, path: str | Path) -> None:
    """Write a structure as an XLSX workbook, atomically."""
    data = structure_to_xlsx(structure)
    with atomic_write(path, "wb") as handle:
        handle.write(data)

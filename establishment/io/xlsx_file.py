"""Structures in XLSX (Excel): HR exports in, spreadsheet-safe workbooks out.

Reading (openpyxl, read-only, saved results of formulas; a formula with none is reported):
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
import re
import zipfile
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from establishment.cells import set_text_cell
from establishment.errors import EstablishmentError, Problem
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
from establishment.structure import Structure

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


def _has_formulas(data: bytes) -> bool:
    """Whether any worksheet holds a formula (an ``<f>`` element, with or without a namespace
    prefix): only then is the sheet read a second time for formulas without a saved result."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(re.search(rb"<(?:\w+:)?f[\s>/]", archive.read(name))
                       for name in archive.namelist()
                       if name.startswith("xl/worksheets/") and name.endswith(".xml"))
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError):
        return False


def _formula_rows(data: bytes, title: str) -> Iterator[tuple[Any, ...]] | None:
    """The rows of sheet ``title`` as written (formulas as ``=...`` text), when it has any."""
    if not _has_formulas(data):
        return None
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        return book[title].iter_rows(values_only=True)
    except Exception:  # the values pass reports a damaged workbook
        return None


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
        rows = _rows(sheet, where, errors, _formula_rows(data, sheet.title))
        # posts on another sheet are not read: say so in the counts, never drop them unseen
        others = tuple(w.title for w in sheets if w is not sheet)
        try:
            loaded = load_table(rows, errors, where,
                                f"sheet {sheet.title!r} is empty: expected a header row (title, "
                                "fte, grade, ...) and posts", name=name or Path(where).stem,
                                columns=columns, dayfirst=dayfirst, progress=progress,
                                checker=checker)
        except CountedLoadError as err:
            raise CountedLoadError(err.problems, attrs.evolve(err.counts, ignored_sheets=others)
                                   ) from None
        return attrs.evolve(loaded, counts=attrs.evolve(loaded.counts, ignored_sheets=others))
    finally:
        book.close()


def _rows(sheet: Any, where: str, errors: list[Problem],
          formulas: Iterator[tuple[Any, ...]] | None = None
          ) -> Iterator[tuple[int, list[Any]]]:
    """Each sheet row's saved values; with ``formulas`` (the same rows as written), an empty
    value whose cell holds a formula becomes :class:`Uncomputed`."""
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
        written = next(formulas, None) if formulas is not None else None
        if written:
            for index, (value, text) in enumerate(zip(cells, written)):
                if value is None and isinstance(text, str) and text.startswith("="):
                    cells[index] = Uncomputed(text)
        while cells and cells[-1] in (None, ""):
            cells.pop()
        yield line, cells


def structure_workbook(structure: Structure) -> Any:
    """The structure as a workbook that reads back to the same structure: typed cells (money
    and fte as numbers, dates as dates) so a user can sum and filter them, text never stored
    as a formula."""
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

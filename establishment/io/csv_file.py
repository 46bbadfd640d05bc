"""Structures in CSV: HR exports in, spreadsheet-safe files out.

Reading: UTF-8 (with or without the byte-order mark Excel writes), else Windows-1252 with a
note (:mod:`establishment.io.text`), comma-separated, the first non-blank row is the header
(mapped by :mod:`establishment.io.columns`); every other row becomes a post, a payment or
located problems (``file:line: [Column] message``).

Writing: our own columns (``kind, reference, title, fte, grade, scp, ...``), money and fte as
plain numbers, dates as ISO, funding as ``Core 60%; Grant 40%``, text cells neutralised against
formula injection (a leading ``'``, undone when the file is read back), written atomically.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from establishment.cells import csv_line, neutralise, restore_text
from establishment.errors import LoadError, Problem
from establishment.io import columnar
from establishment.io.atomic import atomic_write
from establishment.io.tabular import (
    Checker,
    CountedLoadError,
    LoadCounts,
    Loaded,
    Progress,
    load_table,
    rows_to_structure,
    structure_rows,
)
from establishment.io.text import Decoded, decode_text
from establishment.model.structure import Structure


def _fail(where: str, line: int | None, message: str) -> CountedLoadError:
    return CountedLoadError([Problem(where, line, message)], LoadCounts(problems=1))


def decode(data: bytes, where: str, encoding: str | None = None) -> Decoded:
    """The file's text (:func:`establishment.io.text.decode_text`: UTF-8 with or without
    Excel's byte-order mark, else Windows-1252 with a note, or the ``encoding`` given); bytes
    that are not text at all are a located CountedLoadError."""
    try:
        return decode_text(data, where, encoding)
    except LoadError as err:
        raise CountedLoadError(err.problems, LoadCounts(problems=len(err.problems))) from None


def wrong_separator(header: list[Any]) -> str | None:
    """The separator a one-column header was really split by (``;`` from a European Excel,
    a tab, ``|``), so the message can say so instead of "missing columns"."""
    if len(header) != 1 or not isinstance(header[0], str):
        return None
    return next((s for s in (";", "\t", "|") if s in header[0]), None)


def _rows(text: str, where: str, errors: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            errors.append(Problem(where, reader.line_num or line, f"unreadable CSV: {err}"))
            return
        yield line, cells
        line = reader.line_num + 1


def parse_csv_text(text: str, where: str = "<string>", *, name: str = "",
                   columns: Mapping[str, str] | None = None, dayfirst: bool | None = True,
                   progress: Progress | None = None, checker: Checker | None = None,
                   column_wise: bool = True) -> Loaded:
    """A structure from CSV text, or a :class:`CountedLoadError` with every problem
    (``column_wise``: the rows' rules applied a column at a time, the same result)."""
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise _fail(where, line, "contains a NUL byte: this is not a CSV text file")
    errors: list[Problem] = []

    def check_header(line: int, header: list[Any]) -> None:
        separator = wrong_separator(header)
        if separator is not None:  # a European Excel or a tab export: not "no title column"
            raise _fail(where, line, f"the header {header[0]!r} is one column separated by "
                        f"{separator!r}: expected commas; save it as 'CSV UTF-8 (Comma "
                        "delimited)'")

    return load_table(_rows(text, where, errors), errors, where,
                      "is empty: expected a header row (title, fte, grade, ...) and posts",
                      check_header=check_header, text_cell=restore_text,
                      name=name or Path(where).stem, columns=columns, dayfirst=dayfirst,
                      progress=progress, checker=checker,
                      load=columnar.rows_column_wise if column_wise else rows_to_structure)


def parse_csv_bytes(data: bytes, where: str = "<bytes>", *, encoding: str | None = None,
                    column_wise: bool = True, **options: Any) -> Loaded:
    """A structure from a CSV file's bytes; a guessed encoding is said in ``Loaded.notes``.
    Read column-wise (:mod:`establishment.io.columnar`) when the file is plain, else row by
    row; both give the same structure and the same problems."""
    decoded = decode(data, where, encoding)
    note, loaded = decoded.note, None
    if column_wise and "\x00" not in decoded.text:
        utf8 = data if not note and encoding is None else decoded.text.encode()
        decoded = None  # the text is not needed while the columns are read (memory)
        loaded = columnar.load_csv(utf8, where, text_cell=restore_text,
                          **{**options, "name": options.get("name") or Path(where).stem})
    if loaded is None:
        decoded = decoded or decode(data, where, encoding)
        loaded = parse_csv_text(decoded.text, where, column_wise=column_wise, **options)
    return attrs.evolve(loaded, notes=(*loaded.notes, note)) if note else loaded


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


def structure_to_csv(structure: Structure) -> str:
    """The CSV text of a structure: reading it back gives the same posts and payments."""
    header, rows = structure_rows(structure)
    lines = [csv_line(header)]
    lines.extend(csv_line(_cell(v) for v in row) for row in rows)
    return "".join(lines)


def write_structure_csv(structure: Structure, path: str | Path) -> None:
    """Write a structure as CSV, atomically (UTF-8 with a byte-order mark, so Excel reads £)."""
    text = structure_to_csv(structure)
    with atomic_write(path, "w", encoding="utf-8-sig", newline="") as handle:
        handle.write(text)


def csv_rows(text: str, where: str, errors: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """The ``(line, cells)`` rows of CSV text, as the structure reader reads them (an
    unreadable row ends them with a located problem in ``errors``): for tables that are not
    posts (:mod:`establishment.io.staff`)."""
    return _rows(text, where, errors)

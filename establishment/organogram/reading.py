"""Reading one organogram CSV: headers matched by name, rows with their physical line, and
the value forms real returns use.

Published returns are messy: headers vary in case and spacing, files carry extra or unnamed
columns (``source_file``, ``""``), numbers come as ``£45,000`` or ``45000.00``, pay may be
``N/D`` (not disclosed). This module reads what a file says and classifies each value; it
decides nothing about posts (see :mod:`establishment.organogram.returns`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from attrs import frozen

from establishment.errors import LoadError, Problem
from establishment.io.csv_file import wrong_separator
from establishment.model.parse import NumberError, parse_number

NOT_DISCLOSED = ("n/d", "nd")
NO_PAY_FORMS = ("n/a", "na", "none", "nil", "not applicable")
def _is_word(text: str) -> bool:
    """Text with a letter and no digit of any script: a word, not a malformed figure."""
    return any(ch.isalpha() for ch in text) and not any(ch.isdigit() for ch in text)
TOP_MARKERS = ("", "xx")  # "Reports to Senior Post" of the head of the organisation


def header_key(name: str) -> str:
    """Case-, space- and '(£)'-insensitive key of a column header."""
    text = name.replace("\ufeff", "").replace("(£)", "").replace("£", "")
    return " ".join(text.lower().split())


@frozen
class Column:
    """A column of the published template: its field, its header names, whether required."""

    field: str
    headers: tuple[str, ...]
    required: bool = True

    @property
    def shown(self) -> str:
        return self.headers[0]


SENIOR_COLUMNS = (
    Column("reference", ("Post Unique Reference",)),
    Column("name", ("Name",), required=False),
    Column("grade", ("Grade (or equivalent)", "Grade")),
    Column("title", ("Job Title",)),
    Column("function", ("Job/Team Function",), required=False),
    Column("parent", ("Parent Department",), required=False),
    Column("organisation", ("Organisation",), required=False),
    Column("unit", ("Unit",)),
    Column("phone", ("Contact Phone",), required=False),
    Column("email", ("Contact E-mail", "Contact Email"), required=False),
    Column("reports_to", ("Reports to Senior Post",)),
    Column("cost_of_reports", ("Salary Cost of Reports (£)",), required=False),
    Column("fte", ("FTE",)),
    Column("pay_floor", ("Actual Pay Floor (£)",)),
    Column("pay_ceiling", ("Actual Pay Ceiling (£)",)),
    Column("profession", ("Professional/Occupational Group",), required=False),
    Column("notes", ("Notes",), required=False),
    Column("valid", ("Valid?",), required=False),
    Column("uri", ("URI",), required=False),
)

JUNIOR_COLUMNS = (
    Column("parent", ("Parent Department",), required=False),
    Column("organisation", ("Organisation",), required=False),
    Column("unit", ("Unit",)),
    Column("reports_to", ("Reporting Senior Post",)),
    Column("grade", ("Grade",)),
    Column("pay_min", ("Payscale Minimum (£)",)),
    Column("pay_max", ("Payscale Maximum (£)",)),
    Column("title", ("Generic Job Title",)),
    Column("fte", ("Number of Posts in FTE",)),
    Column("profession", ("Professional/Occupational Group",), required=False),
)


@frozen
class Row:
    """One data row: its physical first line and its values by field (stripped)."""

    line: int
    values: dict[str, str]
    width: int
    unit_raw: str = ""  # the unit as written, spaces and all (for the note)

    def __getitem__(self, field: str) -> str:
        return self.values.get(field, "")


@frozen
class CsvFile:
    """A read CSV: its rows, the columns it ignored, and the header width."""

    path: str
    rows: tuple[Row, ...]
    ignored: tuple[str, ...]
    width: int
    headers: dict[str, str]  # field -> the header as written
    encoding: str


def _decode(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first physical line, fields) of each CSV record, skipping wholly blank lines."""
    reader = csv.reader(io.StringIO(text, newline=""))
    previous = 0
    for record in reader:
        first = previous + 1
        previous = reader.line_num
        if not record or all(not cell.strip() for cell in record):
            continue
        yield first, record


def _match_columns(header: list[str], by_key: dict[str, int], columns: tuple[Column, ...]
                   ) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Each field's column index and header as written, and the required columns missing."""
    index: dict[str, int] = {}
    shown: dict[str, str] = {}
    missing = []
    for column in columns:
        found = next((by_key[header_key(h)] for h in column.headers
                      if header_key(h) in by_key), None)
        if found is None:
            if column.required:
                missing.append(column.shown)
            continue
        index[column.field] = found
        shown[column.field] = header[found].strip()
    return index, shown, missing


def read_csv(path: str | Path, columns: tuple[Column, ...], kind: str) -> CsvFile:
    """Read an organogram CSV; a missing file or required column is a :class:`LoadError`."""
    where = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise LoadError([Problem(where, None, f"no such {kind} file")]) from None
    except IsADirectoryError:
        raise LoadError([Problem(where, None, f"is a folder, not a {kind} CSV file")]) from None
    except OSError as err:
        raise LoadError([Problem(where, None, f"cannot read: {err.strerror}")]) from None
    if data.startswith(b"PK\x03\x04") or b"\x00" in data[:4096]:
        # the cp1252 fallback decodes any bytes: without this a workbook is read as one
        # garbled header and reported as a file with the wrong columns
        what = "an Excel workbook" if data.startswith(b"PK") else "binary data"
        raise LoadError([Problem(where, None, f"is {what}, not a CSV text file: save the "
                                 f"{kind} sheet as CSV UTF-8")])
    text, encoding = _decode(data)
    try:
        records = list(_records(text))
    except csv.Error as err:
        raise LoadError([Problem(where, None, f"not a readable CSV file: {err}")]) from None
    if not records:
        raise LoadError([Problem(where, 1, f"empty {kind} file: no header row")])
    header_line, header = records[0]
    by_key = {header_key(c): i for i, c in reversed(list(enumerate(header)))}
    index, shown, missing = _match_columns(header, by_key, columns)
    if missing:
        other = {"senior": ("junior", JUNIOR_COLUMNS), "junior": ("senior", SENIOR_COLUMNS)}
        hint = ""
        separator = wrong_separator(header)
        if separator is not None:
            hint = f"; the header is one column separated by {separator!r}: expected commas"
        elif kind in other and all(any(header_key(h) in by_key for h in c.headers)
                                 for c in other[kind][1] if c.required):
            # the commonest slip: the two files given the wrong way round, or one file twice
            hint = (f"; this is a {other[kind][0]} file: give the senior file first, then "
                    "the junior file")
        raise LoadError([Problem(where, header_line, f"not a {kind} organogram file: missing "
                                 f"column(s) {', '.join(repr(m) for m in missing)}; the header "
                                 f"has {', '.join(repr(h) for h in header)}{hint}")])
    used = set(index.values())
    ignored = tuple(f"{name.strip()!r}" if name.strip() else f"'' (unnamed, column {i + 1})"
                    for i, name in enumerate(header) if i not in used)
    unit = index.get("unit")
    rows = tuple(
        Row(line, {field: (record[i].strip() if i < len(record) else "")
                   for field, i in index.items()}, len(record),
            record[unit] if unit is not None and unit < len(record) else "")
        for line, record in records[1:])
    return CsvFile(where, rows, ignored, len(header), shown, encoding)


@frozen
class Money:
    """A parsed money cell: ``amount`` (None when blank or not disclosed) and how it was
    written."""

    amount: Decimal | None
    not_disclosed: bool = False
    reformatted: bool = False  # written with £, commas or spaces


_MONEY = re.compile(r"^\d+(\.\d{1,2})?$")


def parse_money(text: str) -> Money:
    """``45000``, ``£45,000``, ``45,000.00`` -> Decimal; ``N/D`` -> not disclosed; blank ->
    None. Anything else raises ``ValueError`` (the caller words the message)."""
    raw = text.strip()
    if raw.lower() in NOT_DISCLOSED:
        return Money(None, not_disclosed=True)
    if not raw:
        return Money(None)
    # establishment.model.parse: '2 2' is not 22, '1e3' not 1000, '4_500' not 4500, '45,00' not 4500
    try:
        amount = parse_number(raw, "money")
    except NumberError:
        raise ValueError(raw) from None
    cleaned = f"{amount:f}"
    if not _MONEY.match(cleaned.lstrip("-")) or amount < 0:
        raise ValueError(raw)
    return Money(amount, reformatted=cleaned != raw)


def parse_fte(text: str) -> Decimal:
    """A number of posts in fte (``1``, ``0.6``, ``24.1``); ``ValueError`` otherwise."""
    try:  # establishment.model.parse: no comma, £, '_', exponent or space ('1e3' is not 1000)
        value = parse_number(text, "fte")
    except NumberError:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


@frozen
class Pay:
    """A pay cell as a state: ``given`` (``amount``), ``not disclosed`` or ``none``."""

    state: str
    amount: Decimal | None = None
    reformatted: bool = False


def parse_pay(text: str) -> Pay:
    """A pay cell of a return. A number (``45000``, ``£45,000``) is given pay; ``N/A``,
    ``none``, ``nil`` mean there is none; ``N/D``, blank and any other word (letters and no
    digit: ``ns``, ``unknown``, ``withheld``) mean not disclosed. Anything else must be a sum
    of money: ``45,00``, ``-5``, ``1.234``, ``1e3``, ``30_000``, ``30000%``, ``''`` raise
    ``ValueError`` (a figure is never guessed, nor taken for a word: strict import refuses
    it, lenient import lists it)."""
    raw = text.strip()
    folded = raw.lower()
    if folded in NO_PAY_FORMS:
        return Pay("none")
    if not raw or folded in NOT_DISCLOSED or _is_word(raw):
        return Pay("not disclosed")
    money = parse_money(raw)
    return Pay("given", money.amount, money.reformatted)

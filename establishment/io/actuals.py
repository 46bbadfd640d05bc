"""An actuals file for the budget monitor: what was spent, month by month.

A CSV file (UTF-8, or Windows-1252 with a note) with a header row. Columns, matched case-,
space- and punctuation-insensitively:

* ``month``: the month spent, ``YYYY-MM`` (``2026-04``), or a date (read as its month, by the
  one date grammar of :mod:`establishment.io.dates`);
* ``amount``: the money spent that month (``12345.67``, ``£12,345.67``; negative for a
  credit);
* optionally ``team``, or ``cost centre`` (``cost_centre``, ``funding``): the group the
  spend belongs to (the structure's team, or its funding source: an HR export's cost centre).

Rows for the same month (and group) add up. Every problem is reported at once, located by
line and field.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from establishment.errors import LoadError, Location, Problem, ValidationError
from establishment.io.columns import normalise_header
from establishment.io.dates import DateError, check_date_range, parse_date
from establishment.io.text import decode_text
from establishment.model.actuals import Actual, Actuals
from establishment.model.money import to_decimal

GROUP_COLUMNS = {"team": "team", "cost centre": "funding", "cost center": "funding",
                 "funding": "funding", "funding source": "funding"}
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month_cell(text: str) -> dt.date:
    """``2026-04`` or a date -> the first day of its month (a ValueError saying why)."""
    text = text.strip()
    found = MONTH.match(text)
    if found:
        year, month = int(found.group(1)), int(found.group(2))
        if not 1 <= month <= 12:
            raise ValueError("a month such as 2026-04")
        return check_date_range(dt.date(year, month, 1))
    try:
        return parse_date(text).replace(day=1)
    except DateError:
        raise ValueError("a month such as 2026-04 (or a date)") from None


def _header(header: list[str], where: str) -> tuple[dict[str, int], str | None]:
    keys = [normalise_header(h) for h in header]
    columns = {name: keys.index(name) for name in ("month", "amount") if name in keys}
    missing = [name for name in ("month", "amount") if name not in columns]
    if missing:
        raise LoadError([Problem(where, 1, f"an actuals file needs the column(s) "
                                 f"{', '.join(missing)} (month as YYYY-MM, amount; optionally "
                                 f"team or cost centre); the header has "
                                 f"{', '.join(header)}", missing[0])])
    groups = [(i, GROUP_COLUMNS[k]) for i, k in enumerate(keys) if k in GROUP_COLUMNS]
    if len({by for _, by in groups}) > 1:
        raise LoadError([Problem(where, 1, "give a team column or a cost centre column, not "
                                 "both", "team")])
    if groups:
        columns["group"] = groups[0][0]
    return columns, groups[0][1] if groups else None


def parse_actuals_text(text: str, where: str = "<actuals>") -> Actuals:
    """The actuals of CSV ``text``; every bad cell a located problem, raised together."""
    reader = csv.reader(io.StringIO(text))
    lines = [(reader.line_num, row) for row in reader]
    if not lines:
        raise LoadError([Problem(where, None, "the actuals file is empty")])
    columns, by = _header(lines[0][1], where)
    rows, problems = [], []
    for line, row in lines[1:]:
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: (row[i] if i < len(row) else "") for name, i in columns.items()}
        try:
            month = parse_month_cell(cells["month"])
        except ValueError as err:
            problems.append(Problem(where, line, f"expected {err}, got "
                                    f"{cells['month']!r}", "month"))
            month = None
        try:
            amount = to_decimal(cells["amount"].strip(), field="amount")
        except ValidationError as err:
            problems.append(Problem(where, line, f"expected {err.expected}, got "
                                    f"{cells['amount']!r}", "amount"))
            amount = None
        if month is not None and amount is not None:
            rows.append(Actual(month, amount, cells.get("group", "").strip(),
                               Location(where, line)))
    if problems:
        raise LoadError(problems)
    return Actuals(tuple(rows), by, where)


def read_actuals(path: str | Path) -> Actuals:
    """The actuals file at ``path`` (a located error when it cannot be read)."""
    where = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise LoadError([Problem(where, None, f"cannot read the actuals file: "
                                 f"{err.strerror}")]) from None
    return parse_actuals_text(decode_text(data, where).text, where)

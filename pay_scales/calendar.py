"""Working days: England and Wales bank holidays as dated data, or another calendar's.

A budget profiled by working days shares each pay year's cost across its months in
proportion to the working days (Monday to Friday, not a bank holiday) a line is in force in
each. The bank holidays are data with a source (``bank_holidays_england_wales.csv``: gov.uk's
published list; years not yet announced derived from the statutory pattern, basis
``derived``); another calendar (Scotland's, a council's own closure days) is a CSV file of the
same shape (``date`` and ``name``; ``basis`` and ``source`` optional). A calendar covers the
calendar years from its first date's to its last date's: a day outside them is an error naming
the years, never a silent guess that it has no holidays.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from attrs import frozen

from pay_scales.errors import PayScaleError
from pay_scales.sources import data_dir, read_csv_rows

BUNDLED = "bank_holidays_england_wales.csv"


@frozen
class Calendar:
    """Holidays (days that are not working days, besides Saturdays and Sundays) and the
    calendar years they are known for."""

    name: str
    holidays: frozenset[dt.date]
    first_year: int
    last_year: int

    def check_covers(self, first: dt.date, last: dt.date) -> None:
        """An error naming the years covered when ``first``..``last`` goes outside them."""
        if first.year < self.first_year or last.year > self.last_year:
            raise PayScaleError(
                f"the {self.name} calendar covers {self.first_year} to {self.last_year}, not "
                f"{first.isoformat()} to {last.isoformat()}: give a calendar file that covers "
                f"them (--calendar FILE: a CSV of date,name)", field="calendar",
                expected=f"{self.first_year}-{self.last_year}",
                found=f"{first.isoformat()} to {last.isoformat()}")

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.holidays


@functools.lru_cache(maxsize=8)
def load_calendar(path: Path | None = None) -> Calendar:
    """The bundled England and Wales bank holidays, or a calendar CSV (``date``, ``name``)."""
    path = path or data_dir() / BUNDLED
    days = []
    for line, row in read_csv_rows(path, ("date", "name")):
        try:
            days.append(dt.date.fromisoformat(row["date"]))
        except ValueError:
            raise PayScaleError(f"date: expected a date such as 2026-12-25, got "
                                f"{row['date']!r}", source=f"{path}:{line}", field="date",
                                found=row["date"]) from None
    if not days:
        raise PayScaleError("a calendar file needs at least one date", source=str(path),
                            field="date")
    name = ("England and Wales bank holidays" if path.name == BUNDLED
            else f"{path.name}")
    return Calendar(name, frozenset(days), min(days).year, max(days).year)

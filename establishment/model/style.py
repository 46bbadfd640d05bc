"""How figures and dates look in every output: one period style, one way to show negatives.

- A day is ``1 Jul 2020``; a period is ``1 Jul 2020 to 31 Mar 2021`` (:func:`format_period`),
  in every table header, note and report, whatever the format.
- Negatives are ``-£12,345`` by default; :class:`Style` with ``brackets=True`` writes them
  ``(£12,345)``, the finance convention. Data formats (CSV, XLSX) keep numbers as numbers.
- ``width``: plain output fits this many columns (see
  :mod:`establishment.tables.terminal`); ``None``
  (a file or a pipe) leaves lines whole.
"""

from __future__ import annotations

import datetime as dt

from attrs import frozen


@frozen
class Style:
    """Presentation choices made by the reader, not by the figures."""

    width: int | None = None
    brackets: bool = False

    def negative(self, text: str) -> str:
        """``-£12,345`` as this style shows it."""
        if self.brackets and text.startswith("-"):
            return f"({text[1:]})"
        return text


PLAIN = Style()


def format_day(day: dt.date) -> str:
    """``1 Jul 2020``: the day without a leading zero, the month abbreviated, the year whole."""
    return f"{day.day} {day.strftime('%b')} {day.year}"


def format_period(start: dt.date, end: dt.date) -> str:
    """``1 Jul 2020 to 31 Mar 2021`` (both days inclusive)."""
    return f"{format_day(start)} to {format_day(end)}"


def format_month(day: dt.date) -> str:
    """``Apr 2018``: a month of a projection."""
    return f"{day.strftime('%b')} {day.year}"

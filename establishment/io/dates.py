"""Dates as HR systems write them: ISO, 31/03/2019, 31-Mar-2019, 31 March 2019.

UK exports write the day first, so ``03/04/2019`` is read as 3 April 2019 by default
(``dayfirst=True``); pass ``dayfirst=False`` for month-first (US) exports, or ``None`` to
accept only dates that read the same either way, so that a date such as ``03/04/2019`` is
reported as ambiguous instead of guessed. Whatever the setting, a date that leaves out its day
or month (``Mar 2019``) or writes a two-digit year (``31/03/19``: which century?) is reported,
never completed by guesswork. ISO dates (``2019-03-31``) are always year-month-day.

This is THE grammar of a date a user types: in files (CSV, XLSX, TOML text), in options
(``--from``, ``--to``, ``--on``, ``--date``, ``register as-of DATE``) and in a register
source (``FILE.db@DATE``). ISO week dates (``2018-W27-1``), ordinal dates (``2019-090``)
and the basic form (``20190101``) are refused, as are days outside the costed range
(:data:`establishment.model.parse.DATE_MIN` to ``DATE_MAX``) and digits other than 0-9.
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as dateparser

from establishment.model.parse import NOT_ASCII, date_out_of_range, foreign_digits

# [0-9], not \d (any Unicode digit): the digit rule of establishment.model.parse
ISO = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
ISO_MIDNIGHT = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]00:00(:00(\.0+)?)?$")
NUMERIC = re.compile(r"^([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]+)$")
DATE_EXAMPLE = "a date such as 2019-03-31, 31/03/2019 or 31-Mar-2019"


class DateError(ValueError):
    """A date that cannot be read without guessing: ``str(err)`` says why."""


def check_date_range(day: dt.date) -> dt.date:
    """``day``, or :class:`DateError` when it is outside the dates the library costs
    (:data:`establishment.model.parse.DATE_MIN` to ``DATE_MAX``)."""
    why = date_out_of_range(day)
    if why:
        raise DateError(why)
    return day


def parse_date(text: str, *, dayfirst: bool | None = True) -> dt.date:
    """The date ``text`` names, or :class:`DateError` saying what is wrong with it."""
    return check_date_range(_parse_date(text, dayfirst=dayfirst))


def _parse_date(text: str, *, dayfirst: bool | None = True) -> dt.date:
    value = str(text).strip()
    midnight = ISO_MIDNIGHT.match(value)
    if midnight:
        value = midnight.group(1)
    if ISO.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise DateError(f"{value!r} is not a real date") from None
    numeric = NUMERIC.match(value)
    if numeric:
        return _numeric_date(value, numeric, dayfirst)
    if foreign_digits(value):
        raise DateError(f"{value!r} is not {DATE_EXAMPLE}: {NOT_ASCII}")
    if not value or not re.search(r"[A-Za-z]", value) or not re.search(r"[0-9]", value):
        raise DateError(f"{value!r} is not {DATE_EXAMPLE}")
    if not re.search(r"[0-9]{4}", value):
        raise DateError(f"{value!r} has no four-digit year; write the year in full")
    try:
        # Two different defaults: if any part was filled in from the default, the results differ.
        one = dateparser.parse(value, dayfirst=bool(dayfirst), default=dt.datetime(2001, 1, 1))
        two = dateparser.parse(value, dayfirst=bool(dayfirst), default=dt.datetime(2002, 2, 2))
    except (ValueError, OverflowError):
        raise DateError(f"{value!r} is not {DATE_EXAMPLE}") from None
    if one != two:
        raise DateError(f"{value!r} is not a whole date (day, month and year are all needed)")
    if (one.hour, one.minute, one.second, one.microsecond) != (0, 0, 0, 0) or one.tzinfo:
        raise DateError(f"{value!r} has a time of day; give a date only")
    return one.date()


def _numeric_date(value: str, numeric: re.Match[str], dayfirst: bool | None) -> dt.date:
    """A date written in figures (31/03/2019, 03-31-2019): day first unless told otherwise;
    with ``dayfirst=None``, read only when one order is impossible."""
    first, second, year = numeric.groups()
    if len(year) != 4:
        raise DateError(f"{value!r} has a {len(year)}-digit year; write the year in full "
                        "(e.g. 31/03/2019)")
    if dayfirst is None and first != second and int(first) <= 12 and int(second) <= 12:
        raise DateError(f"{value!r} is ambiguous: day {int(first)} of month {int(second)} "
                        f"or day {int(second)} of month {int(first)}? Write it as ISO "
                        f"({year}-{int(second):02d}-{int(first):02d} or "
                        f"{year}-{int(first):02d}-{int(second):02d})")
    day, month = (first, second) if dayfirst in (True, None) else (second, first)
    if dayfirst is None and int(first) > 12:
        day, month = first, second
    elif dayfirst is None and int(second) > 12:
        day, month = second, first
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        order = "day/month/year" if dayfirst in (True, None) else "month/day/year"
        raise DateError(f"{value!r} is not a real date (read as {order})") from None


def date_of(value: object, *, dayfirst: bool | None = True) -> dt.date | None:
    """A cell's date: None for an empty cell; spreadsheet datetimes at midnight are dates."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0, 0):
            raise DateError(f"{value.isoformat()} has a time of day; give a date only")
        return check_date_range(value.date())
    if isinstance(value, dt.date):
        return check_date_range(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise DateError(f"{value!r} is a number, not {DATE_EXAMPLE} (format the cell as a date)")
    return parse_date(str(value), dayfirst=dayfirst)

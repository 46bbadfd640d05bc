"""Pay years and tax years.

A local-government pay year starts on 1 April; a tax year (employer NI) starts on 6 April.
The two are kept apart, as OpenFisca does, so a rate is always keyed by its true effective date.
A pay year is named by the calendar year it starts in: ``2018`` is 2018/19.
"""

from __future__ import annotations

import datetime as dt


def pay_year_of(day: dt.date) -> int:
    """The pay year (1 April to 31 March) that contains ``day``."""
    return day.year if (day.month, day.day) >= (4, 1) else day.year - 1


def pay_year_start(pay_year: int) -> dt.date:
    """1 April of ``pay_year``."""
    return dt.date(pay_year, 4, 1)


def pay_year_end(pay_year: int) -> dt.date:
    """31 March of the following calendar year: the last day of ``pay_year``."""
    return dt.date(pay_year + 1, 3, 31)


def days_in_pay_year(pay_year: int) -> int:
    """365, or 366 when the pay year contains 29 February."""
    return (pay_year_end(pay_year) - pay_year_start(pay_year)).days + 1


def pay_year_label(pay_year: int) -> str:
    """``2018`` -> ``"2018/19"``, the way finance officers write it."""
    return f"{pay_year}/{(pay_year + 1) % 100:02d}"


def tax_year_start(tax_year: int) -> dt.date:
    """6 April of ``tax_year``: the day employer NI rates and thresholds change."""
    return dt.date(tax_year, 4, 6)


def tax_year_end(tax_year: int) -> dt.date:
    """5 April of the following calendar year."""
    return dt.date(tax_year + 1, 4, 5)


def parse_pay_year(text: str | int) -> int:
    """Accept ``2018``, ``"2018"``, ``"2018/19"`` or ``"2018-19"`` and return 2018.

    Raises ValueError with a message that shows the accepted forms.
    """
    if isinstance(text, int):
        return text
    raw = str(text).strip()
    head, sep, tail = raw.replace("-", "/").partition("/")
    if head.isdigit() and len(head) == 4:
        year = int(head)
        if not sep:
            return year
        if tail.isdigit() and int(tail) % 100 == (year + 1) % 100:
            return year
    raise ValueError(
        f"pay year must look like 2018 or 2018/19 (got {raw!r})")

"""Numbers written as text, read as a person reads them, and nothing else.

One set of rules for every reader (CSV and XLSX cells, TOML strings, organogram returns, the
column-wise loaders), so a figure means the same wherever it is typed:

- digits with at most one decimal point, an optional leading ``-`` or ``+``;
- **no** ``_`` separators (``1_5`` is not 15), **no** exponent (``1e3`` is not 1000), **no**
  space inside a number (``2 2`` is not 22), no ``NaN`` or ``Infinity``;
- money may carry a ``£`` after the sign (``£40,702.50``, ``-£12``) and commas, but only as
  thousands separators (``40,702.50``; ``30,00`` and ``0,5`` are refused, never guessed);
- fte and spinal column points are plain numbers: no ``£`` and no comma (``1,500`` fte is a
  decimal comma or a typo, never 1500 posts);
- whole numbers (scp, headcount) may be written ``34`` or ``34.0`` but not ``34.5``;
- digits are the ASCII ``0``-``9`` only: Arabic-Indic (``١٢``) or full-width (``１``) digits
  are refused with a word saying so, never read silently as 12 or 1 (a person checking the
  file sees other characters than the figure costed). The same rule holds for dates
  (:mod:`establishment.io.dates`).

Each reader raises :class:`NumberError` (a ``ValueError``) with what was expected; the caller
locates it (``file:line [column]``).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

__all__ = ["DATE_MAX", "DATE_MIN", "KINDS", "NOT_ASCII", "NumberError", "date_out_of_range",
           "foreign_digits", "parse_iso_date", "parse_number", "parse_whole"]

# [0-9], not \d: Python's \d is any Unicode digit ('١٢' and '１' would match)
_PLAIN = r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
_GROUPED = r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?)"
PATTERNS = {
    # kind -> the whole text, surrounding white space already removed
    "money": re.compile(rf"^[-+]?£? ?(?:{_GROUPED}|{_PLAIN})$"),
    "number": re.compile(rf"^[-+]?(?:{_GROUPED}|{_PLAIN})$"),
    "fte": re.compile(rf"^[-+]?{_PLAIN}$"),
    "scp": re.compile(rf"^[-+]?{_PLAIN}$"),
    "headcount": re.compile(rf"^[-+]?{_PLAIN}$"),
}
KINDS = tuple(PATTERNS)
EXPECTED = {
    "money": "an amount in pounds such as 40702 or £40,702.50 (commas only between "
             "thousands; no _ separators, exponents or spaces inside)",
    "number": "a number such as 1,234.5 (commas only between thousands; no _ separators, "
              "exponents or spaces inside)",
    "fte": "a number such as 1 or 0.5 (no commas, £, _ separators, exponents or spaces)",
    "scp": "a whole spinal column point such as 34",
    "headcount": "a whole number of people such as 2",
}
NOT_ASCII = "write digits as 0-9"


def foreign_digits(text: str) -> bool:
    """Whether ``text`` holds a digit other than ASCII 0-9 (Arabic-Indic ``١``, full-width
    ``１``, Devanagari ...): the one rule is to refuse them, saying so."""
    return any(ch.isdigit() and not "0" <= ch <= "9" for ch in str(text))


class NumberError(ValueError):
    """Text that is not a number of the kind asked for; ``expected`` says what would be."""

    def __init__(self, text: str, kind: str) -> None:
        self.text = text
        self.kind = kind
        self.expected = EXPECTED[kind]
        if foreign_digits(text):
            self.expected = f"{self.expected}; {NOT_ASCII}"
        super().__init__(f"expected {self.expected}, found {text!r}")


def parse_number(text: str, kind: str = "number") -> Decimal:
    """The exact Decimal ``text`` shows, by the rules of ``kind`` (``money``, ``number``,
    ``fte`` or ``scp``)."""
    raw = str(text).strip()
    if not PATTERNS[kind].match(raw):
        raise NumberError(str(text), kind)
    cleaned = raw.replace("£", "").replace(",", "").replace(" ", "")
    if cleaned.endswith("."):
        cleaned = cleaned[:-1]
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise NumberError(str(text), kind) from None


def parse_whole(text: str, kind: str = "scp") -> int:
    """A whole number written as text (``34`` or ``34.0``)."""
    number = parse_number(text, kind)
    if number != number.to_integral_value():
        raise NumberError(str(text), kind)
    return int(number)


# --- dates ---------------------------------------------------------------------------------

# ISO calendar dates only: Python's date.fromisoformat also takes week dates ('2019-W13-1')
# and compact forms ('20190331') that nobody writes in an establishment file
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# the days the costing engine works with: pay years and periods around them must stay inside
# Python's years 1-9999 (9999-12-31 is an HR system's "no end": leave the end empty instead)
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2199, 12, 31)
DATE_RANGE = f"between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}"


def date_out_of_range(day: dt.date) -> str | None:
    """Why ``day`` is outside the dates this library costs, or None when it is inside."""
    if isinstance(day, dt.datetime):
        day = day.date()
    if DATE_MIN <= day <= DATE_MAX:
        return None
    return f"{day.isoformat()} is not {DATE_RANGE} (leave an end date empty for a permanent post)"


def parse_iso_date(text: str) -> dt.date:
    """A calendar date written ``YYYY-MM-DD``; ``ValueError`` otherwise (week dates too)."""
    raw = str(text).strip()
    if not ISO_DATE.match(raw):
        raise ValueError(f"{raw!r} is not an ISO date such as 2019-03-31")
    return dt.date.fromisoformat(raw)

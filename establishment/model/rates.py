"""Rates: one syntax everywhere (command line, files, Python).

A rate is written as a percentage (``"3%"``) or as a fraction (``"0.03"``,
``Decimal("0.03")``); both mean three per cent. A bare whole number such as ``3`` is refused as
ambiguous (3% or 300%?), never guessed; ``0`` is zero either way and is accepted. Floats are
refused like every other exact figure.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from establishment.errors import ValidationError

RATE_EXAMPLE = "a rate such as 3% or 0.03"


def _number(text: str, value: object, field: str) -> Decimal:
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValidationError(field, RATE_EXAMPLE, value) from None
    if not number.is_finite():
        raise ValidationError(field, RATE_EXAMPLE, value)
    return number


def parse_rate(value: str | Decimal | int | None, field: str = "rate") -> Decimal | None:
    """``"3%"``, ``"0.03"`` or ``Decimal("0.03")`` -> ``Decimal("0.03")``; None -> None.

    A bare number of 1 or more (``3``, ``"3"``) is ambiguous and refused; a rate is from 0 up
    to (not including) 100%."""
    if value is None:
        return None
    if isinstance(value, (float, bool)):
        raise ValidationError(field, f"{RATE_EXAMPLE} (never a float)", value)
    if not isinstance(value, (str, int, Decimal)):
        raise ValidationError(field, RATE_EXAMPLE, value)
    text = str(value).strip()
    if text.endswith("%"):
        rate = _number(text[:-1].strip(), value, field) / 100
    else:
        rate = _number(text, value, field)
        if rate >= 1:
            raise ValidationError(field, f"{RATE_EXAMPLE}: a bare {text} is ambiguous (write "
                                  f"{text}% for per cent, or a fraction below 1)", value)
    if rate < 0 or rate >= 1:
        raise ValidationError(field, "a rate from 0% up to (not including) 100%", value)
    return rate

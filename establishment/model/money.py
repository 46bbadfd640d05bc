"""Money: exact Decimals at the surface, whole pounds by one rounding rule.

Rule (the one that reproduces the published figures): a cost per fte is rounded to whole
pounds half up; a line (fte x cost per fte, or its share of a period) is rounded to whole pounds
half up, once, from its exact value; totals are sums of rounded lines, so a table adds up.
Figures print as ``£1,234,567`` and negatives as ``-£12,345``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from establishment.model.parse import NumberError, parse_number
from pay_scales.rounding import round_pounds, to_pence

__all__ = ["D", "format_money", "round_pounds", "to_decimal", "to_pence"]


# a number whose commas all separate thousands (the only comma this library reads)
THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$")
# the rules of establishment.model.parse a field's text is read by (everything else is money)
NUMBER_KIND = {"fte": "fte", "scp": "scp", "percent": "number", "funding": "number",
               "hours": "fte"}


def to_decimal(value: object, *, field: str = "value") -> Decimal:
    """Exact conversion of str/int/Decimal to Decimal; a float is refused, not rounded."""
    from establishment.errors import ValidationError

    if isinstance(value, bool) or isinstance(value, float):
        raise ValidationError(field, "a Decimal, int or str such as '1.5' (never a float)",
                              value)
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, Fraction):
        if value.denominator != 1:
            raise ValidationError(field, "a whole number or a Decimal", value)
        result = Decimal(value.numerator)
    else:
        # one set of rules for text (establishment.model.parse): no '1_5', '1e3', '2 2', a comma
        # only between thousands and a £ only in money (never in fte or scp)
        try:
            result = parse_number(str(value), NUMBER_KIND.get(field, "money"))
        except NumberError as err:
            raise ValidationError(field, err.expected, value) from None
    if not result.is_finite():
        raise ValidationError(field, "a finite number", value)
    return result


D = to_decimal


def format_money(amount: Decimal | int | Fraction, *, pence: bool = False) -> str:
    """``£1,234,567``; ``-£12,345`` for negatives; pence only when asked."""
    value = to_pence(amount) if pence else round_pounds(amount)
    sign = "-" if value < 0 else ""
    text = f"{abs(value):,.2f}" if pence else f"{abs(value):,.0f}"
    return f"{sign}£{text}"

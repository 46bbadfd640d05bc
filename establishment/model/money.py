"""Money: exact Decimals at the surface, whole pounds (or pence) by one rounding rule.

Rule (the one that reproduces the published figures): a cost per fte is rounded to whole
pounds half up; a line (fte x cost per fte, or its share of a period) is rounded to whole pounds
half up, once, from its exact value; totals are sums of rounded lines, so a table adds up.
Figures print as ``£1,234,567`` and negatives as ``-£12,345``.

The engine's figures are integers in the basis's unit (``round_to``: whole pounds, or pence
under ``"penny"``). :class:`MoneyUnit` is the one place that turns them into Decimal pounds
and says how to show them (``£42,626`` or ``£42,625.50``); no other module converts by hand
(``tests/test_money_unit.py`` scans operations/, tables/, cli/ and register/ for ``/ 100``).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from attrs import frozen

from establishment.model.parse import NumberError, parse_number
from pay_scales.rounding import round_pounds, to_pence

__all__ = ["D", "PENCE", "POUNDS", "MoneyUnit", "format_money", "pence_to_pounds",
           "pounds_to_pence", "round_pounds", "to_decimal", "to_pence"]


# the rules of establishment.model.parse a field's text is read by (everything else is money)
NUMBER_KIND = {"fte": "fte", "scp": "scp", "percent": "number", "funding": "number",
               "hours": "fte", "annual_hours": "number"}


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


PENCE_IN = {"pound": 100, "penny": 1}  # pence in one unit of each rounding unit


@frozen
class MoneyUnit:
    """The unit of the engine's integer figures: ``"pound"`` (whole pounds) or ``"penny"``.

    The one conversion between those integers and Decimal pounds, and the one choice of how
    a figure in that unit is shown: a consumer (diff, changes, compare, tables...) takes its
    unit from the basis (``PayBasis.unit``) and never divides by 100 itself.
    """

    round_to: str = "pound"

    def __attrs_post_init__(self) -> None:
        if self.round_to not in PENCE_IN:  # a bad argument is bad input (exit 2), not a bug
            from establishment.errors import ValidationError

            raise ValidationError("round_to", "'pound' or 'penny'", self.round_to)

    @property
    def pence(self) -> int:
        """Pence in one unit: 100 (whole pounds) or 1 (pence)."""
        return PENCE_IN[self.round_to]

    @property
    def kind(self) -> str:
        """The table column kind its figures are shown in: ``money`` or ``pence``."""
        return "money" if self.round_to == "pound" else "pence"

    def pounds(self, value: Any) -> Decimal:
        """One engine figure (an integer in this unit) as exact Decimal pounds."""
        value = int(value)
        return Decimal(value) if self.pence == 100 else pence_to_pounds(value)

    def total(self, values: Any) -> Decimal:
        """The sum of engine figures (any integer array or iterable) as Decimal pounds."""
        import numpy as np  # here, not at the top: the command line starts without numpy

        array = np.asarray(values)
        return self.pounds(int(array.sum(dtype=object)) if array.size else 0)

    def to_pence(self, value: Any) -> Any:
        """Engine figures (an integer or an integer array) in pence."""
        return value * self.pence

    def of_pence(self, pence: Any) -> Any:
        """Whole units of pence (an integer or an array that divides exactly), as the engine
        holds them."""
        return pence // self.pence

    def denominator(self, den: Any) -> Any:
        """The divisor that turns an exact amount of pence over ``den`` into this unit (the
        engines round ``numerator / denominator`` once, half up, at the unit)."""
        return den * self.pence

    @property
    def words(self) -> str:
        """The unit in a sentence ("rounded to £1", "rounded to the penny")."""
        return "£1" if self.round_to == "pound" else "the penny"

    def format(self, amount: Decimal | int) -> str:
        """``amount`` (Decimal pounds) as this unit shows it: ``£42,626`` or ``£42,625.50``."""
        return format_money(amount, pence=self.round_to == "penny")


POUNDS = MoneyUnit("pound")
PENCE = MoneyUnit("penny")


def pence_to_pounds(pence: Any) -> Decimal:
    """Integer pence as exact Decimal pounds."""
    return Decimal(int(pence)) / 100


def pounds_to_pence(amount: Decimal | int) -> int:
    """Decimal pounds (at most two places) as integer pence; a fraction of a penny is an
    error, not truncated."""
    pence = Decimal(amount) * 100
    if pence != pence.to_integral_value():
        raise ValueError(f"{amount} is not a whole number of pence")
    return int(pence)

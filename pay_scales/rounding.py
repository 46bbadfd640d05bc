"""The one rounding rule: whole pounds, half up.

It is the rule that reproduces the published figures (NOTES.md, section 5): an uplifted salary
is rounded to £1, a cost per fte is rounded to £1, and a line (fte x cost, or a period share) is
rounded to £1. Python's default is half-even, so the mode is always given explicitly.
Exact intermediate values are kept as :class:`fractions.Fraction` so no step rounds early.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

ONE_POUND = Decimal(1)
PENNY = Decimal("0.01")


def to_fraction(value: Decimal | Fraction | int) -> Fraction:
    """Exact conversion; refuses floats so a binary float never reaches money."""
    if isinstance(value, float):
        raise TypeError(f"money must not be a float (got {value!r}); use Decimal('...')")
    return Fraction(value)


def round_pounds(value: Decimal | Fraction | int) -> Decimal:
    """Round to whole pounds, half away from zero (half up for positive amounts)."""
    exact = to_fraction(value)
    sign = -1 if exact < 0 else 1
    magnitude = abs(exact)
    whole = (magnitude.numerator * 2 + magnitude.denominator) // (magnitude.denominator * 2)
    return Decimal(sign * whole)


def round_to_unit(value: Decimal | Fraction | int, unit: str = "pound") -> Decimal:
    """Round half away from zero to the rule's unit: whole pounds (``"pound"``) or pence
    (``"penny"``, the result a Decimal with two places)."""
    if unit == "pound":
        return round_pounds(value)
    if unit != "penny":
        raise ValueError(f"unknown rounding unit {unit!r}: 'pound' or 'penny'")
    return round_pounds(to_fraction(value) * 100) / 100


def to_pence(value: Decimal | Fraction | int) -> Decimal:
    """Show an exact amount to the penny (half up): for explanations, never for totals."""
    exact = to_fraction(value)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        PENNY, rounding=ROUND_HALF_UP) if exact.denominator != 1 else Decimal(exact.numerator)

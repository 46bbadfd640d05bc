"""Money's rules, stated exactly (establishment.model.money): the focused file the mutation
run uses for that module (``benchmarks/mutation.py money``), and each assertion a rule a user
relies on: the message of a refused number in full, the sign and the pence of a shown figure,
the unit's one conversion."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from establishment.errors import ValidationError
from establishment.model.money import (
    PENCE,
    POUNDS,
    MoneyUnit,
    format_money,
    pence_to_pounds,
    pounds_to_pence,
    to_decimal,
)


def _message(value, field="amount") -> str:
    with pytest.raises(ValidationError) as caught:
        to_decimal(value, field=field)
    return str(caught.value)


@pytest.mark.parametrize("value", [1.5, 0.0, True, False])
def test_a_float_or_a_bool_is_refused_naming_the_field_and_the_value(value):
    assert _message(value) == ("'amount' must be a Decimal, int or str such as '1.5' (never a "
                               f"float) (got {value!r})")


def test_the_default_field_name_is_value():
    with pytest.raises(ValidationError) as caught:
        to_decimal(1.5)
    assert str(caught.value).startswith("'value' must be")
    assert to_decimal("£40,702.50") == Decimal("40702.50")  # money by default


def test_exact_values_pass_through():
    assert to_decimal(Decimal("1.25")) == Decimal("1.25")
    assert to_decimal(7) == Decimal(7) and isinstance(to_decimal(7), Decimal)
    assert to_decimal(Fraction(6, 1)) == Decimal(6)
    assert to_decimal(Fraction(-12, 2)) == Decimal(-6)


@pytest.mark.parametrize("fraction", [Fraction(1, 3), Fraction(1, 2), Fraction(3, 2)])
def test_a_fraction_that_is_not_whole_is_refused(fraction):
    assert _message(fraction) == f"'amount' must be a whole number or a Decimal (got {fraction!r})"


def test_text_is_read_by_the_fields_rule():
    assert to_decimal("0.5", field="fte") == Decimal("0.5")
    assert to_decimal("34", field="scp") == Decimal(34)
    # a pound sign is money's alone: in an fte it is an error naming the fte rule
    message = _message("£2", field="fte")
    assert message.startswith("'fte' must be ") and "(got '£2')" in message
    assert "pounds" not in message
    money = _message("1e3")
    assert money == ("'amount' must be an amount in pounds such as 40702 or £40,702.50 (commas "
                     "only between thousands; no _ separators, exponents or spaces inside) "
                     "(got '1e3')")


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_a_decimal_that_is_not_finite_is_refused(value):
    assert _message(value) == f"'amount' must be a finite number (got {value!r})"


@pytest.mark.parametrize("amount, pounds, pence", [
    (Decimal("42625.50"), "£42,626", "£42,625.50"),
    (Decimal("42625.49"), "£42,625", "£42,625.49"),
    (Decimal("-12345.5"), "-£12,346", "-£12,345.50"),
    (Decimal("-0.4"), "£0", "-£0.40"),
    (Decimal("0"), "£0", "£0.00"),
    (Decimal("0.5"), "£1", "£0.50"),
    (Decimal("1"), "£1", "£1.00"),
    (Decimal("-1"), "-£1", "-£1.00"),
    (1234567, "£1,234,567", "£1,234,567.00"),
    (Fraction(1, 200), "£0", "£0.01"),
])
def test_format_money_in_pounds_and_in_pence(amount, pounds, pence):
    assert format_money(amount) == pounds
    assert format_money(amount, pence=False) == pounds
    assert format_money(amount, pence=True) == pence
    assert POUNDS.format(amount) == pounds and PENCE.format(amount) == pence


def test_an_unknown_unit_is_refused_by_name():
    with pytest.raises(ValidationError) as caught:
        MoneyUnit("shilling")
    assert str(caught.value) == "'round_to' must be 'pound' or 'penny' (got 'shilling')"
    assert MoneyUnit() == POUNDS


def test_the_units_conversions():
    assert (POUNDS.pence, PENCE.pence) == (100, 1)
    assert (POUNDS.kind, PENCE.kind) == ("money", "pence")
    assert (POUNDS.words, PENCE.words) == ("£1", "the penny")
    assert POUNDS.pounds(np.int64(42626)) == Decimal(42626)
    assert PENCE.pounds(np.int64(4262550)) == Decimal("42625.50")
    assert PENCE.pounds(-5) == Decimal("-0.05")
    assert POUNDS.to_pence(np.array([1, 2])).tolist() == [100, 200]
    assert PENCE.to_pence(7) == 7
    assert POUNDS.of_pence(np.array([100, 250])).tolist() == [1, 2]
    assert PENCE.of_pence(250) == 250
    assert POUNDS.denominator(3) == 300 and PENCE.denominator(3) == 3


def test_a_total_is_exact_beyond_int64_and_zero_when_empty():
    big = np.array([2**62, 2**62, 2**62], dtype=np.int64)  # the int64 sum would overflow
    assert POUNDS.total(big) == Decimal(3 * 2**62)
    assert PENCE.total([150, 250]) == Decimal("4.00")
    assert PENCE.total([]) == Decimal(0) and POUNDS.total(np.array([], dtype=np.int64)) == 0
    assert isinstance(PENCE.total([]), Decimal)


def test_pence_and_pounds():
    assert pence_to_pounds(4262550) == Decimal("42625.50")
    assert pence_to_pounds(np.int64(-1)) == Decimal("-0.01")
    assert pounds_to_pence(Decimal("42625.50")) == 4262550
    assert pounds_to_pence(3) == 300
    with pytest.raises(ValueError) as caught:
        pounds_to_pence(Decimal("1.005"))
    assert str(caught.value) == "1.005 is not a whole number of pence"

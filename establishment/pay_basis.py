"""A pay basis: the dated assumptions a cost is computed on.

Employer + pay year + which point of a grade (top, bottom, or each post's actual scp) + which
on-cost rule. The same structure costed on two bases gives two answers, each explainable; a
basis is a value, so comparing "the council's pricing" with "a correct costing" is two bases.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from attrs import field, frozen

import pay_scales
from establishment.errors import ValidationError
from pay_scales.dates import parse_pay_year

RANGE_POINTS = ("floor", "midpoint", "ceiling")


def _pay_year(value: Any) -> int:
    try:
        return parse_pay_year(value)
    except ValueError as err:
        raise ValidationError("pay_year", "a pay year such as 2018 or '2018/19'", value) from err


@frozen
class PayBasis:
    """What a cost is computed on.

    ``point``: ``actual`` costs each post at its own scp (the top of its grade when it gives
    none), ``top``/``bottom`` cost every post at its grade's top or bottom point.
    ``rule``: the employer's on-cost rule (None: the employer's default).
    ``rates_on``: look salaries up on this date instead of 1 April of the pay year (for a
    report that costs "at the rates in force in January 2015").
    ``costed_rates``: use the employer's published costed rates where they exist.
    ``range_point``: where in a published pay range (organogram posts) to cost.
    """

    employer: str = "nottinghamshire"
    pay_year: int = field(default=2018, converter=_pay_year)
    point: str = "actual"
    rule: str | None = None
    rates_on: dt.date | None = None
    costed_rates: bool = True
    range_point: str = "midpoint"
    label: str = ""

    def __attrs_post_init__(self) -> None:
        # a basis often comes from a file: check each field's type before anything hashes it
        for name, kinds, expected in (
                ("employer", (str,), "an employer key or folder (text)"),
                ("point", (str,), " | ".join(pay_scales.POINTS)),
                ("rule", (str, type(None)), "an on-cost rule name (text)"),
                ("rates_on", (dt.date, type(None)), "a date such as 2015-01-12"),
                ("costed_rates", (bool,), "true or false"),
                ("range_point", (str,), " | ".join(RANGE_POINTS)),
                ("label", (str,), "text")):
            if not isinstance(getattr(self, name), kinds):
                raise ValidationError(name, expected, getattr(self, name))
        if self.point not in pay_scales.POINTS:
            raise ValidationError("point", " | ".join(pay_scales.POINTS), self.point)
        if self.range_point not in RANGE_POINTS:
            raise ValidationError("range_point", " | ".join(RANGE_POINTS), self.range_point)
        if self.rates_on is not None and pay_scales.pay_year_of(self.rates_on) != self.pay_year:
            raise ValidationError("rates_on", f"a date inside pay year "
                                  f"{pay_scales.pay_year_label(self.pay_year)}",
                                  self.rates_on.isoformat())

    def load_employer(self) -> pay_scales.Employer:
        return pay_scales.load_employer(self.employer)

    def for_pay_year(self, pay_year: int) -> PayBasis:
        """The same basis in another pay year (``rates_on`` applies only to its own year)."""
        if pay_year == self.pay_year:
            return self
        return attrs.evolve(self, pay_year=pay_year, rates_on=None)

    def evolve(self, **changes: Any) -> PayBasis:
        return attrs.evolve(self, **changes)

    def describe(self) -> str:
        """One line for table captions: what the figures are computed on."""
        employer = self.load_employer()
        rule = employer.rule(self.rule)
        when = f", rates on {self.rates_on.isoformat()}" if self.rates_on else ""
        point = {"actual": "each post's scp (top of grade when none given)",
                 "top": "top of grade", "bottom": "bottom of grade"}[self.point]
        if employer.spine is None:  # posts are costed from salaries or published pay ranges
            point = f"pay ranges at their {self.range_point}"
        return (f"{employer.name}, pay year "
                f"{pay_scales.pay_year_label(self.pay_year)}{when}, {point}, rule "
                f"'{rule.name}' ({rule.description})")

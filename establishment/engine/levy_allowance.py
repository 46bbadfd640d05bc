"""The Apprenticeship Levy allowance of an employer's whole pay bill: one structure-level line.

A post's levy is the marginal 0.5% of its pay (its rule's ``levy``), right for a team inside a
large employer. The allowance (£15,000, ``apprenticeship_levy.csv``) is per employer per tax
year, so it applies only when the basis declares that the structure is the employer's whole
pay bill (``PayBasis(whole_pay_bill=True)``, ``[basis] whole_pay_bill = true``): one line,
"Apprenticeship Levy allowance", that takes off the levy the lines carry up to the allowance,
so the levy never goes below zero.

Full year: ``-min(levy in the full-year costs of the posts in force, allowance of the tax year
that starts in the pay year)``, rounded once (to £1, or 1p under ``round_to = "penny"``).
Period: the allowance accrues with time, ``allowance x the period's days in each pay year /
that pay year's days`` (the engine's
proration by days; HMRC accrues it monthly, £1,250 a month, which agrees over whole years),
against the levy in the posts' period costs. The levy inside a typed ``cost_per_fte`` is not
known, so such posts add nothing to the levy the allowance can take off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from attrs import frozen

from establishment.model.frame import FTE_SCALE
from pay_scales.dates import (
    days_in_pay_year,
    pay_year_end,
    pay_year_label,
    pay_year_of,
    pay_year_start,
    tax_year_start,
)
from pay_scales.rounding import round_to_unit, to_pence

if TYPE_CHECKING:
    import pay_scales
    from establishment.engine.costing import UnitCosts
    from establishment.model.pay_basis import PayBasis

LABEL = "Apprenticeship Levy allowance"
LEVY_COMPONENT = "apprenticeship levy"


@frozen
class LevyAllowance:
    """The allowance line: amounts in whole pounds (zero or negative) with their arithmetic."""

    full_year: Decimal
    full_year_formula: str
    period: Decimal | None = None
    period_formula: str = ""
    source: str = ""


def levy_per_fte(unit: pay_scales.UnitCost) -> Fraction:
    """The levy inside one cost per fte (exact; 0 when the rule has none)."""
    return sum((Fraction(c.amount) for c in unit.components if c.name == LEVY_COMPONENT),
               Fraction(0))


def annual_allowance(employer: pay_scales.Employer, pay_year: int) -> Decimal:
    """The allowance of the tax year starting in ``pay_year`` (0 before the levy existed)."""
    day = tax_year_start(pay_year)
    found = [r for r in employer.levy if r.effective_from <= day]
    return found[-1].annual_allowance if found else Decimal(0)


def _levy_of_posts(lines: pd.DataFrame, units: UnitCosts, pay_year: int, weights: np.ndarray
                   ) -> Fraction:
    """Sum over post rows of levy per fte x fte x weight (int64 weights: 1, or days)."""
    levy = [levy_per_fte(u) for u in units.for_year(pay_year)]
    if not any(levy):
        return Fraction(0)
    codes = np.asarray(units.codes)
    fte = lines["fte_e4"].to_numpy(dtype=np.int64).astype(object) * weights.astype(object)
    per_key = np.zeros(len(levy), dtype=object)
    np.add.at(per_key, codes, fte)
    return sum((value * int(per_key[k]) for k, value in enumerate(levy) if value),
               Fraction(0)) / FTE_SCALE


def _line(levy: Fraction, allowance: Fraction, what: str, unit: str) -> tuple[Decimal, str]:
    amount = -round_to_unit(min(levy, allowance), unit)
    return (Decimal(0) if amount == 0 else amount,
            f"-min(levy in the {what} £{to_pence(levy):,}, allowance £{to_pence(allowance):,}),"
            f" rounded to {'£1' if unit == 'pound' else '1p'}")


def levy_allowance(lines: pd.DataFrame, units: UnitCosts, basis: PayBasis,
                   period: tuple[dt.date, dt.date] | None,
                   line_days: Callable[[pd.DataFrame, dt.date, dt.date], np.ndarray]
                   ) -> LevyAllowance:
    """The allowance line of a costed frame (``lines`` with ``in_force``; ``units`` its
    :class:`establishment.engine.costing.UnitCosts`; ``line_days`` the engine's days-inside)."""
    employer = units.employer
    year = int(basis.pay_year)
    posts = (lines["kind"].to_numpy(dtype=object) == "post")
    in_force = posts & lines["in_force"].to_numpy(dtype=bool)
    levy = _levy_of_posts(lines, units, year, in_force.astype(np.int64))
    allowance = Fraction(annual_allowance(employer, year))
    unit = basis.rounding()
    full_year, formula = _line(levy, allowance,
                               f"posts' full-year costs ({pay_year_label(year)})", unit)
    source = ", ".join(sorted({r.provenance.source for r in employer.levy}))
    if period is None:
        return LevyAllowance(full_year, formula, source=source)
    start, end = period
    levy_period, allowance_period = Fraction(0), Fraction(0)
    for each in range(pay_year_of(start), pay_year_of(end) + 1):
        first, last = max(start, pay_year_start(each)), min(end, pay_year_end(each))
        days = line_days(lines, first, last) * posts
        levy_period += _levy_of_posts(lines, units, each, days) / days_in_pay_year(each)
        allowance_period += (Fraction(annual_allowance(employer, each))
                             * ((last - first).days + 1) / days_in_pay_year(each))
    amount, period_formula = _line(levy_period, allowance_period,
                                   "posts' period costs (allowance by days of the pay year)",
                                   unit)
    return LevyAllowance(full_year, formula, amount, period_formula, source)

"""Hours and full-time hours: the one definition every command uses.

Words, in every file, option and API:

- ``hours`` is **contracted hours a week** (a post's, or a person's in it).
- **Full-time hours** are the hours of a full-time week. They are pay data, never a default:
  the pay basis's rule states them (``full_time_hours`` in ``rules.toml``), else the employer
  (``employer.toml``). Where neither does, anything given in hours is one located error naming
  the employer folder (:meth:`~establishment.model.pay_basis.PayBasis.full_time_hours`); 37 is
  not assumed.
- The **fte of hours** is ``hours / full-time hours``, exactly (a :class:`~fractions.Fraction`:
  20 hours of 37 is 20/37, never 0.5405). It is resolved once, where a figure is made
  (:func:`fte_of_hours`), and every command (cost, diff, changes, staffing, projection, the
  register) takes it from there.
- A **stated fte agrees** with an exact one when the exact fte, rounded half up to the stated
  figure's own decimal places, is the stated figure (:func:`agrees`): 0.61 agrees with 22.5
  hours of 37 (45/74 = 0.6081..., 0.61 to two places), and the line is then costed at 45/74.
  This one rule is used for a post's fte beside its own hours and for a post's fte beside the
  hours of the people in it.
- ``annual_hours`` is **contracted hours a year** (a clerk's 500 hours), never a week's. The
  **annual hours basis** is full-time hours x the rule's ``weeks_a_year`` (37 x 52 = 1,924,
  or 37 x 52.143): a post in hours a year is ``annual_hours / basis`` of an fte, exactly
  (:func:`fte_of_annual_hours`).
- The **hourly rate** is a cost per fte / the annual hours basis. Under the NALC/SLCC
  convention (rule ``hourly_rate_rounding = "penny"``) it is rounded to the penny before it
  is multiplied by hours: £24,000 / 1,924 = £12.474 -> £12.47, x 500 hours = £6,235.00,
  where the fte method gives 24,000 x 500/1,924 = £6,237.01 (:func:`hourly_cost_per_fte`
  gives the cost per fte that makes ``cost per fte x fte`` the convention's figure, so the
  engine's one rule, line = cost per fte x fte rounded once, applies unchanged).
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction


def fte_of_hours(hours: Decimal | Fraction | int, full_time_hours: Decimal | Fraction | int
                 ) -> Fraction:
    """``hours / full_time_hours`` exactly: the fte of contracted hours a week."""
    full = Fraction(full_time_hours)
    if full <= 0:
        raise ValueError(f"full-time hours must be above 0, not {full_time_hours}")
    return Fraction(hours) / full


def annual_hours_basis(full_time_hours: Decimal | Fraction | int,
                       weeks_a_year: Decimal | Fraction | int) -> Fraction:
    """Hours of a full-time year: full-time hours x weeks (37 x 52 = 1,924)."""
    basis = Fraction(full_time_hours) * Fraction(weeks_a_year)
    if basis <= 0:
        raise ValueError(f"an annual hours basis must be above 0, not {basis}")
    return basis


def fte_of_annual_hours(annual_hours: Decimal | Fraction | int,
                        basis: Decimal | Fraction | int) -> Fraction:
    """``annual_hours / basis`` exactly: the fte of contracted hours a year."""
    return Fraction(annual_hours) / Fraction(basis)


def hourly_rate(cost_per_fte: Decimal | Fraction | int, basis: Decimal | Fraction | int,
                *, to_penny: bool = True) -> Fraction:
    """The hourly rate of a cost per fte on the annual hours ``basis``: rounded half up to
    the penny (the NALC/SLCC convention) or exact."""
    rate = Fraction(cost_per_fte) / Fraction(basis)
    return round_half_up(rate, 2) if to_penny else rate


def hourly_cost_per_fte(cost_per_fte: Decimal | Fraction | int,
                        basis: Decimal | Fraction | int) -> Fraction:
    """The cost per fte under the penny-rounded hourly rate: rate x basis, so a line of
    ``annual_hours`` (fte = annual_hours / basis) costs exactly rate x annual_hours."""
    return hourly_rate(cost_per_fte, basis) * Fraction(basis)


def decimal_places(value: Decimal | Fraction | int) -> int | None:
    """The places of ``value``'s shortest decimal form (0.61 -> 2, 3 -> 0); None when it has
    none (1/3)."""
    value = Fraction(value)
    places = 0
    while (value * 10 ** places).denominator != 1:
        places += 1
        if places > 40:
            return None
    return places


def round_half_up(value: Fraction, places: int) -> Fraction:
    """``value`` rounded half up (away from zero on a tie) to ``places`` decimal places."""
    scale = 10 ** places
    magnitude = Fraction(math.floor(abs(value) * scale + Fraction(1, 2)), scale)
    return magnitude if value >= 0 else -magnitude


def agrees(stated: Decimal | Fraction | int, exact: Fraction) -> bool:
    """A stated fte is ``exact`` written to its own decimal places (rounded half up)."""
    places = decimal_places(stated)
    if places is None:
        return Fraction(stated) == exact
    return round_half_up(exact, places) == Fraction(stated)

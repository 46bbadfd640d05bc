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

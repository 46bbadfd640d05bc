"""Budget profiles: a projection's pay-year costs shared across its months.

A projection prorates each month by calendar days (``days``: its own figures). Budgets are
profiled otherwise, and a profile says which:

* ``twelfths``: each month a line is in force all month gets one twelfth of the line's
  pay-year cost; a month it is in force part of gets that share of a twelfth (days in force /
  days in the month).
* ``working-days``: in proportion to the working days (Monday to Friday, not a bank holiday
  of the calendar: :mod:`pay_scales.calendar`) the line is in force in each month.
* ``days``: in proportion to calendar days in force (the projection's own months).

The rule is the projection's: for each line and pay year (the part of it inside the window),
the line's pay-year amount (already rounded once) is shared across its months in proportion
to the month weights, by largest remainder (earlier months first on ties). So a pay year is
still exactly the sum of its months, line by line, and every profile of a line gives the same
pay-year total; only the months differ. A line whose pay-year weights are all zero (in force
on no working day) keeps its calendar-day months. Increments inside a year are part of the
pay-year amount, which the profile then shares out: a twelfths profile is flat across an
increment, as a budget in twelfths is.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, get_args

import numpy as np

from establishment.engine.costing import INT64_SAFE, day_numbers
from establishment.errors import ValidationError
from establishment.operations.projection import Projection, largest_remainder
from pay_scales.calendar import Calendar, load_calendar
from pay_scales.dates import pay_year_of

Profile = Literal["days", "twelfths", "working-days"]
PROFILES: tuple[Profile, ...] = get_args(Profile)
# a common multiple of every month's length (28, 29, 30, 31): a twelfth of a part month in
# force is an integer weight (days in force x MONTH_LCM / days in the month)
MONTH_LCM = 4 * 3 * 5 * 7 * 29 * 31
EPOCH = dt.date(1970, 1, 1)


def describe_profile(profile: str, calendar: Calendar | None = None) -> str:
    """The profile as every table names it."""
    if profile == "twelfths":
        return "profile: twelfths (each full month a twelfth of the pay year)"
    if profile == "working-days":
        name = (calendar or load_calendar()).name
        return f"profile: working days ({name})"
    return "profile: calendar days"


def check_profile(profile: str) -> str:
    if profile not in PROFILES:
        raise ValidationError("profile", " | ".join(PROFILES), profile)
    return profile


def _days_in_force(result: Projection) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each line's first and last day in force (day numbers) and each month's first and last
    day (day numbers)."""
    first = result.months[0]
    last_month = result.months[-1]
    following = dt.date(last_month.year + last_month.month // 12, last_month.month % 12 + 1, 1)
    start = day_numbers(result.lines["start"], first)
    end = day_numbers(result.lines["end"], following - dt.timedelta(days=1))
    month_first = np.array([(m - EPOCH).days for m in result.months], dtype=np.int64)
    month_last = np.append(month_first[1:], (following - EPOCH).days) - 1
    return np.stack([start, end]), month_first, month_last


def month_weights(result: Projection, profile: str, calendar: Calendar | None = None
                  ) -> np.ndarray:
    """Integer weights, lines x months, of ``profile`` (see the module docstring)."""
    check_profile(profile)
    (start, end), month_first, month_last = _days_in_force(result)
    lo = np.maximum(start[:, None], month_first[None, :])
    hi = np.minimum(end[:, None], month_last[None, :])
    days = np.maximum(hi - lo + 1, 0)
    if profile == "days":
        return days
    if profile == "twelfths":
        length = month_last - month_first + 1
        return days * MONTH_LCM // length[None, :]
    calendar = calendar or load_calendar()
    first_day = EPOCH + dt.timedelta(days=int(month_first[0]))
    last_day = EPOCH + dt.timedelta(days=int(month_last[-1]))
    calendar.check_covers(first_day, last_day)
    span = int(month_last[-1] - month_first[0]) + 1
    working = np.array([calendar.is_working_day(first_day + dt.timedelta(days=d))
                        for d in range(span)], dtype=np.int64)
    before = np.concatenate([[0], np.cumsum(working)])  # working days before each day
    offset = int(month_first[0])
    lo_i = np.clip(lo - offset, 0, span)
    hi_i = np.clip(hi - offset + 1, 0, span)
    return np.where(days > 0, before[hi_i] - before[lo_i], 0)


def profile_amounts(result: Projection, profile: str, calendar: Calendar | None = None
                    ) -> np.ndarray:
    """The projection's line-months (int64, lines x months, in the projection's unit)
    re-shared across each pay year's months by ``profile``."""
    amounts = np.asarray(result.amounts, dtype=np.int64)
    if check_profile(profile) == "days" or not amounts.size:
        return amounts.copy()
    weights = month_weights(result, profile, calendar)
    years = np.array([pay_year_of(m) for m in result.months])
    out = amounts.copy()
    for year in np.unique(years):
        block = np.flatnonzero(years == year)
        total = amounts[:, block].sum(axis=1)
        weight = weights[:, block]
        den = weight.sum(axis=1)
        use = den > 0
        if not use.any():
            continue
        widest = int(np.abs(total).max(initial=0)) * int(weight.max(initial=0))
        kind = np.int64 if widest < INT64_SAFE else object
        num = total[use, None].astype(kind) * weight[use].astype(kind)
        out[np.ix_(use, block)] = largest_remainder(
            num, den[use, None].astype(kind), total[use].astype(kind), axis=1).astype(np.int64)
    return out

"""Structures as pandas frames: the engine's input, in exact integer units.

Money goes in as integer pence and fte exactly, as an integer numerator ``fte_num`` over a
denominator ``fte_den`` (one denominator for the whole frame when it is built here: the lcm of
10**4 and the denominators present, 10**k for decimals, full-time hours x 10**6 for hours), so
vectorised arithmetic is exact (int64) and rounds by the same rule as the object path.
``fte_e4`` is each line's fte rounded half up to 4 places: for display and fte totals only
(a table's fte column adds up), never for costing. A post given in hours alone has
``fte_den`` 0 until it is costed (:func:`resolve_hours`, with the employer's full-time
hours). Dates are ``datetime64[s]``,
``NaT`` for open ends. The frame keeps the :class:`~establishment.model.post.Post` fields so it
round-trips (:func:`posts_from_frame`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from establishment.errors import Location
from establishment.model.funding import FundingShare
from establishment.model.hours import agrees
from establishment.model.post import Payment, Post

FTE_SCALE = 10_000
# Integer columns mark "not given" with the smallest int64: no validated figure comes near it
# (money is at most 10**14 pence either way, points at most 999), so a credit (a negative
# payment) can never be mistaken for a missing value, and NONE sorts below every real value.
NONE = int(np.iinfo(np.int64).min)

POST_COLUMNS = ["kind", "reference", "title", "team", "grade", "scp", "fte_e4", "funding",
                "start", "end", "status", "cost_per_fte_pence", "salary_pence",
                "salary_min_pence", "salary_max_pence", "reports_to", "increment_date", "notes",
                "per", "unpriced", "fte_num", "fte_den", "hours_e6", "headcount",
                "annual_hours_e6"]
HOURS_SCALE = 1_000_000


def pence(value: Decimal | None) -> int:
    """Exact Decimal pounds -> integer pence (values have at most 2 places by validation)."""
    if value is None:
        return NONE
    scaled = value * 100
    if scaled != scaled.to_integral_value():
        raise ValueError(f"money {value} has more than 2 decimal places")
    return int(scaled)


def fte_e4(value: Decimal | Fraction) -> int:
    """An fte in ten-thousandths, rounded half up (display and totals only)."""
    exact = Fraction(value)
    return (exact.numerator * 2 * FTE_SCALE + exact.denominator) // (2 * exact.denominator)


def common_denominator(values: Iterable[Fraction | Decimal | None]) -> int:
    """The lcm of ten-thousandths and the denominators of ``values`` (None skipped): a frame
    of fte to at most 4 places keeps the ten-thousandths it always had (same numerators,
    same int64 bounds), a finer fte or hours widen it."""
    dens = {Fraction(v).denominator for v in values if v is not None}
    return math.lcm(FTE_SCALE, *dens)


def exact_fte(frame: pd.DataFrame) -> tuple[np.ndarray, int]:
    """Every line's fte as integer numerators over one denominator (exact). A frame built
    here has one denominator already (no pass over its rows beyond a min and a max); frames
    joined from several get the lcm of theirs. Numerators are Python integers (object) only
    when int64 could not hold them."""
    if "fte_den" not in frame:  # a frame laid out before exact fte: ten-thousandths
        return frame["fte_e4"].to_numpy(dtype=np.int64), FTE_SCALE
    num, den = frame["fte_num"].to_numpy(), frame["fte_den"].to_numpy()
    # Python integers (resolve_hours's, too wide for int64) stay so; the rest are int64
    num = num if num.dtype == object else num.astype(np.int64)
    den = den if den.dtype == object else den.astype(np.int64)
    if not len(den):
        return num, 1
    low, high = int(den.min()), int(den.max())
    if low <= 0:
        raise ValueError("a post given in hours alone has no fte until its employer's "
                         "full-time hours are known (resolve_hours)")
    if low == high:
        return num, high
    common = math.lcm(*(int(d) for d in pd.unique(den)))
    factor = common // den if common < 2 ** 62 else common // den.astype(object)
    widest = int(np.abs(num).max()) * (common // low)
    if widest >= 2 ** 62:
        return num.astype(object) * factor.astype(object), common
    return num * factor, common


def fte_fraction(frame: pd.DataFrame, row: int) -> Fraction:
    """The exact fte of one line."""
    if "fte_den" not in frame:
        return Fraction(int(frame["fte_e4"].iloc[row]), FTE_SCALE)
    return Fraction(int(frame["fte_num"].iloc[row]), int(frame["fte_den"].iloc[row]))


def _hours_and_scale(frame: pd.DataFrame, full_time_hours: Callable[[], Decimal],
                     annual_hours: Callable[[], Decimal] | None
                     ) -> tuple[np.ndarray, np.ndarray, int] | None:
    """Each line's hours (a week's or a year's, x 10**6; NONE where neither) and its full
    amount (full-time hours, or the annual hours basis, x 10**6, exactly: a Fraction, as a
    basis may have more than 6 places, 37 x 52.1428571), and the lcm of those amounts'
    numerators (every hours fte's denominator divides it), or None when no line gives
    hours. Each basis is asked only when some line needs it."""
    hours = (frame["hours_e6"].to_numpy(dtype=np.int64) if "hours_e6" in frame
             else np.full(len(frame), NONE, dtype=np.int64))
    annual = (frame["annual_hours_e6"].to_numpy(dtype=np.int64)
              if "annual_hours_e6" in frame else np.full(len(frame), NONE, dtype=np.int64))
    weekly, yearly = hours != NONE, annual != NONE
    if not (weekly.any() or yearly.any()):
        return None
    scale = np.zeros(len(frame), dtype=object)
    if weekly.any():
        scale[weekly] = Fraction(full_time_hours()) * HOURS_SCALE
    if yearly.any():
        if annual_hours is None:
            raise ValueError("posts in hours a year need the rule's annual hours basis")
        scale[yearly] = Fraction(annual_hours()) * HOURS_SCALE
    return (np.where(yearly, annual, hours), scale,
            math.lcm(*{s.numerator for s in scale if s}))


def resolve_hours(frame: pd.DataFrame, full_time_hours: Callable[[], Decimal],
                  annual_hours: Callable[[], Decimal] | None = None
                  ) -> tuple[pd.DataFrame, list[tuple[int, Fraction, Fraction]]]:
    """The frame with every post given in hours at fte = hours / full-time hours exactly
    (``full_time_hours`` is asked only when some line gives hours; a post in hours a year:
    annual_hours / the annual hours basis, ``annual_hours``), and the lines whose typed fte
    disagrees with their hours: (row, typed fte, hours fte). A typed fte agrees when hours
    / full-time hours rounded half up to the fte's own decimal places equals it; the line is
    then costed at the exact hours figure."""
    found = _hours_and_scale(frame, full_time_hours, annual_hours)
    if found is None:
        return frame, []
    hours, scales, ft = found
    given = hours != NONE
    num, den = exact_fte(frame.assign(fte_den=np.where(given, 1, frame["fte_den"])))
    common = math.lcm(den, ft)
    result_num = np.asarray(num, dtype=object) * (common // den)
    rows = np.flatnonzero(given)
    typed = frame["fte_den"].to_numpy(dtype=np.int64)[rows] > 0
    conflicts, fte_of = [], []
    for row, has_fte in zip(rows.tolist(), typed.tolist()):
        from_hours = int(hours[row]) / scales[row]  # = fte_of_hours, exactly
        fte_of.append(from_hours)
        if has_fte:
            stated = Fraction(int(frame["fte_num"].iloc[row]), int(frame["fte_den"].iloc[row]))
            if not agrees(stated, from_hours):
                conflicts.append((row, stated, from_hours))
        result_num[row] = from_hours.numerator * (common // from_hours.denominator)
    # every line widened to the common denominator (a typed fte too), not only the hours
    widest = int(np.abs(result_num).max())
    exact = result_num.astype(np.int64) if common < 2 ** 62 and widest < 2 ** 62 else result_num
    # a denominator past int64 (a basis of many places: 37 x 52.142857142857) is a Python int
    resolved = frame.assign(fte_num=exact, fte_den=np.full(
        len(frame), common, dtype=np.int64 if common < 2 ** 63 else object))
    e4 = frame["fte_e4"].to_numpy(dtype=np.int64).copy()
    e4[rows] = [fte_e4(value) for value in fte_of]
    return resolved.assign(fte_e4=e4), conflicts


def _dates(values: list[dt.date | None]) -> pd.Series:
    return pd.Series(pd.to_datetime(pd.Series(values, dtype=object)), dtype="datetime64[s]")


def lines_frame(posts: Iterable[Post], payments: Iterable[Payment] = ()) -> pd.DataFrame:
    """One row per post and per payment (``kind``), in order, posts first."""
    rows = []
    posts = list(posts)
    common = common_denominator(p.fte for p in posts)
    for post in posts:
        known = post.fte is not None
        rows.append(("post", post.reference, post.title, post.team, post.grade,
                     NONE if post.scp is None else post.scp,
                     fte_e4(post.fte) if known else 0, post.funding,
                     post.start, post.end, post.status, pence(_priced(post)),
                     pence(post.salary), pence(post.salary_min), pence(post.salary_max),
                     post.reports_to, post.increment_date, post.notes, "", post.unpriced,
                     int(post.fte * common) if known else 0, common if known else 0,
                     NONE if post.hours is None else int(post.hours * HOURS_SCALE),
                     NONE if post.headcount is None else post.headcount,
                     NONE if post.annual_hours is None
                     else int(post.annual_hours * HOURS_SCALE)))
    for payment in payments:
        rows.append(("payment", payment.reference, payment.title, payment.team, "", NONE,
                     FTE_SCALE, payment.funding, payment.start, payment.end, "filled",
                     pence(payment.amount), NONE, NONE, NONE, None, None, payment.notes,
                     payment.per, "", common, common, NONE, NONE, NONE))
    frame = pd.DataFrame.from_records(rows, columns=POST_COLUMNS)
    for column in ("scp", "fte_e4", "cost_per_fte_pence", "salary_pence", "salary_min_pence",
                   "salary_max_pence", "fte_num", "fte_den", "hours_e6", "headcount",
                   "annual_hours_e6"):
        frame[column] = frame[column].astype("int64")
    frame["start"] = _dates(list(frame["start"]))
    frame["end"] = _dates(list(frame["end"]))
    frame["increment_date"] = _dates(list(frame["increment_date"]))
    # text columns stay object dtype holding str or None (never NaN: pandas 3 would infer a
    # string dtype and turn a missing reference into NaN, which is truthy and != itself)
    for column in ("kind", "reference", "title", "team", "grade", "status", "reports_to",
                   "notes", "per", "unpriced"):
        index = POST_COLUMNS.index(column)
        frame[column] = pd.Series([row[index] for row in rows], dtype=object, index=frame.index)
    return frame


def _money(value: int) -> Decimal | None:
    return None if value == NONE else Decimal(int(value)) / 100


def _date(value: object) -> dt.date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def _opt(value: object) -> object:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else value


def posts_from_frame(frame: pd.DataFrame, sources: Sequence[Location | None] | None = None,
                     *, post: Callable[..., Any] = Post, payment: Callable[..., Any] = Payment
                     ) -> tuple[list[Any], list[Any]]:
    """The records back from :func:`lines_frame` output (lossless). ``sources`` gives each
    row's record its ``source`` (where it was read). ``post`` and ``payment`` make each
    record from its fields (a light view such as ``SimpleNamespace`` when only reading them,
    as a diff's change table does: no record is validated)."""
    posts, payments = [], []
    places = itertools.chain(sources or (), itertools.repeat(None))
    for row, source in zip(frame.itertuples(index=False), places):
        funding = tuple(FundingShare(s.source, s.percent) for s in (row.funding or ()))
        if row.kind == "payment":
            payments.append(payment(title=row.title, amount=_money(row.cost_per_fte_pence),
                                    per=row.per, team=row.team, funding=funding,
                                    start=_date(row.start), end=_date(row.end),
                                    reference=_opt(row.reference), notes=row.notes,
                                    source=source))
        else:
            posts.append(post(
                title=row.title, fte=_typed_fte(row), grade=row.grade,
                scp=None if row.scp == NONE else int(row.scp), team=row.team, funding=funding,
                start=_date(row.start), end=_date(row.end), status=row.status,
                reference=_opt(row.reference), cost_per_fte=_cost_per_fte(row),
                salary=_money(row.salary_pence), salary_min=_money(row.salary_min_pence),
                salary_max=_money(row.salary_max_pence), reports_to=_opt(row.reports_to),
                increment_date=_date(row.increment_date), notes=row.notes,
                unpriced=getattr(row, "unpriced", "") or "", hours=_hours(row),
                annual_hours=_hours(row, "annual_hours_e6"),
                headcount=_count(getattr(row, "headcount", NONE)), source=source))
    return posts, payments


def _priced(post: Post) -> Decimal | None:
    """The cost per fte the engine prices a post at: an unpriced post's is £0 (its record
    keeps what it was given: none, or 0)."""
    return Decimal(0) if post.unpriced else post.cost_per_fte


def _cost_per_fte(row: Any) -> Decimal | None:
    """A line's cost per fte back as its post holds it: none for an unpriced post (priced at
    £0 by :func:`_priced`)."""
    if getattr(row, "unpriced", "") and row.cost_per_fte_pence == 0:
        return None
    return _money(row.cost_per_fte_pence)


def _typed_fte(row: Any) -> Decimal | None:
    """A line's fte as a Decimal, exactly: None for a post given in hours alone (or whose fte
    came from its hours and is no decimal)."""
    den = int(getattr(row, "fte_den", FTE_SCALE))
    num = int(getattr(row, "fte_num", row.fte_e4))
    if den == 0:
        return None
    exact = Fraction(num, den)
    value = Decimal(exact.numerator) / Decimal(exact.denominator)
    if Fraction(value) != exact:  # hours / full-time hours: the hours carry it
        return None
    return value


def _hours(row: Any, column: str = "hours_e6") -> Decimal | None:
    value = int(getattr(row, column, NONE))
    return None if value == NONE else Decimal(value) / HOURS_SCALE


def _count(value: Any) -> int | None:
    return None if int(value) == NONE else int(value)

"""Structures as pandas frames: the engine's input, in exact integer units.

Money goes in as integer pence and fte as integer ten-thousandths, so vectorised arithmetic is
exact (int64) and rounds by the same rule as the object path. Dates are ``datetime64[s]``,
``NaT`` for open ends. The frame keeps the :class:`~establishment.post.Post` fields so it
round-trips (:func:`posts_from_frame`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from establishment.funding import FundingShare
from establishment.post import Payment, Post

FTE_SCALE = 10_000
# Integer columns mark "not given" with the smallest int64: no validated figure comes near it
# (money is at most 10**14 pence either way, points at most 999), so a credit (a negative
# payment) can never be mistaken for a missing value, and NONE sorts below every real value.
NONE = int(np.iinfo(np.int64).min)

POST_COLUMNS = ["kind", "reference", "title", "team", "grade", "scp", "fte_e4", "funding",
                "start", "end", "status", "cost_per_fte_pence", "salary_pence",
                "salary_min_pence", "salary_max_pence", "reports_to", "increment_date", "notes",
                "per", "unpriced"]


def pence(value: Decimal | None) -> int:
    """Exact Decimal pounds -> integer pence (values have at most 2 places by validation)."""
    if value is None:
        return NONE
    scaled = value * 100
    if scaled != scaled.to_integral_value():
        raise ValueError(f"money {value} has more than 2 decimal places")
    return int(scaled)


def fte_e4(value: Decimal) -> int:
    return int(value * FTE_SCALE)


def _dates(values: list[dt.date | None]) -> pd.Series:
    return pd.Series(pd.to_datetime(pd.Series(values, dtype=object)), dtype="datetime64[s]")


def lines_frame(posts: Iterable[Post], payments: Iterable[Payment] = ()) -> pd.DataFrame:
    """One row per post and per payment (``kind``), in order, posts first."""
    rows = []
    for post in posts:
        rows.append(("post", post.reference, post.title, post.team, post.grade,
                     NONE if post.scp is None else post.scp, fte_e4(post.fte), post.funding,
                     post.start, post.end, post.status, pence(post.cost_per_fte),
                     pence(post.salary), pence(post.salary_min), pence(post.salary_max),
                     post.reports_to, post.increment_date, post.notes, "", post.unpriced))
    for payment in payments:
        rows.append(("payment", payment.reference, payment.title, payment.team, "", NONE,
                     FTE_SCALE, payment.funding, payment.start, payment.end, "filled",
                     pence(payment.amount), NONE, NONE, NONE, None, None, payment.notes,
                     payment.per, ""))
    frame = pd.DataFrame.from_records(rows, columns=POST_COLUMNS)
    for column in ("scp", "fte_e4", "cost_per_fte_pence", "salary_pence", "salary_min_pence",
                   "salary_max_pence"):
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


def posts_from_frame(frame: pd.DataFrame, *, post: Callable[..., Any] = Post,
                     payment: Callable[..., Any] = Payment) -> tuple[list[Any], list[Any]]:
    """The records back from :func:`lines_frame` output (lossless). ``post`` and ``payment``
    make each record from its fields (a light view such as ``SimpleNamespace`` when only
    reading them, as a diff's change table does: no record is validated)."""
    posts, payments = [], []
    for row in frame.itertuples(index=False):
        funding = tuple(FundingShare(s.source, s.percent) for s in (row.funding or ()))
        if row.kind == "payment":
            payments.append(payment(title=row.title, amount=_money(row.cost_per_fte_pence),
                                    per=row.per, team=row.team, funding=funding,
                                    start=_date(row.start), end=_date(row.end),
                                    reference=_opt(row.reference), notes=row.notes))
        else:
            posts.append(post(
                title=row.title, fte=Decimal(int(row.fte_e4)) / FTE_SCALE, grade=row.grade,
                scp=None if row.scp == NONE else int(row.scp), team=row.team, funding=funding,
                start=_date(row.start), end=_date(row.end), status=row.status,
                reference=_opt(row.reference), cost_per_fte=_money(row.cost_per_fte_pence),
                salary=_money(row.salary_pence), salary_min=_money(row.salary_min_pence),
                salary_max=_money(row.salary_max_pence), reports_to=_opt(row.reports_to),
                increment_date=_date(row.increment_date), notes=row.notes,
                unpriced=getattr(row, "unpriced", "") or ""))
    return posts, payments

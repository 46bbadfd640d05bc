"""Funding: who pays for a post, in decimal percentages that sum to 100.

A post names one source ("Core budget") or several shares ({"Core": 60, "Grant": 40}).
Splitting a cost across shares uses largest-remainder allocation (see :func:`split_pence`), so
the parts add up to the whole exactly: a line's whole pounds split into whole pounds per
source, so a funding column is whole pounds like the cost beside it and still adds up.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
from attrs import field, frozen

from establishment.errors import Location, ValidationError
from establishment.model.money import to_decimal

HUNDRED = Decimal(100)


def _source_name(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise ValidationError("funding", "a source name (text)", value)
    return str(value).strip()


def _percent(value: Any) -> Decimal:
    return to_decimal(value, field="funding")


@frozen
class FundingShare:
    """A source of funding and the percentage of a post it pays (each converted and
    validated: a name, and a number; :func:`check_funding` checks the shares together)."""

    source: str = field(converter=_source_name)
    percent: Decimal = field(converter=_percent)

    def __str__(self) -> str:
        return self.source if self.percent == HUNDRED else f"{self.source} {self.percent}%"


def to_funding(value: Any) -> tuple[FundingShare, ...]:
    """Accept None, a source name, a mapping source -> percent, or shares; return shares."""
    if value is None or value == "" or value == ():
        return ()
    if isinstance(value, str):
        return (FundingShare(value.strip(), HUNDRED),)
    if isinstance(value, dict):
        items = list(value.items())
    elif not isinstance(value, (tuple, list)):
        raise ValidationError("funding", "a source name, {source: percent} or "
                              "(source, percent) pairs", value)
    else:
        items = []
        for item in value:
            if isinstance(item, FundingShare):
                items.append((item.source, item.percent))
            elif isinstance(item, (tuple, list)) and len(item) == 2:
                items.append((item[0], item[1]))
            else:
                raise ValidationError("funding", "a source name, {source: percent} or "
                                      "(source, percent) pairs", value)
    return tuple(FundingShare(source, pct) for source, pct in items)


def check_funding(shares: tuple[FundingShare, ...], record: str = "",
                  source: Location | None = None) -> None:
    """Shares must be positive, named once each, with at most 2 decimal places, summing to 100.

    ``record`` names the post or payment in the message, ``source`` where it was read."""
    try:
        _check_shares(shares)
    except ValidationError as err:
        raise ValidationError(err.field, err.expected, err.found, record=record,
                              source=source) from None


def _check_shares(shares: tuple[FundingShare, ...]) -> None:
    if not shares:
        return
    names = [s.source for s in shares]
    if any(not n for n in names):
        raise ValidationError("funding", "named sources", names)
    if len(set(names)) != len(names):
        raise ValidationError("funding", "each source named once", names)
    for share in shares:
        if share.percent <= 0 or share.percent.as_tuple().exponent < -2:
            raise ValidationError("funding", "percentages > 0 with at most 2 decimal places",
                                  str(share))
    total = sum((s.percent for s in shares), Decimal(0))
    if total != HUNDRED:
        raise ValidationError("funding", "percentages summing to 100",
                              f"{' + '.join(str(s.percent) for s in shares)} = {total}")


def split_pence(amount_pence: int, percents: list[Decimal]) -> list[int]:
    """Split ``amount_pence`` by ``percents`` (summing to 100) with largest remainder.

    Each part is the exact share rounded down, then the pennies left over go one each to the
    parts with the largest remainders (earlier parts first on ties), so the parts sum exactly.
    """
    sign = -1 if amount_pence < 0 else 1
    whole = abs(amount_pence)
    basis = [int(p * 100) for p in percents]  # hundredths of a percent; 10000 = 100%
    raw = [whole * b for b in basis]
    parts = [r // 10000 for r in raw]
    left = whole - sum(parts)
    order = sorted(range(len(parts)), key=lambda i: (-(raw[i] % 10000), i))
    for i in order[:left]:
        parts[i] += 1
    return [sign * p for p in parts]


def split_pence_array(values: np.ndarray, percents: list[Decimal]) -> list[np.ndarray]:
    """:func:`split_pence` of every cell of an integer array at once (the same rule: exact
    shares rounded down, the pennies left over to the largest remainders, earlier shares first
    on ties, the sign kept), for the month-by-month tables of a projection."""
    if len(percents) == 1:
        return [values]
    sign = np.where(values < 0, -1, 1)
    whole = values * sign
    raw = [whole * int(p * 100) for p in percents]
    parts = [r // 10000 for r in raw]
    rems = [r % 10000 for r in raw]
    left = whole - sum(parts)
    for k in range(len(parts)):
        rank = np.zeros(values.shape, dtype=np.int64)
        for other in range(len(parts)):
            if other != k:
                ahead = rems[other] > rems[k]
                rank += (ahead | (rems[other] == rems[k])) if other < k else ahead
        parts[k] = parts[k] + (rank < left)
    return [p * sign for p in parts]


UNFUNDED = "(unfunded)"


def add_by_source(totals: dict[str, int], funding: tuple[FundingShare, ...], pounds: int,
                  sign: int = 1) -> None:
    """Add a line's cost (whole pounds) to ``totals`` (pence by source), split across its
    shares in whole pounds by :func:`split_pence`'s largest-remainder rule (a £100,001 line
    funded 50/50 is £50,001 and £50,000, never £50,000.50 each); an unfunded line counts under
    ``(unfunded)``. One rule for every "by funding source" figure, so they all reconcile."""
    names = [s.source for s in funding] or [UNFUNDED]
    percents = [s.percent for s in funding] or [HUNDRED]
    for name, part in zip(names, split_pence(int(pounds), percents)):
        totals[name] = totals.get(name, 0) + sign * part * 100


def add_lines_by_source(totals: dict[str, int], fundings: Any, pounds: Any,
                        sign: int = 1, pence_per_unit: int = 100) -> None:
    """:func:`add_by_source` of many lines at once, with the same result to the penny and the
    same order of sources: lines are grouped by their funding (in order of first appearance)
    and each group is split by :func:`split_pence_array`, the same rule line by line.
    ``pounds`` are whole units of ``pence_per_unit`` pence (100: pounds; 1: pence); the
    totals are pence."""
    import pandas as pd

    values = np.asarray(pounds, dtype=np.int64)
    codes, uniques = pd.factorize(pd.Series(fundings, dtype=object).to_numpy(dtype=object))
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    for group, funding in enumerate(uniques):
        amounts = values[order[bounds[group]:bounds[group + 1]]]
        names = [s.source for s in funding] or [UNFUNDED]
        percents = [s.percent for s in funding] or [HUNDRED]
        for name, part in zip(names, split_pence_array(amounts, percents)):
            totals[name] = totals.get(name, 0) + sign * int(part.sum()) * pence_per_unit

"""The apprenticeship levy: 0.5% of the pay bill from 6 April 2017.

For a large employer the £15,000 allowance is negligible, so the marginal cost of a post is the
rate times its pay; an on-cost rule includes it only when it says so.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from attrs import frozen

from pay_scales.errors import PayScaleError
from pay_scales.sources import Provenance, data_dir, read_csv_rows


@frozen
class LevyRate:
    effective_from: dt.date
    rate: Decimal
    annual_allowance: Decimal
    provenance: Provenance


def load_levy(path: Path | None = None) -> tuple[LevyRate, ...]:
    path = path or data_dir() / "apprenticeship_levy.csv"
    rows = read_csv_rows(path, ("effective_from", "rate", "annual_allowance", "basis", "source"))
    return tuple(sorted(
        (LevyRate(dt.date.fromisoformat(r["effective_from"]), Decimal(r["rate"]),
                  Decimal(r["annual_allowance"]), Provenance(path.name, r["basis"], r["source"]))
         for _, r in rows), key=lambda r: r.effective_from))


def levy_on(day: dt.date, rates: tuple[LevyRate, ...]) -> LevyRate:
    """The levy in force on ``day``; before the levy existed that is an error, not zero."""
    found = [r for r in rates if r.effective_from <= day]
    if not found:
        raise PayScaleError(
            f"the apprenticeship levy did not exist on {day.isoformat()} (it starts "
            f"{rates[0].effective_from.isoformat()}); use an on-cost rule without the levy",
            field="date", found=day)
    return found[-1]

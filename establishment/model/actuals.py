"""Actuals: money spent month by month, as a ledger gives it (the budget monitor's input).

Records only; :mod:`establishment.io.actuals` reads them from a file and
:mod:`establishment.operations.monitor` sets them against a profiled budget.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from attrs import field, frozen

from establishment.errors import Location
from establishment.model import checks


@frozen
class Actual:
    """Money spent in one month (by one group, when the file names groups)."""

    month: dt.date = field(validator=checks.instance_of(dt.date, "a month such as 2026-04"))
    amount: Decimal = field(validator=checks.decimal)
    group: str = field(default="", validator=checks.text)
    source: Location | None = field(default=None, eq=False, repr=False,
                                    validator=checks.location, metadata={"source": True})


@frozen
class Actuals:
    """The rows of an actuals file and the grouping they name (``team``, ``funding`` or
    None)."""

    rows: tuple[Actual, ...] = field(converter=checks.as_tuple,
                                     validator=checks.tuple_of(Actual, "Actual rows"))
    by: str | None = field(validator=checks.optional_text)
    where: str = field(validator=checks.text)

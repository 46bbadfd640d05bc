"""Actuals: money spent month by month, as a ledger gives it (the budget monitor's input).

Records only; :mod:`establishment.io.actuals` reads them from a file and
:mod:`establishment.operations.monitor` sets them against a profiled budget.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from attrs import frozen

from establishment.errors import Location


@frozen
class Actual:
    """Money spent in one month (by one group, when the file names groups)."""

    month: dt.date
    amount: Decimal
    group: str = ""
    source: Location | None = None


@frozen
class Actuals:
    """The rows of an actuals file and the grouping they name (``team``, ``funding`` or
    None)."""

    rows: tuple[Actual, ...]
    by: str | None
    where: str

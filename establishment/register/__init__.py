"""The establishment register: decisions as a dated, append-only ledger in SQLite.

A register holds an opening establishment, the pay basis of each pay year, team limits
(position control) and the decisions: each with its effective and approval dates, who approved
it, a reference, a note and its changes. The establishment on any day is replayed from stored
snapshots; temporary posts end by themselves on their end dates. See docs/register.md.
"""

from establishment.register.errors import ConflictError, LimitError, RegisterBusy, RegisterError
from establishment.register.limits import Breach, Limit
from establishment.register.queries import (
    Event,
    ExpiringPost,
    InForce,
    LimitCheck,
    LogLine,
    Segment,
    add_window,
    as_of,
    expiring,
    export,
    history,
    in_force,
    limit_checks,
    log,
    period_cost,
)
from establishment.register.state import prune, step, view
from establishment.register.store import (
    BUSY_TIMEOUT,
    SCHEMA_VERSION,
    Entry,
    Register,
    open_register,
)

__all__ = ["BUSY_TIMEOUT", "SCHEMA_VERSION", "Breach", "ConflictError",
           "Entry", "Event", "ExpiringPost", "InForce", "LimitCheck", "LimitError", "LogLine",
           "Limit",
           "Register", "RegisterBusy", "RegisterError", "Segment", "add_window", "as_of",
           "expiring", "export", "history", "in_force", "limit_checks", "log", "open_register",
           "period_cost", "prune", "step", "view"]

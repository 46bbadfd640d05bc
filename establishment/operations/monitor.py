"""Budget monitoring: a profiled budget against what was spent, and the forecast outturn.

The budget is a projection of the structure over the budget year (increments, awards, the
vacancy factor applied as ``project`` applies it: a negative share of every post line),
shared across its months by a profile (:mod:`establishment.operations.profile`). The actuals
are what the ledger says was spent each month (read by :mod:`establishment.io.actuals`), for the
whole structure or by team or cost centre (the structure's funding source).

* **to date** is every month up to the last month any actual is given for;
* **variance** is actual - budget (positive: overspent), month by month and to date;
* **forecast outturn** is the actuals to date plus the profiled budget of the months after;
  its variance is outturn - budget for the year.

Money is exact: budgets are the projection's whole pounds (pence on a penny basis), actuals
their pence; every sum is of integers in pence.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from attrs import frozen

from establishment.errors import LoadError, Problem, ValidationError
from establishment.model.actuals import Actuals
from establishment.operations.profile import describe_profile, profile_amounts
from establishment.operations.projection import Projection
from pay_scales.calendar import Calendar

GROUPS = ("team", "funding")


@frozen(eq=False)
class Monitor:
    """A budget monitor: budget and actuals by group and month (integer pence)."""

    groups: tuple[str, ...]
    months: tuple[dt.date, ...]
    budget: np.ndarray  # groups x months, pence
    actual: np.ndarray  # groups x months, pence (0 where none given)
    to_date: int  # months 0 .. to_date - 1 have actuals (0: none yet)
    by: str | None
    profile: str
    projection: Projection

    @property
    def profile_text(self) -> str:
        return describe_profile(self.profile)

    def budget_year(self) -> np.ndarray:
        return self.budget.sum(axis=1)

    def budget_to_date(self) -> np.ndarray:
        return self.budget[:, :self.to_date].sum(axis=1)

    def actual_to_date(self) -> np.ndarray:
        return self.actual[:, :self.to_date].sum(axis=1)

    def outturn(self) -> np.ndarray:
        """Actuals to date plus the profiled budget of the months after (pence)."""
        return self.actual_to_date() + self.budget[:, self.to_date:].sum(axis=1)

    def forecast(self) -> np.ndarray:
        """Month by month: the actual to date, the budget after (pence)."""
        out = self.budget.copy()
        out[:, :self.to_date] = self.actual[:, :self.to_date]
        return out


def _group_by(actuals: Actuals, by: str | None) -> str | None:
    if by is not None and by not in GROUPS:
        raise ValidationError("by", " | ".join(GROUPS), by)
    if actuals.by is None:
        return by
    if by is not None and by != actuals.by:
        column = "team" if actuals.by == "team" else "cost centre"
        raise LoadError([Problem(actuals.where, 1, f"the actuals give a {column} column: "
                                 f"monitor by {actuals.by}, not by {by}", "team")])
    return actuals.by


def _actual_table(actuals: Actuals, groups: list[str], months: tuple[dt.date, ...],
                  grouped: bool) -> np.ndarray:
    """Actuals summed by group and month, in pence; every row outside the budget year or of
    a group the structure lacks is a located problem, all raised together."""
    index = {name: i for i, name in enumerate(groups)}
    column = {m: j for j, m in enumerate(months)}
    table = np.zeros((len(groups), len(months)), dtype=object)
    problems = []
    for row in actuals.rows:
        line = row.source.line if row.source else None
        if row.month not in column:
            problems.append(Problem(actuals.where, line, f"{row.month.isoformat()[:7]} is "
                                    f"outside the budget year ({months[0].isoformat()[:7]} to "
                                    f"{months[-1].isoformat()[:7]})", "month"))
            continue
        group = row.group if grouped else groups[0]
        if group not in index:
            problems.append(Problem(actuals.where, line, f"{group or '(blank)'!r} is not a "
                                    f"group of the structure ({', '.join(groups)})", "team"))
            continue
        table[index[group], column[row.month]] += int(row.amount * 100)
    if problems:
        raise LoadError(problems)
    return table.astype(np.int64)


def monitor(result: Projection, actuals: Actuals, *, profile: str = "twelfths",
            by: str | None = None, calendar: Calendar | None = None) -> Monitor:
    """The budget of ``result`` (a projection of the budget year) profiled by ``profile``,
    against ``actuals``, by ``by`` (``team``, ``funding`` (cost centre) or None; an actuals
    file with a team or cost centre column decides it)."""
    by = _group_by(actuals, by)
    names, budget = result.roll_up(profile_amounts(result, profile, calendar), by)
    actual = _actual_table(actuals, names, result.months, by is not None)
    given = {row.month for row in actuals.rows}
    to_date = max((j + 1 for j, m in enumerate(result.months) if m in given), default=0)
    return Monitor(tuple(names), result.months, budget, actual, to_date, by, profile, result)

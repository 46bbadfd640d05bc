"""Questions asked of a register: each a function taking a register (or its path).

- :func:`as_of`: the establishment in force on a day;
- :func:`log`: every ledger entry, with what became of it;
- :func:`history`: what happened to one post (created by, changed by, ended);
- :func:`expiring`: temporary posts ending within a window, with the full-year cost of making
  each permanent in the pay year after its end, on the register's basis for that year;
- :func:`period_cost`: the cost of a period as the establishment changed within it;
- :func:`limit_checks`: every team's figures against its limits on a day;
- :func:`export`: the establishment on a day written as a structure file.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from attrs import frozen

import pay_scales
from establishment.engine.costing import Costing
from establishment.engine.costing import cost as cost_of
from establishment.errors import CostingError, EstablishmentError, PayScaleError, ValidationError
from establishment.io.dates import DateError, parse_date
from establishment.io.toml_file import write_structure
from establishment.model.money import PENCE, POUNDS, MoneyUnit
from establishment.model.pay_basis import PayBasis
from establishment.model.post import MONEY_KEYS, Post
from establishment.model.structure import Structure
from establishment.operations.budget import BudgetComparison
from establishment.operations.changes import (
    Change,
    ChangeEnd,
    Disestablish,
    Establish,
    MakePermanent,
    Regrade,
)
from establishment.register.limits import Breach, Limit, standing
from establishment.register.state import exact_ftes, shown_fte, view
from establishment.register.store import Entry, Register, sqlite_errors

RegisterLike = Register | str | Path


@contextmanager
def _opened(register: RegisterLike) -> Iterator[Register]:
    if isinstance(register, Register):
        with sqlite_errors(register.path):
            yield register
        return
    with sqlite_errors(register), Register.open(register) as opened:
        yield opened


def money_unit(register: RegisterLike) -> MoneyUnit:
    """The unit the register's figures are shown in: pence when any stored pay year's basis
    rounds to the penny (a pound year's figures are whole pounds, shown with .00), else
    pounds."""
    with _opened(register) as reg:
        units = {basis.unit for basis in reg.bases().values()}
    return PENCE if PENCE in units else POUNDS


def as_of(register: RegisterLike, day: dt.date) -> Structure:
    """The establishment in force on ``day``."""
    with _opened(register) as reg:
        return reg.as_of(day)


@frozen
class InForce:
    """The establishment in force on a day and each post's exact fte (a post given in hours:
    hours / the full-time hours of the register's basis for that pay year)."""

    structure: Structure
    ftes: tuple[Fraction, ...]

    @property
    def fte(self) -> Decimal:
        """The total as tables show it (each post's fte to 4 places, added up)."""
        return shown_fte(self.ftes)


def in_force(register: RegisterLike, day: dt.date) -> InForce:
    """The establishment in force on ``day`` with every post's fte resolved (the basis of
    ``day``'s pay year is needed only when a post is given in hours)."""
    with _opened(register) as reg:
        structure = reg.as_of(day)
        return InForce(structure, tuple(reg.ftes(structure.posts, day)))


@frozen
class LogLine:
    entry: Entry
    status: str  # "in force", "revoked by N", "revokes N"


def log(register: RegisterLike) -> list[LogLine]:
    """Every entry in the order recorded, each with its status."""
    return log_and_head(register)[0]


def log_and_head(register: RegisterLike) -> tuple[list[LogLine], str]:
    """Every entry in the order recorded, each with its status, and the head hash (to record
    elsewhere: ``register verify --head`` checks the register against it). The whole chain is
    checked first: a log is not read from a ledger that fails verification."""
    with _opened(register) as reg:
        entries = reg.entries()
        head = reg.verify()
    return _statuses(entries), head


def _statuses(entries: list[Entry]) -> list[LogLine]:
    revoked = {e.revokes: e.id for e in entries if e.kind == "revocation"}
    lines = []
    for entry in entries:
        if entry.kind == "revocation":
            status = f"revokes {entry.revokes}"
        elif entry.kind != "decision":
            status = "stored"
        elif entry.id in revoked:
            status = f"revoked by {revoked[entry.id]}"
        else:
            status = "in force"
        lines.append(LogLine(entry, status))
    return lines


@frozen
class Event:
    """Something that happened to a post: the day, the decision (0: the opening
    establishment) and what."""

    day: dt.date
    decision: int
    decision_reference: str
    event: str  # created | changed | ended
    description: str


def _touches(change: Change, reference: str) -> bool:
    if isinstance(change, Establish):
        return change.post.reference == reference
    target = getattr(change, "target", None)
    return target is not None and target.reference == reference


def history(register: RegisterLike, reference: str) -> list[Event]:
    """Created by, changed by, ended: the post's events in effective-date order (revoked
    decisions left out). A temporary post's end date is its last event."""
    with _opened(register) as reg:
        events: list[Event] = []
        end: dt.date | None = None
        opening = {p.reference: p for p in reg.opening().posts}
        if reference in opening:
            end = opening[reference].end
            events.append(Event(reg.opened_on, 0, "opening establishment", "created",
                                f"in the opening establishment ({opening[reference].title})"))
        entries = {e.id: e for e in reg.entries()}
        for effective, entry_id in reg.order():
            for change in entries[entry_id].changes:
                if not _touches(change, reference):
                    continue
                end, event = _event_of(change, end)
                events.append(Event(effective, entry_id, entries[entry_id].reference, event,
                                    change.describe()))
        if not events:
            raise ValidationError("reference", "a post reference of the register", reference)
    if end is not None and events[-1].event != "ended":
        events.append(Event(end, events[-1].decision, events[-1].decision_reference, "ended",
                            f"temporary post ends on {end.isoformat()}"))
    return events


def _event_of(change: Change, end: dt.date | None) -> tuple[dt.date | None, str]:
    if isinstance(change, Establish):
        return change.post.end, "created"
    if isinstance(change, Disestablish) and change.fte is None:
        return None, "ended"
    if isinstance(change, ChangeEnd):
        return change.end, "changed"
    if isinstance(change, MakePermanent):
        return None, "changed"
    return end, "changed"


_WITHIN = re.compile(r"^\s*(\d+)\s*([dwmy])\s*$")


def add_window(day: dt.date, within: str) -> dt.date:
    """``day`` plus a window such as ``6m``, ``90d``, ``2w`` or ``1y`` (a month later is the
    same day of the month, or the month's last day)."""
    match = _WITHIN.match(within or "")
    if not match:
        raise ValidationError("within", "a window such as 6m, 90d, 2w or 1y", within)
    count, unit = int(match.group(1)), match.group(2)
    if unit == "d":
        return day + dt.timedelta(days=count)
    if unit == "w":
        return day + dt.timedelta(weeks=count)
    months = count * (12 if unit == "y" else 1)
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@frozen
class ExpiringPost:
    """A temporary post ending in the window, and what making it permanent would cost in the
    pay year after its end (full year, on the register's basis for that year; None when no
    basis is stored for that year, which the table says, rather than failing the query)."""

    post: Post
    pay_year: int
    permanent_full_year: Decimal | None
    fte: Fraction


def expiring(register: RegisterLike, on: dt.date, within: str) -> list[ExpiringPost]:
    """Temporary posts in the register on ``on`` whose end date falls from ``on`` to ``on``
    plus ``within``, soonest first."""
    until = add_window(on, within)
    with _opened(register) as reg:
        state = reg.state_until(on)
        ending = sorted((p for p in state.posts if p.end is not None and on <= p.end <= until),
                        key=lambda p: (p.end, p.team, p.title))
        after = {p.reference: pay_scales.pay_year_of(p.end + dt.timedelta(days=1))
                 for p in ending}
        costs: dict[str, tuple[Decimal | None, Fraction]] = {}
        stored = reg.bases()
        for year in sorted(set(after.values())):
            group = [p for p in ending if after[p.reference] == year]
            if year not in stored:  # no basis for the year after: said in the table
                latest = stored[max(stored)] if stored else None
                for post, fte in zip(group, exact_ftes(group, lambda b=latest: b)):
                    costs[str(post.reference)] = (None, fte)
                continue
            basis = stored[year]
            employer = basis.load_employer()  # once per year, not once per post
            posts = [_permanent(p, year, employer) for p in group]
            costing = cost_of(Structure("permanent", posts), basis)
            ftes = exact_ftes(posts, lambda b=basis: b)
            for post, amount, fte in zip(posts, costing.line_costs(), ftes):
                costs[str(post.reference)] = (costing.unit.pounds(amount), fte)
    return [ExpiringPost(p, after[p.reference], *costs[str(p.reference)]) for p in ending]


def _permanent(post: Post, pay_year: int, employer: pay_scales.Employer) -> Post:
    """The post made permanent in ``pay_year`` (``employer``: that year's pay data): no
    dates, and its point carried from the pay year of its end to that year's spine (old scp
    34 is new 28 from April 2019)."""
    from_year = pay_scales.pay_year_of(post.end) if post.end else pay_year
    permanent = post.evolve(start=None, end=None)
    if post.scp is None or employer.spine is None:
        return permanent
    return permanent.evolve(scp=employer.carry_scp(post.scp, from_year, pay_year))


@frozen
class Segment:
    """Part of a period in which the establishment did not change (and within one pay
    year): its days, the last decision in force and its cost over those days."""

    start: dt.date
    end: dt.date
    decision: int | None
    fte: Decimal
    cost: Decimal


def period_cost(register: RegisterLike, start: dt.date, end: dt.date) -> list[Segment]:
    """The cost of ``start``..``end`` (inclusive) as the establishment changed within it: each
    decision costed from its effective day, each pay year on the register's basis for it."""
    if end < start:
        raise ValidationError("to", f"on or after --from ({start.isoformat()})", end.isoformat())
    with _opened(register) as reg:
        order = reg.order()
        cuts = {start} | {e for e, _ in order if start < e <= end}
        cuts |= {dt.date(y, 4, 1) for y in range(start.year, end.year + 1)
                 if start < dt.date(y, 4, 1) <= end}
        days = sorted(cuts)
        segments = []
        for first, following in zip(days, [*days[1:], end + dt.timedelta(days=1)]):
            last = following - dt.timedelta(days=1)
            state = reg.state_on(first)
            basis = reg.basis_for(pay_scales.pay_year_of(first))
            costing = _cost_of_days(reg, state, basis, (first, last))
            in_force = [i for e, i in order if e <= first]
            posts = view(state, first).posts
            fte = shown_fte(exact_ftes(posts, lambda b=basis: b))
            segments.append(Segment(first, last, in_force[-1] if in_force else None, fte,
                                    costing.period_total))
    return segments


def assimilation(register: RegisterLike, pay_year: int) -> list[Regrade]:
    """The regrades that carry each post's point from the spine of the pay year before
    ``pay_year`` to ``pay_year``'s (the 1 April 2019 NJC restructure: old scp 34 is new 28),
    for the posts in force on 31 March and still on 1 April: the assimilation a council
    records as a decision on 1 April. A post costed at a stated cost, salary or range, or
    without an scp, keeps its pay, and one already at its new point on 1 April (recorded
    before) is left; empty when the spine does not change between the years.
    A point with no published new point is an error (never a guess)."""
    day = pay_scales.pay_year_start(pay_year)
    with _opened(register) as reg:
        employer = reg.basis_for(pay_year).load_employer()
        state = reg.as_of(day - dt.timedelta(days=1))
        on_the_day = {p.reference: p.scp for p in reg.as_of(day).posts}
    regrades = []
    for post in state.posts:
        if post.scp is None or any(getattr(post, k) is not None for k in MONEY_KEYS) or (
                post.end is not None and post.end < day):
            continue
        point = employer.carry_scp(post.scp, pay_year - 1, pay_year)
        if point != post.scp and on_the_day.get(post.reference, point) != point:
            regrades.append(Regrade(post.reference, post.grade, point))
    return regrades


def _cost_of_days(reg: Register, state: Structure, basis: PayBasis,
                  days: tuple[dt.date, dt.date]) -> Costing:
    """The costing of ``days``; when its posts' points lie off a new spine the pay year
    brought, the error says how to record the move."""
    try:
        return cost_of(state, basis, period=days)
    except CostingError as err:
        problems = getattr(err, "problems", None)
        if problems is None or basis.pay_year - 1 not in reg.bases():
            raise
        try:
            moves = assimilation(reg, basis.pay_year)
        except (EstablishmentError, PayScaleError):
            raise err from None
        if not moves:
            raise
        label = pay_scales.pay_year_label(basis.pay_year)
        raise CostingError(problems, f"cannot cost {label}: the pay spine changed on 1 April "
                           f"{basis.pay_year} and {len(moves)} posts are at points of the old "
                           f"one; record their move with `establishment register assimilate "
                           f"{reg.path} --pay-year {label} --approved DATE --approved-by WHO "
                           f"--reference REF`") from None


@frozen
class LimitCheck:
    """A team's figures on a day against its limits."""

    limit: Limit
    fte: Decimal
    headcount: int
    budget: BudgetComparison | None
    breaches: tuple[Breach, ...]


def limit_checks(register: RegisterLike, on: dt.date) -> list[LimitCheck]:
    """Every team limit of ``on``'s pay year, with the team's figures and any breaches."""
    with _opened(register) as reg:
        pay_year = pay_scales.pay_year_of(on)
        structure = reg.as_of(on)
        checks = []
        basis = functools.cache(functools.partial(reg.basis_for, pay_year))  # read once, if at all
        for limit in reg.limits(pay_year):
            figures, comparison, found = standing(structure, limit, basis)
            checks.append(LimitCheck(limit, figures.fte, figures.headcount, comparison,
                                     tuple(found)))
    return checks


def export(register: RegisterLike, day: dt.date, path: str | Path) -> InForce:
    """Write the establishment on ``day`` as a structure file (TOML), with the register's
    basis for that pay year when it has one; returns what was written, each post's fte
    resolved (posts given in hours are written in hours, as they were given)."""
    with _opened(register) as reg:
        structure = reg.as_of(day)
        basis = reg.bases().get(pay_scales.pay_year_of(day))
        ftes = tuple(reg.ftes(structure.posts, day))
    write_structure(structure, path, basis)
    return InForce(structure, ftes)


REGISTER_SUFFIXES = (".db", ".sqlite", ".sqlite3")


def split_register_source(source: str, *, dayfirst: bool | None = True
                          ) -> tuple[str, dt.date] | None:
    """``FILE.db@DATE`` as (path, day); None for anything else (a structure file). The date
    is read as every date a user types is (:func:`establishment.io.dates.parse_date`), so
    ``@2018-W27-1``, ``@20190101`` and ``@9999-12-31`` are refused as ``register as-of``
    refuses them."""
    path, at, day = str(source).rpartition("@")
    if not at or not path.lower().endswith(REGISTER_SUFFIXES):
        return None
    try:
        return path, parse_date(day, dayfirst=dayfirst)
    except DateError as err:
        raise ValidationError("FILE.db@DATE", f"a register and a date such as "
                              f"council.db@2019-04-01 ({err})", source) from None


def register_source(source: str, *, dayfirst: bool | None = True
                    ) -> tuple[Structure, PayBasis | None] | None:
    """The establishment a ``FILE.db@DATE`` source names, with the register's basis for that
    day's pay year (None when it stores none); None when ``source`` is not one."""
    found = split_register_source(source, dayfirst=dayfirst)
    if found is None:
        return None
    path, day = found
    with _opened(path) as reg:
        return reg.as_of(day), reg.bases().get(pay_scales.pay_year_of(day))

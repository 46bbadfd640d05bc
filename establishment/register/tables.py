"""The register's answers as tables (rendered to every output format by ``tables``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from establishment.model.money import POUNDS, MoneyUnit
from establishment.model.style import format_period
from establishment.register.queries import (
    Event,
    ExpiringPost,
    InForce,
    LimitCheck,
    LogLine,
    Segment,
)
from establishment.register.state import shown_fte
from establishment.tables.table import Column, Table
from pay_scales.dates import pay_year_label


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _band(grade: str, scp: int | None) -> str:
    return f"{grade} scp {scp}" if scp is not None else grade


def posts_table(found: InForce, title: str = "") -> Table:
    """The establishment on a day: one row per post, temporary posts with their end; a post
    given in hours at its fte (hours / full-time hours) to 4 places."""
    structure = found.structure
    columns = [Column("Reference"), Column("Post"), Column("Team"), Column("fte", "fte"),
               Column("Pay band"), Column("Start"), Column("Temporary until"),
               Column("Funding")]
    rows = [[p.reference or "", p.title, p.team, shown_fte([fte]), _band(p.grade, p.scp),
             _day(p.start), _day(p.end), ", ".join(str(s) for s in p.funding)]
            for p, fte in zip(structure.posts, found.ftes)]
    total = ["Total", f"{len(structure.posts)} rows", "", found.fte, "", "", "", ""]
    notes = [f"{len(structure.payments)} payment(s) in force: "
             + ", ".join(p.title for p in structure.payments)] if structure.payments else []
    return Table(columns, rows, title or structure.name, total, notes)


def log_table(lines: list[LogLine], title: str = "Decisions", head: str = "") -> Table:
    """Every entry of the ledger; ``head``, the head hash, as a note (to record elsewhere)."""
    columns = [Column("Id", "number"), Column("Kind"), Column("Effective"), Column("Approved"),
               Column("Approved by"), Column("Reference"), Column("Status"), Column("Note"),
               Column("Hash")]
    rows = []
    for line in lines:
        entry = line.entry
        note = entry.note + (f" [override: {entry.override}]" if entry.override else "")
        rows.append([entry.id, entry.kind, _day(entry.effective), _day(entry.approved),
                     entry.approved_by, entry.reference, line.status, note, entry.hash[:12]])
    notes = [f"Head: {head} (record it, in the minutes say; `establishment register verify "
             "FILE.db --head HASH` then detects any change since)"] if head else []
    return Table(columns, rows, title, notes=notes)


def history_table(events: list[Event], reference: str) -> Table:
    columns = [Column("Date"), Column("Event"), Column("Decision", "number"),
               Column("Decision reference"), Column("What")]
    rows = [[_day(e.day), e.event, e.decision, e.decision_reference, e.description]
            for e in events]
    return Table(columns, rows, f"History of post {reference}")


def expiring_table(posts: list[ExpiringPost], on: dt.date, until: dt.date,
                   unit: MoneyUnit) -> Table:
    """``unit``: the register's basis's (its figures shown in pounds or pence)."""
    columns = [Column("Reference"), Column("Post"), Column("Team"), Column("fte", "fte"),
               Column("Pay band"), Column("Ends"), Column("Permanent from"),
               Column("Full-year cost if made permanent", unit.kind)]
    rows = [[e.post.reference or "", e.post.title, e.post.team, shown_fte([e.fte]),
             _band(e.post.grade, e.post.scp), _day(e.post.end),
             pay_year_label(e.pay_year), e.permanent_full_year] for e in posts]
    total = ["Total", "", "", shown_fte(e.fte for e in posts), "", "", "",
             sum((e.permanent_full_year for e in posts
                  if e.permanent_full_year is not None), Decimal(0))]
    notes = ["Cost of making each post permanent: a full year in the pay year after its end, "
             "on the register's pay basis for that year (points carried to that year's "
             "spine)."]
    missing = sorted({e.pay_year for e in posts if e.permanent_full_year is None})
    if missing:
        years = ", ".join(pay_year_label(y) for y in missing)
        notes.append(f"No pay basis is stored for {years}: those posts are not costed (left "
                     f"out of the total). Store one with `establishment register basis FILE "
                     f"--pay-year {pay_year_label(missing[0])} --employer ...` (with "
                     f"`--award {pay_year_label(missing[0])}=3%` for a year the pay data do "
                     f"not reach).")
    return Table(columns, rows, f"Temporary posts ending {format_period(on, until)}", total,
                 notes)


def segments_table(segments: list[Segment], start: dt.date, end: dt.date,
                   unit: MoneyUnit) -> Table:
    """``unit``: the register's basis's (its figures shown in pounds or pence)."""
    columns = [Column("From"), Column("To"), Column("Last decision in force", "number"),
               Column("fte on first day", "fte"), Column("Cost of these days", unit.kind)]
    rows = [[_day(s.start), _day(s.end), s.decision if s.decision is not None else "",
             s.fte, s.cost] for s in segments]
    total = ["Total", "", "", None, sum((s.cost for s in segments), Decimal(0))]
    notes = ["Each decision is costed from its effective day; each pay year on the "
             "register's basis for it; temporary posts stop on their end dates."]
    return Table(columns, rows, f"Establishment cost {format_period(start, end)} (period cost)",
                 total, notes)


def limits_table(checks: list[LimitCheck], on: dt.date) -> Table:
    units = {c.budget.unit for c in checks if c.budget is not None}
    money = (units.pop() if len(units) == 1 else POUNDS).kind  # the costs' unit
    columns = [Column("Team"), Column("fte", "fte"), Column("fte limit", "fte"),
               Column("Headcount", "number"), Column("Headcount limit", "number"),
               Column("Cost (full year)", money), Column("Budget", money),
               Column("of which temporary", money), Column("Shortfall", money),
               Column("Shortfall once temporary funding ends", money), Column("Status")]
    rows = []
    for check in checks:
        budget = check.budget
        money = ([budget.net_cost, budget.budget.amount, budget.budget.temporary,
                  budget.shortfall, budget.shortfall_without_temporary]
                 if budget is not None else [None] * 5)
        status = "; ".join(f"over {b.what} limit" for b in check.breaches) or "within limits"
        rows.append([check.limit.team, check.fte, check.limit.fte, check.headcount,
                     check.limit.headcount if check.limit.headcount is not None else "",
                     *money, status])
    return Table(columns, rows, f"Position control on {on.isoformat()}")

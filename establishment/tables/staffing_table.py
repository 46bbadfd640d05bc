"""Tables of establishment against staff in post (:mod:`establishment.operations.staffing`)."""

from __future__ import annotations

from decimal import Decimal

from establishment.model.structure import Structure
from establishment.operations.staffing import Staffing
from establishment.tables.table import Column, Table

NOTES = (
    "Establishment = In post + Vacancy + Held + Pay-point variance + Hours variance.",
    "In post: each person at their own scp and exact fte (hours / full-time hours, never "
    "rounded); "
    "vacancy: vacant fte x the post's cost per fte; held: posts held for people acting up or "
    "seconded out.",
    "Pay-point variance: the people in post at their posts' points less at their own; hours "
    "variance: fte assigned beyond a post's fte, and line rounding.",
)


def _as_at(title: str, as_at: str) -> str:
    """A table's title with the day its people are as at (``as_at``: "2019-03-31 (the
    export's 'As At')"), when known: every table of staff in post states it."""
    return f"{title}, as at {as_at}" if as_at else title


def staffing_table(result: Staffing, title: str = "", as_at: str = "") -> Table:
    """Per team and in total: fte, headcount, and the five figures that make up the
    establishment's cost (full year, whole pounds)."""
    money = result.money_kind
    columns = [Column("Team"), Column("Post fte", "fte"), Column("Headcount", "number"),
               Column("In-post fte", "fte"), Column("Vacant fte", "fte"),
               Column("Establishment", money), Column("In post", money),
               Column("Vacancy", money), Column("Held", money),
               Column("Pay-point variance", money), Column("Hours variance", money)]
    keys = ("fte", "headcount", "occupied_fte", "vacant_fte", "establishment", "in_post",
            "vacancy", "held", "pay_point", "hours")
    rows = []
    for team, row in result.by_team.iterrows():
        rows.append([team or "(no team)", *(row[k] for k in keys)])
    total = ["Total", *(sum((r[i + 1] for r in rows), Decimal(0)) for i in range(len(keys)))]
    notes = (f"Full-year costs, {result.basis.describe()}.", *NOTES)
    return Table(columns, rows, _as_at(title or "Establishment against staff in post", as_at),
                 total, notes)


def posts_table(result: Staffing, as_at: str = "") -> Table:
    """One row per post: fte, headcount, occupied, held and vacant fte, and its state."""
    columns = [Column("Reference"), Column("Team"), Column("Title"), Column("Post fte", "fte"),
               Column("Headcount", "number"), Column("Occupied fte", "fte"),
               Column("Held fte", "fte"), Column("Vacant fte", "fte"), Column("State")]
    rows = [[r.reference or "", r.team, r.title, r.fte, r.headcount, r.occupied_fte,
             r.held_fte, r.vacant_fte, r.state]
            for r in result.posts.itertuples(index=False)]
    return Table(columns, rows, _as_at("Posts and the people in them", as_at))


def people_table(structure: Structure, names: bool = False, as_at: str = "") -> Table:
    """The assignments: person reference (and name only when ``names``), post, kind, fte or
    hours, own scp, dates."""
    columns = [Column("Person")] + ([Column("Name")] if names else [])
    columns += [Column("Post"), Column("Kind"), Column("fte", "fte"), Column("Hours", "fte"),
                Column("Own scp", "number"), Column("Start"), Column("End")]
    rows = []
    for a in structure.assignments:
        row = [a.person] + ([a.name] if names else [])
        row += [a.post, a.kind, a.fte, a.hours, a.scp,
                a.start.isoformat() if a.start else "", a.end.isoformat() if a.end else ""]
        rows.append(row)
    return Table(columns, rows, _as_at("Staff in post", as_at))

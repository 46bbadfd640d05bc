"""Column mapping: the headers HR exports use, mapped to the fields of a post.

HR systems name their columns differently ("Post Title", "FTE", "Grade", "SCP", "End Date",
"Cost Centre"). A header is matched case-, space- and punctuation-insensitively against the
aliases below; an explicit mapping (``{"Job Ref": "reference"}``) wins over them. "Cost Centre"
maps to ``funding`` (the budget a post is charged to); map it to ``team`` explicitly when your
export uses cost centres for teams. Columns that match no field are ignored and listed in the
load counts, so nothing is dropped unseen.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from attrs import frozen

from establishment.model.post import PAYMENT_FIELDS, POST_FIELDS

# fields read only from a file with one row per person (a ``person`` column); in a file of
# posts ``hours`` is the post's contracted hours a week (its fte is hours / full-time hours)
PERSON_ONLY = ("name", "person_fte", "person_scp", "contract", "person_start", "person_end")
# every field a column can become: the records' own fields (from the records, once), the
# line's kind, and a person's
FIELDS = tuple(dict.fromkeys(("kind", *POST_FIELDS, *PAYMENT_FIELDS, "person", "hours",
                              *PERSON_ONLY)))

ALIASES: dict[str, tuple[str, ...]] = {
    "kind": ("kind", "line type", "record type"),
    "reference": ("reference", "ref", "post reference", "post ref", "post number", "post no",
                  "post id", "position number", "position no", "position ref", "position id",
                  "position reference", "job ref", "job reference"),
    "title": ("title", "post title", "job title", "post name", "position title", "position",
              "role", "role title"),
    "fte": ("fte", "full time equivalent", "wte", "whole time equivalent", "fte budgeted"),
    "grade": ("grade", "pay grade", "band", "pay band", "hay band", "grade name"),
    "scp": ("scp", "spinal column point", "spinal point", "spine point", "point"),
    "team": ("team", "team name", "department", "section", "service", "unit"),
    "funding": ("funding", "funding source", "cost centre", "cost center", "budget", "fund"),
    "start": ("start", "start date", "effective from", "date from", "established from"),
    "end": ("end", "end date", "temporary until", "date to", "contract end date",
            "fixed term end date", "end of temporary"),
    "status": ("status", "vacancy status", "post status", "filled vacant", "occupancy",
               "occupancy status", "position status", "occupied", "filled", "vacant",
               "vacant y n", "filled y n", "occupied y n"),
    "cost_per_fte": ("cost per fte", "cost per fte with on costs", "unit cost"),
    "salary": ("salary", "annual salary", "full time salary", "fte salary"),
    "salary_min": ("salary min", "minimum salary", "salary from", "pay range min"),
    "salary_max": ("salary max", "maximum salary", "salary to", "pay range max"),
    "reports_to": ("reports to", "line manager post", "manager post", "reports to post"),
    "increment_date": ("increment date", "incremental date"),
    "notes": ("notes", "note", "comments", "comment"),
    "unpriced": ("unpriced", "pay not priced"),
    "amount": ("amount", "payment amount"),
    "per": ("per", "payment per"),
    # one row per person (an HR export): the person in the post, see establishment.io.people
    "person": ("person", "person reference", "person ref", "person id", "person number",
               "employee number", "employee no", "employee id", "employee ref",
               "staff number", "staff no", "staff id", "payroll number", "payroll no",
               "assignment number", "assignment no"),
    "name": ("name", "employee name", "full name", "person name", "staff name"),
    "headcount": ("headcount", "head count", "planned headcount", "number of people"),
    "hours": ("hours", "contracted hours", "weekly hours", "hours per week", "contract hours",
              "working hours"),
    "person_fte": ("person fte", "employee fte", "contract fte", "contracted fte",
                   "assignment fte", "actual fte", "fte in post", "staff fte"),
    "person_scp": ("person scp", "employee scp", "actual scp", "own scp", "personal scp",
                   "current scp", "staff scp"),
    "contract": ("contract", "contract type", "employment type", "assignment type",
                 "assignment category", "appointment type"),
    "person_start": ("person start", "assignment start", "assignment start date",
                     "contract start", "contract start date", "appointment date"),
    "person_end": ("person end", "assignment end", "assignment end date"),
}


def normalise_header(name: str) -> str:
    """``"Post Title "`` -> ``"post title"``; ``"Cost_Centre"`` -> ``"cost centre"``."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(name).lower()).split())


LOOKUP = {normalise_header(alias): field for field, names in ALIASES.items() for alias in names}


@frozen
class ColumnMap:
    """Which header (by position) feeds which field, and what was left over."""

    fields: dict[int, str]          # column index -> field
    headers: tuple[str, ...]        # the headers as written
    ignored: tuple[str, ...]        # headers that match no field
    problems: tuple[tuple[int, str], ...]  # (column index, message)

    def header_of(self, field: str) -> str:
        for index, name in self.fields.items():
            if name == field:
                return self.headers[index]
        return field

    @property
    def present(self) -> set[str]:
        return set(self.fields.values())


def map_columns(headers: Sequence[object], mapping: Mapping[str, str] | None = None
                ) -> ColumnMap:
    """Match ``headers`` to post fields (explicit ``mapping`` first, then aliases)."""
    explicit = {normalise_header(k): v for k, v in (mapping or {}).items()}
    problems: list[tuple[int, str]] = []
    for header, field in (mapping or {}).items():
        if field not in FIELDS:
            problems.append((-1, f"column mapping {header!r} -> {field!r}: unknown field; "
                                 f"expected one of {', '.join(FIELDS)}"))
    texts = tuple("" if h is None else str(h).strip() for h in headers)
    fields: dict[int, str] = {}
    ignored: list[str] = []
    first: dict[str, int] = {}
    for index, header in enumerate(texts):
        key = normalise_header(header)
        field = explicit.get(key) or LOOKUP.get(key)
        if field is None or field not in FIELDS:
            if header:
                ignored.append(header)
            continue
        if field in first:
            problems.append((index, f"column {header!r} and column "
                                    f"{texts[first[field]]!r} both give {field!r}; keep one "
                                    "or map one explicitly"))
            continue
        first[field] = index
        fields[index] = field
    if "person" not in first:  # a file of posts: a person's columns say nothing about posts
        for index in [i for i, f in fields.items() if f in PERSON_ONLY]:
            ignored.append(texts[index])
            del fields[index]
    return ColumnMap(fields, texts, tuple(ignored), tuple(problems))

"""Column mapping: the headers HR exports use, mapped to the fields of a post.

HR systems name their columns differently ("Post Title", "FTE", "Grade", "SCP", "End Date",
"Cost Centre"). A header is matched case-, space- and punctuation-insensitively against the
aliases below; an explicit mapping (``{"Job Ref": "reference"}``) wins over them. "Cost Centre"
maps to ``funding`` (the budget a post is charged to); map it to ``team`` explicitly when your
export uses cost centres for teams. Columns that match no field are ignored and listed in the
load counts, so nothing is dropped unseen.

What each column became is said, never guessed in silence: :meth:`ColumnMap.shown` gives every
header with its field and how it was chosen (``exact``: the header is the field's name;
``map``: the column map says so; ``guess``: the header is one of the aliases below;
``ignored``), which ``--show-mapping`` prints, and :func:`guess_note` is the one note a
reader gives when any column was mapped by a guess. ``"Header" = "ignore"`` in a column map
(``--ignore-column HEADER``) leaves a column unread. A salary column beside a grade and an
scp column is a conflict the map must settle (:func:`pay_conflict`). Only headers and field
names are ever shown, never a cell.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import attrs
from attrs import frozen

from establishment.model.post import PAYMENT_FIELDS, POST_FIELDS

# fields read only from a file with one row per person (a ``person`` column); in a file of
# posts ``hours`` is the post's contracted hours a week (its fte is hours / full-time hours)
PERSON_ONLY = ("name", "person_fte", "person_scp", "contract", "person_start", "person_end",
               "as_at")  # as_at: the day a people export was taken (the same on every row)
# every field a column can become: the records' own fields (from the records, once), the
# line's kind, and a person's
FIELDS = tuple(dict.fromkeys(("kind", *POST_FIELDS, *PAYMENT_FIELDS, "person", "hours",
                              *PERSON_ONLY)))
IGNORE = "ignore"  # a column map's word for a column to leave unread
# how a column's field was chosen (ColumnMap.how)
EXACT, MAP, GUESS = "exact", "map", "guess"

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
    "as_at": ("as at", "as at date", "data as at", "report date", "extract date",
              "snapshot date", "run date"),
}


def normalise_header(name: str) -> str:
    """``"Post Title "`` -> ``"post title"``; ``"Cost_Centre"`` -> ``"cost centre"``."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(name).lower()).split())


LOOKUP = {normalise_header(alias): field for field, names in ALIASES.items() for alias in names}


@frozen
class ColumnMap:
    """Which header (by position) feeds which field, and what was left over. ``how`` says
    how each mapped column's field was chosen (``exact``, ``map`` or ``guess``) and why each
    unmapped column was left (``ignored by the map``, ``no field``, ``a person's column in a
    file of posts``)."""

    fields: dict[int, str]          # column index -> field
    headers: tuple[str, ...]        # the headers as written
    ignored: tuple[str, ...]        # headers that match no field
    problems: tuple[tuple[int, str], ...]  # (column index, message)
    how: dict[int, str] = attrs.field(factory=dict)  # column index -> how it was chosen

    def header_of(self, field: str) -> str:
        for index, name in self.fields.items():
            if name == field:
                return self.headers[index]
        return field

    @property
    def present(self) -> set[str]:
        return set(self.fields.values())

    def shown(self) -> tuple[tuple[str, str, str], ...]:
        """Every non-empty header, in order, as (header, field or "", how)."""
        return tuple((header, self.fields.get(index, ""), self.how.get(index, "no field"))
                     for index, header in enumerate(self.headers) if header)

    def guessed(self) -> list[tuple[str, str]]:
        """(header, field) of the columns mapped by a guess (an alias, not the field's name
        nor the column map)."""
        return [(self.headers[i], f) for i, f in self.fields.items() if self.how.get(i) == GUESS]


def guess_note(cmap: ColumnMap, where: str) -> str | None:
    """The one note saying which columns were mapped by a guess (headers and fields only)."""
    guessed = cmap.guessed()
    if not guessed:
        return None
    pairs = ", ".join(f"{header!r} -> {field}" for header, field in guessed)
    return (f"{where}: {len(guessed)} column(s) mapped by their header's likeness to a field: "
            f"{pairs} (--show-mapping lists every column; a column map states them)")


def pay_conflict(cmap: ColumnMap) -> str | None:
    """A salary column beside a grade and an scp column gives a post's pay twice (a salary
    wins over the spine, so an export of pro-rata salaries would be prorated twice): the
    user says which wins, by mapping the salary column in the column map (``"salary"``: the
    salary; ``"ignore"``: the grade and scp). A file whose every header is exactly a field's
    name (the library's own layout) says what each column is already."""
    present = cmap.present
    if not {"salary", "grade", "scp"} <= present:
        return None
    index = next(i for i, f in cmap.fields.items() if f == "salary")
    own_layout = all(cmap.how.get(i) == EXACT for i, h in enumerate(cmap.headers) if h)
    if cmap.how.get(index) == MAP or own_layout:
        return None
    salary, grade, scp = (cmap.header_of(f) for f in ("salary", "grade", "scp"))
    return (f"column {salary!r} (a salary) and columns {grade!r} and {scp!r} (a grade and "
            f"point) both give each post's pay: say which wins in the column map, "
            f"'\"{salary}\" = \"ignore\"' (the grade and point) or "
            f"'\"{salary}\" = \"salary\"' (the salary)")


def map_columns(headers: Sequence[object], mapping: Mapping[str, str] | None = None
                ) -> ColumnMap:
    """Match ``headers`` to post fields (explicit ``mapping`` first, then aliases; a mapping
    to ``"ignore"`` leaves the column unread)."""
    explicit = {normalise_header(k): v for k, v in (mapping or {}).items()}
    problems: list[tuple[int, str]] = []
    for header, field in (mapping or {}).items():
        if field not in FIELDS and field != IGNORE:
            problems.append((-1, f"column mapping {header!r} -> {field!r}: unknown field; "
                                 f"expected one of {', '.join(FIELDS)} or {IGNORE!r}"))
    texts = tuple("" if h is None else str(h).strip() for h in headers)
    fields: dict[int, str] = {}
    how: dict[int, str] = {}
    ignored: list[str] = []
    first: dict[str, int] = {}
    for index, header in enumerate(texts):
        key = normalise_header(header)
        field = explicit.get(key) or LOOKUP.get(key)
        if field == IGNORE or field is None or field not in FIELDS:
            how[index] = "ignored by the column map" if field == IGNORE else "no field"
            if header:
                ignored.append(header)
            continue
        if field in first:
            problems.append((index, f"column {header!r} and column "
                                    f"{texts[first[field]]!r} both give {field!r}; keep one "
                                    "or map one explicitly"))
            how[index] = f"also {field}: a problem"
            continue
        first[field] = index
        fields[index] = field
        how[index] = MAP if key in explicit else (
            EXACT if key == normalise_header(field) else GUESS)
    if "person" not in first:  # a file of posts: a person's columns say nothing about posts
        for index in [i for i, f in fields.items() if f in PERSON_ONLY]:
            ignored.append(texts[index])
            how[index] = f"ignored: {fields[index]} is a person's, and the file has no person"
            del fields[index]
    return ColumnMap(fields, texts, tuple(ignored), tuple(problems), how)

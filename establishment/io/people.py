"""HR exports with one row per person: posts plus the people in them (assignments).

An HR system exports people: each row names a person (``person`` column: an employee or
assignment number) and the post they are in. Rows that share a post reference are one post
(a job share). Such an export gives the person's point, dates and fte in the columns a file
of posts uses for the post's, so:

- **Person rows read as people.** A post field with a person counterpart (scp, start, end,
  fte: :data:`COUNTERPARTS`) whose column differs between the rows of one post, and whose
  counterpart has no column of its own, is read as each person's throughout the file (in a
  row naming a person; a row naming no one is a vacant post and keeps it), with one note
  naming the columns (:func:`personal_fields`). A post then has no scp (it is costed at the
  basis's point for a post without one) and no dates of those columns; with a personal fte
  column its fte is the sum of its people's.
- An acting-up or seconded-out row's dates are the arrangement's, never the post's: an
  acting-up from October does not make the post start in October.
- A post field still differing after that is a located "duplicate reference" problem naming
  the field. A row with no person is a vacant post.

- The post fte column (if any) must agree across the rows of one reference; a person's own
  fte or hours is a separate column (``person_fte``, ``hours``). With no post fte column a
  post's fte is the sum of its people's fte, or its hours the sum of their hours (the
  engine finds the exact fte with the basis's full-time hours: nothing here assumes 37), and
  a note says so.
- A person's point (``person_scp``) defaults to the post's; a contract word (``Temp``,
  ``Fixed Term``, ``Acting``, ``Secondment``) in a contract or status column gives the
  assignment's kind; a fixed-term person ends with their own end date, else the post's.
- A row whose status says vacant but names a person, or the same person twice in one post,
  is a located problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from establishment.errors import Problem, ValidationError
from establishment.io.columns import ColumnMap
from establishment.model.assignment import Assignment
from establishment.model.post import Post

# what a job share's rows must agree on: everything about the post, not the person
POST_KEYS = ("title", "grade", "scp", "team", "funding", "start", "end", "cost_per_fte",
             "salary", "salary_min", "salary_max", "reports_to", "increment_date")
# a post field and the person's field its cell stands for when it is read as the person's
COUNTERPARTS = {"scp": "person_scp", "start": "person_start", "end": "person_end",
                "fte": "person_fte"}
# kinds of assignment whose row's dates are the arrangement's, not the post's
ARRANGEMENTS = ("acting", "secondment-out")


def person_share(extras: dict[str, Any]) -> dict[str, Decimal] | None:
    """What a person's row gives towards their post's size: ``{"fte": ...}`` (their own fte)
    or ``{"hours": ...}`` (their hours, exact: the engine turns them into fte with the
    basis's full-time hours), else None."""
    if extras.get("person_fte") is not None:
        return {"fte": extras["person_fte"]}
    if extras.get("hours") is not None:
        return {"hours": extras["hours"]}
    return None


def _shown(value: Any) -> str:
    if isinstance(value, tuple):
        return "; ".join(str(v) for v in value) or "(none)"
    return "(empty)" if value in (None, "") else str(value)


def _disagreement(first: Post, post: Post, cmap: ColumnMap, personal: Collection[str]
                  ) -> tuple[str, str] | None:
    """The first post field two rows of one reference disagree on: (column, message)."""
    keys = POST_KEYS + (("fte",) if "fte" in cmap.present else ())
    for key in (k for k in keys if k not in personal):
        mine, theirs = getattr(post, key), getattr(first, key)
        if mine != theirs:
            return cmap.header_of(key), (f"{key} {_shown(mine)!r} here, {_shown(theirs)!r} "
                                         "there")
    return None


class _Posts:
    """The posts of the export by reference, as rows arrive (first row wins)."""

    def __init__(self, cmap: ColumnMap, where: str, problems: list[Problem],
                 personal: Collection[str]) -> None:
        self.cmap, self.where, self.problems, self.personal = cmap, where, problems, personal
        self.first: dict[str, tuple[int, Post]] = {}
        self.rows: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self.unreferenced: list[tuple[int, Post]] = []
        self.order: list[str] = []

    def add(self, line: int, post: Post, extras: dict[str, Any]) -> None:
        reference = post.reference
        if not reference:
            if extras.get("person"):
                self.problems.append(Problem(self.where, line, f"person "
                                             f"{extras['person']!r} is in a post with no "
                                             "reference: give the post's reference",
                                             self.cmap.header_of("reference")))
            else:
                self.unreferenced.append((line, post))
            return
        if reference not in self.first:
            self.first[reference] = (line, post)
            self.rows[reference] = []
            self.order.append(reference)
        else:
            first_line, first = self.first[reference]
            clash = _disagreement(first, post, self.cmap, self.personal) if extras.get(
                "person") and any(
                e.get("person") for _, e in self.rows[reference]) else ("", "")
            if clash is not None:
                column, detail = clash
                why = f": {detail}; a job share's rows must agree on the post" if detail \
                    else " (a job share is two people in one post)"
                self.problems.append(Problem(self.where, line, f"duplicate reference "
                                             f"{reference!r} (first at line {first_line})"
                                             f"{why}", column or
                                             self.cmap.header_of("reference")))
                return
        self.rows[reference].append((line, extras))


def _assignment(reference: str, line: int, extras: dict[str, Any], post: Post, alone: bool,
                where: str, cmap: ColumnMap, problems: list[Problem]) -> Assignment | None:
    kind = extras.get("contract") or "substantive"
    fte = extras.get("person_fte")
    if fte is None and extras.get("hours") is None:
        if not alone:
            problems.append(Problem(where, line, f"person {extras['person']!r} shares post "
                                    f"{reference!r}: give each person's fte or hours",
                                    cmap.header_of("person")))
            return None
        fte = post.fte
    end = extras.get("person_end") or (post.end if kind == "fixed-term" else None)
    try:
        return Assignment(post=reference, person=extras["person"], fte=fte,
                          hours=extras.get("hours"), scp=extras.get("person_scp"),
                          start=extras.get("person_start"), end=end, kind=kind,
                          name=extras.get("name", ""))
    except ValidationError as err:
        header = {"kind": "contract", "scp": "person_scp", "fte": "person_fte",
                  "end": "person_end", "start": "person_start"}.get(err.field, err.field)
        problems.append(Problem(where, line, f"expected {err.field} {err.expected}, found "
                                f"{err.found}", cmap.header_of(header)))
    return None


def people_of(reference: str, rows: list[tuple[int, dict[str, Any]]], post: Post,
              where: str, cmap: ColumnMap, problems: list[Problem]) -> list[Assignment]:
    """The assignments of the person rows ``rows`` (``(line, cells)``: person fields) of
    post ``reference``; a row's problems located at ``where``, its line and column."""
    named = [(line, e) for line, e in rows if e.get("person")]
    found, seen = [], {}
    for line, extras in rows:
        person = extras.get("person")
        status = extras.get("status")
        if person and status == "vacant":
            problems.append(Problem(where, line, f"status says vacant but the row names "
                                    f"person {person!r}", cmap.header_of("status")))
        elif not person and status == "filled" and not named:
            problems.append(Problem(where, line, f"status says filled but post {reference!r} "
                                    "names no person", cmap.header_of("person")))
        if not person:
            continue
        if person in seen:
            problems.append(Problem(where, line, f"person {person!r} is in post {reference!r} "
                                    f"twice (first at line {seen[person]})",
                                    cmap.header_of("person")))
            continue
        seen[person] = line
        made = _assignment(reference, line, extras, post, len(named) == 1, where, cmap,
                           problems)
        if made is not None:
            found.append(made)
    return found


def _post_of_people(post: Post, rows: list[tuple[int, dict[str, Any]]], line: int,
                    where: str, cmap: ColumnMap, problems: list[Problem]) -> Post:
    """With no post fte column, a post is the sum of its people: their fte, or their hours
    (exact, for the engine to resolve). People some in fte and some in hours cannot be
    added up without the full-time hours, which are pay data: a located problem."""
    shares = [share for _, e in rows if (share := person_share(e)) is not None]
    if not shares:
        return post
    kinds = {next(iter(share)) for share in shares}
    if len(kinds) > 1:
        problems.append(Problem(where, line, f"post {post.reference!r} has people in fte and "
                                "people in hours and no post fte column: give every person "
                                "of one post the same one, or add the post's fte",
                                cmap.header_of("hours")))
        return post
    kind = kinds.pop()
    total = sum((share[kind] for share in shares), Decimal(0))
    return post.evolve(fte=total, hours=None) if kind == "fte" else post.evolve(
        fte=None, hours=total)


def personal_fields(person_rows: list[tuple[int, Post, dict[str, Any]]], cmap: ColumnMap
                    ) -> dict[str, str]:
    """The post fields read as each person's (see the module's docstring): field -> the
    first post whose rows naming people differ on it."""
    candidates = [key for key, theirs in COUNTERPARTS.items()
                  if key in cmap.present and theirs not in cmap.present]
    first: dict[str, Post] = {}
    found: dict[str, str] = {}
    for _, post, extras in person_rows:
        if not extras.get("person") or not post.reference:
            continue
        seen = first.setdefault(post.reference, post)
        for key in candidates:
            if key not in found and getattr(post, key) != getattr(seen, key):
                found[key] = post.reference
    return found


def _as_persons(post: Post, extras: dict[str, Any], keys: Collection[str]) -> Post:
    """A person's row with the cells of ``keys`` moved from its post to the person (a
    person's own column, when the file has one, wins). A post's fte stays until its people
    are summed."""
    changes = {}
    for key in keys:
        value, theirs = getattr(post, key), COUNTERPARTS[key]
        if value is not None and extras.get(theirs) is None:
            extras[theirs] = value
        if key != "fte" and value is not None:
            changes[key] = None
    return post.evolve(**changes) if changes else post


def _personal_note(found: dict[str, str], cmap: ColumnMap, where: str) -> str:
    columns = ", ".join(f"{cmap.header_of(key)!r} ({COUNTERPARTS[key]})" for key in found)
    first = ", ".join(f"{cmap.header_of(key)!r} at post {ref!r}" for key, ref in found.items())
    return (f"{where}: read as each person's own, as they differ between the rows of one post "
            f"(first: {first}): {columns}; a row naming no one keeps them for its post, and a "
            "post with people has no point or dates of these columns (its fte, if the fte "
            "column is one, is the sum of its people's)")


def _people_first(person_rows: list[tuple[int, Post, dict[str, Any]]], cmap: ColumnMap,
                  where: str, notes: list[str]
                  ) -> tuple[list[tuple[int, Post, dict[str, Any]]], set[str]]:
    """The rows with each person's cells theirs: an acting-up or seconded-out row's dates,
    and every column :func:`personal_fields` finds (with one note)."""
    dated = [key for key in ("start", "end") if key in cmap.present]
    rows = [(line, _as_persons(post, extras, dated)
             if extras.get("contract") in ARRANGEMENTS else post, extras)
            for line, post, extras in person_rows]
    found = personal_fields(rows, cmap)
    if not found:
        return rows, set()
    notes.append(_personal_note(found, cmap, where))
    return [(line, _as_persons(post, extras, found) if extras.get("person") else post, extras)
            for line, post, extras in rows], set(found)


def export_date(rows: list[tuple[int, dict[str, Any]]], where: str, cmap: ColumnMap,
                problems: list[Problem]) -> dt.date | None:
    """The day a people export was taken (its ``as_at`` column), the same on every row
    that gives one: a row giving another day is a located problem."""
    first: tuple[int, dt.date] | None = None
    for line, extras in rows:
        day = extras.get("as_at")
        if day is None:
            continue
        if first is None:
            first = (line, day)
        elif day != first[1]:
            problems.append(Problem(where, line, f"the export's date is {first[1].isoformat()}"
                                    f" at line {first[0]} and {day.isoformat()} here: one "
                                    "export is taken on one day", cmap.header_of("as_at")))
    return None if first is None else first[1]


def posts_and_people(person_rows: list[tuple[int, Post, dict[str, Any]]], cmap: ColumnMap,
                     where: str, problems: list[Problem], notes: list[str]
                     ) -> tuple[list[tuple[int, Post]], list[Assignment]]:
    """The posts (one per reference, located on its first row) and assignments of the rows
    of a one-row-per-person export; problems appended to ``problems``, notes to ``notes``."""
    person_rows, personal = _people_first(person_rows, cmap, where, notes)
    table = _Posts(cmap, where, problems, personal)
    for line, post, extras in person_rows:
        status = post.status if "status" in cmap.present else None
        table.add(line, post, {**extras, "status": status})
    posts: list[tuple[int, Post]] = []
    assignments: list[Assignment] = []
    summed = "fte" not in cmap.present or "fte" in personal
    for reference in table.order:
        line, post = table.first[reference]
        rows = table.rows[reference]
        if summed:
            post = _post_of_people(post, rows, line, where, cmap, problems)
        people = people_of(reference, rows, post, where, cmap, problems)
        status = "filled" if people else "vacant"
        posts.append((line, post.evolve(status=status) if post.status != status else post))
        assignments.extend(people)
    if "fte" not in cmap.present and table.order:
        notes.append(f"{where}: no post fte column: each post's fte is the sum of its "
                     f"people's fte or hours ({len(table.order)} posts)")
    posts.extend(table.unreferenced)
    rank = {line: index for index, (line, _, _) in enumerate(person_rows)}
    posts.sort(key=lambda item: rank[item[0]])  # the file's order (lines may be labels)
    return posts, assignments

"""Staff in post from two exports: the positions (the posts) and the people in them.

HR systems often export the establishment (one row per position) and the staff in post (one
row per person, naming their position) apart. :func:`read_staffing` reads the positions file
as any structure file (posts only: people there belong in the people file) and the people file
row by row, and joins them on the post reference, as a one-row-per-person export is read
(:mod:`establishment.io.people`):

- In the people file the columns a file of posts uses for a post's own point, dates and fte
  (``SCP``, ``Start Date``, ``End Date``, ``FTE``) are the person's (``person_scp``...). A
  post's fields (title, grade, team...) are not read from it: the positions file gives the
  post, and ``--show-mapping`` says so.
- A person in a post the positions file does not have, a row with no post or no person, and
  the same person twice in one post are located problems in the people file; a post repeated
  in the positions file is the positions reader's located duplicate reference.
- A post with people is filled, one without is vacant; a person with neither fte nor hours
  alone in a post has the post's fte.

The same people in one export or in two give the same structure, so the same ``staffing``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from establishment.errors import Problem
from establishment.io.columns import ColumnMap, guess_note, map_columns
from establishment.io.csv_file import csv_rows, decode
from establishment.io.people import COUNTERPARTS, export_date, people_of
from establishment.io.tabular import (
    BadCell,
    CountedLoadError,
    LoadCounts,
    Loaded,
    blank_row,
    convert_cell,
)
from establishment.io.xlsx_file import sheet_rows
from establishment.model.structure import Structure

# what a people file gives: the post it names and the person's own fields
STAFF_FIELDS = ("reference", "person", "name", "hours", "contract", "as_at",
                *COUNTERPARTS.values())
NOT_READ = "not read: a post's field (the positions file gives the post)"


@attrs.frozen
class StaffRows:
    """The rows of a people file: ``(line, post reference, person fields)`` each, its
    column map and counts (with ``mapping`` for ``--show-mapping``), its notes, and the
    problems of its rows (reported with the join's, all at once)."""

    rows: tuple[tuple[int, str, dict[str, Any]], ...]
    cmap: ColumnMap
    counts: LoadCounts
    notes: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()


def staff_columns(header: list[Any], mapping: Mapping[str, str] | None = None) -> ColumnMap:
    """A people file's columns: as any export's (:func:`map_columns`), with a post's point,
    dates and fte read as the person's, and a post's other fields not read."""
    cmap = map_columns(header, mapping)
    fields, how = dict(cmap.fields), dict(cmap.how)
    present = set(fields.values())
    for index, field in cmap.fields.items():
        if field in COUNTERPARTS and COUNTERPARTS[field] not in present:
            fields[index] = COUNTERPARTS[field]
        elif field not in STAFF_FIELDS:
            del fields[index]
            how[index] = NOT_READ
    ignored = tuple(h for i, h in enumerate(cmap.headers) if h and i not in fields)
    return ColumnMap(fields, cmap.headers, ignored, cmap.problems, how)


def _table_rows(data: bytes, fmt: str, where: str, encoding: str | None,
                errors: list[Problem]) -> tuple[Iterable[tuple[int, list[Any]]], str | None]:
    """The rows of a CSV or XLSX file and the note on its encoding (CSV only)."""
    if fmt == "xlsx":
        return sheet_rows(data, where, errors), None
    if fmt != "csv":
        raise CountedLoadError([Problem(where, None, f"a people file must be CSV or XLSX, not "
                                        f"{fmt}")], LoadCounts(problems=1))
    decoded = decode(data, where, encoding)
    return csv_rows(decoded.text, where, errors), decoded.note


def _row(cmap: ColumnMap, cells: list[Any], line: int, where: str, dayfirst: bool | None,
         problems: list[Problem]) -> tuple[str, dict[str, Any]] | None:
    """One person row: (post reference, person fields), or None with its problems added."""
    found: dict[str, Any] = {}
    bad = False
    for index, field in cmap.fields.items():
        try:
            value = convert_cell(field, cells[index] if index < len(cells) else None, dayfirst)
        except BadCell as err:
            problems.append(Problem(where, line, str(err), cmap.headers[index]))
            bad = True
            continue
        if value is not None:
            found[field] = value
    reference = found.pop("reference", "")
    for field, what, given in (("reference", "the reference of the person's post",
                                reference), ("person", "the person", found.get("person"))):
        if not given:
            problems.append(Problem(where, line, f"expected {what}, found an empty cell",
                                    cmap.header_of(field)))
            bad = True
    return None if bad else (reference, found)


def read_staff_rows(data: bytes, fmt: str, where: str, *,
                    columns: Mapping[str, str] | None = None, dayfirst: bool | None = True,
                    encoding: str | None = None) -> StaffRows:
    """The people of a people file (CSV or XLSX bytes) with the problems of its rows (a bad
    cell, a row with no post or person: each located); a header that cannot be read (no post
    or person column) is a :class:`CountedLoadError` at once."""
    errors: list[Problem] = []
    rows, note = _table_rows(data, fmt, where, encoding, errors)
    iterator = iter(rows)
    header_line, header = next(((line, cells) for line, cells in iterator
                                if any(c not in (None, "") for c in cells)), (None, None))
    if header is None or header_line is None:
        raise CountedLoadError([Problem(where, None, "is empty: expected a header row (the "
                                        "post reference, the person...) and people")],
                               LoadCounts(problems=1))
    cmap = staff_columns(header, columns)
    problems = [Problem(where, header_line if i >= 0 else None, m,
                        cmap.headers[i] if i >= 0 else None) for i, m in cmap.problems]
    for field in ("reference", "person"):
        if field not in cmap.present:
            problems.append(Problem(where, header_line, f"missing required column {field!r} "
                                    "(a people file names each person and their post)", field))
    found, count = [], 0
    for line, cells in (() if problems else iterator):
        if blank_row(cells):
            continue
        count += 1
        row = _row(cmap, cells, line, where, dayfirst, problems)
        if row is not None:
            found.append((line, *row))
    counts = LoadCounts(rows=count, error_rows=len({p.line for p in problems + errors}),
                        problems=len(problems + errors), ignored_columns=cmap.ignored,
                        mapping=cmap.shown())
    if problems and not count:  # the header's
        raise CountedLoadError(problems + errors, counts)
    notes = tuple(n for n in (guess_note(cmap, where), note) if n)
    return StaffRows(tuple(found), cmap, counts, notes, tuple(problems + errors))


def join_staff(positions: Loaded, staff: StaffRows, where: str) -> Loaded:
    """The positions' posts with the people of ``staff`` (read from ``where``) in them: a
    post with people filled, one without vacant; every problem located at once."""
    structure = positions.structure
    if structure.assignments:
        raise CountedLoadError([Problem(positions.path, None, "the positions file names "
                                        "people: give posts only, and the people in the "
                                        "people file", "person")], LoadCounts(problems=1))
    known = {post.reference for post in structure.posts if post.reference}
    problems: list[Problem] = list(staff.problems)
    by_post: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for line, reference, person in staff.rows:
        if reference in known:
            by_post[reference].append((line, person))
        else:
            problems.append(Problem(where, line, f"post {reference!r} is not in "
                                    f"{positions.path}: a person must be in one of its "
                                    "positions", staff.cmap.header_of("reference")))
    posts, assignments = [], []
    for post in structure.posts:
        people = people_of(post.reference, by_post.get(post.reference, []), post, where,
                           staff.cmap, problems) if post.reference else []
        status = "filled" if people else "vacant"
        posts.append(post.evolve(status=status) if post.status != status else post)
        assignments.extend(people)
    as_at = export_date([(line, person) for line, _, person in staff.rows], where, staff.cmap,
                        problems)
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise CountedLoadError(problems, attrs.evolve(staff.counts, problems=len(problems)))
    joined = Structure(structure.name, posts, structure.payments, assignments=assignments)
    return attrs.evolve(positions, structure=joined, notes=(*positions.notes, *staff.notes),
                        as_at=as_at or positions.as_at)


def read_staffing(positions: str | Path, staff: str | Path, *,
                  columns: Mapping[str, str] | None = None, dayfirst: bool | None = True,
                  encoding: str | None = None, basis: Any = None) -> Loaded:
    """Posts from the ``positions`` file and the people in them from the ``staff`` file,
    joined on the post reference (see the module's docstring): the same structure as one
    export with a row per person."""
    from establishment.io import input_format, read_bytes, read_structure

    loaded = read_structure(positions, columns=columns, dayfirst=dayfirst, encoding=encoding,
                            basis=basis)
    rows = read_staff_rows(read_bytes(staff), input_format(staff), str(staff),
                           columns=columns, dayfirst=dayfirst, encoding=encoding)
    return join_staff(loaded, rows, str(staff))

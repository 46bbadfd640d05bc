"""Structure files in TOML: the hand-written format.

```toml
name = "Short breaks temporary posts"

[basis]                      # optional defaults for `establishment cost`
employer = "nottinghamshire"
pay_year = "2018/19"
point = "actual"             # actual | top | bottom
rule = "council-2018"

[[post]]
reference = "RO"
title = "Reviewing Officer"
fte = 2                      # 1.5 is read exactly (never as a binary float)
grade = "Hay Band A"
scp = 34
team = "ICDS"
funding = "Contingency"      # or { Core = 60, Grant = 40 }
start = 2018-07-01
end = 2019-03-31             # temporary until; leave out for a permanent post

[[payment]]
title = "Honorarium"
amount = 3161
per = "total"                # "year" (annual, prorated) or "total" (a sum over start-end)
start = 2018-07-01
end = 2019-03-31
```

Loading reads floats as Decimal (``parse_float=Decimal``), so ``fte = 1.5`` is exact, and
collects every problem (``file:line: message``) before failing. ``tomllib`` reads the values,
once; :func:`establishment.io.toml_layout.scan` finds where each table starts, and every
record keeps that place as its ``source`` (a :class:`~establishment.errors.Location`, not part
of equality).
"""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli_w
from attrs import frozen

from establishment.errors import EstablishmentError, LoadError, Location, Problem, ValidationError
from establishment.io.atomic import atomic_write
from establishment.io.toml_layout import TomlLayout, scan
from establishment.io.words import read_contract, read_status
from establishment.model.assignment import Assignment
from establishment.model.parse import date_out_of_range
from establishment.model.pay_basis import BASIS_FIELDS, PayBasis
from establishment.model.post import PAYMENT_FIELDS, POST_FIELDS, Payment, Post
from establishment.model.structure import Structure
from establishment.model.validation import check_fields

POST_KEYS = set(POST_FIELDS)
PAYMENT_KEYS = set(PAYMENT_FIELDS)
BASIS_KEYS = {*BASIS_FIELDS, "label"}  # every field that changes a figure, and a label
ASSIGNMENT_KEYS = {"post", "person", "name", "fte", "hours", "scp", "start", "end", "kind",
                   "recharge"}
TOP_KEYS = {"name", "description", "basis", "post", "payment", "assignment"}


@frozen
class StructureFile:
    """A loaded structure file: the structure and the basis defaults it names (if any)."""

    structure: Structure
    basis: PayBasis | None
    path: str


@frozen
class TomlRead:
    """A structure file's text read once: the values (``data``), where its tables start
    (``layout``), the structure and basis they make, and every problem found (the structure
    holds only the sound records when there are problems)."""

    data: dict[str, Any]
    layout: TomlLayout
    structure: Structure
    basis: PayBasis | None
    problems: list[Problem]


def _unknown_fields(table: dict, keys: set[str], label: str, where: str, line: int | None,
                    problems: list[Problem]) -> bool:
    """Report every key of ``table`` not in ``keys``; True when there were any."""
    unknown = sorted(set(table) - keys)
    for key in unknown:
        problems.append(Problem(where, line, f"{label}: unknown field {key!r}; expected some "
                                f"of {', '.join(sorted(keys))}", key))
    return bool(unknown)


TEXT_KEYS = ("reference", "title", "grade", "team", "status", "per", "reports_to", "notes",
             "unpriced", "post", "person", "name", "kind")
BASIS_TEXT_KEYS = ("employer", "point", "rule", "range_point", "label", "round_to", "ni_basis")


def not_text(table: dict, keys: tuple[str, ...], label: str, where: str, line: int | None
             ) -> list[Problem]:
    """A text field holding any other TOML value is a problem, never the value's text:
    ``reference = 0x1F`` would become "31", ``title = 1e2`` "1E+2", ``team = true`` "True",
    ``title = [1, 2]`` "[1, 2]", and ``1_000``, ``inf``, ``nan`` or a date likewise. The
    message says what TOML read, so the user can put the text they meant in quotes."""
    return [Problem(where, line, f"{label}: {key!r} must be text in quotes (got a TOML "
                    f"{toml_type(table[key])}){_read_as(table[key])}", key)
            for key in keys if key in table and not isinstance(table[key], str)]


def _wrong_types(table: dict, label: str, where: str, line: int | None) -> list[Problem]:
    return not_text(table, TEXT_KEYS, label, where, line)


def toml_type(value: Any) -> str:
    """The TOML name of a parsed value's type (as the TOML specification words it)."""
    kinds = ((bool, "boolean"), (list, "array"), (dict, "table"), (int, "integer"),
             (Decimal, "float"), (float, "float"), (dt.datetime, "date-time"),
             (dt.date, "date"), (dt.time, "time"))
    return next((name for kind, name in kinds if isinstance(value, kind)), "value")


def _read_as(value: Any) -> str:
    """What a number or date was read as, when that is not how it looks in the file."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, float, dt.date,
                                                          dt.time)):
        return ""
    shown = value.isoformat() if isinstance(value, (dt.date, dt.time)) else str(value)
    return f", read as {shown}; write it as \"{shown}\" if that is the text you mean"


def _time_of_day(table: dict[str, Any]) -> list[str]:
    """The date fields holding a time of day (a post keeps only the day: a time would be
    dropped silently; CSV and XLSX say so too)."""
    return [key for key in ("start", "end", "increment_date")
            if isinstance(table.get(key), dt.time) or (
                isinstance(table.get(key), dt.datetime) and (
                    table[key].time() != dt.time(0) or table[key].tzinfo is not None))]


def _out_of_range(table: dict[str, Any]) -> list[str]:
    """The date fields holding a date outside the days the engine costs."""
    return [key for key in ("start", "end", "increment_date")
            if isinstance(table.get(key), dt.date) and date_out_of_range(table[key])]


def _missing(kind: type, table: dict[str, Any]) -> list[str]:
    required = {Post: ("title", "fte", "grade"), Payment: ("title", "amount"),
                Assignment: ("post", "person")}[kind]
    return [k for k in required
            if k not in table and not (k == "grade" and ("cost_per_fte" in table
                                                         or "salary" in table))
            and not (k == "fte" and kind is Post and ("hours" in table
                                                      or "annual_hours" in table))]


def _record(kind: type, table: Any, keys: set[str], source: Location,
            problems: list[Problem], label: str) -> Any:
    """The record a TOML table makes (its ``source`` the table's place), or None with every
    problem of every field reported (unknown and missing fields, unreadable values, and the
    record's own rules)."""
    where, line = source.file, source.line
    if not isinstance(table, dict):
        problems.append(Problem(where, line, f"{label} must be a table of fields"))
        return None
    bad = _unknown_fields(table, keys, label, where, line, problems)
    typos = {m for key in set(table) - keys for m in difflib.get_close_matches(key, keys, 1)}
    for key in _missing(kind, table):
        if key in typos:  # 'ftee' for 'fte': one mistake, reported once, as the unknown field
            continue
        problems.append(Problem(where, line, f"{label}: missing required field {key!r}", key))
        bad = True
    known = {k: v for k, v in table.items() if k in keys}
    for problem in _wrong_types(known, label, where, line):
        problems.append(problem)
        known.pop(problem.field)
        bad = True
    for key in _out_of_range(known):  # 9999-12-31 would overflow the pay year after it
        problems.append(Problem(where, line, f"{label}: {key!r}: "
                                f"{date_out_of_range(known.pop(key))}", key))
        bad = True
    for key in _time_of_day(known):
        problems.append(Problem(where, line, f"{label}: {key!r} must be a date such as "
                                f"2019-03-31 (got {known.pop(key).isoformat()!r}, which has "
                                "a time of day)", key))
        bad = True
    known, bad_dates = toml_words(known, kind is Post)
    for key, message in bad_dates:
        problems.append(Problem(where, line, f"{label}: {key!r} must be a date such as "
                                f"2019-03-31 or 31/03/2019; {message}", key))
        known.pop(key)
        bad = True
    values, failures = check_fields(kind, known)
    for err in failures:
        problems.append(Problem(where, line, f"{label}: {err.field!r} must be {err.expected} "
                                f"(got {err.found!r})", err.field))
    if bad or failures:
        return None
    try:
        # a post costed by cost_per_fte or salary has no grade: the file leaves it out
        return kind(**({"grade": "", **values} if kind is Post else values), source=source)
    except ValidationError as err:  # every field is validated by the record: nothing else
        problems.append(Problem(where, line, f"{label}: {err.field!r} must be {err.expected} "
                                f"(got {err.found!r})", err.field))
    return None


def toml_words(table: dict[str, Any], post: bool
               ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """A TOML table with the words and dates an HR officer writes read as CSV reads them:
    ``status = "Occupied"`` or ``"Vacant"`` (:mod:`establishment.io.words`), and dates
    written as text (``start = "01/07/2018"``, day first) as well as TOML dates."""
    from establishment.io.dates import DateError, parse_date

    table = dict(table)
    bad: list[tuple[str, str]] = []
    if post and isinstance(table.get("status"), str):
        table["status"], _ = read_status(table["status"])
    for key in ("start", "end", "increment_date"):
        if isinstance(table.get(key), str) and table[key].strip():
            try:
                table[key] = parse_date(table[key])
            except DateError as err:
                bad.append((key, str(err)))
    return table, bad


def load_toml(text: str, where: str, *, allow_empty: bool = False) -> dict[str, Any]:
    """Parsed TOML (floats as Decimal), or a located :class:`LoadError`: invalid TOML, values
    nested too deeply for the parser, integers too long for Python, and an empty structure
    file (as every format refuses it) included. A byte-order mark is read as nothing."""
    text = text.removeprefix("\ufeff")
    if not text.strip() and not allow_empty:
        raise LoadError([Problem(where, None, "is empty: expected a structure ([[post]] "
                                 "tables of title, fte, grade, ...)")])
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as err:
        raise LoadError([Problem(where, error_line(err), f"invalid TOML: {err}")]) from None
    except RecursionError:
        raise LoadError([Problem(where, None, "invalid TOML: arrays or tables nested too "
                                 "deeply to read")]) from None
    except ValueError as err:  # an integer over Python's 4,300 digits
        raise LoadError([Problem(where, None, f"invalid TOML: {' '.join(str(err).split())}")]
                        ) from None


def error_line(err: tomllib.TOMLDecodeError) -> int | None:
    """The line ``tomllib`` stopped at: its ``lineno`` (Python 3.14 on); before that the
    place is only in the message's last words, ``(at line 3, column 7)``."""
    line = getattr(err, "lineno", None)
    if isinstance(line, int):
        return line
    _, found, rest = str(err).rpartition("(at line ")
    number = rest.partition(",")[0]
    return int(number) if found and number.isdigit() else None


def read_structure_toml(text: str, where: str = "<string>") -> TomlRead:
    """Read TOML text once (invalid TOML is a LoadError) and make its structure, collecting
    every problem; the caller decides whether to raise."""
    data = load_toml(text, where)
    layout = scan(text)
    problems: list[Problem] = []
    for key in sorted(set(data) - TOP_KEYS):
        problems.append(Problem(where, layout.line(key), f"unknown top-level key {key!r}; "
                                f"expected some of {', '.join(sorted(TOP_KEYS))}", key))
    structure, basis = structure_from_data(data, layout, where, problems)
    problems.sort(key=lambda p: p.line or 0)
    return TomlRead(data, layout, structure, basis, problems)


def parse_structure_text(text: str, where: str = "<string>") -> StructureFile:
    """Parse TOML text into a structure (and basis defaults), collecting every problem."""
    read = read_structure_toml(text, where)
    if read.problems:
        raise LoadError(read.problems)
    return StructureFile(read.structure, read.basis, where)


def _place(layout: TomlLayout, key: str, where: str, index: int) -> Location:
    places = layout.places(key)
    line, column = places[index] if index < len(places) else (None, None)
    return Location(where, line, column)


def structure_from_data(data: dict[str, Any], layout: TomlLayout, where: str,
                        problems: list[Problem]) -> tuple[Structure, PayBasis | None]:
    """The structure (and ``[basis]`` defaults) held by parsed TOML ``data``.

    Every record's ``source`` is its own ``[[post]]`` (``[[payment]]``, ``[[assignment]]``)
    header in ``layout`` (:func:`establishment.io.toml_layout.scan` of the same text), and
    problems are appended to ``problems`` located there, so a file that embeds a structure
    (a scenario) reports them where they are; the caller decides when to raise. Top-level
    keys are the caller's to check.
    """
    posts, payments = [], []
    for kind, key, keys, out in ((Post, "post", POST_KEYS, posts),
                                 (Payment, "payment", PAYMENT_KEYS, payments)):
        entries = data.get(key, [])
        if not isinstance(entries, list):
            problems.append(Problem(where, None, f"{key!r} must be an array of tables "
                                    f"([[{key}]])", key))
            continue
        for index, table in enumerate(entries):
            record = _record(kind, table, keys, _place(layout, key, where, index), problems,
                             f"{key} {index + 1}")
            if record is not None:
                out.append(record)
    assignments = _assignments(data, layout, where, problems)
    _duplicates(data.get("post"), layout.lines("post"), where, problems)
    basis = None
    if "basis" in data:
        basis = _basis(data["basis"], where, layout.line("basis"), problems)
    references = {post.reference for post in posts if post.reference}
    known = []
    for assignment in assignments:
        if assignment.post in references:
            known.append(assignment)
        else:
            problems.append(Problem(where, assignment.source.line, f"assignment "
                                    f"{assignment.person}: no post with reference "
                                    f"{assignment.post!r}", "post"))
    try:
        structure = Structure(str(data.get("name", Path(where).stem)), posts, payments,
                              str(data.get("description", "")), known)
    except ValidationError as err:  # e.g. two payments sharing a reference
        problems.append(Problem(where, None, str(err), err.field))
        structure = Structure(str(data.get("name", Path(where).stem)))
    return structure, basis


def _assignments(data: dict[str, Any], layout: TomlLayout, where: str,
                 problems: list[Problem]) -> list[Assignment]:
    """The ``[[assignment]]`` tables (people in posts), located; contract words such as
    ``kind = "Temp"`` read as in CSV (:mod:`establishment.io.words`)."""
    entries = data.get("assignment", [])
    if not isinstance(entries, list):
        problems.append(Problem(where, None, "'assignment' must be an array of tables "
                                "([[assignment]])", "assignment"))
        return []
    found = []
    for index, table in enumerate(entries):
        if isinstance(table, dict) and isinstance(table.get("kind"), str):
            table = {**table, "kind": read_contract(table["kind"])}
        record = _record(Assignment, table, ASSIGNMENT_KEYS,
                         _place(layout, "assignment", where, index), problems,
                         f"assignment {index + 1}")
        if record is not None:
            found.append(record)
    return found


def _duplicates(tables: Any, lines: list[int], where: str, problems: list[Problem]) -> None:
    """A reference given to two posts, checked on the tables as written, so a post with other
    problems still has its duplicate reported in the same run."""
    seen: dict[str, int | None] = {}
    for index, table in enumerate(tables if isinstance(tables, list) else []):
        reference = table.get("reference") if isinstance(table, dict) else None
        if not isinstance(reference, str) or not reference.strip():
            continue
        line = lines[index] if index < len(lines) else None
        reference = reference.strip()
        if reference in seen:
            problems.append(Problem(where, line, f"duplicate reference {reference!r} "
                                    f"(first at line {seen[reference]})", "reference"))
        seen.setdefault(reference, line)


def _basis(table: Any, where: str, line: int | None, problems: list[Problem]
           ) -> PayBasis | None:
    if not isinstance(table, dict):
        problems.append(Problem(where, line, "'basis' must be a table"))
        return None
    if _unknown_fields(table, BASIS_KEYS, "basis", where, line, problems):
        return None
    wrong = not_text(table, BASIS_TEXT_KEYS, "basis", where, line)
    if wrong:
        problems.extend(wrong)
        return None
    try:
        return PayBasis.from_values(table)
    except ValidationError as err:
        problems.append(Problem(where, line, f"basis: {err.field!r} must be {err.expected} "
                                f"(got {err.found!r})", err.field))
    return None


def load_structure_file(path: str | Path) -> StructureFile:
    """Read a TOML structure file (whatever its name); unreadable files and every bad entry are
    a LoadError. One reader for all formats (:func:`establishment.io.load_structure_file`)
    so a missing file, a folder or a non-UTF-8 file reads the same everywhere."""
    from establishment.io import load_structure_file as load_any

    return load_any(path, fmt="toml")


def load_structure(path: str | Path) -> Structure:
    return load_structure_file(path).structure


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    return value




ASSIGNMENT_FIELDS = ("post", "person", "name", "fte", "hours", "scp", "start", "end", "kind",
                     "recharge")


def _table(record: Post | Payment | Assignment, fields: tuple[str, ...]) -> dict[str, Any]:
    """A record as a TOML table, leaving out empty fields and defaults so files stay short."""
    table: dict[str, Any] = {}
    for key in fields:
        value = getattr(record, key)
        if value in (None, "", ()) or (key == "status" and value == "filled") or (
                key == "kind" and value == "substantive"):
            continue
        if key == "funding":
            value = (value[0].source if len(value) == 1 else
                     {s.source: _plain(s.percent) for s in value})
        table[key] = _plain(value)
    return table


def post_table(post: Post) -> dict[str, Any]:
    return _table(post, POST_FIELDS)


def payment_table(payment: Payment) -> dict[str, Any]:
    return _table(payment, PAYMENT_FIELDS)


def structure_to_toml(structure: Structure, basis: PayBasis | None = None) -> str:
    """The TOML text of a structure: loading it gives the same structure back."""
    document: dict[str, Any] = {"name": structure.name}
    if structure.description:
        document["description"] = structure.description
    if basis is not None:
        # every field that changes a figure (PayBasis.values: the one list), and the label
        document["basis"] = {**basis.values(), **({"label": basis.label} if basis.label
                                                  else {})}
    document["post"] = [post_table(p) for p in structure.posts]
    if structure.payments:
        document["payment"] = [payment_table(p) for p in structure.payments]
    if structure.assignments:
        document["assignment"] = [_table(a, ASSIGNMENT_FIELDS) for a in structure.assignments]
    try:
        return tomli_w.dumps(document, multiline_strings=False)
    # Not validation (kept, allow-listed in tests/test_records.py): the writer's own guard,
    # for a value tomli_w cannot write (it raises TypeError for a type it does not know)
    except TypeError as err:
        raise EstablishmentError(f"cannot write structure as TOML: {err}") from None


def write_structure(structure: Structure, path: str | Path, basis: PayBasis | None = None) -> None:
    """Write a structure file atomically."""
    text = structure_to_toml(structure, basis)
    with atomic_write(path, "w", encoding="utf-8") as handle:
        handle.write(text)

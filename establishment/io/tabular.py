"""Rows of a table (CSV or XLSX) into posts and payments, collecting every problem.

Each data row becomes a post, a payment (``kind = payment``) or one or more located problems
(``file:line: [Column] what was expected, what was found``); a wholly blank row is counted as
blank. Nothing is dropped silently: :class:`LoadCounts` says how many rows were read, how many
posts and payments they made, how many rows had errors, and which columns were ignored.

Cells may be text (CSV) or typed (XLSX: numbers, datetimes). A spreadsheet number is a
binary float; it is read through its decimal form to 15 significant digits, Excel's own
precision and what the sheet shows: ``40702.08`` is ``Decimal('40702.08')``, and a formula's
cached ``=0.1+0.2`` (the float 0.30000000000000004) is ``Decimal('0.3')``, not a 17-digit
artefact that would then fail the 4-place fte or 2-place money checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs
from attrs import frozen

from establishment.errors import LoadError, Location, Problem, ValidationError
from establishment.io.columns import ColumnMap, guess_note, map_columns, pay_conflict
from establishment.io.dates import DateError, date_of
from establishment.io.people import export_date, person_share, posts_and_people
from establishment.io.words import read_contract, read_status
from establishment.model.funding import check_funding, to_funding
from establishment.model.money import to_decimal
from establishment.model.pay_basis import PayBasis
from establishment.model.post import PAYMENT_FIELDS, Payment, Post
from establishment.model.post import POST_FIELDS as ALL_POST_FIELDS
from establishment.model.structure import Structure
from establishment.model.validation import check_fields

Progress = Callable[[int], None]
Checker = Callable[[Mapping[str, Any]], "tuple[str, str] | None"]

# read from a file of posts as well, written only when a post has them
POST_EXTRA_FIELDS = ("hours", "headcount", "annual_hours")
POST_FIELDS = tuple(f for f in ALL_POST_FIELDS if f not in POST_EXTRA_FIELDS)
MONEY_FIELDS = ("cost_per_fte", "salary", "salary_min", "salary_max", "amount")
DATE_FIELDS = ("start", "end", "increment_date", "person_start", "person_end", "as_at")
PERSON_FIELDS = ("person", "name", "hours", "person_fte", "person_scp", "contract",
                 "person_start", "person_end", "as_at")
HOURS_FIELDS = {"hours": "a number of hours a week such as 37 or 18.5",
                "annual_hours": "a number of hours a year such as 500"}
WHOLE_NUMBERS = {"scp": "a whole spinal column point such as 34",
                 "person_scp": "a whole spinal column point such as 34",
                 "headcount": "a whole number of people such as 2"}
EXPECTED = {
    "fte": "a positive number such as 1 or 0.5",
    "scp": "a whole spinal column point such as 34",
    "money": "an amount in pounds such as 40702 or £40,702.50",
    "funding": "a source name, or shares such as 'Core 60%; Grant 40%'",
}


@frozen
class LoadCounts:
    """What loading a file did with every row."""

    rows: int = 0
    posts: int = 0
    payments: int = 0
    error_rows: int = 0
    blank_rows: int = 0
    problems: int = 0
    ignored_columns: tuple[str, ...] = ()
    ignored_sheets: tuple[str, ...] = ()  # a workbook's other worksheets (only one is read)
    # every header with the field it became and how (ColumnMap.shown): --show-mapping
    mapping: tuple[tuple[str, str, str], ...] = ()

    def __str__(self) -> str:
        text = (f"{self.rows} rows read: {self.posts} posts, {self.payments} payments, "
                f"{self.error_rows} rows with errors ({self.problems} problems)")
        if self.blank_rows:
            text += f"; blank rows skipped: {self.blank_rows}"
        if self.ignored_columns:
            text += f"; columns ignored: {', '.join(self.ignored_columns)}"
        if self.ignored_sheets:
            text += f"; sheets not read: {', '.join(self.ignored_sheets)}"
        return text


@frozen
class Loaded:
    """A loaded structure with its basis defaults (TOML only), source and counts.

    ``lines`` gives the line (or sheet row) each post came from, in order, for messages.
    """

    structure: Structure
    basis: PayBasis | None
    path: str
    counts: LoadCounts
    lines: tuple[int | None, ...] = ()
    notes: tuple[str, ...] = ()  # things the reader decided that a user should know
    as_at: dt.date | None = None  # the day a people export was taken (its "As At" column)


class CountedLoadError(LoadError):
    """A :class:`LoadError` that also says what happened to every row."""

    def __init__(self, problems: list[Problem], counts: LoadCounts) -> None:
        super().__init__(problems)
        self.counts = counts


def more_problems(counts: LoadCounts, problems: list[Problem]) -> LoadCounts:
    """``counts`` with file-level ``problems`` (an unreadable row) added."""
    return attrs.evolve(counts, error_rows=counts.error_rows + len(problems),
                        rows=counts.rows + len(problems),
                        problems=counts.problems + len(problems))


@frozen
class Uncomputed:
    """A spreadsheet cell holding a formula with no saved result (a workbook written by a
    program rather than saved by Excel): reading it as empty would drop its value silently,
    so it is reported instead."""

    formula: str

    def __str__(self) -> str:
        return self.formula


class _Bad(Exception):
    """One cell that cannot be read: the message is 'expected ..., found ...'."""


def _decimal(value: Any, what: str, field: str = "money") -> Decimal:
    if isinstance(value, bool):
        raise _Bad(f"expected {what}, found {value!r}")
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _Bad(f"expected {what}, found {value!r}")
        return Decimal(format(value, ".15g"))  # Excel's 15 significant digits
    try:
        return to_decimal(value, field=field)
    except ValidationError:
        raise _Bad(f"expected {what}, found {str(value)!r}") from None


def _int(value: Any, what: str, field: str = "scp") -> int:
    number = _decimal(value, what, field)
    if number != number.to_integral_value():
        raise _Bad(f"expected {what}, found {str(value)!r}")
    return int(number)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        whole = value == value and abs(value) != float("inf") and value == int(value)
        return str(int(value)) if whole else repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value).strip()


FUNDING_GRAMMAR = """\
cell    = source | share *( ";" share )
share   = source " " percent "%"
source  = plain | '"' *( any but '"' | '""' ) '"'
plain   = text without ; % = " and without spaces at either end
"""


def _funding_parts(text: str) -> list[tuple[str, str, bool]]:
    """``text`` split at the ``;`` outside double quotes: (source, rest, quoted) each."""
    parts, pos = [], 0
    while pos <= len(text):
        while pos < len(text) and text[pos] == " ":
            pos += 1
        if text.startswith('"', pos):
            name, pos = _quoted(text, pos)
            end = text.find(";", pos)
            end = len(text) if end < 0 else end
            parts.append((name, text[pos:end].strip(), True))
        else:
            end = text.find(";", pos)
            end = len(text) if end < 0 else end
            parts.append((text[pos:end].strip(), "", False))
        pos = end + 1
    return parts


def _quoted(text: str, pos: int) -> tuple[str, int]:
    """The double-quoted name starting at ``text[pos]`` and the position after it."""
    out, pos = [], pos + 1
    while pos < len(text):
        if text[pos] == '"':
            if text.startswith('""', pos):
                out.append('"')
                pos += 2
                continue
            return "".join(out), pos + 1
        out.append(text[pos])
        pos += 1
    raise _Bad(f"expected a closing double quote in {EXPECTED['funding']}, found {text!r}")


def _share(name: str, rest: str, quoted: bool, text: str) -> tuple[str, Any]:
    if not quoted:
        name, _, rest = name.rpartition(" ")
    if not name or not rest.endswith("%"):
        raise _Bad(f"expected {EXPECTED['funding']}, found {text!r}")
    return name.strip() if not quoted else name, _decimal(rest[:-1], EXPECTED["funding"],
                                                           "percent")


def parse_funding(value: Any) -> Any:
    """``'Core'`` or ``'Core 60%; Grant 40%'`` (``;``-separated shares, each ending in a %);
    a source name holding ``;``, ``%``, ``=`` or ``"`` is written in double quotes
    (``"Core 100%" 60%``), a quote inside doubled (:data:`FUNDING_GRAMMAR`)."""
    text = _text(value)
    if not text:
        return None
    parts = _funding_parts(text)
    if len(parts) == 1 and (parts[0][2] and not parts[0][1]
                            or not parts[0][2] and not parts[0][0].endswith("%")):
        return parts[0][0]
    shares = [_share(name, rest, quoted, text) for name, rest, quoted in parts]
    try:
        funding = to_funding(shares)
        check_funding(funding)
        return funding
    except ValidationError as err:
        raise _Bad(f"expected {err.expected}, found {err.found!r}") from None


def funding_source(name: str) -> str:
    """A source name as a funding cell writes it: in double quotes when it holds ``;``, ``%``,
    ``=`` or ``"``, or begins or ends with a space."""
    if any(ch in name for ch in ';%="') or name != name.strip():
        return '"' + name.replace('"', '""') + '"'
    return name


def format_funding(shares: Iterable[Any]) -> str:
    """The inverse of :func:`parse_funding`."""
    shares = tuple(shares)
    if len(shares) == 1 and shares[0].percent == 100:
        return funding_source(shares[0].source)
    return "; ".join(f"{funding_source(s.source)} {s.percent.normalize():f}%" for s in shares)


def _convert(field: str, value: Any, dayfirst: bool | None) -> Any:
    """One cell as the field's value (None for an empty cell), or _Bad."""
    if isinstance(value, Uncomputed):
        raise _Bad(f"expected a value, found the formula {value.formula!r} with no saved "
                   "result; open and save the workbook in Excel, or paste values")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if field in ("fte", "person_fte"):
        return _decimal(value, EXPECTED["fte"], "fte")
    if field in HOURS_FIELDS:
        return _decimal(value, HOURS_FIELDS[field], "hours")
    if field in WHOLE_NUMBERS:
        return _int(value, WHOLE_NUMBERS[field])
    if field in MONEY_FIELDS:
        return _decimal(value, EXPECTED["money"])
    if field in DATE_FIELDS:
        try:
            return date_of(value, dayfirst=dayfirst)
        except DateError as err:
            raise _Bad(f"expected a date; {err}") from None
    if field == "funding":
        return parse_funding(value)
    if field in ("status", "kind", "per"):
        return _text(value).lower()
    if field == "contract":
        return read_contract(_text(value))
    return _text(value)


def _field_of_error(err: ValidationError) -> str:
    return err.field if err.field in POST_FIELDS or err.field in PAYMENT_FIELDS else ""


def blank_row(cells: Iterable[Any]) -> bool:
    """A row of empty or whitespace-only cells: skipped by every row reader, not a problem."""
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def rows_to_structure(header: list[Any], rows: Iterable[tuple[int, list[Any]]], where: str, *,
                      name: str = "", columns: Mapping[str, str] | None = None,
                      dayfirst: bool | None = True, text_cell: Callable[[str], str] = str,
                      header_line: int = 1, progress: Progress | None = None,
                      checker: Checker | None = None) -> Loaded:
    """Posts and payments from ``rows`` (``(line, cells)`` pairs), or a
    :class:`CountedLoadError` with every problem. ``text_cell`` undoes export neutralising
    (CSV written by this library); ``checker`` checks each post row's grade and scp against
    pay data (:class:`establishment.operations.check.PostChecker`), even when other cells are
    bad."""
    cmap: ColumnMap = map_columns(header, columns)
    problems = _header_problems(cmap, where, header_line)
    people = "person" in cmap.present  # one row per person: posts and assignments
    posts: list[tuple[int, Post]] = []
    payments: list[Payment] = []
    seen_refs: dict[str, int] = {}
    person_rows: list[tuple[int, Post, dict[str, Any]]] = []
    order: list[Any] = []
    counts = {"rows": 0, "blank": 0, "errors": 0}
    for line, cells in rows:
        if blank_row(cells):
            counts["blank"] += 1
            continue
        counts["rows"] += 1
        order.append(line)
        if progress is not None and counts["rows"] % 10_000 == 0:
            progress(counts["rows"])
        before = len(problems)
        extras: dict[str, Any] | None = {} if people else None
        record = _row(cmap, cells, line, where, dayfirst, text_cell, problems, checker,
                      None if people else seen_refs, extras)
        if len(problems) > before:
            counts["errors"] += 1
        elif isinstance(record, Post) and extras is not None:
            person_rows.append((line, record, extras))
        elif isinstance(record, Post):
            posts.append((line, record))
        elif isinstance(record, Payment):
            payments.append(record)
    notes: list[str] = [note] if (note := guess_note(cmap, where)) else []
    assignments = []
    as_at = None
    if people:  # references, job shares and totals, after every row has been read
        before = len(problems)
        posts, assignments = posts_and_people(person_rows, cmap, where, problems, notes)
        as_at = export_date([(line, e) for line, _, e in person_rows], where, cmap, problems)
        counts["errors"] += len({p.line for p in problems[before:]})
    rank = {line: index for index, line in enumerate(order)}  # lines may be frame labels
    problems.sort(key=lambda p: rank.get(p.line, -1))
    result = LoadCounts(counts["rows"], len(posts), len(payments), counts["errors"],
                        counts["blank"], len(problems), cmap.ignored, mapping=cmap.shown())
    if problems:
        raise CountedLoadError(problems, result)
    try:
        structure = Structure(name, [p for _, p in posts], payments, assignments=assignments)
    except ValidationError as err:  # e.g. two payments sharing a reference: located, exit 2
        raise CountedLoadError([Problem(where, None, str(err), err.field)],
                               attrs.evolve(result, problems=1)) from None
    return Loaded(structure, None, where, result, tuple(line for line, _ in posts),
                  tuple(notes), as_at)


def _header_problems(cmap: ColumnMap, where: str, header_line: int) -> list[Problem]:
    """The header's problems (a column mapped twice, an unknown field...); a required column
    missing is a :class:`CountedLoadError` at once (no row can be read without it)."""
    problems = [Problem(where, header_line if i >= 0 else None, m,
                        cmap.headers[i] if i >= 0 else None) for i, m in cmap.problems]
    conflict = pay_conflict(cmap)
    if conflict is not None:
        problems.append(Problem(where, header_line, conflict, cmap.header_of("salary")))
    present = cmap.present
    people = "person" in present
    missing = [f for f in ("title", "fte") if f not in present
               and not (f == "fte" and present & {"hours", "annual_hours"})
               and not (f == "fte" and people and "person_fte" in present)]
    if not present & {"grade", "cost_per_fte", "salary", "salary_min"}:
        missing.append("grade")
    for field in missing:
        problems.append(Problem(where, header_line, f"missing required column {field!r} "
                                f"(found columns: {', '.join(h for h in cmap.headers if h)})",
                                field))
    if missing:
        raise CountedLoadError(problems, LoadCounts(problems=len(problems),
                                                    ignored_columns=cmap.ignored,
                                                    mapping=cmap.shown()))
    return problems


def load_table(rows: Iterator[tuple[int, list[Any]]], errors: list[Problem], where: str,
               empty: str, *, check_header: Callable[[int, list[Any]], None] | None = None,
               text_cell: Callable[[str], str] = str,
               load: Callable[..., Loaded] | None = None, **options: Any) -> Loaded:
    """Posts from the ``(line, cells)`` rows of a CSV file or a sheet: the first non-blank row
    is the header, the rest go to ``load`` (default :func:`rows_to_structure`; the readers
    pass :func:`establishment.io.columnar.rows_column_wise`, the same rules a column at a
    time, which gives the same structure or problems). ``errors`` collects problems the
    reader meets while ``rows`` is consumed (an unreadable row), so they join the others in
    one :class:`CountedLoadError`; ``empty`` is the message when there is no header at all.
    One helper for both readers, so a CSV and a workbook fail the same way."""
    header_line, header = None, None
    for line, cells in rows:
        if any(c is not None and str(c).strip() for c in cells):
            header_line, header = line, [text_cell(h) if isinstance(h, str) else h
                                         for h in cells]
            break
    if header is None or header_line is None:
        raise CountedLoadError([Problem(where, None, errors[0].message if errors else empty)],
                               LoadCounts(problems=1))
    if check_header is not None:
        check_header(header_line, header)
    load = load or rows_to_structure
    try:
        loaded = load(header, rows, where, text_cell=text_cell, header_line=header_line,
                      **options)
    except CountedLoadError as err:
        raise CountedLoadError(err.problems + errors, more_problems(err.counts, errors)) from None
    if errors:
        raise CountedLoadError(errors, more_problems(loaded.counts, errors))
    return loaded


def _person_fields(values: dict[str, Any], cmap: ColumnMap, extras: dict[str, Any]
                   ) -> str | None:
    """Move a person's cells from ``values`` (the post's) to ``extras``; with no post fte
    column the post's size is the person's (their fte, else their hours, exact). Returns
    a problem message when the row gives no fte at all."""
    for name in PERSON_FIELDS:
        if name in values:
            extras[name] = values.pop(name)
    if "fte" in cmap.present or "fte" in values:
        return None
    own = person_share(extras)
    if own is None:
        return "expected the person's fte or hours (the file has no post fte column)"
    values.update(own)
    return None


def _rule_problems(values: dict[str, Any], failed: set[str], cmap: ColumnMap, where: str,
                   line: int, problems: list[Problem]) -> bool:
    """The post's own rules (:func:`establishment.model.validation.check_fields`, the one rule
    set) on the
    cells that could be read, so a bad status is reported beside a bad fte, not after it is
    fixed. Title, grade, fte > 0 and end-before-start are reported by the row already."""
    done = set(failed) | {"title", "grade", "end"}
    if values.get("fte") is not None and values["fte"] <= 0:
        done.add("fte")
    found = False
    for err in check_fields(Post, {"grade": "", **values})[1]:
        if err.field in done:
            continue
        shown = str(err.found) if isinstance(err.found, Decimal) else repr(err.found)
        problems.append(Problem(where, line, f"expected {err.field} {err.expected}, found "
                                f"{shown}", cmap.header_of(err.field)))
        found = True
    return found


class _RowCheck:
    """One row being read: where its problems go and whether it has any yet."""

    def __init__(self, cmap: ColumnMap, where: str, line: int, problems: list[Problem]) -> None:
        self.cmap, self.where, self.line, self.problems = cmap, where, line, problems
        self.bad = False

    def add(self, message: str, field: str | None = None, *, header: str | None = None
            ) -> None:
        """A problem of this row, located at ``field``'s column (or the ``header`` given)."""
        shown = header if header is not None else (
            self.cmap.header_of(field) if field is not None else None)
        self.problems.append(Problem(self.where, self.line, message, shown))
        self.bad = True


def _read_cells(row: _RowCheck, cells: list[Any], dayfirst: bool | None,
                text_cell: Callable[[str], str]) -> tuple[dict[str, Any], set[str]]:
    """Every mapped cell converted: the values given and the fields whose cell was bad."""
    cmap = row.cmap
    values: dict[str, Any] = {}
    failed: set[str] = set()
    if any(c not in (None, "") for c in cells[len(cmap.headers):]):
        row.add(f"{len(cells)} cells but the header has {len(cmap.headers)} columns")
    for index, field in cmap.fields.items():
        raw = cells[index] if index < len(cells) else None
        if isinstance(raw, str):
            raw = text_cell(raw)
        try:
            value = _convert(field, raw, dayfirst)
        except _Bad as err:
            row.add(str(err), header=cmap.headers[index])
            failed.add(field)
            continue
        if value is not None:
            values[field] = value
    return values, failed


def _status_and_person(row: _RowCheck, values: dict[str, Any], failed: set[str],
                       extras: dict[str, Any] | None) -> None:
    """The status words (Occupied, Vacant, Y/N, Temp... as in TOML, :mod:`io.words`) and, on
    a row per person, the person's cells moved to ``extras``."""
    cmap = row.cmap
    if "status" in values:
        values["status"], contract = read_status(values["status"], cmap.header_of("status"))
        if contract and extras is not None and "contract" not in values:
            values["contract"] = contract
    if extras is None:
        return
    message = _person_fields(values, cmap, extras)
    if message is not None and "fte" not in failed:
        row.add(message, header=cmap.header_of(
            "person_fte" if "person_fte" in cmap.present else "hours"))
        failed.add("fte")


def _unique_reference(row: _RowCheck, values: dict[str, Any], kind: str,
                      seen_refs: dict[str, int] | None) -> None:
    reference = values.get("reference")
    if not reference or seen_refs is None or kind != "post":
        return
    if reference in seen_refs:
        row.add(f"duplicate reference {reference!r} (first at line {seen_refs[reference]})",
                "reference")
    else:
        seen_refs[reference] = row.line


def _fields_of_kind(row: _RowCheck, values: dict[str, Any], failed: set[str], kind: str
                    ) -> None:
    """No field the kind does not have; every field it needs."""
    allowed = POST_FIELDS + POST_EXTRA_FIELDS if kind == "post" else PAYMENT_FIELDS
    for field in sorted(set(values) - set(allowed)):
        row.add(f"a {kind} has no {field!r}; leave it empty (found {_text(values[field])!r})",
                field)
    required = ("title", "fte") if kind == "post" else ("title", "amount")
    for field in required:
        if field in values or field in failed or (
                field == "fte" and ("hours" in values or "annual_hours" in values)):
            continue
        if field not in row.cmap.present:
            row.add(f"a {kind} needs a {field!r} column", header=field)
        else:
            row.add(f"expected {field!r}, found an empty cell", field)


def _post_rules(row: _RowCheck, values: dict[str, Any], failed: set[str],
                checker: Checker | None) -> None:
    """A post's fte above 0, its grade (or cost or salary), and its pay data."""
    if "fte" in values and values["fte"] <= 0:
        row.add(f"expected fte > 0, found {values['fte']}", "fte")
    if not values.get("grade") and not {"cost_per_fte", "salary"} & set(values):
        row.add("expected a grade (or a cost per fte or salary), found an empty cell", "grade")
    elif checker is not None and not failed & {"grade", "scp", "cost_per_fte", "salary",
                                               "salary_min", "salary_max"}:
        found = checker(values)
        if found is not None:
            row.add(found[1], found[0])


def _dates_in_order(row: _RowCheck, values: dict[str, Any]) -> None:
    start, end = values.get("start"), values.get("end")
    if start and end and end < start:
        row.add(f"expected an end on or after the start ({start.isoformat()}), found "
                f"{end.isoformat()}", "end")


def _record(row: _RowCheck, values: dict[str, Any], failed: set[str], kind: str
            ) -> Post | Payment | None:
    """The row's Post or Payment; a rule the record refuses is the row's problem."""
    source = Location(row.where, row.line)  # the record's own row, kept out of equality
    try:
        if kind == "payment":
            return Payment(**values, source=source)
        return Post(**{"grade": "", **values}, source=source)
    except ValidationError as err:
        # a sound row costs one Post; a row that breaks a rule is checked field by field
        if kind == "post" and _rule_problems(values, failed, row.cmap, row.where, row.line,
                                             row.problems):
            return None
        field = _field_of_error(err)
        found = str(err.found) if isinstance(err.found, Decimal) else repr(err.found)
        row.add(f"expected {err.field} {err.expected}, found {found}",
                header=row.cmap.header_of(field) if field else None)
    return None


def _row(cmap: ColumnMap, cells: list[Any], line: int, where: str, dayfirst: bool | None,
         text_cell: Callable[[str], str], problems: list[Problem],
         checker: Checker | None = None, seen_refs: dict[str, int] | None = None,
         extras: dict[str, Any] | None = None) -> Post | Payment | None:
    """One row's record, or None with its problems added to ``problems`` (every rule, in
    the order a reader meets them: cells, person, reference, kind, fields, post rules,
    dates)."""
    row = _RowCheck(cmap, where, line, problems)
    values, failed = _read_cells(row, cells, dayfirst, text_cell)
    kind = values.pop("kind", "post")
    _status_and_person(row, values, failed, extras)
    _unique_reference(row, values, kind, seen_refs)
    if kind not in ("post", "payment"):
        row.add(f"expected 'post' or 'payment', found {kind!r}", "kind")
        return None
    _fields_of_kind(row, values, failed, kind)
    if kind == "post":
        _post_rules(row, values, failed, checker)
    _dates_in_order(row, values)
    if row.bad:
        if kind == "post":  # the rules of the cells that could be read, in the same run
            _rule_problems(values, failed, cmap, where, line, problems)
        return None
    return _record(row, values, failed, kind)


def structure_rows(structure: Structure) -> tuple[list[str], list[list[Any]]]:
    """A structure as a header and typed rows (our own columns), for CSV and XLSX writers."""
    extra = [f for f in POST_EXTRA_FIELDS
             if any(getattr(post, f) is not None for post in structure.posts)]
    header = ["kind", *POST_FIELDS, *extra, "amount", "per"]
    rows: list[list[Any]] = []
    for post in structure.posts:
        row: dict[str, Any] = {"kind": "post"}
        for field in (*POST_FIELDS, *extra):
            row[field] = getattr(post, field)
        rows.append([row.get(h) for h in header])
    for payment in structure.payments:
        row = {"kind": "payment"}
        for field in PAYMENT_FIELDS:
            row[field] = getattr(payment, field)
        rows.append([row.get(h) for h in header])
    for row in rows:
        index = header.index("funding")
        row[index] = format_funding(row[index]) if row[index] else None
    return header, rows


# The object path's rules under public names, for the column-wise path
# (:mod:`establishment.io.columnar`), which applies them once per distinct cell value and runs
# the whole row rule on every row it cannot prove sound: one rule set for both paths.
BadCell = _Bad
convert_cell = _convert
row_record = _row

"""An organogram return read and checked: senior posts, junior rows, and an account of every
input row.

Rules (what counts as a problem, what is only noted):

- A **problem** makes a row unusable: a blank required value, an fte that is blank, zero or not a
  number, pay that is blank or not a sum of money (``N/D`` is allowed for senior posts only), a
  pay minimum above its maximum, a duplicate senior reference (the later row), a junior row whose
  reporting senior post is not a loaded senior post. Strict mode fails with every problem
  (``file:line: message``); lenient mode skips those rows and lists each one.
- A **note** is something read and normalised, never guessed: a unit name with stray spaces or
  another case (read as its first spelling), numbers written with £ or commas, ignored columns,
  senior pay not disclosed (costed at £0, said so), a senior post reporting to itself or to a
  post outside the file, junior rows repeated with the same values (both kept).

Every input row is either loaded or skipped: ``ImportReport.accounted`` checks it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from attrs import frozen

from establishment.errors import LoadError, Problem
from establishment.organogram.reading import (
    JUNIOR_COLUMNS,
    SENIOR_COLUMNS,
    TOP_MARKERS,
    CsvFile,
    Money,
    Row,
    parse_fte,
    parse_money,
    read_csv,
)
from establishment.post import FTE_PLACES, MAX_FTE, MAX_MONEY

SHOWN = {c.field: c.shown for c in SENIOR_COLUMNS}
JUNIOR_SHOWN = {c.field: c.shown for c in JUNIOR_COLUMNS}


@frozen
class SeniorPost:
    """One senior post as the return gives it (pay ``None`` when not disclosed)."""

    line: int
    reference: str
    grade: str
    title: str
    unit: str
    reports_to: str | None
    fte: Decimal
    pay_floor: Decimal | None
    pay_ceiling: Decimal | None
    cost_of_reports: Decimal | None
    vacant: bool = False
    profession: str = ""

    @property
    def not_disclosed(self) -> bool:
        return self.pay_floor is None


@frozen
class JuniorPosts:
    """One junior row: ``fte`` posts of a grade and generic title in a unit, reporting to a
    senior post. ``reference`` is built from those fields (see :func:`junior_reference`)."""

    line: int
    reference: str
    unit: str
    reports_to: str
    grade: str
    title: str
    pay_min: Decimal
    pay_max: Decimal
    fte: Decimal
    profession: str = ""


@frozen
class ImportReport:
    """What happened to every row: counts, each skipped row's problem(s), and notes."""

    senior_file: str
    junior_file: str
    senior_rows: int
    junior_rows: int
    senior_loaded: int
    junior_loaded: int
    problems: tuple[Problem, ...]
    notes: tuple[Problem, ...]
    skipped_lines: tuple[tuple[str, int], ...]
    strict: bool

    @property
    def senior_skipped(self) -> int:
        return sum(1 for f, _ in self.skipped_lines if f == self.senior_file)

    @property
    def junior_skipped(self) -> int:
        return sum(1 for f, _ in self.skipped_lines if f == self.junior_file)

    @property
    def accounted(self) -> bool:
        """Every row read is loaded or skipped, no more and no fewer."""
        return (self.senior_rows == self.senior_loaded + self.senior_skipped
                and self.junior_rows == self.junior_loaded + self.junior_skipped)

    def counts(self) -> str:
        return (f"senior: {self.senior_rows} rows, {self.senior_loaded} loaded, "
                f"{self.senior_skipped} skipped; junior: {self.junior_rows} rows, "
                f"{self.junior_loaded} loaded, {self.junior_skipped} skipped; "
                f"{len(self.notes)} notes")


@frozen
class OrganogramReturn:
    """A loaded return: organisation, date, posts, and the report of how it was read."""

    organisation: str
    parent: str
    date: dt.date
    senior: tuple[SeniorPost, ...]
    junior: tuple[JuniorPosts, ...]
    report: ImportReport


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def return_date(*paths: str | Path) -> dt.date | None:
    """The return's date from its file names (``...-2011-09-30-senior.csv``), if they say."""
    for path in paths:
        match = _DATE.search(Path(path).name)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                continue
    return None


def junior_key(unit: str, reports_to: str, grade: str, title: str) -> str:
    """The matching key of a junior row: ``reporting post | unit | grade | title`` (grades and
    titles often hold '/', so the separator is ' | ')."""
    return f"{reports_to} | {unit} | {grade} | {title}"


def junior_reference(rows: list[tuple[str, str]]) -> list[str]:
    """Deterministic references for junior rows given (key, professional group) in file order.

    A key used once is the reference. Rows sharing a key get their professional group
    appended (``[Finance]``); rows still sharing one get ``#2``, ``#3``... by order of
    appearance, which is the one thing a later return cannot confirm (see the README).
    """
    counts: dict[str, int] = {}
    for key, _ in rows:
        counts[key] = counts.get(key, 0) + 1
    first_pass = [key if counts[key] == 1 else f"{key} [{group or '-'}]" for key, group in rows]
    totals: dict[str, int] = {}
    for ref in first_pass:
        totals[ref] = totals.get(ref, 0) + 1
    seen: dict[str, int] = {}
    result = []
    for ref in first_pass:
        if totals[ref] == 1:
            result.append(ref)
            continue
        seen[ref] = seen.get(ref, 0) + 1
        result.append(ref if seen[ref] == 1 else f"{ref} #{seen[ref]}")
    return result


def _pounds(value: Decimal) -> str:
    return f"£{value:,}"


class _Checker:
    """Collects problems and notes for one file, row by row."""

    def __init__(self, source: CsvFile, shown: dict[str, str]) -> None:
        self.source = source
        self.shown = {k: source.headers.get(k, v) for k, v in shown.items()}
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []
        self.row_failed = False

    def start(self) -> None:
        self.row_failed = False

    def problem(self, row: Row, message: str, field: str | None = None) -> None:
        self.row_failed = True
        self.problems.append(Problem(self.source.path, row.line, message,
                                     self.shown.get(field) if field else None))

    def note(self, row: Row | None, message: str, field: str | None = None) -> None:
        self.notes.append(Problem(self.source.path, row.line if row else None, message,
                                  self.shown.get(field) if field else None))

    def text(self, row: Row, field: str, what: str) -> str:
        value = row[field]
        if not value:
            self.problem(row, f"is blank: {what}", field)
        return value

    def fte(self, row: Row, field: str) -> Decimal | None:
        raw = row[field]
        if not raw:
            self.problem(row, "is blank: expected a number of posts in fte above 0", field)
            return None
        try:
            value = parse_fte(raw)
        except ValueError:
            self.problem(row, f"must be a number of posts in fte above 0 (found {raw!r})", field)
            return None
        if value <= 0:
            self.problem(row, f"must be above 0 (found {raw!r}): no post to load", field)
            return None
        if value > MAX_FTE:  # a typo, and more than the engine can cost
            self.problem(row, f"must be at most {MAX_FTE:,} (found {raw!r})", field)
            return None
        if value.as_tuple().exponent < -FTE_PLACES:  # type: ignore[operator]
            self.problem(row, f"must have at most {FTE_PLACES} decimal places (found {raw!r})",
                         field)
            return None
        return value

    def money(self, row: Row, field: str, allow_nd: bool) -> Money | None:
        raw = row[field]
        expected = "a sum of money or N/D" if allow_nd else "a sum of money such as 45000"
        try:
            money = parse_money(raw)
        except ValueError:
            self.problem(row, f"must be {expected} (found {raw!r})", field)
            return None
        if money.not_disclosed and not allow_nd:
            self.problem(row, f"is {raw!r} (not disclosed): a junior row needs its pay range",
                         field)
            return None
        if money.amount is None and not money.not_disclosed:
            self.problem(row, f"is blank: expected {expected}", field)
            return None
        if money.amount is not None and money.amount > MAX_MONEY:
            self.problem(row, f"must be at most £{MAX_MONEY:,} (found {raw!r})", field)
            return None
        if money.reformatted:
            self.note(row, f"written {raw!r}: read as {money.amount}", field)
        return money

    def range_ok(self, row: Row, low: Decimal, high: Decimal, low_field: str,
                 high_field: str) -> bool:
        if low > high:
            self.problem(row, f"{_pounds(low)} is above {self.shown[high_field]!r} "
                         f"{_pounds(high)}: a pay minimum cannot exceed its maximum", low_field)
            return False
        return True


class _Units:
    """One spelling per unit: stray spaces removed, case differences read as the first
    spelling met (senior file first)."""

    def __init__(self) -> None:
        self.first: dict[str, tuple[str, str, int]] = {}

    def see(self, raw: str, path: str, line: int) -> None:
        collapsed = " ".join(raw.split())
        if collapsed:
            self.first.setdefault(collapsed.casefold(), (collapsed, path, line))

    def canonical(self, raw: str) -> str:
        collapsed = " ".join(raw.split())
        return self.first[collapsed.casefold()][0] if collapsed else ""

    def check(self, checker: _Checker, row: Row) -> str:
        raw = row.unit_raw
        unit = self.canonical(raw)
        if unit and raw != unit:
            _, path, line = self.first[unit.casefold()]
            where = f"line {line}" if path == checker.source.path else f"{path}:{line}"
            why = ("stray spaces" if " ".join(raw.split()) == unit
                   else f"the spelling first used at {where}")
            checker.note(row, f"{raw!r} read as {unit!r} ({why})", "unit")
        return unit


def _ignored_note(checker: _Checker) -> None:
    if checker.source.ignored:
        checker.note(None, f"ignored column(s) {', '.join(checker.source.ignored)}")
    if checker.source.encoding != "utf-8":
        checker.note(None, f"not UTF-8: read as {checker.source.encoding}")


def _width_check(checker: _Checker, row: Row) -> None:
    if row.width > checker.source.width:
        checker.problem(row, f"has {row.width} fields but the header has "
                        f"{checker.source.width}: a value with an unquoted comma?")


def _senior(checker: _Checker, units: _Units, row: Row, seen: dict[str, int]
            ) -> SeniorPost | None:
    checker.start()
    _width_check(checker, row)
    reference = checker.text(row, "reference", "a senior post needs its reference")
    if reference and reference in seen:
        checker.problem(row, f"{reference!r} is a duplicate of line {seen[reference]}: "
                        f"references must be unique", "reference")
    grade = checker.text(row, "grade", "expected a grade such as SCS1")
    title = checker.text(row, "title", "expected the post's job title")
    checker.text(row, "unit", "expected the unit the post belongs to")
    unit = units.check(checker, row)
    fte = checker.fte(row, "fte")
    floor = checker.money(row, "pay_floor", allow_nd=True)
    ceiling = checker.money(row, "pay_ceiling", allow_nd=True)
    if floor is not None and ceiling is not None:
        if floor.not_disclosed != ceiling.not_disclosed:
            checker.problem(row, f"pay floor {row['pay_floor']!r} and ceiling "
                            f"{row['pay_ceiling']!r} must both be sums of money or both N/D",
                            "pay_floor")
        elif floor.amount is not None and ceiling.amount is not None:
            checker.range_ok(row, floor.amount, ceiling.amount, "pay_floor", "pay_ceiling")
    reports_raw = row["reports_to"]
    reports_to = None if reports_raw.lower() in TOP_MARKERS else reports_raw
    cost_of_reports = None
    raw_cost = row["cost_of_reports"]
    if raw_cost:
        try:
            cost_of_reports = parse_money(raw_cost).amount
        except ValueError:
            checker.note(row, f"is not a sum of money (found {raw_cost!r}): not compared",
                         "cost_of_reports")
    if reference:
        seen.setdefault(reference, row.line)
    if checker.row_failed:
        return None
    assert fte is not None and floor is not None and ceiling is not None
    if reports_to == reference:
        checker.note(row, f"{reference!r} reports to itself: loaded as reporting to no post",
                     "reports_to")
        reports_to = None
    if floor.not_disclosed:
        checker.note(row, f"pay not disclosed ({row['pay_floor']!r}): post {reference} is "
                     f"costed at £0, so totals leave out its pay", "pay_floor")
    elif floor.amount == 0 and ceiling.amount == 0:
        checker.note(row, f"pay range published as £0 to £0: post {reference} costs £0",
                     "pay_floor")
    return SeniorPost(row.line, reference, grade, title, unit, reports_to, fte, floor.amount,
                      ceiling.amount, cost_of_reports, row["name"].strip().lower() == "vacant",
                      row["profession"])


def _junior(checker: _Checker, units: _Units, row: Row, senior_file: str,
            loaded: dict[str, SeniorPost], skipped: dict[str, int]) -> dict | None:
    checker.start()
    _width_check(checker, row)
    checker.text(row, "unit", "expected the unit of the posts")
    unit = units.check(checker, row)
    reports_to = checker.text(row, "reports_to", "expected the reference of a senior post")
    grade = checker.text(row, "grade", "expected the posts' grade")
    title = checker.text(row, "title", "expected the posts' generic job title")
    low = checker.money(row, "pay_min", allow_nd=False)
    high = checker.money(row, "pay_max", allow_nd=False)
    if low is not None and high is not None:
        assert low.amount is not None and high.amount is not None
        checker.range_ok(row, low.amount, high.amount, "pay_min", "pay_max")
    fte = checker.fte(row, "fte")
    if reports_to and reports_to not in loaded:
        why = (f" (its row, {senior_file}:{skipped[reports_to]}, was not loaded)"
               if reports_to in skipped else "")
        checker.problem(row, f"{reports_to!r} is not a senior post in {senior_file}{why}",
                        "reports_to")
    if checker.row_failed:
        return None
    assert low is not None and high is not None
    return {"line": row.line, "unit": unit, "reports_to": reports_to, "grade": grade,
            "title": title, "pay_min": low.amount, "pay_max": high.amount, "fte": fte,
            "profession": row["profession"]}


def read_return(senior: str | Path, junior: str | Path, *, strict: bool = True,
                date: dt.date | None = None,
                progress: Callable[[int], None] | None = None) -> OrganogramReturn:
    """Read and check a return's senior and junior CSVs.

    ``strict``: any problem fails with a :class:`LoadError` listing every one. Otherwise the
    rows with problems are skipped and listed in the report. ``date``: the return's date when
    the file names do not give it (``...-2011-09-30-senior.csv``).
    """
    senior_csv = read_csv(senior, SENIOR_COLUMNS, "senior")
    junior_csv = read_csv(junior, JUNIOR_COLUMNS, "junior")
    when = date or return_date(senior, junior)
    if when is None:
        raise LoadError([Problem(str(senior), None, "the return's date is not in the file "
                                 "names (e.g. ...-2011-09-30-senior.csv): give it (--date)")])
    units = _Units()
    for source in (senior_csv, junior_csv):
        for row in source.rows:
            units.see(row["unit"], source.path, row.line)
    senior_check = _Checker(senior_csv, SHOWN)
    junior_check = _Checker(junior_csv, JUNIOR_SHOWN)
    _ignored_note(senior_check)
    _ignored_note(junior_check)
    seen: dict[str, int] = {}
    loaded: dict[str, SeniorPost] = {}
    skipped_lines: list[tuple[str, int]] = []
    skipped_refs: dict[str, int] = {}
    for row in senior_csv.rows:
        post = _senior(senior_check, units, row, seen)
        if post is None:
            skipped_lines.append((senior_csv.path, row.line))
            if row["reference"] and row["reference"] not in loaded:
                skipped_refs.setdefault(row["reference"], row.line)
        else:
            loaded[post.reference] = post
    for post in loaded.values():
        if post.reports_to is not None and post.reports_to not in loaded:
            senior_check.notes.append(Problem(
                senior_csv.path, post.line, f"reports to {post.reports_to!r}, which is not a "
                f"post in this file: kept as given (a post outside the return)",
                senior_check.shown["reports_to"]))
    juniors: list[dict] = []
    first_values: dict[tuple, int] = {}
    for count, row in enumerate(junior_csv.rows):
        if progress is not None and count % 1000 == 0:
            progress(count)
        found = _junior(junior_check, units, row, senior_csv.path, loaded, skipped_refs)
        if found is None:
            skipped_lines.append((junior_csv.path, row.line))
            continue
        values = tuple(row.values.items())
        if values in first_values:
            junior_check.note(row, f"same values as line {first_values[values]}: both loaded "
                              f"(check the return for double counting)")
        first_values.setdefault(values, row.line)
        juniors.append(found)
    references = junior_reference([(junior_key(j["unit"], j["reports_to"], j["grade"],
                                                j["title"]), j["profession"]) for j in juniors])
    junior_posts = tuple(JuniorPosts(reference=ref, **j) for ref, j in zip(references, juniors))
    problems = tuple(senior_check.problems + junior_check.problems)
    if strict and problems:
        raise LoadError(list(problems))
    report = ImportReport(senior_csv.path, junior_csv.path, len(senior_csv.rows),
                          len(junior_csv.rows), len(loaded), len(junior_posts), problems,
                          tuple(senior_check.notes + junior_check.notes), tuple(skipped_lines),
                          strict)
    assert report.accounted, report.counts()
    organisation = next((r["organisation"] for s in (senior_csv, junior_csv) for r in s.rows
                         if r["organisation"]), Path(senior).stem)
    parent = next((r["parent"] for s in (senior_csv, junior_csv) for r in s.rows
                   if r["parent"]), "")
    return OrganogramReturn(organisation, parent, when, tuple(loaded.values()), junior_posts,
                            report)

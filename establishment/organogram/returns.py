"""An organogram return read and checked: senior posts, junior rows, and an account of every
input row.

Every row of both files has exactly one fate (:class:`RowFate`), counted in rows and fte:

- **loaded** as a post, with its pay **given** (a range), **not disclosed** (``N/D``, ``ND``,
  blank, or any other text where a sum belongs: ``ns``, ``unknown``...) or **none** (``0`` to
  ``0``, ``N/A``, ``nil``). Posts whose pay is not disclosed or none are kept, fte and all, and
  are not priced: they are marked (``Post.unpriced``) and every table counts them;
- **loaded, job share**: a senior row identical to an earlier one with the same reference
  except for name, contact details and notes is another person in the same post (the post's
  fte is the sum of its rows');
- **excluded**: a senior row named "Eliminated" (a post reported last time that no longer
  exists: not in the establishment) or with post reference "0" (a person paid but not in a
  post, counted as a person outside posts);
- **skipped**, with why: a row that cannot be a post (a blank or unreadable fte, a blank
  reference, grade, title or unit, a malformed number, a pay minimum above its maximum, a
  duplicate reference that is not a job share). Strict mode fails with every problem; lenient
  mode skips those rows.

Nothing is dropped because of its parent: a row that reports to a skipped, eliminated or
missing senior post is loaded, with a note saying exactly which ("reports to 'X', which was
skipped (line N)"; "... which is not a post in this file"; a reference that differs only by
letter case gets "did you mean 'ABC-001'?").

:meth:`ImportReport.accounted` checks that loaded + excluded + skipped are the files' rows, and
their fte the files' readable fte.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from attrs import evolve, frozen

from establishment.errors import LoadError, Problem
from establishment.model.post import FTE_PLACES, MAX_FTE, MAX_MONEY
from establishment.organogram.reading import (
    JUNIOR_COLUMNS,
    SENIOR_COLUMNS,
    TOP_MARKERS,
    CsvFile,
    Pay,
    Row,
    parse_fte,
    parse_money,
    parse_pay,
    read_csv,
)

SHOWN = {c.field: c.shown for c in SENIOR_COLUMNS}
JUNIOR_SHOWN = {c.field: c.shown for c in JUNIOR_COLUMNS}

GIVEN, NOT_DISCLOSED, NO_PAY = "given", "not disclosed", "none"
LOADED = "loaded"
LOADED_ND = "loaded, pay not disclosed"
LOADED_NONE = "loaded, no pay"
JOB_SHARE = "loaded, job share (another person in a post above)"
ELIMINATED = "excluded: eliminated"
OUTSIDE = "excluded: people outside posts (reference 0)"
LOADED_BY_PAY = {GIVEN: LOADED, NOT_DISCLOSED: LOADED_ND, NO_PAY: LOADED_NONE}
OUTCOMES = (LOADED, LOADED_ND, LOADED_NONE, JOB_SHARE, ELIMINATED, OUTSIDE)
LOADED_OUTCOMES = (LOADED, LOADED_ND, LOADED_NONE, JOB_SHARE)
# fields a job share's rows may differ in (besides the person's fte share)
PERSONAL_FIELDS = ("name", "phone", "email", "notes", "valid", "uri")


@frozen
class SeniorPost:
    """One senior post as the return gives it: pay ``None`` unless ``pay_state`` is
    ``given``; ``people`` rows (a job share) on ``lines``."""

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
    pay_state: str = GIVEN
    lines: tuple[int, ...] = ()

    @property
    def not_disclosed(self) -> bool:
        return self.pay_state == NOT_DISCLOSED

    @property
    def people(self) -> int:
        return max(len(self.lines), 1)


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
    pay_min: Decimal | None
    pay_max: Decimal | None
    fte: Decimal
    profession: str = ""
    pay_state: str = GIVEN


@frozen
class RowFate:
    """What became of one input row: its outcome (one of ``OUTCOMES`` or ``skipped: why``),
    and its fte where it can be read."""

    file: str
    line: int
    outcome: str
    fte: Decimal | None

    @property
    def skipped(self) -> bool:
        return self.outcome.startswith("skipped")


def _rows(count: int) -> str:
    return f"{count} row{'' if count == 1 else 's'}"


def fte_text(total: Decimal, unknown: int) -> str:
    """An fte total as text, with the rows whose fte cannot be read: "12.5 fte",
    "12.5 fte (+2 rows, fte unknown)", "fte unknown"."""
    text = f"{total.normalize():f} fte" if total else "0 fte"
    if not unknown:
        return text
    if not total:
        return "fte unknown"
    return f"{text} (+{_rows(unknown)}, fte unknown)"


@frozen
class ImportReport:
    """What happened to every row (``fates``), each problem and note."""

    senior_file: str
    junior_file: str
    senior_rows: int
    junior_rows: int
    fates: tuple[RowFate, ...]
    problems: tuple[Problem, ...]
    notes: tuple[Problem, ...]
    strict: bool

    def _count(self, file: str, outcomes: tuple[str, ...]) -> int:
        return sum(1 for f in self.fates if f.file == file and f.outcome in outcomes)

    @property
    def senior_loaded(self) -> int:
        return self._count(self.senior_file, LOADED_OUTCOMES)

    @property
    def junior_loaded(self) -> int:
        return self._count(self.junior_file, LOADED_OUTCOMES)

    @property
    def skipped_lines(self) -> tuple[tuple[str, int], ...]:
        return tuple((f.file, f.line) for f in self.fates if f.skipped)

    @property
    def senior_skipped(self) -> int:
        return sum(1 for f, _ in self.skipped_lines if f == self.senior_file)

    @property
    def junior_skipped(self) -> int:
        return sum(1 for f, _ in self.skipped_lines if f == self.junior_file)

    @property
    def accounted(self) -> bool:
        """Every row read has exactly one fate: loaded + excluded + skipped = rows."""
        for file, rows in ((self.senior_file, self.senior_rows),
                           (self.junior_file, self.junior_rows)):
            lines = [f.line for f in self.fates if f.file == file]
            if len(lines) != rows or len(set(lines)) != rows:
                return False
        return True

    def tally(self) -> list[tuple[str, int, Decimal, int, int, Decimal, int]]:
        """(outcome, senior rows, senior fte, senior rows fte unknown, junior rows, junior
        fte, junior rows fte unknown) for every outcome found, in a fixed order."""
        found: dict[str, list] = {}
        for fate in self.fates:
            row = found.setdefault(fate.outcome, [0, Decimal(0), 0, 0, Decimal(0), 0])
            at = 0 if fate.file == self.senior_file else 3
            row[at] += 1
            if fate.fte is None:
                row[at + 2] += 1
            else:
                row[at + 1] += fate.fte
        order = [o for o in OUTCOMES if o in found] + sorted(o for o in found
                                                             if o not in OUTCOMES)
        return [(o, *found[o]) for o in order]

    def summary(self) -> list[str]:
        """Every row accounted for, one line per outcome (rows and fte, senior and junior),
        and the files' totals they add up to."""
        lines = []
        totals = [0, Decimal(0), 0, 0, Decimal(0), 0]
        for outcome, *values in self.tally():
            totals = [a + b for a, b in zip(totals, values)]
            lines.append(self._line(outcome, values))
        lines.append(self._line("= the files", totals))
        return lines

    @staticmethod
    def _line(label: str, values: list) -> str:
        parts = [f"{who} {_rows(values[at])}, {fte_text(values[at + 1], values[at + 2])}"
                 for who, at in (("senior", 0), ("junior", 3)) if values[at]]
        return f"{label}: {'; '.join(parts) or 'no rows'}"

    def counts(self) -> str:
        def part(file: str, rows: int) -> str:
            loaded = self._count(file, LOADED_OUTCOMES)
            excluded = self._count(file, (ELIMINATED, OUTSIDE))
            skipped = sum(1 for f in self.fates if f.file == file and f.skipped)
            return f"{rows} rows, {loaded} loaded, {excluded} excluded, {skipped} skipped"
        return (f"senior: {part(self.senior_file, self.senior_rows)}; junior: "
                f"{part(self.junior_file, self.junior_rows)}; {len(self.problems)} problems, "
                f"{len(self.notes)} notes")


class ReturnLoadError(LoadError):
    """A strict import that found problems: every problem, and the account of every row."""

    def __init__(self, problems: list[Problem], report: ImportReport) -> None:
        super().__init__(problems)
        self.report = report


@frozen
class OrganogramReturn:
    """A loaded return: organisation, date, posts, and the report of how it was read."""

    organisation: str
    parent: str
    date: dt.date
    senior: tuple[SeniorPost, ...]
    junior: tuple[JuniorPosts, ...]
    report: ImportReport

    @property
    def people_outside_posts(self) -> int:
        return sum(1 for f in self.report.fates if f.outcome == OUTSIDE)


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


def row_fte(row: Row) -> Decimal | None:
    """A row's fte where it can be read (for the account of rows), else None."""
    try:
        value = parse_fte(row["fte"]) if row["fte"] else None
    except ValueError:
        return None
    return value if value is not None and value >= 0 else None


class _Checker:
    """Collects problems and notes for one file, row by row; the first problem of a row is
    why it is skipped."""

    def __init__(self, source: CsvFile, shown: dict[str, str]) -> None:
        self.source = source
        self.shown = {k: source.headers.get(k, v) for k, v in shown.items()}
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []
        self.why = ""

    @property
    def row_failed(self) -> bool:
        return bool(self.why)

    def start(self) -> None:
        self.why = ""

    def problem(self, row: Row, message: str, field: str | None = None, why: str = "") -> None:
        self.why = self.why or why or message
        self.problems.append(Problem(self.source.path, row.line, message,
                                     self.shown.get(field) if field else None))

    def note(self, row: Row | int | None, message: str, field: str | None = None) -> None:
        line = row.line if isinstance(row, Row) else row
        self.notes.append(Problem(self.source.path, line, message,
                                  self.shown.get(field) if field else None))

    def text(self, row: Row, field: str, what: str) -> str:
        value = row[field]
        if not value:
            self.problem(row, f"is blank: {what}", field, f"blank {field.replace('_', ' ')}")
        return value

    def fte(self, row: Row, field: str) -> Decimal | None:
        raw = row[field]
        if not raw:
            self.problem(row, "is blank: expected a number of posts in fte above 0", field,
                         "blank fte")
            return None
        try:
            value = parse_fte(raw)
        except ValueError:
            self.problem(row, f"must be a number of posts in fte above 0 (found {raw!r})", field,
                         "fte not a number")
            return None
        checks = ((value <= 0, f"must be above 0 (found {raw!r}): no post to load", "fte 0"),
                  (value > MAX_FTE, f"must be at most {MAX_FTE:,} (found {raw!r})",
                   "fte too large"),
                  (value.as_tuple().exponent < -FTE_PLACES,  # type: ignore[operator]
                   f"must have at most {FTE_PLACES} decimal places (found {raw!r})",
                   "fte with too many decimal places"))
        for failed, message, why in checks:
            if failed:
                self.problem(row, message, field, why)
                return None
        return value

    def pay(self, row: Row, field: str) -> Pay | None:
        raw = row[field]
        try:
            pay = parse_pay(raw)
        except ValueError:
            self.problem(row, f"must be a sum of money such as 45000, N/D or N/A (found "
                         f"{raw!r})", field, "pay not readable")
            return None
        if pay.amount is not None and pay.amount > MAX_MONEY:
            self.problem(row, f"must be at most £{MAX_MONEY:,} (found {raw!r})", field,
                         "pay too large")
            return None
        if pay.reformatted:
            self.note(row, f"written {raw!r}: read as {pay.amount}", field)
        return pay

    def pay_range(self, row: Row, low_field: str, high_field: str
                  ) -> tuple[str, Decimal | None, Decimal | None] | None:
        """(state, low, high) of a row's pay pair; None when a value is unreadable."""
        low, high = self.pay(row, low_field), self.pay(row, high_field)
        if low is None or high is None:
            return None
        if low.amount is not None and high.amount is not None:
            if low.amount > high.amount:
                self.problem(row, f"{_pounds(low.amount)} is above {self.shown[high_field]!r} "
                             f"{_pounds(high.amount)}: a pay minimum cannot exceed its maximum",
                             low_field, "pay minimum above maximum")
                return None
            if high.amount == 0:
                return NO_PAY, None, None
            return GIVEN, low.amount, high.amount
        states = {low.state, high.state}
        state = NO_PAY if states <= {NO_PAY, GIVEN} and NO_PAY in states else NOT_DISCLOSED
        return state, None, None


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
                        f"{checker.source.width}: a value with an unquoted comma?",
                        why="more fields than the header")


def _pay_note(checker: _Checker, row: Row, state: str, what: str, fields: tuple[str, str]
              ) -> None:
    written = " to ".join(repr(row[f]) for f in fields)
    if state == NOT_DISCLOSED:
        checker.note(row, f"pay not disclosed ({written}): {what} is kept and not priced",
                     fields[0])
    elif state == NO_PAY:
        checker.note(row, f"no pay ({written}): {what} is kept and not priced", fields[0])


class _Seniors:
    """The senior file's rows in order: each one's fate, the posts, the references."""

    def __init__(self, checker: _Checker, units: _Units) -> None:
        self.check = checker
        self.units = units
        self.posts: dict[str, SeniorPost] = {}
        self.rows: dict[str, Row] = {}
        self.skipped: dict[str, int] = {}
        self.eliminated: dict[str, int] = {}
        self.fates: list[RowFate] = []

    def fate(self, row: Row, outcome: str) -> None:
        self.fates.append(RowFate(self.check.source.path, row.line, outcome, row_fte(row)))

    def read(self, row: Row) -> None:
        reference = row["reference"]
        if row["name"].strip().lower() == "eliminated":
            self.eliminated.setdefault(reference, row.line)
            self.fate(row, ELIMINATED)
            return
        if reference == "0":
            self.fate(row, OUTSIDE)
            return
        if reference in self.posts and self._job_share(row, reference):
            return
        post = self._post(row)
        if post is None:
            self.fate(row, f"skipped: {self.check.why}")
            if reference and reference not in self.posts:
                self.skipped.setdefault(reference, row.line)
            return
        self.posts[reference] = post
        self.rows[reference] = row
        self.fate(row, LOADED_BY_PAY[post.pay_state])

    def _job_share(self, row: Row, reference: str) -> bool:
        first = self.rows[reference]
        same = all(row[k] == first[k] for k in first.values if k not in PERSONAL_FIELDS)
        fte = row_fte(row)
        if not same or not fte:
            return False
        post = self.posts[reference]
        self.posts[reference] = evolve(post, fte=post.fte + fte,
                                       lines=(*(post.lines or (post.line,)), row.line))
        self.check.note(row, f"job share: another person in post {reference!r} (line "
                        f"{first.line}); the post's fte is the sum of its rows'", "reference")
        self.fate(row, JOB_SHARE)
        return True

    def _post(self, row: Row) -> SeniorPost | None:
        check = self.check
        check.start()
        _width_check(check, row)
        reference = check.text(row, "reference", "a senior post needs its reference")
        if reference and reference in self.posts:
            check.problem(row, f"{reference!r} is a duplicate of line "
                          f"{self.posts[reference].line}: references must be unique (rows "
                          f"that differ only in name, contact details and notes are a job "
                          f"share)", "reference", "duplicate reference")
        grade = check.text(row, "grade", "expected a grade such as SCS1")
        title = check.text(row, "title", "expected the post's job title")
        check.text(row, "unit", "expected the unit the post belongs to")
        unit = self.units.check(check, row)
        fte = check.fte(row, "fte")
        pay = check.pay_range(row, "pay_floor", "pay_ceiling")
        cost_of_reports = self._cost_of_reports(row)
        if check.row_failed:
            return None
        assert fte is not None and pay is not None
        reports_to = None if row["reports_to"].lower() in TOP_MARKERS else row["reports_to"]
        if reports_to == reference:
            check.note(row, f"{reference!r} reports to itself: loaded as reporting to no post",
                       "reports_to")
            reports_to = None
        _pay_note(check, row, pay[0], f"post {reference}", ("pay_floor", "pay_ceiling"))
        return SeniorPost(row.line, reference, grade, title, unit, reports_to, fte, pay[1],
                          pay[2], cost_of_reports, row["name"].strip().lower() == "vacant",
                          row["profession"], pay[0], (row.line,))

    def _cost_of_reports(self, row: Row) -> Decimal | None:
        raw = row["cost_of_reports"]
        if not raw:
            return None
        try:
            return parse_money(raw).amount
        except ValueError:
            self.check.note(row, f"is not a sum of money (found {raw!r}): not compared",
                            "cost_of_reports")
            return None

    def parent_note(self, boss: str) -> str | None:
        """The note for a row reporting to ``boss``, or None when ``boss`` is a loaded post."""
        if boss in self.posts:
            return None
        senior = self.check.source.path
        if boss in self.skipped:
            return f"reports to {boss!r}, which was skipped (line {self.skipped[boss]})"
        if boss in self.eliminated:
            return (f"reports to {boss!r}, which is eliminated (line {self.eliminated[boss]}): "
                    f"kept as given")
        folded = {ref.casefold(): ref for ref in [*self.posts, *self.skipped]}
        hint = folded.get(boss.casefold())
        if hint is not None:
            return (f"reports to {boss!r}, which is not a post in {senior}: did you mean "
                    f"{hint!r}?")
        return (f"reports to {boss!r}, which is not a post in {senior}: kept as given (a post "
                f"outside the return)")

    def reporting_notes(self) -> None:
        for post in self.posts.values():
            if post.reports_to is not None:
                note = self.parent_note(post.reports_to)
                if note is not None:
                    self.check.note(post.line, note, "reports_to")


def _junior(checker: _Checker, units: _Units, row: Row, seniors: _Seniors) -> dict | None:
    checker.start()
    _width_check(checker, row)
    checker.text(row, "unit", "expected the unit of the posts")
    unit = units.check(checker, row)
    reports_to = checker.text(row, "reports_to", "expected the reference of a senior post")
    grade = checker.text(row, "grade", "expected the posts' grade")
    title = checker.text(row, "title", "expected the posts' generic job title")
    pay = checker.pay_range(row, "pay_min", "pay_max")
    fte = checker.fte(row, "fte")
    if checker.row_failed:
        return None
    assert pay is not None
    note = seniors.parent_note(reports_to)
    if note is not None:
        checker.note(row, note, "reports_to")
    _pay_note(checker, row, pay[0], "the row", ("pay_min", "pay_max"))
    return {"line": row.line, "unit": unit, "reports_to": reports_to, "grade": grade,
            "title": title, "pay_min": pay[1], "pay_max": pay[2], "fte": fte,
            "profession": row["profession"], "pay_state": pay[0]}


def _read_juniors(junior_csv: CsvFile, checker: _Checker, units: _Units, seniors: _Seniors,
                  progress: Callable[[int], None] | None) -> tuple[list[dict], list[RowFate]]:
    juniors: list[dict] = []
    fates: list[RowFate] = []
    first_values: dict[tuple, int] = {}
    for count, row in enumerate(junior_csv.rows):
        if progress is not None and count % 1000 == 0:
            progress(count)
        found = _junior(checker, units, row, seniors)
        if found is None:
            fates.append(RowFate(junior_csv.path, row.line, f"skipped: {checker.why}",
                                 row_fte(row)))
            continue
        values = tuple(row.values.items())
        if values in first_values:
            checker.note(row, f"same values as line {first_values[values]}: both loaded "
                         f"(check the return for double counting)")
        first_values.setdefault(values, row.line)
        juniors.append(found)
        fates.append(RowFate(junior_csv.path, row.line, LOADED_BY_PAY[found["pay_state"]],
                             found["fte"]))
    return juniors, fates


def read_return(senior: str | Path, junior: str | Path, *, strict: bool = True,
                date: dt.date | None = None,
                progress: Callable[[int], None] | None = None) -> OrganogramReturn:
    """Read and check a return's senior and junior CSVs.

    Every problem of every row is found, in both modes. ``strict``: any problem fails with a
    :class:`ReturnLoadError` listing every one (and the account of every row). Otherwise the
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
    seniors = _Seniors(senior_check, units)
    for row in senior_csv.rows:
        seniors.read(row)
    seniors.reporting_notes()
    juniors, junior_fates = _read_juniors(junior_csv, junior_check, units, seniors, progress)
    references = junior_reference([(junior_key(j["unit"], j["reports_to"], j["grade"],
                                                j["title"]), j["profession"]) for j in juniors])
    junior_posts = tuple(JuniorPosts(reference=ref, **j) for ref, j in zip(references, juniors))
    problems = tuple(senior_check.problems + junior_check.problems)
    report = ImportReport(senior_csv.path, junior_csv.path, len(senior_csv.rows),
                          len(junior_csv.rows), tuple(seniors.fates + junior_fates), problems,
                          tuple(senior_check.notes + junior_check.notes), strict)
    assert report.accounted, report.counts()
    if strict and problems:
        raise ReturnLoadError(list(problems), report)
    organisation = next((r["organisation"] for s in (senior_csv, junior_csv) for r in s.rows
                         if r["organisation"]), Path(senior).stem)
    parent = next((r["parent"] for s in (senior_csv, junior_csv) for r in s.rows
                   if r["parent"]), "")
    return OrganogramReturn(organisation, parent, when, tuple(seniors.posts.values()),
                            junior_posts, report)

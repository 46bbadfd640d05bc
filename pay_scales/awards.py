"""Pay awards as data: an award agreed or assumed for a pay year, and the pay data it makes.

Budgets are set before the award is known. An :class:`Award` says, for one pay year (or for
every year after the data: ``pay_year`` None), how each spine point moves from the year
before: a percentage (``rate``), a flat amount added to every point (``flat``), or a table of
new salaries by point (``points``, as NJC awards have been; points the table leaves out take
the rate or flat amount, else are an error). Its ``status`` is ``assumed`` (a budget
assumption) or ``agreed`` (settled but not yet in the bundled data).

:func:`with_awards` chains awards from the last spine year the data hold to the year asked
for: each year's table is the year before's, moved by that year's award and rounded to £1
half up (the rule's uplift, :func:`uplift_salary`), so 2027/28 rests on 2026/27 rests on the
last published year. Employer NI for tax years after the data is carried forward from the last
year the data hold, marked assumed; the apprenticeship levy and pension rates already stay in
force until the data change them. An award for a year the data already cover is not used: the
published figures replace it, and :attr:`Extension.notes` says so. Every figure resting on an
assumed award carries the provenance basis ``assumed``, so tables mark it.

The grammar (the command line's ``--award``, a ``[basis]``'s ``awards``, an employer folder's
``[[award]]``, a rule's ``award``): ``3.2%`` (every year after the data), ``2026/27=3.2%``,
``2026/27=£1,925`` (flat per point), with `` agreed`` after it for an agreed award.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Literal, get_args

import attrs
from attrs import frozen

from pay_scales.dates import parse_pay_year, pay_year_label, pay_year_of, pay_year_start
from pay_scales.errors import PayScaleError
from pay_scales.grades import GradeRange, Grades
from pay_scales.national_insurance import EmployerNI
from pay_scales.rounding import round_pounds
from pay_scales.sources import Provenance
from pay_scales.spine import Spine, SpinePoint

AwardStatus = Literal["assumed", "agreed"]
STATUSES: tuple[AwardStatus, ...] = get_args(AwardStatus)
MAX_CHAIN = 120  # years an award chain may reach past the data (a 100-year projection fits)
AWARD_EXAMPLE = ("an award such as 3.2%, 2026/27=3.2%, 2026/27=£1,925 (flat per point) or "
                 "2026/27=3.2% agreed")


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def _pounds(value: Decimal) -> str:
    text = f"{value:,.2f}"
    return "£" + (text[:-3] if text.endswith(".00") else text)


@frozen
class Award:
    """A pay award for ``pay_year`` (None: every year after the pay data)."""

    pay_year: int | None
    rate: Decimal | None = None
    flat: Decimal | None = None
    points: tuple[tuple[int, Decimal], ...] = ()
    status: str = "assumed"
    source: str = ""

    def __attrs_post_init__(self) -> None:
        if self.status not in STATUSES:
            raise PayScaleError(f"award status must be one of {', '.join(STATUSES)} (got "
                                f"{self.status!r})", field="status", expected=STATUSES,
                                found=self.status)
        if self.rate is None and self.flat is None and not self.points:
            raise PayScaleError("an award needs a rate, a flat amount or a table of points",
                                field="award", expected=AWARD_EXAMPLE, found=None)
        if self.rate is not None and self.flat is not None:
            raise PayScaleError("an award is a rate or a flat amount, not both", field="award",
                                expected=AWARD_EXAMPLE, found=f"{self.rate} and {self.flat}")

    @property
    def assumed(self) -> bool:
        return self.status == "assumed"

    def amount(self) -> str:
        """The award alone: ``3.2%``, ``£1,925 a point``, ``a table of 43 points``."""
        parts = []
        if self.points:
            parts.append(f"a table of {len(self.points)} points")
        if self.rate is not None:
            parts.append(_percent(self.rate))
        if self.flat is not None:
            parts.append(f"{_pounds(self.flat)} a point")
        return " (other points ".join(parts) + (")" if len(parts) > 1 else "")

    def describe(self) -> str:
        """``2026/27 3.2% (assumed)``; a bare award: ``3.2% a year after the data``."""
        when = (pay_year_label(self.pay_year) + " " if self.pay_year is not None else "")
        tail = "" if self.pay_year is not None else " a year after the data"
        return f"{when}{self.amount()}{tail} ({self.status})"

    def text(self) -> str:
        """The award in its own grammar (what :func:`parse_award` reads back); a table of
        points has no one-line form and is written as a TOML table instead."""
        head = f"{pay_year_label(self.pay_year)}=" if self.pay_year is not None else ""
        amount = (_percent(self.rate) if self.rate is not None
                  else f"£{self.flat:f}")
        return head + amount + (" agreed" if self.status == "agreed" else "")

    def as_data(self) -> str | dict[str, Any]:
        """The award as a file or a register stores it: its one-line form (:meth:`text`),
        or a table (:func:`award_from_table`) when it has points or a source."""
        if not self.points and not self.source:
            return self.text()
        table: dict[str, Any] = {"status": self.status}
        if self.pay_year is not None:
            table["pay_year"] = pay_year_label(self.pay_year)
        if self.source:
            table["source"] = self.source
        if self.rate is not None or self.flat is not None:
            table["award"] = Award(None, self.rate, self.flat).text()
        if self.points:
            table["points"] = {str(scp): str(salary) for scp, salary in self.points}
        return table

    def salary(self, scp: int, before: Decimal) -> Decimal:
        """The salary of ``scp`` after this award, from ``before`` (rounded to £1 half up)."""
        table = dict(self.points)
        if scp in table:
            return table[scp]
        if self.rate is not None:
            return uplift_salary(before, self.rate)
        if self.flat is not None:
            return round_pounds(Fraction(before) + Fraction(self.flat))
        raise PayScaleError(f"the {self.describe()} award's table has no scp {scp} and no rate "
                            f"or flat amount for other points", field="scp", found=scp)


def uplift_salary(salary: Decimal, rate: Decimal | None) -> Decimal:
    """A salary uplifted by an award's ``rate``, rounded to £1 half up (the one uplift rule,
    for awards chained year by year and for a rule's ``award``)."""
    if rate is None:
        return salary
    return round_pounds(Fraction(salary) * (1 + Fraction(rate)))


def _rate(text: str, found: object, field: str) -> Decimal:
    body = text[:-1].strip() if text.endswith("%") else text
    try:
        value = Decimal(body)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise PayScaleError(f"{field}: expected {AWARD_EXAMPLE}, got {found!r}", field=field,
                            expected=AWARD_EXAMPLE, found=found)
    rate = value / 100 if text.endswith("%") else value
    if not text.endswith("%") and value >= 1:
        raise PayScaleError(f"{field}: a bare {body} is ambiguous: write {body}% for per cent "
                            f"or £{body} for a flat amount a point", field=field,
                            expected=AWARD_EXAMPLE, found=found)
    if not -1 < rate < 1:
        raise PayScaleError(f"{field}: an award rate from -100% to 100% (got {found!r})",
                            field=field, expected=AWARD_EXAMPLE, found=found)
    return rate


def _flat(text: str, found: object, field: str) -> Decimal:
    try:
        value = Decimal(text.lstrip("£").replace(",", "").strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise PayScaleError(f"{field}: expected {AWARD_EXAMPLE}, got {found!r}", field=field,
                            expected=AWARD_EXAMPLE, found=found)
    return value


def parse_award(value: object, field: str = "award", source: str = "") -> Award:
    """One award in the grammar of the module docstring; a located :class:`PayScaleError`
    naming ``field`` otherwise."""
    if isinstance(value, Award):
        return value
    if not isinstance(value, str) or not value.strip():
        raise PayScaleError(f"{field}: expected {AWARD_EXAMPLE}, got {value!r}", field=field,
                            expected=AWARD_EXAMPLE, found=value)
    text = value.strip()
    status = "assumed"
    for word in STATUSES:
        if text.lower().endswith(" " + word) or text.lower().endswith(":" + word):
            status, text = word, text[:-len(word) - 1].strip()
    year = None
    if "=" in text:
        head, text = (part.strip() for part in text.split("=", 1))
        try:
            year = parse_pay_year(head)
        except ValueError:
            raise PayScaleError(f"{field}: {head!r} is not a pay year such as 2026/27 "
                                f"({AWARD_EXAMPLE})", field=field, expected=AWARD_EXAMPLE,
                                found=value) from None
    if text.startswith("£"):
        return Award(year, flat=_flat(text, value, field), status=status, source=source)
    return Award(year, rate=_rate(text, value, field), status=status, source=source)


def award_from_table(table: dict[str, Any], field: str = "award") -> Award:
    """An award written as a TOML table: ``pay_year``, one or more of ``award`` (the
    one-line grammar without the year), ``points`` (``{"1" = "24796", ...}``), and
    ``status``, ``source``."""
    known = {"pay_year", "award", "points", "status", "source"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise PayScaleError(f"{field}: unknown key(s) {', '.join(unknown)}; expected some of "
                            f"{', '.join(sorted(known))}", field=unknown[0])
    year = table.get("pay_year")
    try:
        pay_year = None if year is None else parse_pay_year(year)
    except ValueError:
        raise PayScaleError(f"{field}: pay_year {year!r} is not a pay year such as 2026/27",
                            field="pay_year", found=year) from None
    status = str(table.get("status", "assumed"))
    source = str(table.get("source", ""))
    points = _points(table.get("points", {}), field)
    if "award" in table:
        one = parse_award(str(table["award"]), field, source)
        return Award(pay_year, one.rate, one.flat, points, status, source)
    return Award(pay_year, points=points, status=status, source=source)


def _points(table: object, field: str) -> tuple[tuple[int, Decimal], ...]:
    if not isinstance(table, dict):
        raise PayScaleError(f"{field}: points must be a table of scp = salary", field="points",
                            found=table)
    out = []
    for scp, salary in table.items():
        try:
            if isinstance(salary, float):
                raise ValueError
            out.append((int(scp), Decimal(str(salary))))
        except (ValueError, InvalidOperation):
            raise PayScaleError(f"{field}: points: scp {scp!r} = {salary!r} is not a point and "
                                f"a quoted salary such as \"1\" = \"24796\"", field="points",
                                found=f"{scp} = {salary}") from None
    return tuple(sorted(out))


def parse_awards(value: object, field: str = "awards") -> tuple[Award, ...]:
    """Awards as a file gives them: one string, a list of strings and tables, or a table."""
    if value is None:
        return ()
    items = value if isinstance(value, (list, tuple)) else [value]
    out = []
    for item in items:
        out.append(award_from_table(item, field) if isinstance(item, dict)
                   else parse_award(item, field))
    check_awards(out)
    return tuple(out)


def check_awards(awards: list[Award] | tuple[Award, ...]) -> None:
    """One award a year, and at most one for every year after the data."""
    seen: set[int | None] = set()
    for award in awards:
        if award.pay_year in seen:
            which = (pay_year_label(award.pay_year) if award.pay_year is not None
                     else "every year after the data")
            raise PayScaleError(f"two awards for {which}: give one", field="award",
                                found=award.describe())
        seen.add(award.pay_year)


def award_for(awards: tuple[Award, ...], pay_year: int) -> Award | None:
    """The award of ``pay_year``: the one naming it, else the bare one, else None."""
    named = [a for a in awards if a.pay_year == pay_year]
    if named:
        return named[0]
    bare = [a for a in awards if a.pay_year is None]
    return bare[0] if bare else None


@frozen
class Extension:
    """Pay data extended by awards: the spine and NI to use, and what was assumed."""

    spine: Spine | None
    employer_ni: EmployerNI
    grades: Grades
    assumptions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def extend_spine(spine: Spine, awards: tuple[Award, ...], through: int
                 ) -> tuple[Spine, list[str], list[str]]:
    """``spine`` with a table for each pay year after its last up to ``through`` that has an
    award; stops at the first year without one (a later year is then an error naming it).
    Returns the spine, what was assumed, and notes on awards the data replace."""
    last = pay_year_of(spine.effective_dates[-1])
    notes = [f"the {pay_year_label(a.pay_year)} award is published in the pay data: the "
             f"{a.describe()} award is not used" for a in awards
             if a.pay_year is not None and a.pay_year <= last]
    points = dict(spine.points)
    tables = dict(spine.spine_of_table)
    said: list[str] = []
    year = last
    previous = spine.effective_dates[-1]
    current = [p for (day, _), p in sorted(points.items()) if day == previous]
    while year < min(through, last + MAX_CHAIN):
        award = award_for(awards, year + 1)
        if award is None:
            break
        year += 1
        day = pay_year_start(year)
        name = tables[previous]
        provenance = Provenance("award " + award.describe(),
                                "assumed" if award.assumed else "stated",
                                award.source or f"{award.describe()} on the "
                                f"{pay_year_label(year - 1)} {spine.name} spine")
        current = [SpinePoint(day, name, p.scp, award.salary(p.scp, p.salary), provenance)
                   for p in current]
        points.update(((day, p.scp), p) for p in current)
        tables[day] = name
        previous = day
        said.append(f"{award.describe()} award on the {pay_year_label(year - 1)} "
                    f"{spine.name} spine" + (" [a]" if award.assumed else ""))
    if year == last:
        return spine, said, notes
    return (Spine(spine.name, points, tuple(sorted(tables)), tables), said, notes)


def carry_grades(grades: Grades, last_year: int) -> Grades:
    """Grade ranges in force in the last published pay year carried forward, open-ended,
    past the end of their evidence (marked assumed): an assumed year keeps the last known
    ranges, as it keeps the last known points."""
    start = pay_year_start(last_year)
    latest: dict[tuple[str, str], GradeRange] = {}
    for found in grades.ranges:
        key = (found.grade, found.spine)
        if key not in latest or (found.valid_from or dt.date.min) >= (
                latest[key].valid_from or dt.date.min):
            latest[key] = found
    extra = tuple(
        attrs.evolve(r, valid_from=r.valid_to + dt.timedelta(days=1), valid_to=None,
                     provenance=Provenance(r.provenance.file, "assumed",
                                           f"the range to {r.valid_to} carried forward "
                                           f"(no later evidence)"))
        for r in latest.values() if r.valid_to is not None and r.valid_to >= start)
    return attrs.evolve(grades, ranges=grades.ranges + extra) if extra else grades


def carry_ni(employer_ni: EmployerNI, through: int) -> tuple[EmployerNI, list[str]]:
    """Employer NI with each tax year after the data up to ``through`` carried forward from
    the last year the data hold (its last rate period for the whole year), marked assumed."""
    years = employer_ni.tax_years
    if not years or years[-1] >= through:
        return employer_ni, []
    last = years[-1]
    source = employer_ni.for_tax_year(last)[-1]
    extra = []
    for year in range(last + 1, through + 1):
        start = dt.date(year, 4, 6)
        extra.append(attrs.evolve(
            source, tax_year=year, effective_from=start, until=dt.date(year + 1, 4, 5),
            provenance=Provenance("employer NI carried forward", "assumed",
                                  f"the {pay_year_label(last)} rate and threshold carried "
                                  f"forward (no announced rates in the data)")))
    said = [f"employer NI for {pay_year_label(last + 1)}"
            + (f" to {pay_year_label(through)}" if through > last + 1 else "")
            + f" carried forward from {pay_year_label(last)} ({_percent(source.rate)} above "
            f"{_pounds(source.threshold_annual)}) [a]"]
    return EmployerNI(employer_ni.periods + tuple(extra)), said


def extend(spine: Spine | None, employer_ni: EmployerNI, grades: Grades,
           awards: tuple[Award, ...], through: int, carry: bool) -> Extension:
    """The pay data extended by ``awards`` up to ``through`` (NI carried forward when
    ``carry``; grade ranges in force in the last published year carried forward when a year
    is assumed)."""
    said: list[str] = []
    notes: list[str] = []
    if spine is not None and awards:
        last = pay_year_of(spine.effective_dates[-1])
        spine, said, notes = extend_spine(spine, awards, through)
        if said:
            carried = carry_grades(grades, last)
            if carried is not grades:
                said.append(f"grade ranges in force in {pay_year_label(last)} carried forward "
                            f"past their evidence [a]")
            grades = carried
    if carry:
        employer_ni, ni_said = carry_ni(employer_ni, through)
        said += ni_said
    return Extension(spine, employer_ni, grades, tuple(said), tuple(notes))

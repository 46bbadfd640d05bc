"""An employer as data: its grades, its on-cost rules, its published costed rates.

An employer is a folder (``employer.toml``, ``grades.csv``, optionally ``costed_rates.csv``).
The bundled ones live in ``pay_scales/data/employers/``; a user adds their own by pointing
:func:`load_employer` at a folder of the same shape, with no change to code.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import attrs
from attrs import frozen

from pay_scales.apprenticeship_levy import LevyRate, levy_on, load_levy
from pay_scales.awards import Award, extend, parse_awards
from pay_scales.dates import (
    parse_pay_year,
    pay_year_label,
    pay_year_of,
    pay_year_start,
    tax_year_end,
    tax_year_start,
)
from pay_scales.errors import PayScaleError
from pay_scales.grades import GradeRange, Grades, load_grades
from pay_scales.national_insurance import (
    ContractedOutRebate,
    EmployerNI,
    NIPeriod,
    load_contracted_out_rebates,
    load_employer_ni,
    rebate_for,
)
from pay_scales.rules import OnCostRule, UnitCost, parse_rule, unit_cost
from pay_scales.sources import Provenance, data_dir, read_csv_rows
from pay_scales.spine import Spine, load_spine
from pay_scales.vocabulary import POINTS, CostingPoint  # noqa: F401 (re-exported)


@frozen
class CostedRate:
    """An employer-published cost with on-costs for a grade and point in a pay year."""

    pay_year: int
    grade: str
    scp: int | None
    cost: Decimal
    provenance: Provenance


@frozen
class Employer:
    """Everything needed to cost a post of this employer."""

    key: str
    name: str
    folder: Path
    grades: Grades
    rules: dict[str, OnCostRule]
    default_rule: str
    spine: Spine | None
    employer_ni: EmployerNI
    levy: tuple[LevyRate, ...]
    costed_rates: dict[tuple[int, str, int | None], CostedRate]
    notes: str = ""
    assimilation: dict[int, int] = attrs.field(factory=dict)
    rebates: dict[int, ContractedOutRebate] = attrs.field(factory=dict)
    full_time_hours: Decimal | None = None
    awards: tuple[Award, ...] = ()
    assumptions: tuple[str, ...] = ()
    award_notes: tuple[str, ...] = ()

    def with_awards(self, awards: tuple[Award, ...] = (), through: int | None = None, *,
                    carry_ni: bool = False) -> Employer:
        """This employer's pay data extended to pay year ``through`` by ``awards`` (on top of
        the folder's own ``[[award]]`` tables; one given for the same year wins), chained from
        the last spine year (:func:`pay_scales.awards.extend`). ``carry_ni``: carry employer
        NI forward too, even with no award (a projection beyond the NI data). Unchanged when
        there is nothing to extend; remembered by value."""
        given = {a.pay_year: a for a in awards}
        merged = tuple(given.get(a.pay_year, a) for a in self.awards) + tuple(
            a for a in awards if a.pay_year not in {b.pay_year for b in self.awards})
        if through is None or (not merged and not carry_ni):
            return self
        key = (self.folder, merged, through, carry_ni)
        found = _EXTENDED.get(key)
        if found is None:
            carry = carry_ni or bool(merged)
            extension = extend(self.spine, self.employer_ni, self.grades, merged, through,
                               carry)
            found = attrs.evolve(self, spine=extension.spine, grades=extension.grades,
                                 employer_ni=extension.employer_ni, awards=merged,
                                 assumptions=extension.assumptions,
                                 award_notes=extension.notes)
            if len(_EXTENDED) > 256:
                _EXTENDED.clear()
            _EXTENDED[key] = found
        return found

    def hours_of_full_time(self, rule: str | None = None) -> Decimal:
        """Contracted hours of a full-time week under ``rule`` (the rule's
        ``full_time_hours``, else the employer's); an error when the data give none."""
        hours = self.rule(rule).full_time_hours or self.full_time_hours
        if hours is None:
            raise PayScaleError(f"{self.name} states no full-time hours: give posts an fte, or "
                                f"set full_time_hours in {self.folder / 'employer.toml'}",
                                field="hours")
        return hours

    def annual_hours(self, rule: str | None = None) -> Decimal:
        """The annual hours basis under ``rule``: full-time hours x the rule's
        ``weeks_a_year`` (37 x 52 = 1,924); an error when the rule states no weeks."""
        weeks = self.rule(rule).weeks_a_year
        if weeks is None:
            raise PayScaleError(f"rule {self.rule(rule).name!r} of {self.name} states no "
                                f"weeks_a_year: posts in hours a year (annual_hours) need the "
                                f"annual hours basis (weeks_a_year = \"52\" for 37 x 52 = "
                                f"1,924 hours)", field="annual_hours")
        return self.hours_of_full_time(rule) * weeks

    def carry_scp(self, scp: int, from_year: int, to_year: int) -> int:
        """The point ``scp`` (on the spine of ``from_year``) stands at in ``to_year``.

        Across the 1 April 2019 NJC restructure an old-spine point moves to its published new
        point (old 34 -> new 28: ``old_to_new_spine.csv``); on the same spine it is unchanged.
        Going back from the new spine to the old is ambiguous (old 6 and 7 both became new 1),
        so it is an error rather than a guess.
        """
        spine = self._spine()
        before = spine.spine_on(pay_year_start(from_year))
        after = spine.spine_on(pay_year_start(to_year))
        if before == after:
            return scp
        if (before, after) == ("old", "new") and scp in self.assimilation:
            return self.assimilation[scp]
        raise PayScaleError(
            f"scp {scp} of the {before} spine ({pay_year_label(from_year)}) has no published "
            f"point on the {after} spine ({pay_year_label(to_year)})", field="scp", found=scp)

    def latest_pay_year(self, rule: str | None = None) -> int | None:
        """The last pay year this employer's data cover under ``rule``: the spine's last year,
        the rule's last pay year, and (for a rule with employer NI from the table) the last
        NI tax year, whichever ends first. None when nothing bounds it."""
        the_rule = self.rule(rule)
        ends = []
        if self.spine is not None:
            ends.append(pay_year_of(self.spine.effective_dates[-1]))
        if the_rule.pay_years:
            ends.append(the_rule.pay_years[1])
        if the_rule.ni and not the_rule.states_ni and self.employer_ni.tax_years:
            ends.append(max(self.employer_ni.tax_years))
        return min(ends) if ends else None

    def check_spine_covers(self, pay_year: int, rule: str | None = None) -> None:
        """A :class:`PayScaleError` when the spine (with any awards applied) does not reach
        ``pay_year`` under ``rule``: one problem for the whole year, not one per post."""
        the_rule = self.rule(rule)
        if self.spine is None or the_rule.spine_pay_year is not None:
            return
        last = pay_year_of(self.spine.effective_dates[-1])
        if pay_year > last:
            first = pay_year_label(last + 1)
            raise PayScaleError(
                f"no {self.spine.name} pay spine for {pay_year_label(pay_year)}: the pay data "
                f"end in {pay_year_label(last)} and no award is published or assumed for "
                f"{first}" + (f" to {pay_year_label(pay_year)}" if pay_year > last + 1 else "")
                + f"; state one (--award {first}=3%, [basis] awards = [\"{first}=3%\"], "
                f"PayBasis(awards=(\"{first}=3%\",)))", field="pay_year",
                expected=f"a pay year up to {pay_year_label(last)}, or an award assumption",
                found=pay_year_label(pay_year))

    def rule(self, name: str | None) -> OnCostRule:
        """The named on-cost rule (the employer's default when ``name`` is None)."""
        name = name or self.default_rule
        if name not in self.rules:
            raise PayScaleError(
                f"unknown on-cost rule {name!r} for {self.name}; rules: "
                f"{', '.join(sorted(self.rules))}", field="rule", expected=sorted(self.rules),
                found=name)
        return self.rules[name]

    def _spine(self) -> Spine:
        if self.spine is None:
            raise PayScaleError(f"{self.name} has no pay spine: give posts a salary or a pay "
                                f"range instead of a grade point", field="scp")
        return self.spine

    def grade_range(self, grade: str, day: dt.date, salary_day: dt.date | None = None
                    ) -> GradeRange:
        """The scp range of ``grade`` on ``day`` (on the spine in force on ``salary_day``)."""
        spine = self._spine().spine_on(salary_day or day)
        return self.grades.range_on(grade, day, spine)

    def point(self, grade: str, scp: int | None, point: CostingPoint, day: dt.date,
              salary_day: dt.date | None = None) -> int:
        """The scp to cost: the grade's top or bottom, or the post's own (checked in range).

        With ``point="actual"`` a post that gives no scp is costed at the top of its grade.
        """
        if point not in POINTS:
            raise PayScaleError(f"costing point must be one of {', '.join(POINTS)} "
                                f"(got {point!r})", field="point", expected=POINTS, found=point)
        found = self.grade_range(grade, day, salary_day)
        if point == "actual" and scp is not None:
            low_ok = found.scp_min is None or scp >= found.scp_min
            high_ok = found.scp_max is None or scp <= found.scp_max
            if not (low_ok and high_ok):
                raise PayScaleError(
                    f"scp {scp} is outside {found.grade} ({found.describe()})",
                    field="scp", expected=found.describe(), found=scp)
            return scp
        end = found.scp_min if point == "bottom" else found.scp_max
        if end is None:
            which = "bottom" if point == "bottom" else "top"
            raise PayScaleError(
                f"{found.grade} has no known {which} point ({found.describe()}: "
                f"{found.provenance.source}); give the post an scp or cost at another point",
                field="scp", expected=f"a known {which} of {found.grade}", found=None)
        return end

    def unit_cost(self, grade: str, scp: int | None, pay_year: int, *,
                  point: CostingPoint = "actual",
                  rule: str | None = None, rates_on: dt.date | None = None,
                  costed_rates: bool = True, ni_tax_year: int | None = None) -> UnitCost:
        """The full-year cost per fte of ``grade`` (at ``scp``/``point``) in ``pay_year``."""
        the_rule = self.rule(rule)
        the_rule.check_pay_year(pay_year)
        day = rates_on or pay_year_start(pay_year)
        salary_day = (pay_year_start(the_rule.spine_pay_year)
                      if the_rule.spine_pay_year is not None else day)
        canonical = self.grades.resolve(grade)
        at = self.point(canonical, scp, point, day, salary_day)
        grade_range = self.grade_range(canonical, day, salary_day)
        if costed_rates:
            published = self.costed_rates.get((pay_year, canonical, at))
            if published is not None:
                return UnitCost(canonical, at, pay_year, "costed rate", published.cost,
                                f"employer-published costed rate for {canonical} scp {at} in "
                                f"{pay_year_label(pay_year)} (includes on-costs)", (),
                                published.cost, True, (published.provenance,))
        spine = self._spine()
        spine_point = spine.point(at, salary_day)
        salary = spine_point.salary
        formula = (f"{spine.name} {spine_point.spine} spine scp {at} in force "
                   f"{salary_day.isoformat()} ({spine_point.provenance.file}): "
                   f"£{spine_point.salary:,}")
        if the_rule.award is not None:
            salary = the_rule.award.salary(at, salary)
            formula += (f" with the rule's {the_rule.award.amount()} {the_rule.award.status} "
                        f"award = £{salary:,} (rounded to £1)")
        return self.cost_of_salary(
            salary, pay_year, rule=the_rule.name, grade=canonical, scp=at,
            salary_formula=formula, provenance=(spine_point.provenance, grade_range.provenance),
            ni_tax_year=ni_tax_year)

    def cost_of_salary(self, salary: Decimal, pay_year: int, *, rule: str | None = None,
                       grade: str = "", scp: int | None = None, salary_formula: str = "",
                       provenance: tuple[Provenance, ...] = (),
                       ni_tax_year: int | None = None) -> UnitCost:
        """The cost per fte of an explicit full-time salary under one of this employer's rules.

        ``ni_tax_year`` overrides the tax year employer NI is taken from (a projection beyond
        the NI data assumes the last known year, and says so)."""
        the_rule = self.rule(rule)
        the_rule.check_pay_year(pay_year)
        periods: tuple[NIPeriod, ...] = ()
        rebate = None
        if the_rule.ni:
            year = the_rule.ni_tax_year if the_rule.ni_tax_year is not None else pay_year
            year = year if ni_tax_year is None else ni_tax_year
            periods = self.ni_periods(the_rule, year)
            if the_rule.ni_contracted_out:
                rebate = rebate_for(year, self.rebates)
        levy_rate = None
        if the_rule.levy:
            levy_day = tax_year_start(pay_year)
            in_force = bool(self.levy) and self.levy[0].effective_from <= levy_day
            if in_force or not the_rule.levy_when_in_force:
                levy_rate = levy_on(levy_day, self.levy).rate
        return unit_cost(grade=grade, scp=scp, pay_year=pay_year, salary=salary,
                         salary_formula=salary_formula or f"salary {_pounds(salary)}",
                         rule=the_rule, ni_periods=periods, levy_rate=levy_rate,
                         provenance=provenance, rebate=rebate)

    def ni_periods(self, rule: OnCostRule, tax_year: int) -> tuple[NIPeriod, ...]:
        """The employer NI periods of ``tax_year`` for ``rule``: the NI table's, or, for a rule
        that states its own rate and threshold, one whole-year period of the rule's figures
        (no NI table row is needed then)."""
        rate, threshold = rule.ni_rate, rule.ni_threshold
        if rate is None or threshold is None:
            return self.employer_ni.for_tax_year(tax_year)
        return (NIPeriod(tax_year, tax_year_start(tax_year), tax_year_end(tax_year),
                         rate, threshold, None, None,
                         Provenance("employer rule " + rule.name, rule.basis,
                                    rule.source or "NI rate and threshold stated in the rule")),)


def _load_costed_rates(path: Path, grades: Grades) -> dict[tuple[int, str, int | None],
                                                             CostedRate]:
    if not path.exists():
        return {}
    found: dict[tuple[int, str, int | None], CostedRate] = {}
    for line, row in read_csv_rows(path, ("pay_year", "grade", "scp", "cost", "basis", "source")):
        where = f"{path}:{line}"
        try:
            year = parse_pay_year(row["pay_year"])
            scp = int(row["scp"]) if row["scp"] else None
            cost = Decimal(row["cost"])
        except (ValueError, ArithmeticError) as err:
            raise PayScaleError(f"bad costed rate: {err}", source=where) from err
        if not row["source"]:
            raise PayScaleError("costed rate has no source", source=where, field="source")
        grade = grades.resolve(row["grade"])
        found[(year, grade, scp)] = CostedRate(year, grade, scp, cost,
                                               Provenance(path.name, row["basis"], row["source"]))
    return found


def bundled_employers() -> list[str]:
    """Keys of the employers shipped with the package."""
    return sorted(p.name for p in (data_dir() / "employers").iterdir()
                  if (p / "employer.toml").exists())


_EXTENDED: dict[tuple, Employer] = {}


def _folder_awards(spec: dict, where: str) -> tuple[Award, ...]:
    """The ``[[award]]`` tables of employer.toml: the employer's own award assumptions."""
    try:
        return parse_awards(spec.get("award"), "award")
    except PayScaleError as err:
        raise PayScaleError(str(err), source=where, field="award", found=err.found) from None


@functools.lru_cache(maxsize=32)
def _load_folder(folder: Path) -> Employer:
    toml_path = folder / "employer.toml"
    try:
        with toml_path.open("rb") as handle:
            spec = tomllib.load(handle)
    except OSError as err:
        raise PayScaleError(f"cannot read employer file: {err.strerror}",
                            source=str(toml_path)) from err
    except tomllib.TOMLDecodeError as err:
        raise PayScaleError(f"invalid TOML: {err}", source=str(toml_path)) from err
    name = spec.get("name")
    if not name:
        raise PayScaleError("employer file needs a 'name'", source=str(toml_path), field="name")
    grades = load_grades(folder / "grades.csv", name, spec.get("aliases", {}))
    rules = {key: parse_rule(key, table, str(toml_path))
             for key, table in spec.get("rules", {}).items()}
    default = spec.get("default_rule") or (sorted(rules)[0] if rules else "")
    if default not in rules:
        raise PayScaleError(f"default_rule {default!r} is not one of the rules "
                            f"{', '.join(sorted(rules))}", source=str(toml_path),
                            field="default_rule")
    spine_name = spec.get("spine", "njc")
    spine = None
    if spine_name:
        local = folder / f"{spine_name}_pay_spine.csv"
        spine = load_spine(local if local.exists() else data_dir() / f"{spine_name}_pay_spine.csv",
                           spine_name.upper())
    own = folder / "spine.csv"
    if own.exists():  # the employer's own rows: replace national keys, add local points/years
        spine = load_spine(own, spine.name if spine else "employer", extends=spine,
                           label=f"{folder.name}/spine.csv")
    return Employer(folder.name, name, folder, grades, rules, default, spine,
                    _employer_ni(folder), load_levy(),
                    _load_costed_rates(folder / "costed_rates.csv", grades),
                    str(spec.get("notes", "")), _assimilation(spine_name),
                    load_contracted_out_rebates(),
                    full_time_hours=_full_time_hours(spec.get("full_time_hours"),
                                                     str(toml_path)),
                    awards=_folder_awards(spec, str(toml_path)))


def _full_time_hours(value: object, where: str) -> Decimal | None:
    """``full_time_hours`` of employer.toml: hours of a full-time week, > 0 and <= 168."""
    if value is None:
        return None
    try:
        if isinstance(value, (bool, float)):
            raise ValueError
        hours = Decimal(str(value))
    except (ValueError, ArithmeticError):
        hours = None
    if hours is None or not hours.is_finite() or not 0 < hours <= 168:
        raise PayScaleError(f"'full_time_hours' must be hours of a full-time week such as 37 "
                            f"or \"37.5\" (got {value!r})", source=where,
                            field="full_time_hours", found=value)
    return hours


def _assimilation(spine_name: str) -> dict[int, int]:
    """The published old -> new point mapping of a spine restructure, when the spine has one."""
    path = data_dir() / "old_to_new_spine.csv"
    if spine_name != "njc" or not path.exists():
        return {}
    return {int(row["old_scp"]): int(row["new_scp"])
            for _, row in read_csv_rows(path, ("old_scp", "new_scp", "basis", "source"))}


def _employer_ni(folder: Path) -> EmployerNI:
    """The shared employer NI table, plus the tax years an employer folder's own
    ``employer_ni.csv`` adds (same columns; years the shared table has are not replaced)."""
    shared = load_employer_ni()
    local = folder / "employer_ni.csv"
    if not local.exists():
        return shared
    known = set(shared.tax_years)
    extra = tuple(p for p in load_employer_ni(local).periods if p.tax_year not in known)
    return EmployerNI(tuple(sorted(shared.periods + extra,
                                   key=lambda p: (p.tax_year, p.effective_from))))


def _is_employer_folder(folder: Path) -> bool:
    """Whether ``folder`` holds an employer.toml; a name the file system cannot even look up
    (too long, a NUL byte) is simply not one."""
    try:
        return (folder / "employer.toml").exists()
    except (OSError, ValueError):
        return False


def load_employer(key_or_folder: str | Path = "nottinghamshire") -> Employer:
    """A bundled employer by key, or an employer folder of your own."""
    if isinstance(key_or_folder, Path) or "/" in str(key_or_folder) or "\\" in str(key_or_folder):
        try:
            folder = Path(key_or_folder).resolve()
        except (OSError, RuntimeError):  # a symlink loop
            folder = Path(key_or_folder)
        if not _is_employer_folder(folder):
            raise PayScaleError(f"{folder} is not an employer folder (no employer.toml)",
                                field="employer", found=str(folder))
        return _load_folder(folder)
    folder = data_dir() / "employers" / str(key_or_folder)
    if not _is_employer_folder(folder):
        raise PayScaleError(
            f"unknown employer {key_or_folder!r}; bundled employers: "
            f"{', '.join(bundled_employers())} (or give the path of an employer folder)",
            field="employer", expected=bundled_employers(), found=key_or_folder)
    return _load_folder(folder)


def _pounds(amount: Decimal | Fraction) -> str:
    """An amount as a formula shows it: ``£15,000`` whole, ``£15,000.50`` with pence (never
    ``£15,000.5``), exact beyond pence (a Fraction) as its Decimal value to 4 places."""
    value = Decimal(amount.numerator) / Decimal(amount.denominator) if isinstance(
        amount, Fraction) else Decimal(amount)
    if value == value.to_integral_value():
        return f"£{value:,.0f}"
    if (value * 100) == (value * 100).to_integral_value():
        return f"£{value:,.2f}"
    return f"£{value:,.4f}"


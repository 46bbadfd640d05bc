"""On-cost rules and the cost per fte of a grade and point, as pure functions of data.

An on-cost rule says where the salary comes from (the spine in force for the pay year, or an
earlier year's spine with an assumed award, as councils price ahead of the award), how employer
NI is taken (rate and threshold for a tax year, or explicit figures), and which other on-costs
are a percentage of salary (pension, levy). The cost per fte is rounded to whole pounds once, at
the end; every component keeps its exact value and the formula that produced it, so a figure
explains itself line by line.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from attrs import field, frozen

from pay_scales.errors import PayScaleError
from pay_scales.national_insurance import ContractedOutRebate, NIPeriod
from pay_scales.rounding import round_pounds, to_pence
from pay_scales.sources import Provenance, read_csv_rows
from pay_scales.vocabulary import NI_BASES, ROUND_TO, THRESHOLD_FORMS  # noqa: F401 (re-exported)


def _money(value: Decimal) -> str:
    text = f"{to_pence(value):,}"
    return "£" + (text[:-3] if text.endswith(".00") else text)


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


@frozen
class RateBand:
    """One salary band of a banded on-cost: ``rate`` applies to a full-time salary up to and
    including ``up_to`` (``None``: and over)."""

    up_to: Decimal | None
    rate: Decimal
    source: str = ""

    def describe(self, low: Decimal | None) -> str:
        if self.up_to is None:
            return f"band over {_money(low or Decimal(0))}"
        if low is None:
            return f"band up to {_money(self.up_to)}"
        return f"band over {_money(low)} up to {_money(self.up_to)}"


def _check_bands(name: str, bands: tuple[RateBand, ...]) -> None:
    limits = [b.up_to for b in bands]
    bounded = [u for u in limits if u is not None]
    if limits and (None in limits[:-1] or bounded != sorted(bounded)
                   or len(set(bounded)) != len(bounded)):
        raise PayScaleError(f"on-cost {name!r}: bands must rise, with only the last open "
                            f"('up_to' left out)", field="bands",
                            found=[str(u) for u in limits])


@frozen
class DatedBands:
    """The bands of a banded on-cost in force from ``effective_from`` (until the next set)."""

    effective_from: dt.date
    bands: tuple[RateBand, ...]
    basis: str = "published"


@frozen
class OnCost:
    """A salary-proportional on-cost such as the employer pension contribution.

    ``rate`` is one rate for every salary; ``bands`` (optional, instead of ``rate``) is a rate
    by full-time salary band, as the civil service pension scheme's employer contributions
    (ASLC) are: the whole salary is charged at the rate of the band it falls in. ``schedule``
    (instead of both) is bands and rates as dated data, each set in force from its date until
    the next (``bands_file`` in employer.toml): one rule then serves every year the data
    cover, and a year before the first set is an error naming the years covered.
    """

    name: str
    rate: Decimal | None
    basis: str = "stated"
    source: str = ""
    bands: tuple[RateBand, ...] = ()
    schedule: tuple[DatedBands, ...] = ()

    def __attrs_post_init__(self) -> None:
        given = [self.rate is not None, bool(self.bands), bool(self.schedule)]
        if sum(given) != 1:
            raise PayScaleError(f"on-cost {self.name!r}: give one of 'rate', 'bands' or "
                                f"'bands_file'", field="rate", found=self.rate)
        _check_bands(self.name, self.bands)
        for dated in self.schedule:
            _check_bands(self.name, dated.bands)

    def bands_on(self, day: dt.date) -> tuple[tuple[RateBand, ...], str]:
        """The bands in force on ``day`` and their basis (``bands``: the same every day)."""
        if not self.schedule:
            return self.bands, self.basis
        found = [d for d in self.schedule if d.effective_from <= day]
        if not found:
            first = self.schedule[0].effective_from
            raise PayScaleError(
                f"on-cost {self.name!r} has no rates before {first.isoformat()} (data from "
                f"{first.isoformat()}, last change {self.schedule[-1].effective_from}); "
                f"not {day.isoformat()}", field="pay_year", found=day.isoformat())
        return found[-1].bands, found[-1].basis

    def band_for(self, salary: Decimal, day: dt.date | None = None
                 ) -> tuple[RateBand, Decimal | None]:
        """The band a full-time salary falls in (on ``day``), and the band below's limit."""
        bands = self.bands_on(day)[0] if day is not None else self.bands
        low = None
        for band in bands:
            if band.up_to is None or salary <= band.up_to:
                return band, low
            low = band.up_to
        raise PayScaleError(f"on-cost {self.name!r}: salary {_money(salary)} is above the top "
                            f"band (up to {_money(low or Decimal(0))}); add an open top band",
                            field="bands", found=str(salary))

    def component(self, salary: Decimal, rule_name: str, day: dt.date | None = None
                  ) -> Component:
        """This on-cost on a full-time salary (bands in force on ``day``), with its formula
        and source."""
        provenance = (Provenance("employer rule " + rule_name, self.basis, self.source),)
        if self.rate is not None:
            return Component(self.name, Fraction(self.rate) * Fraction(salary),
                             f"{_percent(self.rate)} x {_money(salary)}", provenance)
        if self.schedule and day is None:
            raise PayScaleError(f"on-cost {self.name!r} is dated data: give the day",
                                field="day")
        band, low = self.band_for(salary, day)
        basis = self.bands_on(day)[1] if day is not None else self.basis
        if band.source:
            provenance += (Provenance("employer rule " + rule_name, basis, band.source),)
        since = ""
        if self.schedule and day is not None:
            since = f", rates from {self._set_on(day).effective_from.isoformat()}"
        return Component(self.name, Fraction(band.rate) * Fraction(salary),
                         f"{_percent(band.rate)} x {_money(salary)} ({band.describe(low)}"
                         f"{since})", provenance)

    def _set_on(self, day: dt.date) -> DatedBands:
        return [d for d in self.schedule if d.effective_from <= day][-1]


@frozen
class OnCostRule:
    """How an employer turns a spine salary into a full-year cost per fte.

    ``spine_pay_year``/``assumed_award``: take the salary from an earlier pay year's spine and
    uplift it (rounded to £1), as a council pricing before the award is known does.
    ``ni_tax_year``/``ni_threshold_form``/``ni_threshold``/``ni_rate``: which employer NI figures
    apply; by default the tax year that starts in the pay year, annual threshold.
    ``ni_contracted_out``: the posts are in a contracted-out salary-related scheme (LGPS,
    PCSPS), so employer NI is less the contracted-out rebate in tax years before 2016/17
    (``contracted_out_rebate.csv``); False says the rule ignores the rebate on purpose; None
    (not declared) ignores it too, and the basis line says so.
    ``levy``: add the apprenticeship levy; ``levy_when_in_force`` (``levy = "when in force"``
    in employer.toml): only in the years it exists (from 2017/18), so one rule serves years
    before and after it.
    ``pay_years``: the pay years the rule may be used for (inclusive); None means any.
    ``round_to``: ``"pound"`` (default) or ``"penny"``: the unit of the one rounding rule.
    ``ni_basis``: ``"fte"`` (default: NI of a full-time salary x fte) or ``"person"`` (each
    person's NI on their own pay above the whole threshold).
    ``full_time_hours``: contracted hours of a full-time week (None: the employer's).
    """

    name: str
    description: str = ""
    spine_pay_year: int | None = None
    assumed_award: Decimal | None = None
    ni: bool = True
    ni_tax_year: int | None = None
    ni_threshold_form: str = field(default="annual")
    ni_threshold: Decimal | None = None
    ni_rate: Decimal | None = None
    ni_contracted_out: bool | None = None
    oncosts: tuple[OnCost, ...] = ()
    levy: bool = False
    levy_when_in_force: bool = False
    pay_years: tuple[int, int] | None = None
    basis: str = "stated"
    source: str = ""
    round_to: str = field(default="pound")
    ni_basis: str = field(default="fte")
    full_time_hours: Decimal | None = field(default=None)

    @full_time_hours.validator
    def _check_hours(self, attribute: object, value: Decimal | None) -> None:
        if value is not None and not 0 < value <= 168:
            raise PayScaleError(f"rule {self.name!r}: 'full_time_hours' must be hours of a "
                                f"full-time week (> 0, <= 168; got {value})",
                                field="full_time_hours", found=str(value))

    @round_to.validator
    def _check_round_to(self, attribute: object, value: str) -> None:
        self._one_of("round_to", value, ROUND_TO)

    @ni_basis.validator
    def _check_ni_basis(self, attribute: object, value: str) -> None:
        self._one_of("ni_basis", value, NI_BASES)

    @ni_threshold_form.validator
    def _check_form(self, attribute: object, value: str) -> None:
        self._one_of("ni_threshold_form", value, THRESHOLD_FORMS)

    def _one_of(self, key: str, value: str, allowed: tuple[str, ...]) -> None:
        """A closed-vocabulary rule key: one of ``allowed``, else an error naming the key."""
        if value not in allowed:
            raise PayScaleError(f"rule {self.name!r}: {key!r} must be one of "
                                f"{', '.join(allowed)} (got {value!r})", field=key,
                                expected=allowed, found=value)

    @property
    def states_ni(self) -> bool:
        """True when the rule gives its own NI rate and threshold: it needs no NI table row."""
        return self.ni_rate is not None and self.ni_threshold is not None

    def check_pay_year(self, pay_year: int) -> None:
        if self.pay_years and not self.pay_years[0] <= pay_year <= self.pay_years[1]:
            low, high = self.pay_years
            span = (f"{low}/{(low + 1) % 100:02d}" if low == high
                    else f"{low}/{(low + 1) % 100:02d} to {high}/{(high + 1) % 100:02d}")
            raise PayScaleError(
                f"on-cost rule {self.name!r} is for pay year {span} only, not "
                f"{pay_year}/{(pay_year + 1) % 100:02d}; choose another rule for that year",
                field="pay_year", expected=self.pay_years, found=pay_year)


@frozen
class Component:
    """One line of a cost per fte: its exact amount and the arithmetic that gave it."""

    name: str
    amount: Fraction
    formula: str
    provenance: tuple[Provenance, ...] = ()

    @property
    def shown(self) -> Decimal:
        """The amount to the penny, for display."""
        return to_pence(self.amount)


@frozen
class UnitCost:
    """The full-year cost of one fte of a grade at a point, on one pay basis.

    ``cost`` is rounded to whole pounds (the one rounding rule); ``salary`` and ``components``
    are exact, so ``salary + sum(components)`` is ``unrounded``.
    """

    grade: str
    scp: int | None
    pay_year: int
    rule: str
    salary: Decimal
    salary_formula: str
    components: tuple[Component, ...]
    cost: Decimal
    costed_rate: bool = False
    provenance: tuple[Provenance, ...] = ()

    @property
    def unrounded(self) -> Fraction:
        return Fraction(self.salary) + sum((c.amount for c in self.components), Fraction(0))

    @property
    def rounding(self) -> Fraction:
        return Fraction(self.cost) - self.unrounded

    @property
    def inferred(self) -> bool:
        """True when any figure behind this cost is inferred rather than published."""
        return any(p.inferred for p in self.provenance)

    @property
    def oncosts(self) -> Decimal:
        return self.cost - self.salary


def uplift_salary(salary: Decimal, award: Decimal | None) -> Decimal:
    """An assumed award applied to a spine salary, rounded to £1 half up."""
    if award is None:
        return salary
    return round_pounds(Fraction(salary) * (1 + Fraction(award)))


def ni_threshold(period: NIPeriod, form: str) -> Decimal:
    """The annual threshold in the form a costing tool uses: x12 monthly, x52 weekly."""
    if form == "annual":
        return period.threshold_annual
    value = period.threshold_monthly if form == "monthly" else period.threshold_weekly
    if value is None:
        raise PayScaleError(
            f"no {form} NI threshold in the data for tax year {period.tax_year}; use the annual "
            f"form or give 'ni_threshold' explicitly", field="ni_threshold_form", found=form)
    return value * (12 if form == "monthly" else 52)


def ni_component(salary: Decimal, rule: OnCostRule, periods: tuple[NIPeriod, ...]) -> Component:
    """Employer NI on a full-time salary, day-weighted where the tax year has rate periods."""
    total_days = sum(p.days for p in periods)
    amount = Fraction(0)
    parts = []
    for period in periods:
        rate = rule.ni_rate if rule.ni_rate is not None else period.rate
        threshold = (rule.ni_threshold if rule.ni_threshold is not None
                     else ni_threshold(period, rule.ni_threshold_form))
        share = Fraction(rate) * max(Fraction(0), Fraction(salary) - Fraction(threshold))
        if len(periods) > 1:
            share = share * period.days / total_days
            parts.append(f"{_percent(rate)} x ({_money(salary)} - {_money(threshold)})"
                         f" x {period.days}/{total_days} days")
        else:
            parts.append(f"{_percent(rate)} x ({_money(salary)} - {_money(threshold)})")
        amount += share
    return Component("employer NI", amount, " + ".join(parts),
                     tuple(p.provenance for p in periods))


def rebate_component(salary: Decimal, rebate: ContractedOutRebate) -> Component:
    """The employer's contracted-out rebate on a full-time salary: the rate on band earnings
    from the lower earnings limit to the upper accrual point (a credit: negative)."""
    band = max(Fraction(0), min(Fraction(salary), Fraction(rebate.band_to))
               - Fraction(rebate.band_from))
    top = _money(min(salary, rebate.band_to))
    return Component("contracted-out NI rebate", -Fraction(rebate.rate) * band,
                     f"-{_percent(rebate.rate)} x ({top} - {_money(rebate.band_from)}) (band "
                     f"earnings from the lower earnings limit to the upper accrual point, tax year "
                     f"{rebate.tax_year}/{(rebate.tax_year + 1) % 100:02d}; rule key "
                     f"ni_contracted_out)", (rebate.provenance,))


def unit_cost(*, grade: str, scp: int | None, pay_year: int, salary: Decimal,
              salary_formula: str, rule: OnCostRule, ni_periods: tuple[NIPeriod, ...],
              levy_rate: Decimal | None, provenance: tuple[Provenance, ...],
              day: dt.date | None = None, rebate: ContractedOutRebate | None = None
              ) -> UnitCost:
    """The cost per fte of ``salary`` under ``rule``: pure arithmetic on given data.
    ``day``: the day dated on-cost bands are taken on (default 1 April of the pay year).
    With ``rule.levy_when_in_force`` a ``levy_rate`` of None means no levy that year.
    ``rebate``: the contracted-out rebate to take off employer NI (a contracted-out rule in a
    tax year before 2016/17)."""
    day = day or dt.date(pay_year, 4, 1)
    components = []
    if rule.ni:
        if not ni_periods:
            raise PayScaleError(f"rule {rule.name!r} needs employer NI data", field="ni")
        components.append(ni_component(salary, rule, ni_periods))
        if rebate is not None:
            components.append(rebate_component(salary, rebate))
    for oncost in rule.oncosts:
        components.append(oncost.component(salary, rule.name, day))
    if rule.levy and not (levy_rate is None and rule.levy_when_in_force):
        if levy_rate is None:
            raise PayScaleError(f"rule {rule.name!r} includes the apprenticeship levy, which "
                                f"has no rate for pay year {pay_year}", field="levy")
        components.append(Component("apprenticeship levy", Fraction(levy_rate) * Fraction(salary),
                                    f"{_percent(levy_rate)} x {_money(salary)}"))
    exact = Fraction(salary) + sum((c.amount for c in components), Fraction(0))
    for component in components:
        provenance += tuple(p for p in component.provenance if p not in provenance)
    return UnitCost(grade, scp, pay_year, rule.name, salary, salary_formula, tuple(components),
                    round_pounds(exact), False, provenance)


def _exact(value: object) -> Decimal:
    if isinstance(value, float):
        raise TypeError(f"rates and limits must be quoted decimals such as \"0.167\" (got the "
                        f"float {value!r})")
    return Decimal(str(value))


def load_dated_bands(path: Path) -> tuple[DatedBands, ...]:
    """Banded on-cost rates as dated data: one row per band (``effective_from``, ``up_to``
    (blank for the open top band), ``rate``, ``basis``, ``source``), the rows of one date
    being that date's bands, lowest first."""
    rows = read_csv_rows(path, ("effective_from", "up_to", "rate", "basis", "source"))
    by_day: dict[dt.date, list[tuple[RateBand, str]]] = {}
    for line, row in rows:
        where = f"{path}:{line}"
        try:
            day = dt.date.fromisoformat(row["effective_from"])
            band = RateBand(Decimal(row["up_to"]) if row["up_to"] else None,
                            Decimal(row["rate"]), row["source"])
        except (ValueError, ArithmeticError) as err:
            raise PayScaleError(f"bad band: {err}", source=where) from err
        if not row["source"]:
            raise PayScaleError("band has no source", source=where, field="source")
        by_day.setdefault(day, []).append((band, row["basis"]))
    if not by_day:
        raise PayScaleError("no bands", source=str(path))
    return tuple(DatedBands(day, tuple(b for b, _ in items),
                            "inferred" if any(basis in ("inferred", "unknown", "assumed")
                                              for _, basis in items) else items[0][1])
                 for day, items in sorted(by_day.items()))


def _parse_oncost(item: dict, folder: Path | None = None) -> OnCost:
    """One ``oncosts`` entry: ``rate`` for a flat rate, ``bands`` (each ``up_to`` and
    ``rate``, the last without ``up_to``) for a rate by salary band, or ``bands_file`` (a CSV
    beside employer.toml: :func:`load_dated_bands`) for bands and rates that change by date."""
    if "bands_file" in item:
        path = (folder or Path(".")) / str(item["bands_file"])
        return OnCost(str(item["name"]), None, str(item.get("basis", "published")),
                      str(item.get("source", "")), schedule=load_dated_bands(path))
    bands = tuple(
        RateBand(None if band.get("up_to") in (None, "") else _exact(band["up_to"]),
                 _exact(band["rate"]), str(band.get("source", "")))
        for band in item.get("bands", []))
    rate = Decimal(str(item["rate"])) if "rate" in item else None
    if rate is None and not bands:
        raise KeyError("rate")
    return OnCost(str(item["name"]), rate, str(item.get("basis", "stated")),
                  str(item.get("source", "")), bands)


def parse_rule(name: str, table: dict, where: str) -> OnCostRule:
    """Build an :class:`OnCostRule` from its TOML table, naming the file and key on error."""
    known = {"description", "spine_pay_year", "assumed_award", "ni", "ni_tax_year",
             "ni_threshold_form", "ni_threshold", "ni_rate", "ni_contracted_out", "oncosts",
             "levy", "pay_years", "basis", "source", "round_to", "ni_basis", "full_time_hours"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise PayScaleError(f"rule {name!r}: unknown key(s) {', '.join(unknown)}; expected some "
                            f"of {', '.join(sorted(known))}", source=where, field=unknown[0])

    def dec(key: str) -> Decimal | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, float):
            raise PayScaleError(f"rule {name!r}: {key!r} must be a quoted decimal such as "
                                f"\"0.222\" (got the float {value!r})", source=where, field=key)
        return Decimal(str(value))

    try:
        oncosts = tuple(_parse_oncost(item, Path(where).parent)
                        for item in table.get("oncosts", []))
    except (KeyError, TypeError, ArithmeticError) as err:
        raise PayScaleError(f"rule {name!r}: each oncost needs a name and a rate such as "
                            f"{{ name = \"pension\", rate = \"0.222\" }} or bands such as "
                            f"bands = [{{ up_to = \"21000\", rate = \"0.167\" }}, "
                            f"{{ rate = \"0.188\" }}] ({err})",
                            source=where, field="oncosts") from err
    except PayScaleError as err:
        raise PayScaleError(f"rule {name!r}: {err}", source=where, field="oncosts") from err
    years = table.get("pay_years")
    contracted_out = table.get("ni_contracted_out")
    if contracted_out not in (None, True, False):
        raise PayScaleError(f"rule {name!r}: 'ni_contracted_out' must be true or false (got "
                            f"{contracted_out!r})", source=where, field="ni_contracted_out")
    levy = table.get("levy", False)
    if levy not in (True, False, "when in force"):
        raise PayScaleError(f"rule {name!r}: 'levy' must be true, false or \"when in force\" "
                            f"(got {levy!r})", source=where, field="levy")
    return OnCostRule(
        name=name, description=str(table.get("description", "")),
        spine_pay_year=table.get("spine_pay_year"), assumed_award=dec("assumed_award"),
        ni=bool(table.get("ni", True)), ni_tax_year=table.get("ni_tax_year"),
        ni_threshold_form=str(table.get("ni_threshold_form", "annual")),
        ni_threshold=dec("ni_threshold"), ni_rate=dec("ni_rate"),
        ni_contracted_out=contracted_out, oncosts=oncosts,
        levy=bool(levy), levy_when_in_force=levy == "when in force",
        pay_years=(int(years[0]), int(years[1])) if years else None,
        basis=str(table.get("basis", "stated")), source=str(table.get("source", "")),
        round_to=str(table.get("round_to", "pound")), ni_basis=str(table.get("ni_basis", "fte")),
        full_time_hours=dec("full_time_hours"))

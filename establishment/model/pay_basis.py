"""A pay basis: the dated assumptions a cost is computed on.

Employer + pay year + which point of a grade (top, bottom, or each post's actual scp) + which
on-cost rule. The same structure costed on two bases gives two answers, each explainable; a
basis is a value, so comparing "the council's pricing" with "a correct costing" is two bases.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
from attrs import field, frozen

import pay_scales
from establishment.errors import ValidationError
from establishment.model import checks
from establishment.model.money import MoneyUnit
from establishment.model.vocabulary import NI_BASES, RANGE_POINTS, ROUND_TO, CostingPoint
from pay_scales.dates import parse_pay_year


def today() -> dt.date:
    """Today's date: the one clock the library reads (for the pay year in force when none is
    given). Tests patch this function to freeze today."""
    return dt.date.today()


def _pay_year(value: Any) -> int | None:
    if value is None:
        return None
    expected = "a pay year such as 2018 or '2018/19'"
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValidationError("pay_year", expected, value)
    try:
        year = parse_pay_year(value)
    except ValueError as err:
        raise ValidationError("pay_year", expected, value) from err
    if not 1 <= year < dt.MAXYEAR:  # it has a 1 April and a 31 March after it
        raise ValidationError("pay_year", expected, value)
    return year


def _awards(value: Any) -> tuple[pay_scales.Award, ...]:
    """Pay-award assumptions as given (``"2026/27=3.2%"``, a list of them, TOML tables or
    :class:`pay_scales.Award` values) -> a tuple of awards; a bad one names ``awards``."""
    if value is None or value == ():
        return ()
    from pay_scales.awards import parse_awards

    try:
        return parse_awards(list(value) if isinstance(value, tuple) else value, "awards")
    except pay_scales.PayScaleError as err:
        raise ValidationError("awards", err.expected or "pay awards such as "
                              "'2026/27=3.2%'", err.found if err.found is not None
                              else value) from None


@frozen
class PayBasis:
    """What a cost is computed on.

    ``point``: ``actual`` costs each post at its own scp (the top of its grade when it gives
    none), ``top``/``bottom`` cost every post at its grade's top or bottom point.
    ``rule``: the employer's on-cost rule (None: the employer's default).
    ``rates_on``: look salaries up on this date instead of 1 April of the pay year (for a
    report that costs "at the rates in force in January 2015").
    ``costed_rates``: use the employer's published costed rates where they exist.
    ``range_point``: where in a published pay range (organogram posts) to cost.
    ``whole_pay_bill``: the structure is the employer's whole pay bill, so the apprenticeship
    levy allowance applies, as one structure-level line
    (:mod:`establishment.engine.levy_allowance`).
    ``round_to``: ``"pound"`` or ``"penny"``, the unit of the one rounding rule; ``ni_basis``:
    ``"fte"`` or ``"person"``, how employer NI is taken. None (the default) takes the rule's
    (:meth:`rounding`, :meth:`ni_convention`).
    ``awards``: pay-award assumptions (:class:`pay_scales.Award`; ``"2026/27=3.2%"``) for
    pay years the data do not reach, chained from the last spine year; figures resting on
    one are marked ``[a]`` and the basis line names each (:mod:`pay_scales.awards`).

    Nothing is assumed: ``employer`` must be given, and a basis without ``pay_year`` is
    costed in the pay year in force today when the employer's data cover it
    (:meth:`resolved`; ``pay_year_today`` then says so), else it is an error naming the
    latest year the data cover.
    """

    # a basis often comes from a file: each field is validated (type and vocabulary) before
    # anything hashes or uses it
    employer: str | None = field(default=None, validator=checks.instance_of(
        str, "an employer key or folder (text)", optional=True))
    pay_year: int | None = field(default=None, converter=_pay_year)
    point: CostingPoint = field(default="actual", validator=checks.one_of(
        pay_scales.POINTS, expected=" | ".join(pay_scales.POINTS)))
    rule: str | None = field(default=None, validator=checks.instance_of(
        str, "an on-cost rule name (text)", optional=True))
    rates_on: dt.date | None = field(default=None, validator=checks.optional_date)
    costed_rates: bool = field(default=True, validator=checks.flag)
    range_point: str = field(default="midpoint", validator=checks.one_of(
        RANGE_POINTS, expected=" | ".join(RANGE_POINTS)))
    label: str = field(default="", validator=checks.text, metadata={"figure": False})
    pay_year_today: bool = field(default=False, validator=checks.flag,
                                 metadata={"figure": False})
    whole_pay_bill: bool = field(default=False, validator=checks.flag)
    round_to: str | None = field(default=None, validator=checks.one_of(
        ROUND_TO, optional=True, expected=" | ".join(ROUND_TO)))
    ni_basis: str | None = field(default=None, validator=checks.one_of(
        NI_BASES, optional=True, expected=" | ".join(NI_BASES)))
    awards: tuple[pay_scales.Award, ...] = field(default=(), converter=_awards)

    def __attrs_post_init__(self) -> None:
        if (self.rates_on is not None and self.pay_year is not None
                and pay_scales.pay_year_of(self.rates_on) != self.pay_year):
            raise ValidationError("rates_on", f"a date inside pay year "
                                  f"{pay_scales.pay_year_label(self.pay_year)}",
                                  self.rates_on.isoformat())

    def load_employer(self, through: int | None = None) -> pay_scales.Employer:
        """The employer's pay data, extended by the award assumptions (the basis's and the
        employer folder's) to the pay year (or to ``through``, a projection's last year)."""
        return self.base_employer().with_awards(self.awards, through or self.pay_year)

    def base_employer(self) -> pay_scales.Employer:
        """The employer's pay data as its folder holds them (no assumption applied)."""
        if self.employer is None:
            raise ValidationError("employer", "given: one of the bundled employers ("
                                  f"{', '.join(pay_scales.bundled_employers())}) or an "
                                  "employer folder (--employer, [basis] employer = ..., "
                                  "PayBasis(employer=...))", None)
        return pay_scales.load_employer(self.employer)

    def resolved(self) -> PayBasis:
        """This basis with its employer checked and a pay year: the one given, else the pay
        year in force today (:func:`today`) when the employer's data cover it. Without one
        the data cover, the error names the latest covered year and how to give one."""
        employer = self.load_employer()
        if self.pay_year is not None:
            return self
        year = pay_scales.pay_year_of(today())
        latest = self.load_employer(year).latest_pay_year(self.rule)
        if latest is not None and year > latest:
            label = pay_scales.pay_year_label(latest)
            raise ValidationError(
                "pay_year", f"given: today's pay year {pay_scales.pay_year_label(year)} is "
                f"beyond {employer.name}'s pay data, which end in {label}; give one with "
                f"--pay-year {label}, [basis] pay_year = \"{label}\" or "
                f"PayBasis(pay_year=\"{label}\"), or assume an award for the years after "
                f"it (--award {pay_scales.pay_year_label(year)}=3%)", None)
        return attrs.evolve(self, pay_year=year, pay_year_today=True)

    def rounding(self) -> str:
        """The unit every cost is rounded to: this basis's ``round_to``, else the rule's."""
        return self.round_to or self.load_employer().rule(self.rule).round_to

    def ni_convention(self) -> str:
        """How employer NI is taken: this basis's ``ni_basis``, else the rule's."""
        return self.ni_basis or self.load_employer().rule(self.rule).ni_basis

    @property
    def unit(self) -> MoneyUnit:
        """The unit of the engine's figures on this basis (:class:`MoneyUnit`): the one
        conversion to Decimal pounds, and how they are shown."""
        return MoneyUnit(self.rounding())

    @property
    def pence_per_unit(self) -> int:
        """Pence in one unit of the engine's rounded figures: 100 (whole pounds) or 1."""
        return self.unit.pence

    def full_time_hours(self) -> Decimal:
        """Hours of a full-time week (the rule's, else the employer's): a post given in hours
        is hours / this fte. An error when the employer's data state none."""
        return self.load_employer().hours_of_full_time(self.rule)

    def conventions(self) -> str:
        """The conventions a figure follows, for the basis line: how NI is taken and (when
        not whole pounds) the rounding unit."""
        employer = self.load_employer()
        rule = employer.rule(self.rule)
        return ", ".join(text for text in (*(BASIS_PHRASES[name](self, employer, rule)
                                             for name in ("ni_basis", "round_to")),
                                           _hourly_phrase(self, employer, rule)) if text)

    def for_pay_year(self, pay_year: int) -> PayBasis:
        """The same basis in another pay year (``rates_on`` applies only to its own year)."""
        if pay_year == self.pay_year:
            return self
        return attrs.evolve(self, pay_year=pay_year, rates_on=None, pay_year_today=False)

    def evolve(self, **changes: Any) -> PayBasis:
        if "pay_year" in changes:  # a pay year given is no longer today's
            changes.setdefault("pay_year_today", False)
        return attrs.evolve(self, **changes)

    @property
    def pay_year_note(self) -> str:
        """How the pay year was chosen, when it was not given ("" when it was)."""
        if not self.pay_year_today or self.pay_year is None:
            return ""
        return f"pay year {pay_scales.pay_year_label(self.pay_year)}: not given, today's"

    def describe(self) -> str:
        """One line for table captions: what the figures are computed on. Every field of
        :data:`BASIS_FIELDS` that is set says so, each through its phrase in
        :data:`BASIS_PHRASES` (a field without one is a failing test)."""
        if self.pay_year is None:
            return self.resolved().describe()
        employer = self.load_employer()
        rule = employer.rule(self.rule)
        fields = figure_fields(type(self))
        said = {name: BASIS_PHRASES[name](self, employer, rule) for name in fields}
        point = ", ".join(said[name] for name in ("point", "range_point", "whole_pay_bill",
                                                   "costed_rates") if said[name])
        head = ", ".join(said[name] for name in ("employer", "pay_year", "rates_on")
                         if said[name])
        conventions = self.conventions()
        known = {"employer", "pay_year", "rates_on", "point", "range_point", "whole_pay_bill",
                 "costed_rates", "rule", "ni_basis", "round_to"}
        others = [said[name] for name in fields if name not in known and said[name]]
        return (f"{head}, {point}, {said['rule']}"
                + (f"; {conventions}" if conventions else "")
                + "".join(f"; {text}" for text in others))

    def values(self) -> dict[str, Any]:
        """Every field of :data:`BASIS_FIELDS` that is set (not None), by name: what a file's
        ``[basis]`` table or a register's stored basis holds (``rates_on`` a date). The one
        list, so a writer or store that uses it cannot drop a field."""
        found = {name: getattr(self, name) for name in figure_fields(type(self))
                 if getattr(self, name) not in (None, ())}
        if "awards" in found:  # as a file or a store writes them (pay_scales.Award.as_data)
            found["awards"] = [award.as_data() for award in found["awards"]]
        return found

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> PayBasis:
        """The basis :meth:`values` (or a ``[basis]`` table) gives back; ``rates_on`` may be
        ISO text (as a store without a date type keeps it)."""
        values = dict(values)
        if isinstance(values.get("rates_on"), str):
            try:
                values["rates_on"] = dt.date.fromisoformat(values["rates_on"])
            except ValueError:
                raise ValidationError("rates_on", "a date such as 2015-01-12",
                                      values["rates_on"]) from None
        return cls(**values)


def assumptions_note(basis: PayBasis, employer: pay_scales.Employer, rule: Any) -> str:
    """What the basis line says of the pay-award assumptions a figure rests on (marked
    ``[a]``) and of assumptions the published data replaced ("" when none): the phrase of
    ``awards``."""
    parts = []
    if employer.assumptions:
        parts.append("beyond the pay data: " + "; ".join(employer.assumptions))
    parts += employer.award_notes
    return "; ".join(parts)


def _hourly_phrase(basis: PayBasis, employer: pay_scales.Employer, rule: Any) -> str:
    """The hourly convention of a rule with an annual hours basis, named (issue 22)."""
    if rule.weeks_a_year is None:
        return ""
    year = f"{employer.annual_hours(basis.rule).normalize():,f}-hour year"
    return (f"hourly rate = cost per fte / {year}, rounded to the penny, x hours"
            if rule.hourly_rate_rounding == "penny"
            else f"hours a year as fte of a {year} (the fte method)")


def _point_phrase(basis: PayBasis, employer: pay_scales.Employer, rule: Any) -> str:
    if employer.spine is None:  # posts are costed from salaries or published pay ranges
        return ""
    return {"actual": "each post's scp (top of grade when none given)",
            "top": "top of grade", "bottom": "bottom of grade"}[basis.point]


def _year_phrase(basis: PayBasis, employer: Any, rule: Any) -> str:
    year = pay_scales.pay_year_label(basis.pay_year)
    return f"pay year {year}" + (" (not given, today's)" if basis.pay_year_today else "")


def _ni_phrase(basis: PayBasis, employer: Any, rule: pay_scales.OnCostRule) -> str:
    if not rule.ni:
        return ""
    return "NI per person" if basis.ni_convention() == "person" else "NI per fte"


# what the basis line says of each field (empty: nothing to say, as a default that changes no
# figure); keyed by every name of BASIS_FIELDS (tests/test_basis_fields.py checks it)
BASIS_PHRASES: dict[str, Any] = {
    "employer": lambda basis, employer, rule: employer.name,
    "pay_year": _year_phrase,
    "rates_on": lambda basis, employer, rule: (
        f"rates on {basis.rates_on.isoformat()}" if basis.rates_on else ""),
    "point": _point_phrase,
    "range_point": lambda basis, employer, rule: (
        f"pay ranges at their {basis.range_point}" if employer.spine is None else ""),
    "whole_pay_bill": lambda basis, employer, rule: (
        "the whole pay bill (levy allowance applied)" if basis.whole_pay_bill else ""),
    "costed_rates": lambda basis, employer, rule: (
        "" if basis.costed_rates else "published costed rates not used"),
    "rule": lambda basis, employer, rule: (
        f"rule '{rule.name}' ({rule.description})"
        f"{contracted_out_note(rule, basis.pay_year)}"),
    "ni_basis": _ni_phrase,
    "round_to": lambda basis, employer, rule: (
        "rounded to the penny" if basis.rounding() == "penny" else ""),
    "awards": assumptions_note,
}

# the fields of a basis that change a figure, from the record itself: every writer
# (write_structure's [basis]), store (the register, per pay year) and the basis line
# (describe) goes through this list, so a field added to PayBasis cannot be forgotten by one
# of them. A field that changes no figure says so with ``metadata={"figure": False}``.
def figure_fields(cls: type[PayBasis]) -> tuple[str, ...]:
    """The names of ``cls``'s fields that change a figure, in declaration order."""
    return tuple(f.name for f in attrs.fields(cls) if f.metadata.get("figure", True))


BASIS_FIELDS: tuple[str, ...] = figure_fields(PayBasis)


def contracted_out_note(rule: pay_scales.OnCostRule, pay_year: int) -> str:
    """What the basis line says of the contracted-out NI rebate (paid until 5 April 2016):
    nothing from 2016/17 or when the rule has no NI or declares ``ni_contracted_out = false``
    (its description says why)."""
    tax_year = rule.ni_tax_year if rule.ni_tax_year is not None else pay_year
    if not rule.ni or tax_year >= 2016 or rule.ni_contracted_out is False:
        return ""
    if rule.ni_contracted_out:
        return "; employer NI less the contracted-out rebate (ni_contracted_out = true)"
    return ("; employer NI at the not-contracted-out rate: the rule does not declare "
            "ni_contracted_out, so the contracted-out rebate (to April 2016) is ignored")


def resolve_basis(basis: PayBasis | None) -> PayBasis:
    """The basis to cost on, resolved (:meth:`PayBasis.resolved`); None is an error naming the
    bundled employers: no employer or pay year is a default."""
    return (basis or PayBasis()).resolved()


def basis_values(basis: PayBasis) -> dict[str, Any]:
    """The figure-changing fields of ``basis`` (:data:`BASIS_FIELDS`) as plain values (text,
    numbers, booleans, None; a date as ISO text), for storing: :func:`basis_from_values` gives
    the basis back."""
    values = {}
    for name in BASIS_FIELDS:
        value = getattr(basis, name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, tuple):  # pay awards, as a file writes them (Award.as_data)
            value = [v.as_data() if hasattr(v, "as_data") else v for v in value]
        values[name] = value
    return values


def basis_from_values(values: dict[str, Any]) -> PayBasis:
    """The basis :func:`basis_values` stored. A field the values lack takes the class's
    default (a basis stored before the field existed); a field the class lacks is an error (a
    basis stored by a newer version)."""
    unknown = sorted(set(values) - set(BASIS_FIELDS))
    if unknown:
        raise ValidationError("basis", f"fields of a pay basis ({', '.join(BASIS_FIELDS)})",
                              ", ".join(unknown))
    types = {a.name: str(a.type) for a in attrs.fields(PayBasis)}
    given = {}
    for name, value in values.items():
        if isinstance(value, str) and "date" in types[name]:
            value = dt.date.fromisoformat(value)
        elif isinstance(value, str) and "Decimal" in types[name]:
            value = Decimal(value)
        given[name] = value
    return PayBasis(**given)

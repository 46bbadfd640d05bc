"""Posts and payments: the immutable records a structure is made of.

A :class:`Post` is an approved post (or several identical ones: 1.5 fte is one row). It is
validated when made, so a structure never holds an impossible post; messages name the field,
what was expected and what was found. What a post costs depends on a pay basis, so checks that
need pay data (a known grade, an scp inside its grade) happen when it is costed or checked
against an employer (:func:`establishment.operations.check.check_structure`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs
from attrs import field, frozen

from establishment.errors import Location, ValidationError, data_fields, source_field
from establishment.model.funding import FundingShare, check_funding, to_funding
from establishment.model.money import to_decimal
from establishment.model.parse import parse_iso_date, parse_whole
from establishment.model.vocabulary import PAYMENT_BASES, STATUSES, PaymentPer, PostStatus

# why a post is not priced: its pay is not disclosed (an organogram's N/D) or there is none
UNPRICED = ("not disclosed", "none")
# a typed fte is exact to any of these places (0.540541); more is a typo, not a measurement
FTE_PLACES = 12
# tables show an fte rounded half up to this many places (costs use the exact figure)
FTE_SHOWN_PLACES = 4
HOURS_PLACES = 6
MAX_HOURS = Decimal(168) * 1_000_000
# Far above any real post, far below what the engine's int64 pence and fte ten-thousandths
# hold: a larger figure is a typo (1e20 for 1.20) that would otherwise overflow deep in costing.
MAX_FTE = Decimal(1_000_000)
MAX_MONEY = Decimal(10) ** 12
MAX_SCP = 999


def _fte(value: Any) -> Decimal | None:
    return None if value is None or value == "" else to_decimal(value, field="fte")


def _hours(value: Any) -> Decimal | None:
    return None if value is None or value == "" else to_decimal(value, field="hours")


def _annual_hours(value: Any) -> Decimal | None:
    return None if value is None or value == "" else to_decimal(value, field="annual_hours")


def _headcount(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or isinstance(value, float):
        raise ValidationError("headcount", "a whole number of people such as 2", value)
    try:
        # a whole number's text rule (the scp's: digits, no separators); the message is ours
        number = value if isinstance(value, int) else parse_whole(str(value), "scp")
    except ValueError:
        raise ValidationError("headcount", "a whole number of people such as 2",
                              value) from None
    if not 1 <= number <= MAX_FTE * 1000:
        raise ValidationError("headcount", "a whole number of people >= 1", value)
    return number


def money_or_none(name: str) -> Any:
    """A converter for an optional amount of money that names its field (``salary``, not
    "money") when the value is bad: in the API, in TOML and in every export alike."""
    def convert(value: Any) -> Decimal | None:
        return None if value is None or value == "" else to_decimal(value, field=name)
    convert.__name__ = f"money_or_none_{name}"
    return convert


def _date_or_none(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        try:  # calendar dates only: fromisoformat alone reads '2019-W13-1' as 2019-03-25
            day = parse_iso_date(str(value))
        except ValueError:
            raise ValidationError("date", "an ISO date such as 2019-03-31", value) from None
    return day


def _scp(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or isinstance(value, float):
        raise ValidationError("scp", "a whole spinal column point such as 34", value)
    try:
        # parse_whole, not int(): int('1_5') is 15 and int(' 34 ') reads a space
        number = value if isinstance(value, int) else parse_whole(str(value), "scp")
    except ValueError:
        raise ValidationError("scp", "a whole spinal column point such as 34", value) from None
    if number < 1:
        raise ValidationError("scp", "a spinal column point >= 1", value)
    if number > MAX_SCP:  # no spine is this long; the engine holds points as int64
        raise ValidationError("scp", f"a spinal column point <= {MAX_SCP}", value)
    return number


# what a text field takes: text, or a number a file gave for it (``grade = 4``, a reference
# 101); never a bool, a list, a table or a date, which would otherwise print as text
TEXT_LIKE = (str, int, float, Decimal)


def text_of(name: str) -> Any:
    """A converter for a text field that names its field when the value is not text (or a
    number): stripped text, "" for None."""
    def convert(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, TEXT_LIKE):
            raise ValidationError(name, "text", value)
        return str(value).strip()
    convert.__name__ = f"text_{name}"
    return convert


def text_or_none(name: str) -> Any:
    """:func:`text_of`, with None for empty text (an optional reference, reports_to)."""
    text = text_of(name)

    def convert(value: Any) -> str | None:
        return text(value) or None
    convert.__name__ = f"text_or_none_{name}"
    return convert


def date_of(name: str) -> Any:
    """A converter for an optional date field that names its field when the value is bad."""
    def convert(value: Any) -> dt.date | None:
        try:
            return _date_or_none(value)
        except ValidationError as err:
            raise ValidationError(name, err.expected, err.found) from None
    convert.__name__ = f"date_{name}"
    return convert


# the converters other records (assignments) share, by their public names
date_or_none = _date_or_none
scp_or_none = _scp


@frozen
class Post:
    """One line of an establishment: ``fte`` posts of one title, grade and point.

    ``end`` marks a temporary post (temporary until that day); ``None`` is permanent.
    ``cost_per_fte`` is an explicit full-year cost with on-costs, when a report gives one and
    the grade cannot be costed from data; ``salary`` is an explicit full-time salary costed with
    the basis's on-cost rule; ``salary_min``/``salary_max`` a published pay range.
    ``increment_date``: the day of the year a post with an actual scp moves up a point
    (projections; default 1 April).
    ``unpriced``: ``"not disclosed"`` or ``"none"`` when the post's pay is unknown or there is
    none (organogram returns): it is kept and counted in fte but not priced (it costs £0 and
    every table says how many such posts there are); it takes no pay fields
    (``cost_per_fte`` stays None, or 0, as given: the engine prices it at £0).
    ``hours``: contracted hours a week, instead of or as well as ``fte``: the fte is then
    exactly hours / the employer's full-time hours (found when the post is costed; given both,
    they must agree to fte's own decimal places). ``fte`` is exact to any decimal places.
    ``annual_hours``: contracted hours a year (a clerk's 500), instead of ``fte`` or
    ``hours``: the fte is then exactly annual_hours / the rule's annual hours basis
    (full-time hours x ``weeks_a_year``: :mod:`establishment.model.hours`).
    ``headcount``: the people planned in the line (default 1 for fte <= 1; required under
    ``ni_basis = "person"`` when fte > 1).
    """

    title: str = field(converter=text_of("title"))
    fte: Decimal | None = field(default=None, converter=_fte)
    grade: str = field(default="", converter=text_of("grade"))
    scp: int | None = field(default=None, converter=_scp)
    team: str = field(default="", converter=text_of("team"))
    funding: tuple[FundingShare, ...] = field(default=(), converter=to_funding)
    start: dt.date | None = field(default=None, converter=date_of("start"))
    end: dt.date | None = field(default=None, converter=date_of("end"))
    status: PostStatus = field(default="filled", converter=text_of("status"))
    reference: str | None = field(default=None, converter=text_or_none("reference"))
    cost_per_fte: Decimal | None = field(default=None, converter=money_or_none("cost_per_fte"))
    salary: Decimal | None = field(default=None, converter=money_or_none("salary"))
    salary_min: Decimal | None = field(default=None, converter=money_or_none("salary_min"))
    salary_max: Decimal | None = field(default=None, converter=money_or_none("salary_max"))
    reports_to: str | None = field(default=None, converter=text_or_none("reports_to"))
    increment_date: dt.date | None = field(default=None, converter=date_of("increment_date"))
    notes: str = field(default="", converter=text_of("notes"))
    unpriced: str = field(default="", converter=text_of("unpriced"))
    hours: Decimal | None = field(default=None, converter=_hours)
    annual_hours: Decimal | None = field(default=None, converter=_annual_hours)
    headcount: int | None = field(default=None, converter=_headcount)
    source: Location | None = source_field()  # where it was read; not part of equality

    def __attrs_post_init__(self) -> None:
        failures = post_rules({name: getattr(self, name) for name in POST_FIELD_NAMES},
                              record=self.label)
        if failures:
            first = failures[0]
            raise ValidationError(first.field, first.expected, first.found, record=first.record,
                                  source=self.source)

    @property
    def label(self) -> str:
        """How messages name this post: its reference, else team / title."""
        if self.reference:
            return f"post {self.reference}"
        return f"post {self.team + ' / ' if self.team else ''}{self.title}"

    @property
    def temporary(self) -> bool:
        return self.end is not None

    @property
    def vacant(self) -> bool:
        return self.status == "vacant"

    def active_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def evolve(self, **changes: Any) -> Post:
        """A copy with some fields changed (validated again)."""
        return attrs.evolve(self, **changes)




def _fte_rule(fte: Decimal) -> tuple[str, Decimal] | None:
    if fte <= 0:
        return "> 0", fte
    if fte > MAX_FTE:
        return f"at most {MAX_FTE:,}", fte
    if fte.as_tuple().exponent < -FTE_PLACES:
        return f"a number with at most {FTE_PLACES} decimal places", fte
    return None


def _hours_rule(hours: Decimal) -> str | None:
    if hours <= 0:
        return "> 0 (contracted hours a week)"
    if hours > MAX_HOURS:
        return f"at most {MAX_HOURS:,}"
    if hours.as_tuple().exponent < -HOURS_PLACES:
        return f"a number with at most {HOURS_PLACES} decimal places"
    return None


def _time_rules(values: Mapping[str, Any], record: str) -> list[ValidationError]:
    """fte and hours: at least one (hours alone: the fte comes from the employer's full-time
    hours when costed), each in range."""
    failures = []
    fte = _fte_rule(values["fte"]) if values.get("fte") is not None else None
    if fte is not None:
        failures.append(ValidationError("fte", fte[0], fte[1], record=record))
    hours = _hours_rule(values["hours"]) if values.get("hours") is not None else None
    if hours is not None:
        failures.append(ValidationError("hours", hours, values["hours"], record=record))
    failures += _annual_rules(values, record)
    if ("fte" in values and "hours" in values and values["fte"] is None
            and values["hours"] is None and values.get("annual_hours") is None):
        failures.append(ValidationError("fte", "an fte or contracted hours a week (hours) or "
                                        "a year (annual_hours)", None, record=record))
    return failures


def _annual_rules(values: Mapping[str, Any], record: str) -> list[ValidationError]:
    """``annual_hours``: above 0, at most a year's hours (8,784), to 6 places; not beside
    ``hours`` (a week's and a year's hours of one post would be two answers)."""
    annual = values.get("annual_hours")
    if annual is None:
        return []
    if annual <= 0 or annual > 8784 or annual.as_tuple().exponent < -HOURS_PLACES:
        return [ValidationError("annual_hours", "contracted hours a year, above 0 and at most "
                                "8,784, to at most 6 decimal places", annual, record=record)]
    if values.get("hours") is not None:
        return [ValidationError("annual_hours", "hours a week (hours) or a year "
                                "(annual_hours), not both", annual, record=record)]
    return []


def _money_rule(value: Decimal) -> str | None:
    if value < 0:
        return ">= 0"
    if value > MAX_MONEY:
        return f"at most £{MAX_MONEY:,}"
    # the engine costs in whole pence: a third decimal place would fail deep inside costing
    # (or, rounded, change the figure), so it is refused here, located
    if value * 100 != (value * 100).to_integral_value():
        return "pounds and pence (at most 2 decimal places)"
    return None


def _pair_rules(values: Mapping[str, Any], record: str) -> list[ValidationError]:
    """Rules between two fields, checked only when both are sound."""
    failures = []
    start, end = values.get("start"), values.get("end")
    if start and end and end < start:
        failures.append(ValidationError("end", f"on or after start ({start.isoformat()})",
                                        end.isoformat(), record=record))
    low, high = values.get("salary_min"), values.get("salary_max")
    if low is not None and high is not None and low > high:
        failures.append(ValidationError("salary_min", f"<= salary_max ({high})", low,
                                        record=record))
    return failures


def _unpriced_rules(values: Mapping[str, Any], record: str) -> list[ValidationError]:
    """An unpriced post (pay not disclosed, or none) takes no pay: no salary or range, and a
    cost per fte of 0 or none."""
    state = values.get("unpriced")
    if not state:
        return []
    if state not in UNPRICED:
        return [ValidationError("unpriced", " or ".join(repr(u) for u in UNPRICED), state,
                                record=record)]
    failures = [ValidationError(key, f"left out: the post's pay is {state!r} (unpriced)",
                                values[key], record=record)
                for key in ("salary", "salary_min", "salary_max") if values.get(key) is not None]
    if values.get("cost_per_fte") not in (None, 0):
        failures.append(ValidationError("cost_per_fte", "0 or left out for an unpriced post",
                                        values["cost_per_fte"], record=record))
    return failures


def post_rules(values: Mapping[str, Any], record: str = "") -> list[ValidationError]:
    """Every rule a post's (converted) field values break, one failure per field at most.

    The one rule set for a post: :class:`Post` raises the first; the loaders report them all
    (every field of every row at once). A field missing from ``values`` (because it could
    not be read) is not checked, nor the rules that need it."""
    failures = []
    if "title" in values and not values["title"]:
        failures.append(ValidationError("title", "a non-empty title", values["title"],
                                        record=record))
    if ("grade" in values and not values["grade"] and values.get("cost_per_fte") is None
            and values.get("salary") is None):
        failures.append(ValidationError("grade", "a grade name (or an explicit "
                                        "cost_per_fte/salary)", values["grade"], record=record))
    failures += _time_rules(values, record)
    if "status" in values and values["status"] not in STATUSES:
        failures.append(ValidationError("status", " or ".join(repr(s) for s in STATUSES),
                                        values["status"], record=record))
    for key in MONEY_KEYS:
        problem = _money_rule(values[key]) if values.get(key) is not None else None
        if problem is not None:
            failures.append(ValidationError(key, problem, values[key], record=record))
    failures += _pair_rules(values, record)
    failures += _unpriced_rules(values, record)
    if values.get("funding"):
        try:
            check_funding(values["funding"], record=record)
        except ValidationError as err:
            failures.append(err)
    return failures




@frozen
class Payment:
    """Money that is not a post: an honorarium, allowance or one-off cost.

    ``per="year"`` is an annual amount, prorated by days in a period like a post;
    ``per="total"`` is a sum paid over ``start``-``end``: its full-year cost is the sum, and a
    period takes the share of its days that fall inside the period.
    """

    title: str = field(converter=text_of("title"))
    amount: Decimal = field(converter=lambda v: to_decimal(v, field="amount"))
    per: PaymentPer = field(default="year", converter=text_of("per"))
    team: str = field(default="", converter=text_of("team"))
    funding: tuple[FundingShare, ...] = field(default=(), converter=to_funding)
    start: dt.date | None = field(default=None, converter=date_of("start"))
    end: dt.date | None = field(default=None, converter=date_of("end"))
    reference: str | None = field(default=None, converter=text_or_none("reference"))
    notes: str = field(default="", converter=text_of("notes"))
    source: Location | None = source_field()  # where it was read; not part of equality

    def __attrs_post_init__(self) -> None:
        name = f"payment {self.reference or self.title}"
        problem = self._problem()
        if problem is not None:
            raise ValidationError(*problem, record=name, source=self.source)
        check_funding(self.funding, record=name, source=self.source)

    def _problem(self) -> tuple[str, str, Any] | None:
        """The first rule the (converted) fields break: (field, expected, found)."""
        if not self.title:
            return "title", "a non-empty title", self.title
        if self.per not in PAYMENT_BASES:
            return "per", " or ".join(repr(p) for p in PAYMENT_BASES), self.per
        if self.per == "total" and (self.start is None or self.end is None):
            return "start", "set, with end, for a payment per 'total'", self.start
        if self.start and self.end and self.end < self.start:
            return "end", f"on or after start ({self.start.isoformat()})", self.end.isoformat()
        if abs(self.amount) > MAX_MONEY:
            return "amount", f"at most £{MAX_MONEY:,} either way", self.amount
        if self.amount.as_tuple().exponent < -2:
            return "amount", "pounds and pence (at most 2 decimal places)", self.amount
        return None

    @property
    def label(self) -> str:
        return f"payment {self.reference or self.title}"

    def evolve(self, **changes: Any) -> Payment:
        return attrs.evolve(self, **changes)


# Each record's field list is derived from the record itself (``data_fields``), once, here:
# a field added to Post reaches every reader and writer that uses these names.
POST_FIELD_NAMES = data_fields(Post)
#: a post's fields in the order files show them (the reference first)
POST_FIELDS = ("reference", *(f for f in POST_FIELD_NAMES if f != "reference"))
#: a payment's fields in the order files show them
PAYMENT_FIELDS = ("reference", *(f for f in data_fields(Payment) if f != "reference"))
#: the money a post may state instead of its grade's pay
MONEY_KEYS = ("cost_per_fte", "salary", "salary_min", "salary_max")
#: everything that sets a post's pay: its grade and point, or stated money
PAY_FIELDS = ("grade", "scp", *MONEY_KEYS)

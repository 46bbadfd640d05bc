"""Changes to a structure, and applying a list of them atomically.

A reorganisation is a list of :class:`Change` records, as a committee report writes it
("disestablish 4 fte Commissioning Assistants (Grade 3) and establish 4 fte Service Organisers
(Grade 4)"). :func:`apply_changes` gives the new structure, or raises one
:class:`ChangeError` listing every change that does not fit; the structure is a value, so a
failed apply leaves nothing half-changed.

How a change names its post (:class:`Target`), the matching rule used everywhere (also by
:func:`establishment.operations.diff.diff`):

1. by ``reference`` when the post has one;
2. otherwise by ``team`` + ``title``; when several unreferenced rows share a team and title,
   ``occurrence`` (0 = the first in the structure's order) says which one, and leaving it out
   is an error rather than a guess.

Targets are resolved against the structure the list is applied to (then against posts
established earlier in the same list), so a list reads the same whatever its order.

A change is only what it does: it holds no money. Its cost effect is computed by the operation
that costs it, :func:`cost_changes` (or a diff, ``Diff.effects``), which returns each change
with its effect as a :class:`ChangeEffect` (``change``, ``full_year``, ``period``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

import attrs
import numpy as np
from attrs import field, frozen

from establishment.engine.matching import DoesNotFit, LineIndex
from establishment.errors import (
    EstablishmentError,
    Location,
    Problem,
    ValidationError,
    data_fields,
    joined,
    source_field,
)
from establishment.model import checks
from establishment.model.funding import FundingShare, check_funding, to_funding
from establishment.model.money import format_money, to_decimal
from establishment.model.pay_basis import resolve_basis
from establishment.model.post import (
    PAY_FIELDS,
    UNPRICED,
    Payment,
    Post,
    date_or_none,
    scp_or_none,
    text_of,
)
from establishment.model.vocabulary import (
    CHANGE_KINDS,
    END_KINDS,
    REGRADE_KINDS,
    ChangeFileKind,
    EndKind,
    RegradeKind,
)

if TYPE_CHECKING:
    from establishment.model.structure import Structure
    from establishment.operations.diff import Diff


AMEND_FIELDS = ("start", "status", "reports_to", "increment_date", "notes")


class ChangeError(EstablishmentError):
    """Changes that do not fit the structure; nothing was applied.

    Made from (1-based change number, message) pairs: ``numbered`` keeps them, ``numbers``
    the change numbers, and ``problems`` the :class:`Problem` values (located at
    ``change N``; 0 is the list as a whole)."""

    def __init__(self, problems: Iterable[tuple[int, str]]) -> None:
        self.numbered = list(problems)
        self.numbers = [n for n, _ in self.numbered]
        self.problems = [Problem(f"change {n}", None, message) for n, message in self.numbered]
        super().__init__(joined(self.problems, "the changes do not fit the structure; "
                                "nothing was applied"))


@frozen
class Target:
    """Which post a change is about: by reference, else by team + title (+ occurrence)."""

    reference: str | None = field(default=None, validator=checks.optional_text)
    team: str = field(default="", validator=checks.text)
    title: str = field(default="", validator=checks.text)
    # the n-th (0 = first) unreferenced line of that team and title
    occurrence: int | None = field(default=None, converter=checks.as_int,
                                   validator=checks.whole(0, optional=True))

    def __attrs_post_init__(self) -> None:
        if not self.reference and not self.title:
            raise ValidationError("target", "a reference, or a title (with its team)",
                                  attrs.asdict(self))

    @classmethod
    def of(cls, post: Post | Payment, occurrence: int | None = None) -> Target:
        if post.reference:
            return cls(reference=post.reference)
        return cls(team=post.team, title=post.title, occurrence=occurrence)

    def __str__(self) -> str:
        if self.reference:
            return self.reference
        where = f"{self.team} / " if self.team else ""
        nth = f" (#{self.occurrence + 1})" if self.occurrence else ""
        return f"{where}{self.title}{nth}"


def to_target(value: Any) -> Target:
    """A Target from a Target, a post, a reference string or a (team, title) pair."""
    if isinstance(value, Target):
        return value
    if isinstance(value, (Post, Payment)):
        return Target.of(value)
    if isinstance(value, str):
        return Target(reference=value.strip())
    if isinstance(value, (tuple, list)) and len(value) in (2, 3):
        return Target(None, *value)
    if isinstance(value, dict):
        unknown = sorted(set(value) - {"reference", "team", "title", "occurrence"})
        if unknown:
            raise ValidationError("target", "a table of reference, team, title, occurrence",
                                  unknown)
        return Target(**value)
    raise ValidationError("target", "a reference, (team, title) or a Target", value)


def _fte(value: Any) -> Decimal:
    return to_decimal(value, field="fte")


def _end_date(value: Any) -> dt.date:
    """ChangeEnd's date, its errors naming ``end`` (the post's converter says only 'date');
    no date at all is MakePermanent's job, so it is refused here rather than failing later."""
    try:
        end = date_or_none(value)
    except ValidationError as err:
        raise ValidationError("end", err.expected, err.found) from None
    if end is None:
        raise ValidationError("end", "a date (MakePermanent removes an end date)", value)
    return end


def _pay_money(value: Any, name: str) -> Decimal | None:
    """A regrade's pay figure, or None; a bad one names its field. Called through
    ``partial`` when a change is made (not a closure built at import, which a mutation run
    cannot reach)."""
    return None if value is None else to_decimal(value, field=name)


def _amend_fields(value: Any) -> tuple[tuple[str, Any], ...]:
    """An amend's ``{field: new value}``: each name one of :data:`AMEND_FIELDS`, each value
    through the post's own converter for that field (so a bad date or status is refused here,
    naming its field, not when the change is applied)."""
    if isinstance(value, dict):
        pairs = list(value.items())
    elif isinstance(value, (tuple, list)) and all(
            isinstance(i, (tuple, list)) and len(i) == 2 for i in value):
        pairs = [tuple(i) for i in value]
    else:
        raise ValidationError("fields", "a table of field = new value", value)
    converted = []
    converters = attrs.fields_dict(Post)
    for name, raw in pairs:
        if name not in AMEND_FIELDS:
            raise ValidationError("fields", f"some of {', '.join(AMEND_FIELDS)} (use "
                                  "Regrade, ChangeFte, ChangeEnd, Move or ChangeFunding "
                                  "for the others)", name)
        converted.append((name, converters[name].converter(raw)))
    return tuple(sorted(converted))


def _part_fte(value: Any) -> Decimal | None:
    """The fte a disestablish takes: a negative or zero part would add fte (or do nothing)
    under a change that says it removes some, so only a positive part is accepted."""
    if value is None:
        return None
    fte = _fte(value)
    if fte <= 0:
        raise ValidationError("fte", "> 0 (the part of the row to disestablish)", fte)
    return fte


@frozen
class Change:
    """Base of every change: ``kind`` names it in tables; ``describe()`` says what it does.
    ``source`` is where it was read (a file's ``[[change]]`` table), not part of equality."""

    source: Location | None = source_field()
    kind = "change"

    @property
    def label(self) -> str:
        return str(getattr(self, "target", ""))

    def describe(self) -> str:  # pragma: no cover - every subclass overrides it
        return self.kind


@frozen
class Establish(Change):
    """A new post (or several identical ones: one row of ``fte``)."""

    post: Post = field(validator=checks.record_or_view(Post, "a Post"))
    kind = "establish"

    @property
    def label(self) -> str:
        return str(Target.of(self.post))

    def describe(self) -> str:
        band = self.post.grade + (f" scp {self.post.scp}" if self.post.scp else "")
        temp = f", temporary to {self.post.end.isoformat()}" if self.post.end else ""
        if self.post.fte is None:  # given in hours: its fte is the basis's to resolve
            return (f"establish {self.post.title}, {_num(self.post.hours)} hours a week "
                    f"({band}){temp}")
        return f"establish {_num(self.post.fte)} fte {self.post.title} ({band}){temp}"


@frozen
class Disestablish(Change):
    """Remove a post: the whole row, or ``fte`` of it (an error if the row holds less)."""

    target: Target = field(converter=to_target)
    fte: Decimal | None = field(default=None, converter=_part_fte)
    kind = "disestablish"

    def describe(self) -> str:
        return f"disestablish {'' if self.fte is None else _num(self.fte) + ' fte of '}" \
               f"{self.target}"


@frozen
class Regrade(Change):
    """A new pay definition: grade and scp (and any explicit cost/salary/range); fields not
    given are cleared, so the post is costed on what the change says."""

    target: Target = field(converter=to_target)
    grade: str = field(default="", converter=text_of("grade"))  # the post's own rules
    scp: int | None = field(default=None, converter=scp_or_none)
    # converted here so a bad figure names its field (the post's converter says 'money')
    cost_per_fte: Decimal | None = field(default=None,
                                         converter=partial(_pay_money, name="cost_per_fte"))
    salary: Decimal | None = field(default=None,
                                   converter=partial(_pay_money, name="salary"))
    salary_min: Decimal | None = field(default=None,
                                       converter=partial(_pay_money, name="salary_min"))
    salary_max: Decimal | None = field(default=None,
                                       converter=partial(_pay_money, name="salary_max"))
    # "pay range" when the grade stays and only its pay changes (diff.regrade_kind decides)
    kind: RegradeKind = field(default="regrade", eq=False, kw_only=True,
                              validator=checks.one_of(REGRADE_KINDS))
    # the post's pay not disclosed / none
    unpriced: str = field(default="", kw_only=True,
                          validator=checks.one_of(("", *UNPRICED)))

    def pay(self) -> dict[str, Any]:
        return {**{name: getattr(self, name) for name in PAY_FIELDS}, "unpriced": self.unpriced}

    def describe(self) -> str:
        if self.kind == "pay range":
            return f"change the pay of {self.target} within {self.grade} to {self._pay_text()}"
        return f"regrade {self.target} to {self.grade}{f' scp {self.scp}' if self.scp else ''}"

    def _pay_text(self) -> str:
        if self.unpriced:
            return {"not disclosed": "pay not disclosed"}.get(self.unpriced, "no pay")
        if self.salary_min is not None and self.salary_max is not None:
            return f"{_shown(self.salary_min)}-{_shown(self.salary_max)}"
        if self.salary is not None:
            return f"salary {_shown(self.salary)}"
        if self.cost_per_fte is not None:
            return f"{_shown(self.cost_per_fte)} per fte"
        return f"scp {self.scp}" if self.scp else "its grade's pay"


def _shown(amount: Decimal) -> str:
    """A stated amount as written: ``£15,000``, or ``£15,000.50`` with pence (never
    ``£15,000.5``)."""
    return format_money(amount, pence=amount != amount.to_integral_value())


@frozen
class ChangeFte(Change):
    """A new fte for a row (more or fewer hours, or more identical posts)."""

    target: Target = field(converter=to_target)
    fte: Decimal | None = field(converter=lambda v: None if v is None else _fte(v))
    hours: Decimal | None = field(default=None, kw_only=True,
                                  converter=lambda v: None if v is None else to_decimal(
                                      v, field="hours"))
    kind = "change fte"

    def __attrs_post_init__(self) -> None:
        if self.fte is None and self.hours is None:
            raise ValidationError("fte", "a new fte or contracted hours (hours)", None)

    def describe(self) -> str:
        if self.hours is not None:
            return f"change hours of {self.target} to {_num(self.hours)} a week"
        return f"change fte of {self.target} to {_num(self.fte)}"


@frozen
class MakePermanent(Change):
    """A temporary post becomes permanent (its end date is removed)."""

    target: Target = field(converter=to_target)
    kind = "make permanent"

    def describe(self) -> str:
        return f"make {self.target} permanent"


@frozen
class ChangeEnd(Change):
    """A new end date: extends or shortens a temporary post, or makes a permanent one
    temporary. Its ``kind`` is set from the post it is applied to (see :func:`end_kind`)."""

    target: Target = field(converter=to_target)
    end: dt.date = field(converter=_end_date)
    # "change end" until applied to a post (its old end date says which of END_KINDS)
    kind: EndKind | Literal["change end"] = field(
        default="change end", eq=False, kw_only=True,
        validator=checks.one_of((*END_KINDS, "change end")))

    def describe(self) -> str:
        return f"{self.kind} {self.target} to {self.end.isoformat()}"


@frozen
class Move(Change):
    """Move a post to another team and/or retitle it (same post: same reference)."""

    target: Target = field(converter=to_target)
    team: str | None = field(default=None, validator=checks.optional_text)
    title: str | None = field(default=None, validator=checks.optional_text)

    @property
    def kind(self) -> str:  # type: ignore[override]
        if self.team is not None and self.title is not None:
            return "move team and retitle"
        return "retitle" if self.title is not None else "move team"

    def moved(self) -> dict[str, str]:
        """The fields the move sets: a new team, a new title, or both."""
        return {k: v for k, v in (("team", self.team), ("title", self.title)) if v is not None}

    def describe(self) -> str:
        parts = []
        if self.team is not None:
            parts.append(f"to team {self.team}")
        if self.title is not None:
            parts.append(f"retitled {self.title}")
        return f"move {self.target} {' and '.join(parts)}"


@frozen
class ChangeFunding(Change):
    """Who pays for a post: a new source or new shares (summing to 100%)."""

    target: Target = field(converter=to_target)
    funding: tuple[FundingShare, ...] = field(converter=to_funding)
    kind = "change funding"

    @funding.validator
    def _shares(self, attribute: Any, value: tuple[FundingShare, ...]) -> None:
        check_funding(value, record=f"change funding of {self.target}", source=self.source)

    def describe(self) -> str:
        shares = ", ".join(str(s) for s in self.funding) or "(unfunded)"
        return f"fund {self.target} from {shares}"


@frozen
class Amend(Change):
    """Any other field of a post: start, status (filled/vacant), reports_to,
    increment_date, notes."""

    target: Target = field(converter=to_target)
    fields: tuple[tuple[str, Any], ...] = field(converter=_amend_fields)
    kind = "amend"

    def describe(self) -> str:
        return f"amend {self.target}: " + ", ".join(f"{k} = {v}" for k, v in self.fields)


@frozen
class AddPayment(Change):
    payment: Payment = field(validator=checks.record_or_view(Payment, "a Payment"))
    kind = "add payment"

    @property
    def label(self) -> str:
        return str(Target.of(self.payment))

    def describe(self) -> str:
        return f"add payment {self.payment.title} ({format_money(self.payment.amount)} " \
               f"per {self.payment.per})"


@frozen
class RemovePayment(Change):
    target: Target = field(converter=to_target)
    kind = "remove payment"

    def describe(self) -> str:
        return f"remove payment {self.target}"


@frozen
class ChangePayment(Change):
    """Replace a payment (amount, dates, funding...) with a new version of it."""

    target: Target = field(converter=to_target)
    payment: Payment = field(validator=checks.record_or_view(Payment, "a Payment"))
    kind = "change payment"

    def describe(self) -> str:
        return f"change payment {self.target} to {format_money(self.payment.amount)} " \
               f"per {self.payment.per}"


POST_CHANGES = (Disestablish, Regrade, ChangeFte, MakePermanent, ChangeEnd, Move,
                ChangeFunding, Amend)
PAYMENT_CHANGES = (RemovePayment, ChangePayment)


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


def end_kind(old_end: dt.date | None, new_end: dt.date | None) -> EndKind:
    """How a change of end date reads: make permanent / make temporary / extend / shorten."""
    if new_end is None:
        return "make permanent"
    if old_end is None:
        return "make temporary"
    return "extend temporary" if new_end > old_end else "shorten temporary"


def _part_taken(post: Post, pending: dict[str, Any], change: Disestablish
                ) -> dict[str, Any] | None:
    """A disestablish's updates: None when it takes the whole row, else its fte less the part
    taken; DoesNotFit when the part is more than the row, or the row is given in hours."""
    fte = pending.get("fte", post.fte)
    if change.fte is None or change.fte == fte:
        return None
    hours = pending.get("hours", post.hours)
    if hours is not None:  # its fte is hours / the basis's full-time hours: not known here
        raise DoesNotFit(f"cannot take {_num(change.fte)} fte from a row given in hours "
                         f"({_num(hours)} a week, {post.label}): change its hours "
                         f"instead (change fte with hours = the hours left)")
    if change.fte > fte:
        raise DoesNotFit(f"cannot take {_num(change.fte)} fte from a row of "
                         f"{_num(fte)} fte ({post.label})")
    return {"fte": fte - change.fte}


def _post_fields(post: Post, pending: dict[str, Any], change: Change) -> dict[str, Any] | None:
    """The field updates ``change`` makes to a post (whose updates so far are ``pending``);
    None when it removes the post; DoesNotFit when it cannot fit."""
    if isinstance(change, Disestablish):
        return _part_taken(post, pending, change)
    if isinstance(change, Regrade):
        return change.pay()
    if isinstance(change, ChangeFte):
        return {"fte": change.fte, "hours": change.hours}
    if isinstance(change, MakePermanent):
        if pending.get("end", post.end) is None:
            raise DoesNotFit(f"{post.label} is already permanent (it has no end date)")
        return {"end": None}
    if isinstance(change, ChangeEnd):
        return {"end": change.end}
    if isinstance(change, Move):
        return change.moved()
    if isinstance(change, ChangeFunding):
        return {"funding": change.funding}
    if isinstance(change, Amend):
        return dict(change.fields)
    raise TypeError(f"{type(change).__name__} is not a change to a post")


@frozen
class Step:
    """What one change did to one line: the line before and after it (None when there was
    none or is none), as the list so far leaves it."""

    before: Post | Payment | None
    after: Post | Payment | None


STEP_NOTE = ("cost effects are taken change by change, so each step must be a valid "
             "structure")


class _Replay:
    """The state part way through a change list: live rows of posts and payments, the field
    updates waiting for each post, and every change that did not fit. Both
    :func:`apply_changes` and :func:`cost_changes` read the list through it, so a target
    means the same post to both (resolved against the structure the list starts from, by
    :class:`~establishment.engine.matching.LineIndex`).

    With ``steps``, it also keeps each change's :class:`Step` (the post as the changes so far
    leave it, validated at every step) for :func:`cost_changes`; a post that is not valid
    after some change is a problem in ``step_problems``."""

    def __init__(self, structure: Any, changes: Iterable[Change], *, steps: bool = False
                 ) -> None:
        self.posts, self.payments = LineIndex(structure.posts), LineIndex(structure.payments)
        self.pending: dict[int, dict[str, Any]] = {}
        self.touched: dict[int, tuple[int, Change]] = {}
        self.problems: list[tuple[int, str]] = []
        self.steps: list[Step] | None = [] if steps else None
        self.step_problems: list[tuple[int, str]] = []
        self._state: dict[int, Post] = {}
        for number, change in enumerate(changes, start=1):
            try:
                self._one(change, number)
            except DoesNotFit as err:
                self.problems.append((number, str(err)))

    def _step(self, before: Post | Payment | None, after: Post | Payment | None) -> None:
        if self.steps is not None:
            self.steps.append(Step(before, after))

    def _one(self, change: Change, number: int) -> None:
        if isinstance(change, POST_CHANGES):
            self._post_change(change, number)
        elif isinstance(change, Establish):
            if not isinstance(change.post, Post):
                raise TypeError(f"establish needs a Post, not {type(change.post).__name__}")
            if self.posts.live_reference(change.post.reference):
                raise DoesNotFit(f"a post with reference {change.post.reference!r} already "
                                 f"exists")
            self.posts.add(change.post)
            self._step(None, change.post)
        else:
            self._payment_change(change)

    def _payment_change(self, change: Change) -> None:
        payments = self.payments
        if isinstance(change, AddPayment):
            payments.add(change.payment)
            self._step(None, change.payment)
            return
        if not isinstance(change, PAYMENT_CHANGES):
            raise TypeError(f"not a change: {change!r}")
        i = payments.find(change.target, "payment")
        before = payments.rows[i]
        payments.rows[i] = change.payment if isinstance(change, ChangePayment) else None
        self._step(before, payments.rows[i])

    def _post_change(self, change: Change, number: int) -> None:
        posts = self.posts
        i = posts.find(change.target, "post")
        before = self._state.get(i, posts.rows[i])
        fields = _post_fields(posts.rows[i], self.pending.get(i, {}), change)
        if fields is None:
            posts.rows[i] = None
            self.pending.pop(i, None)
            self._step(before, None)
            return
        self.pending.setdefault(i, {}).update(fields)
        self.touched[i] = (number, change)
        if self.steps is not None:
            self._step(before, self._validated(i, number, change, before))

    def _validated(self, i: int, number: int, change: Change, before: Post) -> Post:
        """The post after this change (its updates so far applied to it at once); when they
        do not make a valid post, a step problem (the post is costed as it was)."""
        try:
            after = self.posts.rows[i].evolve(**self.pending[i])
        except ValidationError as err:
            self.step_problems.append((number, f"{change.describe()}: {err} (after change "
                                               f"{number}; {STEP_NOTE})"))
            return before
        self._state[i] = after
        return after

    def result(self, structure: Any) -> Any:
        problems = list(self.problems)
        posts = self.posts
        for i, fields in self.pending.items():
            try:
                posts.rows[i] = posts.rows[i].evolve(**fields)
            except ValidationError as err:
                number, change = self.touched[i]
                problems.append((number, f"{change.describe()}: {err}"))
        if problems:
            raise ChangeError(sorted(problems))  # at most one problem a change
        try:
            return structure.evolve(posts=posts.live(), payments=self.payments.live())
        except ValidationError as err:
            raise ChangeError([(0, f"the result is not a valid structure: {err}")]) from None


def apply_changes(structure: Structure, changes: Iterable[Change] | Diff) -> Structure:
    """The structure after every change, in order; all or nothing.

    Every change that does not fit (a target that is not there or is ambiguous, taking more
    fte than a row holds, a duplicate reference, a field that fails validation) is collected
    and reported together in one :class:`ChangeError`; the structure given is never modified
    (it is immutable) and no partial result is returned. Several changes to one post are
    combined and the post validated once, so their order does not matter (a new end date and
    a new start date can come in either order).
    """
    if not callable(getattr(structure, "evolve", None)) or not hasattr(structure, "payments"):
        raise ValidationError("structure", "a Structure", type(structure).__name__)
    if callable(getattr(changes, "apply_to", None)):  # a Diff applies itself
        return changes.apply_to(structure)
    return _Replay(structure, _records(changes)).result(structure)


@frozen
class ChangeEffect:
    """A change with the cost effect an operation computed for it (:func:`cost_changes`, or
    ``Diff.effects``): ``full_year`` and, when a period was asked, ``period``, in Decimal
    pounds at the basis's unit. The change itself holds no money; ``kind``, ``label`` and
    ``describe()`` are its own."""

    change: Change
    full_year: Decimal
    period: Decimal | None = None

    @property
    def kind(self) -> str:
        return self.change.kind

    @property
    def label(self) -> str:
        return self.change.label

    def describe(self) -> str:
        return self.change.describe()


def _records(changes: Iterable[Change | ChangeEffect]) -> list[Change]:
    """The changes of a list that may hold costed ones (a ChangeEffect applies its change)."""
    return [c.change if isinstance(c, ChangeEffect) else c for c in changes]


def cost_changes(structure: Any, changes: Sequence[Change | ChangeEffect], basis: Any = None,
                 period: tuple[dt.date, dt.date] | None = None) -> list[ChangeEffect]:
    """Each change with its cost effect (a :class:`ChangeEffect`): the cost after the first n
    changes minus the cost after the first n - 1 (full year, and in-period when a period is
    given), in pounds at the basis's unit. The effects add up to cost(after) - cost(before)
    exactly. A :class:`ChangeEnd` comes back with its ``kind`` (extend, shorten...) worked out
    from the post's old end date.

    The list is read once, as :func:`apply_changes` reads it (so targets resolve exactly as
    they do there: a post moved or retitled earlier in the list, or the second of two
    same-titled unreferenced rows after the first is gone, is still the post its target
    named). A line's cost depends on that line alone, so a change's effect is the cost of the
    line it touches after it minus before it: every such line is costed in one call of the
    engine, and the time grows with the number of changes, not with the structure's size
    times it. Each step's post must be valid (a start moved past the old end before the end
    moves cannot be costed step by step): its :class:`ChangeError` says so.
    """
    basis = resolve_basis(basis)
    changes = _records(changes)
    replay = _Replay(structure, changes, steps=True)
    replay.result(structure)  # the whole list must fit before anything is costed
    if replay.step_problems:
        raise ChangeError(replay.step_problems)
    full_year, in_period = _step_effects(replay.steps or [], basis, period)
    costed = []
    for change, step, effect, part in zip(changes, replay.steps or [], full_year, in_period):
        if isinstance(change, ChangeEnd):
            change = attrs.evolve(change, kind=end_kind(step.before.end, change.end))
        costed.append(ChangeEffect(change, effect, part))
    return costed


def _step_effects(steps: list[Step], basis: Any, period: tuple[dt.date, dt.date] | None
                  ) -> tuple[list[Decimal], list[Decimal | None]]:
    """Each step's effect (its line after minus before), full year and in period, with every
    line the steps name costed in one frame (none: no engine call, nothing to cost)."""
    if not steps:
        return [], []
    from establishment.engine.costing import cost_frame  # the engine, only when costing
    from establishment.model.frame import lines_frame

    lines: dict[int, tuple[int, Post | Payment]] = {}
    for step in steps:
        for record in (step.before, step.after):
            if record is not None and id(record) not in lines:
                lines[id(record)] = (len(lines), record)
    records = [record for _, record in lines.values()]
    frame = lines_frame([r for r in records if isinstance(r, Post)],
                        [r for r in records if not isinstance(r, Post)])
    costed, _ = cost_frame(frame, basis, period=period)
    order = [i for i, r in enumerate(records) if isinstance(r, Post)] + \
        [i for i, r in enumerate(records) if not isinstance(r, Post)]
    row_of = np.empty(len(records), dtype=np.int64)
    row_of[order] = np.arange(len(records))
    columns = ["full_year"] + (["period"] if period is not None else [])
    values = {c: costed[c].to_numpy() for c in columns}  # the engine's int64 columns

    def line(record: Post | Payment | None, column: str) -> int:
        return 0 if record is None else int(values[column][row_of[lines[id(record)][0]]])

    unit = basis.unit  # the engine's figures are in the basis's unit: pounds or pence
    full = [unit.pounds(line(s.after, "full_year") - line(s.before, "full_year"))
            for s in steps]
    part = [unit.pounds(line(s.after, "period") - line(s.before, "period")) if period
            else None for s in steps]
    return full, part


CHANGE_KEYS = {"kind", "id", "target", "post", "payment", "fte", "grade", "scp",
               "cost_per_fte", "salary", "salary_min", "salary_max", "end", "team", "title",
               "funding", "fields", "note"}


class _Table:
    """One ``[[change]]`` table being read: its fields, each missing one a located error."""

    def __init__(self, data: dict[str, Any], kind: str) -> None:
        self.data, self.kind = data, kind

    def get(self, name: str) -> Any:
        return self.data.get(name)

    def need(self, name: str) -> Any:
        if name not in self.data:
            raise ValidationError(name, f"given for a {self.kind} change", None)
        return self.data[name]

    def record(self, name: str, cls: type) -> Any:
        # a scenario file's typo must read as a field error, not a Python TypeError
        table = self.need(name)
        known = set(data_fields(cls))
        if not isinstance(table, dict):
            raise ValidationError(name, f"a table of {name} fields", table)
        unknown = sorted(set(table) - known)
        if unknown:
            raise ValidationError(name, f"fields among {', '.join(sorted(known))}", unknown)
        return cls(**table)

    def target(self) -> Target:
        return to_target(self.need("target"))


def _move(t: _Table) -> Move:
    if "team" not in t.data and "title" not in t.data:
        raise ValidationError("team", "a new team and/or title for a move", None)
    return Move(t.target(), t.get("team"), t.get("title"))


def _amend(t: _Table) -> Amend:
    target, fields = t.target(), t.need("fields")
    if not isinstance(fields, dict):
        raise ValidationError("fields", "a table of field = new value", fields)
    return Amend(target, fields)


READERS: dict[ChangeFileKind, Callable[[_Table], Change]] = {
    "establish": lambda t: Establish(t.record("post", Post)),
    "add-payment": lambda t: AddPayment(t.record("payment", Payment)),
    "disestablish": lambda t: Disestablish(t.target(), t.get("fte")),
    "regrade": lambda t: Regrade(t.target(), t.need("grade"), t.get("scp"),
                                 t.get("cost_per_fte"), t.get("salary"), t.get("salary_min"),
                                 t.get("salary_max")),
    "change-fte": lambda t: ChangeFte(t.target(), t.need("fte")),
    "make-permanent": lambda t: MakePermanent(t.target()),
    "change-end": lambda t: ChangeEnd(t.target(), t.need("end")),
    "move": _move,
    "change-funding": lambda t: ChangeFunding(t.target(), t.need("funding")),
    "amend": _amend,
    "remove-payment": lambda t: RemovePayment(t.target()),
    "change-payment": lambda t: ChangePayment(t.target(), t.record("payment", Payment)),
}


def change_from_mapping(data: dict[str, Any], source: Location | None = None) -> Change:
    """A change from a mapping, as written in a scenario file's ``[[change]]`` table:

    ``kind`` (one of :data:`CHANGE_KINDS`), ``target`` (a reference, or
    ``{team = ..., title = ...}``), and the fields of that kind: ``post`` (a table, for
    establish), ``fte``, ``grade``/``scp``, ``end``, ``team``/``title`` (the new ones, for
    move), ``funding``, ``fields`` (for amend), ``payment``. A bad table raises
    :class:`ValidationError` naming the field. ``source``: where the table was read."""
    if not isinstance(data, dict):
        raise ValidationError("change", "a table of fields", data)
    unknown = sorted(set(data) - CHANGE_KEYS)
    if unknown:
        raise ValidationError("change", f"fields among {', '.join(sorted(CHANGE_KEYS))}",
                              unknown)
    kind = data.get("kind")
    if kind not in READERS:
        raise ValidationError("kind", " | ".join(CHANGE_KINDS), kind)
    change = READERS[kind](_Table(data, kind))
    return attrs.evolve(change, source=source)

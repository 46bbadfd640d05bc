"""What the reader takes out of a report: records that are only data, each with its source.

Every item carries the places it was read from (``Source``: the paragraph, the line and the
words), so a reader of the scenario, or of the audit, can find each one in the report.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from attrs import field, frozen


@frozen
class Source:
    """Where an item was read: the paragraph's name ("para 6"), the line and the words."""

    paragraph: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.paragraph} (line {self.line}): {self.text}"


@frozen
class PostItem:
    """A post a staffing statement names. ``kind`` is the change the statement makes
    (establish, disestablish, make-permanent, regrade, extend, change-fte) or ``existing`` (a
    post the text implies is already there). ``new_grade``, ``new_fte`` and ``new_end`` are what
    a regrade, fte change or extension makes of it."""

    kind: str
    title: str
    fte: Decimal | None = None
    hours: Decimal | None = None
    grade: str | None = None
    scp: int | None = None
    team: str | None = None
    status: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    new_grade: str | None = None
    new_fte: Decimal | None = None
    new_end: dt.date | None = None
    sources: tuple[Source, ...] = field(default=(), converter=tuple)


@frozen
class PaymentItem:
    """A payment that is not a post (an honorarium, an allowance)."""

    title: str
    amount: Decimal
    per: str = "total"
    start: dt.date | None = None
    end: dt.date | None = None
    sources: tuple[Source, ...] = field(default=(), converter=tuple)


@frozen
class BudgetItem:
    """A budget the report states, with its temporary part and the cost set against it."""

    name: str
    amount: Decimal
    temporary: Decimal = Decimal(0)
    cost: Decimal | None = None
    sources: tuple[Source, ...] = field(default=(), converter=tuple)


@frozen
class FigureItem:
    """A published figure, to be reconciled: its metric (a scenario metric), what it is about
    (``subject``: a post's title, a payment's title or a budget's name; None for a total), the
    expectation (match, input, not-derivable) and, for one that is not plain, why."""

    label: str
    metric: str
    amount: Decimal
    subject: str | None = None
    expect: str = "match"
    note: str = ""
    sources: tuple[Source, ...] = field(default=(), converter=tuple)


@frozen
class MoneyItem:
    """One money figure in the text and what became of it: ``read`` (a target, a payment or a
    budget) or ``unread`` with the reason."""

    amount: Decimal
    written: str
    source: Source
    fate: str
    reason: str = ""


@frozen
class Note:
    """Something the reader could not read, or read one way of two: located, never silent."""

    source: Source | None
    message: str


@frozen
class Reading:
    """A report, read: the date and basis it states, the staffing statements, payments,
    budgets and published figures, every money figure with its fate, and what was not read
    (``unread``) or was read one way where the text allows two (``ambiguities``)."""

    path: str
    date: dt.date | None
    date_source: str
    posts: tuple[PostItem, ...]
    payments: tuple[PaymentItem, ...]
    budgets: tuple[BudgetItem, ...]
    figures: tuple[FigureItem, ...]
    money: tuple[MoneyItem, ...]
    unread: tuple[Note, ...]
    ambiguities: tuple[Note, ...]
    point: str = "actual"
    point_source: Source | None = None
    on_costs: str | None = None  # "salary-only" or "with" when the text says which
    on_costs_source: Source | None = None
    effective: dt.date | None = None
    effective_source: Source | None = None
    appendices: tuple[Source, ...] = ()
    title: str = ""
    text: str = field(default="", repr=False)  # the report's text, for what reads it whole

    @property
    def statements(self) -> tuple[PostItem, ...]:
        """The posts a decision changes (every post but those only implied to exist)."""
        return tuple(p for p in self.posts if p.kind != "existing")

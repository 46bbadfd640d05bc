"""Auditing a committee report: read it, cost it, and check every figure it publishes.

:func:`audit_report` reads the report (``establishment.reading``), writes the scenario, runs it
on two bases, and gives one :class:`AuditLine` per published figure:

- the **stated basis**: the employer and on-cost rule the user gives (reports rarely name a
  rule), the report's pay year and the costing convention the text states ("top of scale");
- the **correct basis** for the report's date: the same employer, pay year and convention with
  the rule the text states, else the employer's default rule (its spine and NI for the year).

Each line has the published figure, the figure recomputed on the stated basis, the difference,
the figure on the correct basis, the in-year cost where the posts run for part of the year,
and the likely cause of any gap: a full year's cost called the year's, a stale spine, an
on-cost rate, or arithmetic, with the report's own words. A figure that does not reconcile on
the stated basis fails the audit (the command exits 1).

This module is in ``scenarios`` because it loads and runs a scenario; the reader it calls is in
``establishment`` and does not import this package (docs/audit.md).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
from attrs import frozen

from establishment.model.money import format_money
from establishment.reading import Reading, read_report, scenario_toml
from establishment.reading.records import FigureItem
from establishment.tables.document import Document, Paragraph
from establishment.tables.table import Column, Table
from pay_scales.employer import load_employer
from scenarios.reconcile import Reconciliation, result_metric
from scenarios.run import ScenarioResult, run_scenario
from scenarios.scenario import PublishedFigure, load_scenario

IN_YEAR = {"full_year": "period", "line_full_year": "line_period"}


@frozen
class AuditLine:
    """One published figure, checked."""

    label: str
    source: str
    quote: str
    published: Decimal
    recomputed: Decimal | None
    correct: Decimal | None
    in_year: Decimal | None
    status: str
    cause: str
    failed: bool

    @property
    def difference(self) -> Decimal | None:
        return None if self.recomputed is None else self.recomputed - self.published


@frozen
class Audit:
    """A report audited: the reading, the scenario run, and one line per published figure."""

    reading: Reading
    result: ScenarioResult
    lines: tuple[AuditLine, ...]
    stated: str
    correct: str

    @property
    def ok(self) -> bool:
        return not any(line.failed for line in self.lines)

    def table(self) -> Table:
        columns = [Column("Published figure"), Column("Source"), Column("Published", "money"),
                   Column("Recomputed", "money"), Column("Difference", "money"),
                   Column("Correct basis", "money"), Column("In the year", "money"),
                   Column("Status"), Column("Likely cause"), Column("The report's words")]
        rows = [[line.label, line.source, line.published, line.recomputed, line.difference,
                 line.correct, line.in_year, line.status, line.cause, f"\u201c{line.quote}\u201d"]
                for line in self.lines]
        failed = [line for line in self.lines if line.failed]
        notes = [f"Stated basis: {self.stated}", f"Correct basis: {self.correct}",
                 f"{len(self.lines) - len(failed)} of {len(self.lines)} published figures "
                 "reconcile or are accounted for" + (
                     f"; {len(failed)} DO NOT RECONCILE: " + "; ".join(
                         f"{f.label} ({f.source}, {format_money(f.difference)})"
                         for f in failed) if failed else ".")]
        return Table(columns, rows, "Audit of the published figures", None, notes)

    def unread_table(self) -> Table:
        rows = [[n.source.paragraph if n.source else "", n.source.line if n.source else None,
                 "not read", n.message] for n in self.reading.unread]
        rows += [[n.source.paragraph if n.source else "", n.source.line if n.source else None,
                  "ambiguous", n.message] for n in self.reading.ambiguities]
        return Table([Column("Paragraph"), Column("Line", "int"), Column("What"),
                      Column("Note")], rows, "What the reader did not read, or read one way "
                     "of two", None, [])

    def document(self) -> Document:
        blocks: list[Any] = [Paragraph(f"Report: {self.reading.path}, dated "
                                       f"{self.reading.date}"), self.table()]
        if self.reading.unread or self.reading.ambiguities:
            blocks.append(self.unread_table())
        return Document(f"Audit of {Path(self.reading.path).name}", tuple(blocks))


def audit_report(path: str | Path, employer: str, *, rule: str | None = None,
                 date: dt.date | None = None, patterns: str | Path | None = None) -> Audit:
    """Read, cost and check the report at ``path`` (see the module docstring)."""
    reading = read_report(path, date=date, patterns=patterns)
    return audit_reading(reading, employer, rule=rule)


def audit_reading(reading: Reading, employer: str, *, rule: str | None = None) -> Audit:
    correct_rule = reading.on_costs
    stated_rule = rule or reading.on_costs
    bases = {}
    if stated_rule != correct_rule:
        bases["correct"] = {"label": "Correct for the report's date", "employer": employer,
                            "pay_year": None, "rule": correct_rule}
    text = scenario_toml(reading, employer, rule=rule, bases=_pay_year(bases, reading))
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / (Path(reading.path).stem + ".toml")
        file.write_text(text, encoding="utf-8")
        scenario = load_scenario(file)
        result = run_scenario(scenario)
    lines = tuple(_line(reading, result, r, item, employer, stated_rule)
                  for r, item in zip(result.reconciliations, reading.figures, strict=True))
    return Audit(reading, result, lines, scenario.bases["stated"].describe(),
                 scenario.bases.get("correct", scenario.bases["stated"]).describe())


def _pay_year(bases: dict[str, dict[str, Any]], reading: Reading) -> dict[str, dict[str, Any]]:
    from pay_scales.dates import pay_year_label, pay_year_of

    year = pay_year_label(pay_year_of(reading.date)) if reading.date else None
    return {name: {**fields, "pay_year": year} for name, fields in bases.items()}


def _value(result: ScenarioResult, figure: PublishedFigure, **changes: str) -> Decimal | None:
    try:
        return result_metric(result, attrs.evolve(figure, **changes))
    except (KeyError, StopIteration):
        return None


def _line(reading: Reading, result: ScenarioResult, rec: Reconciliation, item: FigureItem,
          employer: str, stated_rule: str | None) -> AuditLine:
    figure = rec.figure
    correct = (_value(result, figure, basis="correct") if "correct" in result.costings
               else rec.ours)
    in_year = None
    if figure.metric in IN_YEAR and result.scenario.period and figure.expect == "match":
        in_year = _value(result, figure, metric=IN_YEAR[figure.metric])
    cause = likely_cause(reading, rec, item, correct, in_year, employer, stated_rule)
    quote = " … ".join(dict.fromkeys(s.text for s in item.sources))
    return AuditLine(figure.label, figure.source, quote, figure.amount, rec.ours, correct,
                     in_year, rec.status, cause, rec.failed)


def rule_kind(employer: str, rule: str | None) -> str:
    """How a rule differs from pricing on the year's own data: a stale spine (an earlier
    year's spine uplifted by an assumed award), else its on-cost rates."""
    found = load_employer(employer).rule(rule)
    if found.spine_pay_year is not None or found.award is not None:
        return (f"a stale spine (rule {found.name!r} prices on the "
                f"{found.spine_pay_year}/{(found.spine_pay_year or 0) % 100 + 1:02d} spine"
                + (f" plus an assumed {found.award.amount()} award" if found.award
                   else "") + ")")
    return f"an on-cost rate (rule {found.name!r})"


def likely_cause(reading: Reading, rec: Reconciliation, item: FigureItem,
                 correct: Decimal | None, in_year: Decimal | None, employer: str,
                 stated_rule: str | None) -> str:
    figure = rec.figure
    if figure.expect == "not-derivable":
        return "not derivable from the text: " + figure.note
    if figure.expect == "input":
        return "input, taken as given" if not rec.failed else \
            f"input held as {format_money(rec.ours)}, not as published"
    if rec.difference == 0:
        return _reconciled(figure, correct, in_year, employer, stated_rule, reading)
    return _unreconciled(reading, rec, item, correct, in_year)


def _reconciled(figure: PublishedFigure, correct: Decimal | None, in_year: Decimal | None,
                employer: str, stated_rule: str | None, reading: Reading) -> str:
    parts = []
    if in_year is not None and in_year != figure.amount:
        start, end = reading_period(reading)
        parts.append(f"full year called in-year: {format_money(figure.amount)} is a full "
                     f"year's cost, but the posts run from {start} to {end}: "
                     f"{format_money(in_year)} in the year")
    if correct is not None and correct != figure.amount:
        parts.append(f"on the correct basis {format_money(correct)} "
                     f"({format_money(correct - figure.amount)}): "
                     + rule_kind(employer, stated_rule))
    return "; ".join(parts) or "reconciles"


def reading_period(reading: Reading) -> tuple[str, str]:
    from establishment.reading.scenario_text import period_of

    period = period_of(reading)
    return (period[0].isoformat(), period[1].isoformat()) if period else ("?", "?")


def _unreconciled(reading: Reading, rec: Reconciliation, item: FigureItem,
                  correct: Decimal | None, in_year: Decimal | None) -> str:
    figure, ours, difference = rec.figure, rec.ours, rec.difference
    if ours is None:
        return "not computed on the stated basis"
    if correct is not None and correct == figure.amount:
        return "the report is right on the correct basis: the stated rule does not fit it"
    if in_year is not None and in_year == figure.amount:
        return "the figure is the cost in the year, not the full year the text implies"
    fte = next((p.fte for p in reading.posts if _subject(p.title) == item.subject), None)
    if fte and fte != 1 and figure.metric in ("unit_cost", "line_full_year"):
        other = ours * fte if figure.metric == "unit_cost" else ours / fte
        if abs(other - figure.amount) <= 1:
            return ("per fte or per line: the figure is the "
                    + ("line's cost" if figure.metric == "unit_cost" else "cost per fte")
                    + ", not as read (see the ambiguity)")
    if figure.metric == "full_year":
        own = own_total(reading)
        if own is not None and own != figure.amount:
            return (f"arithmetic: the report's own figures add up to {format_money(own)}, not "
                    f"{format_money(figure.amount)}")
    if abs(difference) <= max(Decimal(10), abs(figure.amount) / 1000):
        each = (f" ({format_money(abs(difference) / fte)} per fte)"
                if fte and fte != 1 and figure.metric == "line_full_year" else "")
        return f"arithmetic or a typo: {format_money(abs(difference))}{each}"
    ratio = (figure.amount / ours - 1) * 100 if ours else Decimal(0)
    return (f"an on-cost rate or the spine: the published figure is {ratio:+.1f}% of the "
            "recomputed one")


def _subject(title: str) -> str:
    from establishment.reading.extract import title_key

    return title_key(title)


def own_total(reading: Reading) -> Decimal | None:
    """The report's own lines added up: each per-fte cost x its fte, each line's cost, each
    payment (None when a post has no stated cost)."""
    total = Decimal(0)
    for post in reading.statements:
        stated = [f for f in reading.figures if f.subject == _subject(post.title)]
        if not stated or post.fte is None:
            return None
        total += stated[0].amount * post.fte if stated[0].metric == "unit_cost" else \
            stated[0].amount
    return total + sum((p.amount for p in reading.payments), Decimal(0))

"""A report's blocks, in order: posts, totals, funding, the change against the current
structure (with a waterfall), the basis once, and the financial implications."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
from attrs import frozen

from establishment.engine.costing import cost
from establishment.errors import EstablishmentError
from establishment.model.style import format_day
from establishment.operations.changes import apply_changes
from establishment.operations.diff import diff
from establishment.report.prose import Change, implications
from establishment.tables.charts import waterfall_alt, waterfall_png, waterfall_svg
from establishment.tables.committee import committee_table, structure_table, totals_table
from establishment.tables.diff_table import diff_summary_table, diff_table
from establishment.tables.document import Document, Figure, Heading, Paragraph
from establishment.tables.table import Table


@frozen
class ReportSource:
    """What a report is about: the structure, its basis, period, title and (for a scenario
    of changes, or ``--against``) the structure before them; ``left_out`` names the posts the
    pay data cannot cost."""

    structure: Any
    basis: Any
    period: Any = None
    title: str = ""
    before: Any = None
    left_out: tuple[str, ...] = ()
    #: the committee report it belongs to (a scenario's ``report``), printed under the title
    reference: str = ""
    #: the report's date (a scenario's decision date), else the day it is written
    date: dt.date | None = None


def source_from_scenario(scenario: Any, *, basis: Any = None, period: Any = None
                         ) -> ReportSource:
    """The report source of a loaded scenario (``scenarios.load_scenario``): its decided
    structure without the posts it says the pay data cannot cost, its basis and period (unless
    ``basis`` or ``period`` is given), and, when it is a list of changes, the structure before
    them."""
    decided = apply_changes(scenario.structure, [c.change for c in scenario.changes])
    refs = set(scenario.not_costable)

    def costable(structure: Any) -> Any:
        return structure.evolve(posts=[p for p in structure.posts if p.reference not in refs])

    left_out = tuple(p.label for p in decided.posts if p.reference in refs)
    return ReportSource(costable(decided), basis or scenario.basis, period or scenario.period,
                        scenario.title,
                        costable(scenario.structure) if scenario.changes else None, left_out,
                        scenario.report, getattr(scenario, "decided", None))


def build_report(source: ReportSource, title: str | None = None) -> Document:
    """The report as a :class:`~establishment.tables.document.Document`: the basis is said
    once, in its own section (the tables' own "Basis:" notes are left out), and each marker's
    legend once (:func:`~establishment.tables.document.notes_once`)."""
    costing = cost(source.structure, source.basis, period=source.period)
    funding = structure_table(costing, "funding")
    blocks: list[Any] = [Heading("Cost of the posts"), committee_table(costing, "Posts and costs"),
                         Heading("Totals"), totals_table(costing)]
    if source.left_out:
        blocks.append(Paragraph("Costed posts only. Left out of every total, as the pay data "
                                "cannot cost them: " + ", ".join(source.left_out) + ".",
                                small=True))
    blocks += [Heading("Funding"), funding]
    change = None
    if source.before is not None:
        change = _change(source, costing)
        blocks += [Heading("Change against the current structure"), *change.blocks]
    blocks += [Heading("Basis"), Paragraph(costing.basis.describe(), small=True),
               Heading("Financial implications"),
               Paragraph(implications(costing, funding, change, bool(source.left_out),
                                      temporary=all_temporary(source.structure)))]
    blocks = [_without_basis(b) if isinstance(b, Table) else b for b in blocks]
    day = source.date or dt.date.today()
    return Document(source.title if title is None else title, tuple(blocks),
                    reference=source.reference, date=format_day(day))


def all_temporary(structure: Any) -> bool:
    """Every post ends (has an end date): the period is "when the posts run"."""
    posts = structure.posts
    return bool(posts) and all(p.end is not None for p in posts)


def _without_basis(table: Table) -> Table:
    return attrs.evolve(table, notes=tuple(n for n in table.notes
                                           if not n.startswith("Basis: ")))


def _change(source: ReportSource, costing: Any) -> Change:
    """The diff against the current structure: its tables and a waterfall of it."""
    result = diff(source.before, source.structure, source.basis, period=source.period)
    if result.after_full_year != costing.full_year:
        raise EstablishmentError("the change does not reconcile with the costing")  # a bug
    summary = diff_summary_table(result)
    steps = [(row[0], row[2]) for row in summary.rows if row[2]]
    figure = waterfall_figure(("Current", result.before_full_year), steps,
                              ("Proposed", result.after_full_year))
    blocks = (diff_table(result, "The changes"), summary, figure)
    return Change(result.before_full_year, result.after_full_year, blocks)


def waterfall_figure(start: tuple[str, Decimal], steps: list[tuple[str, Decimal]],
                     end: tuple[str, Decimal]) -> Figure:
    """The waterfall as inline SVG (HTML, Markdown) and, where matplotlib is installed, PNG
    (Word)."""
    title = "Full-year cost: current structure, each kind of change, proposed structure"
    return Figure(waterfall_svg(start, steps, end, title), title,
                  lambda: waterfall_png(start, steps, end, title), waterfall_alt(start, steps, end))

"""``establishment report SOURCE``: the costing section of a committee report, as one document.

SOURCE is a structure file or a scenario (a bundled name, or a scenario file): a scenario
brings its basis and its period, and, when it is a list of changes, the structure before them
as the one to compare against. The document holds the committee table, the totals (full year
and period, each labelled), the funding split, the change against ``--against`` with a
waterfall chart, the basis, and a "Financial implications" paragraph in the library's own
template wording. Every figure in it comes from the costing; none is typed.
"""

from __future__ import annotations

import argparse
import os
from decimal import Decimal
from typing import Any

from attrs import frozen

from establishment.cli.options import (
    CliError,
    add_basis,
    add_format,
    basis_from_args,
    emit_document,
    load_from_args,
    period_from_args,
)

EXAMPLES = """examples:
  establishment report 2018-short-breaks --output report.html
  establishment report 2018-short-breaks --output report.docx
  establishment report proposed.toml --against current.toml --output report.md
  establishment report proposed.toml --from 2020-07-01 --to 2021-03-31 -o report.html
"""


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("report", help="write the costing section of a committee report",
                            description="Write the costing section of a committee report "
                            "(HTML, Word or Markdown, from --output's extension): the committee "
                            "table, full-year and period totals, the funding split, the change "
                            "against --against with a waterfall chart, the basis and a "
                            "'Financial implications' paragraph.", epilog=EXAMPLES,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", metavar="SOURCE",
                        help="a structure file (.toml, .csv, .xlsx) or a scenario (bundled name "
                        "or scenario .toml)")
    parser.add_argument("--against", metavar="BEFORE",
                        help="the current structure, to show the change against it")
    parser.add_argument("--title", help="the report's title (default: the source's name)")
    add_format(parser)
    add_basis(parser)
    parser.set_defaults(run=run)


@frozen
class Source:
    """What a report is about: the structure, its basis, period, title and (for a scenario
    of changes) the structure before them."""

    structure: Any
    basis: Any
    period: Any
    title: str
    before: Any = None
    left_out: tuple[str, ...] = ()


def is_scenario(source: str) -> bool:
    """A bundled scenario's name, or a TOML file that names a primary basis (a scenario file);
    anything else is a structure file."""
    if not os.path.exists(source):
        return not source.endswith((".toml", ".csv", ".xlsx")) and source != "-"
    if not source.endswith(".toml"):
        return False
    with open(source, encoding="utf-8", errors="replace") as handle:
        return any(line.startswith("primary_basis") for line in handle)


def _scenario_source(args: argparse.Namespace) -> Source:
    from establishment.operations.changes import apply_changes
    from scenarios import load_scenario

    scenario = load_scenario(args.source)
    decided = apply_changes(scenario.structure, [c.change for c in scenario.changes])
    refs = set(scenario.not_costable)  # posts the scenario says the pay data cannot cost

    def costable(structure: Any) -> Any:
        return structure.evolve(posts=[p for p in structure.posts if p.reference not in refs])

    left_out = tuple(p.label for p in decided.posts if p.reference in refs)
    return Source(costable(decided), basis_from_args(args, scenario.basis),
                  period_from_args(args) or scenario.period, scenario.title,
                  costable(scenario.structure) if scenario.changes else None, left_out)


def load_source(args: argparse.Namespace) -> Source:
    if is_scenario(args.source):
        return _scenario_source(args)
    loaded = load_from_args(args, name="source")
    title = loaded.structure.name or os.path.splitext(os.path.basename(args.source))[0]
    return Source(loaded.structure, basis_from_args(args, loaded.basis), period_from_args(args),
                  title)


def run(args: argparse.Namespace) -> int:
    source = load_source(args)
    before = source.before
    if args.against:
        before = load_from_args(args, name="against").structure
    document = report_document(source, before, args.title or source.title)
    emit_document(args, document)
    return 0


def report_document(source: Source, before: Any, title: str) -> Any:
    """The report as a :class:`~establishment.tables.document.Document`."""
    from establishment.engine.costing import cost
    from establishment.tables.committee import committee_table, structure_table, totals_table
    from establishment.tables.document import Document, Heading, Paragraph

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
    if before is not None:
        change = _change(before, source, costing)
        blocks += [Heading("Change against the current structure"), *change.blocks]
    blocks += [Heading("Basis"), Paragraph(costing.basis.describe(), small=True),
               Heading("Financial implications"),
               Paragraph(implications(costing, funding, change, bool(source.left_out)))]
    return Document(title, tuple(blocks))


@frozen
class Change:
    before: Decimal
    after: Decimal
    blocks: tuple


def _change(before: Any, source: Source, costing: Any) -> Change:
    """The diff against the current structure: its tables and a waterfall of it."""
    from establishment.operations.diff import diff
    from establishment.tables.diff_table import diff_summary_table, diff_table

    result = diff(before, source.structure, source.basis, period=source.period)
    if result.after_full_year != costing.full_year:
        raise CliError("the change does not reconcile with the costing")  # never expected
    summary = diff_summary_table(result)
    steps = [(row[0], row[2]) for row in summary.rows if row[2]]
    figure = waterfall_figure(("Current", result.before_full_year), steps,
                              ("Proposed", result.after_full_year))
    blocks = (diff_table(result, "The changes"), summary, figure)
    return Change(result.before_full_year, result.after_full_year, blocks)


def waterfall_figure(start: tuple[str, Decimal], steps: list[tuple[str, Decimal]],
                     end: tuple[str, Decimal]) -> Any:
    """The waterfall as inline SVG (HTML, Markdown) and, where matplotlib is installed, PNG
    (Word)."""
    from establishment.tables.charts import waterfall_png, waterfall_svg
    from establishment.tables.document import Figure

    title = "Full-year cost: current structure, each kind of change, proposed structure"
    return Figure(waterfall_svg(start, steps, end), title,
                  lambda: waterfall_png(start, steps, end))


def _money(value: Decimal) -> str:
    from establishment.model.money import format_money

    return format_money(value)


def _fte(value: Decimal) -> str:
    return f"{value.normalize():f}"


def implications(costing: Any, funding: Any, change: Change | None, partial: bool = False
                 ) -> str:
    """The "Financial implications" paragraph: the library's own template, every figure taken
    from the costing (and the change)."""
    from establishment.model.style import format_period
    from pay_scales.dates import pay_year_label

    year = pay_year_label(costing.basis.pay_year)
    text = (f"The establishment of {_fte(costing.fte)} fte costs {_money(costing.full_year)} in "
            f"a full year at {year} pay rates, on-costs included")
    text += (f", of which {_money(costing.payments_full_year)} is other payments. "
             if costing.payments_full_year else ". ")
    if costing.period is not None:
        text += (f"For the period {format_period(*costing.period)}, when the posts run, the "
                 f"cost is {_money(costing.period_total)}. ")
    if change is not None:
        net = change.after - change.before
        if net:
            word = "an increase" if net > 0 else "a saving"
            text += (f"Against the current structure ({_money(change.before)} a year) this is "
                     f"{word} of {_money(abs(net))} a year. ")
        else:
            text += "Its full-year cost is the same as the current structure's. "
    text += _funding_sentence(funding) + " "
    if partial:
        text += "These figures cover the posts the pay data can cost (see the totals). "
    if costing.inferred:
        text += "Some figures rest on inferred pay data and should be treated as provisional."
    return text.strip()


def _funding_sentence(funding: Any) -> str:
    from establishment.model.funding import UNFUNDED

    sources = [(row[0], row[1]) for row in funding.rows]
    if not sources:  # a structure with no posts: nothing to fund (was an IndexError)
        return "It has no posts, so nothing is funded."
    if len(sources) == 1:
        if sources[0][0] == UNFUNDED:
            return "No funding source is recorded for it."
        return f"It is met in full from {sources[0][0]}."
    parts = [f"{'no recorded source' if name == UNFUNDED else name} {_money(amount)}"
             for name, amount in sources]
    return "It is met from " + ", ".join(parts[:-1]) + f" and {parts[-1]}."

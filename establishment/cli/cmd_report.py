"""``establishment report SOURCE``: the costing section of a committee report, as one document.

SOURCE is a structure file or a scenario (a bundled name, or a scenario file). The report is
built by :mod:`establishment.report`; this module only reads the arguments and writes the file.
"""

from __future__ import annotations

import argparse
import os

import attrs

from establishment.cli.options import (
    add_basis,
    add_format,
    basis_from_args,
    emit_document,
    load_from_args,
    period_from_args,
)
from establishment.report import ReportSource, build_report, source_from_scenario

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
    parser.add_argument("source", metavar="SOURCE", help="a structure file (.toml, .csv, "
                        ".xlsx) or a scenario (bundled name or scenario .toml)")
    parser.add_argument("--against", metavar="BEFORE",
                        help="the current structure, to show the change against it")
    parser.add_argument("--title", help="the report's title (default: the source's name)")
    add_format(parser)
    add_basis(parser)
    parser.set_defaults(run=run)


def is_scenario(source: str) -> bool:
    """A bundled scenario's name, or a TOML file that names a primary basis (a scenario file);
    anything else is a structure file."""
    if not os.path.exists(source):
        return not source.endswith((".toml", ".csv", ".xlsx")) and source != "-"
    if not source.endswith(".toml"):
        return False
    with open(source, encoding="utf-8", errors="replace") as handle:
        return any(line.startswith("primary_basis") for line in handle)


def load_source(args: argparse.Namespace) -> ReportSource:
    if is_scenario(args.source):
        from scenarios import load_scenario

        scenario = load_scenario(args.source)
        return source_from_scenario(scenario, basis=basis_from_args(args, scenario.basis),
                                    period=period_from_args(args))
    loaded = load_from_args(args, name="source")
    title = loaded.structure.name or os.path.splitext(os.path.basename(args.source))[0]
    return ReportSource(loaded.structure, basis_from_args(args, loaded.basis),
                        period_from_args(args), title)


def run(args: argparse.Namespace) -> int:
    source = load_source(args)
    if args.against:
        source = attrs.evolve(source, before=load_from_args(args, name="against").structure)
    emit_document(args, build_report(source, args.title))
    return 0

"""``establishment audit REPORT --employer E [--rule R]``: every published figure checked."""

from __future__ import annotations

import argparse

from establishment.cli.cmd_read import add_read_options, employer_from_args, reading_from_args
from establishment.cli.options import add_format, emit_document

EXAMPLES = """examples:
  establishment audit report.txt --employer nottinghamshire --rule council-2018
  establishment audit report.pdf --employer nottinghamshire -o audit.xlsx
  for r in reports/*.txt; do establishment audit "$r" --employer nottinghamshire || echo "$r"; done
"""


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "audit", help="read a committee report and check every figure it publishes",
        description="Read a committee report (docs/audit.md), cost its posts on the stated "
        "basis (the employer and rule you give) and on the correct basis for the report's "
        "date, and print one line per published figure: published, recomputed, difference, "
        "likely cause and the report's words. Exit status 1 when a figure does not reconcile. "
        "-o audit.xlsx or audit.html writes the working paper.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_read_options(parser)
    add_format(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from scenarios.audit import audit_reading

    reading = reading_from_args(args)
    audit = audit_reading(reading, employer_from_args(args, reading), rule=args.rule)
    emit_document(args, audit.document())
    return 0 if audit.ok else 1

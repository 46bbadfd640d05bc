"""``establishment cost FILE``: the committee table and totals of a structure file."""

from __future__ import annotations

import argparse
from typing import Any

from establishment.cli.options import (
    csv_directory,
    emit_bytes,
    emit_tables,
    output_format,
    period_from_args,
    read_with_basis,
    structure_command,
    style_from_args,
)

EXAMPLES = """examples:
  establishment cost posts.toml
  establishment cost posts.toml --pay-year 2019/20 --basis top --by team
  establishment cost posts.toml --from 2018-07-01 --to 2019-03-31 --format github
  establishment cost hr-export.csv --column "Job Ref=reference" -v
  establishment cost hr-export.xlsx --output committee.xlsx
  establishment cost posts.toml --explain RO --format latex --output table.tex
  cat posts.csv | establishment cost - --input-format csv --format csv
"""


def register(sub: argparse._SubParsersAction) -> None:
    parser = structure_command(sub, "cost", summary="cost a structure file", run=run,
                               description="Cost a structure file (TOML, or a CSV/XLSX HR "
                               "export) on a pay basis and print its committee table. Every "
                               "problem in the file is reported as file:line: message (exit "
                               "status 2).", examples=EXAMPLES)
    parser.add_argument("--by", choices=("team", "grade", "funding"),
                        help="also show totals by team, grade or funding source")
    parser.add_argument("--explain", metavar="LINE", action="append", default=[],
                        help="also explain a line's cost step by step (its reference or "
                        "title; repeatable)")


def run(args: argparse.Namespace) -> int:
    from establishment.engine.costing import cost
    from establishment.operations.explain import explain_line
    from establishment.tables import committee_table, explanation_table, structure_table

    loaded, basis = read_with_basis(args)
    period = period_from_args(args)
    costing = cost(loaded.structure, basis, period=period)
    fmt = output_format(args)
    fast = _fast_committee(args, costing, fmt, loaded.structure.name)
    tables = [] if fast is not None else [committee_table(costing, loaded.structure.name)]
    if args.by:
        tables.append(structure_table(costing, args.by))
    for line in args.explain:
        tables.append(explanation_table(explain_line(costing, line, period=period is not None)))
    if fast is None:
        emit_tables(args, tables)
        return 0
    if fmt == "plain" and tables:  # the other tables after it, as the document would
        from establishment.tables.render import render

        style = style_from_args(args, fmt)
        rest = "\n\n".join(render(t, fmt, style) for t in tables)
        fast.chunks.append(("\n" + rest + "\n").encode("utf-8"))
    emit_bytes(args, fast, fmt)
    return 0


def _fast_committee(args: argparse.Namespace, costing: Any, fmt: str, title: str) -> Any:
    """The committee table written directly from the costing's columns (a large table to a
    file or a pipe, as CSV or plain text: the same bytes), or None."""
    from establishment.tables.fast import committee_chunks

    if getattr(args, "table", None) not in (None, "committee") or csv_directory(args):
        return None
    return committee_chunks(costing, fmt, title, style_from_args(args, fmt))

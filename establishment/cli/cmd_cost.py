"""``establishment cost FILE``: the committee table and totals of a structure file."""

from __future__ import annotations

import argparse

from establishment.cli.options import (
    add_basis,
    add_format,
    basis_from_args,
    emit_tables,
    period_from_args,
)
from establishment.io import load_structure_file
from establishment.tables import committee_table, structure_table

EXAMPLES = """examples:
  establishment cost posts.toml
  establishment cost posts.toml --pay-year 2019/20 --basis top --by team
  establishment cost posts.toml --from 2018-07-01 --to 2019-03-31 --format github
"""


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("cost", help="cost a structure file",
                            description="Cost a structure file (TOML) on a pay basis and print "
                            "its committee table.", epilog=EXAMPLES,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", help="structure file (.toml)")
    parser.add_argument("--by", choices=("team", "grade", "funding"),
                        help="also show totals by team, grade or funding source")
    add_format(parser)
    add_basis(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    loaded = load_structure_file(args.file)
    basis = basis_from_args(args, loaded.basis)
    costing = loaded.structure.cost(basis, period=period_from_args(args))
    tables = [committee_table(costing, loaded.structure.name)]
    if args.by:
        tables.append(structure_table(costing, args.by))
    emit_tables(args, tables)
    return 0

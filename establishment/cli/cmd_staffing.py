"""``establishment staffing FILE``: the establishment's cost against the staff in post's."""

from __future__ import annotations

import argparse
import sys

from establishment.cli.options import (
    CliError,
    cli_date,
    emit_tables,
    read_with_basis,
    structure_command,
)
from establishment.errors import ValidationError

EXAMPLES = """examples:
  establishment staffing hr-export.csv --pay-year 2018/19
  establishment staffing hr-export.csv --columns map.toml --posts --format github
  establishment staffing posts.toml --people --names
"""


def register(sub: argparse._SubParsersAction) -> None:
    parser = structure_command(
        sub, "staffing", summary="establishment against staff in post, per team", run=run,
        description="Cost the establishment (the posts) against the staff in post (the "
        "people in them: each at their own scp and fte or hours), per team and in total, "
        "with the vacancy (vacant fte x the post's cost per fte), held posts, and the "
        "pay-point and hours variance apart. The file gives people as one row per person (a "
        "person column) or [[assignment]] tables. Over-established posts are warned about "
        "on standard error.", examples=EXAMPLES)
    parser.add_argument("--posts", action="store_true",
                        help="also list every post: headcount, occupied, held and vacant fte")
    parser.add_argument("--people", action="store_true",
                        help="also list the staff in post (person references)")
    parser.add_argument("--names", action="store_true",
                        help="with --people, show people's names too (never shown otherwise)")
    parser.add_argument("--on", metavar="DATE",
                        help="the posts and people in force on DATE (default: everyone in "
                        "the file)")


def run(args: argparse.Namespace) -> int:
    from establishment.operations.staffing import staffing
    from establishment.tables.staffing_table import people_table, posts_table, staffing_table

    if args.period_from or args.period_to:
        raise CliError("staffing compares full-year costs: --from/--to are not used here "
                       "(use --on DATE for the people in post on a day)")
    loaded, basis = read_with_basis(args)
    structure = loaded.structure
    if args.on:
        structure = structure.as_of(cli_date(args.on, "--on", args))
    lines = {p.reference: line for p, line in zip(loaded.structure.posts, loaded.lines)
             if p.reference}
    try:
        result = staffing(structure, basis, where=loaded.path, lines=lines)
    except ValidationError as err:
        raise CliError(f"{args.file}: no staff in post: give one row per person (a person "
                       f"column such as 'Employee No') or [[assignment]] tables ({err})"
                       ) from None
    for note in result.notes:
        print(f"establishment: note: {note}", file=sys.stderr)
    for warning in result.warnings:
        print(f"establishment: warning: {warning}", file=sys.stderr)
    tables = [staffing_table(result, f"{structure.name or args.file}: establishment against "
                                     "staff in post")]
    if args.posts:
        tables.append(posts_table(result))
    if args.people:
        tables.append(people_table(structure, names=args.names))
    emit_tables(args, tables)
    return 0

"""``establishment staffing FILE``: the establishment's cost against the staff in post's."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import attrs

from establishment.cli.options import (
    CliError,
    cli_date,
    column_mapping,
    dayfirst_from_args,
    emit_tables,
    encoding_from_args,
    read_with_basis,
    show_mapping,
    structure_command,
)
from establishment.errors import ValidationError
from establishment.io.tabular import CountedLoadError

EXAMPLES = """examples:
  establishment staffing hr-export.csv --pay-year 2018/19
  establishment staffing hr-export.csv --columns map.toml --posts --format github
  establishment staffing posts.toml --people --names
  establishment staffing --positions positions.csv --staff people.csv --pay-year 2018/19
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
    for action in parser._actions:  # FILE, or --positions and --staff
        if action.dest == "file":
            action.nargs, action.default = "?", None
    parser.add_argument("--positions", metavar="POSITIONS",
                        help="the establishment from a positions export (one row per post); "
                        "with --staff instead of FILE")
    parser.add_argument("--staff", metavar="PEOPLE",
                        help="the staff in post from a people export (one row per person, "
                        "naming their post's reference); with --positions")
    parser.add_argument("--on", metavar="DATE",
                        help="the posts and people in force on DATE (default: everyone in "
                        "the file)")


def run(args: argparse.Namespace) -> int:
    from establishment.operations.staffing import staffing
    from establishment.tables.staffing_table import people_table, posts_table, staffing_table

    if args.period_from or args.period_to:
        raise CliError("staffing compares full-year costs: --from/--to are not used here "
                       "(use --on DATE for the people in post on a day)")
    loaded, basis = _read(args)
    structure = loaded.structure
    as_at = ""
    if args.on:
        day = cli_date(args.on, "--on", args)
        structure = structure.as_of(day)
        as_at = f"{day.isoformat()} (--on)"
        if loaded.as_at is not None and loaded.as_at != day:
            print(f"establishment: note: {loaded.path}: the export is as at "
                  f"{loaded.as_at.isoformat()}; the posts and people shown are those in force "
                  f"on {day.isoformat()} (--on)", file=sys.stderr)
    elif loaded.as_at is not None:
        as_at = f"{loaded.as_at.isoformat()} (the export's date)"
    lines = {p.reference: line for p, line in zip(loaded.structure.posts, loaded.lines)
             if p.reference}
    try:
        result = staffing(structure, basis, where=loaded.path, lines=lines)
    except ValidationError as err:
        raise CliError(f"{loaded.path}: no staff in post: give one row per person (a person "
                       f"column such as 'Employee No') or [[assignment]] tables ({err})"
                       ) from None
    for note in result.notes:
        print(f"establishment: note: {note}", file=sys.stderr)
    for warning in result.warnings:
        print(f"establishment: warning: {warning}", file=sys.stderr)
    tables = [staffing_table(result, f"{structure.name or loaded.path}: establishment "
                                     "against staff in post", as_at)]
    if args.posts:
        tables.append(posts_table(result, as_at))
    if args.people:
        tables.append(people_table(structure, names=args.names, as_at=as_at))
    emit_tables(args, tables)
    return 0


def _read(args: argparse.Namespace) -> tuple[Any, Any]:
    """FILE (posts and people in one), or ``--positions`` and ``--staff`` joined on the post
    reference (:mod:`establishment.io.staff`), and the basis."""
    two = (args.positions, args.staff)
    if not any(two):
        if args.file is None:
            raise CliError("give FILE (posts and people in one export), or --positions "
                           "POSITIONS and --staff PEOPLE")
        return read_with_basis(args)
    if args.file is not None or not all(two):
        raise CliError("--positions and --staff go together, instead of FILE: give "
                       "--positions POSITIONS --staff PEOPLE")
    from establishment.io import input_format, read_bytes
    from establishment.io.staff import join_staff, read_staff_rows

    loaded, basis = read_with_basis(args, name="positions")
    try:
        rows = read_staff_rows(read_bytes(args.staff), input_format(args.staff), args.staff,
                               columns=column_mapping(args), dayfirst=dayfirst_from_args(args),
                               encoding=encoding_from_args(args))
    except CountedLoadError as err:
        show_mapping(args, args.staff, err.counts)
        raise
    show_mapping(args, args.staff, rows.counts)
    for note in rows.notes:
        print(f"establishment: note: {note}", file=sys.stderr)
    joined = join_staff(attrs.evolve(loaded, notes=()), rows, args.staff)
    return joined, basis

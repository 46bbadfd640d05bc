"""``establishment diff BEFORE AFTER``: every change between two structure files, costed."""

from __future__ import annotations

import argparse
import sys

from establishment.cli.options import (
    CliError,
    add_basis,
    add_format,
    add_input_options,
    basis_from_args,
    emit_tables,
    load_from_args,
    period_from_args,
)
from establishment.model.pay_basis import PayBasis

EXAMPLES = """examples:
  establishment diff current.toml proposed.toml
  establishment diff current.toml proposed.toml --pay-year 2019/20 --format github
  establishment diff current.toml proposed.toml --from 2019-06-01 --to 2020-03-31
  establishment diff current.csv proposed.csv --format csv --output changes.csv
  establishment diff current.toml proposed.toml --chart changes.png
"""


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("diff", help="list and cost the changes between two structures",
                            description="Match the posts of two structure files (by reference "
                            "where they have one, else by team and title) and list every "
                            "change (establish, disestablish, regrade, change fte, make "
                            "permanent, extend/shorten, move/retitle, change funding) with its "
                            "full-year (and, with --from/--to, in-period) cost effect and the "
                            "net total.", epilog=EXAMPLES,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", help="the current structure (.toml, .csv, .xlsx)")
    parser.add_argument("after", help="the proposed structure (.toml, .csv, .xlsx)")
    parser.add_argument("--summary", action="store_true",
                        help="show only the totals by kind and by funding source")
    parser.add_argument("--chart", metavar="PATH",
                        help="also draw a waterfall of the change (.png or .svg)")
    add_input_options(parser)
    add_format(parser)
    add_basis(parser)
    parser.set_defaults(run=run)


def draw_chart(path: str, draw: str, *args: object) -> None:
    """Call ``establishment.tables.charts.<draw>``; a missing module or matplotlib is a clear error
    (exit 2), not a traceback."""
    import importlib

    try:
        charts = importlib.import_module("establishment.tables.charts")
    except ImportError as err:
        raise CliError(f"--chart needs the charts module and matplotlib "
                       f"(pip install 'establishment[chart]'): {err}") from None
    try:
        *data, title = args
        getattr(charts, draw)(*data, path, title)
    except ImportError as err:
        raise CliError(f"--chart needs matplotlib (pip install 'establishment[chart]'): "
                       f"{err}") from None


def shared_basis(args: argparse.Namespace, loaded: list, paths: list[str]) -> PayBasis:
    """One basis for every file (the first [basis] given, then the options), because a diff or
    a comparison across two bases would report a change of basis as a change of cost. A file
    whose own [basis] is set aside is said so on standard error, not ignored silently."""
    named = [(path, item.basis) for item, path in zip(loaded, paths) if item.basis is not None]
    basis = basis_from_args(args, named[0][1] if named else None)
    for path, own in named[1:]:
        if own != named[0][1]:
            print(f"establishment: note: {path} names a different [basis] ({own.describe()}); "
                  f"every file is costed on {named[0][0]}'s, adjusted by the options given",
                  file=sys.stderr)
    return basis


def run(args: argparse.Namespace) -> int:
    from establishment.operations.diff import diff
    from establishment.tables.diff_table import (
        diff_funding_table,
        diff_summary_table,
        diff_table,
    )

    before = load_from_args(args, name="before")
    after = load_from_args(args, name="after")
    basis = shared_basis(args, [before, after], [args.before, args.after])
    result = diff(before.structure, after.structure, basis, period=period_from_args(args))
    title = f"Changes from {before.structure.name or args.before} to " \
            f"{after.structure.name or args.after}"
    tables = [] if args.summary else [diff_table(result, title)]
    tables += [diff_summary_table(result), diff_funding_table(result)]
    if args.chart:
        steps: dict[str, object] = {}
        for row in diff_summary_table(result).rows:
            if row[2]:  # kinds with no full-year effect (moves, funding) are not drawn
                steps[row[0]] = row[2]
        draw_chart(args.chart, "waterfall_chart",
                   (before.structure.name or "Before", result.before_full_year),
                   list(steps.items()),
                   (after.structure.name or "After", result.after_full_year),
                   f"Full-year cost: {title[len('Changes from '):]}")
    emit_tables(args, tables)
    return 0

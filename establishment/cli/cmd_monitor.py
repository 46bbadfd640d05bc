"""``establishment monitor FILE --actuals ACTUALS.csv --from 2026-04``: the budget monitor.

Projects the structure over the budget year as ``project`` does (the same options: awards,
vacancy factor, vacant posts), profiles it (``--profile``), and sets the actuals against it:
month by month, and the forecast outturn by team or cost centre.
"""

from __future__ import annotations

import argparse

from establishment.cli.cmd_project import add_projection_options, projection_from_args
from establishment.cli.options import emit_tables, structure_command

EXAMPLES = """examples:
  establishment monitor posts.csv --employer nottinghamshire --from 2026-04 \\
      --award 2026/27=3.2% --actuals ledger.csv --profile twelfths --by team
  establishment monitor posts.toml --from 2025-04 --actuals spend.csv --vacancy-factor 3%
"""


def register(sub: argparse._SubParsersAction) -> None:
    parser = structure_command(
        sub, "monitor", summary="budget monitor: profile against actuals, forecast outturn",
        run=run, basis=False,
        description="Set a structure's profiled budget against what was spent: the budget is "
        "the projection of the year (increments, awards, vacancy factor) shared across its "
        "months by the profile; the actuals file gives month (YYYY-MM), amount and optionally "
        "team or cost centre. Prints budget, actual, variance and forecast month by month, "
        "then the forecast outturn (actuals to date + the budget of the months after).",
        examples=EXAMPLES)
    parser.add_argument("--actuals", required=True, metavar="CSV",
                        help="what was spent: columns month (YYYY-MM), amount, and optionally "
                        "team or cost centre")
    add_projection_options(parser, profile_default="twelfths",
                           groups=("team", "funding"))


def run(args: argparse.Namespace) -> int:
    from establishment.io.actuals import read_actuals
    from establishment.operations.monitor import monitor
    from establishment.tables.monitor import monitor_tables

    actuals = read_actuals(args.actuals)  # a bad file fails before the projection's work
    result, calendar = projection_from_args(args)
    found = monitor(result, actuals, profile=args.profile, by=args.by, calendar=calendar)
    emit_tables(args, monitor_tables(found))
    return 0

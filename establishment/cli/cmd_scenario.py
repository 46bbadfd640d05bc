"""``establishment scenario list|run NAME``: the bundled committee decisions."""

from __future__ import annotations

import argparse

from establishment.cli.options import (
    add_award,
    add_format,
    awards_from_args,
    emit_document,
    emit_tables,
)
from establishment.tables import Column, Table

EXAMPLES = """examples:
  establishment scenario list
  establishment scenario run 2018-short-breaks
  establishment scenario run my-decision.toml --format github
"""


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("scenario", help="list or run committee scenarios",
                            description="Committee decisions as data: run one to see its "
                            "tables and its reconciliation with the published figures (exit "
                            "status 1 when a figure it claims to reproduce does not match).",
                            epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    listing = actions.add_parser("list", help="list the bundled scenarios")
    add_format(listing)
    listing.set_defaults(run=run_list)
    running = actions.add_parser("run", help="run a scenario by name or file")
    running.add_argument("name", help="bundled scenario name or scenario .toml file")
    add_award(running)
    add_format(running)
    running.set_defaults(run=run_one)


def run_list(args: argparse.Namespace) -> int:
    from scenarios import list_scenarios, load_scenario

    rows = []
    for name in list_scenarios():
        scenario = load_scenario(name)
        rows.append([name, scenario.title, scenario.report])
    emit_tables(args, [Table([Column("Scenario"), Column("Decision"), Column("Report")], rows)])
    return 0


def run_one(args: argparse.Namespace) -> int:
    import attrs

    from scenarios import load_scenario, run_scenario

    awards = awards_from_args(args)
    scenario = load_scenario(args.name)
    if awards:  # on top of each basis's own: one given for the same year wins
        scenario = attrs.evolve(scenario, bases={
            name: basis.evolve(awards=tuple({a.pay_year: a for a in (*basis.awards,
                                                                    *awards)}.values()))
            for name, basis in scenario.bases.items()})
    result = run_scenario(scenario)
    emit_document(args, result.document())
    return 0 if result.ok else 1

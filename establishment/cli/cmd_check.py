"""``establishment check FILE``: report every problem in a structure file, and nothing else.

Prints one ``file:line: [column] message`` per problem on standard output and exits 2 when
there are any (0 and a one-line summary on standard error when the file is sound). Grades and
points are checked against the pay basis (the file's ``[basis]``, the options, or the
employer's default rule), so a file that passes can be costed on that basis.
"""

from __future__ import annotations

import argparse
import sys

from establishment.cli.options import add_basis, add_input, add_verbose, load_from_args
from establishment.errors import LoadError

EXAMPLES = """examples:
  establishment check posts.toml
  establishment check hr-export.csv --pay-year 2019/20 --dates strict
  establishment check hr-export.xlsx --column "Job Ref=reference" --verbose
"""


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("check", help="check a structure file and list its problems",
                            description="Check a structure file (TOML, CSV or XLSX): print "
                            "every problem as file:line: message and exit 2, or exit 0 when "
                            "there are none.", epilog=EXAMPLES,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    add_input(parser)
    add_verbose(parser)
    add_basis(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        loaded = load_from_args(args)
    except LoadError as err:
        for problem in err.problems:
            print(problem)
        return 2
    print(f"{args.file}: ok, {loaded.counts}", file=sys.stderr)
    return 0

"""``establishment check FILE``: report every problem in a structure file, and nothing else.

Prints one ``establishment: file:line: [column] message`` per problem on standard output (the
same line every other command prints on standard error for the same problem) and exits 2 when
there are any (0 and a one-line summary on standard error when the file is sound). Grades and
points are checked against the pay basis (the file's ``[basis]``, the options, or the
employer's default rule), so a file that passes can be costed on that basis.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from establishment.cli.options import basis_from_args, load_from_args, structure_command
from establishment.errors import LoadError

EXAMPLES = """examples:
  establishment check posts.toml
  establishment check hr-export.csv --pay-year 2019/20 --dates strict
  establishment check hr-export.xlsx --column "Job Ref=reference" --verbose
"""


def register(sub: argparse._SubParsersAction) -> None:
    structure_command(sub, "check", summary="check a structure file and list its problems",
                      description="Check a structure file (TOML, CSV or XLSX): print every "
                      "problem as 'establishment: file:line: message' and exit 2, or exit 0 "
                      "when there are none.", examples=EXAMPLES, run=run, output=False)


def run(args: argparse.Namespace) -> int:
    try:
        loaded = load_from_args(args)
    except LoadError as err:
        for problem in err.problems:
            print(f"establishment: {problem}")
        return 2
    print(f"establishment: {args.file}: ok, {loaded.counts}", file=sys.stderr)
    _warn_not_in_force(args, loaded)
    return 0


def _warn_not_in_force(args: argparse.Namespace, loaded: Any) -> None:
    """A warning (exit 0) for lines wholly outside the pay year costed: they cost £0 in it."""
    from establishment.engine.costing import lines_in_force
    from pay_scales.dates import pay_year_label

    basis = basis_from_args(args, loaded.basis)
    frame = loaded.structure.to_frame()
    outside = ~lines_in_force(frame, basis.pay_year)
    if not outside.any():
        return
    names = [ref or title for ref, title in
             frame.loc[outside, ["reference", "title"]].itertuples(index=False)]
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    lines = f"{len(names)} line{'s' if len(names) != 1 else ''}"
    print(f"establishment: warning: {args.file}: {lines} not in "
          f"force in {pay_year_label(basis.pay_year)} (they cost £0 in its full-year cost): "
          f"{shown}", file=sys.stderr)

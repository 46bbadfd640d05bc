"""Every return of a folder of published organogram returns: import, cost and diff each one.

    python benchmarks/organogram_corpus.py FOLDER [--quiet]

FOLDER holds ``BODY-YYYY-MM-DD-senior.csv`` and ``BODY-YYYY-MM-DD-junior.csv`` pairs (such as
the 310 returns of 188 bodies in the shared organogram corpus; the tests never read it). For
each return, in date order within each body, this script:

1. imports it strictly, and leniently when strict mode finds problems (every problem of the
   return is counted either way);
2. checks that every row is accounted for (loaded + excluded + skipped = the files' rows, one
   fate per row);
3. costs it on its default basis (the pay year of its date, the employer's default rule);
4. diffs it against the same body's previous return, on this return's basis.

It prints one line per return and the totals: returns, rows in, rows accounted for, posts,
unpriced posts (pay not disclosed / none), problems, notes, and seconds. A failure of a step is
counted and named with its exception type; a traceback is counted as one (an error of the
library, never of the data) and printed in full at the end. Exit status 1 when any return was
not imported, costed and diffed with every row accounted for.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import traceback
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from establishment.engine.costing import cost  # noqa: E402
from establishment.errors import EstablishmentError, LoadError  # noqa: E402
from establishment.operations.diff import diff  # noqa: E402
from establishment.organogram import import_organogram  # noqa: E402
from pay_scales.errors import PayScaleError  # noqa: E402

NAME = re.compile(r"^(?P<body>.+)-(?P<date>\d{4}-\d{2}-\d{2})-senior\.csv$")
EXPECTED = (EstablishmentError, PayScaleError)


def returns(folder: Path) -> tuple[dict[str, list[tuple[str, Path, Path]]], list[Path]]:
    """Each body's returns (date, senior, junior) in date order; senior files without a
    junior file."""
    bodies: dict[str, list[tuple[str, Path, Path]]] = defaultdict(list)
    unpaired = []
    for senior in sorted(folder.glob("*-senior.csv")):
        match = NAME.match(senior.name)
        junior = senior.with_name(senior.name[:-len("senior.csv")] + "junior.csv")
        if match is None or not junior.exists():
            unpaired.append(senior)
            continue
        bodies[match["body"]].append((match["date"], senior, junior))
    return {body: sorted(items) for body, items in sorted(bodies.items())}, unpaired


class Totals:
    def __init__(self) -> None:
        self.count = defaultdict(int)
        self.tracebacks: list[str] = []
        self.failures: list[str] = []


def _import(senior: Path, junior: Path) -> tuple[object, str, int]:
    """The imported return, the mode that loaded it, and the problems strict mode found."""
    try:
        return import_organogram(senior, junior), "strict", 0
    except LoadError as err:
        problems = len(err.problems)
        if getattr(err, "report", None) is None:  # a file that cannot be read at all
            raise
    return import_organogram(senior, junior, strict=False), "lenient", problems


def one_return(totals: Totals, body: str, date: str, senior: Path, junior: Path,
               previous: object | None) -> object | None:
    """Import, account, cost and diff one return; one printed line. Returns the import."""
    started = time.perf_counter()
    step = "import"
    try:
        imported, mode, problems = _import(senior, junior)
        report = imported.report
        rows = report.senior_rows + report.junior_rows
        accounted = sum(t[1] + t[4] for t in report.tally())
        ok_rows = report.accounted and accounted == rows
        step = "cost"
        costing = cost(imported.structure, imported.basis)
        step = "diff"
        diffed = ""
        if previous is not None:
            found = diff(previous.structure, imported.structure, imported.basis)
            diffed = f" diff {len(found.frame)} changes net {found.net_full_year:,}"
            totals.count["diffed"] += 1
    except EXPECTED as err:
        totals.failures.append(f"{body} {date}: {step}: {type(err).__name__}: "
                               f"{str(err).splitlines()[0]}")
        print(f"{body} {date}: FAILED at {step}: {str(err).splitlines()[0]}")
        return None
    except Exception:  # noqa: BLE001 - a library error: counted and shown in full
        totals.tracebacks.append(f"{body} {date} ({step}):\n{traceback.format_exc()}")
        print(f"{body} {date}: TRACEBACK at {step}")
        return None
    seconds = time.perf_counter() - started
    unpriced = sum(1 for p in imported.structure.posts if p.unpriced)
    count = totals.count
    count["returns"] += 1
    count["costed"] += 1
    count[mode] += 1
    count["rows"] += rows
    count["accounted"] += accounted if ok_rows else 0
    count["not accounted"] += 0 if ok_rows else 1
    count["posts"] += len(imported.structure.posts)
    count["unpriced"] += unpriced
    count["problems"] += len(report.problems) or problems
    count["notes"] += len(report.notes)
    count["skipped rows"] += report.senior_skipped + report.junior_skipped
    count["excluded rows"] += sum(t[1] + t[4] for t in report.tally()
                                  if t[0].startswith("excluded"))
    print(f"{body} {date}: {mode}, rows {rows}, accounted {accounted}"
          f"{'' if ok_rows else ' (NOT ALL)'}, posts {len(imported.structure.posts)}, unpriced "
          f"{unpriced}, problems {len(report.problems)}, cost {costing.full_year:,} "
          f"({imported.basis.pay_year}){diffed}, {seconds:.2f}s")
    return imported


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    bodies, unpaired = returns(args.folder)
    totals = Totals()
    started = time.perf_counter()
    for body, items in bodies.items():
        previous = None
        for date, senior, junior in items:
            found = one_return(totals, body, date, senior, junior, previous)
            previous = found if found is not None else previous
    seconds = time.perf_counter() - started
    count = totals.count
    expected_diffs = sum(len(items) - 1 for items in bodies.values())
    print()
    print(f"bodies {len(bodies)}, returns {sum(len(i) for i in bodies.values())} "
          f"({len(unpaired)} senior file(s) without a junior file: "
          f"{', '.join(p.name for p in unpaired) or 'none'})")
    print(f"imported {count['returns']} (strict {count['strict']}, lenient "
          f"{count['lenient']}), costed {count['costed']}, diffed {count['diffed']} of "
          f"{expected_diffs} (each against the body's previous return)")
    print(f"rows in {count['rows']}, accounted for {count['accounted']} (returns not all "
          f"accounted: {count['not accounted']}); excluded {count['excluded rows']}, skipped "
          f"{count['skipped rows']}")
    print(f"posts {count['posts']}, unpriced {count['unpriced']}, problems "
          f"{count['problems']}, notes {count['notes']}")
    print(f"failures {len(totals.failures)}, tracebacks {len(totals.tracebacks)}, "
          f"seconds {seconds:.1f}")
    for failure in totals.failures:
        print(f"failure: {failure}")
    for trace in totals.tracebacks:
        print(trace)
    complete = (not totals.failures and not totals.tracebacks and not count["not accounted"]
                and count["diffed"] == expected_diffs)
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark the costing engine on synthetic establishments (not a timed test).

    python benchmarks/run.py --sizes 10000,100000,1000000 --json benchmarks/results/run.json

Every (operation, size) runs in its own child process, which builds its input (a synthetic
frame with a fixed seed, see ``synthetic.py``), runs the operation ``--runs`` times (a fast one
more often, until it has run for half a second, at most 25 times) and reports the median wall
time (``first_run_seconds`` is the first, cold run: it includes the pay-data lookups that later
runs find cached) and the process's peak resident memory (``ru_maxrss``: the
interpreter, pandas, the input and the operation together; ``base_mb`` is the peak before the
operation first ran, so ``peak_mb - base_mb`` is what the operation added). A fresh process per
measurement keeps one operation's memory from hiding another's.

References, whose totals are asserted equal to the library's full-year total to the penny:

* ``loop_baseline``: a lean plain-Python loop, post by post, with Decimal: the cost per fte of
  each (grade, scp) from ``Employer.unit_cost`` (looked up once each, inside the timing), then
  fte x cost rounded to £1 half up, summed.
* ``numpy_floor``: the same arithmetic on prepared int64 arrays (fte in ten-thousandths and
  cost per fte in pence per post, gathered before timing): the physical floor here.

``full_year`` costs a frame (finds its keys, looks up unit costs, rounds every line); the
engine remembers a frame's keys and the costs per fte while the frame is unchanged, so the
median is a repeated costing and ``first_run_seconds`` the cold one. ``full_year_prepared``
passes the frame's ``UnitCosts`` explicitly. The synthetic frames hold text as categoricals.

Shared machine: other processes may be running, so times are noisy; the median of several runs
damps that but does not remove it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

ENGINE_OPS = ["full_year", "full_year_prepared", "full_year_by_team", "period_cost",
              "period_cross_april", "diff", "loop_baseline", "numpy_floor"]
# whole processes: what a user waits for, from the command to the answer in a file
CLI_OPS = ["read_csv", "cli_cost_csv", "cli_cost_xlsx", "cli_cost_parquet", "cli_diff_csv",
           "cli_project"]
MEASURE_TIMEOUT = 240  # seconds for one (op, size): the whole run stays within 10 minutes
XLSX_MAX = 100_000  # a workbook of a million rows is not an HR export anyone sends
TARGETS = {  # op -> [(posts, seconds)] ceilings (issues 5 and 12)
    "full_year_by_team": [(1_000_000, 0.5)],
    "diff": [(1_000_000, 1.0)],
    "projection_60m": [(100_000, 0.5), (1_000_000, 5.0)],
    "cli_help": [(0, 0.25)],
    "cli_cost_csv": [(100_000, 1.0)],
    "cli_cost_xlsx": [(100_000, 3.0)],
    "cli_cost_parquet": [(1_000_000, 3.0)],
    "cli_diff_csv": [(1_000_000, 10.0)],
}
READ_CSV_RATIO = 6.0  # cli_cost_csv at 1M within this many times pandas.read_csv of the file
CLI_PEAK_MB = 1024  # cli_cost_csv at 1M
PROJECTION_PEAK_MB = 1536
CROSS_RATIO = 3.0  # a period crossing 1 April within this many times one inside a pay year
PEAK_MB_LIMIT = 1536
FLOOR_RATIO = 4.0
LOOP_RATIO = 5.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _basis():
    from synthetic import PAY_YEAR

    from establishment.model.pay_basis import PayBasis

    return PayBasis(employer="nottinghamshire", pay_year=PAY_YEAR, point="actual", rule="njc")


def _load_files(posts: int, folder: Path) -> tuple[Path, Path]:
    """CSV and XLSX exports of the synthetic structure (written once, reused)."""
    files = inputs(posts, folder, xlsx=True)
    return files["csv"], files["xlsx"]


def inputs(posts: int, folder: Path, *, xlsx: bool = False) -> dict[str, Path]:
    """The synthetic structure as the files a user has: an HR export in CSV (and XLSX up to
    XLSX_MAX posts, Parquet), and a changed copy for diff; written once into ``folder`` and
    reused by later runs (``--cache``)."""
    from synthetic import changed_copy, export_frame, write_export_csv

    folder.mkdir(parents=True, exist_ok=True)
    files = {kind: folder / f"posts-{posts}.{kind}" for kind in ("csv", "parquet", "xlsx")}
    files["after"] = folder / f"after-{posts}.csv"
    frame = None
    if not files["csv"].exists() or not files["parquet"].exists():
        frame = cached_frame(posts, folder, categorical=False)
        write_export_csv(frame, str(files["csv"]) + ".tmp")
        Path(str(files["csv"]) + ".tmp").rename(files["csv"])
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(export_frame(frame).astype(str), preserve_index=False)
        pq.write_table(table, str(files["parquet"]) + ".tmp")
        Path(str(files["parquet"]) + ".tmp").rename(files["parquet"])
    if not files["after"].exists():
        frame = cached_frame(posts, folder, categorical=False) if frame is None else frame
        write_export_csv(changed_copy(frame), str(files["after"]) + ".tmp")
        Path(str(files["after"]) + ".tmp").rename(files["after"])
    if xlsx and posts <= XLSX_MAX and not files["xlsx"].exists():
        frame = cached_frame(posts, folder, categorical=False) if frame is None else frame
        _write_xlsx(export_frame(frame), files["xlsx"])
    return files


def _write_xlsx(table, path: Path) -> None:
    """A plain workbook of the export (openpyxl's streaming writer: one sheet, text cells, fte
    and scp as numbers, as an HR system's export holds them)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Posts")
    sheet.append(list(table.columns))
    numbers = {"fte", "scp"}
    for row in table.itertuples(index=False):
        sheet.append([(float(v) if k in numbers and v else (v or None))
                      for k, v in zip(table.columns, row)])
    book.save(str(path) + ".tmp")
    Path(str(path) + ".tmp").rename(path)


BASIS_OPTIONS = ["--employer", "nottinghamshire", "--pay-year", "2019", "--basis", "actual",
                 "--rule", "njc"]


def cli_command(op: str, posts: int, folder: Path) -> list[str]:
    """The command line an op runs (``python -m establishment ...``), output to a file."""
    cli = [sys.executable, "-m", "establishment"]
    if op == "cli_help":
        return [*cli, "--help"]
    files = inputs(posts, folder, xlsx=op == "cli_cost_xlsx")
    out = ["--output", str(folder / f"out-{op}-{posts}.csv")]
    if op in ("cli_cost_csv", "cli_cost_xlsx", "cli_cost_parquet"):
        kind = op.rsplit("_", 1)[1]
        return [*cli, "cost", str(files[kind]), *BASIS_OPTIONS, *out]
    if op == "cli_diff_csv":
        return [*cli, "diff", str(files["csv"]), str(files["after"]), *BASIS_OPTIONS, *out]
    if op == "cli_project":
        return [*cli, "project", str(files["csv"]), "--from", "2019-04", "--months", "60",
                "--years-only", *BASIS_OPTIONS[:2], *BASIS_OPTIONS[4:], *out]
    raise SystemExit(f"unknown op {op}")


def cli_worker(op: str, posts: int, runs: int, folder: Path) -> None:
    """Child process: run the command ``runs`` times; wall time (median) and the peak resident
    memory of the command's own process (``RUSAGE_CHILDREN``: this worker waits for nothing
    else)."""
    if op == "cli_cost_xlsx" and posts > XLSX_MAX:
        print(json.dumps({"op": op, "posts": posts, "skipped": f"XLSX only up to {XLSX_MAX:,}"}))
        return
    command = cli_command(op, posts, folder)
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        done = subprocess.run(command, capture_output=True, env=env, check=False)
        times.append(time.perf_counter() - began)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if done.returncode != 0:
            print(json.dumps({"op": op, "posts": posts, "skipped": "failed: "
                              + done.stderr.decode(errors="replace")[-400:]}))
            return
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"op": op, "posts": posts, "seconds": statistics.median(times),
                      "cpu_seconds": round(statistics.median(cpu), 3),
                      "first_run_seconds": times[0], "runs": len(times),
                      "peak_mb": round(peak, 1), "command": " ".join(command[1:])}))


def cached_frame(posts: int, folder: Path, *, categorical: bool = True):
    """The synthetic frame of ``posts`` posts, built once and kept in ``folder`` (a pickle:
    the same frame, read back in a fraction of the time it takes to build)."""
    import pickle

    from synthetic import SEED, synthetic_frame

    path = folder / f"frame-{posts}-{'cat' if categorical else 'obj'}-{SEED}.pickle"
    if path.exists():
        with open(path, "rb") as handle:
            return pickle.load(handle)  # noqa: S301 - our own cache file
    frame = synthetic_frame(posts, categorical=categorical)
    folder.mkdir(parents=True, exist_ok=True)
    with open(str(path) + ".tmp", "wb") as handle:
        pickle.dump(frame, handle, protocol=pickle.HIGHEST_PROTOCOL)
    Path(str(path) + ".tmp").rename(path)
    return frame


def prepare(op: str, posts: int, folder: Path):
    """The input of ``op`` (built before timing) and the function to time."""

    basis = _basis()
    if op == "read_csv":  # the reference: pandas reading the file cli_cost_csv costs
        import pandas as pd

        path = inputs(posts, folder)["csv"]
        return lambda: len(pd.read_csv(path))
    if op in ("load_csv", "load_xlsx"):
        from establishment.io import load_structure

        path = _load_files(posts, folder)[0 if op == "load_csv" else 1]
        return lambda: len(load_structure(path).posts)
    frame = cached_frame(posts, folder)
    if op == "full_year":  # a prepared frame: its keys found on the first (cold) run, kept
        from establishment.engine.costing import PreparedFrame, cost_frame

        ready = PreparedFrame(frame)
        return lambda: int(cost_frame(ready, basis)[0]["full_year"].sum())
    if op == "full_year_prepared":  # keys found once (UnitCosts kept), as a re-costing does
        from establishment.engine.costing import UnitCosts, cost_frame

        units = UnitCosts(frame, basis)
        return lambda: int(cost_frame(frame, basis, units=units)[0]["full_year"].sum())
    if op == "full_year_by_team":
        from establishment.engine.costing import cost_frame, totals_by

        return lambda: int(totals_by(cost_frame(frame, basis)[0], "team")["full_year"].sum())
    if op in ("period_cost", "period_cross_april"):
        return _period(frame, basis, across=op == "period_cross_april")
    if op == "projection_60m":
        from establishment.operations.projection import projection

        start = f"{basis.pay_year}-04"
        return lambda: int(projection(frame, basis, start, 60).amounts.sum())
    if op == "diff":
        from synthetic import changed_copy

        try:
            from establishment.operations.diff import diff
        except ImportError as err:
            raise SystemExit(f"skipped: no establishment.operations.diff.diff ({err})") from None
        after = changed_copy(frame)
        return lambda: len(diff(frame, after, basis).frame)
    if op == "loop_baseline":
        return _loop_baseline(frame, basis)
    if op == "numpy_floor":
        return _numpy_floor(frame, basis)
    raise SystemExit(f"unknown op {op}")


def _period(frame, basis, *, across: bool):
    """A year's period cost: the pay year itself, or a year from 1 October (two pay years,
    rates switching on 1 April)."""
    from establishment.engine.costing import cost_frame

    first = dt.date(basis.pay_year, 10 if across else 4, 1)
    last = dt.date(basis.pay_year + 1, 9 if across else 3, 30 if across else 31)
    return lambda: int(cost_frame(frame, basis, period=(first, last))[0]["period"].sum())


def _loop_baseline(frame, basis):
    import pay_scales

    rows = list(zip(frame["grade"].astype(object), frame["scp"].tolist(),
                    (Decimal(int(v)) / 10_000 for v in frame["fte_e4"].tolist())))
    one = Decimal(1)

    def run() -> int:
        employer = pay_scales.load_employer(basis.employer)
        unit: dict[tuple[str, int], Decimal] = {}
        total = Decimal(0)
        for grade, scp, fte in rows:
            cost = unit.get((grade, scp))
            if cost is None:
                cost = unit[(grade, scp)] = employer.unit_cost(
                    grade, scp, basis.pay_year, point=basis.point, rule=basis.rule).cost
            total += (fte * cost).quantize(one, rounding=ROUND_HALF_UP)
        return int(total)

    return run


def _numpy_floor(frame, basis):
    import numpy as np

    from establishment.engine.costing import UnitCosts

    units = UnitCosts(frame, basis)
    unit = np.ascontiguousarray(units.pence(basis.pay_year))
    fte = np.ascontiguousarray(frame["fte_e4"].to_numpy(dtype=np.int64))
    scale = 10_000 * 100

    def run() -> int:
        return int(((fte * unit * 2 + scale) // (2 * scale)).sum())

    return run


def worker(op: str, posts: int, runs: int, folder: Path) -> None:
    """Child process: prepare, time ``runs`` runs, print one JSON line."""
    try:
        run = prepare(op, posts, folder)
    except SystemExit as stop:
        print(json.dumps({"op": op, "posts": posts, "skipped": str(stop)}))
        return
    base = _peak_mb()
    times, cpu, result = [], [], None
    # at least ``runs`` runs; a fast op runs again until it has had half a second (at most
    # 25 runs), so its median is not one scheduler hiccup on a shared machine
    while len(times) < runs or (sum(times) < 0.5 and len(times) < 25):
        began, began_cpu = time.perf_counter(), time.process_time()
        result = run()
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    print(json.dumps({"op": op, "posts": posts, "seconds": statistics.median(times),
                      "cpu_seconds": round(statistics.median(cpu), 4),
                      "first_run_seconds": times[0], "runs": len(times),
                      "peak_mb": round(_peak_mb(), 1), "base_mb": round(base, 1),
                      "result": result}))


def measure(op: str, posts: int, runs: int, folder: Path) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", op, "--posts",
               str(posts), "--runs", str(runs), "--cache", str(folder)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False,
                              timeout=MEASURE_TIMEOUT)
    except subprocess.TimeoutExpired:
        return {"op": op, "posts": posts, "skipped": f"timed out after {MEASURE_TIMEOUT} s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        return {"op": op, "posts": posts, "skipped": f"failed: {done.stderr.strip()[-500:]}"}
    return json.loads(lines[-1])


def check(results: list[dict]) -> list[str]:
    """The issue's targets and the reference totals, as lines of text (and assertions)."""
    found = {(r["op"], r["posts"]): r for r in results if "seconds" in r}
    lines = []
    for (op, posts), result in found.items():
        if (op in ("loop_baseline", "numpy_floor", "full_year_prepared", "full_year_by_team")
                and ("full_year", posts) in found):
            library = found[("full_year", posts)]["result"]
            assert result["result"] == library, (
                f"{op} at {posts}: total {result['result']} != library {library}")
            lines.append(f"ok   {op} total at {posts:,} posts equals the library's "
                         f"(£{library:,})")
    for op, targets in TARGETS.items():
        for posts, limit in targets:
            result = found.get((op, posts))
            if result:
                verdict = "ok  " if result["seconds"] <= limit else "MISS"
                lines.append(f"{verdict} {op} at {posts:,}: {result['seconds']:.3f} s "
                             f"(target <= {limit} s)")
            else:
                lines.append(f"n/a  {op} at {posts:,}: not measured")
    lines += whole_process_checks(found)
    big = max((p for (_, p) in found), default=0)
    library, floor = found.get(("full_year", big)), found.get(("numpy_floor", big))
    loop = found.get(("loop_baseline", big))
    if library and floor:
        ratio = library["seconds"] / floor["seconds"]
        lines.append(f"{'ok  ' if ratio <= FLOOR_RATIO else 'MISS'} full_year at {big:,} is "
                     f"{ratio:.1f}x numpy_floor (target <= {FLOOR_RATIO}x)")
    prepared = found.get(("full_year_prepared", big))
    if prepared and floor:
        lines.append(f"info full_year_prepared at {big:,} is "
                     f"{prepared['seconds'] / floor['seconds']:.1f}x numpy_floor (keys found "
                     f"once; no target)")
    if library and loop:
        ratio = loop["seconds"] / library["seconds"]
        lines.append(f"{'ok  ' if ratio >= LOOP_RATIO else 'MISS'} full_year at {big:,} is "
                     f"{ratio:.1f}x faster than loop_baseline (target >= {LOOP_RATIO}x)")
    peaks = [r for (_, p), r in found.items() if p == big]
    if peaks:
        worst = max(peaks, key=lambda r: r["peak_mb"])
        lines.append(f"{'ok  ' if worst['peak_mb'] <= PEAK_MB_LIMIT else 'MISS'} peak memory "
                     f"at {big:,}: {worst['peak_mb']:.0f} MB ({worst['op']}; target <= "
                     f"{PEAK_MB_LIMIT} MB)")
    return lines


def _ratio_check(found: dict, op: str, reference: str, posts: int, limit: float) -> str:
    one, two = found.get((op, posts)), found.get((reference, posts))
    if not (one and two):
        return f"n/a  {op} / {reference} at {posts:,}: not measured"
    ratio = one["seconds"] / two["seconds"]
    return (f"{'ok  ' if ratio <= limit else 'MISS'} {op} at {posts:,} is {ratio:.1f}x "
            f"{reference} (target <= {limit}x)")


def _peak_check(found: dict, op: str, posts: int, limit: float) -> str:
    result = found.get((op, posts))
    if not result:
        return f"n/a  {op} peak at {posts:,}: not measured"
    return (f"{'ok  ' if result['peak_mb'] <= limit else 'MISS'} {op} peak at {posts:,}: "
            f"{result['peak_mb']:.0f} MB (target <= {limit} MB)")


def whole_process_checks(found: dict) -> list[str]:
    """The issue 12 targets that compare two measurements or bound memory."""
    million = 1_000_000
    return [_ratio_check(found, "cli_cost_csv", "read_csv", million, READ_CSV_RATIO),
            _peak_check(found, "cli_cost_csv", million, CLI_PEAK_MB),
            _ratio_check(found, "period_cross_april", "period_cost", million, CROSS_RATIO),
            _peak_check(found, "projection_60m", million, PROJECTION_PEAK_MB)]


def markdown(document: dict) -> str:
    """The results as a Markdown table (for the README)."""
    lines = ["| operation | posts | seconds (median) | first run (cold) | posts per second "
             "| peak MB |", "|---|---:|---:|---:|---:|---:|"]
    for result in document["results"]:
        if "seconds" not in result:
            lines.append(f"| {result['op']} | {result['posts']:,} | {result['skipped']} "
                         f"| | | |")
            continue
        rate = result["posts"] / result["seconds"] if result["seconds"] else float("inf")
        first = result.get("first_run_seconds")
        lines.append(f"| {result['op']} | {result['posts']:,} | {result['seconds']:.4f} | "
                     f"{'' if first is None else f'{first:.4f}'} | {rate:,.0f} | "
                     f"{result['peak_mb']:,.0f} |")
    return "\n".join(lines)


def load_note() -> str:
    """The machine's load averages, for the record (a shared machine)."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} CPUs"


SUMMARY_OPS = ["cli_help", "read_csv", "cli_cost_csv", "cli_cost_xlsx", "cli_cost_parquet",
               "cli_diff_csv", "cli_project", "full_year", "period_cost", "period_cross_april",
               "diff", "projection_60m"]


def summary(document: dict) -> str:
    """The README's table: seconds (wall) and peak MB of each op at each size, then the
    checks, from one run."""
    found = {(r["op"], r["posts"]): r for r in document["results"]}
    sizes = sorted({p for _, p in found if p})
    lines = ["| operation | " + " | ".join(f"{s:,} posts" for s in sizes) + " |",
             "|---|" + "---:|" * len(sizes)]
    for op in SUMMARY_OPS:
        cells = []
        for size in ([0] if op == "cli_help" else sizes):
            result = found.get((op, size))
            if result is None or "seconds" not in result:
                cells.append("")
                continue
            cpu = f", CPU {result['cpu_seconds']:.2f} s" if "cpu_seconds" in result else ""
            cells.append(f"{result['seconds']:.3g} s{cpu}, {result['peak_mb']:,.0f} MB")
        if any(cells):
            lines.append(f"| `{op}` | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(f"One run, {document['date']}, {document.get('load', '')}; "
                 f"the whole benchmark took {document['elapsed_seconds']:.0f} s.")
    lines.append("")
    lines.extend(f"    {check}" for check in document.get("checks", []))
    return "\n".join(lines)


def run_plan(sizes: list[int], projection_sizes: list[int], runs: int, *, quick: bool = False
             ) -> list[tuple[str, int, int]]:
    """Every (op, size, runs) measured. Repeats are trimmed so the whole run stays within ten
    minutes on the 2-core machine: engine ops ``runs`` times (a fast op more, see ``worker``),
    a 60-month projection twice, whole processes twice and once at a million posts."""
    plan = [(op, size, runs) for size in sizes for op in ENGINE_OPS]
    plan += [("projection_60m", size, 1 if quick else 2) for size in projection_sizes]
    plan.append(("cli_help", 0, 1 if quick else 5))
    for size in sizes:
        count = 1 if quick or size >= 1_000_000 else 2
        plan += [(op, size, count) for op in CLI_OPS
                 if op != "cli_cost_xlsx" or size <= XLSX_MAX]
    return plan


def compile_packages() -> None:
    """Byte-compile the packages once, as installing them does, so no measured command pays
    for compiling the library's source (``PYTHONDONTWRITEBYTECODE`` would make every run
    compile it again)."""
    import compileall

    for package in ("establishment", "pay_scales", "scenarios"):
        compileall.compile_dir(str(HERE.parent / package), quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000",
                        help="comma-separated numbers of posts (default 10000,100000,1000000)")
    parser.add_argument("--json", help="write the results as JSON to this path")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement of an engine "
                        "op (>= 3; whole processes run 2 times, once at a million)")
    parser.add_argument("--prepare", action="store_true",
                        help="write the input files and cache the synthetic frames of every "
                        "size, then stop (so a timed run does not build them)")
    parser.add_argument("--quick", action="store_true",
                        help="check that every op runs, end to end, in a minute or two: sizes "
                        "2000 and 5000 (unless --sizes), one run each; the figures mean nothing")
    parser.add_argument("--projection-sizes", default="100000,1000000")
    parser.add_argument("--load-posts", type=int, default=100_000)
    parser.add_argument("--inputs", default=str(HERE / "cache"),
                        help="folder of the input files, written once and reused "
                        "(default benchmarks/cache)")
    parser.add_argument("--ops", help="only these ops (comma-separated)")
    parser.add_argument("--table", metavar="JSON",
                        help="print a results file as a Markdown table and stop")
    parser.add_argument("--summary", metavar="JSON",
                        help="print a results file as the README's summary table and stop")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--posts", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.table:
        print(markdown(json.loads(Path(args.table).read_text(encoding="utf-8"))))
        return 0
    if args.summary:
        print(summary(json.loads(Path(args.summary).read_text(encoding="utf-8"))))
        return 0
    if args.worker:
        run_worker = cli_worker if args.worker.startswith("cli_") else worker
        run_worker(args.worker, args.posts, args.runs, Path(args.cache))
        return 0
    plan = plan_of(args, parser)
    folder = Path(args.inputs)
    compile_packages()
    if args.prepare:
        prepare_inputs(plan, folder)
        return 0
    return run_all(plan, folder, args.json)


def plan_of(args: argparse.Namespace, parser: argparse.ArgumentParser
            ) -> list[tuple[str, int, int]]:
    """The run plan the options ask for (``--quick``: small sizes, one run)."""
    if args.quick:
        if args.sizes == parser.get_default("sizes"):
            args.sizes = "2000,5000"
        if args.projection_sizes == parser.get_default("projection_sizes"):
            args.projection_sizes = args.sizes.split(",")[-1]
    plan = run_plan([int(s) for s in args.sizes.split(",") if s],
                    [int(s) for s in args.projection_sizes.split(",") if s],
                    1 if args.quick else max(args.runs, 3), quick=args.quick)
    if args.ops:
        wanted = set(args.ops.split(","))
        plan = [item for item in plan if item[0] in wanted]
    return plan


def prepare_inputs(plan: list[tuple[str, int, int]], folder: Path) -> None:
    """Every size's input files and cached frame, written now."""
    for size in sorted({size for _, size, _ in plan if size}):
        inputs(size, folder, xlsx=size <= XLSX_MAX)
        cached_frame(size, folder)
        print(f"inputs and frames of {size:,} posts ready in {folder}", flush=True)


def run_all(plan: list[tuple[str, int, int]], folder: Path, json_path: str | None) -> int:
    """Measure every item of the plan, print the checks, write the JSON."""
    began = time.perf_counter()
    for size in sorted({size for op, size, _ in plan if op in CLI_OPS}):
        inputs(size, folder, xlsx=size <= XLSX_MAX and any(op == "cli_cost_xlsx"
                                                            for op, _, _ in plan))
    prepared = time.perf_counter() - began
    results = []
    for op, size, count in plan:
        result = measure(op, size, count, folder)
        results.append(result)
        if "seconds" in result:
            print(f"{op:<18} {size:>9,} posts  {result['seconds']:8.3f} s  "
                  f"peak {result['peak_mb']:7.0f} MB", flush=True)
        else:
            print(f"{op:<18} {size:>9,} posts  {result['skipped']}", flush=True)
    elapsed = time.perf_counter() - began
    verdicts = check(results)
    print("\n".join(verdicts))
    print(f"benchmark took {elapsed:.0f} s")
    if json_path:
        document = {
            "python": platform.python_version(), "cpus": os.cpu_count(),
            "machine": f"{platform.system()} {platform.machine()}",
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "command": "python benchmarks/run.py " + " ".join(sys.argv[1:]),
            "note": "shared 2-core machine with other work running: times are noisy; peak_mb "
                    "is the child process's peak RSS (interpreter + pandas + input + op); "
                    "cpu_seconds is the command's user + system time (whole-process ops) "
                    "or the worker's CPU time for the op (engine ops), which waiting for a "
                    "busy CPU does not inflate",
            "elapsed_seconds": round(elapsed, 1),
            "inputs_seconds": round(prepared, 1),
            "load": load_note(),
            "checks": verdicts,
            "results": [{k: v for k, v in r.items()} for r in results],
        }
        Path(json_path).parent.mkdir(parents=True, exist_ok=True)
        Path(json_path).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

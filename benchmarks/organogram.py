"""Load time and peak memory of a large organogram return (issue 6).

Builds a synthetic return by replicating the shared DFID September 2013 return ``copies`` times
(each copy's senior references and units get a ``-k`` suffix, so references stay unique and
every junior row points at a senior post of its own copy), until the junior file is about
3 MB, the size of the largest published junior files. Then it times, in this process:
reading and checking both files and building the structure (``import_organogram``), writing the
TOML file, and costing it; and reports peak memory (tracemalloc peak of Python allocations and
the process's maximum resident set size).

    python benchmarks/organogram.py [--copies 46]
"""

from __future__ import annotations

import argparse
import csv
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

from establishment.engine.costing import cost

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "organograms"
BASE = "department_for_international_development-2013-09-30"


def build(folder: Path, copies: int) -> tuple[Path, Path]:
    """Write the replicated senior and junior files; returns their paths."""
    out = []
    for kind, ref_fields, unit_field in (("senior", ("Post Unique Reference",
                                                     "Reports to Senior Post"), "Unit"),
                                         ("junior", ("Reporting Senior Post",), "Unit")):
        with (FIXTURES / f"{BASE}-{kind}.csv").open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            header, rows = reader.fieldnames, list(reader)
        path = folder / f"synthetic-2013-09-30-{kind}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, header, quoting=csv.QUOTE_ALL)
            writer.writeheader()
            for k in range(copies):
                for row in rows:
                    new = dict(row)
                    for field in ref_fields:
                        if new[field] not in ("", "XX"):
                            new[field] = f"{new[field]}-{k}"
                    new[unit_field] = f"{new[unit_field]}-{k}"
                    writer.writerow(new)
        out.append(path)
    return out[0], out[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=46)
    args = parser.parse_args()
    from establishment.io import load_structure_file
    from establishment.organogram import import_organogram
    from establishment.organogram.tables import organogram_tables

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory() as tmp:
        senior, junior = build(Path(tmp), args.copies)
        print(f"senior {senior.stat().st_size:,} bytes, junior {junior.stat().st_size:,} bytes")
        start = time.perf_counter()
        imported = import_organogram(senior, junior, strict=False)
        loaded = time.perf_counter()
        out = Path(tmp) / "big.toml"
        from establishment.io import write_structure

        write_structure(imported.structure, out, imported.basis)
        written = time.perf_counter()
        costing = cost(imported.structure, imported.basis)
        costed = time.perf_counter()
        tables = organogram_tables(imported.organogram, costing)
        tabled = time.perf_counter()
        assert load_structure_file(out).structure == imported.structure
        reread = time.perf_counter()
        del imported, costing, tables
        tracemalloc.start()  # a second load, traced (tracing slows it: timed above untraced)
        imported = import_organogram(senior, junior, strict=False)
        costing = cost(imported.structure, imported.basis)
        tables = organogram_tables(imported.organogram, costing)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        report = imported.report
        print(report.counts())
        print(f"posts {len(imported.structure.posts):,}, fte {costing.fte:,}, "
              f"full-year cost £{costing.full_year:,}, {len(tables[2].rows):,} reporting trees")
        print(f"read + check + structure: {loaded - start:.2f} s")
        print(f"write TOML ({out.stat().st_size:,} bytes): {written - loaded:.2f} s")
        print(f"cost: {costed - written:.2f} s; tables: {tabled - costed:.2f} s; load the "
              f"written TOML back: {reread - tabled:.2f} s")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak traced Python memory (load + cost + tables): {peak / 2**20:.1f} MiB; "
              f"max RSS of the process: {rss:.1f} MiB (after imports, before the files: "
              f"{baseline:.1f} MiB)")


if __name__ == "__main__":
    main()

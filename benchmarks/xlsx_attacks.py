"""Time and memory of `establishment check` on the hostile workbooks (issue 17).

    PYTHONPATH=. python benchmarks/xlsx_attacks.py [--rows 100000]

Builds the attack workbooks of tests/xlsx_attacks.py (the 3 GiB-of-spaces one at full size:
building it takes a minute, reading it must not), runs ``python -m establishment check`` on
each in a fresh process and prints wall time, peak resident memory and the exit code as a
Markdown table (recorded in benchmarks/results/xlsx-attacks.md). Goal: each under 2 s and
300 MB. ``--rows N`` adds an honest N-row workbook for comparison.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import xlsx_attacks  # noqa: E402


def _measure(path: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit code of one `check` run in a fresh process."""
    code = ("import resource, sys, time\n"
            "from establishment.cli.main import main\n"
            "start = time.perf_counter()\n"
            "status = main(['check', sys.argv[1]])\n"
            "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
            "print(f'{time.perf_counter() - start:.3f} {peak:.0f}', file=sys.stderr)\n"
            "sys.exit(status)\n")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT)}, check=False,
                          timeout=600)
    seconds, peak = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), float(peak), done.returncode


def _honest(rows: int) -> bytes:
    """An ordinary export of ``rows`` posts (title, fte, grade, scp, team, funding)."""
    import io

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Posts")
    sheet.append(["title", "fte", "grade", "scp", "team", "funding"])
    for n in range(rows):
        sheet.append([f"Officer {n % 97}", 1 if n % 3 else 0.5, "Grade 5", 28 + n % 3,
                      f"Team {n // 20:06d}", "Core 60%; Grant 40%"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=0)
    options = parser.parse_args()
    builds = dict(xlsx_attacks.ATTACKS)
    if options.rows:
        builds[f"honest-{options.rows}-rows"] = lambda: _honest(options.rows)
    print("| workbook | size | check time (s) | peak memory (MB) | exit |")
    print("|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for name, build in builds.items():
            path = Path(folder) / f"{name}.xlsx"
            path.write_bytes(build())
            seconds, peak, status = _measure(path)
            print(f"| {name} | {path.stat().st_size:,} B | {seconds:.2f} | {peak:.0f} | "
                  f"{status} |")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"\n(children's peak RSS {usage.ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()

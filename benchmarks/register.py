"""Register benchmark: `as-of` and `expiring` on 10,000 posts and 1,000 decisions.

Also times the check every read makes on opening (SQLite's ``quick_check``, the last entry's
hash and the digests of the tables it covers).

Builds a register (in a temporary folder unless ``--keep PATH``) whose opening establishment
is 10,000 posts of the bundled employer (2019/20 points, 30% temporary), then records 1,000
decisions in effective-date order over four pay years (each: a temporary post established,
an fte changed, an end date moved, a post disestablished). Then, each from a freshly opened
register (no in-memory state: every answer replays from a stored snapshot), it times
``as_of`` and ``expiring --within 6m`` on 25 dates spread over the years, and prints the
median and the slowest. Not a test: run it by hand.

    PYTHONPATH=. python benchmarks/register.py [--posts 10000] [--decisions 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import costable_points  # noqa: E402
from establishment import PayBasis, Post, Structure  # noqa: E402
from establishment.operations.changes import ChangeEnd, ChangeFte, Disestablish, Establish  # noqa: E402
from establishment.register import Register, expiring  # noqa: E402
from establishment.register.integrity import quick_check  # noqa: E402

SEED = 20180618
START = dt.date(2019, 4, 1)
YEARS = 4


def opening(count: int, rng: random.Random) -> Structure:
    points = costable_points(2019)
    grades = sorted(points)
    posts = []
    for n in range(count):
        grade = rng.choice(grades)
        end = START + dt.timedelta(days=rng.randrange(30, 365 * YEARS)) \
            if rng.random() < 0.3 else None
        posts.append(Post(f"Officer {n % 97}", rng.choice(["1", "0.5", "0.8"]), grade,
                          rng.choice(points[grade]), team=f"Team {n // 20}",
                          reference=f"R{n:05d}", end=end))
    return Structure("benchmark", posts)


def decisions(reg: Register, count: int, rng: random.Random) -> None:
    points = costable_points(2019)
    grades = sorted(points)
    day = START
    step = dt.timedelta(days=365 * YEARS // count)
    for n in range(count):
        day += step
        live = [p for p in reg.state_until(day).posts if p.active_on(day)]
        permanent = [p for p in live if p.end is None]
        grade = rng.choice(grades)
        new = Post("New officer", 1, grade, rng.choice(points[grade]),
                   team=f"Team {rng.randrange(500)}", reference=f"N{n:05d}", start=day,
                   end=day + dt.timedelta(days=rng.randrange(90, 720)))
        changed, ended, gone = rng.sample(permanent, 3)
        reg.record([Establish(new), ChangeFte(changed.reference, Decimal("0.6")),
                    ChangeEnd(ended.reference, day + dt.timedelta(days=365)),
                    Disestablish(gone.reference)],
                   effective=day, approved=day, approved_by="Committee",
                   reference=f"Report {n}")


def timed(path: Path, days: list[dt.date], what: str) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each call (the CPU figure is what the machine's other
    load does not change)."""
    wall, cpu = [], []
    for day in days:
        with Register.open(path) as reg:
            began, began_cpu = time.perf_counter(), time.process_time()
            if what == "as-of":
                reg.as_of(day)
            else:
                expiring(reg, day, "6m")
            wall.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--decisions", type=int, default=1_000)
    parser.add_argument("--keep", help="build the register here (and keep it)")
    parser.add_argument("--reuse", help="time an existing benchmark register (no build)")
    args = parser.parse_args()
    if args.reuse:
        report(Path(args.reuse))
        return
    rng = random.Random(SEED)
    folder = tempfile.TemporaryDirectory()
    path = Path(args.keep) if args.keep else Path(folder.name) / "bench.db"
    began = time.perf_counter()
    basis = PayBasis(employer="nottinghamshire", pay_year=2019, point="actual", rule="njc")
    reg = Register.create(path, basis, opening=opening(args.posts, rng), opened_on=START)
    for year in range(2020, 2019 + YEARS + 2):
        reg.set_basis(basis.evolve(pay_year=year))
    built = time.perf_counter() - began
    decisions(reg, args.decisions, rng)
    recorded = time.perf_counter() - began - built
    reg.close()
    print(f"register: {args.posts:,} opening posts, {args.decisions:,} decisions; opened in "
          f"{built:.1f} s, decisions recorded in {recorded:.1f} s "
          f"({recorded / args.decisions * 1000:.0f} ms each)")
    report(path)


def opening_checks(path: Path, times: int = 25) -> None:
    """What every read pays before answering (:meth:`Register.check_sound`): SQLite's
    ``quick_check`` of the file, then the last entry's hash and the digests of the tables."""
    quick, digests = [], []
    for _ in range(times):
        with Register.open(path, check=False) as reg:
            began = time.process_time()
            assert not quick_check(reg.db)
            middle = time.process_time()
            reg.check_sound()
            digests.append(time.process_time() - middle - (middle - began))
            quick.append(middle - began)
    print(f"check on open ({times} opens, CPU): quick_check median "
          f"{statistics.median(quick) * 1000:.0f} ms, slowest {max(quick) * 1000:.0f} ms; "
          f"last entry + table digests median {statistics.median(digests) * 1000:.0f} ms")


def report(path: Path) -> None:
    days = [START + dt.timedelta(days=int(i * 365 * YEARS / 25)) for i in range(25)]
    print(f"{path}: {path.stat().st_size / 1e6:.1f} MB")
    opening_checks(path)
    for what in ("as-of", "expiring"):
        wall, cpu = timed(path, days, what)
        print(f"{what:9} on {len(days)} dates: median {statistics.median(wall):.3f} s, "
              f"slowest {max(wall):.3f} s (CPU: median {statistics.median(cpu):.3f} s, "
              f"slowest {max(cpu):.3f} s)")


if __name__ == "__main__":
    main()

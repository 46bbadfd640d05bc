"""A national pay spine (the NJC spine) as dated tables of spinal column points.

A table takes effect on its date and stays in force until the next one (the 2013 rates ran to
31 December 2014: there was no award in April 2014). The last table stays in force to the end
of its pay year and no further: a later date is an error naming the years that exist, never a
silent reuse of the latest rates.
"""

from __future__ import annotations

import bisect
import datetime as dt
from decimal import Decimal
from pathlib import Path

from attrs import frozen

from pay_scales.dates import pay_year_end, pay_year_label, pay_year_of
from pay_scales.errors import PayScaleError
from pay_scales.sources import Provenance, data_dir, read_csv_rows


@frozen
class SpinePoint:
    """The annual salary of one spinal column point in one dated table."""

    effective: dt.date
    spine: str
    scp: int
    salary: Decimal
    provenance: Provenance


@frozen
class Spine:
    """Every dated table of one pay spine, indexed for lookup by date."""

    name: str
    points: dict[tuple[dt.date, int], SpinePoint]
    effective_dates: tuple[dt.date, ...]
    spine_of_table: dict[dt.date, str]

    @property
    def covered_until(self) -> dt.date:
        """The last day any table of this spine is in force: the end of its last pay year."""
        return pay_year_end(pay_year_of(self.effective_dates[-1]))

    def table_date(self, day: dt.date) -> dt.date:
        """The effective date of the table in force on ``day``."""
        first, last = self.effective_dates[0], self.covered_until
        if day < first or day > last:
            raise PayScaleError(
                f"no {self.name} pay spine for {day.isoformat()}: the data cover "
                f"{first.isoformat()} to {last.isoformat()} (pay years "
                f"{pay_year_label(pay_year_of(first))} to "
                f"{pay_year_label(pay_year_of(self.effective_dates[-1]))})",
                field="date", expected=f"{first} to {last}", found=day)
        index = bisect.bisect_right(self.effective_dates, day) - 1
        return self.effective_dates[index]

    def spine_on(self, day: dt.date) -> str:
        """Which spine (``old`` or ``new`` for the NJC) is in force on ``day``."""
        return self.spine_of_table[self.table_date(day)]

    def point(self, scp: int, day: dt.date) -> SpinePoint:
        """The salary of ``scp`` in the table in force on ``day``."""
        effective = self.table_date(day)
        found = self.points.get((effective, scp))
        if found is None:
            have = sorted(s for (eff, s) in self.points if eff == effective)
            years = sorted({pay_year_label(pay_year_of(eff)) for (eff, s) in self.points
                            if s == scp})
            where = f"; scp {scp} has values for {', '.join(years)}" if years else ""
            held = _spans(have)
            raise PayScaleError(
                f"no {self.name} salary for scp {scp} on {day.isoformat()} (table of "
                f"{effective.isoformat()}, {self.spine_of_table[effective]} spine, holds scp "
                f"{held}){where}",
                field="scp", expected=held, found=scp)
        return found


def _spans(points: list[int]) -> str:
    """Sorted points as runs: ``[4, 5, 6, 18, 19]`` -> ``"4-6, 18-19"`` (a table with a gap
    says where the gap is)."""
    runs: list[list[int]] = []
    for point in points:
        if runs and point == runs[-1][1] + 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    return ", ".join(f"{low}-{high}" if low != high else str(low) for low, high in runs)


def load_spine(path: Path | None = None, name: str = "NJC", *, extends: Spine | None = None,
               label: str | None = None) -> Spine:
    """Read a spine CSV (``pay_year_start, spine, scp, annual_salary, source, basis``).

    ``extends``: a spine these rows change (an employer folder's ``spine.csv`` over the
    national spine): a row whose (date, scp) the spine has replaces it, a new one adds to it;
    a row at a date the spine has must name that table's spine (``old``/``new``).
    ``label``: the file name figures cite (default: the file's own name)."""
    path = path or data_dir() / "njc_pay_spine.csv"
    rows = read_csv_rows(path, ("pay_year_start", "spine", "scp", "annual_salary", "source",
                                "basis"))
    points: dict[tuple[dt.date, int], SpinePoint] = dict(extends.points) if extends else {}
    spine_of_table: dict[dt.date, str] = dict(extends.spine_of_table) if extends else {}
    base = set(spine_of_table)
    label = label or path.name
    seen: set[tuple[dt.date, int]] = set()
    for line, row in rows:
        where = f"{path}:{line}"
        try:
            effective = dt.date.fromisoformat(row["pay_year_start"])
            scp = int(row["scp"])
            salary = Decimal(row["annual_salary"])
        except ValueError as err:
            raise PayScaleError(f"bad spine row: {err}", source=where) from err
        if not row["source"]:
            raise PayScaleError("spine row has no source", source=where, field="source")
        spine_of_table.setdefault(effective, row["spine"])
        if spine_of_table[effective] != row["spine"]:
            whose = "the national table" if effective in base else "the table"
            raise PayScaleError(
                f"{whose} of {effective} is the {spine_of_table[effective]!r} spine, not "
                f"{row['spine']!r}", source=where, field="spine")
        if (effective, scp) in seen:
            raise PayScaleError(f"duplicate scp {scp} for {effective}", source=where, field="scp")
        seen.add((effective, scp))
        points[(effective, scp)] = SpinePoint(
            effective, row["spine"], scp, salary,
            Provenance(label, row["basis"], row["source"]))
    if not points:
        raise PayScaleError("spine file has no rows", source=str(path))
    return Spine(name, points, tuple(sorted(spine_of_table)), spine_of_table)

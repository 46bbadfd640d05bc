"""An employer's grades as ranges of spinal column points, with aliases.

Grades are named the way reports name them ("Hay Band A", "Band A", "Grade 5", "Scale 5"), so a
name is resolved case- and space-insensitively through the employer's aliases; an unknown name is
an error with the closest known names. A grade has one range per spine and validity window; the
date asked decides which.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

from attrs import frozen

from pay_scales.errors import PayScaleError
from pay_scales.sources import Provenance, read_csv_rows


def normalise_grade(name: str) -> str:
    """Case-, space- and punctuation-insensitive key for a grade name."""
    return " ".join(str(name).replace("_", " ").replace("-", " ").lower().split())


@frozen
class GradeRange:
    """The scp range of a grade on one spine for a validity window (either end may be open)."""

    grade: str
    spine: str
    scp_min: int | None
    scp_max: int | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    provenance: Provenance

    def covers(self, day: dt.date) -> bool:
        return ((self.valid_from is None or self.valid_from <= day)
                and (self.valid_to is None or day <= self.valid_to))

    def describe(self) -> str:
        low = "?" if self.scp_min is None else str(self.scp_min)
        high = "?" if self.scp_max is None else str(self.scp_max)
        span = f"{self.valid_from or '...'} to {self.valid_to or '...'}"
        return f"{self.spine} spine scp {low}-{high} ({span}, {self.provenance.basis})"


@frozen
class Grades:
    """All grades of an employer: canonical names, aliases and ranges."""

    employer: str
    ranges: tuple[GradeRange, ...]
    aliases: dict[str, str]  # normalised alias -> canonical name

    @property
    def names(self) -> list[str]:
        return sorted({r.grade for r in self.ranges})

    def resolve(self, name: str) -> str:
        """The canonical grade name for ``name``; unknown names get a "did you mean"."""
        key = normalise_grade(name)
        if key in self.aliases:
            return self.aliases[key]
        choices = sorted(set(self.aliases))
        close = difflib.get_close_matches(key, choices, n=3, cutoff=0.5)
        suggestion = sorted({self.aliases[c] for c in close}, key=lambda g: close.index(
            next(c for c in close if self.aliases[c] == g)))
        hint = f"; did you mean {' or '.join(repr(s) for s in suggestion)}?" if suggestion else ""
        raise PayScaleError(
            f"unknown grade {name!r} for {self.employer}{hint} Known grades: "
            f"{', '.join(self.names)}",
            field="grade", expected=self.names, found=name)

    def range_on(self, name: str, day: dt.date, spine: str) -> GradeRange:
        """The range of grade ``name`` on ``spine`` in force on ``day``."""
        grade = self.resolve(name)
        candidates = [r for r in self.ranges if r.grade == grade]
        for found in candidates:
            if found.spine == spine and found.covers(day):
                return found
        known = "; ".join(r.describe() for r in candidates)
        raise PayScaleError(
            f"{grade} has no scp range on the {spine} spine on {day.isoformat()}; known: {known}",
            field="grade", expected=known, found=f"{grade} on {day.isoformat()}")


def _int(text: str) -> int | None:
    return int(text) if text else None


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def load_grades(path: Path, employer: str, aliases: dict[str, list[str]]) -> Grades:
    """Read ``grades.csv`` (grade, spine, scp_min, scp_max, valid_from, valid_to, basis,
    evidence) and the employer's alias table."""
    rows = read_csv_rows(path, ("grade", "spine", "scp_min", "scp_max", "valid_from",
                                "valid_to", "basis", "evidence"))
    ranges = []
    for line, row in rows:
        try:
            found = GradeRange(row["grade"], row["spine"], _int(row["scp_min"]),
                               _int(row["scp_max"]), _date(row["valid_from"]),
                               _date(row["valid_to"]),
                               Provenance(path.name, row["basis"], row["evidence"]))
        except ValueError as err:
            raise PayScaleError(f"bad grade row: {err}", source=f"{path}:{line}") from err
        if (found.scp_min is not None and found.scp_max is not None
                and found.scp_min > found.scp_max):
            raise PayScaleError(f"scp_min {found.scp_min} is above scp_max {found.scp_max}",
                                source=f"{path}:{line}", field="scp_min")
        ranges.append(found)
    table = {normalise_grade(r.grade): r.grade for r in ranges}
    for canonical, others in aliases.items():
        if normalise_grade(canonical) not in table:
            raise PayScaleError(f"alias given for unknown grade {canonical!r}",
                                source=str(path), field="aliases")
        for alias in others:
            table[normalise_grade(alias)] = table[normalise_grade(canonical)]
    return Grades(employer, tuple(ranges), table)

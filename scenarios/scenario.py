"""A scenario: a committee decision as data, with the figures its report publishes.

A scenario file (TOML, in ``scenarios/data/``) holds the structure the report decides (posts
and payments, as in a structure file), the pay bases it is costed on (the one the published
figures reconcile against, and others to set beside it), the period the posts actually run,
and every published figure with what the library claims about it (``match`` or a
``known-difference`` with its explanation). Nothing in code is specific to any report.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from attrs import frozen

from establishment.errors import EstablishmentError, LoadError, Problem, ValidationError
from establishment.io.toml_file import parse_structure_text
from establishment.pay_basis import PayBasis
from establishment.structure import Structure

METRICS = ("unit_cost", "line_full_year", "line_period", "posts_full_year",
           "payments_full_year", "full_year", "period", "posts_period", "fte")
EXPECTATIONS = ("match", "known-difference")
SCENARIO_KEYS = {"name", "title", "report", "decided", "summary", "notes", "period", "bases",
                 "primary_basis", "published", "post", "payment", "description", "basis"}
PUBLISHED_KEYS = {"label", "metric", "line", "basis", "amount", "source", "expect", "note"}


@frozen
class PublishedFigure:
    """A figure printed in the report, and how the library should reproduce it."""

    label: str
    metric: str
    amount: Decimal
    basis: str
    line: str | None = None
    source: str = ""
    expect: str = "match"
    note: str = ""


@frozen
class Scenario:
    """A decision: its structure, bases, period and published figures."""

    name: str
    title: str
    report: str
    structure: Structure
    bases: dict[str, PayBasis]
    primary_basis: str
    period: tuple[dt.date, dt.date] | None
    published: tuple[PublishedFigure, ...]
    summary: str = ""
    notes: tuple[str, ...] = ()
    path: str = ""

    @property
    def basis(self) -> PayBasis:
        return self.bases[self.primary_basis]


def scenario_dir() -> Path:
    return Path(str(resources.files("scenarios") / "data"))


def list_scenarios() -> list[str]:
    """Names of the bundled scenarios."""
    return sorted(p.stem for p in scenario_dir().glob("*.toml"))


def _find(name_or_path: str | Path) -> Path:
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" and candidate.exists():
        return candidate
    bundled = scenario_dir() / f"{name_or_path}.toml"
    if bundled.exists():
        return bundled
    import difflib
    names = list_scenarios()
    close = difflib.get_close_matches(str(name_or_path), names, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise EstablishmentError(f"unknown scenario {str(name_or_path)!r}{hint} Scenarios: "
                             f"{', '.join(names)} (or give the path of a scenario .toml file)")


def _line_of(text: str, pattern: str, index: int = 0) -> int | None:
    lines = [n for n, t in enumerate(text.splitlines(), 1) if re.match(pattern, t)]
    return lines[index] if index < len(lines) else None


def load_scenario(name_or_path: str | Path) -> Scenario:
    """A bundled scenario by name, or a scenario file; every problem reported together."""
    path = _find(name_or_path)
    where = str(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as err:
        raise LoadError([Problem(where, None, f"invalid TOML: {err}")]) from None
    problems: list[Problem] = []
    for key in sorted(set(data) - SCENARIO_KEYS):
        problems.append(Problem(where, None, f"unknown key {key!r}", key))
    structure_keys = ("name", "description", "post", "payment")
    import tomli_w
    structure_text = tomli_w.dumps({k: data[k] for k in structure_keys if k in data})
    try:
        structure = parse_structure_text(structure_text, where).structure
    except LoadError as err:
        # re-locate post problems on the scenario file's own [[post]] lines
        for problem in err.problems:
            match = re.match(r"(post|payment) (\d+)", problem.message)
            line = (_line_of(text, rf"^\s*\[\[\s*{match.group(1)}\s*\]\]", int(match.group(2)) - 1)
                    if match else None)
            problems.append(Problem(where, line, problem.message, problem.column))
        structure = Structure()
    bases: dict[str, PayBasis] = {}
    for key, table in (data.get("bases") or {}).items():
        try:
            bases[key] = PayBasis(**table)
        except (ValidationError, TypeError) as err:
            problems.append(Problem(where, _line_of(text, rf"^\s*\[\s*bases\.{key}\s*\]"),
                                    f"basis {key!r}: {err}"))
    primary = str(data.get("primary_basis", next(iter(bases), "")))
    if primary not in bases:
        problems.append(Problem(where, None, f"primary_basis {primary!r} is not one of the "
                                f"bases ({', '.join(bases) or 'none given'})", "primary_basis"))
    period = None
    if "period" in data:
        table = data["period"]
        try:
            period = (table["start"], table["end"])
            if not all(isinstance(d, dt.date) for d in period) or period[1] < period[0]:
                raise ValueError
        except (KeyError, TypeError, ValueError):
            problems.append(Problem(where, _line_of(text, r"^\s*\[\s*period\s*\]"),
                                    "period needs start and end dates, end on or after start"))
            period = None
    published = []
    for index, table in enumerate(data.get("published", [])):
        line = _line_of(text, r"^\s*\[\[\s*published\s*\]\]", index)
        figure = _published(table, bases, structure, where, line, problems)
        if figure is not None:
            published.append(figure)
    if problems:
        raise LoadError(problems)
    notes = data.get("notes", [])
    return Scenario(str(data.get("name", path.stem)), str(data.get("title", "")),
                    str(data.get("report", "")), structure, bases, primary, period,
                    tuple(published), str(data.get("summary", "")),
                    tuple(notes if isinstance(notes, list) else [notes]), where)


def _published(table: dict[str, Any], bases: dict[str, PayBasis], structure: Structure,
               where: str, line: int | None, problems: list[Problem]) -> PublishedFigure | None:
    before = len(problems)
    for key in sorted(set(table) - PUBLISHED_KEYS):
        problems.append(Problem(where, line, f"published figure: unknown key {key!r}", key))
    metric = table.get("metric")
    if metric not in METRICS:
        problems.append(Problem(where, line, f"published figure: metric must be one of "
                                f"{', '.join(METRICS)} (got {metric!r})", "metric"))
    basis = table.get("basis")
    if basis not in bases:
        problems.append(Problem(where, line, f"published figure: basis {basis!r} is not one of "
                                f"{', '.join(bases)}", "basis"))
    expect = table.get("expect", "match")
    if expect not in EXPECTATIONS:
        problems.append(Problem(where, line, f"published figure: expect must be one of "
                                f"{', '.join(EXPECTATIONS)} (got {expect!r})", "expect"))
    if expect == "known-difference" and not table.get("note"):
        problems.append(Problem(where, line, "a known-difference needs a note explaining it",
                                "note"))
    ref = table.get("line")
    if metric in ("unit_cost", "line_full_year", "line_period"):
        refs = {p.reference for p in structure.posts} | {p.reference for p in structure.payments}
        if ref not in refs:
            problems.append(Problem(where, line, f"published figure: line {ref!r} is not the "
                                    f"reference of a post or payment", "line"))
    if "amount" not in table or not isinstance(table["amount"], (int, Decimal)):
        problems.append(Problem(where, line, "published figure needs a numeric amount",
                                "amount"))
    if len(problems) > before:
        return None
    return PublishedFigure(str(table.get("label", metric)), metric, Decimal(table["amount"]),
                           basis, ref, str(table.get("source", "")), expect,
                           str(table.get("note", "")))

"""A scenario: a committee decision as data, with the figures its report publishes.

A scenario file (TOML, in ``scenarios/data/``) holds the structure the report starts from
(posts and payments, as in a structure file), the decision as a list of changes on it
(``[[change]]``; none when the report establishes the posts outright), other options
(``[[option]]`` with their own ``[[option.change]]`` lists), budgets (``[[budget]]``), posts
the pay data cannot cost (``not_costable``, each shown with the reason), the pay bases it is
costed on (the one the published figures reconcile against, and others to set beside it), the
period the posts actually run, and every published figure with what the library claims about
it:

- ``match``: the library derives the figure and it must agree to the pound (exit status 1 if
  not);
- ``known-difference``: derived, differs, and the note explains why (shown, never hidden);
- ``input``: the report's figure is an input to the model (a cost whose workings are not in
  the text, a budget); shown as such, never counted as reproduced;
- ``not-derivable``: published but not derivable from what the text gives; the note says why.

Nothing in code is specific to any report. The decision's parts, beside ``[[post]]``:

```toml
not_costable = ["SOA"]            # posts the pay data cannot cost: shown, with the reason

[[change]]                        # the decision, applied in order to the posts above
id = "establish-so"               # optional: lets a published figure name this change
kind = "establish"                # establish | disestablish | regrade | change-fte |
[change.post]                     # make-permanent | change-end | move | change-funding |
title = "Service Organiser"       # amend | add-payment | remove-payment | change-payment
fte = 4
grade = "Grade 4"

[[change]]
kind = "disestablish"
target = "CA"                     # a reference, or { team = "...", title = "..." }
fte = 4                           # optional: part of a row

[[option]]                        # another way, on the same base
name = "no-manager"
[[option.change]]
kind = "disestablish"
target = "M"

[[budget]]
name = "Staffing budget"
amount = 1084761
temporary = 49800                 # the temporary part of the amount
cost = 1131750                    # a figure taken as given, or "computed" (the decided
                                  # structure, or its `team`), or left out (listed only)
vacancy_factor = "2%"             # optional, a rate ("2%" or 0.02); its own line

[[published]]
label = "Shortfall"
metric = "budget_shortfall"       # see METRICS
line = "Staffing budget"          # the budget, change id or post reference it is about
basis = "2019/20"
amount = 46989
expect = "match"                  # match | known-difference | input | not-derivable
of = "decided"                    # decided (default) | base | an option name
```
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from attrs import field, frozen

from establishment.errors import (
    EstablishmentError,
    LoadError,
    Location,
    Problem,
    ValidationError,
    source_field,
)
from establishment.io import read_bytes
from establishment.io.toml_file import BASIS_KEYS, load_toml, structure_from_data
from establishment.io.toml_layout import TomlLayout, scan
from establishment.model import checks
from establishment.model.money import to_decimal
from establishment.model.pay_basis import PayBasis
from establishment.model.post import text_of
from establishment.model.rates import parse_rate
from establishment.model.structure import Structure
from establishment.operations.budget import Budget
from establishment.operations.changes import Change, ChangeError, apply_changes, change_from_mapping

COSTING_METRICS = ("unit_cost", "line_full_year", "line_period", "posts_full_year",
                   "payments_full_year", "full_year", "period", "posts_period", "fte")
CHANGE_METRICS = ("changes_full_year", "changes_period", "change_full_year", "change_period")
BUDGET_METRICS = ("budget_cost", "budget_amount", "budget_temporary", "budget_shortfall",
                  "budget_surplus", "budget_shortfall_without_temporary")
METRICS = COSTING_METRICS + CHANGE_METRICS + BUDGET_METRICS
EXPECTATIONS = ("match", "known-difference", "input", "not-derivable")
SCENARIO_KEYS = {"name", "title", "report", "decided", "summary", "notes", "period", "bases",
                 "primary_basis", "published", "post", "payment", "description", "basis",
                 "change", "option", "budget", "not_costable", "not_costable_reason"}
PUBLISHED_KEYS = {"label", "metric", "line", "basis", "amount", "source", "expect", "note",
                  "of"}
OPTION_KEYS = {"name", "label", "description", "change"}
BUDGET_KEYS = {"name", "amount", "temporary", "team", "source", "cost", "cost_source",
               "vacancy_factor", "note"}


def _amount(value: Any) -> Decimal:
    return to_decimal(value, field="amount")


def _budget_cost(instance: Any, attribute: Any, value: Any) -> None:
    if value is None or value == "computed":
        return
    if not (isinstance(value, Decimal) and value.is_finite()):
        raise checks.refuse(instance, "cost", '"computed", a figure or left out', value)


def _bases_of(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, PayBasis) for k, v in value.items()):
        raise checks.refuse(instance, "bases", "a mapping of names to PayBasis values", value)


def _period_of(instance: Any, attribute: Any, value: Any) -> None:
    if value is None:
        return
    if (not isinstance(value, tuple) or len(value) != 2
            or not all(isinstance(d, dt.date) for d in value) or value[1] < value[0]):
        raise checks.refuse(instance, "period", "(start, end) dates, end on or after start",
                            value)


@frozen
class PublishedFigure:
    """A figure printed in the report, and how the library should reproduce it."""

    label: str = field(validator=checks.text)
    metric: str = field(validator=checks.one_of(METRICS))
    amount: Decimal = field(converter=_amount)
    basis: str = field(validator=checks.text)
    line: str | None = field(default=None, validator=checks.optional_text)
    source: str = field(default="", validator=checks.text)
    expect: str = field(default="match", validator=checks.one_of(EXPECTATIONS))
    note: str = field(default="", validator=checks.text)
    of: str = field(default="decided", validator=checks.text)
    # its [[published]] table (``source`` is the report's page); not part of equality
    location: Location | None = source_field()


@frozen
class ScenarioChange:
    """A change of the decision (or an option) with its optional ``id`` and note."""

    change: Change = field(validator=checks.instance_of(Change, "a Change record"))
    id: str = field(default="", converter=text_of("id"))
    note: str = field(default="", converter=text_of("note"))
    source: Location | None = source_field()  # its [[change]] table; not in equality


@frozen
class Option:
    """Another way to reach the decision's aim: a change list on the same base."""

    name: str = field(validator=checks.text)
    label: str = field(validator=checks.text)
    changes: tuple[ScenarioChange, ...] = field(
        converter=checks.as_tuple, validator=checks.tuple_of(ScenarioChange, "changes"))
    description: str = field(default="", validator=checks.text)
    location: Location | None = source_field()  # its [[option]] table; not in equality


@frozen
class ScenarioBudget:
    """A budget and the cost to compare it with: ``"computed"`` (the decided structure, or
    its ``team``), an input figure, or ``None`` (listed, nothing to compare)."""

    budget: Budget = field(validator=checks.instance_of(Budget, "a Budget"))
    cost: Decimal | str | None = field(default=None, validator=_budget_cost)
    cost_source: str = field(default="", validator=checks.text)
    vacancy_factor: Decimal | None = field(default=None, validator=checks.optional_decimal)
    note: str = field(default="", validator=checks.text)
    location: Location | None = source_field()  # its [[budget]] table; not in equality


@frozen
class Scenario:
    """A decision: its structure, bases, period and published figures."""

    name: str = field(validator=checks.text)
    title: str = field(validator=checks.text)
    report: str = field(validator=checks.text)
    structure: Structure = field(validator=checks.instance_of(Structure, "a Structure"))
    bases: dict[str, PayBasis] = field(validator=_bases_of)
    primary_basis: str = field(validator=checks.text)
    period: tuple[dt.date, dt.date] | None = field(validator=_period_of)
    published: tuple[PublishedFigure, ...] = field(
        converter=checks.as_tuple, validator=checks.tuple_of(PublishedFigure, "figures"))
    summary: str = field(default="", validator=checks.text)
    notes: tuple[str, ...] = field(default=(), converter=checks.as_tuple,
                                   validator=checks.tuple_of(str, "notes (text)"))
    path: str = field(default="", validator=checks.text)
    changes: tuple[ScenarioChange, ...] = field(
        default=(), converter=checks.as_tuple,
        validator=checks.tuple_of(ScenarioChange, "changes"))
    options: tuple[Option, ...] = field(default=(), converter=checks.as_tuple,
                                        validator=checks.tuple_of(Option, "options"))
    budgets: tuple[ScenarioBudget, ...] = field(
        default=(), converter=checks.as_tuple, validator=checks.tuple_of(ScenarioBudget, "budgets"))
    not_costable: tuple[str, ...] = field(
        default=(), converter=checks.as_tuple,
        validator=checks.tuple_of(str, "post references (text)"))
    not_costable_reason: str = field(default="", validator=checks.text)

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
    if candidate.suffix == ".toml" and os.path.exists(candidate):  # False for a bad name
        return candidate
    bundled = scenario_dir() / f"{name_or_path}.toml"
    if os.path.exists(bundled):
        return bundled
    import difflib
    names = list_scenarios()
    close = difflib.get_close_matches(str(name_or_path), names, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise EstablishmentError(f"unknown scenario {str(name_or_path)!r}{hint} Scenarios: "
                             f"{', '.join(names)} (or give the path of a scenario .toml file)")


def _place(layout: TomlLayout, where: str, key: tuple[str, ...], index: int) -> Location:
    """The place of the ``index``-th ``[[key]]`` table (the scan of the file's text)."""
    places = layout.places(*key)
    line, column = places[index] if index < len(places) else (None, None)
    return Location(where, line, column)


def _period(data: dict[str, Any], layout: TomlLayout, where: str, problems: list[Problem]
            ) -> tuple[dt.date, dt.date] | None:
    if "period" not in data:
        return None
    table = data["period"]
    period = (table.get("start"), table.get("end")) if isinstance(table, dict) else None
    if (period is None or not all(_is_date(d) for d in period)
            or period[1] < period[0]):  # type: ignore[operator]
        problems.append(Problem(where, layout.line("period"),
                                "period needs start and end dates, end on or after start"))
        return None
    return period  # type: ignore[return-value]


def _is_date(value: Any) -> bool:
    """A calendar date (TOML's local date; a date and time is not one)."""
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _options(data: dict[str, Any], layout: TomlLayout, where: str, problems: list[Problem]
             ) -> list[Option]:
    options: list[Option] = []
    offset = 0  # [[option.change]] tables of the options before this one
    for index, table in enumerate(_array(data, "option", layout, where, problems)):
        source = _place(layout, where, ("option",), index)
        tables = table.get("change", [])
        option_changes = _changes(tables, layout, ("option", "change"), where, problems,
                                  offset=offset)
        offset += len(tables) if isinstance(tables, list) else 0
        for key in sorted(set(table) - OPTION_KEYS):
            problems.append(Problem(where, source.line, f"option: unknown key {key!r}", key))
        if not table.get("name"):
            problems.append(Problem(where, source.line, "option needs a name", "name"))
            continue
        options.append(Option(str(table["name"]), str(table.get("label", table["name"])),
                              option_changes, str(table.get("description", "")),
                              location=source))
    return options


def _budgets(data: dict[str, Any], layout: TomlLayout, where: str, problems: list[Problem]
             ) -> list[ScenarioBudget]:
    budgets = []
    for index, table in enumerate(_array(data, "budget", layout, where, problems)):
        budget = _budget(table, _place(layout, where, ("budget",), index), problems)
        if budget is not None:
            budgets.append(budget)
    return budgets


def _not_costable(data: dict[str, Any], where: str, problems: list[Problem]) -> list[str]:
    not_costable = data.get("not_costable", [])
    if not isinstance(not_costable, list) or not all(isinstance(r, str) for r in not_costable):
        problems.append(Problem(where, None, "not_costable must be a list of post references",
                                "not_costable"))
        return []
    return not_costable


def load_scenario(name_or_path: str | Path) -> Scenario:
    """A bundled scenario by name, or a scenario file; every problem reported together."""
    path = _find(name_or_path)
    where = str(path)
    try:
        text = read_bytes(path).decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise LoadError([Problem(where, None, "is not UTF-8 text")]) from None
    # deep nesting, huge integers: located, never a traceback
    data = load_toml(text, where, allow_empty=True)
    layout = scan(text)  # where each table starts; the values come from tomllib, once
    problems: list[Problem] = []
    for key in sorted(set(data) - SCENARIO_KEYS):
        problems.append(Problem(where, layout.line(key), f"unknown key {key!r}", key))
    structure, _ = structure_from_data(
        {k: data[k] for k in ("name", "description", "post", "payment") if k in data},
        layout, where, problems)
    bases = _bases(data.get("bases") or {}, layout, where, problems)
    declared = list(data["bases"]) if isinstance(data.get("bases"), dict) else []
    primary = str(data.get("primary_basis", next(iter(declared), "")))
    if not declared:
        problems.append(Problem(where, None, "a scenario needs at least one pay basis, written "
                                "[bases.NAME]", "bases"))
    elif primary not in declared:  # a declared basis with problems has had its message
        problems.append(Problem(where, layout.line("primary_basis"),
                                f"primary_basis {primary!r} is not one of the bases "
                                f"({', '.join(declared)})", "primary_basis"))
    period = _period(data, layout, where, problems)
    changes = _changes(data.get("change", []), layout, ("change",), where, problems)
    options = _options(data, layout, where, problems)
    if not problems:  # then every table parsed, so change numbers are the file's
        _check_fit(structure, changes, "change", where, problems)
        for option in options:
            _check_fit(structure, option.changes, f"option {option.name!r}", where, problems)
    budgets = _budgets(data, layout, where, problems)
    not_costable = _not_costable(data, where, problems)
    published = []
    for index, table in enumerate(_array(data, "published", layout, where, problems)):
        source = _place(layout, where, ("published",), index)
        line = source.line
        figure = _published(table, dict.fromkeys(declared), structure, source, problems,
                            {c.id for c in changes if c.id}, _budget_names(data),
                            {o.name for o in options}, _established(changes, options))
        if figure is not None and _needs_budget_cost(figure, budgets):
            problems.append(Problem(where, line, f"published figure: {figure.metric} needs a "
                                    f"cost to compare, but budget {figure.line!r} has none "
                                    f"(give it cost = a figure or \"computed\")", "metric"))
        elif figure is not None:
            published.append(figure)
    if problems:
        raise LoadError(problems)
    notes = data.get("notes", [])
    try:  # the top-level texts: each validated by the record, located here
        return Scenario(data.get("name", path.stem), data.get("title", ""),
                        data.get("report", ""), structure, bases, primary, period,
                        tuple(published), data.get("summary", ""),
                        tuple(notes if isinstance(notes, list) else [notes]), where,
                        tuple(changes), tuple(options), tuple(budgets), tuple(not_costable),
                        data.get("not_costable_reason", ""))
    except ValidationError as err:
        raise LoadError([Problem(where, layout.line(err.field), f"{err.field!r} must be "
                                 f"{err.expected} (got {err.found!r})", err.field)]) from None


def _changes(tables: Any, layout: TomlLayout, header: tuple[str, ...], where: str,
             problems: list[Problem], offset: int = 0) -> tuple[ScenarioChange, ...]:
    """The ``[[change]]`` (or ``[[option.change]]``: ``offset`` counts those of the options
    before) tables, each change carrying its place as ``source``, each problem located."""
    out = []
    if not isinstance(tables, list):
        problems.append(Problem(where, layout.line(*header), f"{'.'.join(header)} must be an "
                                "array of tables"))
        return ()
    for index, table in enumerate(tables):
        source = _place(layout, where, header, offset + index)
        try:  # every field is validated by the records: nothing else is bad input
            out.append(ScenarioChange(change_from_mapping(table, source), table.get("id", ""),
                                      table.get("note", ""), source=source))
        except ValidationError as err:
            problems.append(Problem(where, source.line, f"change {index + 1}: {err.field!r} "
                                    f"must be {err.expected} (got {err.found!r})", err.field))
    return tuple(out)


def _array(data: dict[str, Any], key: str, layout: TomlLayout, where: str,
           problems: list[Problem]) -> list[dict[str, Any]]:
    """The ``[[key]]`` tables; a single ``[key]`` table or a value instead is one located
    problem (the usual slip is one pair of brackets too few), not a Python error."""
    value = data.get(key, [])
    if isinstance(value, list) and all(isinstance(t, dict) for t in value):
        return value
    problems.append(Problem(where, layout.line(key),
                            f"{key} must be an array of tables, written [[{key}]] (got "
                            f"{type(value).__name__})", key))
    return []


def _bases(tables: Any, layout: TomlLayout, where: str, problems: list[Problem]
           ) -> dict[str, PayBasis]:
    """The ``[bases.NAME]`` tables, each checked as a structure file's ``[basis]`` is."""
    if not isinstance(tables, dict):
        problems.append(Problem(where, layout.line("bases"), "bases must be "
                                "tables, written [bases.NAME]", "bases"))
        return {}
    bases = {}
    for key, table in tables.items():
        line = layout.line("bases", key)
        if not isinstance(table, dict):
            problems.append(Problem(where, line, f"basis {key!r} must be a table of "
                                    f"{', '.join(sorted(BASIS_KEYS))}", key))
            continue
        unknown = sorted(set(table) - BASIS_KEYS)
        if unknown:
            problems.append(Problem(where, line, f"basis {key!r}: unknown key(s) "
                                    f"{', '.join(map(repr, unknown))}; expected some of "
                                    f"{', '.join(sorted(BASIS_KEYS))}", unknown[0]))
            continue
        missing = [name for name in ("employer", "pay_year") if name not in table]
        if missing:  # a published decision names its basis in full: nothing is assumed
            problems.append(Problem(where, line, f"basis {key!r}: give {' and '.join(missing)}"
                                    f" (a scenario's basis assumes neither)", missing[0]))
            continue
        try:  # PayBasis validates every field's type and value itself
            bases[key] = PayBasis(**table)
        except ValidationError as err:
            problems.append(Problem(where, line, f"basis {key!r}: {err}", err.field))
    return bases


def _needs_budget_cost(figure: PublishedFigure, budgets: list[ScenarioBudget]) -> bool:
    """A cost, shortfall or surplus figure about a budget listed with no cost has nothing to
    be computed from; caught here, it would show as a blank "INPUT MISMATCH" and exit 1."""
    if figure.metric in ("budget_amount", "budget_temporary") or figure.expect == \
            "not-derivable" or figure.metric not in BUDGET_METRICS:
        return False
    return any(b.budget.name == figure.line and b.cost is None for b in budgets)


def _budget_names(data: dict[str, Any]) -> set[str]:
    """Every budget name the file declares, even of a budget with a problem of its own: a
    figure naming it is not wrong, and one bad budget should give one message, not one more
    per figure about it."""
    tables = data.get("budget", [])
    tables = [tables] if isinstance(tables, dict) else tables
    return {str(t["name"]) for t in tables if isinstance(t, dict) and t.get("name")} \
        if isinstance(tables, list) else set()


def _established(changes: tuple[ScenarioChange, ...], options: list[Option]) -> set[str]:
    """References of the posts and payments the decision or an option adds: a published
    figure about a line may name one of them as well as a line of the base."""
    added = (getattr(c.change, "post", None) or getattr(c.change, "payment", None)
             for c in [*changes, *(c for o in options for c in o.changes)])
    return {record.reference for record in added if record is not None and record.reference}


def _check_fit(structure: Structure, changes: tuple[ScenarioChange, ...], what: str,
               where: str, problems: list[Problem]) -> None:
    """Apply a change list to the base now, so a change that does not fit (a reference that is
    not there, more fte than a row holds) is reported at its own ``[[change]]`` line with the
    file's other problems, not later as an unlocated error from ``run``."""
    try:
        apply_changes(structure, [c.change for c in changes])
    except ChangeError as err:
        for number, message in err.numbered:
            line = changes[number - 1].source.line if 1 <= number <= len(changes) else None
            problems.append(Problem(where, line, f"{what} {number}: {message}"))


def _budget(table: Any, source: Location, problems: list[Problem]) -> ScenarioBudget | None:
    where, line = source.file, source.line
    before = len(problems)
    for key in sorted(set(table) - BUDGET_KEYS):
        problems.append(Problem(where, line, f"budget: unknown key {key!r}", key))
    cost = table.get("cost")
    if cost is not None and cost != "computed" and not isinstance(cost, (int, Decimal)):
        problems.append(Problem(where, line, "budget cost must be \"computed\" or a figure "
                                f"(got {cost!r})", "cost"))
    try:
        budget = Budget(str(table.get("name", "")), table.get("amount"),
                        table.get("temporary", 0), table.get("team"),
                        str(table.get("source", "")))
        vacancy = table.get("vacancy_factor")
        vacancy = parse_rate(vacancy, "vacancy_factor")
    except ValidationError as err:
        problems.append(Problem(where, line, f"budget: {err.field!r} must be {err.expected} "
                                f"(got {err.found!r})", err.field))
        return None
    if not budget.name:
        problems.append(Problem(where, line, "budget needs a name", "name"))
    if len(problems) > before:
        return None
    return ScenarioBudget(budget, None if cost is None else (
        cost if cost == "computed" else Decimal(cost)), str(table.get("cost_source", "")),
        vacancy, str(table.get("note", "")), location=source)


def _line_problem(metric: str, expect: str, ref: Any, structure: Structure,
                  change_ids: set[str], budgets: set[str], established: set[str]) -> str:
    """What a published figure's ``line`` should name and does not ('' when it does)."""
    if metric in ("unit_cost", "line_full_year", "line_period") and expect != "not-derivable":
        refs = {p.reference for p in structure.posts} | {p.reference for p in structure.payments}
        if ref not in refs | established:
            return "the reference of a post or payment"
    if metric in ("change_full_year", "change_period") and ref not in change_ids:
        return "the id of a change"
    if metric in BUDGET_METRICS and ref not in budgets:
        return "the name of a budget"
    return ""


def _expect(table: dict[str, Any], where: str, line: int | None,
            problems: list[Problem]) -> Any:
    expect = table.get("expect", "match")
    if expect not in EXPECTATIONS:
        problems.append(Problem(where, line, f"published figure: expect must be one of "
                                f"{', '.join(EXPECTATIONS)} (got {expect!r})", "expect"))
    if expect in ("known-difference", "not-derivable") and not table.get("note"):
        problems.append(Problem(where, line, f"a {expect} figure needs a note explaining it",
                                "note"))
    return expect


def _published(table: dict[str, Any], bases: dict[str, Any], structure: Structure,
               source: Location, problems: list[Problem],
               change_ids: set[str] = frozenset(), budgets: set[str] = frozenset(),
               options: set[str] = frozenset(), established: set[str] = frozenset()
               ) -> PublishedFigure | None:
    where, line = source.file, source.line
    before = len(problems)
    for key in sorted(set(table) - PUBLISHED_KEYS):
        problems.append(Problem(where, line, f"published figure: unknown key {key!r}", key))
    metric = table.get("metric")
    if metric not in METRICS:
        problems.append(Problem(where, line, f"published figure: metric must be one of "
                                f"{', '.join(METRICS)} (got {metric!r})", "metric"))
    for key in ("basis", "line", "label", "of", "note", "source"):
        if key in table and not isinstance(table[key], str):
            problems.append(Problem(where, line, f"published figure: {key} must be text "
                                    f"(got {table[key]!r})", key))
    if len(problems) > before:
        return None
    basis = table.get("basis")
    if basis not in bases:
        problems.append(Problem(where, line, f"published figure: basis {basis!r} is not one of "
                                f"{', '.join(bases)}", "basis"))
    expect = _expect(table, where, line, problems)
    of = str(table.get("of", "decided"))
    if of not in ("base", "decided") and of not in options:
        problems.append(Problem(where, line, f"published figure: of must be 'base', 'decided' "
                                f"or an option name (got {of!r})", "of"))
    ref = table.get("line")
    why = _line_problem(metric, expect, ref, structure, change_ids, budgets, established)
    if why:
        problems.append(Problem(where, line, f"published figure: line {ref!r} is not {why}",
                                "line"))
    if "amount" not in table or not isinstance(table["amount"], (int, Decimal)):
        problems.append(Problem(where, line, "published figure needs a numeric amount",
                                "amount"))
    if len(problems) > before:
        return None
    return PublishedFigure(str(table.get("label", metric)), metric, Decimal(table["amount"]),
                           basis, ref, str(table.get("source", "")), expect,
                           str(table.get("note", "")), of, location=source)

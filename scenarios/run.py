"""Running a scenario: apply its changes, cost it on each basis, compare its budgets and
options, build its tables, reconcile its figures.

Posts the pay data cannot cost (a grade with no known pay range) are never dropped silently:
the scenario must name them in ``not_costable``; they stay in the structure, are left out of
cost totals (which say "costed posts"), and are listed in their own table with the reason the
pay data gives. A post named there that does cost is an error, as is an uncostable post that is
not named (the costing error is raised).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
from attrs import frozen

from establishment.engine.costing import Costing
from establishment.engine.costing import cost as cost_of
from establishment.errors import CostingError, EstablishmentError, Problem
from establishment.model.frame import FTE_SCALE, NONE
from establishment.model.post import Post
from establishment.model.structure import Structure
from establishment.model.style import PLAIN, Style, format_period
from establishment.model.vacancy import VacancyFactor
from establishment.operations.budget import BudgetComparison, compare_budget
from establishment.operations.changes import (
    Change,
    ChangeFunding,
    Establish,
    Target,
    apply_changes,
    cost_changes,
)
from establishment.tables import committee_table, structure_table
from establishment.tables.budget_table import budget_table
from establishment.tables.committee import pay_band
from establishment.tables.comparison_table import comparison_table
from establishment.tables.document import Document, Paragraph, render_document
from establishment.tables.table import Column, Table
from scenarios.reconcile import Reconciliation, reconcile
from scenarios.scenario import Scenario, ScenarioBudget, ScenarioChange, load_scenario


@frozen
class CostedChange:
    """A change of the decision with its cost effect (``full_year``/``period``, from
    :func:`~establishment.operations.changes.cost_changes`; the change holds no money), or,
    when it concerns a post the pay data cannot cost, ``costable=False`` and the reason."""

    change: Change
    id: str = ""
    note: str = ""
    costable: bool = True
    reason: str = ""
    full_year: Decimal | None = None
    period: Decimal | None = None


@frozen
class BudgetListing:
    """A budget the report states with no cost to compare it with (shown as an input)."""

    budget: Any
    note: str = ""
    cost: None = None


@attrs.define(frozen=True, eq=False)
class ScenarioResult:
    """A run scenario: costings per basis (of the decided structure, and of the base when the
    decision is a change list), costed changes, options, budgets and reconciliations."""

    scenario: Scenario
    costings: dict[str, Costing]
    reconciliations: tuple[Reconciliation, ...] = ()
    base_costings: dict[str, Costing] = attrs.field(factory=dict)
    changes_by_basis: dict[str, tuple[CostedChange, ...]] = attrs.field(factory=dict)
    option_costings: dict[tuple[str, str], Costing] = attrs.field(factory=dict)
    budgets: tuple[BudgetComparison | BudgetListing, ...] = ()
    uncosted: tuple[tuple[Post, str], ...] = ()
    decided: Structure | None = None

    @property
    def ok(self) -> bool:
        """False when a figure claimed to match does not (the CLI exits 1)."""
        return not any(r.failed for r in self.reconciliations)

    @property
    def primary(self) -> Costing:
        return self.costings[self.scenario.primary_basis]

    @property
    def changes(self) -> tuple[CostedChange, ...]:
        return self.changes_by_basis.get(self.scenario.primary_basis, ())

    def changes_on(self, basis: str) -> tuple[CostedChange, ...]:
        return self.changes_by_basis.get(basis, ())

    def costing_of(self, of: str, basis: str) -> Costing:
        if of == "decided":
            return self.costings[basis]
        if of == "base":
            return self.base_costings[basis]
        return self.option_costings[(of, basis)]

    def budget(self, name: str) -> BudgetComparison | BudgetListing:
        return next(b for b in self.budgets if b.budget.name == name)

    def tables(self) -> list[Table]:
        scenario = self.scenario
        title = scenario.title + (" (after the changes)" if scenario.changes else "")
        tables = [committee_table(self.primary, title)]
        tables.append(summary_table(self))
        if scenario.changes:
            tables.append(changes_table(self))
            tables.append(changes_by_funding_table(self))
            tables.append(self.comparison())
        elif len(self.primary.by_funding()) > 1:
            tables.append(structure_table(self.primary, "funding"))
        if self.uncosted:
            tables.append(uncosted_table(self))
        compared = [b for b in self.budgets if isinstance(b, BudgetComparison)]
        if compared:
            tables.append(budget_table(compared))
        listed = [b for b in self.budgets if isinstance(b, BudgetListing)]
        if listed:
            tables.append(budgets_listed_table(listed))
        if len(self.costings) > 1:
            tables.append(bases_table(self))
        if self.reconciliations:
            tables.append(reconciliation_table(self.reconciliations))
        return tables

    def comparison(self) -> Table:
        """The base, the decision and every option side by side (primary basis)."""
        primary = self.scenario.primary_basis
        options = [("Before (base)", self.base_costings[primary]),
                   ("Decided", self.costings[primary])]
        options += [(o.label, self.option_costings[(o.name, primary)])
                    for o in self.scenario.options]
        notes = ["Costed posts only: " + ", ".join(p.label for p, _ in self.uncosted)
                 + " not costable from pay data (see below)."] if self.uncosted else []
        return comparison_table(options, "Before and after, side by side", notes=notes)

    def document(self) -> Document:
        """The run as one document: source and summary, every table, the scenario's notes."""
        blocks: list[Any] = [Paragraph(f"Source: {self.scenario.report}")]
        if self.scenario.summary:
            blocks.append(Paragraph(self.scenario.summary))
        blocks += self.tables()
        blocks += [Paragraph(f"Note: {n}", small=True) for n in self.scenario.notes]
        return Document(self.scenario.title, tuple(blocks))

    def render(self, fmt: str = "plain", style: Style = PLAIN) -> str:
        return render_document(self.document(), fmt, style) + "\n"


def _uncostable_change(change: Change, refs: set[str]) -> bool:
    if isinstance(change, Establish):
        return change.post.reference in refs
    target = getattr(change, "target", None)
    return isinstance(target, Target) and target.reference in refs


def _costable(structure: Structure, refs: set[str]) -> Structure:
    return structure.evolve(posts=[p for p in structure.posts if p.reference not in refs])


def _why_not(post: Post, basis: Any) -> str:
    """The pay data's reason a post cannot be costed ('' when it can)."""
    try:
        cost_of(Structure("", [post]), basis)
    except CostingError as err:
        return err.problems[-1].message
    return ""


def _costed_changes(base: Structure, changes: tuple[ScenarioChange, ...], refs: set[str],
                    basis: Any, period: Any) -> tuple[CostedChange, ...]:
    costable = [c for c in changes if not _uncostable_change(c.change, refs)]
    effects = iter(cost_changes(_costable(base, refs), [c.change for c in costable], basis,
                                period))
    out = []
    for item in changes:
        if _uncostable_change(item.change, refs):
            out.append(CostedChange(item.change, item.id, item.note, False,
                                    "not costable from pay data"))
        else:
            effect = next(effects)
            out.append(CostedChange(effect.change, item.id, item.note,
                                    full_year=effect.full_year, period=effect.period))
    return tuple(out)


def run_scenario(name_or_scenario: str | Scenario) -> ScenarioResult:
    """Run a scenario (a bundled name, a file or a loaded :class:`Scenario`).

    A post the pay data cannot cost and the scenario does not declare in ``not_costable`` is
    an error naming the scenario file, so the reader knows which file to fix and how."""
    scenario = (name_or_scenario if isinstance(name_or_scenario, Scenario)
                else load_scenario(name_or_scenario))
    try:
        return _run(scenario)
    except CostingError as err:
        where = str(scenario.path or scenario.name)
        raise CostingError([Problem(where, None, f"{p.file}: {p.message}", p.field,
                                    expected=p.expected, found=p.found) for p in err.problems],
                           f"{where}: cannot cost on this basis (a post the pay data cannot "
                           f"cost must be named in the scenario's not_costable list)") from None


def _run(scenario: Scenario) -> ScenarioResult:
    base = scenario.structure
    decided = apply_changes(base, [c.change for c in scenario.changes])
    options = {o.name: apply_changes(base, [c.change for c in o.changes]) for o in scenario.options}
    refs = set(scenario.not_costable)
    every = {p.reference: p for s in (base, decided, *options.values()) for p in s.posts
             if p.reference}
    uncosted = []
    for ref in scenario.not_costable:
        if ref not in every:
            raise EstablishmentError(f"{scenario.path}: not_costable names {ref!r}, which is "
                                     f"not the reference of a post")
        reason = _why_not(every[ref], scenario.basis)
        if not reason:
            raise EstablishmentError(f"{scenario.path}: not_costable names {ref!r}, but the "
                                     f"pay data can cost it: remove it from not_costable")
        uncosted.append((every[ref], reason))
    costings = {name: cost_of(_costable(decided, refs), basis, period=scenario.period)
                for name, basis in scenario.bases.items()}
    base_costings, changes_by_basis, option_costings = {}, {}, {}
    if scenario.changes or scenario.options:
        for name, basis in scenario.bases.items():
            base_costings[name] = cost_of(_costable(base, refs), basis, period=scenario.period)
            changes_by_basis[name] = _costed_changes(base, scenario.changes, refs, basis,
                                                     scenario.period)
            for option, structure in options.items():
                option_costings[(option, name)] = cost_of(_costable(structure, refs),
                    basis, period=scenario.period)
    budgets = tuple(_budget(item, costings[scenario.primary_basis])
                    for item in scenario.budgets)
    result = ScenarioResult(scenario, costings, (), base_costings, changes_by_basis,
                            option_costings, budgets, tuple(uncosted), decided)
    return attrs.evolve(result, reconciliations=tuple(reconcile(scenario, result)))


def _budget(item: ScenarioBudget, costing: Costing) -> BudgetComparison | BudgetListing:
    if item.cost is None:
        return BudgetListing(item.budget, item.note)
    vacancy = (VacancyFactor(item.vacancy_factor, item.budget.team)
               if item.vacancy_factor is not None else None)
    if item.cost == "computed":
        return compare_budget(item.budget, costing, vacancy=vacancy,
                              cost_source=item.cost_source)
    return compare_budget(item.budget, item.cost, cost_source=item.cost_source
                          or "input: the report's figure, taken as given")


def summary_table(result: ScenarioResult) -> Table:
    """Full-year and period totals side by side, each clearly labelled."""
    costing = result.primary
    rows = [["Posts", costing.posts_full_year],
            ["Other payments", costing.payments_full_year],
            ["Total", costing.full_year]]
    columns = [Column(""), Column("Full-year cost", costing.money_kind)]
    if costing.period is not None:
        columns.append(Column(f"Cost {format_period(*costing.period)}", costing.money_kind))
        for row, value in zip(rows, (costing.posts_period, costing.payments_period,
                                     costing.period_total)):
            row.append(value)
    notes = ["Full-year cost: what the posts cost over a whole pay year. Period cost: "
             "what they cost over the dates they actually run, prorated by days within "
             "each pay year."]
    if result.uncosted:
        notes.append("Costed posts only; not costable from pay data: "
                     + ", ".join(p.label for p, _ in result.uncosted) + ".")
    return Table(columns, rows[:2], "Totals", rows[2], notes)


def _effect_columns(result: ScenarioResult) -> list[Column]:
    money = result.primary.money_kind  # the primary basis's unit: pounds or pence
    columns = [Column("Full-year effect", money)]
    if result.scenario.period is not None:
        start, end = result.scenario.period
        columns.append(Column(f"Effect {format_period(start, end)}", money))
    return columns


def _post_of(result: ScenarioResult, change: Change) -> Post | None:
    if isinstance(change, Establish):
        return change.post
    target = getattr(change, "target", None)
    if target is None:
        return None
    # the base's posts, then those the decision establishes: a change to a post established
    # earlier in the list is paid for by that post's funding, not "(unfunded)"
    established = [c.change.post for c in result.scenario.changes
                   if isinstance(c.change, Establish)]
    for post in [*result.scenario.structure.posts, *established]:
        if Target.of(post) == target or (target.reference and post.reference
                                         == target.reference):
            return post
    return None


def _funding_text(post: Post | None) -> str:
    if post is None or not post.funding:
        return "(unfunded)"
    return ", ".join(str(s) for s in post.funding)


def changes_table(result: ScenarioResult) -> Table:
    """The decision's changes in order, each with who pays and its cost effect."""
    period = result.scenario.period is not None
    columns = [Column("Change"), Column("Post"), Column("What changes"), Column("Funding"),
               *_effect_columns(result), Column("Note")]
    rows = []
    for item in result.changes:
        change = item.change
        row = [change.kind, change.label, change.describe(),
               _funding_text(_post_of(result, change)), item.full_year]
        if period:
            row.append(item.period)
        row.append(item.reason if not item.costable else item.note)
        rows.append(row)
    costed = [c for c in result.changes if c.costable]
    total = ["Net change (costed)", "", "", "", sum((c.full_year for c in costed), Decimal(0))]
    if period:
        total.append(sum((c.period for c in costed), Decimal(0)))
    total.append("")
    primary = result.scenario.primary_basis
    before, after = result.base_costings[primary], result.costings[primary]
    notes = [f"Full-year cost of the costed posts before {after.unit.format(before.full_year)}, "
             f"after {after.unit.format(after.full_year)}: the net change is the difference.",
             "Each effect is the cost after the change minus the cost before it, the changes "
             "applied in order.",
             f"Basis: {result.scenario.basis.describe()}"]
    return Table(columns, rows, "The decision as changes", total, notes)


def _sources_of(result: ScenarioResult, change: Change) -> list[str]:
    """Every source that pays for the post a change concerns, before or after it: a change
    of funding concerns both the source that stops paying and the one that starts."""
    post = _post_of(result, change)
    shares = list(post.funding) if post is not None else []
    if isinstance(change, ChangeFunding):
        shares += list(change.funding)
    return list(dict.fromkeys(s.source for s in shares)) or ["(unfunded)"]


def changes_by_funding_table(result: ScenarioResult) -> Table:
    """Who pays for what: per source, the decided structure's full-year cost minus the base's
    (each line split across its shares in whole pounds, largest remainder), with the changes that
    concern the source; changes that cannot be costed listed apart.

    The effect is taken from the two costings, not by splitting each change's effect over the
    post's starting funding, so a change of funding moves cost from one source to another
    (it has no net effect, but the sources see it) and the sources add up to the net change.
    """
    primary = result.scenario.primary_basis
    before = result.base_costings[primary].by_funding()["full_year"]
    after = result.costings[primary].by_funding()["full_year"]
    rows: dict[str, list[Any]] = {}
    for item in result.changes:
        for name in _sources_of(result, item.change):
            row = rows.setdefault(name, [name, [], None, []])
            row[3 if not item.costable else 1].append(item.change.label)
    for name in dict.fromkeys([*rows, *before.index, *after.index]):
        effect = after.get(name, Decimal(0)) - before.get(name, Decimal(0))
        if name in rows and (name in before.index or name in after.index):
            rows[name][2] = effect
        elif effect:  # a source no change names whose cost still moved: never dropped
            rows[name] = [name, [], effect, []]
    table_rows = [[name, ", ".join(dict.fromkeys(what)) or "-", effect,
                   ", ".join(dict.fromkeys(uncosted)) or ""]
                  for name, what, effect, uncosted in rows.values()]
    net = sum((c.full_year for c in result.changes if c.costable), Decimal(0))
    return Table([Column("Funding source"), Column("Pays for (costed changes)"),
                  Column("Full-year effect", result.primary.money_kind),
                  Column("Also pays for (not costable)")],
                 table_rows, "Who pays for the changes, by funding source",
                 ["Net change (costed)", "", net, ""])


def uncosted_table(result: ScenarioResult) -> Table:
    rows = [[p.title, p.fte, pay_band(p.grade, p.scp), p.team, _funding_text(p), reason]
            for p, reason in result.uncosted]
    notes = [result.scenario.not_costable_reason] if result.scenario.not_costable_reason else []
    return Table([Column("Post details"), Column("fte", "fte"), Column("Pay band"),
                  Column("Team"), Column("Funding"), Column("Why it is not costed")], rows,
                 "Posts not costable from pay data (left out of every cost total)", None, notes)


def budgets_listed_table(listed: list[BudgetListing]) -> Table:
    rows = [[b.budget.name, b.budget.amount, b.budget.temporary, b.budget.team or "",
             b.budget.source, b.note] for b in listed]
    return Table([Column("Budget"), Column("Amount", "money"), Column("Temporary", "money"),
                  Column("Team"), Column("Funding source"), Column("Note")], rows,
                 "Budgets stated in the report (inputs; no cost given to compare)")


def bases_table(result: ScenarioResult) -> Table:
    """Each post line on every basis: cost per fte and full-year cost, and the full-year
    difference from the primary basis. Per-fte columns have no total (they are not sums)."""
    names = list(result.costings)
    primary = result.scenario.primary_basis
    order = [primary, *[n for n in names if n != primary]]
    columns = [Column("Post details"), Column("fte", "fte"), Column("Pay band")]
    for name in order:
        label = result.scenario.bases[name].label or name
        money = result.costings[name].money_kind
        columns.append(Column(f"Per fte: {label}", money))
        columns.append(Column(f"Full year: {label}", money))
    for name in order[1:]:
        columns.append(Column(f"Difference ({name})", result.costings[name].money_kind))
    rows = []
    base = result.costings[primary]
    fte = Decimal(0)
    for index, line in enumerate(base.lines.itertuples(index=False)):
        if line.kind != "post":
            continue
        unit = base.unit_cost(index)
        line_fte = Decimal(int(line.fte_e4)) / FTE_SCALE
        fte += line_fte
        row = [line.title, line_fte, pay_band(unit.grade, unit.scp if unit.scp != NONE else None)]
        years = []
        for name in order:
            costing = result.costings[name]
            years.append(Decimal(int(costing.lines["full_year"].iloc[index])))
            row.extend([costing.unit_cost(index).cost, years[-1]])
        row.extend(v - years[0] for v in years[1:])
        rows.append(row)
    posts = [result.costings[n].posts_full_year for n in order]
    total = ["Posts, full year", fte, ""]
    for value in posts:
        total.extend([None, value])
    total.extend(v - posts[0] for v in posts[1:])
    notes = [f"{result.scenario.bases[n].label or n}: {result.scenario.bases[n].describe()}"
             for n in order]
    return Table(columns, rows, "The same posts on each pay basis", total, notes)


def reconciliation_table(reconciliations: tuple[Reconciliation, ...]) -> Table:
    columns = [Column("Published figure"), Column("Source"), Column("Basis"),
               Column("Published", "money"), Column("Library", "money"),
               Column("Difference", "money"), Column("Status")]
    rows = [[r.figure.label, r.figure.source, r.figure.basis, r.figure.amount, r.ours,
             r.difference, r.status] for r in reconciliations]
    notes = [f"{r.figure.label}: {r.figure.note}" for r in reconciliations if r.figure.note]
    claimed = [r for r in reconciliations if r.figure.expect in ("match", "known-difference")]
    failed = sum(r.failed for r in reconciliations)
    inputs = sum(r.figure.expect == "input" for r in reconciliations)
    other = sum(r.figure.expect == "not-derivable" for r in reconciliations)
    known = sum(r.status == "known difference" for r in claimed)
    summary = (f"{len(claimed) - sum(r.failed for r in claimed)} of {len(claimed)} derived "
               f"figures reconcile as claimed" + (f" ({known} as a known difference)"
                                                  if known else "")
               if claimed else "No figure the report publishes is derivable from its text")
    if inputs:
        summary += f"; {inputs} published figure(s) are inputs, not derived"
    if other:
        summary += f"; {other} cannot be derived from the text"
    notes.append(summary + (f"; {failed} DO NOT MATCH" if failed else "."))
    return Table(columns, rows, "Reconciliation with the published figures", None, notes)

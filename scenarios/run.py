"""Running a scenario: cost it on each basis, build its tables, reconcile its figures."""

from __future__ import annotations

from attrs import frozen

from establishment.frame import NONE
from establishment.structure import Costing
from establishment.tables import committee_table, render
from establishment.tables.committee import pay_band
from establishment.tables.table import Column, Table
from scenarios.reconcile import Reconciliation, reconcile
from scenarios.scenario import Scenario, load_scenario


@frozen
class ScenarioResult:
    """A run scenario: costings per basis, reconciliations, and the tables to show."""

    scenario: Scenario
    costings: dict[str, Costing]
    reconciliations: tuple[Reconciliation, ...]

    @property
    def ok(self) -> bool:
        """False when a figure claimed to match does not (the CLI exits 1)."""
        return not any(r.failed for r in self.reconciliations)

    @property
    def primary(self) -> Costing:
        return self.costings[self.scenario.primary_basis]

    def tables(self) -> list[Table]:
        tables = [committee_table(self.primary, self.scenario.title)]
        tables.append(summary_table(self))
        if len(self.costings) > 1:
            tables.append(bases_table(self))
        if self.reconciliations:
            tables.append(reconciliation_table(self.reconciliations))
        return tables

    def render(self, fmt: str = "plain") -> str:
        head = [self.scenario.title, f"Source: {self.scenario.report}"]
        if self.scenario.summary:
            head.append(self.scenario.summary)
        body = "\n\n".join(render(t, fmt) for t in self.tables())
        notes = "\n".join(f"Note: {n}" for n in self.scenario.notes)
        return "\n".join(head) + "\n\n" + body + ("\n\n" + notes if notes else "") + "\n"


def run_scenario(name_or_scenario: str | Scenario) -> ScenarioResult:
    scenario = (name_or_scenario if isinstance(name_or_scenario, Scenario)
                else load_scenario(name_or_scenario))
    costings = {name: scenario.structure.cost(basis, period=scenario.period)
                for name, basis in scenario.bases.items()}
    return ScenarioResult(scenario, costings, tuple(reconcile(scenario, costings)))


def summary_table(result: ScenarioResult) -> Table:
    """Full-year and period totals side by side, each clearly labelled."""
    costing = result.primary
    rows = [["Posts", costing.posts_full_year],
            ["Other payments", costing.payments_full_year],
            ["Total", costing.full_year]]
    columns = [Column(""), Column("Full-year cost", "money")]
    if costing.period is not None:
        columns.append(Column(f"Cost {costing.period[0].isoformat()} to "
                              f"{costing.period[1].isoformat()}", "money"))
        for row, value in zip(rows, (costing.posts_period, costing.payments_period,
                                     costing.period_total)):
            row.append(value)
    return Table(columns, rows[:2], "Totals", rows[2],
                 ["Full-year cost: what the posts cost over a whole pay year. Period cost: "
                  "what they cost over the dates they actually run, prorated by days within "
                  "each pay year."])


def bases_table(result: ScenarioResult) -> Table:
    """Cost per fte and full-year cost of each line on every basis, with the difference."""
    names = list(result.costings)
    primary = result.scenario.primary_basis
    others = [n for n in names if n != primary]
    columns = [Column("Post details"), Column("Pay band")]
    for name in [primary, *others]:
        columns.append(Column(f"Per fte: {result.scenario.bases[name].label or name}", "money"))
    for name in others:
        columns.append(Column(f"Difference ({name})", "money"))
    rows = []
    base = result.costings[primary]
    for index, line in enumerate(base.lines.itertuples(index=False)):
        if line.kind != "post":
            continue
        unit = base.unit_cost(index)
        row = [line.title, pay_band(unit.grade, unit.scp if unit.scp != NONE else None)]
        values = [result.costings[n].unit_cost(index).cost for n in [primary, *others]]
        row.extend(values)
        row.extend(v - values[0] for v in values[1:])
        rows.append(row)
    total = ["Full-year total", ""] + [result.costings[n].full_year for n in [primary, *others]]
    total += [result.costings[n].full_year - base.full_year for n in others]
    notes = [f"{result.scenario.bases[n].label or n}: {result.scenario.bases[n].describe()}"
             for n in [primary, *others]]
    return Table(columns, rows, "The same posts on each pay basis", total, notes)


def reconciliation_table(reconciliations: tuple[Reconciliation, ...]) -> Table:
    columns = [Column("Published figure"), Column("Source"), Column("Basis"),
               Column("Published", "money"), Column("Library", "money"),
               Column("Difference", "money"), Column("Status")]
    rows = [[r.figure.label, r.figure.source, r.figure.basis, r.figure.amount, r.ours,
             r.difference, r.status] for r in reconciliations]
    notes = [f"{r.figure.label}: {r.figure.note}" for r in reconciliations if r.figure.note]
    failed = sum(r.failed for r in reconciliations)
    notes.append(f"{len(reconciliations) - failed} of {len(reconciliations)} published figures "
                 f"reconcile as claimed" + (f"; {failed} DO NOT" if failed else "."))
    return Table(columns, rows, "Reconciliation with the published figures", None, notes)



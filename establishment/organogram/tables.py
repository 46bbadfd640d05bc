"""Tables of a costed return: by unit, by grade, each senior post's reporting tree beside the
published "Salary Cost of Reports", and a diff of two returns by unit.

Figures are full-year costs (whole pounds, the one rounding rule) on the return's pay basis:
salary at the pay range's floor, midpoint or ceiling, plus employer NI and the civil service
pension contribution. The published "Salary Cost of Reports" is salary only (the actual pay of
the post's junior direct reports), so the roll-up compares it with the same reports' salary at
the range point, without on-costs; the tree columns (every post below, senior and junior, with
on-costs) are shown beside it, not compared.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd

import pay_scales
from establishment.costing import Costing
from establishment.frame import FTE_SCALE
from establishment.organogram.returns import OrganogramReturn
from establishment.tables.table import Column, Table

SALARY_RULE = "salary-only"


def salary_costing(costing: Costing) -> Costing:
    """The same structure costed on salary only (the employer's ``salary-only`` rule)."""
    return costing.structure.cost(costing.basis.evolve(rule=SALARY_RULE))


def basis_note(costing: Costing) -> str:
    basis = costing.basis
    rule = basis.load_employer().rule(basis.rule)
    return (f"Full-year cost, pay year {pay_scales.pay_year_label(basis.pay_year)}: salary at "
            f"each pay range's {basis.range_point}, plus on-costs by rule '{rule.name}' "
            f"({rule.description}).")


def _nd_mask(costing: Costing) -> pd.Series:
    lines = costing.lines
    return (lines["kind"] == "post") & (lines["cost_per_fte_pence"] == 0)


def grouped_table(costing: Costing, by: str = "team", title: str = "") -> Table:
    """fte, salary and full-year cost (with on-costs) by ``team`` (unit) or ``grade``, with the
    number of senior posts costed at £0 because their pay is not disclosed."""
    salaries = salary_costing(costing)
    lines = costing.lines.assign(salary=salaries.lines["full_year"].to_numpy(),
                                 nd=_nd_mask(costing).astype(int),
                                 fte=costing.lines["fte_e4"])
    groups = lines.groupby(by, sort=False)[["fte", "salary", "full_year", "nd"]].sum()
    label = {"team": "Unit", "grade": "Grade"}.get(by, by.capitalize())
    columns = [Column(label), Column("fte", "fte"), Column("Salary", "money"),
               Column("Cost per annum", "money"), Column("Pay N/D (posts)", "number")]
    rows = [[name or "(none)", Decimal(int(r.fte)) / FTE_SCALE, Decimal(int(r.salary)),
             Decimal(int(r.full_year)), int(r.nd)] for name, r in groups.iterrows()]
    total = ["Total", sum((r[1] for r in rows), Decimal(0)), sum((r[2] for r in rows),
                                                                   Decimal(0)),
             sum((r[3] for r in rows), Decimal(0)), sum(r[4] for r in rows)]
    notes = [basis_note(costing)]
    if total[4]:
        notes.append(f"{total[4]} senior post(s) with pay not disclosed (N/D) are counted in "
                     f"fte and costed at £0: the totals leave out their pay.")
    return Table(columns, rows, title or f"{costing.structure.name}: cost by {label.lower()}",
                 total, notes)


def _trees(organogram: OrganogramReturn, refs: list[str], reports_to: list[str | None]
           ) -> tuple[dict[str, list[int]], list[str]]:
    """Each senior reference's rows: itself and every post below it (cycle-safe)."""
    children: dict[str, list[int]] = {}
    for index, boss in enumerate(reports_to):
        if boss is not None:
            children.setdefault(boss, []).append(index)
    position = {ref: i for i, ref in enumerate(refs)}
    cycles: list[str] = []
    trees: dict[str, list[int]] = {}
    for senior in organogram.senior:
        seen = {senior.reference}
        rows, stack = [position[senior.reference]], [senior.reference]
        while stack:
            for child in children.get(stack.pop(), []):
                ref = refs[child]
                if ref in seen:
                    if ref == senior.reference:
                        cycles.append(ref)
                    continue
                seen.add(ref)
                rows.append(child)
                stack.append(ref)
        trees[senior.reference] = rows
    return trees, sorted(set(cycles))


def rollup_table(organogram: OrganogramReturn, costing: Costing) -> Table:
    """Each senior post's whole reporting tree (fte, full-year cost) and its junior direct
    reports' salary beside the published "Salary Cost of Reports", with the difference."""
    salaries = salary_costing(costing).lines["full_year"].to_numpy()
    lines = costing.lines
    posts = lines["kind"] == "post"
    refs = list(lines.loc[posts, "reference"])
    reports_to = [None if pd.isna(r) else r for r in lines.loc[posts, "reports_to"]]
    full = lines.loc[posts, "full_year"].to_numpy()
    fte = lines.loc[posts, "fte_e4"].to_numpy()
    trees, cycles = _trees(organogram, refs, reports_to)
    senior_refs = {s.reference for s in organogram.senior}
    columns = [Column("Ref"), Column("Senior post"), Column("Unit"), Column("Tree fte", "fte"),
               Column("Tree cost per annum", "money"), Column("Junior reports fte", "fte"),
               Column("Junior reports salary", "money"),
               Column("Published salary cost of reports", "money"),
               Column("Published - ours", "money")]
    rows: list[list[Any]] = []
    junior_children: dict[str, list[int]] = {}
    for index, boss in enumerate(reports_to):
        if boss is not None and refs[index] not in senior_refs:
            junior_children.setdefault(boss, []).append(index)
    for senior in organogram.senior:
        tree = trees[senior.reference]
        direct = junior_children.get(senior.reference, [])
        ours = Decimal(int(sum(int(salaries[i]) for i in direct)))
        published = senior.cost_of_reports
        rows.append([senior.reference, senior.title, senior.unit,
                     Decimal(int(sum(int(fte[i]) for i in tree))) / FTE_SCALE,
                     Decimal(int(sum(int(full[i]) for i in tree))),
                     Decimal(int(sum(int(fte[i]) for i in direct))) / FTE_SCALE, ours,
                     published if published is not None else "",
                     published - ours if published is not None else ""])
    point = costing.basis.range_point
    notes = [f"Tree: the post itself and every post below it, senior and junior, full-year "
             f"cost with on-costs ({basis_note(costing)})",
             f"Compared: the published 'Salary Cost of Reports' (salary only, the actual pay of "
             f"the post's junior direct reports) with the same junior rows' salary at their pay "
             f"range's {point}, without on-costs. Senior posts costed at £0 (pay N/D) count in "
             f"a tree's fte but add nothing to its cost."]
    if cycles:
        notes.append(f"Reporting lines loop back through {', '.join(cycles)}: each post is "
                     f"counted once per tree.")
    return Table(columns, rows, f"{costing.structure.name}: senior posts' reporting trees",
                 None, notes)


def organogram_tables(organogram: OrganogramReturn, costing: Costing) -> list[Table]:
    """By unit, by grade and the roll-up: the three tables of a costed return."""
    return [grouped_table(costing, "team"), grouped_table(costing, "grade"),
            rollup_table(organogram, costing)]


def diff_unit_table(found: Any, title: str = "") -> Table:
    """A diff of two returns by unit: the number of posts established and removed, regraded,
    with fte changed, moved in, other changes (reporting line, status); the unit's change in fte
    and in full-year cost (after minus before, so a move takes its cost with it). A change is
    counted under the post's unit after the change (before, for a removal)."""
    frame = found.frame
    after_team = found.after_lines["team"].to_numpy()
    before_team = found.before_lines["team"].to_numpy()
    units = [after_team[a] if a >= 0 else before_team[b]
             for b, a in zip(frame["before"].to_numpy(), frame["after"].to_numpy())]
    kinds = {"establish": 0, "disestablish": 1, "regrade": 2, "change fte": 3, "move": 4}
    table: dict[str, list[Any]] = {}
    for unit, kind in zip(units, frame["kind"]):
        row = table.setdefault(unit or "(none)", [0, 0, 0, 0, 0, 0, Decimal(0)])
        row[kinds.get(kind, 5)] += 1
    fte_by_unit: dict[str, int] = {}
    cost_by_unit: dict[str, int] = {}
    for sign, lines in ((-1, found.before_lines), (1, found.after_lines)):
        posts = lines[lines["kind"] == "post"]
        sums = posts.groupby("team", sort=False)[["fte_e4", "full_year"]].sum()
        for unit, values in sums.iterrows():
            name = unit or "(none)"
            fte_by_unit[name] = fte_by_unit.get(name, 0) + sign * int(values["fte_e4"])
            cost_by_unit[name] = cost_by_unit.get(name, 0) + sign * int(values["full_year"])
    for unit in fte_by_unit:
        if (fte_by_unit[unit] or cost_by_unit[unit]) and unit not in table:
            table[unit] = [0, 0, 0, 0, 0, 0, Decimal(0)]
    columns = [Column("Unit"), Column("Established", "number"), Column("Removed", "number"),
               Column("Regraded", "number"), Column("fte changed", "number"),
               Column("Moved in", "number"), Column("Other", "number"),
               Column("fte change", "fte"), Column("Full-year cost change", "money")]
    rows = [[unit, *counts[:6], Decimal(fte_by_unit.get(unit, 0)) / FTE_SCALE,
             Decimal(cost_by_unit.get(unit, 0))] for unit, counts in table.items()]
    total = ["Total", *(sum(r[i] for r in rows) for i in range(1, 7)),
             sum((r[7] for r in rows), Decimal(0)), sum((r[8] for r in rows), Decimal(0))]
    notes = [f"Net full-year effect {found.net_full_year:,} = cost after "
             f"{found.after_full_year:,} - cost before {found.before_full_year:,} (whole "
             f"pounds), both on pay year {pay_scales.pay_year_label(found.basis.pay_year)}.",
             "Senior posts match by reference; junior rows by reporting post, unit, grade and "
             "title (a junior row whose unit, reporting post, grade or title changed shows as "
             "removed and established). Rows that share all four are told apart by "
             "professional group, then by order ('#2'): matching those by order is a guess "
             "the returns cannot confirm."]
    return Table(columns, rows, title or "Changes by unit", total, notes)

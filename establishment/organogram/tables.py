"""Tables of a costed return: every row accounted for, cost by unit and by grade (with the
unpriced posts counted apart), each senior post's reporting tree beside the published "Salary
Cost of Reports", and a diff of two returns by unit.

Figures are full-year costs (whole pounds, the one rounding rule) on the return's pay basis:
salary at the pay range's floor, midpoint or ceiling, plus employer NI, the civil service
pension contribution and (from 2017/18) the apprenticeship levy. The published "Salary Cost of
Reports" is salary only, so the roll-up compares it with the salary of the post's direct
reports at the range point, without on-costs: by default its junior rows plus the senior posts
beneath it (the guidance counts both), with the junior-only sum beside it and which of the two
the figure is nearer. The tree columns (every post below, senior and junior, with on-costs) are
shown beside it, not compared.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

import pay_scales
from establishment.engine.costing import Costing, cost
from establishment.engine.unpriced import unpriced_diff_note, unpriced_note
from establishment.model.frame import FTE_SCALE
from establishment.model.post import UNPRICED
from establishment.organogram.returns import ImportReport, OrganogramReturn, fte_text
from establishment.tables.table import Column, Table

SALARY_RULE = "salary-only"


def salary_costing(costing: Costing) -> Costing:
    """The same structure costed on salary only (the employer's ``salary-only`` rule)."""
    return cost(costing.structure, costing.basis.evolve(rule=SALARY_RULE))


def basis_note(costing: Costing) -> str:
    basis = costing.basis
    rule = basis.load_employer().rule(basis.rule)
    return (f"Full-year cost, pay year {pay_scales.pay_year_label(basis.pay_year)}: salary at "
            f"each pay range's {basis.range_point}, plus on-costs by rule '{rule.name}' "
            f"({rule.description}).")


def _state_masks(costing: Costing) -> dict[str, np.ndarray]:
    lines = costing.lines
    posts = (lines["kind"] == "post").to_numpy()
    states = (lines["unpriced"].to_numpy(dtype=object) if "unpriced" in lines
              else np.full(len(lines), "", dtype=object))
    return {state: posts & (states == state) for state in UNPRICED}


def grouped_table(costing: Costing, by: str = "team", title: str = "") -> Table:
    """fte, salary and full-year cost (with on-costs) by ``team`` (unit) or ``grade``, with the
    posts and fte not priced because their pay is not disclosed or there is none."""
    salaries = salary_costing(costing)
    masks = _state_masks(costing)
    fte = costing.lines["fte_e4"].to_numpy()
    lines = costing.lines.assign(
        salary=salaries.lines["full_year"].to_numpy(), fte=fte,
        nd=masks["not disclosed"].astype(int), nd_fte=np.where(masks["not disclosed"], fte, 0),
        none=masks["none"].astype(int), none_fte=np.where(masks["none"], fte, 0))
    value_columns = ["fte", "salary", "full_year", "nd", "nd_fte", "none", "none_fte"]
    groups = lines.groupby(by, sort=False)[value_columns].sum()
    label = {"team": "Unit", "grade": "Grade"}.get(by, by.capitalize())
    columns = [Column(label), Column("fte", "fte"), Column("Salary", "money"),
               Column("Cost per annum", "money"), Column("Pay N/D (posts)", "number"),
               Column("Pay N/D (fte)", "fte"), Column("No pay (posts)", "number"),
               Column("No pay (fte)", "fte")]
    rows = [[name or "(none)", Decimal(int(r.fte)) / FTE_SCALE, Decimal(int(r.salary)),
             Decimal(int(r.full_year)), int(r.nd), Decimal(int(r.nd_fte)) / FTE_SCALE,
             int(r.none), Decimal(int(r.none_fte)) / FTE_SCALE]
            for name, r in groups.iterrows()]
    total = ["Total", *(sum((r[i] for r in rows), Decimal(0)) for i in range(1, 4)),
             sum(r[4] for r in rows), sum((r[5] for r in rows), Decimal(0)),
             sum(r[6] for r in rows), sum((r[7] for r in rows), Decimal(0))]
    notes = [basis_note(costing)]
    unpriced = unpriced_note(costing.lines)
    notes.append(unpriced or "Every post is priced: none has its pay not disclosed or none.")
    return Table(columns, rows, title or f"{costing.structure.name}: cost by {label.lower()}",
                 total, notes)


def accounting_table(report: ImportReport, title: str = "Every row accounted for") -> Table:
    """What became of every row of the two files (rows and fte, "fte unknown" where it
    cannot be read), one line per outcome, adding up to the files."""
    columns = [Column("Outcome"), Column("Senior rows", "number"), Column("Senior fte"),
               Column("Junior rows", "number"), Column("Junior fte")]
    rows, totals = [], [0, Decimal(0), 0, 0, Decimal(0), 0]
    for outcome, *values in report.tally():
        totals = [a + b for a, b in zip(totals, values)]
        rows.append([outcome, values[0], fte_text(values[1], values[2]), values[3],
                     fte_text(values[4], values[5])])
    total = ["The files", totals[0], fte_text(totals[1], totals[2]), totals[3],
             fte_text(totals[4], totals[5])]
    notes = ["Loaded, excluded and skipped rows add up to the files' rows and fte; a job "
             "share's rows are one post (its fte the sum of theirs).",
             f"{len(report.problems)} problem(s), {len(report.notes)} note(s)."]
    return Table(columns, rows, title, total, notes)


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


def _matches(published: Decimal | None, standard: Decimal, juniors: Decimal,
             seniors_beneath: int) -> str:
    """Which sum a published figure is nearer: juniors plus senior posts beneath (the
    guidance's figure) or juniors only."""
    if published is None:
        return ""
    if not seniors_beneath:
        return "both (no senior posts beneath)"
    near_standard, near_juniors = abs(published - standard), abs(published - juniors)
    exact = " (exactly)" if min(near_standard, near_juniors) == 0 else ""
    if near_standard < near_juniors:
        return "juniors + senior posts beneath" + exact
    if near_juniors < near_standard:
        return "juniors only" + exact
    return "neither nearer"


def rollup_table(organogram: OrganogramReturn, costing: Costing) -> Table:
    """Each senior post's whole reporting tree (fte, full-year cost) and the salary of its
    direct reports beside the published "Salary Cost of Reports": compared by default with
    the junior rows plus the senior posts beneath (the guidance counts both), with the
    junior-only sum beside it, and which of the two each published figure is nearer."""
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
               Column("Tree cost per annum", "money"), Column("Reports fte", "fte"),
               Column("Juniors + senior posts beneath (salary)", "money"),
               Column("Juniors only (salary)", "money"),
               Column("Published salary cost of reports", "money"),
               Column("Published - juniors + seniors", "money"), Column("Published matches")]
    rows: list[list[Any]] = []
    direct: dict[str, tuple[list[int], list[int]]] = {}
    for index, boss in enumerate(reports_to):
        if boss is not None:
            kind = 1 if refs[index] in senior_refs else 0
            direct.setdefault(boss, ([], []))[kind].append(index)
    for senior in organogram.senior:
        tree = trees[senior.reference]
        juniors, seniors = direct.get(senior.reference, ([], []))
        junior_pay = Decimal(int(sum(int(salaries[i]) for i in juniors)))
        standard = junior_pay + Decimal(int(sum(int(salaries[i]) for i in seniors)))
        published = senior.cost_of_reports
        rows.append([senior.reference, senior.title, senior.unit,
                     Decimal(int(sum(int(fte[i]) for i in tree))) / FTE_SCALE,
                     Decimal(int(sum(int(full[i]) for i in tree))),
                     Decimal(int(sum(int(fte[i]) for i in juniors + seniors))) / FTE_SCALE,
                     standard, junior_pay,
                     published if published is not None else "",
                     published - standard if published is not None else "",
                     _matches(published, standard, junior_pay, len(seniors))])
    point = costing.basis.range_point
    notes = [f"Tree: the post itself and every post below it, senior and junior, full-year "
             f"cost with on-costs ({basis_note(costing)})",
             f"Compared: the published 'Salary Cost of Reports' (salary only) with the salary, "
             f"at each pay range's {point} without on-costs, of the post's direct reports: "
             f"its junior rows plus the senior posts beneath it (the guidance counts the pay "
             f"of senior posts reporting to it), the junior-only sum beside it; 'Published "
             f"matches' says which of the two each published figure is nearer. Unpriced posts "
             f"(pay not disclosed or none) count in fte but add nothing to a salary or cost."]
    if cycles:
        notes.append(f"Reporting lines loop back through {', '.join(cycles)}: each post is "
                     f"counted once per tree.")
    return Table(columns, rows, f"{costing.structure.name}: senior posts' reporting trees",
                 None, notes)


def organogram_tables(organogram: OrganogramReturn, costing: Costing) -> list[Table]:
    """Every row accounted for, then by unit, by grade and the roll-up: the tables of a
    costed return."""
    return [accounting_table(organogram.report), grouped_table(costing, "team"),
            grouped_table(costing, "grade"), rollup_table(organogram, costing)]


def diff_unit_table(found: Any, title: str = "") -> Table:
    """A diff of two returns by unit: the number of posts established and removed (a post
    eliminated in the later return is removed), regraded, with a new pay range in the same
    grade, with fte changed, moved in, other changes (reporting line, status, retitle); the
    unit's change in fte
    and in full-year cost (after minus before, so a move takes its cost with it). A change is
    counted under the post's unit after the change (before, for a removal)."""
    frame = found.frame
    after_team = found.after_lines["team"].to_numpy()
    before_team = found.before_lines["team"].to_numpy()
    units = [after_team[a] if a >= 0 else before_team[b]
             for b, a in zip(frame["before"].to_numpy(), frame["after"].to_numpy())]
    kinds = {"establish": 0, "disestablish": 1, "regrade": 2, "pay range": 3, "change fte": 4,
             "move team": 5, "move team and retitle": 5}
    table: dict[str, list[Any]] = {}
    for unit, kind in zip(units, found.kinds()):
        row = table.setdefault(unit or "(none)", [0] * 7)
        row[kinds.get(kind, 6)] += 1
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
            table[unit] = [0] * 7
    columns = [Column("Unit"), Column("Established", "number"), Column("Removed", "number"),
               Column("Regraded", "number"), Column("Pay range", "number"),
               Column("fte changed", "number"), Column("Moved in", "number"),
               Column("Other", "number"), Column("fte change", "fte"),
               Column("Full-year cost change", "money")]
    rows = [[unit, *counts, Decimal(fte_by_unit.get(unit, 0)) / FTE_SCALE,
             Decimal(cost_by_unit.get(unit, 0))] for unit, counts in table.items()]
    total = ["Total", *(sum(r[i] for r in rows) for i in range(1, 8)),
             sum((r[8] for r in rows), Decimal(0)), sum((r[9] for r in rows), Decimal(0))]
    notes = [f"Net full-year effect {found.net_full_year:,} = cost after "
             f"{found.after_full_year:,} - cost before {found.before_full_year:,} (whole "
             f"pounds), both on pay year {pay_scales.pay_year_label(found.basis.pay_year)}.",
             "Senior posts match by reference; junior rows by reporting post, unit, grade and "
             "title (a junior row whose unit, reporting post, grade or title changed shows as "
             "removed and established). Rows that share all four are told apart by "
             "professional group, then by order ('#2'): matching those by order is a guess "
             "the returns cannot confirm. A post named 'Eliminated' in the later return is "
             "not in its establishment, so it shows as removed."]
    unpriced = unpriced_diff_note(found.before_lines, found.after_lines)
    if unpriced:
        notes.append(unpriced)
    return Table(columns, rows, title or "Changes by unit", total, notes)

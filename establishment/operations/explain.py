"""Explanations: any figure as the lines of arithmetic that make it.

A line's full-year cost is: salary (and where it came from), each on-cost with its formula,
the exact cost per fte, its rounding to £1, x fte, and the rounding of the line. A period cost
adds one segment per pay year with its days. Figures that rest on inferred pay data say so.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from attrs import frozen

from establishment.engine.costing import (
    Costing,
    PeriodTerm,
    fraction_text,
    line_period_terms,
    person_cost,
    unit_money,
)
from establishment.engine.levy_allowance import LABEL as LEVY_LABEL
from establishment.engine.matching import find_line
from establishment.engine.unpriced import WHY
from establishment.errors import EstablishmentError
from establishment.model.frame import NONE, fte_fraction
from establishment.model.money import format_money, pence_to_pounds
from establishment.model.style import format_period
from pay_scales.dates import pay_year_label
from pay_scales.rounding import to_pence


@frozen
class ExplanationLine:
    label: str
    amount: Decimal | None
    formula: str = ""


@frozen
class Explanation:
    title: str
    lines: tuple[ExplanationLine, ...]
    result: Decimal
    warnings: tuple[str, ...] = ()

    def __str__(self) -> str:
        width = max(len(line.label) for line in self.lines) if self.lines else 0
        out = [self.title]
        for line in self.lines:
            amount = "" if line.amount is None else f"£{line.amount:,}"
            out.append(f"  {line.label:<{width}}  {amount:>14}  {line.formula}".rstrip())
        out.extend(f"  warning: {w}" for w in self.warnings)
        return "\n".join(out)


def explain_line(costing: Costing, line: int | str, *, period: bool = False) -> Explanation:
    """How line ``line`` (index, reference or unique title) costs what it costs; the
    structure-level ``"Apprenticeship Levy allowance"`` line (a basis declaring the whole pay
    bill) explains itself too."""
    if line == LEVY_LABEL and costing.levy_allowance is not None:
        return explain_levy_allowance(costing, period=period)
    index = find_line(costing.lines, line)
    row = costing.lines.iloc[index]
    unit = costing.unit_cost(index)
    fte = fraction_text(fte_fraction(costing.lines, index))
    lines = [ExplanationLine("salary (full time)", unit.salary, unit.salary_formula)]
    unpriced = row.get("unpriced") or ""
    if unpriced:  # kept and counted in fte, but its pay is unknown or none: not a cost given
        lines = [ExplanationLine("salary (full time)", None,
                                 f"not priced: {WHY[unpriced]} in the source (an unpriced "
                                 f"post: counted in fte, costed £0, not a cost given on the "
                                 f"post)")]
    for component in unit.components:
        lines.append(ExplanationLine(component.name, component.shown, component.formula))
    if unit.components:
        lines.append(ExplanationLine("exact cost per fte", to_pence(unit.unrounded),
                                     "salary + on-costs"))
    to_unit = "rounded to the penny" if costing.pence_per_unit == 1 else "rounded to £1"
    typed = unit.rule == "explicit" and Fraction(unit.cost) != unit.unrounded
    lines.append(ExplanationLine("cost per fte", unit.cost, f"{to_unit}, half up"
                                 if unit.components or typed
                                 else "not priced" if unpriced else ""))
    warnings = tuple(f"{p.file}: {p.basis} ({p.source})" for p in unit.provenance if p.inferred)
    full_year = unit_money(int(row["full_year"]), costing.basis)
    if row["kind"] == "payment":
        amount = pence_to_pounds(row["cost_per_fte_pence"])
        lines = [ExplanationLine("amount", amount, f"payment per {row['per']}")]
    else:
        lines.append(ExplanationLine("full-year cost", full_year,
                                     _full_year_formula(costing, index, fte, unit, to_unit)))
    title = (f"{row['title']} ({row['reference'] or 'line ' + str(index + 1)}), "
             f"{pay_year_label(costing.basis.pay_year)}")
    if not period:
        return Explanation(title + ", full year", tuple(lines), full_year, warnings)
    start, end = costing.period
    for term in line_period_terms(costing.lines, costing.units, index, start, end):
        lines.append(_term_line(term))
    result = unit_money(int(row["period"]), costing.basis)
    lines.append(ExplanationLine("period cost", result, f"sum of segments, {to_unit}"))
    return Explanation(title + f", {format_period(start, end)}", tuple(lines),
                       result, warnings)


def explain_levy_allowance(costing: Costing, *, period: bool = False) -> Explanation:
    """The levy allowance line of a whole pay bill: the levy in the lines against the
    allowance (full year, or the period's share by days)."""
    allowance = costing.levy_allowance
    if allowance is None:
        raise EstablishmentError(f"no {LEVY_LABEL} line: the basis does not declare the whole "
                                 f"pay bill ([basis] whole_pay_bill = true)")
    year = pay_year_label(costing.basis.pay_year)
    if period and costing.period is not None and allowance.period is not None:
        title = f"{LEVY_LABEL}, {format_period(*costing.period)}"
        lines = (ExplanationLine(LEVY_LABEL, allowance.period, allowance.period_formula),)
        return Explanation(title, lines, allowance.period)
    lines = (ExplanationLine(LEVY_LABEL, allowance.full_year,
                             f"{allowance.full_year_formula} (apprenticeship_levy.csv: "
                             f"{allowance.source})"),)
    return Explanation(f"{LEVY_LABEL}, {year}, full year", lines, allowance.full_year)


def _full_year_formula(costing: Costing, index: int, fte: str, unit: object,
                       to_unit: str) -> str:
    """How a line's full-year cost is made: fte x cost per fte (NI per fte), or headcount x
    each person's cost (NI per person, each on their own pay above the whole threshold)."""
    if costing.basis.ni_convention() != "person":
        return f"{fte} fte x £{unit.cost:,}, {to_unit}"
    share = fte_fraction(costing.lines, index)
    count = costing.lines["headcount"].iloc[index]
    count = 1 if count == NONE else int(count)
    each = person_cost(costing.units.employer, costing.basis, unit, share / count)
    pay = format_money(to_pence(each.pay), pence=True)
    return (f"NI per person: {count} x £{pence_to_pounds(each.pence):,} (each "
            f"{fraction_text(share / count)} fte: pay {pay}"
            f", own employer NI {format_money(to_pence(each.ni), pence=True)}, {to_unit}); "
            f"cost per fte shown = line / {fte} fte (derived)")


def _term_line(term: PeriodTerm) -> ExplanationLine:
    """One piece of a period cost, with its arithmetic (from the engine's own terms)."""
    span = f"({format_period(term.first, term.last)})"
    unit = pence_to_pounds(term.unit_pence)
    if term.lump_sum:
        return ExplanationLine("share of the lump sum", to_pence(term.exact),
                               f"£{unit:,} x {term.days}/{term.of_days} of its days "
                               f"inside the period {span}")
    fte = fraction_text(term.fte)
    return ExplanationLine(f"{pay_year_label(term.pay_year)} segment", to_pence(term.exact),
                           f"{fte} fte x £{unit:,} x {term.days}/{term.of_days} days {span}")

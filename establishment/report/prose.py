"""The report's sentences: the "Financial implications" paragraph in the library's own
template wording, every figure taken from the costing (and the change)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from attrs import frozen

from establishment.model.funding import UNFUNDED
from establishment.model.money import format_money
from establishment.model.style import format_period
from pay_scales.dates import pay_year_label


@frozen
class Change:
    """The change against the current structure: its two full-year costs and its blocks."""

    before: Decimal
    after: Decimal
    blocks: tuple


def fte_words(value: Decimal) -> str:
    """An fte as a sentence gives it: to 2 places at most (``14.73``, ``8.5``, ``6``);
    tables keep 4."""
    return f"{Decimal(value).quantize(Decimal('0.01'), ROUND_HALF_UP).normalize():f}"


def implications(costing: Any, funding: Any, change: Change | None, partial: bool = False,
                 *, temporary: bool = False) -> str:
    """The "Financial implications" paragraph: the period is "when the posts run" only when
    every post is temporary (a permanent post runs past it)."""
    money = costing.unit.format  # the basis's unit: £42,626, or £42,625.50 under penny
    year = pay_year_label(costing.basis.pay_year)
    text = (f"The establishment of {fte_words(costing.fte)} fte costs "
            f"{money(costing.full_year)} in a full year at {year} pay rates, on-costs included")
    text += (f", of which {money(costing.payments_full_year)} is other payments. "
             if costing.payments_full_year else ". ")
    if costing.period is not None:
        when = ", when the posts run," if temporary else ""
        text += (f"For the period {format_period(*costing.period)}{when} the cost is "
                 f"{money(costing.period_total)}. ")
    if change is not None:
        net = change.after - change.before
        if net:
            word = "an increase" if net > 0 else "a saving"
            text += (f"Against the current structure ({money(change.before)} a year) this is "
                     f"{word} of {money(abs(net))} a year. ")
        else:
            text += "Its full-year cost is the same as the current structure's. "
    text += funding_sentence(funding, money) + " "
    if partial:
        text += "These figures cover the posts the pay data can cost (see the totals). "
    if costing.inferred:
        text += "Some figures rest on inferred pay data and should be treated as provisional."
    return text.strip()


def funding_sentence(funding: Any, money: Any = format_money) -> str:
    """Who pays: one source in full, or each source's share (``money`` shows a figure at the
    basis's unit)."""
    sources = [(row[0], row[1]) for row in funding.rows]
    if not sources:  # a structure with no posts: nothing to fund (was an IndexError, exit 70)
        return "It has no posts, so nothing is funded."
    if len(sources) == 1:
        if sources[0][0] == UNFUNDED:
            return "No funding source is recorded for it."
        return f"It is met in full from {sources[0][0]}."
    parts = [f"{'no recorded source' if name == UNFUNDED else name} {money(amount)}"
             for name, amount in sources]
    return "It is met from " + ", ".join(parts[:-1]) + f" and {parts[-1]}."

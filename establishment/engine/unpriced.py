"""Posts kept but not priced (``Post.unpriced``): how many, how much fte, by why.

An organogram return publishes some posts' pay as not disclosed (``N/D``) and some as none
(``0``, ``N/A``). Such posts are counted in fte but add nothing to a cost, so every table that
totals a cost says how many of them there are, lest the understatement be invisible.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from establishment.model.frame import FTE_SCALE
from establishment.model.post import UNPRICED

WHY = {"not disclosed": "pay not disclosed", "none": "no pay"}


def unpriced_counts(lines: pd.DataFrame) -> dict[str, tuple[int, Decimal]]:
    """(posts, fte) of the unpriced posts of a frame of lines, by state (states with none
    left out)."""
    if "unpriced" not in lines or not len(lines):
        return {}
    states = lines["unpriced"].to_numpy(dtype=object)
    fte = lines["fte_e4"].to_numpy()
    found = {}
    for state in UNPRICED:
        mask = states == state
        if mask.any():
            found[state] = (int(mask.sum()), Decimal(int(fte[mask].sum())) / FTE_SCALE)
    return found


def unpriced_note(lines: pd.DataFrame) -> str | None:
    """One sentence for a table's notes, or None when every post is priced."""
    counts = unpriced_counts(lines)
    if not counts:
        return None
    parts = [f"{posts} post{'s' if posts != 1 else ''} ({fte.normalize():f} fte) with "
             f"{WHY[state]}" for state, (posts, fte) in counts.items()]
    return (f"Unpriced: {' and '.join(parts)}: counted in fte, not priced (£0), so the totals "
            f"leave out their pay.")


def unpriced_diff_note(before: pd.DataFrame, after: pd.DataFrame) -> str | None:
    """A diff's note: the unpriced posts before and after (their pay changes are not costed),
    or None when both sides price every post."""
    sides = [(name, unpriced_counts(lines)) for name, lines in (("before", before),
                                                                ("after", after))]
    if not any(counts for _, counts in sides):
        return None
    parts = []
    for name, counts in sides:
        text = " and ".join(f"{posts} ({fte.normalize():f} fte) with {WHY[state]}"
                            for state, (posts, fte) in counts.items()) or "none"
        parts.append(f"{name} {text}")
    return (f"Unpriced posts (counted in fte, not priced): {'; '.join(parts)}; the cost "
            f"effects leave out their pay.")

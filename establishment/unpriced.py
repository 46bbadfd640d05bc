"""Posts kept but not priced (``Post.unpriced``): how many, how much fte, by why.

An organogram return publishes some posts' pay as not disclosed (``N/D``) and some as none
(``0``, ``N/A``). Such posts are counted in fte but add nothing to a cost, so every table that
totals a cost says how many of them there are, lest the understatement be invisible.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from establishment.frame import FTE_SCALE
from establishment.post import UNPRICED

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

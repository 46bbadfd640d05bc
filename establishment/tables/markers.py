"""Markers: short labels on a table line, explained once in the table's legend.

A line may carry several markers (a temporary post costed on inferred pay data shows
``[t, i]``); every output that shows a marker also shows what it means, and only the markers it
uses. Markers are registered here once, so every table and every format agree on the letter
and the wording; another module adds its own with :func:`register_marker`::

    register_marker("seconded", "s", "seconded in from {detail}")

A marker with a ``{detail}`` (temporary *until a date*) gets one label per distinct detail when
a table holds several (``t1``, ``t2``), so each label means one thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from attrs import frozen


@frozen
class Marker:
    """A kind of marker: its key, the letter shown on a line, and its legend wording
    (``{detail}`` is replaced by the line's detail)."""

    key: str
    symbol: str
    text: str


@frozen
class Mark:
    """One marker on one line, with its detail (a date for "temporary until")."""

    key: str
    detail: str = ""


MARKERS: dict[str, Marker] = {}


def register_marker(key: str, symbol: str, text: str) -> Marker:
    """Add a marker to the legend every table shares; its symbol must be free."""
    taken = {m.symbol: m.key for m in MARKERS.values()}
    if taken.get(symbol, key) != key:
        raise ValueError(f"marker symbol {symbol!r} is taken by {taken[symbol]!r}")
    marker = Marker(key, symbol, text)
    MARKERS[key] = marker
    return marker


register_marker("vacant", "v", "vacant post")
register_marker("temporary", "t", "temporary post until {detail}")
register_marker("not-in-force", "n", "not in force in {detail}")
register_marker("undisclosed", "d", "pay not disclosed: counted in fte, not priced (£0)")
register_marker("no-pay", "u", "no pay published: counted in fte, not priced (£0)")
register_marker("inferred", "i", "rests on inferred pay data: treat the figure as provisional")
register_marker("assumed", "a", "rests on an assumed pay award (or rates carried forward): "
                "see the basis")


def _order(mark: Mark) -> int:
    keys = list(MARKERS)
    return keys.index(mark.key) if mark.key in MARKERS else len(keys)


def labels(rows: Sequence[Iterable[Mark]]) -> tuple[list[str], list[str]]:
    """For each row, its label text (``"t, i"``, or ``""``), and the legend lines of the
    markers used (``"[t] temporary post until 31 Mar 2019"``), in registry order."""
    # registry order; details of one marker in order of first appearance (t1 above t2)
    used = sorted(dict.fromkeys(m for row in rows for m in row), key=_order)
    details: dict[str, list[str]] = {}
    for mark in used:
        details.setdefault(mark.key, []).append(mark.detail)
    names: dict[Mark, str] = {}
    legend = []
    for mark in used:
        marker = MARKERS.get(mark.key, Marker(mark.key, mark.key, mark.key))
        several = len(details[mark.key]) > 1
        label = marker.symbol + (str(details[mark.key].index(mark.detail) + 1) if several
                                 else "")
        names[mark] = label
        legend.append(f"[{label}] {marker.text.format(detail=mark.detail)}")
    row_labels = [", ".join(names[m] for m in sorted(dict.fromkeys(row), key=_order))
                  for row in rows]
    return row_labels, legend


def describe(row: Iterable[Mark]) -> str:
    """A row's markers in words (a CSV column has no legend): ``temporary post until ...``."""
    out = []
    for mark in sorted(dict.fromkeys(row), key=_order):
        marker = MARKERS.get(mark.key, Marker(mark.key, mark.key, mark.key))
        out.append(marker.text.format(detail=mark.detail))
    return "; ".join(out)

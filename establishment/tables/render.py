"""Rendering a :class:`Table` as text: plain and GitHub Markdown (tabulate).

Money is formatted here (``£1,234,567``, negatives ``-£12,345``), never by tabulate, which
would re-parse a large Decimal as a float (``1e+07``): every cell is passed as a string with
``disable_numparse=True``, and alignment comes from the column kind.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from tabulate import tabulate

from establishment.errors import EstablishmentError
from establishment.money import format_money
from establishment.tables.table import Table


def format_cell(value: Any, kind: str) -> str:
    """The text of one cell in a text format."""
    if value is None or value == "":
        return ""
    if kind == "money":
        return format_money(value)
    if kind == "fte":
        return f"{Decimal(value).normalize():f}"
    if kind == "percent":
        return f"{Decimal(value).normalize():f}%"
    if kind == "number" and isinstance(value, (int, Decimal)):
        return f"{value:,}"
    return str(value)


def _text(table: Table, tablefmt: str) -> str:
    kinds = [c.kind for c in table.columns]
    body = [[format_cell(v, k) for v, k in zip(row, kinds)] for row in table.rows]
    if table.total is not None:
        body.append([format_cell(v, k) for v, k in zip(table.total, kinds)])
    text = tabulate(body, headers=[c.name for c in table.columns], tablefmt=tablefmt,
                    disable_numparse=True, colalign=[c.align for c in table.columns])
    parts = []
    if table.title:
        parts.append(f"**{table.title}**" if tablefmt == "github" else table.title)
        parts.append("")
    parts.append(text)
    if table.notes:
        parts.append("")
        parts.extend(f"- {n}" if tablefmt == "github" else n for n in table.notes)
    return "\n".join(parts)


def render_plain(table: Table) -> str:
    return _text(table, "simple")


def render_github(table: Table) -> str:
    return _text(table, "github")


RENDERERS: dict[str, Callable[[Table], str]] = {
    "plain": render_plain,
    "github": render_github,
}
FORMATS = tuple(RENDERERS)


def render(table: Table, fmt: str = "plain") -> str:
    """The table as text in ``fmt``; an unknown format is an error listing the known ones."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise EstablishmentError(f"unknown format {fmt!r}; choose one of "
                                 f"{', '.join(RENDERERS)}") from None
    return renderer(table)

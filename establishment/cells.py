"""Spreadsheet-safe cells: formula-injection neutralising for CSV and XLSX.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or carriage return) as a formula, so a post titled
``=HYPERLINK("http://x","click")`` in an HR export becomes a live link when opened (OWASP
"CSV injection", ASVS 1.2.10). The one documented choice here:

- **CSV**: a text cell that begins with one of ``= + - @ \\t \\r`` (or with ``'`` itself, so the
  rule can be undone exactly) is written with a leading apostrophe ``'``; a spreadsheet shows
  it as text. :func:`restore_text` undoes it when a CSV written by this library is read back.
- **XLSX**: the cell keeps its value unchanged, is stored as a string (``data_type 's'``, never
  a formula) and carries Excel's "quote prefix" style, the flag Excel itself sets when a user
  types a leading apostrophe.

Numbers (money, fte, scp) are never neutralised: they stay numbers.
"""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def needs_quote(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula."""
    return text.startswith(TRIGGERS)


def neutralise(text: str) -> str:
    """The CSV form of a text cell: a leading ``'`` when it could run as a formula.

    Text already beginning with ``'`` gets one more, so :func:`restore_text` is an exact inverse.
    """
    if needs_quote(text) or text.startswith(QUOTE):
        return QUOTE + text
    return text


def restore_text(text: str) -> str:
    """Undo :func:`neutralise` (only a ``'`` followed by a trigger or another ``'``)."""
    if text.startswith(QUOTE) and text[1:2] and (needs_quote(text[1:])
                                                 or text[1:].startswith(QUOTE)):
        return text[1:]
    return text


def set_text_cell(cell: object, text: str) -> None:
    """Write ``text`` into an openpyxl cell as text, never as a formula."""
    cell.value = text  # type: ignore[attr-defined]
    if needs_quote(text) or text.startswith(QUOTE):
        cell.data_type = "s"  # type: ignore[attr-defined]
        cell.quotePrefix = True  # type: ignore[attr-defined]

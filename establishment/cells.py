"""Spreadsheet-safe cells: formula-injection neutralising for CSV and XLSX.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or carriage return) as a formula, so a post titled
``=HYPERLINK("http://x","click")`` in an HR export becomes a live link when opened (OWASP
"CSV injection", ASVS 1.2.10). The one documented choice here:

- **CSV**: a text cell that begins with one of ``= + - @ \\t \\r`` or a full-width ``＝ ＋ －
  ＠`` (which some spreadsheets fold to the ASCII ones) is written with a leading apostrophe
  ``'``; a spreadsheet shows it as text. Text that already begins with apostrophes followed by
  a trigger gets one more, so :func:`restore_text` (which strips one ``'`` only when
  apostrophes and then a trigger follow it) is an exact inverse; any other ``'`` is data and
  is read as written (``''`` stays ``''``). Every field holding a delimiter, a quote, ``\\r``
  or ``\\n`` is quoted (:func:`csv_line`), so a lone carriage return cannot start a new row
  whose first cell escaped neutralising.
- **XLSX**: the cell keeps its value unchanged, is stored as a string (``data_type 's'``, never
  a formula) and carries Excel's "quote prefix" style, the flag Excel itself sets when a user
  types a leading apostrophe.

Numbers (money, fte, scp) are never neutralised: they stay numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
QUOTE = "'"
# apostrophes and then a trigger: the text neutralise() prefixes and restore_text() undoes
_QUOTED = re.compile("^'*[" + re.escape("".join(TRIGGERS)) + "]")
_CSV_SPECIAL = re.compile('[,"\r\n]')


def needs_quote(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula."""
    return text.startswith(TRIGGERS)


def neutralise(text: str) -> str:
    """The CSV form of a text cell: a leading ``'`` when it could run as a formula, or when it
    is apostrophes followed by a trigger (so :func:`restore_text` is an exact inverse)."""
    return QUOTE + text if _QUOTED.match(text) else text


def restore_text(text: str) -> str:
    """Undo :func:`neutralise`: one leading ``'`` is stripped only when apostrophes and then a
    trigger (ASCII or full-width) follow it; ``''`` and ``'abc`` are read as written."""
    if text.startswith(QUOTE) and _QUOTED.match(text[1:]):
        return text[1:]
    return text


def csv_field(text: str) -> str:
    """One CSV field: quoted when it holds a comma, a quote, ``\\r`` or ``\\n`` (Python's
    writer with ``lineterminator="\\n"`` leaves a lone ``\\r`` bare, and a spreadsheet starts
    a new row there)."""
    if _CSV_SPECIAL.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(cells: Iterable[str]) -> str:
    """A CSV row (already neutralised text) ending in ``\\n``."""
    return ",".join(csv_field(c) for c in cells) + "\n"


# characters XML cannot hold (or, like a carriage return, does not keep), and an underscore
# that would otherwise read as the start of an escape
_OOXML_SPECIAL = re.compile("[\x00-\x08\x0b-\x1f]|_(?=x[0-9A-Fa-f]{4}_)")


def ooxml_escape(text: str) -> str:
    """``text`` with control characters as OOXML ``_xHHHH_`` escapes (ECMA-376 ST_Xstring), as
    Excel writes them: a carriage return survives (XML turns ``\\r\\n`` into ``\\n``) and
    a bell no longer makes the workbook unwritable. Readers (Excel, calamine) unescape."""
    return _OOXML_SPECIAL.sub(lambda m: "_x005F_" if m.group() == "_"
                              else f"_x{ord(m.group()):04X}_", text)


XLSX_MAX_TEXT = 32_767  # Excel's limit on the characters of one cell (openpyxl cuts longer)


class CellTextTooLong(ValueError):
    """Text longer than an XLSX cell holds: openpyxl would cut it to 32,767 characters with
    no word, and the reader refuses such a cell, so the writer refuses it (the caller says
    which cell)."""

    def __init__(self, length: int, stored: int) -> None:
        self.length = length
        stored_as = (f" ({stored:,} as stored: a control character is written _xHHHH_)"
                     if stored != length else "")
        super().__init__(f"text of {length:,} characters{stored_as}: an XLSX cell holds at "
                         f"most {XLSX_MAX_TEXT:,}; write CSV or TOML, which keep it whole")


def set_text_cell(cell: object, text: str) -> None:
    """Write ``text`` into an openpyxl cell as text, never as a formula; text longer than a
    cell holds (counted as stored: a control character's ``_xHHHH_`` is 7) raises
    :class:`CellTextTooLong`, never cut."""
    escaped = ooxml_escape(text)
    if len(escaped) > XLSX_MAX_TEXT:
        raise CellTextTooLong(len(text), len(escaped))
    cell.value = escaped  # type: ignore[attr-defined]
    if needs_quote(text) or _QUOTED.match(text):
        cell.data_type = "s"  # type: ignore[attr-defined]
        cell.quotePrefix = True  # type: ignore[attr-defined]

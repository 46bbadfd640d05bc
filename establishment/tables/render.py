"""Rendering a :class:`Table` in every format users expect.

Text formats (tabulate): ``plain``, ``github`` (Markdown), ``html``, ``latex`` (booktabs).
Data formats: ``csv`` (text) and ``xlsx`` (binary: :func:`table_bytes` / :func:`write_tables`),
and a pandas DataFrame (:func:`to_frame`).

Money is formatted here (``£1,234,567``, negatives ``-£12,345``), never by tabulate, which
would re-parse a large Decimal as a float (``1e+07``): every cell is passed as a string with
``disable_numparse=True``, and alignment comes from the column kind (text left, figures right).
In CSV and XLSX money is a number (whole pounds, or pounds and pence for ``pence`` columns),
never text; XLSX money cells carry a ``£#,##0`` number format. Text cells that a spreadsheet
could run as a formula are neutralised (:mod:`establishment.cells`).

Rounding and totals (the one policy, see :mod:`establishment.tables.totals`): a table shows
whole pounds per line and its total row is the sum of the lines as shown, so what a table
shows adds up; a total that is not such a sum (say, a per-fte column) is left blank.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from establishment.cells import CellTextTooLong, csv_line, neutralise, set_text_cell
from establishment.errors import EstablishmentError
from establishment.model.money import format_money
from establishment.model.style import PLAIN, Style, format_month
from establishment.tables.markers import describe
from establishment.tables.table import Column, Table
from establishment.tables.terminal import (
    GAP,
    column_groups,
    fit_layout,
    wrap_cell,
    wrap_paragraph,
)
from pay_scales.rounding import round_pounds

if TYPE_CHECKING:
    import pandas as pd

# Column kinds beyond table.KINDS that renderers understand: "pence" (money shown to the penny,
# used by explanations, whose lines are exact amounts before rounding).
MONEY_KINDS = ("money", "pence")
NUMBER_KINDS = ("money", "pence", "fte", "number", "percent", "month")
XLSX_FORMATS = {
    "money": '"£"#,##0;-"£"#,##0',
    "pence": '"£"#,##0.00;-"£"#,##0.00',
    "fte": "0.0000",
    "number": "#,##0",
    "percent": '0.##"%"',
    "month": "mmm yyyy",
}


def format_cell(value: Any, kind: str, style: Style = PLAIN) -> str:
    """The text of one cell in a text format (negatives as ``style`` shows them)."""
    if value is None or value == "":
        return ""
    if kind == "money":
        return style.negative(format_money(value))
    if kind == "pence":
        return style.negative(format_money(value, pence=True))
    if kind == "fte":
        return f"{Decimal(value).normalize():f}"
    if kind == "percent":
        return f"{Decimal(value).normalize():f}%"
    if kind == "number" and isinstance(value, (int, Decimal)):
        return style.negative(f"{value:,}")
    if kind == "month" and isinstance(value, dt.date):
        return format_month(value)
    return str(value)


def _rows(table: Table) -> list[tuple[Any, ...]]:
    return list(table.rows) + ([table.total] if table.total is not None else [])


def _body(table: Table, style: Style = PLAIN) -> list[list[str]]:
    kinds = [c.kind for c in table.columns]
    return [[format_cell(v, k, style) for v, k in zip(row, kinds)] for row in _rows(table)]


def markdown_cell(text: str) -> str:
    """A cell that stays one cell of a Markdown table: a ``|`` would start a new column and a
    line break a new row (a post titled "Admin | Finance", or an HR export's multi-line title),
    so they are written ``\\|`` and ``<br>``; ``<``, ``>`` and ``&`` are HTML-escaped."""
    # HTML is escaped: GitHub renders raw tags in Markdown ('<script>', '<img onerror=...>')
    text = html.escape(text, quote=False).replace("|", "\\|")
    return "<br>".join(text.splitlines()) if ("\n" in text or "\r" in text) else text


def _fit(body: list[list[str]], headers: list[str], table: Table, width: int | None
         ) -> tuple[list[list[str]], list[str], int]:
    """Cells and headers wrapped so a plain table fits ``width`` (unchanged when None or when
    it fits already), and the gap between its columns: figures stay whole, text and headers
    wrap inside their column at word boundaries (the columns one space apart when only that
    keeps every word whole)."""
    if width is None or not headers:
        return body, headers, GAP
    columns = [[h, *(row[i] for row in body)] for i, h in enumerate(headers)]
    widths, gap = fit_layout(columns, [c.kind == "text" for c in table.columns], width)
    if widths is None:
        return body, headers, gap
    body = [[wrap_cell(cell, w) for cell, w in zip(row, widths)] for row in body]
    return body, [wrap_cell(h, w) for h, w in zip(headers, widths)], gap


def _plain_parts(body: list[list[str]], headers: list[str], table: Table, width: int | None
                 ) -> str:
    """The plain table, fitted to ``width``; in parts (the first column repeated) when its
    figure columns alone are wider than that."""
    groups = [list(range(len(headers)))]
    if width is not None and headers:
        columns = [[h, *(row[i] for row in body)] for i, h in enumerate(headers)]
        groups = column_groups(columns, [c.kind == "text" for c in table.columns], width)
    parts = []
    for group in groups:
        part = attrs.evolve(table, columns=[table.columns[i] for i in group], rows=[], total=None,
                            marks=())
        fitted, names, gap = _fit([[row[i] for i in group] for row in body],
                                  [headers[i] for i in group], part, width)
        parts.append(simple_table(names, fitted, [c.align for c in part.columns], gap))
    return "\n\n".join(parts)


def _tabulate(table: Table, tablefmt: str, style: Style = PLAIN) -> str:
    body, headers = _body(table, style), [c.name for c in table.columns]
    if tablefmt == "github":
        body = [[markdown_cell(cell) for cell in row] for row in body]
        headers = [markdown_cell(h) for h in headers]
    elif tablefmt == "simple":
        return _plain_parts(body, headers, table, style.width)
    from tabulate import tabulate  # imported when a table is drawn: a fast start-up

    return tabulate(body, headers=headers, tablefmt=tablefmt,
                    disable_numparse=True, colalign=[c.align for c in table.columns])


def _pad(text: str, width: int, align: str) -> str:
    return text.rjust(width) if align == "right" else text.ljust(width)


def simple_table(headers: list[str], body: list[list[str]], aligns: list[str],
                 gap: int = GAP) -> str:
    """The plain table: columns two spaces apart, the headers over a rule of dashes, text left
    and figures right; a cell holding several lines (a wrapped title) takes several lines.
    Trailing spaces are trimmed."""
    cells = [[h.split("\n") for h in headers]] + [[c.split("\n") for c in row] for row in body]
    widths = [max(len(line) for row in cells for line in row[i]) for i in range(len(headers))]
    out = []
    for number, row in enumerate(cells):
        height = max((len(c) for c in row), default=1)
        for k in range(height):
            parts = [_pad(c[k] if k < len(c) else "", w, a)
                     for c, w, a in zip(row, widths, aligns)]
            out.append((" " * gap).join(parts).rstrip())
        if number == 0:
            out.append((" " * gap).join("-" * w for w in widths))
    return "\n".join(out)


def _github_alignment(text: str, table: Table) -> str:
    """tabulate's GitHub rule has no alignment colons; add them, so Markdown viewers align
    money right and text left as the plain table does."""
    lines = text.split("\n")
    cells = lines[1].strip("|").split("|")  # the rule line: dashes only, no cell text
    marked = []
    for cell, column in zip(cells, table.columns):
        dashes = "-" * (len(cell) - 1)
        marked.append(":" + dashes if column.align == "left" else dashes + ":")
    lines[1] = "|" + "|".join(marked) + "|"
    return "\n".join(lines)


def _text(table: Table, tablefmt: str, style: Style = PLAIN) -> str:
    table = table.marked()
    text = _tabulate(table, tablefmt, style)
    if tablefmt == "github":
        text = _github_alignment(text, table)
    wrap = style.width if tablefmt == "simple" else None
    parts = []
    if table.title:
        parts.append(f"**{markdown_cell(table.title)}**" if tablefmt == "github"
                     else wrap_paragraph(table.title, wrap))
        parts.append("")
    parts.append(text)
    if table.notes:
        parts.append("")
        parts.extend(f"- {markdown_cell(n)}" if tablefmt == "github"
                     else wrap_paragraph(n, wrap, "  ")
                     for n in table.notes)
    return "\n".join(parts)


def render_plain(table: Table, style: Style = PLAIN) -> str:
    return _text(table, "simple", style)


def render_github(table: Table, style: Style = PLAIN) -> str:
    return _text(table, "github", style)


def _html_row(cells: list[str], table: Table, tag: str) -> str:
    out = []
    for cell, column in zip(cells, table.columns):
        klass = ' class="num"' if column.align == "right" else ""
        text = "<br>".join(html.escape(line) for line in cell.splitlines()) if cell else ""
        out.append(f"<{tag}{klass}>{text}</{tag}>")
    return "<tr>" + "".join(out) + "</tr>"


def render_html(table: Table, style: Style = PLAIN) -> str:
    """An HTML ``<table>``: the title as its ``<caption>``, figures in ``class="num"`` cells
    (right-aligned by the document's stylesheet), the total row in ``<tfoot>`` and notes as
    ``<p class="note">`` after it. Every cell is escaped."""
    table = table.marked()
    body = _body(table, style)
    lines = ["<table>"]
    if table.title:
        lines.append(f"<caption>{html.escape(table.title)}</caption>")
    lines += ["<thead>", _html_row([c.name for c in table.columns], table, "th"), "</thead>",
              "<tbody>"]
    rows = body[:-1] if table.total is not None else body
    lines += [_html_row(row, table, "td") for row in rows]
    lines.append("</tbody>")
    if table.total is not None:
        lines += ['<tfoot>', _html_row(body[-1], table, "td"), "</tfoot>"]
    lines.append("</table>")
    lines += [f'<p class="note">{html.escape(n)}</p>' for n in table.notes]
    return "\n".join(lines)


LATEX_SPECIALS = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                  "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                  "^": r"\textasciicircum{}", "£": r"\pounds{}"}


def latex_escape(text: str) -> str:
    """Text set literally by LaTeX: a post title with ``&`` or ``%`` would otherwise end a
    cell or start a comment and break the whole document."""
    # a line break is a space: a blank line inside a tabular cell is a paragraph, an error
    text = " ".join(text.splitlines()) if ("\n" in text or "\r" in text) else text
    return "".join(LATEX_SPECIALS.get(ch, ch) for ch in text)


def render_latex(table: Table, style: Style = PLAIN) -> str:
    """A booktabs ``tabular`` (``\\usepackage{booktabs}``) in a ``table`` float (title as
    caption, notes below); ``£`` is written ``\\pounds{}`` so it sets with any input encoding;
    a rule marks the total row."""
    from tabulate import tabulate

    table = table.marked()
    body = [[latex_escape(cell) for cell in row] for row in _body(table, style)]
    text = tabulate(body, headers=[latex_escape(c.name) for c in table.columns],
                    tablefmt="latex_raw", disable_numparse=True,
                    colalign=[c.align for c in table.columns])
    lines = text.split("\n")
    # latex_raw: \begin{tabular}, \hline, header, \hline, rows..., \hline, \end{tabular}
    lines[1] = r"\toprule"
    lines[3] = r"\midrule"
    lines[-2] = r"\bottomrule"
    if table.total is not None and table.rows:
        lines.insert(len(lines) - 3, r"\midrule")
    out = [r"\begin{table}[htbp]", r"\centering"]
    if table.title:
        out.append(rf"\caption{{{latex_escape(table.title)}}}")
    out.extend(lines)
    out.extend(rf"\par\smallskip{{\footnotesize {latex_escape(n)}}}" for n in table.notes)
    out.append(r"\end{table}")
    return "\n".join(out)


def csv_cell(value: Any, kind: str) -> str:
    """One CSV cell: money and figures as plain numbers, text neutralised."""
    if value is None or value == "":
        return ""
    if kind == "money":
        return str(round_pounds(value))
    if kind == "month" and isinstance(value, dt.date):
        return value.isoformat()
    if kind in ("pence", "fte", "number", "percent") and isinstance(value, (int, Decimal)):
        return f"{Decimal(value).normalize():f}" if kind != "pence" else f"{Decimal(value):.2f}"
    return neutralise(str(value))


def marks_column(table: Table) -> Table:
    """A data format has no legend: a marked table gets a last column ``Marks`` saying in words
    what each line's markers mean."""
    if not any(table.marks):
        return table
    rows = [(*row, describe(marks)) for row, marks in zip(table.rows, table.marks)]
    total = None if table.total is None else (*table.total, "")
    return attrs.evolve(table, columns=(*table.columns, Column("Marks")), rows=rows,
                        total=total, marks=())


def render_csv(table: Table, style: Style = PLAIN) -> str:
    """The table as CSV: a header row, the lines, then the total row; money as plain numbers
    (no £, no thousands separator), so a spreadsheet reads them as numbers. Title and notes are
    not data and are left out."""
    table = marks_column(table)
    kinds = [c.kind for c in table.columns]
    lines = [csv_line(neutralise(c.name) for c in table.columns)]
    lines.extend(csv_line(csv_cell(v, k) for v, k in zip(row, kinds)) for row in _rows(table))
    return "".join(lines).rstrip("\n")


def render_binary_refused(table: Table, fmt: str = "xlsx") -> str:
    raise EstablishmentError(f"{fmt} is a binary format: write it to a file (--output "
                             f"table.{fmt}) or use establishment.tables.write_tables / "
                             "tables_bytes")


RENDERERS: dict[str, Callable[[Table, Style], str]] = {
    "plain": render_plain,
    "github": render_github,
    "html": render_html,
    "latex": render_latex,
    "csv": render_csv,
}
TEXT_FORMATS = tuple(RENDERERS)
BINARY_FORMATS = ("xlsx", "docx", "parquet")
FORMATS = TEXT_FORMATS + BINARY_FORMATS
EXTENSIONS = {".txt": "plain", ".md": "github", ".html": "html", ".htm": "html",
              ".tex": "latex", ".csv": "csv", ".xlsx": "xlsx",
              ".docx": "docx", ".parquet": "parquet"}
SEPARATORS = {"plain": "\n\n", "github": "\n\n", "html": "\n\n", "latex": "\n\n",
              "csv": "\n\n"}


def render(table: Table, fmt: str = "plain", style: Style = PLAIN) -> str:
    """The table as text in ``fmt``; an unknown format is an error listing the known ones.
    ``style``: the width plain output fits and how negatives show."""
    if fmt in BINARY_FORMATS:
        render_binary_refused(table, fmt)
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise EstablishmentError(f"unknown format {fmt!r}; choose one of "
                                 f"{', '.join(FORMATS)}") from None
    return renderer(table, style)


def format_for_path(path: str | Path) -> str:
    """The output format a file name implies (``.md`` github, ``.tex`` latex, ...)."""
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        raise EstablishmentError(f"cannot tell the format of {str(path)!r} from its extension; "
                                 f"use one of {', '.join(EXTENSIONS)} or give --format")
    return EXTENSIONS[suffix]


# --- XLSX ---------------------------------------------------------------------------------

def _sheet_title(title: str, used: set[str]) -> str:
    clean = " ".join("".join(" " if ch in '[]:*?/\\' else ch for ch in title).split())
    clean = clean.strip("'") or "Table"
    base = clean[:31]
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _xlsx_value(value: Any, kind: str) -> Any:
    if kind == "money":
        return int(round_pounds(value))
    if kind == "pence":
        return Decimal(value).quantize(Decimal("0.01"))
    if kind == "month":
        return value if isinstance(value, dt.date) else None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, Decimal)):
        return value
    return None


def tables_workbook(tables: Sequence[Table], sources: Sequence[str] = ()) -> Any:
    """An openpyxl workbook with one sheet per table, ready to print and to filter: bold
    header row (frozen, repeated on every printed page, with an autofilter over the lines),
    numbers as numbers with a £ format for money and 0.0000 for fte, a bold total row holding
    values (no formulas, outside the filter), widths from content, A4 landscape fitted to one
    page wide. The tables' notes (the basis, the markers' legends, a title too long for a sheet
    name) and ``sources`` are on a last sheet, "Notes", each once with the sheets it belongs
    to. Text cells are neutralised (never formulas)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    used: set[str] = {"notes"}
    notes: dict[str, list[str]] = {}
    for number, table in enumerate(tables, start=1):
        table = table.marked()
        sheet = book.create_sheet(_sheet_title(table.title or f"Table {number}", used))
        _fill_sheet(sheet, table)
        for note in ([table.title] if len(table.title) > 31 else []) + list(table.notes):
            notes.setdefault(note, []).append(sheet.title)
    if not tables:
        book.create_sheet("Table")
    if notes or sources:
        _notes_sheet(book, notes, sources)
    return book


def _text_cell(cell: Any, text: str, sheet: str, row: int, column: str) -> None:
    """A text cell; text longer than a cell holds names the sheet, row and column
    (``--format xlsx`` would otherwise cut it short with no word)."""
    try:
        set_text_cell(cell, text)
    except CellTextTooLong as err:
        raise EstablishmentError(f"--format xlsx: table {sheet!r}, row {row}, column "
                                 f"{column!r}: {err}") from None


def _fill_sheet(sheet: Any, table: Table) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import IllegalCharacterError

    bold = Font(bold=True)
    kinds = [c.kind for c in table.columns]
    widths = [len(c.name) for c in table.columns]
    rows = _rows(table)
    try:
        for col, column in enumerate(table.columns, start=1):
            cell = sheet.cell(row=1, column=col)
            _text_cell(cell, column.name, table.title, 1, column.name)
            cell.font = bold
        for r, row in enumerate(rows, start=2):
            is_total = table.total is not None and r == len(rows) + 1
            for col, (value, kind) in enumerate(zip(row, kinds), start=1):
                cell = sheet.cell(row=r, column=col)
                if value is None or value == "":
                    pass
                elif kind in NUMBER_KINDS and (number := _xlsx_value(value, kind)) is not None:
                    cell.value = number
                    cell.number_format = XLSX_FORMATS[kind]
                else:
                    _text_cell(cell, str(value), table.title, r, table.columns[col - 1].name)
                if is_total:
                    cell.font = bold
                widths[col - 1] = max(widths[col - 1], len(format_cell(value, kind)))
    except IllegalCharacterError:
        raise EstablishmentError(f"table {table.title!r} holds a control character that an "
                                 "XLSX file cannot store") from None
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    last = get_column_letter(max(len(table.columns), 1))
    sheet.auto_filter.ref = f"A1:{last}{1 + len(table.rows)}"  # the lines, not the total
    print_setup(sheet)


def print_setup(sheet: Any) -> None:
    """A4 landscape, one page wide (as many tall as it takes), the header row on every page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


NOTE_WIDTH = 90  # characters of a note on one line of the Notes sheet


def _notes_sheet(book: Any, notes: dict[str, list[str]], sources: Sequence[str]) -> None:
    from openpyxl.styles import Alignment, Font

    sheet = book.create_sheet("Notes")
    for col, name in enumerate(("Note", "Sheets"), start=1):
        set_text_cell(sheet.cell(row=1, column=col), name)
        sheet.cell(row=1, column=col).font = Font(bold=True)
    lines = [(text, "") for text in sources] + [(t, ", ".join(s)) for t, s in notes.items()]
    for row, (text, sheets) in enumerate(lines, start=2):
        _text_cell(sheet.cell(row=row, column=1), text, "Notes", row, "Note")
        sheet.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        # a row as tall as its wrapped note (spreadsheets do not size rows a file sets)
        sheet.row_dimensions[row].height = 15 * max(1, -(-len(text) // NOTE_WIDTH))
        if sheets:
            _text_cell(sheet.cell(row=row, column=2), sheets, "Notes", row, "Sheets")
            sheet.cell(row=row, column=2).alignment = Alignment(vertical="top")
    sheet.column_dimensions["A"].width = NOTE_WIDTH + 10
    sheet.column_dimensions["B"].width = 30
    sheet.freeze_panes = "A2"
    print_setup(sheet)


# --- pandas -------------------------------------------------------------------------------

def to_frame(table: Table, *, total: bool = False) -> pd.DataFrame:
    """The table as a DataFrame: one column per table column, money and fte as exact Decimals
    (object dtype: never floats), blank cells as None; the total row last when asked."""
    import pandas as pd

    rows: Iterable[tuple[Any, ...]] = _rows(table) if total else table.rows
    names = [c.name for c in table.columns]
    frame = pd.DataFrame([[None if v == "" else v for v in row] for row in rows],
                         columns=names, dtype=object)
    frame.attrs["title"] = table.title
    frame.attrs["notes"] = list(table.notes)
    return frame

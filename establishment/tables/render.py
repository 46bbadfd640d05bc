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

import html
import io
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from establishment.cells import csv_line, neutralise, set_text_cell
from establishment.errors import EstablishmentError
from establishment.money import format_money
from establishment.tables.table import Table
from pay_scales.rounding import round_pounds

if TYPE_CHECKING:
    import pandas as pd

# Column kinds beyond table.KINDS that renderers understand: "pence" (money shown to the penny,
# used by explanations, whose lines are exact amounts before rounding).
MONEY_KINDS = ("money", "pence")
NUMBER_KINDS = ("money", "pence", "fte", "number", "percent")
XLSX_FORMATS = {
    "money": '"£"#,##0;-"£"#,##0',
    "pence": '"£"#,##0.00;-"£"#,##0.00',
    "fte": "General",
    "number": "#,##0",
    "percent": '0.##"%"',
}


def format_cell(value: Any, kind: str) -> str:
    """The text of one cell in a text format."""
    if value is None or value == "":
        return ""
    if kind == "money":
        return format_money(value)
    if kind == "pence":
        return format_money(value, pence=True)
    if kind == "fte":
        return f"{Decimal(value).normalize():f}"
    if kind == "percent":
        return f"{Decimal(value).normalize():f}%"
    if kind == "number" and isinstance(value, (int, Decimal)):
        return f"{value:,}"
    return str(value)


def _rows(table: Table) -> list[tuple[Any, ...]]:
    return list(table.rows) + ([table.total] if table.total is not None else [])


def _body(table: Table) -> list[list[str]]:
    kinds = [c.kind for c in table.columns]
    return [[format_cell(v, k) for v, k in zip(row, kinds)] for row in _rows(table)]


def markdown_cell(text: str) -> str:
    """A cell that stays one cell of a Markdown table: a ``|`` would start a new column and a
    line break a new row (a post titled "Admin | Finance", or an HR export's multi-line title),
    so they are written ``\\|`` and ``<br>``; ``<``, ``>`` and ``&`` are HTML-escaped."""
    # HTML is escaped: GitHub renders raw tags in Markdown ('<script>', '<img onerror=...>')
    text = html.escape(text, quote=False).replace("|", "\\|")
    return "<br>".join(text.splitlines()) if ("\n" in text or "\r" in text) else text


def _tabulate(table: Table, tablefmt: str) -> str:
    from tabulate import tabulate  # imported when a table is drawn: a fast start-up

    body, headers = _body(table), [c.name for c in table.columns]
    if tablefmt == "github":
        body = [[markdown_cell(cell) for cell in row] for row in body]
        headers = [markdown_cell(h) for h in headers]
    return tabulate(body, headers=headers, tablefmt=tablefmt,
                    disable_numparse=True, colalign=[c.align for c in table.columns])


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


def _text(table: Table, tablefmt: str) -> str:
    text = _tabulate(table, tablefmt)
    if tablefmt == "github":
        text = _github_alignment(text, table)
    parts = []
    if table.title:
        parts.append(f"**{markdown_cell(table.title)}**" if tablefmt == "github"
                     else table.title)
        parts.append("")
    parts.append(text)
    if table.notes:
        parts.append("")
        parts.extend(f"- {markdown_cell(n)}" if tablefmt == "github" else n
                     for n in table.notes)
    return "\n".join(parts)


def render_plain(table: Table) -> str:
    return _text(table, "simple")


def render_github(table: Table) -> str:
    return _text(table, "github")


def render_html(table: Table) -> str:
    """An HTML ``<table>`` (cells escaped by tabulate), the title as its ``<caption>``, the
    total row in ``<tfoot>`` and notes as paragraphs after it."""
    text = _tabulate(table, "html")
    if table.total is not None:
        rows = text.split("\n")
        # tabulate writes one <tr> per line; the last one before </tbody> is the total row
        end = rows.index("</tbody>")
        total = rows.pop(end - 1)
        rows.insert(end, "<tfoot>")
        rows.insert(end + 1, total)
        rows.insert(end + 2, "</tfoot>")
        text = "\n".join(rows)
    if table.title:
        text = text.replace("<table>", f"<table>\n<caption>{html.escape(table.title)}"
                            "</caption>", 1)
    notes = [f"<p>{html.escape(n)}</p>" for n in table.notes]
    return "\n".join([text, *notes])


LATEX_SPECIALS = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                  "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                  "^": r"\textasciicircum{}", "£": r"\pounds{}"}


def latex_escape(text: str) -> str:
    """Text set literally by LaTeX: a post title with ``&`` or ``%`` would otherwise end a
    cell or start a comment and break the whole document."""
    # a line break is a space: a blank line inside a tabular cell is a paragraph, an error
    text = " ".join(text.splitlines()) if ("\n" in text or "\r" in text) else text
    return "".join(LATEX_SPECIALS.get(ch, ch) for ch in text)


def render_latex(table: Table) -> str:
    """A booktabs ``tabular`` (``\\usepackage{booktabs}``) in a ``table`` float (title as
    caption, notes below); ``£`` is written ``\\pounds{}`` so it sets with any input encoding;
    a rule marks the total row."""
    from tabulate import tabulate

    body = [[latex_escape(cell) for cell in row] for row in _body(table)]
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
    if kind in ("pence", "fte", "number", "percent") and isinstance(value, (int, Decimal)):
        return f"{Decimal(value).normalize():f}" if kind != "pence" else f"{Decimal(value):.2f}"
    return neutralise(str(value))


def render_csv(table: Table) -> str:
    """The table as CSV: a header row, the lines, then the total row; money as plain numbers
    (no £, no thousands separator), so a spreadsheet reads them as numbers. Title and notes are
    not data and are left out."""
    kinds = [c.kind for c in table.columns]
    lines = [csv_line(neutralise(c.name) for c in table.columns)]
    lines.extend(csv_line(csv_cell(v, k) for v, k in zip(row, kinds)) for row in _rows(table))
    return "".join(lines).rstrip("\n")


def render_xlsx_refused(table: Table) -> str:
    raise EstablishmentError("xlsx is a binary format: write it to a file (--output "
                             "table.xlsx) or use establishment.tables.write_tables / "
                             "tables_bytes")


RENDERERS: dict[str, Callable[[Table], str]] = {
    "plain": render_plain,
    "github": render_github,
    "html": render_html,
    "latex": render_latex,
    "csv": render_csv,
}
TEXT_FORMATS = tuple(RENDERERS)
BINARY_FORMATS = ("xlsx",)
FORMATS = TEXT_FORMATS + BINARY_FORMATS
EXTENSIONS = {".txt": "plain", ".md": "github", ".html": "html", ".htm": "html",
              ".tex": "latex", ".csv": "csv", ".xlsx": "xlsx"}
SEPARATORS = {"plain": "\n\n", "github": "\n\n", "html": "\n\n", "latex": "\n\n",
              "csv": "\n\n"}


def render(table: Table, fmt: str = "plain") -> str:
    """The table as text in ``fmt``; an unknown format is an error listing the known ones."""
    if fmt in BINARY_FORMATS:
        render_xlsx_refused(table)
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise EstablishmentError(f"unknown format {fmt!r}; choose one of "
                                 f"{', '.join(FORMATS)}") from None
    return renderer(table)


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
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, Decimal)):
        return value
    return None


def tables_workbook(tables: Sequence[Table]) -> Any:
    """An openpyxl workbook with one sheet per table: bold header row (frozen), numbers as
    numbers with a £ format for money, a bold total row holding values (no formulas), notes
    below. Text cells are neutralised (never formulas)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import IllegalCharacterError

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    bold = Font(bold=True)
    for number, table in enumerate(tables, start=1):
        sheet = book.create_sheet(_sheet_title(table.title or f"Table {number}", used))
        kinds = [c.kind for c in table.columns]
        widths = [len(c.name) for c in table.columns]
        try:
            for col, column in enumerate(table.columns, start=1):
                cell = sheet.cell(row=1, column=col)
                set_text_cell(cell, column.name)
                cell.font = bold
            rows = _rows(table)
            for r, row in enumerate(rows, start=2):
                is_total = table.total is not None and r == len(rows) + 1
                for col, (value, kind) in enumerate(zip(row, kinds), start=1):
                    cell = sheet.cell(row=r, column=col)
                    if value is None or value == "":
                        pass
                    elif kind in NUMBER_KINDS and _xlsx_value(value, kind) is not None:
                        cell.value = _xlsx_value(value, kind)
                        cell.number_format = XLSX_FORMATS[kind]
                    else:
                        set_text_cell(cell, str(value))
                    if is_total:
                        cell.font = bold
                    widths[col - 1] = max(widths[col - 1], len(format_cell(value, kind)))
            notes = ([table.title] if len(table.title) > 31 else []) + list(table.notes)
            for offset, note in enumerate(notes):
                set_text_cell(sheet.cell(row=len(rows) + 3 + offset, column=1), note)
        except IllegalCharacterError:
            raise EstablishmentError(f"table {table.title!r} holds a control character that an "
                                     "XLSX file cannot store") from None
        for col, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), 60)
        sheet.freeze_panes = "A2"
    if not tables:
        book.create_sheet("Table")
    return book


def tables_bytes(tables: Sequence[Table] | Table, fmt: str) -> bytes:
    """Any format as bytes (text formats UTF-8, tables separated by a blank line)."""
    items = [tables] if isinstance(tables, Table) else list(tables)
    if fmt == "xlsx":
        buffer = io.BytesIO()
        tables_workbook(items).save(buffer)
        return buffer.getvalue()
    text = SEPARATORS.get(fmt, "\n\n").join(render(t, fmt) for t in items)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def write_tables(tables: Sequence[Table] | Table, target: str | Path | IO[bytes],
                 fmt: str | None = None) -> None:
    """Write tables to a path (atomically; format from the extension unless given) or to a
    binary stream."""
    from establishment.io.atomic import atomic_write  # io loads pandas: only when writing

    if isinstance(target, (str, Path)):
        data = tables_bytes(tables, fmt or format_for_path(target))
        with atomic_write(target, "wb") as handle:
            handle.write(data)
    else:
        target.write(tables_bytes(tables, fmt or "plain"))


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

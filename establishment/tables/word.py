"""Word output (python-docx): a committee report author's tables, ready to paste.

Each table is a real Word table (``Table Grid`` style): a bold header row that repeats on every
page, figures right-aligned, the total row bold. The table's title is a ``Caption``-styled
paragraph above it (Word numbers and lists captions), the basis and notes are small-print
paragraphs below (python-docx has no footnote API). Figures are text, exactly as in the plain
table (``£284,937``), so what the committee reads is what the library worked out. Headings and
paragraphs of a document become Word headings and paragraphs; a chart becomes a picture when
matplotlib can draw it as PNG, else a small-print line naming it.
"""

from __future__ import annotations

import io
from typing import Any

from establishment.errors import EstablishmentError
from establishment.model.style import PLAIN, Style
from establishment.tables.document import Document, Figure, Heading, Paragraph
from establishment.tables.table import Table

SMALL_PRINT = 8  # points
TABLE_TEXT = 9


def _docx() -> Any:
    try:
        import docx
    except ImportError:
        raise EstablishmentError("Word output needs python-docx: pip install python-docx"
                                 ) from None
    return docx


def docx_bytes(document: Document, style: Style = PLAIN) -> bytes:
    """The document as a .docx file's bytes."""
    docx = _docx()
    word = docx.Document()
    word.core_properties.title = document.title or ""
    word.core_properties.author = "establishment"
    if document.title:
        word.add_heading(document.title, level=1)
    for block in document.blocks:
        if isinstance(block, Table):
            add_table(word, block, style)
        elif isinstance(block, Heading):
            word.add_heading(block.text, level=min(max(block.level, 1), 9))
        elif isinstance(block, Paragraph):
            _paragraph(word, block.text, small=block.small)
        elif isinstance(block, Figure):
            _figure(word, block)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _paragraph(word: Any, text: str, *, small: bool = False) -> Any:
    from docx.shared import Pt

    paragraph = word.add_paragraph()
    run = paragraph.add_run(text)
    if small:
        run.font.size = Pt(SMALL_PRINT)
        paragraph.paragraph_format.space_after = Pt(2)
    return paragraph


def _figure(word: Any, figure: Figure) -> None:
    from docx.shared import Cm

    picture = None
    if figure.png is not None:
        try:
            picture = figure.png()
        except (ImportError, EstablishmentError):
            picture = None
    if picture is None:
        _paragraph(word, f"Chart: {figure.title} (drawn in the HTML report).", small=True)
        return
    word.add_picture(io.BytesIO(picture), width=Cm(16))
    word.add_paragraph(figure.title, style="Caption")


def _repeat_header(row: Any) -> None:
    """Mark a row as the table's header row (repeated at the top of each page)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _fill(cell: Any, text: str, *, right: bool, bold: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    lines = text.split("\n")
    for number, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = bold
        run.font.size = Pt(TABLE_TEXT)
        if number < len(lines) - 1:
            run.add_break()
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def add_table(word: Any, table: Table, style: Style = PLAIN) -> Any:
    """Add ``table`` to a python-docx document: caption, table, small-print notes."""
    from establishment.tables.render import format_cell

    table = table.marked()
    if table.title:
        word.add_paragraph(table.title, style="Caption")
    kinds = [c.kind for c in table.columns]
    right = [c.align == "right" for c in table.columns]
    grid = word.add_table(rows=1, cols=max(len(table.columns), 1))
    grid.style = "Table Grid"
    _repeat_header(grid.rows[0])
    for cell, column, is_right in zip(grid.rows[0].cells, table.columns, right):
        _fill(cell, column.name, right=is_right, bold=True)
    rows = list(table.rows) + ([table.total] if table.total is not None else [])
    for number, row in enumerate(rows):
        bold = table.total is not None and number == len(rows) - 1
        cells = grid.add_row().cells
        for cell, value, kind, is_right in zip(cells, row, kinds, right):
            _fill(cell, format_cell(value, kind, style), right=is_right, bold=bold)
    for note in table.notes:
        _paragraph(word, note, small=True)
    return grid

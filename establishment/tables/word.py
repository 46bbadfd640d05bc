"""Word output (python-docx): a document a committee clerk can table as it is.

- **Page**: A4 portrait by default (``page="letter"`` for US Letter), 2 cm margins, a footer
  with "Page N of M" (real ``PAGE`` and ``NUMPAGES`` fields, so Word and LibreOffice number
  the pages), and the report's reference in the header.
- **Tables**: real Word tables with a header row marked as one (``w:tblHeader``: read as a
  header by screen readers and repeated at the top of every page), figures right-aligned and
  never wrapped, the total row bold. Column widths come from the content (:func:`plan_table`):
  a column is never narrower than its longest word (a figure is one word), and the room left
  goes to the columns whose text would wrap. A table that cannot fit a portrait page that way
  is set in a landscape section of its own.
- **Template**: ``template=`` a .docx whose styles the report uses: its headings, fonts,
  header and footer, and its table style ``Report Table`` when it defines one (else ``Table
  Grid``). The template's own body text is not copied.
- **Structure**: the title is Heading 1, sections Heading 2; a table's title is a ``Caption``
  above it; every chart is a picture (PNG at 200 dpi, from the same drawing as the HTML's SVG)
  with alt text (``descr``) saying what it shows.
- **Text Word cannot hold** (decision, issue 27): a control character (``\\x01``) cannot be
  written in a .docx at all, so it is written as its visible Unicode "control picture"
  (``␁``); the core-properties title is cut to Word's 255-character limit, with the whole
  title kept as the document's heading. Nothing else is changed, and nothing fails.

Figures are text, exactly as in the plain table (``£284,937``), so what the committee reads is
what the library worked out.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from attrs import frozen

from establishment.errors import EstablishmentError
from establishment.model.style import PLAIN, Style
from establishment.tables.document import (
    Document,
    Figure,
    Heading,
    Paragraph,
    notes_once,
    reference_line,
)
from establishment.tables.table import Table

SMALL_PRINT = 8  # points
TABLE_TEXT = 9
PAGES = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}  # millimetres, portrait
MARGIN_MM = 20.0
CELL_PADDING_PT = 11.5  # Word's default cell margins, 0.08 inch each side, and a little more
TITLE_LIMIT = 255  # Word's limit on a core property


@frozen
class WordSetup:
    """How the .docx is laid out: the page (``a4`` or ``letter``) and an optional template
    (a .docx path or its bytes) whose styles, header and footer the document uses."""

    page: str = "a4"
    template: str | Path | bytes | None = None
    #: with a template, its own page size is kept unless the page is given
    page_given: bool = False

    def __attrs_post_init__(self) -> None:
        if self.page not in PAGES:
            raise EstablishmentError(f"page size: expected one of {', '.join(PAGES)}, "
                                     f"found {self.page!r}")


def _docx() -> Any:
    try:
        import docx
    except ImportError:
        raise EstablishmentError("Word output needs python-docx: pip install python-docx"
                                 ) from None
    return docx


# --- text Word can hold -------------------------------------------------------------------

def word_text(text: str) -> str:
    """``text`` as XML 1.0 can hold it: each control character (other than tab and newline)
    shown as its Unicode control picture (``\\x01`` -> ``␁``), never dropped silently."""
    if all(ch >= " " or ch in "\t\n" for ch in text) and not _has_noncharacter(text):
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if code < 0x20 and ch not in "\t\n":
            out.append(chr(0x2400 + code))
        elif code == 0x7F:
            out.append("\u2421")
        elif 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def _has_noncharacter(text: str) -> bool:
    return any(0xD800 <= ord(ch) <= 0xDFFF or ord(ch) in (0xFFFE, 0xFFFF, 0x7F) for ch in text)


def core_title(text: str) -> str:
    """The title as a core property: one line, at most 255 characters (Word's limit)."""
    line = " ".join(word_text(text).split())
    return line if len(line) <= TITLE_LIMIT else line[:TITLE_LIMIT - 1] + "\u2026"


# --- measuring text -----------------------------------------------------------------------

# Advance widths of Helvetica/Arial (and the metric-compatible Liberation Sans), in 1/1000 em,
# for printable ASCII from space: what a column must hold, worked out without a font file.
_WIDTHS = [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
           *[556] * 10, 278, 278, 584, 584, 584, 556, 1015,
           667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778,
           722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333,
           556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556,
           333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584]


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` set in Arial at ``size`` points, in points (bold a tenth wider;
    a character outside ASCII counted as wide as an "m", so a measure errs wide)."""
    units = sum(_WIDTHS[ord(ch) - 32] if 32 <= ord(ch) < 127 else 833 for ch in text)
    return units * size / 1000 * (1.1 if bold else 1.0)


def longest_word(text: str, size: float, bold: bool = False) -> float:
    return max((text_width(word, size, bold) for word in text.split()), default=0.0)


@frozen
class TablePlan:
    """How a table is set: each column's width in points, and whether it needs a landscape
    page (its columns' longest words do not fit across a portrait one)."""

    widths: tuple[float, ...]
    landscape: bool


def plan_table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[bool],
               portrait: float, landscape: float, size: float = TABLE_TEXT) -> TablePlan:
    """Column widths from content: each column at least its longest word (a figure's whole
    text: figures never wrap) plus cell padding; the room left on the line goes to the
    columns that would otherwise wrap, in proportion to what they lack, then evenly."""
    least, body_most, most = [], [], []
    for index, header in enumerate(headers):
        cells = [row[index] for row in rows if index < len(row)]
        if numeric[index]:
            body = max((text_width(c, size, True) for c in cells), default=0.0)
        else:
            body = max((longest_word(c, size, True) for c in cells), default=0.0)
        least.append(max(body, longest_word(header, size, True)) + CELL_PADDING_PT)
        lines = [text_width(line, size, True) for c in cells for line in c.split("\n")]
        body_most.append(max(max(lines, default=0.0) + CELL_PADDING_PT, least[-1]))
        most.append(max(text_width(header, size, True) + CELL_PADDING_PT, body_most[-1]))
    wide = sum(least) > portrait
    room = landscape if wide else portrait
    widths = _share(least, body_most, room)  # the lines on one line first, then the headers
    return TablePlan(tuple(_share(widths, most, room)), wide)


def _share(least: list[float], most: list[float], room: float) -> list[float]:
    """Give the room left to the columns that lack least first (a short pay band goes on one
    line), then what remains in proportion to what the others lack."""
    widths = list(least)
    spare = room - sum(widths)
    waiting = sorted((i for i in range(len(widths)) if most[i] > widths[i]),
                     key=lambda i: most[i] - widths[i])
    while waiting and spare > 0:
        lack = most[waiting[0]] - widths[waiting[0]]
        if lack * len(waiting) <= spare:
            widths[waiting[0]] += lack
            spare -= lack
            waiting.pop(0)
            continue
        total = sum(most[i] - widths[i] for i in waiting)
        for i in waiting:
            widths[i] += spare * (most[i] - widths[i]) / total
        break
    return widths


# --- the document -------------------------------------------------------------------------

def docx_bytes(document: Document, style: Style = PLAIN, setup: WordSetup | None = None
               ) -> bytes:
    """The document as a .docx file's bytes."""
    setup = setup or WordSetup()
    word = _new_document(setup)
    document = notes_once(document)
    word.core_properties.title = core_title(document.title or "")
    word.core_properties.author = "establishment"
    _page_furniture(word, document, setup)
    if document.title:
        word.add_heading(word_text(document.title), level=1)
    if reference_line(document):
        _paragraph(word, reference_line(document), small=True)
    upright = _is_portrait(word.sections[-1])
    for block in document.blocks:
        if upright and not isinstance(block, Table) and not _is_portrait(word.sections[-1]):
            _section(word, landscape=False)  # back to portrait after a wide table
        if isinstance(block, Table):
            add_table(word, block, style)
        elif isinstance(block, Heading):
            word.add_heading(word_text(block.text), level=min(max(block.level, 1), 9))
        elif isinstance(block, Paragraph):
            _paragraph(word, block.text, small=block.small)
        elif isinstance(block, Figure):
            _figure(word, block)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _new_document(setup: WordSetup) -> Any:
    docx = _docx()
    if setup.template is None:
        word = docx.Document()
        _house_fonts(word)
        _set_page(word.sections[0], setup.page)
        return word
    template = setup.template
    source = io.BytesIO(template) if isinstance(template, bytes) else str(template)
    try:
        word = docx.Document(source)
    except (OSError, ValueError, KeyError) as err:
        raise EstablishmentError(f"{template if not isinstance(template, bytes) else 'template'}"
                                 f": expected a Word .docx template, could not read it "
                                 f"({err.__class__.__name__})") from None
    body = word.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)  # the template's styles, header and footer; not its text
    if setup.page_given:
        _set_page(word.sections[0], setup.page)
    return word


def _house_fonts(word: Any) -> None:
    from docx.shared import Pt, RGBColor

    normal = word.styles["Normal"].font
    normal.name, normal.size = "Arial", Pt(11)
    for level, size in ((1, 18), (2, 14), (3, 12)):
        heading = word.styles[f"Heading {level}"].font
        heading.name, heading.size = "Arial", Pt(size)
        heading.color.rgb = RGBColor(0x1B, 0x1B, 0x1B)
    word.styles["Caption"].font.name = "Arial"


def _set_page(section: Any, page: str, landscape: bool = False) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    short, long = PAGES[page]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(long), Mm(short)) if landscape else \
        (Mm(short), Mm(long))
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))


def _page_furniture(word: Any, document: Document, setup: WordSetup) -> None:
    """Page numbers in the footer and the reference in the header, unless the template
    brings its own (a template's header or footer with any text or field is kept)."""
    section = word.sections[0]
    footer = section.footer
    if setup.template is None or not _has_content(footer):
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        _page_numbers(paragraph)
    header = section.header
    if document.reference and (setup.template is None or not _has_content(header)):
        paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        run = paragraph.add_run(word_text(document.reference))
        _small(run)


def _has_content(part: Any) -> bool:
    xml = part._element.xml if not part.is_linked_to_previous else ""
    return bool("".join(p.text for p in part.paragraphs).strip()) or "w:fldSimple" in xml \
        or "w:instrText" in xml


def _page_numbers(paragraph: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _small(paragraph.add_run("Page "))
    _field(paragraph, "PAGE", "1")
    _small(paragraph.add_run(" of "))
    _field(paragraph, "NUMPAGES", "1")


def _field(paragraph: Any, instruction: str, shown: str) -> None:
    """A simple field (``PAGE``, ``NUMPAGES``): Word and LibreOffice work out its value."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(SMALL_PRINT * 2))  # half-points
    properties.append(size)
    run.append(properties)
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _small(run: Any) -> None:
    from docx.shared import Pt

    run.font.size = Pt(SMALL_PRINT)


def _paragraph(word: Any, text: str, *, small: bool = False) -> Any:
    from docx.shared import Pt

    paragraph = word.add_paragraph()
    run = paragraph.add_run(word_text(text))
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
        _paragraph(word, f"Chart: {figure.title} (drawn in the HTML report). "
                   f"{figure.alt or ''}".strip(), small=True)
        return
    section = word.sections[-1]
    room = section.page_width - section.left_margin - section.right_margin
    shape = word.add_picture(io.BytesIO(picture), width=min(Cm(16), room))
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", word_text(figure.alt or figure.title))
    doc_pr.set("title", core_title(figure.title))
    word.add_paragraph(word_text(figure.title), style="Caption")


# --- tables -------------------------------------------------------------------------------

def _header_row(row: Any) -> None:
    """Mark a row as the table's header row (repeated at the top of each page, read as
    column headers by a screen reader) that is never split across pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        properties.append(element)


def _no_wrap(cell: Any) -> None:
    from docx.oxml import OxmlElement

    cell._tc.get_or_add_tcPr().append(OxmlElement("w:noWrap"))


def _fill(cell: Any, text: str, *, right: bool, bold: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    lines = word_text(text).split("\n")
    for number, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = bold
        run.font.size = Pt(TABLE_TEXT)
        if number < len(lines) - 1:
            run.add_break()
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _no_wrap(cell)


def _table_style(word: Any) -> str | None:
    names = {s.name for s in word.styles}
    return next((n for n in ("Report Table", "Table Grid") if n in names), None)


def _text_width(section: Any) -> float:
    return (section.page_width - section.left_margin - section.right_margin) / 12700  # pt


def _landscape_room(section: Any) -> float:
    """The text width of the same page turned (its top and bottom margins become the
    sides)."""
    return (section.page_height - section.top_margin - section.bottom_margin) / 12700


def _section(word: Any, landscape: bool) -> None:
    """End the current section and start one in the other orientation (same page size and
    margins; header and footer carried on)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION

    old = word.sections[-1]
    if (not _is_portrait(old)) == landscape:
        return
    new = old if _section_is_empty(word) else word.add_section(WD_SECTION.NEW_PAGE)
    new.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    new.page_width, new.page_height = old.page_height, old.page_width
    new.left_margin, new.top_margin = old.top_margin, old.left_margin
    new.right_margin, new.bottom_margin = old.bottom_margin, old.right_margin


def _section_is_empty(word: Any) -> bool:
    """Nothing is written yet in the current section (so it can be turned in place, leaving
    no blank page)."""
    since = []
    for child in word.element.body:
        if child.tag.endswith("}sectPr"):
            continue
        since = [] if child.xpath("./w:pPr/w:sectPr") else [*since, child]
    return not since


def add_table(word: Any, table: Table, style: Style = PLAIN) -> Any:
    """Add ``table`` to a python-docx document: caption, table, small-print notes; in a
    landscape section when its columns cannot fit a portrait page (the document turns back to
    portrait at the next block that fits one, so a wide table at the end leaves no blank
    page)."""
    from establishment.tables.render import format_cell

    table = table.marked()
    kinds = [c.kind for c in table.columns]
    right = [c.align == "right" for c in table.columns]
    headers = [c.name for c in table.columns]
    rows = list(table.rows) + ([table.total] if table.total is not None else [])
    texts = [[format_cell(v, k, style) for v, k in zip(row, kinds)] for row in rows]
    section = word.sections[-1]
    upright = _is_portrait(section)
    short, long = ((_text_width(section), _landscape_room(section)) if upright else
                   (_landscape_room(section), _text_width(section)))
    plan = plan_table(headers, texts, right, short, long)
    if plan.landscape and upright:
        _section(word, landscape=True)
    elif not plan.landscape and not upright and _was_turned(word):
        _section(word, landscape=False)
    if table.title:
        word.add_paragraph(word_text(table.title), style="Caption")
    grid = _grid(word, headers, texts, right, plan, table.total is not None)
    for note in table.notes:
        _paragraph(word, note, small=True)
    return grid


def _is_portrait(section: Any) -> bool:
    return section.page_width <= section.page_height


def _was_turned(word: Any) -> bool:
    """The current landscape section was opened for a wide table (the first is upright)."""
    return _is_portrait(word.sections[0])


def _grid(word: Any, headers: list[str], texts: list[list[str]], right: list[bool],
          plan: TablePlan, has_total: bool) -> Any:
    from docx.shared import Pt

    grid = word.add_table(rows=1, cols=max(len(headers), 1))
    name = _table_style(word)
    if name is not None:
        grid.style = word.styles[name]
    grid.autofit = False
    _header_row(grid.rows[0])
    for cell, header, is_right in zip(grid.rows[0].cells, headers, right):
        _fill(cell, header, right=is_right, bold=True)
    for number, row in enumerate(texts):
        bold = has_total and number == len(texts) - 1
        cells = grid.add_row().cells
        for cell, text, is_right in zip(cells, row, right):
            _fill(cell, text, right=is_right, bold=bold)
    for column, width in zip(grid.columns, plan.widths):
        column.width = Pt(width)
        for cell in column.cells:
            cell.width = Pt(width)
    return grid

"""A document: headings, paragraphs, tables and charts, rendered to every output format.

Every command's output is one :class:`Document` (a command that prints tables makes a document
of its tables), so the formats agree on what a reader sees:

- ``plain`` and ``github`` (Markdown): text; plain output fits :attr:`Style.width`.
- ``html``: a standalone document (doctype, ``<meta charset="utf-8">``, a small embedded
  stylesheet for screen and print, charts as inline SVG, no external resource).
- ``latex``: the tables as booktabs floats, headings as ``\\section*``, paragraphs as text.
- ``docx``: a Word document (:mod:`establishment.tables.word`).
- ``csv`` and ``xlsx``: the tables only (data, no prose).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Sequence

import attrs
from attrs import field, frozen

from establishment.errors import EstablishmentError
from establishment.model.style import PLAIN, Style
from establishment.tables.table import Table
from establishment.tables.terminal import wrap_paragraph


@frozen
class Heading:
    text: str
    level: int = 2


@frozen
class Paragraph:
    """Body text; ``small`` for notes and the basis (small print)."""

    text: str
    small: bool = False


@frozen
class Figure:
    """A chart: its SVG (written by :mod:`establishment.tables.charts`, no matplotlib), a title,
    optionally a function drawing it as PNG for Word (which cannot hold SVG), and its alt text
    (what the chart shows, in words, for a reader who cannot see it)."""

    svg: str
    title: str
    png: Callable[[], bytes] | None = None
    alt: str = ""


Block = Heading | Paragraph | Table | Figure


@frozen
class Document:
    """A title, the blocks in order, and (for a report) its reference and date, printed
    under the title."""

    title: str = ""
    blocks: tuple[Block, ...] = field(default=(), converter=tuple)
    reference: str = ""
    date: str = ""

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


def notes_once(document: Document) -> Document:
    """The document as a reader should meet it: tables marked (:meth:`Table.marked`), each
    note printed once (a note, such as the basis or a marker's legend, that an earlier table
    already carries is left out of the later ones) and no caption repeating the heading
    just above it ("Totals" under "Totals") or the document's own title."""
    seen: set[str] = set()
    blocks: list[Block] = []
    for block in document.blocks:
        if isinstance(block, Table):
            block = block.marked()
            notes = tuple(n for n in block.notes if n not in seen)
            seen.update(notes)
            above = blocks[-1] if blocks else None
            repeats = block.title == document.title or (isinstance(above, Heading)
                                                        and above.text == block.title)
            title = "" if repeats else block.title
            block = attrs.evolve(block, notes=notes, title=title)
        blocks.append(block)
    return attrs.evolve(document, blocks=tuple(blocks))


def reference_line(document: Document) -> str:
    """``Reference. Date: 6 Dec 2026.`` under the title, or nothing."""
    parts = [document.reference.rstrip(".")] if document.reference else []
    parts += [f"Date: {document.date}"] if document.date else []
    return ". ".join(parts) + "." if parts else ""


STYLESHEET = """\
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: #1b1b1b; max-width: 62rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.5rem; margin-bottom: .5rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: 1.2rem 0 .4rem; font-size: .92rem; }
caption { text-align: left; font-weight: 600; padding-bottom: .35rem; }
th, td { padding: .3rem .65rem; border-bottom: 1px solid #d4d4d4; vertical-align: top;
  text-align: left; }
thead th { border-bottom: 2px solid #444; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
th { min-width: 4rem; }
tfoot td { font-weight: 700; border-top: 2px solid #444; border-bottom: 3px double #444; }
p.note { font-size: .82rem; color: #444; margin: .15rem 0; max-width: 52rem; }
figure { margin: 1.2rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .85rem; color: #444; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; color: #000; }
  table, figure { page-break-inside: avoid; }
  tfoot td, thead th { border-color: #000; }
}
"""


def render_document(document: Document, fmt: str, style: Style = PLAIN) -> str:
    """The document as text in ``fmt`` (plain, github, html, latex); csv holds the tables."""
    from establishment.tables.render import SEPARATORS, render

    if fmt == "html":
        return html_document(document, style)
    if fmt == "csv":
        if len(document.tables) > 1:
            raise EstablishmentError("a CSV file holds one table: choose one (the CLI's "
                                     "--table NAME) or write each to its own file (--output "
                                     "DIR/)")
        return SEPARATORS["csv"].join(render(t, "csv", style) for t in document.tables)
    document = notes_once(document)
    parts = []
    if document.title:
        parts.append(_block_text(Heading(document.title, 1), fmt, style))
    if reference_line(document):
        parts.append(_block_text(Paragraph(reference_line(document), small=True), fmt, style))
    for block in document.blocks:
        text = _block_text(block, fmt, style)
        if text:
            parts.append(text)
    return "\n\n".join(parts)


def _block_text(block: Block, fmt: str, style: Style) -> str:
    from establishment.tables.render import latex_escape, render

    if isinstance(block, Table):
        return render(block, fmt, style)
    if isinstance(block, Heading):
        if fmt == "github":  # GitHub renders raw HTML in Markdown: escaped, as in tables
            return "#" * block.level + " " + html.escape(block.text, quote=False)
        if fmt == "latex":
            return rf"\section*{{{latex_escape(block.text)}}}"
        return wrap_paragraph(block.text, style.width)
    if isinstance(block, Paragraph):
        if fmt == "latex":
            text = latex_escape(block.text)
            return rf"{{\footnotesize {text}}}" if block.small else text
        if fmt == "github":
            return html.escape(block.text, quote=False)
        return wrap_paragraph(block.text, style.width)
    if isinstance(block, Figure) and fmt == "github":
        data = base64.b64encode(block.svg.encode("utf-8")).decode("ascii")
        return f"![{block.title}](data:image/svg+xml;base64,{data})"
    return ""  # a chart has no plain-text or LaTeX form here


def html_document(document: Document, style: Style = PLAIN) -> str:
    """A standalone HTML page: nothing is fetched from anywhere (styles and charts inline)."""
    from establishment.tables.render import render_html

    document = notes_once(document)
    title = document.title or next((t.title for t in document.tables if t.title), "Tables")
    body = [f"<h1>{html.escape(document.title)}</h1>"] if document.title else []
    if reference_line(document):
        body.append(f'<p class="note">{html.escape(reference_line(document))}</p>')
    for block in document.blocks:
        if isinstance(block, Table):
            body.append(render_html(block, style))
        elif isinstance(block, Heading):
            level = min(max(block.level, 1), 6)
            body.append(f"<h{level}>{html.escape(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            klass = ' class="note"' if block.small else ""
            body.append(f"<p{klass}>{html.escape(block.text)}</p>")
        elif isinstance(block, Figure):
            body.append(f"<figure>\n{_labelled_svg(block)}\n<figcaption>"
                        f"{html.escape(block.title)}</figcaption>\n</figure>")
    return "\n".join(["<!DOCTYPE html>", '<html lang="en-GB">', "<head>",
                      '<meta charset="utf-8">',
                      '<meta name="viewport" content="width=device-width, initial-scale=1">',
                      f"<title>{html.escape(title)}</title>",
                      f"<style>\n{STYLESHEET}</style>", "</head>", "<body>", *body,
                      "</body>", "</html>"]) + "\n"


def _labelled_svg(figure: Figure) -> str:
    """The chart's SVG with its alt text as the image's accessible name (``aria-label``)."""
    if not figure.alt or "aria-label" in figure.svg[:400]:
        return figure.svg
    label = html.escape(figure.alt)
    return figure.svg.replace("<svg ", f'<svg aria-label="{label}" ', 1)


def tables_document(tables: Sequence[Table], title: str = "") -> Document:
    return Document(title, tuple(tables))

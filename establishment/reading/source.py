"""A report's text as numbered lines and its paragraphs, whatever file it came in.

Three inputs give the same lines: text as the PDF-to-text step leaves it (wrapped lines, blank
lines inside paragraphs, bullets as odd characters), a Word file (one line per paragraph; a
table row is one line with its cells kept apart, so it is read as a table), and a PDF (its text,
page by page, through pypdf, an optional extra: ``pip install 'establishment[pdf]'``). A line's
number is its line in the text file, its paragraph in the Word file (tables after the paragraph
they follow), or its line in the PDF's extracted text.

Paragraphs follow the committee-report layout: a numbered paragraph ("6. Following ...") runs
until the next number or heading, and a recommendation ("1) the Committee approves ...") is a
paragraph of its own. Each paragraph remembers the heading it sits under (the reader reads
budgets only under a financial heading).
"""

from __future__ import annotations

import re
from pathlib import Path

from attrs import field, frozen

from establishment.errors import LoadError, Problem
from establishment.io import read_bytes

BULLETS = "-•*\uf0b7\uf0a7\u25cf\u25aa\u2022\u2013\u00b7"
NUMBERED = re.compile(r"^[" + re.escape(BULLETS) + r"\s]*(\d{1,3})\.\s+(?=\S)")
RECOMMENDATION = re.compile(r"^[" + re.escape(BULLETS) + r"\s]*(\d{1,2})\)\s+(?=\S)")
ITEM = re.compile(r"^[" + re.escape(BULLETS) + r"]\s*|^\(?[a-z]{1,4}\)\s+|^[ivx]{1,4}\.\s+")


@frozen
class Line:
    """One line of the report: its number (see the module docstring), its text and, for a row
    of a Word or PDF table, its cells."""

    number: int
    text: str
    cells: tuple[str, ...] | None = None


@frozen
class Paragraph:
    """A paragraph: its label ("6", "recommendation 1", or "" before the first), the heading
    above it, and its lines."""

    label: str
    heading: str
    lines: tuple[Line, ...] = field(converter=tuple)

    @property
    def name(self) -> str:
        """How a source names it: "para 6", "recommendation 1", or "line N"."""
        if self.label.isdigit():
            return f"para {self.label}"
        return self.label or f"line {self.lines[0].number}"


def clean(text: str) -> str:
    """A line as the reader matches it: bold markers and odd spaces gone, dashes plain."""
    text = text.replace("**", "  ").replace("\u00a0", " ").replace("\u2019", "'")
    return text.replace("\u2013", "-").replace("\u2014", "-").rstrip()


def text_lines(text: str) -> list[Line]:
    """The lines of a report's text (``**`` bold markers, as some extractors leave them between
    title lines, start a new line)."""
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        for part in raw.split("**"):
            if part.strip():
                out.append(Line(number, clean(part)))
    return out


def docx_lines(data: bytes, where: str) -> list[Line]:
    """A Word file's paragraphs and table rows in document order (python-docx)."""
    import io

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (ValueError, KeyError, OSError) as err:
        raise LoadError([Problem(where, None, f"is not a Word (.docx) file ({err})")]) from None
    out: list[Line] = []
    number = 0
    for item in document.iter_inner_content():
        if isinstance(item, DocxParagraph):
            number += 1
            if item.text.strip():
                out.extend(Line(number, clean(t)) for t in item.text.split("\n") if t.strip())
        elif isinstance(item, Table):
            for row in item.rows:
                number += 1
                cells = tuple(clean(c.text).strip() for c in row.cells)
                out.append(Line(number, "  ".join(c for c in cells if c), cells))
    return out


def pdf_lines(data: bytes, where: str) -> list[Line]:
    """A PDF's text, page after page, through pypdf (the ``pdf`` extra)."""
    import io

    try:
        import pypdf
    except ImportError:
        raise LoadError([Problem(where, None, "reading a PDF needs pypdf: pip install "
                                 "'establishment[pdf]' (or give the report as text or .docx)")]
                        ) from None
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (pypdf.errors.PdfReadError, ValueError, KeyError, OSError) as err:
        raise LoadError([Problem(where, None, f"is not a readable PDF ({err})")]) from None
    return text_lines("\n".join(pages))


def report_lines(path: str | Path) -> list[Line]:
    """The lines of a report file: .docx, .pdf, else text (UTF-8, else Windows-1252)."""
    where = str(path)
    data = read_bytes(path)
    suffix = Path(path).suffix.lower()
    if suffix == ".docx":
        return docx_lines(data, where)
    if suffix == ".pdf":
        return pdf_lines(data, where)
    if data.startswith(b"PK\x03\x04") or data.startswith(b"%PDF"):
        raise LoadError([Problem(where, None, "looks like a Word or PDF file: name it .docx "
                                 "or .pdf")])
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text_lines(text)


JOINERS = {"the", "of", "and", "a", "an", "to", "in", "for", "with", "by", "or", "under", "on",
           "at", "from", "as", "is", "are", "be", "that", "this", "its", "their"}


def continues(previous: str) -> bool:
    """Whether the line after ``previous`` carries on its sentence (a wrapped line): it ends
    with a comma, a dash, an open bracket or a word such as "the" or "of"."""
    stripped = previous.rstrip()
    if not stripped or stripped[-1] in ",-(/&":
        return bool(stripped)
    last = stripped.split()[-1]
    # a line wrapped at the margin (PDF-to-text) that ends mid-sentence
    wrapped = 60 <= len(stripped) <= 100 and stripped[-1] not in ".:;!?)"
    return last.lower() in JOINERS or wrapped


def is_heading(text: str, previous: str = "") -> bool:
    """A heading: a short line of capitalised words that does not end a sentence, does not end
    in a number (a wrapped "Children Act 1989") and does not carry on the line before."""
    stripped = text.strip()
    if continues(previous) or stripped[-1:].isdigit() or continues(stripped):
        return False
    words = re.findall(r"[A-Za-z][A-Za-z'/&-]*", stripped)
    if not words or len(stripped) > 80 or stripped[-1] in ".,;:" or stripped[0].isdigit():
        return False
    if ITEM.match(stripped) or "£" in stripped or not stripped[0].isupper():
        return False
    long = [w for w in words if len(w) > 3]
    capitals = sum(w[0].isupper() for w in long)
    return len(words) <= 5 or capitals >= 0.6 * len(long)


def paragraphs(lines: list[Line]) -> list[Paragraph]:
    """The lines grouped into paragraphs (see the module docstring)."""
    out: list[Paragraph] = []
    label, heading, current = "", "", []
    last_number, previous = 0, ""
    for line in lines:
        before, previous = previous, line.text
        numbered = NUMBERED.match(line.text)
        recommendation = RECOMMENDATION.match(line.text) if not numbered else None
        if numbered and 0 < int(numbered.group(1)) <= last_number + 5:
            start = f"{int(numbered.group(1))}"
            last_number = int(numbered.group(1))
        elif recommendation and "recommendation" in heading.lower():
            start = f"recommendation {recommendation.group(1)}"
        elif line.cells is None and is_heading(line.text, before):
            if current:
                out.append(Paragraph(label, heading, current))
            heading, label, current = line.text.strip(), "", []
            continue
        else:
            current.append(line)
            continue
        if current:
            out.append(Paragraph(label, heading, current))
        label, current = start, [line]
    if current:
        out.append(Paragraph(label, heading, current))
    return out

"""Reading XLSX workbooks with bounds checked before anything is allocated.

A workbook is a zip of XML parts, and a few kilobytes of zip can unpack to gigabytes: one cell
at ``XFD1048576`` makes a used range of 17 billion cells, a sheet of compressed spaces unpacks
to 3 GiB, a 20 MB shared string used 300 times becomes 6 GB of cells. So, in this order:

1. every part's uncompressed size (``zipfile.ZipInfo.file_size``, from the zip's central
   directory, enforced while unpacking) is at most :attr:`XlsxLimits.xml_bytes`. For a file
   on disk this is checked before the file is read (:func:`check_workbook_file`: its size,
   then its directory, read by seeking to the end: a stored 3 GiB sheet is refused without
   reading it), so memory is bounded by the limits before any part is read;
2. the shared strings are streamed and any string over Excel's own 32,767 characters is
   refused (a longer one cannot come from Excel);
3. the chosen sheet's XML is streamed a row block at a time (never read whole): its used range
   (highest row x highest column that holds a cell) is at most :attr:`XlsxLimits.cells`, and
   formulas without a saved result are found, with their cells;
4. only then are the values read, by python-calamine (Rust: an order of magnitude faster than
   openpyxl), row by row; trailing empty cells are dropped, so nothing is padded further.

Each refusal names the limit and how to raise it (``ESTABLISHMENT_XLSX_MAX_XML_MB``,
``ESTABLISHMENT_XLSX_MAX_CELLS``, or :class:`XlsxLimits` in code). Control characters written
by this library as OOXML ``_xHHHH_`` escapes are unescaped on read (calamine does it).
"""

from __future__ import annotations

import html
import io
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from attrs import field, frozen

DEFAULT_XML_MB = 256
DEFAULT_CELLS = 20_000_000
MAX_TEXT = 32_767  # Excel's own limit on the characters in one cell
CHUNK = 1 << 20


@frozen
class XlsxLimits:
    """Bounds on what one workbook may unpack to (defaults, or the environment's)."""

    xml_bytes: int = DEFAULT_XML_MB << 20
    cells: int = DEFAULT_CELLS

    @classmethod
    def from_env(cls) -> XlsxLimits:
        def number(name: str, default: int) -> int:
            text = os.environ.get(name, "").replace("_", "").replace(",", "")
            return int(text) if text.isdigit() else default

        return cls(number("ESTABLISHMENT_XLSX_MAX_XML_MB", DEFAULT_XML_MB) << 20,
                   number("ESTABLISHMENT_XLSX_MAX_CELLS", DEFAULT_CELLS))


class XlsxRefused(ValueError):
    """A workbook over a limit, or not a readable workbook: ``str(err)`` says which."""


@frozen
class Sheet:
    """The sheet read: its title, the other worksheets' titles, its rows as ``(sheet row
    number, cells)`` (trailing empty cells dropped), the formulas that have no saved result
    (by row and column), and ``values``: calamine's rows as it gives them (one list per row
    from row 1, every row as wide as the used range, an empty cell ``""``), for a reader that
    takes the sheet a column at a time."""

    title: str
    others: tuple[str, ...]
    rows: Iterator[tuple[int, list[Any]]]
    uncomputed: dict[tuple[int, int], str]
    values: list[list[Any]] = field(factory=list, repr=False)


_REF_COLUMNS = re.compile(rb' r="([A-Z]{1,4})\d')  # a literal start: found by a fast search
_REF_ROWS = re.compile(rb' r="[A-Z]{1,4}(\d+)"')
# a text run of more than 32,767 bytes (only those can hold too many characters)
_LONG_TEXT = re.compile(rb'<t\b[^>]*>[^<]{%d}' % (MAX_TEXT + 1))  # literal start: fast
_LONG_TEXT_NS = re.compile(rb'<\w+:t\b[^>]*>[^<]{%d}' % (MAX_TEXT + 1))
_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)
_REF = re.compile(rb'\br="([A-Z]{1,4})(\d+)"')
_FORMULA = re.compile(rb'<(?:\w+:)?f\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?f>)')
_VALUE = re.compile(rb'<(?:\w+:)?v\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?v>)')
_TEXT = re.compile(rb'<(?:\w+:)?t\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?t>)', re.S)
_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")


def column_number(letters: bytes | str) -> int:
    text = letters.decode() if isinstance(letters, bytes) else letters
    number = 0
    for ch in text:
        number = number * 26 + ord(ch) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text_length(xml: bytes) -> int:
    """The characters of the text runs in ``xml`` (an ``<si>`` or ``<is>``), as a reader
    shows them: entities and ``_xHHHH_`` escapes count as one character each."""
    text = "".join(html.unescape(m.group(1).decode("utf-8", "replace"))
                   for m in _TEXT.finditer(xml) if m.group(1))
    return len(_ESCAPE.sub("_", text))


def _too_long(xml: bytes, what: str) -> str | None:
    if len(xml) <= MAX_TEXT:  # bytes >= characters: cannot be over
        return None
    if len(xml) > 12 * MAX_TEXT:  # more than any entity-escaped 32,767 characters take
        # at least: a stretch with no end tag is streamed in pieces (see _blocks)
        return (f"{what} holds at least {len(xml):,} bytes of text, over Excel's limit of "
                f"{MAX_TEXT:,} characters in a cell (a cell this long cannot come from Excel)")
    length = _text_length(xml)
    if length <= MAX_TEXT:
        return None
    return (f"{what} holds a text of {length:,} characters, over Excel's limit of "
            f"{MAX_TEXT:,} characters in a cell (a cell this long cannot come from Excel)")


def _blocks(archive: zipfile.ZipFile, part: str, end: bytes) -> Iterator[bytes]:
    """``part`` streamed in pieces that end just after an ``end`` tag (a row, a string), so
    no cell is split; memory is a few pieces, never the whole part. Only the new bytes are
    searched for ``end``; a stretch without one (250 MB of spaces between two rows) is
    yielded every ``4 * CHUNK`` bytes with the last ``CHUNK`` kept for the next piece, so
    anything shorter than ``CHUNK`` (any cell: text is at most 32,767 characters) is seen
    whole in some piece. Before, such a stretch was joined and searched again at every
    read: quadratic (41 s for a 260 KB workbook unpacking to 250 MB)."""
    pending = b""
    with archive.open(part) as stream:
        while True:
            chunk = stream.read(CHUNK)
            if not chunk:
                break
            start = max(0, len(pending) - len(end) + 1)
            pending += chunk
            cut = pending.rfind(end, start)
            if cut >= 0:
                cut += len(end)
                yield pending[:cut]
                pending = pending[cut:]
            elif len(pending) > 4 * CHUNK:
                yield pending
                pending = pending[-CHUNK:]
    if pending:
        yield pending


RAISE_IT = ("raise it with the environment variable ESTABLISHMENT_XLSX_MAX_XML_MB if the "
            "workbook is genuine")


def check_sizes(archive: zipfile.ZipFile, limits: XlsxLimits) -> None:
    """Every part at most ``limits.xml_bytes`` unpacked (checked from the directory, before
    anything is unpacked): XML parts and any other (an image, a stored blob) alike."""
    for info in archive.infolist():
        if info.file_size > limits.xml_bytes:
            what = "XML" if info.filename.endswith((".xml", ".rels")) else "data"
            raise XlsxRefused(
                f"part {info.filename!r} unpacks to {info.file_size:,} bytes of {what}, over "
                f"the limit of {limits.xml_bytes:,} bytes ({limits.xml_bytes >> 20} MB); "
                f"{RAISE_IT}")


def check_workbook_file(path: str | os.PathLike[str], limits: XlsxLimits | None = None
                        ) -> None:
    """Refuse a workbook file over the limits before it is read into memory: every part's
    declared size, from the zip's central directory alone (zipfile seeks to the end and
    reads the directory, no member), then the file's size on disk (a workbook compresses its
    XML, so a genuine one is smaller than the limit; this also bounds a file whose directory
    cannot be read, which the reader then reports)."""
    limits = limits or XlsxLimits.from_env()
    try:
        with zipfile.ZipFile(path) as archive:
            check_sizes(archive, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError,
            ValueError) as err:
        if isinstance(err, XlsxRefused):
            raise
    size = os.stat(path).st_size
    if size > limits.xml_bytes:
        raise XlsxRefused(f"is a workbook of {size:,} bytes, over the limit of "
                          f"{limits.xml_bytes:,} bytes ({limits.xml_bytes >> 20} MB); "
                          f"{RAISE_IT}")


_UNREADABLE = (
    (zipfile.BadZipFile, "it is not a zip archive, or a damaged one"),
    (zipfile.LargeZipFile, "it is a zip archive too large to read"),
    (NotImplementedError, "it is compressed in a way a workbook never is"),
    ((EOFError, zlib.error), "a compressed part of it is damaged or cut short"),
)


def unreadable(err: BaseException) -> str:
    """Why a workbook could not be read, in words (never a library's exception name)."""
    why = next((words for kind, words in _UNREADABLE if isinstance(err, kind)),
               "a part of it is damaged or is not the XML a workbook holds")
    return f"is not a readable XLSX workbook ({why}; open it in Excel and save it again)"


def check_shared_strings(archive: zipfile.ZipFile) -> None:
    """No shared string over 32,767 characters (streamed, a string at a time)."""
    names = set(archive.namelist())
    part = next((n for n in ("xl/sharedStrings.xml", "xl/SharedStrings.xml") if n in names),
                None)
    if part is None:
        return
    for block in _blocks(archive, part, b"si>"):
        for piece in block.split(b"si>"):
            why = _too_long(piece, "a shared string")
            if why:
                raise XlsxRefused(why)


_SHEETS = re.compile(rb'<(?:\w+:)?sheet\b([^>]*)/?>')
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_RELATIONSHIP = re.compile(rb'<(?:\w+:)?Relationship\b([^>]*)/?>')


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's title -> its XML part, from xl/workbook.xml and its relationships."""
    try:
        book = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError as err:
        raise XlsxRefused(f"is not a readable XLSX workbook (no {err})") from None
    targets = {}
    for match in _RELATIONSHIP.finditer(rels):
        attrs = dict(_ATTR.findall(match.group(1)))
        if attrs.get(b"Type", b"").endswith(b"/worksheet"):
            target = attrs.get(b"Target", b"").decode("utf-8", "replace")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[attrs.get(b"Id", b"")] = target
    parts = {}
    for match in _SHEETS.finditer(book):
        attrs = dict(_ATTR.findall(match.group(1)))
        rid = next((v for k, v in attrs.items() if k.endswith(b":id")), None)
        if rid in targets:
            title = html.unescape(attrs.get(b"name", b"").decode("utf-8", "replace"))
            parts[title] = targets[rid]
    return parts


def _formula_cells(block: bytes, found: dict[tuple[int, int], str]) -> None:
    """Cells of ``block`` holding a formula with no saved value (``<v/>``, ``<v></v>`` or no
    ``<v>`` at all), by (row, column)."""
    for cell in _CELL.finditer(block):
        body = cell.group(2) or b""
        formula = _FORMULA.search(body)
        if formula is None:
            continue
        value = _VALUE.search(body)
        if value is not None and value.group(1):
            continue
        ref = _REF.search(cell.group(1))
        if ref is None:
            continue
        text = html.unescape((formula.group(1) or b"").decode("utf-8", "replace"))
        found[(int(ref.group(2)), column_number(ref.group(1)))] = "=" + (
            text or "(a shared formula)")


def scan_sheet(archive: zipfile.ZipFile, part: str, title: str, limits: XlsxLimits
               ) -> dict[tuple[int, int], str]:
    """Stream the sheet's XML: refuse a used range over ``limits.cells`` or an inline string
    over 32,767 characters; return the formulas without a saved result."""
    max_row, columns, uncomputed = 0, set(), {}  # type: ignore[var-annotated]
    for block in _blocks(archive, part, b"row>"):
        # white space around the XML is skipped in C: the reference patterns start with a
        # space, so a regex would try (and fail) at every one of 250 MB of padding
        block = block.strip()
        if b' r="' not in block:
            continue
        # each cell's own reference (calamine trusts it, whatever its row element says)
        columns.update(_REF_COLUMNS.findall(block))
        max_row = max([max_row, *(int(n) for n in set(_REF_ROWS.findall(block)))])
        if b"<f" in block or b":f" in block:  # a plain find first: the regex is slower
            _formula_cells(block, uncomputed)
        if b"is>" in block:
            pattern = _LONG_TEXT_NS if b":t>" in block else _LONG_TEXT
            for inline in pattern.finditer(block):
                why = _too_long(block[inline.start():block.find(b"is>", inline.start())],
                                f"sheet {title!r}")
                if why:
                    raise XlsxRefused(why)
    max_col = max((column_number(c) for c in columns), default=0)
    if max_row * max_col > limits.cells:
        raise XlsxRefused(
            f"sheet {title!r} uses the range A1:{column_letters(max_col)}{max_row} "
            f"({max_row * max_col:,} cells), over the limit of {limits.cells:,} cells; delete "
            "the empty rows and columns around the data, or raise the limit with the "
            "environment variable ESTABLISHMENT_XLSX_MAX_CELLS")
    return uncomputed


def _calamine_values(data: bytes, title: str) -> list[list[Any]]:
    """The sheet's rows as calamine reads them (the whole sheet is parsed when opened)."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return list(book.get_sheet_by_name(title).iter_rows())


def _calamine_rows(values: list[list[Any]]) -> Iterator[tuple[int, list[Any]]]:
    """The sheet's rows as (sheet row number, cells), trailing empty cells dropped."""
    for line, row in enumerate(values, start=1):
        cells = [None if v == "" else v for v in row]
        while cells and cells[-1] is None:
            cells.pop()
        yield line, cells


def read_sheet(data: bytes, preferred: str = "Posts", limits: XlsxLimits | None = None
               ) -> Sheet:
    """The sheet named ``preferred``, else the first worksheet, checked against ``limits``
    (default: :meth:`XlsxLimits.from_env`); :class:`XlsxRefused` when it cannot be read."""
    from python_calamine import CalamineError

    limits = limits or XlsxLimits.from_env()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_sizes(archive, limits)
            check_shared_strings(archive)
            parts = sheet_parts(archive)
            if not parts:
                raise XlsxRefused("has no worksheets")
            title = preferred if preferred in parts else next(iter(parts))
            if parts[title] not in set(archive.namelist()):
                raise XlsxRefused(f"is not a readable XLSX workbook (no part {parts[title]!r} "
                                  f"for sheet {title!r})")
            uncomputed = scan_sheet(archive, parts[title], title, limits)
        values = _calamine_values(data, title)  # a damaged workbook is refused here
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError,
            OSError, RuntimeError, CalamineError, ValueError, zlib.error) as err:
        if isinstance(err, XlsxRefused):
            raise
        raise XlsxRefused(unreadable(err)) from None

    others = tuple(t for t in parts if t != title)
    return Sheet(title, others, _calamine_rows(values), uncomputed, values)

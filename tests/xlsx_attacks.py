"""Hostile XLSX workbooks, built on demand (nothing binary is committed).

Each is a few kilobytes of zip that a careless reader turns into minutes or gigabytes:

- :func:`far_cell`: a header row and one legal cell at ``XFD1048576`` (a used range of 17
  billion cells; openpyxl's reader padded every row to it and hung);
- :func:`spaces`: a sheet whose XML holds 3 GiB of spaces (the whole-sheet formula check read
  it into memory: 6.4 GB resident);
- :func:`huge_shared_string`: one 20 MB shared string used as the title of 300 posts (every
  cell a copy: MemoryError).

``python tests/xlsx_attacks.py FOLDER`` writes them as files (for benchmarks/xlsx_attacks.py).
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>'),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
        '<sheets><sheet name="Posts" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        '</Relationships>'),
}
HEADER = ('<row r="1"><c r="A1" t="inlineStr"><is><t>title</t></is></c>'
          '<c r="B1" t="inlineStr"><is><t>fte</t></is></c>'
          '<c r="C1" t="inlineStr"><is><t>grade</t></is></c></row>')


def _sheet(rows: str, padding: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
            f'{rows}</sheetData>{padding}</worksheet>')


def _book(sheet: bytes | str, shared: str = "", *, spaces: int = 0) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/sharedStrings.xml",
                         f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">{shared}'
                         '</sst>', compresslevel=9)
        head, _, tail = (sheet if isinstance(sheet, str) else sheet.decode()).partition(
            "</sheetData>")
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", (2020, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=spaces > 0) as part:
            part.write((head + "</sheetData>").encode())
            block = b" " * (64 << 20)
            left = spaces
            while left > 0:
                part.write(block[:left])
                left -= len(block)
            part.write(tail.encode())
    return out.getvalue()


def far_cell() -> bytes:
    return _book(_sheet(HEADER + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))


def spaces(size: int = 3 << 30) -> bytes:
    row = ('<row r="2"><c r="A2" t="inlineStr"><is><t>A</t></is></c><c r="B2"><v>1</v></c>'
           '<c r="C2" t="inlineStr"><is><t>Grade 5</t></is></c></row>')
    return _book(_sheet(HEADER + row), spaces=size)


def huge_shared_string(size: int = 20 << 20, uses: int = 300) -> bytes:
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>0</v></c><c r="B{n}"><v>1</v></c>'
                   f'<c r="C{n}" t="inlineStr"><is><t>Grade 5</t></is></c></row>'
                   for n in range(2, uses + 2))
    return _book(_sheet(HEADER + rows), f"<si><t>{'x' * size}</t></si>")


ATTACKS = {"far-cell": far_cell, "spaces": spaces, "huge-shared-string": huge_shared_string}

if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    for name, build in ATTACKS.items():
        (folder / f"{name}.xlsx").write_bytes(build())
        print(folder / f"{name}.xlsx", (folder / f"{name}.xlsx").stat().st_size, "bytes")

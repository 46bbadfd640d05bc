"""XLSX reading bounded before it allocates (issue 17), and round trips through every format.

The attack workbooks are built by tests/xlsx_attacks.py; each is checked in a subprocess
under a 1 GB address space and a 30 s timeout (generous: benchmarks/xlsx_attacks.md records
the real time and memory)."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from establishment import Payment, Post, Structure
from establishment.errors import LoadError
from establishment.io import parse_structure_bytes, structure_to_csv, structure_to_toml
from establishment.io.tabular import format_funding, parse_funding
from establishment.io.xlsx_file import parse_xlsx_bytes, structure_to_xlsx
from establishment.io.xlsx_read import XlsxLimits
from establishment.model.funding import to_funding
from tests import xlsx_attacks

ROOT = Path(__file__).parent.parent
GUARD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from establishment.cli.main import main
sys.exit(main(["check", sys.argv[1]]))
"""


def _guarded_check(path: Path, env: dict[str, str] | None = None
                   ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", GUARD, str(path)], capture_output=True,
                          text=True, timeout=30, cwd=ROOT, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


class TestAttacks:
    def test_one_cell_at_xfd1048576_is_refused_at_once(self, tmp_path):
        path = tmp_path / "far.xlsx"
        path.write_bytes(xlsx_attacks.far_cell())
        assert path.stat().st_size < 5000
        done = _guarded_check(path)
        assert done.returncode == 2, done.stderr
        assert (done.stdout + done.stderr).strip() == (
            f"establishment: {path}: sheet 'Posts' uses the range A1:XFD1048576 "
            "(17,179,869,184 cells), over the limit of 20,000,000 cells; delete the empty rows "
            "and columns around the data, or raise the limit with the environment variable "
            "ESTABLISHMENT_XLSX_MAX_CELLS")

    def test_a_sheet_of_compressed_spaces_is_refused_by_its_unpacked_size(self, tmp_path):
        """The same workbook as the 3 GiB one (benchmarks/xlsx_attacks.py builds that), with
        the limit lowered so that building it stays quick."""
        path = tmp_path / "spaces.xlsx"
        path.write_bytes(xlsx_attacks.spaces(64 << 20))
        done = _guarded_check(path, {"ESTABLISHMENT_XLSX_MAX_XML_MB": "16"})
        assert done.returncode == 2, done.stderr
        said = done.stdout + done.stderr
        assert "part 'xl/worksheets/sheet1.xml' unpacks to 67,109," in said
        assert "over the limit of 16,777,216 bytes (16 MB); raise it with the environment " \
               "variable ESTABLISHMENT_XLSX_MAX_XML_MB" in said

    def test_a_20_mb_shared_string_used_300_times_is_refused(self, tmp_path):
        path = tmp_path / "shared.xlsx"
        path.write_bytes(xlsx_attacks.huge_shared_string())
        assert path.stat().st_size < 40_000
        done = _guarded_check(path)
        assert done.returncode == 2, done.stderr
        # streamed in pieces of a few MB (never joined whole): the first piece refuses it
        assert re.search(r": a shared string holds at least [\d,]+ bytes of text, over "
                         r"Excel's limit of 32,767 characters in a cell \(a cell this long "
                         r"cannot come from Excel\)$", (done.stdout + done.stderr).strip())

    def test_a_string_of_32768_characters_is_refused_and_32767_read(self):
        for size, ok in ((32_767, True), (32_768, False)):
            data = xlsx_attacks.huge_shared_string(size, uses=1)
            if ok:
                assert len(parse_xlsx_bytes(data, "x.xlsx").structure.posts[0].title) == size
            else:
                with pytest.raises(LoadError, match="32,768 characters, over Excel's limit"):
                    parse_xlsx_bytes(data, "x.xlsx")

    def test_a_far_cell_inside_an_early_row_is_refused(self):
        """calamine trusts the cell's own reference (and aborted the whole process, a 512 GB
        allocation), so the row element's number is not enough."""
        data = xlsx_attacks._book(xlsx_attacks._sheet(
            xlsx_attacks.HEADER + '<row r="2"><c r="XFD1048576"><v>1</v></c></row>'))
        with pytest.raises(LoadError, match=r"A1:XFD1048576 \(17,179,869,184 cells\)"):
            parse_xlsx_bytes(data, "x.xlsx")

    def test_an_inline_string_over_32767_characters_is_refused_while_streaming(self):
        row = ('<row r="2"><c r="A2" t="inlineStr"><is><t>' + "é" * 32_768 + '</t></is></c>'
               '<c r="B2"><v>1</v></c></row>')
        data = xlsx_attacks._book(xlsx_attacks._sheet(xlsx_attacks.HEADER + row))
        with pytest.raises(LoadError, match="sheet 'Posts' holds a text of 32,768 characters"):
            parse_xlsx_bytes(data, "x.xlsx")

    def test_limits_can_be_raised_in_code(self):
        data = xlsx_attacks.far_cell()
        with pytest.raises(LoadError, match="over the limit of 20,000,000 cells"):
            parse_xlsx_bytes(data, "x.xlsx")
        with pytest.raises(LoadError, match="over the limit of 10 cells"):
            parse_xlsx_bytes(xlsx_attacks.huge_shared_string(10, uses=3), "x.xlsx",
                             limits=XlsxLimits(cells=10))


# --- round trips ------------------------------------------------------------------------------

FULL_WIDTH = "\uff1d\uff0b\uff0d\uff20"
# control characters (not NUL: a CSV with one is refused as not text), separators, quotes,
# formula triggers ASCII and full-width, an OOXML escape look-alike
ALPHABET = st.sampled_from(["a", "b", " ", "\r", "\n", "\t", "\x07", "\x1b", ";", "%", "=",
                            '"', "'", "+", "-", "@", ",", "_x000D_", "£", *FULL_WIDTH])
TEXT = st.lists(ALPHABET, min_size=1, max_size=8).map("".join).filter(lambda t: t.strip())


@st.composite
def awkward_structures(draw: st.DrawFn) -> Structure:
    posts = []
    for n in range(draw(st.integers(1, 3))):
        grade = draw(st.sampled_from(["", "Grade 5"]))
        cost = draw(st.integers(1, 99_999)) if not grade or draw(st.booleans()) else None
        names = draw(st.lists(TEXT, min_size=1, max_size=2, unique_by=str.strip))
        funding = ([(names[0].strip(), Decimal(100))] if len(names) == 1 else
                   [(names[0].strip(), Decimal(40)), (names[1].strip(), Decimal(60))])
        posts.append(Post(draw(TEXT), Decimal(draw(st.integers(1, 40))) / 4, grade,
                          team=draw(TEXT), notes=draw(TEXT), reference=f"R{n}",
                          cost_per_fte=cost, funding=funding))
    payments = [Payment(draw(TEXT), Decimal(draw(st.integers(-99_999, 99_999))) / 100,
                        per="total", start=dt.date(2018, 4, 1), end=dt.date(2019, 3, 31),
                        funding=[(draw(TEXT).strip(), Decimal(100))])]
    return Structure("s", posts, payments)


def _read(structure: Structure, fmt: str) -> Structure:
    data = {"toml": lambda s: structure_to_toml(s).encode(),
            "csv": lambda s: structure_to_csv(s).encode(),
            "xlsx": structure_to_xlsx}[fmt](structure)
    return parse_structure_bytes(data, fmt, f"s.{fmt}").structure


@pytest.mark.parametrize("fmt", ["toml", "csv", "xlsx"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.filter_too_much])
@given(structure=awkward_structures())
def test_every_record_written_reads_back_equal(fmt, structure):
    back = _read(structure, fmt)
    assert back.posts == structure.posts
    assert back.payments == structure.payments


@pytest.mark.parametrize("names", [["Core 100%"], ["x;y", "Grant 40%"], ['a="b', "Core"],
                                   ["Core", "Grant"]])
def test_funding_sources_follow_one_grammar(names):
    shares = [(name, Decimal(100) / len(names)) for name in names]
    funding = to_funding(shares)
    text = format_funding(funding)
    back = parse_funding(text)
    assert (back if isinstance(back, tuple) else to_funding(back)) == funding


def test_xlsx_escapes_control_characters_and_keeps_a_carriage_return():
    """XLSX turned a\\r\\nb into a\\nb; a bell made the workbook unwritable."""
    import zipfile
    from io import BytesIO

    structure = Structure("s", [Post("a\r\nb \x07 _x0041_", 1, "Grade 5")])
    data = structure_to_xlsx(structure)
    with zipfile.ZipFile(BytesIO(data)) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/"))
    assert b"a_x000D_\nb _x0007_ _x005F_x0041_" in xml
    assert _read(structure, "xlsx").posts == structure.posts


# --- limits from the zip directory, before the file is read (issue 27) ----------------------

def _declaring(data: bytes, part: str, size: int) -> bytes:
    """``data`` (a zip) with ``part``'s uncompressed size declared as ``size`` in its local
    header and in the central directory: what a stored 3 GiB sheet declares, in a few KB."""
    import struct

    out = bytearray(data)
    name = part.encode()
    local = out.find(b"PK\x03\x04")
    while local >= 0:
        length = struct.unpack_from("<H", out, local + 26)[0]
        if bytes(out[local + 30:local + 30 + length]) == name:
            struct.pack_into("<L", out, local + 22, size)
        local = out.find(b"PK\x03\x04", local + 4)
    entry = out.find(b"PK\x01\x02")
    while entry >= 0:
        length = struct.unpack_from("<H", out, entry + 28)[0]
        if bytes(out[entry + 46:entry + 46 + length]) == name:
            struct.pack_into("<L", out, entry + 24, size)
        entry = out.find(b"PK\x01\x02", entry + 4)
    return bytes(out)


class TestDirectoryBeforeReading:
    SHEET = "xl/worksheets/sheet1.xml"

    def _workbook(self, tmp_path: Path, size: int) -> Path:
        data = structure_to_xlsx(Structure("s", [Post("A", 1, "Grade 5", 28)]))
        path = tmp_path / "declared.xlsx"
        path.write_bytes(_declaring(data, self.SHEET, size))
        return path

    def test_a_declared_3_gib_sheet_is_refused_without_reading_the_file(self, tmp_path,
                                                                          monkeypatch):
        import zipfile

        from establishment.io import read_structure

        path = self._workbook(tmp_path, 3 << 30)

        def never(*args, **kwargs):
            raise AssertionError("a member or the whole file was read")

        monkeypatch.setattr(Path, "read_bytes", never)
        monkeypatch.setattr(zipfile.ZipFile, "open", never)
        with pytest.raises(LoadError) as caught:
            read_structure(path)
        assert [str(p) for p in caught.value.problems] == [
            f"{path}: part '{self.SHEET}' unpacks to 3,221,225,472 bytes of XML, over the limit "
            "of 268,435,456 bytes (256 MB); raise it with the environment variable "
            "ESTABLISHMENT_XLSX_MAX_XML_MB if the workbook is genuine"]

    def test_a_file_whose_directory_is_unreadable_is_bounded_by_its_size(self, tmp_path):
        from establishment.io.xlsx_read import XlsxRefused, check_workbook_file

        path = tmp_path / "junk.xlsx"
        path.write_bytes(b"PK\x03\x04" + bytes(2000))
        with pytest.raises(XlsxRefused, match=r"^is a workbook of 2,004 bytes, over the limit "
                           r"of 1,024 bytes \(0 MB\)"):
            check_workbook_file(path, XlsxLimits(xml_bytes=1024))
        check_workbook_file(path)  # under the limit: left to the reader, which says why

    def test_a_declared_size_under_the_limit_passes_the_directory_check(self, tmp_path):
        from establishment.io.xlsx_read import check_workbook_file

        check_workbook_file(self._workbook(tmp_path, 200 << 20))

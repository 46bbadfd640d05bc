"""Exports that are safe to open: XLSX re-read with openpyxl (money numeric with a £ format,
bold headers, formula-free totals), formula-injection neutralising in CSV and XLSX, atomic
writes."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import scenarios
from establishment import EstablishmentError, PayBasis, Post, Structure
from establishment.cells import neutralise, restore_text
from establishment.engine.costing import cost
from establishment.io import read_structure, write_structure
from establishment.tables import Column, Table, committee_table, tables_bytes, write_tables

ATTACK = '=HYPERLINK("http://x","click")'


@pytest.fixture(scope="module")
def committee():
    result = scenarios.run_scenario("2018-short-breaks")
    return committee_table(result.primary, result.scenario.title)


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


class TestXlsx:
    def test_money_cells_are_numbers_with_a_pound_format(self, committee):
        sheet = _book(tables_bytes(committee, "xlsx")).worksheets[0]
        header = [c.value for c in sheet[1]]
        assert header == ["Post details", "fte", "Pay band", "Cost per fte (full year)",
                          "Cost per annum (2018/19)", "Cost 1 Jul 2018 to 31 Mar 2019"]
        assert all(c.font.bold for c in sheet[1])
        per_annum = [sheet.cell(row=r, column=5) for r in range(2, 9)]
        assert [c.value for c in per_annum] == [81404, 67008, 56752, 40702, 35910, 3161,
                                                284937]
        for cell in per_annum:
            assert cell.data_type == "n"
            assert "£" in cell.number_format and "#,##0" in cell.number_format
        assert sheet.cell(row=2, column=2).value == 2
        assert sheet.cell(row=6, column=2).value == 1.5

    def test_total_row_is_bold_values_not_formulas(self, committee):
        sheet = _book(tables_bytes(committee, "xlsx")).worksheets[0]
        total = sheet[8]
        assert total[0].value == "Total" and all(c.font.bold for c in total)
        assert total[4].value == 284937 and total[5].value == 214686
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate

    def test_notes_are_on_the_notes_sheet(self, committee):
        book = _book(tables_bytes(committee, "xlsx"))
        assert book.worksheets[0]["A10"].value is None  # the table's sheet holds the table
        notes = book["Notes"]
        assert notes["A2"].value.startswith("Revised short breaks offer")  # full title
        assert notes["A3"].value.startswith("Basis: Nottinghamshire County Council")
        assert notes["B3"].value == book.sheetnames[0]

    def test_one_sheet_per_table_with_unique_names(self, committee):
        book = _book(tables_bytes([committee, committee], "xlsx"))
        names = book.sheetnames
        assert len(names) == 3 and len(set(names)) == 3 and all(len(n) <= 31 for n in names)
        assert names[-1] == "Notes"

    def test_pence_columns_keep_pence(self):
        table = Table([Column("Item"), Column("Amount", "pence")], [["NI", Decimal("3118.25")]])
        cell = _book(tables_bytes(table, "xlsx")).worksheets[0]["B2"]
        assert cell.value == 3118.25 and cell.number_format.startswith('"£"#,##0.00')


class TestFormulaInjection:
    @pytest.mark.parametrize("text", [ATTACK, "+1", "-1+2", "@SUM(A1)", "\tx", "\rx", "'=x"])
    def test_neutralise_is_undone_exactly(self, text):
        assert neutralise(text).startswith("'")
        assert restore_text(neutralise(text)) == text

    @pytest.mark.parametrize("text", ["Reviewing Officer", "1", "Core 60%", "'quoted'x", ""])
    def test_harmless_text_is_untouched(self, text):
        if not text.startswith("'"):
            assert neutralise(text) == text
        assert restore_text(neutralise(text)) == text

    def _table(self) -> Table:
        return Table([Column("Post details"), Column("Cost", "money")],
                     [[ATTACK, Decimal(-12345)], ["@cmd", Decimal(5)]], "Attack",
                     ["Total", Decimal(-12340)])

    def test_csv_table_export(self):
        rows = list(csv.reader(io.StringIO(tables_bytes(self._table(), "csv").decode())))
        assert rows[1] == ["'" + ATTACK, "-12345"]  # text quoted, the negative number is not
        assert rows[2] == ["'@cmd", "5"]
        assert rows[3] == ["Total", "-12340"]

    def test_xlsx_table_export(self):
        sheet = _book(tables_bytes(self._table(), "xlsx")).worksheets[0]
        cell = sheet["A2"]
        assert cell.data_type == "s" and cell.value == ATTACK and cell.quotePrefix
        assert sheet["B2"].data_type == "n" and sheet["B2"].value == -12345

    def test_structure_csv_and_xlsx_open_the_title_as_text(self, tmp_path):
        structure = Structure("attack", [Post(ATTACK, 1, "Grade 5", scp=28,
                                              team="-Team", notes="@note")])
        as_csv, as_xlsx = tmp_path / "attack.csv", tmp_path / "attack.xlsx"
        write_structure(structure, as_csv)
        write_structure(structure, as_xlsx)
        with open(as_csv, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert rows[0]["title"] == "'" + ATTACK and rows[0]["team"] == "'-Team"
        assert rows[0]["fte"] == "1" and rows[0]["scp"] == "28"
        sheet = openpyxl.load_workbook(as_xlsx)["Posts"]
        title = sheet.cell(row=2, column=3)
        assert sheet.cell(row=1, column=3).value == "title"
        assert title.data_type == "s" and title.value == ATTACK and title.quotePrefix
        assert sheet.cell(row=2, column=4).data_type == "n"
        # and both read back as the same structure, title unchanged
        assert read_structure(as_csv).structure == structure
        assert read_structure(as_xlsx).structure == structure

    def test_committee_csv_from_a_hostile_hr_export(self, tmp_path):
        source = tmp_path / "export.csv"
        source.write_text('Post Title,FTE,Grade,SCP\n"=HYPERLINK(""http://x"",""click"")",'
                          '1,Hay Band A,34\n', encoding="utf-8")
        structure = read_structure(source).structure
        assert structure.posts[0].title == ATTACK
        costing = cost(structure, PayBasis("nottinghamshire", pay_year=2018, rule="council-2018"))
        text = tables_bytes(committee_table(costing), "csv").decode()
        assert text.splitlines()[1] == "\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\",1," \
                                       "Hay Band A scp 34,40702,40702," \
                                       "rests on inferred pay data: treat the figure as provisional"


class TestAtomicWrites:
    def test_a_failed_write_leaves_the_old_file(self, tmp_path):
        target = tmp_path / "table.xlsx"
        target.write_bytes(b"old")
        from establishment.io.atomic import atomic_write

        with pytest.raises(RuntimeError), atomic_write(target, "wb") as handle:
            handle.write(b"new")
            raise RuntimeError("failed part-way")
        assert target.read_bytes() == b"old"
        assert [p.name for p in tmp_path.iterdir()] == ["table.xlsx"]

    @pytest.mark.parametrize("where,why", [("missing/t.csv", "the folder '{d}/missing' does "
                                            "not exist"),
                                           ("file.txt/t.csv", "'{d}/file.txt' is not a folder"),
                                           ("folder.csv", "it is a folder")])
    def test_a_refused_write_is_a_located_error_not_an_oserror_trace(self, tmp_path, where,
                                                                       why):
        (tmp_path / "file.txt").write_text("x")
        (tmp_path / "folder.csv").mkdir()
        target = tmp_path / where
        with pytest.raises(EstablishmentError) as caught:
            write_tables([Table([Column("Post")], [["a"]], "T")], target)
        assert str(caught.value) == f"cannot write {str(target)!r}: " + why.format(d=tmp_path)
        assert isinstance(caught.value, OSError)  # callers catching OSError still do

    def test_write_tables_takes_the_format_from_the_extension(self, tmp_path, committee):
        for suffix, start in ((".csv", b"Post details,"), (".md", b"**Revised"),
                              (".xlsx", b"PK"), (".html", b"<!DOCTYPE html>"),
                              (".tex", b"\\begin{table}")):
            path = tmp_path / f"t{suffix}"
            write_tables(committee, path)
            assert Path(path).read_bytes().startswith(start), suffix
        with pytest.raises(EstablishmentError, match="cannot tell the format"):
            write_tables(committee, tmp_path / "t.doc")

    def test_written_files_get_ordinary_permissions(self, tmp_path, committee):
        import os

        umask = os.umask(0o022)
        try:
            write_tables(committee, tmp_path / "t.csv")
            assert (tmp_path / "t.csv").stat().st_mode & 0o777 == 0o644
            (tmp_path / "t.csv").chmod(0o600)
            write_tables(committee, tmp_path / "t.csv")  # an existing file keeps its mode
            assert (tmp_path / "t.csv").stat().st_mode & 0o777 == 0o600
        finally:
            os.umask(umask)

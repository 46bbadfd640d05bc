"""Loading structures from CSV and XLSX HR exports (and TOML): mapping, dates, every problem,
nothing dropped, round trips, and only the library's own errors for any input."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from establishment import EstablishmentError, PayBasis, Post, Structure
from establishment.io import (
    CountedLoadError,
    DateError,
    map_columns,
    parse_date,
    parse_structure_bytes,
    read_structure,
    structure_to_toml,
    write_structure,
)
from establishment.io.csv_file import parse_csv_text
from tests.strategies import export_rows, structures

HR_EXPORT = (
    "Post Ref,Post Title,FTE,Grade,SCP,Start Date,End Date,Cost Centre,Employee Name\n"
    "RO1,Reviewing Officer,2,Hay Band A,34,01/07/2018,31-Mar-2019,Contingency,Jo Bloggs\n"
    "CA1,Commissioning Assistant,1.5,Grade 3,18,2018-07-01,31 March 2019,"
    "Core 60%; Grant 40%,\n"
)


def _csv(text: str, **options) -> object:
    return parse_csv_text(text, "export.csv", **options)


def _xlsx(header: list, rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class TestColumns:
    def test_hr_headers_map_to_post_fields(self):
        cmap = map_columns(["Post Title", "FTE", "Grade", "SCP", "End Date", "Cost Centre",
                            "Employee Name"])
        assert list(cmap.fields.values()) == ["title", "fte", "grade", "scp", "end",
                                              "funding"]
        assert cmap.ignored == ("Employee Name",)

    def test_explicit_mapping_wins(self):
        cmap = map_columns(["Cost Centre", "Job Ref"], {"cost centre": "team",
                                                        "Job Ref": "reference"})
        assert cmap.fields == {0: "team", 1: "reference"}

    def test_a_hr_export_loads_exactly(self):
        loaded = _csv(HR_EXPORT)
        ro, ca = loaded.structure.posts
        assert ro == Post("Reviewing Officer", 2, "Hay Band A", scp=34, reference="RO1",
                          funding="Contingency", start=dt.date(2018, 7, 1),
                          end=dt.date(2019, 3, 31))
        assert ca.fte == Decimal("1.5") and ca.end == dt.date(2019, 3, 31)
        assert [(s.source, s.percent) for s in ca.funding] == [("Core", 60), ("Grant", 40)]
        assert str(loaded.counts) == ("2 rows read: 2 posts, 0 payments, 0 rows with errors "
                                      "(0 problems); columns ignored: Employee Name")
        assert loaded.structure.name == "export"

    def test_money_cells_may_carry_pound_signs_and_commas(self):
        loaded = _csv("Post Title,FTE,Salary\nAdviser,1,\"£30,756.50\"\n")
        assert loaded.structure.posts[0].salary == Decimal("30756.50")


class TestDates:
    @pytest.mark.parametrize("text", ["2019-03-31", "31/03/2019", "31-Mar-2019", "31 March 2019",
                                      "31.03.2019", "31-03-2019", "2019-03-31 00:00:00",
                                      "31 Mar 2019"])
    def test_formats_hr_systems_write(self, text):
        assert parse_date(text) == dt.date(2019, 3, 31)

    def test_day_first_by_default_month_first_on_request(self):
        assert parse_date("03/04/2019") == dt.date(2019, 4, 3)
        assert parse_date("03/04/2019", dayfirst=False) == dt.date(2019, 3, 4)
        assert parse_date("2019-03-04") == dt.date(2019, 3, 4)  # ISO is never day-first

    def test_strict_reports_ambiguous_dates(self):
        with pytest.raises(DateError, match="ambiguous: day 3 of month 4 or day 4 of month 3"):
            parse_date("03/04/2019", dayfirst=None)
        assert parse_date("13/04/2019", dayfirst=None) == dt.date(2019, 4, 13)
        assert parse_date("04/04/2019", dayfirst=None) == dt.date(2019, 4, 4)

    @pytest.mark.parametrize("text,why", [("31/03/19", "2-digit year"),
                                          ("Mar 2019", "not a whole date"),
                                          ("31 March", "no four-digit year"),
                                          ("31/02/2019", "not a real date"),
                                          ("2019-02-31", "not a real date"),
                                          ("soon", "is not a date such as"),
                                          ("31/03/2019 09:30", "not a date such as"),
                                          ("31 Mar 2019 09:30", "time of day")])
    def test_incomplete_or_impossible_dates_are_reported_not_guessed(self, text, why):
        with pytest.raises(DateError, match=why):
            parse_date(text)


class TestProblems:
    def test_every_problem_of_every_row_is_reported(self):
        text = ("Post Ref,Post Title,FTE,Grade,Start Date,End Date\n"
                "A,Officer,0,Hay Band A,01/07/2018,01/01/2018\n"
                "B,Officer,x,Grade 5,31/02/2019,\n"
                "A,Officer,1,Grade 5,,\n"
                ",,,,,\n"
                "C,Officer,1,Grade 5,,\n")
        with pytest.raises(CountedLoadError) as caught:
            _csv(text)
        messages = [str(p) for p in caught.value.problems]
        assert "export.csv:2: [FTE] expected fte > 0, found 0" in messages
        assert ("export.csv:2: [End Date] expected an end on or after the start (2018-07-01), "
                "found 2018-01-01") in messages
        assert "export.csv:3: [FTE] expected a positive number such as 1 or 0.5, found 'x'" \
            in messages
        assert any(m.startswith("export.csv:3: [Start Date] expected a date; '31/02/2019'")
                   for m in messages)
        assert "export.csv:4: [Post Ref] duplicate reference 'A' (first at line 2)" in messages
        assert len(messages) == 5
        counts = caught.value.counts
        assert (counts.rows, counts.posts, counts.error_rows, counts.blank_rows) == (4, 1, 3, 1)

    def test_grades_are_checked_against_the_employer_with_closest_names(self):
        data = (b"Post Title,FTE,Grade,SCP\nOfficer,1,Hay Band A,34\nOfficer,1,Hay Band A,40\n"
                b"Officer,1,Grade Five,\n")
        with pytest.raises(CountedLoadError) as caught:
            parse_structure_bytes(data, "csv", "hr.csv", basis=PayBasis(
                "nottinghamshire", pay_year=2018, rule="council-2018"))
        first, second = caught.value.problems
        assert str(first).startswith("hr.csv:3: [SCP] scp 40 is outside Hay Band A (old spine "
                                     "scp 29-34")
        assert str(second).startswith("hr.csv:4: [Grade] unknown grade 'Grade Five' for "
                                      "Nottinghamshire County Council; did you mean 'Grade 5'")
        assert caught.value.counts.posts == 1

    def test_toml_grades_are_located_at_their_post(self, tmp_path):
        path = tmp_path / "s.toml"
        path.write_text('name = "s"\n\n[[post]]\ntitle = "A"\nfte = 1\ngrade = "Band Q"\n')
        with pytest.raises(CountedLoadError) as caught:
            read_structure(path, basis=PayBasis("nottinghamshire", pay_year=2018))
        assert str(caught.value.problems[0]).startswith(f"{path}:3: [grade] post A: unknown "
                                                        "grade 'Band Q'")

    def test_missing_file_and_unknown_extension(self, tmp_path):
        with pytest.raises(EstablishmentError, match="no such file"):
            read_structure(tmp_path / "none.csv")
        with pytest.raises(EstablishmentError, match="expected .toml, .csv, .xlsx or .parquet"):
            read_structure(tmp_path / "posts.ods")

    @pytest.mark.parametrize("separator", [";", "\t"])
    def test_a_csv_separated_by_semicolons_or_tabs_says_so(self, separator):
        text = separator.join(["Post Title", "FTE", "Grade"]) + "\n" + \
            separator.join(["A", "1", "Grade 5"]) + "\n"
        with pytest.raises(CountedLoadError) as caught:
            _csv(text)
        header = separator.join(["Post Title", "FTE", "Grade"])
        assert [str(p) for p in caught.value.problems] == [
            f"export.csv:1: the header {header!r} is one column separated by {separator!r}: "
            "expected commas; save it as 'CSV UTF-8 (Comma delimited)'"]

    def test_a_toml_date_with_a_time_is_reported_not_truncated(self, tmp_path):
        path = tmp_path / "posts.toml"
        path.write_text('[[post]]\ntitle = "A"\ngrade = "Grade 5"\nfte = 1\n'
                        'start = 2018-07-01T09:30:00\n[[post]]\ntitle = "B"\n'
                        'grade = "Grade 5"\nfte = 1\nend = 2019-03-31T00:00:00\n')
        with pytest.raises(EstablishmentError) as caught:
            read_structure(path)
        assert [str(p) for p in caught.value.problems] == [
            f"{path}:1: [start] post 1: 'start' must be a date such as 2019-03-31 (got "
            "'2018-07-01T09:30:00', which has a time of day)"]

    def test_payments_rows(self):
        loaded = _csv("kind,title,fte,grade,amount,per,start,end\n"
                      "payment,Honorarium,,,3161,total,2018-07-01,2019-03-31\n"
                      "post,Officer,1,Grade 5,,,,\n")
        assert loaded.structure.payments[0].amount == 3161
        assert (loaded.counts.posts, loaded.counts.payments) == (1, 1)
        with pytest.raises(CountedLoadError, match=r":2: \[grade\] a payment has no 'grade'"):
            _csv("kind,title,fte,grade,amount\npayment,Honorarium,,Grade 5,100\n")


class TestXlsx:
    def test_typed_cells_read_exactly(self):
        data = _xlsx(["Post Title", "FTE", "Grade", "SCP", "End Date", "Salary"],
                     [["Officer", 0.1, "Grade 5", 28.0, dt.datetime(2019, 3, 31), 30756.5]])
        # a salary beside a grade and scp: the map says the salary wins (issue 24)
        post = parse_structure_bytes(data, "xlsx", "hr.xlsx", columns={"Salary": "salary"}
                                     ).structure.posts[0]
        assert post.fte == Decimal("0.1") and post.scp == 28
        assert post.end == dt.date(2019, 3, 31) and post.salary == Decimal("30756.5")

    def test_float_artefacts_read_as_the_sheet_shows_them(self):
        """A formula's cached value is stored with 17 digits (=0.1+0.2 is 0.30000000000000004,
        =40702.08*1.0000000000000002 is 40702.08000000001); Excel shows 15, and so do we."""
        import math
        import zipfile

        data = _xlsx(["Post Title", "FTE", "Grade", "Salary"], [["Officer", 0.25, "Grade 5",
                                                                  12345.67]])
        fte, salary = 0.1 + 0.2, math.nextafter(40702.08, math.inf)
        assert repr(fte) == "0.30000000000000004" and repr(salary) != "40702.08"
        source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for item in source.infolist():
                part = source.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    part = part.replace(b"<v>0.25</v>", f"<v>{fte!r}</v>".encode())
                    part = part.replace(b"<v>12345.67</v>", f"<v>{salary!r}</v>".encode())
                target.writestr(item, part)
        post = parse_structure_bytes(out.getvalue(), "xlsx", "hr.xlsx").structure.posts[0]
        assert (post.fte, post.salary) == (Decimal("0.3"), Decimal("40702.08"))

    def test_a_formula_without_a_saved_result_is_reported_not_read_as_empty(self):
        """openpyxl and other programs write formulas without computing them; the salary of
        row 2 used to vanish (the post was then costed by its grade)."""
        import zipfile

        data = _xlsx(["Post Title", "FTE", "Grade", "Salary"],
                     [["A", 1, "Hay Band A", "=30000*1.02"], ["B", 1, "Hay Band A", "=1+1"]])
        with pytest.raises(CountedLoadError) as caught:
            parse_structure_bytes(data, "xlsx", "hr.xlsx")
        assert [str(p) for p in caught.value.problems] == [
            f"hr.xlsx:{row}: [Salary] expected a value, found the formula {text!r} with no "
            "saved result; open and save the workbook in Excel, or paste values"
            for row, text in ((2, "=30000*1.02"), (3, "=1+1"))]
        # a formula Excel has computed is read by its saved result
        source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for item in source.infolist():
                part = source.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    # openpyxl writes an empty value as <v />, or <v></v> with lxml installed
                    part = re.sub(rb"<f>30000\*1\.02</f>(<v ?/>|<v></v>)",
                                  b"<f>30000*1.02</f><v>30600</v>", part)
                    part = re.sub(rb"<f>1\+1</f>(<v ?/>|<v></v>)", b"<f>1+1</f><v>2</v>", part)
                target.writestr(item, part)
        posts = parse_structure_bytes(out.getvalue(), "xlsx", "hr.xlsx").structure.posts
        assert [p.salary for p in posts] == [Decimal(30600), Decimal(2)]

    def test_a_decimal_comma_is_refused_not_read_as_thousands(self):
        """Every comma used to be dropped: fte '0,5' became 5 and salary '30,00' £3,000."""
        with pytest.raises(CountedLoadError) as caught:
            _csv('Post Title,FTE,Grade,Salary\nA,"0,5",Grade 5,\nB,1,Grade 5,"30,00"\n'
                 'C,1,Grade 5,"£ 40,702.50"\n')
        assert [str(p) for p in caught.value.problems] == [
            "export.csv:2: [FTE] expected a positive number such as 1 or 0.5, found '0,5'",
            "export.csv:3: [Salary] expected an amount in pounds such as 40702 or £40,702.50, "
            "found '30,00'"]

    def test_money_with_a_third_decimal_place_is_a_located_error(self, tmp_path):
        with pytest.raises(CountedLoadError) as caught:
            _csv("Post Title,FTE,Grade,Salary\nA,1,Grade 5,40702.125\nB,1,Grade 5,40702.10\n")
        assert [str(p) for p in caught.value.problems] == [
            "export.csv:2: [Salary] expected salary pounds and pence (at most 2 decimal "
            "places), found 40702.125"]
        path = tmp_path / "posts.toml"
        path.write_text('[[post]]\ntitle = "A"\nfte = 1\ngrade = "Grade 5"\n'
                        'cost_per_fte = 0.0000001\n')
        with pytest.raises(EstablishmentError, match=r"posts.toml:1: \[cost_per_fte\] .*"
                           r"at most 2 decimal places"):
            read_structure(path)

    def test_figures_too_large_to_cost_are_located_errors(self):
        """1e20 for 1.20 used to load and then overflow the engine's int64 columns (an
        OverflowError traceback); 1e30 failed with a bare DivisionImpossible."""
        with pytest.raises(CountedLoadError) as caught:
            _csv("Post Title,FTE,Grade,Salary\nA,100000000000000000000,Grade 5,\n"
                 "B,1,Grade 5,99999999999999999\n"
                 "C,1,Grade 5,1e30\nD,1000000,Grade 5,1000000000000\n")
        assert [str(p) for p in caught.value.problems] == [
            "export.csv:2: [FTE] expected fte at most 1,000,000, found 100000000000000000000",
            "export.csv:3: [Salary] expected salary at most £1,000,000,000,000, found "
            "99999999999999999",
            # an exponent is not a number as a person writes one (establishment.model.parse)
            "export.csv:4: [Salary] expected an amount in pounds such as 40702 or £40,702.50, "
            "found '1e30'"]
        # with --basis top an scp is not checked against its grade, so it must be bounded too
        with pytest.raises(CountedLoadError) as caught:
            _csv("Post Title,FTE,Grade,SCP\nA,1,Grade 5,99999999999999999999999\n")
        assert [str(p) for p in caught.value.problems] == [
            "export.csv:2: [SCP] expected scp a spinal column point <= 999, found "
            "99999999999999999999999"]

    def test_problems_are_located_by_sheet_row(self):
        data = _xlsx(["Post Title", "FTE", "Grade"], [["A", 1, "Grade 5"], [None, None, None],
                                                      ["B", -2, "Grade 5"]])
        with pytest.raises(CountedLoadError) as caught:
            parse_structure_bytes(data, "xlsx", "hr.xlsx")
        assert [str(p) for p in caught.value.problems] == [
            "hr.xlsx:4: [FTE] expected fte > 0, found -2"]

    def test_the_posts_sheet_is_chosen(self):
        book = Workbook()
        notes = book.active
        notes.title = "Notes"
        notes.append(["not", "posts"])
        posts = book.create_sheet("Posts")
        posts.append(["Post Title", "FTE", "Grade"])
        posts.append(["Officer", 1, "Grade 5"])
        buffer = io.BytesIO()
        book.save(buffer)
        loaded = parse_structure_bytes(buffer.getvalue(), "xlsx", "hr.xlsx")
        assert [p.title for p in loaded.structure.posts] == ["Officer"]

    def test_sheets_not_read_are_named_in_the_counts(self, tmp_path, capsys):
        """Posts split across "Team A" and "Team B" sheets: only the first is read, and the
        counts (check, --verbose) say that "Team B" was not, instead of dropping it unseen."""
        from establishment.cli.main import main

        book = Workbook()
        for index, title in enumerate(("Team A", "Team B")):
            sheet = book.active if index == 0 else book.create_sheet()
            sheet.title = title
            sheet.append(["Title", "FTE", "Grade"])  # field names: no guessed column
            sheet.append([f"Officer {title}", 1, "Grade 5"])
        path = tmp_path / "hr.xlsx"
        book.save(path)
        loaded = read_structure(path)
        assert [p.title for p in loaded.structure.posts] == ["Officer Team A"]
        assert loaded.counts.ignored_sheets == ("Team B",)
        assert main(["check", str(path), "--employer", "nottinghamshire",
                     "--pay-year", "2018/19"]) == 0
        assert capsys.readouterr().err == (f"establishment: {path}: ok, 1 rows read: 1 posts, "
                                           "0 payments, 0 rows with errors (0 problems); "
                                           "sheets not read: Team B\n")

    def test_a_datetime_with_a_time_is_not_a_date(self):
        data = _xlsx(["Post Title", "FTE", "Grade", "End Date"],
                     [["A", 1, "Grade 5", dt.datetime(2019, 3, 31, 9, 30)]])
        with pytest.raises(CountedLoadError, match="has a time of day"):
            parse_structure_bytes(data, "xlsx", "hr.xlsx")


def _roundtrip(structure: Structure, folder) -> list[Structure]:
    toml = folder / "generated.toml"
    toml.write_text(structure_to_toml(structure), encoding="utf-8")
    first = read_structure(toml).structure
    as_csv = folder / "generated.csv"
    write_structure(first, as_csv)
    second = read_structure(as_csv).structure
    as_xlsx = folder / "generated.xlsx"
    write_structure(second, as_xlsx)
    third = read_structure(as_xlsx).structure
    return [first, second, third]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(structures())
def test_round_trip_toml_csv_xlsx_loses_nothing(tmp_path, structure):
    for loaded in _roundtrip(structure, tmp_path):
        assert loaded == structure


def test_round_trip_keeps_awkward_text(tmp_path):
    structure = Structure("generated", [
        Post('=HYPERLINK("http://x","click")', "0.3333", "Grade 5", scp=28, team="+Team",
             reference="'=R", notes="-note, with \"quotes\"\nand a new line",
             funding={"A, B": 33, "@C": 67}, salary_min=1, salary_max="2.50",
             increment_date=dt.date(2018, 10, 1), status="vacant"),
    ])
    for loaded in _roundtrip(structure, tmp_path):
        assert loaded == structure


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600), st.sampled_from(["csv", "xlsx", "toml"]))
def test_arbitrary_bytes_give_only_library_errors(data, fmt):
    try:
        loaded = parse_structure_bytes(data, fmt, "junk")
    except EstablishmentError:
        return
    counts = loaded.counts
    assert counts.rows == counts.posts + counts.payments


# what a damaged workbook as a whole may be told (the file is the location; a part or sheet
# is named in the message), else a problem located at the sheet's row and column
WHOLE_WORKBOOK = re.compile(
    r"is not (a readable XLSX workbook|an XLSX workbook) \((no part '[^']+' for sheet '.*'\)|.+)"
    r"|part '.*' unpacks to [\d,]+ bytes of XML, over the limit of [\d,]+ bytes.*"
    r"|sheet '.*' uses the range A1:[A-Z]+\d+ .*|has no worksheets", re.S)


def assert_located(err: EstablishmentError, where: str, rows: int) -> None:
    """Every problem names the file; one of the whole workbook says what is wrong with it in
    one of the known forms; one of a row names a row of the sheet and its column."""
    assert err.problems
    for problem in err.problems:
        assert problem.file == where
        assert str(problem).startswith(f"{where}:")
        if problem.line is None:
            assert WHOLE_WORKBOOK.fullmatch(problem.message), problem.message
        else:
            assert 1 <= problem.line <= rows and problem.field, problem


@settings(max_examples=40, deadline=None)
@given(st.binary(min_size=1, max_size=300), st.integers(min_value=0, max_value=4000))
def test_damaged_workbooks_give_only_located_library_errors(junk, at):
    good = _xlsx(["Post Title", "FTE", "Grade"], [["A", 1, "Grade 5"]])
    at = min(at, len(good))
    try:
        loaded = parse_structure_bytes(good[:at] + junk + good[at + len(junk):], "xlsx",
                                       "junk.xlsx")
    except EstablishmentError as err:
        assert_located(err, "junk.xlsx", rows=2)
    else:  # the junk fell in a part the reader never opens: the row is still read
        assert loaded.counts.rows == loaded.counts.posts + loaded.counts.payments == 1


def test_a_damaged_sheet_part_is_a_located_whole_workbook_problem():
    """Junk over the worksheet's compressed bytes, or a truncated file: one problem located
    at the file (the reader cannot say which row the damage fell in)."""
    good = _xlsx(["Post Title", "FTE", "Grade"], [["A", 1, "Grade 5"]])
    import zipfile

    info = zipfile.ZipFile(io.BytesIO(good)).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + 10
    damaged = good[:start] + b"\xff" * 40 + good[start + 40:]
    with pytest.raises(EstablishmentError) as caught:
        parse_structure_bytes(damaged, "xlsx", "junk.xlsx")
    assert_located(caught.value, "junk.xlsx", rows=2)
    [problem] = caught.value.problems
    assert problem.line is None and problem.message.startswith(
        "is not a readable XLSX workbook (")
    with pytest.raises(EstablishmentError, match=r"^junk\.xlsx: is not a readable XLSX "
                       r"workbook \(it is not a zip archive, or a damaged one; open it in "
                       r"Excel and save it again\)$"):  # words, not 'BadZipFile' (issue 27)
        parse_structure_bytes(good[:100], "xlsx", "junk.xlsx")


def test_a_bad_cell_of_a_workbook_is_located_at_its_row_and_column():
    book = _xlsx(["Post Title", "FTE", "Grade"], [["A", 1, "Grade 5"], ["B", "x", "Grade 5"]])
    with pytest.raises(EstablishmentError) as caught:
        parse_structure_bytes(book, "xlsx", "posts.xlsx")
    assert_located(caught.value, "posts.xlsx", rows=3)
    assert [str(p) for p in caught.value.problems] == [
        "posts.xlsx:3: [FTE] expected a positive number such as 1 or 0.5, found 'x'"]


def _rows_csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@settings(max_examples=150, deadline=None)
@given(export_rows())
def test_arbitrary_rows_become_posts_or_errors(table):
    """Every non-blank row is a post, a payment or an error row; nothing else escapes."""
    header, rows = table
    # an XLSX cell cannot hold control characters at all, so the sheet gets them removed
    clean = [[ILLEGAL_CHARACTERS_RE.sub("", c) for c in row] for row in rows]
    for fmt, data in (("csv", _rows_csv(header, rows)), ("xlsx", _xlsx(header, clean))):
        try:
            loaded = parse_structure_bytes(data, fmt, f"rows.{fmt}",
                                           basis=PayBasis("nottinghamshire", pay_year=2018,
                                                          rule="council-2018"))
        except CountedLoadError as err:
            counts = err.counts
            assert err.problems
            if counts.rows:
                assert counts.rows == counts.posts + counts.payments + counts.error_rows
            continue
        except EstablishmentError:
            continue
        counts = loaded.counts
        assert counts.error_rows == 0
        assert counts.rows == counts.posts + counts.payments
        assert len(loaded.structure.posts) == counts.posts


toml_values = st.one_of(st.integers(-10**6, 10**6), st.text(max_size=8), st.booleans(),
                        st.dates(), st.decimals(allow_nan=False, allow_infinity=False,
                                                places=3, min_value=-1000, max_value=1000),
                        st.lists(st.integers(), max_size=2),
                        st.dictionaries(st.text(max_size=4), st.integers(0, 100), max_size=2))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["title", "fte", "grade", "scp", "start", "end",
                                                 "funding", "status", "reference", "salary",
                                                 "cost_per_fte", "team", "nonsense"]),
                                toml_values, max_size=8), max_size=4))
def test_arbitrary_toml_posts_give_only_library_errors(tables):
    import tomli_w

    def plain(value):
        return str(value) if isinstance(value, Decimal) else value

    text = tomli_w.dumps({"name": "x", "post": [{k: plain(v) for k, v in t.items()}
                                                for t in tables]})
    try:
        loaded = parse_structure_bytes(text.encode(), "toml", "fuzz.toml",
                                       basis=PayBasis("nottinghamshire", pay_year=2018))
    except EstablishmentError:
        return
    assert len(loaded.structure.posts) == len(tables) == loaded.counts.posts

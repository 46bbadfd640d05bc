"""The column-wise load path gives what the object path gives: the same structure (same
frame, same lines, same counts) or the same problems (same messages, same lines, same order),
on the broken-file corpus and on generated files, with and without the pay-data check."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from establishment.cells import restore_text
from establishment.io.columnar import columns_to_structure, read_csv_columns
from establishment.io.csv_file import decode, parse_csv_bytes
from establishment.io.tabular import CountedLoadError, rows_to_structure
from establishment.model.pay_basis import PayBasis
from establishment.operations.check import PostChecker

BROKEN = Path(__file__).parent / "fixtures" / "broken"
BASIS = PayBasis(employer="nottinghamshire", pay_year=2018, rule="council-2018")


def outcome(load) -> tuple:
    """What a load gives, comparably: its frame, lines and counts, or its problems."""
    try:
        loaded = load()
    except CountedLoadError as err:
        return ("problems", [str(p) for p in err.problems], err.counts)
    return ("loaded", loaded.structure.to_frame(), loaded.lines, loaded.counts,
            loaded.structure.name)


def same(one: tuple, two: tuple) -> None:
    assert one[0] == two[0], (one, two)
    if one[0] == "problems":
        assert one[1:] == two[1:]
    else:
        pd.testing.assert_frame_equal(one[1], two[1])
        assert one[2:] == two[2:]


def rows_as_columns(data: bytes) -> tuple[list, list[list], list[int]] | None:
    """A CSV's header and columns read by the csv module (the object path's reader), so the
    column rules meet every file, even those the fast reader leaves to the row reader."""
    try:
        text = decode(data, "x").text
    except CountedLoadError:
        return None
    rows, line = [], 1
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for cells in reader:
            rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error:
        return None
    header_at = next((i for i, (_, c) in enumerate(rows) if any(x.strip() for x in c)), None)
    if header_at is None:
        return None
    header = [restore_text(h) for h in rows[header_at][1]]
    body = rows[header_at + 1:]
    width = max([len(header), *(len(c) for _, c in body)])
    columns = [[c[i] if i < len(c) else None for _, c in body] for i in range(width)]
    return header, columns, [n for n, _ in body]


def both_ways(data: bytes, where: str, checker=None) -> None:
    """The fast CSV reader with the column rules, and the column rules fed by the csv module,
    each against the object path."""
    options = {"checker": checker}
    expected = outcome(lambda: parse_csv_bytes(data, where, column_wise=False, **options))
    same(outcome(lambda: parse_csv_bytes(data, where, **options)), expected)
    read = rows_as_columns(data)
    reader_problem = expected[0] == "problems" and any(
        word in message for message in expected[1]
        for word in ("unreadable CSV", "not UTF-8", "is empty", "separated by"))
    if read is not None and not reader_problem:
        header, columns, lines = read
        same(outcome(lambda: columns_to_structure(
            header, columns, lines, where, name=Path(where).stem, text_cell=restore_text,
            checker=checker)), expected)


CSV_FILES = sorted(p.name for p in BROKEN.glob("*.csv"))


@pytest.mark.parametrize("name", CSV_FILES)
@pytest.mark.parametrize("check", [False, True])
def test_the_broken_corpus_gives_the_same_problems_both_ways(name, check):
    data = (BROKEN / name).read_bytes()
    both_ways(data, str(BROKEN / name), PostChecker(BASIS).check if check else None)


def test_the_fast_reader_reads_most_of_the_corpus_itself():
    """Only files the exact row reader must see (bad bytes, quotes across lines, ragged rows,
    one column) are left to it; the rest go through the column rules."""
    declined = {name for name in CSV_FILES
                if read_csv_columns((BROKEN / name).read_bytes()) is None}
    assert declined <= {"empty.csv", "extra_cells.csv", "unclosed_quote.csv", "utf16.csv"}
    assert len(declined) <= 4


HEADERS = {
    "reference": ["reference", "Post Ref"], "title": ["title", "Job Title"],
    "fte": ["fte", "FTE"], "grade": ["grade", "Pay Band"], "scp": ["scp", "SCP"],
    "team": ["team"], "funding": ["funding", "Cost Centre"], "start": ["start", "Start Date"],
    "end": ["end", "End Date"], "status": ["status"], "salary": ["salary"],
    "cost_per_fte": ["cost_per_fte"], "salary_min": ["salary_min"],
    "salary_max": ["salary_max"], "kind": ["kind"], "amount": ["amount"], "per": ["per"],
    "notes": ["notes"], "increment_date": ["increment_date"], "reports_to": ["reports_to"],
}
CELLS = {
    "reference": ["", "R1", "R2", " R3 ", "R1 ", "'=R4", "R\u00a05"],
    "title": ["Reviewing Officer", " Social Worker ", "", "  ", "=SUM(A1)", "'=SUM(A1)",
              "Caf\u00e9 \u00a3 lead", "\u2003Spaced\u2003"],
    "fte": ["1", "0.5", "1.5", "0", "-1", "two", "", "1.23456", "1,000", "1e2", " 2 ",
            "£1", "0,5", "1000001", "0.0001"],
    "grade": ["Hay Band A", "Grade 5", "Hay Band Q", "", "Grade 4"],
    "scp": ["", "30", "34", "22", "33.5", "0", "1000", "x", "40"],
    "team": ["", "ICDS", "Placements ", "Short Breaks"],
    "funding": ["", "Core", "Core 60%; Grant 40%", "Core 60%; Grant 30%", "A 50%; B", "Grant"],
    "start": ["", "2018-04-01", "01/07/2018", "2019-03-31", "31/02/2019", "Jul 2018",
              "03/04/2019"],
    "end": ["", "2019-03-31", "2018-03-31", "31-Mar-2020", "01/07/18"],
    "status": ["", "filled", "Vacant", "maybe", " FILLED "],
    "salary": ["", "30000", "30,000.50", "-5", "1.234", "x"],
    "cost_per_fte": ["", "40702", "12.5", "-1"],
    "salary_min": ["", "20000", "50000"],
    "salary_max": ["", "30000", "10000"],
    "kind": ["", "post", "Post", "payment", "other"],
    "amount": ["", "500", "x"],
    "per": ["", "year", "total", "month"],
    "notes": ["", "note", " n "],
    "increment_date": ["", "2018-10-01", "bad"],
    "reports_to": ["", "R1", " R2"],
}


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    fields = ["title", "fte", "grade"] + draw(st.lists(
        st.sampled_from([f for f in HEADERS if f not in ("title", "fte", "grade")]),
        unique=True, max_size=8))
    fields = draw(st.permutations(fields))
    header = [draw(st.sampled_from(HEADERS[f])) for f in fields]
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.integers(0, 9)) == 0:
            rows.append([])  # a blank line
            continue
        rows.append([draw(st.sampled_from(CELLS[f])) for f in fields])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(header)
    for row in rows:
        if row:
            writer.writerow(row)
        else:
            out.write("\n")
    return draw(st.sampled_from([b"", b"\xef\xbb\xbf"])) + out.getvalue().encode("utf-8")


CHECKER = PostChecker(BASIS).check


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_files(), st.booleans())
def test_generated_files_give_the_same_structure_or_problems_both_ways(data, check):
    both_ways(data, "generated.csv", CHECKER if check else None)


def test_a_sound_file_is_read_column_wise_and_equal_to_the_object_path(tmp_path):
    text = ("Post Ref,Job Title,FTE,Pay Band,SCP,Cost Centre,Start Date,End Date,Status\n"
            "R1,Reviewing Officer,1,Hay Band A,34,Core 60%; Grant 40%,01/07/2018,,vacant\n"
            "R2,  Social Worker ,0.5,Grade 5,22,Core,2018-04-01,31/03/2019,\n"
            "\n"
            "R3,Team Manager,1.5,Hay Band B,36,,,,filled\n")
    data = text.encode()
    assert read_csv_columns(data) is not None
    loaded = parse_csv_bytes(data, "posts.csv", checker=CHECKER)
    assert loaded.lines == (2, 3, 5) and loaded.counts.blank_rows == 1
    same(outcome(lambda: parse_csv_bytes(data, "posts.csv", checker=CHECKER)),
         outcome(lambda: parse_csv_bytes(data, "posts.csv", column_wise=False,
                                         checker=CHECKER)))
    assert [p.title for p in loaded.structure.posts] == ["Reviewing Officer", "Social Worker",
                                                          "Team Manager"]


# --- Parquet structure files ------------------------------------------------------------------

def test_a_parquet_export_gives_the_structure_its_csv_gives(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from establishment.io import read_structure

    text = ("reference,title,fte,grade,scp,funding,start,end,status\n"
            "R1,Reviewing Officer,1,Hay Band A,34,Core 60%; Grant 40%,2018-07-01,,vacant\n"
            "R2,Social Worker,0.5,Grade 5,22,Core,,2019-03-31,filled\n")
    (tmp_path / "posts.csv").write_text(text)
    rows = list(csv.reader(io.StringIO(text)))
    table = pa.table({name: [row[i] for row in rows[1:]] for i, name in enumerate(rows[0])})
    pq.write_table(table, tmp_path / "posts.parquet")
    one = read_structure(tmp_path / "posts.csv", basis=BASIS)
    two = read_structure(tmp_path / "posts.parquet", basis=BASIS)
    pd.testing.assert_frame_equal(one.structure.to_frame(), two.structure.to_frame())
    assert one.structure.posts == two.structure.posts and two.lines == (2, 3)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_files(), st.integers(1, 4), st.booleans())
def test_parquet_text_columns_read_dictionary_encoded_match_the_object_path(data, group,
                                                                          blanks):
    """Text columns come dictionary-encoded from the Parquet reader, in several row groups
    (one dictionary each) and with nulls: the structure or the problems are the object
    path's, fed the same cells (a null is an empty cell)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from establishment.io.parquet_file import parse_parquet_bytes

    read = rows_as_columns(data)
    if read is None:
        return
    header, columns, _ = read
    if len(set(header)) != len(header) or not all(header):
        return
    cells = [[None if blanks and c is not None and not c.strip() else c for c in column]
             for column in columns[:len(header)]]
    if any(len(c) != len(cells[0]) for c in cells):
        return
    buffer = io.BytesIO()
    pq.write_table(pa.table(dict(zip(header, cells))), buffer, row_group_size=group)
    got = outcome(lambda: parse_parquet_bytes(buffer.getvalue(), "x.parquet", name="x"))
    rows = [(n + 2, [c[n] for c in cells]) for n in range(len(cells[0]))]
    expected = outcome(lambda: rows_to_structure(header, rows, "x.parquet", name="x"))
    same(got, expected)


def test_typed_parquet_columns_are_read_like_workbook_cells(tmp_path):
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    from establishment.io import read_structure

    table = pa.table({"title": ["A", "B", "C"], "fte": [1.0, 0.5, 0.0],
                      "grade": ["Hay Band A", "Grade 5", "Grade 5"],
                      "scp": pa.array([34, None, 22], pa.int64()),
                      "start": pa.array([dt.date(2018, 7, 1), None, None], pa.date32())})
    pq.write_table(table, tmp_path / "typed.parquet")
    with pytest.raises(CountedLoadError) as caught:
        read_structure(tmp_path / "typed.parquet", basis=BASIS)
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'typed.parquet'}:4: [fte] expected fte > 0, found 0"]
    pq.write_table(table.slice(0, 2), tmp_path / "good.parquet")
    posts = read_structure(tmp_path / "good.parquet").structure.posts
    assert [(p.fte, p.scp, p.start) for p in posts] == [
        (1, 34, dt.date(2018, 7, 1)), (Decimal("0.5"), None, None)]


def test_a_file_that_is_not_parquet_is_a_located_problem(tmp_path):
    from establishment.io import read_structure

    (tmp_path / "x.parquet").write_bytes(b"title,fte\nA,1\n")
    with pytest.raises(CountedLoadError) as caught:
        read_structure(tmp_path / "x.parquet")
    assert str(caught.value.problems[0]) == (f"{tmp_path / 'x.parquet'}: is not a Parquet file "
                                             "(it does not begin with 'PAR1')")


def test_a_diff_of_frame_backed_structures_names_the_same_changes():
    """diff of two column-wise loads (frame-backed: no Post made until asked) equals the diff
    of the same files read row by row, change for change."""
    from establishment.operations.diff import diff
    from establishment.tables import render
    from establishment.tables.diff_table import diff_funding_table, diff_table

    before = (b"reference,title,fte,grade,scp,funding,end\n"
              b"R1,Reviewing Officer,1,Hay Band A,34,Core,\n"
              b"R2,Social Worker,0.5,Grade 5,22,Core 60%; Grant 40%,2019-03-31\n"
              b"R3,Team Manager,1,Hay Band B,36,Grant,\n")
    after = (b"reference,title,fte,grade,scp,funding,end\n"
             b"R1,Reviewing Officer,1,Hay Band A,33,Core,\n"
             b"R2,Social Worker,1,Grade 5,22,Core 60%; Grant 40%,\n"
             b"R4,Assessment Officer,1,Grade 4,20,Core,\n")
    one = [parse_csv_bytes(data, "x.csv").structure for data in (before, after)]
    two = [parse_csv_bytes(data, "x.csv", column_wise=False).structure
           for data in (before, after)]
    assert one[0].frame_backed and not two[0].frame_backed
    first, second = diff(*one, BASIS), diff(*two, BASIS)
    assert first.changes == second.changes
    assert one[0].frame_backed  # the diff made only the records it names
    for table in (diff_table, diff_funding_table):
        assert render(table(first), "csv") == render(table(second), "csv")


XLSX_FILES = sorted(p.name for p in BROKEN.glob("*.xlsx"))


@pytest.mark.parametrize("name", XLSX_FILES)
@pytest.mark.parametrize("check", [False, True])
def test_workbooks_give_the_same_problems_both_ways(name, check, monkeypatch):
    """A sheet goes column-wise (straight from calamine's rows, ``sheet_columns``, or through
    load_table -> rows_column_wise); with the row path put back, every workbook of the corpus
    gives the same outcome."""
    from establishment.io import columnar, tabular, xlsx_file
    from establishment.io.xlsx_file import parse_xlsx_bytes

    data = (BROKEN / name).read_bytes()
    checker = PostChecker(BASIS).check if check else None
    column_wise = outcome(lambda: parse_xlsx_bytes(data, name, checker=checker))

    def row_path(header, rows, where, *, columns=None, **options):
        return tabular.rows_to_structure(header, rows, where, columns=columns, **options)

    monkeypatch.setattr(columnar, "rows_column_wise", row_path)
    monkeypatch.setattr(xlsx_file, "sheet_columns", lambda sheet: None)
    same(column_wise, outcome(lambda: parse_xlsx_bytes(data, name, checker=checker)))


def test_most_workbooks_of_the_corpus_are_read_straight_from_their_columns():
    from establishment.io.xlsx_file import sheet_columns
    from establishment.io.xlsx_read import XlsxRefused, read_sheet

    taken = []
    for name in XLSX_FILES:
        try:
            sheet = read_sheet((BROKEN / name).read_bytes())
        except (XlsxRefused, ValueError):
            continue
        taken.append(sheet_columns(sheet) is not None)
    assert sum(taken) >= len(taken) - 2 and sum(taken) >= 3

"""Tables written as Parquet (``--format parquet``, the [parquet] extra): typed columns, the
total row, metadata; a large committee table written from the costing's columns is the same
table."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from establishment import PayBasis, Payment, Post, Structure
from establishment.cli.main import main
from establishment.engine.costing import cost
from establishment.tables import committee_table, fast
from establishment.tables.parquet import table_arrow, table_bytes
from establishment.tables.table import Column, Table

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

BASIS = PayBasis("nottinghamshire", pay_year="2018/19", rule="council-2018")


def structure() -> Structure:
    posts = [
        Post("Reviewing Officer", 2, "Hay Band A", scp=34, reference="R1"),
        Post("=HYPERLINK(x)", Decimal("1.5"), "Hay Band B", status="vacant",
             end=dt.date(2019, 1, 31)),
        Post("Team Manager", 1, "Hay Band D", start=dt.date(2019, 6, 1)),  # not in force
        Post("Part time", Decimal("0.3333"), "Grade 5", scp=22),
        Post("Undisclosed", 1, "Grade 4", unpriced="not disclosed"),
    ]
    return Structure("Team", posts, [Payment("Allowance", Decimal("-300.50"))])


def read(data: bytes):
    return pq.read_table(pa.BufferReader(data))


def test_a_committee_table_is_typed_exact_and_ends_with_its_total():
    costing = cost(structure(), BASIS)
    arrow = read(table_bytes(committee_table(costing, "Team")))
    assert arrow.column_names == ["Post details", "fte", "Pay band", "Cost per fte (full year)",
                                  "Cost per annum (2018/19)", "Marks"]
    assert arrow.schema.field("fte").type == pa.decimal128(38, 4)
    assert arrow.schema.field("Cost per annum (2018/19)").type == pa.int64()
    assert arrow.schema.field("Post details").type == pa.string()
    rows = arrow.to_pylist()
    assert rows[0]["fte"] == Decimal("2.0000") and rows[0]["Cost per annum (2018/19)"] == 81404
    assert rows[1]["Post details"] == "=HYPERLINK(x)"  # not neutralised: no spreadsheet runs it
    assert rows[1]["Marks"].startswith("vacant post; temporary post until 31 Jan 2019")
    assert rows[2]["fte"] is None  # not in force: no fte, as in every table
    assert rows[3]["fte"] == Decimal("0.3333")
    assert rows[5]["Pay band"] == "per year" and rows[5]["Cost per fte (full year)"] is None
    total = rows[-1]
    assert total["Post details"] == "Total"
    assert total["Cost per annum (2018/19)"] == int(costing.full_year)
    assert total["Cost per annum (2018/19)"] == sum(r["Cost per annum (2018/19)"]
                                                   for r in rows[:-1])
    assert total["fte"] == costing.fte
    metadata = arrow.schema.metadata
    assert metadata[b"title"] == b"Team"
    assert json.loads(metadata[b"notes"])[0].startswith("Basis: Nottinghamshire")


def test_kinds_map_to_their_types():
    table = Table([Column("Name"), Column("Amount", "pence"), Column("Share", "percent"),
                   Column("Count", "number"), Column("Month", "month"), Column("Name")],
                  [["a", Decimal("1.5"), Decimal("12.5"), 3, dt.date(2019, 4, 1), ""],
                   ["b", None, Decimal("33.333"), 4, None, "x"]])
    arrow = table_arrow(table)
    assert [f.type for f in arrow.schema] == [pa.string(), pa.decimal128(38, 2),
                                              pa.decimal128(38, 3), pa.int64(), pa.date32(),
                                              pa.string()]
    assert arrow.column_names[-1] == "Name (2)"
    assert arrow.to_pylist()[0] == {"Name": "a", "Amount": Decimal("1.50"),
                                    "Share": Decimal("12.500"), "Count": 3,
                                    "Month": dt.date(2019, 4, 1), "Name (2)": None}


@pytest.mark.parametrize("period", [None, (dt.date(2018, 7, 1), dt.date(2019, 3, 31))])
def test_the_fast_committee_parquet_is_the_ordinary_one(monkeypatch, period):
    monkeypatch.setattr(fast, "LARGE", 1)
    costing = cost(structure(), BASIS, period=period)
    written = fast.committee_chunks(costing, "parquet", "Team")
    assert read(bytes(written)).equals(read(table_bytes(committee_table(costing, "Team"))),
                                       check_metadata=True)


def test_without_pyarrow_parquet_is_a_plain_error(monkeypatch):
    from establishment.errors import EstablishmentError

    monkeypatch.setitem(__import__("sys").modules, "pyarrow", None)  # import fails
    with pytest.raises(EstablishmentError, match=r"pip install 'establishment\[parquet\]'"):
        table_bytes(Table([Column("A")], [["x"]]))


def test_the_command_line_writes_parquet_by_extension_or_format(tmp_path, capsys):
    path = tmp_path / "team.toml"
    from establishment.io import write_structure

    write_structure(structure(), path)
    options = ["--employer", "nottinghamshire", "--pay-year", "2018/19", "--rule",
               "council-2018"]
    out = tmp_path / "out.parquet"
    assert main(["cost", str(path), *options, "--by", "team", "--output", str(out)]) == 0
    arrow = pq.read_table(out)
    assert arrow.column_names[0] == "Post details"  # one table: the committee table
    assert main(["cost", str(path), *options, "--by", "team", "--table", "cost-by-team",
                 "--format", "parquet", "--output", str(tmp_path / "by")]) == 0
    assert pq.read_table(tmp_path / "by").column_names == ["Team", "fte", "Cost per annum"]
    capsys.readouterr()

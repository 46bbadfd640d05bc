"""Consistent figures: funding splits in whole pounds that add up; projection months as dates
in XLSX."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from establishment import PayBasis, Post, Structure
from establishment.cli.main import main
from establishment.engine.costing import cost
from establishment.model.funding import FundingShare
from establishment.tables import structure_table

BASIS = PayBasis(employer="nottinghamshire", pay_year=2018, rule="council-2018")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([1, 3, 7]), st.integers(1, 99)), min_size=1,
                max_size=4))
def test_funding_splits_are_whole_pounds_per_line_and_add_up(lines):
    posts = [Post(f"Officer {n}", Decimal(fte) / 4, "Hay Band A", scp=34,
                  funding=(FundingShare("Core", Decimal(share)),
                           FundingShare("Grant", Decimal(100 - share))))
             for n, (fte, share) in enumerate(lines)]
    costing = cost(Structure("s", posts), BASIS)
    frame = costing.by_funding()
    values = list(frame["full_year"])
    assert all(v == v.to_integral_value() for v in values)
    assert sum(values) == costing.full_year
    table = structure_table(costing, "funding")
    assert table.columns[1].kind == "money" and table.total[1] == sum(r[1] for r in table.rows)


def test_a_fifty_fifty_line_of_odd_pounds_is_not_split_in_pence():
    post = Post("Officer", 1, "Hay Band A", scp=34,
                funding=(FundingShare("Core", Decimal(50)), FundingShare("Grant", Decimal(50))))
    costing = cost(Structure("s", [post]), BASIS)
    frame = costing.by_funding()["full_year"]
    assert frame["Core"] + frame["Grant"] == costing.full_year
    assert abs(frame["Core"] - frame["Grant"]) <= 1
    assert frame["Core"] == frame["Core"].to_integral_value()


def test_xlsx_projection_months_are_dates_with_a_month_format(tmp_path):
    source = tmp_path / "posts.toml"
    source.write_text('[[post]]\ntitle = "Officer"\nfte = 1\ngrade = "Hay Band A"\nscp = 34\n')
    target = tmp_path / "p.xlsx"
    assert main(["project", str(source), "--from", "2018-04", "--months", "3", "--rule", "njc",
                 "--employer", "nottinghamshire",
                 "-o", str(target)]) == 0
    sheet = openpyxl.load_workbook(io.BytesIO(target.read_bytes())).worksheets[0]
    cells = [sheet.cell(row=r, column=1) for r in (2, 3, 4)]
    assert [c.value for c in cells] == [dt.datetime(2018, 4, 1), dt.datetime(2018, 5, 1),
                                        dt.datetime(2018, 6, 1)]
    assert all(c.is_date and c.number_format == "mmm yyyy" for c in cells)

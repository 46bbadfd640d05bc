"""Posts in hours from a CSV or workbook: ``hours`` (and ``headcount``) are mappable columns of
a file of posts (issue 10); in a file with one row per person ``hours`` stays the person's."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from establishment import LoadError, PayBasis, Post, Structure
from establishment.engine.costing import cost_frame
from establishment.io import load_structure, write_structure
from establishment.model.frame import lines_frame

BASIS = PayBasis(pay_year=2019, employer="nottinghamshire")


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "posts.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_posts_file_gives_hours_and_headcount(tmp_path):
    path = _csv(tmp_path, "reference,title,grade,scp,Contracted hours,Head count\n"
                          "A1,Support worker,Grade 4,12,20,\n"
                          "A2,Job share,Grade 5,17,74,2\n")
    structure = load_structure(path)
    assert [(p.hours, p.fte, p.headcount) for p in structure.posts] == [
        (Decimal(20), None, None), (Decimal(74), None, 2)]
    costed, _ = cost_frame(lines_frame(structure.posts), BASIS)
    # 2019/20 scp 12: £28,170 per fte (salary £21,589 + 13.8% NI above £8,632 + 22.2%);
    # 20/37 x 28,170 = 15,227.03 -> £15,227. scp 17 at £31,226: 74/37 = 2 fte -> £62,452
    assert list(costed["full_year"]) == [15_227, 62_452]


def test_fte_or_hours_is_required_and_a_bad_headcount_is_located(tmp_path):
    path = _csv(tmp_path, "reference,title,grade,scp,fte,hours,headcount\n"
                          "A1,No time,Grade 4,12,,,\n"
                          "A2,Many,Grade 5,17,1,,two\n")
    with pytest.raises(LoadError) as caught:
        load_structure(path)
    found = [(p.line, p.field) for p in caught.value.problems]
    assert (2, "fte") in found and (3, "headcount") in found


def test_hours_round_trip_through_csv(tmp_path):
    structure = Structure("s", [Post(reference="A1", title="t", grade="Grade 4", scp=12,
                                     hours=Decimal("18.5")),
                                Post(reference="A2", title="u", grade="Grade 4", scp=12,
                                     fte=Decimal(2), headcount=2)])
    path = tmp_path / "out.csv"
    write_structure(structure, path)
    assert load_structure(path).posts == structure.posts

"""Grades by canonical name (issue 15): aliases are one grade in groupings, tables and diffs."""

from __future__ import annotations

from establishment import PayBasis, Post, Structure, diff
from establishment.engine.costing import cost
from establishment.model.grades import canonical_grades
from establishment.tables import committee_table, structure_table

BASIS = PayBasis("nottinghamshire", pay_year=2018, rule="council-2018")


def spelled(*grades: str) -> Structure:
    return Structure("s", [Post("Manager", 1, grade, reference=f"M{i}")
                           for i, grade in enumerate(grades)])


def test_aliases_resolve_to_the_canonical_name():
    names = canonical_grades(["Band D", "Hay Band D", "HB D", "hay band d", "Unknown", ""],
                             BASIS)
    assert list(names) == ["Hay Band D"] * 4 + ["Unknown", ""]


def test_one_row_per_grade_whatever_the_spelling():
    costing = cost(spelled("Band D", "Hay Band D", "HB D"), BASIS)
    by_grade = costing.by("grade")
    assert list(by_grade.index) == ["Hay Band D"]
    assert by_grade.loc["Hay Band D", "fte"] == 3
    assert by_grade.loc["Hay Band D", "full_year"] == costing.full_year
    rows = structure_table(costing, "grade").rows
    assert [r[0] for r in rows] == ["Hay Band D"]
    shown = " ".join(str(cell) for row in committee_table(costing, "s").rows for cell in row)
    assert "HB D" not in shown and shown.count("Hay Band D") == 3


def test_a_spelling_only_change_is_no_change():
    before, after = spelled("Band D", "HB D"), spelled("Hay Band D", "Hay Band D")
    assert len(diff(before, after, BASIS).changes) == 0
    regraded = spelled("Band D", "Band C")
    kinds = [c.kind for c in diff(before, regraded, BASIS).changes]
    assert kinds == ["regrade"]


def test_a_new_salary_under_a_respelt_grade_is_a_pay_range_change():
    before = Structure("s", [Post("Manager", 1, "Band D", salary=40000, reference="M")])
    after = Structure("s", [Post("Manager", 1, "Hay Band D", salary=41000, reference="M")])
    result = diff(before, after, BASIS)
    assert [c.kind for c in result.changes] == ["pay range"]
    assert result.kinds() == ["pay range"]


def test_a_projection_by_grade_has_one_row_per_grade_whatever_the_spelling():
    from establishment import projection

    result = projection(spelled("Band D", "Hay Band D", "HB D"), BASIS, "2018-04", 2)
    monthly = result.monthly("grade")
    assert monthly["grade"].tolist() == ["Hay Band D", "Hay Band D"]  # one row a month
    assert monthly["total"].sum() == result.monthly()["total"].sum()
    assert result.yearly("grade")["grade"].tolist() == ["Hay Band D"]

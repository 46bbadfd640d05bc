"""Every table kind in every format; golden files for the 2018 committee table; the totals
policy. Regenerate the golden files (after checking a change is intended) with
``UPDATE_GOLDEN=1 python -m pytest tests/test_render.py``."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import scenarios
from establishment import EstablishmentError, explain_line
from establishment.engine.costing import cost
from establishment.tables import (
    FORMATS,
    TEXT_FORMATS,
    Column,
    Table,
    adds_up,
    committee_table,
    explanation_table,
    render,
    structure_table,
    tables_bytes,
    to_frame,
    totals_mismatches,
)

GOLDEN = Path(__file__).parent / "golden"
SUFFIX = {"plain": "txt", "github": "md", "html": "html", "latex": "tex", "csv": "csv"}


@pytest.fixture(scope="module")
def result():
    return scenarios.run_scenario("2018-short-breaks")


@pytest.fixture(scope="module")
def committee(result):
    return committee_table(result.primary, result.scenario.title)


def diff_like() -> Table:
    """The shape of a diff table (changes with negative effects and a net row)."""
    return Table([Column("Change"), Column("Post"), Column("fte", "fte"), Column("Grade"),
                  Column("Cost effect (full year)", "money")],
                 [["establish", "Reviewing Officer", Decimal(2), "Hay Band A", Decimal(81404)],
                  ["disestablish", "Team Manager", Decimal("-1"), "Hay Band D",
                   Decimal(-52413)]],
                 "Changes", ["Net", "", Decimal(1), "", Decimal(28991)])


def comparison_like() -> Table:
    return Table([Column("Option"), Column("Full-year cost", "money"),
                  Column("Against budget", "money")],
                 [["A", Decimal(12_345_678), Decimal(-12_345)],
                  ["B", Decimal(9_999_999), Decimal(2_333_334)]], "Options")


def real_diff_and_comparison(result) -> dict[str, Table]:
    """The diff and comparison tables of issue 3 (tables/diff_table.py, comparison_table.py),
    on the 2018 structure before and after dropping a post and regrading another."""
    from establishment.operations.diff import diff
    from establishment.tables.comparison_table import comparison_table
    from establishment.tables.diff_table import diff_summary_table, diff_table

    before = result.scenario.structure
    after = before.with_posts([p.evolve(scp=33) if p.reference == "RO" else p
                               for p in before.posts if p.reference != "SO"])
    basis = result.primary.basis
    change = diff(before, after, basis)
    return {
        "diff": diff_table(change, "Changes"),
        "diff summary": diff_summary_table(change),
        "comparison (real)": comparison_table([("Before", cost(before, basis)),
                                               ("After", cost(after, basis))]),
    }


def all_kinds(result) -> dict[str, Table]:
    costing = result.primary
    full_year = result.costings["correct"]
    return {
        **real_diff_and_comparison(result),
        "committee (period)": committee_table(costing, "Committee"),
        "committee (full year)": committee_table(cost(full_year.structure, full_year.basis)),
        "by team": structure_table(costing, "team"),
        "by grade": structure_table(costing, "grade"),
        "by funding": structure_table(costing, "funding"),
        "explanation": explanation_table(explain_line(costing, "RO", period=True)),
        "diff (shape)": diff_like(),
        "comparison": comparison_like(),
        "summary": result.tables()[1],
        "reconciliation": result.tables()[-1],
    }


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_golden_committee_table_2018(committee, fmt):
    path = GOLDEN / f"committee-2018.{SUFFIX[fmt]}"
    text = render(committee, fmt) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


# Figures printed in the committee report itself (seed 000, 18 June 2018, paragraphs 6, 7 and
# 12): the oracle. Nothing else here is "published".
PUBLISHED_2018 = ("£40,702", "£33,504", "£28,376", "£23,940", "£3,161", "£284,937")
# The library's own figures for the same table, kept as regression values (not oracles):
# per-annum lines are fte x a published cost per fte (2 x £40,702 = £81,404, ...); the period
# column (1 Jul 2018 to 31 Mar 2019: 274 of 365 days) is not in the report at all.
REGRESSION_2018 = ("£81,404", "£67,008", "£56,752", "£35,910", "£61,109", "£214,686")


def test_golden_figures_are_the_published_ones():
    """The golden files hold the report's own figures (seed 000), not whatever we printed:
    every cost per fte and the total the report prints is in the table."""
    plain = (GOLDEN / "committee-2018.txt").read_text(encoding="utf-8")
    for figure in PUBLISHED_2018:
        assert figure in plain, figure
    total = [line for line in plain.splitlines() if line.startswith("Total")][0]
    assert "£284,937" in total.split()  # the report's total is the total row's, not a line's


def test_golden_regression_values_are_unchanged():
    """Our own figures (not in the report): a change to any of them is a change of
    behaviour to explain, not a correction to a published figure."""
    plain = (GOLDEN / "committee-2018.txt").read_text(encoding="utf-8")
    for figure in REGRESSION_2018:
        assert figure in plain, figure
    assert "Reviewing Officer,2,Hay Band A scp 34,40702,81404,61109" in \
        (GOLDEN / "committee-2018.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_table_kind_renders_in_every_format(result, fmt):
    for name, table in all_kinds(result).items():
        data = tables_bytes(table, fmt)
        assert data, name
        if fmt in TEXT_FORMATS:
            text = data.decode("utf-8")
            assert table.columns[0].name.split(" ")[0] in text or fmt == "csv", name
            assert "e+" not in text, name
    for name, table in all_kinds(result).items():
        frame = to_frame(table, total=True)
        assert list(frame.columns) == [c.name for c in table.columns], name
        assert len(frame) == len(table.rows) + (table.total is not None), name


def test_large_and_negative_money_is_formatted_by_us(result):
    table = comparison_like()
    for fmt in ("plain", "github", "html"):
        text = render(table, fmt)
        assert "£12,345,678" in text and "-£12,345" in text and "£9,999,999" in text
        assert "1.23457e+07" not in text
    assert r"\pounds{}12,345,678" in render(table, "latex")
    assert render(table, "csv").splitlines()[1] == "A,12345678,-12345"


def test_money_is_right_aligned_and_text_left(committee):
    header, rule, first = render(committee, "github").splitlines()[2:5]
    cells = rule.strip("|").split("|")
    assert cells[0].startswith(":") and cells[0].endswith("-")   # Post details: left
    assert cells[4].endswith(":")                                # Cost per annum: right
    plain = render(committee, "plain").splitlines()
    line = next(row for row in plain if row.startswith("Reviewing Officer"))
    total = next(row for row in plain if row.startswith("Total"))
    assert line.index("£81,404") + len("£81,404") == total.index("£284,937") + len("£284,937")


def test_html_and_latex_escape_their_special_characters():
    table = Table([Column("Post <b>"), Column("Cost", "money")],
                  [["<script>alert(1)</script> & co", Decimal(5)],
                   ["50% of R&D_team #1 {x} ~ ^ \\", Decimal(-5)]], "A & B <i>",
                  ["Total", Decimal(0)], ["note <x> & 100%"])
    html = render(table, "html")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<caption>A &amp; B &lt;i&gt;</caption>" in html
    assert "<tfoot>" in html and "<p class=\"note\">note &lt;x&gt; &amp; 100%</p>" in html
    latex = render(table, "latex")
    assert r"50\% of R\&D\_team \#1 \{x\} \textasciitilde{} \textasciicircum{} " \
           r"\textbackslash{}" in latex
    assert r"\caption{A \& B <i>}" in latex
    rows = latex.splitlines()
    assert rows[rows.index(r"\bottomrule") - 2] == r"\midrule"  # a rule above the total


def test_markdown_cells_with_a_pipe_or_a_line_break_stay_one_cell():
    table = Table([Column("Post | title"), Column("Cost", "money")],
                  [["Admin | Finance", Decimal(5)], ["Two\nlines", Decimal(6)]], "",
                  ["Total", Decimal(11)])
    lines = render(table, "github").splitlines()
    assert [line.count(" | ") for line in lines] == [1, 0, 1, 1, 1]  # two columns each
    assert lines[0].startswith("| Post \\| title ")
    assert lines[2].startswith("| Admin \\| Finance ") and lines[3].startswith("| Two<br>lines ")
    assert len(lines) == 5


def test_latex_cells_have_no_blank_line():
    """A blank line inside a tabular cell is a paragraph break: LaTeX stops with an error."""
    table = Table([Column("Post"), Column("Cost", "money")], [["Two\n\nparagraphs", Decimal(1)]],
                  "A\r\nB", None, ["note\n\nhere"])
    latex = render(table, "latex")
    assert "\n\n" not in latex
    assert " Two  paragraphs " in latex and r"\caption{A B}" in latex


def test_dataframe_keeps_exact_decimals(committee):
    frame = to_frame(committee)
    assert isinstance(frame, pd.DataFrame)
    column = "Cost per annum (2018/19)"
    assert frame[column].dtype == object
    assert list(frame[column]) == [Decimal(v) for v in (81404, 67008, 56752, 40702, 35910,
                                                        3161)]
    assert sum(frame[column]) == Decimal(284937)
    assert frame.attrs["title"].startswith("Revised short breaks offer")


def test_xlsx_is_not_text_and_unknown_formats_are_named(committee):
    with pytest.raises(EstablishmentError, match="xlsx is a binary format"):
        render(committee, "xlsx")
    with pytest.raises(EstablishmentError, match="unknown format 'rtf'; choose one of plain, "
                       "github, html, latex, csv, xlsx"):
        render(committee, "rtf")


class TestTotalsPolicy:
    def test_every_kind_adds_up(self, result):
        for name, table in all_kinds(result).items():
            assert totals_mismatches(table) == [], name

    def test_shown_lines_add_up_to_the_total_row(self, committee):
        rows = [row for row in render(committee, "csv").splitlines()[1:]]
        lines, total = rows[:-1], rows[-1]
        column = 4  # cost per annum
        assert sum(int(r.split(",")[column]) for r in lines) == int(total.split(",")[column])
        period = [int(r.split(",")[5]) for r in lines]
        # 214,686: our regression value for the period (not a published figure)
        assert sum(period) == int(total.split(",")[5]) == 214686

    def test_a_total_that_is_not_the_sum_of_the_lines_is_caught(self):
        table = Table([Column("Post"), Column("Cost", "money")],
                      [["A", Decimal(1)], ["B", Decimal(2)]], total=["Total", Decimal(4)])
        assert not adds_up(table)
        assert totals_mismatches(table) == ["Cost: total 4 but the lines add up to 3"]

    def test_per_fte_columns_have_a_blank_total(self, committee):
        assert committee.total[3] is None
        assert re.search(r"^Total +8\.5 +£284,937", render(committee, "plain"), re.M)

"""Auditing a committee report (issue 26): every published figure recomputed, the gap's likely
cause named, exit 1 when a figure does not reconcile; the same report as text, Word and PDF
reads the same."""

from __future__ import annotations

import re
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from establishment.reading import read_report, scenario_toml
from scenarios import load_scenario
from scenarios.audit import audit_report
from tests.cli_run import run

REPORTS = Path(__file__).parent / "fixtures" / "reports"
FAMILY = REPORTS / "family-support-2018.txt"
REORG = REPORTS / "reorganisation-2019.txt"


def audit_line(audit, label_start):
    return next(line for line in audit.lines if line.label.startswith(label_start))


def test_a_report_priced_on_the_councils_model_reconciles_and_the_full_year_is_named():
    audit = audit_report(FAMILY, "nottinghamshire", rule="council-2018")
    assert audit.ok
    total = audit_line(audit, "Total cost of the posts")
    assert (total.published, total.recomputed, total.difference) == (139800, 139800, 0)
    # the posts run 1 August 2018 to 31 March 2019: 243 of the 365 days of 2018/19
    assert total.in_year == audit.result.costings["stated"].period_total
    assert total.in_year < total.published
    assert total.cause.startswith("full year called in-year: £139,800 is a full year's cost, "
                                  "but the posts run from 2018-08-01 to 2019-03-31: ")
    assert total.quote == "total cost of the posts will be £139,800"
    # on the correct 2018/19 basis the council's stale spine shows
    worker = audit_line(audit, "3 fte Family Support Worker")
    assert (worker.recomputed, worker.correct) == (28376, 28340)
    assert "on the correct basis £28,340 (-£36): a stale spine (rule 'council-2018' prices " \
        "on the 2017/18 spine plus an assumed 2% award)" in worker.cause


@pytest.mark.parametrize(("old", "new", "label", "cause"), [
    ("£139,800", "£139,801", "Total cost of the posts",
     "arithmetic: the report's own figures add up to £139,800, not £139,801"),
    ("£28,376", "£28,377", "3 fte Family Support Worker", "arithmetic or a typo: £1"),
])
def test_a_figure_changed_by_one_pound_fails_with_its_line_named(capsys, tmp_path, old, new,
                                                                 label, cause):
    report = tmp_path / "changed.txt"
    report.write_text(FAMILY.read_text().replace(old, new, 1))
    audit = audit_report(report, "nottinghamshire", rule="council-2018")
    failed = [line for line in audit.lines if line.failed]
    assert [(abs(f.difference), f.cause) for f in failed] == [(1, cause)]
    assert failed[0].label.startswith(label)
    code, out, _ = run(capsys, "audit", str(report), "--employer", "nottinghamshire",
                       "--rule", "council-2018")
    assert code == 1
    assert re.search(rf"1 DO NOT RECONCILE: {re.escape(label)}[^;]*\(para \d, ", out)
    code, _, _ = run(capsys, "audit", str(FAMILY), "--employer", "nottinghamshire", "--rule",
                     "council-2018")
    assert code == 0


def test_not_derivable_and_inputs_do_not_fail_the_audit():
    audit = audit_report(REORG, "nottinghamshire")
    assert audit.ok
    assert [(line.label, line.status) for line in audit.lines] == [
        ("Staffing budget", "input (taken as given)"),
        ("Cost of the revised structure", "input (taken as given)"),
        ("of which temporary funding", "input (taken as given)"),
        ("Shortfall against the budget", "match"),
        ("Reduction in the cost of staffing", "not derivable from the text")]


def test_the_working_paper(capsys, tmp_path):
    html = tmp_path / "audit.html"
    code, _, _ = run(capsys, "audit", str(FAMILY), "--employer", "nottinghamshire", "--rule",
                     "council-2018", "-o", str(html))
    assert code == 0
    page = html.read_text()
    assert "total cost of the posts will be £139,800" in page and "full year called" in page
    xlsx = tmp_path / "audit.xlsx"
    assert run(capsys, "audit", str(FAMILY), "--employer", "nottinghamshire", "--rule",
               "council-2018", "-o", str(xlsx))[0] == 0
    import openpyxl

    sheet = openpyxl.load_workbook(xlsx).worksheets[0]
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert any("£139,800" in str(v) and "total cost" in str(v) for v in values)
    assert 139800 in values


# ---------------------------------------------------------------------------- three formats
# One report, written once as blocks and rendered three ways in the test: text as a PDF-to-text
# step leaves it (wrapped, bullets), Word (paragraphs, the posts as a table) and PDF (fpdf2).
BLOCKS = [
    ("line", "Report to the Children and Families Committee"),
    ("line", "3 September 2018"),
    ("heading", "Purpose of the Report"),
    ("para", "1. This report asks the Committee to agree additional temporary posts for the "
             "Short Breaks Team from 1 October 2018."),
    ("heading", "Information"),
    ("para", "2. Last year the team arranged around 900 short breaks at an average cost of "
             "£210 each."),
    ("para", "3. Approval is sought for the establishment of the following posts, on a "
             "temporary basis until 31 March 2019:"),
    ("posts", [("2", "Short Breaks Coordinators", "Grade 5", "28", "£33,504"),
               ("1", "Team Leader", "Hay Band A", "34", "£40,702")]),
    ("para", "4. An honorarium payment of £1,500 has been agreed for an existing Senior "
             "Practitioner until 31 March 2019."),
    ("heading", "Financial Implications"),
    ("para", "5. The total cost of the posts will be £109,210 and will be met from the team's "
             "staffing budget of £640,000."),
]


def as_text() -> str:
    out = []
    for kind, value in BLOCKS:
        if kind == "posts":
            out += [f" \uf0b7 {n} fte {t} ({g} scp {s} - {c} with on-costs)"
                    for n, t, g, s, c in value]
        else:
            out += textwrap.wrap(value, 88) + [""]
    return "\n".join(out) + "\n"


def as_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    for kind, value in BLOCKS:
        if kind == "posts":
            table = document.add_table(rows=1, cols=5)
            header = ("FTE", "Post", "Grade", "SCP", "Cost per fte (with on-costs)")
            for cell, text in zip(table.rows[0].cells, header, strict=True):
                cell.text = text
            for row in value:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
        else:
            document.add_paragraph(value)
    document.save(path)


def as_pdf(path: Path) -> None:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for line in as_text().splitlines():
        pdf.multi_cell(0, 5, line.replace("\uf0b7", "-") or " ", new_x="LMARGIN",
                       new_y="NEXT")
    pdf.output(str(path))


def content(reading):
    """What a reading holds, sources aside."""
    return ([(p.kind, p.title, p.fte, p.grade, p.scp, p.start, p.end) for p in reading.posts],
            [(p.title, p.amount, p.per, p.start, p.end) for p in reading.payments],
            [(b.name, b.amount) for b in reading.budgets],
            [(f.metric, f.amount, f.subject, f.expect) for f in reading.figures],
            [(m.amount, m.fate) for m in reading.money], reading.date, reading.effective)


def scenario_of(reading, path):
    """A reading's scenario as loaded, with what differs by format (the notes giving each
    post's source lines, the report's file name) left out."""
    import attrs

    path.write_text(scenario_toml(reading, "nottinghamshire", rule="council-2018",
                                  name="same"))
    scenario = load_scenario(path)
    posts = [attrs.evolve(p, notes=None) for p in scenario.structure.posts]
    return (posts, scenario.structure.payments, scenario.published, scenario.bases,
            scenario.period, scenario.budgets, scenario.changes)


def test_the_same_report_as_text_word_and_pdf_reads_the_same(tmp_path):
    pytest.importorskip("pypdf")
    text = tmp_path / "r.txt"
    text.write_text(as_text())
    word, pdf = tmp_path / "r.docx", tmp_path / "r.pdf"
    as_docx(word)
    as_pdf(pdf)
    readings = [read_report(p) for p in (text, word, pdf)]
    posts = content(readings[0])[0]
    assert [p[:5] for p in posts] == [
        ("establish", "Short Breaks Coordinator", 2, "Grade 5", 28),
        ("establish", "Team Leader", 1, "Hay Band A", 34)]
    assert content(readings[0])[3][-2:] == [("full_year", 109210, None, "match"),
                                           ("budget_amount", 640000, "Team's staffing budget",
                                            "input")]
    assert content(readings[1]) == content(readings[0])
    assert content(readings[2]) == content(readings[0])
    # the Word table was read as a table: its rows are the posts, located at their rows
    assert readings[1].posts[0].sources[0].text.startswith("2 fte Short Breaks Coordinators")
    # and so the same scenario, sources aside
    scenarios = [scenario_of(r, tmp_path / f"{i}.toml") for i, r in enumerate(readings)]
    assert scenarios[1] == scenarios[0] and scenarios[2] == scenarios[0]
    audits = [audit_report(p, "nottinghamshire", rule="council-2018") for p in (text, word,
                                                                              pdf)]
    assert all(a.ok for a in audits)
    assert {a.lines[-2].in_year for a in audits} == {audits[0].lines[-2].in_year}
    assert audits[0].lines[-2].in_year == Decimal(audits[0].result.primary.period_total)

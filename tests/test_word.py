"""Word output: a real table per table, read back with python-docx."""

from __future__ import annotations

import io

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

import scenarios
from establishment.cli.main import main
from establishment.tables import committee_table, render, tables_bytes


@pytest.fixture(scope="module")
def result():
    return scenarios.run_scenario("2018-short-breaks")


def _read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def test_committee_table_is_a_word_table_with_caption_and_small_print(result):
    table = committee_table(result.primary, "Short breaks posts")
    word = _read(tables_bytes([table], "docx"))
    assert len(word.tables) == 1
    grid = word.tables[0]
    header = [c.text for c in grid.rows[0].cells]
    assert header == [c.name for c in table.columns]
    assert grid.rows[0]._tr.trPr.xml.count("tblHeader") == 1  # repeats on each page
    # every cell is the plain table's text, exactly
    plain = render(table, "plain")
    texts = [[c.text for c in row.cells] for row in grid.rows[1:]]
    assert [r[0] for r in texts[:5]] == ["Reviewing Officer [t, i]", "Assessment Officer [t, i]",
                                         "Service Organiser [t, i]",
                                         "Commissioning Officer [t, i]",
                                         "Commissioning Assistant [t, i]"]
    assert texts[-1][:5] == ["Total", "8.5", "", "", "£284,937"] and texts[-1][5] == "£214,686"
    for row in texts:
        for cell in row:
            assert cell in plain
    total = grid.rows[-1].cells[4].paragraphs[0]
    assert all(run.bold for run in total.runs)
    assert not any(run.bold for run in grid.rows[1].cells[4].paragraphs[0].runs)
    assert grid.rows[1].cells[4].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert grid.rows[1].cells[0].paragraphs[0].alignment != WD_ALIGN_PARAGRAPH.RIGHT
    captions = [p for p in word.paragraphs if p.style.name == "Caption"]
    assert [p.text for p in captions] == ["Short breaks posts"]
    small = [p for p in word.paragraphs if p.text.startswith(("Basis:", "[t]", "[i]"))]
    assert len(small) == 3 and all(r.font.size.pt == 8 for p in small for r in p.runs)


def test_every_table_command_writes_docx(result, tmp_path, capsys):
    target = tmp_path / "run.docx"
    assert main(["scenario", "run", "2018-short-breaks", "--output", str(target)]) == 0
    word = _read(target.read_bytes())
    assert len(word.tables) == len(result.tables())
    assert word.paragraphs[0].text == result.scenario.title
    source = tmp_path / "posts.toml"
    source.write_text('[[post]]\ntitle = "Officer"\nfte = 1\ngrade = "Hay Band A"\nscp = 34\n')
    assert main(["cost", str(source), "--employer", "nottinghamshire", "--pay-year", "2018/19",
                 "--by", "team", "-f", "docx", "-o",
                 str(tmp_path / "cost.docx")]) == 0
    word = _read((tmp_path / "cost.docx").read_bytes())
    assert len(word.tables) == 2 and word.tables[1].rows[-1].cells[0].text == "Total"


def test_word_and_xlsx_committee_outputs_carry_no_command_line_text(result):
    import openpyxl

    table = committee_table(result.primary, "Committee")
    word = _read(tables_bytes([table], "docx"))
    texts = [p.text for p in word.paragraphs] + [c.text for row in word.tables[0].rows
                                                 for c in row.cells]
    book = openpyxl.load_workbook(io.BytesIO(tables_bytes([table], "xlsx")))
    texts += [str(c.value) for row in book.worksheets[0].iter_rows() for c in row if c.value]
    assert "[i] rests on inferred pay data: treat the figure as provisional" in texts
    assert not [t for t in texts if "establishment " in t or "--" in t or "`" in t]

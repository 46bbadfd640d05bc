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


# --- a document a clerk can table (issue 23) ----------------------------------------------

import shutil  # noqa: E402
import subprocess  # noqa: E402
from pathlib import Path  # noqa: E402

from docx.shared import Mm  # noqa: E402

from establishment.tables.word import CELL_PADDING_PT, TABLE_TEXT, longest_word, text_width  # noqa: E402,E501

POSTS = ["Reviewing Officer", "Assessment Officer", "Service Organiser", "Commissioning Officer",
         "Commissioning Assistant"]
WIDE_TEAMS = ("Integrated Children's Disability Service and Short Breaks Commissioning",
              "Adult Social Care Strategic Commissioning and Market Development")
SOURCES = ('{ "Core budget" = 40, "Better Care Fund" = 30, "Public Health Grant" = 20, '
           '"Dedicated Schools Grant" = 10 }')
BASIS = ["--employer", "nottinghamshire", "--pay-year", "2018/19", "--rule", "council-2018"]


def _structure(name: str, count: int, fte_cut: int = 0, extra: bool = False) -> str:
    posts = []
    for i in range(count + extra):
        fte = "0.8" if i < fte_cut else "1"
        posts.append(f'[[post]]\nreference = "P{1000 + i}"\nteam = "{WIDE_TEAMS[i % 2]}"\n'
                     f'title = "Senior Commissioning Officer {i}"\nfte = {fte}\n'
                     f'grade = "Hay Band A"\nscp = 34\nfunding = {SOURCES}\n')
    return f'name = "{name}"\n' + "".join(posts)


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """The 2018 report, a report with a change (a chart), and a 15-post restructure's
    three-option comparison over a period (a wide table)."""
    folder = tmp_path_factory.mktemp("documents")
    paths = {"report": folder / "report-2018.docx", "change": folder / "change.docx",
             "compare": folder / "compare.docx"}
    assert main(["report", "2018-short-breaks", "-o", str(paths["report"])]) == 0
    assert main(["report", "2019-commissioning-reorganisation", "-o",
                 str(paths["change"])]) == 0
    files = []
    for name, cut, extra in (("Current structure", 0, False),
                             ("Option A: reduce hours in commissioning", 3, False),
                             ("Option B: add a transitions coordinator", 0, True)):
        path = folder / f"{name.split(':')[0].replace(' ', '-')}.toml"
        path.write_text(_structure(name, 15, cut, extra), encoding="utf-8")
        files.append(str(path))
    assert main(["compare", *files, *BASIS, "--from", "2018-07-01", "--to", "2019-03-31",
                 "-o", str(paths["compare"])]) == 0
    return paths


def test_the_report_is_a4_with_page_numbers_and_its_reference(documents):
    word = docx.Document(str(documents["report"]))
    section = word.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1)
    assert abs(section.page_height - Mm(297)) < Mm(0.1)
    footer = section.footer._element.xml
    assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer
    reference = "Children and Young People's Committee, 18 June 2018, agenda item 10"
    assert reference in section.header.paragraphs[0].text
    assert any(p.text.startswith(reference) for p in word.paragraphs[:3])


def test_the_page_can_be_letter(tmp_path):
    path = tmp_path / "r.docx"
    assert main(["report", "2018-short-breaks", "--page", "letter", "-o", str(path)]) == 0
    section = docx.Document(str(path)).sections[0]
    assert abs(section.page_width - Mm(215.9)) < Mm(0.1)


def test_the_five_posts_and_the_published_total_headings_once(documents):
    word = docx.Document(str(documents["report"]))
    committee = word.tables[0]
    firsts = [row.cells[0].text for row in committee.rows]
    assert [f.split(" [")[0] for f in firsts[1:6]] == POSTS
    assert firsts[-1] == "Total" and committee.rows[-1].cells[4].text == "£284,937"
    shown = [p.text for p in word.paragraphs if p.style.name in ("Caption", "Heading 2")]
    assert shown.count("Totals") == 1
    basis = [p.text for p in word.paragraphs if "rule 'council-2018'" in p.text]
    assert len(basis) == 1  # the basis once, in its own section


def test_column_widths_come_from_content(documents):
    """Each column at least its longest word (a figure's whole text) plus the cell padding;
    widths differ by content; figures right-aligned and never wrapped."""
    word = docx.Document(str(documents["report"]))
    for grid in word.tables:
        widths = [column.width.pt for column in grid.columns]
        for index, width in enumerate(widths):
            cells = [row.cells[index].text for row in grid.rows]
            right = grid.rows[1].cells[index].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
            need = max(text_width(c, TABLE_TEXT, True) if right and n else
                       longest_word(c, TABLE_TEXT, True) for n, c in enumerate(cells))
            assert width >= need + CELL_PADDING_PT - 0.5, (grid.rows[0].cells[index].text, width)
            if right:
                assert "w:noWrap" in grid.rows[1].cells[index]._tc.xml
        assert grid.rows[0]._tr.trPr.xml.count("tblHeader") == 1  # a real, repeated header
    committee = [c.width.pt for c in word.tables[0].columns]
    assert committee[0] == max(committee) and len(set(round(w) for w in committee)) > 2


def test_a_wide_comparison_is_set_in_a_landscape_section(documents):
    word = docx.Document(str(documents["compare"]))
    sections = list(word.sections)
    wide = [s for s in sections if s.page_width > s.page_height]
    # the table's landscape section first (no blank portrait page before it), then portrait
    # again for the chart under it
    assert [s.page_width > s.page_height for s in sections] == [True, False]
    assert len(word.inline_shapes) == 1
    assert abs(wide[0].page_width - Mm(297)) < Mm(0.1)
    grid = word.tables[0]
    from docx.shared import Emu

    room = Emu(wide[0].page_width - wide[0].left_margin - wide[0].right_margin).pt
    assert len(grid.columns) >= 9 and sum(c.width.pt for c in grid.columns) <= room + 1
    assert sum(c.width.pt for c in grid.columns) > 170 / 25.4 * 72  # wider than portrait


def test_every_chart_is_a_picture_with_alt_text(documents):
    word = docx.Document(str(documents["change"]))
    assert len(word.inline_shapes) == 1
    properties = word.inline_shapes[0]._inline.docPr
    alt = properties.get("descr")
    assert alt.startswith("Waterfall chart of the full-year cost: Current £236,833;")
    assert "Proposed £204,974" in alt and properties.get("title")
    from docx.shared import Emu

    assert word.inline_shapes[0].width <= Emu(16 * 360000)


def test_changes_are_named_by_post_title(documents):
    word = docx.Document(str(documents["change"]))
    texts = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert "disestablish Commissioning Assistant (CA)" in texts


def _template(path: Path) -> Path:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    template = docx.Document()
    template.styles["Heading 1"].font.name = "Georgia"
    template.styles["Heading 1"].font.size = Pt(24)
    template.styles["Heading 2"].font.name = "Georgia"
    table_style = template.styles.add_style("Report Table", WD_STYLE_TYPE.TABLE)
    table_style.base_style = template.styles["Table Grid"]
    table_style.font.name = "Verdana"
    template.sections[0].footer.paragraphs[0].text = "Nottinghamshire County Council: OFFICIAL"
    template.add_paragraph("The template's own text, never copied")
    template.save(str(path))
    return path


def test_a_template_gives_the_report_its_styles_header_and_footer(tmp_path):
    template = _template(tmp_path / "council.docx")
    path = tmp_path / "r.docx"
    assert main(["report", "2018-short-breaks", "--template", str(template),
                 "-o", str(path)]) == 0
    word = docx.Document(str(path))
    assert word.styles["Heading 1"].font.name == "Georgia"
    assert word.styles["Heading 1"].font.size.pt == 24
    heading = next(p for p in word.paragraphs if p.style.name == "Heading 1")
    assert heading.text.startswith("Revised short breaks offer")
    assert {t.style.name for t in word.tables} == {"Report Table"}
    assert word.sections[0].footer.paragraphs[0].text == "Nottinghamshire County Council: " \
        "OFFICIAL"
    assert not [p for p in word.paragraphs if "never copied" in p.text]


def test_a_template_that_is_not_there_is_exit_2(tmp_path, capsys):
    assert main(["report", "2018-short-breaks", "--template", str(tmp_path / "none.docx"),
                 "-o", str(tmp_path / "r.docx")]) == 2
    assert "--template" in capsys.readouterr().err


@pytest.mark.parametrize("title", ["a\u0001b", "x" * 300])
def test_a_title_word_cannot_hold_is_written_safely(tmp_path, title):
    """Decision (issue 27): a control character is written as its visible control picture
    (U+2401 for \\x01), and the core title is cut to Word's 255 characters; the heading keeps
    the whole title. Exit 0, never 70."""
    path = tmp_path / "r.docx"
    assert main(["report", "2018-short-breaks", "--title", title, "-o", str(path)]) == 0
    word = docx.Document(str(path))
    heading = next(p for p in word.paragraphs if p.style.name == "Heading 1")
    assert heading.text == title.replace("\u0001", "\u2401")
    assert len(word.core_properties.title) <= 255


def _words(text: str) -> set[str]:
    return {w for w in text.split() if w}


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="no LibreOffice or poppler on this machine (Debian: apt-get "
                    "install libreoffice-writer-nogui poppler-utils)")
def test_libreoffice_sets_no_table_word_across_two_lines(documents, tmp_path):
    """Rendered as a reader sees it (LibreOffice to PDF): every word of the PDF is a word of
    the .docx, so no word of a table cell was broken across lines."""
    sources = [documents["report"], documents["compare"]]
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, sources)],
                   capture_output=True, timeout=240, check=True)
    for source in sources:
        pdf = tmp_path / (source.stem + ".pdf")
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              timeout=60, check=True).stdout
        word = docx.Document(str(source))
        known = set()
        for part in [*word.paragraphs, *(c for t in word.tables for r in t.rows
                                         for c in r.cells),
                     *(p for s in word.sections for p in s.header.paragraphs)]:
            known |= _words(part.text)
        known |= {"Page", "of", *map(str, range(1, 20))}
        assert _words(text) - known == set(), source.name

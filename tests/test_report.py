"""``establishment report``: the costing section of a committee report in HTML, Word and
Markdown; the HTML checked with Python's parser and, where Chromium is installed, in a real
browser."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest

import scenarios
from establishment.cli.main import main
from establishment.errors import EstablishmentError
from establishment.model.money import format_money
from establishment.tables.charts import waterfall_svg

POSTS = ["Reviewing Officer", "Assessment Officer", "Service Organiser", "Commissioning Officer",
         "Commissioning Assistant"]


class Tables(HTMLParser):
    """Every table of an HTML document: caption, header, body rows and total row as text; and
    every paragraph, and whatever the page would fetch from elsewhere."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self.paragraphs: list[str] = []
        self.external: list[str] = []
        self.tags: list[str] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._part = ""
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href") or (value and "url(" in value):
                self.external.append(f"{tag} {name}={value}")
        if tag in ("script", "link", "img", "iframe", "object"):
            self.external.append(tag)
        if tag == "table":
            self.tables.append({"caption": "", "head": [], "body": [], "foot": []})
        elif tag in ("thead", "tbody", "tfoot"):
            self._part = {"thead": "head", "tbody": "body", "tfoot": "foot"}[tag]
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th", "caption", "p"):
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None:
            self._row.append("".join(self._text or []).strip())
        elif tag == "tr" and self._row is not None:
            self.tables[-1][self._part].append(self._row)
            self._row = None
        elif tag == "caption":
            self.tables[-1]["caption"] = "".join(self._text or []).strip()
        elif tag == "p":
            self.paragraphs.append("".join(self._text or []).strip())
        if tag in ("td", "th", "caption", "p"):
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def parse(text: str) -> Tables:
    parser = Tables()
    parser.feed(text)
    return parser


@pytest.fixture(scope="module")
def costing():
    return scenarios.run_scenario("2018-short-breaks").primary


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    paths = {fmt: folder / f"report.{fmt}" for fmt in ("html", "docx", "md")}
    for path in paths.values():
        assert main(["report", "2018-short-breaks", "--output", str(path)]) == 0
    return paths


def _committee(tables: Tables) -> dict:
    return next(t for t in tables.tables if t["caption"] == "Posts and costs")


def test_the_docx_holds_the_five_posts_and_the_published_total(written):
    word = docx.Document(str(written["docx"]))
    committee = word.tables[0]
    firsts = [row.cells[0].text for row in committee.rows]
    assert [f.split(" [")[0] for f in firsts[1:6]] == POSTS
    assert firsts[-1] == "Total" and committee.rows[-1].cells[4].text == "£284,937"
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    assert "Posts and costs" in captions
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert "Financial implications" in headings and "Basis" in headings
    text = "\n".join(p.text for p in word.paragraphs)
    assert "£284,937" in text  # published (seed 000)
    assert "£214,686" in text  # the library's period figure: a regression value, not published


def test_the_html_is_standalone_and_its_totals_are_the_costings(written, costing):
    text = written["html"].read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>\n")
    assert '<meta charset="utf-8">' in text and "<style>" in text and "@media print" in text
    page = parse(text)
    assert page.external == []
    committee = _committee(page)
    assert [row[0].split(" [")[0] for row in committee["body"][:5]] == POSTS
    foot = committee["foot"][0]
    assert foot[0] == "Total" and foot[4] == format_money(costing.full_year) == "£284,937"
    assert foot[5] == format_money(costing.period_total) == "£214,686"
    # every table's total row is the sum of its lines as shown
    for table in page.tables:
        for row in table["foot"]:
            for column, cell in enumerate(row):
                if cell.startswith(("£", "-£")):
                    shown = [_pounds(r[column]) for r in table["body"] if r[column]]
                    assert _pounds(cell) == sum(shown), (table["caption"], column)
    totals = next(t for t in page.tables  # under the heading "Totals", not captioned again
                  if t["head"] and t["head"][0][1:2] == ["Full-year cost (2018/19)"])
    assert totals["head"][0][1:] == ["Full-year cost (2018/19)",
                                     "Cost 1 Jul 2018 to 31 Mar 2019"]
    assert totals["foot"][0][1:] == ["£284,937", "£214,686"]


def _pounds(text: str) -> Decimal:
    return Decimal(text.replace("£", "").replace(",", ""))


def test_the_implications_paragraph_takes_every_figure_from_the_costing(written, costing):
    page = parse(written["html"].read_text(encoding="utf-8"))
    paragraph = page.paragraphs[-1]
    assert paragraph.startswith("The establishment of 8.5 fte costs £284,937 in a full year")
    assert "1 Jul 2018 to 31 Mar 2019" in paragraph and "£214,686" in paragraph
    assert "Contingency" in paragraph
    figures = {w.strip(".,()") for w in paragraph.split() if w.startswith("£")}
    expected = {format_money(v) for v in (costing.full_year, costing.period_total,
                                          costing.payments_full_year)}
    assert figures == expected


def test_markdown_report_holds_the_same_totals(written):
    text = written["md"].read_text(encoding="utf-8")
    assert text.startswith("# Revised short breaks offer")
    assert "| Total " in text and "£284,937" in text and "## Financial implications" in text


def test_a_change_gets_its_table_and_an_inline_svg_waterfall(tmp_path):
    path = tmp_path / "r.html"
    assert main(["report", "2019-commissioning-reorganisation", "--output", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    page = parse(text)
    assert page.external == [] and "svg" in page.tags
    result = scenarios.run_scenario("2019-commissioning-reorganisation")
    before = result.base_costings[result.scenario.primary_basis].full_year
    after = result.primary.full_year
    assert f"({format_money(before)} a year) this is a saving of " \
           f"{format_money(before - after)} a year" in page.paragraphs[-1]
    svg = text[text.index("<svg"):text.index("</svg>") + 6]
    root = ET.fromstring(svg)  # well-formed XML
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert format_money(before) in labels and format_money(after) in labels
    word = tmp_path / "r.docx"
    assert main(["report", "2019-commissioning-reorganisation", "--output", str(word)]) == 0
    assert len(docx.Document(str(word)).inline_shapes) == 1  # the waterfall as a picture


def test_against_a_structure_file(tmp_path):
    before = tmp_path / "current.toml"
    after = tmp_path / "proposed.toml"
    post = '[[post]]\ntitle = "{t}"\nfte = {f}\ngrade = "Hay Band A"\nscp = 34\n'
    before.write_text(post.format(t="Officer", f=1))
    after.write_text(post.format(t="Officer", f=2) + post.format(t="Assistant", f=1))
    out = tmp_path / "r.md"
    assert main(["report", str(after), "--against", str(before), "--rule", "council-2018",
                 "--employer", "nottinghamshire", "--pay-year", "2018/19",
                 "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "## Change against the current structure" in text
    assert "Against the current structure (£40,702 a year) this is an increase of £81,404" \
        in text
    assert "No funding source is recorded for it." in text


def test_the_svg_waterfall_must_add_up():
    with pytest.raises(EstablishmentError, match="does not add up"):
        waterfall_svg(("Before", Decimal(100)), [("rise", Decimal(10))], ("After", Decimal(111)))
    svg = waterfall_svg(("Before", Decimal(100)), [("rise", Decimal(10)),
                                                    ("saving", Decimal(-30))],
                        ("After", Decimal(80)), "A & B")
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "+£10" in texts and "-£30" in texts and "A & B" in texts
    fills = [r.get("fill") for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    # Okabe-Ito (colour-blind safe): the legend's three swatches, then the bars: totals blue,
    # a rise vermillion, a saving bluish green
    assert fills == ["#0072B2", "#D55E00", "#009E73", "#0072B2", "#D55E00", "#009E73",
                     "#0072B2"]
    assert {"Total", "Increase", "Saving"} <= set(texts)


def test_report_of_an_unknown_scenario_is_exit_2(capsys):
    assert main(["report", "2018-short-break", "-o", "x.html"]) == 2
    assert "did you mean '2018-short-breaks'" in capsys.readouterr().err


# --- a real browser -------------------------------------------------------------------------

def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--no-first-run",
                 "--disable-component-update", "--disable-sync"]


@pytest.mark.skipif(_chromium() is None,
                    reason="no Chromium on this machine (Debian: apt-get install chromium)")
def test_a_real_browser_reads_the_same_totals_and_draws_the_page(written, costing, tmp_path):
    browser = _chromium()
    profile = tmp_path / "profile"
    url = written["html"].resolve().as_uri()
    dom = subprocess.run([browser, *BROWSER_FLAGS, f"--user-data-dir={profile}",
                          "--dump-dom", url], capture_output=True, text=True, timeout=120,
                         check=True).stdout
    page = parse(dom)
    foot = _committee(page)["foot"][0]
    assert foot[4] == format_money(costing.full_year) and foot[5] == "£214,686"
    shot = Path(os.environ.get("REPORT_SCREENSHOT", tmp_path / "report.png"))
    subprocess.run([browser, *BROWSER_FLAGS, f"--user-data-dir={profile}",
                    f"--screenshot={shot}", "--window-size=1100,1400",
                    "--hide-scrollbars", url], capture_output=True, timeout=120, check=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_word_output_is_refused_on_a_terminal_and_written_to_a_pipe(capsys, monkeypatch):
    class Binary(io.BytesIO):
        def isatty(self) -> bool:
            return False

    class Stdout:
        buffer = Binary()

        def isatty(self) -> bool:
            return False

        def flush(self) -> None:
            pass

    out = Stdout()
    monkeypatch.setattr("sys.stdout", out)
    assert main(["report", "2018-short-breaks", "-f", "docx"]) == 0
    assert docx.Document(io.BytesIO(out.buffer.getvalue())).tables


def test_a_scenario_post_the_pay_data_cannot_cost_is_left_out_and_said_so(tmp_path):
    path = tmp_path / "r.md"
    assert main(["report", "2020-ess-remodelling", "-o", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    assert "Left out of every total, as the pay data cannot cost them: post SOA." in text
    assert "These figures cover the posts the pay data can cost" in text


# --- the report from Python ---------------------------------------------------------------

def test_the_2018_report_is_built_from_python():
    from establishment.report import build_report, source_from_scenario
    from establishment.tables.document import Heading, Paragraph, Table
    from establishment.tables.output import document_bytes

    document = build_report(source_from_scenario(scenarios.load_scenario("2018-short-breaks")))
    assert document.title == "Revised short breaks offer: temporary posts to 31 March 2019"
    headings = [b.text for b in document.blocks if isinstance(b, Heading)]
    assert headings == ["Cost of the posts", "Totals", "Funding", "Basis",
                        "Financial implications"]
    committee = next(b for b in document.blocks if isinstance(b, Table))
    assert [r[0].split(" [")[0] for r in committee.rows[:5]] == POSTS
    assert format_money(committee.total[4]) == "£284,937"
    last = document.blocks[-1]
    assert isinstance(last, Paragraph) and "£284,937" in last.text
    assert document_bytes(document, "docx")[:2] == b"PK"


def test_the_command_line_only_reads_arguments_and_writes_the_file():
    import establishment.cli.cmd_report as command

    lines = Path(command.__file__).read_text(encoding="utf-8").splitlines()
    assert len(lines) < 80
    assert "def build_report" not in "\n".join(lines)


def test_the_xlsx_report_prints_filters_and_keeps_its_notes_on_one_sheet(tmp_path):
    import openpyxl

    path = tmp_path / "r.xlsx"
    assert main(["report", "2018-short-breaks", "-o", str(path)]) == 0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Posts and costs", "Totals", "Cost by funding source", "Notes"]
    for sheet in book.worksheets:
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.fitToWidth) == 1 and int(sheet.page_setup.fitToHeight) == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$1" and sheet.freeze_panes == "A2"
    posts = book["Posts and costs"]
    assert posts.auto_filter.ref == "A1:F7"  # the lines, not the total row (row 8)
    assert posts["A8"].value == "Total" and posts["E8"].value == 284937
    assert posts["B2"].number_format == "0.0000" and posts["B2"].value == 2
    assert posts["E2"].number_format == '"£"#,##0;-"£"#,##0'
    assert posts.column_dimensions["A"].width > posts.column_dimensions["B"].width
    assert posts.max_row == 8  # the notes are on the Notes sheet, not under the table
    notes = [row for row in book["Notes"].iter_rows(min_row=2, values_only=True)]
    texts = [text for text, _ in notes]
    assert texts[0] == "Revised short breaks offer: temporary posts to 31 March 2019"
    assert texts[1].startswith("Children and Young People's Committee, 18 June 2018")
    assert sum("rule 'council-2018'" in t for t in texts) == 1  # the basis, once
    assert ("[i] rests on inferred pay data: treat the figure as provisional",
            "Posts and costs") in notes


def test_scenario_run_prints_its_title_once_and_each_basis_once(capsys):
    assert main(["scenario", "run", "2018-short-breaks"]) == 0
    out = capsys.readouterr().out
    assert out.count("Revised short breaks offer: temporary posts to 31 March 2019") == 1
    page = parse(scenarios.run_scenario("2018-short-breaks").render("html"))
    notes = [p for p in page.paragraphs if p.startswith("Basis:")]
    assert len(notes) == len(set(notes))


def test_prose_reads_as_a_person_writes():
    from establishment.report.prose import fte_words

    assert [fte_words(Decimal(v)) for v in ("14.7297", "8.5", "6", "0.005")] == [
        "14.73", "8.5", "6", "0.01"]


def test_when_the_posts_run_only_for_temporary_posts(tmp_path):
    post = '[[post]]\ntitle = "Officer"\nfte = 1.25\ngrade = "Hay Band A"\nscp = 34\n{end}'
    path = tmp_path / "p.toml"
    out = tmp_path / "r.md"
    base = ["--employer", "nottinghamshire", "--pay-year", "2018/19", "--from", "2018-07-01",
            "--to", "2019-03-31", "-o", str(out)]
    path.write_text(post.format(end=""))
    assert main(["report", str(path), *base]) == 0
    text = out.read_text(encoding="utf-8")
    assert "For the period 1 Jul 2018 to 31 Mar 2019 the cost is" in text
    assert "when the posts run" not in text and "1.25 fte costs" in text
    path.write_text(post.format(end="end = 2019-03-31\n"))
    assert main(["report", str(path), *base]) == 0
    assert "1 Jul 2018 to 31 Mar 2019, when the posts run, the cost is" in \
        out.read_text(encoding="utf-8")
